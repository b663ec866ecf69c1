#!/usr/bin/env bash
# bench-firstsync.sh -- the first sync at scale: N orders (default 1,000,000)
# from the reference store into an empty cache, by this build and, in the
# same run and alternately, by a baseline build (SHOPDESK_BASE, e.g. the
# previous release built elsewhere). Prints per run the wall and CPU time
# (user + sys), the peak RSS, the pages phase and the bulk load's end (from
# the sync's log; the pages phase's CPU time so far and which thread
# waited on which, from its "pages fetched and stored" line), the cache's
# bytes per order, and how quickly another
# shopdesk reads the same cache meanwhile (an orders list, as the console's
# first screen asks for it, every 0.2 s: p50, p99, max); then the ratios
# new/baseline. With tmux, the console (the build under test) runs on the
# same cache meanwhile, in a private tmux server, its own sync pointed at a
# closed port: keys are sent one at a time for as long as the sync runs,
# each when the console has drawn the last (SHOPDESK_BENCH, ui/app.c, as
# bench-console.sh does), and their keystroke-to-frame times are printed
# (p50, p99, max; a key with no frame within 10 s counts as stalled): as
# the console times them (key readable to frame sent) and as this script
# sees them (tmux send-keys to the frame's line written, polled every
# 5 ms: coarser, but it also counts any time the console took to notice
# the key); both again for the keys of the 10 s after the sync, with the
# cache idle, the baseline of the same measure on the same machine.
# Asserts nothing (benchmarks are not tests).
#
#   make bench                                   # 1,000,000 orders, 2 rounds
#   SHOPDESK_BASE=/tmp/base/shopdesk make bench  # ... against that build
#   BENCH_FIRST_ORDERS=100000 BENCH_FIRST_ROUNDS=3 sh tests/bench/bench-firstsync.sh
#
# The store's data is generated once into BENCH_DATA (default
# $TMPDIR/shopdesk-bench-data, store-N.db) and reused by later runs.
set -u
top_builddir=${top_builddir:-$PWD}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
BASE=${SHOPDESK_BASE:-}
N=${BENCH_FIRST_ORDERS:-1000000}
ROUNDS=${BENCH_FIRST_ROUNDS:-2}
DATA=${BENCH_DATA:-${TMPDIR:-/tmp}/shopdesk-bench-data}
T=$(mktemp -d "${TMPDIR:-/tmp}/sdfbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL
STORE_PID=
READER_PID=
KEYS_PID=
SOCK="sdfbench-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
CONSOLE=1
command -v tmux >/dev/null || { CONSOLE=; echo "(no tmux: no console during the sync)"; }
trap '[ -n "$READER_PID" ] && kill $READER_PID 2>/dev/null; [ -n "$KEYS_PID" ] && kill $KEYS_PID 2>/dev/null; [ -n "$CONSOLE" ] && tm kill-server 2>/dev/null; [ -n "$STORE_PID" ] && { kill $STORE_PID 2>/dev/null; wait $STORE_PID 2>/dev/null; }; rm -rf "$T"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# pct P: the P-th percentile (nearest rank) of the numbers on stdin.
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(p * NR / 100); if (i < p * NR / 100) i++; if (i < 1) i = 1; print v[i] }'; }

[ -x "$SHOPDESK" ] || { echo "bench-firstsync: no $SHOPDESK"; exit 0; }
mkdir -p "$DATA" || exit 1
DB="$DATA/store-$N.db"
[ -s "$DB" ] && seeded="reused $DB" || seeded="generated into $DB"
echo "== first sync at scale: $N orders (store data $seeded)"
t0=$(now)
"$SHOPDESK_STORE" --port 0 --port-file "$T/port" --token-dir "$T/tokens" --seed 1 \
	--orders "$N" --db "$DB" --rate 0 --quiet 2>"$T/store.log" &
STORE_PID=$!
while [ ! -s "$T/port" ]; do sleep 0.1; kill -0 $STORE_PID 2>/dev/null || { cat "$T/store.log"; exit 1; }; done
URL="http://127.0.0.1:$(cat "$T/port")"
echo "store ready in $(secs "$t0" "$(now)") s"
mkdir -p "$XDG_CONFIG_HOME/shopdesk"
# Profile c: the console's, on the same cache, its sync at a closed port
# (connection refused, backing off) so that the sync under test is the
# only writer.
printf 'profile = b\n[b]\nurl = %s\ntoken-file = %s\ncache = %s\n[c]\nurl = http://127.0.0.1:9\ntoken-file = %s\ncache = %s\n' \
	"$URL" "$T/tokens/admin.token" "$T/cache.db" "$T/tokens/admin.token" "$T/cache.db" \
	>"$XDG_CONFIG_HOME/shopdesk/config"
