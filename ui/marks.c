/*
 * marks.c -- marked rows and one action on them all (marks.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/app.h"
#include "ui/confirm.h"
#include "ui/marks.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* The current pane's list when it lists objects, or NULL with *cause. */
static struct list *
marks_list(struct app *a, char **cause)
{
	struct pane *p = app_pane(a);

	if (p->ops->kind < 0 || p->ops->load != NULL) {
		*cause = xasprintf(_("%s has no rows to mark"), _(p->ops->title));
		return NULL;
	}
	return &p->list;
}

int
marks_cmd_mark(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	const struct list_row *r;
	struct list *l;
	char *id;
	int on;

	(void)argc;
	(void)argv;
	if ((l = marks_list(a, cause)) == NULL)
		return -1;
	if ((r = list_selected(l)) == NULL) {
		*cause = xstrdup(_("mark: select a row first"));
		return -1;
	}
	if (!list_marked(l, r->id) && l->nmarks >= MARKS_MAX) {
		*cause = xasprintf(_("%d rows are marked, the most at once: act on them or "
		    "clear them (X) first"), MARKS_MAX);
		return -1;
	}
	id = xstrdup(r->id);
	on = list_mark_toggle(l, id);
	/* On to the next row, as a packer marks one order after another. */
	list_move(l, a->cache, 1);
	app_message(a, 0, on ? _("%s marked (%zu marked)") : _("%s unmarked (%zu marked)"), id,
	    l->nmarks);
	free(id);
	a->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
	return 0;
}

int
marks_cmd_mark_all(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct list *l;
	long added;

	(void)argc;
	(void)argv;
	if ((l = marks_list(a, cause)) == NULL)
		return -1;
	if ((added = list_mark_all(l, a->cache, MARKS_MAX, cause)) < 0)
		return -1;
	if (l->nmarks >= MARKS_MAX)
		app_message(a, 1, _("%ld more marked: %zu marked, the most at once"), added,
		    l->nmarks);
	else
		app_message(a, 0, _("%ld more marked (%zu marked)"), added, l->nmarks);
	a->dirty |= DIRTY_PANE | DIRTY_TITLE;
	return 0;
}

int
marks_cmd_mark_clear(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct list *l;
	size_t n;

	(void)argc;
	(void)argv;
	if ((l = marks_list(a, cause)) == NULL)
		return -1;
	n = l->nmarks;
	list_mark_clear(l);
	app_message(a, 0, _("%zu marks cleared"), n);
	a->dirty |= DIRTY_PANE | DIRTY_TITLE;
	return 0;
}

int
marks_action(struct app *a, const struct action_def *d, const char *const *values,
    char **cause)
{
	struct list *l = &app_pane(a)->list;
	struct action_plan *plans;
	struct buf ok, refused, reasons;
	size_t i, n = 0, nref = 0;
	time_t now = time(NULL);
	char *why;
	int rc = -1;

	plans = xcalloc(l->nmarks, sizeof *plans);
	buf_init(&ok);
	buf_init(&refused);
	buf_init(&reasons);
	for (i = 0; i < l->nmarks; i++) {
		why = NULL;
		if (action_prepare(a->cache, d, l->marks[i], values, now, &plans[n], &why) ==
		    SD_OK) {
			buf_addf(&ok, "%s%s", n > 0 ? "\n" : "", plans[n].summary);
			if (plans[n].confirm != NULL)
				buf_addf(&ok, " -- %s", plans[n].confirm);
			n++;
		} else {
			buf_addf(&refused, "\n!%s: %s", l->marks[i], why != NULL ? why : "");
			buf_addf(&reasons, "%s%s: %s", nref > 0 ? "; " : "", l->marks[i],
			    why != NULL ? why : "");
			nref++;
		}
		free(why);
	}
	if (n == 0) {
		*cause = xasprintf(_("%s refused for all %zu marked: %s"), d->name, nref,
		    buf_str(&reasons));
		free(plans);
		goto out;
	}
	{
		struct buf pv;

		buf_init(&pv);
		buf_addf(&pv, _("%s: %zu of %zu marked will be queued, %zu refused"), d->name, n,
		    l->nmarks, nref);
		buf_addf(&pv, "\n%s", buf_str(&ok));
		if (nref > 0)
			buf_addf(&pv, "\n%s%s", _("Refused (not queued):"), buf_str(&refused));
		confirm_open_bulk(a, plans, n, buf_steal(&pv), NULL);
	}
	rc = 0;
out:
	buf_done(&ok);
	buf_done(&refused);
	buf_done(&reasons);
	return rc;
}
