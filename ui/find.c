/*
 * find.c -- go to anything: one search over every kind, hits grouped by kind.
 *
 * ":find TEXT" (g/ by default) searches orders, tickets, chats, customers,
 * SKUs and promotions at once, as "shopdesk find" does, and shows the hits in
 * place of the list, each kind under a header with its count, exact matches
 * first. j/k move, Enter opens the hit in its pane (the pane searching for
 * its id, which lists it first, its detail open; go-back returns). One hit
 * is opened at once. A kind with more hits than are shown ends with a row
 * that lists them all in its pane (the pane searching for the text).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache-query.h"
#include "ui/app.h"
#include "ui/find.h"
#include "ui/i18n.h"
#include "ui/list.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define FIND_PER_KIND	8
#define FIND_COUNT_MAX	1000	/* "more than 1000", as shopdesk find says */

/* The kinds searched, in order, with the pane that shows each. */
static const struct {
	enum sd_kind	 kind;
	int		 pane;
	const char	*title;
} find_kinds[] = {
	{ KIND_ORDER, PANE_ORDERS, N_("Orders") },
	{ KIND_TICKET, PANE_TICKETS, N_("After-sales") },
	{ KIND_CONVERSATION, PANE_CHATS, N_("Chats") },
	{ KIND_CUSTOMER, PANE_CUSTOMERS, N_("Customers") },
	{ KIND_SKU, PANE_STOCK, N_("Stock") },
	{ KIND_PROMOTION, PANE_PROMOS, N_("Promotions") },
};
#define FIND_NKINDS (sizeof find_kinds / sizeof find_kinds[0])

struct find_hit {
	int		 k;		/* index in find_kinds, or -1 for a header */
	char		*id;		/* NULL for a header */
	char		*json;		/* the object, or the header's or more row's text */
	int		 more;		/* the row that lists all of kind k */
};

struct find_view {
	char		*query;
	struct find_hit	*hits;
	int		 n;
	int		 sel;		/* a hit, never a header */
	int		 top;
};

void
find_close(struct app *app)
{
	struct find_view *f = app->find;
	int i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->hits[i].id);
		free(f->hits[i].json);
	}
	free(f->hits);
	free(f->query);
	free(f);
	app->find = NULL;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
}

static void
find_add(struct find_view *f, int k, char *id, char *json)
{
	f->hits = xrealloc(f->hits, (size_t)(f->n + 1) * sizeof *f->hits);
	f->hits[f->n].k = k;
	f->hits[f->n].id = id;
	f->hits[f->n].json = json;
	f->hits[f->n].more = 0;
	f->n++;
}

struct find_acc {
	struct find_view *f;
	int		 k;
};

static int
find_row(void *arg, const char *json)
{
	struct find_acc *a = arg;
	cJSON *obj = cJSON_Parse(json);
	const char *id = obj != NULL ? json_str(obj, "id") : NULL;

	if (id != NULL)
		find_add(a->f, a->k, xstrdup(id), xstrdup(json));
	cJSON_Delete(obj);
	return 0;
}

/*
 * Open the pane of hit h, searching for its id, its detail open; or for the
 * more row, searching for the text, on the list (go-back returns).
 */
static void
find_go(struct app *app, const struct find_hit *h)
{
	int k = h->k, more = h->more;	/* h is the view's: gone once it is closed */
	char *id = xstrdup(h->id);

	find_close(app);
	app_go_to(app, find_kinds[k].pane, id, !more);
	free(id);
}

int
find_open(struct app *app, const char *text, char **cause)
{
	struct find_view *f;
	struct find_acc acc;
	struct query q;
	struct buf head;
	char *next = NULL;
	long total;
	size_t i;
	int first = -1, hits = 0;

	if (text == NULL || *text == '\0') {
		*cause = xstrdup(_("find what? e.g. :find 13812341234"));
		return -1;
	}
	find_close(app);
	f = xcalloc(1, sizeof *f);
	f->query = xstrdup(text);
	buf_init(&head);
	for (i = 0; i < FIND_NKINDS; i++) {
		if (!app_offered(app, find_kinds[i].kind))
			continue;
		memset(&q, 0, sizeof q);
		q.kind = find_kinds[i].kind;
		q.text = text;
		q.limit = FIND_PER_KIND;
		/* Capped: counting a text most rows match stops early (cache-query.h). */
		if ((total = cache_query_count_max(app->cache, &q, FIND_COUNT_MAX, NULL, NULL,
		    cause)) < 0)
			break;
		if (total == 0)
			continue;
		buf_reset(&head);
		if (total > FIND_COUNT_MAX)
			buf_addf(&head, _("%s: more than %ld (the first %d)"),
			    _(find_kinds[i].title), (long)FIND_COUNT_MAX, FIND_PER_KIND);
		else
			buf_addf(&head, total > FIND_PER_KIND ? _("%s: %ld (the first %d)") :
			    _("%s: %ld"), _(find_kinds[i].title), total, FIND_PER_KIND);
		find_add(f, -1, NULL, buf_steal(&head));
		acc.f = f;
		acc.k = (int)i;
		if (cache_query(app->cache, &q, find_row, &acc, &next, cause) != 0)
			break;
		free(next);
		next = NULL;
		if (total > FIND_PER_KIND) {
			find_add(f, (int)i, xstrdup(text), total > FIND_COUNT_MAX ?
			    xasprintf(_("-> all of them in %s (Enter)"), _(find_kinds[i].title)) :
			    xasprintf(_("-> all %ld in %s (Enter)"), total, _(find_kinds[i].title)));
			f->hits[f->n - 1].more = 1;
		}
		hits += total > FIND_PER_KIND ? FIND_PER_KIND + 1 : (int)total;
	}
	buf_done(&head);
	app->find = f;
	if (*cause != NULL) {
		find_close(app);
		return -1;
	}
	for (i = 0; i < (size_t)f->n; i++)
		if (f->hits[i].id != NULL && first < 0)
			first = (int)i;
	if (first < 0) {
		find_close(app);
		app_message(app, 1, _("nothing found for '%s'"), text);
		return 0;
	}
	if (hits == 1) {		/* one hit: there it is */
		find_go(app, &f->hits[first]);
		return 0;
	}
	f->sel = first;
	app->detail_open = 0;
	app->dirty |= DIRTY_ALL;
	return 0;
}

