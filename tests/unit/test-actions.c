/*
 * test-actions.c -- the Store API's write actions against an in-memory store.
 *
 * A store is filled with a few orders, SKUs, a product, conversations and a
 * flash sale shaped like the contract's examples, users of every role are
 * added, and actions are run through actions_run() the way the HTTP layer
 * does (store locked, one transaction per request, rolled back unless
 * applied). Each test checks the answer and what the store holds afterwards.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "model.h"
#include "server/actions.h"
#include "server/store.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#include "tap.h"

static struct store *st;
static struct store_user users[ROLE__COUNT];
static cJSON *last;		/* body of the last answer */
static int last_applied;

#define NO_IFMATCH	(-1)
#define CURRENT		(-2)	/* use the stored version */

static void
add_users(void)
{
	static const char *names[ROLE__COUNT] = {
		"超级管理员", "运营小王", "财务小李", "李客服", "仓库老张"
	};
	int r;

	for (r = 0; r < ROLE__COUNT; r++) {
		memset(&users[r], 0, sizeof users[r]);
		snprintf(users[r].id, sizeof users[r].id, "U%d", r + 1);
		snprintf(users[r].login, sizeof users[r].login, "%s1",
		    role_name(r));
		snprintf(users[r].name, sizeof users[r].name, "%s", names[r]);
		users[r].role = r;
		snprintf(users[r].token, sizeof users[r].token, "tok-%s",
		    role_name(r));
		store_add_user(st, &users[r]);
	}
}

/* Parse test JSON written with ' for " (no test string holds a '). */
static cJSON *
parse(const char *text)
{
	char *s = xstrdup(text), *p;
	cJSON *obj;

	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	if ((obj = cJSON_Parse(s)) == NULL)
		fatal("bad test json: %s", s);
	free(s);
	return obj;
}

/* Insert an object given as JSON text. */
static void
put(enum sd_kind kind, const char *json)
{
	cJSON *obj = parse(json);

	store_put(st, kind, json_str(obj, "id"), obj);
	cJSON_Delete(obj);
}

static long long
version(enum sd_kind kind, const char *id)
{
	cJSON *obj = store_get(st, kind, id);
	long long v;

	v = json_int(obj, "version", 0);
	cJSON_Delete(obj);
	return v;
}

/* Member path of a stored object, e.g. "address.phone", as a static copy. */
static const char *
stored(enum sd_kind kind, const char *id, const char *path)
{
	static char out[256];
	cJSON *obj = store_get(st, kind, id);
	const cJSON *v = json_path(obj, path);

	if (cJSON_IsString(v))
		snprintf(out, sizeof out, "%s", v->valuestring);
	else if (cJSON_IsNumber(v))
		snprintf(out, sizeof out, "%lld", (long long)v->valuedouble);
	else
		snprintf(out, sizeof out, "%s", v == NULL ? "(absent)" :
		    cJSON_IsNull(v) ? "null" : "(other)");
	cJSON_Delete(obj);
	return out;
}

/* Member path of the last answer. */
static const cJSON *
at(const char *path)
{
	return json_path(last, path);
}

static const char *
s_at(const char *path)
{
	const cJSON *v = at(path);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static long long
i_at(const char *path)
{
	const cJSON *v = at(path);

	return cJSON_IsNumber(v) ? (long long)v->valuedouble : -999999;
}

/* Whether the array at path holds the string s. */
static int
has(const char *path, const char *s)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, at(path))
		if (cJSON_IsString(v) && strcmp(v->valuestring, s) == 0)
			return 1;
	return 0;
}

/* The last entry of the array at path, a member of it. */
static const char *
last_entry(const char *path, const char *key)
{
	const cJSON *a = at(path);
	int n = cJSON_GetArraySize(a);

	return n > 0 ? json_str(cJSON_GetArrayItem(a, n - 1), key) : NULL;
}

/* Run one action as role; returns the HTTP status. */
static int
run(enum sd_role role, const char *method, enum sd_kind kind, const char *id,
    const char *action, long long if_match, const char *body)
{
	struct action_req req;
	struct action_res res;
	cJSON *b = NULL;

	if (body != NULL)
		b = parse(body);
	memset(&req, 0, sizeof req);
	req.method = method;
	req.kind = kind;
	req.id = id;
	req.action = action;
	req.body = b;
	req.if_match = if_match == CURRENT ? version(kind, id) : if_match;
	req.who = &users[role];

	store_lock(st);
	store_begin(st);
	actions_run(st, &req, &res);
	if (res.applied)
		store_commit(st);
	else
		store_rollback(st);
	store_unlock(st);

	cJSON_Delete(b);
	cJSON_Delete(last);
	last = res.body;
	last_applied = res.applied;
	return res.status;
}

#define POST(role, kind, id, action, body) \
	run(role, "POST", kind, id, action, CURRENT, body)

