/*
 * action.h -- the client's catalogue of write actions, as one table.
 *
 * Every write of Store API v1 that staff may do from shopdesk is a row of
 * action_table[]: its CLI noun and name, the kind and endpoint, whether it
 * sends If-Match, the roles and states the contract allows it for, the state
 * it leads to, and its arguments (flag, body member, type, bounds, help).
 * The CLI's action commands with their usage and help, CSV batches and the
 * console's ':' command line are all derived from this table; a unit test
 * compares it with the list of actions in shopdesk-storeapi(7).
 *
 * action_prepare() turns what a person typed into what the outbox queues:
 * it checks the role (when the cache knows it), parses the values, loads the
 * cached object, checks its state, validates against it (a refund within
 * what is still refundable on the order, stock never below what is
 * reserved, a promotion that ends after it starts...) and builds the
 * request body, the optimistic JSON merge patch and a one-line summary.
 * Nothing here talks to the network or writes the cache.
 *
 * Order pay is deliberately absent: it simulates the buyer's payment and
 * belongs to the reference store's tests, not to staff.
 */
#ifndef SD_ACTION_H
#define SD_ACTION_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "model.h"
#include "status.h"
#include "util/buf.h"

enum action_arg_type {
	ARG_STRING,	/* text of min..max characters */
	ARG_INT,	/* a whole number in min..max ("+50" allowed) */
	ARG_MONEY,	/* yuan as typed ("12.90", "¥1,299", "12元") -> fen in min..max */
	ARG_TIME,	/* see action_parse_time() -> RFC 3339 UTC */
	ARG_BOOL,	/* a switch: true when given */
	ARG_ENUM,	/* one of values[] */
	ARG_CARRIER,	/* a carrier of carriers[] by code or name (carrier_resolve) -> the code */
	ARG_TRACKING,	/* a tracking number: 8 to 30 of [A-Za-z0-9] */
	ARG_USER,	/* a user id, or "me" */
	ARG_LIST,	/* comma-separated ids -> array of strings */
	ARG_TIERS,	/* "199:20,299:40" in yuan -> [{"threshold":..,"off":..},...] */
	ARG_JSON,	/* a JSON value as typed (amounts in fen) */
	ARG_SPECS,	/* "colour=red,size=M" -> {"colour":"red","size":"M"}, min..max pairs */
};

#define ARG_REQUIRED	0x1	/* must be given */
#define ARG_STDIN	0x2	/* "-" means: read the value from standard input (CLI) */

struct action_arg {
	const char	*flag;		/* option without "--": "tracking" */
	const char	*field;		/* body member, dotted when nested: "address.city" */
	enum action_arg_type type;
	int		 flags;		/* ARG_* */
	long long	 min;		/* characters, value, or fen */
	long long	 max;
	const char *const *values;	/* ARG_ENUM: NULL-terminated */
	const char	*metavar;	/* "CODE" in usage */
	const char	*help;		/* one line */
};

#define ACTION_CREATE	0x1	/* no id: creates an object */
#define ACTION_IF_MATCH	0x2	/* sends If-Match with the cached version */
#define ACTION_MONEY	0x4	/* may move money: action_plan's confirm says how much */

struct action_ctx;

struct action_def {
	const char	*noun;		/* CLI noun: "orders" */
	const char	*name;		/* the contract's action name: "ship" */
	enum sd_kind	 kind;
	const char	*method;	/* "POST", "PATCH" or "DELETE" */
	const char	*path_action;	/* URL segment after the id, NULL for create/PATCH */
	int		 flags;		/* ACTION_* */
	unsigned	 roles;		/* bit (1 << enum sd_role) per role allowed */
	/*
	 * States allowed, as in the contract: "a b" any of them, "!a b" any
	 * but them, "*" any, "kind:state" only for objects of that "kind"
	 * member (tickets). NULL for creates.
	 */
	const char	*from;
	int		(*guard)(const cJSON *obj);	/* extra condition, or NULL */
	const char	*to;		/* status after it ("kind:status" allowed), or NULL */
	const struct action_arg *args;	/* ends with a NULL flag */
	enum sd_status	(*check)(struct action_ctx *);	/* validation beyond the args */
	void		(*patch)(struct action_ctx *);	/* overlay beyond "to" */
	const char	*summary;	/* "ship {id} via {carrier} {tracking_no}" */
	const char	*help;		/* one line */
};

