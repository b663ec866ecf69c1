/*
 * medusa-map.c -- Medusa v2 objects as Store API v1 objects (medusa.h).
 *
 * Every mapped object keeps Medusa's id, so that reads and writes need no
 * lookup table, and gets a version that is the latest modification time
 * (milliseconds since the epoch) of every Medusa record it is made of: an
 * order's payments and refunds do not move the order's own updated_at, an
 * exchange's return does not move the exchange's, a stock level does not
 * move its inventory item's. Such a version only grows, so the cache's
 * "never replace with a lower version" holds, and it changes with every
 * change that shows, so If-Match catches what someone else did meanwhile.
 * What Medusa does not have is null (an SLA) or empty, never invented.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "medusa.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

const char medusa_order_fields[] =
    "id,display_id,status,version,created_at,updated_at,deleted_at,canceled_at,email,"
    "currency_code,customer_id,sales_channel_id,metadata,total,discount_total,shipping_total,tax_total,"
    "summary,customer.first_name,customer.last_name,customer.email,customer.phone,"
    "*shipping_address,*items,items.adjustments.promotion_id,items.adjustments.code,"
    "*fulfillments,*fulfillments.labels,*payment_collections,"
    "*payment_collections.payments,*payment_collections.payments.refunds";
const char medusa_return_fields[] =
    "id,display_id,status,order_id,claim_id,exchange_id,location_id,created_at,updated_at,"
    "canceled_at,received_at,requested_at,metadata,*items,items.reason.label";
#define MEDUSA_CASE_FIELDS \
    "id,display_id,order_id,return_id,created_at,updated_at,canceled_at,metadata," \
    "*additional_items,return.id,return.status,return.updated_at,return.received_at," \
    "*return.items,return.items.reason.label"
const char medusa_claim_fields[] = MEDUSA_CASE_FIELDS ",type,refund_amount";
const char medusa_exchange_fields[] = MEDUSA_CASE_FIELDS;
const char medusa_sku_fields[] =
    "id,sku,title,updated_at,created_at,metadata,*location_levels,variants.id,"
    "variants.title,variants.sku,variants.barcode,variants.ean,variants.upc,"
    "variants.created_at,variants.updated_at,variants.product_id,variants.product.title,"
    "variants.product.status,variants.product.updated_at,variants.prices.amount,"
    "variants.prices.id,variants.prices.currency_code,variants.prices.updated_at,variants.metadata,variants.options.value,"
    "variants.options.option.title,variants.weight";
const char medusa_product_fields[] =
    "id,title,subtitle,description,status,created_at,updated_at,deleted_at,metadata,variants.id,"
    "variants.updated_at,categories.id,categories.name,collection.title";
const char medusa_category_fields[] =
    "id,name,parent_category_id,rank,created_at,updated_at,deleted_at,metadata";
const char medusa_promotion_fields[] =
    "id,code,type,status,is_automatic,created_at,updated_at,deleted_at,metadata,*application_method,"
    "application_method.target_rules.attribute,application_method.target_rules.values.value,"
    "*campaign,*campaign.budget";
const char medusa_customer_fields[] =
    "id,first_name,last_name,email,phone,metadata,created_at,updated_at,deleted_at,"
    "*addresses";
const char medusa_user_fields[] =
    "id,email,first_name,last_name,created_at,updated_at,deleted_at";

/* --- money and time ------------------------------------------------------------- */

int
medusa_decimal_fen(const char *s, long long *fen)
{
	unsigned long long digits = 0;
	int neg = 0, exp10 = 0, seen = 0, dot = 0, ndig = 0, round_up = 0, e;
	const char *p = s;
	char *end;
	long x;

	while (*p == ' ')
		p++;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p != '\0'; p++) {
		if (*p == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			break;
		seen = 1;
		if (ndig < 18) {
			digits = digits * 10 + (unsigned)(*p - '0');
			if (digits != 0)
				ndig++;
			if (dot)
				exp10--;
		} else if (!dot)
			exp10++;
	}
	if (!seen)
		return -1;
	if (*p == 'e' || *p == 'E') {
		x = strtol(p + 1, &end, 10);
		if (end == p + 1 || x < -400 || x > 400)
			return -1;
		exp10 += (int)x;
		p = end;
	}
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return -1;
	/* value = digits * 10^exp10; fen = value * 100, rounded half away from zero. */
	e = exp10 + 2;
	while (e < 0 && digits != 0) {
		round_up = (int)(digits % 10) >= 5;
		digits /= 10;
		e++;
		if (e < 0)
			round_up = 0;	/* only the last digit dropped decides */
	}
	if (e < 0)
		digits = 0;
	digits += (unsigned)round_up;
	for (; e > 0; e--) {
		if (digits > 922337203685477580ULL)
			return -1;
		digits *= 10;
	}
	if (digits > 9223372036854775807ULL)
		return -1;
	*fen = neg ? -(long long)digits : (long long)digits;
	return 0;
}

