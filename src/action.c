/*
 * action.c -- the client's catalogue of write actions: the table, the state
 * machine, the optimistic patches, the summaries and action_prepare().
 *
 * action_table[] mirrors the ACTIONS section of shopdesk-storeapi(7) row for
 * row: roles, the states an action is allowed from and the state it leads
 * to are copied from the contract, not inferred. What the store would refuse
 * with 422 or 403 is refused here first, from the cached object, so that an
 * obviously impossible action never reaches the outbox; the store still has
 * the last word (the cache may be stale), and the outbox shows its answer.
 */
#include "config.h"

#include <libintl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action-internal.h"
#include "action.h"
#include "caps.h"
#include "outbox.h"
#include "sync.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define R(r)		(1u << (r))
#define STAFF		(R(ROLE_ADMIN) | R(ROLE_OPS) | R(ROLE_AGENT))
#define MERCHANT	(R(ROLE_ADMIN) | R(ROLE_OPS))
#define SHIPPERS	(R(ROLE_ADMIN) | R(ROLE_OPS) | R(ROLE_WAREHOUSE))
#define HANDS		(STAFF | R(ROLE_WAREHOUSE))
#define IFM		ACTION_IF_MATCH
#define REQ		ARG_REQUIRED

/* Marks the help lines for xgettext; the console and the CLI translate them where shown. */
#ifndef N_
#define N_(s)		(s)
#endif

#define PREVIEW_CHARS	60		/* a conversation's last_message_preview */


static const char *const abnormal_reasons[] = {
	"address", "buyer_cancel", "payment_failed", "out_of_stock", "fraud", NULL };
static const char *const ticket_kinds[] = { "refund_only", "return_refund", "exchange",
	"repair", "reship", "complaint", "logistics", NULL };
static const char *const priorities[] = { "normal", "high", "urgent", NULL };
static const char *const conditions[] = { "ok", "damaged", "partial", NULL };
static const char *const queues[] = { "presales", "aftersales", "vip", NULL };
static const char *const close_tags[] = { "resolved", "no_reply", "spam", "transferred",
	"order_issue", "presales_question", NULL };
static const char *const adjust_reasons[] = {
	"inbound", "sale", "return", "damage", "count", NULL };
static const char *const shelf_states[] = { "on", "off", NULL };
const char *const action_levels[] = { "normal", "gold", "diamond", NULL };
static const char *const promo_kind_names[] = { "threshold_coupon", "percent_coupon",
	"fixed_coupon", "new_customer_coupon", "flash_sale", "tiered", "n_items", "bundle",
	"member_price", "group_buy", NULL };


static int guard_flagged(const cJSON *);
static void patch_ship(struct action_ctx *);
static void patch_correct(struct action_ctx *);
static void patch_deliver(struct action_ctx *);
static void patch_lifecycle(struct action_ctx *);
static void patch_cancel(struct action_ctx *);
static void patch_copy(struct action_ctx *);
static void patch_note(struct action_ctx *);
static void patch_flag(struct action_ctx *);
static void patch_unflag(struct action_ctx *);
static void patch_receive(struct action_ctx *);
static void patch_refund(struct action_ctx *);
static void patch_decline(struct action_ctx *);
static void patch_parcel(struct action_ctx *);
static void patch_escalate(struct action_ctx *);
static void patch_accept(struct action_ctx *);
static void patch_send(struct action_ctx *);
static void patch_transfer(struct action_ctx *);
static void patch_snooze(struct action_ctx *);
static void patch_chat_close(struct action_ctx *);
static void patch_adjust(struct action_ctx *);
static void patch_threshold(struct action_ctx *);
static void patch_promo_edit(struct action_ctx *);
static void patch_promo_create(struct action_ctx *);
static void patch_remove(struct action_ctx *);
static int guard_scheduled(const cJSON *);
static void patch_shelf(struct action_ctx *);
static void patch_unschedule(struct action_ctx *);
static void patch_sku_edit(struct action_ctx *);
static void patch_price(struct action_ctx *);
static void patch_sku_create(struct action_ctx *);
static void patch_product_create(struct action_ctx *);
static void patch_category_create(struct action_ctx *);

#define END	{ NULL, NULL, 0, 0, 0, 0, NULL, NULL, NULL }
#define NOTE(h)	{ "note", "note", ARG_STRING, 0, 0, 500, NULL, "TEXT", h }

static const struct action_arg waybill_args[] = {
	{ "carrier", "carrier", ARG_CARRIER, REQ, 0, 0, NULL, "CODE",
	  N_("carrier: SF, JD, ZTO, YTO, YUNDA, EMS, STO or JT, or its name (顺丰, 极兔)") },
	{ "tracking", "tracking_no", ARG_TRACKING, REQ, 8, 30, NULL, "NUMBER",
	  N_("tracking number (物流单号), 8 to 30 letters or digits") },
	END
};

/* A promotion's members; R is the flags of the four a create needs. */
#define PROMO_ARGS(R) {							\
	{ "name", "name", ARG_STRING, R, 1, 60, NULL, "TEXT", N_("name, 1 to 60 characters") }, \
	{ "kind", "kind", ARG_ENUM, R, 0, 0, promo_kind_names, "KIND",	\
	  N_("threshold_coupon, percent_coupon, fixed_coupon, new_customer_coupon, " \
	  "flash_sale, tiered, n_items, bundle, member_price or group_buy") }, \
	{ "starts", "starts_at", ARG_TIME, R, 0, 0, NULL, "TIME", N_("when it starts") }, \
	{ "ends", "ends_at", ARG_TIME, R, 0, 0, NULL, "TIME", N_("when it ends, after it starts") }, \
	{ "skus", "sku_ids", ARG_LIST, 0, 1, 32, NULL, "SKU,...", N_("the SKUs it applies to") }, \
	{ "rules", "rules", ARG_JSON, 0, 0, 0, NULL, "JSON", N_("all rules as JSON, amounts in fen") }, \
	{ "threshold", "rules.threshold", ARG_MONEY, 0, 1, MONEY_MAX, NULL, "YUAN", \
	  N_("order amount from which it applies") },			\
	{ "off", "rules.off", ARG_MONEY, 0, 1, MONEY_MAX, NULL, "YUAN", N_("amount taken off") }, \
	{ "percent-off", "rules.percent_off", ARG_INT, 0, 1, 99, NULL, "N", N_("percent off, 1 to 99") }, \
	{ "max-off", "rules.max_off", ARG_MONEY, 0, 1, MONEY_MAX, NULL, "YUAN", \
	  N_("most taken off by a percent coupon") },			\
	{ "price", "rules.price", ARG_MONEY, 0, 1, MONEY_MAX, NULL, "YUAN", \
	  N_("price (flash sale, bundle, group buy)") },			\
	{ "quantity", "rules.quantity", ARG_INT, 0, 1, 10000000, NULL, "N", \
	  N_("units sold at a flash sale's price") },			\
	{ "items", "rules.n", ARG_INT, 0, 2, 100, NULL, "N", N_("items to buy (n_items)") }, \
	{ "level", "rules.level", ARG_ENUM, 0, 0, 0, action_levels, "LEVEL",	\
	  N_("member level: normal, gold or diamond") },			\
	{ "group-size", "rules.group_size", ARG_INT, 0, 2, 100, NULL, "N", \
	  N_("buyers a group needs (group_buy)") },				\
	{ "tiers", "rules.tiers", ARG_TIERS, 0, 1, 20, NULL, "T:OFF,...", \
	  N_("tiers in yuan, ascending: 199:20,299:40") },			\
	{ "budget", "limits.budget", ARG_MONEY, 0, 0, MONEY_MAX, NULL, "YUAN", \
	  N_("most discount in total (0: no limit)") },			\
	{ "per-customer", "limits.per_customer", ARG_INT, 0, 0, COUNT_MAX, NULL, "N", \
	  N_("redemptions per customer (0: no limit)") },			\
	{ "stock", "limits.stock", ARG_INT, 0, 0, COUNT_MAX, NULL, "N", \
	  N_("redemptions in total (0: no limit)") },			\
	END								\
}

static const struct action_arg promo_create_args[] = PROMO_ARGS(REQ);

