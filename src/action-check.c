/*
 * action-check.c -- an action checked against the cached objects, as the
 * store would check it: an abnormal order is not shipped, a refund stays
 * within what is left to refund on the order, stock never drops below what
 * is reserved, a promotion is valid as a whole (its name, window, rules for
 * its kind, SKUs) and a flash sale does not overlap another on a SKU.
 *
 * What depends only on what was typed fails with SD_EUSAGE; what depends on
 * the object's state with SD_EREFUSED; objects named but not cached with
 * SD_ENOTFOUND; the role with SD_EAUTH.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action-internal.h"
#include "action.h"
#include "cache-query.h"
#include "caps.h"
#include "catalog-rules.h"
#include "outbox.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/* A promotion's rules by kind: promo_kinds[] (catalog-rules.h), the store's too. */

/* --- checks --------------------------------------------------------------------------- */

enum sd_status
action_check_ship(struct action_ctx *ctx)
{
	const cJSON *ab = cJSON_GetObjectItemCaseSensitive(ctx->obj, "abnormal");
	char *reason, *note;
	enum sd_status st;

	if (!cJSON_IsObject(ab))
		return SD_OK;
	reason = text_clip(json_str(ab, "reason") ? json_str(ab, "reason") : "?");
	note = text_clip(json_str(ab, "note") ? json_str(ab, "note") : "");
	st = action_fail(ctx, SD_EREFUSED, "order %s is flagged abnormal (%s%s%s); resolve it and run "
	    "'shopdesk orders unflag %s' before shipping", ctx->id, reason, *note ? ": " : "",
	    note, ctx->id);
	free(reason);
	free(note);
	return st;
}

/* An order other than self with tracking number t, found by the search. */
struct tracking_use {
	const char	*t, *self;
	char		*with;
};

static int
on_tracking(void *arg, const char *json)
{
	struct tracking_use *u = arg;
	cJSON *o = cJSON_Parse(json);
	const char *id = json_str(o, "id"), *t = json_str(json_path(o, "shipment"), "tracking_no");

	if (id != NULL && t != NULL && strcasecmp(t, u->t) == 0 && strcmp(id, u->self) != 0)
		u->with = xstrdup(id);
	cJSON_Delete(o);
	return u->with != NULL;
}

/*
 * A waybill can be corrected until the carrier scans the parcel; the new
 * tracking number must be a different one, and no other cached order's
 * (the store checks all of its orders; the cache may not hold them all).
 */
enum sd_status
action_check_correct(struct action_ctx *ctx)
{
	const cJSON *ship = json_path(ctx->obj, "shipment");
	const char *t = json_str(ctx->body, "tracking_no"), *old, *at;
	struct tracking_use u;
	struct query q;
	char *next = NULL, *after = NULL, *why = NULL;
	enum sd_status st = SD_OK;

	if ((at = json_str(ship, "picked_up_at")) != NULL) {
		why = text_clip(at);
		st = action_fail(ctx, SD_EREFUSED, "the carrier picked up order %s's parcel at %s; "
		    "its waybill can no longer be corrected", ctx->id, why);
		free(why);
		return st;
	}
	if (t == NULL)
		return SD_OK;
	if ((old = json_str(ship, "tracking_no")) != NULL && strcasecmp(old, t) == 0)
		return action_fail(ctx, SD_EUSAGE, "%s is already order %s's tracking number; "
		    "give the corrected one", t, ctx->id);
	memset(&u, 0, sizeof u);
	u.t = t;
	u.self = ctx->id;
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = t;
	do {
		q.after = after;
		q.limit = 500;
		if (cache_query(ctx->cache, &q, on_tracking, &u, &next, &why) != 0) {
			st = action_fail(ctx, SD_ECACHE, "%s", why);
			free(why);
			next = NULL;
		}
		free(after);
		after = next;
	} while (after != NULL && u.with == NULL);
	free(after);
	if (st == SD_OK && u.with != NULL)
		st = action_fail(ctx, SD_EREFUSED, "tracking number %s is order %s's shipment; "
		    "check the label", t, u.with);
	free(u.with);
	return st;
}

enum sd_status
action_check_address(struct action_ctx *ctx)
{
	static const char *const keys[] = { "name", "phone", "province", "city", "district",
	    "line", NULL };
	cJSON *in = cJSON_GetObjectItemCaseSensitive(ctx->body, "address");
	const cJSON *old = cJSON_GetObjectItemCaseSensitive(ctx->obj, "address");
	const char *v;
	char label[64];
	int i, given;

	if (!cJSON_IsObject(in))
		return action_fail(ctx, SD_EUSAGE, "give what changes: --name, --phone, --province, "
		    "--city, --district or --line");
	/* The contract replaces the whole address: fill in what was not given. */
	for (i = 0; keys[i] != NULL; i++) {
		given = (v = json_str(in, keys[i])) != NULL;
		if (!given)
			v = json_str(old, keys[i]);
		action_field_label(ctx, keys[i], label, sizeof label);
		if (!given && v != NULL && (strchr(v, '*') != NULL || *v == '\0') &&
		    (strcmp(keys[i], "phone") == 0 || strcmp(keys[i], "line") == 0))
			return action_fail(ctx, SD_EUSAGE, "give %s too: the cached %s is masked for "
			    "your role, and the store needs the whole address", label, keys[i]);
		if (v == NULL || *v == '\0')
			return action_fail(ctx, SD_EUSAGE, "give %s: the address has none", label);
		if (strcmp(keys[i], "phone") == 0 && strspn(v, "0123456789") != strlen(v))
			return action_fail(ctx, SD_EUSAGE, "%s must be 5 to 20 digits", label);
		if (!given)
			json_set_str(in, keys[i], v);
	}
	return SD_OK;
}