int
medusa_money(const cJSON *obj, const char *name, long long *fen)
{
	const cJSON *raw, *v;
	char key[64], text[40];

	snprintf(key, sizeof key, "raw_%s", name);
	raw = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (json_str(raw, "value") != NULL)
		return medusa_decimal_fen(json_str(raw, "value"), fen);
	v = cJSON_GetObjectItemCaseSensitive(obj, name);
	if (cJSON_IsString(v))
		return medusa_decimal_fen(v->valuestring, fen);
	if (!cJSON_IsNumber(v))
		return -1;
	snprintf(text, sizeof text, "%.15g", v->valuedouble);
	return medusa_decimal_fen(text, fen);
}

/* The amount or 0. */
static long long
money_or_zero(const cJSON *obj, const char *name)
{
	long long fen;

	return medusa_money(obj, name, &fen) == 0 ? fen : 0;
}

cJSON *
medusa_fen_json(long long fen)
{
	char text[32];
	unsigned long long a = fen < 0 ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;

	snprintf(text, sizeof text, "%s%llu.%02llu", fen < 0 ? "-" : "", a / 100, a % 100);
	return cJSON_CreateRaw(text);
}

long long
medusa_ms(const char *iso)
{
	struct tm tm;
	const char *p;
	long long ms = 0;
	int scale = 100;

	if (iso == NULL)
		return -1;
	memset(&tm, 0, sizeof tm);
	p = strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm);
	if (p == NULL)
		return -1;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++) {
			ms += (*p - '0') * scale;
			scale /= 10;
		}
	if (*p != 'Z' && *p != '\0' && *p != '+')
		return -1;
	return (long long)timegm(&tm) * 1000 + ms;
}

void
medusa_iso(long long ms, char *out)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, MEDUSA_ISO_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* A Medusa time as the contract's: whole seconds, UTC, or null. */
static void
set_time(cJSON *obj, const char *key, const char *iso)
{
	long long ms = medusa_ms(iso);
	char out[MEDUSA_ISO_LEN];

	if (ms < 0) {
		json_set_null(obj, key);
		return;
	}
	medusa_iso(ms, out);
	strcpy(out + 19, "Z");
	json_set_str(obj, key, out);
}

/* The largest of *v and the time of member key of obj. */
static void
newer(long long *v, const cJSON *obj, const char *key)
{
	long long ms = medusa_ms(json_str(obj, key));

	if (ms > *v)
		*v = ms;
}

/* Version and times of a mapped object: version is the latest time seen. */
static void
set_stamp(cJSON *out, const cJSON *src, long long version)
{
	char iso[MEDUSA_ISO_LEN];

	if (version < 1)
		version = 1;
	json_set_int(out, "version", version);
	set_time(out, "created_at", json_str(src, "created_at"));
	medusa_iso(version, iso);
	set_time(out, "updated_at", iso);
}

void
medusa_currency(const char *code, char *out)
{
	int i;

	for (i = 0; code != NULL && code[i] != '\0' && i < 7; i++)
		out[i] = (char)toupper((unsigned char)code[i]);
	out[i] = '\0';
}

static const char *
str_or(const cJSON *obj, const char *key, const char *def)
{
	const char *s = json_str(obj, key);

	return s != NULL ? s : def;
}

