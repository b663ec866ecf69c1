/*
 * list.c -- the virtual table widget.
 *
 * The window of rows, rows[0..n), is a contiguous run of the list. Its ends
 * carry keyset cursors: rows[0].cursor (unless head_start) starts a reverse
 * query that reads the rows above, rows[n - 1].cursor (unless tail_end) a
 * forward query that reads the rows below. cache_query() gives the cursor
 * of the last row it passed, which is exactly the far end of what a read
 * adds; when the window is trimmed, the new end's cursor is found by one
 * short walk from rows[0] (the limit stops it on that row). So every move
 * is a few indexed page reads whatever its depth, and memory stays bounded.
 *
 * Cursors are opaque: cache_cursor_reverse() turns one of the list's order
 * into one of the reverse order, to read the rows above.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "ui/agent.h"
#include "ui/app.h"
#include "ui/list.h"
#include "ui/pane.h"
#include "ui/theme.h"
#include "util/jscan.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define LIST_PAGE	100	/* rows per read */
#define LIST_SCREEN_MIN	24	/* rows a search reads first, at least */
#define LIST_MAX	600	/* rows kept before trimming */
#define LIST_KEEP	200	/* rows kept on the far side of the selection when trimming */
#define LIST_GUTTER	1	/* the pending marker's column */
#define LIST_FLEX_MIN	12	/* the least a list's flexible column gets */
#define LIST_COUNT_MAX	10000	/* a search most rows match counts to here: "10000+" */

static void
list_row_free(struct list_row *r)
{
	free(r->id);
	free(r->json);
	free(r->cursor);
	cJSON_Delete(r->obj);
	cJSON_Delete(r->masked);
	memset(r, 0, sizeof *r);
}

static void
list_clear(struct list *l)
{
	long i;

	for (i = 0; i < l->n; i++)
		list_row_free(&l->rows[i]);
	l->n = 0;
	l->sel = l->top = 0;
	l->head_start = l->tail_end = 0;
	l->base = -1;
}

void
list_init(struct list *l, enum sd_kind kind, const struct column *cols)
{
	memset(l, 0, sizeof *l);
	l->kind = kind;
	l->cols = cols;
	l->mask = 1;
	l->base = -1;
	l->total = -1;
	l->height = 1;
}

static void
list_filter_free(struct list_filter *f)
{
	free(f->status);
	free(f->subkind);
	free(f->text);
	free(f->sort);
	free(f->item);
	free(f->reason);
	free(f->category);
	memset(f, 0, sizeof *f);
}

void
list_done(struct list *l)
{
	list_clear(l);
	free(l->rows);
	free(l->error);
	free(l->reveal_id);
	list_filter_free(&l->filter);
	list_mark_clear(l);
	memset(l, 0, sizeof *l);
}

int
list_marked(const struct list *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->nmarks; i++)
		if (strcmp(l->marks[i], id) == 0)
			return 1;
	return 0;
}

int
list_mark_toggle(struct list *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->nmarks; i++)
		if (strcmp(l->marks[i], id) == 0) {
			free(l->marks[i]);
			memmove(&l->marks[i], &l->marks[i + 1],
			    (l->nmarks - i - 1) * sizeof *l->marks);
			l->nmarks--;
			return 0;
		}
	l->marks = xrealloc(l->marks, (l->nmarks + 1) * sizeof *l->marks);
	l->marks[l->nmarks++] = xstrdup(id);
	return 1;
}

void
list_mark_clear(struct list *l)
{
	size_t i;

	for (i = 0; i < l->nmarks; i++)
		free(l->marks[i]);
	free(l->marks);
	l->marks = NULL;
	l->nmarks = 0;
}

static void list_query_init(const struct list *, struct query *);

struct mark_walk {
	struct list	*l;
	size_t		 max;
	long		 added;
	int		 full;
};

static int
list_mark_row(void *arg, const char *json)
{
	struct mark_walk *w = arg;
	cJSON *obj = cJSON_Parse(json);
	const char *id = json_str(obj, "id");

	if (id != NULL && !list_marked(w->l, id)) {
		if (w->l->nmarks >= w->max)
			w->full = 1;
		else {
			list_mark_toggle(w->l, id);
			w->added++;
		}
	}
	cJSON_Delete(obj);
	return w->full;
}

