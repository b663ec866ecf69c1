/*
 * actions-catalog.c -- catalog actions: SKU stock and thresholds, products
 * and SKUs (create, edit, delete, price with its history), the shelf now or
 * at a time, and promotions (create, edit, schedule, activate, end).
 *
 * promo_kinds (catalog-rules.h, shared with the client) is the single truth
 * for a kind of promotion: which rules it takes with their ranges and how
 * many SKUs it needs. A promotion is always
 * validated whole (after merging an edit), so an edit cannot leave it in a
 * state a create would refuse. Flash sales may not overlap another scheduled
 * or active flash sale on a shared SKU: that mistake costs real money.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "catalog-rules.h"
#include "model.h"
#include "server/actions-internal.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

static const char *const adjust_reasons[] = {
	"inbound", "sale", "return", "damage", "count", NULL
};

static const char *const shelf_states[] = { "on", "off", NULL };

/* Members a client may give a promotion; the rest belong to the server. */
static const char *const promo_fields[] = {
	"name", "kind", "starts_at", "ends_at", "rules", "limits",
	"sku_ids", NULL
};
static const char *const promo_limits[] = {
	"budget", "per_customer", "stock", NULL
};
static const char *const member_levels[] = {
	"normal", "gold", "diamond", NULL
};

#define MONEY_MAX	100000000000LL	/* a billion yuan in fen */
#define PROMO_NAME_MAX	60

/* A promotion's rules by kind: promo_kinds[] (catalog-rules.h), the client's too. */

void
sku_movement_add(struct action_ctx *ctx, cJSON *sku, long long delta, const char *reason,
    const char *ref)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(sku, "movements"), *m;

	if (!cJSON_IsArray(list)) {
		cJSON_DeleteItemFromObjectCaseSensitive(sku, "movements");
		list = cJSON_AddArrayToObject(sku, "movements");
	}
	m = cJSON_CreateObject();
	json_set_str(m, "at", ctx->now_s);
	json_set_str(m, "by", ctx->who->id);
	json_set_int(m, "delta", delta);
	json_set_str(m, "reason", reason);
	json_set_int(m, "stock", json_int(sku, "stock", 0));
	if (ref != NULL)
		json_set_str(m, "ref", ref);
	cJSON_InsertItemInArray(list, 0, m);
	while (cJSON_GetArraySize(list) > SKU_MOVEMENTS_MAX)
		cJSON_DeleteItemFromArray(list, cJSON_GetArraySize(list) - 1);
}

int
sku_adjust(struct action_ctx *ctx)
{
	long long delta, stock, reserved;
	const char *reason;
	cJSON *adj;

	if (act_int(ctx, "delta", 1, &delta) != 0 ||
	    act_enum(ctx, "reason", adjust_reasons, 1, &reason) != 0)
		return -1;
	if (delta == 0)
		return act_invalid(ctx, "delta", "delta must not be zero");
	stock = json_int(ctx->obj, "stock", 0);
	reserved = json_int(ctx->obj, "reserved", 0);
	if (stock + delta < reserved) {
		act_invalid(ctx, "delta", "stock cannot go below the %lld "
		    "reserved; delta must be at least %lld", reserved,
		    reserved - stock);
		return act_detail(ctx, "min_delta",
		    cJSON_CreateNumber((double)(reserved - stock)));
	}
	json_set_int(ctx->obj, "stock", stock + delta);
	adj = cJSON_CreateObject();
	json_set_str(adj, "at", ctx->now_s);
	json_set_str(adj, "by", ctx->who->id);
	json_set_int(adj, "delta", delta);
	json_set_str(adj, "reason", reason);
	json_set(ctx->obj, "last_adjustment", adj);
	sku_movement_add(ctx, ctx->obj, delta, reason, NULL);
	return 0;
}

int
sku_threshold(struct action_ctx *ctx)
{
	long long n;

	if (act_int(ctx, "threshold", 1, &n) != 0)
		return -1;
	if (n < 0)
		return act_invalid(ctx, "threshold", "threshold must be 0 or "
		    "more");
	json_set_int(ctx->obj, "low_stock_threshold", n);
	return 0;
}

static int
promo_check_tiers(struct action_ctx *ctx, const cJSON *tiers,
    const struct promo_rule *r)
{
	long long threshold, off, last = 0;
	const cJSON *t;
	int n = 0;

	if (!cJSON_IsArray(tiers) || cJSON_GetArraySize(tiers) < r->min ||
	    cJSON_GetArraySize(tiers) > r->max)
		return act_invalid(ctx, "rules.tiers", "rules.tiers must be a "
		    "list of %lld to %lld tiers {threshold, off}", r->min,
		    r->max);
	cJSON_ArrayForEach(t, tiers) {
		threshold = off = 0;
		if (!cJSON_IsObject(t) ||
		    act_int_in(ctx, t, "rules.tiers[].", "threshold", 1,
		    &threshold) != 0 ||
		    act_int_in(ctx, t, "rules.tiers[].", "off", 1, &off) != 0)
			return cJSON_IsObject(t) ? -1 : act_invalid(ctx,
			    "rules.tiers", "each tier must be {threshold, "
			    "off}");
		if (off < 1 || threshold <= off)
			return act_invalid(ctx, "rules.tiers", "tier %d: "
			    "threshold must be above off and off above 0",
			    n + 1);
		if (n > 0 && threshold <= last)
			return act_invalid(ctx, "rules.tiers", "tier "
			    "thresholds must be ascending");
		last = threshold;
		n++;
	}
	return 0;
}