/* Move the selection by d hits (skipping headers), within the list. */
static void
find_move(struct find_view *f, int d)
{
	int i = f->sel;

	for (;;) {
		i += d > 0 ? 1 : -1;
		if (i < 0 || i >= f->n)
			return;
		if (f->hits[i].id != NULL)
			break;
	}
	f->sel = i;
}

int
find_key(struct app *app, struct key k)
{
	struct find_view *f = app->find;

	if (f == NULL)
		return 0;
	switch (k.code) {
	case 'j':
	case KEYC_DOWN:
		find_move(f, 1);
		break;
	case 'k':
	case KEYC_UP:
		find_move(f, -1);
		break;
	case '\r':
	case '\n':
	case KEYC_ENTER:
	case KEYC_RIGHT:
		find_go(app, &f->hits[f->sel]);
		return 1;
	case 'q':
	case KEYC_ESC:
	case KEYC_LEFT:
		find_close(app);
		return 1;
	default:
		return 0;	/* the rest as usual: ':' , '?', panes... */
	}
	app->dirty |= DIRTY_PANE;
	return 1;
}

void
find_draw(struct app *app, WINDOW *win)
{
	struct find_view *f = app->find;
	const struct pane *p;
	struct buf line;
	cJSON *obj;
	char *title;
	int h, w, y, i;

	werase(win);
	getmaxyx(win, h, w);
	title = xasprintf(_("Find '%s' (j/k move, Enter opens, Esc closes):"), f->query);
	buf_init(&line);
	text_fit(title, w, 1, &line);
	free(title);
	wattrset(win, theme_attr(TH_TITLE));
	mvwaddnstr(win, 0, 0, buf_str(&line), -1);
	if (f->sel < f->top)
		f->top = f->sel > 0 && f->hits[f->sel - 1].id == NULL ? f->sel - 1 : f->sel;
	if (f->sel >= f->top + h - 1)
		f->top = f->sel - (h - 2);
	for (y = 1, i = f->top; y < h && i < f->n; y++, i++) {
		buf_reset(&line);
		if (f->hits[i].id == NULL || f->hits[i].more) {
			buf_addf(&line, "%s", f->hits[i].more ? " " : "");
			text_fit(f->hits[i].json, w - (int)line.len, 1, &line);
			wattrset(win, theme_attr(i == f->sel ? TH_CURSOR : f->hits[i].more ?
			    TH_NORMAL : TH_HEADER));
			mvwaddnstr(win, y, 0, buf_str(&line), -1);
			continue;
		}
		p = &app->panes[find_kinds[f->hits[i].k].pane];
		if ((obj = cJSON_Parse(f->hits[i].json)) == NULL)
			continue;
		model_mask_object(find_kinds[f->hits[i].k].kind, obj);
		list_render_row(find_kinds[f->hits[i].k].kind,
		    find_kinds[f->hits[i].k].kind == KIND_CUSTOMER ?
		    columns_for(KIND_CUSTOMER) : p->ops->columns, obj, app->now, w, &line);
		cJSON_Delete(obj);
		wattrset(win, theme_attr(i == f->sel ? TH_CURSOR : TH_NORMAL));
		mvwaddnstr(win, y, 0, buf_str(&line), -1);
		layout_light(win, y, 0, buf_str(&line), f->query, i == f->sel ?
		    theme_attr(TH_CURSOR) | A_BOLD | A_UNDERLINE : theme_attr(TH_MATCH));
	}
	wattrset(win, theme_attr(TH_NORMAL));
	buf_done(&line);
	wnoutrefresh(win);
}
