/*
 * actions-order.c -- order actions: pay, ship, correct a shipment, deliver,
 * complete, cancel, change the address, note, flag and unflag.
 *
 * An order keeps three stored dimensions (payment_status, fulfillment_status,
 * lifecycle); the display status is always recomputed from them by
 * order_derive(), so a handler changes the dimensions and never writes
 * "status" itself. Every handler appends an entry to the order's timeline.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "model.h"
#include "server/actions-internal.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

static const char *const payment_methods[] = {
	"alipay", "wechat_pay", "card", "cod", NULL
};

static const char *const abnormal_reasons[] = {
	"address", "buyer_cancel", "payment_failed", "out_of_stock",
	"fraud", NULL
};

/* The members of an address and their longest length in characters. */
static const struct {
	const char	*key;
	long		 max;
} address_fields[] = {
	{ "name", 50 },
	{ "phone", 20 },
	{ "province", 50 },
	{ "city", 50 },
	{ "district", 50 },
	{ "line", 200 },
};
#define NADDRESS (sizeof address_fields / sizeof address_fields[0])

#define ORDER_NOTE_MAX		500
#define ORDER_REASON_MAX	200

int
order_is_abnormal(const cJSON *order)
{
	return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(order,
	    "abnormal"));
}

long long
order_refundable(const cJSON *order)
{
	long long paid, refunded;

	paid = json_int(order, "paid_amount", 0);
	refunded = json_int(order, "refunded_amount", 0);
	return paid > refunded ? paid - refunded : 0;
}

/* Whether s is one of the space-separated words in list. */
static int
order_is(const char *s, const char *list)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	while (*list != '\0') {
		if (strncmp(list, s, n) == 0 && (list[n] == ' ' ||
		    list[n] == '\0'))
			return 1;
		list += strcspn(list, " ");
		list += strspn(list, " ");
	}
	return 0;
}

void
order_derive(cJSON *order)
{
	const char *life = json_str(order, "lifecycle");
	const char *pay = json_str(order, "payment_status");
	const char *ful = json_str(order, "fulfillment_status");
	const char *status;

	if (order_is(life, "cancelled closed completed"))
		status = life;
	else if (order_is(ful, "delivered"))
		status = "delivered";
	else if (order_is(ful, "shipped partially_shipped"))
		status = "shipped";
	else if (pay == NULL || order_is(pay, "unpaid failed"))
		status = "pending_payment";
	else
		status = "awaiting_shipment";
	json_set_str(order, "status", status);
}

int
order_pay(struct action_ctx *ctx)
{
	const char *method;
	cJSON *payment;
	char *txn;

	if (act_enum(ctx, "method", payment_methods, 1, &method) != 0)
		return -1;
	payment = cJSON_CreateObject();
	json_set_str(payment, "method", method);
	json_set_str(payment, "paid_at", ctx->now_s);
	txn = xasprintf("T%lld%s", (long long)ctx->now, ctx->id);
	json_set_str(payment, "transaction_id", txn);
	free(txn);
	json_set(ctx->obj, "payment", payment);
	json_set_int(ctx->obj, "paid_amount", json_int(ctx->obj, "total", 0));
	json_set_str(ctx->obj, "payment_status", "paid");
	if (json_str(ctx->obj, "fulfillment_status") == NULL)
		json_set_str(ctx->obj, "fulfillment_status", "unfulfilled");
	json_set_str(ctx->obj, "lifecycle", "open");
	order_derive(ctx->obj);
	act_order_log(ctx, ctx->obj, "paid", method);
	return 0;
}

int
order_ship(struct action_ctx *ctx)
{
	const char *carrier, *tracking, *reason;
	cJSON *shipment, *details;
	char *detail;

	if (order_is_abnormal(ctx->obj)) {
		reason = json_str(cJSON_GetObjectItemCaseSensitive(ctx->obj,
		    "abnormal"), "reason");
		details = cJSON_CreateObject();
		json_set_str(details, "reason", reason);
		return act_fail(ctx, 422, "order_abnormal", details, "order %s "
		    "is flagged abnormal (%s); resolve and unflag it before "
		    "shipping", ctx->id, reason != NULL ? reason : "unknown");
	}
	if (act_waybill(ctx, &carrier, &tracking) != 0)
		return -1;
	shipment = cJSON_CreateObject();
	json_set_str(shipment, "carrier", carrier);
	json_set_str(shipment, "tracking_no", tracking);
	json_set_str(shipment, "shipped_at", ctx->now_s);
	json_set_null(shipment, "picked_up_at");
	json_set_null(shipment, "delivered_at");
	json_set(ctx->obj, "shipment", shipment);
	json_set_str(ctx->obj, "fulfillment_status", "shipped");
	order_derive(ctx->obj);
	detail = xasprintf("%s %s", carrier, tracking);
	act_order_log(ctx, ctx->obj, "shipped", detail);
	free(detail);
	return 0;
}

