#!/usr/bin/env bash
# cli.sh -- the scriptable CLI over the cache: formats, filters, search (Chinese
# included), masking, hostile text, exit codes, token rules, offline use.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 9 --orders 2000
profile admin
profile wh1
PROFILE=admin
sd sync >/dev/null
ok $? "sync"

# --- formats ------------------------------------------------------------------
sd orders list --limit 20 --format json >"$T/o.json"
is "$(sqlite3 :memory: "SELECT json_valid(readfile('$T/o.json')), json_array_length(readfile('$T/o.json'))")" \
	"1|20" "json: a valid array of 20 orders"
sd orders list --limit 20 --format csv >"$T/o.csv"
is "$(head -1 "$T/o.csv" | cut -d, -f1-3)" "id,created_at,status" "csv header"
is "$(wc -l <"$T/o.csv")" 21 "csv: header and 20 rows"
sd orders list --limit 20 >"$T/o.txt" 2>/dev/null
head -1 "$T/o.txt" | grep -q '^ID  *CREATED  *STATUS'
ok $? "table header"
# Newest first: created_at descending.
sort -c -r -t, -k2,2 <(tail -n +2 "$T/o.csv")
ok $? "orders listed newest first"

# --- filters --------------------------------------------------------------------
n=$(sd orders list --status shipped --all --format csv | tail -n +2 | cut -d, -f3 | sort -u)
is "$n" shipped "--status shipped gives only shipped orders"
n=$(sd orders list --status shipped,delivered --all --format csv | tail -n +2 | cut -d, -f3 | sort -u | tr '\n' ' ')
is "$n" "delivered shipped " "--status with a list"
n=$(sd orders list --abnormal --all --format json | grep -c '"abnormal":{')
m=$(sd orders list --abnormal --all --format csv | tail -n +2 | wc -l)
[ "$m" -gt 0 ] && [ "$n" = "$m" ]
ok $? "--abnormal gives only flagged orders ($m)"
today=$(date -u +%Y-%m-%d)
# JSON keeps UTC RFC 3339 times (CSV has the store's local ones).
sd orders list --since -3d --all --format json >"$T/since.json"
bad=$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$T/since.json'))
	WHERE json_extract(value,'\$.created_at') < '$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%S)'")
is "$bad" 0 "--since -3d gives no older order"
sd stock list --low --all --format json >"$T/low.json"
is "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$T/low.json')) WHERE json_extract(value,'\$.stock') - json_extract(value,'\$.reserved') > json_extract(value,'\$.low_stock_threshold')")" \
	0 "--low gives only SKUs at or below their threshold"
sd chats list --waiting --all --format json >"$T/w.json"
is "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$T/w.json')) WHERE json_extract(value,'\$.waiting_since') IS NULL")" \
	0 "--waiting gives only chats with a waiting customer"
sd stock list --carrier SF >/dev/null 2>"$T/e"
is "$?" 2 "a filter that does not apply is a usage error"
grep -q -- '--carrier does not apply to stock' "$T/e"
ok $? "and says which: $(cat "$T/e")"
sd orders list --since yesterdayish >/dev/null 2>"$T/e"
is "$?" 2 "a bad date is a usage error"