/* Check p's rules against its kind. */
static int
promo_check_rules(struct action_ctx *ctx, const cJSON *p,
    const struct promo_kind *pk)
{
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(p, "rules"), *v;
	const struct promo_rule *r;
	char field[48];
	const char *s;
	long long n;

	if (!cJSON_IsObject(rules))
		return act_invalid(ctx, "rules", "rules must be an object");
	cJSON_ArrayForEach(v, rules) {
		for (r = pk->rules; r->key != NULL; r++)
			if (strcmp(r->key, v->string) == 0)
				break;
		if (r->key == NULL)
			return act_invalid(ctx, "rules", "rules.%s is not a "
			    "rule of a %s", v->string, pk->name);
	}
	for (r = pk->rules; r->key != NULL; r++) {
		snprintf(field, sizeof field, "rules.%s", r->key);
		v = cJSON_GetObjectItemCaseSensitive(rules, r->key);
		if (r->type == PROMO_RULE_CAP && (v == NULL || cJSON_IsNull(v)))
			continue;	/* uncapped */
		switch (r->type) {
		case PROMO_RULE_INT:
		case PROMO_RULE_MONEY:
		case PROMO_RULE_CAP:
			if (act_int_in(ctx, rules, "rules.", r->key, 1,
			    &n) != 0)
				return -1;
			if (n < r->min || n > r->max)
				return act_invalid(ctx, field, "%s must be "
				    "%lld to %lld", field, r->min, r->max);
			break;
		case PROMO_RULE_LEVEL:
			if (act_str_in(ctx, rules, "rules.", r->key, 1, 16,
			    &s) != 0)
				return -1;
			if (act_lookup(member_levels, s) < 0)
				return act_invalid(ctx, field, "%s must be "
				    "normal, gold or diamond", field);
			break;
		case PROMO_RULE_TIERS:
			if (promo_check_tiers(ctx, v, r) != 0)
				return -1;
			break;
		}
	}
	if (pk->off_below && json_int(rules, "off", 0) >= json_int(rules,
	    "threshold", 0))
		return act_invalid(ctx, "rules.off", "rules.off must be below "
		    "rules.threshold");
	return 0;
}

static int
promo_check_skus(struct action_ctx *ctx, const cJSON *p,
    const struct promo_kind *pk)
{
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(p, "sku_ids"), *v;
	char *json;

	if (!cJSON_IsArray(ids))
		return act_invalid(ctx, "sku_ids", "sku_ids must be a list of "
		    "sku ids");
	if (cJSON_GetArraySize(ids) < pk->sku_min)
		return act_invalid(ctx, "sku_ids", "a %s needs at least %d "
		    "sku%s in sku_ids", pk->name, pk->sku_min,
		    pk->sku_min > 1 ? "s" : "");
	cJSON_ArrayForEach(v, ids) {
		if (!cJSON_IsString(v))
			return act_invalid(ctx, "sku_ids", "sku_ids must be a "
			    "list of sku ids");
		if ((json = store_get_json(ctx->st, KIND_SKU,
		    v->valuestring)) == NULL)
			return act_invalid(ctx, "sku_ids", "sku %s does not "
			    "exist", v->valuestring);
		free(json);
	}
	return 0;
}

static int
promo_check_limits(struct action_ctx *ctx, const cJSON *p)
{
	const cJSON *limits = cJSON_GetObjectItemCaseSensitive(p, "limits"), *v;
	long long n;
	int i;

	if (!cJSON_IsObject(limits))
		return act_invalid(ctx, "limits", "limits must be an object "
		    "with budget, per_customer and stock");
	cJSON_ArrayForEach(v, limits)
		if (act_lookup(promo_limits, v->string) < 0)
			return act_invalid(ctx, "limits", "limits.%s is not a "
			    "limit; use budget, per_customer or stock",
			    v->string);
	for (i = 0; promo_limits[i] != NULL; i++) {
		n = 0;
		if (act_int_in(ctx, limits, "limits.", promo_limits[i], 0,
		    &n) != 0)
			return -1;
		if (n < 0)
			return act_invalid(ctx, "limits", "limits.%s must be 0 "
			    "(no limit) or more", promo_limits[i]);
	}
	return 0;
}

/* Parse an RFC 3339 member of p and rewrite it in canonical form. */
static int
promo_time(struct action_ctx *ctx, cJSON *p, const char *key, time_t *out)
{
	char canon[RFC3339_LEN];
	const char *s;

	if (act_str_in(ctx, p, NULL, key, 1, 40, &s) != 0)
		return -1;
	if (time_parse_rfc3339(s, out) != 0)
		return act_invalid(ctx, key, "%s must be an rfc 3339 time such "
		    "as 2026-11-22T08:15:00Z", key);
	time_format_rfc3339(*out, canon);
	json_set_str(p, key, canon);
	return 0;
}

/* Validate a whole promotion (after create or edit). */
static int
promo_validate(struct action_ctx *ctx, cJSON *p)
{
	const struct promo_kind *pk;
	const char *name, *kind;
	time_t starts, ends;
	struct buf b;
	size_t i;
	int rc;

	if (act_str_in(ctx, p, NULL, "name", 1, PROMO_NAME_MAX, &name) != 0 ||
	    act_str_in(ctx, p, NULL, "kind", 1, 32, &kind) != 0)
		return -1;
	if ((pk = promo_kind_find(kind)) == NULL) {
		buf_init(&b);
		for (i = 0; promo_kinds[i].name != NULL; i++)
			buf_addf(&b, "%s%s", i == 0 ? "" : ", ",
			    promo_kinds[i].name);
		rc = act_invalid(ctx, "kind", "kind must be one of %s",
		    buf_str(&b));
		buf_done(&b);
		return rc;
	}
	if (promo_time(ctx, p, "starts_at", &starts) != 0 ||
	    promo_time(ctx, p, "ends_at", &ends) != 0)
		return -1;
	if (!catalog_promo_dates_ok(starts, ends))
		return act_invalid(ctx, "ends_at", "ends_at must be after "
		    "starts_at");
	if (promo_check_rules(ctx, p, pk) != 0 ||
	    promo_check_skus(ctx, p, pk) != 0 ||
	    promo_check_limits(ctx, p) != 0)
		return -1;
	return 0;
}

