/*
 * test-action.c -- the client's action catalogue: the table against the
 * contract, money and time as people type them, validation against cached
 * objects in a :memory: cache, request bodies, optimistic patches and CSV
 * batches (a BOM, CRLF, quoted fields, bad lines reported by number).
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "catalog-rules.h"
#include "cache.h"
#include "tap.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

/* Every action of shopdesk-storeapi(7)'s ACTIONS but order pay, by CLI noun (a
 * category's edit is its rename). */
static const char *const contract_actions[] = {
	"orders ship", "orders correct", "orders deliver", "orders complete", "orders cancel", "orders address",
	"orders note", "orders flag", "orders unflag",
	"tickets create", "tickets assign", "tickets approve", "tickets reject",
	"tickets receive", "tickets refund", "tickets decline", "tickets exchange",
	"tickets reship",
	"tickets start", "tickets propose", "tickets resolve", "tickets escalate",
	"tickets close",
	"chats accept", "chats send", "chats transfer", "chats pending", "chats snooze",
	"chats close",
	"stock adjust", "stock threshold", "stock create", "stock edit", "stock price",
	"products create", "products edit", "products delete", "products shelf",
	"products cancel",
	"promos create", "promos edit", "promos schedule", "promos activate", "promos end",
	"canned add", "canned edit", "canned remove",
	"categories create", "categories rename", "categories move", "categories delete",
	NULL
};

static struct cache *cache;
static const time_t now = 1795335300;	/* 2026-11-22T08:15:00Z */

static void
put(enum sd_kind k, const char *json)
{
	cJSON *obj = cJSON_Parse(json);
	char *cause = NULL;

	if (obj == NULL || cache_put(cache, k, obj, &cause) != 0) {
		printf("# cannot put %s: %s\n", json, cause ? cause : "bad json");
		exit(1);
	}
	cJSON_Delete(obj);
}

static void
put_order(const char *id, int version, const char *status, long long paid, long long refunded,
    const char *abnormal)
{
	char *json = xasprintf("{\"id\":\"%s\",\"version\":%d,\"created_at\":\"2026-11-21T14:02:11Z\","
	    "\"updated_at\":\"2026-11-21T14:03:40Z\",\"status\":\"%s\",\"payment_status\":\"paid\","
	    "\"fulfillment_status\":\"unfulfilled\",\"lifecycle\":\"open\",\"abnormal\":%s,"
	    "\"customer_id\":\"C100001\",\"customer_name\":\"张三丰\",\"channel\":\"app\","
	    "\"currency\":\"CNY\",\"subtotal\":25800,\"discount\":2000,\"shipping_fee\":0,"
	    "\"total\":23800,\"paid_amount\":%lld,\"refunded_amount\":%lld,\"items\":[],"
	    "\"address\":{\"name\":\"张三丰\",\"phone\":\"13812341234\",\"province\":\"浙江省\","
	    "\"city\":\"杭州市\",\"district\":\"西湖区\",\"line\":\"文三路100号\"},"
	    "\"payment\":null,\"shipment\":null,\"promotion_id\":null,\"note\":\"\","
	    "\"timeline\":[]}", id, version, status, abnormal != NULL ? abnormal : "null", paid,
	    refunded);

	put(KIND_ORDER, json);
	free(json);
}

static void
put_ticket(const char *id, const char *kind, const char *status, const char *order)
{
	char *json = xasprintf("{\"id\":\"%s\",\"version\":4,\"created_at\":\"2026-11-22T08:15:00Z\","
	    "\"updated_at\":\"2026-11-22T08:15:00Z\",\"order_id\":\"%s\",\"customer_id\":\"C1\","
	    "\"customer_name\":\"张三丰\",\"kind\":\"%s\",\"status\":\"%s\",\"priority\":\"normal\","
	    "\"escalated\":false,\"assignee\":null,\"reason\":\"\",\"description\":\"\","
	    "\"evidence\":[],\"currency\":\"CNY\",\"requested_amount\":12900,\"refund_amount\":0,"
	    "\"sla\":{\"first_action_due\":\"2026-11-22T12:15:00Z\",\"resolve_due\":"
	    "\"2026-11-25T08:15:00Z\",\"first_action_at\":null,\"state\":\"active\"},"
	    "\"history\":[]}", id, order, kind, status);

	put(KIND_TICKET, json);
	free(json);
}

/* The ticket id with a refund request of amount awaiting finance, asked by U3. */
static void
put_ticket_request(const char *id, long long amount)
{
	char *json = cache_get_json(cache, KIND_TICKET, id), *s;
	cJSON *t = cJSON_Parse(json), *rq = cJSON_CreateObject();

	json_set_int(rq, "amount", amount);
	json_set_str(rq, "requested_by", "U3");
	json_set_str(rq, "at", "2026-11-22T08:00:00Z");
	json_set_str(rq, "status", "awaiting_finance");
	json_set(t, "refund_request", rq);
	s = json_print(t);
	put(KIND_TICKET, s);
	free(s);
	free(json);
	cJSON_Delete(t);
}

/* Order id shipped with carrier and tracking, picked up at picked (or NULL). */
static void
put_shipped(const char *id, const char *carrier, const char *tracking, const char *picked)
{
	char *json = cache_get_json(cache, KIND_ORDER, id), *s;
	cJSON *o = cJSON_Parse(json), *sh = cJSON_CreateObject();

	json_set_str(sh, "carrier", carrier);
	json_set_str(sh, "tracking_no", tracking);
	json_set_str(sh, "shipped_at", "2026-11-22T06:00:00Z");
	if (picked != NULL)
		json_set_str(sh, "picked_up_at", picked);
	else
		json_set_null(sh, "picked_up_at");
	json_set_null(sh, "delivered_at");
	json_set(o, "shipment", sh);
	json_set_str(o, "status", "shipped");
	json_set_str(o, "fulfillment_status", "shipped");
	s = json_print(o);
	put(KIND_ORDER, s);
	free(s);
	free(json);
	cJSON_Delete(o);
}

/* Prepare noun/name on id with "flag=value" pairs; returns the status. */
static enum sd_status
try(const char *noun, const char *name, const char *id, struct action_plan *plan, char **cause,
    ...)
{
	const struct action_def *d = action_find(noun, name);
	const char *values[32], *pair;
	enum sd_status st;
	struct action_plan tmp;
	char *flag;
	va_list ap;
	int i;

	if (d == NULL) {
		printf("# no action %s %s\n", noun, name);
		return SD_EFAIL;
	}
	memset(values, 0, sizeof values);
	va_start(ap, cause);
	while ((pair = va_arg(ap, const char *)) != NULL) {
		flag = xstrndup(pair, strcspn(pair, "="));
		if ((i = action_arg_index(d, flag)) < 0)
			printf("# %s %s has no --%s\n", noun, name, flag);
		else
			values[i] = strchr(pair, '=') != NULL ? strchr(pair, '=') + 1 : "true";
		free(flag);
	}
	va_end(ap);
	*cause = NULL;
	st = action_prepare(cache, d, id, values, now, plan != NULL ? plan : &tmp, cause);
	if (plan == NULL)
		action_plan_done(&tmp);
	return st;
}

/* The JSON text of v (for comparisons). */
static char *
js(const cJSON *v)
{
	return v != NULL ? json_print(v) : xstrdup("(null)");
}

static void
is_json(const cJSON *v, const char *want, const char *name)
{
	char *got = js(v);

	is_str(got, want, name);
	free(got);
}

static void
has(const char *cause, const char *want, const char *name)
{
	ok(cause != NULL && strstr(cause, want) != NULL, "%s", name);
	if (cause == NULL || strstr(cause, want) == NULL)
		printf("#   got '%s', wanted it to contain '%s'\n", cause ? cause : "(null)", want);
}

static void
test_table(void)
{
	const struct action_def *d, *e;
	const struct action_arg *a, *b;
	char name[64], *wh;
	int i, n = 0, bad = 0;
	struct buf perms;

	for (d = action_table; d->name != NULL; d++) {
		n++;
		if (d->kind < 0 || d->kind >= KIND__COUNT || d->noun == NULL || d->help == NULL ||
		    d->summary == NULL || (strcmp(d->method, "POST") != 0 &&
		    strcmp(d->method, "PATCH") != 0 && strcmp(d->method, "DELETE") != 0) ||
		    d->roles == 0)
			printf("# %s %s: incomplete row\n", d->noun, d->name), bad++;
		if ((d->flags & ACTION_CREATE) && (d->path_action != NULL || d->from != NULL ||
		    (d->flags & ACTION_IF_MATCH)))
			printf("# %s %s: a create has no path, state or If-Match\n", d->noun,
			    d->name), bad++;
		if (!(d->flags & ACTION_CREATE) && d->from == NULL)
			printf("# %s %s: no states\n", d->noun, d->name), bad++;
		for (e = action_table; e < d; e++)
			if (strcmp(e->noun, d->noun) == 0 && strcmp(e->name, d->name) == 0)
				printf("# %s %s twice\n", d->noun, d->name), bad++;
		for (a = d->args; a->flag != NULL; a++) {
			if (a->help == NULL || *a->help == '\0' || a->field == NULL ||
			    (a->type != ARG_BOOL && a->metavar == NULL) ||
			    (a->type == ARG_ENUM && a->values == NULL))
				printf("# %s %s --%s: no help, field or metavar\n", d->noun, d->name,
				    a->flag), bad++;
			for (b = d->args; b < a; b++)
				if (strcmp(a->flag, b->flag) == 0 || strcmp(a->field, b->field) == 0)
					printf("# %s %s --%s twice\n", d->noun, d->name, a->flag),
					    bad++;
		}
	}
	is_int(bad, 0, "every row is complete: kind, method, roles, states, help, unique");
	for (i = 0; contract_actions[i] != NULL; i++) {
		snprintf(name, sizeof name, "%s", contract_actions[i]);
		*strchr(name, ' ') = '\0';
		ok(action_find(name, strchr(contract_actions[i], ' ') + 1) != NULL,
		    "the contract's %s is in the table", contract_actions[i]);
	}
	is_int(n, i, "and nothing else is (order pay is the store's)");
	ok(action_find("orders", "pay") == NULL, "order pay is left out");

	d = action_find("chats", "send");
	ok(d != NULL && !(d->flags & ACTION_IF_MATCH) && strcmp(d->path_action, "messages") == 0,
	    "send posts to /messages without If-Match");
	d = action_find("promos", "edit");
	ok(d != NULL && strcmp(d->method, "PATCH") == 0 && d->path_action == NULL &&
	    (d->flags & ACTION_IF_MATCH), "promotion edit is a PATCH with If-Match");
	wh = action_path(action_find("orders", "ship"), "SO10000001");
	is_str(wh, "/v1/orders/SO10000001/ship", "the path of ship");
	free(wh);

	/* The warehouse's permissions, as GET /v1/me lists them in the contract. */
	buf_init(&perms);
	for (d = action_table; d->name != NULL; d++)
		if (action_role_allows(d, ROLE_WAREHOUSE))
			buf_addf(&perms, "%s%s", perms.len ? "," : "", d->name);
	is_str(buf_str(&perms), "ship,correct,deliver,note,flag,unflag,receive,exchange,reship,adjust,"
	    "threshold", "warehouse may do what the contract's /v1/me example lists");
	buf_reset(&perms);
	for (d = action_table; d->name != NULL; d++)
		if (action_role_allows(d, ROLE_FINANCE))
			buf_addf(&perms, "%s%s", perms.len ? "," : "", d->name);
	is_str(buf_str(&perms), "refund,decline", "finance may refund and decline");
	buf_done(&perms);
	wh = action_roles_text(action_find("orders", "cancel")->roles);
	is_str(wh, "admin, ops or agent", "roles as text");
	free(wh);

	buf_init(&perms);
	action_usage(action_find("orders", "ship"), &perms);
	is_str(buf_str(&perms), "ID --carrier CODE --tracking NUMBER", "usage from the table");
	buf_done(&perms);
}