long
list_mark_all(struct list *l, struct cache *c, size_t max, char **cause)
{
	struct mark_walk w = { l, max, 0, 0 };
	struct query q;
	char *after = NULL, *next = NULL;
	size_t i;

	if (l->static_rows) {
		for (i = 0; i < (size_t)l->n && l->nmarks < max; i++)
			if (!list_marked(l, l->rows[i].id))
				w.added += list_mark_toggle(l, l->rows[i].id);
		return w.added;
	}
	list_query_init(l, &q);
	q.limit = 500;
	do {
		q.after = after;
		if (cache_query(c, &q, list_mark_row, &w, &next, cause) != 0) {
			free(after);
			return -1;
		}
		free(after);
		after = next;
		next = NULL;
	} while (after != NULL && !w.full);
	free(after);
	return w.added;
}

static void
list_set_error(struct list *l, char *cause)
{
	free(l->error);
	l->error = cause;
}

static void
list_query_init(const struct list *l, struct query *q)
{
	memset(q, 0, sizeof *q);
	q->kind = l->kind;
	q->status = l->filter.status;
	q->subkind = l->filter.subkind;
	q->text = l->filter.text;
	q->abnormal = l->filter.abnormal;
	q->low_stock = l->filter.low_stock;
	q->waiting = l->filter.waiting;
	q->sort = l->filter.sort;
	q->reverse = l->filter.reverse;
	q->since = l->filter.since;
	q->until = l->filter.until;
	q->paid = l->filter.paid;
	q->refunded = l->filter.refunded;
	q->repeat = l->filter.repeat;
	q->item = l->filter.item;
	q->reason = l->filter.reason;
	q->sla = l->filter.sla;
	q->sla_now = l->filter.sla_now;
	q->category = l->filter.category;
}

void
list_make_query(const struct list *l, struct query *q)
{
	list_query_init(l, q);
}

/*
 * The id and pending count of a row's JSON read by scanning its members,
 * without building a tree (a search reads a screenful at each key): 0, or
 * -1 when the id is escaped or the text is not an object, for cJSON to read.
 */
static int
list_row_scan(struct list_row *r, const char *json)
{
	const char *p = jscan_ws(json, json + strlen(json)), *end = p + strlen(p);
	struct jscan_member m;
	long long pending;
	int rc;

	if (p == end || *p != '{')
		return -1;
	while ((rc = jscan_member_next(&p, end, &m)) == 1) {
		if (jscan_key_is(&m, "id") && r->id == NULL) {
			if (m.vallen < 2 || m.val[0] != '"' ||
			    memchr(m.val, '\\', m.vallen) != NULL)
				break;
			r->id = xstrndup(m.val + 1, m.vallen - 2);
		} else if (jscan_key_is(&m, "_pending") &&
		    jscan_int(m.val, m.vallen, &pending) == 0)
			r->pending = (int)pending;
	}
	if (rc == 0 && r->id != NULL)
		return 0;
	free(r->id);
	r->id = NULL;
	r->pending = 0;
	return -1;
}

/* A row as the query gives it: id and pending count from the JSON. */
static void
list_row_make(struct list_row *r, const char *json)
{
	cJSON *obj;

	memset(r, 0, sizeof *r);
	r->json = xstrdup(json);
	if (list_row_scan(r, json) == 0)
		return;
	if ((obj = cJSON_Parse(json)) != NULL) {
		r->id = xstrdup(json_str(obj, "id") != NULL ? json_str(obj, "id") : "");
		r->pending = (int)json_int(obj, "_pending", 0);
		cJSON_Delete(obj);
	} else
		r->id = xstrdup("");
}

/*
 * What a frame draws of a row: its JSON parsed when it first comes on the
 * screen and kept while it stays near it (list_draw lets go of the rest),
 * masked once when it is shown masked. A frame parses no JSON; the window
 * of up to LIST_MAX rows keeps only text.
 */
static const cJSON *
list_row_obj(struct list *l, struct list_row *r)
{
	if (!l->mask || (l->reveal_id != NULL && strcmp(l->reveal_id, r->id) == 0)) {
		if (r->obj == NULL)
			r->obj = cJSON_Parse(r->json);
		return r->obj;
	}
	if (r->masked == NULL && (r->masked = cJSON_Parse(r->json)) != NULL)
		model_mask_object(l->kind, r->masked);
	return r->masked;
}