/*
 * The id of a scheduled or active flash sale other than p whose window and
 * SKUs overlap p's, into with[24]; 0 when there is none. The rule is
 * catalog_promo_overlap(), the client's too. Scans the store's object table
 * directly (the schema of store.c): the store has no list call.
 */
static int
promo_find_overlap(struct action_ctx *ctx, const cJSON *p, char *with)
{
	struct catalog_promo cp, cq;
	sqlite3_stmt *stmt;
	cJSON *q;
	int found = 0;

	catalog_promo_read(&cp, p);
	if (cp.kind == NULL || strcmp(cp.kind, "flash_sale") != 0)
		return 0;
	if (sqlite3_prepare_v2(store_db(ctx->st), "SELECT json FROM objects "
	    "WHERE kind = ? AND deleted = 0 ORDER BY id", -1, &stmt,
	    NULL) != SQLITE_OK)
		fatal("promotions: %s", sqlite3_errmsg(store_db(ctx->st)));
	sqlite3_bind_int(stmt, 1, KIND_PROMOTION);
	while (!found && sqlite3_step(stmt) == SQLITE_ROW) {
		q = cJSON_Parse((const char *)sqlite3_column_text(stmt, 0));
		if (q == NULL)
			continue;
		catalog_promo_read(&cq, q);
		if (cq.kind != NULL && strcmp(cq.kind, "flash_sale") == 0 &&
		    catalog_promo_overlap(&cp, &cq) != NULL) {
			snprintf(with, 24, "%s", cq.id);
			found = 1;
		}
		cJSON_Delete(q);
	}
	sqlite3_finalize(stmt);
	return found;
}

static int
promo_check_overlap(struct action_ctx *ctx, const cJSON *p)
{
	cJSON *details;
	char with[24];

	if (!promo_find_overlap(ctx, p, with))
		return 0;
	details = cJSON_CreateObject();
	json_set_str(details, "with", with);
	return act_fail(ctx, 422, "overlap", details, "this flash sale "
	    "overlaps flash sale %s on a shared sku; move the window or drop "
	    "the sku", with);
}

static cJSON *
promo_dup(const cJSON *v)
{
	cJSON *copy;

	if ((copy = cJSON_Duplicate(v, 1)) == NULL)
		fatal("promotions: out of memory");
	return copy;
}

/*
 * Copy the client's members of body into p, refusing the others. Members
 * replace the old ones whole, except limits, which merges member by member
 * so an edit of the budget keeps the other limits; rules are replaced whole
 * because each kind has its own.
 */
static int
promo_merge(struct action_ctx *ctx, cJSON *p)
{
	const cJSON *v, *lv;
	cJSON *limits;

	cJSON_ArrayForEach(v, ctx->body) {
		if (act_lookup(promo_fields, v->string) < 0)
			return act_invalid(ctx, v->string, "%s is not a field "
			    "a client may set on a promotion", v->string);
	}
	cJSON_ArrayForEach(v, ctx->body) {
		limits = cJSON_GetObjectItemCaseSensitive(p, "limits");
		if (strcmp(v->string, "limits") == 0 && cJSON_IsObject(v) &&
		    cJSON_IsObject(limits)) {
			cJSON_ArrayForEach(lv, v)
				json_set(limits, lv->string, promo_dup(lv));
		} else
			json_set(p, v->string, promo_dup(v));
	}
	return 0;
}

/* Fill in absent limits with 0 (no limit). */
static void
promo_normalize(cJSON *p)
{
	cJSON *limits = cJSON_GetObjectItemCaseSensitive(p, "limits");
	int i;

	if (limits == NULL || cJSON_IsNull(limits)) {
		limits = cJSON_CreateObject();
		json_set(p, "limits", limits);
	}
	if (!cJSON_IsObject(limits))
		return;
	for (i = 0; promo_limits[i] != NULL; i++)
		if (cJSON_GetObjectItemCaseSensitive(limits,
		    promo_limits[i]) == NULL)
			json_set_int(limits, promo_limits[i], 0);
	if (cJSON_GetObjectItemCaseSensitive(p, "sku_ids") == NULL ||
	    cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(p, "sku_ids")))
		json_set(p, "sku_ids", cJSON_CreateArray());
}

int
promo_create(struct action_ctx *ctx)
{
	cJSON *p, *usage;

	p = cJSON_CreateObject();
	if (promo_merge(ctx, p) != 0)
		goto fail;
	promo_normalize(p);
	if (promo_validate(ctx, p) != 0 || promo_check_overlap(ctx, p) != 0)
		goto fail;
	store_next_id(ctx->st, KIND_PROMOTION, ctx->id);
	json_set_str(p, "id", ctx->id);
	json_set_str(p, "created_at", ctx->now_s);
	json_set_str(p, "status", "draft");
	usage = cJSON_CreateObject();
	json_set_int(usage, "redeemed", 0);
	json_set_int(usage, "orders", 0);
	json_set_int(usage, "discount_total", 0);
	json_set(p, "usage", usage);
	ctx->obj = p;
	ctx->created = 1;
	return 0;
fail:
	cJSON_Delete(p);
	return -1;
}