static void
test_money(void)
{
	static const struct {
		const char	*in;
		long long	 fen;
	} good[] = {
		{ "12.90", 1290 }, { "12.9", 1290 }, { "12", 1200 }, { "0.01", 1 },
		{ "¥12.90", 1290 }, { "￥1,299.00", 129900 }, { "1,299", 129900 },
		{ "12.90元", 1290 }, { "CNY 5", 500 }, { " 238.00 ", 23800 },
		{ "1,000,000", 100000000 },
	};
	static const char *const bad[] = {
		"1.234", "-1", "12,99", "1,2345", "abc", "", "1.", ".5", "¥", "12.90 yuan",
		"1,00", "1234567890123",
	};
	long long fen;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		fen = -1;
		ok(action_parse_money(good[i].in, 0, 100000000000LL, &fen, &cause) == 0 &&
		    fen == good[i].fen, "money '%s' is %lld fen (got %lld)", good[i].in, good[i].fen,
		    fen);
		free(cause);
		cause = NULL;
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ok(action_parse_money(bad[i], 0, 100000000000LL, &fen, &cause) == -1 &&
		    cause != NULL, "money '%s' is refused: %s", bad[i], cause ? cause : "");
		free(cause);
		cause = NULL;
	}
	action_parse_money("1.234", 0, 100, &fen, &cause);
	has(cause, "more than 2 decimals", "too many decimals says so");
	free(cause);
	action_parse_money("-1", 0, 100, &fen, &cause);
	has(cause, "negative", "a negative amount says so");
	free(cause);
	ok(action_parse_money("-3.50", -1000, 1000, &fen, &cause) == 0 && fen == -350,
	    "negative where allowed");
	ok(action_parse_money("0", 1, 1000, &fen, &cause) == -1, "below the minimum");
	has(cause, "at least", "and says the minimum");
	free(cause);
}

static void
test_time(void)
{
	time_t t = 0;
	char *cause = NULL;

	ok(action_parse_time("2026-11-22T08:15:00Z", now, &t, &cause) == 0 && t == now,
	    "RFC 3339 UTC");
	ok(action_parse_time("2026-11-22T16:15+08:00", now, &t, &cause) == 0 && t == now,
	    "with a zone, without seconds");
	ok(action_parse_time("+2h", now, &t, &cause) == 0 && t == now + 7200, "+2h");
	ok(action_parse_time("+30m", now, &t, &cause) == 0 && t == now + 1800, "+30m");
	setenv("TZ", "Asia/Shanghai", 1);
	tzset();
	ok(action_parse_time("2026-11-22 16:15", now, &t, &cause) == 0 && t == now,
	    "a local time (TZ=Asia/Shanghai)");
	ok(action_parse_time("2026-11-23", now, &t, &cause) == 0 && t == now + 27900,
	    "a local day is its midnight");
	ok(action_parse_time("tomorrow", now, &t, &cause) == 0 && t == now + 27900,
	    "tomorrow is its local midnight");
	ok(action_parse_time("tomorrow 20:00", now, &t, &cause) == 0 &&
	    t == now + 27900 + 20 * 3600, "tomorrow 20:00");
	ok(action_parse_time("today", now, &t, &cause) == 0 && t == now - 58500,
	    "today is this local midnight");
	ok(action_parse_time("now", now, &t, &cause) == 0 && t == now, "now");
	ok(action_parse_time("+7d", now, &t, &cause) == 0 && t == now + 7 * 86400, "+7d");
	ok(action_parse_time("2026-12-12 20:00", now, &t, &cause) == 0 &&
	    t == now + 20 * 86400 + 13500, "2026-12-12 20:00");
	ok(action_parse_time("tomorrow 25:00", now, &t, &cause) == -1, "tomorrow 25:00 is refused");
	free(cause);
	cause = NULL;
	ok(action_parse_time("someday", now, &t, &cause) == -1, "another word is refused");
	has(cause, "bad time 'someday'", "and named");
	free(cause);
	cause = NULL;
	ok(action_parse_time("2026-13-01 10:00", now, &t, &cause) == -1, "month 13 is refused");
	free(cause);
}

static void
fixtures(void)
{
	put_order("SO10000001", 2, "awaiting_shipment", 23800, 0, NULL);
	put_order("SO10000002", 3, "shipped", 23800, 0, NULL);
	put_order("SO10000003", 2, "awaiting_shipment", 23800, 0, NULL);
	put_order("SO10000004", 2, "awaiting_shipment", 23800, 0, NULL);
	put_order("SO10000005", 2, "awaiting_shipment", 23800, 0,
	    "{\"reason\":\"address\",\"note\":\"门牌号缺失\",\"at\":\"2026-11-21T08:00:00Z\","
	    "\"by\":\"U3\"}");
	put_order("SO10000006", 2, "awaiting_shipment", 23800, 0, NULL);
	put_shipped("SO10000006", "SF", "SF1111111111", NULL);
	put_order("SO10000007", 2, "awaiting_shipment", 23800, 0, NULL);
	put_shipped("SO10000007", "JD", "JD2222222222", "2026-11-22T07:00:00Z");
	put_order("SO10000042", 2, "delivered", 23800, 0, NULL);
	put_order("SO10000043", 2, "delivered", 100000, 0, NULL);
	put_ticket("AS1000001", "refund_only", "approved", "SO10000042");
	put_ticket("AS1000002", "complaint", "requested", "SO10000042");
	put_ticket("AS1000003", "refund_only", "approved", "SO10000043");
	put(KIND_SKU, "{\"id\":\"SK100001\",\"version\":4,\"created_at\":\"2026-09-01T02:00:00Z\","
	    "\"updated_at\":\"2026-11-22T07:58:13Z\",\"product_id\":\"P1001\","
	    "\"product_title\":\"纯棉T恤\",\"title\":\"白色 / M\",\"attributes\":{},"
	    "\"barcode\":\"6901234500011\",\"currency\":\"CNY\",\"price\":12900,\"stock\":5,"
	    "\"reserved\":3,\"low_stock_threshold\":10,\"shelf\":\"on\"}");
	put(KIND_CONVERSATION, "{\"id\":\"CV100001\",\"version\":5,"
	    "\"created_at\":\"2026-11-22T08:09:02Z\",\"updated_at\":\"2026-11-22T08:10:31Z\","
	    "\"customer_id\":\"C100001\",\"customer_name\":\"张三丰\",\"customer_level\":\"gold\","
	    "\"channel\":\"web\",\"queue\":\"presales\",\"status\":\"new\",\"priority\":\"normal\","
	    "\"assignee\":null,\"waiting_since\":\"2026-11-22T08:09:02Z\","
	    "\"last_message_at\":\"2026-11-22T08:10:31Z\",\"last_message_preview\":\"请问\","
	    "\"unread\":2,\"tag\":null,\"csat\":null,\"snoozed_until\":null,"
	    "\"order_id\":\"SO10000001\"}");
	put(KIND_CONVERSATION, "{\"id\":\"CV100002\",\"version\":2,"
	    "\"created_at\":\"2026-11-22T08:09:02Z\",\"updated_at\":\"2026-11-22T08:10:31Z\","
	    "\"customer_id\":\"C100002\",\"customer_name\":\"李四\",\"customer_level\":\"normal\","
	    "\"channel\":\"app\",\"queue\":\"aftersales\",\"status\":\"open\","
	    "\"priority\":\"normal\",\"assignee\":\"U3\",\"waiting_since\":null,"
	    "\"last_message_at\":\"2026-11-22T08:10:31Z\",\"last_message_preview\":\"好的\","
	    "\"unread\":0,\"tag\":null,\"csat\":null,\"snoozed_until\":null,"
	    "\"order_id\":null}");
	put(KIND_PROMOTION, "{\"id\":\"PR1001\",\"version\":2,\"created_at\":\"2026-11-20T03:00:00Z\","
	    "\"updated_at\":\"2026-11-20T03:05:00Z\",\"name\":\"双12 满199减20\","
	    "\"kind\":\"threshold_coupon\",\"status\":\"scheduled\","
	    "\"starts_at\":\"2026-12-11T16:00:00Z\",\"ends_at\":\"2026-12-12T16:00:00Z\","
	    "\"rules\":{\"threshold\":19900,\"off\":2000},\"limits\":{\"budget\":1000000,"
	    "\"per_customer\":1,\"stock\":5000},\"usage\":{\"redeemed\":0,\"orders\":0,"
	    "\"discount_total\":0},\"sku_ids\":[]}");
	put(KIND_PROMOTION, "{\"id\":\"PR1007\",\"version\":1,\"created_at\":\"2026-11-20T03:00:00Z\","
	    "\"updated_at\":\"2026-11-20T03:05:00Z\",\"name\":\"秒杀 T恤\",\"kind\":\"flash_sale\","
	    "\"status\":\"active\",\"starts_at\":\"2026-11-25T12:00:00Z\","
	    "\"ends_at\":\"2026-11-25T14:00:00Z\",\"rules\":{\"price\":5900,\"quantity\":200},"
	    "\"limits\":{\"budget\":0,\"per_customer\":2,\"stock\":200},\"usage\":{\"redeemed\":0,"
	    "\"orders\":0,\"discount_total\":0},\"sku_ids\":[\"SK100001\"]}");
}

