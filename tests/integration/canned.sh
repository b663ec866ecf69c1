#!/usr/bin/env bash
# canned.sh -- canned replies (快捷回复) managed from the CLI against the
# reference store: roles on every endpoint, placeholders refused by the client
# and by the store, a CSV import with a bad line (reported by number, nothing
# queued), export -> import round trip, an add made offline and synced, a
# version conflict, and a second client seeing the changes through the feed.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 31 --orders 300 --db "$T/store.db"
profile agent1
profile ops1
profile fin1
PROFILE=agent1
sd sync >/dev/null
ok $? "initial sync"
PROFILE=ops1 sd sync >/dev/null

# --- the store: roles and validation on every endpoint ------------------------------------
# reply PATTERN...: the one reply of "canned list --format json" matching every pattern.
reply() {
	local out
	out=$(sd canned list --format json)
	for p in "$@"; do out=$(printf '%s\n' "$out" | grep -F -- "$p"); done
	printf '%s\n' "$out" | head -1 | sed 's/,$//'
}
body='{"shortcut":"probe","lang":"en","title":"Probe","body":"Hi {customer_name}"}'
is "$(call fin1 GET /v1/canned-replies)" 403 "finance cannot read canned replies"
is "$(call wh1 GET /v1/canned-replies/CR101)" 403 "nor can warehouse"
is "$(call fin1 POST /v1/canned-replies "$body")" 403 "finance cannot add one"
grep -qF '"required":["admin","ops","agent"]' "$T/call"
ok $? "... the 403 names the roles that may"
is "$(call wh1 PATCH /v1/canned-replies/CR101 '{"title":"x"}' 1)" 403 "warehouse cannot edit one"
is "$(call wh1 DELETE /v1/canned-replies/CR101 '' 1)" 403 "nor remove one"
is "$(call agent1 POST /v1/canned-replies \
	'{"shortcut":"x","lang":"en","title":"t","body":"Dear {name}, see {order_id"}')" 422 \
	"the store refuses an unknown placeholder"
grep -qF '"code":"invalid"' "$T/call" && grep -qF '"placeholder":"{name}"' "$T/call" &&
	grep -qF "'{' at character 18 is not closed" "$T/call"
ok $? "... as invalid, naming the placeholder and the open brace"
is "$(call agent1 POST /v1/canned-replies \
	'{"shortcut":"hello","lang":"zh_CN","title":"t","body":"b"}')" 422 \
	"a second /hello in zh_CN is refused"
grep -qF '"code":"duplicate"' "$T/call"
ok $? "... as duplicate"
is "$(call ops1 POST /v1/canned-replies "$body")" 201 "ops adds one"
pid=$(jget "$(head -1 "$T/call")" '$.id')
is "$(call agent1 PATCH "/v1/canned-replies/$pid" '{"title":"Probe 2"}' 1)" 200 "an agent edits it"
is "$(call agent1 DELETE "/v1/canned-replies/$pid" '' 1)" 409 "a removal on version 1 conflicts"
is "$(call agent1 DELETE "/v1/canned-replies/$pid" '' 2)" 200 "on version 2 it is removed"
is "$(call agent1 GET "/v1/canned-replies/$pid")" 404 "and gone"

# --- the client: placeholders refused before queueing -----------------------------------------
sd canned add --shortcut thanks --lang en --title Thanks --body 'Thanks {custome_name}' \
	>"$T/o" 2>&1
is "$?" 2 "canned add with a misspelt placeholder: exit 2"
grep -qF "unknown placeholder {custome_name}" "$T/o"
ok $? "... naming it"
printf 'Bye }\n' | sd canned add --shortcut bye2 --lang en --title Bye --body - >"$T/o" 2>&1
grep -qF "'}' at character 5 closes no '{'" "$T/o"
ok $? "a stray brace read from standard input is named"
is "$(sd outbox list --format json | json_count)" 0 "nothing was queued"

# --- CSV import: a bad line, nothing queued ----------------------------------------------------
printf '%s\r\n' 'shortcut,lang,title,body' \
	'sizing,zh_CN,尺码建议,"您好{customer_name}，建议参考详情页尺码表，身高170选M。"' \
	'bad one,fr,,"Hi {who}"' \
	'invoice,en,Invoice,"Your invoice for {order_id} is on its way, {customer_name}."' >"$T/in.csv"
sd canned import "$T/in.csv" >"$T/o" 2>&1
is "$?" 2 "an import with a bad line: exit 2"
grep -qF "line 3: the shortcut may not contain blanks; lang must be zh_CN or en; title is empty; body: unknown placeholder {who}" "$T/o"
ok $? "line 3 is reported with all its problems"
grep -qF "1 of 3 lines are bad; nothing was queued" "$T/o"
ok $? "... and nothing was queued"
is "$(sd outbox list --format json | json_count)" 0 "the outbox is empty"
# A NUL in a field is refused by line and column, never cut short.
printf 'shortcut,lang,title,body\nnul,zh_CN,T,before\0after\n' >"$T/nul.csv"
sd canned import "$T/nul.csv" >"$T/o" 2>&1
is "$?" 2 "an import with a NUL byte: exit 2"
grep -qF "line 2: body: a NUL byte" "$T/o"
ok $? "... line 2's body is named ($(head -c 120 "$T/o"))"
is "$(sd outbox list --format json | json_count)" 0 "... and nothing is queued"
sed -i 3d "$T/in.csv"
sd canned import "$T/in.csv" --wait >"$T/o" 2>&1
ok $? "the fixed file imports"
grep -qF "2 applied, 0 conflicts, 0 refused" "$T/o"
ok $? "... two replies added"
sd canned list --format csv >"$T/list.csv"
grep -q ',sizing,zh_CN,尺码建议,' "$T/list.csv" && grep -q ',invoice,en,Invoice,' "$T/list.csv"
ok $? "both are listed"
is "$(sd canned list --lang en --format json | grep -c '"lang":"zh_CN"')" 0 "--lang en lists English ones only"

# --- export -> import round trip -----------------------------------------------------------------
sd canned export "$T/all.csv"
ok $? "export"
is "$(head -1 "$T/all.csv")" $'shortcut,lang,title,body\r' "with the header, CRLF"
grep -qF 'invoice,en,Invoice,"Your invoice for {order_id} is on its way, {customer_name}."' "$T/all.csv"
ok $? "a field with a comma is quoted"
n=$(sd canned list --format json | json_count)
is "$(($(wc -l <"$T/all.csv") - 1))" "$n" "one line per reply ($n)"
sd canned import "$T/all.csv" >"$T/o" 2>&1
ok $? "importing the export"
grep -qF "nothing to queue: all $n lines are the same as the cached replies" "$T/o"
ok $? "... changes nothing"
# Edited in a spreadsheet: one text changed, one reply new, quotes and a line break.
sed -e 's/is on its way/has been sent/' "$T/all.csv" >"$T/edited.csv"
printf '%s\r\n' 'quote,en,Quote,"She said ""OK"",' 'then left."' >>"$T/edited.csv"
sd canned import "$T/edited.csv" --wait >"$T/o" 2>&1
ok $? "importing the edited export"
grep -qF "edit canned reply" "$T/o" && grep -qF "add /quote (en): Quote" "$T/o"
ok $? "... edits the changed reply and adds the new one"
PROFILE=agent1 sd canned export - | grep -A1 '^quote,' | tr -d '\r' >"$T/q"
is "$(cat "$T/q")" $'quote,en,Quote,"She said ""OK"",\nthen left."' \
	"quotes and the line break come back as they went"

# --- offline: an add queued, then synced ----------------------------------------------------------
stop_store
sd canned add --shortcut restock --lang zh_CN --title 到货提醒 \
	--body '{customer_name}您好，该商品预计3天内到货，到货后第一时间通知您。' >"$T/o" 2>&1
ok $? "offline: canned add is queued"
grep -qF 'queued #' "$T/o"
ok $? "... says so"
cr=$(reply '"shortcut":"hello"' '"lang":"en"')
hid=$(jget "$cr" '$.id')
hv=$(jget "$cr" '$.version')
sd canned edit "$hid" --title 'Greeting (agent1)' >/dev/null 2>&1
ok $? "offline: an edit of /hello en queued on version $hv"
STORE_PORT=$PORT start_store --db "$T/store.db"
# Meanwhile ops changed the same reply.
PROFILE=ops1 sd canned edit "$hid" --title 'Greeting (ops)' --wait >/dev/null 2>&1
ok $? "ops edits /hello en first"
sd sync >"$T/o" 2>&1
grep -qF 'applied=1 conflicts=1' "$T/o"
ok $? "sync: the add applied, the edit in conflict"
sd canned list --format csv | grep -q ',restock,zh_CN,到货提醒,'
ok $? "the added reply is listed after the sync"
sd outbox list >"$T/o" 2>&1
grep -qF "conflict" "$T/o" && grep -qF "edit canned reply $hid" "$T/o"
ok $? "the conflict is in the outbox like any other"
e=$(jget "$(sd outbox list --format json)" '$[0].id')
sd outbox show "$e" >"$T/o" 2>&1
grep -qF 'Greeting (ops)' "$T/o" && grep -qF 'Greeting (agent1)' "$T/o"
ok $? "showing both sides"
sd outbox resolve "$e" --mine >/dev/null 2>&1 && sd sync >/dev/null 2>&1
is "$(jget "$(reply "\"id\":\"$hid\"")" '$.title')" \
	'Greeting (agent1)' "resolved with --mine: the agent's title wins"

# --- the other client sees it all through the change feed -------------------------------------
rid=$(jget "$(reply '"shortcut":"restock"')" '$.id')
sd canned remove "$rid" --wait >"$T/o" 2>&1
ok $? "remove"
grep -qF "canned_reply $rid removed" "$T/o"
ok $? "... says it is removed"
sd canned list | grep -q restock
is "$?" 1 "and it is no longer listed"
PROFILE=ops1 sd sync >/dev/null 2>&1
PROFILE=ops1 sd canned list --format csv >"$T/ops.csv"
grep -q ',restock,' "$T/ops.csv"
is "$?" 1 "ops's cache forgot the removed reply"
grep -q ',quote,en,Quote,' "$T/ops.csv" && grep -q "^$hid,hello,en,Greeting (agent1)," "$T/ops.csv"
ok $? "and has the added and edited ones"
PROFILE=fin1 sd sync >/dev/null 2>&1
PROFILE=fin1 sd canned list >"$T/o" 2>&1
is "$?" 4 "finance's canned list is refused"
grep -qF "your role (finance) cannot read canned replies: admin, ops and agent can" "$T/o"
ok $? "... saying why, rather than listing nothing"
is "$(sqlite3 "$T/fin1.db" "SELECT count(*) FROM canned_replies")" 0 "finance's cache holds none"

# --- a team with many replies: a new client's cache stores them compressed ------------------
{ echo shortcut,lang,title,body
  for i in $(seq 1 40); do echo "faq$i,en,FAQ $i,\"Answer $i, {customer_name}.\""; done; } >"$T/many.csv"
sd canned import "$T/many.csv" --wait >/dev/null 2>&1
ok $? "40 more replies imported"
profile agent2
PROFILE=agent2 sd sync >/dev/null 2>&1
packed=$(sqlite3 "$T/agent2.db" "SELECT sum(typeof(json) = 'blob') FROM canned_replies")
ok "$([ "${packed:-0}" -gt 0 ] && echo 0 || echo 1)" \
	"a fresh client's first sync stores them compressed ($packed rows)"
is "$(PROFILE=agent2 sd canned list --format json | json_count)" \
	"$(sd canned list --format json | json_count)" "canned list reads every one of them"
cv=$(PROFILE=agent2 sd chats list --status open --format csv | sed -n 2p | cut -d, -f1)
PROFILE=agent2 sd chats send "$cv" --body /faq17 --dry-run >"$T/o" 2>&1
grep -qF 'body:  {"body":"Answer 17, ' "$T/o"
ok $? "and send /faq17 finds a compressed reply and fills it in"
PROFILE=agent2 sd canned export - >"$T/a2.csv"
sd canned export - >"$T/a1.csv"
cmp -s "$T/a1.csv" "$T/a2.csv"
ok $? "both clients export the same file"

done_testing
