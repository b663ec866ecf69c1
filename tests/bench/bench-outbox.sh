#!/usr/bin/env bash
# bench-outbox.sh -- replay N queued actions (stock adjustments) against the
# reference store on loopback, and send the very same requests with curl (one
# process, one connection) to an identical store in the same run. Prints
# figures and the ratio; asserts nothing.
#
#   make bench                 # 10,000 actions
#   BENCH_ACTIONS=2000 make bench
set -u
top_builddir=${top_builddir:-$PWD}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
N=${BENCH_ACTIONS:-10000}
T=$(mktemp -d "${TMPDIR:-/tmp}/sdbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL
trap 'for p in $(cat "$T"/*/pid 2>/dev/null); do kill $p 2>/dev/null; done; sleep 0.2; rm -rf "$T"' EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# start NAME: an identical store (same seed, same clock) in $T/NAME.
start() {
	mkdir -p "$T/$1"
	"$SHOPDESK_STORE" --port 0 --port-file "$T/$1/port" --token-dir "$T/$1/tokens" --seed 1 \
		--orders 2000 --now 2026-11-20T08:00:00Z --rate 1000000 --burst 1000000 --quiet \
		>/dev/null 2>"$T/$1/log" &
	echo $! >"$T/$1/pid"
	while [ ! -s "$T/$1/port" ]; do sleep 0.05; done
	echo "http://127.0.0.1:$(cat "$T/$1/port")"
}

echo "== outbox replay benchmark: $N stock adjustments"
A=$(start a)
B=$(start b)
mkdir -p "$XDG_CONFIG_HOME/shopdesk"
printf 'profile = b\n[b]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$A" \
	"$T/a/tokens/admin.token" "$T/cache.db" >"$XDG_CONFIG_HOME/shopdesk/config"
"$SHOPDESK" sync --quiet || exit 1
"$SHOPDESK" stock list --all --format csv | awk -F, 'NR > 1 { print $1 }' >"$T/skus"
nsku=$(wc -l <"$T/skus")

# Queue N adjustments of +1, round robin over the SKUs: one CSV file per round
# (a file holds one line per SKU).
t0=$(now)
i=0
round=0
while [ $i -lt "$N" ]; do
	round=$((round + 1))
	{ echo "sku_id,delta,reason"
	  while read -r s; do
		[ $i -lt "$N" ] || break
		echo "$s,1,inbound"
		i=$((i + 1))
	  done <"$T/skus"; } >"$T/round.csv"
	"$SHOPDESK" stock adjust --from-csv "$T/round.csv" >/dev/null 2>&1 || exit 1
done
t1=$(now)
queue_s=$(secs "$t0" "$t1")

t0=$(now)
${BENCH_WRAP:-} "$SHOPDESK" sync --format json >"$T/sync.json" 2>"$T/sync.err" || { cat "$T/sync.err"; exit 1; }
t1=$(now)
sync_s=$(secs "$t0" "$t1")
applied=$(sed -n 's/.*"applied":\([0-9]*\).*/\1/p' "$T/sync.json")

# The same requests with curl against the twin store: same ids, bodies,
# If-Match versions (each adjustment raises a SKU's version by one) and keys.
printf 'Authorization: Bearer %s\n' "$(cat "$T/b/tokens/admin.token")" >"$T/auth.h"
curl -s -H @"$T/auth.h" "$B/v1/skus?limit=500" >"$T/skus.json"
sqlite3 :memory: "SELECT json_extract(value,'\$.id'), json_extract(value,'\$.version')
    FROM json_each(readfile('$T/skus.json'),'\$.items')" | tr '|' ' ' >"$T/versions"
awk -v n="$N" -v url="$B" -v auth="$T/auth.h" '
	NR == FNR { v[$1] = $2; next }
	{ ids[++k] = $1 }
	END {
		for (i = 0; i < n; i++) {
			s = ids[i % k + 1]
			printf "url = \"%s/v1/skus/%s/adjust\"\n", url, s
			printf "header = \"@%s\"\n", auth
			printf "header = \"Idempotency-Key: curl-%d\"\n", i
			printf "header = \"If-Match: %d\"\n", v[s]++
			printf "header = \"Content-Type: application/json\"\n"
			printf "data = \"{\\\"delta\\\":1,\\\"reason\\\":\\\"inbound\\\"}\"\n"
			printf "output = \"/dev/null\"\n"
			printf "write-out = \"%%{http_code}\\\\n\"\n"
			if (i + 1 < n) printf "next\n"
		}
	}' "$T/versions" "$T/skus" >"$T/curl.cfg"
t0=$(now)
curl -s -K "$T/curl.cfg" >"$T/codes"
t1=$(now)
curl_s=$(secs "$t0" "$t1")
ok=$(grep -c '^200$' "$T/codes")
sort "$T/codes" | uniq -c | sed 's/^/# curl status: /' >&2

echo "queue $N actions         ${queue_s} s  ($(calc %.0f "$N / $queue_s") actions/s, each fsync'd; $round CSV files)"
echo "shopdesk sync (replay)  ${sync_s} s  ($(calc %.0f "$N / $sync_s") actions/s; applied $applied)"
echo "curl, same requests     ${curl_s} s  ($(calc %.0f "$N / $curl_s") requests/s; $ok answered 200)"
echo "ratio replay/curl       $(calc %.2f "$sync_s / $curl_s")"