static void
test_validate(void)
{
	struct action_plan p;
	char *cause = NULL;
	enum sd_status st;

	/* Refund above what is still refundable, with both amounts named. */
	st = try("tickets", "refund", "AS1000001", NULL, &cause, "amount=500", NULL);
	is_int(st, SD_EREFUSED, "a refund above what is refundable is refused");
	has(cause, "refund of ¥500.00 is more than the ¥238.00 still refundable on order "
	    "SO10000042", "with the amounts and the order");
	free(cause);
	st = try("tickets", "refund", "AS1000001", &p, &cause, "amount=¥129.00", NULL);
	is_int(st, SD_OK, "a refund within it is fine");
	is_json(p.body, "{\"amount\":12900}", "its body is in fen");
	is_json(p.patch, "{\"status\":\"refunded\",\"refund_amount\":12900}", "its patch");
	is_str(p.summary, "refund ¥129.00 on AS1000001", "its summary");
	action_plan_done(&p);
	/* Without an amount: the one asked for, with what it will do. */
	st = try("tickets", "refund", "AS1000001", &p, &cause, NULL);
	is_int(st, SD_OK, "a refund without an amount");
	is_json(p.body, "{\"amount\":12900}", "is the amount the ticket asks for");
	is_str(p.confirm, "Refund ¥129.00 of ¥238.00 paid to 张三丰 for AS1000001 (order "
	    "SO10000042); ¥109.00 stays refundable", "its confirmation");
	action_plan_done(&p);
	/* Capped by what is still refundable. */
	put_order("SO10000044", 2, "delivered", 23800, 20000, NULL);
	put_ticket("AS1000004", "refund_only", "approved", "SO10000044");
	st = try("tickets", "refund", "AS1000004", &p, &cause, NULL);
	is_int(st, SD_OK, "a request above what is left");
	is_json(p.body, "{\"amount\":3800}", "is capped by what is refundable");
	action_plan_done(&p);
	put_order("SO10000045", 2, "delivered", 23800, 23800, NULL);
	put_ticket("AS1000005", "refund_only", "approved", "SO10000045");
	st = try("tickets", "refund", "AS1000005", NULL, &cause, NULL);
	is_int(st, SD_EREFUSED, "nothing refundable");
	has(cause, "nothing is left to refund on order SO10000045 (paid ¥238.00, refunded "
	    "¥238.00)", "is refused with the amounts");
	free(cause);
	/* A ticket that asks for nothing needs the amount. */
	put(KIND_TICKET, "{\"id\":\"AS1000007\",\"version\":2,\"order_id\":\"SO10000042\","
	    "\"kind\":\"refund_only\",\"status\":\"approved\",\"currency\":\"CNY\","
	    "\"requested_amount\":0,\"refund_amount\":0}");
	st = try("tickets", "refund", "AS1000007", NULL, &cause, NULL);
	is_int(st, SD_EUSAGE, "no amount given, none asked for");
	is_str(cause, "ticket AS1000007 asks for no amount: give one with --amount (at most "
	    "¥238.00 is refundable)", "says how to give it and how much is possible");
	free(cause);
	/* A state that cannot be refunded: what it needs, what is allowed now. */
	put_ticket("AS1000006", "refund_only", "refunded", "SO10000042");
	st = try("tickets", "approve", "AS1000006", NULL, &cause, NULL);
	is_int(st, SD_EREFUSED, "approve on a refunded ticket");
	is_str(cause, "cannot approve ticket AS1000006: it is a refund_only ticket, refunded; "
	    "approve needs requested; now allowed: assign, escalate, close",
	    "names what approve needs and what is allowed now");
	free(cause);
	st = try("tickets", "refund", "AS1000006", NULL, &cause, NULL);
	has(cause, "refund needs approved; now allowed: assign, escalate, close",
	    "refund names the status it needs for this kind");
	free(cause);
	st = try("orders", "unflag", "SO10000001", NULL, &cause, NULL);
	is_str(cause, "cannot unflag order SO10000001: it is not flagged abnormal; now allowed: ship, "
	    "cancel, address, note, flag", "unflag of an order not flagged names what is allowed");
	free(cause);
	/* Cancelling a paid order refunds it: confirmed first. */
	st = try("orders", "cancel", "SO10000001", &p, &cause, NULL);
	is_str(p.confirm, "Cancel SO10000001 and refund ¥238.00 of ¥238.00 paid to 张三丰",
	    "cancelling a paid order is a money action");
	action_plan_done(&p);
	st = try("tickets", "refund", "AS1000001", NULL, &cause, "amount=1.234", NULL);
	is_int(st, SD_EUSAGE, "a refund of 1.234 is a typo");
	has(cause, "--amount: bad amount '1.234'", "named as one");
	free(cause);

	/* Stock that would fall below what is reserved. */
	st = try("stock", "adjust", "SK100001", NULL, &cause, "delta=-3", "reason=count", NULL);
	is_int(st, SD_EREFUSED, "stock below reserved is refused");
	has(cause, "the delta must be at least -2", "with the smallest delta allowed");
	free(cause);
	st = try("stock", "adjust", "SK100001", NULL, &cause, "delta=0", "reason=count", NULL);
	is_int(st, SD_EUSAGE, "a delta of 0 is refused");
	free(cause);
	st = try("stock", "adjust", "SK100001", &p, &cause, "delta=+50", "reason=inbound", NULL);
	is_int(st, SD_OK, "adjust +50");
	is_json(p.body, "{\"delta\":50,\"reason\":\"inbound\"}", "adjust's body");
	is_json(p.patch, "{\"stock\":55}", "adjust's patch: stock + delta");
	is_int(p.base_version, 4, "based on the cached version");
	is_str(p.summary, "adjust SK100001 by +50 (inbound)", "adjust's summary");
	action_plan_done(&p);

	/* Promotions. */
	st = try("promos", "create", NULL, NULL, &cause, "name=限时秒杀", "kind=fixed_coupon",
	    "starts=2026-11-25T14:00:00Z", "ends=2026-11-25T12:00:00Z", "off=5", NULL);
	is_int(st, SD_EUSAGE, "a promotion ending before it starts is refused");
	has(cause, "would end (2026-11-25T12:00:00Z) before it starts", "and says so");
	free(cause);
	st = try("promos", "create", NULL, &p, &cause, "name=满199减20", "kind=threshold_coupon",
	    "starts=2026-12-01T00:00:00Z", "ends=2026-12-02T00:00:00Z", "threshold=199",
	    "off=20", "budget=10000", NULL);
	is_int(st, SD_OK, "a valid promotion");
	is_json(p.body, "{\"name\":\"满199减20\",\"kind\":\"threshold_coupon\",\"starts_at\":"
	    "\"2026-12-01T00:00:00Z\",\"ends_at\":\"2026-12-02T00:00:00Z\",\"rules\":"
	    "{\"threshold\":19900,\"off\":2000},\"limits\":{\"budget\":1000000},\"sku_ids\":[]}",
	    "its body, amounts in fen");
	ok(p.object_id == NULL && p.base_version == -1, "a create has no id or If-Match");
	/* Its patch is the draft it will be, shown until the store makes it (outbox.h). */
	is_json(p.patch, "{\"name\":\"满199减20\",\"kind\":\"threshold_coupon\",\"starts_at\":"
	    "\"2026-12-01T00:00:00Z\",\"ends_at\":\"2026-12-02T00:00:00Z\",\"rules\":"
	    "{\"threshold\":19900,\"off\":2000},\"limits\":{\"budget\":1000000},\"sku_ids\":[],"
	    "\"status\":\"draft\"}", "its patch: the body as a draft");
	action_plan_done(&p);
	st = try("promos", "create", NULL, NULL, &cause, "name=x", "kind=threshold_coupon",
	    "starts=2026-12-01T00:00:00Z", "ends=2026-12-02T00:00:00Z", "threshold=19",
	    "off=20", NULL);
	is_int(st, SD_EUSAGE, "off above the threshold is refused");
	has(cause, "must be less than the threshold", "and says so");
	free(cause);
	st = try("promos", "create", NULL, NULL, &cause, "name=x", "kind=flash_sale",
	    "starts=2026-11-25T13:00:00Z", "ends=2026-11-25T15:00:00Z", "price=129",
	    "quantity=2", "skus=SK100001", NULL);
	is_int(st, SD_EUSAGE, "a flash price not below the regular one is refused");
	has(cause, "the flash price (¥129.00) must be below SKU SK100001's regular price "
	    "(¥129.00)", "and says both");
	free(cause);
	st = try("promos", "create", NULL, NULL, &cause, "name=x", "kind=flash_sale",
	    "starts=2026-11-25T13:00:00Z", "ends=2026-11-25T15:00:00Z", "price=59",
	    "quantity=10", "skus=SK100001", NULL);
	is_int(st, SD_EUSAGE, "a flash sale above the free stock is refused");
	has(cause, "a flash sale of 10 units is more than SKU SK100001 has in stock (2 not "
	    "reserved)", "and says how many there are");
	free(cause);
	st = try("promos", "create", NULL, NULL, &cause, "name=x", "kind=fixed_coupon",
	    "starts=2026-11-20T13:00:00Z", "ends=2026-11-25T15:00:00Z", "off=5", NULL);
	is_int(st, SD_EUSAGE, "a promotion starting in the past is refused");
	has(cause, "would start in the past (2026-11-20T13:00:00Z)", "and says when");
	free(cause);
	st = try("promos", "create", NULL, &p, &cause, "name=九折", "kind=percent_coupon",
	    "starts=2026-11-25T13:00:00Z", "ends=2026-11-25T15:00:00Z", "percent-off=10", NULL);
	is_int(st, SD_OK, "a percent coupon without a cap: uncapped");
	if (st == SD_OK) {
		char *body = js(p.body);

		ok(strstr(body, "\"percent_off\":10") != NULL && strstr(body, "max_off") == NULL,
		    "percent_off is sent, no max_off (%s)", body);
		free(body);
		action_plan_done(&p);
	} else
		free(cause);
	st = try("promos", "create", NULL, NULL, &cause, "name=x", "kind=flash_sale",
	    "starts=2026-11-25T13:00:00Z", "ends=2026-11-25T15:00:00Z", "price=59",
	    "quantity=2", "skus=SK100001", NULL);
	is_int(st, SD_EREFUSED, "an overlapping flash sale is refused");
	has(cause, "overlap flash sale PR1007", "naming the other one");
	free(cause);
	st = try("promos", "create", NULL, &p, &cause, "name=T恤立减", "kind=fixed_coupon",
	    "starts=2026-11-25T13:00:00Z", "ends=2026-11-25T15:00:00Z", "off=5",
	    "skus=SK100001", NULL);
	is_int(st, SD_OK, "a coupon overlapping a flash sale on its SKU is allowed");
	if (st == SD_OK) {
		has(p.note, "warning: it overlaps promotion PR1007", "with a warning naming it");
		action_plan_done(&p);
	} else
		free(cause);
	st = try("promos", "create", NULL, &p, &cause, "name=T恤立减", "kind=fixed_coupon",
	    "starts=2026-11-26T13:00:00Z", "ends=2026-11-26T15:00:00Z", "off=5",
	    "skus=SK100001", NULL);
	ok(st == SD_OK && p.note == NULL, "after its window: no warning");
	if (st == SD_OK)
		action_plan_done(&p);
	else
		free(cause);
	st = try("promos", "create", NULL, NULL, &cause, "name=x", "kind=flash_sale",
	    "starts=2026-11-25T13:00:00Z", "ends=2026-11-25T15:00:00Z", "price=59",
	    "quantity=2", "skus=SK100001", NULL);
	has(cause, "overlap flash sale PR1007", "naming the other one");
	free(cause);
	st = try("promos", "edit", "PR1001", &p, &cause, "off=25", NULL);
	is_int(st, SD_OK, "editing one rule");
	is_json(p.body, "{\"rules\":{\"off\":2500,\"threshold\":19900}}",
	    "sends the rules whole, the others from the cache");
	action_plan_done(&p);

	/* Ship. */
	st = try("orders", "ship", "SO10000001", NULL, &cause, "carrier=SFX",
	    "tracking=SF1234567890", NULL);
	is_int(st, SD_EUSAGE, "an unknown carrier is refused");
	has(cause, "unknown carrier 'SFX' (known: SF, JD, ZTO, YTO, YUNDA, EMS, STO, JT)",
	    "listing the known ones");
	free(cause);
	st = try("orders", "ship", "SO10000001", NULL, &cause, "carrier=SF", "tracking=SF12",
	    NULL);
	is_int(st, SD_EUSAGE, "a short tracking number is refused");
	has(cause, "is 4 characters long: it must be 8 to 30", "with its length");
	free(cause);
	st = try("orders", "ship", "SO10000002", NULL, &cause, "carrier=SF",
	    "tracking=SF1234567890", NULL);
	is_int(st, SD_EREFUSED, "shipping a shipped order is refused");
	has(cause, "cannot ship order SO10000002: it is shipped; ship needs awaiting_shipment; "
	    "now allowed: correct, deliver, note, flag",
	    "listing what is allowed");
	free(cause);
	st = try("orders", "ship", "SO10000005", NULL, &cause, "carrier=SF",
	    "tracking=SF1234567890", NULL);
	is_int(st, SD_EREFUSED, "shipping an abnormal order is refused");
	has(cause, "flagged abnormal (address: 门牌号缺失)", "with the flag");
	free(cause);
	st = try("orders", "ship", "SO99999999", NULL, &cause, "carrier=SF",
	    "tracking=SF1234567890", NULL);
	is_int(st, SD_ENOTFOUND, "an order not in the cache");
	has(cause, "run 'shopdesk sync'", "hints at sync");
	free(cause);
	st = try("orders", "ship", "SO10000001", &p, &cause, "carrier=sf",
	    "tracking= SF1234567890 ", NULL);
	is_int(st, SD_OK, "ship");
	is_json(p.body, "{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890\"}",
	    "ship's body: the carrier's code, the number trimmed");
	is_json(p.patch, "{\"status\":\"shipped\",\"fulfillment_status\":\"shipped\","
	    "\"shipment\":{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890\","
	    "\"shipped_at\":\"2026-11-22T08:15:00Z\"}}", "ship's patch");
	is_int(p.base_version, 2, "If-Match is the cached version");
	is_str(p.summary, "ship SO10000001 via SF SF1234567890", "ship's summary");
	action_plan_done(&p);
	st = try("orders", "ship", "SO10000001", &p, &cause, "carrier=顺丰",
	    "tracking=SF1234567890", NULL);
	is_int(st, SD_OK, "ship with the carrier's Chinese name");
	is_json(p.body, "{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890\"}",
	    "顺丰 is sent as SF");
	action_plan_done(&p);
	st = try("orders", "ship", "SO10000001", &p, &cause, "carrier=China-Post",
	    "tracking=1234567890123", NULL);
	is_int(st, SD_OK, "ship with an English name of the carrier");
	is_json(p.body, "{\"carrier\":\"EMS\",\"tracking_no\":\"1234567890123\"}",
	    "China-Post is sent as EMS");
	action_plan_done(&p);

	/* Correcting a shipment: before pickup, to a number no other order has. */
	st = try("orders", "correct", "SO10000001", NULL, &cause, "carrier=SF",
	    "tracking=SF1234567890", NULL);
	is_int(st, SD_EREFUSED, "correcting an order not shipped is refused");
	has(cause, "correct needs shipped", "it must be shipped");
	free(cause);
	st = try("orders", "correct", "SO10000006", NULL, &cause, "carrier=SF",
	    "tracking=SF1111111111", NULL);
	is_int(st, SD_EUSAGE, "correcting to the same tracking number is refused");
	has(cause, "SF1111111111 is already order SO10000006's tracking number",
	    "saying it is the one it has");
	free(cause);
	st = try("orders", "correct", "SO10000006", NULL, &cause, "carrier=JD",
	    "tracking=jd2222222222", NULL);
	is_int(st, SD_EREFUSED, "another cached order's tracking number is refused");
	has(cause, "tracking number JD2222222222 is order SO10000007's shipment",
	    "naming the other order");
	free(cause);
	st = try("orders", "correct", "SO10000007", NULL, &cause, "carrier=JD",
	    "tracking=JD3333333333", NULL);
	is_int(st, SD_EREFUSED, "correcting after the carrier picked the parcel up is refused");
	has(cause, "the carrier picked up order SO10000007's parcel at 2026-11-22T07:00:00Z",
	    "with when");
	free(cause);
	st = try("orders", "correct", "SO10000006", NULL, &cause, "carrier=UPS",
	    "tracking=JD3333333333", NULL);
	is_int(st, SD_EUSAGE, "an unknown carrier is refused");
	free(cause);
	st = try("orders", "correct", "SO10000006", &p, &cause, "carrier=京东",
	    "tracking=JD3333333333", "reason=扫错单号", NULL);
	is_int(st, SD_OK, "correct");
	is_json(p.body, "{\"carrier\":\"JD\",\"tracking_no\":\"JD3333333333\","
	    "\"reason\":\"扫错单号\"}", "correct's body");
	is_json(p.patch, "{\"shipment\":{\"carrier\":\"JD\",\"tracking_no\":\"JD3333333333\"}}",
	    "correct's patch: the waybill only");
	is_str(p.summary, "correct SO10000006's shipment to JD JD3333333333", "correct's summary");
	action_plan_done(&p);

	/* Tickets: the kind decides. */
	st = try("tickets", "approve", "AS1000002", NULL, &cause, NULL);
	is_int(st, SD_EREFUSED, "approving a complaint is refused");
	has(cause, "it is a complaint ticket, requested; approve needs a refund_only, "
	    "return_refund, exchange, repair or reship ticket; now allowed: assign, reject, "
	    "start, escalate",
	    "with the kind and the allowed actions");
	free(cause);

	/* Send. */
	st = try("chats", "send", "CV100001", &p, &cause,
	    "body=您好，已为您查询，今天下午发货。", NULL);
	is_int(st, SD_OK, "send");
	is_int(p.base_version, -1, "send has no If-Match");
	is_json(p.patch, "{\"status\":\"open\",\"waiting_since\":null,\"snoozed_until\":null,"
	    "\"unread\":0,\"last_message_preview\":\"您好，已为您查询，今天下午发货。\","
	    "\"last_message_at\":\"2026-11-22T08:15:00Z\"}", "send's patch");
	action_plan_done(&p);
	st = try("chats", "send", "CV100001", NULL, &cause, "body=", NULL);
	is_int(st, SD_EUSAGE, "an empty message is refused");
	free(cause);
	st = try("chats", "close", "CV100001", NULL, &cause, "tag=happy", NULL);
	is_int(st, SD_EUSAGE, "an unknown close tag is refused");
	has(cause, "one of: resolved, no_reply, spam, transferred, order_issue, presales_question",
	    "listing the tags");
	free(cause);
	st = try("chats", "transfer", "CV100001", NULL, &cause, "queue=vip", "assignee=U3", NULL);
	is_int(st, SD_EUSAGE, "transfer to a queue and a user at once");
	free(cause);
	st = try("chats", "snooze", "CV100001", NULL, &cause, "until=+1h", NULL);
	is_int(st, SD_EREFUSED, "snoozing a new conversation is refused");
	has(cause, "snooze needs open or pending; now allowed: accept, send, transfer, close",
	    "it can be accepted");
	free(cause);
	st = try("chats", "accept", "CV100001", &p, &cause, NULL);
	is_json(p.patch, "{\"status\":\"open\",\"snoozed_until\":null}", "accept's patch");
	action_plan_done(&p);
	st = try("chats", "snooze", "CV100002", &p, &cause, "until=+1h", NULL);
	is_json(p.body, "{\"until\":\"2026-11-22T09:15:00Z\"}", "snooze +1h");
	is_json(p.patch, "{\"status\":\"snoozed\",\"snoozed_until\":\"2026-11-22T09:15:00Z\"}",
	    "snooze's patch");
	action_plan_done(&p);
	st = try("chats", "snooze", "CV100002", NULL, &cause, "until=2026-11-22T08:00:00Z", NULL);
	is_int(st, SD_EUSAGE, "snoozing until the past");
	free(cause);
	st = try("orders", "ship", "SO10000001", NULL, &cause, "carrier=SF", NULL);
	is_int(st, SD_EUSAGE, "a required option missing");
	has(cause, "--tracking NUMBER is required", "names it");
	free(cause);

	/* Roles known from the cache. */
	cache_state_set(cache, "me.role", "warehouse", &cause);
	cache_state_set(cache, "me.id", "U5", &cause);
	st = try("orders", "cancel", "SO10000001", NULL, &cause, NULL);
	is_int(st, SD_EAUTH, "warehouse may not cancel");
	has(cause, "your role (warehouse) may not cancel orders: that needs admin, ops or agent",
	    "naming the roles that may");
	free(cause);
	st = try("tickets", "receive", "AS9999999", &p, &cause, "condition=ok", "restock", NULL);
	is_int(st, SD_OK, "warehouse may receive a ticket it cannot read");
	ok(p.base_version == 0 && p.note != NULL, "at version 0, with a note saying why");
	is_json(p.body, "{\"condition\":\"ok\",\"restock\":true}", "receive's body");
	action_plan_done(&p);
	cache_state_set(cache, "me.role", "agent", &cause);
	st = try("tickets", "refund", "AS1000003", &p, &cause, "amount=600", NULL);
	is_int(st, SD_OK, "a store that declares no limit: the store decides");
	ok(!p.to_finance, "and nothing is said about finance");
	action_plan_done(&p);
	/* The limit the store declared (GET /v1/me's refund_limit). */
	cache_state_set(cache, "store.refund_limit", "50000", &cause);
	cache_state_set(cache, "store.refund_approvers", "admin finance", &cause);
	st = try("tickets", "refund", "AS1000003", &p, &cause, "amount=600", NULL);
	is_int(st, SD_OK, "an agent's refund above ¥500.00 is queued...");
	ok(p.to_finance, "...as a request for finance");
	is_str(p.confirm, "Ask finance to refund ¥600.00 of ¥1000.00 paid to 张三丰 for "
	    "AS1000003 (order SO10000043): above ¥500.00 your role (agent) sends it to "
	    "finance, and nothing is refunded until finance completes it",
	    "the confirmation says where it goes");
	is_json(p.patch, "{\"status\":\"approved\",\"refund_request\":{\"status\":"
	    "\"awaiting_finance\",\"requested_by\":\"U5\",\"at\":\"2026-11-22T08:15:00Z\","
	    "\"amount\":60000}}", "the overlay: awaiting finance, not refunded");
	action_plan_done(&p);
	st = try("tickets", "refund", "AS1000003", &p, &cause, "amount=500", NULL);
	is_int(st, SD_OK, "at the limit...");
	ok(!p.to_finance, "...it is the agent's own refund");
	action_plan_done(&p);
	st = try("tickets", "decline", "AS1000003", NULL, &cause, "reason=no", NULL);
	is_int(st, SD_EAUTH, "an agent may not decline");
	free(cause);
	put_ticket_request("AS1000003", 60000);
	st = try("tickets", "refund", "AS1000003", NULL, &cause, "amount=1", NULL);
	is_int(st, SD_EREFUSED, "while a request awaits finance, an agent may not refund");
	has(cause, "a refund of ¥600.00 on AS1000003 awaits finance (asked by U3): finance or "
	    "admin completes it (refund) or declines it (decline)", "and is told so");
	free(cause);
	cache_state_set(cache, "me.role", "finance", &cause);
	cache_state_set(cache, "me.id", "U4", &cause);
	st = try("tickets", "refund", "AS1000003", &p, &cause, NULL);
	is_int(st, SD_OK, "finance completes it");
	is_json(p.body, "{\"amount\":60000}", "for the amount asked, by default");
	ok(!p.to_finance, "finance's own refund is made");
	has(p.confirm, "Refund ¥600.00 of ¥1000.00 paid to 张三丰 for AS1000003 (order "
	    "SO10000043); ¥400.00 stays refundable", "and says so");
	action_plan_done(&p);
	st = try("tickets", "decline", "AS1000003", &p, &cause, "reason=核实中", NULL);
	is_int(st, SD_OK, "finance may decline it");
	is_json(json_path(p.patch, "refund_request"), "{\"amount\":60000,\"requested_by\":"
	    "\"U3\",\"at\":\"2026-11-22T08:00:00Z\",\"status\":\"declined\","
	    "\"decided_by\":\"U4\",\"decided_at\":\"2026-11-22T08:15:00Z\","
	    "\"reason\":\"核实中\"}", "the overlay: declined, by whom and why");
	action_plan_done(&p);
	st = try("tickets", "decline", "AS1000001", NULL, &cause, "reason=x", NULL);
	is_int(st, SD_EREFUSED, "nothing awaits finance on AS1000001");
	has(cause, "decline needs a refund request awaiting finance", "said so");
	free(cause);
	cache_state_set(cache, "me.role", "admin", &cause);
	cache_state_set(cache, "store.refund_limit", "", &cause);
	st = try("tickets", "refund", "AS1000003", NULL, &cause, "amount=600", NULL);
	is_int(st, SD_OK, "an admin may");
}

