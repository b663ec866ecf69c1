#!/usr/bin/env bash
# shipments.sh -- `shopdesk orders shipments`: the day's shipments as CSV
# (carrier, tracking number, order, time, items), oldest first; exactly the
# cached orders shipped that day; a bad date is refused.
. "${top_srcdir:-.}/tests/integration/lib.sh"
export TZ=UTC

start_store --orders 2000
profile wh1
PROFILE=wh1
sd sync >/dev/null 2>&1
ok $? "the warehouse syncs"
DB="$T/wh1.db"
set -- $(sqlite3 "$DB" "SELECT id FROM orders WHERE status = 'awaiting_shipment'
    AND abnormal IS NULL ORDER BY id LIMIT 2")
a=${1:-} b=${2:-}
sd ship "$a" --carrier SF --tracking SF7700000000001 --wait >/dev/null 2>&1 &&
	sd ship "$b" --carrier JD --tracking JD7700000000002 --wait >/dev/null 2>&1
ok $? "two orders shipped ($a, $b)"
sd sync >/dev/null 2>&1

sd orders shipments --date today --format csv >"$T/today.csv"
is "$?" 0 "orders shipments --date today --format csv runs"
is "$(head -1 "$T/today.csv" | tr -d '\r')" "carrier,tracking_no,order_id,shipped_at,items" \
	"the header"
grep -q "^SF,SF7700000000001,$a,$(date -u +%Y-%m-%d)T" "$T/today.csv"
ok $? "the first shipment: carrier, tracking number, order, time"
grep -q "^JD,JD7700000000002,$b," "$T/today.csv"
ok $? "the second"
sd orders list --all --format json >"$T/all.json"
items=$(sqlite3 :memory: "SELECT group_concat(json_extract(i.value, '$.sku_id') || 'x' ||
    json_extract(i.value, '$.quantity'), ' ') FROM json_each(readfile('$T/all.json')) o,
    json_each(o.value, '$.items') i WHERE json_extract(o.value, '$.id') = '$a'")
grep -q ",$a,.*,$items"$'\r'"\$" "$T/today.csv"
ok $? "items with their SKU codes and quantities ($items)"
want=$(sqlite3 :memory: "SELECT json_extract(value, '$.id') FROM json_each(readfile('$T/all.json'))
    WHERE json_extract(value, '$.shipment.shipped_at') >= strftime('%Y-%m-%dT00:00:00Z', 'now')
    ORDER BY json_extract(value, '$.shipment.shipped_at'), json_extract(value, '$.id')" |
	tr '\n' ' ')
is "$(tail -n +2 "$T/today.csv" | cut -d, -f3 | tr '\n' ' ')" "$want" \
	"exactly the orders shipped today, oldest first"
is "$(sd orders shipments --date 2001-01-01 --format csv | wc -l)" 1 "a day without: the header alone"
sd orders shipments --date tomorrowish >/dev/null 2>"$T/err"
is "$?" 2 "a bad date is a usage error"
grep -q "bad date 'tomorrowish': today, yesterday or YYYY-MM-DD" "$T/err"
ok $? "... saying what is taken"

done_testing
