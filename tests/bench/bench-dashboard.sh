#!/usr/bin/env bash
# bench-dashboard.sh -- the Dashboard over a cache of N orders (default
# 1,000,000) against a baseline cache of 1,000 orders measured in the same
# run. Prints figures, ratios and the aims, p50 and p99 with the spread
# (min..max) of RUNS runs each; asserts nothing (benchmarks are not tests).
#
# 1. The first frame, in process (tests/bench/bench-dash.c): load the
#    profile, open the cache, read the Dashboard's figures (kpi.c over the
#    rollups: order_quarters, customer_quarters, customer_first,
#    item_quarters) and draw them on a virtual 80x24 screen, as the console
#    does up to its first doupdate(), without the process start and without
#    a store. Also the CPU time of that (which a loaded machine does not
#    inflate) and kpi_read() alone. Aim: <= 50 ms at 1,000,000 orders.
# 2. A new order in today's figures, end to end: the console (in tmux, on
#    the Dashboard, following the store's change feed) and the store; the
#    benchmark pays one of today's pending orders through the Store API
#    (POST /v1/orders/ID/pay) and waits for the console's frame that shows
#    one more paid order today (the console's hook, SHOPDESK_BENCH in
#    ui/app.c, notes when it was sent). Aim: <= 1 s.
#
# The data is what a real sync writes: the reference store seeds N orders
# into a database file, then runs a few seconds of live activity (customers
# placing orders today, to be paid in part 2), and "shopdesk sync" loads it
# all into the cache, rollups included. Seeding and syncing 1,000,000 orders
# takes a quarter of an hour on a small machine, so the store's database and
# the cache are kept in BENCH_DASH_DIR (default $TMPDIR/shopdesk-bench-dash)
# and reused by later runs (the day they were built is printed; orders paid
# by part 2 stay paid, in the store and in the cache alike);
# BENCH_DASH_REBUILD=1 builds them again.
#
#   make bench
#   BENCH_DASH_ORDERS=100000 BENCH_DASH_RUNS=20 sh tests/bench/bench-dashboard.sh
set -u
top_builddir=${top_builddir:-$PWD}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
BENCH_DASH=${BENCH_DASH:-$top_builddir/tests/bench/bench-dash}
N=${BENCH_DASH_ORDERS:-1000000}
BASE=1000
RUNS=${BENCH_DASH_RUNS:-10}
DATA=${BENCH_DASH_DIR:-${TMPDIR:-/tmp}/shopdesk-bench-dash}
for c in tmux jq curl; do
	command -v $c >/dev/null || { echo "bench-dashboard: needs $c"; exit 0; }
done
[ -x "$BENCH_DASH" ] || { echo "bench-dashboard: no $BENCH_DASH (make tests/bench/bench-dash)"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/sddbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL SHOPDESK_BENCH SHOPDESK_BENCH_T0
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color
SOCK="sddbench-$$"
PID=
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
stop_store() {
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
		PID=
	fi
}
trap 'tm kill-server 2>/dev/null; stop_store; rm -rf "$T"' EXIT
now_us() { date +%s%6N; }
# stamp VAR: microseconds now into VAR, without a process (bash 5's
# EPOCHREALTIME) where it can, so that the instant is not a fork's late.
stamp() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"
	else
		printf -v "$1" '%s' "$(date +%s%6N)"
	fi
}
mkdir -p "$XDG_CONFIG_HOME/shopdesk" "$DATA"

# start_store NAME [ARGS]: the store on NAME's database (seeding it when
# empty), its port in $T/NAME.port, a profile NAME for it. A cache is bound
# to its store's URL: the port the store first had is kept in DATA/NAME/port.
start_store() {
	local name=$1 d="$DATA/$1"
	shift
	rm -f "$T/$name.port"
	"$SHOPDESK_STORE" --port "$(cat "$d/port" 2>/dev/null || echo 0)" \
		--port-file "$T/$name.port" --token-dir "$d/tokens" \
		--db "$d/store.db" --seed 1 --rate 0 --quiet "$@" 2>>"$T/store.log" &
	PID=$!
	while [ ! -s "$T/$name.port" ]; do
		kill -0 "$PID" 2>/dev/null || { cat "$T/store.log"; exit 1; }
		sleep 0.1
	done
	[ -s "$d/port" ] || cp "$T/$name.port" "$d/port"
	profile "$name" "$(cat "$T/$name.port")"
}

