/*
 * test-scan.c -- packing by barcode (src/scan.c): which orders may be
 * packed and why not, an order number with or without its prefix, items
 * ticked, refused (wrong, one too many) and undone, and the carrier a
 * waybill's number points to.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "scan.h"
#include "tap.h"
#include "util/xmalloc.h"

static struct cache *cache;

static void
put(enum sd_kind k, const char *json)
{
	cJSON *obj = cJSON_Parse(json);
	char *cause = NULL;

	if (obj == NULL || cache_put(cache, k, obj, &cause) != 0) {
		printf("Bail out! cannot put %s: %s\n", json, cause ? cause : "bad json");
		exit(1);
	}
	cJSON_Delete(obj);
}

static void
put_order(const char *id, const char *status, const char *pay, const char *abnormal,
    const char *items)
{
	char *json = xasprintf("{\"id\":\"%s\",\"version\":2,\"created_at\":"
	    "\"2026-11-21T14:02:11Z\",\"updated_at\":\"2026-11-21T14:03:40Z\",\"status\":\"%s\","
	    "\"payment_status\":\"%s\",\"fulfillment_status\":\"unfulfilled\",\"lifecycle\":"
	    "\"open\",\"abnormal\":%s,\"customer_id\":\"C1\",\"customer_name\":\"张三丰\","
	    "\"currency\":\"CNY\",\"total\":100,\"items\":%s,\"shipment\":null}", id, status, pay,
	    abnormal, items);

	put(KIND_ORDER, json);
	free(json);
}

static void
fixtures(void)
{
	put(KIND_SKU, "{\"id\":\"SK1\",\"version\":1,\"product_id\":\"P1\",\"title\":\"耳机 黑色\","
	    "\"barcode\":\"6910000100003\",\"price\":100,\"stock\":10,\"reserved\":3}");
	put(KIND_SKU, "{\"id\":\"SK2\",\"version\":1,\"product_id\":\"P1\",\"title\":\"保温杯\","
	    "\"barcode\":\"6910000100010\",\"price\":100,\"stock\":5,\"reserved\":0}");
	put(KIND_SKU, "{\"id\":\"SK3\",\"version\":1,\"product_id\":\"P2\",\"title\":\"T恤\","
	    "\"barcode\":\"6910000100027\",\"price\":100,\"stock\":1,\"reserved\":1}");
	put_order("SO10000001", "awaiting_shipment", "paid", "null",
	    "[{\"sku_id\":\"SK1\",\"title\":\"耳机 黑色\",\"quantity\":2},"
	    "{\"sku_id\":\"SK2\",\"title\":\"保温杯\",\"quantity\":1}]");
	put_order("SO10000002", "cancelled", "unpaid", "null",
	    "[{\"sku_id\":\"SK1\",\"title\":\"耳机\",\"quantity\":1}]");
	put_order("SO10000003", "pending_payment", "unpaid", "null",
	    "[{\"sku_id\":\"SK1\",\"title\":\"耳机\",\"quantity\":1}]");
	put_order("SO10000004", "awaiting_shipment", "paid",
	    "{\"reason\":\"address\",\"note\":\"no such street\"}",
	    "[{\"sku_id\":\"SK1\",\"title\":\"耳机\",\"quantity\":1}]");
	put_order("SO10000005", "awaiting_shipment", "paid", "null",
	    "[{\"sku_id\":\"SK3\",\"title\":\"T恤\",\"quantity\":2}]");
	put_order("SO10000006", "shipped", "paid", "null",
	    "[{\"sku_id\":\"SK1\",\"title\":\"耳机\",\"quantity\":1}]");
}

static void
refused(const char *code, enum sd_status want, const char *words, const char *name)
{
	struct scan_order so;
	char *cause = NULL;
	enum sd_status st = scan_order_open(cache, code, &so, &cause);

	is_int(st, want, name);
	ok(cause != NULL && strstr(cause, words) != NULL, "... saying '%s' (%s)", words,
	    cause ? cause : "no message");
	free(cause);
	scan_order_done(&so);
}

static void
test_open(void)
{
	struct scan_order so;
	char *cause = NULL;

	is_int(scan_order_open(cache, "SO10000001", &so, &cause), SD_OK, "an order to ship opens");
	is_int((int)so.n, 2, "... with its two lines");
	is_str(so.items[0].barcode, "6910000100003", "... each with its SKU's barcode");
	is_int(scan_order_left(&so), 3, "... three pieces to pick");
	scan_order_done(&so);
	is_int(scan_order_open(cache, " 10000001\r", &so, &cause), SD_OK,
	    "the number without its prefix (a Code 128 read as digits) opens it too");
	is_str(so.id, "SO10000001", "... as SO10000001");
	scan_order_done(&so);
	is_int(scan_order_open(cache, "so10000001", &so, &cause), SD_OK, "lower case too");
	scan_order_done(&so);

	refused("SO10000099", SD_ENOTFOUND, "no order SO10000099 in the cache", "an unknown order");
	refused("SO10000002", SD_EREFUSED, "is cancelled: do not ship it", "a cancelled order");
	refused("SO10000003", SD_EREFUSED, "is not paid", "an unpaid order");
	refused("SO10000004", SD_EREFUSED, "flagged abnormal (address: no such street)",
	    "an abnormal order, with its reason");
	refused("SO10000005", SD_EREFUSED, "short of stock (SK3 T恤 needs 2, 1 in stock)",
	    "an order short of stock, naming the SKU");
	refused("SO10000006", SD_EREFUSED, "already shipped", "a shipped order");
	refused("   ", SD_EUSAGE, "is no order number", "a blank code");
}

static void
test_tick(void)
{
	struct scan_order so;
	char *cause = NULL, *msg = NULL;

	if (scan_order_open(cache, "SO10000001", &so, &cause) != SD_OK) {
		ok(0, "open: %s", cause);
		free(cause);
		return;
	}
	is_int(scan_order_tick(&so, "6910000100003", &msg), SCAN_TICKED, "a barcode ticks its item");
	is_str(msg, "耳机 黑色 1/2", "... and says how many of it");
	free(msg);
	is_int(scan_order_tick(&so, "6910000100099", &msg), SCAN_WRONG, "another barcode is wrong");
	ok(strstr(msg, "wrong item 6910000100099: not in order SO10000001; expected 耳机 黑色 "
	    "6910000100003 ×1, 保温杯 6910000100010 ×1") != NULL,
	    "... saying what is still expected (%s)", msg);
	free(msg);
	is_int(scan_order_tick(&so, "sk1", &msg), SCAN_TICKED, "the SKU id ticks too");
	free(msg);
	is_int(scan_order_tick(&so, "6910000100003", &msg), SCAN_SURPLUS, "a third is one too many");
	ok(strstr(msg, "one 耳机 黑色 too many: order SO10000001 takes 2") != NULL,
	    "... saying so (%s)", msg);
	free(msg);
	is_int(scan_order_left(&so), 1, "one piece left");
	is_int(scan_order_undo(&so), 0, "undo takes back the last tick (line 0)");
	is_int(so.items[0].picked, 1, "... one of line 0 picked now");
	is_int(scan_order_tick(&so, "6910000100003", &msg), SCAN_TICKED, "and it can be ticked again");
	free(msg);
	is_int(scan_order_tick(&so, "6910000100010", &msg), SCAN_TICKED, "the last piece");
	free(msg);
	is_int(scan_order_left(&so), 0, "nothing left");
	msg = scan_order_expected(&so);
	is_str(msg, "nothing: the waybill next", "the waybill is next");
	free(msg);
	is_int(scan_order_undo(&so), 1, "undo again");
	is_int(scan_order_undo(&so), 0, "and again");
	is_int(scan_order_undo(&so), 0, "and again");
	is_int(scan_order_undo(&so), -1, "nothing more to undo");
	scan_order_done(&so);
}

/* A store whose ids are in lower case (Medusa's "order_01..."): found as typed. */
static void
test_lower_case_id(void)
{
	struct scan_order so;
	char *cause = NULL;

	put_order("order_01jcx5w", "awaiting_shipment", "paid", "null",
	    "[{\"sku_id\":\"SK2\",\"title\":\"保温杯\",\"quantity\":1}]");
	is_int(scan_order_open(cache, " order_01jcx5w ", &so, &cause), SD_OK,
	    "an order id in lower case opens as typed");
	is_str(so.id, "order_01jcx5w", "... that order");
	free(cause);
	scan_order_done(&so);
}

