#!/usr/bin/env bash
# bench-outbox.sh -- replay N queued actions (stock adjustments) against the
# reference store on loopback, and send the very same requests with curl (one
# process, one connection) to an identical store in the same run: ROUNDS
# rounds, the two alternated (the replay first in odd rounds, curl first in
# even ones), each on a fresh store and a copy of the same queued cache, and
# the figures are the medians of the rounds (wall and CPU time, user +
# system, of the client and of the store), with each round's ratio and load
# average. Then queue a CSV file of BENCH_CSV_LINES notes on as many orders
# (one command, one durable transaction; the median of BENCH_CSV_RUNS runs on
# copies of the same cache), against the first BENCH_CSV_BASELINE of the
# same lines queued one command each (one fsync'd commit each, as each line
# of a CSV file was before a batch became one transaction). Prints figures
# and the ratios; asserts nothing.
#
#   make bench                 # 10,000 actions, 5 rounds, a 10,000-line CSV
#   BENCH_ACTIONS=2000 BENCH_ROUNDS=3 BENCH_CSV_LINES=2000 make bench
#   BENCH_WRAP / BENCH_CSV_WRAP: a command (perf record ...) to run the replay /
#   the CSV command under
#   BENCH_CURL_COMPRESSED=1: curl asks for gzip too (--compressed), as shopdesk
#   does, so that the store compresses the same answers for both
#   BENCH_CURL_SAME=1: curl sends the very requests the replay sends -- the
#   queued entries' own idempotency keys (random, where curl's are curl-0,
#   curl-1...: the store's key indexes take them at random places), their
#   X-Shopdesk-Done-At and X-Shopdesk-Client headers, gzip asked for -- so
#   that the store does the same work for both; off by default (the baseline
#   of earlier runs), and said in the curl line when on
set -u
top_builddir=${top_builddir:-$PWD}
SHOPDESK=${SHOPDESK:-$top_builddir/shopdesk}
SHOPDESK_STORE=${SHOPDESK_STORE:-$top_builddir/shopdesk-store}
N=${BENCH_ACTIONS:-10000}
CSV=${BENCH_CSV_LINES:-10000}
CSV_BASE=${BENCH_CSV_BASELINE:-500}
ROUNDS=${BENCH_ROUNDS:-5}
curl_gzip=
[ "${BENCH_CURL_COMPRESSED:-0}" = 1 ] && curl_gzip=1
curl_same=
[ "${BENCH_CURL_SAME:-0}" = 1 ] && curl_same=1 curl_gzip=1
CSV_RUNS=${BENCH_CSV_RUNS:-3}
T=$(mktemp -d "${TMPDIR:-/tmp}/sdbench.XXXXXX")
export HOME="$T" XDG_CONFIG_HOME="$T/.config" XDG_DATA_HOME="$T/.data" XDG_STATE_HOME="$T/.state"
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL
trap 'for p in $(cat "$T"/*/pid 2>/dev/null); do kill $p 2>/dev/null; done; sleep 0.2; rm -rf "$T"' EXIT