int
promo_edit(struct action_ctx *ctx)
{
	time_t starts;
	int moved;

	if (cJSON_GetArraySize(ctx->body) == 0)
		return act_invalid(ctx, "name", "nothing to change: give the "
		    "fields to edit");
	moved = cJSON_GetObjectItemCaseSensitive(ctx->body,
	    "starts_at") != NULL;
	if (promo_merge(ctx, ctx->obj) != 0)
		return -1;
	promo_normalize(ctx->obj);
	if (promo_validate(ctx, ctx->obj) != 0)
		return -1;
	if (moved && strcmp(json_str(ctx->obj, "status"), "scheduled") == 0 &&
	    time_parse_rfc3339(json_str(ctx->obj, "starts_at"), &starts) == 0 &&
	    !catalog_promo_ahead(starts, ctx->now))
		return act_invalid(ctx, "starts_at", "a scheduled promotion's "
		    "starts_at must stay in the future; activate it instead");
	return promo_check_overlap(ctx, ctx->obj);
}

int
promo_schedule(struct action_ctx *ctx)
{
	time_t starts;

	if (promo_validate(ctx, ctx->obj) != 0 ||
	    time_parse_rfc3339(json_str(ctx->obj, "starts_at"), &starts) != 0)
		return -1;
	if (!catalog_promo_ahead(starts, ctx->now))
		return act_invalid(ctx, "starts_at", "starts_at must be in the "
		    "future to schedule; move it or activate the promotion "
		    "now");
	if (promo_check_overlap(ctx, ctx->obj) != 0)
		return -1;
	json_set_str(ctx->obj, "status", "scheduled");
	return 0;
}

int
promo_activate(struct action_ctx *ctx)
{
	time_t ends;

	if (promo_validate(ctx, ctx->obj) != 0 ||
	    time_parse_rfc3339(json_str(ctx->obj, "ends_at"), &ends) != 0)
		return -1;
	if (!catalog_promo_ahead(ends, ctx->now))
		return act_invalid(ctx, "ends_at", "ends_at has passed; move "
		    "it before activating");
	if (promo_check_overlap(ctx, ctx->obj) != 0)
		return -1;
	json_set_str(ctx->obj, "status", "active");
	return 0;
}

int
promo_end(struct action_ctx *ctx)
{
	json_set_str(ctx->obj, "status", "ended");
	return 0;
}

/* --- products and SKUs: the catalogue a merchant edits ---------------------- */

#define PRODUCT_HISTORY_MAX	20	/* price_history entries kept per SKU */

static void	shelf_schedule_set(struct store *, const char *, time_t);

/* Text members of a product a client may set: key, min and max characters. */
static const struct text_field {
	const char	*key;
	long		 min;
	long		 max;
} product_texts[] = {
	{ "title", 1, 60 }, { "subtitle", 0, 80 }, { "brand", 0, 40 },
	{ "category", 1, 40 }, { "description", 0, 2000 }, { NULL, 0, 0 }
};

/* Copy the product text members of the body into p; required on create. */
static int
product_merge(struct action_ctx *ctx, cJSON *p, int create)
{
	const struct text_field *f;
	const cJSON *v;
	const char *s;
	int n = 0;

	const cJSON *cid = cJSON_GetObjectItemCaseSensitive(ctx->body,
	    "category_id");

	cJSON_ArrayForEach(v, ctx->body) {
		for (f = product_texts; f->key != NULL; f++)
			if (strcmp(f->key, v->string) == 0)
				break;
		if (f->key == NULL && strcmp(v->string, "category_id") != 0)
			return act_invalid(ctx, v->string, "%s is not a field a "
			    "client may set on a product; use title, subtitle, "
			    "brand, category, category_id or description",
			    v->string);
	}
	if (cid != NULL && cJSON_GetObjectItemCaseSensitive(ctx->body,
	    "category") != NULL)
		return act_invalid(ctx, "category", "give category_id or "
		    "category, not both");
	for (f = product_texts; f->key != NULL; f++) {
		if (act_str(ctx, f->key, create && (strcmp(f->key, "title") == 0 ||
		    (strcmp(f->key, "category") == 0 && cid == NULL)) ? f->min :
		    0, f->max, &s) != 0)
			return -1;
		if (s == NULL)
			continue;
		if (*s == '\0' && f->min > 0)
			return act_invalid(ctx, f->key, "%s must not be empty",
			    f->key);
		json_set_str(p, f->key, s);
		n++;
	}
	if (cid != NULL)
		n++;
	if (category_for_product(ctx, p) != 0)
		return -1;
	if (n == 0)
		return act_invalid(ctx, "title", "nothing to change: give the "
		    "fields to edit");
	return 0;
}

int
product_create(struct action_ctx *ctx)
{
	cJSON *p = cJSON_CreateObject();

	if (product_merge(ctx, p, 1) != 0) {
		cJSON_Delete(p);
		return -1;
	}
	store_next_id(ctx->st, KIND_PRODUCT, ctx->id);
	json_set_str(p, "id", ctx->id);
	json_set_str(p, "created_at", ctx->now_s);
	json_set_str(p, "shelf", "off");
	json_set(p, "sku_ids", cJSON_CreateArray());
	ctx->obj = p;
	ctx->created = 1;
	return 0;
}