static void
test_csv(void)
{
	static const char text[] =
	    "\xef\xbb\xbforder_id,carrier,tracking_no\r\n"	/* 1: a BOM, CRLF */
	    "SO10000001,SF,SF1234567890\r\n"			/* 2: good */
	    "\"SO10000003\", \"sf\" ,\"ZT-12345678\"\r\n"	/* 3: a dash in the number */
	    "SO10000004,SFX,SF1234567891\r\n"			/* 4: unknown carrier */
	    "SO10000001,JD,JD12345678\r\n"			/* 5: twice */
	    "SO10000002,SF,SF1234567892\r\n"			/* 6: shipped already */
	    "SO99999999,SF,SF1234567893\r\n"			/* 7: not cached */
	    "\r\n"						/* 8: blank */
	    "\"SO1000\"\"0009\",EMS\n"				/* 9: two fields */
	    "SO10000042,\"Z\nTO\",7531234567\n";		/* 10-11: quoted line break */
	static const char notes[] =
	    "order_id,text\n"
	    "SO10000001,\"周末不送货,\n请\"\"务必\"\"电话\"\n"		/* 2-3 */
	    "SO10000003,\"\"\n";					/* 4: empty */
	static const char leadtext[] = "\norder_id,text\nSO10000001,checked\n";
	struct action_batch b;
	char *cause = NULL, *lead;
	enum sd_status st;
	const char *want[][2] = {
		{ "2", NULL },
		{ "3", "tracking number 'ZT-12345678' has '-': only letters and digits" },
		{ "4", "unknown carrier 'SFX' (known: SF, JD, ZTO, YTO, YUNDA, EMS, STO, JT)" },
		{ "5", "order SO10000001 is already on line 2" },
		{ "6", "cannot ship order SO10000002: it is shipped" },
		{ "7", "no order 'SO99999999' in the cache" },
		{ "9", "2 fields, but the header has 3" },
		{ "10", "unknown carrier 'Z TO' (known" },	/* a quoted line break */
	};
	size_t i;

	cache_state_set(cache, "me.role", "warehouse", &cause);
	st = action_batch_load(cache, action_find("orders", "ship"), text, sizeof text - 1, now,
	    &b, &cause);
	is_int(st, SD_OK, "a CSV file with a BOM, CRLF and quoted fields reads");
	is_int(b.n, 8, "8 lines (the blank one skipped)");
	is_int(b.bad, 7, "7 of them bad");
	for (i = 0; i < sizeof want / sizeof want[0] && i < b.n; i++) {
		is_int(b.lines[i].line, atol(want[i][0]), "a line is reported by its number");
		if (want[i][1] == NULL)
			ok(b.lines[i].error == NULL && b.lines[i].status == SD_OK &&
			    strcmp(b.lines[i].plan.summary, "ship SO10000001 via SF SF1234567890") == 0,
			    "line %s is good", want[i][0]);
		else
			has(b.lines[i].error, want[i][1], want[i][1]);
	}
	is_int(b.lines[5].status, SD_ENOTFOUND, "an order not cached is not found");
	action_batch_done(&b);

	st = action_batch_load(cache, action_find("orders", "note"), notes, sizeof notes - 1, now,
	    &b, &cause);
	ok(st == SD_OK && b.n == 2 && b.bad == 1, "a quoted field with a comma, a line break and "
	    "doubled quotes");
	if (b.n == 2) {
		is_json(b.lines[0].plan.body, "{\"text\":\"周末不送货,\\n请\\\"务必\\\"电话\"}",
		    "is read whole");
		is_int(b.lines[1].line, 4, "and the next record's line counts the break");
		has(b.lines[1].error, "text is empty", "an empty cell is not given");
		ok(b.lines[0].plan.ready != NULL && strcmp(cache_row_id(b.lines[0].plan.ready),
		    b.lines[0].plan.object_id) == 0,
		    "a good line to queue has its order's overlay made as it is checked");
	}
	action_batch_done(&b);
	st = action_batch_check(cache, action_find("orders", "note"), notes, sizeof notes - 1,
	    now, &b, &cause);
	ok(st == SD_OK && b.n == 2 && b.bad == 1 && b.lines[0].plan.shown != NULL &&
	    b.lines[0].plan.ready == NULL, "a file only checked is read the same, with no overlay made");
	action_batch_done(&b);

	/* Bug (fuzz-csv): a file that starts with a line break read a byte before it. */
	lead = xmalloc(sizeof leadtext - 1);
	memcpy(lead, leadtext, sizeof leadtext - 1);
	st = action_batch_load(cache, action_find("orders", "note"), lead, sizeof leadtext - 1,
	    now, &b, &cause);
	ok(st == SD_OK && b.n == 1 && b.lines[0].line == 3,
	    "a file that starts with an empty line reads, from line 3");
	action_batch_done(&b);
	free(lead);

	st = action_batch_load(cache, action_find("stock", "adjust"), "sku_id,delta,why\n", 16,
	    now, &b, &cause);
	is_int(st, SD_EUSAGE, "an unknown column is ignored, a missing one refused");
	has(cause, "the header has no reason column (the columns of stock adjust: sku_id, "
	    "delta, reason)", "naming the columns");
	free(cause);
	cause = NULL;
	/* An export as it comes: GB18030, Chinese names, a column not ours. */
	st = action_batch_load(cache, action_find("stock", "adjust"),
	    "SKU\xb1\xe0\xc2\xeb , \xca\xfd\xc1\xbf,\xd4\xad\xd2\xf2,\xb1\xb8\xd7\xa2\n"
	    "SK100001,+1,inbound,\xb1\xb8\xd7\xa2\n", 50, now, &b, &cause);
	ok(st == SD_OK && b.n == 1 && b.bad == 0, "SKU编码, 数量, 原因 in GB18030 (%s)",
	    st == SD_OK ? (b.n > 0 && b.lines[0].error ? b.lines[0].error : "") : cause);
	is_str(b.encoding, "GB18030", "read as GB18030");
	is_str(b.ignored, "备注", "备注 ignored");
	action_batch_done(&b);
	st = action_batch_load(cache, action_find("stock", "adjust"),
	    "sku_id,delta,reason\nSK100001,-3,count\nSK100001,+1,inbound\n", 57, now, &b, &cause);
	ok(st == SD_OK && b.bad == 2, "adjust from CSV: below reserved, and a SKU twice");
	if (b.n == 2) {
		has(b.lines[0].error, "the delta must be at least -2", "line 2");
		has(b.lines[1].error, "SK100001 is already on line 2", "line 3");
	}
	action_batch_done(&b);
	cache_state_set(cache, "me.role", "agent", &cause);
	st = action_batch_load(cache, action_find("orders", "ship"), text, sizeof text - 1, now,
	    &b, &cause);
	is_int(st, SD_EAUTH, "a role that may not ship is refused once, for the file");
	free(cause);
	action_batch_done(&b);
}
/* "/shortcut" in a chat message: its canned reply, filled in, in the customer's language. */
static void
test_canned(void)
{
	struct action_plan p;
	char *cause = NULL;
	enum sd_status st;

	put(KIND_CANNED_REPLY, "{\"id\":\"CR1\",\"version\":1,\"shortcut\":\"hello\","
	    "\"title\":\"开场\",\"lang\":\"zh_CN\",\"body\":\"{customer_name}您好，我是客服"
	    "{agent_name}。\"}");
	put(KIND_CANNED_REPLY, "{\"id\":\"CR2\",\"version\":1,\"shortcut\":\"hello\","
	    "\"title\":\"Greeting\",\"lang\":\"en\",\"body\":\"Hello {customer_name}, this is "
	    "{agent_name}.\"}");
	put(KIND_CANNED_REPLY, "{\"id\":\"CR3\",\"version\":1,\"shortcut\":\"delay\","
	    "\"title\":\"延迟\",\"lang\":\"zh_CN\",\"body\":\"抱歉，订单{order_id}物流延迟，"
	    "{carrier}单号{tracking_no}。\"}");
	put(KIND_USER, "{\"id\":\"U3\",\"version\":1,\"login\":\"agent1\",\"name\":\"李客服\","
	    "\"role\":\"agent\"}");
	put(KIND_ORDER, "{\"id\":\"SO20000001\",\"version\":3,\"created_at\":"
	    "\"2026-11-21T14:02:11Z\",\"status\":\"shipped\",\"payment_status\":\"paid\","
	    "\"shipment\":{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890123\"}}");
	put(KIND_CONVERSATION, "{\"id\":\"CV100003\",\"version\":1,"
	    "\"created_at\":\"2026-11-22T08:09:02Z\",\"customer_name\":\"Emily Chen\","
	    "\"queue\":\"aftersales\",\"status\":\"open\",\"last_message_preview\":"
	    "\"Where is my parcel?\",\"order_id\":\"SO20000001\"}");
	cache_state_set(cache, "me.id", "U3", &cause);
	cache_state_set(cache, "me.role", "agent", &cause);

	st = try("chats", "send", "CV100001", &p, &cause, "body=/hello", NULL);
	is_int(st, SD_OK, "/hello is sent");
	is_str(st == SD_OK ? json_str(p.body, "body") : cause, "张三丰您好，我是客服李客服。",
	    "a Chinese-speaking customer gets the Chinese reply, name and agent filled in");
	ok(st == SD_OK && strstr(p.summary, "张三丰您好") != NULL, "the summary shows the text sent");
	if (st == SD_OK)
		action_plan_done(&p);
	st = try("chats", "send", "CV100003", &p, &cause, "body=/hello", NULL);
	is_str(st == SD_OK ? json_str(p.body, "body") : cause, "Hello Emily Chen, this is 李客服.",
	    "a customer writing English gets the English one");
	if (st == SD_OK)
		action_plan_done(&p);
	st = try("chats", "send", "CV100001", &p, &cause, "body=/hello:en  and welcome", NULL);
	is_str(st == SD_OK ? json_str(p.body, "body") : cause,
	    "Hello 张三丰, this is 李客服. and welcome", ":en picks the language; text after it follows");
	if (st == SD_OK)
		action_plan_done(&p);
	st = try("chats", "send", "CV100003", &p, &cause, "body=/delay", NULL);
	is_str(st == SD_OK ? json_str(p.body, "body") : cause,
	    "抱歉，订单SO20000001物流延迟，顺丰速运单号SF1234567890123。",
	    "the order's id, carrier (in the reply's language) and tracking number filled in");
	if (st == SD_OK)
		action_plan_done(&p);
	st = try("chats", "send", "CV100001", NULL, &cause, "body=/delay", NULL);
	is_int(st, SD_EREFUSED, "a placeholder that cannot be filled refuses the message");
	has(cause, "/delay needs {carrier}, which CV100001 has not (its order is not shipped)",
	    "... saying which and why");
	free(cause);
	st = try("chats", "send", "CV100001", NULL, &cause, "body=/nope", NULL);
	is_int(st, SD_EUSAGE, "an unknown shortcut is refused, not sent as typed");
	has(cause, "no canned reply has the shortcut /nope", "... naming it");
	free(cause);
	st = try("chats", "send", "CV100001", NULL, &cause, "body=/hello:fr", NULL);
	has(cause, "no canned reply has the shortcut /hello in fr", "a language it has not");
	free(cause);
	st = try("chats", "send", "CV100001", &p, &cause, "body=//tmp is full", NULL);
	is_str(st == SD_OK ? json_str(p.body, "body") : cause, "/tmp is full",
	    "// sends a text that starts with /");
	if (st == SD_OK)
		action_plan_done(&p);
	st = try("chats", "send", "CV100001", &p, &cause, "body=好的 /hello", NULL);
	is_str(st == SD_OK ? json_str(p.body, "body") : cause, "好的 /hello",
	    "a shortcut only counts at the start");
	if (st == SD_OK)
		action_plan_done(&p);
	cache_state_set(cache, "me.role", "admin", &cause);
}