/* Rows read by one query, in the query's order. */
struct list_batch {
	struct list_row	*rows;
	long		 n;
	long		 alloc;
};

static int
list_batch_add(void *arg, const char *json)
{
	struct list_batch *b = arg;

	if (b->n == b->alloc) {
		b->alloc = b->alloc ? b->alloc * 2 : 64;
		b->rows = xrealloc(b->rows, (size_t)(b->alloc) * sizeof *b->rows);
	}
	list_row_make(&b->rows[b->n++], json);
	return 0;
}

static int
list_skip(void *arg, const char *json)
{
	(void)arg;
	(void)json;
	return 0;
}

static void
list_reserve(struct list *l, long more)
{
	if (l->n + more > l->alloc) {
		l->alloc = l->n + more + 64;
		l->rows = xrealloc(l->rows, (size_t)(l->alloc) * sizeof *l->rows);
	}
}

/* Append up to count rows below the window. Returns rows added, -1 on error. */
static long
list_fetch_forward(struct list *l, struct cache *c, int count)
{
	struct query q;
	struct list_batch b = { NULL, 0, 0 };
	char *next = NULL, *cause = NULL;

	if (l->static_rows || l->tail_end)
		return 0;
	list_query_init(l, &q);
	q.after = l->n > 0 ? l->rows[l->n - 1].cursor : NULL;
	if (l->n > 0 && q.after == NULL)
		return 0;
	q.limit = count;
	l->queries++;
	if (cache_query(c, &q, list_batch_add, &b, &next, &cause) != 0) {
		list_set_error(l, cause);
		l->tail_end = 1;
		return -1;
	}
	if (l->n == 0) {
		l->head_start = 1;
		l->base = 0;
	}
	list_reserve(l, b.n);
	if (b.n > 0)		/* b.rows is NULL when the read found nothing */
		memcpy(l->rows + l->n, b.rows, (size_t)b.n * sizeof *b.rows);
	l->n += b.n;
	free(b.rows);
	if (next == NULL)
		l->tail_end = 1;
	else {
		free(l->rows[l->n - 1].cursor);
		l->rows[l->n - 1].cursor = next;
	}
	return b.n;
}

/*
 * Prepend up to count rows above the window (or, with an empty window, the
 * last count rows of the list). Returns rows added, -1 on error.
 */
static long
list_fetch_backward(struct list *l, struct cache *c, int count)
{
	struct query q;
	struct list_batch b = { NULL, 0, 0 };
	char *next = NULL, *cause = NULL, *after = NULL;
	long i;

	if (l->static_rows || (l->n > 0 && (l->head_start || l->rows[0].cursor == NULL)))
		return 0;
	list_query_init(l, &q);
	if (l->n > 0)
		after = cache_cursor_reverse(l->rows[0].cursor);
	q.after = after;
	q.reverse = !l->filter.reverse;
	q.limit = count;
	l->queries++;
	if (cache_query(c, &q, list_batch_add, &b, &next, &cause) != 0) {
		free(after);
		list_set_error(l, cause);
		l->head_start = 1;
		return -1;
	}
	free(after);
	if (l->n == 0)
		l->tail_end = 1;
	list_reserve(l, b.n);
	if (l->n > 0 && b.n > 0)
		memmove(l->rows + b.n, l->rows, (size_t)l->n * sizeof *l->rows);
	for (i = 0; i < b.n; i++)
		l->rows[i] = b.rows[b.n - 1 - i];
	l->n += b.n;
	free(b.rows);
	if (next == NULL) {
		l->head_start = 1;
		l->base = 0;
	} else if (b.n > 0) {
		free(l->rows[0].cursor);
		l->rows[0].cursor = cache_cursor_reverse(next);
		free(next);
		if (l->base >= 0)
			l->base -= b.n;
	} else
		free(next);
	if (l->head_start)
		l->base = 0;
	l->sel += b.n;
	l->top += b.n;
	return b.n;
}

