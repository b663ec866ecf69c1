/*
 * test-medusa.c -- Medusa v2 records as Store API v1 objects (medusa-map.c):
 * money to fen exactly, times, names, and each kind's mapping on records
 * shaped as Medusa 2.21 answers them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medusa.h"
#include "tap.h"
#include "util/jsonutil.h"

static long long
fen_of(const char *text)
{
	long long v = -999999;

	if (medusa_decimal_fen(text, &v) != 0)
		return -999999;
	return v;
}

static void
test_money(void)
{
	cJSON *o;
	long long v;
	char *s;

	is_int(fen_of("129.9"), 12990, "129.9 is 12990 fen");
	is_int(fen_of("0.1"), 10, "0.1 is 10 fen (no float error)");
	is_int(fen_of("-22.5"), -2250, "-22.5 is -2250 fen");
	is_int(fen_of("25"), 2500, "25 is 2500 fen");
	is_int(fen_of("12.345"), 1235, "a third decimal rounds half away from zero");
	is_int(fen_of("12.344"), 1234, "... and down below half");
	is_int(fen_of("-0.005"), -1, "... for negative amounts too");
	is_int(fen_of("1e-7"), 0, "1e-7 is 0 fen");
	is_int(fen_of("1.2345e3"), 123450, "an exponent is applied");
	is_int(fen_of("99999999999.99"), 9999999999999, "large amounts stay exact");
	is_int(fen_of("12a"), -999999, "text that is not a number is refused");
	is_int(fen_of(""), -999999, "... and so is nothing");

	o = cJSON_Parse("{\"total\":0.3,\"raw_total\":{\"value\":\"0.30000000000000004\"},"
	    "\"amount\":19.99,\"quantity\":3}");
	ok(medusa_money(o, "total", &v) == 0 && v == 30, "the raw twin's text is read first");
	ok(medusa_money(o, "amount", &v) == 0 && v == 1999,
	    "a number without a twin is read from its shortest text (19.99 -> 1999)");
	ok(medusa_money(o, "missing", &v) == -1, "a missing amount is -1");
	cJSON_Delete(o);

	o = medusa_fen_json(12990);
	s = cJSON_PrintUnformatted(o);
	is_str(s, "129.90", "fen back to Medusa's decimal: 12990 -> 129.90");
	cJSON_free(s);
	cJSON_Delete(o);
	o = medusa_fen_json(-5);
	s = cJSON_PrintUnformatted(o);
	is_str(s, "-0.05", "... -5 -> -0.05");
	cJSON_free(s);
	cJSON_Delete(o);
}

static void
test_time_and_names(void)
{
	char iso[MEDUSA_ISO_LEN], *n;
	cJSON *p;

	is_int(medusa_ms("2026-12-06T11:27:46.847Z"), 1796556466847LL, "an ISO time to ms");
	is_int(medusa_ms("2026-12-06T11:27:46Z"), 1796556466000LL, "... without a fraction");
	is_int(medusa_ms("yesterday"), -1, "... and not a time: -1");
	medusa_iso(1796556466847LL, iso);
	is_str(iso, "2026-12-06T11:27:46.847Z", "ms back to ISO");

	p = cJSON_Parse("{\"first_name\":\"伟\",\"last_name\":\"张\"}");
	n = medusa_person_name(p);
	is_str(n, "张伟", "a Chinese name reads family name first, no space");
	free(n);
	cJSON_Delete(p);
	p = cJSON_Parse("{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\"}");
	n = medusa_person_name(p);
	is_str(n, "Ada Lovelace", "a Latin name reads first name first");
	free(n);
	cJSON_Delete(p);
	p = cJSON_Parse("{\"email\":\"x@example.test\"}");
	n = medusa_person_name(p);
	is_str(n, "x@example.test", "no name: the e-mail");
	free(n);
	cJSON_Delete(p);
}

static const char order_json[] =
    "{\"id\":\"order_01A\",\"display_id\":7,\"status\":\"pending\",\"version\":3,"
    "\"created_at\":\"2026-12-01T02:00:00.000Z\",\"updated_at\":\"2026-12-01T03:00:00.000Z\","
    "\"currency_code\":\"cny\",\"customer_id\":\"cus_1\",\"email\":\"w@example.test\","
    "\"metadata\":{\"shopdesk_note\":\"周末不送货\"},"
    "\"discount_total\":10,\"shipping_total\":8,\"total\":257.8,"
    "\"payment_status\":\"partially_refunded\",\"fulfillment_status\":\"shipped\","
    "\"summary\":{\"raw_original_order_total\":{\"value\":\"257.8\"},"
    "\"raw_paid_total\":{\"value\":\"257.8\"},\"raw_refunded_total\":{\"value\":\"22.5\"}},"
    "\"customer\":{\"first_name\":\"伟\",\"last_name\":\"张\"},"
    "\"shipping_address\":{\"first_name\":\"伟\",\"last_name\":\"张\",\"phone\":\"13800138000\","
    "\"province\":\"浙江省\",\"city\":\"杭州市\",\"address_1\":\"文三路100号\","
    "\"postal_code\":\"310000\",\"country_code\":\"cn\"},"
    "\"items\":[{\"id\":\"ordli_1\",\"variant_id\":\"variant_1\",\"variant_sku\":\"TEE-M\","
    "\"product_title\":\"纯棉T恤\",\"variant_title\":\"白色 / M\",\"unit_price\":129.9,"
    "\"raw_unit_price\":{\"value\":\"129.9\"},\"quantity\":2,\"raw_quantity\":{\"value\":\"2\"},"
    "\"adjustments\":[{\"promotion_id\":\"promo_1\"}]}],"
    "\"payment_collections\":[{\"updated_at\":\"2026-12-01T05:00:00.000Z\",\"payments\":["
    "{\"id\":\"pay_1\",\"provider_id\":\"pp_system_default\",\"captured_at\":"
    "\"2026-12-01T02:05:00.000Z\",\"updated_at\":\"2026-12-01T02:05:00.000Z\",\"refunds\":["
    "{\"amount\":22.5,\"raw_amount\":{\"value\":\"22.5\"},\"note\":\"x\","
    "\"created_at\":\"2026-12-01T06:00:00.000Z\"}]}]}],"
    "\"fulfillments\":[{\"id\":\"ful_1\",\"shipped_at\":\"2026-12-01T04:00:00.000Z\","
    "\"delivered_at\":null,\"canceled_at\":null,\"updated_at\":\"2026-12-01T04:00:00.000Z\","
    "\"metadata\":{\"carrier\":\"SF\"},\"labels\":[{\"tracking_number\":\"SF1234567890\"}]}]}";

static void
test_order(void)
{
	cJSON *raw = cJSON_Parse(order_json), *o;

	o = medusa_map_order(raw);
	ok(o != NULL, "an order maps");
	is_str(json_str(o, "status"), "shipped", "partially refunded and shipped: status shipped");
	is_str(json_str(o, "payment_status"), "partially_refunded", "... payment partially_refunded");
	is_str(json_str(o, "lifecycle"), "open", "... lifecycle open");
	is_int(json_int(o, "total", 0), 25780, "total 257.8 -> 25780 fen");
	is_int(json_int(o, "subtotal", 0), 25980, "subtotal: 2 x 129.9 = 25980 fen");
	is_int(json_int(o, "paid_amount", 0), 25780, "paid from the summary");
	is_int(json_int(o, "refunded_amount", 0), 2250, "refunded from the summary");
	is_str(json_str(o, "currency"), "CNY", "currency in capitals");
	is_str(json_str(o, "customer_name"), "张伟", "the customer's name");
	is_str(json_str(cJSON_GetObjectItem(o, "shipment"), "carrier"), "SF",
	    "the carrier from the fulfilment's metadata");
	is_str(json_str(cJSON_GetObjectItem(o, "shipment"), "tracking_no"), "SF1234567890",
	    "the tracking number from its label");
	is_str(json_str(cJSON_GetObjectItem(o, "address"), "line"), "文三路100号", "the address line");
	is_str(json_str(o, "promotion_id"), "promo_1", "the promotion from an adjustment");
	is_str(json_str(o, "note"), "周末不送货", "the note from the metadata");
	is_int(json_int(o, "version", 0), medusa_ms("2026-12-01T06:00:00.000Z"),
	    "the version is the latest time of any part: the refund's");
	is_str(json_str(o, "updated_at"), "2026-12-01T06:00:00Z", "... and so is updated_at");
	is_int(cJSON_GetArraySize(cJSON_GetObjectItem(o, "timeline")), 4,
	    "a timeline of created, paid, shipped, refunded");
	cJSON_Delete(o);

	/* Not paid, then canceled. */
	cJSON_ReplaceItemInObject(raw, "payment_status", cJSON_CreateString("not_paid"));
	cJSON_ReplaceItemInObject(raw, "fulfillment_status", cJSON_CreateString("not_fulfilled"));
	o = medusa_map_order(raw);
	is_str(json_str(o, "status"), "pending_payment", "not paid: pending_payment");
	cJSON_Delete(o);
	cJSON_ReplaceItemInObject(raw, "status", cJSON_CreateString("canceled"));
	o = medusa_map_order(raw);
	is_str(json_str(o, "status"), "cancelled", "canceled: cancelled");
	cJSON_Delete(o);
	cJSON_ReplaceItemInObject(raw, "status", cJSON_CreateString("pending"));
	cJSON_ReplaceItemInObject(raw, "payment_status", cJSON_CreateString("authorized"));
	o = medusa_map_order(raw);
	is_str(json_str(o, "status"), "awaiting_shipment", "authorized: awaiting_shipment");
	cJSON_Delete(o);
	cJSON_Delete(raw);
}

