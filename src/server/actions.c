/*
 * actions.c -- the Store API's write actions: the table and the dispatcher.
 *
 * Every action the API accepts is one row of action_table: its kind, method,
 * name, the roles that may run it, whether it needs If-Match, the states it
 * is allowed from and its handler. The dispatcher, the 403 details, the
 * "allowed" list of a refused transition and GET /v1/me's permissions are all
 * derived from this table, so adding an action is adding a row.
 *
 * Order of checks: the action exists (404), the caller's role may run it
 * (403), the object exists (404), If-Match (412/409), the object's state
 * allows it (422 invalid_transition), then the handler validates the body and
 * changes the object; the dispatcher writes it and builds the answer.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "server/actions-internal.h"
#include "server/actions.h"
#include "server/store.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define STAFF		(A_ADMIN | A_OPS | A_AGENT)
#define MERCHANT	(A_ADMIN | A_OPS)
#define SHIPPERS	(A_ADMIN | A_OPS | A_WAREHOUSE)
#define ORDER_HANDS	(A_ADMIN | A_OPS | A_AGENT | A_WAREHOUSE)
#define IFM		ACT_IFMATCH

static const struct action_def action_table[] = {
	/* orders */
	{ KIND_ORDER, "POST", "pay", "pay", A_ADMIN, IFM,
	  "pending_payment", NULL, order_pay },
	{ KIND_ORDER, "POST", "ship", "ship", SHIPPERS, IFM,
	  "awaiting_shipment", NULL, order_ship },
	{ KIND_ORDER, "POST", "correct", "correct", SHIPPERS, IFM,
	  "shipped", NULL, order_correct },
	{ KIND_ORDER, "POST", "deliver", "deliver", SHIPPERS, IFM,
	  "shipped", NULL, order_deliver },
	{ KIND_ORDER, "POST", "complete", "complete", MERCHANT, IFM,
	  "delivered", NULL, order_complete },
	{ KIND_ORDER, "POST", "cancel", "cancel", STAFF, IFM,
	  "pending_payment awaiting_shipment", NULL, order_cancel },
	{ KIND_ORDER, "POST", "address", "address", STAFF, IFM,
	  "pending_payment awaiting_shipment", NULL, order_address },
	{ KIND_ORDER, "POST", "note", "note", ORDER_HANDS, IFM,
	  "*", NULL, order_note },
	{ KIND_ORDER, "POST", "flag", "flag", ORDER_HANDS, IFM,
	  "!cancelled closed", NULL, order_flag },
	{ KIND_ORDER, "POST", "unflag", "unflag", ORDER_HANDS, IFM,
	  "*", order_is_abnormal, order_unflag },

	/* tickets */
	{ KIND_TICKET, "POST", "create", NULL, STAFF, ACT_CREATE,
	  NULL, NULL, ticket_create },
	{ KIND_TICKET, "POST", "assign", "assign", STAFF, IFM | ACT_FIRST,
	  "!closed", NULL, ticket_assign },
	{ KIND_TICKET, "POST", "approve", "approve", STAFF, IFM | ACT_FIRST,
	  "requested", ticket_is_reviewed, ticket_approve },
	{ KIND_TICKET, "POST", "reject", "reject", STAFF, IFM | ACT_FIRST,
	  "requested", NULL, ticket_reject },
	{ KIND_TICKET, "POST", "receive", "receive", STAFF | A_WAREHOUSE, IFM,
	  "awaiting_return", NULL, ticket_receive },
	{ KIND_TICKET, "POST", "refund", "refund", STAFF | A_FINANCE, IFM,
	  "refund_only:approved return_refund:received", NULL, ticket_refund },
	{ KIND_TICKET, "POST", "decline", "decline", A_ADMIN | A_FINANCE, IFM,
	  "refund_only:approved return_refund:received", ticket_awaits_finance,
	  ticket_decline },
	{ KIND_TICKET, "POST", "exchange", "exchange", STAFF | A_WAREHOUSE, IFM,
	  "exchange:received repair:received", NULL, ticket_exchange },
	{ KIND_TICKET, "POST", "reship", "reship", STAFF | A_WAREHOUSE, IFM,
	  "reship:approved", NULL, ticket_reship },
	{ KIND_TICKET, "POST", "start", "start", STAFF, IFM | ACT_FIRST,
	  "requested", ticket_is_handled, ticket_start },
	{ KIND_TICKET, "POST", "propose", "propose", STAFF, IFM,
	  "complaint:in_progress", NULL, ticket_propose },
	{ KIND_TICKET, "POST", "resolve", "resolve", STAFF, IFM,
	  "logistics:in_progress complaint:proposed", NULL, ticket_resolve },
	{ KIND_TICKET, "POST", "escalate", "escalate", STAFF, IFM,
	  "!closed", NULL, ticket_escalate },
	{ KIND_TICKET, "POST", "close", "close", STAFF, IFM,
	  "rejected refunded exchanged reshipped resolved", NULL,
	  ticket_close },

	/* conversations; sending appends, so it needs no If-Match */
	{ KIND_CONVERSATION, "POST", "accept", "accept", STAFF, IFM,
	  "new pending snoozed", NULL, chat_accept },
	{ KIND_CONVERSATION, "POST", "send", "messages", STAFF, 0,
	  "!resolved", NULL, chat_send },
	{ KIND_CONVERSATION, "POST", "say", "say", A_ADMIN, 0,
	  "*", NULL, chat_say },
	{ KIND_CONVERSATION, "POST", "transfer", "transfer", STAFF, IFM,
	  "new open pending", NULL, chat_transfer },
	{ KIND_CONVERSATION, "POST", "pending", "pending", STAFF, IFM,
	  "open", NULL, chat_pending },
	{ KIND_CONVERSATION, "POST", "snooze", "snooze", STAFF, IFM,
	  "open pending", NULL, chat_snooze },
	{ KIND_CONVERSATION, "POST", "close", "close", STAFF, IFM,
	  "!resolved", NULL, chat_close },

	/* catalog */
	{ KIND_SKU, "POST", "adjust", "adjust", SHIPPERS, IFM,
	  "*", NULL, sku_adjust },
	{ KIND_SKU, "POST", "threshold", "threshold", SHIPPERS, IFM,
	  "*", NULL, sku_threshold },
	{ KIND_SKU, "POST", "create", NULL, MERCHANT, ACT_CREATE,
	  NULL, NULL, sku_create },
	{ KIND_SKU, "PATCH", "edit", NULL, MERCHANT, IFM,
	  "*", NULL, sku_edit },
	{ KIND_SKU, "POST", "price", "price", MERCHANT, IFM,
	  "*", NULL, sku_price },
	{ KIND_PRODUCT, "POST", "create", NULL, MERCHANT, ACT_CREATE,
	  NULL, NULL, product_create },
	{ KIND_PRODUCT, "PATCH", "edit", NULL, MERCHANT, IFM,
	  "*", NULL, product_edit },
	{ KIND_PRODUCT, "DELETE", "delete", NULL, MERCHANT, IFM,
	  "*", NULL, product_delete },
	{ KIND_PRODUCT, "POST", "shelf", "shelf", MERCHANT, IFM,
	  "*", NULL, product_shelf },
	{ KIND_PRODUCT, "POST", "cancel", "cancel", MERCHANT, IFM,
	  "*", product_is_scheduled, product_unschedule },

	/* categories: merchants edit the tree, everyone reads it */
	{ KIND_CATEGORY, "POST", "create", NULL, MERCHANT, ACT_CREATE,
	  NULL, NULL, category_create },
	{ KIND_CATEGORY, "PATCH", "edit", NULL, MERCHANT, IFM,
	  "*", NULL, category_edit },
	{ KIND_CATEGORY, "POST", "move", "move", MERCHANT, IFM,
	  "*", NULL, category_move },
	{ KIND_CATEGORY, "DELETE", "delete", NULL, MERCHANT, IFM,
	  "*", NULL, category_delete },

	/* promotions */
	{ KIND_PROMOTION, "POST", "create", NULL, MERCHANT, ACT_CREATE,
	  NULL, NULL, promo_create },
	{ KIND_PROMOTION, "PATCH", "edit", NULL, MERCHANT, IFM,
	  "draft scheduled", NULL, promo_edit },
	{ KIND_PROMOTION, "POST", "schedule", "schedule", MERCHANT, IFM,
	  "draft", NULL, promo_schedule },
	{ KIND_PROMOTION, "POST", "activate", "activate", MERCHANT, IFM,
	  "draft scheduled", NULL, promo_activate },
	{ KIND_PROMOTION, "POST", "end", "end", MERCHANT, IFM,
	  "scheduled active", NULL, promo_end },

	/* canned replies: the team's, managed by those who read them */
	{ KIND_CANNED_REPLY, "POST", "add", NULL, STAFF, ACT_CREATE,
	  NULL, NULL, canned_add },
	{ KIND_CANNED_REPLY, "PATCH", "edit", NULL, STAFF, IFM,
	  "*", NULL, canned_edit },
	{ KIND_CANNED_REPLY, "DELETE", "remove", NULL, STAFF, IFM,
	  "*", NULL, canned_remove },
};
#define NACTIONS (sizeof action_table / sizeof action_table[0])