/* A new title reaches the SKUs' product_title. */
int
product_edit(struct action_ctx *ctx)
{
	const cJSON *ids, *v;
	cJSON *sku;

	if (product_merge(ctx, ctx->obj, 0) != 0)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(ctx->body, "title") == NULL)
		return 0;
	ids = cJSON_GetObjectItemCaseSensitive(ctx->obj, "sku_ids");
	cJSON_ArrayForEach(v, ids) {
		if (!cJSON_IsString(v) || (sku = store_get(ctx->st, KIND_SKU,
		    v->valuestring)) == NULL)
			continue;
		json_set_str(sku, "product_title", json_str(ctx->obj, "title"));
		act_put_other(ctx, KIND_SKU, sku);
		cJSON_Delete(sku);
	}
	return 0;
}

/*
 * Refuse to delete a product that open orders name: the orders would lose
 * what they sell. Scans the orders (the store has no index by SKU).
 */
static int
product_check_orders(struct action_ctx *ctx)
{
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(ctx->obj,
	    "sku_ids"), *it, *v;
	cJSON *o, *list, *details;
	sqlite3_stmt *stmt;
	int n = 0, hit;

	if (cJSON_GetArraySize(ids) == 0)
		return 0;
	if (sqlite3_prepare_v2(store_db(ctx->st), "SELECT json FROM objects "
	    "WHERE kind = ? AND deleted = 0 AND json_extract(json, '$.status') "
	    "IN ('pending_payment', 'awaiting_shipment') ORDER BY id", -1,
	    &stmt, NULL) != SQLITE_OK)
		fatal("products: %s", sqlite3_errmsg(store_db(ctx->st)));
	sqlite3_bind_int(stmt, 1, KIND_ORDER);
	list = cJSON_CreateArray();
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if ((o = cJSON_Parse((const char *)sqlite3_column_text(stmt,
		    0))) == NULL)
			continue;
		hit = 0;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o,
		    "items")) {
			cJSON_ArrayForEach(v, ids)
				if (cJSON_IsString(v) && json_str(it,
				    "sku_id") != NULL && strcmp(json_str(it,
				    "sku_id"), v->valuestring) == 0)
					hit = 1;
		}
		if (hit && n++ < 10)
			cJSON_AddItemToArray(list,
			    cJSON_CreateString(json_str(o, "id")));
		cJSON_Delete(o);
	}
	sqlite3_finalize(stmt);
	if (n == 0) {
		cJSON_Delete(list);
		return 0;
	}
	details = cJSON_CreateObject();
	json_set(details, "orders", list);
	json_set_int(details, "count", n);
	return act_fail(ctx, 422, "open_orders", details, "product %s is in %d "
	    "open order%s (%s%s); ship or cancel %s first, or take it off the "
	    "shelf instead", ctx->id, n, n > 1 ? "s" : "",
	    cJSON_GetArrayItem(list, 0)->valuestring, n > 1 ? ", ..." : "",
	    n > 1 ? "them" : "it");
}

/* A product goes with its SKUs. */
int
product_delete(struct action_ctx *ctx)
{
	const cJSON *v;

	if (product_check_orders(ctx) != 0)
		return -1;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(ctx->obj,
	    "sku_ids"))
		if (cJSON_IsString(v))
			store_delete(ctx->st, KIND_SKU, v->valuestring);
	shelf_schedule_set(ctx->st, ctx->id, 0);
	ctx->deleted = 1;
	return 0;
}

/* The attributes (specification values) of a SKU: an object of strings. */
static int
sku_check_attributes(struct action_ctx *ctx, const cJSON *attrs)
{
	const cJSON *v;
	long len;

	if (!cJSON_IsObject(attrs) || cJSON_GetArraySize(attrs) == 0 ||
	    cJSON_GetArraySize(attrs) > 5)
		return act_invalid(ctx, "attributes", "attributes must be an "
		    "object of 1 to 5 specifications such as {\"colour\":"
		    "\"red\",\"size\":\"M\"}");
	cJSON_ArrayForEach(v, attrs) {
		len = act_utf8_len(v->string);
		if (len < 1 || len > 20 || !cJSON_IsString(v) ||
		    (len = act_utf8_len(v->valuestring)) < 1 || len > 40)
			return act_invalid(ctx, "attributes", "attributes.%s "
			    "must be a text of 1 to 40 characters under a name "
			    "of 1 to 20", v->string);
	}
	return 0;
}

/* Whether two attribute objects name the same specification values. */
static int
sku_same_attributes(const cJSON *a, const cJSON *b)
{
	const cJSON *v;
	const char *w;

	if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
		return 0;
	cJSON_ArrayForEach(v, a) {
		if ((w = json_str(b, v->string)) == NULL ||
		    !cJSON_IsString(v) || strcmp(w, v->valuestring) != 0)
			return 0;
	}
	return 1;
}

/* Refuse a SKU whose attributes another SKU of the product already has. */
static int
sku_check_unique(struct action_ctx *ctx, const cJSON *product,
    const char *self, const cJSON *attrs)
{
	const cJSON *v;
	cJSON *other, *details;
	int same;

	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(product,
	    "sku_ids")) {
		if (!cJSON_IsString(v) || (self != NULL &&
		    strcmp(self, v->valuestring) == 0) ||
		    (other = store_get(ctx->st, KIND_SKU,
		    v->valuestring)) == NULL)
			continue;
		same = sku_same_attributes(attrs,
		    cJSON_GetObjectItemCaseSensitive(other, "attributes"));
		cJSON_Delete(other);
		if (same) {
			details = cJSON_CreateObject();
			json_set_str(details, "field", "attributes");
			json_set_str(details, "with", v->valuestring);
			return act_fail(ctx, 422, "duplicate", details, "sku %s "
			    "of product %s already has these specifications; "
			    "change a value or edit that sku", v->valuestring,
			    json_str(product, "id"));
		}
	}
	return 0;
}