/* Whether s has a byte outside ASCII (a CJK name, say). */
static int
non_ascii(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

char *
medusa_person_name(const cJSON *who)
{
	const char *first = str_or(who, "first_name", ""), *last = str_or(who, "last_name", "");

	if (*first == '\0' && *last == '\0')
		return xstrdup(str_or(who, "email", ""));
	if (*first == '\0' || *last == '\0')
		return xasprintf("%s%s", last, first);
	if (non_ascii(first) || non_ascii(last))
		return xasprintf("%s%s", last, first);
	return xasprintf("%s %s", first, last);
}

static void
set_name(cJSON *obj, const char *key, const cJSON *who)
{
	char *n = medusa_person_name(who);

	json_set_str(obj, key, n);
	free(n);
}

/* --- orders ----------------------------------------------------------------------- */

/* The contract's payment dimension from Medusa's. */
static const char *
order_payment(const char *ps)
{
	static const struct { const char *medusa, *v1; } map[] = {
		{ "authorized", "paid" }, { "partially_authorized", "paid" },
		{ "captured", "paid" }, { "partially_captured", "paid" },
		{ "partially_refunded", "partially_refunded" }, { "refunded", "refunded" },
		{ "requires_action", "failed" },
	};
	size_t i;

	for (i = 0; ps != NULL && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(ps, map[i].medusa) == 0)
			return map[i].v1;
	return "unpaid";	/* not_paid, awaiting, canceled */
}

static const char *
order_fulfilment(const char *fs)
{
	static const struct { const char *medusa, *v1; } map[] = {
		{ "partially_fulfilled", "in_progress" }, { "fulfilled", "in_progress" },
		{ "partially_shipped", "partially_shipped" }, { "shipped", "shipped" },
		{ "partially_delivered", "shipped" }, { "delivered", "delivered" },
	};
	size_t i;

	for (i = 0; fs != NULL && i < sizeof map / sizeof map[0]; i++)
		if (strcmp(fs, map[i].medusa) == 0)
			return map[i].v1;
	return "unfulfilled";
}

/* The one status to show, as the contract derives it. */
static const char *
order_status(const char *lifecycle, const char *pay, const char *ful)
{
	if (strcmp(lifecycle, "open") != 0)
		return strcmp(lifecycle, "cancelled") == 0 ? "cancelled" : lifecycle;
	if (strcmp(pay, "unpaid") == 0 || strcmp(pay, "failed") == 0)
		return "pending_payment";
	if (strcmp(ful, "delivered") == 0)
		return "delivered";
	if (strcmp(ful, "shipped") == 0 || strcmp(ful, "partially_shipped") == 0)
		return "shipped";
	return "awaiting_shipment";
}

static cJSON *
order_address(const cJSON *a)
{
	cJSON *out;
	struct buf line;

	if (!cJSON_IsObject(a))
		return cJSON_CreateNull();
	out = cJSON_CreateObject();
	set_name(out, "name", a);
	json_set_str(out, "phone", str_or(a, "phone", ""));
	json_set_str(out, "province", str_or(a, "province", ""));
	json_set_str(out, "city", str_or(a, "city", ""));
	json_set_str(out, "district", "");
	buf_init(&line);
	buf_adds(&line, str_or(a, "address_1", ""));
	if (*str_or(a, "address_2", "") != '\0') {
		buf_addc(&line, ' ');
		buf_adds(&line, json_str(a, "address_2"));
	}
	json_set_str(out, "line", buf_str(&line));
	buf_done(&line);
	json_set_str(out, "postal_code", str_or(a, "postal_code", ""));
	json_set_str(out, "country_code", str_or(a, "country_code", ""));
	return out;
}

/* One timeline entry. */
static void
timeline_add(cJSON *tl, const char *at, const char *event, const char *detail)
{
	cJSON *e;

	if (at == NULL)
		return;
	e = cJSON_CreateObject();
	set_time(e, "at", at);
	json_set_str(e, "event", event);
	json_set_str(e, "by", "system");
	json_set_str(e, "detail", detail != NULL ? detail : "");
	cJSON_AddItemToArray(tl, e);
}

static int
timeline_cmp(const void *a, const void *b)
{
	const cJSON *x = *(cJSON *const *)a, *y = *(cJSON *const *)b;

	return strcmp(str_or(x, "at", ""), str_or(y, "at", ""));
}

/* Sort the timeline by time (a stable insertion sort into a new array). */
static cJSON *
timeline_sorted(cJSON *tl)
{
	cJSON **v, *out = cJSON_CreateArray();
	int n = cJSON_GetArraySize(tl), i;

	v = xcalloc((size_t)n + 1, sizeof *v);
	for (i = 0; i < n; i++)
		v[i] = cJSON_DetachItemFromArray(tl, 0);
	qsort(v, (size_t)n, sizeof *v, timeline_cmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(out, v[i]);
	free(v);
	cJSON_Delete(tl);
	return out;
}

/* The latest shipped fulfilment that was not cancelled, or NULL. */
static const cJSON *
order_shipment(const cJSON *o)
{
	const cJSON *f, *best = NULL;

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(o, "fulfillments")) {
		if (json_str(f, "canceled_at") != NULL || json_str(f, "shipped_at") == NULL)
			continue;
		if (best == NULL || strcmp(json_str(f, "shipped_at"), json_str(best, "shipped_at")) > 0)
			best = f;
	}
	return best;
}

cJSON *
medusa_map_order(const cJSON *o)
{
	const cJSON *items, *it, *adj, *pc, *pay, *ref, *f, *summary, *meta, *ship, *lab;
	const char *ms, *lifecycle, *pay_status, *ful_status, *promo = NULL;
	cJSON *out, *arr, *x, *tl;
	long long version = -1, subtotal = 0, fen, qty;
	char cur[8], *name;

	if (json_str(o, "id") == NULL)
		return NULL;
	out = cJSON_CreateObject();
	json_set_str(out, "id", json_str(o, "id"));
	json_set_int(out, "display_id", json_int(o, "display_id", 0));
	newer(&version, o, "updated_at");
	newer(&version, o, "created_at");

	ms = str_or(o, "status", "pending");
	if (strcmp(ms, "canceled") == 0)
		lifecycle = "cancelled";
	else if (strcmp(ms, "completed") == 0 || strcmp(ms, "archived") == 0)
		lifecycle = "completed";
	else
		lifecycle = "open";
	pay_status = order_payment(json_str(o, "payment_status"));
	ful_status = order_fulfilment(json_str(o, "fulfillment_status"));
	if (strcmp(lifecycle, "open") == 0 && strcmp(pay_status, "refunded") == 0 &&
	    strcmp(ful_status, "unfulfilled") == 0)
		lifecycle = "closed";
	json_set_str(out, "status", order_status(lifecycle, pay_status, ful_status));
	json_set_str(out, "payment_status", pay_status);
	json_set_str(out, "fulfillment_status", ful_status);
	json_set_str(out, "lifecycle", lifecycle);
	/* Medusa's own words, for the detail. */
	x = cJSON_CreateObject();
	json_set_str(x, "status", ms);
	json_set_str(x, "payment_status", str_or(o, "payment_status", ""));
	json_set_str(x, "fulfillment_status", str_or(o, "fulfillment_status", ""));
	json_set(out, "medusa", x);

	meta = cJSON_GetObjectItemCaseSensitive(o, "metadata");
	x = cJSON_GetObjectItemCaseSensitive(meta, "shopdesk_abnormal");
	json_set(out, "abnormal", cJSON_IsObject(x) ? cJSON_Duplicate(x, 1) : cJSON_CreateNull());
	if (json_str(o, "customer_id") != NULL)
		json_set_str(out, "customer_id", json_str(o, "customer_id"));
	else
		json_set_null(out, "customer_id");
	x = cJSON_GetObjectItemCaseSensitive(o, "customer");
	if (cJSON_IsObject(x))
		set_name(out, "customer_name", x);
	else if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(o, "shipping_address")))
		set_name(out, "customer_name", cJSON_GetObjectItemCaseSensitive(o,
		    "shipping_address"));
	else
		json_set_str(out, "customer_name", str_or(o, "email", ""));
	json_set_str(out, "email", str_or(o, "email", ""));
	json_set_str(out, "channel", "web");
	medusa_currency(json_str(o, "currency_code"), cur);
	json_set_str(out, "currency", cur);

	arr = cJSON_CreateArray();
	items = cJSON_GetObjectItemCaseSensitive(o, "items");
	cJSON_ArrayForEach(it, items) {
		x = cJSON_CreateObject();
		json_set_str(x, "id", str_or(it, "id", ""));
		json_set_str(x, "sku_id", str_or(it, "variant_id", ""));
		json_set_str(x, "sku", str_or(it, "variant_sku", ""));
		name = xasprintf("%s%s%s", str_or(it, "product_title", str_or(it, "title", "")),
		    json_str(it, "variant_title") != NULL ? " " : "", str_or(it, "variant_title", ""));
		json_set_str(x, "title", name);
		free(name);
		qty = 0;
		if (medusa_money(it, "quantity", &qty) == 0)
			qty /= 100;
		json_set_int(x, "quantity", qty);
		fen = money_or_zero(it, "unit_price");
		json_set_int(x, "unit_price", fen);
		subtotal += fen * qty;
		cJSON_ArrayForEach(adj, cJSON_GetObjectItemCaseSensitive(it, "adjustments"))
			if (promo == NULL && json_str(adj, "promotion_id") != NULL)
				promo = json_str(adj, "promotion_id");
		cJSON_AddItemToArray(arr, x);
	}
	json_set_int(out, "subtotal", subtotal);
	json_set_int(out, "discount", money_or_zero(o, "discount_total"));
	json_set_int(out, "shipping_fee", money_or_zero(o, "shipping_total"));
	summary = cJSON_GetObjectItemCaseSensitive(o, "summary");
	if (medusa_money(summary, "original_order_total", &fen) != 0)
		fen = money_or_zero(o, "total");
	json_set_int(out, "total", fen);
	json_set_int(out, "paid_amount", money_or_zero(summary, "paid_total"));
	json_set_int(out, "refunded_amount", money_or_zero(summary, "refunded_total"));
	json_set(out, "items", arr);
	json_set(out, "address", order_address(cJSON_GetObjectItemCaseSensitive(o,
	    "shipping_address")));

	tl = cJSON_CreateArray();
	timeline_add(tl, json_str(o, "created_at"), "created", NULL);
	x = NULL;
	cJSON_ArrayForEach(pc, cJSON_GetObjectItemCaseSensitive(o, "payment_collections")) {
		newer(&version, pc, "updated_at");
		cJSON_ArrayForEach(pay, cJSON_GetObjectItemCaseSensitive(pc, "payments")) {
			newer(&version, pay, "updated_at");
			newer(&version, pay, "captured_at");
			if (json_str(pay, "captured_at") != NULL) {
				timeline_add(tl, json_str(pay, "captured_at"), "paid",
				    str_or(pay, "provider_id", ""));
				if (x == NULL) {
					x = cJSON_CreateObject();
					json_set_str(x, "method", str_or(pay, "provider_id", ""));
					set_time(x, "paid_at", json_str(pay, "captured_at"));
					json_set_str(x, "transaction_id", str_or(pay, "id", ""));
				}
			}
			cJSON_ArrayForEach(ref, cJSON_GetObjectItemCaseSensitive(pay, "refunds")) {
				newer(&version, ref, "created_at");
				name = xasprintf("%.2f %s", money_or_zero(ref, "amount") / 100.0,
				    str_or(ref, "note", ""));
				timeline_add(tl, json_str(ref, "created_at"), "refunded", name);
				free(name);
			}
		}
	}
	json_set(out, "payment", x != NULL ? x : cJSON_CreateNull());
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(o, "fulfillments")) {
		newer(&version, f, "updated_at");
		timeline_add(tl, json_str(f, "shipped_at"), "shipped", NULL);
		timeline_add(tl, json_str(f, "delivered_at"), "delivered", NULL);
		timeline_add(tl, json_str(f, "canceled_at"), "fulfillment_cancelled", NULL);
	}
	timeline_add(tl, json_str(o, "canceled_at"), "cancelled", NULL);
	json_set(out, "timeline", timeline_sorted(tl));

	ship = order_shipment(o);
	if (ship != NULL) {
		x = cJSON_CreateObject();
		meta = cJSON_GetObjectItemCaseSensitive(ship, "metadata");
		json_set_str(x, "carrier", str_or(meta, "carrier", str_or(ship, "provider_id", "")));
		lab = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ship, "labels"), 0);
		json_set_str(x, "tracking_no", str_or(lab, "tracking_number", ""));
		set_time(x, "shipped_at", json_str(ship, "shipped_at"));
		set_time(x, "delivered_at", json_str(ship, "delivered_at"));
		json_set_str(x, "fulfillment_id", str_or(ship, "id", ""));
		json_set(out, "shipment", x);
	} else
		json_set_null(out, "shipment");
	if (promo != NULL)
		json_set_str(out, "promotion_id", promo);
	else
		json_set_null(out, "promotion_id");
	meta = cJSON_GetObjectItemCaseSensitive(o, "metadata");
	json_set_str(out, "note", str_or(meta, "shopdesk_note", ""));
	set_stamp(out, o, version);
	return out;
}

