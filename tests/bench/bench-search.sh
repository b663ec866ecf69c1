#!/usr/bin/env bash
# bench-search.sh -- search over a cache of N orders (default 1,000,000):
# the first sync's time and the cache's size with the wide search index
# against a shopdesk from before it (the baseline, built from git in the same
# run), and the time each kind of query takes as an agent types it: in
# process (tests/bench/bench-query.c: the list's first page at each key,
# p50 and p99 per kind of query, against the previous shopdesk -- schema 14,
# before orders were numbered in list order -- built from git and timed on
# its own cache, the two alternately), go to anything in process (each
# text whole: six kinds counted up to 1000 and listed), in the CLI (a whole
# `LIST -q` / `find` run) and in the console (keystroke to frame, the list following
# each key). Prints figures against the aims; asserts nothing (benchmarks
# are not tests). Times are wall clock and CPU (user + system); the load
# average is printed with them.
#
#   make bench
#   BENCH_SEARCH_ORDERS=100000 sh tests/bench/bench-search.sh
#   BENCH_SEARCH_BASELINE=/path/to/old/shopdesk ...    # skip building it
#   BENCH_SEARCH_BASE_REV=REV ...                      # the commit to build it from
#   BENCH_SEARCH_PREV_REV=REV ...                      # the previous one (9d3e627)
#   BENCH_SEARCH_PREV_DIR=DIR ...     # a build of it there (shopdesk, libsdcore.a)
#   BENCH_SEARCH_ROUNDS=N ...         # typed N times each, in process (3)
#   BENCH_SEARCH_CONSOLE_BASELINE=/path/to/old/shopdesk ...  # its console typed too
set -u
top_builddir=${top_builddir:-$PWD}
top_srcdir=${top_srcdir:-$top_builddir}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
N=${BENCH_SEARCH_ORDERS:-1000000}
BASE=${BENCH_SEARCH_BASELINE:-}
# The last commit before search documents (schema 6).
REV=${BENCH_SEARCH_BASE_REV:-5f3aef2}
# The last commit before orders were numbered in list order (schema 14).
PREV_REV=${BENCH_SEARCH_PREV_REV:-9d3e627}
PREV_DIR=${BENCH_SEARCH_PREV_DIR:-}
ROUNDS=${BENCH_SEARCH_ROUNDS:-3}
BENCH_QUERY=${BENCH_QUERY:-$top_builddir/tests/bench/bench-query}
W=120
H=40
T=$(mktemp -d "${TMPDIR:-/tmp}/sdsbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL SHOPDESK_BENCH SHOPDESK_BENCH_T0
SOCK="sdsbench-$$"
STORE_PID=
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; [ -n "$STORE_PID" ] && { kill $STORE_PID 2>/dev/null; wait $STORE_PID 2>/dev/null; }; rm -rf "$T"' EXIT
[ -n "${BENCH_SEARCH_KEEP:-}" ] && trap 'tm kill-server 2>/dev/null; [ -n "$STORE_PID" ] && kill $STORE_PID 2>/dev/null; cp "$T/console" "$T/marks" "$BENCH_SEARCH_KEEP/" 2>/dev/null; rm -rf "$T"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# pct P: the P-th percentile (nearest rank) of the numbers on stdin.
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } i = int(p * NR / 100); if (i < p * NR / 100) i++; if (i < 1) i = 1; print v[i] }'; }

echo "== search benchmark: $N orders"
if [ -z "$BASE" ]; then
	if ! git -C "$top_srcdir" rev-parse -q --verify "$REV^{commit}" >/dev/null 2>&1; then
		echo "bench-search: no git history to build the baseline from (set BENCH_SEARCH_BASELINE)"
		BASE=none
	else
		echo "building the baseline shopdesk from $REV (before the wide index)..."
		mkdir -p "$T/base"
		git -C "$top_srcdir" archive "$REV" | tar -x -C "$T/base"
		(cd "$T/base" && autoreconf -fi && ./configure -q && make -j2 shopdesk) \
			>"$T/base.log" 2>&1 || { tail -20 "$T/base.log"; exit 1; }
		BASE=$T/base/shopdesk
	fi
fi