# --- search, Chinese and English ------------------------------------------------
sd customers list --all --format csv --reveal >"$T/c.csv"
name=$(cut -d, -f7 "$T/c.csv" | grep -E '^[张王李赵刘陈杨黄]..' | head -1)
two=${name:0:2}
sd orders list "${name:0:1}" --all --format csv | tail -n +2 >"$T/s1.csv"
[ -s "$T/s1.csv" ] && ! grep -v "${name:0:1}" "$T/s1.csv" | grep -q .
ok $? "one-character search ${name:0:1} finds orders, all containing it ($(wc -l <"$T/s1.csv"))"
sd orders list "$two" --all --format csv | tail -n +2 >"$T/s2.csv"
grep -q "$name" "$T/s2.csv"
ok $? "two-character search $two finds $name"
! grep -v "$two" "$T/s2.csv" | grep -q .
ok $? "every hit for $two contains it"
ename=$(cut -d, -f7 "$T/c.csv" | grep -E '^[A-Z][a-z]+ [A-Z][a-z]+$' | head -1)
last=${ename#* }
sd customers list -q "$(echo "$last" | tr 'A-Z' 'a-z')" --all --format csv | grep -q "$ename"
ok $? "English search is case-insensitive ($last)"
sd customers list -q "${last:0:3}" --all --format csv | grep -q "$ename"
ok $? "English prefix search (${last:0:3})"

# --- show, masking and reveal ------------------------------------------------------
oid=$(sed -n 2p "$T/o.csv" | cut -d, -f1)
sd orders show "$oid" >"$T/show.txt"
ok $? "orders show"
grep -Eq 'phone: 1[3-9][0-9]\*\*\*\*[0-9]{4}' "$T/show.txt"
ok $? "phone masked by default"
sd status >"$T/status.txt"
grep -Eq '^last sync [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \+08:00 \([0-9hmsd]+ ago\)$' \
	"$T/status.txt"
ok $? "status: the last sync in the store's zone and how long ago ($(grep '^last sync' "$T/status.txt"))"
sd orders show "$oid" --format json >"$T/show.json"
fen=$(jget "$(cat "$T/show.json")" '$.total')
is "$(grep '^total:' "$T/show.txt")" "total: ¥$((fen / 100)).$(printf %02d $((fen % 100)))" \
	"show in text gives money in yuan ($fen fen)"
at=$(jget "$(cat "$T/show.json")" '$.created_at')
is "$(grep '^created_at:' "$T/show.txt")" \
	"created_at: $(TZ=UTC date -d "$at 8 hours" '+%Y-%m-%d %H:%M:%S') +08:00" \
	"show in text gives times in the store's zone with its offset ($at)"
sd orders show "$oid" --reveal --format json >"$T/rev.json"
grep -Eq '"phone":"1[3-9][0-9]{9}"' "$T/rev.json"
ok $? "--reveal shows the full phone"
grep -q "reveal order $oid" "$XDG_STATE_HOME/shopdesk/audit.log"
ok $? "the reveal is in the audit log"
sd orders show SO99999999 >/dev/null 2>"$T/e"
is "$?" 5 "unknown id: exit 5"
grep -q "no order 'SO99999999' in the cache" "$T/e"
ok $? "unknown id says so"

# --- hostile text from the store never reaches the terminal raw ----------------------
cid=$(sd chats list --status open --limit 1 --format csv | sed -n 2p | cut -d, -f1)
# Also through the agent path: an agent's message is stored verbatim.
api agent1 POST "/v1/conversations/$cid/messages" \
	'{"body":"x\u001b[31mred\u001b[0m \u202eevil \u009b2J"}' "Idempotency-Key: hostile-1" \
	>/dev/null
sd sync >/dev/null
sd chats show "$cid" >"$T/chat.txt"
grep -q 'xred' "$T/chat.txt"
ok $? "hostile message shown as text"
LC_ALL=C grep -q $'\x1b' "$T/chat.txt"
is "$?" 1 "no ESC byte reaches the terminal (show)"
LC_ALL=C grep -q $'\xe2\x80\xae' "$T/chat.txt"
is "$?" 1 "no RLO reaches the terminal (show)"
LC_ALL=C grep -q $'\xc2\x9b' "$T/chat.txt"
is "$?" 1 "no C1 CSI reaches the terminal (show)"
sd chats list --all >"$T/chats.txt" 2>/dev/null
LC_ALL=C grep -q $'\x1b' "$T/chats.txt"
is "$?" 1 "no ESC byte in the chat list"
sd chats list --all --format json >"$T/chats.json"
LC_ALL=C grep -q $'\x1b\|\xe2\x80\xae\|\xc2\x9b' "$T/chats.json"
is "$?" 1 "JSON output escapes ESC, RLO and C1"
is "$(sqlite3 :memory: "SELECT json_valid(readfile('$T/chats.json'))")" 1 "and is still valid JSON"

# --- roles: a 403 is surfaced clearly --------------------------------------------------
PROFILE=wh1
sd sync >/dev/null
tid=$(PROFILE=admin sd tickets list --limit 1 --format csv | sed -n 2p | cut -d, -f1)
sd tickets show "$tid" --fresh >/dev/null 2>"$T/e"
is "$?" 4 "warehouse reading a ticket: exit 4"
grep -q 'forbidden' "$T/e" && [ "$(wc -l <"$T/e")" -eq 1 ]
ok $? "one clear line: $(cat "$T/e")"

# --- tokens ------------------------------------------------------------------------------
PROFILE=admin
chmod 644 "$T/tokens/admin.token"
sd sync >/dev/null 2>"$T/e"
is "$?" 3 "a token file readable by others is refused: exit 3"
grep -q 'chmod 600' "$T/e"
ok $? "and the message says how to fix it"
chmod 600 "$T/tokens/admin.token"
printf 'sd_not_a_real_token\n' >"$T/bad.token"
chmod 600 "$T/bad.token"
profile badtok "token-file = $T/bad.token"
PROFILE=badtok sd sync >/dev/null 2>"$T/e"
is "$?" 4 "an unknown token: exit 4"
grep -q '401' "$T/e"
ok $? "and says 401: $(cat "$T/e")"
profile newp "token-file = $T/newp.token"
echo "sd_piped_token" | PROFILE=newp sd token set 2>/dev/null
ok $? "token set reads standard input"
is "$(cat "$T/newp.token")" sd_piped_token "token written to the profile's token file"
is "$(stat -c %a "$T/newp.token")" 600 "with mode 0600"
PROFILE=newp sd token set sd_argv_token </dev/null >/dev/null 2>&1
is "$?" 2 "token set refuses a token given as an argument"

# --- offline ------------------------------------------------------------------------------
stop_store
n=$(sd tickets list --limit 10 --format csv | wc -l)
is "$n" 11 "tickets list works offline"
sd orders show "$oid" >/dev/null
ok $? "orders show works offline"

# --- no store configured at all: say how to name one, never guess a URL -------------
N=$(mktemp -d "$T/none.XXXXXX")
out=$(env -u SHOPDESK_URL -u SHOPDESK_TOKEN -u SHOPDESK_PROFILE HOME="$N" XDG_CONFIG_HOME="$N/c" \
	XDG_DATA_HOME="$N/d" XDG_STATE_HOME="$N/s" "$SHOPDESK" sync 2>&1)
is "$?" 3 "with no configuration, sync is a configuration error"
case "$out" in
*"no store is configured for profile default: add to $N/c/shopdesk/config"*"url = "*"shopdesk --demo"*)
	ok 0 "saying where and how to name the store, and offering the demo" ;;
