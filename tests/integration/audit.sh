#!/usr/bin/env bash
# audit.sh -- the local audit (actions and reveals), the attribution each
# write carries to the store's audit, and purge.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 3 --orders 60 --db "$T/store.db"
profile agent1
PROFILE=agent1
sd sync >/dev/null 2>"$T/e"
ok $? "first sync $(head -1 "$T/e")"

# ---- reveals: a list reveal records exactly the ids it showed ----------------
sd orders list --limit 4 --reveal --format json >"$T/list.json" 2>/dev/null
shown=$(sqlite3 :memory: "SELECT group_concat(value ->> 'id', ' ') FROM json_each(readfile('$T/list.json'));")
sd audit --reveals --format json >"$T/a.json"
recorded=$(sqlite3 :memory: "SELECT group_concat(value ->> 'id', ' ') FROM json_each(readfile('$T/a.json'))
	WHERE value ->> 'event' = 'reveal' AND value ->> 'kind' = 'order';")
is "$recorded" "$shown" "a list shown with --reveal records each id it showed, in order"
n=$(echo "$shown" | wc -w)
is "$n" 4 "four rows were revealed"
one=$(echo "$shown" | cut -d' ' -f2)
sd orders show "$one" --reveal >/dev/null 2>&1
sd audit --reveals --format json >"$T/a.json"
last=$(sqlite3 :memory: "SELECT value ->> 'id' || ' ' || (value ->> 'user') FROM json_each(readfile('$T/a.json')) ORDER BY key DESC LIMIT 1;")
is "$last" "$one agent1" "show --reveal records the order and who saw it"
# A listing without --reveal records nothing.
before=$(sd audit --reveals --format json | grep -c '"reveal"')
sd orders list --limit 5 >/dev/null 2>&1
after=$(sd audit --reveals --format json | grep -c '"reveal"')
is "$after" "$before" "a masked listing records no reveal"
mode=$(stat -c %a "$XDG_STATE_HOME/shopdesk/audit.log")
is "$mode" 600 "the trail of reveals is private (0600)"

# ---- actions: done offline, attributed to the time they were done -------------
oid=$(echo "$shown" | cut -d' ' -f1)
sd orders show "$oid" --format json >"$T/o.json" 2>/dev/null
v=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/o.json'), '\$.version');")
stop_store
sd orders note "$oid" --text "call after 6pm" >"$T/o" 2>&1
ok "$(grep -q queued "$T/o" && echo 0 || echo 1)" "a note queued while the store is down: $(head -1 "$T/o")"
sd audit --actions --format json >"$T/a.json"
queued_at=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/a.json'), '\$[#-1].at');")
is "$(sqlite3 :memory: "SELECT (value ->> 'outcome') || ' ' || (value ->> 'base_version') || ' ' || coalesce(value ->> 'version', 'null')
	FROM json_each(readfile('$T/a.json')) ORDER BY key DESC LIMIT 1;")" "queued $v null" \
	"the local audit shows it queued, on version $v, no result yet"
sleep 2
STORE_PORT=$PORT start_store --seed 3 --orders 60 --db "$T/store.db"
sd sync >/dev/null 2>"$T/e"
ok $? "back online, the note is sent $(head -1 "$T/e")"
sd audit --actions --format json >"$T/a.json"
row=$(sqlite3 :memory: "SELECT (value ->> 'event') || ' ' || (value ->> 'id') || ' ' || (value ->> 'user') || ' ' ||
	(value ->> 'outcome') || ' ' || (value ->> 'base_version') || ' ' || (value ->> 'version')
	FROM json_each(readfile('$T/a.json')) ORDER BY key DESC LIMIT 1;")
is "$row" "note $oid agent1 applied $v $((v + 1))" "the local audit: who, what, applied, v$v -> v$((v + 1))"
api admin GET /_control/audit 2>/dev/null | sed '$d' >"$T/s.json"
srow=$(sqlite3 :memory: "SELECT (value ->> 'path') || ' ' || (value ->> 'user_id') || ' ' || (value ->> 'if_match') || ' ' ||
	(value ->> 'version') || ' ' || (value ->> 'done_at') FROM json_each(readfile('$T/s.json'), '\$.items') LIMIT 1;")
uid=$(sqlite3 "$T/agent1.db" "SELECT value FROM sync_state WHERE key = 'me.id'" 2>/dev/null)
is "$srow" "/v1/orders/$oid/note $uid $v $((v + 1)) $queued_at" \
	"the store's audit attributes it to the user, on v$v -> v$((v + 1)), done when it was queued"
applied=$(sqlite3 :memory: "SELECT (value ->> 'applied_at') > (value ->> 'done_at') FROM json_each(readfile('$T/s.json'), '\$.items') LIMIT 1;")
is "$applied" 1 "and applied later than it was done"
client=$(sqlite3 :memory: "SELECT value ->> 'client' FROM json_each(readfile('$T/s.json'), '\$.items') LIMIT 1;")
ok "$([[ $client == shopdesk/* ]] && echo 0 || echo 1)" "the store knows which client sent it ($client)"
code=$(api agent1 GET /_control/audit | tail -1)
is "$code" "HTTP 403" "only an admin reads the store's audit"

# Both kinds together, in time order; filters and bad input.
sd audit >"$T/t"
ok "$(grep -q ' reveal ' "$T/t" && grep -q ' note ' "$T/t" && echo 0 || echo 1)" "audit lists reveals and actions together"
is "$(sd audit --since "$(date -u -d tomorrow +%F)" --format json | tr -d '\n')" "[]" "--since tomorrow: nothing"
sd audit --since someday >/dev/null 2>"$T/e"
is "$?:$(grep -c 'bad date' "$T/e")" "2:1" "a bad --since is a usage error"

# ---- purge ---------------------------------------------------------------------
touch "$XDG_STATE_HOME/shopdesk/agent1.history"
stop_store
sd orders note "$oid" --text "not sent yet" >/dev/null 2>&1
sd purge --yes >"$T/o" 2>"$T/e"
rc=$?
ok "$([ $rc = 10 ] && grep -q '1 action in the outbox has not been applied' "$T/e" && [ -f "$T/agent1.db" ] && echo 0 || echo 1)" \
	"purge refuses while an action is unsent, and keeps everything (exit $rc)"
STORE_PORT=$PORT start_store --seed 3 --orders 60 --db "$T/store.db"
sd sync >/dev/null 2>&1
sd purge >"$T/o" 2>&1
ok "$([ -f "$T/agent1.db" ] && grep -q 'would remove' "$T/o" && grep -q "$T/agent1.db" "$T/o" && echo 0 || echo 1)" \
	"purge without --yes says what it would remove and removes nothing"
sd purge --yes >"$T/o" 2>&1
ok $? "purge --yes"
ok "$([ ! -e "$T/agent1.db" ] && [ ! -e "$T/agent1.db-wal" ] && [ ! -e "$XDG_STATE_HOME/shopdesk/agent1.history" ] && echo 0 || echo 1)" \
	"the cache, its WAL and the command history are gone"
ok "$(grep -q 'removed:' "$T/o" && grep -q 'agent1.history' "$T/o" && grep -q '60 orders' "$T/o" && echo 0 || echo 1)" \
	"and purge said what it removed: $(grep -c . "$T/o") lines"
ok "$([ -s "$XDG_STATE_HOME/shopdesk/audit.log" ] && [ -s "$T/tokens/agent1.token" ] && echo 0 || echo 1)" \
	"the trail of reveals and the token are kept"

done_testing
