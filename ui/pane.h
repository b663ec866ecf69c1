/*
 * pane.h -- what a pane is: a list of one kind with a detail view.
 *
 * Each pane is a `const struct pane_ops` in its own pane-*.c: its name (for
 * `pane NAME`), title, keymap, kind and action noun, its columns and status
 * filter tabs, and hooks to draw the detail of the selected object or, for
 * a pane without a list (the dashboard), the whole pane. Panes never include
 * one another; they share the list widget (ui/list.h) and the detail
 * writer below (ui/layout.c).
 */
#ifndef SD_UI_PANE_H
#define SD_UI_PANE_H

#include <curses.h>

#include <cjson/cJSON.h>

#if defined(__has_include)
#if __has_include("ui/i18n.h")
#include "ui/i18n.h"
#endif
#endif
#ifndef _
#define _(s) (s)
#endif
#ifndef N_
#define N_(s) (s)
#endif

#include "ui/keymap.h"
#include "ui/list.h"

struct app;
struct pane;

/* A status filter tab: the first of a pane's is "all". */
struct pane_filter {
	const char	*label;		/* "To ship" */
	const char	*status;	/* "awaiting_shipment", or NULL */
	int		 abnormal;
	int		 low_stock;
	int		 waiting;
};

/* Writes lines into a detail window, wrapping, from line skip on. */
struct detail {
	WINDOW		*win;
	int		 y;		/* next line to write (may pass h: counted, not drawn) */
	int		 h;
	int		 w;
	int		 skip;		/* lines scrolled off the top */
	const char	*match;		/* the pane's search: its terms are lit */
};

struct pane_ops {
	const char	*name;		/* "orders": `pane orders` */
	const char	*title;		/* "Orders" (translated when drawn) */
	const char	*short_title;	/* for narrow terminals */
	enum keymap_id	 keymap;
	int		 kind;		/* enum sd_kind, -1 without a list */
	const char	*noun;		/* action_table noun, or NULL */
	const struct column *columns;
	const struct pane_filter *filters;	/* NULL-label terminated, or NULL */
	const char	*sort;		/* the order it opens in (cache_query_sorts), NULL: the kind's */
	/*
	 * The status tab read oldest first, first in, first out (the
	 * warehouse's "to ship": "awaiting_shipment"), or NULL.
	 */
	const char	*fifo_status;
	/*
	 * The kind tabs, cycled apart from the status tabs: the kinds' codes
	 * (NULL-terminated; "all kinds" comes first, implied) and the
	 * i18n_status() table naming them. NULL: the pane has none.
	 */
	const char *const *kinds;
	const char	*kind_codes;
	/* A row's theme attribute by its state (list.h), or NULL. */
	int		(*row_theme)(const cJSON *obj, time_t now);
	int		 ticks;		/* time columns: redraw every second */
	/* What the title adds after the tabs ("12 low · 3 out"), caller frees, or NULL. */
	char		*(*summary)(struct pane *, struct app *);
	/* Fill the list (panes whose rows are not a cache query). */
	void		(*load)(struct pane *, struct app *);
	/* Draw the whole pane area (panes without a list). */
	void		(*draw)(struct pane *, struct app *, WINDOW *);
	/*
	 * A pane without a list that has a cursor (the Dashboard's figures):
	 * move it by rows dy or columns dx, and open what is under it.
	 */
	void		(*cursor_move)(struct pane *, struct app *, int dy, int dx);
	int		(*cursor_open)(struct pane *, struct app *, char **cause);
	/*
	 * What :export writes for a pane without a list (the Dashboard: its
	 * report), as CSV for people to f; rows written, or -1 with *cause.
	 * NULL: the pane's list is exported.
	 */
	long		(*export)(struct pane *, struct app *, FILE *f, char **cause);
	/* Draw the detail of obj (masked unless revealed). */
	void		(*draw_detail)(struct pane *, struct app *, struct detail *,
			    const cJSON *obj);
};

struct pane {
	const struct pane_ops *ops;
	struct list	 list;
	int		 filter;	/* index into ops->filters */
	int		 kind;		/* 0: all kinds, else ops->kinds[kind - 1] */
	char		*search;	/* search text, or NULL */
	const char	*sort;		/* `sort NAME`: one of cache_query_sorts(), NULL: ops->sort */
	int		 reverse;	/* `sort reverse` */
	int		 stale;		/* the cache changed while hidden */
	int		 loaded;
	int		 detail_scroll;
	/* What the Dashboard opened the list on, shown in the title; NULL: nothing. */
	struct list_filter drill;
	char		*drill_label;
	int		 drill_back;	/* opened from the Dashboard: q and Esc go back */
	int		 cursor_y, cursor_x;	/* ops->cursor_move's */
	char		*category;	/* `category`: its id (and below it), or NULL */
	char		*category_label;	/* its path, for the title */
};

extern const struct pane_ops pane_dashboard_ops;
extern const struct pane_ops pane_orders_ops;
extern const struct pane_ops pane_tickets_ops;
extern const struct pane_ops pane_chats_ops;
extern const struct pane_ops pane_stock_ops;
extern const struct pane_ops pane_promos_ops;
extern const struct pane_ops pane_outbox_ops;
extern const struct pane_ops pane_customers_ops;
extern const struct pane_ops pane_canned_ops;

/* The detail writer (ui/layout.c). Text is sanitised here. */
void	 detail_init(struct detail *, WINDOW *, int skip);
void	 detail_title(struct detail *, const char *text);
void	 detail_field(struct detail *, const char *label, const char *value);
/* The same, the value in attr (a clock past its target). */
void	 detail_field_attr(struct detail *, const char *label, const char *value, attr_t);
void	 detail_fieldf(struct detail *, const char *label, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 detail_text(struct detail *, attr_t, const char *text);
/* The same, broken between words (a sentence: money, ids kept whole). */
void	 detail_words(struct detail *, attr_t, const char *text);
void	 detail_blank(struct detail *);
/*
 * One entry of a history (an order's timeline, a ticket's history): its
 * "at" in the store's zone, the name key holds as the i18n kind names it,
 * who (a user by name, "system" named), and the text under note_key.
 */
void	 detail_event(struct detail *, struct app *, const cJSON *ev, const char *kind,
	    const char *key, const char *note_key);
/* Every member of obj, nested ones indented (the generic detail). */
void	 detail_object(struct detail *, const cJSON *obj);
/* Clear what is left of the window below the last line written. */
void	 detail_end(struct detail *);

#endif