/* Make sure rows[i].cursor is known: one walk from rows[0]. 0 or -1. */
static int
list_need_cursor(struct list *l, struct cache *c, long i)
{
	struct query q;
	char *next = NULL, *cause = NULL;

	if (l->rows[i].cursor != NULL)
		return 0;
	if (!l->head_start && l->rows[0].cursor == NULL)
		return -1;
	list_query_init(l, &q);
	q.after = l->head_start ? NULL : l->rows[0].cursor;
	q.limit = (int)(l->head_start ? i + 1 : i);
	if (q.limit <= 0 || q.limit > 10000)
		return -1;
	l->queries++;
	if (cache_query(c, &q, list_skip, NULL, &next, &cause) != 0) {
		free(cause);
		return -1;
	}
	if (next == NULL)
		return -1;
	l->rows[i].cursor = next;
	return 0;
}

/* Keep the window bounded: drop rows far from the selection. */
static void
list_trim(struct list *l, struct cache *c)
{
	long i, cut;

	if (l->static_rows || l->n <= LIST_MAX)
		return;
	if (l->sel > LIST_KEEP && l->sel >= l->n / 2) {
		cut = l->sel - LIST_KEEP;
		if (cut > l->top)
			cut = l->top;
		if (cut <= 0 || list_need_cursor(l, c, cut) != 0)
			return;
		for (i = 0; i < cut; i++)
			list_row_free(&l->rows[i]);
		memmove(l->rows, l->rows + cut, (size_t)(l->n - cut) * sizeof *l->rows);
		l->n -= cut;
		l->sel -= cut;
		l->top -= cut;
		l->head_start = 0;
		if (l->base >= 0)
			l->base += cut;
	} else {
		cut = l->sel + LIST_KEEP;
		if (cut < l->top + l->height)
			cut = l->top + l->height;
		if (cut >= l->n - 1 || list_need_cursor(l, c, cut) != 0)
			return;
		for (i = cut + 1; i < l->n; i++)
			list_row_free(&l->rows[i]);
		l->n = cut + 1;
		l->tail_end = 0;
	}
}

/* The total is to be counted again (reset: forget the old one meanwhile). */
static void
list_count_later(struct list *l, int reset)
{
	if (l->static_rows) {
		l->total = l->n;
		return;
	}
	l->count_due = 1;
	if (reset)
		l->total = -1;
}

int
list_count_idle(struct list *l, struct cache *c, int (*stop)(void *), void *arg)
{
	struct query q;
	char *cause = NULL;
	long n;

	if (!l->count_due)
		return 0;
	list_query_init(l, &q);
	if ((n = cache_query_count_max(c, &q, LIST_COUNT_MAX, stop, arg, &cause)) == -2)
		return -1;
	free(cause);
	l->count_due = 0;
	l->total = n;		/* -1 on an error: unknown */
	/* A window at the end of the list is numbered from the end. */
	if (n >= 0 && l->tail_end && !l->head_start)
		l->base = n - l->n;
	return 1;
}

static void
list_fix_top(struct list *l)
{
	int h = l->height > 0 ? l->height : 1;

	if (l->sel >= l->n)
		l->sel = l->n > 0 ? l->n - 1 : 0;
	if (l->sel < 0)
		l->sel = 0;
	if (l->top > l->sel)
		l->top = l->sel;
	if (l->sel >= l->top + h)
		l->top = l->sel - h + 1;
	if (l->top + h > l->n && l->tail_end)
		l->top = l->n - h;
	if (l->top < 0)
		l->top = 0;
}

/* Rows to read for the first screen of a search: the list's height, and a few. */
static int
list_screenful(const struct list *l)
{
	long h = l->height + 1;

	if (h < LIST_SCREEN_MIN)
		h = LIST_SCREEN_MIN;
	return h < LIST_PAGE ? (int)h : LIST_PAGE;
}

