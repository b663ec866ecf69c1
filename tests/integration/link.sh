#!/usr/bin/env bash
# link.sh -- over a real link: the store answers gzip when asked and plain
# when not (with Vary: Accept-Encoding and the change feed's headers either
# way); shopdesk asks for it and receives compressed answers, and its sync
# ends with the same cache as one over plain answers; the bandwidth= fault
# paces answers (checked with lower bounds on time only), and a bad bandwidth
# is refused with a clear message.
. "${top_srcdir:-.}/tests/integration/lib.sh"

# The admin's token in a header file: again after each start, tokens are random.
auth() {
	printf 'Authorization: Bearer %s\n' "$(cat "$T/tokens/admin.token")" >"$T/auth.h"
	chmod 600 "$T/auth.h"
}
start_store --seed 7 --orders 3000
auth
profile admin

# fetch PATH [CURL ARGS...]: GET PATH; the body as sent in $T/body, headers in $T/h,
# the HTTP status printed.
fetch() {
	local path=$1
	shift
	curl -s -H @"$T/auth.h" -D "$T/h" -o "$T/body" -w '%{http_code}' "$@" "$URL$path"
}
# hdr NAME: the value of header NAME of the last fetch (empty when absent).
hdr() {
	tr -d '\r' <"$T/h" | sed -n "s/^$1: *//Ip" | tail -1
}
size() { wc -c <"$1" | tr -d ' '; }
set_faults() {
	curl -s -X PUT -H @"$T/auth.h" --data "$1" "$URL/_control/faults"
}

# --- the store: gzip when asked, plain when not ----------------------------------
P='/v1/changes?since=0&limit=1000'
is "$(fetch "$P")" 200 "GET a page of the change feed"
cp "$T/body" "$T/plain.json"
plain=$(size "$T/plain.json")
next=$(hdr X-Next-Since)
more=$(hdr X-Has-More)
is "$(hdr Content-Encoding)" "" "no Accept-Encoding: a plain answer"
is "$(hdr Vary)" "Accept-Encoding" "plain answer: Vary: Accept-Encoding"
[ "$plain" -gt 1000000 ]
ok $? "a page of 1000 changes is over 1 MB plain ($plain bytes)"

is "$(fetch "$P" -H 'Accept-Encoding: gzip')/$(hdr Content-Encoding)" 200/gzip \
	"Accept-Encoding: gzip: a gzip answer"
is "$(hdr Vary)" "Accept-Encoding" "gzip answer: Vary: Accept-Encoding"
gz=$(size "$T/body")
[ "$gz" -lt $((plain / 4)) ]
ok $? "the gzip answer is under a quarter of the plain one ($gz of $plain bytes)"
gzip -dc <"$T/body" >"$T/gunzip.json" 2>"$T/gunzip.err" && cmp -s "$T/gunzip.json" "$T/plain.json"
ok $? "the gzip answer decodes to the plain answer exactly"
is "$(hdr X-Next-Since)/$(hdr X-Has-More)" "$next/$more" "gzip answer: X-Next-Since and X-Has-More as plain ($next/$more)"

is "$(fetch "$P" -H 'Accept-Encoding: deflate, gzip, br, zstd')/$(hdr Content-Encoding)" \
	200/gzip "curl --compressed's list: gzip"
is "$(fetch "$P" -H 'Accept-Encoding: gzip;q=0, identity')/$(hdr Content-Encoding)" 200/ \
	"gzip;q=0: plain"
is "$(fetch "$P" -H 'Accept-Encoding: br')/$(hdr Content-Encoding)" 200/ \
	"only encodings the store lacks: plain"
cmp -s "$T/body" "$T/plain.json"
ok $? "and the plain answer is the same body"

# An answer under 4 KiB (a page of one order, over 1 KiB) goes plain even to
# a client that asks for gzip.
is "$(fetch '/v1/orders?limit=1' -H 'Accept-Encoding: gzip')/$(hdr Content-Encoding)" 200/ \
	"a page of one order: plain though gzip is accepted"
n=$(size "$T/body")
[ "$n" -gt 1024 ] && [ "$n" -lt 4096 ]
ok $? "it is between 1 and 4 KiB ($n bytes)"
is "$(hdr Vary)" "Accept-Encoding" "and still Vary: Accept-Encoding"
id=$(jget "$(cat "$T/body")" '$.items[0].id')
[ -n "$id" ] && [ "${id#SO}" != "$id" ]
ok $? "and its body is the plain JSON of an order ($id)"

# A long poll that ends with nothing new still carries the feed's headers.
head=$(curl -s "$URL/_control/health" | sed -n 's/.*"head":\([0-9]*\).*/\1/p')
code=$(fetch "/v1/changes?since=$head&wait=1" -H 'Accept-Encoding: gzip')
is "$code/$(hdr X-Next-Since)/$(hdr X-Has-More)" "200/$head/0" "gzip-accepting long poll: X-Next-Since $head, X-Has-More 0"