/* The catalogue, ended by a row with a NULL name. */
extern const struct action_def action_table[];

/* A row by noun and name, or NULL. */
const struct action_def *action_find(const char *noun, const char *name);
/* Number of arguments of a row; index of an argument by flag or field, -1. */
int	 action_arg_count(const struct action_def *);
int	 action_arg_index(const struct action_def *, const char *flag_or_field);
/* "ID --carrier CODE --tracking NUMBER [--restock]" into out. */
void	 action_usage(const struct action_def *, struct buf *out);
/* The contract's path: "/v1/orders/SO10000042/ship"; caller frees. */
char	*action_path(const struct action_def *, const char *id);

/* Whether the contract allows def on obj in its current state. */
int	 action_state_allows(const struct action_def *, const cJSON *obj);
/* Names of the actions of def's noun obj's state allows: "deliver, note, flag". */
char	*action_allowed(const struct action_def *, const cJSON *obj);
/* Whether role (an enum sd_role, -1 when unknown) may run def. */
int	 action_role_allows(const struct action_def *, int role);
/* "admin, ops or warehouse"; caller frees. */
char	*action_roles_text(unsigned roles);

/*
 * Money as people type it: "12.90", "12.9", "12", "¥12.90", "￥12.90",
 * "1,299.00" (commas only between groups of three), "12.90元", in yuan with
 * at most two decimals, to fen in min..max. Negative only when min < 0.
 * 0, or -1 with *cause.
 */
int	 action_parse_money(const char *, long long min, long long max, long long *out,
	    char **cause);
/* "¥238.00" (or "CNY 238.00" outside a UTF-8 locale). */
void	 action_format_money(long long fen, struct buf *out);
/*
 * A time as people type it: time_parse_user() (the one parser of user
 * dates, in the store's zone), with *cause saying what is accepted.
 * 0, or -1 with *cause.
 */
int	 action_parse_time(const char *, time_t now, time_t *out, char **cause);

/*
 * The money of a ticket, for the console's detail and `tickets show`: its
 * order's paid and refunded amounts (when the order is cached), what is
 * still refundable (paid - refunded), what the buyer asked for, and the
 * refund request awaiting finance or decided by it (refund_request).
 */
struct ticket_money {
	int		 order_known;	/* the order is in the cache */
	long long	 paid;
	long long	 refunded;
	long long	 refundable;
	long long	 requested;	/* requested_amount */
	long long	 request;	/* refund_request.amount, 0 when none */
	char		*request_status; /* "awaiting_finance", "declined", ... or NULL */
	char		*request_by;	/* who asked, or NULL */
};
void	 action_ticket_money(struct cache *, const cJSON *ticket, struct ticket_money *);
void	 action_ticket_money_done(struct ticket_money *);

/* What action_prepare() builds: all the outbox needs. */
struct action_plan {
	const struct action_def *def;
	char		*object_id;	/* NULL for a create */
	long long	 base_version;	/* If-Match, -1 for none */
	cJSON		*body;		/* the request body */
	cJSON		*patch;		/* merge patch for the overlay, or NULL */
	char		*summary;	/* "ship SO10000042 via SF SF1234567890" */
	char		*note;		/* something to tell the user, or NULL */
	/*
	 * What an action that moves money will do, to be confirmed before it
	 * is queued ("Refund ¥129.00 of ¥238.00 paid to 张三丰 for AS1000001
	 * (order SO10000002); ¥109.00 stays refundable"), or NULL.
	 */
	char		*confirm;
	int		 to_finance;	/* a refund that goes to finance as a request */
	int		 strict;	/* confirm needs a yes even from a script (--yes) */
	/*
	 * A CSV line's object as the cache showed it when checked (its JSON
	 * text), for the overlay made when it is queued (outbox_new.shown), or
	 * NULL.
	 */
	char		*shown;
	/*
	 * A CSV line's overlay, made from shown when checked
	 * (outbox_overlay_ready(); outbox_new.ready), or NULL.
	 */
	struct cache_row *ready;
};

