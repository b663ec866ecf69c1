/*
 * reprice.c -- ":reprice CHANGE" in the Inventory pane: many SKUs' prices
 * changed at once (批量调价), on the marked rows, or on every row the list
 * shows (its tab and search) when none is marked.
 *
 * CHANGE is a signed percentage ("-10%", "+12.5%"), a signed amount in yuan
 * ("+5.00", "-3") or, unsigned, the new price ("99.00"). The SKUs go through
 * the same core as "shopdesk stock reprice" (action_price_batch): each new
 * price is an ordinary stock price action. The preview (ui/confirm.c) counts
 * what changes and what is flagged, lists the flagged lines first -- below
 * cost, or by more than half -- then the others as far as 80x24 allows; y
 * queues them all, n nothing.
 *
 * ":import FILE" there reads a CSV file of prices as "shopdesk stock price
 * --from-csv FILE" does (the same parser: UTF-8, a BOM or GB18030, headers
 * in English or Chinese) and opens the same preview; a bad line is shown
 * with its number and queues nothing of the file.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/app.h"
#include "ui/confirm.h"
#include "ui/marks.h"
#include "ui/reprice.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define PREVIEW_LINES	10	/* lines of old -> new shown at 80x24 */
#define IMPORT_MAX	(16 * 1024 * 1024)	/* largest price file read */

/*
 * The SKUs to reprice: the marked ones, else the whole list (*all set);
 * -1 with *cause.
 */
static int
reprice_ids(struct app *a, char ***ids, size_t *n, int *all, char **cause)
{
	struct list *l = &app_pane(a)->list;
	size_t i;

	*all = l->nmarks == 0;
	if (*all && list_mark_all(l, a->cache, MARKS_MAX, cause) < 0)
		return -1;
	if (*all && l->nmarks >= MARKS_MAX) {
		list_mark_clear(l);
		*cause = xasprintf(_("reprice: the list has %d SKUs or more; narrow it (a search, "
		    "the Low tab) or mark the rows (m)"), MARKS_MAX);
		return -1;
	}
	*n = l->nmarks;
	*ids = xcalloc(*n + 1, sizeof **ids);
	for (i = 0; i < *n; i++)
		(*ids)[i] = xstrdup(l->marks[i]);
	if (*all)
		list_mark_clear(l);
	return 0;
}

/* One preview line: "!" first when flagged (the confirm box shows it as an alert). */
static void
reprice_line(struct buf *pv, const struct action_batch_line *l)
{
	buf_addf(pv, "\n%s%s", l->error != NULL || l->plan.confirm != NULL ? "!" : "",
	    action_price_line_text(l));
}

/*
 * The preview of a price batch (taken over), headed by title: counts, the
 * flagged and refused lines first, then the others while they fit; its good
 * plans are held by the confirmation, titled heading (taken over; NULL: the
 * marked rows). -1 with *cause when none is good.
 */