# The previous shopdesk, and bench-query.c built against its libsdcore.a.
PREV=none
PREV_QUERY=none
if [ -z "$PREV_DIR" ] && git -C "$top_srcdir" rev-parse -q --verify "$PREV_REV^{commit}" >/dev/null 2>&1; then
	echo "building the previous shopdesk from $PREV_REV (schema 14)..."
	PREV_DIR=$T/prev
	mkdir -p "$PREV_DIR"
	git -C "$top_srcdir" archive "$PREV_REV" | tar -x -C "$PREV_DIR"
	(cd "$PREV_DIR" && autoreconf -fi && ./configure -q && make -j2 shopdesk libsdcore.a) \
		>"$T/prev.log" 2>&1 || { tail -20 "$T/prev.log"; exit 1; }
fi
if [ -n "$PREV_DIR" ] && [ -x "$PREV_DIR/shopdesk" ]; then
	PREV=$PREV_DIR/shopdesk
	# Its include and link flags, from its own Makefile.
	flags=$(printf 'c:\n\t@echo $(AM_CFLAGS)\n' | make -s -C "$PREV_DIR" -f Makefile -f - c)
	libs=$(printf 'p:\n\t@echo $(CORE_LIBS)\n' | make -s -C "$PREV_DIR" -f Makefile -f - p)
	# shellcheck disable=SC2086
	(cd "$PREV_DIR" && ${CC:-cc} -O2 -I. -Isrc $flags -o "$T/bench-query-prev" \
		"$top_srcdir/tests/bench/bench-query.c" $libs) >>"$T/prev.log" 2>&1 &&
		PREV_QUERY=$T/bench-query-prev
fi

t0=$(now)
"$SHOPDESK_STORE" --port 0 --port-file "$T/port" --token-dir "$T/tokens" --seed 1 \
	--orders "$N" --now 2026-11-20T08:00:00Z --rate 0 --quiet 2>"$T/store.log" &
STORE_PID=$!
while [ ! -s "$T/port" ]; do sleep 0.1; kill -0 $STORE_PID 2>/dev/null || { cat "$T/store.log"; exit 1; }; done
echo "store seeded in $(secs "$t0" "$(now)") s"
URL="http://127.0.0.1:$(cat "$T/port")"
mkdir -p "$XDG_CONFIG_HOME/shopdesk"
{
	printf '[new]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$URL" "$T/tokens/admin.token" "$T/new.db"
	printf '[base]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$URL" "$T/tokens/admin.token" "$T/base.db"
	printf '[prev]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$URL" "$T/tokens/admin.token" "$T/prev.db"
} >"$XDG_CONFIG_HOME/shopdesk/config"
printf 'Authorization: Bearer %s\n' "$(cat "$T/tokens/admin.token")" >"$T/auth.h"
curl -s -o /dev/null -H @"$T/auth.h" "$URL/v1/changes?since=0&limit=5000"	# warm the store

size() { echo $(($(stat -c %s "$1") + $(stat -c %s "$1-wal" 2>/dev/null || echo 0))); }
fts() { sqlite3 "$1" "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'orders_fts%'" 2>/dev/null || echo 0; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# timer CMD...: CMD, its CPU seconds (user + system) in $T/cpu.time ("-"
# without GNU time).
timer() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$T/cpu.time" "$@"
	else
		echo - >"$T/cpu.time"
		"$@"
	fi
}
# sync BIN PROFILE: the first sync's seconds, wall clock and CPU (user + system).
first_sync() {
	local t0
	t0=$(now)
	timer "$1" --profile "$2" sync --quiet \
		>"$T/$2.sync" 2>&1 || { cat "$T/$2.sync"; exit 1; }
	echo "$(secs "$t0" "$(now)") $(awk '{ if (NF == 2) printf "%.1f", $1 + $2; else print "-" }' "$T/cpu.time")"
}
echo
echo "== first sync and cache size, the same store, one after the other (load $(load))"
if [ "$BASE" != none ]; then
	read -r base_s base_c <<<"$(first_sync "$BASE" base)"
	base_b=$(size "$T/base.db")
	base_f=$(fts "$T/base.db")
fi
if [ "$PREV" != none ]; then
	read -r prev_s prev_c <<<"$(first_sync "$PREV" prev)"
	prev_b=$(size "$T/prev.db")
	prev_f=$(fts "$T/prev.db")