static void
fixtures(void)
{
	put(KIND_SKU, "{'id':'SK100001', 'product_id':'P1001',"
	    "'product_title':'纯棉T恤', 'title':'白色 / M', 'currency':'CNY',"
	    "'price':12900, 'stock':37, 'reserved':2, 'low_stock_threshold':10,"
	    "'shelf':'on'}");
	put(KIND_SKU, "{'id':'SK100002', 'product_id':'P1001',"
	    "'product_title':'纯棉T恤', 'title':'白色 / L', 'currency':'CNY',"
	    "'price':12900, 'stock':10, 'reserved':0, 'low_stock_threshold':5,"
	    "'shelf':'on'}");
	put(KIND_PRODUCT, "{'id':'P1001', 'title':'纯棉T恤', 'category':"
	    "'服装', 'brand':'优衣', 'shelf':'on',"
	    "'sku_ids':['SK100001', 'SK100002']}");

#define ORDER(id, status, pay, ful, paid, sku, qty) \
	"{'id':'" id "', 'status':'" status "', 'payment_status':'" pay \
	"', 'fulfillment_status':'" ful "', 'lifecycle':'open'," \
	"'abnormal':null, 'customer_id':'C100001', 'customer_name':'张三丰'," \
	"'channel':'app', 'currency':'CNY', 'subtotal':" #paid \
	", 'discount':0, 'shipping_fee':0, 'total':" #paid ", 'paid_amount':" \
	"%d, 'refunded_amount':0, 'items':[{'sku_id':'" sku "', 'title':" \
	"'纯棉T恤', 'quantity':" #qty ", 'unit_price':12900}], 'address':" \
	"{'name':'张三丰', 'phone':'13812341234', 'province':'浙江省'," \
	"'city':'杭州市', 'district':'西湖区', 'line':'文三路100号3单元501'}," \
	"'payment':null, 'shipment':null, 'promotion_id':null, 'note':''," \
	"'timeline':[{'at':'2026-11-22T08:15:00Z', 'event':'created'," \
	"'by':'system', 'detail':''}]}"
	{
		char buf[2048];

		snprintf(buf, sizeof buf, ORDER("SO10000001",
		    "awaiting_shipment", "paid", "unfulfilled", 23800,
		    "SK100001", 2), 23800);
		put(KIND_ORDER, buf);
		snprintf(buf, sizeof buf, ORDER("SO10000002", "pending_payment",
		    "unpaid", "unfulfilled", 12900, "SK100001", 1), 0);
		put(KIND_ORDER, buf);
		snprintf(buf, sizeof buf, ORDER("SO10000003",
		    "awaiting_shipment", "paid", "unfulfilled", 80000,
		    "SK100001", 6), 80000);
		put(KIND_ORDER, buf);
		snprintf(buf, sizeof buf, ORDER("SO10000004", "delivered",
		    "paid", "delivered", 25800, "SK100002", 2), 25800);
		put(KIND_ORDER, buf);
		snprintf(buf, sizeof buf, ORDER("SO10000005",
		    "awaiting_shipment", "paid", "unfulfilled", 12900,
		    "SK100002", 1), 12900);
		put(KIND_ORDER, buf);
		snprintf(buf, sizeof buf, ORDER("SO10000006",
		    "awaiting_shipment", "paid", "unfulfilled", 12900,
		    "SK100002", 1), 12900);
		put(KIND_ORDER, buf);
	}
#undef ORDER

	put(KIND_CONVERSATION, "{'id':'CV100001', 'customer_id':'C100001',"
	    "'customer_name':'张三丰', 'customer_level':'gold', 'channel':"
	    "'web', 'queue':'presales', 'status':'new', 'priority':"
	    "'normal', 'assignee':null, 'waiting_since':'2026-11-22T08:15:00Z',"
	    "'last_message_at':'2026-11-22T08:15:00Z', 'last_message_preview':"
	    "'请问什么时候发货？', 'unread':2, 'tag':null, 'csat':null,"
	    "'snoozed_until':null, 'order_id':'SO10000001'}");
	put(KIND_CONVERSATION, "{'id':'CV100002', 'customer_id':'C100001',"
	    "'channel':'app', 'queue':'aftersales', 'status':'resolved',"
	    "'priority':'normal', 'assignee':'U4', 'waiting_since':null,"
	    "'unread':0, 'tag':'resolved', 'snoozed_until':null}");
	put(KIND_CONVERSATION, "{'id':'CV100003', 'customer_id':'C100001',"
	    "'channel':'wechat', 'queue':'presales', 'status':'open',"
	    "'priority':'normal', 'assignee':'U4', 'waiting_since':null,"
	    "'unread':0, 'tag':null, 'snoozed_until':null}");
	put(KIND_CUSTOMER, "{'id':'C100001', 'name':'张三丰', 'phone':"
	    "'13812341234', 'email':'zsf@example.com', 'level':'gold'}");
}

/* A promotion body with times relative to now (in days). */
static char *
promo_body(const char *name, const char *kind, int start_d, int end_d,
    const char *rules, const char *skus)
{
	char s[RFC3339_LEN], e[RFC3339_LEN];
	time_t now = store_now(st);

	time_format_rfc3339(now + start_d * 86400, s);
	time_format_rfc3339(now + end_d * 86400, e);
	return xasprintf("{'name':'%s', 'kind':'%s', 'starts_at':'%s',"
	    "'ends_at':'%s', 'rules':%s, 'sku_ids':%s}", name, kind, s, e,
	    rules, skus);
}

