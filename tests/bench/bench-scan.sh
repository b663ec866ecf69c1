#!/usr/bin/env bash
# bench-scan.sh -- scan mode under a scanner's burst: 50 codes (16 orders of
# one piece scanned to shipped: order, item, waybill; then a 17th order and
# its item) typed in one tmux send-keys call, first with no sync running
# (the baseline), then while the console's sync thread pulls the whole
# change feed again (N orders, default 20,000). Prints, for each run, the
# codes and keys read against those sent (none may be lost), the shipments
# queued (the orders expected), the time from the burst to its last frame, and the
# key-to-frame p50/p99 of every key and of the Enter that reads a code; then
# the ratios of the sync run to the baseline. Asserts nothing (benchmarks
# are not tests), but says LOST when a code or a key went missing.
#
#   make bench
#   BENCH_SCAN_ORDERS=100000 sh tests/bench/bench-scan.sh
#
# With SHOPDESK_BENCH=FILE (ui/app.c) the console paints once per key and
# writes a line per key: "key kind micros ...", micros from the key being
# readable to its frame sent (doupdate).
set -u
top_builddir=${top_builddir:-$PWD}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
N=${BENCH_SCAN_ORDERS:-20000}
command -v tmux >/dev/null || { echo "bench-scan: needs tmux"; exit 0; }
command -v sqlite3 >/dev/null || { echo "bench-scan: needs sqlite3"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/sdsbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
export LC_ALL=C.UTF-8 LANG=C.UTF-8
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL SHOPDESK_BENCH SHOPDESK_BENCH_T0
SOCK="sdsbench-$$"
STORE_PID=
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; [ -n "$STORE_PID" ] && { kill $STORE_PID 2>/dev/null; wait $STORE_PID 2>/dev/null; }; rm -rf "$T"' EXIT

echo "== scan-mode benchmark: a burst of 50 codes, $N orders (seeding the store...)"
"$SHOPDESK_STORE" --port 0 --port-file "$T/port" --token-dir "$T/tokens" --seed 1 \
	--orders "$N" --rate 0 --quiet 2>"$T/store.log" &
STORE_PID=$!
while [ ! -s "$T/port" ]; do sleep 0.1; kill -0 $STORE_PID 2>/dev/null || { cat "$T/store.log"; exit 1; }; done
URL="http://127.0.0.1:$(cat "$T/port")"
mkdir -p "$XDG_CONFIG_HOME/shopdesk"
# "wh": the warehouse user with a sync thread; "quiet": the same cache, no
# token, so no sync thread (the baseline).
printf '[wh]\nurl = %s\ntoken-file = %s\ncache = %s\n[quiet]\nurl = %s\ncache = %s\n' \
	"$URL" "$T/tokens/wh1.token" "$T/run.db" "$URL" "$T/run.db" \
	>"$XDG_CONFIG_HOME/shopdesk/config"
cfg_sync() { printf '[seed]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$URL" \
	"$T/tokens/wh1.token" "$T/seed.db" >>"$XDG_CONFIG_HOME/shopdesk/config"; }
cfg_sync
"$SHOPDESK" --profile seed sync --quiet >"$T/sync.out" 2>&1 || { cat "$T/sync.out"; exit 1; }

# 17 orders to ship of one piece with stock: their ids and barcodes.
"$SHOPDESK" --profile seed orders list --status awaiting_shipment --all --format json >"$T/list.json"
: >"$T/orders"
for id in $(sqlite3 :memory: "SELECT json_extract(value, '$.id') FROM json_each(readfile('$T/list.json'))
	WHERE json_extract(value, '$.abnormal') IS NULL ORDER BY 1"); do
	"$SHOPDESK" --profile seed orders show "$id" --format json >"$T/o.json" 2>/dev/null
	bc=$(sqlite3 "$T/seed.db" "SELECT s.barcode FROM json_each(json_extract(readfile('$T/o.json'), '$.items')) i
		JOIN skus s ON s.id = json_extract(i.value, '$.sku_id')
		WHERE json_array_length(json_extract(readfile('$T/o.json'), '$.items')) = 1
		AND json_extract(i.value, '$.quantity') = 1 AND s.stock >= 1")
	[ -n "$bc" ] && echo "$id $bc" >>"$T/orders"
	[ "$(wc -l <"$T/orders")" -ge 17 ] && break
done
[ "$(wc -l <"$T/orders")" -ge 17 ] || { echo "bench-scan: not 17 orders of one piece to ship"; exit 1; }

# The burst: 16 x (order, item, waybill), then order 17 and its item.
burst=() nkeys=0 k=0
while read -r id bc; do
	k=$((k + 1))
	burst+=("$id" Enter "$bc" Enter)
	nkeys=$((nkeys + ${#id} + ${#bc} + 2))
	if [ $k -le 16 ]; then
		wb=$(printf 'SF93%011d' "$k")
		burst+=("$wb" Enter)
		nkeys=$((nkeys + ${#wb} + 1))
	fi
done <"$T/orders"
expected=$(head -16 "$T/orders" | cut -d' ' -f1 | sort | tr '\n' ' ')

lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
now_ns() { date +%s%N; }

# run NAME PROFILE: a fresh copy of the cache (with the sync: its cursor at 0,
# so the thread pulls the whole feed again), scan mode, the burst.
run() {
	local name=$1 prof=$2 f="$T/$1.keys" i=0 t0 t1 got codes
	rm -f "$T"/run.db*
	cp "$T/seed.db" "$T/run.db"
	[ "$prof" = wh ] && sqlite3 "$T/run.db" "UPDATE sync_state SET value = '0' WHERE key = 'feed.cursor'"
	tm kill-server 2>/dev/null
	SOCK="sdsbench-$$-$name"
	tm new-session -d -x 80 -y 24 \
		"exec env TERM=screen-256color SHOPDESK_BENCH=$f $SHOPDESK --profile $prof 2>>$T/console.err"
	while [ "$(lines "$f")" -lt 1 ] && [ $i -lt 2000 ]; do sleep 0.005; i=$((i + 1)); done
	tm send-keys 2 P
	while [ "$(lines "$f")" -lt 3 ] && [ $i -lt 4000 ]; do sleep 0.005; i=$((i + 1)); done
	if [ "$prof" = wh ]; then	# the burst lands while the sync runs
		i=0
		while ! tm capture-pane -p | grep -qi 'syncing' && [ $i -lt 2000 ]; do
			sleep 0.005
			i=$((i + 1))
		done
		tm capture-pane -p | grep -qi 'syncing' && echo "$name: the sync is running" ||
			echo "$name: (the sync was not seen running)"
	fi
	t0=$(now_ns)
	tm send-keys "${burst[@]}"
	i=0
	while [ "$(lines "$f")" -lt $((nkeys + 3)) ] && [ $i -lt 6000 ]; do sleep 0.002; i=$((i + 1)); done
	t1=$(now_ns)
	sleep 0.3
	[ "$prof" = wh ] && tm capture-pane -p | grep -qi 'syncing' &&
		echo "$name: ... and still runs after the burst"
	got=$(awk '$2 == "key" || $2 == "search"' "$f" | tail -n +3 | wc -l)
	codes=$(tm capture-pane -p | sed -n -E 's/.*, ([0-9]+) codes.*/\1/p' | head -1)
	shipped=$(sqlite3 "$T/run.db" "SELECT object_id FROM outbox WHERE action = 'ship'
		UNION ALL SELECT object_id FROM outbox_log WHERE action = 'ship'" | sort | tr '\n' ' ')
	shipped=${shipped% }
	tm send-keys Escape Escape
	sleep 0.1
	tm send-keys q
	printf '%s: keys %s of %s, codes %s of 50, shipped %s of 16, the orders expected: %s\n' "$name" \
		"$got" "$nkeys" "${codes:-?}" "$(echo "$shipped" | wc -w)" \
		"$([ "$shipped " = "$expected" ] && echo yes || echo no)"
	[ "$got" = "$nkeys" ] && [ "${codes:-0}" = 50 ] || echo "$name: LOST: keys or codes missing"
	[ "$shipped " = "$expected" ] || { echo "$name: shipped: $shipped"; echo "$name: expected: $expected"
		sqlite3 "$T/run.db" "SELECT id, object_id, state, reason FROM outbox; SELECT id, object_id, outcome, reason FROM outbox_log" | sed "s/^/$name: /"; }
	awk -v name="$name" -v ms="$(( (t1 - t0) / 1000000 ))" -v last=$((nkeys + 3)) '
		NR > 3 && NR <= last && ($2 == "key" || $2 == "search") { a[n++] = $3; if ($1 == "<Enter>") e[m++] = $3 }
		function pct(v, c, p,   i, j, t) {
			for (i = 1; i < c; i++) for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			return v[int((c - 1) * p)] }
		END {
			printf "%s: burst to last frame %d ms; every key p50 %d us p99 %d us; the Enter of a code p50 %d us p99 %d us\n",
			    name, ms, pct(a, n, 0.5), pct(a, n, 0.99), pct(e, m, 0.5), pct(e, m, 0.99)
			printf "%s %d %d %d %d %d\n", name, ms, pct(a, n, 0.5), pct(a, n, 0.99), pct(e, m, 0.5), pct(e, m, 0.99) > "/dev/stderr"
		}' "$f" 2>>"$T/figures"
}

# The shipments of the sync run reach the store: the rows of outbox_log
# count too (the UNION above), so both runs are compared alike.
run baseline quiet
run sync wh
awk '{ v[$1] = $0 } END {
	split(v["baseline"], b); split(v["sync"], s)
	printf "ratio sync/baseline: burst %.2f, every key p50 %.2f p99 %.2f, Enter p50 %.2f p99 %.2f\n",
	    s[2] / (b[2] ? b[2] : 1), s[3] / (b[3] ? b[3] : 1), s[4] / (b[4] ? b[4] : 1),
	    s[5] / (b[5] ? b[5] : 1), s[6] / (b[6] ? b[6] : 1) }' "$T/figures"