void
list_set_filter(struct list *l, struct cache *c, const struct list_filter *f)
{
	struct list_filter nf;

	memset(&nf, 0, sizeof nf);
	nf.status = f->status != NULL ? xstrdup(f->status) : NULL;
	nf.subkind = f->subkind != NULL ? xstrdup(f->subkind) : NULL;
	nf.text = f->text != NULL && *f->text != '\0' ? xstrdup(f->text) : NULL;
	nf.abnormal = f->abnormal;
	nf.low_stock = f->low_stock;
	nf.waiting = f->waiting;
	nf.sort = f->sort != NULL ? xstrdup(f->sort) : NULL;
	nf.reverse = f->reverse;
	nf.since = f->since;
	nf.until = f->until;
	nf.paid = f->paid;
	nf.refunded = f->refunded;
	nf.repeat = f->repeat;
	nf.item = f->item != NULL ? xstrdup(f->item) : NULL;
	nf.reason = f->reason != NULL ? xstrdup(f->reason) : NULL;
	nf.sla = f->sla;
	nf.sla_now = f->sla_now;
	nf.category = f->category != NULL ? xstrdup(f->category) : NULL;
	list_filter_free(&l->filter);
	l->filter = nf;
	free(l->error);
	l->error = NULL;
	if (l->static_rows)
		return;
	list_clear(l);
	/*
	 * A search (again at each key typed) reads the first screenful only:
	 * a walk filtering the list stops sooner; moving down reads on.
	 */
	list_fetch_forward(l, c, nf.text != NULL ? list_screenful(l) : LIST_PAGE);
	list_count_later(l, 1);
}

void
list_reload(struct list *l, struct cache *c)
{
	char *sel_id, *json;
	long off = l->sel - l->top, want, i;
	struct list_row keep;

	if (l->static_rows)
		return;
	sel_id = l->n > 0 ? xstrdup(l->rows[l->sel].id) : NULL;
	want = l->n > LIST_PAGE ? l->n : LIST_PAGE;
	if (want > LIST_MAX)
		want = LIST_MAX;
	if (l->n == 0 || l->head_start || l->rows[0].cursor == NULL) {
		list_clear(l);
		list_fetch_forward(l, c, (int)want);
	} else {
		/* rows[0] stays (refreshed), the rest is read again after it. */
		keep = l->rows[0];
		memset(&l->rows[0], 0, sizeof l->rows[0]);
		for (i = 1; i < l->n; i++)
			list_row_free(&l->rows[i]);
		if ((json = cache_get_json(c, l->kind, keep.id)) != NULL) {
			struct list_row fresh;

			list_row_make(&fresh, json);
			free(json);
			fresh.cursor = keep.cursor;	/* the same row: its cursor holds */
			keep.cursor = NULL;
			list_row_free(&keep);
			keep = fresh;
		}
		l->rows[0] = keep;
		l->n = 1;
		l->tail_end = 0;
		list_fetch_forward(l, c, (int)want);
	}
	l->sel = 0;
	if (sel_id != NULL) {
		for (i = 0; i < l->n; i++)
			if (strcmp(l->rows[i].id, sel_id) == 0) {
				l->sel = i;
				break;
			}
		free(sel_id);
	}
	l->top = l->sel - off;
	list_fix_top(l);
	list_count_later(l, 0);
}

void
list_set_rows(struct list *l, const char *const *json, long n)
{
	char *sel_id = l->n > 0 ? xstrdup(l->rows[l->sel].id) : NULL;
	long i, off = l->sel - l->top, old_sel = l->sel;

	l->static_rows = 1;
	list_clear(l);
	list_reserve(l, n);
	for (i = 0; i < n; i++)
		list_row_make(&l->rows[i], json[i]);
	l->n = n;
	l->head_start = l->tail_end = 1;
	l->base = 0;
	l->total = n;
	l->sel = old_sel;
	for (i = 0; sel_id != NULL && i < n; i++)
		if (strcmp(l->rows[i].id, sel_id) == 0)
			l->sel = i;
	free(sel_id);
	l->top = l->sel - off;
	list_fix_top(l);
}

int
list_move(struct list *l, struct cache *c, long delta)
{
	long target = l->sel + delta, before = l->sel, h = l->height > 0 ? l->height : 1;
	long added;

	/* Read ahead so that the rows a page further are there. */
	while (target + h >= l->n && !l->tail_end) {
		if (list_fetch_forward(l, c, LIST_PAGE) <= 0)
			break;
	}
	while (target - h < 0 && !l->head_start) {
		if ((added = list_fetch_backward(l, c, LIST_PAGE)) <= 0)
			break;
		target += added;
		before += added;
	}
	if (target >= l->n)
		target = l->n - 1;
	if (target < 0)
		target = 0;
	l->sel = target;
	/* A page (or half page) moves the view with the cursor. */
	if (delta >= h / 2 || -delta >= h / 2)
		l->top += l->sel - before;
	list_fix_top(l);
	list_trim(l, c);
	return l->sel != before;
}