static void
test_orders(void)
{
	is_int(run(ROLE_WAREHOUSE, "POST", KIND_ORDER, "SO10000001", "ship", 1,
	    "{'carrier':'SF', 'tracking_no':'SF1234567890123'}"), 200,
	    "ship: 200");
	is_str(s_at("status"), "shipped", "ship: status shipped");
	is_str(s_at("fulfillment_status"), "shipped",
	    "ship: fulfillment shipped");
	is_str(s_at("shipment.carrier"), "SF", "ship: carrier");
	is_str(s_at("shipment.tracking_no"), "SF1234567890123",
	    "ship: tracking_no");
	ok(cJSON_IsNull(at("shipment.delivered_at")),
	    "ship: not delivered yet");
	is_int(i_at("version"), 2, "ship: version + 1 in the answer");
	is_int(version(KIND_ORDER, "SO10000001"), 2,
	    "ship: version + 1 stored");
	is_str(last_entry("timeline", "event"), "shipped",
	    "ship: timeline entry");
	is_str(last_entry("timeline", "by"), "U5",
	    "ship: timeline by the caller");
	is_str(s_at("address.phone"), "13812341234",
	    "warehouse sees the phone");

	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000003", "ship",
	    "{'carrier':'XX', 'tracking_no':'SF1234567890123'}"), 422,
	    "ship with unknown carrier: 422");
	is_str(s_at("error.code"), "invalid", "unknown carrier: invalid");
	is_str(s_at("error.details.field"), "carrier",
	    "unknown carrier: field");
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000003", "ship",
	    "{'carrier':'JD', 'tracking_no':'JD-12'}"), 422,
	    "ship with bad tracking_no: 422");
	is_str(s_at("error.details.field"), "tracking_no",
	    "bad tracking: field");
	is_str(s_at("error.message"),
	    "tracking_no must be 8 to 30 letters or digits",
	    "bad tracking: message");
	ok(!last_applied && version(KIND_ORDER, "SO10000003") == 1,
	    "refused ship changes nothing");

	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000002", "ship",
	    "{'carrier':'SF', 'tracking_no':'SF1234567890123'}"), 422,
	    "ship from pending_payment: 422");
	is_str(s_at("error.code"), "invalid_transition", "invalid_transition");
	is_str(s_at("error.details.status"), "pending_payment",
	    "details.status");
	ok(has("error.details.allowed", "pay") &&
	    has("error.details.allowed", "cancel") &&
	    !has("error.details.allowed", "ship") &&
	    !has("error.details.allowed", "unflag"),
	    "allowed lists pay and cancel, not ship or unflag");

	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000002", "cancel", "{}"),
	    403, "warehouse cannot cancel: 403");
	is_str(s_at("error.details.role"), "warehouse", "403 names the role");
	ok(has("error.details.required", "agent") &&
	    !has("error.details.required", "warehouse"), "403 lists the roles");

	is_int(run(ROLE_AGENT, "POST", KIND_ORDER, "SO10000002", "note", 5,
	    "{'text':'x'}"), 409, "stale If-Match: 409");
	is_str(s_at("error.code"), "conflict", "conflict code");
	is_int(i_at("error.details.current.version"), 1,
	    "details.current.version");
	is_int(run(ROLE_AGENT, "POST", KIND_ORDER, "SO10000002", "note",
	    NO_IFMATCH, "{'text':'x'}"), 412, "missing If-Match: 412");
	is_str(s_at("error.code"), "precondition_required", "412 code");
	is_int(POST(ROLE_ADMIN, KIND_ORDER, "SO10000002", "teleport", "{}"),
	    404, "unknown action: 404");
	ok(s_at("error.message") != NULL &&
	    strstr(s_at("error.message"), "teleport") != NULL,
	    "404 message names the action");

	/* ops receive masked personal data, the store keeps it whole. */
	is_int(POST(ROLE_OPS, KIND_ORDER, "SO10000002", "note",
	    "{'text':'客户要求周末送货'}"), 200, "ops note: 200");
	is_str(s_at("address.phone"), "138****1234", "ops: phone masked");
	is_str(s_at("address.line"), "", "ops: address line emptied");
	is_str(s_at("address.district"), "西湖区", "ops: district kept");
	is_str(stored(KIND_ORDER, "SO10000002", "address.phone"), "13812341234",
	    "store keeps the full phone");
	is_int(run(ROLE_OPS, "POST", KIND_ORDER, "SO10000002", "note", 1,
	    "{'text':'y'}"), 409, "ops conflict");
	is_str(s_at("error.details.current.address.phone"), "138****1234",
	    "ops conflict: current is masked");

	is_int(POST(ROLE_ADMIN, KIND_ORDER, "SO10000002", "pay",
	    "{'method':'bitcoin'}"), 422, "pay with unknown method: 422");
	is_int(POST(ROLE_ADMIN, KIND_ORDER, "SO10000002", "pay",
	    "{'method':'alipay'}"), 200, "pay: 200");
	is_str(s_at("status"), "awaiting_shipment", "pay: awaiting_shipment");
	is_int(i_at("paid_amount"), 12900, "pay: paid_amount = total");

	is_int(POST(ROLE_AGENT, KIND_ORDER, "SO10000002", "flag",
	    "{'reason':'address', 'note':'门牌号缺失'}"), 200, "flag: 200");
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000002", "ship",
	    "{'carrier':'SF', 'tracking_no':'SF1234567890123'}"), 422,
	    "ship abnormal order: 422");
	is_str(s_at("error.code"), "order_abnormal", "order_abnormal code");
	is_int(POST(ROLE_AGENT, KIND_ORDER, "SO10000002", "address",
	    "{'address':{'phone':'138****1234'}}"), 422,
	    "address with a masked phone: 422");
	is_str(s_at("error.details.field"), "address.phone",
	    "address.phone field");
	is_int(POST(ROLE_AGENT, KIND_ORDER, "SO10000002", "address",
	    "{'address':{'line':'文三路100号3单元502'}}"), 200, "address: 200");
	is_str(s_at("address.name"), "张三丰", "address: merged, name kept");
	is_int(POST(ROLE_AGENT, KIND_ORDER, "SO10000002", "unflag", "{}"), 200,
	    "unflag: 200");
	ok(cJSON_IsNull(at("abnormal")), "unflag clears abnormal");
	is_int(POST(ROLE_AGENT, KIND_ORDER, "SO10000002", "unflag", "{}"), 422,
	    "unflag twice: 422");
	is_int(POST(ROLE_AGENT, KIND_ORDER, "SO10000002", "cancel",
	    "{'reason':'buyer asked'}"), 200, "cancel paid order: 200");
	is_str(s_at("status"), "cancelled", "cancel: cancelled");
	is_str(s_at("payment_status"), "refunded",
	    "cancel refunds a paid order");
	is_int(i_at("refunded_amount"), 12900, "cancel: refunded_amount");

	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000001", "deliver", "{}"),
	    200, "deliver: 200");
	is_str(s_at("status"), "delivered", "deliver: delivered");
	ok(s_at("shipment.delivered_at") != NULL, "deliver: delivered_at set");
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000001", "complete", "{}"),
	    403, "warehouse cannot complete");
	is_int(POST(ROLE_OPS, KIND_ORDER, "SO10000001", "complete", "{}"), 200,
	    "complete: 200");
	is_str(s_at("lifecycle"), "completed", "complete: lifecycle completed");
	is_str(s_at("status"), "completed", "complete: status completed");
}