/* Fen still refundable on an order. */
static long long
refundable(const cJSON *order)
{
	long long r = json_int(order, "paid_amount", 0) - json_int(order, "refunded_amount", 0);

	return r > 0 ? r : 0;
}

enum sd_status
action_check_ticket_create(struct action_ctx *ctx)
{
	const char *oid = json_str(ctx->body, "order_id");
	long long amount = json_int(ctx->body, "requested_amount", 0), max;
	char *a, *m;
	cJSON *order;
	enum sd_status st = SD_OK;

	if ((order = action_cached(ctx, KIND_ORDER, oid)) == NULL)
		return action_not_cached(ctx, KIND_ORDER, oid);
	if (amount > (max = refundable(order))) {
		a = action_money_text(amount);
		m = action_money_text(max);
		st = action_fail(ctx, SD_EREFUSED, "a request of %s is more than the %s still refundable "
		    "on order %s", a, m, oid);
		free(a);
		free(m);
	}
	cJSON_Delete(order);
	return st;
}

void
action_ticket_money(struct cache *c, const cJSON *t, struct ticket_money *m)
{
	const char *oid = json_str(t, "order_id"), *s;
	const cJSON *rq = json_path(t, "refund_request");
	char *json = oid != NULL ? cache_get_json(c, KIND_ORDER, oid) : NULL;
	cJSON *order = json != NULL ? cJSON_Parse(json) : NULL;

	memset(m, 0, sizeof *m);
	free(json);
	if (order != NULL) {
		m->order_known = 1;
		m->paid = json_int(order, "paid_amount", 0);
		m->refunded = json_int(order, "refunded_amount", 0);
		m->refundable = refundable(order);
		cJSON_Delete(order);
	}
	m->requested = json_int(t, "requested_amount", 0);
	if (cJSON_IsObject(rq)) {
		m->request = json_int(rq, "amount", 0);
		if ((s = json_str(rq, "status")) != NULL)
			m->request_status = text_sanitize(s, 0);
		if ((s = json_str(rq, "requested_by")) != NULL)
			m->request_by = text_sanitize(s, 0);
	}
}

void
action_ticket_money_done(struct ticket_money *m)
{
	free(m->request_status);
	free(m->request_by);
	memset(m, 0, sizeof *m);
}

int
action_awaits_finance(const cJSON *t)
{
	const char *s = json_path_str(t, "refund_request.status");

	return s != NULL && strcmp(s, "awaiting_finance") == 0;
}

/* Whether role (-1: unknown) may complete or decline a request for finance. */
static int
refund_approver(struct action_ctx *ctx)
{
	unsigned approvers;

	if (ctx->role < 0)
		return 1;
	if (caps_refund_limit(ctx->cache, &approvers) < 0)
		approvers = (1u << ROLE_ADMIN) | (1u << ROLE_FINANCE);
	return (approvers & (1u << ctx->role)) != 0;
}

/* "张三丰", or "the buyer" when the name is not known; caller frees. */
static char *
buyer_name(const cJSON *obj)
{
	const char *n = json_str(obj, "customer_name");

	return n != NULL && *n != '\0' ? text_sanitize(n, 0) : xstrdup("the buyer");
}

/*
 * What a refund of amount on the ticket will do, for the confirmation:
 * "Refund ¥129.00 of ¥238.00 paid to 张三丰 for AS1000001 (order
 * SO10000002); ¥109.00 stays refundable", or the request that goes to
 * finance. order may be NULL (not cached).
 */
static char *
refund_confirm(struct action_ctx *ctx, const cJSON *order, long long amount)
{
	const char *oid = json_str(ctx->obj, "order_id");
	long long limit = caps_refund_limit(ctx->cache, NULL);
	char *a = action_money_text(amount), *who = buyer_name(ctx->obj), *oclean;
	struct buf b;

	oclean = text_sanitize(oid != NULL ? oid : "?", 0);
	buf_init(&b);
	buf_addf(&b, "%s %s", ctx->to_finance ? "Ask finance to refund" : "Refund", a);
	if (order != NULL) {
		buf_adds(&b, " of ");
		action_format_money(json_int(order, "paid_amount", 0), &b);
		buf_adds(&b, " paid");
	}
	buf_addf(&b, " to %s for %s (order %s)", who, ctx->id, oclean);
	if (order != NULL && !ctx->to_finance) {
		buf_adds(&b, "; ");
		action_format_money(refundable(order) - amount, &b);
		buf_adds(&b, " stays refundable");
	}
	if (ctx->to_finance) {
		buf_adds(&b, ": above ");
		action_format_money(limit, &b);
		buf_addf(&b, " your role (%s) sends it to finance, and nothing is refunded "
		    "until finance completes it", role_name((enum sd_role)ctx->role));
	}
	free(a);
	free(who);
	free(oclean);
	return buf_steal(&b);
}