/* Managing the replies: placeholders and shortcuts checked before anything is queued. */
static void
test_canned_manage(void)
{
	struct action_batch b;
	struct action_plan p;
	char *cause = NULL, *which = NULL, *text;
	const char *csv;
	size_t unchanged;
	enum sd_status st;

	/* (test_canned put CR1 hello zh_CN, CR2 hello en, CR3 delay zh_CN.) */
	st = try("canned", "add", NULL, NULL, &cause, "shortcut=thanks", "lang=en",
	    "title=Thanks", "body=Thanks {customer} for {order_id", NULL);
	is_int(st, SD_EUSAGE, "an unknown placeholder and an open brace are refused");
	has(cause, "--body: unknown placeholder {customer}; '{' at character 23 is not closed",
	    "... naming both");
	has(cause, "{customer_name} {order_id} {tracking_no} {carrier} {agent_name}",
	    "... and the known ones");
	free(cause);
	st = try("canned", "add", NULL, NULL, &cause, "shortcut=thanks", "lang=en",
	    "title=Thanks", "body=Thanks} {agent_name}", NULL);
	has(cause, "'}' at character 7 closes no '{'", "a stray closing brace is named");
	free(cause);
	st = try("canned", "add", NULL, NULL, &cause, "shortcut=a b", "lang=en",
	    "title=T", "body=x", NULL);
	has(cause, "--shortcut: the shortcut may not contain blanks", "a shortcut with a blank");
	free(cause);
	st = try("canned", "add", NULL, NULL, &cause, "shortcut=hello", "lang=en",
	    "title=T", "body=x", NULL);
	is_int(st, SD_EREFUSED, "a second /hello in en is refused");
	has(cause, "canned reply CR2 already has the shortcut /hello in en", "... naming the first");
	free(cause);
	st = try("canned", "add", NULL, &p, &cause, "shortcut=thanks", "lang=zh_CN",
	    "title=感谢", "body=感谢您，{customer_name}！", NULL);
	is_int(st, SD_OK, "a good reply is added");
	if (st == SD_OK) {
		is_json(p.body, "{\"shortcut\":\"thanks\",\"lang\":\"zh_CN\",\"title\":"
		    "\"感谢\",\"body\":\"感谢您，{customer_name}！\"}", "... with its body");
		is_str(p.summary, "add /thanks (zh_CN): 感谢", "... and summary");
		ok(p.object_id == NULL && p.base_version == -1 && p.patch == NULL,
		    "... a create: no id, If-Match or overlay");
		action_plan_done(&p);
	}
	st = try("canned", "edit", "CR2", &p, &cause, "lang=zh_CN", NULL);
	is_int(st, SD_EREFUSED, "moving /hello en to zh_CN would make two");
	free(cause);
	st = try("canned", "edit", "CR2", &p, &cause, "title=Hi", NULL);
	is_int(st, SD_OK, "an edit of the title");
	if (st == SD_OK) {
		ok(strcmp(p.def->method, "PATCH") == 0 && p.base_version == 1,
		    "... is a PATCH with If-Match");
		is_json(p.patch, "{\"title\":\"Hi\"}", "... shown at once");
		action_plan_done(&p);
	}
	st = try("canned", "edit", "CR2", NULL, &cause, NULL);
	has(cause, "nothing to change", "an edit of nothing");
	free(cause);
	st = try("canned", "remove", "CR3", &p, &cause, NULL);
	is_int(st, SD_OK, "remove");
	if (st == SD_OK) {
		ok(strcmp(p.def->method, "DELETE") == 0 && p.base_version == 1,
		    "... is a DELETE with If-Match");
		text = action_path(p.def, "CR3");
		is_str(text, "/v1/canned-replies/CR3", "... of the reply");
		free(text);
		action_plan_done(&p);
	}
	cache_state_set(cache, "me.role", "finance", &cause);
	st = try("canned", "remove", "CR3", NULL, &cause, NULL);
	is_int(st, SD_EAUTH, "finance may not manage canned replies");
	has(cause, "that needs admin, ops or agent", "... naming who may");
	free(cause);
	cache_state_set(cache, "me.role", "agent", &cause);

	/* An import: every problem of a bad line, by its number. */
	csv = "shortcut,lang,title,body\r\n"
	    "hello,en,Greeting,\"Hello {customer_name}, this is {agent_name}.\"\r\n"
	    "bye,en,Bye,\"Bye, {customer_name}\"\r\n"
	    "bad one,fr,,Hi {name\r\n"
	    "bye,en,Again,x\r\n"
	    "hello,zh_CN,开场,\"{customer_name}您好，我是客服{agent_name}。\"\r\n";
	st = action_canned_import(cache, csv, strlen(csv), now, &b, &unchanged, &cause);
	is_int(st, SD_OK, "a file of canned replies reads");
	is_int((long long)b.bad, 2, "two bad lines");
	ok(b.n == 3 && b.lines[1].line == 4 && b.lines[2].line == 5, "reported as lines 4 and 5");
	if (b.n == 3) {
		is_str(b.lines[1].error, "the shortcut may not contain blanks; lang must be zh_CN "
		    "or en; title is empty; body: '{' at character 4 is not closed by '}' (the "
		    "placeholders are {customer_name} {order_id} {tracking_no} {carrier} "
		    "{agent_name})", "line 4 with all its problems");
		has(b.lines[2].error, "/bye in en is already on line 3", "line 5 repeats line 3");
		ok(b.lines[0].error == NULL && strcmp(b.lines[0].plan.def->name, "add") == 0,
		    "/bye is added");
	}
	is_int((long long)unchanged, 2, "both /hello are the same as cached: nothing to do");
	action_batch_done(&b);
	csv = "title,body,shortcut,lang\nGreeting,Hello {customer_name}!,hello,en\n";
	st = action_canned_import(cache, csv, strlen(csv), now, &b, &unchanged, &cause);
	ok(st == SD_OK && b.n == 1 && b.bad == 0 && strcmp(b.lines[0].plan.def->name, "edit") == 0 &&
	    strcmp(b.lines[0].id, "CR2") == 0, "a changed text edits the cached reply, columns in any order");
	action_batch_done(&b);
	csv = "shortcut,lang,text\n";
	st = action_canned_import(cache, csv, strlen(csv), now, &b, &unchanged, &cause);
	is_int(st, SD_EUSAGE, "an unknown column refuses the file");
	has(cause, "unknown column 'text'", "... naming it");
	free(cause);
	action_batch_done(&b);

	/* What the console previews for "send /...". */
	text = action_canned_preview(cache, "CV100003", "/del", &which);
	is_str(text, "抱歉，订单SO20000001物流延迟，顺丰速运单号SF1234567890123。",
	    "the preview of the first shortcut /del starts, filled in");
	is_str(which, "/delay:zh_CN", "... naming it");
	free(text);
	free(which);
	text = action_canned_preview(cache, "CV100001", "/delay", &which);
	is_str(text, "抱歉，订单SO10000001物流延迟，{carrier}单号{tracking_no}。",
	    "what cannot be filled stays a placeholder");
	free(text);
	free(which);
	text = action_canned_preview(cache, "CV100001", "/zzz", &which);
	ok(text == NULL && which == NULL, "no preview for no shortcut");
	cache_state_set(cache, "me.role", "admin", &cause);
}

