#!/usr/bin/env bash
# caps.sh -- the console on a store that does not offer everything (src/caps.h),
# in-process (SHOPDESK_SCRIPT, :dump-screen; see inprocess.sh). A cache synced
# from the reference store gets the record a Medusa store leaves (no chats, no
# canned replies, a few actions) and its tickets lose their SLA ("sla": null):
# the Chats pane says it is not offered instead of listing, its keys and the
# actions the store lacks say so on the message line, the dashboard shows no
# chat figures, and a ticket without SLA shows none (no DUE, "SLA: not
# offered by this store").
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --orders 300
profile admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/admin.db"
# The cache without a token: no sync thread, so nothing moves under the script.
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$DB" >>"$XDG_CONFIG_HOME/shopdesk/config"
SENTENCE="not offered by this store (medusa)"

# Before: the reference store's record offers everything; chats are listed.
run "key 4
:dump-screen $T/before"
is "$?" 0 "the console runs on the reference store's cache ($(head -c 200 "$T/run.err"))"
has "$T/before" "Chats [All]" "before: the Chats pane has its filter tabs"
hasnt "$T/before" "not offered" "before: nothing is said not offered"

# The tickets as Medusa's: "sla": null. The full-text trigger on update needs
# shopdesk's tokenizer, which the sqlite3 shell has not: it is set aside
# meanwhile (the indexed text does not change). The cache keeps objects
# compressed, so the tickets are read through shopdesk and written back as text.
trig=$(sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type = 'trigger' AND
	tbl_name = 'tickets' AND name LIKE '%\_au' ESCAPE '\\'")
tsql=$(sqlite3 "$DB" "SELECT sql FROM sqlite_master WHERE name = '$trig'")
sd tickets list --all --format json >"$T/tickets.json"
sqlite3 "$DB" "INSERT OR REPLACE INTO sync_state (key, value) VALUES
	('store.backend', 'medusa'),
	('store.kinds', 'order ticket product sku promotion customer user category'),
	('store.actions', 'orders.deliver tickets.refund stock.adjust');
	${trig:+DROP TRIGGER $trig;}
	UPDATE tickets SET json = (SELECT json_set(value, '\$.sla', json('null'))
	    FROM json_each(readfile('$T/tickets.json'))
	    WHERE json_extract(value, '\$.id') = tickets.id), sla_state = NULL, sla_due = NULL;
	${tsql:+$tsql;}"
ok $? "the cache is made a Medusa store's (trigger ${trig:-none})"
tk=$(sqlite3 "$DB" "SELECT id FROM tickets ORDER BY sort_key, id LIMIT 1")

# A message stays on the bottom line until the next key; the : line would clear
# it, so <F12> dumps the screen (bound to a new file before each key).
run "key 4
:dump-screen $T/chats
:bind generic <F12> dump-screen $T/keyj
key j <F12>
:bind generic <F12> dump-screen $T/accept
key A <F12>
:bind generic <F12> dump-screen $T/send-key
key m <F12>
:bind generic <F12> dump-screen $T/send
:send /hello
key <F12>
key 1
:dump-screen $T/dash
key 3
:dump-screen $T/tickets
key <Enter>
:dump-screen $T/ticket
key <Esc> 2
:bind generic <F12> dump-screen $T/ship
:ship SF SF1234567890123
key <F12>"
is "$?" 0 "the console runs on the Medusa record ($(head -c 200 "$T/run.err"))"

# The Chats pane: one centred line, no list.
line=$(grep -nF "Chats: $SENTENCE" "$T/chats" | head -1)
ok "$([ -n "$line" ] && echo 0 || echo 1)" "Chats shows 'Chats: $SENTENCE'"
row=${line%%:*}
text=${line#*:}
lead=$(printf '%s' "$text" | sed -E 's/^( *).*/\1/' | wc -c)
ok "$([ -n "$row" ] && [ "$row" -ge 8 ] && [ "$row" -le 16 ] && [ "$lead" -ge 10 ] &&
	echo 0 || echo 1)" "... centred (line $row, $((lead - 1)) columns in)"
ok "$(grep -qE '^[ *]CV1' "$T/chats" && echo 1 || echo 0)" "... and no conversation is listed"
hasnt "$T/chats" "[All]" "... nor filter tabs to choose"
hasnt "$T/chats" "chats waiting" "the status line has no chat alert"

# Keys on it, and actions the store lacks: said on the message line.
is "$(tail -1 "$T/keyj" | sed -E 's/ +$//')" "Chats: $SENTENCE" "j on Chats says so on the message line"
is "$(tail -1 "$T/accept" | sed -E 's/ +$//')" "chats accept: $SENTENCE" \
	"A (accept) is refused with the sentence"
is "$(tail -1 "$T/send-key" | sed -E 's/ +$//')" "chats send: $SENTENCE" \
	"m (send) does not open the : line but says so"
is "$(tail -1 "$T/send" | sed -E 's/ +$//')" "chats send: $SENTENCE" ":send /hello says so too"
is "$(tail -1 "$T/ship" | sed -E 's/ +$//')" "orders ship: $SENTENCE" \
	":ship on an order is refused with the sentence"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox")" 0 "nothing was queued"

# The dashboard: no chat figures shown as 0.
has "$T/dash" "chats      not offered by this store" "the dashboard says chats are not offered"
has "$T/dash" "tickets    SLA: not offered by this store" "... and that SLA timers are not, rather than 0 near breach"
hasnt "$T/dash" "for more than 30 s" "... and shows no waiting figures"
hasnt "$T/dash" "longest" "... nor a longest wait"

# Tickets without SLA: no SLA state or DUE in the list, said in the detail.
has "$T/tickets" "After-sales [All]" "the After-sales pane lists tickets"
hasnt "$T/tickets" "overdue" "no ticket is shown overdue"
hasnt "$T/tickets" "on time" "... or on time"
due=$(grep -E '^[ *]AS1' "$T/tickets" | cut -c49-56 | tr -d ' ' | sort -u)
is "$due" "" "the SLA and DUE columns are blank"
has "$T/ticket" "$tk" "Enter opens the first ticket"
has "$T/ticket" "SLA        not offered by this store" "its detail says SLA: not offered by this store"

# In Chinese.
RUN_ENV=LANGUAGE=zh_CN run "key 4
:dump-screen $T/zh
key 1
:dump-screen $T/zhdash"
has "$T/zh" "在线客服：本店铺不提供此功能（medusa）" "in zh_CN the Chats pane says so in Chinese"
has "$T/zhdash" "本店铺不提供此功能" "... and so does the dashboard"

done_testing