/* A canned reply's members; R is the flags of those an add needs. */
#define CANNED_ARGS(R) {						\
	{ "shortcut", "shortcut", ARG_STRING, R, 1, CANNED_SHORTCUT_MAX, NULL, "NAME", \
	  N_("what the agent types after /: 1 to 32 characters, no blanks, / : , { }") }, \
	{ "lang", "lang", ARG_ENUM, R, 0, 0, canned_langs, "LANG", N_("zh_CN or en") }, \
	{ "title", "title", ARG_STRING, R, 1, CANNED_TITLE_MAX, NULL, "TEXT", \
	  N_("title, 1 to 60 characters") },				\
	{ "body", "body", ARG_STRING, R | ARG_STDIN, 1, CANNED_BODY_MAX, NULL, "TEXT", \
	  N_("the text, 1 to 2000 characters, with {customer_name} {order_id} {tracking_no} " \
	  "{carrier} {agent_name}; - reads it from standard input") }, \
	END								\
}

static const struct action_arg canned_add_args[] = CANNED_ARGS(REQ);

/* A product's texts; R is the flags of the two a create needs. */
#define PRODUCT_ARGS(R) {						\
	{ "title", "title", ARG_STRING, R, 1, 60, NULL, "TEXT", N_("title, 1 to 60 characters") }, \
	{ "category", "category", ARG_STRING, 0, 1, 40, NULL, "ID|PATH",	\
	  N_("category (类目): its id, path (手机数码/手机) or name in the store's tree; "	\
	  "a create needs it") },						\
	{ "category-id", "category_id", ARG_STRING, 0, 1, 64, NULL, "ID",	\
	  N_("the category by its id alone (what --category becomes)") },	\
	{ "subtitle", "subtitle", ARG_STRING, 0, 0, 80, NULL, "TEXT", N_("subtitle, at most 80") }, \
	{ "brand", "brand", ARG_STRING, 0, 0, 40, NULL, "TEXT", N_("brand, at most 40") }, \
	{ "description", "description", ARG_STRING, ARG_STDIN, 0, 2000, NULL, "TEXT", \
	  N_("description, at most 2000 characters; - reads it from standard input") }, \
	END								\
}
static const struct action_arg product_create_args[] = PRODUCT_ARGS(REQ);
static const struct action_arg product_edit_args[] = PRODUCT_ARGS(0);

/* A SKU's members (the price has its own action, for its history). */
#define SKU_ARGS(...) {							\
	__VA_ARGS__							\
	{ "spec", "attributes", ARG_SPECS, 0, 1, 5, NULL, "NAME=VALUE,...", \
	  N_("specifications (规格), unique within the product: colour=red,size=M") }, \
	{ "title", "title", ARG_STRING, 0, 0, 60, NULL, "TEXT",	\
	  N_("title, at most 60 (default: the specification values)") },	\
	{ "sku-code", "sku_code", ARG_STRING, 0, 0, 40, NULL, "CODE", N_("the merchant's SKU code") }, \
	{ "barcode", "barcode", ARG_STRING, 0, 0, 32, NULL, "DIGITS", N_("barcode (条码)") }, \
	{ "original-price", "original_price", ARG_MONEY, 0, 0, MONEY_MAX, NULL, "YUAN", \
	  N_("original (list) price (原价)") },				\
	{ "cost", "cost", ARG_MONEY, 0, 0, MONEY_MAX, NULL, "YUAN", N_("cost price (成本价)") }, \
	{ "weight", "weight", ARG_INT, 0, 0, 1000000, NULL, "GRAMS", N_("weight in grams") }, \
	END								\
}
static const struct action_arg sku_create_args[] = SKU_ARGS(
	{ "product", "product_id", ARG_STRING, REQ, 1, 64, NULL, "PRODUCT", N_("the product it belongs to") },
	{ "price", "price", ARG_MONEY, REQ, 1, MONEY_MAX, NULL, "YUAN", N_("current price (现价)") },);
static const struct action_arg sku_edit_args[] = SKU_ARGS();
static const struct action_arg canned_edit_args[] = CANNED_ARGS(0);
static const struct action_arg promo_edit_args[] = PROMO_ARGS(0);

#define ARGS(...)	((const struct action_arg[]){ __VA_ARGS__ })
#define NOARGS		ARGS(END)

