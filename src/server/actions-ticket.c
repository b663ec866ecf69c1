/*
 * actions-ticket.c -- after-sales tickets: create, assign, review, returns,
 * refunds, exchanges, reshipments, complaints, escalation and closing.
 *
 * ticket_kinds is the single truth for a kind of ticket: where approval
 * leads and its service-level targets. Every handler appends to the ticket's
 * history; after every action the dispatcher calls ticket_sla_update(), which
 * records the first agent action and recomputes sla.state. A refund also
 * changes the ticket's order (refunded amount, payment status, and closes an
 * order refunded in full before it shipped); receiving goods with restock
 * puts the order's quantities back into the SKUs' stock.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "server/actions-internal.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

static const struct ticket_kind {
	const char	*name;
	const char	*approve_to;	/* after approve; NULL: no review */
	int		 first_h;	/* hours to the first agent action */
	int		 resolve_h;	/* hours from creation to resolution */
	int		 approved_h;	/* hours from approval, or 0 */
} ticket_kinds[] = {
	{ "refund_only", "approved", 4, 72, 24 },
	{ "return_refund", "awaiting_return", 4, 72, 24 },
	{ "exchange", "awaiting_return", 4, 72, 24 },
	{ "repair", "awaiting_return", 4, 72, 24 },
	{ "reship", "approved", 4, 72, 24 },
	{ "complaint", NULL, 1, 48, 0 },
	{ "logistics", NULL, 2, 24, 0 },
};
#define NTICKETKINDS (sizeof ticket_kinds / sizeof ticket_kinds[0])

static const char *const ticket_priorities[] = {
	"normal", "high", "urgent", NULL
};

static const char *const receive_conditions[] = {
	"ok", "damaged", "partial", NULL
};

/* Refunds above this many fen need one of these roles. */
#define REFUND_LIMIT	50000
static const enum sd_role refund_limit_roles[] = { ROLE_FINANCE, ROLE_ADMIN };
#define NREFUNDROLES (sizeof refund_limit_roles / sizeof refund_limit_roles[0])

/* Fulfillment states of an order that has not left the warehouse. */
static const char *const not_shipped[] = {
	"unfulfilled", "on_hold", "in_progress", NULL
};

/* Statuses in which the ticket's work is done. */
static const char *const ticket_done[] = {
	"rejected", "refunded", "exchanged", "reshipped", "resolved", "closed",
	NULL
};

#define TICKET_NOTE_MAX		500
#define TICKET_TEXT_MAX		2000
#define TICKET_EVIDENCE_MAX	9

static const struct ticket_kind *
ticket_kind_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NTICKETKINDS; i++)
		if (strcmp(ticket_kinds[i].name, name) == 0)
			return &ticket_kinds[i];
	return NULL;
}

int
ticket_is_reviewed(const cJSON *t)
{
	const struct ticket_kind *tk = ticket_kind_find(json_str(t, "kind"));

	return tk != NULL && tk->approve_to != NULL;
}

int
ticket_is_handled(const cJSON *t)
{
	const struct ticket_kind *tk = ticket_kind_find(json_str(t, "kind"));

	return tk != NULL && tk->approve_to == NULL;
}

static void
ticket_set_due(cJSON *sla, const char *key, time_t t)
{
	char s[RFC3339_LEN];

	time_format_rfc3339(t, s);
	json_set_str(sla, key, s);
}

/* The ticket's current status, as set by the handler. */
static void
ticket_set_status(struct action_ctx *ctx, const char *status)
{
	json_set_str(ctx->obj, "status", status);
}

/* Validate the optional evidence array of a new ticket; a copy or NULL. */
static int
ticket_evidence(struct action_ctx *ctx, cJSON **out)
{
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(ctx->body,
	    "evidence");
	const cJSON *v;

	*out = NULL;
	if (ev == NULL || cJSON_IsNull(ev)) {
		*out = cJSON_CreateArray();
		return 0;
	}
	if (!cJSON_IsArray(ev) || cJSON_GetArraySize(ev) > TICKET_EVIDENCE_MAX)
		return act_invalid(ctx, "evidence", "evidence must be a list "
		    "of at most %d links", TICKET_EVIDENCE_MAX);
	cJSON_ArrayForEach(v, ev) {
		if (!cJSON_IsString(v) || act_utf8_len(v->valuestring) < 1 ||
		    act_utf8_len(v->valuestring) > TICKET_NOTE_MAX)
			return act_invalid(ctx, "evidence", "each evidence "
			    "item must be a link of 1 to %d characters",
			    TICKET_NOTE_MAX);
	}
	*out = cJSON_Duplicate(ev, 1);
	return 0;
}