static void
test_catalogue(void)
{
	cJSON *raw, *o;

	raw = cJSON_Parse("{\"id\":\"iitem_1\",\"sku\":\"TEE-M\",\"updated_at\":"
	    "\"2026-12-01T01:00:00.000Z\",\"metadata\":{\"low_stock_threshold\":5},"
	    "\"location_levels\":[{\"stocked_quantity\":7,\"raw_stocked_quantity\":{\"value\":\"7\"},"
	    "\"reserved_quantity\":2,\"updated_at\":\"2026-12-02T01:00:00.000Z\"},"
	    "{\"stocked_quantity\":3,\"reserved_quantity\":0,\"updated_at\":"
	    "\"2026-12-01T01:00:00.000Z\"}],\"variants\":[{\"id\":\"variant_1\",\"title\":\"白色 / M\","
	    "\"barcode\":\"6901234560015\",\"product_id\":\"prod_1\",\"product\":{\"title\":"
	    "\"纯棉T恤\",\"status\":\"published\"},\"prices\":[{\"amount\":20,\"currency_code\":"
	    "\"usd\"},{\"amount\":129.9,\"currency_code\":\"cny\"}],\"options\":[{\"value\":\"M\","
	    "\"option\":{\"title\":\"尺码\"}}],\"metadata\":{\"original_price\":15900,"
	    "\"cost\":6050}}]}");
	o = medusa_map_sku(raw, "cny");
	is_int(json_int(o, "original_price", -1), 15900, "the original price from the variant's metadata");
	is_int(json_int(o, "cost", -1), 6050, "the cost from the variant's metadata");
	ok(cJSON_GetObjectItem(o, "price_history") == NULL, "no price history (Medusa keeps none)");
	is_str(json_str(o, "id"), "variant_1", "a SKU is its variant");
	is_str(json_str(o, "inventory_item_id"), "iitem_1", "... and knows its inventory item");
	is_int(json_int(o, "stock", 0), 10, "stock: the sum over locations");
	is_int(json_int(o, "reserved", 0), 2, "reserved: the sum over locations");
	is_int(json_int(o, "price", 0), 12990, "the price in the store's currency");
	is_str(json_str(o, "shelf"), "on", "published: on the shelf");
	is_int(json_int(o, "low_stock_threshold", 0), 5, "the threshold from the metadata");
	is_str(json_str(cJSON_GetObjectItem(o, "attributes"), "尺码"), "M", "options as attributes");
	is_int(json_int(o, "version", 0), medusa_ms("2026-12-02T01:00:00.000Z"),
	    "the version moves with a stock level");
	cJSON_Delete(o);
	o = medusa_map_sku(raw, "usd");
	is_int(json_int(o, "price", 0), 2000, "... in another store's currency, its price");
	cJSON_Delete(o);
	cJSON_Delete(raw);
	raw = cJSON_Parse("{\"id\":\"iitem_2\",\"variants\":[]}");
	ok(medusa_map_sku(raw, "cny") == NULL, "stock of no variant is not a SKU");
	cJSON_Delete(raw);

	raw = cJSON_Parse("{\"id\":\"prod_1\",\"title\":\"纯棉T恤\",\"subtitle\":\"200 g\","
	    "\"description\":\"cotton\",\"status\":\"draft\",\"updated_at\":"
	    "\"2026-12-01T01:00:00.000Z\",\"categories\":[{\"id\":\"pcat_2\",\"name\":\"服装\"}],"
	    "\"collection\":{\"title\":\"优衣\"},\"variants\":[{\"id\":\"variant_1\"},"
	    "{\"id\":\"variant_2\"}]}");
	o = medusa_map_product(raw);
	is_str(json_str(o, "title"), "纯棉T恤", "a product's title");
	is_str(json_str(o, "subtitle"), "200 g", "... subtitle");
	is_str(json_str(o, "description"), "cotton", "... and description");
	is_str(json_str(o, "category"), "服装", "its first category");
	is_str(json_str(o, "category_id"), "pcat_2", "... by id, a category of the tree");
	is_str(json_str(o, "brand"), "优衣", "its collection as the brand");
	is_str(json_str(o, "shelf"), "off", "a draft is off the shelf");
	is_int(cJSON_GetArraySize(cJSON_GetObjectItem(o, "sku_ids")), 2, "its variants as SKUs");
	cJSON_Delete(o);
	cJSON_Delete(raw);

	raw = cJSON_Parse("{\"id\":\"pcat_2\",\"name\":\"男装\",\"parent_category_id\":"
	    "\"pcat_1\",\"rank\":3,\"created_at\":\"2026-11-01T01:00:00.000Z\","
	    "\"updated_at\":\"2026-12-01T01:00:00.000Z\"}");
	o = medusa_map_category(raw);
	is_str(json_str(o, "name"), "男装", "a product category's name");
	is_str(json_str(o, "parent_id"), "pcat_1", "... its parent_category_id as the parent");
	is_int(json_int(o, "position", -1), 3, "... its rank as the position");
	is_str(json_str(o, "updated_at"), "2026-12-01T01:00:00Z", "... stamped");
	cJSON_Delete(o);
	cJSON_Delete(raw);
	raw = cJSON_Parse("{\"id\":\"pcat_1\",\"name\":\"服装\",\"parent_category_id\":null,"
	    "\"rank\":0,\"updated_at\":\"2026-12-01T01:00:00.000Z\"}");
	o = medusa_map_category(raw);
	ok(cJSON_IsNull(cJSON_GetObjectItem(o, "parent_id")), "a top-level category has no parent");
	cJSON_Delete(o);
	cJSON_Delete(raw);
}

