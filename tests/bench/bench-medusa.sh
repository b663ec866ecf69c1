#!/usr/bin/env bash
# bench-medusa.sh -- the medusa backend against a real Medusa v2 server with N orders
# (10,000 by default, copied in SQL by tests/medusa/seed-bulk.sh): a first sync and a
# sync with nothing new, each against curl fetching the very same requests (replayed
# from shopdesk's log, one curl process, keep-alive) from the same server in the same
# run. Prints figures and ratios; asserts nothing (benchmarks are not tests). Skipped,
# saying why, where Medusa cannot run.
#
#   make bench                    # includes this
#   BENCH_MEDUSA_ORDERS=2000 bash tests/bench/bench-medusa.sh
set -u
top_srcdir=${top_srcdir:-$PWD}
top_builddir=${top_builddir:-$PWD}
export SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
N=${BENCH_MEDUSA_ORDERS:-10000}
. "$top_srcdir/tests/integration/lib.sh"
. "$top_srcdir/tests/integration/medusa-lib.sh"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "== medusa benchmark: $N orders"
t0=$(now)
medusa_up	# prints "1..0 # SKIP why" and exits where Medusa cannot run
medusa_bulk "$N" || exit 1
echo "store up and seeded in $(secs "$t0" "$(now)") s"
medusa_profile b
PROFILE=b
printf 'Authorization: Basic %s\n' "$MEDUSA_SECRET_KEY" >"$T/auth.h"
chmod 600 "$T/auth.h"

# curl_replay LOG: fetch every GET shopdesk logged, in order, in one curl (keep-alive).
curl_replay() {
	sed -n 's/^.*\] medusa GET \(.*\) -> 200 (ok)$/\1/p' "$1" | while IFS= read -r p; do
		printf 'url = "%s%s"\noutput = /dev/null\n' "$MEDUSA_URL" "$p"
	done >"$T/curl.cfg"
	grep -c '^url' "$T/curl.cfg" >"$T/curl.n"
	curl -s -g --compressed -H @"$T/auth.h" -K "$T/curl.cfg"
}

# Warm Medusa and PostgreSQL with one pass first, so both runs meet the same caches.
SHOPDESK_LOG="$T/warm.log" sd sync --format json >/dev/null 2>&1
rm -f "$T/b.db"*

t0=$(now)
SHOPDESK_LOG="$T/first.log" sd sync --format json >"$T/first.json" 2>"$T/first.err" ||
	{ cat "$T/first.err"; exit 1; }
t_sd=$(secs "$t0" "$(now)")
t0=$(now)
curl_replay "$T/first.log"
t_curl=$(secs "$t0" "$(now)")
j=$(cat "$T/first.json")
echo "first sync:     shopdesk $t_sd s, $(mjson j.changes "$j") objects, $(mjson j.requests "$j") requests, $(mjson j.bytes "$j") bytes, RSS $(mjson j.max_rss_kb "$j") KB"
echo "                curl, the same $(cat "$T/curl.n") requests: $t_curl s   ratio shopdesk/curl $(ratio "$t_sd" "$t_curl")"

t0=$(now)
SHOPDESK_LOG="$T/again.log" sd sync --format json >"$T/again.json" 2>"$T/again.err" ||
	{ cat "$T/again.err"; exit 1; }
t_sd=$(secs "$t0" "$(now)")
t0=$(now)
curl_replay "$T/again.log"
t_curl=$(secs "$t0" "$(now)")
j=$(cat "$T/again.json")
echo "no-change sync: shopdesk $t_sd s, $(mjson j.changes "$j") objects, $(mjson j.requests "$j") requests, $(mjson j.bytes "$j") bytes"
echo "                curl, the same $(cat "$T/curl.n") requests: $t_curl s   ratio shopdesk/curl $(ratio "$t_sd" "$t_curl")"
