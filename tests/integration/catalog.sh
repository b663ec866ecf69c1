#!/usr/bin/env bash
# catalog.sh -- the catalogue (商品管理) against the reference store: products
# and SKUs created and edited through the outbox, roles on every endpoint, a
# SKU's specifications unique in its product, a price change with its history,
# a price below cost refused unless confirmed, a product without stock kept off
# the shelf, a scheduled listing that happens while the client is away and
# shows after sync (and one cancelled), a delete refused while open orders
# have the product, and a CSV of 1,000 price changes (GB18030, Chinese
# headers) with bad lines reported before anything is queued.
. "${top_srcdir:-.}/tests/integration/lib.sh"

# No rate limit: a thousand price changes go in one sync.
start_store --seed 31 --orders 300 --db "$T/store.db" --rate 0
profile ops1
profile wh1
profile agent1
PROFILE=ops1
sd sync >/dev/null
ok $? "initial sync"

# store SQL: a query on the store's own database.
store() {
	sqlite3 "$T/store.db" "$1"
}
# field KIND ID PATH: a member of an object as the store has it.
field() {
	store "SELECT json_extract(json, '$3') FROM objects WHERE kind = (SELECT kind FROM objects
		WHERE id = '$2' LIMIT 1) AND id = '$2'"
}
# cached ID PATH: a member of an object as the ops1 client's cache shows it.
cached() {
	sd "$1" show "$2" --format json >"$T/cached.json" 2>/dev/null
	sqlite3 :memory: "SELECT json_extract(readfile('$T/cached.json'), '$3')"
}

# --- roles ----------------------------------------------------------------------------
is "$(call agent1 POST /v1/products '{"title":"x","category":"y"}')" 403 \
	"an agent cannot create a product"
is "$(call wh1 POST /v1/products '{"title":"x","category":"y"}')" 403 "nor can warehouse"
grep -qF '"required":["admin","ops"]' "$T/call"
ok $? "... the 403 names admin and ops"
is "$(call wh1 GET /v1/products/P1001)" 200 "warehouse sees products"
is "$(call agent1 GET /v1/skus/SK100001)" 200 "agents read SKUs"
is "$(call wh1 POST /v1/skus/SK100001/price '{"price":100}' 1)" 403 \
	"warehouse cannot change a price"
is "$(call ops1 POST /v1/products '{"title":"x","category":"y","price":3}')" 422 \
	"a product takes no member it does not know"
grep -qF 'price is not a field' "$T/call"
ok $? "... and says which"

# --- products and SKUs, through the outbox --------------------------------------------
out=$(sd products create --title "纯棉 T恤" --category 服装 --brand Acme --wait 2>&1)
ok $? "ops creates a product"
pid=$(printf '%s\n' "$out" | sed -n 's/.*product \(P[0-9]*\) created.*/\1/p')
is "$(field product "$pid" '$.shelf')" off "... off the shelf"
sd stock create --product "$pid" --spec "颜色=白色, 尺码=M" --price 59 --cost 30 \
	--sku-code TS-W-M --barcode 6901234567892 --weight 180 --wait >"$T/out" 2>&1
ok $? "a SKU is added with its specifications"
sku=$(sed -n 's/.*sku \(SK[0-9]*\) created.*/\1/p' "$T/out")
is "$(field sku "$sku" '$.attributes.尺码')/$(field sku "$sku" '$.title')/$(field sku "$sku" '$.cost')" \
	"M/白色 / M/3000" "... kept as typed, titled from the values, cost in fen"
is "$(field product "$pid" '$.sku_ids[0]')" "$sku" "... and listed in its product"
sd sync >/dev/null
sd stock create --product "$pid" --spec "尺码=M,颜色=白色" --price 59 >"$T/out" 2>&1
is $? 10 "the same specifications again are refused by the client"
grep -qF "SKU $sku of product $pid already has these specifications" "$T/out"
ok $? "... naming the SKU that has them"
is "$(call ops1 POST /v1/skus "{\"product_id\":\"$pid\",\"attributes\":{\"尺码\":\"M\",\"颜色\":\"白色\"},\"price\":100}")" \
	422 "... and by the store"
grep -qF '"code":"duplicate"' "$T/call"
ok $? "... as duplicate"
sd stock create --product "$pid" --spec "颜色=黑色,尺码=L" --price 69 --wait >/dev/null 2>&1
ok $? "another colour is fine"
# A new SKU changed its product (sku_ids): the feed brings the new version.
sd sync >/dev/null
sd products edit "$pid" --title "纯棉圆领 T恤" --description "200 g cotton" --wait >"$T/out" 2>&1
ok $? "the product is edited"
is "$(field sku "$sku" '$.product_title')" "纯棉圆领 T恤" "... and its SKUs carry the new title"
sd sync >/dev/null
sd stock edit "$sku" --original-price 99 --barcode 6901234567809 --wait >/dev/null 2>&1
ok $? "a SKU's original price and barcode are edited"
is "$(field sku "$sku" '$.original_price')/$(field sku "$sku" '$.barcode')" "9900/6901234567809" \
	"... as given"
