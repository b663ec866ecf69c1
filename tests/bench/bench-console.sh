#!/usr/bin/env bash
# bench-console.sh -- the console over a cache of N orders (default 1,000,000):
# time to the first full frame, keystroke-to-frame p50/p99 for scrolling,
# paging (near the top and a million rows down), jumps, pane switches and
# search, with no network, again while a sync runs, and during the console's
# own first sync into an empty cache (its list growing, then its indexes
# built: the keys go on until it ends), peak RSS, and the
# bytes sent to the terminal per one-line scroll and per pane switch.
# Prints figures against the aims; asserts nothing (benchmarks are not tests).
#
#   make bench
#   BENCH_CONSOLE_ORDERS=100000 sh tests/bench/bench-console.sh
#   BENCH_CONSOLE_KEEP=DIR ...          # keep the raw per-key lines in DIR
#
# The console runs in a private tmux server (a real terminal, W x H). With
# SHOPDESK_BENCH=FILE (ui/app.c) it paints once per key and writes one line
# per key to FILE: "key kind micros bytes rowbytes sel top pane", micros from
# the key being readable to the frame sent (doupdate), bytes what that frame
# wrote to the terminal; plus the first frame (timed from SHOPDESK_BENCH_T0,
# taken just before exec) and the peak RSS at exit. Keys are sent one at a
# time: the next when the console has noted the last, so none wait in a queue.
set -u
top_builddir=${top_builddir:-$PWD}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
N=${BENCH_CONSOLE_ORDERS:-1000000}
W=${BENCH_CONSOLE_COLS:-160}
H=${BENCH_CONSOLE_ROWS:-48}
FIRST_RUNS=${BENCH_CONSOLE_FIRST_RUNS:-5}
command -v tmux >/dev/null || { echo "bench-console: needs tmux"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/sdcbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL SHOPDESK_BENCH SHOPDESK_BENCH_T0
SOCK="sdcbench-$$"
STORE_PID=
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; [ -n "$STORE_PID" ] && { kill $STORE_PID 2>/dev/null; wait $STORE_PID 2>/dev/null; }; rm -rf "$T"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "== console benchmark: $N orders, a ${W}x${H} terminal (seeding the store...)"
t0=$(now)
# --live: customers keep placing and paying orders, so a console pointed at
# this store has a sync running the whole time.
"$SHOPDESK_STORE" --port 0 --port-file "$T/port" --token-dir "$T/tokens" --seed 1 \
	--orders "$N" --live 50 --rate 0 --quiet 2>"$T/store.log" &
STORE_PID=$!
while [ ! -s "$T/port" ]; do sleep 0.1; kill -0 $STORE_PID 2>/dev/null || { cat "$T/store.log"; exit 1; }; done
echo "store seeded in $(secs "$t0" "$(now)") s"
CACHE="$T/cache.db"
mkdir -p "$XDG_CONFIG_HOME/shopdesk"
printf 'profile = b\n[b]\nurl = http://127.0.0.1:%s\ntoken-file = %s\ncache = %s\n' \
	"$(cat "$T/port")" "$T/tokens/admin.token" "$CACHE" >"$XDG_CONFIG_HOME/shopdesk/config"

warm() { cat "$CACHE"* >/dev/null 2>&1; }

# start PROFILE FILE: the console in a fresh tmux server, benchmark hooks on.
start() {
	tm kill-server 2>/dev/null
	SOCK="sdcbench-$$-$RANDOM"
	tm new-session -d -x "$W" -y "$H" \
		"exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color SHOPDESK_BENCH=$2 SHOPDESK_BENCH_T0=\$(date +%s%N) $SHOPDESK --profile $1 2>>$T/console.err"
}

# lines FILE: how many lines the console has written.
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

# waitn FILE N: until FILE has N lines (10 s at most).
waitn() {
	local i=0
	while [ "$(lines "$1")" -lt "$2" ] && [ $i -lt 2000 ]; do sleep 0.005; i=$((i + 1)); done
	[ $i -lt 2000 ]
}

# key FILE ARGS...: send one key (tmux send-keys ARGS) and wait for its line;
# the time from send-keys to that line as seen from here (microseconds,
# polled every 5 ms) in FILE.ext: it also counts any time the console took
# to read the key.
key() {
	local f=$1 n a
	shift
	n=$(lines "$f")
	a=$(date +%s%N)
	tm send-keys "$@"
	waitn "$f" $((n + 1)) || echo "bench-console: no frame for key $* ($f)" >&2
	echo $((($(date +%s%N) - a) / 1000)) >>"$f.ext"
}

# quit FILE: q, and wait for the console to write its last lines and exit.
quit() {
	local i=0
	tm send-keys q
	while ! grep -q '^peak-rss' "$1" 2>/dev/null && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
}

# script PROFILE FILE: the scripted session.
script() {
	local f=$2 i
	start "$1" "$f"
	waitn "$f" 1 || { echo "bench-console: no first frame"; cat "$T/console.err"; return 1; }
	key "$f" 2				# the orders pane
	for i in $(seq 200); do key "$f" j; done
	key "$f" v				# the detail hidden: the list alone
	for i in $(seq 60); do key "$f" j; done
	key "$f" v
	for i in $(seq 50); do key "$f" NPage; done
	key "$f" G
	for i in $(seq 20); do key "$f" PPage; done	# a million rows down
	key "$f" g; key "$f" g
	for i in $(seq 20); do key "$f" ']'; done
	key "$f" 2
	for i in $(seq 10); do
		key "$f" /
		key "$f" -l 张
		key "$f" Enter
	done
	quit "$f"
}

# loaded: whether the console's first sync has ended (its bulk load done).
loaded() {
	# (A wait for locks: the console checkpoints its cache as it quits.)
	[ "$(sqlite3 -cmd '.timeout 5000' "$CACHE" "SELECT (SELECT count(*) FROM sync_state WHERE key = 'bulk') = 0
	    AND (SELECT count(*) FROM orders) > 0" 2>/dev/null)" = 1 ]
}

# firstsync FILE: the console on an empty cache, its sync thread loading it;
# rounds of keys (scroll, page, jump, search) until the load has ended.
firstsync() {
	local f=$1 i=0 k
	start b "$f"
	waitn "$f" 1 || { echo "bench-console: no first frame"; cat "$T/console.err"; return 1; }
	key "$f" 2
	while [ $i -lt 5000 ]; do
		for k in j j j j j j j j j j; do key "$f" $k; done
		key "$f" NPage; key "$f" g; key "$f" g
		key "$f" /; key "$f" -l 张; key "$f" Enter
		i=$((i + 1))
		loaded && break
	done
	quit "$f"
	echo "$i" >"$T/first-rounds"
}

# The console's own first sync, keys sent all along.
t0=$(now)
firstsync "$T/loading" || exit 1
t1=$(now)
loaded || { echo "bench-console: the console's first sync did not end"; cat "$T/console.err"; exit 1; }
echo "the console's first sync took $(secs "$t0" "$t1") s under $(cat "$T/first-rounds") rounds of keys" \
	"($(du -m "$CACHE" | cut -f1) MB)"
# Then a sync from the CLI (the store is live: there is news).
t0=$(now)
"$SHOPDESK" sync >"$T/sync.out" 2>&1 || { cat "$T/sync.out"; exit 1; }
echo "then a sync in $(secs "$t0" "$(now)") s: $(cut -c1-60 "$T/sync.out")"

# While a sync runs: the store is up and live, the console's syncer pulls.
warm
script b "$T/live" || exit 1
# No network: the store is gone, so the syncer runs against a closed port
# (connection refused, backing off) -- and the UI must not wait for it.
kill $STORE_PID 2>/dev/null
wait $STORE_PID 2>/dev/null
STORE_PID=
warm
# The first frame, FIRST_RUNS times.
: >"$T/first.all"
for r in $(seq "$FIRST_RUNS"); do
	warm
	start b "$T/first.$r"
	waitn "$T/first.$r" 1 || { echo "bench-console: no first frame"; cat "$T/console.err"; exit 1; }
	quit "$T/first.$r"
	grep '^first-frame' "$T/first.$r" >>"$T/first.all"
done
warm
script b "$T/off" || exit 1
tm kill-server 2>/dev/null

# classify FILE: "class micros bytes rowbytes topmoved" per key line.
classify() {
	awk '
	NR == 1 { top = $7; hidden = 0; next }
	$1 == "other-frames" || $1 == "peak-rss" { next }
	{
		c = ""
		if ($2 == "search") c = ($1 == "/" ? "search-open" : $1 == "<Enter>" ? "search-enter" : "search-key")
		else if ($1 == "v") { c = "other"; hidden = !hidden }
		else if ($1 == "j") c = (hidden ? "scroll-list" : "scroll")
		else if ($1 == "<PgDn>") c = "page-top"
		else if ($1 == "<PgUp>") c = "page-deep"
		else if ($1 == "G" || $1 == "g") c = "jump"
		else if ($1 == "]" || $1 ~ /^[0-9]$/) c = "pane"
		else c = "other"
		print c, $3, $4, $5, ($7 != top ? 1 : 0)
		top = $7
	}' "$1"
}

# pct P: the P-th percentile (nearest rank) of the numbers on stdin.
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(p * NR / 100); if (i < p * NR / 100) i++; if (i < 1) i = 1; print v[i] }'; }
ms() { awk -v u="$1" 'BEGIN { if (u == "-") print "-"; else printf "%.2f", u / 1000 }'; }

