#!/usr/bin/env bash
# bench-dashboard.sh -- the Dashboard over a cache of N orders (default
# 1,000,000) against a baseline cache of 1,000 orders measured in the same
# run: the console's first frame (it opens on the Dashboard, whose figures
# are today's, yesterday's and last week's day rows, 30 days of trend and
# the hours of two days: kpi.c over order_quarters), and the time for newly
# synced orders to show in today's figures (a sync pulling the orders a live
# store keeps placing, then today's report from the cache). Prints figures,
# ratios and the aims, p50 and p99 with the spread (min..max) of RUNS runs
# each; asserts nothing (benchmarks are not tests). The figures come from
# the cache's rollups (order_quarters, customer_quarters, customer_first,
# item_quarters: cache.c), so the first frame reads a few hundred pages
# whatever the size of the store.
#
#   make bench
#   BENCH_DASH_ORDERS=100000 sh tests/bench/bench-dashboard.sh
set -u
top_builddir=${top_builddir:-$PWD}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
N=${BENCH_DASH_ORDERS:-1000000}
BASE=1000
RUNS=${BENCH_DASH_RUNS:-10}
command -v tmux >/dev/null || { echo "bench-dashboard: needs tmux"; exit 0; }
command -v jq >/dev/null || { echo "bench-dashboard: needs jq"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/sddbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL SHOPDESK_BENCH SHOPDESK_BENCH_T0
SOCK="sddbench-$$"
PIDS=
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; for p in $PIDS; do kill $p 2>/dev/null; wait $p 2>/dev/null; done; rm -rf "$T"' EXIT
now() { date +%s.%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 1000 }'; }
mkdir -p "$XDG_CONFIG_HOME/shopdesk"

# store NAME ORDERS: a live store (customers keep placing orders) and a synced cache.
store() {
	"$SHOPDESK_STORE" --port 0 --port-file "$T/$1.port" --token-dir "$T/$1.tokens" --seed 1 \
		--orders "$2" --live 20 --rate 0 --quiet 2>"$T/$1.log" &
	PIDS="$PIDS $!"
	while [ ! -s "$T/$1.port" ]; do sleep 0.1; done
	printf '[%s]\nurl = http://127.0.0.1:%s\ntoken-file = %s\ncache = %s\n' "$1" \
		"$(cat "$T/$1.port")" "$T/$1.tokens/admin.token" "$T/$1.db" \
		>>"$XDG_CONFIG_HOME/shopdesk/config"
	# The console's own profile: the same cache, no store (nothing moves).
	printf '[%s-off]\nurl = http://127.0.0.1:9\ntoken-file = %s\ncache = %s\n' "$1" \
		"$T/$1.tokens/admin.token" "$T/$1.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
	"$SHOPDESK" --profile "$1" sync --quiet >"$T/$1.sync" 2>&1 || { cat "$T/$1.sync"; exit 1; }
}

# first PROFILE: the first frame's microseconds, RUNS times, one a line.
first() {
	local r i
	for r in $(seq "$RUNS"); do
		rm -f "$T/f"
		cat "$T"/*.db* >/dev/null 2>&1
		tm kill-server 2>/dev/null
		tm new-session -d -x 80 -y 24 \
			"exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color SHOPDESK_BENCH=$T/f SHOPDESK_BENCH_T0=\$(date +%s%N) $SHOPDESK --profile $1 2>>$T/console.err"
		i=0
		while ! grep -q '^first-frame' "$T/f" 2>/dev/null && [ $i -lt 2000 ]; do sleep 0.005; i=$((i + 1)); done
		awk '/^first-frame/ { print $3 }' "$T/f"
		tm send-keys q
		sleep 0.2
	done
}

# fresh PROFILE: milliseconds for a sync of the orders placed meanwhile and today's report.
fresh() {
	local r t0 t1
	for r in $(seq "$RUNS"); do
		sleep 1	# the live store places a few orders
		t0=$(now)
		"$SHOPDESK" --profile "$1" sync --quiet >/dev/null 2>&1
		"$SHOPDESK" --profile "$1" report daily --from today --to today --format json >"$T/today.json"
		t1=$(now)
		ms "$t0" "$t1"
		echo
	done
}

p50() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# p99 FILE: the 99th percentile (the largest of fewer than 100 runs).
p99() { sort -n "$1" | awk '{ v[NR] = $1 } END { i = int(NR * 0.99 + 0.999); print v[i < 1 ? 1 : i] }'; }
# spread FILE SCALE: "min..max" divided by SCALE.
spread() { sort -n "$1" | awk -v s="$2" 'NR == 1 { a = $1 } { b = $1 } END { printf "%.1f..%.1f", a / s, b / s }'; }

echo "== dashboard benchmark: $N orders against a baseline of $BASE (seeding and syncing...)"
t0=$(now)
store base "$BASE"
store big "$N"
echo "stores seeded and synced in $(ms "$t0" "$(now)" | awk '{ printf "%.0f", $1 / 1000 }') s"

first base-off >"$T/first.base"
first big-off >"$T/first.big"
fb=$(p50 <"$T/first.base")
fg=$(p50 <"$T/first.big")
echo "== Dashboard first frame, 80x24 (process start -> first doupdate), $RUNS runs"
printf '%-28s p50 %8.1f ms  p99 %8.1f ms  (%s)\n' "$BASE orders (baseline)" \
	"$(awk -v v="$fb" 'BEGIN { print v / 1000 }')" "$(awk -v v="$(p99 "$T/first.base")" 'BEGIN { print v / 1000 }')" \
	"$(spread "$T/first.base" 1000)"
printf '%-28s p50 %8.1f ms  p99 %8.1f ms  (%s)   x%.2f the baseline   aim <= 50 ms\n' "$N orders" \
	"$(awk -v v="$fg" 'BEGIN { print v / 1000 }')" "$(awk -v v="$(p99 "$T/first.big")" 'BEGIN { print v / 1000 }')" \
	"$(spread "$T/first.big" 1000)" "$(awk -v a="$fg" -v b="$fb" 'BEGIN { print (b > 0 ? a / b : 0) }')"

fresh base >"$T/fresh.base"
fresh big >"$T/fresh.big"
rb=$(p50 <"$T/fresh.base")
rg=$(p50 <"$T/fresh.big")
echo "== newly synced orders in today's figures (sync + today's report, two processes), $RUNS runs"
printf '%-28s p50 %8.1f ms  p99 %8.1f ms  (%s)\n' "$BASE orders (baseline)" "$rb" "$(p99 "$T/fresh.base")" \
	"$(spread "$T/fresh.base" 1)"
printf '%-28s p50 %8.1f ms  p99 %8.1f ms  (%s)   x%.2f the baseline   aim <= 1000 ms\n' "$N orders" "$rg" \
	"$(p99 "$T/fresh.big")" "$(spread "$T/fresh.big" 1)" \
	"$(awk -v a="$rg" -v b="$rb" 'BEGIN { print (b > 0 ? a / b : 0) }')"
printf '%-28s %8s orders today in the big cache\n' "" "$(jq '.days[0].orders' "$T/today.json")"
