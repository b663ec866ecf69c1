/*
 * catpick.c -- the category tree over the Inventory or Orders list
 * (catpick.h). The tree is read whole from the cache when it opens (a few
 * hundred categories at most: cache-category.h) and laid out depth first;
 * a branch is open or closed, and the rows shown are the categories whose
 * ancestors are all open, after the "(all categories)" row that clears the
 * filter. Names come from the network: the detail writer sanitises them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "cache-category.h"
#include "model.h"
#include "ui/app.h"
#include "ui/catpick.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xmalloc.h"

struct catpick {
	struct cache_categories t;
	unsigned char	*open;		/* per category: its branch is open */
	long		*rows;		/* shown: -1 for "all", else an index into t */
	long		 nrows;
	long		 sel;		/* into rows */
	long		 top;		/* first row drawn */
};

/* Whether the pane filters by category: the SKUs' and the orders'. */
static int
catpick_pane_ok(const struct pane *p)
{
	return p->ops->kind == KIND_SKU || p->ops->kind == KIND_ORDER;
}

/* The rows shown: "all", then each category whose ancestors are all open. */
static void
catpick_layout(struct catpick *c)
{
	size_t i;
	int closed_at = -1;	/* depth of a closed branch being skipped, -1: none */

	c->nrows = 0;
	c->rows[c->nrows++] = -1;
	for (i = 0; i < c->t.n; i++) {
		const struct cache_category *g = &c->t.v[i];

		if (closed_at >= 0 && g->depth > closed_at)
			continue;
		closed_at = -1;
		c->rows[c->nrows++] = (long)i;
		if (g->nchildren > 0 && !c->open[i])
			closed_at = g->depth;
	}
	if (c->sel >= c->nrows)
		c->sel = c->nrows - 1;
}

void
catpick_set(struct app *app, struct pane *p, const char *id, const char *path)
{
	free(p->category);
	free(p->category_label);
	p->category = id != NULL ? xstrdup(id) : NULL;
	p->category_label = id != NULL ? xstrdup(path) : NULL;
	app_apply_filter(app, p);
	app->dirty |= DIRTY_ALL;
}

void
catpick_free(struct app *app)
{
	struct catpick *c = app->catpick;

	if (c == NULL)
		return;
	cache_categories_done(&c->t);
	free(c->open);
	free(c->rows);
	free(c);
	app->catpick = NULL;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
}

/* Open the tree over the pane, the top level open and the filter's path too. */
static int
catpick_open(struct app *app, char **cause)
{
	struct pane *p = app_pane(app);
	struct catpick *c;
	size_t i;
	long at, up;

	c = xcalloc(1, sizeof *c);
	if (cache_categories_load(app->cache, &c->t, cause) != 0) {
		free(c);
		return -1;
	}
	if (c->t.n == 0) {
		cache_categories_done(&c->t);
		free(c);
		*cause = xstrdup(_("category: the cache holds no categories (the store has none, "
		    "or sync first)"));
		return -1;
	}
	c->open = xcalloc(c->t.n, 1);
	c->rows = xcalloc(c->t.n + 1, sizeof *c->rows);
	for (i = 0; i < c->t.n; i++)
		c->open[i] = c->t.v[i].depth == 0;
	/* The current filter's ancestors open, and the cursor on it. */
	for (at = -1, i = 0; p->category != NULL && i < c->t.n; i++)
		if (strcmp(c->t.v[i].id, p->category) == 0)
			at = (long)i;
	for (up = at; up >= 0 && c->t.v[up].parent_id != NULL;) {
		const char *pid = c->t.v[up].parent_id;

		for (up = -1, i = 0; i < c->t.n && up < 0; i++)
			if (strcmp(c->t.v[i].id, pid) == 0)
				up = (long)i;
		if (up >= 0)
			c->open[up] = 1;
	}
	catpick_layout(c);
	for (i = 0; at >= 0 && i < (size_t)c->nrows; i++)
		if (c->rows[i] == at)
			c->sel = (long)i;
	app->catpick = c;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
	return 0;
}

const char *
catpick_selected(struct app *app)
{
	struct catpick *c = app->catpick;

	if (c == NULL || c->rows[c->sel] < 0)
		return NULL;
	return c->t.v[c->rows[c->sel]].id;
}