static void
test_promotion(void)
{
	cJSON *raw, *o;

	raw = cJSON_Parse("{\"id\":\"promo_1\",\"code\":\"SHUANG12\",\"type\":\"standard\","
	    "\"status\":\"active\",\"created_at\":\"2026-11-01T00:00:00.000Z\",\"updated_at\":"
	    "\"2026-11-02T00:00:00.000Z\",\"application_method\":{\"type\":\"fixed\",\"value\":20,"
	    "\"target_type\":\"order\"},\"campaign\":{\"name\":\"双12\",\"starts_at\":"
	    "\"2099-12-11T16:00:00.000Z\",\"ends_at\":\"2099-12-12T16:00:00.000Z\",\"budget\":"
	    "{\"type\":\"spend\",\"limit\":5000,\"used\":0}}}");
	o = medusa_map_promotion(raw);
	is_str(json_str(o, "kind"), "fixed_coupon", "fixed: a fixed_coupon");
	is_int(json_int(cJSON_GetObjectItem(o, "rules"), "off", 0), 2000, "20 off -> 2000 fen");
	is_str(json_str(o, "status"), "scheduled", "active with a campaign yet to start: scheduled");
	is_str(json_str(o, "starts_at"), "2099-12-11T16:00:00Z", "the window is the campaign's");
	is_int(json_int(cJSON_GetObjectItem(o, "limits"), "budget", 0), 500000,
	    "a spend budget in fen");
	cJSON_Delete(o);
	cJSON_ReplaceItemInObject(raw, "status", cJSON_CreateString("inactive"));
	o = medusa_map_promotion(raw);
	is_str(json_str(o, "status"), "ended", "inactive: ended");
	cJSON_Delete(o);
	cJSON_Delete(raw);
}

