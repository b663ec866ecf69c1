#!/usr/bin/env bash
# medusa-backend.sh -- shopdesk against a real Medusa v2 server (backend = medusa).
#
# The store is seeded through Medusa's own API (tests/medusa/seed.mjs). shopdesk sync
# must mirror it exactly: the same counts of every kind, every order's total, paid and
# refunded amounts to the fen, the statuses of each seeded case, tracking numbers,
# stock, prices, names; a second sync with nothing new must cost a few small requests;
# product categories made in Medusa sync as the category tree.
# Then every write goes through the outbox and is checked in Medusa itself: ship,
# deliver, cancel, a return received and refunded, an exchange, stock adjustments and
# a threshold, promotions created, activated and ended, the catalogue's writes (a price
# queued offline and sent online keeping the other currency's price, a CSV of prices, a
# SKU's codes, original price, cost and weight, a product's texts, brand and category,
# categories created, renamed, moved and deleted, Medusa refusing to delete one with
# children, a product created and one deleted), each re-sent as after a lost answer and recognised, an
# older build's record of what the store offers redone by a sync, a conflict, a refusal carrying
# Medusa's message, what Medusa does not offer, and a replay through a Medusa restart
# and a kill -9 of shopdesk that applies every action exactly once.
# Skipped, with the reason, when the machine cannot run Medusa.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/integration/medusa-lib.sh"

medusa_up
medusa_profile med
PROFILE=med

# fen DECIMAL: a decimal amount as text ("129.9") in fen, exactly (JavaScript BigInt).
JSFEN='const fen = (s) => { s = String(s); const neg = s.startsWith("-"); if (neg) s = s.slice(1);
	const [w, f = ""] = s.split("."); const v = BigInt(w || "0") * 100n + BigInt((f + "00").slice(0, 2));
	return String(neg ? -v : v); };'

# --- the first sync mirrors the store --------------------------------------------------
sd sync --format json >"$T/sync1.json" 2>"$T/sync1.err"
ok $? "the first sync succeeds"
[ -s "$T/sync1.err" ] && sed 's/^/#   /' "$T/sync1.err" | head -5

count() { mjson j.count "$(medusa_api GET "$1")"; }
cached() { sd "$1" list --all --format json | json_count; }
is "$(cached orders)" "$(count '/admin/orders?limit=1&fields=id')" "as many orders as Medusa has"
is "$(cached customers)" "$(count '/admin/customers?limit=1&fields=id')" "as many customers"
is "$(cached promos)" "$(count '/admin/promotions?limit=1&fields=id')" "as many promotions"
n_skus=$(mjson 'j.inventory_items.filter(i => i.variants.length > 0).length' \
	"$(medusa_api GET '/admin/inventory-items?limit=1000&fields=id,variants.id')")
is "$(cached stock)" "$n_skus" "as many SKUs as inventory items with a variant ($n_skus)"
rets=$(mjson 'j.returns.filter(r => !r.claim_id && !r.exchange_id).length' \
	"$(medusa_api GET '/admin/returns?limit=1000&fields=id,claim_id,exchange_id')")
n_tickets=$((rets + $(count '/admin/claims?limit=1&fields=id') + $(count '/admin/exchanges?limit=1&fields=id')))
is "$(cached tickets)" "$n_tickets" "as many tickets as returns, claims and exchanges ($n_tickets)"

# Every order's money, to the fen, from Medusa's decimal text.
medusa_api GET '/admin/orders?limit=1000&fields=id,summary' >"$T/m-orders.json"
sd orders list --all --format json >"$T/s-orders.json"
diffs=$(node -e "$JSFEN
	const fs = require('fs');
	const m = JSON.parse(fs.readFileSync(process.argv[1])).orders;
	const s = Object.fromEntries(JSON.parse(fs.readFileSync(process.argv[2])).map(o => [o.id, o]));
	let bad = [];
	for (const o of m) {
		const x = s[o.id], sm = o.summary;
		const want = [fen(sm.raw_original_order_total.value), fen(sm.raw_paid_total.value),
			fen(sm.raw_refunded_total.value)].join(' ');
		const got = x ? [x.total, x.paid_amount, x.refunded_amount].join(' ') : 'missing';
		if (want !== got) bad.push(o.id + ': ' + got + ' != ' + want);
	}
	console.log(bad.join('; '));" "$T/m-orders.json" "$T/s-orders.json")
is "$diffs" "" "every order's total, paid and refunded amounts match Medusa's to the fen"

ord() { sd orders show "$1" --format json; }
st() { mjson '[j.status, j.payment_status, j.fulfillment_status].join(" ")' "$(ord "$1")"; }
is "$(st "$SEED_ORDERS_SHIPPED")" "shipped paid shipped" "a shipped order is shipped"
is "$(st "$SEED_ORDERS_DELIVERED")" "delivered paid delivered" "a delivered order is delivered"
is "$(st "$SEED_ORDERS_RETURNED")" "delivered partially_refunded delivered" \
	"a partly refunded order is partially_refunded"
is "$(st "$SEED_ORDERS_PAID")" "awaiting_shipment paid unfulfilled" "a captured order awaits shipment"
is "$(st "$SEED_ORDERS_AUTHORIZED")" "awaiting_shipment paid unfulfilled" \
	"an authorized order awaits shipment too"
is "$(st "$SEED_ORDERS_UNPAID")" "pending_payment unpaid unfulfilled" "an unpaid order is pending payment"
is "$(st "$SEED_ORDERS_CANCELED")" "cancelled unpaid unfulfilled" "a canceled order is cancelled"
is "$(mjson j.shipment.tracking_no "$(ord "$SEED_ORDERS_SHIPPED")")" "$SEED_TRACKING_NUMBER" \
	"the shipment's tracking number"
is "$(mjson j.currency "$(ord "$SEED_ORDERS_SHIPPED")")" CNY "orders are in CNY"
is "$(mjson j.promotion_id "$(ord "$SEED_ORDERS_PROMO")")" "$SEED_PROMOTION_IDS_JIAN20" \
	"the promotion an order used"
is "$(sd orders list --all --format json | node -e '
	const j = JSON.parse(require("fs").readFileSync(0)); console.log(j.filter(o => o.customer_name === "张伟").length > 0)')" \
	true "Chinese names read family name first (张伟)"

sku() { sd stock show "$1" --format json; }
is "$(mjson '[j.price, j.currency, j.barcode].join(" ")' "$(sku "$SEED_VARIANT_IDS_TEE_WHT_M")")" \
	"12990 CNY 6901234560015" "TEE-WHT-M costs 12990 fen with its barcode"
is "$(mjson j.stock "$(sku "$SEED_VARIANT_IDS_TEE_BLK_M")")" 0 "TEE-BLK-M has no stock"
t=$(sd tickets show "$SEED_RETURN_ID" --format json)
is "$(mjson '[j.kind, j.status, j.order_id].join(" ")' "$t")" "return_refund received $SEED_ORDERS_RETURNED" \
	"the return is a received return_refund ticket of its order"
is "$(mjson j.sla "$t")" null "tickets have no SLA (Medusa has none)"
xs=$(mjson 'j.exchange.return.status' "$(medusa_api GET "/admin/exchanges/$SEED_EXCHANGE_ID?fields=id,return.status")")
case $xs in
requested) want=awaiting_return ;;
received | partially_received) want=received ;;
*) want="?$xs" ;;
esac
is "$(mjson '[j.kind, j.status].join(" ")' "$(sd tickets show "$SEED_EXCHANGE_ID" --format json)")" \
	"exchange $want" "the exchange is an exchange ticket, $want (its return is $xs in Medusa)"