int
list_first(struct list *l, struct cache *c)
{
	if (l->static_rows || l->head_start) {
		l->sel = l->top = 0;
		list_fix_top(l);
		return 1;
	}
	list_clear(l);
	list_fetch_forward(l, c, LIST_PAGE);
	list_fix_top(l);
	return 1;
}

int
list_last(struct list *l, struct cache *c)
{
	if (l->static_rows || l->tail_end) {
		l->sel = l->n - 1;
		list_fix_top(l);
		return 1;
	}
	list_clear(l);
	list_fetch_backward(l, c, LIST_PAGE);
	if (l->total >= 0 && !l->head_start)
		l->base = l->total - l->n;
	l->sel = l->n - 1;
	l->top = l->sel;
	list_fix_top(l);
	return 1;
}

int
list_seek_id(struct list *l, struct cache *c, const char *id, long max)
{
	long i, seen = 0, h = l->height > 0 ? l->height : 1;

	if (id == NULL)
		return 0;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->rows[i].id, id) == 0)
			goto found;
	/* Not near the screen: read the list from its start, a page at a time. */
	list_first(l, c);
	for (;;) {
		for (i = seen; i < l->n; i++)
			if (strcmp(l->rows[i].id, id) == 0)
				goto found;
		seen = l->n;
		if (l->tail_end || seen >= max ||
		    list_fetch_forward(l, c, LIST_PAGE) <= 0)
			return 0;
	}
found:
	l->sel = i;
	if (l->sel < l->top || l->sel >= l->top + h)
		l->top = l->sel - h / 2;
	list_fix_top(l);
	list_trim(l, c);
	return 1;
}

const struct list_row *
list_selected(const struct list *l)
{
	return l->n > 0 && l->sel < l->n ? &l->rows[l->sel] : NULL;
}

void
list_position(const struct list *l, char *buf, size_t size)
{
	if (l->n == 0)
		snprintf(buf, size, "0");
	else if (l->total > LIST_COUNT_MAX && l->filter.text != NULL)
		snprintf(buf, size, "%ld/%ld+", l->sel + 1, (long)LIST_COUNT_MAX);
	else if (l->base >= 0 && l->total >= 0)
		snprintf(buf, size, "%ld/%ld", l->base + l->sel + 1, l->total);
	else if (l->total >= 0)
		snprintf(buf, size, "?/%ld", l->total);
	else
		snprintf(buf, size, "%ld", l->sel + 1);
}

/* Which codes a column holds, for i18n_status(): "order" for an order's status. */
static const struct {
	int		 kind;		/* enum sd_kind, or -1 for any */
	const char	*path;
	const char	*codes;
} list_codes[] = {
	{ KIND_ORDER, "status", "order" },
	{ KIND_ORDER, "abnormal.reason", "abnormal" },
	{ KIND_TICKET, "status", "ticket" },
	{ KIND_TICKET, "kind", "ticket_kind" },
	{ KIND_TICKET, "sla.state", "sla" },
	{ KIND_TICKET, "sla_clock", "sla_phase" },
	{ KIND_CONVERSATION, "status", "chat" },
	{ KIND_CONVERSATION, "queue", "queue" },
	{ KIND_CONVERSATION, "customer_level", "level" },
	{ KIND_SKU, "shelf", "shelf_short" },
	{ KIND_PROMOTION, "status", "promo" },
	{ KIND_PROMOTION, "kind", "promo_kind" },
	{ KIND_CUSTOMER, "level", "level" },
	{ -1, "state", "outbox" },
};

/* The text of a cell for people: codes named in the user's language. */
static void
list_cell_kind(enum sd_kind kind, const cJSON *obj, const struct column *c, time_t now,
    struct buf *out)
{
	struct buf raw;
	size_t i;

