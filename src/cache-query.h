/*
 * cache-query.h -- list and search queries over the cache.
 *
 * Lists use keyset pagination: a page ends with an opaque cursor that starts
 * the next page, so reading page 10,000 costs what page 1 costs. Every filter
 * is served by an index or the full-text index, never by a scan with LIKE.
 */
#ifndef SD_CACHE_QUERY_H
#define SD_CACHE_QUERY_H

#include <time.h>

#include <cjson/cJSON.h>

#include "cache.h"

/* Tickets by their SLA clock, as the Dashboard counts them (sla.h). */
enum query_sla {
	QUERY_SLA_ANY,
	QUERY_SLA_RUNNING,	/* a clock runs */
	QUERY_SLA_NEAR,		/* near breach */
	QUERY_SLA_BREACHED,	/* breached */
};

struct query {
	enum sd_kind	 kind;
	const char	*status;	/* status, or comma-separated statuses */
	const char	*text;		/* full-text query as typed */
	time_t		 since;		/* created_at >= since (0: none) */
	time_t		 until;		/* created_at < until (0: none) */
	const char	*customer_id;
	const char	*order_id;	/* tickets, conversations */
	const char	*conversation_id; /* messages */
	const char	*assignee;	/* tickets, conversations */
	const char	*queue;		/* conversations */
	const char	*subkind;	/* tickets: kind; promotions: kind */
	const char	*carrier;	/* orders */
	int		 abnormal;	/* orders: only flagged ones */
	int		 low_stock;	/* skus: stock - reserved <= threshold */
	int		 waiting;	/* conversations: customer waiting */
	int		 paid;		/* orders: paid (not unpaid or failed) */
	int		 refunded;	/* orders: something refunded */
	/* orders: the customer paid an order created before since (report.h's repeat) */
	int		 repeat;
	const char	*item;		/* orders: an item titled so */
	const char	*reason;	/* tickets: a refund (or return) for this reason */
	const char	*category;	/* products, skus: a category id, its descendants too */
	int		 sla;		/* tickets: enum query_sla (sla.h's definitions) */
	time_t		 sla_now;	/* ... at this time (0: now) */
	int		 limit;		/* rows per page, 1..10000 (0: 100) */
	const char	*after;		/* cursor from the previous page, or NULL */
	const char	*sort;		/* a named order (cache_query_sorts), NULL: the default */
	int		 reverse;	/* reverse the order */
};

/*
 * The named orders of a kind's lists, the default first, NULL-terminated
 * (empty for kinds listed by id only): orders "new", "old" (first in, first
 * out: the warehouse's "to ship" list); tickets "urgency",
 * "new"; conversations "wait", "queue" (then wait); skus "id", "low"
 * (lowest stock margin first); promotions "start".
 */
const char *const *cache_query_sorts(enum sd_kind);
/* NULL when name is one of them, else why not (caller frees). */
char	*cache_query_sort_error(enum sd_kind, const char *name);

/*
 * The cursor of the same position in the reverse order (caller frees): a
 * list read forward from a row reads backward from there with it.
 */
char	*cache_cursor_reverse(const char *cursor);

/*
 * Rows are passed to cb in the order named by q->sort, else the kind's
 * default order:
 *   orders: newest first (their rowids: by second, then the order they came
 *   in, cache.h); tickets: most urgent SLA first
 *   (open tickets with a running SLA -- active, warning, breached -- by deadline, then the
 *   others newest first); conversations: longest waiting first, then the
 *   others by latest message; messages: oldest first; skus: lowest stock
 *   margin first when low_stock, else id; promotions: newest start first;
 *   others: id. An order or a filter the kind does not have is an error, as is text
 *   for a kind without a full-text index (products, users); text with no
 *   searchable term (only punctuation) matches nothing.
 * cb returns 0 to go on, non-zero to stop. *next_after (caller frees) is
 * the cursor for the next page, or NULL when this was the last page.
 */
typedef int (*query_row_fn)(void *arg, const char *json);
int	 cache_query(struct cache *, const struct query *, query_row_fn, void *arg,
	    char **next_after, char **cause);

/*
 * The values of kind k's column col (its id, or a canned reply's shortcut)
 * that start with prefix, in order, limit at most, read from the column's
 * index: for completing ids as they are typed. cb returns non-zero to stop.
 * 0, or -1 for a column that cannot be read so.
 */
int	 cache_prefix_values(struct cache *, enum sd_kind, const char *col,
	    const char *prefix, int limit, int (*cb)(void *, const char *), void *arg);

/* Rows matching q ignoring limit/after (-1 on error). */
long	 cache_query_count(struct cache *, const struct query *, char **cause);
/*
 * The same, giving up as soon as stop(arg) returns non-zero (asked every
 * few tens of microseconds): -2 then, with no *cause. Counting a million
 * rows takes tens of milliseconds; a console counts when idle and stops
 * for a key.
 */
long	 cache_query_count_until(struct cache *, const struct query *,
	    int (*stop)(void *), void *arg, char **cause);

/*
 * The same, up to max: max + 1 when there are more. A text that most rows
 * match is counted by reading the list (not the index, which would merge
 * the lists of every term of a short prefix), so that a count stops early.
 */
long	 cache_query_count_max(struct cache *, const struct query *, long max,
	    int (*stop)(void *), void *arg, char **cause);

/*
 * SQLite's plan for the page query of q (EXPLAIN QUERY PLAN, one step a
 * line), for tests and diagnostics. Caller frees; NULL with *cause.
 */
char	*cache_query_explain(struct cache *, const struct query *, char **cause);

#endif