cJSON *
api_error(const char *code, const char *message, cJSON *details)
{
	cJSON *root, *err;

	root = cJSON_CreateObject();
	err = cJSON_CreateObject();
	json_set_str(err, "code", code);
	json_set_str(err, "message", message);
	json_set(err, "details",
	    details != NULL ? details : cJSON_CreateObject());
	json_set(root, "error", err);
	return root;
}

int
act_fail(struct action_ctx *ctx, int status, const char *code, cJSON *details,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	cJSON_Delete(ctx->res->body);
	ctx->res->body = api_error(code, msg, details);
	ctx->res->status = status;
	free(msg);
	return -1;
}

int
act_invalid(struct action_ctx *ctx, const char *field, const char *fmt, ...)
{
	cJSON *details;
	va_list ap;
	char *msg;
	int rc;

	details = cJSON_CreateObject();
	json_set_str(details, "field", field);
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	rc = act_fail(ctx, 422, "invalid", details, "%s", msg);
	free(msg);
	return rc;
}

int
act_detail(struct action_ctx *ctx, const char *key, cJSON *val)
{
	cJSON *err, *details;

	err = cJSON_GetObjectItemCaseSensitive(ctx->res->body, "error");
	details = cJSON_GetObjectItemCaseSensitive(err, "details");
	if (details == NULL)
		fatal("act_detail: no error set");
	json_set(details, key, val);
	return -1;
}