/* --- after-sales ------------------------------------------------------------------ */

/* The fields every ticket has, from the Medusa record and its order. */
static cJSON *
ticket_base(const cJSON *rec, const char *kind, const char *status, const cJSON *ret)
{
	const cJSON *order = cJSON_GetObjectItemCaseSensitive(rec, "order"), *it, *meta;
	cJSON *out = cJSON_CreateObject(), *sla, *hist, *e;
	struct buf reasons;
	char cur[8];

	json_set_str(out, "id", json_str(rec, "id"));
	json_set_int(out, "display_id", json_int(rec, "display_id", 0));
	json_set_str(out, "order_id", str_or(rec, "order_id", ""));
	json_set_str(out, "customer_id", str_or(order, "customer_id", ""));
	if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(order, "customer")))
		set_name(out, "customer_name", cJSON_GetObjectItemCaseSensitive(order, "customer"));
	else
		json_set_str(out, "customer_name", str_or(order, "email", ""));
	json_set_str(out, "kind", kind);
	json_set_str(out, "status", status);
	json_set_str(out, "priority", "normal");
	json_set_bool(out, "escalated", 0);
	json_set_null(out, "assignee");
	buf_init(&reasons);
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ret, "items")) {
		const char *label = json_str(cJSON_GetObjectItemCaseSensitive(it, "reason"), "label");

		if (label != NULL && strstr(buf_str(&reasons), label) == NULL)
			buf_addf(&reasons, "%s%s", reasons.len != 0 ? ", " : "", label);
	}
	json_set_str(out, "reason", buf_str(&reasons));
	buf_done(&reasons);
	meta = cJSON_GetObjectItemCaseSensitive(rec, "metadata");
	json_set_str(out, "description", str_or(meta, "description", str_or(rec, "description",
	    "")));
	json_set(out, "evidence", cJSON_CreateArray());
	medusa_currency(json_str(order, "currency_code"), cur);
	json_set_str(out, "currency", cur);
	json_set_int(out, "requested_amount", json_int(meta, "shopdesk_requested", 0));
	json_set_int(out, "refund_amount", 0);
	/* Medusa keeps no service-level timers: an SLA is not offered. */
	sla = cJSON_CreateNull();
	json_set(out, "sla", sla);
	hist = cJSON_CreateArray();
	e = cJSON_CreateObject();
	set_time(e, "at", json_str(rec, "created_at"));
	json_set_str(e, "by", "system");
	json_set_str(e, "action", "create");
	json_set_str(e, "note", "");
	cJSON_AddItemToArray(hist, e);
	json_set(out, "history", hist);
	if (json_str(ret, "id") != NULL)
		json_set_str(out, "return_id", json_str(ret, "id"));
	return out;
}

