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
confirm_free(struct app *app)
{
	if (app->confirm == NULL)
		return;
	action_plan_done(&app->confirm->plan);
	free(app->confirm);
	app->confirm = NULL;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
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
		app_message(app, 0, _("cancelled: %s (nothing was queued)"), c->plan.summary);
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
	struct detail d;

	werase(win);
	detail_init(&d, win, 0);
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