cJSON *
act_roles_json(unsigned mask)
{
	cJSON *a = cJSON_CreateArray();
	int r;

	for (r = 0; r < ROLE__COUNT; r++)
		if (mask & (1u << r))
			cJSON_AddItemToArray(a,
			    cJSON_CreateString(role_name(r)));
	return a;
}

int
act_forbidden(struct action_ctx *ctx, cJSON *required, const char *fmt, ...)
{
	cJSON *details;
	va_list ap;
	char *msg;
	int rc;

	details = cJSON_CreateObject();
	json_set_str(details, "role", role_name(ctx->who->role));
	json_set(details, "required", required);
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	rc = act_fail(ctx, 403, "forbidden", details, "%s", msg);
	free(msg);
	return rc;
}

int
act_lookup(const char *const *list, const char *s)
{
	int i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

/* Bytes of the UTF-8 sequence starting at p, 0 when it is not valid. */
static int
utf8_seqlen(const unsigned char *p)
{
	int n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

long
act_utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;
	int k;

	while (*p != '\0') {
		if ((k = utf8_seqlen(p)) == 0)
			return -1;
		p += k;
		n++;
	}
	return n;
}

char *
act_utf8_prefix(const char *s, long n)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b;
	int k;

	buf_init(&b);
	buf_adds(&b, "");
	while (*p != '\0' && n-- > 0) {
		if ((k = utf8_seqlen(p)) == 0)
			break;
		if (k == 1 && (*p < 0x20 || *p == 0x7f))
			buf_addc(&b, ' ');
		else
			buf_add(&b, p, (size_t)k);
		p += k;
	}
	return buf_steal(&b);
}

int
act_str_in(struct action_ctx *ctx, const cJSON *obj, const char *prefix,
    const char *key, long min, long max, const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char field[64];
	long len;

	snprintf(field, sizeof field, "%s%s", prefix != NULL ? prefix : "",
	    key);
	*out = NULL;
	if (v == NULL || cJSON_IsNull(v)) {
		if (min > 0)
			return act_invalid(ctx, field, "%s is required", field);
		return 0;
	}
	if (!cJSON_IsString(v))
		return act_invalid(ctx, field, "%s must be a string", field);
	if ((len = act_utf8_len(v->valuestring)) < 0)
		return act_invalid(ctx, field, "%s must be valid utf-8", field);
	if (len < min && len == 0)
		return act_invalid(ctx, field, "%s must not be empty", field);
	if (len < min || len > max) {
		if (min <= 1)
			return act_invalid(ctx, field,
			    "%s must be at most %ld characters", field, max);
		return act_invalid(ctx, field, "%s must be %ld to %ld "
		    "characters", field, min, max);
	}
	*out = v->valuestring;
	return 0;
}

