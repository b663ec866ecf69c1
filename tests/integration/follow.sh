#!/usr/bin/env bash
# follow.sh -- sync --follow: store changes land in the cache promptly, queued
# actions are pushed while it runs, it reconnects by itself after the store
# goes away, and a signal stops it cleanly.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 41 --orders 1000 --db "$T/store.db"
profile admin
PROFILE=admin
sd sync >/dev/null
ok $? "initial sync"

# wait_for SECONDS COMMAND...: poll until the command succeeds (bounded, not a timing claim).
wait_for() {
	local limit=$(($1 * 20))
	shift
	for _ in $(seq 1 $limit); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

"$SHOPDESK" --profile admin sync --follow >"$T/follow.out" 2>"$T/follow.err" &
fpid=$!
wait_for 10 grep -q following "$T/follow.out"
ok $? "sync --follow starts"

# A change on the store arrives while it runs (a long poll, not a timer).
cid=$(sd chats list --status open --limit 1 --format csv | sed -n 2p | cut -d, -f1)
api agent1 POST "/v1/conversations/$cid/messages" '{"body":"follow-marker-1"}' \
	"Idempotency-Key: follow-1" >/dev/null
has_marker() { sd chats show "$cid" | grep -q "$1"; }
wait_for 10 has_marker follow-marker-1
ok $? "a store change lands in the cache while following"

# An action queued by another shopdesk process is pushed by the follower.
oid=$(sd orders list --status awaiting_shipment --all --format csv | awk -F, 'NR > 1 && $4 == "" { print $1; exit }')
sd orders note "$oid" --text "follow-note" >/dev/null
applied() { [ "$(jget "$(api admin GET "/v1/orders/$oid" | head -1)" '$.note')" = follow-note ]; }
wait_for 15 applied
ok $? "a queued action is pushed by the follower"

# The store goes away and comes back on the same port: it reconnects by itself.
stop_store
wait_for 15 grep -q offline "$T/follow.out"
ok $? "it says offline when the store is gone"
STORE_PORT=$PORT start_store --db "$T/store.db"
api agent1 POST "/v1/conversations/$cid/messages" '{"body":"follow-marker-2"}' \
	"Idempotency-Key: follow-2" >/dev/null
wait_for 40 has_marker follow-marker-2
ok $? "after the store returns, changes arrive again without a restart"
grep -q "online again" "$T/follow.out"
ok $? "and it says so"

kill -TERM $fpid
wait $fpid
is "$?" 0 "SIGTERM stops it cleanly (exit 0)"
grep -q stopped "$T/follow.out"
ok $? "with a last line"
is "$(sd cache digest)" "$(store_digest admin)" "the cache equals the store"

done_testing