is "$(call ops1 PATCH "/v1/skus/$sku" '{"price":1}' "$(field sku "$sku" '$.version')")" 422 \
	"an edit cannot change the price behind the history's back"

# --- prices ---------------------------------------------------------------------------
sd stock price "$sku" --price 49 --wait >"$T/out" 2>&1
ok $? "a price change"
is "$(field sku "$sku" '$.price')/$(field sku "$sku" '$.price_history[0].from')/$(field sku "$sku" '$.price_history[0].to')" \
	"4900/5900/4900" "... is applied and kept in the price history"
v=$(field sku "$sku" '$.version')
is "$(call ops1 POST "/v1/skus/$sku/price" '{"price":2000}' "$v")" 422 \
	"the store refuses a price below cost"
grep -qF '"code":"below_cost"' "$T/call" && grep -qF '"cost":3000' "$T/call"
ok $? "... as below_cost, with the cost"
sd stock price "$sku" --price 20 </dev/null >"$T/out" 2>&1
is $? 10 "the CLI refuses a price below cost without --yes"
grep -qF 'below cost' "$T/out" && grep -qF 'give --yes' "$T/out"
ok $? "... and says how to confirm it"
is "$(field sku "$sku" '$.price')" 4900 "... nothing changed"
sd stock price "$sku" --price 20 --yes --wait </dev/null >"$T/out" 2>&1
ok $? "with --yes it is queued and applied"
is "$(field sku "$sku" '$.price')/$(field sku "$sku" '$.price_history[1].to')" 2000/2000 \
	"... at the confirmed price"
sd stock price "$sku" --price 20 >"$T/out" 2>&1
is $? 2 "the same price again is a usage error"

# --- the shelf -------------------------------------------------------------------------
sd sync >/dev/null
sd products shelf "$pid" --shelf on >"$T/out" 2>&1
is $? 10 "a product without stock cannot go on the shelf (client)"
grep -qF "has no stock to sell" "$T/out"
ok $? "... and says so"
is "$(call ops1 POST "/v1/products/$pid/shelf" '{"shelf":"on"}' "$(field product "$pid" '$.version')")" \
	422 "... nor at the store"
grep -qF '"code":"not_sellable"' "$T/call"
ok $? "... as not_sellable"
sd stock adjust "$sku" --delta 30 --reason inbound --wait >/dev/null 2>&1
ok $? "stock is added"
sd sync >/dev/null
sd products shelf "$pid" --shelf on --at +3s --wait >/dev/null 2>&1
ok $? "with stock it is scheduled to go on the shelf in 3 s"
is "$(cached products "$pid" '$.scheduled_shelf.shelf')/$(cached products "$pid" '$.shelf')" "on/off" \
	"... the cache shows it scheduled, still off"
# The client stays away while the time passes.
sleep 4
is "$(cached products "$pid" '$.shelf')" off "while away the client still shows it off"
sd sync >/dev/null
is "$(cached products "$pid" '$.shelf')/$(cached products "$pid" '$.last_scheduled.result')" "on/done" \
	"after sync it shows on the shelf, the schedule done"
is "$(cached stock "$sku" '$.shelf')" on "... with its SKUs"
sd products shelf "$pid" --shelf off --at +1h --wait >/dev/null 2>&1
sd products cancel "$pid" --wait >/dev/null 2>&1
ok $? "a scheduled change is cancelled"
is "$(field product "$pid" '$.scheduled_shelf')" "" "... and is gone"
sd sync >/dev/null
sd products cancel "$pid" >"$T/out" 2>&1
is $? 10 "cancelling when nothing is scheduled is refused"