int
ticket_create(struct action_ctx *ctx)
{
	const char *order_id, *kind, *reason, *description, *priority;
	const struct ticket_kind *tk;
	long long amount = 0, refundable;
	cJSON *order, *t, *sla, *evidence;
	struct buf b;
	size_t i;
	int rc;

	if (act_str(ctx, "order_id", 1, 32, &order_id) != 0 ||
	    act_str(ctx, "kind", 1, 32, &kind) != 0)
		return -1;
	if ((tk = ticket_kind_find(kind)) == NULL) {
		buf_init(&b);
		for (i = 0; i < NTICKETKINDS; i++)
			buf_addf(&b, "%s%s", i == 0 ? "" : ", ",
			    ticket_kinds[i].name);
		rc = act_invalid(ctx, "kind", "kind must be one of %s",
		    buf_str(&b));
		buf_done(&b);
		return rc;
	}
	if (act_str(ctx, "reason", 0, TICKET_NOTE_MAX, &reason) != 0 ||
	    act_str(ctx, "description", 0, TICKET_TEXT_MAX,
	    &description) != 0 ||
	    act_enum(ctx, "priority", ticket_priorities, 0, &priority) != 0 ||
	    act_int(ctx, "requested_amount", 0, &amount) != 0)
		return -1;
	if ((order = store_get(ctx->st, KIND_ORDER, order_id)) == NULL)
		return act_invalid(ctx, "order_id", "order %s does not exist",
		    order_id);
	refundable = order_refundable(order);
	if (amount < 0 || amount > refundable) {
		cJSON_Delete(order);
		act_invalid(ctx, "requested_amount", "requested_amount must be "
		    "0 to %lld (what is left to refund on order %s)",
		    refundable, order_id);
		return act_detail(ctx, "max",
		    cJSON_CreateNumber((double)refundable));
	}
	if (ticket_evidence(ctx, &evidence) != 0) {
		cJSON_Delete(order);
		return -1;
	}

	store_next_id(ctx->st, KIND_TICKET, ctx->id);
	t = cJSON_CreateObject();
	json_set_str(t, "id", ctx->id);
	json_set_str(t, "created_at", ctx->now_s);
	json_set_str(t, "order_id", order_id);
	json_set_str(t, "customer_id", json_str(order, "customer_id"));
	json_set_str(t, "customer_name", json_str(order, "customer_name"));
	json_set_str(t, "kind", tk->name);
	json_set_str(t, "status", "requested");
	json_set_str(t, "priority", priority != NULL ? priority : "normal");
	json_set_bool(t, "escalated", 0);
	json_set_null(t, "assignee");
	json_set_str(t, "reason", reason != NULL ? reason : "");
	json_set_str(t, "description", description != NULL ? description : "");
	json_set(t, "evidence", evidence);
	json_set_str(t, "currency", json_str(order, "currency") != NULL ?
	    json_str(order, "currency") : "CNY");
	json_set_int(t, "requested_amount", amount);
	json_set_int(t, "refund_amount", 0);
	sla = cJSON_CreateObject();
	ticket_set_due(sla, "first_action_due", ctx->now + tk->first_h * 3600);
	ticket_set_due(sla, "resolve_due", ctx->now + tk->resolve_h * 3600);
	json_set_null(sla, "first_action_at");
	json_set_str(sla, "state", "active");
	json_set(t, "sla", sla);
	json_set(t, "history", cJSON_CreateArray());
	ctx->obj = t;
	ctx->created = 1;
	act_ticket_log(ctx, t, "create", reason);
	cJSON_Delete(order);
	return 0;
}

