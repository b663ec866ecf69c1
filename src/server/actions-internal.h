/*
 * actions-internal.h -- what the action modules share.
 *
 * actions.c owns the table of actions and the dispatcher; actions-order.c,
 * actions-ticket.c, actions-chat.c and actions-catalog.c hold the handlers.
 * A handler gets a context with the loaded object (or none for a create),
 * validates the request body, changes ctx->obj in place and returns 0; the
 * dispatcher then writes the object and builds the response. On failure a
 * handler sets the error through act_fail() or act_invalid() (which return -1)
 * and returns -1 before any store_put(), so a refused action changes nothing.
 */
#ifndef SD_SERVER_ACTIONS_INTERNAL_H
#define SD_SERVER_ACTIONS_INTERNAL_H

#include <time.h>

#include <cjson/cJSON.h>

#include "model.h"
#include "server/actions.h"
#include "server/store.h"
#include "util/timeutil.h"

/* Role bits for the table. */
#define A_ADMIN		(1u << ROLE_ADMIN)
#define A_OPS		(1u << ROLE_OPS)
#define A_FINANCE	(1u << ROLE_FINANCE)
#define A_AGENT		(1u << ROLE_AGENT)
#define A_WAREHOUSE	(1u << ROLE_WAREHOUSE)

/* Flags of a table row. */
#define ACT_IFMATCH	0x1	/* needs If-Match */
#define ACT_CREATE	0x2	/* creates an object: no id, no object loaded */
#define ACT_FIRST	0x4	/* a ticket's first agent action (SLA) */

struct action_ctx;
typedef int (*action_fn)(struct action_ctx *);

struct action_def {
	enum sd_kind	 kind;
	const char	*method;	/* "POST", "PATCH" or "DELETE" */
	const char	*name;		/* "ship", "send", "create" */
	const char	*path;		/* last path segment or NULL */
	unsigned	 roles;		/* A_* bits of the roles allowed */
	int		 flags;		/* ACT_* */
	/*
	 * States the action is allowed from, space separated: "*" any, a
	 * leading "!" any but the listed ones, "kind:state" only for objects
	 * whose "kind" member matches. NULL for creates.
	 */
	const char	*from;
	int		(*guard)(const cJSON *); /* extra condition or NULL */
	action_fn	 fn;
};

struct action_ctx {
	struct store		*st;
	const struct action_req	*req;
	struct action_res	*res;
	const struct action_def	*def;
	const cJSON		*body;		/* never NULL */
	const struct store_user	*who;
	cJSON			*obj;		/* object changed or created */
	char			 id[24];	/* its id (set by creates) */
	int			 created;	/* answer 201 */
	int			 accepted;	/* answer 202: a request for finance */
	int			 deleted;	/* remove obj: a tombstone */
	cJSON			*reply;		/* custom answer or NULL */
	const char		*reply_key;	/* member of reply for obj */
	time_t			 now;
	char			 now_s[RFC3339_LEN];
};

/* actions.c: errors and body access. Each error function returns -1. */
int	 act_fail(struct action_ctx *, int status, const char *code,
	     cJSON *details, const char *fmt, ...)
	     __attribute__((format(printf, 5, 6)));
int	 act_invalid(struct action_ctx *, const char *field, const char *fmt,
	     ...) __attribute__((format(printf, 3, 4)));
/* Add member key to the details of the error already set; returns -1. */
int	 act_detail(struct action_ctx *, const char *key, cJSON *val);
/* JSON array of role names for a mask of A_* bits. */
cJSON	*act_roles_json(unsigned);
/* 403 forbidden with details {"role":..,"required":required}. */
int	 act_forbidden(struct action_ctx *, cJSON *required, const char *fmt,
	     ...) __attribute__((format(printf, 3, 4)));

/*
 * String member key of obj: absent or null is an error when min > 0 and gives
 * *out = NULL otherwise; its length in characters must be min..max. The
 * field named in errors is prefix + key.
 */
int	 act_str_in(struct action_ctx *, const cJSON *obj, const char *prefix,
	     const char *key, long min, long max, const char **out);
int	 act_str(struct action_ctx *, const char *key, long min, long max,
	     const char **out);
/* Integer member of obj (the body); *out untouched when absent and optional. */
int	 act_int(struct action_ctx *, const char *key, int required,
	     long long *out);
int	 act_int_in(struct action_ctx *, const cJSON *obj, const char *prefix,
	     const char *key, int required, long long *out);
/* Boolean member of the body, def when absent. */
int	 act_bool(struct action_ctx *, const char *key, int def, int *out);
/* String member of the body that must be one of list (NULL-terminated). */
int	 act_enum(struct action_ctx *, const char *key, const char *const *list,
	     int required, const char **out);
/* A carrier code and a tracking number from the body (ship, exchange...). */
int	 act_waybill(struct action_ctx *, const char **carrier,
	     const char **tracking);

