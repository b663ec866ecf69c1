#!/usr/bin/env bash
# promos.sh -- promotions (issue 13): a percent coupon may be uncapped, a
# flash sale is checked against the SKU's price and free stock, a bad or past
# date is refused before anything is queued, and a promotion ended offline is
# confirmed by the store once the link returns (through the outbox).
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 12 --orders 300 --db "$T/store.db"
profile ops1
PROFILE=ops1
sd sync >/dev/null
ok $? "sync as ops1"

# --- an uncapped percent coupon ----------------------------------------------------
sd promos create --name '全场九折' --kind percent_coupon --percent-off 10 \
	--starts tomorrow --ends '+7d' --wait >"$T/o" 2>&1
is "$?" 0 "a percent coupon with no --max-off is created ($(head -c 200 "$T/o"))"
sd sync --quiet >/dev/null 2>&1
sd promos list --kind percent_coupon --all --format json >"$T/p.json"
id=$(sqlite3 :memory: "SELECT json_extract(value, '\$.id') FROM json_each(readfile('$T/p.json'))
	WHERE json_extract(value, '\$.name') = '全场九折'")
[ -n "$id" ]
ok $? "the store has it ($id)"
api ops1 GET "/v1/promotions/$id" >"$T/remote"
grep -q '"percent_off":10' "$T/remote" && ! grep -q '"max_off":[0-9]' "$T/remote"
ok $? "uncapped on the store: no max_off"

# --- usage and the budget spent in the list -------------------------------------------
sd promos list --all --format json >"$T/all.json"
read -r pid fen < <(sqlite3 -separator ' ' :memory: "SELECT json_extract(value, '\$.id'),
	json_extract(value, '\$.usage.discount_total') FROM json_each(readfile('$T/all.json'))
	WHERE json_extract(value, '\$.usage.discount_total') > 0 LIMIT 1")
[ -n "$pid" ]
ok $? "a promotion with a discount given ($pid: $fen fen)"
sd promos list --all --format csv --header-lang en >"$T/all.csv"
head -1 "$T/all.csv" | grep -q ',USED,SPENT,NAME$'
ok $? "the list has USED and SPENT ($(head -1 "$T/all.csv"))"
is "$(grep "^$pid," "$T/all.csv" | cut -d, -f7)" "$(printf '%d.%02d' $((fen / 100)) $((fen % 100)))" \
	"SPENT is the discount given, in yuan"

# --- dates and flash sales are checked before anything is queued ------------------
before=$(sqlite3 "$T/ops1.db" "SELECT count(*) FROM outbox")
sd promos create --name x --kind fixed_coupon --off 5 --starts 2026-13-01 --ends +7d \
	>/dev/null 2>"$T/e"
is "$?" 2 "a bad date is a usage error"
grep -q "bad time '2026-13-01'" "$T/e"
ok $? "and names it: $(head -c 200 "$T/e")"
sd promos create --name x --kind fixed_coupon --off 5 --starts '+2d' --ends tomorrow \
	>/dev/null 2>"$T/e"
is "$?" 2 "an end before the start is refused"
grep -q -- "--ends must be after --starts" "$T/e"
ok $? "and says so: $(head -c 200 "$T/e")"
sd promos create --name x --kind fixed_coupon --off 5 --starts 2020-01-01 --ends +7d \
	>/dev/null 2>"$T/e"
is "$?" 2 "a start in the past is refused"
grep -q "would start in the past" "$T/e"
ok $? "and says so: $(head -c 200 "$T/e")"
sd stock list --all --format json >"$T/skus.json"
read -r sku price free < <(sqlite3 -separator ' ' :memory: "SELECT json_extract(value, '\$.id'),
	json_extract(value, '\$.price'), json_extract(value, '\$.stock') - json_extract(value, '\$.reserved')
	FROM json_each(readfile('$T/skus.json')) WHERE json_extract(value, '\$.stock') -
	json_extract(value, '\$.reserved') > 2 LIMIT 1")
yuan=$(printf '%d.%02d' $((price / 100)) $((price % 100)))
sd promos create --name x --kind flash_sale --price "$yuan" --quantity 1 --skus "$sku" \
	--starts tomorrow --ends +7d >/dev/null 2>"$T/e"
is "$?" 2 "a flash price not below the regular price is refused"
grep -q "must be below SKU $sku's regular price" "$T/e"
ok $? "and says so: $(head -c 200 "$T/e")"
sd promos create --name x --kind flash_sale --price 0.01 --quantity $((free + 1)) --skus "$sku" \
	--starts tomorrow --ends +7d >/dev/null 2>"$T/e"
is "$?" 2 "a flash sale above the free stock is refused"
grep -q "more than SKU $sku has in stock ($free not reserved)" "$T/e"
ok $? "and says so: $(head -c 200 "$T/e")"
is "$(sqlite3 "$T/ops1.db" "SELECT count(*) FROM outbox")" "$before" "nothing was queued"

# --- ended offline, confirmed online ------------------------------------------------
sd promos list --status active --all --format json >"$T/active.json"
act=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/active.json'), '\$[0].id')")
[ -n "$act" ]
ok $? "an active promotion ($act)"
stop_store
sd promos end "$act" >"$T/o" 2>&1
is "$?" 0 "ended offline: queued ($(head -c 200 "$T/o"))"
sd promos show "$act" --format json >"$T/local.json"
is "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/local.json'), '\$.status')")" \
	ended "the cache shows it ended at once"
is "$(sqlite3 "$T/ops1.db" "SELECT count(*) FROM outbox WHERE action = 'end'")" 1 "one entry in the outbox"
STORE_PORT=$PORT start_store --db "$T/store.db"
sd sync >/dev/null 2>&1
ok $? "sync once the store is back"
api ops1 GET "/v1/promotions/$act" | sed '$d' >"$T/remote.json"
is "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/remote.json'), '\$.id') || ' ' ||
	json_extract(readfile('$T/remote.json'), '\$.status')")" "$act ended" "the store has it ended"
is "$(sqlite3 "$T/ops1.db" "SELECT count(*) FROM outbox WHERE state NOT IN ('done')")" 0 \
	"the outbox entry is done"

done_testing