*)	ok 1 "saying where and how to name the store, and offering the demo: $out" ;;
esac
out=$(env -u SHOPDESK_URL -u SHOPDESK_TOKEN -u SHOPDESK_PROFILE HOME="$N" XDG_CONFIG_HOME="$N/c" \
	XDG_DATA_HOME="$N/d" XDG_STATE_HOME="$N/s" "$SHOPDESK" status 2>/dev/null | sed -n 2p)
is "$out" "store     none configured (see 'shopdesk sync', or try 'shopdesk --demo')" \
	"and status names no store"

# --demo on a fresh cache: its first sync learns the store's zone (Asia/Shanghai),
# and the command after it already shows times in that zone, not the machine's.
out=$(env -u SHOPDESK_URL -u SHOPDESK_TOKEN -u SHOPDESK_PROFILE HOME="$N" XDG_CONFIG_HOME="$N/c" \
	XDG_DATA_HOME="$N/d" XDG_STATE_HOME="$N/s" XDG_CACHE_HOME="$N/k" TZ=UTC \
	"$SHOPDESK" --demo orders show SO10000001 2>/dev/null | grep '^created_at:')
case "$out" in
"created_at: "*" +08:00") ok 0 "--demo's first command shows the store's zone ($out)" ;;
*) ok 1 "--demo's first command shows the store's zone ($out)" ;;
esac

done_testing
