#!/usr/bin/env bash
# scan.sh -- scan mode in the real console at 80x24, fed as a USB scanner
# types: each code and its Enter in one tmux send-keys call, several codes
# in one burst. A multi-item order scanned to shipped (a wrong item refused
# on the way, the order number without its prefix), the carrier inferred
# from the waybill or chosen among candidates, a cancelled order refused;
# then with the store unreachable an order shipped (queued) and confirmed
# when the store returns, and one the store refuses (cancelled meanwhile)
# shown at once.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

start_store --orders 2000 --db "$T/store.db"
PORT0=$PORT
profile wh1
PROFILE=wh1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/wh1.db"

# codes ID: the barcode of each piece of order ID, one a line, in its order.
codes() {
	sd orders show "$1" --format json >"$T/o.json" 2>/dev/null
	sqlite3 "$DB" "SELECT s.barcode, json_extract(i.value, '$.quantity')
		FROM json_each(json_extract(readfile('$T/o.json'), '$.items')) i
		JOIN skus s ON s.id = json_extract(i.value, '$.sku_id') ORDER BY i.key" |
	while IFS='|' read -r code n; do
		while [ "$n" -gt 0 ]; do echo "$code"; n=$((n - 1)); done
	done
}

# Orders to ship with stock for all their pieces: PIECES (minimum) N.
to_ship() {
	sd orders list --status awaiting_shipment --all --format json >"$T/list.json"
	local id
	for id in $(sqlite3 :memory: "SELECT json_extract(value, '$.id')
		FROM json_each(readfile('$T/list.json'))
		WHERE json_extract(value, '$.abnormal') IS NULL ORDER BY 1"); do
		sd orders show "$id" --format json >"$T/o.json" 2>/dev/null
		sqlite3 "$DB" "SELECT sum(json_extract(i.value, '$.quantity')) >= $1
			AND min(s.stock - json_extract(i.value, '$.quantity')) >= 0
			FROM json_each(json_extract(readfile('$T/o.json'), '$.items')) i
			JOIN skus s ON s.id = json_extract(i.value, '$.sku_id')" | grep -qx 1 &&
			echo "$id"
	done | head -n "$2"
}

order() {
	api wh1 GET "/v1/orders/$1" | head -1
}

# expect_words TEXT DESCRIPTION: expect TEXT in what the screen says, its
# lines joined (a sentence wrapped at any word).
expect_words() {
	local i=0
	while [ $i -lt $((SCREEN_TIMEOUT * 20)) ]; do
		if screen | sed -E 's/ +$//' | tr '\n' ' ' | tr -s ' ' | grep -qF -- "$1"; then
			ok 0 "$2"
			return
		fi
		i=$((i + 1))
		sleep 0.05
	done
	ok 1 "$2"
	echo "#   expected '$1' on the screen:"
	screen | sed 's/^/#   |/'
}

# wait_store ID STATUS: until the store has order ID in STATUS (10 s).
wait_store() {
	local i=0
	while [ "$(jget "$(order "$1")" '$.status')" != "$2" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	jget "$(order "$1")" '$.status'
}

A=$(to_ship 3 1)
set -- $(to_ship 1 40 | grep -vx "$A" | head -5)
B1=$1 B2=$2 E=$3 C=$4
[ -n "$A" ] && [ -n "$C" ] || { echo "Bail out! not enough orders to ship"; exit 1; }
X=$(sqlite3 "$DB" "SELECT id FROM orders WHERE status = 'cancelled' ORDER BY id LIMIT 1")
mapfile -t ACODES < <(codes "$A")
# A barcode of no piece of A.
WRONG=$(sqlite3 "$DB" "SELECT barcode FROM skus WHERE barcode NOT IN
	($(printf "'%s'," "${ACODES[@]}")'') ORDER BY id LIMIT 1")

console 80 24 "$SHOPDESK" --profile wh1
expect "online" "the console is online"
keys 2
expect "Orders [" "the orders pane"
keys P
expect "order number > _" "P opens scan mode, waiting for an order number"

# The order number without its prefix, then a wrong item: refused.
keys "${A#SO}" Enter "$WRONG" Enter
expect_words "wrong item $WRONG: not in order $A; expected" \
	"a wrong item is refused, saying what is expected"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox")" 0 "nothing queued"

# Every piece but the last and one more of the first: one too many.
burst=()
for c in "${ACODES[@]:0:${#ACODES[@]}-1}"; do burst+=("$c" Enter); done
keys "${burst[@]}" "${ACODES[0]}" Enter
expect "too many: order $A takes" "one piece too many is refused"
expect " 1 left" "one piece is left"

# The last piece and the waybill in one burst: SF's pattern, shipped.
keys "${ACODES[${#ACODES[@]}-1]}" Enter SF9200000000001 Enter
expect "shipped $A via SF SF9200000000001: scan the next order" \
	"the waybill ships it via SF, told by its number"
is "$(wait_store "$A" shipped)" shipped "the store shipped $A"
is "$(jget "$(order "$A")" '$.shipment.tracking_no')" SF9200000000001 "... with that waybill"
expect "SCAN: 1 shipped (1 confirmed" "the title counts it confirmed"

# ZTO told by its number; a waybill for EMS or Yunda: the candidates, 2 chosen.
mapfile -t b1 < <(codes "$B1")
burst=("$B1" Enter)
for c in "${b1[@]}"; do burst+=("$c" Enter); done
keys "${burst[@]}" 75920000000001 Enter
expect "shipped $B1 via ZTO 75920000000001" "a 14-digit 75... waybill is ZTO"
mapfile -t b2 < <(codes "$B2")
burst=("$B2" Enter)
for c in "${b2[@]}"; do burst+=("$c" Enter); done
keys "${burst[@]}" 1920000000003 Enter
expect "1 EMS EMS  2 YUNDA Yunda Express" "an ambiguous waybill lists the candidates"
keys 2 Enter
expect "shipped $B2 via YUNDA 1920000000003" "the one chosen ships it"
is "$(wait_store "$B2" shipped)" shipped "the store shipped $B2"

# A cancelled order is stopped with the reason.
keys "$X" Enter
expect "order $X is cancelled: do not ship it" "a cancelled order is refused"

# --- offline ---------------------------------------------------------------------
stop_store
expect "OFFLINE" "the console sees the store gone"
mapfile -t e < <(codes "$E")
burst=("$E" Enter)
for c in "${e[@]}"; do burst+=("$c" Enter); done
keys "${burst[@]}" JD9200000000005 Enter
expect "shipped $E via JD JD9200000000005" "offline: scanned and shipped from the cache"
mapfile -t c < <(codes "$C")
burst=("$C" Enter)
for x in "${c[@]}"; do burst+=("$x" Enter); done
keys "${burst[@]}" YT9200000000006 Enter
expect "shipped $C via YTO YT9200000000006" "a second one offline"
expect "(3 confirmed, 2 waiting" "both wait in the outbox"

# The buyer cancels C meanwhile: the store, on another port the console does
# not know, then back where the console expects it.
STORE_PORT= start_store --db "$T/store.db"
v=$(jget "$(order "$C")" '$.version')
api admin POST "/v1/orders/$C/cancel" '{"reason":"买家取消"}' \
	"Idempotency-Key: scan-$RANDOM" "If-Match: $v" >/dev/null
is "$(jget "$(order "$C")" '$.status')" cancelled "the buyer cancelled $C on the store"
stop_store
STORE_PORT=$PORT0 start_store --db "$T/store.db"

expect "REFUSED: the store did not take $C's shipment" "the refused shipment is shown at once"
expect_words "(#5: the order is cancelled on the store). Take its parcel off the pile; Esc, 7 (outbox) to drop or edit it" \
	"... saying why and what to do"
is "$(wait_store "$E" shipped)" shipped "the shipment queued offline reached the store"
is "$(jget "$(order "$E")" '$.shipment.tracking_no')" JD9200000000005 "... with its waybill"
expect "SCAN: 5 shipped (4 confirmed, 0 waiting, 1 refused)" "the title counts it all"
is "$(jget "$(order "$C")" '$.status')" cancelled "$C stays cancelled on the store"

keys Escape
wait_gone "Take its parcel"
keys Escape
expect "scan mode closed: 5 shipped" "Esc leaves scan mode"
keys q
expect "CONSOLE-EXITED 0" "q quits"
done_testing
