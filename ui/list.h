/*
 * list.h -- the virtual table widget shared by the panes.
 *
 * A list shows the rows of a cache query (struct query) but holds only a
 * window of them around the viewport, read with keyset cursors forward and
 * backward: moving one row, a page, to the first or to the last row costs
 * the same at any depth (the last row is a reverse query from the end).
 * Rows are kept as the cache's JSON and formatted when drawn, through the
 * pane's column table, sanitised and fitted by display width so CJK text
 * stays aligned. A row with an action of ours still pending ("_pending" in
 * the JSON) is marked with a leading "*" and its own attribute; a row marked
 * for a bulk action with a "+".
 *
 * A list may also hold rows given by its pane (list_set_rows): the outbox.
 */
#ifndef SD_UI_LIST_H
#define SD_UI_LIST_H

#include <curses.h>
#include <time.h>

#include "cache-query.h"
#include "columns.h"

struct list_row {
	char		*id;
	char		*json;		/* the row as the cache holds it */
	cJSON		*obj;		/* it parsed, while on or near the screen */
	cJSON		*masked;	/* obj with personal data masked, likewise */
	char		*cursor;	/* keyset cursor of this row, when known */
	int		 pending;	/* actions of ours pending on it */
};

/* What the list shows: the query's filters, owned copies. */
struct list_filter {
	char		*status;	/* "a,b" or NULL */
	char		*subkind;	/* a ticket's or promotion's kind, or NULL */
	char		*text;		/* search text or NULL */
	int		 abnormal;
	int		 low_stock;
	int		 waiting;
	char		*sort;		/* a named order (cache_query_sorts) or NULL */
	int		 reverse;	/* that order reversed */
	/* What the Dashboard opened (struct query's; 0 or NULL: none). */
	time_t		 since, until;
	int		 paid, refunded, repeat;
	char		*item;
	char		*reason;
	int		 sla;		/* tickets: enum query_sla */
	time_t		 sla_now;	/* ... at this time (0: now) */
	char		*category;	/* a category id: it and the ones below it, or NULL */
};

struct list {
	enum sd_kind	 kind;
	const struct column *cols;
	int		 mask;		/* mask personal data (model_mask_object) */
	/* A row's theme attribute by its state (TH_ALERT...), or -1: the pane's. */
	int		(*row_theme)(const cJSON *obj, time_t now);
	char		*reveal_id;	/* ... except in this row */
	struct list_filter filter;
	int		 static_rows;	/* rows come from list_set_rows(), not a query */

	struct list_row	*rows;		/* the window */
	long		 n;
	long		 alloc;
	int		 head_start;	/* rows[0] is the first row of the list */
	int		 tail_end;	/* rows[n - 1] is the last row */
	long		 base;		/* absolute index of rows[0], -1 unknown */
	long		 total;		/* rows of the whole list, -1 unknown */
	int		 count_due;	/* total is to be counted (list_count_idle) */

	long		 sel;		/* selected row, index into rows */
	long		 top;		/* first visible row, index into rows */
	int		 height;	/* visible rows (set by list_draw) */
	char		*error;		/* the last query error, for the message line */
	char		**marks;	/* ids marked for an action on them all, in order */
	size_t		 nmarks;
	unsigned long	 queries;	/* cache queries made, for tests and benchmarks */
};

void	 list_init(struct list *, enum sd_kind, const struct column *);
void	 list_done(struct list *);
/* Replace the filter (copied) and read again from the first row. */
void	 list_set_filter(struct list *, struct cache *, const struct list_filter *);
/* Read the window again around the selected row (the cache changed). */
void	 list_reload(struct list *, struct cache *);
/* Static lists: replace all rows (JSON texts, copied); keeps the selection by id. */
void	 list_set_rows(struct list *, const char *const *json, long n);

/*
 * Count the rows of the whole list if a change made that due, unless
 * stop(arg) says a key is waiting: counting a million rows takes tens of
 * milliseconds, so the list is read at once and counted when idle (the old
 * total stays shown meanwhile after a reload, "?" after a new filter).
 * 1 when the total changed, 0 when nothing was due, -1 when stopped.
 */
int	 list_count_idle(struct list *, struct cache *, int (*stop)(void *), void *arg);

/* Move the selection by delta rows (clamped). Returns whether it moved. */
int	 list_move(struct list *, struct cache *, long delta);
int	 list_first(struct list *, struct cache *);
int	 list_last(struct list *, struct cache *);
/* The selected row, or NULL when the list is empty. */
const struct list_row *list_selected(const struct list *);
/*
 * Select the row whose id is id: in the rows held, else reading from the
 * list's start up to max rows. 1 when found, else 0 (the selection is then
 * the first row).
 */
int	 list_seek_id(struct list *, struct cache *, const char *id, long max);
/* The query of the whole list (its filters, search and order; no page). */
void	 list_make_query(const struct list *, struct query *);
/*
 * Marks: rows chosen for one action on them all (ui/marks.c). They are
 * kept by id across filters and searches (a packer marks what each scan
 * finds) and drawn with a "+" in the gutter.
 */
int	 list_marked(const struct list *, const char *id);
/* Mark id, or unmark it when marked: returns 1 when now marked. */
int	 list_mark_toggle(struct list *, const char *id);
void	 list_mark_clear(struct list *);
/*
 * Mark every row of the list as filtered, up to max marks in all: the
 * number newly marked, or -1 with *cause.
 */
long	 list_mark_all(struct list *, struct cache *, size_t max, char **cause);

/* "123/5000", "123", "" into buf. */
void	 list_position(const struct list *, char *buf, size_t size);

/*
 * Draw the header and the visible rows into win (the whole window), at
 * time now. Returns the number of pending rows shown (for the legend).
 */
int	 list_draw(struct list *, WINDOW *win, time_t now, int focused);

/*
 * One row of obj (kind) as a list draws it, in cols fitted to width, codes
 * named in the user's language: for lists that are not a list widget.
 */
void	 list_render_row(enum sd_kind, const struct column *cols, const cJSON *obj,
	    time_t now, int width, struct buf *out);

#endif