const struct action_def action_table[] = {
	/* Orders. "pay" simulates the buyer's payment: the store's, not staff's. */
	{ "orders", "ship", KIND_ORDER, "POST", "ship", IFM, SHIPPERS, "awaiting_shipment",
	  NULL, "shipped", waybill_args, action_check_ship, patch_ship,
	  "ship {id} via {carrier} {tracking_no}", N_("hand an order to the carrier") },
	{ "orders", "correct", KIND_ORDER, "POST", "correct", IFM, SHIPPERS, "shipped",
	  NULL, NULL, ARGS(
	    { "carrier", "carrier", ARG_CARRIER, REQ, 0, 0, NULL, "CODE",
	      N_("the right carrier: SF, JD, ZTO, YTO, YUNDA or EMS, or its name") },
	    { "tracking", "tracking_no", ARG_TRACKING, REQ, 8, 30, NULL, "NUMBER",
	      N_("the right tracking number (物流单号), 8 to 30 letters or digits") },
	    { "reason", "reason", ARG_STRING, 0, 0, 200, NULL, "TEXT",
	      N_("why, for the order's timeline") }, END),
	  action_check_correct, patch_correct,
	  "correct {id}'s shipment to {carrier} {tracking_no}",
	  N_("correct the carrier or tracking number before the carrier picks the parcel up") },
	{ "orders", "deliver", KIND_ORDER, "POST", "deliver", IFM, SHIPPERS, "shipped",
	  NULL, "delivered", NOARGS, NULL, patch_deliver, "deliver {id}",
	  N_("record that the buyer received an order") },
	{ "orders", "complete", KIND_ORDER, "POST", "complete", IFM, MERCHANT, "delivered",
	  NULL, "completed", NOARGS, NULL, patch_lifecycle, "complete {id}",
	  N_("complete a delivered order") },
	{ "orders", "cancel", KIND_ORDER, "POST", "cancel", IFM | ACTION_MONEY, STAFF,
	  "pending_payment awaiting_shipment", NULL, "cancelled",
	  ARGS({ "reason", "reason", ARG_STRING, 0, 0, 200, NULL, "TEXT",
	    N_("why, for the order's timeline") }, END), action_check_cancel, patch_cancel,
	  "cancel {id} {reason}", N_("cancel an order before shipment (refunds what was paid)") },
	{ "orders", "address", KIND_ORDER, "POST", "address", IFM, STAFF,
	  "pending_payment awaiting_shipment", NULL, NULL,
	  ARGS({ "name", "address.name", ARG_STRING, 0, 1, 50, NULL, "TEXT", N_("recipient") },
	    { "phone", "address.phone", ARG_STRING, 0, 5, 20, NULL, "DIGITS", N_("telephone") },
	    { "province", "address.province", ARG_STRING, 0, 1, 50, NULL, "TEXT", N_("province") },
	    { "city", "address.city", ARG_STRING, 0, 1, 50, NULL, "TEXT", N_("city") },
	    { "district", "address.district", ARG_STRING, 0, 1, 50, NULL, "TEXT", N_("district") },
	    { "line", "address.line", ARG_STRING, 0, 1, 200, NULL, "TEXT",
	      N_("street, building, unit") }, END),
	  action_check_address, patch_copy, "change the address of {id}",
	  N_("change an order's delivery address (members not given are kept)") },
	{ "orders", "note", KIND_ORDER, "POST", "note", IFM, HANDS, "*", NULL, NULL,
	  ARGS({ "text", "text", ARG_STRING, REQ, 0, 500, NULL, "TEXT",
	    N_("the staff note, at most 500 characters (\"\" clears it)") }, END),
	  NULL, patch_note, "note on {id}: {text}", N_("set an order's staff note") },
	{ "orders", "flag", KIND_ORDER, "POST", "flag", IFM, HANDS, "!cancelled closed", NULL,
	  NULL, ARGS({ "reason", "reason", ARG_ENUM, REQ, 0, 0, abnormal_reasons, "REASON",
	    N_("address, buyer_cancel, payment_failed, out_of_stock or fraud") },
	    NOTE("what is wrong"), END), NULL, patch_flag, "flag {id} {reason}",
	  N_("flag an order abnormal (异常订单)") },
	{ "orders", "unflag", KIND_ORDER, "POST", "unflag", IFM, HANDS, "*", guard_flagged,
	  NULL, NOARGS, NULL, patch_unflag, "unflag {id}", N_("clear an order's abnormal flag") },

	/* Tickets. */
	{ "tickets", "create", KIND_TICKET, "POST", NULL, ACTION_CREATE, STAFF, NULL, NULL,
	  NULL, ARGS({ "order", "order_id", ARG_STRING, REQ, 1, 64, NULL, "ID",
	    N_("the order concerned") },
	    { "kind", "kind", ARG_ENUM, REQ, 0, 0, ticket_kinds, "KIND", N_("refund_only, "
	      "return_refund, exchange, repair, reship, complaint or logistics") },
	    { "reason", "reason", ARG_STRING, 0, 0, 500, NULL, "TEXT", N_("the buyer's reason") },
	    { "description", "description", ARG_STRING, 0, 0, 2000, NULL, "TEXT",
	      N_("the buyer's description") },
	    { "amount", "requested_amount", ARG_MONEY, 0, 0, MONEY_MAX, NULL, "YUAN",
	      N_("refund asked for (default 0)") },
	    { "priority", "priority", ARG_ENUM, 0, 0, 0, priorities, "PRIORITY",
	      N_("normal, high or urgent") },
	    { "evidence", "evidence", ARG_LIST, 0, 1, 500, NULL, "URL,...",
	      N_("links to photographs") }, END),
	  action_check_ticket_create, NULL, "create {kind} ticket on {order_id}",
	  N_("open an after-sales ticket (售后) on an order") },
	{ "tickets", "assign", KIND_TICKET, "POST", "assign", IFM, STAFF, "!closed", NULL, NULL,
	  ARGS({ "assignee", "assignee", ARG_USER, REQ, 1, 15, NULL, "USER",
	    N_("user id, or me") }, END), NULL, patch_copy, "assign {id} to {assignee}",
	  N_("give a ticket to a user") },
	{ "tickets", "approve", KIND_TICKET, "POST", "approve", IFM, STAFF,
	  "refund_only:requested return_refund:requested exchange:requested "
	  "repair:requested reship:requested", NULL,
	  "refund_only:approved reship:approved return_refund:awaiting_return "
	  "exchange:awaiting_return repair:awaiting_return",
	  ARGS(NOTE("note for the history"), END), NULL, NULL, "approve {id}",
	  N_("approve a refund, return, exchange, repair or reship request") },
	{ "tickets", "reject", KIND_TICKET, "POST", "reject", IFM, STAFF, "requested", NULL,
	  "rejected", ARGS({ "reason", "reason", ARG_STRING, REQ, 1, 500, NULL, "TEXT",
	    N_("why, for the buyer") }, END), NULL, NULL, "reject {id}: {reason}",
	  N_("reject a request") },
	{ "tickets", "receive", KIND_TICKET, "POST", "receive", IFM, HANDS, "awaiting_return",
	  NULL, "received", ARGS({ "condition", "condition", ARG_ENUM, 0, 0, 0, conditions,
	    "CONDITION", N_("ok (the default), damaged or partial") },
	    { "restock", "restock", ARG_BOOL, 0, 0, 0, NULL, NULL,
	      N_("put the returned goods back into stock") }, END),
	  NULL, patch_receive, "receive the return of {id} {condition}",
	  N_("record the buyer's returned parcel as received") },
	{ "tickets", "refund", KIND_TICKET, "POST", "refund", IFM | ACTION_MONEY,
	  STAFF | R(ROLE_FINANCE),
	  "refund_only:approved return_refund:received", NULL, "refunded",
	  ARGS({ "amount", "amount", ARG_MONEY, 0, 1, MONEY_MAX, NULL, "YUAN",
	    N_("amount to refund, such as 129.00 (default: the amount awaiting finance, "
	    "else the one asked for, at most what is refundable)") }, END),
	  action_check_refund, patch_refund, "refund {amount} on {id}",
	  N_("refund the buyer (above the store's limit, ¥500.00, agents and ops send it "
	  "to finance)") },
	{ "tickets", "decline", KIND_TICKET, "POST", "decline", IFM,
	  R(ROLE_ADMIN) | R(ROLE_FINANCE), "refund_only:approved return_refund:received",
	  action_awaits_finance, NULL, ARGS({ "reason", "reason", ARG_STRING, REQ, 1, 500, NULL,
	    "TEXT", N_("why, for the agent") }, END), NULL, patch_decline,
	  "decline the refund awaiting finance on {id}: {reason}",
	  N_("finance: decline a refund request (the ticket stays as it is)") },
	{ "tickets", "exchange", KIND_TICKET, "POST", "exchange", IFM, HANDS,
	  "exchange:received repair:received", NULL, "exchanged", waybill_args, NULL,
	  patch_parcel, "send the replacement for {id} via {carrier} {tracking_no}",
	  N_("send the replacement or repaired item") },
	{ "tickets", "reship", KIND_TICKET, "POST", "reship", IFM, HANDS, "reship:approved",
	  NULL, "reshipped", waybill_args, NULL, patch_parcel,
	  "reship {id} via {carrier} {tracking_no}", N_("send a new parcel (补发)") },
	{ "tickets", "start", KIND_TICKET, "POST", "start", IFM, STAFF,
	  "complaint:requested logistics:requested", NULL, "in_progress", NOARGS, NULL, NULL,
	  "start work on {id}", N_("start handling a complaint or logistics problem") },
	{ "tickets", "propose", KIND_TICKET, "POST", "propose", IFM, STAFF,
	  "complaint:in_progress", NULL, "proposed",
	  ARGS({ "solution", "solution", ARG_STRING, REQ, 1, 2000, NULL, "TEXT",
	    N_("the solution offered") }, END), NULL, patch_copy, "propose on {id}: {solution}",
	  N_("propose a solution to a complaint") },
	{ "tickets", "resolve", KIND_TICKET, "POST", "resolve", IFM, STAFF,
	  "logistics:in_progress complaint:proposed", NULL, "resolved",
	  ARGS(NOTE("note for the history"), END), NULL, NULL, "resolve {id}",
	  N_("resolve a complaint or logistics problem") },
	{ "tickets", "escalate", KIND_TICKET, "POST", "escalate", IFM, STAFF, "!closed", NULL,
	  NULL, ARGS(NOTE("why"), END), NULL, patch_escalate, "escalate {id}",
	  N_("escalate to a supervisor (升级): urgent priority") },
	{ "tickets", "close", KIND_TICKET, "POST", "close", IFM, STAFF,
	  "rejected refunded exchanged reshipped resolved", NULL, "closed",
	  ARGS(NOTE("note for the history"), END), NULL, NULL, "close {id}",
	  N_("close a finished ticket") },

	/* Conversations: sending appends, so it goes without If-Match. */
	{ "chats", "accept", KIND_CONVERSATION, "POST", "accept", IFM, STAFF,
	  "new pending snoozed", NULL, "open", NOARGS, NULL, patch_accept, "accept {id}",
	  N_("take a conversation") },
	{ "chats", "send", KIND_CONVERSATION, "POST", "messages", 0, STAFF, "!resolved", NULL,
	  "open", ARGS({ "body", "body", ARG_STRING, REQ | ARG_STDIN, 1, 2000, NULL, "TEXT",
	    N_("the message, 1 to 2000 characters; /SHORTCUT[:LANG] is that canned reply, "
	    "filled in; - reads it from standard input") }, END),
	  action_check_send, patch_send, "send to {id}: {body}", N_("send a message to the customer") },
	{ "chats", "transfer", KIND_CONVERSATION, "POST", "transfer", IFM, STAFF,
	  "new open pending", NULL, NULL,
	  ARGS({ "queue", "queue", ARG_ENUM, 0, 0, 0, queues, "QUEUE",
	    N_("to a queue: presales, aftersales or vip") },
	    { "assignee", "assignee", ARG_USER, 0, 1, 15, NULL, "USER",
	      N_("to a user id, or me") }, END),
	  action_check_transfer, patch_transfer, "transfer {id} to {queue}{assignee}",
	  N_("transfer a conversation (转接) to a queue or an agent") },
	{ "chats", "pending", KIND_CONVERSATION, "POST", "pending", IFM, STAFF, "open", NULL,
	  "pending", NOARGS, NULL, NULL, "set {id} pending",
	  N_("wait on the customer") },
	{ "chats", "snooze", KIND_CONVERSATION, "POST", "snooze", IFM, STAFF, "open pending",
	  NULL, "snoozed", ARGS({ "until", "until", ARG_TIME, REQ, 0, 0, NULL, "TIME",
	    N_("until when, in the future") }, END), action_check_snooze, patch_snooze,
	  "snooze {id} until {until}", N_("put a conversation aside until a time") },
	{ "chats", "close", KIND_CONVERSATION, "POST", "close", IFM, STAFF, "!resolved", NULL,
	  "resolved", ARGS({ "tag", "tag", ARG_ENUM, REQ, 0, 0, close_tags, "TAG",
	    N_("resolved, no_reply, spam, transferred, order_issue or presales_question") }, END),
	  NULL, patch_chat_close, "close {id} as {tag}", N_("close a conversation with a tag") },

	/* SKUs and products: no states; all need If-Match. */
	{ "stock", "adjust", KIND_SKU, "POST", "adjust", IFM, SHIPPERS, "*", NULL, NULL,
	  ARGS({ "delta", "delta", ARG_INT, REQ, -COUNT_MAX, COUNT_MAX, NULL, "N",
	    N_("units to add (+50) or remove (-3), not 0") },
	    { "reason", "reason", ARG_ENUM, REQ, 0, 0, adjust_reasons, "REASON",
	      N_("inbound, sale, return, damage or count") }, END),
	  action_check_adjust, patch_adjust, "adjust {id} by {delta} ({reason})",
	  N_("add to or take from a SKU's stock") },
	{ "stock", "threshold", KIND_SKU, "POST", "threshold", IFM, SHIPPERS, "*", NULL, NULL,
	  ARGS({ "threshold", "threshold", ARG_INT, REQ, 0, COUNT_MAX, NULL, "N",
	    N_("the low-stock warning level (库存预警值), 0 or more") }, END),
	  NULL, patch_threshold, "set the low-stock threshold of {id} to {threshold}",
	  N_("set a SKU's low-stock threshold") },
	{ "stock", "create", KIND_SKU, "POST", NULL, ACTION_CREATE, MERCHANT, NULL, NULL, NULL,
	  sku_create_args, action_check_sku, patch_sku_create, "add a SKU to {product_id}",
	  N_("add a SKU to a product") },
	{ "stock", "edit", KIND_SKU, "PATCH", NULL, IFM, MERCHANT, "*", NULL, NULL,
	  sku_edit_args, action_check_sku, patch_sku_edit, "edit SKU {id}",
	  N_("change a SKU's specifications, codes, original price, cost or weight") },
	{ "stock", "price", KIND_SKU, "POST", "price", IFM, MERCHANT, "*", NULL, NULL,
	  ARGS({ "price", "price", ARG_MONEY, REQ, 1, MONEY_MAX, NULL, "YUAN",
	    N_("the new price (调价)") }, END), action_check_price, patch_price,
	  "price {id} at {price}", N_("change a SKU's price (kept in its price history)") },
	{ "products", "create", KIND_PRODUCT, "POST", NULL, ACTION_CREATE, MERCHANT, NULL, NULL,
	  NULL, product_create_args, action_check_product_category, patch_product_create,
	  "create product {title}",
	  N_("create a product, off the shelf (商品管理)") },
	{ "products", "edit", KIND_PRODUCT, "PATCH", NULL, IFM, MERCHANT, "*", NULL, NULL,
	  product_edit_args, action_check_product_category, patch_copy, "edit product {id}",
	  N_("change a product's title, category, subtitle, brand or description") },
	{ "products", "delete", KIND_PRODUCT, "DELETE", NULL, IFM, MERCHANT, "*", NULL, NULL,
	  NOARGS, NULL, patch_remove, "delete product {id}",
	  N_("delete a product and its SKUs (refused while open orders have it)") },
	{ "products", "shelf", KIND_PRODUCT, "POST", "shelf", IFM, MERCHANT, "*", NULL, NULL,
	  ARGS({ "shelf", "shelf", ARG_ENUM, REQ, 0, 0, shelf_states, "on|off",
	    N_("on (上架) or off (下架) the shelf") },
	    { "at", "at", ARG_TIME, 0, 0, 0, NULL, "TIME",
	      N_("when, in the future (定时上架); now when not given") }, END),
	  action_check_shelf, patch_shelf,
	  "put {id} {shelf} the shelf", N_("put a product and its SKUs on or off the shelf, now or at a time") },
	{ "products", "cancel", KIND_PRODUCT, "POST", "cancel", IFM, MERCHANT, "*",
	  guard_scheduled, NULL, NOARGS, NULL, patch_unschedule, "cancel the scheduled shelf change of {id}",
	  N_("cancel a product's scheduled shelf change") },

	/* Promotions. */
	{ "promos", "create", KIND_PROMOTION, "POST", NULL, ACTION_CREATE, MERCHANT, NULL, NULL,
	  NULL, promo_create_args, action_check_promo_create, patch_promo_create, "create {kind} {name}",
	  N_("create a promotion, as a draft") },
	{ "promos", "edit", KIND_PROMOTION, "PATCH", NULL, IFM, MERCHANT, "draft scheduled",
	  NULL, NULL, promo_edit_args, action_check_promo_edit, patch_promo_edit, "edit {id}",
	  N_("change a draft or scheduled promotion") },
	{ "promos", "schedule", KIND_PROMOTION, "POST", "schedule", IFM, MERCHANT, "draft",
	  NULL, "scheduled", NOARGS, action_check_schedule, NULL, "schedule {id}",
	  N_("schedule a draft to start at its start time") },
	{ "promos", "activate", KIND_PROMOTION, "POST", "activate", IFM, MERCHANT,
	  "draft scheduled", NULL, "active", NOARGS, action_check_activate, NULL, "activate {id}",
	  N_("start a promotion now") },
	{ "promos", "end", KIND_PROMOTION, "POST", "end", IFM, MERCHANT, "scheduled active",
	  NULL, "ended", NOARGS, NULL, NULL, "end {id}", N_("end a promotion now") },

	/* The category tree (商品类目): checked against the cached tree (action-category.c). */
	{ "categories", "create", KIND_CATEGORY, "POST", NULL, ACTION_CREATE, MERCHANT, NULL,
	  NULL, NULL, ARGS({ "name", "name", ARG_STRING, REQ, 1, 40, NULL, "NAME",
	    N_("name, 1 to 40 characters, unique among its siblings") },
	    { "parent", "parent_id", ARG_STRING, 0, 1, 200, NULL, "ID|PATH",
	      N_("the parent: its id, path (手机数码/手机) or name; top (the default): the top level") },
	    { "position", "position", ARG_INT, 0, 0, 1000000, NULL, "N",
	      N_("place among its siblings (default: after them)") }, END),
	  action_check_category_create, patch_category_create, "create category {name}",
	  N_("create a category in the store's tree (商品类目)") },
	{ "categories", "rename", KIND_CATEGORY, "PATCH", NULL, IFM, MERCHANT, "*", NULL, NULL,
	  ARGS({ "name", "name", ARG_STRING, REQ, 1, 40, NULL, "NAME",
	    N_("the new name, 1 to 40 characters, unique among its siblings") }, END),
	  action_check_category_rename, patch_copy, "rename category {id} to {name}",
	  N_("rename a category (its products get the new name)") },
	{ "categories", "move", KIND_CATEGORY, "POST", "move", IFM, MERCHANT, "*", NULL, NULL,
	  ARGS({ "parent", "parent_id", ARG_STRING, REQ, 1, 200, NULL, "ID|PATH|top",
	    N_("the new parent: its id, path or name, or top for the top level") },
	    { "position", "position", ARG_INT, 0, 0, 1000000, NULL, "N",
	      N_("place among its new siblings (default: after them)") }, END),
	  action_check_category_move, patch_copy, "move category {id} under {parent_id}",
	  N_("move a category, with everything below it, under another or to the top level") },
	{ "categories", "delete", KIND_CATEGORY, "DELETE", NULL, IFM, MERCHANT, "*", NULL, NULL,
	  NOARGS, action_check_category_delete, patch_remove, "delete category {id}",
	  N_("delete an empty category (refused while categories or products are in it)") },

	/* Canned replies (快捷回复): the team's, managed by those who use them. */
	{ "canned", "add", KIND_CANNED_REPLY, "POST", NULL, ACTION_CREATE, STAFF, NULL, NULL,
	  NULL, canned_add_args, action_check_canned, NULL, "add /{shortcut} ({lang}): {title}",
	  N_("add a canned reply (快捷回复)") },
	{ "canned", "edit", KIND_CANNED_REPLY, "PATCH", NULL, IFM, STAFF, "*", NULL, NULL,
	  canned_edit_args, action_check_canned, patch_copy, "edit canned reply {id}",
	  N_("change a canned reply's shortcut, language, title or text") },
	{ "canned", "remove", KIND_CANNED_REPLY, "DELETE", NULL, IFM, STAFF, "*", NULL, NULL,
	  NOARGS, NULL, patch_remove, "remove canned reply {id}", N_("remove a canned reply") },
	{ NULL, NULL, 0, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }
};