int
ticket_assign(struct action_ctx *ctx)
{
	const char *assignee;

	if (act_str(ctx, "assignee", 1, 15, &assignee) != 0)
		return -1;
	if (store_user_by_id(ctx->st, assignee) == NULL)
		return act_invalid(ctx, "assignee", "assignee %s is not a user",
		    assignee);
	json_set_str(ctx->obj, "assignee", assignee);
	act_ticket_log(ctx, ctx->obj, "assign", assignee);
	return 0;
}

int
ticket_approve(struct action_ctx *ctx)
{
	const struct ticket_kind *tk;
	const char *note;
	cJSON *sla;

	if (act_str(ctx, "note", 0, TICKET_NOTE_MAX, &note) != 0)
		return -1;
	/* The guard ticket_is_reviewed lets only kinds with a review in. */
	tk = ticket_kind_find(json_str(ctx->obj, "kind"));
	if (tk == NULL || tk->approve_to == NULL)
		fatal("ticket_approve: kind without review");
	ticket_set_status(ctx, tk->approve_to);
	sla = cJSON_GetObjectItemCaseSensitive(ctx->obj, "sla");
	if (cJSON_IsObject(sla) && tk->approved_h > 0)
		ticket_set_due(sla, "resolve_due",
		    ctx->now + tk->approved_h * 3600);
	/* A return's parcel is to be picked up within the same window. */
	if (cJSON_IsObject(sla) && tk->approved_h > 0 &&
	    strcmp(tk->approve_to, "awaiting_return") == 0) {
		ticket_set_due(sla, "pickup_due",
		    ctx->now + tk->approved_h * 3600);
		json_set_null(sla, "pickup_at");
	}
	act_ticket_log(ctx, ctx->obj, "approve", note);
	return 0;
}

int
ticket_reject(struct action_ctx *ctx)
{
	const char *reason;

	if (act_str(ctx, "reason", 1, TICKET_NOTE_MAX, &reason) != 0)
		return -1;
	ticket_set_status(ctx, "rejected");
	act_ticket_log(ctx, ctx->obj, "reject", reason);
	return 0;
}

/* The SKUs of order's items with their quantities added to stock. */
static int
ticket_restock_load(struct action_ctx *ctx, const cJSON *order, cJSON *skus)
{
	const cJSON *items, *item;
	const char *sku_id;
	long long qty;
	cJSON *sku;

	items = cJSON_GetObjectItemCaseSensitive(order, "items");
	cJSON_ArrayForEach(item, items) {
		sku_id = json_str(item, "sku_id");
		qty = json_int(item, "quantity", 0);
		if (sku_id == NULL || qty <= 0)
			continue;
		if ((sku = store_get(ctx->st, KIND_SKU, sku_id)) == NULL)
			return act_invalid(ctx, "restock", "sku %s of order %s "
			    "no longer exists; receive without restock", sku_id,
			    json_str(order, "id"));
		json_set_int(sku, "stock", json_int(sku, "stock", 0) + qty);
		sku_movement_add(ctx, sku, qty, "return", ctx->id);
		cJSON_AddItemToArray(skus, sku);
	}
	return 0;
}

int
ticket_receive(struct action_ctx *ctx)
{
	const char *condition, *order_id;
	cJSON *order, *skus, *sku, *sla;
	int restock, rc = 0;
	char *note;

	if (act_enum(ctx, "condition", receive_conditions, 0,
	    &condition) != 0 ||
	    act_bool(ctx, "restock", 0, &restock) != 0)
		return -1;
	if (condition == NULL)
		condition = "ok";
	skus = cJSON_CreateArray();
	if (restock) {
		order_id = json_str(ctx->obj, "order_id");
		order = order_id != NULL ?
		    store_get(ctx->st, KIND_ORDER, order_id) : NULL;
		if (order == NULL)
			rc = act_invalid(ctx, "restock", "the ticket's order "
			    "no longer exists; receive without restock");
		else
			rc = ticket_restock_load(ctx, order, skus);
		cJSON_Delete(order);
	}
	if (rc == 0) {
		cJSON_ArrayForEach(sku, skus)
			act_put_other(ctx, KIND_SKU, sku);
		json_set_str(ctx->obj, "condition", condition);
		json_set_bool(ctx->obj, "restocked", restock);
		ticket_set_status(ctx, "received");
		/* The parcel came back: the pickup's clock stops here. */
		sla = cJSON_GetObjectItemCaseSensitive(ctx->obj, "sla");
		if (cJSON_IsObject(sla) && json_str(sla, "pickup_due") != NULL &&
		    json_str(sla, "pickup_at") == NULL)
			json_set_str(sla, "pickup_at", ctx->now_s);
		note = xasprintf("condition %s%s", condition,
		    restock ? ", restocked" : "");
		act_ticket_log(ctx, ctx->obj, "receive", note);
		free(note);
	}
	cJSON_Delete(skus);
	return rc;
}