# --- delete ----------------------------------------------------------------------------
osku=$(store "SELECT json_extract(json, '$.items[0].sku_id') FROM objects WHERE kind =
	(SELECT kind FROM objects WHERE id LIKE 'SO%' LIMIT 1) AND
	json_extract(json, '$.status') = 'awaiting_shipment' LIMIT 1")
opid=$(field sku "$osku" '$.product_id')
sd products delete "$opid" --wait >"$T/out" 2>&1
is $? 10 "a product in open orders cannot be deleted"
grep -qF "open order" "$T/out" && grep -qF "ship or cancel" "$T/out"
ok $? "... the refusal says why and what to do"
is "$(field product "$opid" '$.id')" "$opid" "... it is still there"
sd outbox drop "$(sd outbox list --format json | grep -o '"id":[0-9]*' | tail -1 | cut -d: -f2)" \
	>/dev/null 2>&1
sd products create --title "Temp" --category Misc --wait >"$T/out" 2>&1
tid=$(sed -n 's/.*product \(P[0-9]*\) created.*/\1/p' "$T/out")
sd products delete "$tid" --wait >/dev/null 2>&1
ok $? "a product in no order is deleted"
is "$(store "SELECT deleted FROM objects WHERE id = '$tid'")" 1 "... as a tombstone"

# --- a CSV of 1,000 price changes ---------------------------------------------------------
# The seed has under 200 SKUs: a product with 850 sizes more, in one curl run.
printf 'Authorization: Bearer %s\n' "$(cat "$T/tokens/ops1.token")" >"$T/auth.h"
big=$(call ops1 POST /v1/products '{"title":"袜子","category":"服装"}' >/dev/null;
	jget "$(head -1 "$T/call")" '$.id')
for i in $(seq 1 850); do
	printf 'url = "%s/v1/skus"\nheader = @%s\nheader = "Idempotency-Key: big-%d"\n' \
		"$URL" "$T/auth.h" "$i"
	printf 'header = "Content-Type: application/json"\n'
	printf 'data = "{\\"product_id\\":\\"%s\\",\\"attributes\\":{\\"size\\":\\"%d\\"},\\"price\\":%d}"\n' \
		"$big" "$i" $((1000 + i))
	printf 'output = /dev/null\nnext\n'
done >"$T/curl.cfg"
curl -s -K "$T/curl.cfg" 2>/dev/null
sd sync >/dev/null
mapfile -t skus < <(store "SELECT id FROM objects WHERE id LIKE 'SK%' AND deleted = 0 AND
	coalesce(json_extract(json, '$.cost'), 0) = 0 ORDER BY id LIMIT 1000")
{
	printf 'SKU编码,价格,备注\n'
	for i in "${!skus[@]}"; do
		case $i in
		100) printf '%s,abc,坏\n' "${skus[$i]}" ;;
		200) printf 'SK999999,12.00,不存在\n' ;;
		*) printf '%s,%d.%02d,调价\n' "${skus[$i]}" $((i % 90 + 10)) $((i % 100)) ;;
		esac
	done
} | iconv -f UTF-8 -t GB18030 >"$T/prices.csv"
sd stock price --from-csv "$T/prices.csv" >"$T/out" 2>&1
is $? 2 "a price file with bad lines is refused whole"
grep -qF "line 102:" "$T/out" && grep -qF "line 202:" "$T/out" && grep -qF "encoding GB18030" "$T/out"
ok $? "... naming each bad line, read as GB18030"
is "$(sd outbox list --format json | grep -c '"state":"queued"')" 0 "... nothing was queued"
sd stock price --from-csv "$T/prices.csv" --skip-bad --dry-run >"$T/out" 2>&1
grep -q "line [0-9]*: SK[0-9]* ¥[0-9.]* -> ¥[0-9.]* ([-+][0-9]*%)" "$T/out"
ok $? "the preview shows every old -> new price"
grep -q "line 2: Price of SK[0-9]* ¥[0-9.]* -> ¥10.00: down [0-9]*%" "$T/out"
ok $? "... and flags a change over 50 %"
sd stock price --from-csv "$T/prices.csv" --skip-bad >"$T/out" 2>&1
is $? 12 "with --skip-bad the good lines are queued"
is "$(sd outbox list --format json | grep -c '"state":"queued"')" 998 "... all 998 of them"
sd sync >/dev/null 2>&1
is "$(field sku "${skus[0]}" '$.price')/$(field sku "${skus[999]}" '$.price')" "1000/1999" \
	"... and applied after sync"

# --- products list ---------------------------------------------------------------------
pk=$(store "SELECT kind FROM objects WHERE id GLOB 'P[0-9]*' LIMIT 1")
n=$(store "SELECT count(*) FROM objects WHERE kind = $pk AND deleted = 0")
is "$(sd products list --all --format json | json_count)" "$n" "products list: every product the store has ($n)"
p1=$(store "SELECT id FROM objects WHERE kind = $pk AND deleted = 0 ORDER BY id LIMIT 1")
sd products list --limit 1 >"$T/out" 2>&1
grep -q "^ID  *SHELF  *SKUS  *CATEGORY  *BRAND  *TITLE" "$T/out" &&
	grep -q "^$p1  *\(on\|off\)  *[0-9][0-9]*  .*$(field product "$p1" '$.title')" "$T/out"
ok $? "... by id, with shelf, SKUs, category, brand and title ($(sed -n 2p "$T/out"))"
cat1=$(field product "$p1" '$.category_id')
is "$(sd products list --category "$cat1" --all --format json | json_count)" \
	"$(store "SELECT count(*) FROM objects WHERE kind = $pk AND deleted = 0 AND
		json_extract(json, '\$.category_id') = '$cat1'")" "... --category filters them"
sd products list 羽绒 >"$T/out" 2>&1
is $? 2 "... a search by text is a usage error"
grep -q "shopdesk stock list '羽绒'" "$T/out"
ok $? "... saying where to search instead"

done_testing