/* The SKU members a client may set; money in fen, weight in grams. */
static const char *const sku_fields[] = {
	"product_id", "title", "attributes", "sku_code", "barcode", "price",
	"original_price", "cost", "weight", NULL
};

/* Merge the body's SKU members into s (create: all; edit: not price). */
static int
sku_merge(struct action_ctx *ctx, cJSON *s, int create)
{
	static const char *const money[] = { "original_price", "cost", NULL };
	const cJSON *v;
	const char *t;
	long long n;
	int i, k = 0;

	cJSON_ArrayForEach(v, ctx->body) {
		if (act_lookup(sku_fields, v->string) < 0 || (!create &&
		    (strcmp(v->string, "product_id") == 0 ||
		    strcmp(v->string, "price") == 0)))
			return act_invalid(ctx, v->string, "%s is not a field "
			    "a client may %s on a sku%s", v->string, create ?
			    "set" : "edit", strcmp(v->string, "price") == 0 ?
			    "; change a price with POST /v1/skus/{id}/price" :
			    "");
		k++;
	}
	if (k == 0)
		return act_invalid(ctx, "title", "nothing to change: give the "
		    "fields to edit");
	if ((v = cJSON_GetObjectItemCaseSensitive(ctx->body,
	    "attributes")) != NULL) {
		if (sku_check_attributes(ctx, v) != 0)
			return -1;
		json_set(s, "attributes", cJSON_Duplicate(v, 1));
	} else if (create)
		return act_invalid(ctx, "attributes", "attributes is required");
	if (act_str(ctx, "title", 0, 60, &t) != 0)
		return -1;
	if (t != NULL)
		json_set_str(s, "title", t);
	if (act_str(ctx, "sku_code", 0, 40, &t) != 0)
		return -1;
	if (t != NULL)
		json_set_str(s, "sku_code", t);
	if (act_str(ctx, "barcode", 0, 32, &t) != 0)
		return -1;
	if (t != NULL)
		json_set_str(s, "barcode", t);
	if (create) {
		if (act_int(ctx, "price", 1, &n) != 0)
			return -1;
		if (n < 1 || n > MONEY_MAX)
			return act_invalid(ctx, "price", "price must be 1 to "
			    "%lld fen", MONEY_MAX);
		json_set_int(s, "price", n);
	}
	for (i = 0; money[i] != NULL; i++) {
		n = -1;
		if (act_int(ctx, money[i], 0, &n) != 0)
			return -1;
		if (n == -1 && cJSON_GetObjectItemCaseSensitive(ctx->body,
		    money[i]) == NULL)
			continue;
		if (n < 0 || n > MONEY_MAX)
			return act_invalid(ctx, money[i], "%s must be 0 to "
			    "%lld fen", money[i], MONEY_MAX);
		json_set_int(s, money[i], n);
	}
	n = -1;
	if (act_int(ctx, "weight", 0, &n) != 0)
		return -1;
	if (n != -1 || cJSON_GetObjectItemCaseSensitive(ctx->body,
	    "weight") != NULL) {
		if (n < 0 || n > 1000000)
			return act_invalid(ctx, "weight", "weight must be 0 to "
			    "1000000 grams");
		json_set_int(s, "weight", n);
	}
	return 0;
}

/* A title from the attribute values when none is given: "red / M". */
static void
sku_default_title(cJSON *s)
{
	const cJSON *v;
	struct buf b;

	if (json_str(s, "title") != NULL)
		return;
	buf_init(&b);
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(s,
	    "attributes"))
		buf_addf(&b, "%s%s", b.len > 0 ? " / " : "", v->valuestring);
	json_set_str(s, "title", buf_str(&b));
	buf_done(&b);
}

int
sku_create(struct action_ctx *ctx)
{
	cJSON *s = cJSON_CreateObject(), *p = NULL;
	const char *pid;

	if (act_str(ctx, "product_id", 1, 24, &pid) != 0)
		goto fail;
	if ((p = store_get(ctx->st, KIND_PRODUCT, pid)) == NULL) {
		act_invalid(ctx, "product_id", "product %s does not exist",
		    pid);
		goto fail;
	}
	if (sku_merge(ctx, s, 1) != 0 || sku_check_unique(ctx, p, NULL,
	    cJSON_GetObjectItemCaseSensitive(s, "attributes")) != 0)
		goto fail;
	store_next_id(ctx->st, KIND_SKU, ctx->id);
	json_set_str(s, "id", ctx->id);
	json_set_str(s, "created_at", ctx->now_s);
	json_set_str(s, "product_id", pid);
	json_set_str(s, "product_title", json_str(p, "title"));
	sku_default_title(s);
	json_set_str(s, "currency", "CNY");
	json_set_int(s, "stock", 0);
	json_set_int(s, "reserved", 0);
	json_set_int(s, "low_stock_threshold", 10);
	json_set_str(s, "shelf", json_str(p, "shelf") != NULL ?
	    json_str(p, "shelf") : "off");
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(p, "sku_ids"),
	    cJSON_CreateString(ctx->id));
	act_put_other(ctx, KIND_PRODUCT, p);
	cJSON_Delete(p);
	ctx->obj = s;
	ctx->created = 1;
	return 0;
fail:
	cJSON_Delete(p);
	cJSON_Delete(s);
	return -1;
}

int
sku_edit(struct action_ctx *ctx)
{
	cJSON *p;
	int rc = 0;

	if (sku_merge(ctx, ctx->obj, 0) != 0)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(ctx->body, "attributes") !=
	    NULL && (p = store_get(ctx->st, KIND_PRODUCT, json_str(ctx->obj,
	    "product_id"))) != NULL) {
		rc = sku_check_unique(ctx, p, ctx->id,
		    cJSON_GetObjectItemCaseSensitive(ctx->obj, "attributes"));
		cJSON_Delete(p);
	}
	return rc;
}