/* A return's stage as the contract's status of a return or exchange ticket. */
static const char *
return_stage(const cJSON *ret)
{
	const char *st = str_or(ret, "status", "requested");

	if (strcmp(st, "canceled") == 0)
		return "closed";
	if (strcmp(st, "received") == 0 || strcmp(st, "partially_received") == 0)
		return "received";
	return "awaiting_return";
}

/*
 * What the order's refunds whose note names the ticket ("shopdesk KEY
 * TICKET", medusa-write.c) add up to; *latest gets the time of the last.
 */
static long long
ticket_refunded(const cJSON *rec, long long *latest)
{
	const cJSON *order = cJSON_GetObjectItemCaseSensitive(rec, "order"), *pc, *p, *r;
	const char *id = json_str(rec, "id"), *note, *at;
	long long sum = 0;
	size_t n = strlen(id);

	cJSON_ArrayForEach(pc, cJSON_GetObjectItemCaseSensitive(order, "payment_collections"))
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(pc, "payments"))
			cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(p, "refunds")) {
				note = json_str(r, "note");
				if (note == NULL || strncmp(note, "shopdesk ", 9) != 0 ||
				    (at = strstr(note, id)) == NULL || at[n] != '\0')
					continue;
				sum += money_or_zero(r, "amount");
				newer(latest, r, "created_at");
			}
	return sum;
}

