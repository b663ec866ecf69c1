#!/usr/bin/env bash
# wake.sh -- an action queued in the console leaves at once, even while the
# sync thread is in a long poll: the wake cuts the poll short. The long poll
# is made 25 s (SHOPDESK_LONG_POLL) and the store has no live activity, so
# nothing else would end it; each action must be applied within 8 s. And a
# console on a cache never synced from the command line learns who it is.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

LONG_POLL=25
LIMIT=8

start_store --orders 300
profile admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }

now_ms() {
	date +%s%3N
}

# applied ID FIELD VALUE: until the store's order ID has FIELD = VALUE, at
# most $LIMIT seconds; prints the milliseconds it took. 0 or 1.
applied() {
	local t0 r
	t0=$(now_ms)
	while [ $(($(now_ms) - t0)) -lt $((LIMIT * 1000)) ]; do
		r=$(api admin GET "/v1/orders/$1" | head -1)
		if [ "$(jget "$r" "\$.$2")" = "$3" ]; then
			echo $(($(now_ms) - t0))
			return 0
		fi
		sleep 0.1
	done
	echo $(($(now_ms) - t0))
	return 1
}

# The object a queued action is about, read from the cache once queued.
queued_object() {
	sqlite3 "$T/admin.db" "SELECT object_id FROM outbox WHERE id = $1
	    UNION ALL SELECT object_id FROM outbox_log WHERE id = $1 LIMIT 1" 2>/dev/null
}

console 80 24 SHOPDESK_LONG_POLL=$LONG_POLL "$SHOPDESK" --profile admin
expect "online" "the console is online"
# The first run answers at once; the long poll that follows is in flight now.
sleep 1.5

keys 2
expect "Orders [All]" "the orders"
keys :
type_text "note wake-test-1"
keys Enter
expect "queued #1: note" "a note is queued during a long poll"
id=$(queued_object 1)
ok "$([ -n "$id" ] && echo 0 || echo 1)" "the queued note is about an order ($id)"
ms=$(applied "$id" note wake-test-1)
ok $? "the store noted $id in ${ms} ms, within ${LIMIT} s of a ${LONG_POLL} s long poll"
expect " 0 pending" "the status line shows nothing pending"

# Again, in the next long poll: the wake is cleared and armed each round.
sleep 1.5
keys j
keys :
type_text "note wake-test-2"
keys Enter
expect "queued #2: note" "a second note is queued during the next long poll"
id2=$(queued_object 2)
ok "$([ -n "$id2" ] && [ "$id2" != "$id" ] && echo 0 || echo 1)" \
	"the second note is about another order ($id2)"
ms=$(applied "$id2" note wake-test-2)
ok $? "the store noted $id2 in ${ms} ms, within ${LIMIT} s of a ${LONG_POLL} s long poll"
expect " 0 pending" "the status line shows nothing pending again"
ok "$(screen | grep -cE 'OFFLINE|SYNC ERROR' | sed 's/^[1-9].*/1/')" \
	"a cut long poll is not reported as a failure"

keys q
expect "CONSOLE-EXITED 0" "q quits with status 0"

# A cache only the console has synced: it asks the store who the token is.
LOGIN=agent1 profile fresh
console 80 24 "$SHOPDESK" --profile fresh
expect "agent1@fresh" "a console on a new cache shows who you are"
is "$(sqlite3 "$T/fresh.db" "SELECT value FROM sync_state WHERE key = 'me.role'")" agent \
	"... and knows your role (for the checks of every action)"
keys q
expect "CONSOLE-EXITED 0" "q quits"

done_testing