/* Whether the caller may refund more than REFUND_LIMIT. */
static int
ticket_refund_allowed(const struct action_ctx *ctx)
{
	size_t i;

	for (i = 0; i < NREFUNDROLES; i++)
		if (ctx->who->role == refund_limit_roles[i])
			return 1;
	return 0;
}

cJSON *
actions_refund_limit(void)
{
	cJSON *o = cJSON_CreateObject(), *roles = cJSON_CreateArray();
	size_t i;

	json_set_int(o, "amount", REFUND_LIMIT);
	json_set_str(o, "currency", "CNY");
	for (i = 0; i < NREFUNDROLES; i++)
		cJSON_AddItemToArray(roles, cJSON_CreateString(
		    role_name(refund_limit_roles[i])));
	json_set(o, "approvers", roles);
	return o;
}

int
ticket_awaits_finance(const cJSON *t)
{
	const char *s = json_path_str(t, "refund_request.status");

	return s != NULL && strcmp(s, "awaiting_finance") == 0;
}

/* Apply a refund of amount to the ticket's order. */
static void
ticket_refund_order(struct action_ctx *ctx, cJSON *order, long long amount)
{
	long long refunded, paid;
	const char *ful;
	char *detail;

	paid = json_int(order, "paid_amount", 0);
	refunded = json_int(order, "refunded_amount", 0) + amount;
	json_set_int(order, "refunded_amount", refunded);
	if (refunded >= paid) {
		json_set_str(order, "payment_status", "refunded");
		ful = json_str(order, "fulfillment_status");
		if (ful == NULL || act_lookup(not_shipped, ful) >= 0)
			json_set_str(order, "lifecycle", "closed");
	} else
		json_set_str(order, "payment_status", "partially_refunded");
	order_derive(order);
	detail = xasprintf("%lld (%s)", amount, ctx->id);
	act_order_log(ctx, order, "refunded", detail);
	free(detail);
}

/*
 * The amount of a refund: the body's, else the request awaiting finance,
 * else what the buyer asked for, capped by what is refundable. 0, or -1
 * with the error set.
 */
static int
ticket_refund_amount(struct action_ctx *ctx, long long max, long long *amount)
{
	*amount = 0;
	if (act_int(ctx, "amount", 0, amount) != 0)
		return -1;
	if (cJSON_GetObjectItemCaseSensitive(ctx->body, "amount") != NULL)
		return 0;
	if (ticket_awaits_finance(ctx->obj))
		*amount = json_int(json_path(ctx->obj, "refund_request"),
		    "amount", 0);
	else
		*amount = json_int(ctx->obj, "requested_amount", 0);
	if (*amount > max)
		*amount = max;
	if (*amount < 1 && max > 0)
		return act_invalid(ctx, "amount", "the ticket asks for no "
		    "amount: give amount, 1 to %lld", max);
	return 0;
}

/*
 * An agent's or operator's refund above REFUND_LIMIT is not refused: it
 * becomes the ticket's refund_request, awaiting finance (answer 202), and
 * finance or admin completes it with refund or declines it. While one
 * awaits, only they may refund the ticket, so it is never refunded twice.
 */
static int
ticket_refund_request(struct action_ctx *ctx, long long amount)
{
	cJSON *rq = cJSON_CreateObject();
	char note[48];

	json_set_int(rq, "amount", amount);
	json_set_str(rq, "requested_by", ctx->who->id);
	json_set_str(rq, "at", ctx->now_s);
	json_set_str(rq, "status", "awaiting_finance");
	json_set(ctx->obj, "refund_request", rq);
	snprintf(note, sizeof note, "%lld awaiting_finance", amount);
	act_ticket_log(ctx, ctx->obj, "refund_request", note);
	ctx->accepted = 1;
	return 0;
}