/*
 * A refund: the amount given, else the one awaiting finance (for finance
 * and admin), else the one the buyer asked for, at most what is left to
 * refund on the order. Above the store's limit an agent's or operator's
 * refund goes to finance (caps_refund_to_finance); while one awaits, only
 * finance and admin may refund the ticket.
 */
enum sd_status
action_check_refund(struct action_ctx *ctx)
{
	const char *oid = json_str(ctx->obj, "order_id");
	const cJSON *given = cJSON_GetObjectItemCaseSensitive(ctx->body, "amount");
	long long amount = json_int(ctx->body, "amount", 0), max = -1;
	char *a, *m, *p, *r, *by, label[32];
	enum sd_status st = SD_OK;
	cJSON *order = NULL;

	if (action_awaits_finance(ctx->obj) && !refund_approver(ctx)) {
		a = action_money_text(json_int(json_path(ctx->obj, "refund_request"), "amount", 0));
		by = text_sanitize(json_path_str(ctx->obj, "refund_request.requested_by") ?
		    json_path_str(ctx->obj, "refund_request.requested_by") : "?", 0);
		st = action_fail(ctx, SD_EREFUSED, "a refund of %s on %s awaits finance (asked by "
		    "%s): finance or admin completes it (refund) or declines it (decline)", a,
		    ctx->id, by);
		free(a);
		free(by);
		return st;
	}
	if (oid != NULL)
		order = action_cached(ctx, KIND_ORDER, oid);
	if (order != NULL)
		max = refundable(order);
	if (given == NULL) {
		if (action_awaits_finance(ctx->obj))
			amount = json_int(json_path(ctx->obj, "refund_request"), "amount", 0);
		else
			amount = json_int(ctx->obj, "requested_amount", 0);
		if (max >= 0 && amount > max)
			amount = max;
	}
	if (max == 0) {
		p = action_money_text(json_int(order, "paid_amount", 0));
		r = action_money_text(json_int(order, "refunded_amount", 0));
		st = action_fail(ctx, SD_EREFUSED, "nothing is left to refund on order %s (paid %s, "
		    "refunded %s)", oid, p, r);
		free(p);
		free(r);
		goto out;
	}
	if (given == NULL && amount < 1) {
		m = max > 0 ? action_money_text(max) : NULL;
		st = action_fail(ctx, SD_EUSAGE, "ticket %s asks for no amount: give one with "
		    "%s%s%s%s", ctx->id, action_field_label(ctx, "amount", label, sizeof label),
		    m != NULL ? " (at most " : "", m != NULL ? m : "", m != NULL ?
		    " is refundable)" : "");
		free(m);
		goto out;
	}
	if (max >= 0 && amount > max) {
		a = action_money_text(amount);
		m = action_money_text(max);
		st = action_fail(ctx, SD_EREFUSED, "refund of %s is more than the %s still "
		    "refundable on order %s", a, m, oid);
		free(a);
		free(m);
		goto out;
	}
	if (given == NULL)
		json_set_int(ctx->body, "amount", amount);
	ctx->to_finance = !action_awaits_finance(ctx->obj) &&
	    caps_refund_to_finance(ctx->cache, ctx->role, amount);
	if (ctx->to_finance) {
		a = action_money_text(caps_refund_limit(ctx->cache, NULL));
		ctx->note = xasprintf("above %s a refund by %s goes to finance: the ticket will "
		    "show it awaiting finance", a, role_name((enum sd_role)ctx->role));
		free(a);
	}
	ctx->confirm = refund_confirm(ctx, order, amount);
out:
	cJSON_Delete(order);
	return st;
}

/* Cancelling a paid order refunds it in full: that is confirmed first. */
enum sd_status
action_check_cancel(struct action_ctx *ctx)
{
	long long left;
	char *who;
	struct buf b;

	if (ctx->obj == NULL || (left = refundable(ctx->obj)) == 0)
		return SD_OK;
	who = buyer_name(ctx->obj);
	buf_init(&b);
	buf_addf(&b, "Cancel %s and refund ", ctx->id);
	action_format_money(left, &b);
	buf_adds(&b, " of ");
	action_format_money(json_int(ctx->obj, "paid_amount", 0), &b);
	buf_addf(&b, " paid to %s", who);
	ctx->confirm = buf_steal(&b);
	free(who);
	return SD_OK;
}

enum sd_status
action_check_transfer(struct action_ctx *ctx)
{
	int q = cJSON_GetObjectItemCaseSensitive(ctx->body, "queue") != NULL;
	int a = cJSON_GetObjectItemCaseSensitive(ctx->body, "assignee") != NULL;

	if (q == a)
		return action_fail(ctx, SD_EUSAGE, "give either --queue QUEUE or --assignee USER%s",
		    q ? ", not both" : "");
	return SD_OK;
}