/* The catalogue: specifications, a price with its confirmations, the shelf. */
static void
test_catalog(void)
{
	struct action_plan p;
	enum sd_status st;
	char *cause = NULL, *role = cache_state_get(cache, "me.role");

	cache_state_set(cache, "me.role", "ops", &cause);
	put(KIND_PRODUCT, "{\"id\":\"P2001\",\"version\":3,\"title\":\"袜子\","
	    "\"category\":\"服装\",\"shelf\":\"off\",\"sku_ids\":[\"SK200001\",\"SK200002\"]}");
	put(KIND_SKU, "{\"id\":\"SK200001\",\"version\":2,\"product_id\":\"P2001\","
	    "\"attributes\":{\"颜色\":\"白色\",\"尺码\":\"M\"},\"price\":5900,\"cost\":3000,"
	    "\"stock\":0,\"reserved\":0,\"shelf\":\"off\"}");
	put(KIND_SKU, "{\"id\":\"SK200002\",\"version\":2,\"product_id\":\"P2001\","
	    "\"attributes\":{\"颜色\":\"黑色\",\"尺码\":\"M\"},\"price\":5900,"
	    "\"stock\":0,\"reserved\":0,\"shelf\":\"off\"}");

	st = try("stock", "create", NULL, &p, &cause, "product=P2001", "price=59",
	    "spec= 颜色 = 红色 ，尺码=L", NULL);
	is_int(st, SD_OK, "a SKU with new specifications");
	is_json(p.body, "{\"product_id\":\"P2001\",\"price\":5900,"
	    "\"attributes\":{\"颜色\":\"红色\",\"尺码\":\"L\"}}",
	    "... blanks trimmed, a full-width comma separates");
	action_plan_done(&p);
	st = try("stock", "create", NULL, NULL, &cause, "product=P2001", "price=59",
	    "spec=尺码=M,颜色=黑色", NULL);
	is_int(st, SD_EREFUSED, "the specifications of another SKU, in another order");
	has(cause, "SKU SK200002 of product P2001 already has these specifications", "... named");
	free(cause);
	st = try("stock", "create", NULL, NULL, &cause, "product=P2001", "price=59",
	    "spec=颜色", NULL);
	is_int(st, SD_EUSAGE, "a specification without a value");
	has(cause, "is not NAME=VALUE", "... says the form");
	free(cause);
	st = try("stock", "create", NULL, NULL, &cause, "product=P2001", "price=59",
	    "spec=a=1,a=2", NULL);
	is_int(st, SD_EUSAGE, "a name given twice");
	free(cause);
	st = try("stock", "edit", "SK200001", &p, &cause, "spec=颜色=白色", NULL);
	is_int(st, SD_OK, "an edit of the specifications");
	is_json(p.patch, "{\"attributes\":{\"颜色\":\"白色\",\"尺码\":null}}",
	    "... removes the ones left out from the overlay");
	action_plan_done(&p);

	st = try("stock", "price", "SK200001", &p, &cause, "price=49", NULL);
	is_int(st, SD_OK, "a price change");
	ok(p.confirm == NULL && !p.strict, "... within half and above cost needs no confirmation");
	is_str(p.note, "SK200001 ¥59.00 -> ¥49.00 (-16%)", "... and says old -> new");
	is_json(p.patch, "{\"price\":4900}", "... in the overlay");
	action_plan_done(&p);
	st = try("stock", "price", "SK200001", &p, &cause, "price=20", NULL);
	is_int(st, SD_OK, "a price below cost is prepared");
	is_str(p.confirm, "Price of SK200001 ¥59.00 -> ¥20.00: below cost: SK200001 costs "
	    "¥30.00, so each one sells at a loss of ¥10.00; down 66%", "... with what it loses");
	ok(p.strict, "... to be confirmed even in a script");
	is_json(p.body, "{\"price\":2000,\"below_cost\":true}", "... the store is told");
	action_plan_done(&p);
	st = try("stock", "price", "SK200002", &p, &cause, "price=99", NULL);
	is_int(st, SD_OK, "a price up by more than half");
	ok(p.confirm != NULL && strstr(p.confirm, "up 67%") != NULL && !p.strict,
	    "... is asked about, not strict");
	action_plan_done(&p);
	st = try("stock", "price", "SK200002", NULL, &cause, "price=59", NULL);
	is_int(st, SD_EUSAGE, "the same price again");
	free(cause);

	st = try("products", "shelf", "P2001", NULL, &cause, "shelf=on", NULL);
	is_int(st, SD_EREFUSED, "no stock: not on the shelf");
	has(cause, "P2001 has no stock to sell", "... with the reason");
	free(cause);
	st = try("products", "shelf", "P2001", &p, &cause, "shelf=off", "at=+2h", NULL);
	is_int(st, SD_OK, "off the shelf in two hours");
	is_json(p.patch, "{\"scheduled_shelf\":{\"shelf\":\"off\",\"at\":"
	    "\"2026-11-22T10:15:00Z\",\"by\":\"U3\"}}", "... shows as scheduled, the shelf unchanged");
	action_plan_done(&p);
	st = try("products", "cancel", "P2001", NULL, &cause, NULL);
	is_int(st, SD_EREFUSED, "nothing scheduled: nothing to cancel");
	free(cause);
	cache_state_set(cache, "me.role", role != NULL ? role : "", &cause);
	free(role);
}

