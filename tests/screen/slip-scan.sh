#!/usr/bin/env bash
# slip-scan.sh -- the packing slip's barcode is what scan mode reads: two
# orders' slips rendered as a PDF (`shopdesk orders slip A B`), rasterised
# (pdftoppm) and decoded (zbarimg) as a scanner would read the printed page;
# each decoded text is a Code 128 of the order number, and typed into scan
# mode as a USB scanner types it (code and Enter in one burst) it opens that
# order; A is then picked and shipped, and B's slip opens B.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

for t in tmux pdftoppm zbarimg; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "1..0 # SKIP $t is not installed (tmux, poppler-utils, zbar-tools)"
		exit 0
	fi
done

start_store --orders 2000
profile wh1
PROFILE=wh1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/wh1.db"

# Two orders to ship of one line each with stock for it: "ID BARCODE QUANTITY".
sd orders list --status awaiting_shipment --all --format json >"$T/list.json"
for id in $(sqlite3 :memory: "SELECT json_extract(value, '$.id') FROM json_each(readfile('$T/list.json'))
	WHERE json_extract(value, '$.abnormal') IS NULL ORDER BY 1"); do
	sd orders show "$id" --format json >"$T/o.json" 2>/dev/null
	sqlite3 -separator ' ' "$DB" "SELECT '$id', s.barcode, json_extract(i.value, '$.quantity')
		FROM json_each(json_extract(readfile('$T/o.json'), '$.items')) i
		JOIN skus s ON s.id = json_extract(i.value, '$.sku_id')
		WHERE json_array_length(json_extract(readfile('$T/o.json'), '$.items')) = 1
		AND s.stock >= json_extract(i.value, '$.quantity')"
done | head -2 >"$T/orders"
read -r A ACODE AQTY < <(sed -n 1p "$T/orders")
read -r B _ < <(sed -n 2p "$T/orders")
[ -n "${A:-}" ] && [ -n "${B:-}" ] || { echo "Bail out! not two orders of one line to ship"; exit 1; }

sd orders slip "$A" "$B" --output "$T/slips.pdf" 2>"$T/err"
is "$?" 0 "the slips of $A and $B ($(head -c 200 "$T/err"))"
# 150 dpi, grey: a page as a cheap printer and a handheld scanner see it.
pdftoppm -q -r 150 -gray -png "$T/slips.pdf" "$T/page" 2>"$T/err"
is "$?" 0 "pdftoppm rasterises them ($(head -c 200 "$T/err"))"
pages=("$T"/page-*.png)
is "${#pages[@]}" 2 "one page per slip"
dec=()
for p in "${pages[@]}"; do
	dec+=("$(zbarimg --quiet "$p" 2>>"$T/zbar.err" | tr -d '\r')")
done
is "${dec[0]:-}" "CODE-128:$A" "zbarimg reads a Code 128 of $A off the first slip"
is "${dec[1]:-}" "CODE-128:$B" "... and of $B off the second"
codeA=${dec[0]#CODE-128:} codeB=${dec[1]#CODE-128:}

console 80 24 "$SHOPDESK" --profile wh1
expect "online" "the console is online"
keys 2
expect "Orders [" "the orders pane"
keys P
expect "order number > _" "P opens scan mode"
keys "$codeA" Enter
expect "order $A: scan its items" "the code read off A's slip opens $A"
burst=()
for ((i = 0; i < AQTY; i++)); do burst+=("$ACODE" Enter); done
keys "${burst[@]}" SF9200000000077 Enter
expect "shipped $A via SF SF9200000000077: scan the next order" "$A picked and shipped"
keys "$codeB" Enter
expect "order $B: scan its items" "the code read off B's slip opens $B"
is "$(sqlite3 "$DB" "SELECT object_id FROM outbox WHERE action = 'ship'
	UNION ALL SELECT object_id FROM outbox_log WHERE action = 'ship'")" "$A" \
	"one shipment queued: $A's"
keys Escape Escape
expect "scan mode closed: 1 shipped" "Esc leaves scan mode"
keys q
expect "CONSOLE-EXITED 0" "q quits"
done_testing