int
act_str(struct action_ctx *ctx, const char *key, long min, long max,
    const char **out)
{
	return act_str_in(ctx, ctx->body, NULL, key, min, max, out);
}

int
act_int_in(struct action_ctx *ctx, const cJSON *obj, const char *prefix,
    const char *key, int required, long long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char field[64];
	double d;

	snprintf(field, sizeof field, "%s%s", prefix != NULL ? prefix : "",
	    key);
	if (v == NULL || cJSON_IsNull(v)) {
		if (required)
			return act_invalid(ctx, field, "%s is required", field);
		return 0;
	}
	d = v->valuedouble;
	if (!cJSON_IsNumber(v) || d > 9e15 || d < -9e15 ||
	    d != (double)(long long)d)
		return act_invalid(ctx, field, "%s must be an integer", field);
	*out = (long long)d;
	return 0;
}

int
act_int(struct action_ctx *ctx, const char *key, int required, long long *out)
{
	return act_int_in(ctx, ctx->body, NULL, key, required, out);
}

int
act_bool(struct action_ctx *ctx, const char *key, int def, int *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctx->body, key);

	*out = def;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsBool(v))
		return act_invalid(ctx, key, "%s must be true or false", key);
	*out = cJSON_IsTrue(v);
	return 0;
}

int
act_enum(struct action_ctx *ctx, const char *key, const char *const *list,
    int required, const char **out)
{
	struct buf b;
	int i, rc;

	if (act_str(ctx, key, required ? 1 : 0, 64, out) != 0)
		return -1;
	if (*out == NULL || act_lookup(list, *out) >= 0)
		return 0;
	buf_init(&b);
	for (i = 0; list[i] != NULL; i++)
		buf_addf(&b, "%s%s", i == 0 ? "" : ", ", list[i]);
	rc = act_invalid(ctx, key, "%s must be one of %s", key, buf_str(&b));
	buf_done(&b);
	return rc;
}

int
act_waybill(struct action_ctx *ctx, const char **carrier, const char **tracking)
{
	const struct carrier_info *ci;
	const char *p;
	struct buf b;
	int i, rc;

	if (act_str(ctx, "carrier", 1, 16, carrier) != 0)
		return -1;
	if ((ci = carrier_find(*carrier)) == NULL) {
		buf_init(&b);
		for (i = 0; carriers[i].code != NULL; i++)
			buf_addf(&b, "%s%s", i == 0 ? "" : ", ",
			    carriers[i].code);
		rc = act_invalid(ctx, "carrier", "carrier must be one of %s",
		    buf_str(&b));
		buf_done(&b);
		return rc;
	}
	*carrier = ci->code;
	if (act_str(ctx, "tracking_no", 1, 64, tracking) != 0)
		return -1;
	for (p = *tracking; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z')))
			break;
	if (*p != '\0' || p - *tracking < 8 || p - *tracking > 30)
		return act_invalid(ctx, "tracking_no",
		    "tracking_no must be 8 to 30 letters or digits");
	return 0;
}

void
act_put_other(struct action_ctx *ctx, enum sd_kind kind, cJSON *obj)
{
	const char *id = json_str(obj, "id");

	if (id == NULL)
		fatal("act_put_other: object without id");
	store_put(ctx->st, kind, id, obj);
}

/* Append one entry to the array member list of obj, creating the array. */
static void
act_log(struct action_ctx *ctx, cJSON *obj, const char *list, const char *vkey,
    const char *verb, const char *nkey, const char *note)
{
	cJSON *a, *e;

	a = cJSON_GetObjectItemCaseSensitive(obj, list);
	if (!cJSON_IsArray(a)) {
		a = cJSON_CreateArray();
		json_set(obj, list, a);
	}
	e = cJSON_CreateObject();
	json_set_str(e, "at", ctx->now_s);
	json_set_str(e, vkey, verb);
	json_set_str(e, "by", ctx->who->id);
	json_set_str(e, nkey, note != NULL ? note : "");
	cJSON_AddItemToArray(a, e);
}

void
act_order_log(struct action_ctx *ctx, cJSON *order, const char *event,
    const char *detail)
{
	act_log(ctx, order, "timeline", "event", event, "detail", detail);
}

void
act_ticket_log(struct action_ctx *ctx, cJSON *ticket, const char *action,
    const char *note)
{
	act_log(ctx, ticket, "history", "action", action, "note", note);
}

/* Whether row d may run on obj in its current state. */
static int
action_state_ok(const struct action_def *d, const cJSON *obj)
{
	if (!model_state_matches(d->from, json_str(obj, "kind"), json_str(obj, "status")))
		return 0;
	return d->guard == NULL || d->guard(obj);
}

/* The names of the actions of kind that obj's state allows. */
static cJSON *
action_allowed(enum sd_kind kind, const cJSON *obj)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < NACTIONS; i++) {
		if (action_table[i].kind != kind ||
		    (action_table[i].flags & ACT_CREATE))
			continue;
		if (action_state_ok(&action_table[i], obj))
			cJSON_AddItemToArray(a,
			    cJSON_CreateString(action_table[i].name));
	}
	return a;
}