/* --- the table ------------------------------------------------------------------ */

const struct action_def *
action_find(const char *noun, const char *name)
{
	const struct action_def *d;

	for (d = action_table; d->name != NULL; d++)
		if (strcmp(d->noun, noun) == 0 && strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

int
action_arg_count(const struct action_def *d)
{
	int n = 0;

	while (d->args[n].flag != NULL)
		n++;
	return n;
}

int
action_arg_index(const struct action_def *d, const char *name)
{
	int i;

	for (i = 0; d->args[i].flag != NULL; i++)
		if (strcasecmp(d->args[i].flag, name) == 0 ||
		    strcasecmp(d->args[i].field, name) == 0)
			return i;
	return -1;
}

void
action_usage(const struct action_def *d, struct buf *out)
{
	const struct action_arg *a;

	if (!(d->flags & ACTION_CREATE))
		buf_adds(out, "ID");
	for (a = d->args; a->flag != NULL; a++) {
		buf_addf(out, "%s%s--%s", out->len != 0 ? " " : "",
		    (a->flags & REQ) ? "" : "[", a->flag);
		if (a->type != ARG_BOOL)
			buf_addf(out, " %s", a->metavar);
		if (!(a->flags & REQ))
			buf_addc(out, ']');
	}
}

char *
action_path(const struct action_def *d, const char *id)
{
	const char *path = kind_info(d->kind)->path;

	if (id == NULL)
		return xasprintf("/v1/%s", path);
	if (d->path_action == NULL)
		return xasprintf("/v1/%s/%s", path, id);
	return xasprintf("/v1/%s/%s/%s", path, id, d->path_action);
}

int
action_state_allows(const struct action_def *d, const cJSON *obj)
{
	if (!model_state_matches(d->from, json_str(obj, "kind"), json_str(obj, "status")))
		return 0;
	return d->guard == NULL || d->guard(obj);
}

/* The status def leads obj to, or NULL when it does not change it. */
static char *
action_target(const struct action_def *d, const cJSON *obj)
{
	const char *p = d->to, *kind = json_str(obj, "kind"), *colon;
	size_t n;

	if (p == NULL)
		return NULL;
	for (; *p != '\0'; p += n) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		colon = memchr(p, ':', n);
		if (colon == NULL)
			return xstrndup(p, n);
		if (kind != NULL && strlen(kind) == (size_t)(colon - p) &&
		    strncmp(p, kind, strlen(kind)) == 0)
			return xstrndup(colon + 1, n - (size_t)(colon - p) - 1);
	}
	return NULL;
}

char *
action_allowed(const struct action_def *d, const cJSON *obj)
{
	const struct action_def *o;
	struct buf b;

	buf_init(&b);
	for (o = action_table; o->name != NULL; o++)
		if (o->kind == d->kind && !(o->flags & ACTION_CREATE) &&
		    action_state_allows(o, obj))
			buf_addf(&b, "%s%s", b.len != 0 ? ", " : "", o->name);
	if (b.len == 0)
		buf_adds(&b, "none");
	return buf_steal(&b);
}

int
action_role_allows(const struct action_def *d, int role)
{
	return role < 0 || (d->roles & R(role)) != 0;
}

char *
action_roles_text(unsigned roles)
{
	struct buf b;
	int r, n = 0, total = 0;

	for (r = 0; r < ROLE__COUNT; r++)
		total += (roles & R(r)) != 0;
	buf_init(&b);
	for (r = 0; r < ROLE__COUNT; r++)
		if (roles & R(r)) {
			n++;
			buf_addf(&b, "%s%s", n == 1 ? "" : n == total ? " or " : ", ",
			    role_name((enum sd_role)r));
		}
	return buf_steal(&b);
}

static int
guard_flagged(const cJSON *order)
{
	return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(order, "abnormal"));
}

