#!/usr/bin/env bash
# medusa.sh -- a real Medusa v2 server for the medusa backend: it comes up on the
# loopback (tests/medusa/medusa-env.sh), the seed (tests/medusa/seed.mjs) builds the
# store it says, the secret key works, a restart keeps the port and the data, the bulk
# seed copies orders that read back like their originals, and nothing is left running.
# Skipped when the machine cannot run Medusa (Node >= 20.19, PostgreSQL server binaries).
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/integration/medusa-lib.sh"

medusa_up

# --- the server ---------------------------------------------------------------------
is "$(curl -s -m 5 "$MEDUSA_URL/health")" OK "Medusa answers /health on $MEDUSA_URL"
# listening sockets (state 0A) on the two ports: only 127.0.0.1 (0100007F), no IPv6
listeners() {
	local hex
	hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p=":$hex" '$4 == "0A" && $2 ~ p"$" { print $2 }' |
		sort -u | tr '\n' ' '
}
is "$(listeners "$MEDUSA_PORT")" "0100007F:$(printf '%04X' "$MEDUSA_PORT") " "Medusa listens on 127.0.0.1 only"
is "$(listeners "$PG_PORT")" "0100007F:$(printf '%04X' "$PG_PORT") " "PostgreSQL listens on 127.0.0.1 only"

# --- the seeded store ----------------------------------------------------------------
out=$(medusa_api GET '/admin/orders?limit=1&fields=id')
ok $? "GET /admin/orders with the secret key (Basic) ($(medusa_status))"
is "$(mjson j.count "$out")" "$SEED_ORDER_COUNT" "the store has the $SEED_ORDER_COUNT orders the seed made"
is "$SEED_ORDER_COUNT" 10 "the seed made 10 orders"

F='fields=id,status,payment_status,fulfillment_status,currency_code,total'
st() { mjson '[j.order.status, j.order.payment_status, j.order.fulfillment_status].join(" ")' \
	"$(medusa_api GET "/admin/orders/$1?$F")"; }
is "$(st "$SEED_ORDERS_SHIPPED")" "pending captured shipped" "order 'shipped' is paid and shipped"
is "$(st "$SEED_ORDERS_DELIVERED")" "pending captured delivered" "order 'delivered' is delivered"
is "$(st "$SEED_ORDERS_RETURNED")" "pending partially_refunded delivered" "order 'returned' is partly refunded"
is "$(st "$SEED_ORDERS_PAID")" "pending captured not_fulfilled" "order 'paid' awaits shipment"
is "$(st "$SEED_ORDERS_AUTHORIZED")" "pending authorized not_fulfilled" "order 'authorized' is not captured"
is "$(st "$SEED_ORDERS_UNPAID")" "pending not_paid not_fulfilled" "order 'unpaid' is not paid"
is "$(st "$SEED_ORDERS_CANCELED")" "canceled not_paid not_fulfilled" "order 'canceled' is canceled"
out=$(medusa_api GET "/admin/orders?limit=50&fields=id")
n=$(mjson 'j.orders.filter(o => o.payment_status === "captured").length' "$out")
[ "${n:-0}" -ge 3 ]
ok $? "at least 3 orders are captured ($n)"

out=$(medusa_api GET "/admin/orders/$SEED_ORDERS_SHIPPED?fields=id,currency_code,discount_total,*fulfillments,*fulfillments.labels")
is "$(mjson 'j.order.fulfillments[0].labels[0].tracking_number' "$out")" "$SEED_TRACKING_NUMBER" \
	"the shipment has tracking number $SEED_TRACKING_NUMBER"
is "$(mjson j.order.currency_code "$out")" cny "orders are in cny"
is "$(mjson j.order.discount_total "$out")" 34.97 "coupon XINKE10 took 10 % off order 'shipped'"
out=$(medusa_api GET "/admin/orders/$SEED_ORDERS_PROMO?fields=id,discount_total,*items,*items.adjustments")
is "$(mjson 'j.order.items[0].adjustments[0].code' "$out")" JIAN20 "the campaign promotion JIAN20 is on order 'promo'"
out=$(medusa_api GET "/admin/orders/$SEED_ORDERS_RETURNED?fields=id,summary,*payment_collections,*payment_collections.payments.refunds")
is "$(mjson 'j.order.payment_collections[0].payments[0].refunds[0].amount' "$out")" "$SEED_REFUND_AMOUNT" \
	"order 'returned' was refunded $SEED_REFUND_AMOUNT"
out=$(medusa_api GET "/admin/exchanges?order_id=$SEED_ORDERS_EXCHANGE&fields=id,order_id")
is "$(mjson 'j.exchanges.map(e => e.id).join()' "$out")" "$SEED_EXCHANGE_ID" "order 'exchange' has its exchange"
out=$(medusa_api GET "/admin/returns/$SEED_RETURN_ID?fields=id,status")
is "$(mjson j.return.status "$out")" received "the return was received"

