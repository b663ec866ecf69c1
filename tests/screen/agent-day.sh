#!/usr/bin/env bash
# agent-day.sh -- an agent's day in the real console at 80x24, synced with the
# reference store: take the next customer, answer with a canned reply, go to
# the chat's order and back, start a return from the chat, approve it; then
# offline, receive the parcel and refund it with the confirmation; back online
# see both confirmed by the store; and another agent approving a ticket first
# while we were offline: our approve is a visible conflict.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "Bail out! tmux is needed"
	exit 1
fi

start_store --orders 300 --db "$T/store.db"
LOGIN=agent1 profile agent1
PROFILE=agent1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/agent1.db"
q() { sqlite3 "$DB" "$1"; }

# The chat A takes: agent1 serves presales and aftersales, after-sales first.
next=$(q "SELECT id FROM conversations WHERE queue = 'aftersales' AND status = 'new' AND
	waiting_since IS NOT NULL ORDER BY sort_key, id LIMIT 1")
order=$(q "SELECT order_id FROM conversations WHERE id = '$next'")
name=$(q "SELECT customer_name FROM conversations WHERE id = '$next'")
[ -n "$order" ] || { echo "Bail out! the first chat ($next) is about no order"; exit 1; }
# The chat the return is started from: one about an order with 12.90 left to refund.
for cv in $(q "SELECT id FROM conversations WHERE order_id IS NOT NULL AND status IN ('new',
	'open') ORDER BY id"); do
	o=$(q "SELECT order_id FROM conversations WHERE id = '$cv'")
	left=$(sd orders show "$o" --format json 2>/dev/null | jq '.paid_amount - .refunded_amount')
	if [ "${left:-0}" -ge 1290 ]; then
		ret_cv=$cv ret_order=$o
		break
	fi
done
[ -n "$ret_cv" ] || { echo "Bail out! no chat about an order with money to refund"; exit 1; }
# A ticket another agent will approve while we are offline.
other=$(q "SELECT id FROM tickets WHERE status = 'requested' ORDER BY id LIMIT 1")
echo "# chat $next (order $order, $name); the return from $ret_cv ($ret_order); other ticket $other"

# ticket ID: the store's ticket as JSON.
ticket() {
	api admin GET "/v1/tickets/$1" | head -1
}
# settled: until nothing is pending, nor syncing.
settled() {
	wait_for " 0 pending" && wait_gone "syncing"
}

console 80 24 "$SHOPDESK" --profile agent1
expect "online" "the console is online as agent1"
keys 4
expect "Chats [All]" "4: the chats"

# Take the next customer.
keys A
expect "queued #1: accept $next" "A takes the longest-waiting after-sales customer"
settled
is "$(jget "$(api admin GET "/v1/conversations/$next" | head -1)" '$.assignee')" "U3" \
	"the store has the chat assigned to agent1"

# Answer with a canned reply.
keys m
type_text "/hello"
keys Enter
expect "queued #2: send" "m /hello queues the canned greeting"
settled
api admin GET "/v1/conversations/$next/messages?limit=200" | head -1 >"$T/msgs.json"
grep -q "${name}您好，我是客服李客服" "$T/msgs.json"
ok $? "the store has the greeting, filled with the customer's and the agent's names"

# To the order and back.
keys O
expect "Orders [All]  /$order" "O goes to the chat's order"
keys '<'
expect "$next  after-sales  open" "< comes back to the chat"

# A return started from a chat about a paid order.
keys ':'
type_text "find $ret_cv"
keys Enter
expect "$ret_cv  " "the chat about a paid order is open"
keys +
expect ":new-ticket $ret_order" "+ opens the : line with the chat's order typed"
type_text "return_refund 尺码不合适 --amount 12.90"
keys Enter
expect "create return_refund ticket on $ret_order" "the ticket is queued"
settled
tk=$(q "SELECT id FROM tickets WHERE order_id = '$ret_order' AND kind = 'return_refund'
	ORDER BY id DESC LIMIT 1")
ok "$([ -n "$tk" ] && [ "$tk" != null ] && echo 0 || echo 1)" "the store has the return ($tk)"

# Approve it.
keys ':'
type_text "find $tk"
keys Enter
expect "$tk  " "the ticket is found and open"
keys a
expect "queued #4: approve $tk" "a approves it"
settled
is "$(jget "$(ticket "$tk")" '$.status')" awaiting_return "the store has it approved, awaiting the parcel"

# Offline: the parcel comes back; receive it and refund it, confirmed.
stop_store
expect "OFFLINE" "the console sees the store gone"
keys i
expect "queued #5: receive the return of $tk" "i receives the parcel, offline"
keys R
expect "Confirm: this moves money" "R asks for a confirmation"
expect "Refund ¥12.90" "... showing the amount the ticket asks for"
keys y
expect "queued #6: refund ¥12.90 on $tk" "y queues the refund, offline"
# Still offline: approve another ticket, which agent2 approves on the store
# before we are back (the console is stopped meanwhile, so it cannot sync).
keys ':'
type_text "find $other"
keys Enter
expect "$other  " "the other ticket is open"
keys a
expect "queued #7: approve $other" "our approve of it is queued offline"
pid=$(pgrep -xf "$SHOPDESK --profile agent1")
kill -STOP $pid
STORE_PORT=$PORT start_store --db "$T/store.db"
v=$(jget "$(ticket "$other")" '$.version')
api agent2 POST "/v1/tickets/$other/approve" '{}' "Idempotency-Key: day-$RANDOM" \
	"If-Match: $v" | tail -1 >"$T/other.out"
is "$(cat "$T/other.out")" "HTTP 200" "agent2 approves $other on the store first"
kill -CONT $pid

# Back online: the store confirms the receipt and the refund; the approve is a conflict.
expect "online" "back online"
wait_for "1 conflict"
ok $? "the status line shows one conflict"
settled
is "$(jget "$(ticket "$tk")" '$.status')" refunded "the store refunded the return"
is "$(jget "$(ticket "$tk")" '$.refund_amount')" 1290 "... 12.90"
keys 7
expect "conflict" "the outbox lists the conflict"
expect "approve $other" "... our approve of the ticket agent2 approved"

done_testing