	if (c->type != COL_STR && c->type != COL_SLA) {
		column_text(obj, c, 1, now, out);
		return;
	}
	for (i = 0; i < sizeof list_codes / sizeof list_codes[0]; i++)
		if ((list_codes[i].kind == (int)kind || list_codes[i].kind == -1) &&
		    strcmp(list_codes[i].path, c->path) == 0)
			break;
	if (i == sizeof list_codes / sizeof list_codes[0]) {
		column_text(obj, c, 1, now, out);
		return;
	}
	buf_init(&raw);
	column_text(obj, c, 1, now, &raw);
	if (raw.len > 0)
		text_sanitize_buf(i18n_status(list_codes[i].codes, buf_str(&raw)), 0, out);
	buf_done(&raw);
}

/* Past a target, the theme colour of a cell, else -1: a chat's wait (agent.h). */
static int
list_cell_alert(enum sd_kind kind, const cJSON *obj, const struct column *c, time_t now)
{
	struct agent_clock ck;

	if (kind != KIND_CONVERSATION || strcmp(c->path, "waiting_since") != 0 ||
	    !agent_chat_clock(obj, now, &ck) || ck.level == 0)
		return -1;
	return ck.level == 2 ? TH_ERROR : TH_ALERT;
}

/*
 * Widths of the columns that fit in width; the rest get 0. The column of
 * width 0 takes what the others leave, at least LIST_FLEX_MIN where it stands
 * in the order of importance (the columns after it are dropped first).
 */
static int
list_widths(const struct column *cols, int width, int *w)
{
	int i, x = LIST_GUTTER, n = 0, flex = -1, used = LIST_GUTTER;

	for (i = 0; cols[i].header != NULL; i++) {
		w[i] = 0;
		if (x >= width)
			continue;
		if (cols[i].width == 0) {
			if (width - x >= 4) {
				w[i] = width - x < LIST_FLEX_MIN ? width - x : LIST_FLEX_MIN;
				flex = i;
			}
		} else if (x + cols[i].width <= width)
			w[i] = cols[i].width;
		else {
			/* Columns are in order of importance: stop at the first that does not fit. */
			x = width;
			continue;
		}
		if (w[i] > 0) {
			x += w[i] + 2;
			n++;
		}
		if (x > width)
			x = width;
	}
	/* The flexible column gets the rest of the line. */
	for (i = 0; cols[i].header != NULL; i++)
		if (w[i] > 0)
			used += w[i] + (used > LIST_GUTTER ? 2 : 0);
	if (flex >= 0 && used < width)
		w[flex] += width - used;
	return n;
}

/* One line of cells (texts[i] for column i) fitted to width columns. */
static void
list_line(const struct column *cols, const int *w, char **texts, const char *gutter,
    int width, struct buf *out, int *xs)
{
	int i, x = LIST_GUTTER, pad;

	buf_reset(out);
	buf_adds(out, gutter);
	for (i = 0; cols[i].header != NULL; i++) {
		if (w[i] == 0)
			continue;
		if (xs != NULL)
			xs[i] = x;
		if (column_numeric(&cols[i]) && texts != NULL) {
			for (pad = w[i] - text_width(texts[i]); pad > 0; pad--)
				buf_addc(out, ' ');
			text_fit(texts[i], w[i], 0, out);
		} else
			text_fit(texts != NULL ? texts[i] : _(cols[i].header), w[i], 1, out);
		x += w[i];
		if (x < width) {
			buf_adds(out, x + 2 <= width ? "  " : " ");
			x += x + 2 <= width ? 2 : 1;
		}
	}
	for (; x < width; x++)
		buf_addc(out, ' ');
}