/* Index of s in a NULL-terminated list, or -1. */
int	 act_lookup(const char *const *list, const char *s);
/* UTF-8 length in characters, -1 when s is not valid UTF-8. */
long	 act_utf8_len(const char *);
/* The first n characters of s, control characters as spaces; caller frees. */
char	*act_utf8_prefix(const char *, long n);

/* Write an object other than ctx->obj (a ticket's order, a product's SKUs). */
void	 act_put_other(struct action_ctx *, enum sd_kind, cJSON *obj);
/* Append {"at","by","event","detail"} to an order's timeline. */
void	 act_order_log(struct action_ctx *, cJSON *order, const char *event,
	     const char *detail);
/* Append {"at","by","action","note"} to a ticket's history. */
void	 act_ticket_log(struct action_ctx *, cJSON *ticket, const char *action,
	     const char *note);

/* actions-category.c */
int	 category_create(struct action_ctx *);
int	 category_edit(struct action_ctx *);
int	 category_move(struct action_ctx *);
int	 category_delete(struct action_ctx *);
/* Link product p to the body's category_id (or a "category" naming one). */
int	 category_for_product(struct action_ctx *, cJSON *p);

/* actions-order.c */
int	 order_pay(struct action_ctx *);
int	 order_ship(struct action_ctx *);
int	 order_correct(struct action_ctx *);
int	 order_deliver(struct action_ctx *);
int	 order_complete(struct action_ctx *);
int	 order_cancel(struct action_ctx *);
int	 order_address(struct action_ctx *);
int	 order_note(struct action_ctx *);
int	 order_flag(struct action_ctx *);
int	 order_unflag(struct action_ctx *);
int	 order_is_abnormal(const cJSON *);
/* Recompute the display status from payment, fulfillment and lifecycle. */
void	 order_derive(cJSON *order);
/* paid_amount - refunded_amount. */
long long order_refundable(const cJSON *order);

/* actions-ticket.c */
int	 ticket_create(struct action_ctx *);
int	 ticket_assign(struct action_ctx *);
int	 ticket_approve(struct action_ctx *);
int	 ticket_reject(struct action_ctx *);
int	 ticket_receive(struct action_ctx *);
int	 ticket_refund(struct action_ctx *);
int	 ticket_decline(struct action_ctx *);
/* Whether a refund request of the ticket awaits finance (refund_request). */
int	 ticket_awaits_finance(const cJSON *);
int	 ticket_exchange(struct action_ctx *);
int	 ticket_reship(struct action_ctx *);
int	 ticket_start(struct action_ctx *);
int	 ticket_propose(struct action_ctx *);
int	 ticket_resolve(struct action_ctx *);
int	 ticket_escalate(struct action_ctx *);
int	 ticket_close(struct action_ctx *);
/* Kinds that are reviewed (approve) or handled (start), from ticket_kinds. */
int	 ticket_is_reviewed(const cJSON *);
int	 ticket_is_handled(const cJSON *);
/* After every ticket action: first_action_at and sla.state. */
void	 ticket_sla_update(struct action_ctx *);

/* actions-chat.c */
int	 chat_accept(struct action_ctx *);
int	 chat_send(struct action_ctx *);
int	 chat_say(struct action_ctx *);
int	 chat_transfer(struct action_ctx *);
int	 chat_pending(struct action_ctx *);
int	 chat_snooze(struct action_ctx *);
int	 chat_close(struct action_ctx *);

/* actions-catalog.c */
/*
 * Record a stock movement on sku (whose "stock" is already the new one):
 * the newest first in its "movements", of which the store keeps the last
 * SKU_MOVEMENTS_MAX. ref names what caused it (a ticket), or NULL.
 */
#define SKU_MOVEMENTS_MAX	20
void	 sku_movement_add(struct action_ctx *, cJSON *sku, long long delta, const char *reason,
	    const char *ref);
int	 sku_adjust(struct action_ctx *);
int	 sku_threshold(struct action_ctx *);
int	 product_shelf(struct action_ctx *);
int	 product_unschedule(struct action_ctx *);
int	 product_is_scheduled(const cJSON *);
int	 product_create(struct action_ctx *);
int	 product_edit(struct action_ctx *);
int	 product_delete(struct action_ctx *);
int	 sku_create(struct action_ctx *);
int	 sku_edit(struct action_ctx *);
int	 sku_price(struct action_ctx *);
int	 promo_create(struct action_ctx *);
int	 promo_edit(struct action_ctx *);
int	 promo_schedule(struct action_ctx *);
int	 promo_activate(struct action_ctx *);
int	 promo_end(struct action_ctx *);

/* actions-canned.c */
int	 canned_add(struct action_ctx *);
int	 canned_edit(struct action_ctx *);
int	 canned_remove(struct action_ctx *);

#endif