static const struct action_def *
action_find(const struct action_req *req)
{
	const struct action_def *d;
	size_t i;

	for (i = 0; i < NACTIONS; i++) {
		d = &action_table[i];
		if (d->kind != req->kind || strcmp(d->method, req->method) != 0)
			continue;
		if ((req->id == NULL) != ((d->flags & ACT_CREATE) != 0))
			continue;
		if (d->path == NULL && req->action == NULL)
			return d;
		if (d->path != NULL && req->action != NULL &&
		    strcmp(d->path, req->action) == 0)
			return d;
	}
	return NULL;
}

static int
action_not_found(struct action_ctx *ctx)
{
	const struct action_req *req = ctx->req;
	const char *path = kind_info(req->kind)->path;

	if (req->action != NULL)
		return act_fail(ctx, 404, "not_found", NULL,
		    "%s have no action \"%s\" for %s", path, req->action,
		    req->method);
	if (req->id == NULL)
		return act_fail(ctx, 404, "not_found", NULL,
		    "%s cannot be created through the api", path);
	return act_fail(ctx, 404, "not_found", NULL,
	    "%s cannot be changed with %s", path, req->method);
}

/* 403: the caller's role is not in the row's roles. */
static int
action_forbidden(struct action_ctx *ctx)
{
	const struct action_def *d = ctx->def;
	struct buf b;
	int r, n = 0, rc;

	buf_init(&b);
	for (r = 0; r < ROLE__COUNT; r++)
		if (d->roles & (1u << r))
			buf_addf(&b, "%s%s", n++ == 0 ? "" : ", ",
			    role_name(r));
	rc = act_forbidden(ctx, act_roles_json(d->roles), "role %s may not run "
	    "%s.%s; it needs one of: %s", role_name(ctx->who->role),
	    kind_info(d->kind)->name, d->name, buf_str(&b));
	buf_done(&b);
	return rc;
}

/* A copy of obj as the caller may see it. */
static cJSON *
action_view(struct action_ctx *ctx, enum sd_kind kind, const cJSON *obj)
{
	cJSON *copy = cJSON_Duplicate(obj, 1);

	if (copy == NULL)
		fatal("actions: out of memory");
	if (role_masks_pii(ctx->who->role))
		actions_mask(kind, copy);
	return copy;
}