enum sd_status
action_check_snooze(struct action_ctx *ctx)
{
	const char *until = json_str(ctx->body, "until");
	char label[64];
	time_t t;

	if (until != NULL && time_parse_rfc3339(until, &t) == 0 && t <= ctx->now)
		return action_fail(ctx, SD_EUSAGE, "%s %s has passed; give a time in the future",
		    action_field_label(ctx, "until", label, sizeof label), until);
	return SD_OK;
}

enum sd_status
action_check_adjust(struct action_ctx *ctx)
{
	long long delta = json_int(ctx->body, "delta", 0);
	long long stock, reserved;
	char label[64];

	if (delta == 0)
		return action_fail(ctx, SD_EUSAGE, "%s must not be 0",
		    action_field_label(ctx, "delta", label, sizeof label));
	if (ctx->obj == NULL)
		return SD_OK;
	stock = json_int(ctx->obj, "stock", 0);
	reserved = json_int(ctx->obj, "reserved", 0);
	if (stock + delta < reserved)
		return action_fail(ctx, SD_EREFUSED, "%s has %lld in stock and %lld reserved: a delta of "
		    "%lld would leave %lld, below the reserved; the delta must be at least %+lld",
		    ctx->id, stock, reserved, delta, stock + delta, reserved - stock);
	return SD_OK;
}

/* A time member of p, or 0. */
static time_t
member_time(const cJSON *p, const char *key)
{
	time_t t;

	return json_str(p, key) != NULL && time_parse_rfc3339(json_str(p, key), &t) == 0 ? t : 0;
}

struct overlap {
	struct catalog_promo cp;	/* the promotion checked */
	char		*with;		/* "PR1007 (name) on SK100001" */
};

/* The overlap rule is catalog-rules.c's, the store's too. */
static int
on_promo(void *arg, const char *json)
{
	struct overlap *o = arg;
	cJSON *q = cJSON_Parse(json);
	struct catalog_promo cq;
	const char *sku;
	char *name;

	if (q == NULL)
		return 0;
	catalog_promo_read(&cq, q);
	if ((sku = catalog_promo_overlap(&o->cp, &cq)) != NULL) {
		name = text_clip(json_str(q, "name") ? json_str(q, "name") : "");
		o->with = xasprintf("%s (%s) from %s to %s on %s", json_str(q, "id"), name,
		    json_str(q, "starts_at"), json_str(q, "ends_at"), sku);
		free(name);
	}
	cJSON_Delete(q);
	return o->with != NULL;
}

/*
 * The first scheduled or active promotion of the cache (of kind subkind,
 * NULL: any) whose window and SKUs p would overlap, into *with ("PR1007
 * (name) from T to T on SK100001"; NULL: none). SD_OK or SD_ECACHE.
 */
static enum sd_status
find_overlap(struct action_ctx *ctx, const cJSON *p, const char *subkind, char **with)
{
	struct overlap o;
	struct query q;
	char *after = NULL, *next = NULL, *why = NULL;
	enum sd_status st = SD_OK;

	memset(&o, 0, sizeof o);
	catalog_promo_read(&o.cp, p);
	memset(&q, 0, sizeof q);
	q.kind = KIND_PROMOTION;
	q.status = "scheduled,active";
	q.subkind = subkind;
	do {
		q.after = after;
		q.limit = 500;
		if (cache_query(ctx->cache, &q, on_promo, &o, &next, &why) != 0) {
			st = action_fail(ctx, SD_ECACHE, "%s", why);
			free(why);
			next = NULL;
		}
		free(after);
		after = next;
	} while (after != NULL && o.with == NULL);
	free(after);
	*with = o.with;
	return st;
}

/*
 * Overlapping promotions, a classic costly mistake: a flash sale overlapping
 * another on a shared SKU is refused; any other overlap on a shared SKU is
 * allowed with a warning (both will apply), said when it is queued.
 */
static enum sd_status
check_overlap(struct action_ctx *ctx, const cJSON *p)
{
	enum sd_status st;
	char *with = NULL;

	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "sku_ids")) == 0)
		return SD_OK;
	if (strcmp(json_str(p, "kind"), "flash_sale") == 0) {
		if ((st = find_overlap(ctx, p, "flash_sale", &with)) == SD_OK && with != NULL)
			st = action_fail(ctx, SD_EREFUSED, "this flash sale would overlap flash sale "
			    "%s; move the window or drop the SKU", with);
		free(with);
		if (st != SD_OK)
			return st;
	}
	if ((st = find_overlap(ctx, p, NULL, &with)) == SD_OK && with != NULL && ctx->note == NULL)
		ctx->note = xasprintf("warning: it overlaps promotion %s; both will apply to "
		    "that SKU", with);
	free(with);
	return st;
}