/* Correcting a waybill: before pickup, to a number no other order has. */
static void
test_correct(void)
{
	const char *shipped_at;
	char *b;

	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000005", "ship",
	    "{'carrier':'SF', 'tracking_no':'SF5555555555'}"), 200,
	    "correct: ship one");
	ok(cJSON_IsNull(at("shipment.picked_up_at")),
	    "ship: not picked up yet");
	shipped_at = stored(KIND_ORDER, "SO10000005", "shipment.shipped_at");
	b = xstrdup(shipped_at);
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000006", "ship",
	    "{'carrier':'JD', 'tracking_no':'JD6666666666'}"), 200,
	    "correct: ship another");

	is_int(POST(ROLE_AGENT, KIND_ORDER, "SO10000005", "correct",
	    "{'carrier':'SF', 'tracking_no':'SF5555555556'}"), 403,
	    "correct: agents cannot");
	is_int(POST(ROLE_FINANCE, KIND_ORDER, "SO10000005", "correct",
	    "{'carrier':'SF', 'tracking_no':'SF5555555556'}"), 403,
	    "correct: finance cannot");
	is_int(run(ROLE_WAREHOUSE, "POST", KIND_ORDER, "SO10000005", "correct",
	    NO_IFMATCH, "{'carrier':'SF', 'tracking_no':'SF5555555556'}"),
	    412, "correct: If-Match required");
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000001", "correct",
	    "{'carrier':'SF', 'tracking_no':'SF5555555556'}"), 422,
	    "correct: not from delivered");
	is_str(s_at("error.code"), "invalid_transition",
	    "correct: invalid_transition");
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000005", "correct",
	    "{'carrier':'UPS', 'tracking_no':'SF5555555556'}"), 422,
	    "correct: unknown carrier");
	is_str(s_at("error.details.field"), "carrier", "correct: field carrier");
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000005", "correct",
	    "{'carrier':'SF', 'tracking_no':'SF-555'}"), 422,
	    "correct: bad tracking_no");
	is_str(s_at("error.details.field"), "tracking_no",
	    "correct: field tracking_no");
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000005", "correct",
	    "{'carrier':'JD', 'tracking_no':'SF5555555555'}"), 422,
	    "correct: the same tracking number");
	is_str(s_at("error.code"), "invalid", "correct: same is invalid");
	is_str(s_at("error.details.field"), "tracking_no",
	    "correct: same names tracking_no");
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000005", "correct",
	    "{'carrier':'JD', 'tracking_no':'jd6666666666'}"), 422,
	    "correct: another order's tracking number, in any case");
	is_str(s_at("error.code"), "duplicate", "correct: duplicate");
	is_str(s_at("error.details.with"), "SO10000006",
	    "correct: names the other order");
	ok(s_at("error.message") != NULL &&
	    strstr(s_at("error.message"), "SO10000006") != NULL,
	    "correct: the message names it too");
	is_str(stored(KIND_ORDER, "SO10000005", "shipment.tracking_no"),
	    "SF5555555555", "refused corrections change nothing");

	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000005", "correct",
	    "{'carrier':'YTO', 'tracking_no':'YT7777777777',"
	    " 'reason':'扫错单号'}"), 200, "correct: 200");
	is_str(s_at("status"), "shipped", "correct: still shipped");
	is_str(s_at("shipment.carrier"), "YTO", "correct: carrier");
	is_str(s_at("shipment.tracking_no"), "YT7777777777",
	    "correct: tracking_no");
	is_str(s_at("shipment.shipped_at"), b, "correct: shipped_at kept");
	free(b);
	is_str(last_entry("timeline", "event"), "shipment_corrected",
	    "correct: timeline entry");
	is_str(last_entry("timeline", "detail"),
	    "SF SF5555555555 -> YTO YT7777777777: 扫错单号",
	    "correct: old -> new: reason");
	is_str(last_entry("timeline", "by"), "U5", "correct: by the caller");
	is_int(POST(ROLE_OPS, KIND_ORDER, "SO10000006", "correct",
	    "{'carrier':'SF', 'tracking_no':'SF5555555555'}"), 200,
	    "correct: ops may, and the old number is free again");
	is_str(last_entry("timeline", "detail"),
	    "JD JD6666666666 -> SF SF5555555555", "correct: without a reason");

	/* Delivery sets the pickup the carrier never scanned. */
	is_int(POST(ROLE_WAREHOUSE, KIND_ORDER, "SO10000006", "deliver", "{}"),
	    200, "correct: deliver");
	ok(s_at("shipment.picked_up_at") != NULL, "deliver sets picked_up_at");
	/* The carrier's scan: only the store sets it. */
	{
		cJSON *o = store_get(st, KIND_ORDER, "SO10000005");

		json_set_str(cJSON_GetObjectItemCaseSensitive(o, "shipment"),
		    "picked_up_at", "2026-11-22T10:05:00Z");
		store_put(st, KIND_ORDER, "SO10000005", o);
		cJSON_Delete(o);
	}
	is_int(POST(ROLE_ADMIN, KIND_ORDER, "SO10000005", "correct",
	    "{'carrier':'SF', 'tracking_no':'SF5555555557'}"), 422,
	    "correct: refused after pickup");
	is_str(s_at("error.code"), "picked_up", "correct: picked_up");
	is_str(s_at("error.details.picked_up_at"), "2026-11-22T10:05:00Z",
	    "correct: with when");
}

/* A ticket whose SLA clock started hours ago. */
static void
put_ticket(const char *id, const char *status, long created_ago,
    long first_due_in, long resolve_due_in, int acted)
{
	char created[RFC3339_LEN], fdue[RFC3339_LEN], rdue[RFC3339_LEN];
	char *json;
	time_t now = store_now(st);

	time_format_rfc3339(now - created_ago, created);
	time_format_rfc3339(now + first_due_in, fdue);
	time_format_rfc3339(now + resolve_due_in, rdue);
	json = xasprintf("{'id':'%s', 'created_at':'%s',"
	    " 'order_id':'SO10000001', 'customer_id':'C100001', 'kind':'complaint', 'status':'%s',"
	    " 'priority':'normal', 'escalated':false, 'assignee':null,"
	    " 'currency':'CNY', 'requested_amount':0, 'refund_amount':0,"
	    " 'sla':{'first_action_due':'%s', 'resolve_due':'%s',"
	    " 'first_action_at':%s, 'state':'active'}, 'history':[]}", id,
	    created, status, fdue, rdue, acted ? "'2026-01-01T00:00:00Z'" :
	    "null");
	put(KIND_TICKET, json);
	free(json);
}

static void
test_sla(void)
{
	/* complaint: 1 h to the first action; 10 min left is under 25 %. */
	put_ticket("AS1900001", "requested", 3000, 600, 40 * 3600, 0);
	is_int(POST(ROLE_AGENT, KIND_TICKET, "AS1900001", "escalate", "{}"),
	    200, "escalate: 200");
	is_str(s_at("sla.state"), "warning", "sla warning near the first due");
	ok(cJSON_IsNull(at("sla.first_action_at")),
	    "escalate is not a first action");
	is_int(POST(ROLE_AGENT, KIND_TICKET, "AS1900001", "start", "{}"), 200,
	    "start: 200");
	is_str(s_at("sla.state"), "active", "first action done: active again");

	put_ticket("AS1900002", "requested", 7200, -600, 40 * 3600, 0);
	is_int(POST(ROLE_AGENT, KIND_TICKET, "AS1900002", "start", "{}"), 200,
	    "late start: 200");
	is_str(s_at("sla.state"), "breached", "first action late: breached");
	is_int(POST(ROLE_AGENT, KIND_TICKET, "AS1900002", "propose",
	    "{'solution':'退款10元'}"), 200, "propose: 200");
	is_int(POST(ROLE_AGENT, KIND_TICKET, "AS1900002", "resolve", "{}"), 200,
	    "resolve: 200");
	is_str(s_at("sla.state"), "breached", "breached stays breached");

	put_ticket("AS1900003", "in_progress", 40 * 3600, -39 * 3600, 3600, 1);
	is_int(POST(ROLE_AGENT, KIND_TICKET, "AS1900003", "escalate", "{}"),
	    200, "escalate near resolve due: 200");
	is_str(s_at("sla.state"), "warning", "1 h of 48 h left: warning");
}