is "$(mjson '[j.kind, j.status].join(" ")' "$(sd promos show "$SEED_PROMOTION_IDS_DRAFT618" --format json)")" \
	"percent_coupon draft" "the draft promotion"

# Medusa's order numbers: lists show "#N", and "#N" names the order wherever an id goes.
dn=$(mjson j.display_id "$(ord "$SEED_ORDERS_SHIPPED")")
sd orders list --all | grep -q "^#$dn "
ok $? "the orders list shows Medusa's number #$dn"
is "$(mjson j.id "$(sd orders show "#$dn" --format json)")" "$SEED_ORDERS_SHIPPED" "orders show #$dn is that order"
sd orders note "#999999" --text x >/dev/null 2>"$T/err"
is "$?" 5 "an unknown #N is refused (exit 5)"
grep -q "no order #999999 in the cache" "$T/err"
ok $? "... saying so"

# --- a second sync with nothing new ---------------------------------------------------------
sd sync --format json >"$T/sync2.json"
ok $? "a second sync succeeds"
is "$(mjson j.changes "$(cat "$T/sync2.json")")" 0 "it changes nothing"
req=$(mjson j.requests "$(cat "$T/sync2.json")")
bytes=$(mjson j.bytes "$(cat "$T/sync2.json")")
echo "# no-change sync: $req requests, $bytes bytes (first: $(mjson '[j.requests, j.bytes].join(" requests, ")' "$(cat "$T/sync1.json")") bytes)"
[ "$req" -le 12 ] && [ "$bytes" -lt 65536 ]
ok $? "... for a handful of small requests ($req, $bytes bytes)"

# --- product categories are the category tree ---------------------------------------------
top=$(mjson j.product_category.id "$(medusa_api POST /admin/product-categories '{"name":"手机数码"}')")
sub=$(mjson j.product_category.id "$(medusa_api POST /admin/product-categories \
	"{\"name\":\"耳机\",\"parent_category_id\":\"$top\"}")")
sd sync >/dev/null
ok $? "a sync after two product categories were made in Medusa"
sd categories tree --ascii >"$T/cats" 2>&1
printf '%s\n' "手机数码  $top  (0)" "\`-- 耳机  $sub  (0)" >"$T/cats.want"
check "... they are the category tree, 耳机 under 手机数码" diff -u "$T/cats.want" "$T/cats"

# --- the other ways in -----------------------------------------------------------------------
medusa_profile medpw --emailpass
w=$(PROFILE=medpw sd whoami 2>&1)
case $w in
*"($MEDUSA_EMAIL, user_"*", role admin) at $MEDUSA_URL") r=0 ;;
*) r=1 ;;
esac
ok $r "auth = emailpass: the password is exchanged for a token; whoami is the admin user ($w)"
PROFILE=medpw sd sync >/dev/null 2>&1
ok $? "... and it syncs"
w=$(sd whoami 2>&1)
case $w in
*"(api-key, api-key, role admin) at $MEDUSA_URL") r=0 ;;
*) r=1 ;;
esac
ok $r "auth = api-key: whoami is the key, role admin ($w)"
medusa_profile medbad "role = warehouse"
printf 'sk_not_a_key\n' >"$T/tokens/medusa-medbad.token"
PROFILE=medbad sd sync >/dev/null 2>"$T/err"
is "$?" 4 "a wrong key is refused (exit 4)"
grep -q "Medusa refused.*401" "$T/err"
ok $? "... saying Medusa refused it: $(head -c 200 "$T/err")"

# --- a capture does not move the order: the payments window finds it ----------------------------
pay=$(mjson 'j.order.payment_collections[0].payments[0].id' \
	"$(medusa_api GET "/admin/orders/$SEED_ORDERS_AUTHORIZED?fields=id,*payment_collections.payments")")
