#!/usr/bin/env bash
# money.sh -- money actions and long messages in the console, in-process at
# 80x24 (SHOPDESK_SCRIPT, :dump-screen; see inprocess.sh). As an agent: R on
# an approved refund ticket proposes the amount it asks for and shows what
# will happen; n cancels with nothing queued, R then y queues it. Above the
# store's limit the box says it goes to finance, and once the store took it
# the ticket's detail shows it awaiting finance. A refusal longer than the
# bottom line is cut with a hint; M shows it whole, q closes.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --seed 5 --orders 300
profile agent1
PROFILE=agent1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/agent1.db"
# The cache without a token: no sync thread, so nothing moves under the script.
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$DB" >>"$XDG_CONFIG_HOME/shopdesk/config"

# An approved refund_only ticket asking for amount on order; prints its id.
ticket() {
	sd tickets create --order "$1" --kind refund_only --reason 不想要了 --amount "$2" --wait \
		>/dev/null 2>&1 || return 1
	sd tickets list --all --format json >"$T/tickets.json"
	local t
	t=$(sqlite3 :memory: "SELECT json_extract(value, '$.id') FROM json_each(readfile('$T/tickets.json'))
	    WHERE json_extract(value, '$.order_id') = '$1' ORDER BY 1 DESC LIMIT 1")
	sd tickets approve "$t" --wait >/dev/null 2>&1 || return 1
	echo "$t"
}
t1=$(ticket SO10000295 129.00)
ok $? "an approved ticket asking for ¥129.00 ($t1)"
t2=$(ticket SO10000286 600.00)
ok $? "one asking for ¥600.00, above the limit ($t2)"
name=$(jget "$(sd tickets show "$t1" --format json)" '$.customer_name')

queued() { sqlite3 "$DB" "SELECT count(*) FROM outbox"; }

# --- R, the summary, n ------------------------------------------------------------------
# A message stays on the bottom line until the next key; the : line would clear
# it, so <F12> dumps the screen (bound to a new file before each key).
run "key 3
:search $t1
key <Enter>
:dump-screen $T/detail
key R
:dump-screen $T/confirm
key x
:dump-screen $T/other
key n M
:dump-screen $T/history
key q
:dump-screen $T/cancelled"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/detail" "paid       ¥798.00" "the detail shows what the order was paid"
has "$T/detail" "refundable ¥798.00" "... what is still refundable"
has "$T/detail" "requested  ¥129.00" "... and what the ticket asks for"
# The top of the screen, whole: the tab bar, the title, the box over the pane.
expected=" 1 Dash  2 Orders  3 After  4 Chats  5 Stock  6 Promo  7 Outbox  8 Cust
After-sales [All]  /$t1                                               1/1
Confirm: this moves money

Refund ¥129.00 of ¥798.00 paid to $name for $t1 (order SO10000295);
¥669.00 stays refundable

y / Enter: confirm    n / Esc: cancel (nothing is queued)
"
is "$(sed -n 1,9p "$T/confirm" | sed -E 's/ +$//')" "$(printf '%s' "$expected" | sed -E 's/ +$//')" \
	"R shows the confirmation over the pane, words kept whole"
has "$T/confirm" "Confirm: this moves money" "R opens the confirmation"
has "$T/confirm" "Refund ¥129.00 of ¥798.00 paid to $name for $t1 (order" \
	"it proposes the amount asked, of what was paid, to whom"
has "$T/confirm" "¥669.00 stays refundable" "... and what stays refundable"
has "$T/confirm" "y / Enter: confirm    n / Esc: cancel" "... and the keys"
is "$(grep -c . "$T/confirm" | tr -d ' ') $(wc -l <"$T/confirm" | tr -d ' ')" \
	"$(grep -c . "$T/confirm" | tr -d ' ') 24" "the screen is 24 lines"
has "$T/other" "Confirm: this moves money" "another key leaves the box"
has "$T/history" "y or Enter: do it; n or Esc: cancel" "... and only repeats the question"
hasnt "$T/cancelled" "Confirm: this moves money" "n closes it"
has "$T/history" "cancelled: refund ¥129.00 on $t1 (nothing was queued)" "and says so"
is "$(queued)" 0 "nothing was queued before the key"

# --- R, then y ------------------------------------------------------------------------
run "key 3
:search $t1
key <Enter> R y M
:dump-screen $T/queued"
is "$(queued)" 1 "R then y queues the refund"
is "$(sqlite3 "$DB" "SELECT action || ' ' || body FROM outbox")" 'refund {"amount":12900}' \
	"of the amount asked"
grep -qE "^[0-9:]{8} queued #[0-9]+: refund ¥129.00 on $t1\$" "$T/queued"
ok $? "the message line said it is queued (M shows it again)"

# --- above the limit: to finance ---------------------------------------------------
run "key 3
:search $t2
key <Enter> R
:dump-screen $T/finance
key <Enter>
:dump-screen $T/pending"
has "$T/finance" "Send this refund to finance?" "above the limit the box says it goes to finance"
has "$T/finance" "Ask finance to refund ¥600.00 of ¥3396.00" "... with the amount"
is "$(queued)" 2 "Enter queues it"
has "$T/pending" "to finance ¥600.00 awaiting finance, asked by U3" \
	"at once the detail shows it awaiting finance (the overlay)"
sd sync --quiet >/dev/null 2>&1
is "$(queued)" 0 "a sync sends both; neither is an error"
run "key 3
:search $t2
key <Enter>
:dump-screen $T/synced"
has "$T/synced" "to finance ¥600.00 awaiting finance, asked by U3" \
	"after the sync the store's ticket shows it awaiting finance"
has "$T/synced" "refunded   ¥0.00" "nothing is refunded yet"

# --- a message longer than the line ----------------------------------------------
run "key 3
:search $t1
key <Enter>
:bind generic <F12> dump-screen $T/long
:approve
key <F12> M
:dump-screen $T/all
key q
:dump-screen $T/closed"
msg="cannot approve ticket $t1: it is a refund_only ticket, refunded; approve needs requested; now allowed: assign, escalate, close"
last=$(tail -1 "$T/long" | sed -E 's/ +$//')
is "$(printf '%s' "$last" | sed -E 's/.*(… \(M: all\))$/\1/')" "… (M: all)" \
	"a refusal wider than the line is cut with a hint ($last)"
ok "$([ "${#last}" -le 80 ] && echo 0 || echo 1)" "... within 80 columns"
has "$T/all" "Messages, newest last" "M opens the recent messages"
tr '\n' ' ' <"$T/all" | sed -E 's/ +/ /g' >"$T/all.flat"
has "$T/all.flat" "$(printf '%s' "$msg" | sed -E 's/ +/ /g')" "... with the refusal whole, wrapped"
has "$T/all" "no token file" "... and the one before it"
hasnt "$T/closed" "Messages, newest last" "q closes it"

done_testing