/* A bulk price change: parsed, applied to the fen half up, said back. */
static void
test_price_change(void)
{
	static const struct {
		const char	*by, *to;
		long long	 old, want;
		const char	*text;
	} good[] = {
		{ "-10%", NULL, 12900, 11610, "-10%" },
		{ "-15%", NULL, 1999, 1699, "-15%" },		/* 16.9915 */
		{ "+12.5%", NULL, 1999, 2249, "+12.5%" },	/* 22.48875 */
		{ "-50%", NULL, 15, 8, "-50%" },		/* 0.075: half up */
		{ "-0.01%", NULL, 100, 100, "-0.01%" },
		{ "+5.00", NULL, 1999, 2499, "+\xc2\xa5" "5.00" },
		{ "-¥3", NULL, 1999, 1699, "-\xc2\xa5" "3.00" },
		{ NULL, "99", 1999, 9900, "to \xc2\xa5" "99.00" },
	};
	static const char *const bad[] = { "10%", "-100%", "-1.234%", "+0%", "+", "-abc",
	    "+1001%", "+5.001" };
	struct price_change c;
	char *cause = NULL;
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		ok(action_price_change_parse(good[i].by, good[i].to, &c, &cause) == 0,
		    "price change '%s' parses", good[i].by ? good[i].by : good[i].to);
		free(cause);
		cause = NULL;
		is_int(action_price_change_apply(&c, good[i].old), good[i].want,
		    "... and gives the new price, rounded to the fen half up");
		buf_reset(&b);
		action_price_change_text(&c, &b);
		is_str(buf_str(&b), good[i].text, "... and is said back");
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ok(action_price_change_parse(bad[i], NULL, &c, &cause) == -1 && cause != NULL,
		    "price change '%s' is refused: %s", bad[i], cause ? cause : "");
		free(cause);
		cause = NULL;
	}
	ok(action_price_change_parse("-5%", "9", &c, &cause) == -1, "--by and --to: one of them");
	free(cause);
	cause = NULL;
	ok(action_price_change_parse("-50.00", NULL, &c, &cause) == 0 &&
	    action_price_change_apply(&c, 5000) == -1, "an amount down to zero gives -1");
	free(cause);
	ok(action_price_change_parse("-99.99%", NULL, &c, &cause) == 0 &&
	    action_price_change_apply(&c, 1999) == -1, "a percentage rounding to zero gives -1");
	free(cause);
	buf_done(&b);
}