# Warm the store (its database in the page cache) with one pass first.
curl -s -o /dev/null -H "Authorization: Bearer $(cat "$T/tokens/admin.token")" \
	"$URL/v1/changes?since=0&limit=5000"

# reader BIN OUT: read the cache every 0.2 s while it exists, one latency (ms) a line.
reader() {
	local a b
	while :; do
		sleep 0.2
		[ -f "$T/cache.db" ] || continue
		a=$(date +%s%N)
		"$1" orders list --limit 20 --format csv >/dev/null 2>&1 || echo >>"$2.failed"
		b=$(date +%s%N)
		echo $(((b - a) / 1000000)) >>"$2"
	done
}

# lines FILE: how many lines the console has written.
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

# waitn FILE N: until FILE has N lines (10 s at most).
waitn() {
	local i=0
	while [ "$(lines "$1")" -lt "$2" ] && [ $i -lt 2000 ]; do sleep 0.005; i=$((i + 1)); done
	[ $i -lt 2000 ]
}

# keys BIN FILE: once the cache exists, the console on it in tmux, and keys
# sent to it one at a time (scrolls, pages, pane switches, a search) until
# killed; a key the console drew no frame for within 10 s is noted in
# FILE.stalled, and each key's time seen from here (microseconds) in
# FILE.ext.
keys() {
	local f=$2 n k a b
	while [ ! -s "$T/cache.db" ]; do sleep 0.05; done
	sleep 0.5
	tm new-session -d -x 160 -y 48 \
		"exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color SHOPDESK_BENCH=$f SHOPDESK_BENCH_T0=\$(date +%s%N) $1 --profile c 2>>$T/console.err"
	waitn "$f" 1 || { echo "no first frame" >>"$f.stalled"; return; }
	while :; do
		for k in 2 j j j j j j j j j j NPage NPage j j ] ] 2 / 张 Enter G g g; do
			n=$(lines "$f")
			a=$(date +%s%N)
			if [ "$k" = 张 ]; then tm send-keys -l "$k"; else tm send-keys "$k"; fi
			if waitn "$f" $((n + 1)); then
				b=$(date +%s%N)
				echo "$b $(((b - a) / 1000))" >>"$f.ext"
			else
				echo "$k" >>"$f.stalled"
			fi
		done
	done
}

# ms: microseconds on stdin (the first line) as milliseconds, "-" for none.
ms() { awk 'NR == 1 { if ($1 == "-") print "-"; else printf "%.1f", $1 / 1000 }'; }

# keyline LABEL DURING IDLE: p50, p99 and max of the keys of both files.
keyline() {
	printf '        %-28s during: p50 %s p99 %s max %s ms; idle after (%d keys): p50 %s p99 %s max %s ms\n' \
		"$1" "$(pct 50 <"$2" | ms)" "$(pct 99 <"$2" | ms)" "$(pct 100 <"$2" | ms)" \
		"$(wc -l <"$3")" "$(pct 50 <"$3" | ms)" "$(pct 99 <"$3" | ms)" "$(pct 100 <"$3" | ms)"
}