static void
test_refunds(void)
{
	char id[24];

	is_int(POST(ROLE_AGENT, KIND_TICKET, NULL, NULL,
	    "{'order_id':'SO99999999', 'kind':'refund_only'}"), 422,
	    "ticket for a missing order: 422");
	is_str(s_at("error.details.field"), "order_id", "missing order: field");
	is_int(POST(ROLE_AGENT, KIND_TICKET, NULL, NULL,
	    "{'order_id':'SO10000003', 'kind':'refund'}"), 422,
	    "ticket of unknown kind: 422");
	is_int(POST(ROLE_AGENT, KIND_TICKET, NULL, NULL,
	    "{'order_id':'SO10000003', "
	    "'kind':'refund_only','requested_amount':90000}"), 422,
	    "requested over refundable: 422");
	is_int(i_at("error.details.max"), 80000, "requested over: details.max");
	is_int(POST(ROLE_WAREHOUSE, KIND_TICKET, NULL, NULL,
	    "{'order_id':'SO10000003', 'kind':'refund_only'}"), 403,
	    "warehouse cannot create tickets");

	is_int(POST(ROLE_AGENT, KIND_TICKET, NULL, NULL,
	    "{'order_id':'SO10000003', 'kind':'refund_only', "
	    "'reason':'不想要了', 'requested_amount':80000}"), 201,
	    "create ticket: 201");
	snprintf(id, sizeof id, "%s", s_at("id") ? s_at("id") : "");
	ok(strncmp(id, "AS", 2) == 0, "ticket id has the AS prefix");
	is_str(s_at("status"), "requested", "ticket: requested");
	is_str(s_at("customer_id"), "C100001",
	    "ticket: customer from the order");
	is_int(i_at("version"), 1, "ticket: version 1");
	is_str(s_at("sla.state"), "active", "ticket: sla active");
	ok(cJSON_IsNull(at("sla.first_action_at")),
	    "ticket: no first action yet");
	{
		time_t due, now = store_now(st);

		ok(s_at("sla.first_action_due") != NULL &&
		    time_parse_rfc3339(s_at("sla.first_action_due"), &due) == 0
		    && due >= now + 4 * 3600 - 5 && due <= now + 4 * 3600 + 5,
		    "refund_only: first action due in 4 h");
	}

	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "refund", "{'amount':100}"),
	    422, "refund before approval: 422");
	ok(has("error.details.allowed", "approve") &&
	    has("error.details.allowed", "reject"), "requested allows approve, "
	    "reject");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "approve", "{}"), 200,
	    "approve: 200");
	is_str(s_at("status"), "approved", "refund_only approved");
	ok(s_at("sla.first_action_at") != NULL, "approve sets first_action_at");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "refund", "{'amount':90000}"),
	    422, "refund over refundable: 422");
	is_int(i_at("error.details.max"), 80000, "refund over: details.max");
	/* Above the limit an agent's refund goes to finance as a request. */
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "refund", "{'amount':80000}"),
	    202, "agent refund > 50000: 202, sent to finance");
	is_str(s_at("status"), "approved", "the request leaves the status");
	is_str(s_at("refund_request.status"), "awaiting_finance",
	    "refund_request awaiting_finance");
	is_int(i_at("refund_request.amount"), 80000, "refund_request.amount");
	ok(s_at("refund_request.requested_by") != NULL &&
	    s_at("refund_request.at") != NULL, "refund_request: by whom, when");
	is_int(i_at("refund_amount"), 0, "nothing refunded yet");
	is_str(stored(KIND_ORDER, "SO10000003", "refunded_amount"), "0",
	    "the order is not refunded yet");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "refund", "{'amount':100}"),
	    422, "while a request awaits finance, an agent's refund: 422");
	is_str(s_at("error.code"), "awaiting_finance", "code awaiting_finance");
	is_int(POST(ROLE_OPS, KIND_TICKET, id, "refund", "{'amount':80000}"),
	    422, "ops cannot request it twice either");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "decline", "{'reason':'no'}"),
	    403, "an agent may not decline");
	is_int(POST(ROLE_FINANCE, KIND_TICKET, id, "decline", "{}"),
	    422, "decline needs a reason");
	is_int(POST(ROLE_FINANCE, KIND_TICKET, id, "decline",
	    "{'reason':'需要先核实'}"), 200, "finance declines: 200");
	is_str(s_at("refund_request.status"), "declined", "request declined");
	is_str(s_at("refund_request.reason"), "需要先核实", "with the reason");
	is_str(s_at("status"), "approved", "the ticket stays approved");
	is_int(POST(ROLE_FINANCE, KIND_TICKET, id, "decline",
	    "{'reason':'again'}"), 422, "nothing left to decline: 422");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "refund", "{'amount':80000}"),
	    202, "asked again: 202");
	/* Finance completes it: the request's amount when none is given. */
	is_int(POST(ROLE_FINANCE, KIND_TICKET, id, "refund", "{}"), 200,
	    "finance completes the request: 200");
	is_str(s_at("refund_request.status"), "refunded", "request refunded");
	ok(s_at("refund_request.decided_by") != NULL, "request: decided_by");
	is_str(s_at("status"), "refunded", "ticket refunded");
	is_int(i_at("refund_amount"), 80000, "ticket refund_amount");
	is_str(stored(KIND_ORDER, "SO10000003", "refunded_amount"), "80000",
	    "order refunded_amount");
	is_str(stored(KIND_ORDER, "SO10000003", "payment_status"), "refunded",
	    "order payment refunded");
	is_str(stored(KIND_ORDER, "SO10000003", "status"), "closed",
	    "full refund of an unshipped order closes it");
	is_str(stored(KIND_ORDER, "SO10000003", "lifecycle"), "closed",
	    "lifecycle closed");
}

static void
test_return_flow(void)
{
	char id[24];

	is_int(POST(ROLE_AGENT, KIND_TICKET, NULL, NULL,
	    "{'order_id':'SO10000004', 'kind':'return_refund', "
	    "'reason':'尺码不合适', 'requested_amount':12900}"), 201,
	    "return: created");
	snprintf(id, sizeof id, "%s", s_at("id") ? s_at("id") : "");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "approve", "{'note':'ok'}"),
	    200, "return: approve");
	is_str(s_at("status"), "awaiting_return",
	    "return approved: awaiting_return");
	is_int(POST(ROLE_WAREHOUSE, KIND_TICKET, id, "receive",
	    "{'condition':'broken'}"), 422, "receive: bad condition");
	is_int(POST(ROLE_WAREHOUSE, KIND_TICKET, id, "receive",
	    "{'condition':'ok', 'restock':true}"), 200, "return: receive");
	is_str(s_at("status"), "received", "return: received");
	is_str(stored(KIND_SKU, "SK100002", "stock"), "12",
	    "restock puts the quantity back into the sku");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "refund", "{'amount':12900}"),
	    200, "return: refund");
	is_str(stored(KIND_ORDER, "SO10000004", "payment_status"),
	    "partially_refunded", "partial refund");
	is_str(stored(KIND_ORDER, "SO10000004", "status"), "delivered",
	    "a partial refund of a delivered order keeps it delivered");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "close", "{}"), 200,
	    "return: close");
	is_str(s_at("status"), "closed", "return: closed");
	is_str(s_at("sla.state"), "met", "return: sla met");
	is_str(last_entry("history", "action"), "close",
	    "history ends with close");
	is_int(cJSON_GetArraySize(at("history")), 5, "history has every step");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "escalate", "{}"), 422,
	    "escalate a closed ticket: 422");
}