int
list_draw(struct list *l, WINDOW *win, time_t now, int focused)
{
	int h, width, y, i, ncols, pending = 0, th, w[32], xs[32];
	char *texts[32];
	struct buf line, cell;
	struct list_row *r;
	long idx;
	const cJSON *obj;

	getmaxyx(win, h, width);
	if (h <= 0 || width <= 0)
		return 0;
	for (ncols = 0; l->cols[ncols].header != NULL && ncols < 31; ncols++)
		;
	l->height = h - 1 > 0 ? h - 1 : 1;
	list_fix_top(l);
	list_widths(l->cols, width, w);
	buf_init(&line);
	buf_init(&cell);

	list_line(l->cols, w, NULL, " ", width, &line, NULL);
	wattrset(win, theme_attr(TH_HEADER));
	mvwaddnstr(win, 0, 0, buf_str(&line), -1);
	for (y = 1; y < h; y++) {
		idx = l->top + y - 1;
		wmove(win, y, 0);
		if (idx >= l->n) {
			wattrset(win, theme_attr(TH_NORMAL));
			if (idx == 0 && y == 1) {
				const char *empty = l->error != NULL ? l->error :
				    _("(nothing here)");
				buf_reset(&line);
				text_fit(empty, width, 1, &line);
				wattrset(win, theme_attr(TH_DIM));
				waddnstr(win, buf_str(&line), -1);
			} else
				wclrtoeol(win);
			continue;
		}
		r = &l->rows[idx];
		obj = list_row_obj(l, r);
		for (i = 0; i < ncols; i++) {
			buf_init(&cell);
			if (obj != NULL && w[i] > 0)
				list_cell_kind(l->kind, obj, &l->cols[i], now, &cell);
			texts[i] = buf_steal(&cell);
		}
		list_line(l->cols, w, texts, l->nmarks > 0 && list_marked(l, r->id) ? "+" :
		    r->pending > 0 ? "*" : " ", width, &line, xs);
		if (r->pending > 0)
			pending++;
		th = obj != NULL && l->row_theme != NULL ? l->row_theme(obj, now) : -1;
		if (idx == l->sel && focused)
			wattrset(win, theme_attr(TH_CURSOR) |
			    ((r->pending > 0 || th >= 0) && !theme_color() ? A_BOLD : 0));
		else if (r->pending > 0)
			wattrset(win, theme_attr(TH_PENDING));
		else if (th >= 0)
			wattrset(win, theme_attr((enum theme_item)th));
		else
			wattrset(win, theme_attr(TH_NORMAL));
		waddnstr(win, buf_str(&line), -1);
		/* What the search matched, lit (on the cursor: in its colours). */
		layout_light(win, y, 0, buf_str(&line), l->filter.text,
		    idx == l->sel && focused ? theme_attr(TH_CURSOR) | A_BOLD | A_UNDERLINE :
		    theme_attr(TH_MATCH));
		/* A cell past its target (a customer waiting too long): in its colour. */
		for (i = 0; i < ncols; i++) {
			int ta;

			if (w[i] > 0 && obj != NULL &&
			    (ta = list_cell_alert(l->kind, obj, &l->cols[i], now)) >= 0) {
				struct buf fit;

				buf_init(&fit);
				text_fit(texts[i], w[i], 1, &fit);
				wattrset(win, theme_attr(ta) | (idx == l->sel && focused ?
				    A_BOLD | A_UNDERLINE : 0));
				mvwaddnstr(win, y, xs[i], buf_str(&fit), -1);
				buf_done(&fit);
			}
		}
		for (i = 0; i < ncols; i++)
			free(texts[i]);
	}
	wattrset(win, theme_attr(TH_NORMAL));
	buf_done(&line);
	buf_done(&cell);
	/* Rows more than a screen away keep their text only. */
	for (idx = 0; idx < l->n; idx++) {
		if (idx >= l->top - h && idx < l->top + 2 * h)
			continue;
		cJSON_Delete(l->rows[idx].obj);
		cJSON_Delete(l->rows[idx].masked);
		l->rows[idx].obj = l->rows[idx].masked = NULL;
	}
	return pending;
}

void
list_render_row(enum sd_kind kind, const struct column *cols, const cJSON *obj, time_t now,
    int width, struct buf *out)
{
	int i, ncols, w[32];
	char *texts[32];
	struct buf cell;

	for (ncols = 0; cols[ncols].header != NULL && ncols < 31; ncols++)
		;
	list_widths(cols, width, w);
	for (i = 0; i < ncols; i++) {
		buf_init(&cell);
		if (w[i] > 0)
			list_cell_kind(kind, obj, &cols[i], now, &cell);
		texts[i] = buf_steal(&cell);
	}
	list_line(cols, w, texts, " ", width, out, NULL);
	for (i = 0; i < ncols; i++)
		free(texts[i]);
}