/*
 * Prepare def on id (NULL for creates) with values[i] the text given for
 * def->args[i] (NULL when not given). SD_OK with *plan filled, or:
 * SD_EREFUSED first of all when the store behind the cache does not offer
 * def (caps.h: "tickets approve: not offered by this store (medusa)"),
 * SD_EUSAGE for what was typed (a bad amount, an unknown carrier, a missing
 * option, a promotion ending before it starts), SD_ENOTFOUND when id or an
 * object named by a value is not in the cache, SD_EREFUSED when the cached
 * object's state does not allow it (the message lists what is allowed) or
 * it would break a rule of the store (refund above what is refundable, stock
 * below reserved), SD_EAUTH when the cache knows the user's role and the
 * contract forbids it (the message names the roles that may), SD_ECACHE;
 * each with *cause (caller frees).
 */
enum sd_status action_prepare(struct cache *, const struct action_def *, const char *id,
	    const char *const *values, time_t now, struct action_plan *, char **cause);
void	 action_plan_done(struct action_plan *);

/*
 * The inverse of preparing def: the words that give body back on the
 * console's ':' line after the action's name. Required arguments are
 * positional in the table's order while none is missing, the others
 * "--flag VALUE", a switch "--flag"; money in yuan ("12.90"), times in
 * RFC 3339, lists and tiers comma-separated. A JSON argument ("--rules")
 * only for what the specific ones cannot give. Returns the number of words,
 * in *argv (NULL-terminated; action_words_free), or -1 with *cause when a
 * member of body is given by no argument.
 */
int	 action_words(const struct action_def *, const cJSON *body, char ***argv,
	    char **cause);
void	 action_words_free(char ***argv);

/*
 * A CSV batch: one action per line of a UTF-8 CSV text (a BOM, CRLF and
 * quoted fields with "" and line breaks allowed). The header names the
 * columns: the object's id ("order_id" for orders, "sku_id" for stock: the
 * kind's name and "_id") and the arguments, by body member or flag
 * ("tracking_no" or "tracking"). Every line is prepared as action_prepare()
 * would; an id twice in the file is an error on the second line.
 */
struct action_batch_line {
	long		 line;		/* where the record starts in the file, 1-based */
	char		*id;		/* the object id, NULL for creates */
	struct action_plan plan;	/* when status is SD_OK */
	enum sd_status	 status;	/* SD_OK, or why the line is bad */
	char		*error;		/* what is wrong with it, or NULL */
};

struct action_batch {
	const struct action_def *def;
	struct action_batch_line *lines;
	size_t		 n;
	size_t		 bad;		/* lines with an error */
	const char	*encoding;	/* what the file was read as ("GB18030"), or NULL */
	char		*ignored;	/* the header's columns not used ("收件人, 备注"), or NULL */
	long long	 as_of;		/* outbox_seen_version() before the lines were checked */
};

/*
 * Read and validate text (len bytes). SD_OK when the file could be read as
 * a whole (lines may still be bad: see bad), else SD_EREFUSED (the store
 * does not offer def: caps.h), SD_EUSAGE (no header, an unknown or missing
 * column, nothing to do) or SD_EAUTH (the role may not run def at all) with
 * *cause.
 */
enum sd_status action_batch_load(struct cache *, const struct action_def *, const char *text,
	    size_t len, time_t now, struct action_batch *, char **cause);