static void
test_complaint(void)
{
	char id[24];

	is_int(POST(ROLE_AGENT, KIND_TICKET, NULL, NULL,
	    "{'order_id':'SO10000001', 'kind':'complaint', "
	    "'reason':'客服态度差'}"), 201, "complaint: created");
	snprintf(id, sizeof id, "%s", s_at("id") ? s_at("id") : "");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "approve", "{}"), 422,
	    "complaint cannot be approved");
	ok(has("error.details.allowed", "start") &&
	    !has("error.details.allowed", "approve"), "complaint allows start");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "assign",
	    "{'assignee':'U99'}"), 422, "assign to unknown user: 422");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "assign", "{'assignee':'U4'}"),
	    200, "assign: 200");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "start", "{}"), 200,
	    "complaint: start");
	is_str(s_at("status"), "in_progress", "complaint in progress");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "resolve", "{}"), 422,
	    "complaint must propose before resolving");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "escalate", "{}"), 200,
	    "escalate: 200");
	ok(cJSON_IsTrue(at("escalated")) && s_at("priority") != NULL &&
	    strcmp(s_at("priority"), "urgent") == 0, "escalate: urgent");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "propose", "{}"), 422,
	    "propose needs a solution");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "propose",
	    "{'solution':'补偿20元优惠券'}"), 200, "complaint: propose");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "resolve", "{}"), 200,
	    "complaint: resolve");
	is_int(POST(ROLE_AGENT, KIND_TICKET, id, "close", "{}"), 200,
	    "complaint: close");
	is_str(s_at("status"), "closed", "complaint closed");
}

static void
test_chat(void)
{
	char body[8192], *p;
	int i;

	is_int(POST(ROLE_WAREHOUSE, KIND_CONVERSATION, "CV100001", "accept",
	    "{}"), 403, "warehouse cannot chat");
	is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100001", "accept", "{}"),
	    200, "accept: 200");
	is_str(s_at("status"), "open", "accept: open");
	is_str(s_at("assignee"), "U4", "accept: assignee is the caller");
	is_int(run(ROLE_AGENT, "POST", KIND_CONVERSATION, "CV100001",
	    "messages", NO_IFMATCH, "{'body':''}"), 422, "empty message: 422");
	is_str(s_at("error.details.field"), "body", "empty message: field");

	/* 70 characters of 3 bytes each: the preview keeps 60 whole ones. */
	p = body;
	p += sprintf(p, "{'body':'");
	for (i = 0; i < 70; i++)
		p += sprintf(p, "发");
	sprintf(p, "'}");
	is_int(run(ROLE_AGENT, "POST", KIND_CONVERSATION, "CV100001",
	    "messages", NO_IFMATCH, body), 201, "send without If-Match: 201");
	ok(s_at("message.id") != NULL && strncmp(s_at("message.id"), "MS",
	    2) == 0, "send: message created");
	is_str(s_at("message.author_id"), "U4", "message author");
	is_str(s_at("conversation.status"), "open", "send: conversation open");
	is_int(i_at("conversation.unread"), 0, "send: unread 0");
	ok(cJSON_IsNull(at("conversation.waiting_since")),
	    "send: nobody waiting");
	ok(s_at("conversation.last_message_preview") != NULL &&
	    strlen(s_at("conversation.last_message_preview")) == 180,
	    "preview is 60 characters, utf-8 safe");
	ok(s_at("message.id") != NULL &&
	    strcmp(stored(KIND_MESSAGE, s_at("message.id"), "conversation_id"),
	    "CV100001") == 0, "message stored");

	is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100001", "snooze",
	    "{'until':'2001-01-01T00:00:00Z'}"), 422, "snooze into the past");
	is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100001", "close",
	    "{'tag':'happy'}"), 422, "close with unknown tag: 422");
	is_str(s_at("error.details.field"), "tag", "close: field tag");
	is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100001", "close",
	    "{'tag':'resolved'}"), 200, "close: 200");
	is_str(s_at("status"), "resolved", "close: resolved");
	is_int(run(ROLE_AGENT, "POST", KIND_CONVERSATION, "CV100002",
	    "messages", NO_IFMATCH, "{'body':'还在吗'}"), 422,
	    "send on resolved: 422");
	is_str(s_at("error.code"), "invalid_transition",
	    "send on resolved: code");

	is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100003", "transfer",
	    "{'queue':'vip', 'assignee':'U4'}"), 422,
	    "transfer to a queue and an agent at once: 422");
	is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100003", "transfer",
	    "{'queue':'vip'}"), 200, "transfer to a queue: 200");
	is_str(s_at("queue"), "vip", "transfer: queue");
	is_str(s_at("status"), "new", "transfer to a queue: new");
	ok(cJSON_IsNull(at("assignee")), "transfer to a queue: unassigned");
	is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100003", "transfer",
	    "{'assignee':'U1'}"), 200, "transfer to an agent: 200");
	is_str(s_at("status"), "open", "transfer to an agent: open");
	is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100003", "pending", "{}"),
	    200, "pending: 200");
	{
		char until[RFC3339_LEN], *req;

		time_format_rfc3339(store_now(st) + 3600, until);
		req = xasprintf("{'until':'%s'}", until);
		is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100003", "snooze",
		    req), 200, "snooze: 200");
		free(req);
		is_str(s_at("snoozed_until"), until, "snoozed_until");
	}
	is_int(POST(ROLE_AGENT, KIND_CONVERSATION, "CV100003", "accept", "{}"),
	    200, "accept a snoozed conversation");
	ok(cJSON_IsNull(at("snoozed_until")), "accept wakes it");
}