/* The request awaiting finance is settled: status, who and when. */
static void
ticket_request_settle(struct action_ctx *ctx, const char *status,
    const char *reason)
{
	cJSON *rq = json_path(ctx->obj, "refund_request");

	json_set_str(rq, "status", status);
	json_set_str(rq, "decided_by", ctx->who->id);
	json_set_str(rq, "decided_at", ctx->now_s);
	if (reason != NULL)
		json_set_str(rq, "reason", reason);
}

int
ticket_refund(struct action_ctx *ctx)
{
	const char *order_id = json_str(ctx->obj, "order_id");
	long long amount, max;
	cJSON *order, *details;
	char note[32];
	int approver = ticket_refund_allowed(ctx);

	if (ticket_awaits_finance(ctx->obj) && !approver) {
		details = cJSON_CreateObject();
		json_set(details, "refund_request", cJSON_Duplicate(
		    json_path(ctx->obj, "refund_request"), 1));
		return act_fail(ctx, 422, "awaiting_finance", details,
		    "a refund of %lld awaits finance on ticket %s; finance or "
		    "admin completes it (refund) or declines it (decline)",
		    json_int(json_path(ctx->obj, "refund_request"), "amount",
		    0), ctx->id);
	}
	if (order_id == NULL ||
	    (order = store_get(ctx->st, KIND_ORDER, order_id)) == NULL)
		return act_invalid(ctx, "order_id", "the ticket's order no "
		    "longer exists");
	max = order_refundable(order);
	if (ticket_refund_amount(ctx, max, &amount) != 0) {
		cJSON_Delete(order);
		return -1;
	}
	if (amount < 1 || amount > max) {
		cJSON_Delete(order);
		if (max == 0)
			act_invalid(ctx, "amount", "nothing is left to refund "
			    "on order %s", order_id);
		else
			act_invalid(ctx, "amount", "amount must be 1 to %lld "
			    "(what is left to refund on order %s)", max,
			    order_id);
		return act_detail(ctx, "max", cJSON_CreateNumber((double)max));
	}
	if (amount > REFUND_LIMIT && !approver) {
		cJSON_Delete(order);
		return ticket_refund_request(ctx, amount);
	}
	ticket_refund_order(ctx, order, amount);
	act_put_other(ctx, KIND_ORDER, order);
	cJSON_Delete(order);

	if (ticket_awaits_finance(ctx->obj))
		ticket_request_settle(ctx, "refunded", NULL);
	json_set_int(ctx->obj, "refund_amount",
	    json_int(ctx->obj, "refund_amount", 0) + amount);
	ticket_set_status(ctx, "refunded");
	snprintf(note, sizeof note, "%lld", amount);
	act_ticket_log(ctx, ctx->obj, "refund", note);
	return 0;
}

/* Finance declines the refund awaiting it: the ticket stays where it is. */
int
ticket_decline(struct action_ctx *ctx)
{
	const char *reason;

	if (act_str(ctx, "reason", 1, TICKET_NOTE_MAX, &reason) != 0)
		return -1;
	ticket_request_settle(ctx, "declined", reason);
	act_ticket_log(ctx, ctx->obj, "decline", reason);
	return 0;
}

/* exchange and reship: a parcel goes out to the buyer. */
static int
ticket_send_parcel(struct action_ctx *ctx, const char *status,
    const char *action)
{
	const char *carrier, *tracking;
	cJSON *shipment;
	char *note;

	if (act_waybill(ctx, &carrier, &tracking) != 0)
		return -1;
	shipment = cJSON_CreateObject();
	json_set_str(shipment, "carrier", carrier);
	json_set_str(shipment, "tracking_no", tracking);
	json_set_str(shipment, "shipped_at", ctx->now_s);
	json_set(ctx->obj, "shipment", shipment);
	ticket_set_status(ctx, status);
	note = xasprintf("%s %s", carrier, tracking);
	act_ticket_log(ctx, ctx->obj, action, note);
	free(note);
	return 0;
}

int
ticket_exchange(struct action_ctx *ctx)
{
	return ticket_send_parcel(ctx, "exchanged", "exchange");
}