static int
guard_scheduled(const cJSON *product)
{
	return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(product, "scheduled_shelf"));
}

/* --- helpers ------------------------------------------------------------------------ */

enum sd_status
action_fail(struct action_ctx *ctx, enum sd_status st, const char *fmt, ...)
{
	va_list ap;

	/*
	 * In the user's language where the program chose one (textdomain():
	 * the console and the CLI do, the reference store does not). The
	 * formats are extracted with --keyword=action_fail:3.
	 */
	va_start(ap, fmt);
	free(*ctx->cause);
	*ctx->cause = xvasprintf(gettext(fmt), ap);
	va_end(ap);
	return st;
}

/* How to name argument a in a message: "--carrier", or "carrier" in a CSV file. */
const char *
action_arg_label(const struct action_ctx *ctx, const struct action_arg *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", ctx->csv ? "" : "--", ctx->csv ? a->field : a->flag);
	return buf;
}

/* The label of def's argument for body member field (for messages). */
const char *
action_field_label(const struct action_ctx *ctx, const char *field, char *buf, size_t len)
{
	int i = action_arg_index(ctx->def, field);

	if (i < 0) {
		snprintf(buf, len, "%s", field);
		return buf;
	}
	return action_arg_label(ctx, &ctx->def->args[i], buf, len);
}

/* Set the member at dotted path, making the objects on the way. */
void
action_json_set(cJSON *obj, const char *path, cJSON *val)
{
	char key[64];
	const char *dot;
	cJSON *next;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
		next = cJSON_GetObjectItemCaseSensitive(obj, key);
		if (!cJSON_IsObject(next)) {
			next = cJSON_CreateObject();
			json_set(obj, key, next);
		}
		obj = next;
		path = dot + 1;
	}
	json_set(obj, path, val);
}

cJSON *
action_json_dup(const cJSON *v)
{
	cJSON *c = cJSON_Duplicate(v, 1);

	if (c == NULL)
		fatal("action: out of memory");
	return c;
}

/* Length of s in characters, or -1 when it is not valid UTF-8. */
long
action_utf8_chars(const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;
	long c = 0;
	int len;

	while (i < n) {
		len = text_utf8_decode(s + i, n - i, &cp);
		if (cp == 0xfffd && len == 1)
			return -1;
		i += (size_t)len;
		c++;
	}
	return c;
}

/* The first n characters of s, controls as spaces; caller frees. */
char *
action_utf8_prefix(const char *s, long n)
{
	size_t len = strlen(s), i = 0;
	struct buf b;
	uint32_t cp;
	int k;

	buf_init(&b);
	buf_adds(&b, "");
	while (i < len && n-- > 0) {
		k = text_utf8_decode(s + i, len - i, &cp);
		if (cp < 0x20 || cp == 0x7f)
			buf_addc(&b, ' ');
		else
			buf_add(&b, s + i, (size_t)k);
		i += (size_t)k;
	}
	return buf_steal(&b);
}

char *
action_list_text(const char *const *list)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; list[i] != NULL; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", list[i]);
	return buf_steal(&b);
}

char *
action_carriers_text(void)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; carriers[i].code != NULL; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", carriers[i].code);
	return buf_steal(&b);
}

/* "no order 'SO1' in the cache (last synced ...); ..." */
enum sd_status
action_not_cached(struct action_ctx *ctx, enum sd_kind k, const char *id)
{
	char *last = cache_state_get(ctx->cache, SYNC_LAST_KEY), *clean = text_clip(id);
	enum sd_status st;

	st = action_fail(ctx, SD_ENOTFOUND, "no %s '%s' in the cache (last synced %s); check the id "
	    "or run 'shopdesk sync'", kind_info(k)->name, clean, last != NULL ? last : "never");
	free(last);
	free(clean);
	return st;
}

/* The cached object k/id, parsed, or NULL. */
cJSON *
action_cached(struct action_ctx *ctx, enum sd_kind k, const char *id)
{
	char *json = cache_get_json(ctx->cache, k, id);
	cJSON *obj = json != NULL ? cJSON_Parse(json) : NULL;

	free(json);
	return obj;
}

/* --- patches: the object as the user expects it once the store applies the action ---- */

/* Set member key of the patch to a copy of the body's member from. */
static void
patch_take(struct action_ctx *ctx, const char *key, const char *from)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(ctx->body, from);

	if (v != NULL)
		json_set(ctx->patch, key, action_json_dup(v));
}

static void
patch_now(struct action_ctx *ctx, cJSON *obj, const char *key)
{
	char ts[RFC3339_LEN];

	time_format_rfc3339(ctx->now, ts);
	json_set_str(obj, key, ts);
}