static void
test_catalog(void)
{
	char *b;

	is_int(POST(ROLE_WAREHOUSE, KIND_SKU, "SK100001", "adjust",
	    "{'delta':-40, 'reason':'damage'}"), 422, "adjust below reserved");
	is_int(i_at("error.details.min_delta"), -35, "details.min_delta");
	is_int(POST(ROLE_WAREHOUSE, KIND_SKU, "SK100001", "adjust",
	    "{'delta':0, 'reason':'count'}"), 422, "adjust by zero: 422");
	is_int(POST(ROLE_WAREHOUSE, KIND_SKU, "SK100001", "adjust",
	    "{'delta':5, 'reason':'gift'}"), 422, "adjust unknown reason");
	is_int(POST(ROLE_WAREHOUSE, KIND_SKU, "SK100001", "adjust",
	    "{'delta':-35, 'reason':'count'}"), 200, "adjust to reserved");
	is_int(i_at("stock"), 2, "stock adjusted");
	is_int(POST(ROLE_WAREHOUSE, KIND_SKU, "SK100001", "threshold",
	    "{'threshold':-1}"), 422, "negative threshold");
	is_int(POST(ROLE_WAREHOUSE, KIND_PRODUCT, "P1001", "shelf",
	    "{'shelf':'off'}"), 403, "warehouse cannot shelve");
	is_int(POST(ROLE_OPS, KIND_PRODUCT, "P1001", "shelf",
	    "{'shelf':'off'}"), 200, "shelf off");
	is_str(stored(KIND_SKU, "SK100002", "shelf"), "off",
	    "skus follow the shelf");

	/* An existing scheduled flash sale on SK100001, days 1 to 3. */
	b = promo_body("秒杀一", "flash_sale", 1, 3,
	    "{'price':9900, 'quantity':100}", "['SK100001']");
	is_int(POST(ROLE_OPS, KIND_PROMOTION, NULL, NULL, b), 201,
	    "create flash sale: 201");
	free(b);
	is_str(s_at("status"), "draft", "created as draft");
	is_int(POST(ROLE_OPS, KIND_PROMOTION, s_at("id"), "schedule", "{}"),
	    200, "schedule: 200");
	is_str(s_at("status"), "scheduled", "scheduled");

	b = promo_body("反了", "fixed_coupon", 3, 2, "{'off':500}", "[]");
	is_int(POST(ROLE_OPS, KIND_PROMOTION, NULL, NULL, b), 422,
	    "promotion ending before it starts: 422");
	free(b);
	is_str(s_at("error.details.field"), "ends_at", "field ends_at");
	b = promo_body("满减", "threshold_coupon", 1, 2,
	    "{'threshold':2000, 'off':2000}", "[]");
	is_int(POST(ROLE_OPS, KIND_PROMOTION, NULL, NULL, b), 422,
	    "off not below threshold: 422");
	free(b);
	b = promo_body("一二三四五六七八九十一二三四五六七八九十"
	    "一二三四五六七八九十"
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
	    "fixed_coupon", 1, 2, "{'off':500}", "[]");
	is_int(POST(ROLE_OPS, KIND_PROMOTION, NULL, NULL, b), 201,
	    "a 60-character chinese name (180 bytes) is fine");
	free(b);
	b = promo_body("一二三四五六七八九十一二三四五六七八九十"
	    "一二三四五六七八九十"
	    "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十多",
	    "fixed_coupon", 1, 2, "{'off':500}", "[]");
	is_int(POST(ROLE_OPS, KIND_PROMOTION, NULL, NULL, b), 422,
	    "a 61-character name is refused");
	free(b);
	is_str(s_at("error.details.field"), "name", "field name");

	b = promo_body("秒杀二", "flash_sale", 2, 4,
	    "{'price':8900, 'quantity':50}", "['SK100002', 'SK100001']");
	is_int(POST(ROLE_OPS, KIND_PROMOTION, NULL, NULL, b), 422,
	    "overlapping flash sale: 422");
	free(b);
	is_str(s_at("error.code"), "overlap", "overlap code");
	ok(s_at("error.details.with") != NULL &&
	    strncmp(s_at("error.details.with"), "PR", 2) == 0, "details.with");
	b = promo_body("秒杀三", "flash_sale", 3, 4,
	    "{'price':8900, 'quantity':50}", "['SK100001']");
	is_int(POST(ROLE_OPS, KIND_PROMOTION, NULL, NULL, b), 201,
	    "back-to-back flash sale does not overlap");
	free(b);
	b = promo_body("秒杀四", "flash_sale", 1, 2,
	    "{'price':8900, 'quantity':50}", "['SK999999']");
	is_int(POST(ROLE_OPS, KIND_PROMOTION, NULL, NULL, b), 422,
	    "flash sale on a missing sku");
	free(b);
	is_str(s_at("error.details.field"), "sku_ids", "field sku_ids");
	is_int(POST(ROLE_AGENT, KIND_PROMOTION, NULL, NULL, "{}"), 403,
	    "agents cannot create promotions");

	/* Edit, activate and end a coupon. */
	b = promo_body("立减5元", "fixed_coupon", 1, 2, "{'off':500}", "[]");
	b[strlen(b) - 1] = '\0';
	{
		char *body = xasprintf("%s, 'limits':{'budget':1000,"
		    "'per_customer':1}}", b), id[24];

		is_int(POST(ROLE_OPS, KIND_PROMOTION, NULL, NULL, body), 201,
		    "coupon created");
		free(body);
		snprintf(id, sizeof id, "%s", s_at("id") ? s_at("id") : "");
		is_int(run(ROLE_OPS, "PATCH", KIND_PROMOTION, id, NULL, CURRENT,
		    "{'limits':{'budget':5000}}"), 200, "edit: 200");
		is_int(i_at("limits.budget"), 5000, "edit: budget changed");
		is_int(i_at("limits.per_customer"), 1,
		    "edit: other limits kept");
		is_int(run(ROLE_OPS, "PATCH", KIND_PROMOTION, id, NULL, CURRENT,
		    "{'usage':{'redeemed':9}}"), 422, "edit usage: 422");
		is_str(s_at("error.details.field"), "usage",
		    "edit usage: field");
		is_int(run(ROLE_OPS, "PATCH", KIND_PROMOTION, id, NULL, 1,
		    "{'name':'旧'}"), 409, "edit with stale If-Match: 409");
		is_int(POST(ROLE_OPS, KIND_PROMOTION, id, "end", "{}"), 422,
		    "a draft cannot end");
		is_int(POST(ROLE_OPS, KIND_PROMOTION, id, "activate", "{}"),
		    200, "activate: 200");
		is_int(run(ROLE_OPS, "PATCH", KIND_PROMOTION, id, NULL, CURRENT,
		    "{'name':'新'}"), 422,
		    "an active promotion cannot be edited");
		is_str(s_at("error.code"), "invalid_transition",
		    "edit active: code");
		is_int(POST(ROLE_OPS, KIND_PROMOTION, id, "end", "{}"), 200,
		    "end: 200");
		is_str(s_at("status"), "ended", "ended");
	}
	free(b);
}

static void
test_tables(void)
{
	cJSON *perms, *c;
	char *json;

	perms = actions_permissions(ROLE_WAREHOUSE);
	json = json_print(perms);
	ok(strstr(json, "\"order.ship\"") != NULL &&
	    strstr(json, "\"order.cancel\"") == NULL &&
	    strstr(json, "\"ticket.receive\"") != NULL,
	    "warehouse permissions from the table");
	free(json);
	cJSON_Delete(perms);
	perms = actions_permissions(ROLE_FINANCE);
	json = json_print(perms);
	is_str(json, "[\"ticket.refund\",\"ticket.decline\"]", "finance may refund and decline");
	free(json);
	cJSON_Delete(perms);

	c = parse("{'id':'C1', 'phone':'13812341234',"
	    "'email':'zsf@example.com'}");
	actions_mask(KIND_CUSTOMER, c);
	is_str(json_str(c, "email"), "z***@example.com",
	    "customer email masked");
	is_str(json_str(c, "phone"), "138****1234", "customer phone masked");
	cJSON_Delete(c);
}

