#!/usr/bin/env bash
# bench-sync.sh -- sync N orders from the reference store and compare with
# downloading the very same pages with curl to /dev/null, in the same run.
# Prints figures and ratios; asserts nothing (benchmarks are not tests).
#
#   make bench                      # 100,000 orders
#   BENCH_ORDERS=20000 make bench
set -u
top_builddir=${top_builddir:-$PWD}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
N=${BENCH_ORDERS:-100000}
T=$(mktemp -d "${TMPDIR:-/tmp}/sdbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL
trap 'kill $STORE_PID 2>/dev/null; wait $STORE_PID 2>/dev/null; rm -rf "$T"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

echo "== sync benchmark: $N orders (seeding the store...)"
t0=$(now)
"$SHOPDESK_STORE" --port 0 --port-file "$T/port" --token-dir "$T/tokens" --seed 1 \
	--orders "$N" --quiet 2>"$T/store.log" &
STORE_PID=$!
while [ ! -s "$T/port" ]; do sleep 0.1; kill -0 $STORE_PID || { cat "$T/store.log"; exit 1; }; done
URL="http://127.0.0.1:$(cat "$T/port")"
echo "store seeded in $(secs "$t0" "$(now)") s"
mkdir -p "$XDG_CONFIG_HOME/shopdesk"
printf 'profile = b\n[b]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$URL" \
	"$T/tokens/admin.token" "$T/cache.db" >"$XDG_CONFIG_HOME/shopdesk/config"
printf 'Authorization: Bearer %s\n' "$(cat "$T/tokens/admin.token")" >"$T/auth.h"

# Warm the store's page cache with one pass first, so both runs see the same store.
curl -s -o /dev/null -H @"$T/auth.h" "$URL/v1/changes?since=0&limit=5000"

t0=$(now)
SHOPDESK_LOG="$T/sync.log" "$SHOPDESK" sync --format json >"$T/sync.json" 2>"$T/sync.err" ||
	{ cat "$T/sync.err"; exit 1; }
t1=$(now)
sync_s=$(secs "$t0" "$t1")

# The same pages, fetched by curl in one process (one connection) to /dev/null,
# compressed as shopdesk asks for them.
grep -o 'GET /v1/changes?[^ ]*' "$T/sync.log" | sed 's/^GET //' |
	while read -r p; do printf 'url = "%s%s"\noutput = "/dev/null"\n' "$URL" "$p"; done >"$T/curl.cfg"
pages=$(grep -c '^url' "$T/curl.cfg")
t0=$(now)
curl -s --compressed -H @"$T/auth.h" -K "$T/curl.cfg"
t1=$(now)
curl_s=$(secs "$t0" "$t1")

changes=$(sed -n 's/.*"changes":\([0-9]*\).*/\1/p' "$T/sync.json")
rss=$(sed -n 's/.*"max_rss_kb":\([0-9]*\).*/\1/p' "$T/sync.json")
bytes=$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' "$T/sync.json")
echo "pages                 $pages ($(calc %.1f "$bytes / 1048576") MiB)"
echo "shopdesk sync         ${sync_s} s  ($(calc %.0f "$changes / $sync_s") changes/s, $(calc %.0f "$N / $sync_s") orders/s)"
echo "curl, same pages      ${curl_s} s"
echo "ratio sync/curl       $(calc %.2f "$sync_s / $curl_s")   (aim <= 1.10)"
# The work after the last page (indexes, full text, day figures), from the sync's log.
echo "after the last page   $(sed -n 's/.*bulk load ended: //p' "$T/sync.log")"
# What the cache costs on disk per order (database and WAL, every kind),
# against the JSON of the pages per order, decoded, from the same run.
size=$(($(stat -c %s "$T/cache.db") + $(stat -c %s "$T/cache.db-wal" 2>/dev/null || echo 0)))
echo "cache on disk         $(calc %.0f "$size / $N") bytes/order   (aim <= 1500; the pages' JSON: $(calc %.0f "$bytes / $N") bytes/order, ratio $(calc %.2f "$size / $bytes"))"
out=$("$SHOPDESK" sync)
echo "second sync           $out"
# The baseline of the peak RSS, from the same run: a sync with nothing to fetch
# (the same binary, libraries and cache opened; what the first sync adds is
# the difference).
"$SHOPDESK" sync --format json >"$T/sync2.json" 2>/dev/null
rss0=$(sed -n 's/.*"max_rss_kb":\([0-9]*\).*/\1/p' "$T/sync2.json")
echo "peak RSS of sync      $(calc %.1f "$rss / 1024") MB   (aim <= 32 MB; a sync with nothing to fetch: $(calc %.1f "$rss0 / 1024") MB, ratio $(calc %.2f "$rss / $rss0"))"