/* A parcel leaving the warehouse: {"carrier", "tracking_no", N_("shipped_at")}. */
static cJSON *
patch_shipment(struct action_ctx *ctx)
{
	cJSON *s = cJSON_CreateObject();

	json_set_str(s, "carrier", json_str(ctx->body, "carrier"));
	json_set_str(s, "tracking_no", json_str(ctx->body, "tracking_no"));
	patch_now(ctx, s, "shipped_at");
	return s;
}

static void
patch_ship(struct action_ctx *ctx)
{
	json_set_str(ctx->patch, "fulfillment_status", "shipped");
	json_set(ctx->patch, "shipment", patch_shipment(ctx));
}

/* The waybill corrected; shipped_at and the rest of the shipment stay. */
static void
patch_correct(struct action_ctx *ctx)
{
	cJSON *s = cJSON_CreateObject();

	json_set_str(s, "carrier", json_str(ctx->body, "carrier"));
	json_set_str(s, "tracking_no", json_str(ctx->body, "tracking_no"));
	json_set(ctx->patch, "shipment", s);
}

static void
patch_deliver(struct action_ctx *ctx)
{
	cJSON *s = cJSON_CreateObject();

	json_set_str(ctx->patch, "fulfillment_status", "delivered");
	patch_now(ctx, s, "delivered_at");
	json_set(ctx->patch, "shipment", s);
}

static void
patch_lifecycle(struct action_ctx *ctx)
{
	json_set_str(ctx->patch, "lifecycle", json_str(ctx->patch, "status"));
}

static void
patch_cancel(struct action_ctx *ctx)
{
	long long paid = json_int(ctx->obj, "paid_amount", 0);

	json_set_str(ctx->patch, "lifecycle", "cancelled");
	/* A paid order is refunded in full. */
	if (paid > json_int(ctx->obj, "refunded_amount", 0)) {
		json_set_int(ctx->patch, "refunded_amount", paid);
		json_set_str(ctx->patch, "payment_status", "refunded");
	}
}

static void
patch_copy(struct action_ctx *ctx)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, ctx->body)
		json_set(ctx->patch, v->string, action_json_dup(v));
}

static void
patch_note(struct action_ctx *ctx)
{
	patch_take(ctx, "note", "text");
}

static void
patch_flag(struct action_ctx *ctx)
{
	cJSON *ab = cJSON_CreateObject();

	json_set_str(ab, "reason", json_str(ctx->body, "reason"));
	json_set_str(ab, "note", json_str(ctx->body, "note") ? json_str(ctx->body, "note") : "");
	patch_now(ctx, ab, "at");
	if (ctx->me != NULL)
		json_set_str(ab, "by", ctx->me);
	json_set(ctx->patch, "abnormal", ab);
}

static void
patch_unflag(struct action_ctx *ctx)
{
	json_set_null(ctx->patch, "abnormal");
}

static void
patch_receive(struct action_ctx *ctx)
{
	json_set_str(ctx->patch, "condition", json_str(ctx->body, "condition") != NULL ?
	    json_str(ctx->body, "condition") : "ok");
	json_set_bool(ctx->patch, "restocked", json_bool(ctx->body, "restock"));
}

/* A copy of the ticket's refund_request with status, who and when. */
static cJSON *
patch_request(struct action_ctx *ctx, const char *status, const char *who_key,
    const char *at_key)
{
	const cJSON *rq = json_path(ctx->obj, "refund_request");
	cJSON *r = cJSON_IsObject(rq) ? action_json_dup(rq) : cJSON_CreateObject();

	json_set_str(r, "status", status);
	if (ctx->me != NULL)
		json_set_str(r, who_key, ctx->me);
	patch_now(ctx, r, at_key);
	return r;
}

static void
patch_refund(struct action_ctx *ctx)
{
	cJSON *r;

	if (ctx->to_finance) {
		/* A request for finance: nothing is refunded, the status stays. */
		r = patch_request(ctx, "awaiting_finance", "requested_by", "at");
		json_set_int(r, "amount", json_int(ctx->body, "amount", 0));
		cJSON_DeleteItemFromObjectCaseSensitive(r, "decided_by");
		cJSON_DeleteItemFromObjectCaseSensitive(r, "decided_at");
		cJSON_DeleteItemFromObjectCaseSensitive(r, "reason");
		json_set(ctx->patch, "refund_request", r);
		json_set_str(ctx->patch, "status", json_str(ctx->obj, "status"));
		return;
	}
	if (action_awaits_finance(ctx->obj))
		json_set(ctx->patch, "refund_request",
		    patch_request(ctx, "refunded", "decided_by", "decided_at"));
	json_set_int(ctx->patch, "refund_amount", json_int(ctx->obj, "refund_amount", 0) +
	    json_int(ctx->body, "amount", 0));
}

static void
patch_decline(struct action_ctx *ctx)
{
	cJSON *r = patch_request(ctx, "declined", "decided_by", "decided_at");

	json_set_str(r, "reason", json_str(ctx->body, "reason"));
	json_set(ctx->patch, "refund_request", r);
}

static void
patch_parcel(struct action_ctx *ctx)
{
	json_set(ctx->patch, "shipment", patch_shipment(ctx));
}

static void
patch_escalate(struct action_ctx *ctx)
{
	json_set_bool(ctx->patch, "escalated", 1);
	json_set_str(ctx->patch, "priority", "urgent");
}

static void
patch_accept(struct action_ctx *ctx)
{
	if (ctx->me != NULL)
		json_set_str(ctx->patch, "assignee", ctx->me);
	json_set_null(ctx->patch, "snoozed_until");
}

static void
patch_send(struct action_ctx *ctx)
{
	char *preview = action_utf8_prefix(json_str(ctx->body, "body"), PREVIEW_CHARS);

	json_set_null(ctx->patch, "waiting_since");
	json_set_null(ctx->patch, "snoozed_until");
	json_set_int(ctx->patch, "unread", 0);
	json_set_str(ctx->patch, "last_message_preview", preview);
	patch_now(ctx, ctx->patch, "last_message_at");
	if (ctx->me != NULL && json_str(ctx->obj, "assignee") == NULL)
		json_set_str(ctx->patch, "assignee", ctx->me);
	free(preview);
}

static void
patch_transfer(struct action_ctx *ctx)
{
	if (json_str(ctx->body, "queue") != NULL) {
		patch_take(ctx, "queue", "queue");
		json_set_str(ctx->patch, "status", "new");
		json_set_null(ctx->patch, "assignee");
	} else {
		patch_take(ctx, "assignee", "assignee");
		json_set_str(ctx->patch, "status", "open");
	}
}

static void
patch_snooze(struct action_ctx *ctx)
{
	patch_take(ctx, "snoozed_until", "until");
}

static void
patch_chat_close(struct action_ctx *ctx)
{
	patch_take(ctx, "tag", "tag");
	json_set_null(ctx->patch, "waiting_since");
	json_set_null(ctx->patch, "snoozed_until");
}

static void
patch_adjust(struct action_ctx *ctx)
{
	if (ctx->obj != NULL)
		json_set_int(ctx->patch, "stock", json_int(ctx->obj, "stock", 0) +
		    json_int(ctx->body, "delta", 0));
}

static void
patch_threshold(struct action_ctx *ctx)
{
	patch_take(ctx, "low_stock_threshold", "threshold");
}

static void
patch_promo_edit(struct action_ctx *ctx)
{
	const cJSON *old = json_path(ctx->obj, "rules"), *v;
	cJSON *rules;

	patch_copy(ctx);
	/* The store replaces rules whole; a merge patch removes members with null. */
	rules = cJSON_GetObjectItemCaseSensitive(ctx->patch, "rules");
	if (cJSON_IsObject(rules) && cJSON_IsObject(old))
		cJSON_ArrayForEach(v, old)
			if (cJSON_GetObjectItemCaseSensitive(rules, v->string) == NULL)
				json_set_null(rules, v->string);
}

/* A new promotion shows, until the store makes it, as the draft it will be. */
static void
patch_promo_create(struct action_ctx *ctx)
{
	patch_copy(ctx);
	json_set_str(ctx->patch, "status", "draft");
}

/* Removed once the store agrees; until then shown marked, not hidden (it may be refused). */
/* A shelf change at a time shows as scheduled until the store carries it out. */
static void
patch_shelf(struct action_ctx *ctx)
{
	cJSON *sched;

	if (json_str(ctx->body, "at") == NULL) {
		json_set_str(ctx->patch, "shelf", json_str(ctx->body, "shelf"));
		json_set_null(ctx->patch, "scheduled_shelf");
		return;
	}
	sched = cJSON_CreateObject();
	json_set_str(sched, "shelf", json_str(ctx->body, "shelf"));
	json_set_str(sched, "at", json_str(ctx->body, "at"));
	if (ctx->me != NULL)
		json_set_str(sched, "by", ctx->me);
	json_set(ctx->patch, "scheduled_shelf", sched);
}

