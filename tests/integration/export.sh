#!/usr/bin/env bash
# export.sh -- CSV for people (issue 13): money in yuan, times where the store
# is with their offset, a byte order mark for Excel, column names in a
# language; --format json keeps the store's units.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 9 --orders 300
profile admin
profile bom 'csv-bom = yes' 'csv-header-lang = zh' "cache = $T/admin.db"
PROFILE=admin
sd sync >/dev/null
ok $? "sync"

# The machine's zone is not the store's (Asia/Shanghai): CSV's times are the store's.
export TZ=America/New_York
sd orders list --status shipped --all --format json >"$T/o.json"
sd orders list --status shipped --all --format csv >"$T/o.csv"
n=$(sqlite3 :memory: "SELECT json_array_length(readfile('$T/o.json'))")
[ "$n" -gt 0 ]
ok $? "some shipped orders ($n)"
is "$(($(wc -l <"$T/o.csv") - 1))" "$n" "csv: one row per order, all of them"
is "$(head -1 "$T/o.csv")" "id,created_at,status,abnormal.reason,total,items,shipment.tracking_no,customer_name" \
	"header: the member names by default"

# The first order, as JSON (raw units) and as CSV (for people).
id=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/o.json'), '\$[0].id')")
fen=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/o.json'), '\$[0].total')")
utc=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/o.json'), '\$[0].created_at')")
row=$(grep "^$id," "$T/o.csv")
yuan=$(printf '%d.%02d' $((fen / 100)) $((fen % 100)))
is "$(echo "$row" | cut -d, -f5)" "$yuan" "money in yuan with two decimals ($fen fen)"
local_time=$(TZ=Asia/Shanghai date -d "$utc" '+%Y-%m-%d %H:%M:%S +08:00')
is "$(echo "$row" | cut -d, -f2)" "$local_time" "time in the store's zone with its offset ($utc)"
grep -q '"total":'"$fen" "$T/o.json"
ok $? "json keeps fen"
grep -q '"created_at":"'"$utc"'"' "$T/o.json"
ok $? "json keeps UTC"
head -c 3 "$T/o.csv" | od -An -tx1 | grep -q 'ef bb bf'
[ $? != 0 ]
ok $? "no byte order mark unless asked"

# --bom and --header-lang; the profile's keys alike.
sd orders list --limit 3 --format csv --bom --header-lang zh >"$T/z.csv"
is "$(head -c 3 "$T/z.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "--bom: a UTF-8 byte order mark first"
head -1 "$T/z.csv" | grep -q '状态'
ok $? "--header-lang zh: Chinese column names ($(head -1 "$T/z.csv" | tail -c +4))"
sd orders list --limit 3 --format csv --header-lang en | head -1 | grep -q '^ID,CREATED,STATUS,'
ok $? "--header-lang en: the English column names"
PROFILE=bom sd orders list --limit 3 --format csv >"$T/p.csv"
cmp -s "$T/p.csv" "$T/z.csv"
ok $? "csv-bom = yes and csv-header-lang = zh in the profile do the same"
sd orders list --bom >/dev/null 2>"$T/e"
is "$?" 2 "--bom without --format csv is a usage error"
grep -q -- '--bom is for --format csv' "$T/e"
ok $? "and says so: $(cat "$T/e")"
sd orders list --format csv --header-lang fr >/dev/null 2>"$T/e"
is "$?" 2 "an unknown --header-lang is a usage error"
grep -q "unknown --header-lang 'fr'" "$T/e"
ok $? "and names the choices: $(cat "$T/e")"

# Masked by default, like every list.
sd customers list --limit 5 --format csv | cut -d, -f3 | tail -n +2 | grep -v '^$' >"$T/ph"
[ -s "$T/ph" ] && ! grep -qv '\*\*\*\*' "$T/ph"
ok $? "phones stay masked in CSV"

done_testing