/* The rules of p against its kind pk. */
static enum sd_status
check_rules(struct action_ctx *ctx, const cJSON *p, const struct promo_kind *pk)
{
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(p, "rules"), *v, *t;
	char label[64], field[48], *a, *b;
	enum sd_status st;
	long long n, last = 0;
	int i, k;

	if (!cJSON_IsObject(rules))
		return action_fail(ctx, SD_EUSAGE, "a %s needs its rules (see --rules and the rule "
		    "options)", pk->name);
	cJSON_ArrayForEach(v, rules) {
		for (i = 0; pk->rules[i].key != NULL && strcmp(pk->rules[i].key, v->string); i++)
			;
		if (pk->rules[i].key == NULL) {
			snprintf(field, sizeof field, "rules.%s", v->string);
			return action_fail(ctx, SD_EUSAGE, "%s is not a rule of a %s",
			    action_field_label(ctx, field, label, sizeof label), pk->name);
		}
	}
	for (i = 0; pk->rules[i].key != NULL; i++) {
		snprintf(field, sizeof field, "rules.%s", pk->rules[i].key);
		action_field_label(ctx, field, label, sizeof label);
		v = cJSON_GetObjectItemCaseSensitive(rules, pk->rules[i].key);
		if ((v == NULL || cJSON_IsNull(v)) && pk->rules[i].type == PROMO_RULE_CAP)
			continue;	/* uncapped */
		if (v == NULL || cJSON_IsNull(v))
			return action_fail(ctx, SD_EUSAGE, "a %s needs %s", pk->name, label);
		switch (pk->rules[i].type) {
		case PROMO_RULE_INT:
		case PROMO_RULE_MONEY:
		case PROMO_RULE_CAP:
			n = (long long)v->valuedouble;
			if (!cJSON_IsNumber(v) || (double)n != v->valuedouble)
				return action_fail(ctx, SD_EUSAGE, "%s must be a whole number%s", label,
				    pk->rules[i].type != PROMO_RULE_INT ? " of fen" : "");
			if (n < pk->rules[i].min || n > pk->rules[i].max)
				return action_fail(ctx, SD_EUSAGE, "%s must be %lld to %lld%s", label,
				    pk->rules[i].min, pk->rules[i].max,
				    pk->rules[i].type != PROMO_RULE_INT ? " fen" : "");
			break;
		case PROMO_RULE_LEVEL:
			for (k = 0; action_levels[k] != NULL && (!cJSON_IsString(v) ||
			    strcmp(action_levels[k], v->valuestring) != 0); k++)
				;
			if (action_levels[k] == NULL)
				return action_fail(ctx, SD_EUSAGE, "%s must be normal, gold or diamond",
				    label);
			break;
		case PROMO_RULE_TIERS:
			if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 1 ||
			    cJSON_GetArraySize(v) > pk->rules[i].max)
				return action_fail(ctx, SD_EUSAGE, "%s must be 1 to %lld tiers", label,
				    pk->rules[i].max);
			k = 0;
			cJSON_ArrayForEach(t, v) {
				n = json_int(t, "threshold", 0);
				if (json_int(t, "off", 0) < 1 || n <= json_int(t, "off", 0)) {
					a = action_money_text(n);
					st = action_fail(ctx, SD_EUSAGE, "%s: tier %d (from %s) must take off "
					    "more than 0 and less than its threshold", label, k + 1, a);
					free(a);
					return st;
				}
				if (k++ > 0 && n <= last) {
					a = action_money_text(n);
					b = action_money_text(last);
					st = action_fail(ctx, SD_EUSAGE, "%s: thresholds must go up, but %s "
					    "follows %s", label, a, b);
					free(a);
					free(b);
					return st;
				}
				last = n;
			}
			break;
		}
	}
	if (pk->off_below && json_int(rules, "off", 0) >= json_int(rules, "threshold", 0)) {
		a = action_money_text(json_int(rules, "off", 0));
		b = action_money_text(json_int(rules, "threshold", 0));
		st = action_fail(ctx, SD_EUSAGE, "the amount off (%s) must be less than the threshold (%s)",
		    a, b);
		free(a);
		free(b);
		return st;
	}
	return SD_OK;
}

/*
 * A flash sale on SKU id (json, as cached): its price below the SKU's
 * regular one, and its quantity within the stock not yet reserved.
 */
static enum sd_status
check_flash_sku(struct action_ctx *ctx, const cJSON *p, const char *id, const char *json)
{
	const cJSON *rules = cJSON_GetObjectItemCaseSensitive(p, "rules");
	cJSON *sku = cJSON_Parse(json);
	long long price = json_int(rules, "price", 0), regular, free_stock;
	enum sd_status st = SD_OK;
	char *a, *b;

	if (sku == NULL)
		return SD_OK;
	regular = json_int(sku, "price", 0);
	free_stock = json_int(sku, "stock", 0) - json_int(sku, "reserved", 0);
	if (regular > 0 && price >= regular) {
		a = action_money_text(price);
		b = action_money_text(regular);
		st = action_fail(ctx, SD_EUSAGE, "the flash price (%s) must be below SKU %s's regular "
		    "price (%s)", a, id, b);
		free(a);
		free(b);
	} else if (json_int(rules, "quantity", 0) > free_stock)
		st = action_fail(ctx, SD_EUSAGE, "a flash sale of %lld units is more than SKU %s has "
		    "in stock (%lld not reserved); lower --quantity or adjust the stock first",
		    json_int(rules, "quantity", 0), id, free_stock < 0 ? 0 : free_stock);
	cJSON_Delete(sku);
	return st;
}