static void
test_tickets(void)
{
	cJSON *raw, *o;

	raw = cJSON_Parse("{\"id\":\"return_1\",\"display_id\":1,\"status\":\"received\","
	    "\"order_id\":\"order_1\",\"created_at\":\"2026-12-01T00:00:00.000Z\",\"updated_at\":"
	    "\"2026-12-01T01:00:00.000Z\",\"items\":[{\"reason\":{\"label\":\"尺码不合适\"}}],"
	    "\"order\":{\"currency_code\":\"cny\",\"customer_id\":\"cus_1\",\"customer\":"
	    "{\"first_name\":\"伟\",\"last_name\":\"张\"},\"payment_collections\":[{\"payments\":"
	    "[{\"refunds\":[{\"amount\":12.5,\"note\":\"shopdesk sd-key return_1\",\"created_at\":"
	    "\"2026-12-01T02:00:00.000Z\"},{\"amount\":3,\"note\":\"shopdesk sd-k2 return_10\","
	    "\"created_at\":\"2026-12-01T03:00:00.000Z\"}]}]}]}}");
	o = medusa_map_return(raw);
	is_str(json_str(o, "kind"), "return_refund", "a return is a return_refund ticket");
	is_str(json_str(o, "status"), "refunded", "received and refunded by shopdesk: refunded");
	is_int(json_int(o, "refund_amount", 0), 1250,
	    "the refunds whose note names it, and not another ticket's (return_10)");
	is_str(json_str(o, "customer_name"), "张伟", "the order's customer");
	is_str(json_str(o, "reason"), "尺码不合适", "the return reason's label");
	ok(cJSON_IsNull(cJSON_GetObjectItem(o, "sla")), "no SLA: null");
	is_int(json_int(o, "version", 0), medusa_ms("2026-12-01T02:00:00.000Z"),
	    "the version moves with its refund");
	cJSON_Delete(o);
	cJSON_Delete(raw);

	raw = cJSON_Parse("{\"id\":\"oexc_1\",\"order_id\":\"order_1\",\"created_at\":"
	    "\"2026-12-01T00:00:00.000Z\",\"updated_at\":\"2026-12-01T01:00:00.000Z\","
	    "\"canceled_at\":null,\"return\":{\"id\":\"return_2\",\"status\":\"requested\","
	    "\"updated_at\":\"2026-12-01T05:00:00.000Z\"}}");
	o = medusa_map_exchange(raw);
	is_str(json_str(o, "status"), "awaiting_return", "an exchange whose return is requested");
	is_int(json_int(o, "version", 0), medusa_ms("2026-12-01T05:00:00.000Z"),
	    "... versioned by its return too");
	cJSON_Delete(o);
	cJSON_Delete(raw);
}