# row REGEX FILE LABEL AIM_P50 AIM_P99 (ms): the keys of the classes matching REGEX
row() {
	local p50 p99 n max
	classify "$2" | awk -v c="$1" '$1 ~ c { print $2 }' >"$T/sel"
	n=$(wc -l <"$T/sel")
	p50=$(pct 50 <"$T/sel"); p99=$(pct 99 <"$T/sel"); max=$(pct 100 <"$T/sel")
	printf '%-34s %5s  p50 %7s ms  p99 %7s ms  max %7s ms   aim p50 <= %s, p99 <= %s\n' \
		"$3" "$n" "$(ms "$p50")" "$(ms "$p99")" "$(ms "$max")" "$4" "$5"
}

echo
echo "== first full frame (process start -> first doupdate), no network, warm page cache"
awk '{ print $3 }' "$T/first.all" >"$T/sel"
printf '%-34s %5s  p50 %7s ms  max %7s ms   aim <= 50 ms\n' "first frame" "$FIRST_RUNS" \
	"$(ms "$(pct 50 <"$T/sel")")" "$(ms "$(pct 100 <"$T/sel")")"
printf '%-34s %s bytes\n' "first frame written" "$(awk '{ print $4; exit }' "$T/first.all")"

for f in off live loading; do
	echo
	if [ $f = off ]; then
		echo "== keystroke to frame, no network (key readable -> doupdate done)"
	elif [ $f = live ]; then
		echo "== keystroke to frame while a sync runs (store --live 50)"
	else
		echo "== keystroke to frame during the console's first sync (the rows below 'page' are"
		echo "   near the top; a search reads each row loaded until the full-text index is built)"
	fi
	row '^scroll$' "$T/$f" "scroll (j), detail beside" 2 16
	row '^scroll-list$' "$T/$f" "scroll (j), list alone (v)" 2 16
	row '^page-top$' "$T/$f" "page (PgDn, rows 0-2500)" 2 16
	row '^page-deep$' "$T/$f" "page (PgUp, ~$N rows down)" 2 16
	row '^jump$' "$T/$f" "jump (G, gg)" 2 16
	row '^pane$' "$T/$f" "pane switch (], 2)" 2 16
	row '^search-key$' "$T/$f" "search: typing 张" 2 10
	row '^search' "$T/$f" "search: /, 张, Enter" 2 10
	if [ -s "$T/$f.ext" ]; then
		printf '%-34s %5s  p50 %7s ms  p99 %7s ms  max %7s ms   (send-keys to frame, seen from tmux)\n' \
			"every key, seen from outside" "$(wc -l <"$T/$f.ext")" "$(ms "$(pct 50 <"$T/$f.ext")")" \
			"$(ms "$(pct 99 <"$T/$f.ext")")" "$(ms "$(pct 100 <"$T/$f.ext")")"
	fi
	echo "frames not caused by a key (sync news, clock): $(awk '$1 == "other-frames" { print $3 }' "$T/$f")"
	echo "peak RSS                           $(awk '$1 == "peak-rss" { printf "%.1f", $3 / 1024 }' "$T/$f") MB   (aim <= 32 MB)"