/* A whole promotion p, as the store validates it after a create or an edit. */
static enum sd_status
check_promotion(struct action_ctx *ctx, const cJSON *p)
{
	const struct promo_kind *pk;
	const char *kind = json_str(p, "kind"), *name = json_str(p, "name");
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(p, "sku_ids"), *v;
	enum sd_status st;
	time_t starts, ends;

	if (name == NULL || action_utf8_chars(name) < 1 || action_utf8_chars(name) > 60)
		return action_fail(ctx, SD_EUSAGE, "a promotion's name must be 1 to 60 characters");
	if ((pk = promo_kind_find(kind)) == NULL) {
		char *clean = text_clip(kind);
		enum sd_status rc = action_fail(ctx, SD_EUSAGE, "unknown promotion kind '%s'",
		    clean);

		free(clean);
		return rc;
	}
	if ((starts = member_time(p, "starts_at")) == 0 || (ends = member_time(p, "ends_at")) == 0)
		return action_fail(ctx, SD_EUSAGE, "a promotion needs --starts and --ends");
	if (!catalog_promo_dates_ok(starts, ends))
		return action_fail(ctx, SD_EUSAGE, "the promotion would end (%s) %s it starts (%s); "
		    "--ends must be after --starts", json_str(p, "ends_at"),
		    ends == starts ? "when" : "before", json_str(p, "starts_at"));
	if ((st = check_rules(ctx, p, pk)) != SD_OK)
		return st;
	if (ids != NULL && !cJSON_IsArray(ids))
		return action_fail(ctx, SD_EUSAGE, "sku_ids must be a list of SKU ids");
	if (cJSON_GetArraySize(ids) < pk->sku_min)
		return action_fail(ctx, SD_EUSAGE, "a %s needs at least %d SKU%s in --skus", pk->name,
		    pk->sku_min, pk->sku_min > 1 ? "s" : "");
	cJSON_ArrayForEach(v, ids) {
		if (!cJSON_IsString(v))
			return action_fail(ctx, SD_EUSAGE, "sku_ids must be a list of SKU ids");
		if (cache_count(ctx->cache, KIND_SKU) > 0) {
			char *json = cache_get_json(ctx->cache, KIND_SKU, v->valuestring);

			if (json == NULL)
				return action_not_cached(ctx, KIND_SKU, v->valuestring);
			st = strcmp(pk->name, "flash_sale") == 0 ?
			    check_flash_sku(ctx, p, v->valuestring, json) : SD_OK;
			free(json);
			if (st != SD_OK)
				return st;
		}
	}
	return check_overlap(ctx, p);
}

/* Slack for "now": a promotion typed to start now may reach the check a little later. */
#define PROMO_PAST_SLACK	300

enum sd_status
action_check_promo_create(struct action_ctx *ctx)
{
	time_t starts;

	if (cJSON_GetObjectItemCaseSensitive(ctx->body, "sku_ids") == NULL)
		json_set(ctx->body, "sku_ids", cJSON_CreateArray());
	if ((starts = member_time(ctx->body, "starts_at")) != 0 &&
	    starts < ctx->now - PROMO_PAST_SLACK)
		return action_fail(ctx, SD_EUSAGE, "the promotion would start in the past (%s); "
		    "give a time from now on, such as now, +1h or 'tomorrow 20:00'",
		    json_str(ctx->body, "starts_at"));
	return check_promotion(ctx, ctx->body);
}

enum sd_status
action_check_promo_edit(struct action_ctx *ctx)
{
	cJSON *merged, *rules, *old, *v;
	const char *kind = json_str(ctx->body, "kind");
	int whole = ctx->values[action_arg_index(ctx->def, "rules")] != NULL;
	enum sd_status st;
	time_t starts;

	if (cJSON_GetArraySize(ctx->body) == 0)
		return action_fail(ctx, SD_EUSAGE, "nothing to change: give the members to edit, such "
		    "as --ends or --name");
	rules = cJSON_GetObjectItemCaseSensitive(ctx->body, "rules");
	old = cJSON_GetObjectItemCaseSensitive(ctx->obj, "rules");
	if (kind != NULL && json_str(ctx->obj, "kind") != NULL &&
	    strcmp(kind, json_str(ctx->obj, "kind")) != 0 && rules == NULL)
		return action_fail(ctx, SD_EUSAGE, "changing the kind to %s needs its rules too", kind);
	/* The store replaces rules whole: complete a partial change with the cached ones. */
	if (rules != NULL && !whole && (kind == NULL || strcmp(kind,
	    json_str(ctx->obj, "kind") ? json_str(ctx->obj, "kind") : "") == 0) &&
	    cJSON_IsObject(old)) {
		cJSON_ArrayForEach(v, old)
			if (cJSON_GetObjectItemCaseSensitive(rules, v->string) == NULL)
				json_set(rules, v->string, action_json_dup(v));
	}
	merged = action_json_dup(ctx->obj);
	cJSON_ArrayForEach(v, ctx->body) {
		const cJSON *lv;

		if (strcmp(v->string, "limits") == 0 && cJSON_IsObject(v)) {
			cJSON_ArrayForEach(lv, v) {
				char path[64];

				snprintf(path, sizeof path, "limits.%s", lv->string);
				action_json_set(merged, path, action_json_dup(lv));
			}
		} else
			json_set(merged, v->string, action_json_dup(v));
	}
	st = check_promotion(ctx, merged);
	if (st == SD_OK && json_str(merged, "status") != NULL &&
	    strcmp(json_str(merged, "status"), "scheduled") == 0 &&
	    json_str(ctx->body, "starts_at") != NULL &&
	    (starts = member_time(merged, "starts_at")) != 0 &&
	    !catalog_promo_ahead(starts, ctx->now))
		st = action_fail(ctx, SD_EREFUSED, "%s is scheduled: its start must stay in the future; "
		    "activate it instead ('shopdesk promos activate %s')", ctx->id, ctx->id);
	cJSON_Delete(merged);
	return st;
}