out=$(medusa_api GET "/admin/products?handle=cotton-tee&fields=id,*variants,*variants.prices")
is "$(mjson 'j.products[0].variants.find(v => v.sku === "TEE-WHT-M").prices[0].amount' "$out")" 129.9 \
	"TEE-WHT-M costs 129.90"
is "$(mjson 'j.products[0].variants.find(v => v.sku === "TEE-WHT-M").barcode' "$out")" 6901234560015 \
	"TEE-WHT-M has its EAN-13 barcode"
out=$(medusa_api GET "/admin/inventory-items?sku=TEE-BLK-M&fields=id,sku,*location_levels")
is "$(mjson 'j.inventory_items[0].location_levels[0].stocked_quantity' "$out")" 0 "TEE-BLK-M is out of stock"
out=$(medusa_api GET "/admin/customers?email=zhang.wei@example.test&fields=id,first_name,last_name,phone")
is "$(mjson 'j.customers[0].last_name + j.customers[0].first_name + " " + j.customers[0].phone' "$out")" \
	"张伟 13800138000" "customer 张伟 and his mobile number"
out=$(medusa_api GET "/admin/promotions?fields=id,code,status&limit=50")
is "$(mjson 'j.promotions.map(p => p.code + ":" + p.status).sort().join(" ")' "$out")" \
	"DRAFT618:draft JIAN20:active XINKE10:active" "the three promotions and their states"

# --- credentials ---------------------------------------------------------------------
MEDUSA_AUTH="Bearer $MEDUSA_SECRET_KEY" medusa_api GET '/admin/orders?limit=1' >/dev/null
is "$(medusa_status)" 401 "a secret key sent as Bearer is refused (401)"
MEDUSA_AUTH="Bearer $SEED_ADMIN_TOKEN" medusa_api GET '/admin/orders?limit=1&fields=id' >/dev/null
ok $? "the admin JWT works as Bearer"
MEDUSA_AUTH="Basic sk_nonsense" medusa_api GET '/admin/orders?limit=1' >/dev/null
is "$(medusa_status)" 401 "an unknown secret key is refused (401)"

# --- a second seed run changes nothing but makes a new key -----------------------------
again=$(node "$MEDUSA_SEED" 2>"$T/seed2.err")
ok $? "seed.mjs runs a second time"
is "$(mjson '[j.reused, j.order_count, j.orders.shipped].join(" ")' "$again")" \
	"true 10 $SEED_ORDERS_SHIPPED" "the second run reuses the store"
MEDUSA_AUTH="Basic $(mjson j.secret_api_key "$again")" medusa_api GET '/admin/orders?limit=1&fields=id' >"$T/o2"
ok $? "its new secret key works"
is "$(mjson j.count "$(cat "$T/o2")")" 10 "still 10 orders"

# --- a profile for shopdesk -------------------------------------------------------------
medusa_profile med
medusa_profile medpw --emailpass
grep -q '^backend = medusa$' "$XDG_CONFIG_HOME/shopdesk/config"
ok $? "medusa_profile writes a medusa profile"
is "$(stat -c %a "$T/tokens/medusa-med.token")" 600 "its token file has mode 0600"
is "$(cat "$T/tokens/medusa-med.token")" "$MEDUSA_SECRET_KEY" "it holds the secret key"
is "$(cat "$T/tokens/medusa-medpw.token")" "$MEDUSA_PASSWORD" "the emailpass profile's holds the password"

# --- a restart keeps the port and the data ---------------------------------------------
old_pid=$MEDUSA_PID old_url=$MEDUSA_URL
medusa_restart
ok $? "restart-medusa"
is "$MEDUSA_URL" "$old_url" "same URL after the restart"
[ "$MEDUSA_PID" != "$old_pid" ] && ! medusa_alive "$old_pid"
ok $? "the old server is gone, a new one runs ($old_pid -> $MEDUSA_PID)"
is "$(mjson j.count "$(medusa_api GET '/admin/orders?limit=1&fields=id')")" 10 \
	"the orders are there after the restart"

# --- the bulk seed ----------------------------------------------------------------------
medusa_bulk 60
ok $? "seed-bulk.sh brings the store to 60 orders"
is "$(mjson j.count "$(medusa_api GET '/admin/orders?limit=1&fields=id')")" 60 "GET /admin/orders counts 60"
out=$(medusa_api GET '/admin/orders?limit=60&fields=id,display_id&order=display_id')
is "$(mjson 'j.orders.map(o => o.display_id).join(",")' "$out")" "$(seq -s, 1 60)" \
	"display ids run from 1 to 60"

# --- nothing is left running ---------------------------------------------------------------
pg_pid=$PG_PID
medusa_down
sleep 0.5
! medusa_alive "$MEDUSA_PID" && ! medusa_alive "$pg_pid"
ok $? "medusa_down stops Medusa and PostgreSQL"

done_testing