u0=$(mjson j.order.updated_at "$(medusa_api GET "/admin/orders/$SEED_ORDERS_AUTHORIZED?fields=id,updated_at")")
medusa_api POST "/admin/payments/$pay/capture" '{}' >/dev/null
ok $? "(the authorized payment captured in Medusa)"
u1=$(mjson j.order.updated_at "$(medusa_api GET "/admin/orders/$SEED_ORDERS_AUTHORIZED?fields=id,updated_at")")
is "$u1" "$u0" "Medusa's capture left the order's updated_at as it was (the trap)"
sd sync >/dev/null
want=$(mjson 'j.order.summary.raw_paid_total.value' \
	"$(medusa_api GET "/admin/orders/$SEED_ORDERS_AUTHORIZED?fields=id,summary")")
got=$(mjson j.paid_amount "$(ord "$SEED_ORDERS_AUTHORIZED")")
is "$got" "$(node -e "$JSFEN console.log(fen(process.argv[1]))" "$want")" \
	"... yet the next sync has the order paid ($got fen)"

# --- what Medusa does not offer ---------------------------------------------------------------
sd chats list >/dev/null 2>"$T/err"
is "$?" 10 "chats list is refused (exit 10)"
grep -q "chats: not offered by this store (medusa)" "$T/err"
ok $? "... saying chats are not offered by this store"
sd tickets approve "$SEED_RETURN_ID" >/dev/null 2>"$T/err"
is "$?" 10 "tickets approve is refused"
is "$(sd outbox list --format json | json_count)" 0 "... and nothing is queued"