# --- shopdesk receives compressed answers; the cache is the same as over plain ----
sd sync --format json >"$T/gz.json" 2>"$T/gz.err"
ok $? "sync over gzip answers $(cat "$T/gz.err")"
bytes=$(jget "$(cat "$T/gz.json")" '$.bytes')
wire=$(jget "$(cat "$T/gz.json")" '$.wire_bytes')
[ "${wire:-0}" -gt 0 ] && [ "${wire:-0}" -lt $((${bytes:-0} / 4)) ]
ok $? "the sync received under a quarter of the decoded bytes ($wire of $bytes)"
gz_digest=$(sd cache digest)
is "$gz_digest" "$(store_digest admin)" "cache digest equals the store's after a gzip sync"

# The same store (same seed, same --now) never compressing, on the same port.
stop_store
STORE_PORT=$PORT start_store --seed 7 --orders 3000 --gzip-level 0
auth
LOGIN=admin profile plain
PROFILE=plain
is "$(fetch "$P" -H 'Accept-Encoding: gzip')/$(hdr Content-Encoding)" 200/ \
	"--gzip-level 0: plain even when gzip is accepted"
sd sync --format json >"$T/pl.json" 2>"$T/pl.err"
ok $? "sync over plain answers $(cat "$T/pl.err")"
is "$(jget "$(cat "$T/pl.json")" '$.bytes')" "$bytes" "the same decoded bytes over plain answers"
pwire=$(jget "$(cat "$T/pl.json")" '$.wire_bytes')
[ "${pwire:-0}" -ge "$bytes" ]
ok $? "plain answers: wire bytes at least the decoded bytes ($pwire)"
is "$(sd cache digest)" "$(store_digest admin)" "cache digest equals the store's after a plain sync"
is "$(sd cache digest)" "$gz_digest" "and equals the digest of the gzip sync"
stop_store
STORE_PORT=$PORT start_store --seed 7 --orders 3000
auth

# --- bandwidth= paces answers --------------------------------------------------
out=$(set_faults bandwidth=8mbit)
is "$out" '{"faults":"bandwidth=8mbit"}' "bandwidth=8mbit is set"
# mintime BYTES: 90% of the seconds BYTES take at 8 Mbit/s (a lower bound only).
mintime() { awk -v b="$1" 'BEGIN { printf "%.3f", b * 8 / 8e6 * 0.9 }'; }
t=$(curl -s -H @"$T/auth.h" -o "$T/body" -w '%{time_total}' "$URL$P")
n=$(size "$T/body")
[ "$n" -gt 1000000 ]
ok $? "the paced answer is over 1 MB ($n bytes)"
min=$(mintime "$n")
awk -v t="$t" -v m="$min" 'BEGIN { exit !(t >= m) }'
ok $? "a plain answer of $n bytes at 8 Mbit/s takes at least $min s ($t s)"
t=$(curl -s -H @"$T/auth.h" -H 'Accept-Encoding: gzip' -o "$T/body" -w '%{time_total}' "$URL$P")
n=$(size "$T/body")
min=$(mintime "$n")
awk -v t="$t" -v m="$min" 'BEGIN { exit !(t >= m) }'
ok $? "a gzip answer is paced by its own $n bytes: at least $min s ($t s)"

set_faults latency=20ms,bandwidth=50mbit >/dev/null
sd sync --full >/dev/null 2>"$T/bw.err"
ok $? "a full sync over 50 Mbit/s with 20 ms latency succeeds $(cat "$T/bw.err")"
is "$(sd cache digest)" "$(store_digest admin)" "and the cache equals the store"
set_faults none >/dev/null

# --- bad bandwidths are refused, naming the item ---------------------------------
for bad in fast 10 10mbps 0mbit -5kbit 200gbit; do
	out=$(curl -s -X PUT -H @"$T/auth.h" --data "bandwidth=$bad" -w '\nHTTP %{http_code}' \
		"$URL/_control/faults")
	case "$out" in
	*"bad fault item \\\"bandwidth=$bad\\\": expected a rate"*"such as 100mbit"*"HTTP 400")
		ok 0 "PUT bandwidth=$bad: 400 naming the item" ;;
	*) ok 1 "PUT bandwidth=$bad: 400 naming the item: $out" ;;
	esac
done
is "$(curl -s -H @"$T/auth.h" "$URL/_control/faults")" '{"faults":"none"}' \
	"a refused spec leaves the faults as they were"
"$SHOPDESK_STORE" --port 0 --faults latency=30ms,bandwidth=lots >"$T/bad.out" 2>"$T/bad.err"
is "$?" 2 "shopdesk-store --faults bandwidth=lots exits 2"
grep -q 'bad fault item "bandwidth=lots": expected a rate in bits per second such as 100mbit' "$T/bad.err"
ok $? "and says why: $(head -1 "$T/bad.err")"
out=$(set_faults 'bandwidth=1.5Mbit,latency=5ms')
is "$out" '{"faults":"latency=5ms,bandwidth=1500kbit"}' "bandwidth is normalised (1.5Mbit = 1500kbit)"
set_faults none >/dev/null

done_testing
