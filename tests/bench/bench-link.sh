#!/usr/bin/env bash
# bench-link.sh -- the first sync of N orders over an emulated link: the
# store's latency= and bandwidth= faults (shopdesk-store(1)) make it answer
# as if over 100 Mbit/s and then 10 Mbit/s, with 30 ms a request both times.
# Each sync is compared with curl --compressed fetching the very same pages
# (the URLs shopdesk requested, from its log) in one process over one
# keep-alive connection, over the same link, in the same run. Prints
# seconds (wall, and CPU time: user + sys, of shopdesk and of curl), bytes
# on the wire (headers and bodies as sent), bytes per order and the ratio
# shopdesk/curl, with the load average; and the sync's pages phase (its
# log's "pages fetched and stored": wall and CPU time before the bulk
# load's end) against curl; asserts nothing (benchmarks are not tests).
#
#   make bench                           # 100,000 orders
#   BENCH_LINK_ORDERS=20000 make bench
#   SHOPDESK_BASE=/tmp/base/shopdesk ... # and a baseline build's sync over each link
set -u
top_builddir=${top_builddir:-$PWD}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
N=${BENCH_LINK_ORDERS:-100000}
T=$(mktemp -d "${TMPDIR:-/tmp}/sdbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL
trap 'kill $STORE_PID 2>/dev/null; wait $STORE_PID 2>/dev/null; rm -rf "$T"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

echo "== link benchmark: first sync of $N orders over an emulated link (seeding the store...)"
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

# set_link SPEC: the store's fault spec, i.e. the link every answer crosses.
set_link() {
	curl -s -o /dev/null -X PUT -H @"$T/auth.h" --data "$1" "$URL/_control/faults"
}

# Warm the store's page cache with one pass first, so both runs see the same store.
curl -s -o /dev/null -H @"$T/auth.h" "$URL/v1/changes?since=0&limit=5000"

# cpu FILE: the user + sys seconds /usr/bin/time wrote to FILE.
cpu() { awk '{ printf "%.2f", $1 + $2 }' "$1"; }

# pages: "W s (cpu C s)", the wall and CPU time of the last sync's pages
# phase (fetched, parsed and stored, before the bulk load's end), from its log.
pages() {
	sed -n 's/.*pages fetched and stored: .* \([0-9]*\) ms, cpu \([0-9]*\) ms.*/\1 \2/p' \
		"$T/sync.log" | awk '{ printf "%.3f s (cpu %.2f s)", $1 / 1000, $2 / 1000 }'
}

# first BIN: a first sync (empty cache) by BIN over the link set; its
# seconds (its CPU time in $T/time).
first() {
	local t0
	rm -f "$T/cache.db" "$T/cache.db-wal" "$T/cache.db-shm" "$T/sync.log"
	t0=$(now)
	SHOPDESK_LOG="$T/sync.log" /usr/bin/time -f '%U %S' -o "$T/time" \
		"$1" sync --format json >"$T/sync.json" 2>"$T/sync.err" ||
		{ cat "$T/sync.err" >&2; return 1; }
	secs "$t0" "$(now)"
}

# link SPEC: a first sync (empty cache) over SPEC, then curl over the same;
# with SHOPDESK_BASE, the baseline build's first sync over it too, before.
link() {
	local spec=$1 sync_s curl_s pages wire bytes cwire base_s= base_cpu= sync_cpu curl_cpu
	local sync_pages base_pages=
	set_link "$spec"
	if [ -n "${SHOPDESK_BASE:-}" ]; then
		base_s=$(first "$SHOPDESK_BASE") || { set_link none; return 1; }
		base_cpu=$(cpu "$T/time")
		base_pages=$(pages)
	fi
	sync_s=$(first "$SHOPDESK") || { set_link none; return 1; }
	sync_cpu=$(cpu "$T/time")
	sync_pages=$(pages)

	grep -o 'GET /v1/changes?[^ ]*' "$T/sync.log" | sed 's/^GET //' |
		while read -r p; do printf 'url = "%s%s"\noutput = "/dev/null"\n' "$URL" "$p"; done \
		>"$T/curl.cfg"
	pages=$(grep -c '^url' "$T/curl.cfg")
	t0=$(now)
	/usr/bin/time -f '%U %S' -o "$T/time" curl -s --compressed -H @"$T/auth.h" \
		-w '%{size_header} %{size_download}\n' -K "$T/curl.cfg" >"$T/curl.sizes"
	curl_s=$(secs "$t0" "$(now)")
	curl_cpu=$(cpu "$T/time")
	set_link none

	wire=$(sed -n 's/.*"wire_bytes":\([0-9]*\).*/\1/p' "$T/sync.json")
	bytes=$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' "$T/sync.json")
	cwire=$(awk '{ n += $1 + $2 } END { printf "%d", n }' "$T/curl.sizes")
	echo "link $spec: $pages pages, $(calc %.1f "$bytes / 1048576") MiB of JSON"
	echo "  shopdesk sync       ${sync_s} s (cpu ${sync_cpu} s)  $wire B on the wire, $(calc %.0f "$wire / $N") B/order (aim <= 250)"
	echo "  curl --compressed   ${curl_s} s (cpu ${curl_cpu} s)  $cwire B on the wire, $(calc %.0f "$cwire / $N") B/order"
	echo "  its pages phase     $sync_pages, pages/curl $(calc %.2f "${sync_pages%% *} / $curl_s")"
	echo "  after the last page $(sed -n 's/.*bulk load ended: //p' "$T/sync.log")"
	echo "  ratio shopdesk/curl $(calc %.2f "$sync_s / $curl_s")   (aim <= 1.10)   load $(cut -d' ' -f1-3 /proc/loadavg)"
	if [ -n "$base_s" ]; then
		echo "  baseline sync       ${base_s} s (cpu ${base_cpu} s)  ratio baseline/curl $(calc %.2f "$base_s / $curl_s"), new/baseline $(calc %.2f "$sync_s / $base_s")"
		echo "  baseline pages      $base_pages, pages/curl $(calc %.2f "${base_pages%% *} / $curl_s")"
	fi
}

link latency=30ms,bandwidth=100mbit
link latency=30ms,bandwidth=10mbit