# --- writes -------------------------------------------------------------------------------------
pushed() { sd sync --format json | node -e 'const j = JSON.parse(require("fs").readFileSync(0));
	console.log(j.applied + " " + j.conflicts + " " + j.failed + " " + j.deferred)'; }
m_order() { medusa_api GET "/admin/orders/$1?fields=id,status,payment_status,fulfillment_status,metadata,summary,*fulfillments,*fulfillments.labels,*fulfillments.items"; }

sd orders ship "$SEED_ORDERS_PAID" --carrier SF --tracking SF1234567890123 >/dev/null
is "$(pushed)" "1 0 0 0" "ship is applied"
o=$(m_order "$SEED_ORDERS_PAID")
is "$(mjson 'j.order.fulfillment_status + " " + j.order.fulfillments[0].labels[0].tracking_number' "$o")" \
	"shipped SF1234567890123" "Medusa has the order shipped with the tracking number"
is "$(mjson '[j.shipment.carrier, j.shipment.tracking_no, j.status].join(" ")' "$(ord "$SEED_ORDERS_PAID")")" \
	"SF SF1234567890123 shipped" "... and so does the cache, with the carrier"
sd orders deliver "$SEED_ORDERS_PAID" >/dev/null
is "$(pushed)" "1 0 0 0" "deliver is applied"
is "$(mjson j.order.fulfillment_status "$(m_order "$SEED_ORDERS_PAID")")" delivered "Medusa has it delivered"
sd orders cancel "$SEED_ORDERS_UNPAID" >/dev/null
is "$(pushed)" "1 0 0 0" "cancel is applied"
is "$(mjson j.order.status "$(m_order "$SEED_ORDERS_UNPAID")")" canceled "Medusa has it canceled"
sd orders note "$SEED_ORDERS_DELIVERED" --text "周末不送货" >/dev/null
is "$(pushed)" "1 0 0 0" "note is applied"
is "$(mjson j.order.metadata.shopdesk_note "$(m_order "$SEED_ORDERS_DELIVERED")")" "周末不送货" \
	"Medusa keeps the note in the order's metadata"

# A return, received and refunded.
sd tickets create --order "$SEED_ORDERS_PAID" --kind return_refund --reason 尺码不合适 --amount 10 >/dev/null
is "$(pushed)" "1 0 0 0" "a return_refund ticket is created"
rid=$(sd tickets list --order "$SEED_ORDERS_PAID" --format json | node -e '
	const j = JSON.parse(require("fs").readFileSync(0)); console.log(j.filter(t => t.kind === "return_refund")[0].id)')
r=$(medusa_api GET "/admin/returns/$rid?fields=id,status,order_id,*items")
is "$(mjson '[j.return.status, j.return.order_id, j.return.items.length > 0].join(" ")' "$r")" \
	"requested $SEED_ORDERS_PAID true" "Medusa has the return requested with its items"
sd tickets receive "$rid" --condition ok --restock >/dev/null
is "$(pushed)" "1 0 0 0" "receive is applied"
is "$(mjson j.return.status "$(medusa_api GET "/admin/returns/$rid?fields=id,status")")" received \
	"Medusa has the return received"
before=$(mjson 'j.order.summary.refunded_total' "$(m_order "$SEED_ORDERS_PAID")")
sd tickets refund "$rid" --amount 10 >/dev/null
is "$(pushed)" "1 0 0 0" "refund is applied"
after=$(mjson 'j.order.summary.refunded_total' "$(m_order "$SEED_ORDERS_PAID")")
is "$before -> $after" "0 -> 10" "Medusa refunded 10.00 once"
is "$(mjson '[j.status, j.refund_amount].join(" ")' "$(sd tickets show "$rid" --format json)")" \
	"refunded 1000" "the ticket is refunded, 1000 fen"
sd sync >/dev/null
is "$(mjson '[j.payment_status, j.refunded_amount].join(" ")' "$(ord "$SEED_ORDERS_PAID")")" \
	"partially_refunded 1000" "the next sync brings the refunded order"

# An exchange.
sd tickets create --order "$SEED_ORDERS_DELIVERED" --kind exchange --reason 换尺码 >/dev/null
is "$(pushed)" "1 0 0 0" "an exchange ticket is created"
x=$(medusa_api GET "/admin/exchanges?order_id=$SEED_ORDERS_DELIVERED&fields=id,return.status,*additional_items")
is "$(mjson '[j.exchanges.length, j.exchanges[0].return.status, j.exchanges[0].additional_items.length > 0].join(" ")' "$x")" \
	"1 requested true" "Medusa has the exchange requested, with an item going out"

# Stock.
lvl() { mjson 'j.inventory_items[0].location_levels[0].stocked_quantity' \
	"$(medusa_api GET "/admin/inventory-items?sku=$1&fields=id,*location_levels")"; }
s0=$(lvl TEE-WHT-M)
sd stock adjust "$SEED_VARIANT_IDS_TEE_WHT_M" --delta 7 --reason inbound >/dev/null
sd stock threshold "$SEED_VARIANT_IDS_TEE_WHT_M" --threshold 12 >/dev/null
is "$(pushed)" "2 0 0 0" "adjust and threshold are applied"
is "$(lvl TEE-WHT-M)" "$((s0 + 7))" "Medusa's level grew by 7 ($s0 -> $((s0 + 7)))"
is "$(mjson '[j.stock, j.low_stock_threshold].join(" ")' "$(sku "$SEED_VARIANT_IDS_TEE_WHT_M")")" \
	"$((s0 + 7)) 12" "the cache has the stock and the threshold"

# Promotions.
sd promos create --name SHUANG12 --kind fixed_coupon --starts 2026-12-11 --ends 2026-12-13 --off 20 >/dev/null
is "$(pushed)" "1 0 0 0" "a promotion is created"
p=$(medusa_api GET "/admin/promotions?code=SHUANG12&fields=id,status,*application_method,*campaign")
is "$(mjson '[j.promotions[0].status, j.promotions[0].application_method.type, j.promotions[0].application_method.value].join(" ")' "$p")" \
	"draft fixed 20" "Medusa has it as a draft, 20 off"
pid=$(mjson 'j.promotions[0].id' "$p")
sd promos activate "$pid" >/dev/null
is "$(pushed)" "1 0 0 0" "activate is applied"
is "$(mjson j.promotion.status "$(medusa_api GET "/admin/promotions/$pid?fields=id,status")")" active \
	"Medusa has it active"
sd promos end "$pid" >/dev/null
is "$(pushed)" "1 0 0 0" "end is applied"
is "$(mjson j.promotion.status "$(medusa_api GET "/admin/promotions/$pid?fields=id,status")")" inactive \
	"Medusa has it inactive"

# --- the catalogue's writes --------------------------------------------------------------------
# mvar VARIANT: the variant in Medusa, with its prices and metadata.
mvar() { medusa_api GET "/admin/product-variants?id=$1&fields=id,product_id,title,sku,barcode,weight,updated_at,metadata,*prices"; }
# resend: the last applied entry put back in the outbox as it was first sent (its answer lost
# after Medusa applied it, as a crash would leave it): the same key, the same base version.
resend() {
	sqlite3 "$T/med.db" "INSERT INTO outbox (key, kind, object_id, action, method, path_action,
		body, base_version, patch, state, attempts, created_at, summary, actor)
		SELECT key, kind, object_id, action, method, path_action, body, base_version, patch, 0, 0,
		created_at, summary, actor FROM outbox_log WHERE outcome = 'applied' ORDER BY id DESC LIMIT 1;
		DELETE FROM outbox_log WHERE id = (SELECT max(id) FROM outbox_log WHERE outcome = 'applied');"
}
# A cache synced by an older build recorded fewer actions: the next sync records them anew.
sqlite3 "$T/med.db" "UPDATE sync_state SET value = 'orders.ship stock.adjust' WHERE key = 'store.actions'"
sd stock price "$SEED_VARIANT_IDS_CUP_500_SLV" --price 79.5 --yes --dry-run >/dev/null 2>"$T/err"
is "$?" 10 "with an older record stock price is refused ($(cat "$T/err"))"
sd sync >/dev/null
sd stock price "$SEED_VARIANT_IDS_CUP_500_SLV" --price 79.5 --yes --dry-run >/dev/null 2>"$T/err"
is "$?" 0 "... and after a sync it is offered ($(head -c 120 "$T/err"))"
# A price: CUP-500-SLV sells in CNY and, since now, in USD too.
cv=$SEED_VARIANT_IDS_CUP_500_SLV
cpid=$(mjson 'j.variants[0].product_id' "$(mvar "$cv")")
medusa_api POST "/admin/products/$cpid/variants/$cv" \
	'{"prices":[{"currency_code":"cny","amount":89.9},{"currency_code":"usd","amount":12.5}]}' >/dev/null
ok $? "(CUP-500-SLV given a USD price in Medusa)"
sd sync >/dev/null
is "$(mjson j.price "$(sku "$cv")")" 8990 "CUP-500-SLV costs 8990 fen"
# Offline: a profile of the same cache whose store cannot be reached.
{
	echo "[medoff]"
	echo "url = http://127.0.0.1:9"
	echo "backend = medusa"
	echo "auth = api-key"
	echo "token-file = $T/tokens/medusa-med.token"
	echo "cache = $T/med.db"
} >>"$XDG_CONFIG_HOME/shopdesk/config"
sd stock price "$cv" --price 79.5 --yes >/dev/null 2>"$T/err"
ok $? "stock price is queued ($(head -c 200 "$T/err"))"
PROFILE=medoff sd sync >/dev/null 2>&1
is "$(sd outbox list --format json | json_count)" 1 "offline: the sync cannot send it; it stays queued"
is "$(mjson j.price "$(sku "$cv")")" 7950 "... and the SKU shows the new price meanwhile"
is "$(mjson 'j.variants[0].prices.find(p => p.currency_code === "cny").amount' "$(mvar "$cv")")" 89.9 \
	"... while Medusa still has 89.9"
is "$(pushed)" "1 0 0 0" "online: the price is applied"
v=$(mvar "$cv")
is "$(mjson 'j.variants[0].prices.map(p => p.currency_code + " " + p.amount).sort().join(", ")' "$v")" \
	"cny 79.5, usd 12.5" "Medusa has the CNY price 79.5 and kept the USD price"
is "$(mjson 'j.variants[0].metadata.shopdesk_price' "$v")" 7950 "... with the key and the price in the variant's metadata"
sd sync >/dev/null
is "$(mjson '[j.price, j.currency].join(" ")' "$(sku "$cv")")" "7950 CNY" "a sync shows 7950 fen"
is "$(mjson 'j.price_history === undefined' "$(sku "$cv")")" true \
	"no price history is made up (Medusa keeps none)"
u0=$(mjson 'j.variants[0].updated_at' "$v")
resend
is "$(pushed)" "1 0 0 0" "the same price re-sent after its answer was lost is answered as applied"
v=$(mvar "$cv")
is "$(mjson 'j.variants[0].updated_at' "$v")" "$u0" "... without writing to Medusa again"
is "$(mjson 'j.variants[0].prices.length' "$v")" 2 "... still two prices"
# A batch from a spreadsheet: one entry per SKU.
printf 'sku_id,price\n%s,139.00\n%s,289.00\n' "$SEED_VARIANT_IDS_TEE_WHT_L" "$SEED_VARIANT_IDS_EAR_STD" >"$T/prices.csv"
sd stock price --from-csv "$T/prices.csv" --yes >/dev/null 2>"$T/err"
ok $? "stock price --from-csv queues ($(head -c 200 "$T/err"))"
is "$(pushed)" "2 0 0 0" "... one entry per SKU, both applied"
is "$(mjson 'j.variants[0].prices[0].amount' "$(mvar "$SEED_VARIANT_IDS_TEE_WHT_L")")" 139 \
	"Medusa has TEE-WHT-L at 139"

# A SKU's codes, original price, cost and weight (EAR-ANC).
ev=$SEED_VARIANT_IDS_EAR_ANC
sd stock edit "$ev" --sku-code EAR-ANC-2 --barcode 6901234569995 --original-price 599 --cost 320.5 \
	--weight 250 >/dev/null 2>"$T/err"
ok $? "stock edit is queued ($(head -c 200 "$T/err"))"
is "$(pushed)" "1 0 0 0" "stock edit is applied"
v=$(mvar "$ev")
is "$(mjson '[j.variants[0].sku, j.variants[0].barcode, j.variants[0].weight, j.variants[0].metadata.original_price, j.variants[0].metadata.cost].join(" ")' "$v")" \
	"EAR-ANC-2 6901234569995 250 59900 32050" \
	"Medusa has the SKU code, barcode and weight, and the original price and cost in the variant's metadata"
sd sync >/dev/null
is "$(mjson '[j.sku_code, j.barcode, j.weight, j.original_price, j.cost].join(" ")' "$(sku "$ev")")" \
	"EAR-ANC-2 6901234569995 250 59900 32050" "a sync shows what was written"
u0=$(mjson 'j.variants[0].updated_at' "$v")
resend
is "$(pushed)" "1 0 0 0" "the edit re-sent after its answer was lost is answered as applied"
is "$(mjson 'j.variants[0].updated_at' "$(mvar "$ev")")" "$u0" "... without writing to Medusa again"
sd stock edit "$ev" --spec 版本=旗舰版 >/dev/null 2>&1
pushed >/dev/null
grep -q "not offered by this store (medusa)" <<<"$(sd outbox list --format json)"
ok $? "a change of specifications is refused: Medusa's are the product's options"
sd outbox drop "$(mjson 'j[0].id' "$(sd outbox list --format json)")" >/dev/null

# A product's texts, brand and category (the earbuds, into 耳机 made above).
bp=$SEED_PRODUCT_IDS_BT_EARBUDS
mprod() { medusa_api GET "/admin/products/$1?fields=id,title,subtitle,description,updated_at,metadata,collection.title,categories.id"; }
sd products edit "$bp" --title "蓝牙耳机 Pro 2" --subtitle 新款降噪 --brand 声悦 --category 耳机 \
	--description "续航 30 小时" >/dev/null 2>"$T/err"
ok $? "products edit is queued ($(head -c 200 "$T/err"))"
is "$(pushed)" "1 0 0 0" "products edit is applied"
p=$(mprod "$bp")
is "$(mjson '[j.product.title, j.product.subtitle, j.product.description, j.product.collection.title, j.product.categories.map(c => c.id).join()].join("|")' "$p")" \
	"蓝牙耳机 Pro 2|新款降噪|续航 30 小时|声悦|$sub" \
	"Medusa has the title, subtitle, description, the brand as its collection and the category"
sd sync >/dev/null
is "$(mjson '[j.title, j.subtitle, j.description, j.brand, j.category, j.category_id].join("|")' "$(sd products show "$bp" --format json)")" \
	"蓝牙耳机 Pro 2|新款降噪|续航 30 小时|声悦|耳机|$sub" "a sync shows what was written"
u0=$(mjson j.product.updated_at "$p")
resend
is "$(pushed)" "1 0 0 0" "the edit re-sent is answered as applied"
is "$(mjson j.product.updated_at "$(mprod "$bp")")" "$u0" "... without writing to Medusa again"
is "$(mjson 'j.collections.length' "$(medusa_api GET '/admin/collections?title=%E5%A3%B0%E6%82%A6&fields=id')")" 1 \
	"one collection 声悦, made once"

# Categories: create, rename, move, delete; Medusa's own refusal.
mcats() { medusa_api GET '/admin/product-categories?limit=1000&fields=id,name,parent_category_id,rank,metadata'; }
catid() { mjson "(j.product_categories.find(c => c.name === '$1') || {id: ''}).id" "$(mcats)"; }
sd categories create --name 家居 >/dev/null 2>"$T/err"
ok $? "categories create is queued ($(head -c 200 "$T/err"))"
is "$(pushed)" "1 0 0 0" "... and applied"
jia=$(catid 家居)
[ -n "$jia" ]
ok $? "Medusa has 家居 ($jia)"
sd categories create --name 水杯 --parent 家居 >/dev/null
is "$(pushed)" "1 0 0 0" "水杯 under 家居 is created"
bei=$(catid 水杯)
is "$(mjson "j.product_categories.find(c => c.id === '$bei').parent_category_id" "$(mcats)")" "$jia" \
	"Medusa has 水杯 under 家居"
resend
is "$(pushed)" "1 0 0 0" "the create re-sent after its answer was lost is answered as applied"
is "$(mjson "j.product_categories.filter(c => c.name === '水杯').length" "$(mcats)")" 1 "... and Medusa has one 水杯"
sd categories rename "$bei" --name 保温杯 >/dev/null
is "$(pushed)" "1 0 0 0" "rename is applied"
is "$(mjson "j.product_categories.find(c => c.id === '$bei').name" "$(mcats)")" 保温杯 "Medusa has it renamed"
sd categories move "$bei" --parent 手机数码 >/dev/null
is "$(pushed)" "1 0 0 0" "move is applied"
is "$(mjson "j.product_categories.find(c => c.id === '$bei').parent_category_id" "$(mcats)")" "$top" \
	"Medusa has it under 手机数码"
u0=$(mjson "j.product_category.updated_at" "$(medusa_api GET "/admin/product-categories/$bei?fields=id,updated_at")")
resend
is "$(pushed)" "1 0 0 0" "the move re-sent is answered as applied"
is "$(mjson "j.product_category.updated_at" "$(medusa_api GET "/admin/product-categories/$bei?fields=id,updated_at")")" \
	"$u0" "... without writing to Medusa again"
sd sync >/dev/null
sd categories tree --ascii >"$T/cats" 2>&1
grep -q "^家居  $jia" "$T/cats" && grep -q -- "-- 保温杯  $bei" "$T/cats"
ok $? "a sync shows 家居 and 保温杯 under 手机数码: $(tr '\n' ';' <"$T/cats")"
# Medusa refuses to delete a category with children; shopdesk's tree does not know of the child.
medusa_api POST /admin/product-categories "{\"name\":\"餐具\",\"parent_category_id\":\"$jia\"}" >/dev/null
ok $? "(a category made under 家居 in Medusa, not synced)"
sd categories delete "$jia" >/dev/null 2>"$T/err"
ok $? "delete 家居 is queued ($(head -c 200 "$T/err"))"
is "$(pushed)" "0 0 1 0" "Medusa refuses it"
reason=$(mjson 'j[0].reason' "$(sd outbox list --format json)")
grep -q "Medusa refused" <<<"$reason"
ok $? "... with Medusa's own message: $reason"
[ -n "$(catid 家居)" ]
ok $? "... and Medusa still has 家居"
sd outbox drop "$(mjson 'j[0].id' "$(sd outbox list --format json)")" >/dev/null
sd categories move "$bei" --parent top >/dev/null
sd categories delete "$bei" >/dev/null
is "$(pushed)" "2 0 0 0" "保温杯 is moved to the top and deleted"
medusa_api GET "/admin/product-categories/$bei?fields=id" >/dev/null
is "$(medusa_status)" 404 "Medusa has no 保温杯"
resend
is "$(pushed)" "1 0 0 0" "the delete re-sent is answered as applied"
sd sync >/dev/null
! sd categories tree --ascii 2>&1 | grep -q 保温杯
ok $? "a sync shows no 保温杯"

# A product created, off the shelf, in 家居 with the brand 声悦.
mugs() { mjson 'j.products.filter(p => p.title === "陶瓷马克杯")' \
	"$(medusa_api GET '/admin/products?limit=500&fields=id,title,subtitle,status,metadata,collection.title,categories.id')"; }
sd products create --title 陶瓷马克杯 --subtitle 350ml --category 家居 --brand 声悦 >/dev/null 2>"$T/err"
ok $? "products create is queued ($(head -c 200 "$T/err"))"
is "$(pushed)" "1 0 0 0" "... and applied"
m=$(mugs)
is "$(mjson 'j.map(p => [p.subtitle, p.status, p.collection.title, p.categories.map(c => c.id).join()].join("|")).join(";")' "$m")" \
	"350ml|draft|声悦|$jia" "Medusa has one such product, a draft, with its brand and category"
mug=$(mjson 'j[0].id' "$m")
sd sync >/dev/null
is "$(mjson '[j.title, j.subtitle, j.shelf, j.brand, j.category].join("|")' "$(sd products show "$mug" --format json)")" \
	"陶瓷马克杯|350ml|off|声悦|家居" "a sync shows it as written"
resend
is "$(pushed)" "1 0 0 0" "the create re-sent after its answer was lost is answered as applied"
is "$(mjson j.length "$(mugs)")" 1 "... and Medusa still has one 陶瓷马克杯"

# SKUs created. The new mug has no variant: its "Default option" becomes 颜色.
# mvars PRODUCT: its variants in Medusa, with their options, prices, items and levels.
mvars() { medusa_api GET "/admin/products/$1?fields=id,options.title,options.values.value,variants.id,variants.sku,variants.title,variants.metadata,*variants.prices,variants.options.value,variants.inventory_items.inventory.location_levels.stocked_quantity"; }
sd stock create --product "$mug" --spec 颜色=白色 --sku-code MUG-WHT --barcode 6901234560992 \
	--price 39.9 --original-price 59 --cost 12 >/dev/null 2>"$T/err"
ok $? "stock create is queued ($(head -c 200 "$T/err"))"
is "$(pushed)" "1 0 0 0" "... and applied"
mv=$(mvars "$mug")
is "$(mjson 'j.product.options.map(o => o.title + "=" + o.values.map(v => v.value).join("/")).join(";")' "$mv")" \
	"颜色=白色" "the product's Default option became 颜色"
is "$(mjson 'j.product.variants.map(v => [v.sku, v.title, v.options.map(o => o.value).join(), v.prices.map(p => p.currency_code + p.amount).join(), v.metadata.cost, v.metadata.original_price, v.inventory_items.length, v.inventory_items[0].inventory.location_levels.map(l => l.stocked_quantity).join()].join("|")).join(";")' "$mv")" \
	"MUG-WHT|白色|白色|cny39.9|1200|5900|1|0" \
	"Medusa has the variant, priced, with its cost and an inventory item stocked at 0"
mw=$(mjson 'j.product.variants[0].id' "$mv")
sd sync >/dev/null
is "$(mjson '[j.product_id, j.sku_code, j.barcode, j.price, j.cost, j.stock, JSON.stringify(j.attributes)].join("|")' "$(sku "$mw")")" \
	"$mug|MUG-WHT|6901234560992|3990|1200|0|{\"颜色\":\"白色\"}" "a sync shows the SKU as written"
sd stock adjust "$mw" --delta 5 --reason inbound >/dev/null
is "$(pushed)" "1 0 0 0" "its stock can be adjusted: it has a level"
is "$(mjson 'j.product.variants[0].inventory_items[0].inventory.location_levels[0].stocked_quantity' "$(mvars "$mug")")" 5 \
	"... Medusa has 5"
sd stock create --product "$mug" --spec 颜色=黑色 --sku-code MUG-BLK --price 39.9 >/dev/null
is "$(pushed)" "1 0 0 0" "a second SKU with a new value of 颜色"
resend
is "$(pushed)" "1 0 0 0" "the create re-sent after its answer was lost is answered as applied"
mv=$(mvars "$mug")
is "$(mjson 'j.product.variants.map(v => v.sku + "=" + v.options.map(o => o.value).join()).sort().join(" ")' "$mv")" \
	"MUG-BLK=黑色 MUG-WHT=白色" "... and Medusa has each SKU once"
is "$(mjson 'j.product.options[0].values.map(v => v.value).sort().join()' "$mv")" "白色,黑色" \
	"... 颜色 has both values"
# The T-shirt has 颜色 and 尺码 and SKUs: a new colour joins 颜色; an unknown option is refused.
tee=$SEED_PRODUCT_IDS_COTTON_TEE
sd stock create --product "$tee" --spec 颜色=红色,尺码=L --sku-code TEE-RED-L --price 129.9 >/dev/null
is "$(pushed)" "1 0 0 0" "a T-shirt in a colour it had not"
mv=$(mvars "$tee")
is "$(mjson '[j.product.options.find(o => o.title === "颜色").values.map(v => v.value).sort().join(), j.product.variants.filter(v => v.sku === "TEE-RED-L").map(v => v.title + ":" + v.options.map(o => o.value).sort().join()).join()].join("|")' "$mv")" \
	"白色,红色,黑色|红色 / L:L,红色" "... 颜色 gained 红色 and the variant has both values"
sd stock create --product "$tee" --spec 材质=棉 --sku-code TEE-COT --price 129.9 >/dev/null
is "$(pushed)" "0 0 1 0" "an option the T-shirt has not is refused"
e=$(sd outbox list --format json)
reason=$(mjson 'j[0].reason' "$e")
grep -q "材质: product $tee has no such option in Medusa.*its options: \(颜色, 尺码\|尺码, 颜色\))" <<<"$reason"
ok $? "... saying which options it has ($reason)"
sd outbox drop "$(mjson 'j[0].id' "$e")" >/dev/null
is "$(mjson 'j.product.variants.filter(v => v.sku === "TEE-COT").length' "$(mvars "$tee")")" 0 "... and Medusa has no such variant"
sd stock create --product "$tee" --spec 颜色=白色,尺码=M --sku-code TEE-WHT-M2 --price 129.9 >/dev/null 2>"$T/err"
is "$?" 10 "a T-shirt with the specifications of one it has is refused before it is queued ($(head -c 120 "$T/err"))"

# A name Medusa has under another parent: the handle Medusa would make of it is taken.
sd categories create --name 餐具 >/dev/null
is "$(pushed)" "1 0 0 0" "a top-level 餐具 is created though 家居 has one"
is "$(mjson 'j.product_categories.filter(c => c.name === "餐具").length' "$(mcats)")" 2 "Medusa has both"

# A product deleted, with its SKU.
dp=$(medusa_api POST '/admin/products?fields=id,variants.id' '{"title":"删除测试","status":"draft",
	"options":[{"title":"颜色","values":["红"]}],"variants":[{"title":"红","sku":"DEL-RED",
	"options":{"颜色":"红"},"manage_inventory":true,"prices":[{"currency_code":"cny","amount":10}]}]}')
ok $? "(a product with one variant made in Medusa)"
dv=$(mjson 'j.product.variants[0].id' "$dp")
dp=$(mjson j.product.id "$dp")
sd sync >/dev/null
is "$(mjson j.product_id "$(sku "$dv")")" "$dp" "a sync has its SKU"
sd products delete "$dp" >/dev/null 2>"$T/err"
ok $? "products delete is queued ($(head -c 200 "$T/err"))"
is "$(pushed)" "1 0 0 0" "... and applied"
medusa_api GET "/admin/products/$dp?fields=id" >/dev/null
is "$(medusa_status)" 404 "Medusa has no such product"
sd products show "$dp" >/dev/null 2>&1
is "$?" 5 "the cache has no such product"
sd sync >/dev/null
sd stock show "$dv" >/dev/null 2>&1
is "$?" 5 "... and after a sync no such SKU"
resend
is "$(pushed)" "1 0 0 0" "the delete re-sent is answered as applied"

# A conflict: the order changes in Medusa between the note and its sending.
sd orders note "$SEED_ORDERS_SHIPPED" --text "改地址" >/dev/null
medusa_api POST "/admin/orders/$SEED_ORDERS_SHIPPED" '{"metadata":{"elsewhere":"yes"}}' >/dev/null
is "$(pushed)" "0 1 0 0" "a note on an order changed meanwhile is a conflict"
e=$(sd outbox list --format json)
grep -q "changed in Medusa" <<<"$e"
ok $? "... saying it changed in Medusa"
[ -z "$(mjson 'j.order.metadata.shopdesk_note || ""' "$(m_order "$SEED_ORDERS_SHIPPED")")" ]
ok $? "... and Medusa has no note"
sd outbox drop "$(mjson 'j[0].id' "$e")" >/dev/null

# A refusal carries Medusa's message: cancel an order Medusa has begun to fulfil.
medusa_api POST "/admin/orders/$SEED_ORDERS_AUTHORIZED/fulfillments" \
	"$(mjson '({items: j.order.items.map(i => ({id: i.id, quantity: i.quantity}))})' \
	"$(medusa_api GET "/admin/orders/$SEED_ORDERS_AUTHORIZED?fields=id,*items")")" >/dev/null
ok $? "(a fulfilment made in Medusa)"
sd sync >/dev/null
sd orders cancel "$SEED_ORDERS_AUTHORIZED" >/dev/null
is "$(pushed)" "0 0 1 0" "cancelling it is refused"
reason=$(mjson 'j[0].reason' "$(sd outbox list --format json)")
grep -q "Medusa refused" <<<"$reason"
ok $? "... with Medusa's own message: $reason"
sd outbox drop "$(mjson 'j[0].id' "$(sd outbox list --format json)")" >/dev/null

# --- a replay through a Medusa restart and a kill -9 --------------------------------------------
# Relative stock changes are the actions a double application would show: each SKU's
# level must end exactly its delta higher.
skus=$(medusa_api GET '/admin/inventory-items?limit=100&fields=sku,*location_levels,variants.id' |
	node -e 'const j = JSON.parse(require("fs").readFileSync(0));
	for (const i of j.inventory_items) if (i.variants.length && i.location_levels.length)
		console.log(i.variants[0].id + " " + i.sku + " " + i.location_levels[0].stocked_quantity)')
n=0
while read -r vid code level; do
	sd stock adjust "$vid" --delta 3 --reason count >/dev/null && n=$((n + 1))
done <<<"$skus"
for o in "$SEED_ORDERS_SHIPPED" "$SEED_ORDERS_DELIVERED" "$SEED_ORDERS_RETURNED" "$SEED_ORDERS_PROMO"; do
	sd orders flag "$o" --reason address --note 门牌号缺失 >/dev/null && n=$((n + 1))
done
echo "# queued $n actions"
"$SHOPDESK" --profile "$PROFILE" sync >"$T/replay1.out" 2>&1 &	# not sd: $! must be shopdesk
spid=$!
sleep 1.5
kill -9 "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
echo "# killed the replay with $(sd outbox list --format json | json_count) of $n actions still in the outbox"
medusa_restart &
rpid=$!
sleep 1
sd sync >/dev/null 2>&1	# Medusa going down or starting: entries deferred, not lost
wait "$rpid"
ok $? "Medusa restarted during the replay"
for i in 1 2 3 4 5 6; do
	sd outbox list --format json | grep -q '"id"' || break
	sd sync --format json >/dev/null 2>&1
	sleep 1
done
is "$(sd outbox list --format json | json_count)" 0 "every queued action left the outbox"
bad=
while read -r vid code level; do
	now=$(lvl "$code")
	[ "$now" = $((level + 3)) ] || bad="$bad $code:$level->$now"
done <<<"$skus"
is "$bad" "" "every SKU's level grew by exactly 3: applied once, none twice"
flags=0
for o in "$SEED_ORDERS_SHIPPED" "$SEED_ORDERS_DELIVERED" "$SEED_ORDERS_RETURNED" "$SEED_ORDERS_PROMO"; do
	[ "$(mjson 'j.order.metadata.shopdesk_abnormal.reason' "$(m_order "$o")")" = address ] &&
		flags=$((flags + 1))
done
is "$flags" 4 "every order is flagged in Medusa"
n_log=$(sqlite3 "$T/med.db" "SELECT count(*) FROM outbox_log WHERE outcome = 'applied'")
echo "# $n_log entries applied in all"

done_testing
