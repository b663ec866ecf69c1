#!/usr/bin/env bash
# export.sh -- :export in the console (issue 13), in-process at 80x24: the
# pane's whole list with its filter and search (not only the rows on the
# screen) as CSV for people, yuan and the store's local times; an existing
# file is refused without '!' and kept as it was; export! replaces it; the
# profile's csv-bom and csv-header-lang; the Dashboard writes its report.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --seed 5 --orders 300
profile admin
PROFILE=admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/admin.db"
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$DB" >>"$XDG_CONFIG_HOME/shopdesk/config"
RUN_TZ=Asia/Shanghai

sd orders list --status completed --all --format json >"$T/completed.json"
n=$(sqlite3 :memory: "SELECT json_array_length(readfile('$T/completed.json'))")
[ "$n" -gt 20 ]
ok $? "more completed orders ($n) than a screen shows"

# What the message line said, from the messages view (the : line clears it).
run "key 2
:filter completed
:export $T/a.csv
:messages
:dump-screen $T/written
key q
:export $T/a.csv
:messages
:dump-screen $T/refused
key q 1
:export $T/dash.csv
:messages
:dump-screen $T/dash"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/written" "$n rows written to $T/a.csv" "the message line says how many rows and where"
is "$(($(wc -l <"$T/a.csv") - 1))" "$n" "every completed order is in the file, not a screenful"
is "$(head -1 "$T/a.csv")" "id,created_at,status,total,customer_name,abnormal.reason,shipment.tracking_no" \
	"the header names the members (csv-header-lang's default)"
tail -n +2 "$T/a.csv" | cut -d, -f1 | sort >"$T/ids.csv"
sqlite3 :memory: "SELECT json_extract(value, '\$.id') FROM json_each(readfile('$T/completed.json'))" | sort >"$T/ids.json"
cmp -s "$T/ids.csv" "$T/ids.json"
ok $? "the same orders as the list's filter"
tail -n +2 "$T/a.csv" | cut -d, -f3 | sort -u >"$T/st"
is "$(cat "$T/st")" "completed" "all completed"
id=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/completed.json'), '\$[0].id')")
fen=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/completed.json'), '\$[0].total')")
utc=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/completed.json'), '\$[0].created_at')")
row=$(grep "^$id," "$T/a.csv")
is "$(echo "$row" | cut -d, -f4)" "$(printf '%d.%02d' $((fen / 100)) $((fen % 100)))" \
	"money in yuan ($fen fen)"
is "$(echo "$row" | cut -d, -f2)" "$(TZ=Asia/Shanghai date -d "$utc" '+%Y-%m-%d %H:%M:%S +08:00')" \
	"time in the store's zone with its offset ($utc)"
cp "$T/a.csv" "$T/a.before"
has "$T/refused" "a.csv exists (export! $T/a.csv" "an existing file is refused without !"
cmp -s "$T/a.csv" "$T/a.before"
ok $? "... and kept as it was"
has "$T/dash" "3 rows written to $T/dash.csv" "the dashboard exports its report (dashboard-export.sh)"
is "$(head -1 "$T/dash.csv" | cut -d, -f1-4)" "period,from,to,currency" "... the report's columns"

# export! replaces it; the search applies; the profile's BOM and header language.
name=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/completed.json'), '\$[0].customer_name')")
sd orders list --status completed --all --format json "$name" >"$T/s.json"
m=$(sqlite3 :memory: "SELECT json_array_length(readfile('$T/s.json'))")
printf 'csv-bom = yes\ncsv-header-lang = zh\n' >>"$XDG_CONFIG_HOME/shopdesk/config"
run "key 2
:filter completed
:search $name
:export! $T/a.csv
:messages
:dump-screen $T/replaced"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/replaced" "$m row" "export! replaces the file ($m rows for '$name')"
is "$(($(wc -l <"$T/a.csv") - 1))" "$m" "the search applies"
is "$(head -c 3 "$T/a.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "csv-bom = yes: a byte order mark"
head -1 "$T/a.csv" | grep -q '状态'
ok $? "csv-header-lang = zh: Chinese column names"
ls "$T"/a.csv.* >/dev/null 2>&1
[ $? != 0 ]
ok $? "no temporary file left beside it"

done_testing
