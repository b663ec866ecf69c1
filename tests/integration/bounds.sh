#!/usr/bin/env bash
# bounds.sh -- a slow or hostile store costs the client at most the documented
# time and memory (shopdesk(1), BOUNDS): an answer over 64 MiB, a store that
# never answers, 10,000 header lines; and the client's own input bounds.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 2 --orders 80
profile admin "timeout = 2"
PROFILE=admin
sd sync >/dev/null 2>&1
ok $? "a first sync, before the store turns hostile"
d0=$(sd cache digest)

# measure CMD...: run a command, print "EXIT SECONDS PEAK_RSS_KB" (GNU time).
measure() {
	local t0 t1 rc
	t0=$(date +%s%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$T/rss" "$@" >"$T/o" 2>"$T/e"
	else
		"$@" >"$T/o" 2>"$T/e"
		echo 0 >"$T/rss"
	fi
	rc=$?
	t1=$(date +%s%N)
	printf '%s %s %s\n' "$rc" "$(((t1 - t0) / 1000000000))" "$(tail -1 "$T/rss")"
}

fault() { api admin PUT /_control/faults "$1" >/dev/null; }

# Memory figures mean nothing under AddressSanitizer (its shadow and quarantine):
# there the two memory checks are reported as skipped, not passed.
asan=
if command -v ldd >/dev/null && ldd "$SHOPDESK" 2>/dev/null | grep -q libasan; then
	asan=1
fi
# mem_ok KB LIMIT DESCRIPTION
mem_ok() {
	if [ -n "$asan" ]; then
		tap_n=$((tap_n + 1))
		echo "ok $tap_n - $3 # SKIP built with AddressSanitizer"
	else
		ok "$([ "$1" -lt "$2" ] && echo 0 || echo 1)" "$3"
	fi
}

# ---- an answer larger than 64 MiB ----------------------------------------------
fault huge=1
read -r rc secs kb < <(measure "$SHOPDESK" --profile admin sync)
fault none
is "$rc" 7 "an answer of 128 MiB is the store's fault (exit 7)"
ok "$(grep -q 'larger than 64 MiB; nothing of it was kept' "$T/e" && echo 0 || echo 1)" "saying so: $(head -1 "$T/e")"
mem_ok "$kb" $((64 * 1024 + 48 * 1024)) "it cost at most 64 MiB and the program's own ($kb KB peak)"
is "$(sd cache digest)" "$d0" "the cache is as it was"

# ---- a store that never answers -------------------------------------------------
fault hang=1
read -r rc secs kb < <(measure "$SHOPDESK" --profile admin sync)
fault none
is "$rc" 6 "a store that never answers: unreachable (exit 6)"
ok "$(grep -q 'timed out' "$T/e" && echo 0 || echo 1)" "timed out: $(head -1 "$T/e")"
# The documented bound: 6 attempts of 'timeout' seconds each, and the backoff between (< 7 s).
ok "$([ "$secs" -ge 2 ] && [ "$secs" -le $((6 * 2 + 7 + 3)) ] && echo 0 || echo 1)" \
	"it gave up within 6 x timeout + backoff ($secs s with timeout = 2)"
is "$(sd cache digest)" "$d0" "the cache is as it was"

# ---- 10,000 header lines ----------------------------------------------------------
fault headers=1
read -r rc secs kb < <(measure "$SHOPDESK" --profile admin sync)
fault none
ok "$([ "$rc" = 6 ] && grep -q 'Too large response headers' "$T/e" && echo 0 || echo 1)" \
	"10,000 header lines (380 KB) are refused past 300 KB (exit $rc): $(head -1 "$T/e")"
mem_ok "$kb" 60000 "and cost no memory to speak of ($kb KB peak)"

# ---- a write's answer lost to a hang: still exactly once ----------------------------
sd orders list --limit 1 --format json >"$T/l.json"
oid=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/l.json'), '\$[0].id');")
fault hang=1
sd orders note "$oid" --text "through a hang" >/dev/null 2>&1
fault none
sd sync >/dev/null 2>&1
ok $? "after the hang the note is sent"
api admin GET /_control/ledger | head -1 >"$T/led.json"
applied=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/led.json'), '\$.applied');")
is "$applied" 1 "and applied once"

# ---- the client's own input bounds -------------------------------------------------
head -c $((65 * 1024)) /dev/zero | tr '\0' 'a' >"$T/big.txt"
sd chats send CV100001 --body - <"$T/big.txt" >/dev/null 2>"$T/e"
rc=$?
ok "$([ "$rc" = 2 ] && grep -q 'at most 64 KiB' "$T/e" && echo 0 || echo 1)" "a chat message over 64 KiB on stdin is refused (exit $rc): $(head -c 150 "$T/e")"
long=$(head -c 2001 /dev/zero | tr '\0' 'x')
sd chats send CV100001 --body "$long" >/dev/null 2>"$T/e"
rc=$?
ok "$([ "$rc" = 2 ] && grep -q 'at most 2000 characters (it is 2001)' "$T/e" && echo 0 || echo 1)" \
	"a chat message of 2001 characters is refused, saying its length (exit $rc): $(head -c 150 "$T/e")"
truncate -s 65M "$T/big.csv"
sd orders ship --from-csv "$T/big.csv" >/dev/null 2>"$T/e"
rc=$?
ok "$([ "$rc" != 0 ] && grep -q 'larger than 64 MB' "$T/e" && echo 0 || echo 1)" \
	"a CSV file over 64 MB is refused (exit $rc): $(head -c 150 "$T/e")"

done_testing