/* Canned replies: who may manage them, what a body may hold, one per shortcut and language. */
static void
test_canned(void)
{
	const char *good = "{'shortcut':'delay','lang':'zh_CN','title':'物流延迟',"
	    "'body':'抱歉，订单{order_id}物流延迟，单号{tracking_no}。'}";
	char id[24], name[64];
	int r, code;
	int64_t head;

	for (r = 0; r < ROLE__COUNT; r++) {
		code = run(r, "POST", KIND_CANNED_REPLY, NULL, NULL, NO_IFMATCH,
		    "{'shortcut':'probe','lang':'en','title':'t','body':'b'}");
		snprintf(name, sizeof name, "canned add as %s: %d", role_name(r),
		    r == ROLE_FINANCE || r == ROLE_WAREHOUSE ? 403 : 201);
		is_int(code, r == ROLE_FINANCE || r == ROLE_WAREHOUSE ? 403 : 201, name);
		if (code == 201) {
			snprintf(id, sizeof id, "%s", s_at("id"));
			snprintf(name, sizeof name, "canned remove as %s", role_name(r));
			is_int(run(r, "DELETE", KIND_CANNED_REPLY, id, NULL, CURRENT, NULL), 200,
			    name);
		} else
			ok(has("error.details.required", "agent"), "... 403 names the roles that may");
	}

	is_int(run(ROLE_AGENT, "POST", KIND_CANNED_REPLY, NULL, NULL, NO_IFMATCH,
	    "{'shortcut':'x','lang':'en','title':'t','body':'Hi {name}, {order_id'}"), 422,
	    "an unknown placeholder: 422");
	is_str(s_at("error.code"), "invalid", "... invalid");
	is_str(s_at("error.details.field"), "body", "... naming the field");
	is_str(s_at("error.details.placeholder"), "{name}", "... and the placeholder");
	ok(strstr(s_at("error.message"), "'{' at character 12 is not closed") != NULL,
	    "... and the open brace too");
	is_int(run(ROLE_AGENT, "POST", KIND_CANNED_REPLY, NULL, NULL, NO_IFMATCH,
	    "{'shortcut':'x','lang':'fr','title':'t','body':'b'}"), 422, "lang fr: 422");
	is_str(s_at("error.details.field"), "lang", "... naming lang");
	is_int(run(ROLE_AGENT, "POST", KIND_CANNED_REPLY, NULL, NULL, NO_IFMATCH,
	    "{'shortcut':'a/b','lang':'en','title':'t','body':'b'}"), 422, "a shortcut with /: 422");

	is_int(run(ROLE_AGENT, "POST", KIND_CANNED_REPLY, NULL, NULL, NO_IFMATCH, good), 201,
	    "add /delay zh_CN");
	snprintf(id, sizeof id, "%s", s_at("id"));
	ok(strncmp(id, "CR", 2) == 0 && i_at("version") == 1, "a new CR id at version 1");
	is_int(run(ROLE_OPS, "POST", KIND_CANNED_REPLY, NULL, NULL, NO_IFMATCH, good), 422,
	    "the same shortcut and language again: 422");
	is_str(s_at("error.code"), "duplicate", "... duplicate");
	is_str(s_at("error.details.with"), id, "... naming the first");
	is_int(run(ROLE_OPS, "POST", KIND_CANNED_REPLY, NULL, NULL, NO_IFMATCH,
	    "{'shortcut':'delay','lang':'en','title':'Delay','body':'Sorry'}"), 201,
	    "the same shortcut in another language is another reply");

	is_int(run(ROLE_AGENT, "PATCH", KIND_CANNED_REPLY, id, NULL, 1,
	    "{'title':'物流延迟致歉'}"), 200, "edit with If-Match 1");
	is_int(i_at("version"), 2, "... version 2");
	is_str(s_at("body"), "抱歉，订单{order_id}物流延迟，单号{tracking_no}。", "... the rest kept");
	is_int(run(ROLE_OPS, "PATCH", KIND_CANNED_REPLY, id, NULL, 1, "{'title':'x'}"), 409,
	    "an edit on version 1 again: 409");
	is_int(i_at("error.details.current.version"), 2, "... with the current reply");
	is_int(run(ROLE_OPS, "PATCH", KIND_CANNED_REPLY, id, NULL, NO_IFMATCH, "{'title':'x'}"),
	    412, "an edit without If-Match: 412");
	is_int(run(ROLE_OPS, "PATCH", KIND_CANNED_REPLY, id, NULL, CURRENT, "{'lang':'en'}"),
	    422, "moving it onto the other /delay: 422 duplicate");
	is_int(run(ROLE_OPS, "PATCH", KIND_CANNED_REPLY, id, NULL, CURRENT,
	    "{'body':'{carrier'}"), 422, "an edit with an open brace: 422");
	is_int(run(ROLE_WAREHOUSE, "PATCH", KIND_CANNED_REPLY, id, NULL, CURRENT,
	    "{'title':'x'}"), 403, "warehouse may not edit");

	is_int(run(ROLE_AGENT, "DELETE", KIND_CANNED_REPLY, id, NULL, 1, NULL), 409,
	    "remove on a stale version: 409");
	head = store_head(st);
	is_int(run(ROLE_AGENT, "DELETE", KIND_CANNED_REPLY, id, NULL, CURRENT, NULL), 200,
	    "remove");
	ok(at("deleted") != NULL && cJSON_IsTrue(at("deleted")) && i_at("version") == 3,
	    "answers with the tombstone, version 3");
	ok(store_get(st, KIND_CANNED_REPLY, id) == NULL && store_head(st) == head + 1,
	    "gone, one change in the feed");
	is_int(run(ROLE_AGENT, "DELETE", KIND_CANNED_REPLY, id, NULL, 3, NULL), 404,
	    "removed twice: 404");
}

int
main(void)
{
	char *cause = NULL;

	if ((st = store_open(":memory:", &cause)) == NULL) {
		printf("Bail out! store_open: %s\n",
		    cause != NULL ? cause : "?");
		return 1;
	}
	add_users();
	fixtures();

	test_orders();
	test_correct();
	test_refunds();
	test_return_flow();
	test_complaint();
	test_chat();
	test_sla();
	test_catalog();
	test_tables();
	test_canned();

	cJSON_Delete(last);
	store_free(&st);
	return done_testing();
}
