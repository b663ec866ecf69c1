#!/usr/bin/env bash
# agent.sh -- an agent's day between panes, in-process (SHOPDESK_SCRIPT,
# :dump-screen; see inprocess.sh), on a cache synced as agent1 (queues
# presales and aftersales) with no sync thread, so actions stay queued:
# the Customers pane (8) and a customer's detail; the queues' waiting counts
# in the Chats title; A takes the longest-waiting customer of the first
# queue served (vip, aftersales, presales); O, U, t go to a chat's order,
# customer and tickets and < comes back; + starts a ticket with the chat's
# order typed; w cycles the agent's chats; closing a chat selects the next
# that needs the agent. Then, through tmux with the sync thread running,
# a customer's new message in one of the agent's chats is announced (and
# rings the bell when asked for).
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"
RUN_BEFORE='cp "$DB" "$T/run.db"'
. "${top_srcdir:-.}/tests/screen/lib.sh"
if ! command -v tmux >/dev/null; then
	echo "Bail out! tmux is needed"
	exit 1
fi

start_store --orders 300
LOGIN=agent1 profile agent1
PROFILE=agent1 sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/agent1.db"
# Each run on a fresh copy of the synced cache: what one queues, the next does not see.
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/run.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
q() { sqlite3 "$DB" "$1"; }

# The : line clears the message line: a message is seen with "dump FILE",
# which presses no key.

