#!/usr/bin/env bash
# faults.sh -- every injected fault ends in a clear one-line error and a cache
# left as it was; transient faults at moderate rates are retried through.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 5 --orders 1500
profile admin "page-size = 200"
PROFILE=admin
sd sync >/dev/null
ok $? "initial sync"
base=$(sd cache digest)

# Make a change on the store so that a sync has something to fetch.
change() {
	local cid
	cid=$(sd chats list --status open --limit 1 --format csv | sed -n 2p | cut -d, -f1)
	api admin POST "/v1/conversations/$cid/messages" "{\"body\":\"fault test $1\"}" \
		"Idempotency-Key: fault-$1" >/dev/null
}
set_faults() {
	api admin PUT /_control/faults "$1" | tail -1 | grep -q 'HTTP 200'
}

# fault EXPECTED-EXIT PATTERN SPEC: a sync under SPEC fails with that exit code and
# a one-line message matching PATTERN, and leaves the cache unchanged.
fault() {
	local want=$1 pat=$2 spec=$3 rc lines
	change "$spec"
	set_faults "$spec"
	ok $? "faults set to $spec"
	sd sync >"$T/f.out" 2>"$T/f.err"
	rc=$?
	set_faults none
	is "$rc" "$want" "$spec: exit code $want"
	lines=$(wc -l <"$T/f.err")
	grep -Eq "$pat" "$T/f.err" && [ "$lines" -eq 1 ]
	ok $? "$spec: one clear line: $(cat "$T/f.err")"
	is "$(sd cache digest)" "$base" "$spec: cache left as it was"
}

fault 7 '503|unavailable' '5xx=1'
fault 7 'rate limit|429' '429=1'
fault 6 'dropped the connection' 'drop=1'
fault 6 'dropped the connection|transfer closed' 'truncate=1'
fault 7 'malformed' 'malformed=1'

# Latency alone is not a failure.
set_faults latency=300ms
sd sync >/dev/null 2>&1
ok $? "sync succeeds through 300 ms latency"
set_faults none
is "$(sd cache digest)" "$(store_digest admin)" "and the cache equals the store"

# Moderate rates of every transient fault are retried through.
for i in 1 2 3 4 5 6; do change "mixed-$i"; done
set_faults '5xx=0.1,429=0.05,drop=0.05,truncate=0.05,malformed=0.05,seed=42'
PROFILE=admin
sd sync --full >/dev/null 2>"$T/mixed.err"
ok $? "full sync through random 5xx/429/drops/truncation/malformed bodies $(cat "$T/mixed.err")"
set_faults none
is "$(sd cache digest)" "$(store_digest admin)" "cache equals the store after retries"

# A malformed page whose headers gave the next cursor: the fetch thread has
# gone on to the next page, and the page is asked for again from its own.
for i in 1 2 3; do change "malformed-$i"; done
set_faults 'malformed=0.3,seed=8'
SHOPDESK_LOG="$T/malformed.log" sd sync --full >/dev/null 2>"$T/malformed.err"
ok $? "full sync through malformed pages $(cat "$T/malformed.err")"
set_faults none
grep -q 'asking again for the changes after [0-9]*: the store sent a malformed change feed page' \
	"$T/malformed.log"
ok $? "a malformed page was asked for again from its cursor: $(grep -c 'asking again' "$T/malformed.log")"
is "$(sd cache digest)" "$(store_digest admin)" "cache equals the store after pages asked again"

# The store goes away: sync says so, reading still works from the cache.
base=$(sd cache digest)
stop_store
sd sync >"$T/down.out" 2>"$T/down.err"
is "$?" 6 "store down: exit code 6"
grep -q 'unreachable' "$T/down.err"
ok $? "store down: says unreachable: $(cat "$T/down.err")"
grep -q 'cache is unchanged' "$T/down.err"
ok $? "store down: says the cache is unchanged"
n=$(sd orders list --limit 5 --format csv | wc -l)
is "$n" 6 "offline: orders list answers from the cache"
is "$(sd cache digest)" "$base" "offline: cache intact"

done_testing