int
ticket_reship(struct action_ctx *ctx)
{
	return ticket_send_parcel(ctx, "reshipped", "reship");
}

int
ticket_start(struct action_ctx *ctx)
{
	ticket_set_status(ctx, "in_progress");
	act_ticket_log(ctx, ctx->obj, "start", "");
	return 0;
}

int
ticket_propose(struct action_ctx *ctx)
{
	const char *solution;

	if (act_str(ctx, "solution", 1, TICKET_TEXT_MAX, &solution) != 0)
		return -1;
	json_set_str(ctx->obj, "solution", solution);
	ticket_set_status(ctx, "proposed");
	act_ticket_log(ctx, ctx->obj, "propose", solution);
	return 0;
}

/* resolve and close: a status and an optional note. */
static int
ticket_note_to(struct action_ctx *ctx, const char *status, const char *action)
{
	const char *note;

	if (act_str(ctx, "note", 0, TICKET_NOTE_MAX, &note) != 0)
		return -1;
	ticket_set_status(ctx, status);
	act_ticket_log(ctx, ctx->obj, action, note);
	return 0;
}

int
ticket_resolve(struct action_ctx *ctx)
{
	return ticket_note_to(ctx, "resolved", "resolve");
}

int
ticket_close(struct action_ctx *ctx)
{
	return ticket_note_to(ctx, "closed", "close");
}

int
ticket_escalate(struct action_ctx *ctx)
{
	const char *note;

	if (act_str(ctx, "note", 0, TICKET_NOTE_MAX, &note) != 0)
		return -1;
	json_set_bool(ctx->obj, "escalated", 1);
	json_set_str(ctx->obj, "priority", "urgent");
	act_ticket_log(ctx, ctx->obj, "escalate", note);
	return 0;
}

/* A timestamp member of sla, or 0 when absent or unparsable. */
static time_t
ticket_sla_time(const cJSON *sla, const char *key)
{
	const char *s = json_str(sla, key);
	time_t t;

	if (s == NULL || time_parse_rfc3339(s, &t) != 0)
		return 0;
	return t;
}

/*
 * The SLA state: met or breached stay once reached; breached when a target
 * passed; met when the work is done in time; warning when less than a quarter
 * of the current target's window is left; active otherwise.
 */
static const char *
ticket_sla_state(const cJSON *t, const cJSON *sla, time_t now)
{
	const struct ticket_kind *tk = ticket_kind_find(json_str(t, "kind"));
	const char *prev = json_str(sla, "state");
	const char *status = json_str(t, "status");
	time_t fa_due, rs_due, fa_at, deadline;
	long long window;
	int done;

	if (prev != NULL && (strcmp(prev, "met") == 0 ||
	    strcmp(prev, "breached") == 0))
		return prev;
	fa_due = ticket_sla_time(sla, "first_action_due");
	rs_due = ticket_sla_time(sla, "resolve_due");
	fa_at = ticket_sla_time(sla, "first_action_at");
	if (fa_due == 0 || rs_due == 0 || tk == NULL)
		return "active";
	done = status != NULL && act_lookup(ticket_done, status) >= 0;
	if ((fa_at != 0 && fa_at > fa_due) || (fa_at == 0 && now > fa_due) ||
	    now > rs_due)
		return "breached";
	if (done)
		return "met";
	if (fa_at == 0) {
		deadline = fa_due;
		window = tk->first_h * 3600LL;
	} else {
		deadline = rs_due;
		if (tk->approved_h > 0 && status != NULL &&
		    strcmp(status, "requested") != 0)
			window = tk->approved_h * 3600LL;
		else
			window = tk->resolve_h * 3600LL;
	}
	if ((long long)(deadline - now) * 4 < window)
		return "warning";
	return "active";
}

void
ticket_sla_update(struct action_ctx *ctx)
{
	cJSON *sla = cJSON_GetObjectItemCaseSensitive(ctx->obj, "sla");

	if (!cJSON_IsObject(sla))
		return;
	if ((ctx->def->flags & ACT_FIRST) &&
	    json_str(sla, "first_action_at") == NULL)
		json_set_str(sla, "first_action_at", ctx->now_s);
	json_set_str(sla, "state", ticket_sla_state(ctx->obj, sla, ctx->now));
}