/* Load the object and check If-Match and the state machine. */
static int
action_load(struct action_ctx *ctx)
{
	const struct action_def *d = ctx->def;
	const struct action_req *req = ctx->req;
	const char *kname = kind_info(d->kind)->name;
	cJSON *details;
	long long version;

	if ((ctx->obj = store_get(ctx->st, d->kind, req->id)) == NULL)
		return act_fail(ctx, 404, "not_found", NULL, "%s %s not found",
		    kname, req->id);
	snprintf(ctx->id, sizeof ctx->id, "%s", req->id);
	version = json_int(ctx->obj, "version", 0);
	if (d->flags & ACT_IFMATCH) {
		if (req->if_match < 0)
			return act_fail(ctx, 412, "precondition_required", NULL,
			    "%s needs an If-Match header with the %s's version",
			    d->name, kname);
		if (req->if_match != version) {
			details = cJSON_CreateObject();
			json_set(details, "current",
			    action_view(ctx, d->kind, ctx->obj));
			return act_fail(ctx, 409, "conflict", details, "%s %s "
			    "is at version %lld, not %lld; reload it and try "
			    "again", kname, req->id, version, req->if_match);
		}
	}
	if (!action_state_ok(d, ctx->obj)) {
		details = cJSON_CreateObject();
		json_set_str(details, "status", json_str(ctx->obj, "status"));
		json_set(details, "allowed", action_allowed(d->kind, ctx->obj));
		return act_fail(ctx, 422, "invalid_transition", details,
		    "cannot %s %s %s in its current state (%s)", d->name, kname,
		    req->id, json_str(ctx->obj, "status") != NULL ?
		    json_str(ctx->obj, "status") : "none");
	}
	return 0;
}

void
actions_run(struct store *st, const struct action_req *req,
    struct action_res *res)
{
	struct action_ctx ctx;
	const struct action_def *d;
	cJSON *empty = NULL;

	memset(res, 0, sizeof *res);
	memset(&ctx, 0, sizeof ctx);
	ctx.st = st;
	ctx.req = req;
	ctx.res = res;
	ctx.who = req->who;
	ctx.now = store_now(st);
	time_format_rfc3339(ctx.now, ctx.now_s);
	if (req->body == NULL)
		ctx.body = empty = cJSON_CreateObject();
	else
		ctx.body = req->body;

	if (ctx.who == NULL) {
		act_fail(&ctx, 401, "unauthorized", NULL, "no user for this "
		    "request");
		goto out;
	}
	if (!cJSON_IsObject(ctx.body)) {
		act_fail(&ctx, 400, "bad_json", NULL,
		    "the request body must be a json object");
		goto out;
	}
	if ((d = action_find(req)) == NULL) {
		action_not_found(&ctx);
		goto out;
	}
	ctx.def = d;
	if ((d->roles & (1u << ctx.who->role)) == 0) {
		action_forbidden(&ctx);
		goto out;
	}
	if ((d->flags & ACT_CREATE) == 0 && action_load(&ctx) != 0)
		goto out;
	if (d->fn(&ctx) != 0)
		goto out;
	if (ctx.obj == NULL || ctx.id[0] == '\0')
		fatal("actions: %s left no object", d->name);
	if (d->kind == KIND_TICKET)
		ticket_sla_update(&ctx);
	if (ctx.deleted) {
		/* The tombstone's version, as the change feed counts it. */
		store_delete(st, d->kind, ctx.id);
		res->body = cJSON_CreateObject();
		json_set_str(res->body, "id", ctx.id);
		json_set_int(res->body, "version",
		    json_int(ctx.obj, "version", 0) + 1);
		json_set_bool(res->body, "deleted", 1);
		res->status = 200;
		res->applied = 1;
		goto out;
	}

	store_put(st, d->kind, ctx.id, ctx.obj);
	if (ctx.reply != NULL) {
		json_set(ctx.reply, ctx.reply_key, action_view(&ctx, d->kind,
		    ctx.obj));
		res->body = ctx.reply;
		ctx.reply = NULL;
	} else
		res->body = action_view(&ctx, d->kind, ctx.obj);
	res->status = ctx.created ? 201 : ctx.accepted ? 202 : 200;
	res->applied = 1;
out:
	cJSON_Delete(ctx.reply);
	cJSON_Delete(ctx.obj);
	cJSON_Delete(empty);
	if (res->body == NULL) {
		res->status = 500;
		res->body = api_error("internal", "the action gave no answer",
		    NULL);
	}
}

void
actions_mask(enum sd_kind kind, cJSON *obj)
{
	if (cJSON_IsObject(obj))
		model_mask_object(kind, obj);
}

cJSON *
actions_permissions(enum sd_role role)
{
	cJSON *a = cJSON_CreateArray();
	char *name;
	size_t i;

	for (i = 0; i < NACTIONS; i++) {
		if ((action_table[i].roles & (1u << role)) == 0)
			continue;
		name = xasprintf("%s.%s", kind_info(action_table[i].kind)->name,
		    action_table[i].name);
		cJSON_AddItemToArray(a, cJSON_CreateString(name));
		free(name);
	}
	return a;
}