static void
test_customer(void)
{
	cJSON *raw, *orders, *o, *fig = cJSON_CreateObject();

	raw = cJSON_Parse("{\"id\":\"cus_1\",\"first_name\":\"伟\",\"last_name\":\"张\","
	    "\"phone\":\"13800138000\",\"metadata\":{\"level\":\"diamond\"},\"updated_at\":"
	    "\"2026-12-01T00:00:00.000Z\",\"addresses\":[{\"city\":\"深圳市\"}]}");
	orders = cJSON_Parse("[{\"customer_id\":\"cus_1\",\"total\":100.5,\"status\":\"pending\","
	    "\"currency_code\":\"cny\"},{\"customer_id\":\"cus_1\",\"total\":50,\"status\":"
	    "\"canceled\"},{\"customer_id\":\"cus_2\",\"total\":9}]");
	medusa_figures_add(fig, orders);
	o = medusa_map_customer(raw, fig);
	is_int(json_int(o, "orders_count", 0), 2, "the customer's own orders are counted");
	is_int(json_int(o, "total_spent", 0), 10050, "spent: the orders not canceled");
	is_str(json_str(o, "level"), "diamond", "the level from the metadata");
	is_str(json_str(o, "city"), "深圳市", "the city from the address");
	cJSON_Delete(o);
	o = medusa_map_customer(raw, NULL);
	is_int(json_int(o, "orders_count", -1), 0, "without figures: no orders");
	cJSON_Delete(o);
	cJSON_Delete(fig);
	cJSON_Delete(orders);
	cJSON_Delete(raw);
}

int
main(void)
{
	test_money();
	test_time_and_names();
	test_order();
	test_catalogue();
	test_promotion();
	test_tickets();
	test_customer();
	return done_testing();
}