# profile NAME PORT: the profile NAME, its store on PORT, its cache in DATA.
profile() {
	sed -i "/^\[$1\]/,+3d" "$XDG_CONFIG_HOME/shopdesk/config" 2>/dev/null
	printf '[%s]\nurl = http://127.0.0.1:%s\ntoken-file = %s\ncache = %s\n' "$1" "$2" \
		"$DATA/$1/tokens/admin.token" "$DATA/$1/cache.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
}

# prepare NAME ORDERS: the store's database and the synced cache, built
# unless kept from an earlier run.
prepare() {
	local name=$1 d="$DATA/$1" t0
	if [ -f "$d/built" ] && [ "$(sed -n 2p "$d/built")" = "$2" ] &&
	    [ "${BENCH_DASH_REBUILD:-0}" != 1 ]; then
		echo "$2 orders: reusing $d (built $(sed -n 1p "$d/built"))"
		profile "$name" 9	# no store until part 2 starts one
		return
	fi
	rm -rf "$d"
	mkdir -p "$d"
	t0=$(now_us)
	# Seeded, then customers placing (and paying) orders today for a few seconds.
	start_store "$name" --orders "$2" --live 50
	sleep 5
	stop_store
	start_store "$name"
	"$SHOPDESK" --profile "$name" sync --quiet >"$T/$name.sync" 2>&1 ||
		{ cat "$T/$name.sync"; exit 1; }
	stop_store
	printf '%s\n%s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$2" >"$d/built"
	echo "$2 orders: seeded and synced in $(( ($(now_us) - t0) / 1000000 )) s into $d"
}

