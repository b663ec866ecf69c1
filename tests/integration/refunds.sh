#!/usr/bin/env bash
# refunds.sh -- money actions against the reference store: a refund defaults
# to the amount the ticket asks for and says what it will do; above the
# store's limit (GET /v1/me's refund_limit) an agent's refund goes to finance
# as a request, settles as "sent to finance", shows on the ticket as awaiting
# finance, and finance completes or declines it; nothing is refunded twice.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 5 --orders 300
profile admin
profile agent1
profile fin1
PROFILE=agent1
sd sync >/dev/null
ok $? "the agent syncs"
PROFILE=fin1 sd sync >/dev/null

me=$(api agent1 GET /v1/me | head -1)
is "$(jget "$me" '$.refund_limit.amount') $(jget "$me" '$.refund_limit.approvers')" \
	'50000 ["finance","admin"]' "GET /v1/me declares the refund limit and who it spares"

# order: an order paid above the limit, delivered or shipped; tid ORDER: its ticket.
big=SO10000286
small=SO10000295
tid() {
	sd tickets list --all --format json >"$T/tickets.json"
	sqlite3 :memory: "SELECT json_extract(value, '$.id') FROM json_each(readfile('$T/tickets.json'))
	    WHERE json_extract(value, '$.order_id') = '$1' ORDER BY 1 DESC LIMIT 1"
}
new_ticket() {	# ORDER AMOUNT: a refund_only ticket, approved; prints its id
	sd tickets create --order "$1" --kind refund_only --reason 不想要了 --amount "$2" --wait \
		>/dev/null 2>&1 || return 1
	local t
	t=$(tid "$1")
	sd tickets approve "$t" --wait >/dev/null 2>&1 || return 1
	echo "$t"
}

# --- the default amount, the summary, within the limit --------------------------------
t1=$(new_ticket "$small" 129.00)
ok $? "a refund_only ticket asking for ¥129.00 is created and approved ($t1)"
sd tickets show "$t1" >"$T/show"
grep -q '^  paid: ¥798.00$' "$T/show" && grep -q '^  refundable: ¥798.00$' "$T/show" &&
	grep -q '^  requested: ¥129.00$' "$T/show"
ok $? "tickets show: the order's paid, refundable and the requested amounts"
sd tickets refund "$t1" --wait </dev/null >"$T/out" 2>"$T/err"
ok $? "tickets refund without an amount, from a script: exit 0"
is "$(cat "$T/err")" "shopdesk: tickets refund: Refund ¥129.00 of ¥798.00 paid to $(jget \
	"$(sd tickets show "$t1" --format json)" '$.customer_name') for $t1 (order $small); ¥669.00 stays refundable" \
	"the summary is printed, not asked, when stdin is no terminal"
grep -q "^applied #[0-9]*: refund ¥129.00 on $t1" "$T/out"
ok $? "the requested amount was refunded"
is "$(jget "$(api admin GET "/v1/orders/$small" | head -1)" '$.refunded_amount')" 12900 \
	"the store refunded 12900 fen"
sd tickets refund "$t1" </dev/null >"$T/out" 2>&1
is "$?" 10 "a refunded ticket is refused locally"
grep -q "cannot refund ticket $t1: it is a refund_only ticket, refunded; refund needs approved; now allowed: assign, escalate, close" "$T/out"
ok $? "naming the state it needs and what is allowed now"

# --- above the limit: to finance --------------------------------------------------
t2=$(new_ticket "$big" 600.00)
ok $? "a ticket asking for ¥600.00 ($t2)"
sd tickets refund "$t2" --dry-run </dev/null >"$T/out" 2>"$T/err"
grep -q "Ask finance to refund ¥600.00 of ¥3396.00 paid to .* for $t2 (order $big): above ¥500.00 your role (agent) sends it to finance" "$T/err"
ok $? "before queueing, the agent is told it will go to finance"
sd tickets refund "$t2" --yes --wait </dev/null >"$T/out" 2>"$T/err"
ok $? "the refund is queued and pushed: exit 0, not an error"
grep -q "^sent to finance #[0-9]*: refund ¥600.00 on $t2: $t2 awaits finance approval" "$T/out"
ok $? "the outbox entry settles as sent to finance"
id=$(sed -n 's/^sent to finance #\([0-9]*\):.*/\1/p' "$T/out")
is "$(jget "$(sd outbox show "$id" --format json)" '$.state')" sent_to_finance "outbox show says so too"
tj=$(api admin GET "/v1/tickets/$t2" | head -1)
is "$(jget "$tj" '$.status') $(jget "$tj" '$.refund_request.status') $(jget "$tj" '$.refund_request.amount') $(jget "$tj" '$.refund_request.requested_by')" \
	"approved awaiting_finance 60000 U3" "the store: a request awaiting finance, by the agent"
is "$(jget "$(api admin GET "/v1/orders/$big" | head -1)" '$.refunded_amount')" 0 \
	"nothing refunded yet"