# What the cache says the screens must show.
me=$(q "SELECT value FROM sync_state WHERE key = 'me.id'")
is "$me" "U3" "the cache is agent1's (U3)"
# agent1 serves presales and aftersales: vip is skipped, aftersales comes first.
next=$(q "SELECT id FROM conversations WHERE queue = 'aftersales' AND status = 'new' AND
	waiting_since IS NOT NULL ORDER BY sort_key, id LIMIT 1")
order=$(q "SELECT order_id FROM conversations WHERE id = '$next'")
cust=$(q "SELECT customer_id FROM conversations WHERE id = '$next'")
cust_orders=$(q "SELECT count(*) FROM orders WHERE customer_id = '$cust'")
wait_after=$(q "SELECT count(*) FROM conversations WHERE queue = 'aftersales' AND
	waiting_since IS NOT NULL")
wait_pre=$(q "SELECT count(*) FROM conversations WHERE queue = 'presales' AND
	waiting_since IS NOT NULL")
mine=$(q "SELECT count(*) FROM conversations WHERE assignee = 'U3' AND
	status IN ('open', 'pending')")
first_cust=$(q "SELECT id FROM customers ORDER BY id LIMIT 1")
echo "# next $next (order ${order:-none}, customer $cust, $cust_orders orders); waiting: aftersales $wait_after, presales $wait_pre; agent1 has $mine"

run "key 8
:dump-screen $T/cust
key <Enter>
:dump-screen $T/cust_detail
key 4
:dump-screen $T/chats
key A
dump $T/accepted
key O
:dump-screen $T/order
key <lt>
:dump-screen $T/back
key U
:dump-screen $T/customer
key <lt>
key +
dump $T/prompt
key <C-u> <Esc>
key <lt>
dump $T/nowhere"
is "$?" 0 "the script runs to its end ($(head -c 200 "$T/run.err"))"

has "$T/cust" "8 Cust" "the tab bar has an 8th pane"
has "$T/cust" "Customers" "8 shows the Customers pane"
has "$T/cust" " $first_cust " "... listing the customers"
has "$T/cust" "LEVEL" "... with their level"
has "$T/cust_detail" "Recent orders (" "a customer's detail lists the recent orders"
c1_orders=$(q "SELECT count(*) FROM orders WHERE customer_id = '$first_cust'")
has "$T/cust_detail" "Recent orders ($c1_orders)" "... counting them all ($c1_orders)"
has "$T/cust_detail" "Open after-sales (" "... then the open after-sales tickets"
has "$T/chats" "after-sales $wait_after (" "the Chats title: after-sales has $wait_after waiting, with the longest wait"
has "$T/chats" "pre-sales $wait_pre (" "... pre-sales $wait_pre"
has "$T/accepted" "queued #1: accept $next" "A queues accept of the longest wait of the first queue served ($next)"
has "$T/accepted" "$next  after-sales  open" "... and opens it, open now"
has "$T/accepted" "assignee   李客服 (U3)" "... the agent's name as its assignee"
if [ -n "$order" ]; then
	has "$T/order" "Orders [All]  /$order" "O goes to the chat's order"
	has "$T/order" "$order  " "... its detail open"
else
	has "$T/order" "is about no order" "O on a chat about no order says so"
fi
has "$T/back" "$next  after-sales  open" "< comes back to the chat"
has "$T/customer" "Customers  /$cust" "U goes to the chat's customer"
has "$T/customer" "Recent orders ($cust_orders)" "... with the customer's $cust_orders orders"
has "$T/prompt" ":new-ticket $order" "+ opens the : line with the chat's order typed"
has "$T/nowhere" "nowhere to go back to" "go-back with nowhere left says so"

# A ticket started from a chat; the agent's chats cycled; a close moves on.
run "key 4
key A
key +
type return_refund 尺码不合适
key <Enter>
dump $T/ticket
key 2
key w
dump $T/w1
key w
dump $T/w2"
is "$?" 0 "the second script runs ($(head -c 200 "$T/run.err"))"
if [ -n "$order" ]; then
	has "$T/ticket" "create return_refund ticket on $order" "the ticket is queued on the chat's order"
fi
# accept (queued, in the cache's overlay) made one more of agent1's chats.
has "$T/w1" "your chat 1 of $((mine + 1))" "w goes to the first of the agent's $((mine + 1)) chats"
has "$T/w2" "your chat 2 of $((mine + 1))" "w again: the second"

# Closing a chat selects the next one that needs the agent.
waiting_mine=$(q "SELECT id FROM conversations WHERE assignee = 'U3' AND status IN ('open',
	'pending') AND waiting_since IS NOT NULL ORDER BY sort_key, id LIMIT 2")
first_w=$(echo "$waiting_mine" | sed -n 1p)
second_w=$(echo "$waiting_mine" | sed -n 2p)
run ":find $first_w
key C
type resolved
key <Enter>
dump $T/closed"
if [ -n "$second_w" ]; then
	has "$T/closed" "close $first_w as resolved; next: $second_w (yours, waiting longest)" \
		"after a close the next customer of the agent's waiting is selected and named"
else
	has "$T/closed" "next: " "after a close the next chat is named"
fi

# go-ticket: from an order with one ticket, that ticket.
tk=$(q "SELECT order_id || ' ' || min(id) FROM tickets GROUP BY order_id HAVING count(*) = 1 LIMIT 1")
tk_order=${tk% *}
tk_id=${tk#* }
run "key 2
:search $tk_order
key t
:dump-screen $T/ticket_of"
has "$T/ticket_of" "After-sales [All]  /$tk_order" "t goes from an order to its tickets"
has "$T/ticket_of" "$tk_id  " "... its one ticket open"

# In Chinese.
RUN_ENV=LANGUAGE=zh_CN run "key 8
:dump-screen $T/zh
key 4
:dump-screen $T/zh_chats"
has "$T/zh" "8 客户" "in zh_CN the 8th tab is 客户"
has "$T/zh_chats" "售后 $wait_after (" "... the queue counts say 售后"

# Live: the sync thread brings a customer's message into one of agent1's
# chats; it is announced on the message line.
live_cv=$(q "SELECT id FROM conversations WHERE assignee = 'U3' AND status = 'open' ORDER BY
	sort_key LIMIT 1")
LOGIN=agent1 profile live "bell = yes"
console 80 24 "$SHOPDESK" --profile live
expect "online" "the console syncs as agent1"
keys 4
expect "Chats [All]" "the Chats pane"
api admin POST "/v1/conversations/$live_cv/say" '{"body":"还在吗？快点回复"}' \
	"Idempotency-Key: say-1" >"$T/say.out"
grep -q "HTTP 200\|HTTP 201" "$T/say.out"
ok $? "the store takes a customer's message (say, admin): $(tail -1 "$T/say.out")"
wait_for "new message from" 15
ok $? "the console announces the customer's new message in $live_cv"
expect "($live_cv)" "... naming the chat"
api agent1 POST "/v1/conversations/$live_cv/say" '{"body":"x"}' "Idempotency-Key: say-2" >"$T/say2.out"
grep -q "HTTP 403" "$T/say2.out"
ok $? "say is the admin's alone: $(tail -1 "$T/say2.out")"

done_testing
