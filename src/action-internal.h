/*
 * action-internal.h -- what the action modules share.
 *
 * action.c owns the table, the state machine, the patches, the summaries
 * and action_prepare(); action-input.c turns what people type (options,
 * CSV cells, money, times) into the request body; action-check.c validates
 * a request against the cached objects. A check gets the context with the
 * body built and the cached object loaded (NULL for creates, or for an
 * object the role cannot read), and returns SD_OK or a status with the
 * reason set through action_fail().
 */
#ifndef SD_ACTION_INTERNAL_H
#define SD_ACTION_INTERNAL_H

#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "action.h"

#define MONEY_MAX	100000000000LL	/* a billion yuan in fen, as the store */
#define COUNT_MAX	1000000000LL

struct action_ctx {
	struct cache		*cache;
	const struct action_def	*def;
	const char		*id;		/* NULL for creates */
	const char *const	*values;	/* as typed, one per argument */
	cJSON			*obj;		/* the cached object, or NULL */
	cJSON			*body;		/* the request body being built */
	cJSON			*patch;		/* the overlay being built */
	int			 role;		/* enum sd_role, -1 when unknown */
	char			*me;		/* the user's id, or NULL when unknown */
	time_t			 now;
	int			 csv;		/* arguments are CSV columns, not options */
	char			*note;		/* for the user, or NULL */
	char			*confirm;	/* money moved, to confirm (action_plan) */
	int			 to_finance;	/* a refund that goes to finance */
	int			 strict;	/* confirm: a script needs --yes too */
	char			*shown;		/* csv: the object's text as read (plan.shown) */
	char			**cause;
};

/* action-canned.c: "/shortcut" in a chat message becomes its canned reply. */
enum sd_status action_check_send(struct action_ctx *);
/* action-canned.c: a canned reply added or edited: shortcut, placeholders, unique. */
enum sd_status action_check_canned(struct action_ctx *);

/* Member levels of customers (also an option's values). */
extern const char *const action_levels[];

/* action.c: helpers. action_fail() sets *ctx->cause and returns st. */
enum sd_status action_fail(struct action_ctx *, enum sd_status st, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* How a message names an argument: "--carrier", or "carrier" in a CSV file. */
const char *action_arg_label(const struct action_ctx *, const struct action_arg *, char *buf,
	    size_t len);
/* The same for the argument whose body member is field (or field itself). */
const char *action_field_label(const struct action_ctx *, const char *field, char *buf,
	    size_t len);
/* Set the member at a dotted path, making the objects on the way (json_path gets). */
void	 action_json_set(cJSON *, const char *path, cJSON *val);
cJSON	*action_json_dup(const cJSON *);
/* Characters of s, -1 when not UTF-8; the first n characters, controls as spaces. */
long	 action_utf8_chars(const char *);
char	*action_utf8_prefix(const char *, long n);
/* "a, b, c" of a NULL-terminated list; "SF, JD, ..." of the carriers. */
char	*action_list_text(const char *const *);
char	*action_carriers_text(void);
/* SD_ENOTFOUND with "no order 'SO1' in the cache (last synced ...); ...". */
enum sd_status action_not_cached(struct action_ctx *, enum sd_kind, const char *id);
/* The cached object, parsed, or NULL. */
cJSON	*action_cached(struct action_ctx *, enum sd_kind, const char *id);

/* action.c: a context for def on id (role and user from the cache), reset
 * between the lines of a batch, done at the end; prepare with it. */
void	 action_ctx_init(struct action_ctx *, struct cache *, const struct action_def *,
	    const char *id, const char *const *values, time_t now, char **cause);
void	 action_ctx_reset(struct action_ctx *);
void	 action_ctx_done(struct action_ctx *);
enum sd_status action_prepare_ctx(struct action_ctx *, struct action_plan *);
/* SD_OK, or SD_EREFUSED with caps_refusal()'s sentence when the store behind
 * the cache does not offer ctx->def (its kind or the action; caps.h). */
enum sd_status action_refuse_unoffered(struct action_ctx *);

/* action-input.c */
/*
 * A CSV text being read (RFC 4180: quoted fields with "" and line breaks,
 * CRLF or LF): action_csv_record() gives the next record's fields (caller
 * frees them with action_csv_fields_free) and the line it starts on; 1 with
 * a record, 0 at the end, -1 for a malformed one (*error set), after which
 * reading goes on at the next line.
 */
struct action_csv {
	const char	*p, *end;
	long		 line;		/* of p, 1-based */
	struct buf	 field;
	int		 nul_field;	/* the record's first field with a NUL byte, or -1 */
};
int	 action_csv_record(struct action_csv *, char ***fields, int *n, long *start,
	    char **error);
void	 action_csv_fields_free(char **fields, int n);
/* Whether every field is empty. */
int	 action_csv_blank(char **fields, int n);
char	*action_money_text(long long fen);
/* A tracking number without blanks, upper case; caller frees. */
char	*action_tracking_norm(const char *);
/* Parse the values given into ctx->body; check the required ones (a CSV
 * line: all of them, their problems "; "-separated). */
enum sd_status action_build_body(struct action_ctx *);

/* action-check.c: one per row that needs more than its arguments' bounds. */
enum sd_status action_check_ship(struct action_ctx *);
enum sd_status action_check_correct(struct action_ctx *);
enum sd_status action_check_address(struct action_ctx *);
enum sd_status action_check_ticket_create(struct action_ctx *);
enum sd_status action_check_refund(struct action_ctx *);
enum sd_status action_check_cancel(struct action_ctx *);
/* Whether the ticket has a refund request awaiting finance. */
int	 action_awaits_finance(const cJSON *ticket);
enum sd_status action_check_transfer(struct action_ctx *);
enum sd_status action_check_snooze(struct action_ctx *);
enum sd_status action_check_adjust(struct action_ctx *);
/* action-check.c: the catalogue. A SKU's specifications unique in its product; a price
 * below cost or changed by more than half asks to confirm; a product on the shelf has
 * stock and prices. */
enum sd_status action_check_sku(struct action_ctx *);
enum sd_status action_check_price(struct action_ctx *);
enum sd_status action_check_shelf(struct action_ctx *);
enum sd_status action_check_promo_create(struct action_ctx *);
enum sd_status action_check_promo_edit(struct action_ctx *);
enum sd_status action_check_schedule(struct action_ctx *);
enum sd_status action_check_activate(struct action_ctx *);
/* action-category.c: the tree's writes against the cached tree: the parent named
 * as people name it, then duplicate, cycle and in_use refused with the reason. */
enum sd_status action_check_category_create(struct action_ctx *);
enum sd_status action_check_category_rename(struct action_ctx *);
enum sd_status action_check_category_move(struct action_ctx *);
enum sd_status action_check_category_delete(struct action_ctx *);
/* action-category.c: a product's --category (id, path or name) as its category_id. */
enum sd_status action_check_product_category(struct action_ctx *);

#endif