# run LABEL BIN: one first sync into an empty cache; one line of figures.
run() {
	local label=$1 bin=$2 t0 t1 wall cpu rss size end_ms pages p50 p99 max kend nend
	rm -f "$T/cache.db" "$T/cache.db-wal" "$T/cache.db-shm" "$T/sync.log" "$T/read.$label" \
		"$T/read.$label.failed"
	rm -f "$T/keys.$label" "$T/keys.$label.stalled" "$T/keys.$label.ext"
	reader "$bin" "$T/read.$label" &
	READER_PID=$!
	if [ -n "$CONSOLE" ]; then
		keys "$SHOPDESK" "$T/keys.$label" &
		KEYS_PID=$!
	fi
	t0=$(now)
	SHOPDESK_LOG="$T/sync.log" /usr/bin/time -f '%U %S' -o "$T/time" \
		"$bin" sync --format json >"$T/sync.json" 2>"$T/sync.err" ||
		{ kill $READER_PID; READER_PID=; cat "$T/sync.err"; return 1; }
	t1=$(now)
	kill $READER_PID 2>/dev/null
	wait $READER_PID 2>/dev/null
	READER_PID=
	if [ -n "$KEYS_PID" ]; then
		# The keys so far were sent during the sync; 10 s more, idle.
		kend=$(date +%s%N)
		nend=$(lines "$T/keys.$label")
		sleep 10
		kill $KEYS_PID 2>/dev/null
		wait $KEYS_PID 2>/dev/null
		KEYS_PID=
		tm kill-server 2>/dev/null
	fi
	wall=$(secs "$t0" "$t1")
	cpu=$(awk '{ printf "%.2f", $1 + $2 }' "$T/time")
	rss=$(sed -n 's/.*"max_rss_kb":\([0-9]*\).*/\1/p' "$T/sync.json")
	size=$(($(stat -c %s "$T/cache.db") + $(stat -c %s "$T/cache.db-wal" 2>/dev/null || echo 0)))
	# The bulk load's end: the wall figures of its log line (before "; cpu:"), added up.
	end_ms=$(sed -n 's/.*bulk load ended: //; s/; cpu:.*//p' "$T/sync.log" |
		awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s + 0 }')
	pages=$(calc %.2f "$wall - $end_ms / 1000")
	p50=$(pct 50 <"$T/read.$label"); p99=$(pct 99 <"$T/read.$label"); max=$(pct 100 <"$T/read.$label")
	printf '%-5s wall %7s s  cpu %7s s  rss %5.1f MB  pages %6s s  end %6.2f s  %5.0f B/order  reads %d (%d failed): p50 %s ms p99 %s ms max %s ms  load %s\n' \
		"$label" "$wall" "$cpu" "$(calc %.1f "$rss / 1024")" "$pages" \
		"$(calc %.2f "$end_ms / 1000")" "$(calc %.0f "$size / $N")" \
		"$(wc -l <"$T/read.$label")" "$(cat "$T/read.$label.failed" 2>/dev/null | wc -l)" \
		"$p50" "$p99" "$max" "$(load)"
	echo "      pages phase: $(sed -n 's/.*pages fetched and stored: [0-9]* changes, [0-9]* requests, //p' "$T/sync.log")"
	echo "      after the last page: $(sed -n 's/.*bulk load ended: //p' "$T/sync.log")"
	if [ -n "$CONSOLE" ]; then
		touch "$T/keys.$label" "$T/keys.$label.ext"
		# The key lines (the first is the first frame; none other than
		# keys'), those drawn by the sync's end and those after.
		awk -v n="$nend" 'NR > 1 && NR <= n && $1 != "other-frames" && $1 != "peak-rss" { print $3 }' \
			"$T/keys.$label" >"$T/keys.$label.us"
		awk -v n="$nend" 'NR > n && $1 != "other-frames" && $1 != "peak-rss" { print $3 }' \
			"$T/keys.$label" >"$T/keys.$label.idle"
		awk -v t="$kend" '$1 <= t { print $2 }' "$T/keys.$label.ext" >"$T/keys.$label.ext.us"
		awk -v t="$kend" '$1 > t { print $2 }' "$T/keys.$label.ext" >"$T/keys.$label.ext.idle"
		printf '      console during the sync: %d keys, %d stalled (no frame in 10 s); keystroke to frame\n' \
			"$(wc -l <"$T/keys.$label.us")" "$(cat "$T/keys.$label.stalled" 2>/dev/null | wc -l)"
		keyline "as the console times it" "$T/keys.$label.us" "$T/keys.$label.idle"
		keyline "seen from tmux (5 ms polls)" "$T/keys.$label.ext.us" "$T/keys.$label.ext.idle"
	fi
	echo "$label $wall $cpu $rss $size $pages $end_ms $p99" >>"$T/all"
}

echo "aims: wall <= 20 s at 1,000,000 orders, peak RSS <= 32 MB, <= 1500 bytes/order"
: >"$T/all"
for r in $(seq "$ROUNDS"); do
	[ -n "$BASE" ] && { run base "$BASE" || exit 1; }
	run new "$SHOPDESK" || exit 1
done
# The mean of each figure per build, and new / baseline.
awk -v n="$N" '
{ k = $1; c[k]++; for (i = 2; i <= 9; i++) s[k, i] += $i }
END {
	for (k in c) {
		printf "mean %-4s wall %.2f s, cpu %.2f s, rss %.1f MB, pages %.2f s, end %.2f s, %.0f B/order, reads p99 %.0f ms\n",
		    k, s[k, 2] / c[k], s[k, 3] / c[k], s[k, 4] / c[k] / 1024, s[k, 6] / c[k],
		    s[k, 7] / c[k] / 1000, s[k, 5] / c[k] / n, s[k, 8] / c[k]
	}
	if (c["base"] && c["new"])
		printf "ratio new/base: wall %.2f, cpu %.2f, rss %.2f, pages %.2f, end %.2f, bytes %.2f\n",
		    (s["new", 2] / c["new"]) / (s["base", 2] / c["base"]),
		    (s["new", 3] / c["new"]) / (s["base", 3] / c["base"]),
		    (s["new", 4] / c["new"]) / (s["base", 4] / c["base"]),
		    (s["new", 6] / c["new"]) / (s["base", 6] / c["base"]),
		    (s["new", 7] / c["new"]) / (s["base", 7] / c["base"]),
		    (s["new", 5] / c["new"]) / (s["base", 5] / c["base"])
}' "$T/all"
[ -n "$BASE" ] || echo "(no SHOPDESK_BASE: no baseline in this run)"
exit 0