void
catpick_reload(struct app *app)
{
	struct catpick *c = app->catpick, *n;
	struct pane *p = app_pane(app);
	const char *at = catpick_selected(app);
	char *keep = at != NULL ? xstrdup(at) : NULL, *cause = NULL;
	long sel = c != NULL ? c->sel : 0;
	size_t i, j;

	if (c == NULL)
		return;
	app->catpick = NULL;
	if (catpick_open(app, &cause) != 0) {
		app->catpick = c;	/* the old tree rather than none */
		free(cause);
		free(keep);
		return;
	}
	n = app->catpick;
	/* What was open stays open; the cursor stays on its category. */
	for (i = 0; i < c->t.n; i++)
		for (j = 0; c->open[i] && j < n->t.n; j++)
			if (strcmp(c->t.v[i].id, n->t.v[j].id) == 0)
				n->open[j] = 1;
	catpick_layout(n);
	n->sel = sel < n->nrows ? sel : n->nrows - 1;
	for (i = 0; keep != NULL && i < (size_t)n->nrows; i++)
		if (n->rows[i] >= 0 && strcmp(n->t.v[n->rows[i]].id, keep) == 0)
			n->sel = (long)i;
	free(keep);
	app->catpick = c;
	catpick_free(app);
	app->catpick = n;
	/* The filter's category renamed or moved: the title says where it is now. */
	for (i = 0; p->category != NULL && i < n->t.n; i++)
		if (strcmp(n->t.v[i].id, p->category) == 0) {
			free(p->category_label);
			p->category_label = xstrdup(n->t.v[i].path);
			app->dirty |= DIRTY_TITLE;
		}
}

/* Open the ':' line on a category action, or say why it cannot be. */
static void
catpick_prompt(struct app *app, const char *name, const char *text)
{
	const struct action_def *d = action_find("categories", name);
	char *cause = NULL;

	if (!commands_action_offered(app, d, &cause)) {
		app_message(app, 1, "%s", cause);
		free(cause);
		return;
	}
	if (strcmp(name, "create") != 0 && catpick_selected(app) == NULL) {
		app_message(app, 1, _("%s: move to a category first"), name);
		return;
	}
	app_prompt_command(app, text);
}

int
catpick_cmd(void *arg, int argc, char **argv, char **cause)
{
	struct app *app = arg;
	struct pane *p = app_pane(app);
	struct cache_categories t = { NULL, 0 };
	long i;
	int rc = -1;

	if (!catpick_pane_ok(p)) {
		*cause = xstrdup(_("category: only in the Inventory (5) and Orders (2) panes"));
		return -1;
	}
	if (argc < 2)
		return catpick_open(app, cause);
	if (strcmp(argv[1], "-") == 0) {
		catpick_set(app, p, NULL, NULL);
		return 0;
	}
	if (cache_categories_load(app->cache, &t, cause) != 0)
		return -1;
	if ((i = cache_category_find(&t, argv[1], cause)) >= 0) {
		catpick_set(app, p, t.v[i].id, t.v[i].path);
		rc = 0;
	}
	cache_categories_done(&t);
	return rc;
}

/* The parent's row of the category at row r, or r. */
static long
catpick_parent_row(const struct catpick *c, long r)
{
	long i = c->rows[r], k;

	if (i < 0 || c->t.v[i].parent_id == NULL)
		return r;
	for (k = r; k > 0; k--)
		if (c->rows[k] >= 0 && c->t.v[c->rows[k]].depth < c->t.v[i].depth)
			return k;
	return r;
}

