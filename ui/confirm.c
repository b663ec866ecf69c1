/*
 * confirm.c -- a money action held until the user says y or n (confirm.h).
 *
 * The plan was prepared against the cache when the key was pressed; it is
 * queued as it was shown, so what is confirmed is what is sent (a change
 * meanwhile is the store's to refuse, as for any queued action).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/confirm.h"
#include "ui/theme.h"
#include "util/xmalloc.h"

struct confirm {
	struct action_plan plan;
	long long	 replace;	/* the outbox entry an edit replaces, or 0 */
	struct action_plan *bulk;	/* an action on marked rows: its plans, or NULL */
	size_t		 nbulk;
	char		*preview;	/* what they do and what is refused */
	char		*heading;	/* the bulk box's title, NULL: the marked rows */
};

void
confirm_open(struct app *app, struct action_plan *plan, long long replace)
{
	confirm_free(app);
	app->confirm = xcalloc(1, sizeof *app->confirm);
	app->confirm->plan = *plan;
	app->confirm->replace = replace;
	memset(plan, 0, sizeof *plan);
	free(app->message);
	app->message = NULL;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
}

void
confirm_open_bulk(struct app *app, struct action_plan *plans, size_t n, char *preview,
    char *heading)
{
	confirm_free(app);
	app->confirm = xcalloc(1, sizeof *app->confirm);
	app->confirm->bulk = plans;
	app->confirm->nbulk = n;
	app->confirm->preview = preview;
	app->confirm->heading = heading;
	free(app->message);
	app->message = NULL;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
}

void
confirm_free(struct app *app)
{
	size_t i;

	if (app->confirm == NULL)
		return;
	action_plan_done(&app->confirm->plan);
	for (i = 0; i < app->confirm->nbulk; i++)
		action_plan_done(&app->confirm->bulk[i]);
	free(app->confirm->bulk);
	free(app->confirm->preview);
	free(app->confirm->heading);
	free(app->confirm);
	app->confirm = NULL;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
}

/* Queue every plan of an action on marked rows; the marks go once all are queued. */
static void
confirm_queue_bulk(struct app *app, struct confirm *c)
{
	char *cause = NULL, *first = NULL;
	size_t i, queued = 0, failed = 0;

	for (i = 0; i < c->nbulk; i++) {
		if (commands_queue_plan(app, &c->bulk[i], 0, &cause) == 0)
			queued++;
		else {
			if (failed++ == 0)
				first = cause;
			else
				free(cause);
		}
		cause = NULL;
	}
	if (failed > 0)
		app_message(app, 1, _("queued %zu of %zu; not queued: %s"), queued, c->nbulk,
		    first != NULL ? first : "");
	else {
		app_message(app, 0, _("queued %zu actions: see the outbox (7)"), queued);
		list_mark_clear(&app_pane(app)->list);
	}
	free(first);
}

int
confirm_key(struct app *app, struct key k)
{
	struct confirm *c = app->confirm;
	struct action_plan plan;
	char *cause = NULL;

	switch (k.code) {
	case ':':
		return 0;	/* the command line: ':refund 12.90' asks again */
	case 'y':
	case 'Y':
	case '\r':
	case '\n':
	case KEYC_ENTER:
		if (c->bulk != NULL) {
			confirm_queue_bulk(app, c);
			break;
		}
		plan = c->plan;
		memset(&c->plan, 0, sizeof c->plan);
		if (commands_queue_plan(app, &plan, c->replace, &cause) != 0) {
			app_message(app, 1, _("not queued: %s"), cause != NULL ? cause : "");
			free(cause);
		}
		break;
	case 'n':
	case 'N':
	case 'q':
	case KEYC_ESC:
		if (c->bulk != NULL && c->heading != NULL)
			app_message(app, 0, _("cancelled: nothing was queued"));
		else if (c->bulk != NULL)
			app_message(app, 0, _("cancelled: nothing was queued (the marks stay)"));
		else
			app_message(app, 0, _("cancelled: %s (nothing was queued)"),
			    c->plan.summary);
		break;
	default:
		app_message(app, 1, _("y or Enter: do it; n or Esc: cancel"));
		return 1;
	}
	confirm_free(app);
	return 1;
}

void
confirm_draw(struct app *app, WINDOW *win)
{
	struct confirm *c = app->confirm;
	const char *line, *end;
	struct detail d;

	werase(win);
	detail_init(&d, win, 0);
	if (c->bulk != NULL) {
		detail_title(&d, c->heading != NULL ? c->heading :
		    _("Confirm: one action on the marked rows"));
		detail_blank(&d);
		for (line = c->preview; line != NULL && *line != '\0'; line = end) {
			char *one;

			end = strchr(line, '\n');
			one = end != NULL ? xstrndup(line, (size_t)(end - line)) : xstrdup(line);
			detail_words(&d, theme_attr(*line == '!' ? TH_ALERT : TH_NORMAL),
			    *line == '!' ? one + 1 : one);
			free(one);
			if (end != NULL)
				end++;
		}
		detail_blank(&d);
		detail_words(&d, theme_attr(TH_TITLE), _("y / Enter: queue them    n / Esc: "
		    "cancel (nothing is queued)"));
		detail_end(&d);
		wnoutrefresh(win);
		return;
	}
	detail_title(&d, c->plan.to_finance ? _("Send this refund to finance?") :
	    _("Confirm: this moves money"));
	detail_blank(&d);
	detail_words(&d, theme_attr(TH_NORMAL), c->plan.confirm);
	detail_blank(&d);
	detail_words(&d, theme_attr(TH_TITLE), _("y / Enter: confirm    n / Esc: cancel "
	    "(nothing is queued)"));
	detail_end(&d);
	wnoutrefresh(win);
}