/*
 * A price change, kept in price_history (newest last, the last 20). Below
 * the SKU's cost it needs below_cost: true, which the client sends only
 * after the merchant confirmed the loss.
 */
int
sku_price(struct action_ctx *ctx)
{
	long long price, old, cost;
	int below;
	cJSON *hist, *e, *details;

	if (act_int(ctx, "price", 1, &price) != 0 ||
	    act_bool(ctx, "below_cost", 0, &below) != 0)
		return -1;
	if (price < 1 || price > MONEY_MAX)
		return act_invalid(ctx, "price", "price must be 1 to %lld fen",
		    MONEY_MAX);
	old = json_int(ctx->obj, "price", 0);
	cost = json_int(ctx->obj, "cost", 0);
	if (price == old)
		return act_invalid(ctx, "price", "the price is already %lld "
		    "fen", price);
	if (catalog_below_cost(price, cost) && !below) {
		details = cJSON_CreateObject();
		json_set_str(details, "field", "price");
		json_set_int(details, "cost", cost);
		json_set_int(details, "price", price);
		return act_fail(ctx, 422, "below_cost", details, "price %lld "
		    "is below the cost %lld of sku %s; send below_cost: true "
		    "to sell at a loss", price, cost, ctx->id);
	}
	json_set_int(ctx->obj, "price", price);
	hist = cJSON_GetObjectItemCaseSensitive(ctx->obj, "price_history");
	if (!cJSON_IsArray(hist)) {
		hist = cJSON_CreateArray();
		json_set(ctx->obj, "price_history", hist);
	}
	e = cJSON_CreateObject();
	json_set_str(e, "at", ctx->now_s);
	json_set_str(e, "by", ctx->who->id);
	json_set_int(e, "from", old);
	json_set_int(e, "to", price);
	cJSON_AddItemToArray(hist, e);
	while (cJSON_GetArraySize(hist) > PRODUCT_HISTORY_MAX)
		cJSON_DeleteItemFromArray(hist, 0);
	return 0;
}

/* --- the shelf, now or at a time ------------------------------------------- */

/*
 * Pending shelf changes, one per product, in a table of their own so that
 * finding the due ones is an index lookup, not a scan of the products: the
 * store looks before it answers each request (actions_catalog_due).
 */
static void
shelf_table(struct store *st)
{
	char *err = NULL;

	if (sqlite3_exec(store_db(st), "CREATE TABLE IF NOT EXISTS "
	    "shelf_schedule (product_id TEXT PRIMARY KEY, at INTEGER NOT NULL);"
	    "CREATE INDEX IF NOT EXISTS shelf_schedule_at ON "
	    "shelf_schedule(at)", NULL, NULL, &err) != SQLITE_OK)
		fatal("shelf_schedule: %s", err);
}

/* Remember (at > 0) or forget (at == 0) product id's pending change. */
static void
shelf_schedule_set(struct store *st, const char *id, time_t at)
{
	sqlite3_stmt *stmt;

	shelf_table(st);
	if (sqlite3_prepare_v2(store_db(st), at > 0 ? "INSERT OR REPLACE INTO "
	    "shelf_schedule (product_id, at) VALUES (?, ?)" : "DELETE FROM "
	    "shelf_schedule WHERE product_id = ?", -1, &stmt,
	    NULL) != SQLITE_OK)
		fatal("shelf_schedule: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
	if (at > 0)
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)at);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		fatal("shelf_schedule: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_finalize(stmt);
}

/*
 * Why product p cannot go on the shelf, or NULL (the client's rule too:
 * catalog-rules.h): it has no SKU, a SKU has no price, or none has stock
 * beyond what is reserved. Caller frees.
 */
static char *
product_unsellable(struct store *st, const cJSON *p)
{
	struct catalog_sku *skus;
	enum catalog_shelf_rule r;
	const cJSON *v;
	cJSON **held;
	char *why = NULL;
	size_t n = 0, i, cap;

	cap = (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "sku_ids")) + 1;
	skus = xcalloc(cap, sizeof *skus);
	held = xcalloc(cap, sizeof *held);
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(p, "sku_ids")) {
		if (!cJSON_IsString(v) || (held[n] = store_get(st, KIND_SKU,
		    v->valuestring)) == NULL)
			continue;
		skus[n].id = v->valuestring;
		skus[n].known = 1;
		skus[n].price = json_int(held[n], "price", 0);
		skus[n].stock = json_int(held[n], "stock", 0);
		skus[n].reserved = json_int(held[n], "reserved", 0);
		n++;
	}
	if ((r = catalog_shelf_check(skus, n, &i)) != CATALOG_SELLABLE)
		why = catalog_shelf_reason(r, json_str(p, "id"), n > 0 ? skus[i].id : NULL);
	for (i = 0; i < n; i++)
		cJSON_Delete(held[i]);
	free(held);
	free(skus);
	return why;
}

/*
 * Mirror p's shelf (when shelf is not NULL) and its scheduled_shelf onto its
 * SKUs, so that a list of SKUs shows both; each a change of that SKU.
 */