cJSON *
medusa_map_return(const cJSON *r)
{
	const char *status = return_stage(r);
	long long version = -1, refunded;
	cJSON *out;

	if (json_str(r, "id") == NULL)
		return NULL;
	newer(&version, r, "updated_at");
	refunded = ticket_refunded(r, &version);
	if (strcmp(status, "received") == 0 && refunded > 0)
		status = "refunded";
	out = ticket_base(r, "return_refund", status, r);
	json_set_int(out, "refund_amount", refunded);
	set_stamp(out, r, version);
	return out;
}

/* A claim or an exchange with its return. */
static cJSON *
map_case(const cJSON *c, const char *kind, const char *done_status)
{
	const cJSON *ret = cJSON_GetObjectItemCaseSensitive(c, "return");
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(c, "metadata");
	const char *status;
	long long version = -1;
	cJSON *out;

	if (json_str(c, "id") == NULL)
		return NULL;
	if (json_str(c, "canceled_at") != NULL)
		status = "closed";
	else if (json_str(meta, "shopdesk_shipped") != NULL)
		status = done_status;
	else if (cJSON_IsObject(ret))
		status = return_stage(ret);
	else
		status = "approved";
	out = ticket_base(c, kind, status, ret);
	newer(&version, c, "updated_at");
	newer(&version, ret, "updated_at");
	set_stamp(out, c, version);
	return out;
}

cJSON *
medusa_map_claim(const cJSON *c)
{
	int refund = strcmp(str_or(c, "type", "replace"), "refund") == 0;

	return map_case(c, refund ? "refund_only" : "reship", refund ? "refunded" : "reshipped");
}

cJSON *
medusa_map_exchange(const cJSON *x)
{
	return map_case(x, "exchange", "exchanged");
}

/* --- catalogue -------------------------------------------------------------------- */

/* The price in the store's currency, else the first one. */
static const cJSON *
sku_price(const cJSON *variant, const char *currency)
{
	const cJSON *p, *first = NULL;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(variant, "prices")) {
		if (first == NULL)
			first = p;
		if (json_str(p, "currency_code") != NULL &&
		    strcmp(json_str(p, "currency_code"), currency) == 0)
			return p;
	}
	return first;
}

cJSON *
medusa_map_sku(const cJSON *item, const char *currency)
{
	const cJSON *v, *lev, *opt, *price, *prod, *meta;
	long long version = -1, stock = 0, reserved = 0, q;
	cJSON *out, *attrs;
	char cur[8];

	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(item, "variants"), 0);
	if (json_str(v, "id") == NULL)
		return NULL;	/* stock of no product variant: not a SKU */
	prod = cJSON_GetObjectItemCaseSensitive(v, "product");
	out = cJSON_CreateObject();
	json_set_str(out, "id", json_str(v, "id"));
	json_set_str(out, "inventory_item_id", str_or(item, "id", ""));
	json_set_str(out, "product_id", str_or(v, "product_id", str_or(prod, "id", "")));
	json_set_str(out, "product_title", str_or(prod, "title", ""));
	json_set_str(out, "title", str_or(v, "title", str_or(item, "title", "")));
	json_set_str(out, "sku", str_or(v, "sku", str_or(item, "sku", "")));
	json_set_str(out, "sku_code", str_or(v, "sku", str_or(item, "sku", "")));
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(v, "weight")))
		json_set_int(out, "weight", json_int(v, "weight", 0));
	attrs = cJSON_CreateObject();
	cJSON_ArrayForEach(opt, cJSON_GetObjectItemCaseSensitive(v, "options")) {
		const char *name = json_str(cJSON_GetObjectItemCaseSensitive(opt, "option"), "title");

		if (name != NULL && json_str(opt, "value") != NULL)
			json_set_str(attrs, name, json_str(opt, "value"));
	}
	json_set(out, "attributes", attrs);
	json_set_str(out, "barcode", str_or(v, "barcode", str_or(v, "ean", str_or(v, "upc",
	    str_or(item, "sku", "")))));
	price = sku_price(v, currency != NULL ? currency : "cny");
	medusa_currency(json_str(price, "currency_code"), cur);
	json_set_str(out, "currency", cur);
	json_set_int(out, "price", money_or_zero(price, "amount"));
	/* Medusa has neither: shopdesk keeps them in the variant's metadata (fen). */
	meta = cJSON_GetObjectItemCaseSensitive(v, "metadata");
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(meta, "original_price")))
		json_set_int(out, "original_price", json_int(meta, "original_price", 0));
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(meta, "cost")))
		json_set_int(out, "cost", json_int(meta, "cost", 0));
	cJSON_ArrayForEach(lev, cJSON_GetObjectItemCaseSensitive(item, "location_levels")) {
		if (medusa_money(lev, "stocked_quantity", &q) == 0)
			stock += q / 100;
		if (medusa_money(lev, "reserved_quantity", &q) == 0)
			reserved += q / 100;
		newer(&version, lev, "updated_at");
	}
	json_set_int(out, "stock", stock);
	json_set_int(out, "reserved", reserved);
	meta = cJSON_GetObjectItemCaseSensitive(item, "metadata");
	json_set_int(out, "low_stock_threshold", json_int(meta, "low_stock_threshold", 0));
	json_set_str(out, "shelf", strcmp(str_or(prod, "status", ""), "published") == 0 ?
	    "on" : "off");
	newer(&version, item, "updated_at");
	newer(&version, v, "updated_at");
	newer(&version, prod, "updated_at");
	newer(&version, price, "updated_at");
	set_stamp(out, item, version);
	return out;
}