int
catpick_key(struct app *app, struct key k)
{
	struct catpick *c = app->catpick;
	struct pane *p = app_pane(app);
	long i = c->rows[c->sel], h;

	switch (k.code) {
	case ':':
		return 0;
	case 'j':
	case KEYC_DOWN:
		if (c->sel + 1 < c->nrows)
			c->sel++;
		break;
	case 'k':
	case KEYC_UP:
		if (c->sel > 0)
			c->sel--;
		break;
	case 'g':
	case KEYC_HOME:
		c->sel = 0;
		break;
	case 'G':
	case KEYC_END:
		c->sel = c->nrows - 1;
		break;
	case KEYC_PGDN:
	case KEYC_PGUP:
		h = app->lay.list != NULL ? getmaxy(app->lay.list) - 3 : 10;
		c->sel += k.code == KEYC_PGDN ? h : -h;
		if (c->sel >= c->nrows)
			c->sel = c->nrows - 1;
		if (c->sel < 0)
			c->sel = 0;
		break;
	case 'l':
	case '+':
	case KEYC_RIGHT:
		if (i >= 0)
			c->open[i] = 1;
		catpick_layout(c);
		break;
	case 'h':
	case '-':
	case KEYC_LEFT:
		if (i >= 0 && c->open[i] && c->t.v[i].nchildren > 0)
			c->open[i] = 0;
		else
			c->sel = catpick_parent_row(c, c->sel);
		catpick_layout(c);
		break;
	case ' ':
		if (i >= 0)
			c->open[i] = !c->open[i];
		catpick_layout(c);
		break;
	case '\r':
	case '\n':
	case KEYC_ENTER:
		if (i < 0) {
			catpick_set(app, p, NULL, NULL);
			app_message(app, 0, _("all categories"));
		} else {
			catpick_set(app, p, c->t.v[i].id, c->t.v[i].path);
			app_message(app, 0, _("category %s and the ones below it"), c->t.v[i].path);
		}
		catpick_free(app);
		return 1;
	case 'a':
		if (i >= 0) {
			char *t = xasprintf("create --parent %s ", c->t.v[i].id);

			catpick_prompt(app, "create", t);
			free(t);
		} else
			catpick_prompt(app, "create", "create ");
		return 1;
	case 'r':
		catpick_prompt(app, "rename", "rename ");
		return 1;
	case 'm':
		catpick_prompt(app, "move", "move ");
		return 1;
	case 'D':
		catpick_prompt(app, "delete", "delete");
		return 1;
	case 'q':
	case KEYC_ESC:
		catpick_free(app);
		return 1;
	default:
		app_message(app, 1, _("j/k: move  l/h: open/close  Enter: filter  Esc: close"));
		return 1;
	}
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL;
	return 1;
}

void
catpick_draw(struct app *app, WINDOW *win)
{
	struct catpick *c = app->catpick;
	const struct pane *p = app_pane(app);
	int utf8 = text_locale_utf8(), y, h = getmaxy(win) - 3;
	struct detail d;
	struct buf b;
	long r;

	/* > marks the cursor and * the filter, in text too (NO_COLOR, a dump). */
	if (h < 1)
		h = 1;
	if (c->sel < c->top)
		c->top = c->sel;
	if (c->sel >= c->top + h)
		c->top = c->sel - h + 1;
	werase(win);
	detail_init(&d, win, 0);
	detail_title(&d, _("Categories (商品类目): Enter filters, l/h open/close, Esc closes"));
	buf_init(&b);
	for (r = c->top, y = 0; r < c->nrows && y < h; r++, y++) {
		long i = c->rows[r];
		int cur, attr;

		buf_reset(&b);
		if (i < 0) {
			cur = p->category == NULL;
			buf_addf(&b, "%s%s %s", r == c->sel ? ">" : " ", cur ? "*" : " ",
			    _("(all categories)"));
		} else {
			const struct cache_category *g = &c->t.v[i];

			cur = p->category != NULL && strcmp(p->category, g->id) == 0;
			buf_addf(&b, "%s%s %*s%s %s  (%ld)", r == c->sel ? ">" : " ", cur ? "*" : " ",
			    g->depth * 2, "",
			    g->nchildren == 0 ? " " : c->open[i] ? (utf8 ? "\xe2\x96\xbe" : "-") :
			    (utf8 ? "\xe2\x96\xb8" : "+"), g->name, g->products);
		}
		attr = r == c->sel ? theme_attr(TH_CURSOR) : theme_attr(cur ? TH_TITLE : TH_NORMAL);
		detail_text(&d, (attr_t)attr, buf_str(&b));
	}
	buf_done(&b);
	detail_text(&d, theme_attr(TH_DIM), _("a: new under it  r: rename  m: move  D: delete  "
	    "(admin, ops)"));
	detail_end(&d);
	wnoutrefresh(win);
}
