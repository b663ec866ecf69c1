#!/usr/bin/env bash
# canned.sh -- canned replies in the console (SHOPDESK_SCRIPT, as inprocess.sh):
# at 80x24, typing `send /...` in Chats shows the shortcuts as candidates and,
# above them, the text the selected reply will send, filled in from the chat
# and its order; Esc takes the preview away. `:canned` lists the replies (not
# a tab), where :add, :edit and :remove queue actions, and a bad placeholder
# is refused on the message line before anything is queued.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --orders 1500
profile agent1
PROFILE=agent1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
# The cache without a token: no sync thread, so nothing moves under the script.
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/agent1.db" >>"$XDG_CONFIG_HOME/shopdesk/config"

# A conversation about a shipped order: every placeholder of /delay can be filled.
api agent1 GET '/v1/conversations?limit=500' | head -1 >"$T/cv.json"
api agent1 GET '/v1/orders?limit=500&status=shipped' | head -1 >"$T/o.json"
IFS='|' read -r CV NAME ORDER TRACKING <<EOF2
$(sqlite3 :memory: "SELECT c.value->>'id', c.value->>'customer_name', o.value->>'id',
	o.value->>'\$.shipment.tracking_no'
	FROM json_each(readfile('$T/cv.json'), '\$.items') c
	JOIN json_each(readfile('$T/o.json'), '\$.items') o ON o.value->>'id' = c.value->>'order_id'
	WHERE c.value->>'status' <> 'resolved' AND o.value->>'\$.shipment.carrier' = 'SF'
	ORDER BY c.value->>'id' LIMIT 1")
EOF2
ok "$([ -n "$CV" ] && [ -n "$TRACKING" ] && echo 0 || echo 1)" \
	"a chat ($CV) about a shipped order ($ORDER, SF $TRACKING)"
# The reply's text, filled in as the console should show it.
body=$(jget "$(sd canned list --lang zh_CN --format json | grep '"shortcut":"delay"' | sed 's/,$//')" \
	'$.body')
want=$(printf '%s' "$body" | sed -e "s/{order_id}/$ORDER/g" -e "s/{tracking_no}/$TRACKING/g" \
	-e "s/{carrier}/顺丰速运/g" -e "s/{customer_name}/$NAME/g")

# line FILE N: line N (1-based) of a dump.
line() {
	sed -n "${2}p" "$1"
}

run "key 4
key /
type $CV
key <Enter>
key :
type send /d
key <Tab>
dump $T/d1
type e
key <Tab>
dump $T/d2
key <Esc>
dump $T/d3"
is "$?" 0 "the script runs ($(head -c 200 "$T/run.err"))"
for i in 1 2 3; do
	is "$(wc -l <"$T/d$i")" 24 "dump $i has the screen's 24 lines"
done
is "$(line "$T/d1" 24)" ":send /d" "Tab after /d: the line keeps what is common"
is "$(line "$T/d1" 23)" " /damaged /delay" "the candidates are the shortcuts starting with d"
is "$(line "$T/d1" 22 | cut -c1-17)" " /damaged:zh_CN  " \
	"above them, the first one's preview, with its language"
is "$(line "$T/d2" 24)" ":send /delay" "/de and Tab complete /delay"
p=$(line "$T/d2" 22)
is "${p%%  *}" " /delay:zh_CN" "the preview names the reply that will be sent"
full=" /delay:zh_CN  $want"
# At 80 columns the text is cut with an ellipsis where it does not fit.
case "$full" in
"${p%…}"*) ok 0 "its text is the reply filled in from $CV and $ORDER, as wide as the screen" ;;
*) ok 1 "its text is the reply filled in from $CV and $ORDER, as wide as the screen"
	echo "#   got  '$p'"; echo "#   want '$full'" ;;
esac
grep -qF "$ORDER" "$T/d2" && ! line "$T/d2" 22 | grep -q '{'
ok $? "the order id is filled in, no placeholder is left"
grep -q '^ /delay\|/damaged' "$T/d3"
is "$?" 1 "Esc takes the preview away"
grep -q "^ \?\*\? *$CV " "$T/d3"
ok $? "and the chat's row is back"

# A chat without an order: what cannot be filled stays a placeholder.
# After ':' Tab offers the languages the shortcut has.
run "key 4
key :
type send /status
dump $T/d4
key <C-u>
type send /hello:
key <Tab>
dump $T/d5
type e
key <Tab>
dump $T/d6"
line "$T/d4" 22 | grep -qF '{order_id}'
ok $? "without an order, {order_id} is shown as it is, not guessed"
is "$(line "$T/d5" 23)" " /hello:en /hello:zh_CN" "after /hello: Tab lists its languages"
is "$(line "$T/d6" 24)" ":send /hello:en" "and completes one"
line "$T/d6" 22 | grep -q '^ /hello:en  Hello '
ok $? "the preview is then the English reply"

# The canned replies' own pane, and managing them.
run ":canned
dump $T/c1
:add thanks zh_CN 感谢 感谢您的耐心，{customer_name}！
dump $T/c2
:add bad en Bad Hi {name}
dump $T/c3
key G
:remove
dump $T/c4"
is "$?" 0 "the canned pane's script runs ($(head -c 200 "$T/run.err"))"
is "$(line "$T/c1" 1)" " 1 Dash  2 Orders  3 After  4 Chats  5 Stock  6 Promo  7 Outbox  8 Cust" \
	":canned is not a tab: the tab bar is as it was"
line "$T/c1" 2 | grep -q '^Canned replies .* 1/21$'
ok $? ":canned lists the 21 canned replies"
is "$(line "$T/c1" 3 | sed 's/ *$//')" " ID      SHORTCUT      LANG   TITLE" "with their columns"
is "$(line "$T/c1" 4 | sed 's/ *$//')" " CR101   hello         zh_CN  开场问候" "the first is /hello in Chinese"
grep -qF "queued #1: add /thanks (zh_CN): 感谢" "$T/c2"
ok $? ":add queues a new reply"
grep -qF "1 pending" "$T/c2"
ok $? "the status line counts it"
grep -qF "unknown placeholder {name}" "$T/c3"
ok $? ":add with an unknown placeholder is refused, naming it"
grep -qF "1 pending" "$T/c3"
ok $? "and nothing more is queued"
grep -qF "queued #2: remove canned reply CR121" "$T/c4"
ok $? ":remove on the last row queues its removal"
is "$(sd outbox list --format json | json_count)" 2 "two entries in the outbox"

done_testing