now() { date +%s.%N; }
# cpu PID: the process's CPU time so far (user + system), in seconds.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }
# timed FILE CMD...: run CMD; FILE gets its wall, user and system seconds.
timed() {
	local f=$1 TIMEFORMAT='%R %U %S'
	shift
	{ time "$@" 2>&3; } 3>&2 2>"$f"
}
# cpus FILE: the user + system seconds of a timed run.
cpus() { awk '{ printf "%.2f", $2 + $3 }' "$1"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# median: the median of the numbers on standard input, one a line.
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# start NAME [ORDERS]: an identical store (same seed, same clock) in $T/NAME,
# on the port it had before if it ran before (a cache remembers its store).
start() {
	local port=0
	mkdir -p "$T/$1"
	[ -s "$T/$1/port" ] && port=$(cat "$T/$1/port")
	rm -f "$T/$1/port"
	"$SHOPDESK_STORE" --port "$port" --port-file "$T/$1/port" --token-dir "$T/$1/tokens" --seed 1 \
		--orders "${2:-2000}" --now 2026-11-20T08:00:00Z --rate 1000000 --burst 1000000 --quiet \
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

# stop NAME: the store in $T/NAME gone.
stop() {
	local pid
	pid=$(cat "$T/$1/pid")
	kill "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

# The same requests with curl against the twin store: same ids, bodies,
# If-Match versions (each adjustment raises a SKU's version by one) and keys.
curl -s -H "Authorization: Bearer $(cat "$T/b/tokens/admin.token")" "$B/v1/skus?limit=500" >"$T/skus.json"
sqlite3 :memory: "SELECT json_extract(value,'\$.id'), json_extract(value,'\$.version')
    FROM json_each(readfile('$T/skus.json'),'\$.items')" | tr '|' ' ' >"$T/versions"
# With BENCH_CURL_SAME, each request's key and attribution are its entry's
# (the entries are in the order of the requests), as the replay sends them.
: >"$T/same"
[ -n "$curl_same" ] && sqlite3 -separator ' ' "$T/cache.db" "SELECT key, created_at FROM outbox
    ORDER BY id" >"$T/same"
awk -v n="$N" -v url="$B" -v auth="$T/auth.h" -v same="$T/same" \
    -v client="shopdesk/$("$SHOPDESK" --version | awk '{ print $NF; exit }') ($(hostname | tr -c 'A-Za-z0-9.\n-' -))" '
	NR == FNR { v[$1] = $2; next }
	{ ids[++k] = $1 }
	END {
		m = 0
		while ((getline line <same) > 0) { split(line, f, " "); key[m] = f[1]; at[m++] = f[2] }
		for (i = 0; i < n; i++) {
			s = ids[i % k + 1]
			printf "url = \"%s/v1/skus/%s/adjust\"\n", url, s
			printf "header = \"@%s\"\n", auth
			if (m > 0) {
				printf "header = \"Idempotency-Key: %s\"\n", key[i]
				printf "header = \"X-Shopdesk-Done-At: %s\"\n", at[i]
				printf "header = \"X-Shopdesk-Client: %s\"\n", client
			} else
				printf "header = \"Idempotency-Key: curl-%d\"\n", i
			printf "header = \"If-Match: %d\"\n", v[s]++
			printf "header = \"Content-Type: application/json\"\n"
			printf "data = \"{\\\"delta\\\":1,\\\"reason\\\":\\\"inbound\\\"}\"\n"
			printf "output = \"/dev/null\"\n"
			printf "write-out = \"%%{http_code}\\\\n\"\n"
			if (i + 1 < n) printf "next\n"
		}
	}' "$T/versions" "$T/skus" >"$T/curl.cfg"

# The queued cache, kept for every round.
rm -f "$T/cache.db-wal" "$T/cache.db-shm"
cp "$T/cache.db" "$T/cache.db.queued"

# replay R: the replay of round R on a fresh store a and a copy of the queued
# cache; $T/r.R holds wall, client CPU, store CPU, applied, load.
replay() {
	local sa0 t0 t1
	stop a
	start a >/dev/null
	rm -f "$T/cache.db-wal" "$T/cache.db-shm"
	cp "$T/cache.db.queued" "$T/cache.db"
	sa0=$(cpu "$(cat "$T/a/pid")")
	t0=$(now)
	timed "$T/sync.time" ${BENCH_WRAP:-} "$SHOPDESK" sync --format json >"$T/sync.json" 2>"$T/sync.err" ||
		{ cat "$T/sync.err"; exit 1; }
	t1=$(now)
	echo "$(secs "$t0" "$t1") $(cpus "$T/sync.time") $(awk -v a="$sa0" \
	    -v b="$(cpu "$(cat "$T/a/pid")")" 'BEGIN { printf "%.2f", b - a }') $(sed -n \
	    's/.*"applied":\([0-9]*\).*/\1/p' "$T/sync.json") $(load1)" >"$T/r.$1"
}

# curls R: the same with curl on a fresh store b; $T/c.R holds wall, client
# CPU, store CPU, answered 200, load.
curls() {
	local sb0 t0 t1
	stop b
	start b >/dev/null
	printf 'Authorization: Bearer %s\n' "$(cat "$T/b/tokens/admin.token")" >"$T/auth.h"
	sb0=$(cpu "$(cat "$T/b/pid")")
	t0=$(now)
	timed "$T/curl.time" curl -s ${curl_gzip:+--compressed} -K "$T/curl.cfg" >"$T/codes"
	t1=$(now)
	sort "$T/codes" | uniq -c | sed 's/^/# curl status: /' >&2
	echo "$(secs "$t0" "$t1") $(cpus "$T/curl.time") $(awk -v a="$sb0" \
	    -v b="$(cpu "$(cat "$T/b/pid")")" 'BEGIN { printf "%.2f", b - a }') $(grep -c \
	    '^200$' "$T/codes") $(load1)" >"$T/c.$1"
}

for r in $(seq 1 "$ROUNDS"); do
	if [ $((r % 2)) = 1 ]; then replay "$r"; curls "$r"; else curls "$r"; replay "$r"; fi
	read -r rw rc rs ra rl <"$T/r.$r"
	read -r cw cc cs ca cl <"$T/c.$r"
	echo "round $r ($([ $((r % 2)) = 1 ] && echo "replay first" || echo "curl first")):" \
	    "replay ${rw} s (CPU ${rc} s client, ${rs} s store; applied $ra; load $rl)," \
	    "curl ${cw} s (CPU ${cc} s client, ${cs} s store; $ca answered 200; load $cl)," \
	    "ratio $(calc %.2f "$rw / $cw")"
	echo "$(calc %.4f "$rw / $cw") $(calc %.4f "($rc + $rs) / ($cc + $cs)") $(calc %.4f "$rc / $cc")" >>"$T/ratios"
done
col() { awk -v c="$1" '{ print $c }' "$T/$2".*; }
sync_s=$(col 1 r | median); sync_cpu=$(col 2 r | median); sync_store=$(col 3 r | median)
curl_s=$(col 1 c | median); curl_cpu=$(col 2 c | median); curl_store=$(col 3 c | median)
applied=$(col 4 r | sort -u | tr '\n' ' '); ok=$(col 4 c | sort -u | tr '\n' ' ')
ratio=$(awk '{ print $1 }' "$T/ratios" | median)
ratio_cpu=$(awk '{ print $2 }' "$T/ratios" | median)
ratio_client=$(awk '{ print $3 }' "$T/ratios" | median)
ratio_max=$(awk '{ print $1 }' "$T/ratios" | sort -g | tail -1)
loads=$(cat "$T"/r.* "$T"/c.* | awk '{ print $5 }' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')

# A CSV file of $CSV notes, one per order, queued by one command; then the
# first $CSV_BASE of the same lines, one command each, on a copy of the same
# cache taken before.
C=$(start c "$CSV")
printf '[c]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$C" "$T/c/tokens/admin.token" \
	"$T/csv.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
"$SHOPDESK" --profile c sync --quiet || exit 1
"$SHOPDESK" --profile c orders list --all --format csv |
	awk -F, -v n="$CSV" 'NR > 1 && NR <= n + 1 { print $1 }' >"$T/csv.ids"
{ echo "order_id,text"; sed 's/$/,counted/' "$T/csv.ids"; } >"$T/notes.csv"
ncsv=$(wc -l <"$T/csv.ids")
rm -f "$T/csv.db-wal" "$T/csv.db-shm"
cp "$T/csv.db" "$T/csv.db.0"
for r in $(seq 1 "$CSV_RUNS"); do
	rm -f "$T/csv.db-wal" "$T/csv.db-shm"
	cp "$T/csv.db.0" "$T/csv.db"
	t0=$(now)
	timed "$T/csv.time" ${BENCH_CSV_WRAP:-} "$SHOPDESK" --profile c orders note --from-csv "$T/notes.csv" \
		>/dev/null 2>"$T/csv.err" || { cat "$T/csv.err"; exit 1; }
	t1=$(now)
	echo "$(secs "$t0" "$t1") $(cpus "$T/csv.time") $(load1)" >"$T/v.$r"
done
csv_s=$(col 1 v | median)
csv_cpu=$(col 2 v | median)
csv_load=$(col 3 v | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }')
queued=$(sqlite3 "$T/csv.db" "SELECT count(*) FROM outbox")
rm -f "$T/csv.db-wal" "$T/csv.db-shm"
cp "$T/csv.db.0" "$T/csv.db"
t0=$(now)
"$SHOPDESK" --profile c orders note --from-csv "$T/notes.csv" --dry-run >/dev/null 2>&1
t1=$(now)
check_s=$(secs "$t0" "$t1")
head -n "$CSV_BASE" "$T/csv.ids" >"$T/base.ids"
nbase=$(wc -l <"$T/base.ids")
t0=$(now)
while read -r o; do
	"$SHOPDESK" --profile c orders note "$o" --text counted >/dev/null 2>&1 || exit 1
done <"$T/base.ids"
t1=$(now)
base_s=$(secs "$t0" "$t1")

echo "queue $N actions         ${queue_s} s  ($(calc %.0f "$N / $queue_s") actions/s; $round CSV files, one fsync'd transaction each)"
echo "medians of $ROUNDS rounds, alternated (load average $loads during them):"
echo "shopdesk sync (replay)  ${sync_s} s  ($(calc %.0f "$N / $sync_s") actions/s; applied $applied; CPU ${sync_cpu} s client, ${sync_store} s store)"
echo "curl, same requests${curl_same:+ (keys and headers as the replay sends them)}${curl_gzip:+ (--compressed)}     ${curl_s} s  ($(calc %.0f "$N / $curl_s") requests/s; ${ok}answered 200; CPU ${curl_cpu} s client, ${curl_store} s store)"
echo "ratio replay/curl       ${ratio} median of the rounds' ratios (worst ${ratio_max}; CPU, client and store: ${ratio_cpu}; client CPU alone: ${ratio_client})"
echo "CSV of $ncsv notes        ${csv_s} s  ($(calc %.0f "$ncsv / $csv_s") lines/s; CPU ${csv_cpu} s; median of $CSV_RUNS, load $csv_load; one command, one fsync'd transaction, $queued entries; checking the file alone (--dry-run) ${check_s} s)"
echo "one command a line      ${base_s} s  for the first $nbase lines ($(calc %.0f "$nbase / $base_s") lines/s; one fsync'd commit each)"
echo "ratio per line, one command a line / CSV  $(calc %.1f "($base_s / $nbase) / ($csv_s / $ncsv)")"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