static void
patch_unschedule(struct action_ctx *ctx)
{
	json_set_null(ctx->patch, "scheduled_shelf");
}

/*
 * A product, SKU or category queued to be created shows at once as the
 * outbox's placeholder (new-N): the object as the store will make it.
 */
static void
patch_product_create(struct action_ctx *ctx)
{
	const char *cat = json_str(ctx->body, "category_id");
	char *json = cat != NULL ? cache_get_json(ctx->cache, KIND_CATEGORY, cat) : NULL;
	cJSON *c = json != NULL ? cJSON_Parse(json) : NULL;

	patch_copy(ctx);
	json_set_str(ctx->patch, "shelf", "off");	/* as the store makes it */
	json_set(ctx->patch, "sku_ids", cJSON_CreateArray());
	if (json_str(c, "name") != NULL)
		json_set_str(ctx->patch, "category", json_str(c, "name"));
	cJSON_Delete(c);
	free(json);
}

static void
patch_category_create(struct action_ctx *ctx)
{
	patch_copy(ctx);
	if (json_path(ctx->patch, "position") == NULL)
		json_set_int(ctx->patch, "position", 1000000);	/* after its siblings */
}

static void
patch_sku_create(struct action_ctx *ctx)
{
	const char *pid = json_str(ctx->body, "product_id");
	char nid[OUTBOX_NEW_ID_LEN], *json = NULL;
	const cJSON *v;
	cJSON *p;
	struct buf b;

	patch_copy(ctx);
	if (json_str(ctx->patch, "title") == NULL) {
		/* The store's default title: the specification values. */
		buf_init(&b);
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(ctx->body, "attributes"))
			if (cJSON_IsString(v))
				buf_addf(&b, "%s%s", b.len > 0 ? " / " : "", v->valuestring);
		json_set_str(ctx->patch, "title", buf_str(&b));
		buf_done(&b);
	}
	json_set_int(ctx->patch, "stock", 0);
	json_set_int(ctx->patch, "reserved", 0);
	/* Its product: cached, or itself waiting in the outbox (@N, shown as new-N). */
	if (pid != NULL && pid[0] == '@') {
		snprintf(nid, sizeof nid, OUTBOX_NEW_PREFIX "%s", pid + 1);
		pid = nid;
	}
	if (pid != NULL)
		json = cache_get_json(ctx->cache, KIND_PRODUCT, pid);
	if ((p = json != NULL ? cJSON_Parse(json) : NULL) != NULL) {
		if (json_str(p, "title") != NULL)
			json_set_str(ctx->patch, "product_title", json_str(p, "title"));
		json_set_str(ctx->patch, "shelf", json_str(p, "shelf") != NULL ?
		    json_str(p, "shelf") : "off");
	} else
		json_set_str(ctx->patch, "shelf", "off");
	cJSON_Delete(p);
	free(json);
}

/* The store replaces attributes whole; a merge patch removes members with null. */
static void
patch_sku_edit(struct action_ctx *ctx)
{
	const cJSON *old = json_path(ctx->obj, "attributes"), *v;
	cJSON *attrs;

	patch_copy(ctx);
	attrs = cJSON_GetObjectItemCaseSensitive(ctx->patch, "attributes");
	if (cJSON_IsObject(attrs) && cJSON_IsObject(old))
		cJSON_ArrayForEach(v, old)
			if (cJSON_GetObjectItemCaseSensitive(attrs, v->string) == NULL)
				json_set_null(attrs, v->string);
}

static void
patch_price(struct action_ctx *ctx)
{
	json_set_int(ctx->patch, "price", json_int(ctx->body, "price", 0));
}

static void
patch_remove(struct action_ctx *ctx)
{
	json_set_bool(ctx->patch, "_removing", 1);
}

/* --- summaries ------------------------------------------------------------------------ */

/* Expand the row's template: {id} and {member} of the body, money as money. */
static char *
summary_build(struct action_ctx *ctx)
{
	const char *p = ctx->def->summary, *close;
	const struct action_arg *a;
	const cJSON *v;
	char name[48], *s;
	struct buf b;
	int i;

	buf_init(&b);
	for (; *p != '\0'; p++) {
		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			buf_addc(&b, *p);
			continue;
		}
		snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
		p = close;
		if (strcmp(name, "id") == 0) {
			buf_adds(&b, ctx->id != NULL ? ctx->id : "");
			continue;
		}
		v = json_path(ctx->body, name);
		i = action_arg_index(ctx->def, name);
		a = i >= 0 ? &ctx->def->args[i] : NULL;
		if (cJSON_IsString(v)) {
			s = action_utf8_prefix(v->valuestring, 40);
			text_sanitize_buf(s, 0, &b);
			if (action_utf8_chars(v->valuestring) > 40)
				buf_adds(&b, "...");
			free(s);
		} else if (cJSON_IsNumber(v) && a != NULL && a->type == ARG_MONEY)
			action_format_money((long long)v->valuedouble, &b);
		else if (cJSON_IsNumber(v))
			buf_addf(&b, a != NULL && a->min < 0 ? "%+lld" : "%lld",
			    (long long)v->valuedouble);
	}
	while (b.len > 0 && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == ':'))
		b.data[--b.len] = '\0';
	return buf_steal(&b);
}

/* --- prepare -------------------------------------------------------------------------- */

/*
 * What def needs, in words, for an object of kind tkind (tickets; NULL
 * otherwise): "awaiting_shipment", "approved or received", "any status but
 * closed"; for a kind of ticket def is not for, "a refund_only or
 * return_refund ticket". Into out.
 */
static void
state_needs(const struct action_def *d, const char *tkind, struct buf *out)
{
	const char *p = d->from, *colon;
	char *words[16], *kinds[16];
	size_t n, nw = 0, nk = 0, i;
	int neg = 0;

	if (p != NULL && *p == '!') {
		neg = 1;
		p++;
	}
	for (; p != NULL && *p != '\0' && nw < 16; p += n) {
		p += strspn(p, " ");
		if ((n = strcspn(p, " ")) == 0)
			break;
		colon = memchr(p, ':', n);
		if (colon == NULL)
			words[nw++] = xstrndup(p, n);
		else if (tkind != NULL && strlen(tkind) == (size_t)(colon - p) &&
		    strncmp(p, tkind, (size_t)(colon - p)) == 0)
			words[nw++] = xstrndup(colon + 1, n - (size_t)(colon - p) - 1);
		else if (nk < 16)
			kinds[nk++] = xstrndup(p, (size_t)(colon - p));
	}
	if (nw == 0 && nk > 0) {
		buf_adds(out, "a ");
		for (i = 0; i < nk; i++)
			buf_addf(out, "%s%s", i == 0 ? "" : i + 1 == nk ? " or " : ", ", kinds[i]);
		buf_adds(out, " ticket");
	} else {
		if (neg)
			buf_adds(out, "any status but ");
		for (i = 0; i < nw; i++)
			buf_addf(out, "%s%s", i == 0 ? "" : i + 1 == nw ? (neg ? " and " : " or ") :
			    ", ", words[i]);
	}
	for (i = 0; i < nw; i++)
		free(words[i]);
	for (i = 0; i < nk; i++)
		free(kinds[i]);
}

/*
 * The refusal of def on ctx->obj in its current state, with what def needs
 * and what is allowed now: "cannot approve ticket AS1000001: it is a
 * refund_only ticket, refunded; approve needs requested; now allowed: close".
 */
static enum sd_status
refuse_state(struct action_ctx *ctx)
{
	const struct action_def *d = ctx->def;
	const char *kname = kind_info(d->kind)->name;
	const char *tk = d->kind == KIND_TICKET ? json_str(ctx->obj, "kind") : NULL;
	char *status, *tkind, *allowed;
	enum sd_status st;
	struct buf needs;

	allowed = action_allowed(d, ctx->obj);
	if (d->guard == guard_flagged) {
		st = action_fail(ctx, SD_EREFUSED, "cannot %s %s %s: it is not flagged abnormal; "
		    "now allowed: %s", d->name, kname, ctx->id, allowed);
		free(allowed);
		return st;
	}
	status = text_clip(json_str(ctx->obj, "status") ? json_str(ctx->obj, "status") :
	    "without a status");
	tkind = text_clip(tk != NULL ? tk : "");
	buf_init(&needs);
	if (model_state_matches(d->from, tk, json_str(ctx->obj, "status")) &&
	    d->guard == action_awaits_finance)
		buf_adds(&needs, "a refund request awaiting finance");
	else
		state_needs(d, tk, &needs);
	st = action_fail(ctx, SD_EREFUSED, "cannot %s %s %s: it is %s%s%s%s; %s needs %s; "
	    "now allowed: %s", d->name, kname, ctx->id, *tkind ? "a " : "", tkind,
	    *tkind ? " ticket, " : "", status, d->name, buf_str(&needs), allowed);
	buf_done(&needs);
	free(status);
	free(tkind);
	free(allowed);
	return st;
}