/* The same for a file only checked, never queued (--dry-run): no plan.ready made. */
enum sd_status action_batch_check(struct cache *, const struct action_def *, const char *text,
	    size_t len, time_t now, struct action_batch *, char **cause);
void	 action_batch_done(struct action_batch *);

/*
 * Canned replies (action-canned.c). action_canned_each() calls fn for each
 * cached reply (of lang, or all with NULL) by shortcut and language, until
 * fn returns non-zero (returned); -1 when the cache cannot be read.
 */
int	 action_canned_each(struct cache *, const char *lang,
	    int (*fn)(void *arg, const cJSON *reply), void *arg);
/* A CSV export: the header "shortcut,lang,title,body" and one line (RFC 4180, CRLF). */
void	 action_canned_csv_header(struct buf *out);
void	 action_canned_csv_line(const cJSON *reply, struct buf *out);
/*
 * A CSV file of canned replies (the columns shortcut, lang, title, body in
 * any order, as the export writes them) as a batch: a line adds its reply,
 * or edits the cached one with the same shortcut and language when its title
 * or text differ (so that importing an export changes nothing); a line the
 * same as the cached reply queues nothing and is counted in *unchanged. A
 * bad line's error lists all its problems; a shortcut and language twice
 * in the file is an error on the second line. Returns as action_batch_load.
 */
enum sd_status action_canned_import(struct cache *, const char *text, size_t len, time_t now,
	    struct action_batch *, size_t *unchanged, char **cause);
/*
 * What "send /word" would say in conversation conv_id (may be NULL): the
 * text of the reply whose shortcut is word ("/delay", "/hello:en"), or else
 * of the first whose shortcut starts with it, its placeholders filled where
 * the cache can (the others left as "{tracking_no}"), controls as spaces.
 * NULL when none; *which receives "/delay:zh_CN". Both for the caller to free.
 */
char	*action_canned_preview(struct cache *, const char *conv_id, const char *word,
	    char **which);

/*
 * Many SKUs repriced at once (action-price.c): by a percentage ("-10%",
 * "+12.5%"), by an amount ("+5.00", "-¥3") or to a price ("99.00"). A
 * percentage is rounded to the fen, half away from zero (¥19.99 - 15% =
 * ¥16.9915 -> ¥16.99; ¥0.15 - 50% = ¥0.075 -> ¥0.08).
 */
enum price_change_kind { PRICE_BY_PERCENT, PRICE_BY_AMOUNT, PRICE_TO };
struct price_change {
	enum price_change_kind kind;
	long long	 value;		/* hundredths of a percent, or fen (signed for BY) */
};
/* --by TEXT (a percentage or a signed amount) or --to TEXT: 0, or -1 with *cause. */
int	 action_price_change_parse(const char *by, const char *to, struct price_change *,
	    char **cause);
/* The new price of a SKU at old fen: -1 when it would fall to zero or below. */
long long action_price_change_apply(const struct price_change *, long long old);
/* "-10%", "+¥5.00", "to ¥99.00" into out. */
void	 action_price_change_text(const struct price_change *, struct buf *out);
/*
 * The batch of stock price actions that reprices ids[0..n): each line (its
 * number the id's position, from 1) prepared as "stock price ID --price
 * NEW" is, so that a price under cost is flagged strict and a change over
 * 50 % has its confirm, the others their note ("SK100001 ¥59.00 -> ¥53.10
 * (-10%)"). A SKU the change leaves at its price is not a line but counted
 * in *unchanged; one not cached, or falling to zero, is a bad line. As
 * action_batch_load() returns (SD_EUSAGE when no id is given).
 */
enum sd_status action_price_batch(struct cache *, const char *const *ids, size_t n,
	    const struct price_change *, time_t now, struct action_batch *, size_t *unchanged,
	    char **cause);
/* What a line of a price batch says in a preview: its confirm, note or summary. */
const char *action_price_line_text(const struct action_batch_line *);

#endif