cJSON *
medusa_map_product(const cJSON *p)
{
	const cJSON *v, *cat;
	long long version = -1;
	cJSON *out, *ids;

	if (json_str(p, "id") == NULL)
		return NULL;
	out = cJSON_CreateObject();
	json_set_str(out, "id", json_str(p, "id"));
	json_set_str(out, "title", str_or(p, "title", ""));
	json_set_str(out, "subtitle", str_or(p, "subtitle", ""));
	json_set_str(out, "description", str_or(p, "description", ""));
	cat = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(p, "categories"), 0);
	json_set_str(out, "category", str_or(cat, "name", ""));
	if (json_str(cat, "id") != NULL)
		json_set_str(out, "category_id", json_str(cat, "id"));
	json_set_str(out, "brand", str_or(cJSON_GetObjectItemCaseSensitive(p, "collection"),
	    "title", ""));
	json_set_str(out, "shelf", strcmp(str_or(p, "status", ""), "published") == 0 ?
	    "on" : "off");
	json_set_str(out, "medusa_status", str_or(p, "status", ""));
	ids = cJSON_CreateArray();
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(p, "variants")) {
		if (json_str(v, "id") != NULL)
			cJSON_AddItemToArray(ids, cJSON_CreateString(json_str(v, "id")));
	}
	/*
	 * The product's own time alone: a sync reads a product again when its
	 * updated_at moves, which a change to a variant (a price, a code)
	 * does not, so a version that counted the variants would be newer
	 * in Medusa than in the cache, and the product's next write a
	 * conflict with a change that is not to the product.
	 */
	json_set(out, "sku_ids", ids);
	newer(&version, p, "updated_at");
	set_stamp(out, p, version);
	return out;
}

/*
 * A product category (Medusa's product-category module) as a category of
 * the tree: parent_category_id is the parent, rank the position.
 */
cJSON *
medusa_map_category(const cJSON *c)
{
	long long version = -1;
	cJSON *out;

	if (json_str(c, "id") == NULL)
		return NULL;
	out = cJSON_CreateObject();
	json_set_str(out, "id", json_str(c, "id"));
	json_set_str(out, "name", str_or(c, "name", ""));
	if (json_str(c, "parent_category_id") != NULL)
		json_set_str(out, "parent_id", json_str(c, "parent_category_id"));
	else
		cJSON_AddNullToObject(out, "parent_id");
	json_set_int(out, "position", json_int(c, "rank", 0));
	newer(&version, c, "updated_at");
	set_stamp(out, c, version);
	return out;
}

/* --- promotions ------------------------------------------------------------------- */