done

echo
echo "== bytes written to the terminal (no network run)"
# scrolls CLASS LABEL: the j keys of CLASS that moved the list by a row.
scrolls() {
	classify "$T/off" | awk -v c="$1" '$1 == c && $5 == 1 { print $3, $4 }' >"$T/scroll"
	[ -s "$T/scroll" ] || return 0
	awk -v n="$(wc -l <"$T/scroll")" -v l="$2" '
	{ b += $1; r += $2; if ($1 > mx) mx = $1; if ($1 > 1.5 * $2 + 64) over++ }
	END {
		printf "%-35s %d keys: mean %.0f bytes, max %d; a row is %.0f bytes; aim <= 1.5 x row + 64 = %.0f; over the aim: %d\n",
		    l, n, b / n, mx, r / n, 1.5 * r / n + 64, over + 0
	}' "$T/scroll"
}
scrolls scroll-list "one-line scroll, list alone (v)"
scrolls scroll "one-line scroll, detail beside"
echo "  (the detail beside follows in a frame of its own once the selection rests $(awk '/^#define APP_DETAIL_SETTLE_MS/ { print $3; exit }' "${top_srcdir:-.}/ui/app.h" 2>/dev/null) ms;"
echo "   keys here come faster, so those frames are among the frames not caused by a key)"
classify "$T/off" | awk '$1 == "scroll" && $5 == 0 { print $3 }' >"$T/move"
[ -s "$T/move" ] && awk '{ b += $1 } END { printf "cursor move (j, no scroll)           %d keys: mean %.0f bytes\n", NR, b / NR }' "$T/move"
classify "$T/off" | awk '$1 == "pane" { print $3 }' >"$T/sel"
awk '{ b += $1; if ($1 > mx) mx = $1 } END { printf "pane switch                         %d keys: mean %.0f bytes, max %d (a full %dx%d screen is %d cells)\n", NR, b / NR, mx, w, h, w * h }' \
	w="$W" h="$H" "$T/sel"
classify "$T/off" | awk '$1 == "page-top" || $1 == "page-deep" { print $3 }' >"$T/sel"
awk '{ b += $1 } END { printf "page                                %d keys: mean %.0f bytes\n", NR, b / NR }' "$T/sel"
if [ -n "${BENCH_CONSOLE_KEEP:-}" ]; then
	mkdir -p "$BENCH_CONSOLE_KEEP" && cp "$T/first.all" "$T/off" "$T/live" "$T/loading" "$BENCH_CONSOLE_KEEP/"
	echo "raw per-key lines kept in $BENCH_CONSOLE_KEEP"
fi
exit 0