static int
reprice_preview(struct app *a, struct action_batch *b, const char *title, size_t unchanged,
    int rounded, char *heading, char **cause)
{
	struct action_plan *plans;
	size_t i, good = b->n - b->bad, shown = 0, flagged = 0;
	struct buf pv;
	int pass;

	for (i = 0; i < b->n; i++)
		flagged += b->lines[i].error == NULL && b->lines[i].plan.confirm != NULL;
	if (good == 0) {
		*cause = xasprintf(_("%s: refused for all %zu: %s"), title, b->n,
		    b->lines[0].error != NULL ? b->lines[0].error : "");
		action_batch_done(b);
		free(heading);
		return -1;
	}
	buf_init(&pv);
	buf_addf(&pv, _("%s: %zu to change, %zu flagged, %zu unchanged, %zu refused"), title,
	    good, flagged, unchanged, b->bad);
	if (rounded)
		buf_adds(&pv, _(" (rounded to the fen)"));
	/* The flagged and refused first: they are what a look must not miss. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < b->n && shown < PREVIEW_LINES; i++) {
			if ((b->lines[i].error != NULL || b->lines[i].plan.confirm != NULL) !=
			    (pass == 0))
				continue;
			reprice_line(&pv, &b->lines[i]);
			shown++;
		}
	if (shown < b->n)
		buf_addf(&pv, _("\n... and %zu more"), b->n - shown);
	plans = xcalloc(good, sizeof *plans);
	for (i = 0, good = 0; i < b->n; i++)
		if (b->lines[i].error == NULL) {
			plans[good++] = b->lines[i].plan;
			memset(&b->lines[i].plan, 0, sizeof b->lines[i].plan);
		}
	action_batch_done(b);
	confirm_open_bulk(a, plans, good, buf_steal(&pv), heading);
	return 0;
}

int
reprice_cmd(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct price_change pc;
	struct action_batch b;
	const char *change = argv[1];
	char **ids = NULL, *title;
	size_t n = 0, i, unchanged = 0;
	struct buf t;
	int rc = -1, all = 0;

	(void)argc;
	if (app_pane(a)->ops->kind != KIND_SKU) {
		*cause = xstrdup(_("reprice: only in the Inventory pane (5)"));
		return -1;
	}
	if (action_price_change_parse(*change == '+' || *change == '-' ? change : NULL,
	    *change == '+' || *change == '-' ? NULL : change, &pc, cause) != 0)
		return -1;
	if (reprice_ids(a, &ids, &n, &all, cause) != 0)
		return -1;
	if (n == 0) {
		*cause = xstrdup(_("reprice: the list is empty"));
		goto out;
	}
	if (action_price_batch(a->cache, (const char *const *)ids, n, &pc, time(NULL), &b,
	    &unchanged, cause) != SD_OK) {
		action_batch_done(&b);
		goto out;
	}
	buf_init(&t);
	action_price_change_text(&pc, &t);
	title = xasprintf(_("Reprice %s"), buf_str(&t));
	buf_done(&t);
	/* Nothing marked: every row of the list, and the title says so. */
	rc = reprice_preview(a, &b, title, unchanged, 1, all ? xasprintf(_("Confirm: one "
	    "action on every row of the list (%zu)"), n) : NULL, cause);
	free(title);
out:
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return rc;
}

int
reprice_cmd_import(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct action_batch b;
	struct buf text, bad;
	char chunk[8192], *title;
	size_t n, i, nbad = 0;
	FILE *f;
	int rc = -1;

	(void)argc;
	if (app_pane(a)->ops->kind != KIND_SKU) {
		*cause = xstrdup(_("import: only in the Inventory pane (5): a CSV file of prices"));
		return -1;
	}
	if ((f = fopen(argv[1], "rb")) == NULL) {
		*cause = xasprintf(_("import: cannot open %s: %s"), argv[1], strerror(errno));
		return -1;
	}
	buf_init(&text);
	buf_adds(&text, "");
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && text.len + n <= IMPORT_MAX)
		buf_add(&text, chunk, n);
	if (ferror(f) || n > 0) {
		*cause = xasprintf(_("import: cannot read %s, or it is larger than %d MB"), argv[1],
		    IMPORT_MAX >> 20);
		fclose(f);
		buf_done(&text);
		return -1;
	}
	fclose(f);
	if (action_batch_load(a->cache, action_find("stock", "price"), buf_str(&text), text.len,
	    time(NULL), &b, cause) != SD_OK) {
		action_batch_done(&b);
		buf_done(&text);
		return -1;
	}
	buf_done(&text);
	/* A file with a bad line queues nothing: fix it first, as the CLI says. */
	if (b.bad > 0) {
		buf_init(&bad);
		for (i = 0; i < b.n; i++)
			if (b.lines[i].error != NULL && nbad++ < 3)
				buf_addf(&bad, "%s%s %ld: %s", nbad > 1 ? "; " : "", _("line"),
				    b.lines[i].line, b.lines[i].error);
		*cause = xasprintf(_("import: %zu of %zu lines of %s are bad, nothing was queued: "
		    "%s"), b.bad, b.n, argv[1], buf_str(&bad));
		buf_done(&bad);
		action_batch_done(&b);
		return -1;
	}
	title = xasprintf(_("Prices from %s (%s)"), argv[1], b.encoding != NULL ? b.encoding :
	    "UTF-8");
	rc = reprice_preview(a, &b, title, 0, 0, xasprintf(_("Confirm: the prices of %s"),
	    argv[1]), cause);
	free(title);
	return rc;
}