fi
read -r new_s new_c <<<"$(first_sync "$SHOPDESK" new)"
new_b=$(size "$T/new.db")
new_f=$(fts "$T/new.db")
if [ "$BASE" != none ]; then
	printf '%-30s %8s s (CPU %6s s) %6s B/order  (orders index %s B/order)\n' \
		"baseline (schema 5)" "$base_s" "$base_c" "$(calc %.0f "$base_b / $N")" \
		"$(calc %.0f "$base_f / $N")"
fi
if [ "$PREV" != none ]; then
	printf '%-30s %8s s (CPU %6s s) %6s B/order  (orders index %s B/order)\n' \
		"previous (schema 14)" "$prev_s" "$prev_c" "$(calc %.0f "$prev_b / $N")" \
		"$(calc %.0f "$prev_f / $N")"
fi
printf '%-30s %8s s (CPU %6s s) %6s B/order  (orders index %s B/order)\n' \
	"wide search index (this)" "$new_s" "$new_c" "$(calc %.0f "$new_b / $N")" \
	"$(calc %.0f "$new_f / $N")"
if [ "$BASE" != none ]; then
	echo "ratio new/baseline             time $(calc %.2f "$new_s / $base_s") (aim <= 1.10)," \
		"CPU $(calc %.2f "$new_c / $base_c"), size $(calc %.2f "$new_b / $base_b") (aim <= 1.30)"
fi
if [ "$PREV" != none ]; then
	echo "ratio new/previous             time $(calc %.2f "$new_s / $prev_s")," \
		"CPU $(calc %.2f "$new_c / $prev_c"), size $(calc %.2f "$new_b / $prev_b")"
fi
echo "(load $(load))"
kill $STORE_PID 2>/dev/null
wait $STORE_PID 2>/dev/null
STORE_PID=

# The queries: values read from the cache (an order in the middle, shipped);
# the store is seeded as of a fixed time, so every run asks the same.
sd() { "$SHOPDESK" --profile new "$@"; }
jget() { printf '%s' "$1" >"$T/j.json"; sqlite3 :memory: "SELECT json_extract(readfile('$T/j.json'), '$2')"; }
mid=$(printf 'SO%08d' $((10000000 + N / 2)))
oid=$(sd orders list --status shipped --limit 400 --format csv 2>/dev/null | sed -n '300p' | cut -d, -f1)
[ -n "$oid" ] || oid=$mid
oj=$(sd orders show "$oid" --format json --reveal)
phone=$(jget "$oj" '$.address.phone')
track=$(jget "$oj" '$.shipment.tracking_no')
name=$(jget "$oj" '$.address.name')
dist=$(jget "$oj" '$.address.district')
line=$(jget "$oj" '$.address.line')
title=$(jget "$oj" '$.items[0].title')
sku=$(jget "$oj" '$.items[0].sku_id')
cust=$(jget "$oj" '$.customer_id')
tid=$(sd tickets list --limit 300 --format csv | sed -n 250p | cut -d, -f1)
tj=$(sd tickets show "$tid" --format json)
reason=$(jget "$tj" '$.reason')
cj=$(sd customers show "$cust" --format json --reveal)
cname=$(jget "$cj" '$.name')
sj=$(sd stock show "$sku" --format json)
bar=$(jget "$sj" '$.barcode')
ccity=$(jget "$cj" '$.city')
# An old order (a hundredth of the way in), and a tracking number with its carrier.
old=$(printf 'SO%08d' $((10000000 + N / 100 + 2345)))
sftrack=$(sd orders list --carrier SF --status shipped --limit 300 --format csv 2>/dev/null |
	sed -n 200p | cut -d, -f7)
