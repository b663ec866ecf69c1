#!/usr/bin/env bash
# roles.sh -- each role sees only its panes and actions (issue 13), in-process
# at 80x24. The role comes from GET /v1/me (the cache's me.role): the tab bar
# shows only the panes the role may read, a pane key or :pane for another is
# refused naming the roles that may, `?` lists no key of an action the role
# may not do, and such a key or typed command is refused before any prompt.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --seed 5 --orders 200
for who in admin fin1 wh1 agent1; do
	profile "$who"
	PROFILE=$who sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! sync as $who failed"; exit 1; }
	# The cache without a token: no sync thread, so nothing moves under the script.
	printf '[%s-local]\nurl = %s\ncache = %s\n' "$who" "$URL" "$T/$who.db" \
		>>"$XDG_CONFIG_HOME/shopdesk/config"
done

# as WHO SCRIPT: the console on WHO's cache (80x24, or ROWS lines).
as() {
	local who=$1
	shift
	printf '%s\n' "$1" >"$T/script"
	env SHOPDESK_SCRIPT="$T/script" TERM=xterm-256color LINES=${ROWS:-24} COLUMNS=80 \
		LANG=C.UTF-8 LC_ALL=C.UTF-8 \
		"$SHOPDESK" --profile "$who-local" </dev/null >/dev/null 2>"$T/run.err"
}

# --- the tab bar of each role ----------------------------------------------------
for who in admin fin1 wh1 agent1; do
	as "$who" ":dump-screen $T/tabs-$who"
	is "$?" 0 "the console runs as $who ($(head -c 200 "$T/run.err"))"
done
is "$(head -1 "$T/tabs-admin")" " 1 Dash  2 Orders  3 After  4 Chats  5 Stock  6 Promo  7 Outbox  8 Cust" \
	"admin: every pane"
is "$(head -1 "$T/tabs-fin1" | sed 's/ *$//')" " 1 Dash  2 Orders  3 After  5 Stock  6 Promo  7 Outbox  8 Cust" \
	"finance: no chats"
is "$(head -1 "$T/tabs-wh1" | sed 's/ *$//')" " 1 Dashboard  2 Orders  5 Inventory  7 Outbox" \
	"warehouse: orders, stock, the outbox and the dashboard"
is "$(head -1 "$T/tabs-agent1")" " 1 Dash  2 Orders  3 After  4 Chats  5 Stock  6 Promo  7 Outbox  8 Cust" \
	"agent: every pane"

# --- a pane of another role: refused, naming the roles that may ---------------
as wh1 "key 4
:messages
:dump-screen $T/wh-key4
key q
:pane tickets
:messages
:dump-screen $T/wh-pane"
is "$?" 0 "the console runs ($(head -c 300 "$T/run.err"))"
has "$T/wh-key4" "Chats: not for your role (warehouse); admin, ops or agent may use it" \
	"key 4 as warehouse: refused, naming who may"
has "$T/wh-pane" "After-sales: not for your role (warehouse); admin, ops, finance or" \
	":pane tickets as warehouse: refused alike"
has "$T/wh-pane" "Dashboard" "... and the console stays where it was"

# --- `?` and the action keys ------------------------------------------------------
ROWS=100 as wh1 "key 2 ?
dump $T/wh-help
key q c
:messages
:dump-screen $T/wh-c
key q
:cancel 不要了
:messages
:dump-screen $T/wh-typed"
is "$?" 0 "the console runs ($(head -c 300 "$T/run.err"))"
has "$T/wh-help" "hand an order to the carrier" "? as warehouse on orders lists ship"
hasnt "$T/wh-help" "cancel an order" "... but not cancel (not the warehouse's)"
hasnt "$T/wh-help" "the Chats pane" "... nor the key of a pane it may not use"
has "$T/wh-c" "orders cancel: not for your role (warehouse); admin, ops or agent may" \
	"its key c is refused, naming the roles that may, with no prompt"
has "$T/wh-typed" "orders cancel: not for your role (warehouse); admin, ops or agent may" \
	"typed as :cancel, refused alike"
is "$(sqlite3 "$T/wh1.db" "SELECT count(*) FROM outbox")" 0 "nothing queued"
ROWS=100 as fin1 "key 2 ?
dump $T/fin-help"
hasnt "$T/fin-help" "hand an order to the carrier" "? as finance on orders: no ship"
ROWS=100 as admin "key 2 ?
dump $T/admin-help"
has "$T/admin-help" "cancel an order" "? as admin on orders lists cancel"
has "$T/admin-help" "the Chats pane" "... and every pane's key"

done_testing