enum sd_status
action_check_schedule(struct action_ctx *ctx)
{
	time_t t = member_time(ctx->obj, "starts_at");

	if (t != 0 && !catalog_promo_ahead(t, ctx->now))
		return action_fail(ctx, SD_EREFUSED, "%s starts at %s, which has passed: move its start "
		    "with 'shopdesk promos edit %s --starts TIME', or activate it now", ctx->id,
		    json_str(ctx->obj, "starts_at"), ctx->id);
	return SD_OK;
}

enum sd_status
action_check_activate(struct action_ctx *ctx)
{
	time_t t = member_time(ctx->obj, "ends_at");

	if (t != 0 && !catalog_promo_ahead(t, ctx->now))
		return action_fail(ctx, SD_EREFUSED, "%s ended at %s: move its end with 'shopdesk promos "
		    "edit %s --ends TIME' first", ctx->id, json_str(ctx->obj, "ends_at"), ctx->id);
	return SD_OK;
}

/* --- the catalogue ----------------------------------------------------------------- */

static enum sd_status check_pending_product(struct action_ctx *, const char *);

/* Whether two attribute objects name the same specification values. */
static int
same_specs(const cJSON *a, const cJSON *b)
{
	const cJSON *v;
	const char *w;

	if (!cJSON_IsObject(a) || !cJSON_IsObject(b) ||
	    cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
		return 0;
	cJSON_ArrayForEach(v, a)
		if (!cJSON_IsString(v) || (w = json_str(b, v->string)) == NULL ||
		    strcmp(w, v->valuestring) != 0)
			return 0;
	return 1;
}

enum sd_status
action_check_sku(struct action_ctx *ctx)
{
	const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(ctx->body, "attributes"), *v;
	const char *pid = ctx->obj != NULL ? json_str(ctx->obj, "product_id") :
	    json_str(ctx->body, "product_id");
	enum sd_status st = SD_OK;
	cJSON *product, *other;
	char label[64];

	if (ctx->obj == NULL && ctx->id == NULL && attrs == NULL)
		return action_fail(ctx, SD_EUSAGE, "%s is required: a new SKU needs its "
		    "specifications, as in colour=red,size=M",
		    action_field_label(ctx, "attributes", label, sizeof label));
	if (ctx->id == NULL && cJSON_GetArraySize(ctx->body) == 0)
		return SD_OK;
	if (ctx->id != NULL && cJSON_GetArraySize(ctx->body) == 0)
		return action_fail(ctx, SD_EUSAGE, "nothing to change: give what to edit");
	if (ctx->obj == NULL && pid != NULL && pid[0] == '@')
		return check_pending_product(ctx, pid);
	if (pid == NULL || (product = action_cached(ctx, KIND_PRODUCT, pid)) == NULL)
		return ctx->obj == NULL && pid != NULL ?
		    action_not_cached(ctx, KIND_PRODUCT, pid) : SD_OK;
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(product, "sku_ids")) {
		if (attrs == NULL || st != SD_OK || !cJSON_IsString(v) ||
		    (ctx->id != NULL && strcmp(ctx->id, v->valuestring) == 0) ||
		    (other = action_cached(ctx, KIND_SKU, v->valuestring)) == NULL)
			continue;
		if (same_specs(attrs, cJSON_GetObjectItemCaseSensitive(other, "attributes")))
			st = action_fail(ctx, SD_EREFUSED, "SKU %s of product %s already has "
			    "these specifications; change a value or edit that SKU",
			    v->valuestring, pid);
		cJSON_Delete(other);
	}
	cJSON_Delete(product);
	return st;
}

/*
 * "@N": the product that outbox entry N creates, not applied yet; the
 * outbox sends the SKU once the store has made it (src/outbox-push.c).
 */