sd sync >/dev/null
sd tickets show "$t2" >"$T/show"
grep -q '^  refund request: ¥600.00$' "$T/show" &&
	grep -q '^  refund request status: awaiting finance (asked by U3)$' "$T/show"
ok $? "the agent sees it awaiting finance with the amount"
sd tickets refund "$t2" --amount 1 </dev/null >"$T/out" 2>&1
is "$?" 10 "the agent cannot refund it again meanwhile"
grep -q "a refund of ¥600.00 on $t2 awaits finance (asked by U3)" "$T/out"
ok $? "and is told why"
is "$(api agent1 POST "/v1/tickets/$t2/refund" '{"amount":100}' "If-Match: $(jget "$tj" '$.version')" "Idempotency-Key: k-$t2-1" | tail -1)" \
	"HTTP 422" "the store refuses it too (422 awaiting_finance)"

# --- finance completes it ------------------------------------------------------------
PROFILE=fin1
sd sync >/dev/null
sd tickets refund "$t2" --yes --wait </dev/null >"$T/out" 2>"$T/err"
ok $? "finance completes the request"
grep -q "Refund ¥600.00 of ¥3396.00 paid to .* for $t2 (order $big); ¥2796.00 stays refundable" "$T/err"
ok $? "for the amount awaiting it, by default"
tj=$(api admin GET "/v1/tickets/$t2" | head -1)
is "$(jget "$tj" '$.status') $(jget "$tj" '$.refund_request.status') $(jget "$tj" '$.refund_amount') $(jget "$tj" '$.refund_request.decided_by')" \
	"refunded refunded 60000 U7" "the ticket is refunded, the request settled by finance"
is "$(jget "$(api admin GET "/v1/orders/$big" | head -1)" '$.refunded_amount')" 60000 \
	"the order is refunded once"

# --- finance declines one --------------------------------------------------------------
PROFILE=agent1
sd sync >/dev/null
t3=$(new_ticket "$big" 700.00)
ok $? "another ticket asking for ¥700.00 ($t3)"
sd tickets refund "$t3" --yes --wait </dev/null >/dev/null 2>&1
ok $? "sent to finance"
PROFILE=fin1
sd sync >/dev/null
sd tickets decline "$t3" --reason 需要先核实 --wait </dev/null >"$T/out" 2>&1
ok $? "finance declines it"
PROFILE=agent1
sd sync >/dev/null
is "$(jget "$(sd tickets show "$t3" --format json)" '$.refund_request.status')" declined \
	"the agent sees it declined"
sd tickets decline "$t3" --reason x </dev/null >"$T/out" 2>&1
is "$?" 4 "an agent may not decline"

# --- on a terminal the question is asked ------------------------------------------------
# script(1) gives the command a pseudo-terminal; its input is the answer.
if command -v script >/dev/null 2>&1; then
	PROFILE=agent1
	t5=$(new_ticket "$small" 20.00)
	sd sync >/dev/null
	cmd="$SHOPDESK --profile agent1 tickets refund $t5"
	printf 'n\n' | script -qec "$cmd" /dev/null >"$T/tty" 2>&1
	grep -q "Refund ¥20.00 of ¥798.00 paid to .* for $t5" "$T/tty" &&
		grep -q "queue it? \[y/Enter: yes, n: no\]" "$T/tty"
	ok $? "on a terminal the summary is a question"
	grep -q "not queued (you answered no; nothing changed)" "$T/tty"
	ok $? "n: not queued"
	is "$(sd outbox list --format json | json_count)" 0 "and nothing is in the outbox"
	printf 'y\n' | script -qec "$cmd" /dev/null >"$T/tty" 2>&1
	grep -q "queued #[0-9]*: refund ¥20.00 on $t5" "$T/tty"
	ok $? "y: queued"
	sd sync >/dev/null 2>&1
else
	for i in 1 2 3 4; do ok 0 "# SKIP script(1) is missing"; done
fi

# --- a CSV batch says what each line will refund -------------------------------------
PROFILE=agent1
t6=$(new_ticket "$small" 5.00)
sd sync >/dev/null
printf 'ticket_id\n%s\n' "$t6" >"$T/refunds.csv"
sd tickets refund --from-csv "$T/refunds.csv" --dry-run </dev/null >"$T/out" 2>"$T/err"
grep -q "refunds.csv: line 2: Refund ¥5.00 of ¥798.00 paid to .* for $t6" "$T/err"
ok $? "a batch prints each line's summary, the amount asked by default ($(head -1 "$T/err"))"

# --- nothing refundable --------------------------------------------------------------
PROFILE=admin
sd sync >/dev/null
sd tickets refund "$t3" --amount 2796.00 --yes --wait </dev/null >/dev/null 2>&1
ok $? "the admin refunds what is left"
PROFILE=agent1
t4=$(new_ticket "$small" 10.00)
ok $? "a ticket on an order with money left ($t4)"
sd sync >/dev/null
sd tickets refund "$t4" --amount 700 </dev/null >"$T/out" 2>&1
is "$?" 10 "more than refundable is refused"

done_testing
