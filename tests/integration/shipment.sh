#!/usr/bin/env bash
# shipment.sh -- correcting a shipment against the reference store: a wrong
# tracking number is corrected before the carrier picks the parcel up, and
# the store and a second client see it; a parcel picked up, or a number
# another order has, is refused (by the client from its cache, and by the
# store); a correction queued offline is sent by the next sync.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --orders 2000 --db "$T/store.db"
profile wh1
profile admin
PROFILE=wh1
sd sync >/dev/null 2>&1
ok $? "the warehouse syncs"
PROFILE=admin sd sync >/dev/null 2>&1

# by SQL on a JSON list: the ids of what matches WHERE (value is an order).
pick() {
	sqlite3 :memory: "SELECT json_extract(value, '$.id') FROM json_each(readfile('$T/list.json'))
	    WHERE $1 ORDER BY 1 LIMIT ${2:-1}"
}
sd orders list --status awaiting_shipment --all --format json >"$T/list.json"
set -- $(pick "json_extract(value, '$.abnormal') IS NULL" 2)
a=$1 b=$2
sd orders list --status shipped --all --format json >"$T/list.json"
p=$(pick "json_extract(value, '$.shipment.picked_up_at') IS NOT NULL")
ok "$([ -n "$a" ] && [ -n "$b" ] && [ -n "$p" ]; echo $?)" \
	"two orders to ship ($a, $b) and a seeded one the carrier picked up ($p)"

sd ship "$a" --carrier SF --tracking SF9000000000001 --wait >/dev/null 2>&1 &&
	sd ship "$b" --carrier JD --tracking JD9000000000002 --wait >/dev/null 2>&1
ok $? "both shipped"
is "$(jget "$(api admin GET "/v1/orders/$a" | head -1)" '$.shipment.picked_up_at')" "" \
	"a parcel just shipped is not picked up yet"

# --- a correction --------------------------------------------------------------------
sd orders correct "$a" --carrier 圆通 --tracking YT9000000000003 --reason 扫错单号 --wait \
	>"$T/out" 2>&1
ok $? "orders correct --wait: exit 0 ($(head -c 200 "$T/out"))"
grep -q "correct $a's shipment to YTO YT9000000000003" "$T/out"
ok $? "... with its summary"
o=$(api admin GET "/v1/orders/$a" | head -1)
is "$(jget "$o" '$.shipment.carrier') $(jget "$o" '$.shipment.tracking_no') $(jget "$o" '$.status')" \
	"YTO YT9000000000003 shipped" "the store has the corrected waybill, still shipped"
is "$(jget "$o" '$.timeline[#-1].event')|$(jget "$o" '$.timeline[#-1].detail')" \
	"shipment_corrected|SF SF9000000000001 -> YTO YT9000000000003: 扫错单号" \
	"the timeline says old -> new and why"
PROFILE=admin sd sync >/dev/null 2>&1
is "$(jget "$(PROFILE=admin sd orders show "$a" --format json)" '$.shipment.tracking_no')" \
	YT9000000000003 "a second client sees it after its sync"
sd orders show "$a" >"$T/show"
grep -q "YTO YT9000000000003" "$T/show"
ok $? "orders show shows the corrected shipment"

# --- refused -------------------------------------------------------------------------
sd orders correct "$a" --carrier JD --tracking JD9000000000002 >"$T/out" 2>&1
is "$?" 10 "another order's tracking number is refused before queueing"
grep -qF "tracking number JD9000000000002 is order $b's shipment" "$T/out"
ok $? "... naming the other order ($(cat "$T/out"))"
sd orders correct "$a" --carrier YTO --tracking YT9000000000003 >"$T/out" 2>&1
is "$?" 2 "the tracking number the order has is refused"
sd orders correct "$p" --carrier SF --tracking SF9000000000005 >"$T/out" 2>&1
is "$?" 10 "a parcel the carrier picked up is refused"
grep -qF "the carrier picked up order $p's parcel at" "$T/out"
ok $? "... saying when ($(cat "$T/out"))"
is "$(sd outbox list 2>&1)" "the outbox is empty" "nothing refused was queued"

# The store refuses the same, whatever a client's cache says.
ver=$(jget "$o" '$.version')
r=$(api wh1 POST "/v1/orders/$a/correct" '{"carrier":"JD","tracking_no":"JD9000000000002"}' \
	"If-Match: $ver" "Idempotency-Key: corr-1")
is "$(echo "$r" | tail -1) $(jget "$(echo "$r" | head -1)" '$.error.code') $(jget \
	"$(echo "$r" | head -1)" '$.error.details.with')" "HTTP 422 duplicate $b" \
	"the store: 422 duplicate, with the other order"
pv=$(jget "$(api admin GET "/v1/orders/$p" | head -1)" '$.version')
r=$(api wh1 POST "/v1/orders/$p/correct" '{"carrier":"SF","tracking_no":"SF9000000000005"}' \
	"If-Match: $pv" "Idempotency-Key: corr-2")
is "$(echo "$r" | tail -1) $(jget "$(echo "$r" | head -1)" '$.error.code')" "HTTP 422 picked_up" \
	"the store: 422 picked_up after pickup"
r=$(api agent1 POST "/v1/orders/$b/correct" '{"carrier":"SF","tracking_no":"SF9000000000006"}' \
	"If-Match: 1" "Idempotency-Key: corr-3")
is "$(echo "$r" | tail -1)" "HTTP 403" "the store: agents may not correct"

# --- offline -------------------------------------------------------------------------
stop_store
sd orders correct "$b" --carrier ZTO --tracking ZT9000000000004 >"$T/out" 2>&1
ok $? "offline: the correction is queued ($(head -c 200 "$T/out"))"
is "$(jget "$(sd orders show "$b" --format json)" '$.shipment.tracking_no')" ZT9000000000004 \
	"... and shown at once"
STORE_PORT=$PORT start_store --db "$T/store.db"
sd sync >/dev/null 2>&1
ok $? "back online, sync"
o=$(api admin GET "/v1/orders/$b" | head -1)
is "$(jget "$o" '$.shipment.carrier') $(jget "$o" '$.shipment.tracking_no')" \
	"ZTO ZT9000000000004" "the store has it"
is "$(sd outbox list 2>&1)" "the outbox is empty" "the outbox is empty again"

done_testing