static enum sd_status
check_pending_product(struct action_ctx *ctx, const char *pid)
{
	struct outbox_entry e;
	char *end, *cause = NULL;
	long long n = strtoll(pid + 1, &end, 10);
	int found = 0;

	if (end != pid + 1 && *end == '\0' && n > 0 &&
	    outbox_get(ctx->cache, n, &e, &cause) == 1) {
		found = e.kind == KIND_PRODUCT && e.object_id == NULL &&
		    strcmp(e.action, "create") == 0;
		outbox_entry_done(&e);
	}
	free(cause);
	if (!found)
		return action_fail(ctx, SD_EUSAGE, "%s is not a product create waiting in the "
		    "outbox: give a product id, or @N for outbox entry N that creates one", pid);
	return SD_OK;
}

/*
 * A price below the SKU's cost, or changed by more than half, is said before
 * it is queued; below cost the store needs below_cost, sent only once the
 * merchant has confirmed (the confirm box, or --yes).
 */
enum sd_status
action_check_price(struct action_ctx *ctx)
{
	long long price = json_int(ctx->body, "price", 0), old, cost;
	struct buf b, m;

	if (ctx->obj == NULL)
		return SD_OK;
	old = json_int(ctx->obj, "price", 0);
	cost = json_int(ctx->obj, "cost", 0);
	if (price == old) {
		buf_init(&m);
		action_format_money(old, &m);
		action_fail(ctx, SD_EUSAGE, "%s is already at %s", ctx->id, buf_str(&m));
		buf_done(&m);
		return SD_EUSAGE;
	}
	buf_init(&b);
	buf_init(&m);
	if (catalog_below_cost(price, cost)) {
		action_format_money(cost, &m);
		buf_addf(&b, "below cost: %s costs %s, ", ctx->id, buf_str(&m));
		buf_reset(&m);
		action_format_money(cost - price, &m);
		buf_addf(&b, "so each one sells at a loss of %s", buf_str(&m));
		json_set_bool(ctx->body, "below_cost", 1);
		ctx->strict = 1;
	}
	if (old > 0 && (price - old) * 2 > old) {
		buf_addf(&b, "%sup %lld%%", b.len > 0 ? "; " : "", (price - old) * 100 / old);
	} else if (old > 0 && (old - price) * 2 > old)
		buf_addf(&b, "%sdown %lld%%", b.len > 0 ? "; " : "", (old - price) * 100 / old);
	buf_reset(&m);
	action_format_money(old, &m);
	buf_addf(&m, " -> ");
	action_format_money(price, &m);
	if (b.len > 0)
		ctx->confirm = xasprintf("Price of %s %s: %s", ctx->id, buf_str(&m), buf_str(&b));
	else if (old > 0)
		ctx->note = xasprintf("%s %s (%+lld%%)", ctx->id, buf_str(&m),
		    (price - old) * 100 / old);
	buf_done(&b);
	buf_done(&m);
	return SD_OK;
}

/*
 * Why a product cannot go on the shelf, from the cache, or NULL; caller
 * frees. The rule is the store's own (catalog-rules.h); a SKU not cached is
 * not known, and the hint says which command mends it.
 */
static char *
unsellable(struct action_ctx *ctx, const cJSON *p)
{
	static const char *const hint[] = {
		[CATALOG_NO_SKU] = "stock create", [CATALOG_NO_PRICE] = "stock price",
		[CATALOG_NO_STOCK] = "stock adjust",
	};
	struct catalog_sku *skus;
	enum catalog_shelf_rule r;
	const cJSON *v;
	cJSON *s;
	char *why = NULL, *reason;
	size_t n = 0, i;

	skus = xcalloc((size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p,
	    "sku_ids")) + 1, sizeof *skus);
	cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(p, "sku_ids")) {
		if (!cJSON_IsString(v))
			continue;
		skus[n].id = v->valuestring;
		if ((s = action_cached(ctx, KIND_SKU, v->valuestring)) != NULL) {
			skus[n].known = 1;
			skus[n].price = json_int(s, "price", 0);
			skus[n].stock = json_int(s, "stock", 0);
			skus[n].reserved = json_int(s, "reserved", 0);
			cJSON_Delete(s);
		}
		n++;
	}
	if ((r = catalog_shelf_check(skus, n, &i)) != CATALOG_SELLABLE) {
		reason = catalog_shelf_reason(r, ctx->id, n > 0 ? skus[i].id : NULL);
		why = xasprintf("%s (%s)", reason, hint[r]);
		free(reason);
	}
	free(skus);
	return why;
}

enum sd_status
action_check_shelf(struct action_ctx *ctx)
{
	const char *at = json_str(ctx->body, "at");
	enum sd_status st = SD_OK;
	char label[64], *why;
	time_t t;

	if (at != NULL && (time_parse_rfc3339(at, &t) != 0 || t <= ctx->now))
		return action_fail(ctx, SD_EUSAGE, "%s must be in the future; leave it out to "
		    "change the shelf now", action_field_label(ctx, "at", label, sizeof label));
	if (ctx->obj == NULL || strcmp(json_str(ctx->body, "shelf"), "on") != 0)
		return SD_OK;
	if ((why = unsellable(ctx, ctx->obj)) != NULL)
		st = action_fail(ctx, SD_EREFUSED, "cannot put %s on the shelf: %s", ctx->id, why);
	free(why);
	return st;
}