enum sd_status
action_refuse_unoffered(struct action_ctx *ctx)
{
	const struct action_def *d = ctx->def;
	enum sd_status st;
	char *what, *why;

	if (caps_kind_offered(ctx->cache, d->kind) &&
	    caps_action_offered(ctx->cache, d->noun, d->name))
		return SD_OK;
	what = xasprintf("%s %s", d->noun, d->name);
	why = caps_refusal(ctx->cache, what);
	st = action_fail(ctx, SD_EREFUSED, "%s", why);
	free(why);
	free(what);
	return st;
}

enum sd_status
action_prepare_ctx(struct action_ctx *ctx, struct action_plan *plan)
{
	const struct action_def *d = ctx->def;
	enum sd_status st, ost = SD_OK;
	char *json, *roles, *target, *bad;

	/*
	 * What the store cannot do at all is refused before anything else
	 * (a CSV file's lines: once, before the first; batch_load()).
	 */
	if (!ctx->csv && (st = action_refuse_unoffered(ctx)) != SD_OK)
		return st;
	if (!action_role_allows(d, ctx->role)) {
		roles = action_roles_text(d->roles);
		st = action_fail(ctx, SD_EAUTH, "your role (%s) may not %s %s: that needs %s",
		    role_name((enum sd_role)ctx->role), d->name, d->noun, roles);
		free(roles);
		return st;
	}
	if ((d->flags & ACTION_CREATE) && ctx->id != NULL)
		return action_fail(ctx, SD_EUSAGE, "%s %s takes no id", d->noun, d->name);
	if (!(d->flags & ACTION_CREATE) && (ctx->id == NULL || *ctx->id == '\0'))
		return action_fail(ctx, SD_EUSAGE, "%s %s needs the id of a %s", d->noun, d->name,
		    kind_info(d->kind)->name);
	ctx->body = cJSON_CreateObject();
	/* A CSV line goes on to say what is wrong with its object too. */
	if ((st = action_build_body(ctx)) != SD_OK && !ctx->csv)
		return st;
	if (!(d->flags & ACTION_CREATE)) {
		bad = st != SD_OK ? *ctx->cause : NULL;
		if (bad != NULL)
			*ctx->cause = NULL;
		if ((json = cache_get_json(ctx->cache, d->kind, ctx->id)) != NULL) {
			ctx->obj = cJSON_Parse(json);
			/* A CSV line keeps it for its overlay: the object is read once. */
			if (ctx->csv && ctx->obj != NULL) {
				free(ctx->shown);
				ctx->shown = json;
			} else
				free(json);
			if (ctx->obj == NULL)
				ost = action_fail(ctx, SD_ECACHE, "the cached %s %s is corrupt; run "
				    "'shopdesk sync --full'", kind_info(d->kind)->name, ctx->id);
			else if (!action_state_allows(d, ctx->obj))
				ost = refuse_state(ctx);
		} else if (ctx->role < 0 || role_can_read((enum sd_role)ctx->role, d->kind))
			ost = action_not_cached(ctx, d->kind, ctx->id);
		if (bad != NULL) {
			/* The object's problem first: it is what the line is about. */
			json = ost != SD_OK ? xasprintf("%s; %s", *ctx->cause, bad) : bad;
			if (json != bad)
				free(bad);
			free(*ctx->cause);
			*ctx->cause = json;
			return ost != SD_OK ? ost : st;
		}
		if (ost != SD_OK)
			return ost;
		if (ctx->obj == NULL) {
			/*
			 * The contract lets warehouse users receive, exchange and reship
			 * tickets they cannot read. Their version is unknown: If-Match 0
			 * (no object has it) makes the store answer 409 with the ticket,
			 * and resolving the conflict with --mine sends it at that version.
			 */
			ctx->note = xasprintf("your role cannot read %ss, so %s is not in the cache: "
			    "the store will answer with a conflict showing it, to be resolved with "
			    "--mine", kind_info(d->kind)->name, ctx->id);
		}
	}
	if (st != SD_OK)
		return st;
	if (d->check != NULL && (st = d->check(ctx)) != SD_OK)
		return st;
	if (!(d->flags & ACTION_CREATE)) {
		ctx->patch = cJSON_CreateObject();
		if ((target = action_target(d, ctx->obj)) != NULL) {
			json_set_str(ctx->patch, "status", target);
			free(target);
		}
		if (d->patch != NULL)
			d->patch(ctx);
		if (cJSON_GetArraySize(ctx->patch) == 0) {
			cJSON_Delete(ctx->patch);
			ctx->patch = NULL;
		}
	} else if (d->patch != NULL) {
		/* A create's patch is the object as it will look (outbox.h's placeholder). */
		ctx->patch = cJSON_CreateObject();
		d->patch(ctx);
	}
	plan->def = d;
	plan->object_id = ctx->id != NULL ? xstrdup(ctx->id) : NULL;
	/*
	 * The version the action is decided on: the store's version the user
	 * sees (the overlay of their own pending actions does not change it).
	 * When an earlier pending action on the same object is applied, the
	 * outbox re-bases this one on the version the store gave it (see
	 * push_rebase), so a chain of offline actions does not conflict with
	 * itself, and one that was refused does not shift the others.
	 */
	plan->base_version = !(d->flags & ACTION_IF_MATCH) ? -1 : ctx->obj == NULL ? 0 :
	    json_int(ctx->obj, "version", 0);
	plan->body = ctx->body;
	plan->patch = ctx->patch;
	plan->summary = summary_build(ctx);
	plan->note = ctx->note;
	plan->confirm = ctx->confirm;
	plan->to_finance = ctx->to_finance;
	plan->strict = ctx->strict;
	plan->shown = ctx->shown;
	ctx->body = ctx->patch = NULL;
	ctx->note = ctx->confirm = ctx->shown = NULL;
	return SD_OK;
}

void
action_ctx_init(struct action_ctx *ctx, struct cache *c, const struct action_def *d,
    const char *id, const char *const *values, time_t now, char **cause)
{
	char *role = cache_state_get(c, "me.role");

	memset(ctx, 0, sizeof *ctx);
	ctx->cache = c;
	ctx->def = d;
	ctx->id = id;
	ctx->values = values;
	ctx->now = now;
	ctx->cause = cause;
	ctx->role = role != NULL ? role_from_name(role) : -1;
	ctx->me = cache_state_get(c, "me.id");
	free(role);
}

void
action_ctx_reset(struct action_ctx *ctx)
{
	cJSON_Delete(ctx->obj);
	cJSON_Delete(ctx->body);
	cJSON_Delete(ctx->patch);
	free(ctx->note);
	free(ctx->confirm);
	free(ctx->shown);
	ctx->obj = ctx->body = ctx->patch = NULL;
	ctx->note = ctx->confirm = ctx->shown = NULL;
	ctx->to_finance = 0;
	ctx->strict = 0;
}

void
action_ctx_done(struct action_ctx *ctx)
{
	action_ctx_reset(ctx);
	free(ctx->me);
	ctx->me = NULL;
}

enum sd_status
action_prepare(struct cache *c, const struct action_def *d, const char *id,
    const char *const *values, time_t now, struct action_plan *plan, char **cause)
{
	struct action_ctx ctx;
	enum sd_status st;

	memset(plan, 0, sizeof *plan);
	*cause = NULL;
	action_ctx_init(&ctx, c, d, id, values, now, cause);
	st = action_prepare_ctx(&ctx, plan);
	action_ctx_done(&ctx);
	return st;
}

void
action_plan_done(struct action_plan *plan)
{
	free(plan->object_id);
	cJSON_Delete(plan->body);
	cJSON_Delete(plan->patch);
	free(plan->summary);
	free(plan->note);
	free(plan->confirm);
	free(plan->shown);
	cache_row_free(plan->ready);
	memset(plan, 0, sizeof *plan);
}