static void
guess(const char *t, const char *want)
{
	const struct carrier_info *c[8];
	char got[64] = "";
	int n = scan_carrier_guess(t, c, 8), i;

	for (i = 0; i < n; i++) {
		strcat(got, i > 0 ? " " : "");
		strcat(got, c[i]->code);
	}
	ok(strcmp(got, want) == 0, "waybill %s: '%s' (got '%s')", t, want, got);
}

static void
test_carriers(void)
{
	guess("SF1234567890123", "SF");
	guess("sf123456789012", "SF");
	guess("JD0012345678901", "JD");
	guess("JDV012345678901", "JD");
	guess("YT1234567890123", "YTO");
	guess("JT1234567890123", "JT");
	guess("75123456789012", "ZTO");
	guess("773012345678", "STO");
	guess("4312345678901", "YUNDA");
	guess("1234567890123", "EMS YUNDA");
	guess("EA123456789CN", "EMS");
	guess("SF12", "");
	guess("123", "");
	guess("XX99", "");
}

int
main(void)
{
	char *cause = NULL;

	setlocale(LC_ALL, "C.UTF-8");
	if ((cache = cache_open(":memory:", &cause)) == NULL) {
		printf("Bail out! %s\n", cause);
		return 1;
	}
	fixtures();
	test_open();
	test_tick();
	test_lower_case_id();
	test_carriers();
	cache_close(&cache);
	return done_testing();
}