cJSON *
medusa_map_promotion(const cJSON *p)
{
	const cJSON *am = cJSON_GetObjectItemCaseSensitive(p, "application_method");
	const cJSON *camp = cJSON_GetObjectItemCaseSensitive(p, "campaign"), *budget;
	const char *type = str_or(am, "type", ""), *ms = str_or(p, "status", "draft"), *status;
	cJSON *out, *rules, *limits, *usage;
	long long version = -1, now_ms = (long long)time(NULL) * 1000, starts, ends, fen;

	if (json_str(p, "id") == NULL)
		return NULL;
	out = cJSON_CreateObject();
	json_set_str(out, "id", json_str(p, "id"));
	json_set_str(out, "name", str_or(p, "code", str_or(camp, "name", "")));
	json_set_str(out, "code", str_or(p, "code", ""));
	rules = cJSON_CreateObject();
	if (strcmp(str_or(p, "type", ""), "buyget") == 0) {
		json_set_str(out, "kind", "n_items");
		json_set_int(rules, "n", json_int(am, "buy_rules_min_quantity", 2));
		json_set_int(rules, "percent_off", strcmp(type, "percentage") == 0 ?
		    json_int(am, "value", 0) : 0);
	} else if (strcmp(type, "percentage") == 0) {
		json_set_str(out, "kind", "percent_coupon");
		json_set_int(rules, "percent_off", json_int(am, "value", 0));
		json_set_null(rules, "max_off");
	} else {
		json_set_str(out, "kind", "fixed_coupon");
		json_set_int(rules, "off", money_or_zero(am, "value"));
	}
	json_set(out, "rules", rules);
	json_set_str(out, "target", str_or(am, "target_type", ""));
	starts = medusa_ms(json_str(camp, "starts_at"));
	ends = medusa_ms(json_str(camp, "ends_at"));
	if (strcmp(ms, "active") == 0) {
		if (ends > 0 && ends <= now_ms)
			status = "ended";
		else if (starts > now_ms)
			status = "scheduled";
		else
			status = "active";
	} else if (strcmp(ms, "inactive") == 0)
		status = "ended";
	else
		status = "draft";
	json_set_str(out, "status", status);
	json_set_str(out, "medusa_status", ms);
	set_time(out, "starts_at", json_str(camp, "starts_at") != NULL ?
	    json_str(camp, "starts_at") : json_str(p, "created_at"));
	set_time(out, "ends_at", json_str(camp, "ends_at"));
	limits = cJSON_CreateObject();
	budget = cJSON_GetObjectItemCaseSensitive(camp, "budget");
	if (strcmp(str_or(budget, "type", ""), "spend") == 0 &&
	    medusa_money(budget, "limit", &fen) == 0)
		json_set_int(limits, "budget", fen);
	else
		json_set_null(limits, "budget");
	json_set_null(limits, "per_customer");
	if (strcmp(str_or(budget, "type", ""), "usage") == 0)
		json_set_int(limits, "stock", json_int(budget, "limit", 0));
	else if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(p, "limit")))
		json_set_int(limits, "stock", json_int(p, "limit", 0));
	else
		json_set_null(limits, "stock");
	json_set(out, "limits", limits);
	usage = cJSON_CreateObject();
	json_set_int(usage, "redeemed", json_int(p, "used", json_int(budget, "used", 0)));
	json_set_int(usage, "orders", json_int(p, "used", 0));
	json_set_int(usage, "discount_total", 0);
	json_set(out, "usage", usage);
	json_set(out, "sku_ids", cJSON_CreateArray());
	if (json_str(camp, "name") != NULL)
		json_set_str(out, "campaign", json_str(camp, "name"));
	newer(&version, p, "updated_at");
	newer(&version, am, "updated_at");
	newer(&version, camp, "updated_at");
	newer(&version, budget, "updated_at");
	set_stamp(out, p, version);
	return out;
}

/* --- people ----------------------------------------------------------------------- */

void
medusa_figures_add(cJSON *figures, const cJSON *orders)
{
	const cJSON *o;
	const char *who;
	cJSON *f;

	cJSON_ArrayForEach(o, orders) {
		if ((who = json_str(o, "customer_id")) == NULL)
			continue;
		if ((f = cJSON_GetObjectItemCaseSensitive(figures, who)) == NULL) {
			f = cJSON_CreateObject();
			json_set_int(f, "orders", 0);
			json_set_int(f, "spent", 0);
			cJSON_AddItemToObject(figures, who, f);
		}
		json_set_int(f, "orders", json_int(f, "orders", 0) + 1);
		if (strcmp(str_or(o, "status", ""), "canceled") != 0)
			json_set_int(f, "spent", json_int(f, "spent", 0) + money_or_zero(o, "total"));
		if (json_str(f, "currency") == NULL && json_str(o, "currency_code") != NULL)
			json_set_str(f, "currency", json_str(o, "currency_code"));
	}
}

cJSON *
medusa_map_customer(const cJSON *c, const cJSON *figures)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(c, "metadata"), *a, *addr = NULL, *f;
	const char *level = str_or(meta, "level", str_or(meta, "tier", "normal"));
	long long version = -1;
	cJSON *out;
	char code[8];

	if (json_str(c, "id") == NULL)
		return NULL;
	out = cJSON_CreateObject();
	json_set_str(out, "id", json_str(c, "id"));
	set_name(out, "name", c);
	json_set_str(out, "phone", str_or(c, "phone", ""));
	json_set_str(out, "email", str_or(c, "email", ""));
	if (strcmp(level, "gold") != 0 && strcmp(level, "diamond") != 0)
		level = "normal";
	json_set_str(out, "level", level);
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(c, "addresses"))
		if (addr == NULL || json_bool(a, "is_default_shipping"))
			addr = a;
	json_set_str(out, "city", str_or(addr, "city", ""));
	f = cJSON_GetObjectItemCaseSensitive(figures, json_str(c, "id"));
	json_set_int(out, "orders_count", json_int(f, "orders", 0));
	json_set_int(out, "total_spent", json_int(f, "spent", 0));
	medusa_currency(str_or(f, "currency", "cny"), code);
	json_set_str(out, "currency", code);
	newer(&version, c, "updated_at");
	set_stamp(out, c, version);
	return out;
}

cJSON *
medusa_map_user(const cJSON *u, const char *role)
{
	long long version = -1;
	cJSON *out;

	if (json_str(u, "id") == NULL)
		return NULL;
	out = cJSON_CreateObject();
	json_set_str(out, "id", json_str(u, "id"));
	json_set_str(out, "login", str_or(u, "email", json_str(u, "id")));
	set_name(out, "name", u);
	json_set_str(out, "role", role != NULL ? role : "admin");
	json_set_bool(out, "online", 0);
	json_set(out, "queues", cJSON_CreateArray());
	newer(&version, u, "updated_at");
	set_stamp(out, u, version);
	return out;
}