# Statistics of a file of numbers (microseconds), printed in milliseconds.
p50() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }'; }
# p99 FILE: the 99th percentile (the largest of fewer than 100 runs).
p99() { sort -n "$1" | awk '{ v[NR] = $1 } END { i = int(NR * 0.99 + 0.999); printf "%.1f", v[i < 1 ? 1 : i] / 1000 }'; }
spread() { sort -n "$1" | awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%.1f..%.1f", a / 1000, b / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# line LABEL FILE [BASEFILE AIM]: p50, p99, spread, and against the baseline.
line() {
	printf '  %-26s p50 %8s ms  p99 %8s ms  (%s)' "$1" "$(p50 "$2")" "$(p99 "$2")" "$(spread "$2")"
	if [ $# -gt 2 ]; then
		printf '  x%s the baseline' "$(ratio "$(p50 "$2")" "$(p50 "$3")")"
		[ -n "${4:-}" ] && printf '  aim <= %s ms' "$4"
	fi
	echo
}

# first NAME: RUNS first frames, in process; columns open frame cpu kpi (us).
first() {
	"$BENCH_DASH" "$1" 1 >/dev/null 2>"$T/dash.err"	# the file in the system's cache
	"$BENCH_DASH" "$1" "$RUNS" >"$T/first.$1" 2>>"$T/dash.err" || { cat "$T/dash.err"; exit 1; }
	for c in 2 3 4 5; do awk -v c=$c '{ print $c }' "$T/first.$1" >"$T/first.$1.$c"; done
}

# fresh NAME: RUNS times, pay one of today's pending orders and wait for the
# console's Dashboard to count it; microseconds, one a line, in $T/fresh.NAME.
fresh() {
	local name=$1 d="$DATA/$1" port id v n0 t0 ta t1 i code
	start_store "$name"
	port=$(cat "$T/$name.port")
	# What the store did since the cache was last synced (say, pending
	# orders it closed), so that the orders to pay are current.
	"$SHOPDESK" --profile "$name" sync --quiet >"$T/$name.resync" 2>&1 ||
		echo "  ($name: sync before paying: $(head -c 200 "$T/$name.resync"))"
	"$SHOPDESK" --profile "$name" orders list --status pending_payment --since today \
		--format json --limit "$RUNS" | jq -r '.[] | "\(.id) \(.version)"' >"$T/pending.$name"
	if [ "$(wc -l <"$T/pending.$name")" -lt "$RUNS" ]; then
		echo "  ($name: $(wc -l <"$T/pending.$name") orders of today left to pay;" \
			"BENCH_DASH_REBUILD=1 places more)"
	fi
	rm -f "$T/f"
	tm kill-server 2>/dev/null
	tm new-session -d -x 80 -y 24 \
		"exec env SHOPDESK_BENCH=$T/f $SHOPDESK --profile $name 2>>$T/console.err"
	i=0
	while ! grep -q '^first-frame' "$T/f" 2>/dev/null && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
	sleep 2		# the sync thread's first round: nothing new
	: >"$T/fresh.$name"
	: >"$T/pay.$name"
	: >"$T/shown.$name"
	while read -r id v; do
		n0=$(grep -c '^kpi-paid' "$T/f")
		stamp t0
		code=$(curl -s -o "$T/pay.out" -w '%{http_code} %{time_total}' -X POST \
			-H "Authorization: Bearer $(cat "$d/tokens/admin.token")" \
			-H "Idempotency-Key: bench-dash-$$-$id" -H "If-Match: $v" \
			-H 'Content-Type: application/json' -d '{"method":"alipay"}' \
			"http://127.0.0.1:$port/v1/orders/$id/pay")
		stamp ta	# the store has answered: the order is paid
		echo "${code#* }" | awk '{ printf "%d\n", $1 * 1000000 }' >>"$T/pay.$name"
		if [ "${code% *}" != 200 ]; then
			echo "  ($name: paying $id: HTTP $code $(head -c 200 "$T/pay.out"))"
			continue
		fi
		i=0
		while [ "$(grep -c '^kpi-paid' "$T/f")" -le "$n0" ] && [ $i -lt 1000 ]; do
			sleep 0.005
			i=$((i + 1))
		done
		t1=$(awk '/^kpi-paid/ { t = $4 } END { print t }' "$T/f")
		if [ "$(grep -c '^kpi-paid' "$T/f")" -gt "$n0" ]; then
			echo $((t1 - t0)) >>"$T/fresh.$name"
			echo $((t1 - ta)) >>"$T/shown.$name"
		fi
		sleep 0.5
	done <"$T/pending.$name"
	tm send-keys q
	sleep 0.3
	tm kill-server 2>/dev/null
	stop_store
}

echo "== dashboard benchmark: $N orders against a baseline of $BASE"
prepare base "$BASE"
prepare big "$N"

first base
first big
echo "== Dashboard first frame in process (open the cache, read the figures, draw 80x24), $RUNS runs"
line "$BASE orders (baseline)" "$T/first.base.2"
line "$N orders" "$T/first.big.2" "$T/first.base.2" 50
echo "   the CPU time of it (the process's, to the console's end):"
line "$BASE orders (baseline)" "$T/first.base.3"
line "$N orders" "$T/first.big.3" "$T/first.base.3"
echo "   of which the figures alone (kpi_read, on the open cache), wall clock and CPU time:"
line "$BASE orders (baseline)" "$T/first.base.4"
line "$N orders" "$T/first.big.4" "$T/first.base.4"
line "$BASE orders (baseline)" "$T/first.base.5"
line "$N orders" "$T/first.big.5" "$T/first.base.5"

fresh base
fresh big
echo "== an order paid on the store -> one more paid order today on the console's Dashboard"
if [ -s "$T/fresh.base" ] && [ -s "$T/fresh.big" ]; then
	echo "   from the pay request (curl started) to the frame showing it:"
	line "$BASE orders (baseline)" "$T/fresh.base"
	line "$N orders" "$T/fresh.big" "$T/fresh.base" 1000
	echo "   from the store's answer (curl ended: the order is paid) to that frame:"
	line "$BASE orders (baseline)" "$T/shown.base"
	line "$N orders" "$T/shown.big" "$T/shown.base" 1000
	echo "   the pay request itself (curl's own time, the store's commit included):"
	line "$BASE orders (baseline)" "$T/pay.base"
	line "$N orders" "$T/pay.big" "$T/pay.base"
	printf '  (%s and %s runs)\n' "$(wc -l <"$T/fresh.base")" "$(wc -l <"$T/fresh.big")"
else
	echo "  no figure: the console did not show the payments (see $T/console.err)"
fi