/*
 * The order other than self whose shipment has tracking number t, into with;
 * letters in either case are the same number on a label.
 */
static int
order_tracking_used(struct action_ctx *ctx, const char *t, const char *self,
    char *with, size_t len)
{
	sqlite3_stmt *stmt;
	int found = 0;

	if (sqlite3_prepare_v2(store_db(ctx->st), "SELECT id FROM objects "
	    "WHERE kind = ? AND deleted = 0 AND id <> ? AND "
	    "json_extract(json, '$.shipment.tracking_no') = ? COLLATE NOCASE "
	    "ORDER BY id "
	    "LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
		fatal("orders: %s", sqlite3_errmsg(store_db(ctx->st)));
	sqlite3_bind_int(stmt, 1, KIND_ORDER);
	sqlite3_bind_text(stmt, 2, self, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, t, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(with, len, "%s", (const char *)sqlite3_column_text(stmt,
		    0));
		found = 1;
	}
	sqlite3_finalize(stmt);
	return found;
}

/*
 * Correct the waybill of a parcel the carrier has not picked up yet: the
 * warehouse scanned the wrong label or chose the wrong carrier. Once the
 * carrier has scanned it, the tracking number is the carrier's record and
 * only a reship (a new parcel) can change it.
 */
int
order_correct(struct action_ctx *ctx)
{
	const char *carrier, *tracking, *reason, *oldc, *oldt, *at;
	cJSON *shipment, *details;
	char with[24], *detail;

	shipment = cJSON_GetObjectItemCaseSensitive(ctx->obj, "shipment");
	if ((at = json_str(shipment, "picked_up_at")) != NULL) {
		details = cJSON_CreateObject();
		json_set_str(details, "picked_up_at", at);
		return act_fail(ctx, 422, "picked_up", details, "the carrier "
		    "picked up order %s's parcel at %s; its waybill can no "
		    "longer be corrected", ctx->id, at);
	}
	if (act_waybill(ctx, &carrier, &tracking) != 0 ||
	    act_str(ctx, "reason", 0, ORDER_REASON_MAX, &reason) != 0)
		return -1;
	oldc = json_str(shipment, "carrier");
	oldt = json_str(shipment, "tracking_no");
	if (oldt != NULL && strcasecmp(oldt, tracking) == 0)
		return act_invalid(ctx, "tracking_no", "tracking_no %s is "
		    "already order %s's; give the corrected one", tracking,
		    ctx->id);
	if (order_tracking_used(ctx, tracking, ctx->id, with, sizeof with)) {
		details = cJSON_CreateObject();
		json_set_str(details, "field", "tracking_no");
		json_set_str(details, "with", with);
		return act_fail(ctx, 422, "duplicate", details, "tracking_no "
		    "%s is order %s's shipment", tracking, with);
	}
	detail = xasprintf("%s %s -> %s %s%s%s", oldc != NULL ? oldc : "?",
	    oldt != NULL ? oldt : "?", carrier, tracking,
	    reason != NULL && *reason != '\0' ? ": " : "",
	    reason != NULL ? reason : "");
	if (!cJSON_IsObject(shipment)) {
		shipment = cJSON_CreateObject();
		json_set_str(shipment, "shipped_at", ctx->now_s);
		json_set_null(shipment, "picked_up_at");
		json_set_null(shipment, "delivered_at");
		json_set(ctx->obj, "shipment", shipment);
	}
	json_set_str(shipment, "carrier", carrier);
	json_set_str(shipment, "tracking_no", tracking);
	act_order_log(ctx, ctx->obj, "shipment_corrected", detail);
	free(detail);
	return 0;
}

int
order_deliver(struct action_ctx *ctx)
{
	cJSON *shipment;

	shipment = cJSON_GetObjectItemCaseSensitive(ctx->obj, "shipment");
	if (cJSON_IsObject(shipment)) {
		/* A parcel delivered was picked up, scanned or not. */
		if (json_str(shipment, "picked_up_at") == NULL)
			json_set_str(shipment, "picked_up_at", ctx->now_s);
		json_set_str(shipment, "delivered_at", ctx->now_s);
	}
	json_set_str(ctx->obj, "fulfillment_status", "delivered");
	order_derive(ctx->obj);
	act_order_log(ctx, ctx->obj, "delivered", "");
	return 0;
}

int
order_complete(struct action_ctx *ctx)
{
	json_set_str(ctx->obj, "lifecycle", "completed");
	order_derive(ctx->obj);
	act_order_log(ctx, ctx->obj, "completed", "");
	return 0;
}

int
order_cancel(struct action_ctx *ctx)
{
	const char *reason;
	long long refund;
	char amount[32];

	if (act_str(ctx, "reason", 0, ORDER_REASON_MAX, &reason) != 0)
		return -1;
	json_set_str(ctx->obj, "lifecycle", "cancelled");
	act_order_log(ctx, ctx->obj, "cancelled", reason);
	if ((refund = order_refundable(ctx->obj)) > 0) {
		json_set_int(ctx->obj, "refunded_amount",
		    json_int(ctx->obj, "paid_amount", 0));
		json_set_str(ctx->obj, "payment_status", "refunded");
		snprintf(amount, sizeof amount, "%lld", refund);
		act_order_log(ctx, ctx->obj, "refunded", amount);
	}
	order_derive(ctx->obj);
	return 0;
}

/* The phone of an address: 5 to 20 digits. */
static int
order_phone_ok(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return s[n] == '\0' && n >= 5 && n <= 20;
}

int
order_address(struct action_ctx *ctx)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(ctx->body,
	    "address");
	const cJSON *v;
	cJSON *addr;
	const char *s;
	char *detail, field[32];
	size_t i;

	if (!cJSON_IsObject(in))
		return act_invalid(ctx, "address", "address must be an object "
		    "with name, phone, province, city, district and line");
	cJSON_ArrayForEach(v, in) {
		for (i = 0; i < NADDRESS; i++)
			if (strcmp(v->string, address_fields[i].key) == 0)
				break;
		if (i == NADDRESS) {
			snprintf(field, sizeof field, "address.%s", v->string);
			return act_invalid(ctx, field, "%s is not a field of "
			    "an address", field);
		}
	}
	addr = cJSON_GetObjectItemCaseSensitive(ctx->obj, "address");
	if (!cJSON_IsObject(addr)) {
		addr = cJSON_CreateObject();
		json_set(ctx->obj, "address", addr);
	}
	/* Check everything before changing anything. */
	for (i = 0; i < NADDRESS; i++) {
		if (act_str_in(ctx, in, "address.", address_fields[i].key, 0,
		    address_fields[i].max, &s) != 0)
			return -1;
		if (s == NULL)
			s = json_str(addr, address_fields[i].key);
		snprintf(field, sizeof field, "address.%s",
		    address_fields[i].key);
		if (s == NULL || *s == '\0')
			return act_invalid(ctx, field, "%s must not be empty",
			    field);
		if (strcmp(address_fields[i].key, "phone") == 0 &&
		    !order_phone_ok(s))
			return act_invalid(ctx, field, "%s must be 5 to 20 "
			    "digits", field);
	}
	for (i = 0; i < NADDRESS; i++) {
		if ((s = json_str(in, address_fields[i].key)) != NULL)
			json_set_str(addr, address_fields[i].key, s);
	}
	detail = xasprintf("%s %s %s", json_str(addr, "province"),
	    json_str(addr, "city"), json_str(addr, "district"));
	act_order_log(ctx, ctx->obj, "address_changed", detail);
	free(detail);
	return 0;
}

int
order_note(struct action_ctx *ctx)
{
	const char *text;

	if (act_str(ctx, "text", 0, ORDER_NOTE_MAX, &text) != 0)
		return -1;
	if (text == NULL)
		return act_invalid(ctx, "text", "text is required (\"\" clears "
		    "the note)");
	json_set_str(ctx->obj, "note", text);
	act_order_log(ctx, ctx->obj, "note", text);
	return 0;
}

int
order_flag(struct action_ctx *ctx)
{
	const char *reason, *note;
	cJSON *ab;

	if (act_enum(ctx, "reason", abnormal_reasons, 1, &reason) != 0 ||
	    act_str(ctx, "note", 0, ORDER_NOTE_MAX, &note) != 0)
		return -1;
	ab = cJSON_CreateObject();
	json_set_str(ab, "reason", reason);
	json_set_str(ab, "note", note != NULL ? note : "");
	json_set_str(ab, "at", ctx->now_s);
	json_set_str(ab, "by", ctx->who->id);
	json_set(ctx->obj, "abnormal", ab);
	act_order_log(ctx, ctx->obj, "flagged", reason);
	return 0;
}

int
order_unflag(struct action_ctx *ctx)
{
	const char *reason;
	char *detail;

	reason = json_str(cJSON_GetObjectItemCaseSensitive(ctx->obj,
	    "abnormal"), "reason");
	detail = xstrdup(reason != NULL ? reason : "");
	json_set_null(ctx->obj, "abnormal");
	act_order_log(ctx, ctx->obj, "unflagged", detail);
	free(detail);
	return 0;
}