/* A repricing list naming a SKU more than once: each repeat names its first line. */
static void
test_price_batch_repeats(void)
{
	static const char *const ids[] = { "SK100001", "SK-NONE", "SK100001", "SK-NONE",
	    "SK100001" };
	struct price_change c;
	struct action_batch b;
	size_t unchanged, i, repeats = 0;
	char *cause = NULL;

	cache_state_set(cache, "me.role", "admin", &cause);
	ok(action_price_change_parse("+1.00", NULL, &c, &cause) == 0, "+1.00 parses");
	action_price_batch(cache, ids, 5, &c, time(NULL), &b, &unchanged, &cause);
	free(cause);
	cause = NULL;
	for (i = 0; i < b.n; i++) {
		if (b.lines[i].line == 3 || b.lines[i].line == 5) {
			has(b.lines[i].error, "SK100001 is already on line 1",
			    b.lines[i].line == 3 ? "line 3 repeats line 1" : "line 5 repeats line 1");
			repeats++;
		} else if (b.lines[i].line == 4) {
			has(b.lines[i].error, "SK-NONE is already on line 2", "line 4 repeats line 2");
			repeats++;
		}
	}
	is_int((long long)repeats, 3, "three repeats found");
	is_int((long long)b.bad, 4, "the repeats and the SKU not cached are bad, the first is not");
	action_batch_done(&b);
}

/* The shelf and cost rules both sides ask (catalog-rules.h). */
static void
test_catalog_rules(void)
{
	struct catalog_sku s[3] = {
		{ "SK1", 1, 1000, 5, 5 }, { "SK2", 1, 2000, 0, 0 }, { "SK3", 0, 0, 0, 0 },
	};
	size_t which;
	char *why;

	is_int(catalog_shelf_check(s, 0, &which), CATALOG_NO_SKU, "no SKU: not sellable");
	is_int(catalog_shelf_check(s, 2, &which), CATALOG_NO_STOCK,
	    "every SKU's stock reserved: no stock to sell");
	is_int(catalog_shelf_check(s, 3, &which), CATALOG_SELLABLE,
	    "... but with a SKU not known, no stock is not claimed");
	s[0].stock = 6;
	is_int(catalog_shelf_check(s, 2, &which), CATALOG_SELLABLE, "one unit free: sellable");
	s[1].price = 0;
	is_int(catalog_shelf_check(s, 2, &which), CATALOG_NO_PRICE, "a SKU without a price");
	is_int((long long)which, 1, "... is named");
	why = catalog_shelf_reason(CATALOG_NO_PRICE, "P1", s[which].id);
	is_str(why, "SKU SK2 has no price; set one first", "... in one sentence for both sides");
	free(why);
	why = catalog_shelf_reason(CATALOG_NO_STOCK, "P1", NULL);
	is_str(why, "product P1 has no stock to sell; add stock to a SKU first", "no stock, said");
	free(why);
	ok(catalog_shelf_reason(CATALOG_SELLABLE, "P1", NULL) == NULL, "sellable: no reason");
	ok(catalog_below_cost(2999, 3000) && !catalog_below_cost(3000, 3000) &&
	    !catalog_below_cost(1, 0), "below cost: under a known cost only");
}

/* The promotions' date and overlap rules, the client's and the store's. */
static void
test_promo_rules(void)
{
	cJSON *a = cJSON_Parse("{\"id\":\"PR1\",\"kind\":\"flash_sale\",\"status\":\"draft\","
	    "\"starts_at\":\"2026-12-01T10:00:00Z\",\"ends_at\":\"2026-12-01T12:00:00Z\","
	    "\"sku_ids\":[\"SK1\",\"SK2\"]}");
	cJSON *b = cJSON_Parse("{\"id\":\"PR2\",\"kind\":\"flash_sale\",\"status\":\"scheduled\","
	    "\"starts_at\":\"2026-12-01T11:00:00Z\",\"ends_at\":\"2026-12-01T13:00:00Z\","
	    "\"sku_ids\":[\"SK3\",\"SK2\"]}");
	struct catalog_promo pa, pb;
	const char *sku;

	catalog_promo_read(&pa, a);
	catalog_promo_read(&pb, b);
	is_int((int)pa.nskus, 2, "a promotion read: its SKUs");
	ok(pa.starts != 0 && pa.ends > pa.starts, "... and its window");
	sku = catalog_promo_overlap(&pa, &pb);
	is_str(sku, "SK2", "windows that meet and a shared SKU: an overlap, on that SKU");
	ok(catalog_promo_overlap(&pb, &pb) == NULL, "a promotion does not overlap itself");
	ok(catalog_promo_overlap(&pb, &pa) == NULL, "a draft is not in play: no overlap with it");
	pb.starts = pa.ends;
	ok(catalog_promo_overlap(&pa, &pb) == NULL, "one starting when the other ends: none");
	pb.starts = pa.starts;
	pb.nskus = 1;
	ok(catalog_promo_overlap(&pa, &pb) == NULL, "no SKU in common: none");
	ok(catalog_promo_dates_ok(1, 2) && !catalog_promo_dates_ok(2, 2) &&
	    !catalog_promo_dates_ok(3, 2), "ends after it starts, not when or before");
	ok(catalog_promo_ahead(11, 10) && !catalog_promo_ahead(10, 10),
	    "ahead: later than now, not now");
	cJSON_Delete(a);
	cJSON_Delete(b);
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
	test_table();
	test_promo_rules();
	test_money();
	test_time();
	fixtures();
	test_validate();
	test_canned();
	test_canned_manage();
	test_csv();
	test_catalog();
	test_price_change();
	test_price_batch_repeats();
	test_catalog_rules();
	cache_close(&cache);
	return done_testing();
}