[ -n "$sftrack" ] || sftrack=$track
# noun|label|text
cat >"$T/queries" <<EOF
orders|order number|$oid
orders|order number without prefix|${oid#SO}
orders|order number's last 4|${oid: -4}
orders|phone|$phone
orders|phone's last 4|${phone: -4}
orders|masked phone|${phone:0:3}****${phone: -4}
orders|tracking number|$track
orders|tracking without carrier|${track:2}
orders|tracking's last 5|${track: -5}
orders|recipient name|$name
orders|district|$dist
orders|street|${line:0:4}
orders|item title|${title%% *}
orders|SKU code|$sku
orders|order's customer id|$cust
orders|two terms|$dist ${name:0:1}
orders|old order number|$old
orders|staff note|请用顺丰
orders|tracking with carrier|$sftrack
tickets|ticket id|$tid
tickets|reason|$reason
tickets|kind in Chinese|退货退款
customers|customer name|$cname
customers|customer phone's last 4|${phone: -4}
customers|customer id|$cust
customers|customer city|$ccity
customers|customer level|gold
stock|barcode|$bar
chats|a message word|快递
promotions|promotion|满199
EOF

# In process: the previous shopdesk on its own cache and this one on its
# own, a round each in turn.
if [ -x "$BENCH_QUERY" ]; then
	echo
	echo "== in process: the list's first page (40 rows) at each key typed, $ROUNDS rounds each (load $(load))"
	: >"$T/kq.new"
	: >"$T/kq.prev"
	for r in $(seq "$ROUNDS"); do
		[ "$PREV_QUERY" != none ] && "$PREV_QUERY" "$T/prev.db" 1 40 <"$T/queries" >>"$T/kq.prev" 2>>"$T/kq.err"
		"$BENCH_QUERY" "$T/new.db" 1 40 <"$T/queries" >>"$T/kq.new" 2>>"$T/kq.err"
	done
	# col FILE LABEL N: column N (1 wall, 2 CPU microseconds) of LABEL's keys (all: "").
	col() { awk -v l="$2" -v c="$3" '{ x = $0; sub(/^[0-9]+ [0-9]+ /, "", x); if (x == l || l == "") print $c }' "$1"; }
	ms() { calc %.2f "$1 / 1000"; }
	printf '%-28s %5s  %17s  %17s  %17s\n' "" "" "previous (ms)" "this (ms)" "this CPU (ms)"
	printf '%-28s %5s  %8s %8s  %8s %8s  %8s %8s\n' "query" "keys" "p50" "p99" "p50" "p99" "p50" "p99"
	while IFS='|' read -r noun label text; do
		pp50=- pp99=-
		if [ -s "$T/kq.prev" ]; then
			pp50=$(ms "$(col "$T/kq.prev" "$label" 1 | pct 50)")
			pp99=$(ms "$(col "$T/kq.prev" "$label" 1 | pct 99)")
		fi
		printf '%-28s %5s  %8s %8s  %8s %8s  %8s %8s\n' "$label" \
			"$(col "$T/kq.new" "$label" 1 | wc -l)" "$pp50" "$pp99" \
			"$(ms "$(col "$T/kq.new" "$label" 1 | pct 50)")" \
			"$(ms "$(col "$T/kq.new" "$label" 1 | pct 99)")" \
			"$(ms "$(col "$T/kq.new" "$label" 2 | pct 50)")" \
			"$(ms "$(col "$T/kq.new" "$label" 2 | pct 99)")"
	done <"$T/queries"
	echo "all keys, this:     $(col "$T/kq.new" "" 1 | wc -l) keys, p50 $(ms "$(col "$T/kq.new" "" 1 | pct 50)") ms," \
		"p99 $(ms "$(col "$T/kq.new" "" 1 | pct 99)") ms (CPU p99 $(ms "$(col "$T/kq.new" "" 2 | pct 99)") ms)," \
		"max $(ms "$(col "$T/kq.new" "" 1 | pct 100)") ms (aim p99 <= 10 ms)"
	if [ -s "$T/kq.prev" ]; then
		echo "all keys, previous: $(col "$T/kq.prev" "" 1 | wc -l) keys, p50 $(ms "$(col "$T/kq.prev" "" 1 | pct 50)") ms," \
			"p99 $(ms "$(col "$T/kq.prev" "" 1 | pct 99)") ms (CPU p99 $(ms "$(col "$T/kq.prev" "" 2 | pct 99)") ms)," \
			"max $(ms "$(col "$T/kq.prev" "" 1 | pct 100)") ms"
	fi
	echo "(load $(load))"
	[ -s "$T/kq.err" ] && head -5 "$T/kq.err"

	# The go-to-anything prompt (:find, shopdesk find) with each text whole:
	# every kind counted up to 1000 and listed (8 rows), in process.
	echo
	echo "== in process: go to anything (six kinds, each counted up to 1000 and listed), $ROUNDS rounds (load $(load))"
	sed 's/^[^|]*|/find|/' "$T/queries" >"$T/finds"
	: >"$T/kf.new"
	for r in $(seq "$ROUNDS"); do
		"$BENCH_QUERY" "$T/new.db" 1 40 <"$T/finds" >>"$T/kf.new" 2>>"$T/kq.err"
	done
	printf '%-28s %8s %8s  %8s %8s\n' "text of" "p50 ms" "max ms" "CPU p50" "CPU max"
	while IFS='|' read -r noun label text; do
		printf '%-28s %8s %8s  %8s %8s\n' "$label" \
			"$(ms "$(col "$T/kf.new" "$label" 1 | pct 50)")" \
			"$(ms "$(col "$T/kf.new" "$label" 1 | pct 100)")" \
			"$(ms "$(col "$T/kf.new" "$label" 2 | pct 50)")" \
			"$(ms "$(col "$T/kf.new" "$label" 2 | pct 100)")"
	done <"$T/finds"
	echo "all finds: $(col "$T/kf.new" "" 1 | wc -l), p50 $(ms "$(col "$T/kf.new" "" 1 | pct 50)") ms," \
		"p99 $(ms "$(col "$T/kf.new" "" 1 | pct 99)") ms (CPU p50 $(ms "$(col "$T/kf.new" "" 2 | pct 50)")," \
		"p99 $(ms "$(col "$T/kf.new" "" 2 | pct 99)") ms) (load $(load))"
fi

echo
echo "== the CLI: one whole run (start, open the cache, first page of 50, exit) per query, 5 runs"
printf '%-28s %8s %8s\n' "query" "p50 ms" "max ms"
: >"$T/cli.all"
while IFS='|' read -r noun label text; do
	: >"$T/cli.one"
	for r in 1 2 3 4 5; do
		t0=$(date +%s%N)
		sd "$noun" list -q "$text" --limit 50 --format csv >/dev/null 2>&1
		echo $((($(date +%s%N) - t0) / 1000)) >>"$T/cli.one"
	done
	cat "$T/cli.one" >>"$T/cli.all"
	printf '%-28s %8s %8s   (%s)\n' "$label" "$(calc %.1f "$(pct 50 <"$T/cli.one") / 1000")" \
		"$(calc %.1f "$(pct 100 <"$T/cli.one") / 1000")" "$text"
done <"$T/queries"
: >"$T/find.all"
while IFS='|' read -r noun label text; do
	t0=$(date +%s%N)
	sd find "$text" >/dev/null 2>&1
	echo $((($(date +%s%N) - t0) / 1000)) >>"$T/find.all"
done <"$T/queries"
t0=$(date +%s%N)
for r in 1 2 3 4 5; do sd --version >/dev/null; done
start_us=$((($(date +%s%N) - t0) / 5000))
echo "all LIST -q runs: p50 $(calc %.1f "$(pct 50 <"$T/cli.all") / 1000") ms," \
	"p99 $(calc %.1f "$(pct 99 <"$T/cli.all") / 1000") ms (a bare 'shopdesk --version': $(calc %.1f "$start_us / 1000") ms)"
echo "find (six kinds, counts): p50 $(calc %.1f "$(pct 50 <"$T/find.all") / 1000") ms," \
	"p99 $(calc %.1f "$(pct 99 <"$T/find.all") / 1000") ms"

# The console, typing each query into / of its pane, a key at a time.
command -v tmux >/dev/null || { echo "bench-search: no tmux, no console figures"; exit 0; }
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }
waitn() {
	local i=0
	while [ "$(lines "$1")" -lt "$2" ] && [ $i -lt 4000 ]; do sleep 0.005; i=$((i + 1)); done
	[ $i -lt 4000 ]
}
key() {
	local f=$1 n
	shift
	n=$(lines "$f")
	tm send-keys "$@"
	waitn "$f" $((n + 1)) || echo "bench-search: no frame for key $*" >&2
}
# console BIN FILE MARKS: type every query into BIN's console, a key at a
# time; the per-key lines in FILE, each query's first and last line in MARKS.
console() {
	local bin=$1 F=$2 marks=$3 noun label text p start ch
	cat "$T/new.db"* >/dev/null 2>&1
	tm kill-server 2>/dev/null
	SOCK="sdsbench-$$-$RANDOM"
	tm new-session -d -x "$W" -y "$H" \
		"exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color SHOPDESK_BENCH=$F SHOPDESK_BENCH_T0=\$(date +%s%N) $bin --profile new 2>>$T/console.err"
	waitn "$F" 1 || { echo "bench-search: no first frame"; cat "$T/console.err"; exit 1; }
	: >"$marks"
	while IFS='|' read -r noun label text; do
		p=$(pane_of "$noun")
		[ -n "$p" ] || continue
		key "$F" "$p"
		key "$F" /
		start=$(lines "$F")
		# One character at a time, as typed.
		printf '%s' "$text" | perl -CS -ne 'print "$_\n" for split //' >"$T/chars"
		while IFS= read -r ch; do
			if [ "$ch" = " " ]; then key "$F" Space; else key "$F" -l -- "$ch"; fi
		done <"$T/chars"
		key "$F" Enter
		echo "$start $(lines "$F") $label" >>"$marks"
		key "$F" BSpace
	done <"$T/queries"
	tm send-keys q
	sleep 0.5
}
pane_of() { case $1 in orders) echo 2 ;; tickets) echo 3 ;; chats) echo 4 ;; stock) echo 5 ;; *) echo "" ;; esac; }
# keyed FILE MARKS: the search keys' micros.
keyed() {
	while read -r a b label; do
		awk -v a="$a" -v b="$b" 'NR > a && NR <= b && $2 == "search" { print $3 }' "$1"
	done <"$2"
}
# With BENCH_SEARCH_CONSOLE_BASELINE=BIN (a shopdesk built from an earlier
# commit), the same typing into its console, before and after ours, for a
# baseline measured in the same run.
CB=${BENCH_SEARCH_CONSOLE_BASELINE:-}
[ -n "$CB" ] && console "$CB" "$T/console.base1" "$T/marks.base1"
F=$T/console
console "$SHOPDESK" "$F" "$T/marks"
[ -n "$CB" ] && console "$CB" "$T/console.base2" "$T/marks.base2"
echo
echo "== the console: keystroke to frame while typing into / (the list re-searched at each key)"
printf '%-28s %5s  %8s %8s\n' "query" "keys" "p50 ms" "max ms"
: >"$T/con.all"
while read -r a b label; do
	awk -v a="$a" -v b="$b" 'NR > a && NR <= b && $2 == "search" { print $3 }' "$F" >"$T/con.one"
	cat "$T/con.one" >>"$T/con.all"
	printf '%-28s %5s  %8s %8s\n' "$label" "$(wc -l <"$T/con.one")" \
		"$(calc %.2f "$(pct 50 <"$T/con.one") / 1000")" "$(calc %.2f "$(pct 100 <"$T/con.one") / 1000")"
done <"$T/marks"
echo "all keys typed: $(wc -l <"$T/con.all"), p50 $(calc %.2f "$(pct 50 <"$T/con.all") / 1000") ms," \
	"p99 $(calc %.2f "$(pct 99 <"$T/con.all") / 1000") ms," \
	"max $(calc %.2f "$(pct 100 <"$T/con.all") / 1000") ms (aim p99 <= 10 ms)"
if [ -n "$CB" ]; then
	{ keyed "$T/console.base1" "$T/marks.base1"; keyed "$T/console.base2" "$T/marks.base2"; } >"$T/base.all"
	echo "baseline ($CB, typed before and after): $(wc -l <"$T/base.all") keys," \
		"p50 $(calc %.2f "$(pct 50 <"$T/base.all") / 1000") ms," \
		"p99 $(calc %.2f "$(pct 99 <"$T/base.all") / 1000") ms," \
		"max $(calc %.2f "$(pct 100 <"$T/base.all") / 1000") ms"
	echo "ratio ours/baseline: p50 $(calc %.2f "$(pct 50 <"$T/con.all") / $(pct 50 <"$T/base.all")")," \
		"p99 $(calc %.2f "$(pct 99 <"$T/con.all") / $(pct 99 <"$T/base.all")")"
fi