static void
shelf_mirror(struct store *st, cJSON *p, const char *shelf)
{
	const cJSON *v, *sched;
	cJSON *sku;

	if (shelf != NULL)
		json_set_str(p, "shelf", shelf);
	sched = cJSON_GetObjectItemCaseSensitive(p, "scheduled_shelf");
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(p, "sku_ids")) {
		if (!cJSON_IsString(v) || (sku = store_get(st, KIND_SKU,
		    v->valuestring)) == NULL)
			continue;
		if (shelf != NULL)
			json_set_str(sku, "shelf", shelf);
		if (cJSON_IsObject(sched))
			json_set(sku, "scheduled_shelf", cJSON_Duplicate(sched, 1));
		else if (cJSON_GetObjectItemCaseSensitive(sku,
		    "scheduled_shelf") != NULL)
			json_set_null(sku, "scheduled_shelf");
		store_put(st, KIND_SKU, v->valuestring, sku);
		cJSON_Delete(sku);
	}
}

int
product_is_scheduled(const cJSON *p)
{
	return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(p,
	    "scheduled_shelf"));
}

int
product_shelf(struct action_ctx *ctx)
{
	char canon[RFC3339_LEN], *why;
	const char *shelf, *at_s;
	cJSON *sched, *details;
	time_t at;

	if (act_enum(ctx, "shelf", shelf_states, 1, &shelf) != 0 ||
	    act_str(ctx, "at", 0, 40, &at_s) != 0)
		return -1;
	if (at_s != NULL && time_parse_rfc3339(at_s, &at) != 0)
		return act_invalid(ctx, "at", "at must be an rfc 3339 time such "
		    "as 2026-11-22T02:00:00Z");
	if (at_s != NULL && at <= ctx->now)
		return act_invalid(ctx, "at", "at must be in the future; leave "
		    "it out to change the shelf now");
	/* Checked now as well as when it happens: say so while it can be fixed. */
	if (strcmp(shelf, "on") == 0 &&
	    (why = product_unsellable(ctx->st, ctx->obj)) != NULL) {
		details = cJSON_CreateObject();
		json_set_str(details, "reason", why);
		act_fail(ctx, 422, "not_sellable", details, "cannot put %s on "
		    "the shelf: %s", ctx->id, why);
		free(why);
		return -1;
	}
	if (at_s != NULL) {
		time_format_rfc3339(at, canon);
		sched = cJSON_CreateObject();
		json_set_str(sched, "shelf", shelf);
		json_set_str(sched, "at", canon);
		json_set_str(sched, "by", ctx->who->id);
		json_set(ctx->obj, "scheduled_shelf", sched);
		shelf_schedule_set(ctx->st, ctx->id, at);
		shelf_mirror(ctx->st, ctx->obj, NULL);
		return 0;
	}
	/* A change now replaces a pending one. */
	if (product_is_scheduled(ctx->obj)) {
		json_set_null(ctx->obj, "scheduled_shelf");
		shelf_schedule_set(ctx->st, ctx->id, 0);
	}
	shelf_mirror(ctx->st, ctx->obj, shelf);
	return 0;
}

int
product_unschedule(struct action_ctx *ctx)
{
	json_set_null(ctx->obj, "scheduled_shelf");
	shelf_schedule_set(ctx->st, ctx->id, 0);
	shelf_mirror(ctx->st, ctx->obj, NULL);
	return 0;
}

/*
 * Carry out the shelf changes that are due. A product that can no longer
 * go on the shelf stays off, and last_scheduled says why.
 */
void
actions_catalog_due(struct store *st)
{
	const char *shelf;
	sqlite3_stmt *stmt;
	cJSON *ids, *v, *p, *sched, *last;
	char *why, shelf_s[8];
	time_t now = store_now(st);

	store_lock(st);
	shelf_table(st);
	if (sqlite3_prepare_v2(store_db(st), "SELECT product_id FROM "
	    "shelf_schedule WHERE at <= ? ORDER BY at, product_id", -1, &stmt,
	    NULL) != SQLITE_OK)
		fatal("shelf_schedule: %s", sqlite3_errmsg(store_db(st)));
	sqlite3_bind_int64(stmt, 1, (sqlite3_int64)now);
	ids = cJSON_CreateArray();
	while (sqlite3_step(stmt) == SQLITE_ROW)
		cJSON_AddItemToArray(ids, cJSON_CreateString(
		    (const char *)sqlite3_column_text(stmt, 0)));
	sqlite3_finalize(stmt);
	if (cJSON_GetArraySize(ids) == 0)
		goto out;
	store_begin(st);
	cJSON_ArrayForEach(v, ids) {
		shelf_schedule_set(st, v->valuestring, 0);
		if ((p = store_get(st, KIND_PRODUCT, v->valuestring)) == NULL)
			continue;
		sched = cJSON_GetObjectItemCaseSensitive(p, "scheduled_shelf");
		shelf = json_str(sched, "shelf");
		if (shelf == NULL) {
			cJSON_Delete(p);
			continue;
		}
		/* sched goes below; keep its shelf. */
		snprintf(shelf_s, sizeof shelf_s, "%s", shelf);
		shelf = shelf_s;
		last = cJSON_CreateObject();
		json_set_str(last, "shelf", shelf);
		json_set_str(last, "at", json_str(sched, "at"));
		json_set_str(last, "by", json_str(sched, "by"));
		why = strcmp(shelf, "on") == 0 ? product_unsellable(st, p) :
		    NULL;
		json_set_str(last, "result", why == NULL ? "done" : "refused");
		if (why != NULL)
			json_set_str(last, "reason", why);
		json_set(p, "last_scheduled", last);
		json_set_null(p, "scheduled_shelf");
		shelf_mirror(st, p, why == NULL ? shelf : NULL);
		free(why);
		store_put(st, KIND_PRODUCT, v->valuestring, p);
		cJSON_Delete(p);
	}
	store_commit(st);
out:
	cJSON_Delete(ids);
	store_unlock(st);
}
