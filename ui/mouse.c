/*
 * mouse.c -- the mouse in the console (mouse.h).
 *
 * curses decodes the terminal's mouse reports (xterm's, SGR's) into
 * KEY_MOUSE; ui/input.c hands each to mouse_read(), which makes it a key
 * of its own range (KEY_MOUSE_CODE), so that it comes in order with the
 * keys, and a test script can give one ("mouse click 5 0"). Here it
 * becomes what a key would do: a tab is `pane`, a row is selected as the
 * cursor keys would, a double click is Enter (whatever Enter is bound to),
 * the wheel is three rows. Only button 1 and the wheel are asked for, so a
 * terminal's own selection with Shift (or any other button) still works.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/app.h"
#include "ui/help.h"
#include "ui/i18n.h"
#include "ui/messages.h"
#include "ui/mouse.h"
#include "ui/prompt.h"
#include "util/xmalloc.h"

#define MOUSE_WHEEL_ROWS	3	/* rows a notch of the wheel moves */

int
mouse_enable(int on)
{
	mmask_t want = BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED;

#ifdef BUTTON5_PRESSED
	want |= BUTTON5_PRESSED;
#endif
	if (!on) {
		mousemask(0, NULL);
		return 0;
	}
	return mousemask(want, NULL) != 0 && has_mouse();
}

int
mouse_read(struct key *k)
{
	MEVENT ev;
	int what;

	if (getmouse(&ev) != OK || ev.x < 0 || ev.y < 0 || ev.x > 0xfff || ev.y > 0xfff)
		return 0;
	if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
		what = KEY_MOUSE_DOUBLE;
	else if (ev.bstate & BUTTON1_CLICKED)
		what = KEY_MOUSE_CLICK;
	else if (ev.bstate & BUTTON4_PRESSED)
		what = KEY_MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		what = KEY_MOUSE_WHEEL_DOWN;
#endif
	else
		return 0;
	k->code = KEY_MOUSE_CODE(what, ev.x, ev.y);
	k->mods = 0;
	return 1;
}

/* Whether line y, column x of the screen is in win; *wy gets its line there. */
static int
mouse_in(WINDOW *win, int y, int x, int *wy)
{
	int by, bx, h, w;

	if (win == NULL)
		return 0;
	getbegyx(win, by, bx);
	getmaxyx(win, h, w);
	if (y < by || y >= by + h || x < bx || x >= bx + w)
		return 0;
	*wy = y - by;
	return 1;
}

/* Run one command of the table, as a binding would; its message if it fails. */
static void
mouse_run(struct app *app, const char *name)
{
	char *argv[] = { (char *)name, NULL }, *cause = NULL;

	if (ui_command_run_argv(app->commands, app, 1, argv, &cause) < 0 && cause != NULL)
		app_message(app, 1, "%s", cause);
	free(cause);
}

/* Select the row shown on line wy of the list's window: 1 if there is one. */
static int
mouse_select(struct app *app, int wy)
{
	struct pane *p = app_pane(app);
	struct list *l = &p->list;
	long idx;

	if (p->ops->draw != NULL || !app_offered(app, p->ops->kind) ||
	    (app->detail_open && !app->lay.split))
		return 0;
	/* Line 0 is the columns' header; list_draw() shows rows[top] on line 1. */
	idx = l->top + wy - 1;
	if (wy < 1 || idx < 0 || idx >= (long)l->n || wy > l->height)
		return 0;
	if (idx != l->sel) {
		l->sel = idx;
		p->detail_scroll = 0;
		app->dirty |= DIRTY_PANE | DIRTY_DETAIL_SOON | DIRTY_TITLE;
	}
	return 1;
}

int
mouse_event(struct app *app, struct key k, struct key *feed)
{
	int what = KEY_MOUSE_WHAT(k), x = KEY_MOUSE_X(k), y = KEY_MOUSE_Y(k), wy, i;
	int wheel = what == KEY_MOUSE_WHEEL_UP || what == KEY_MOUSE_WHEEL_DOWN;

	feed->mods = 0;
	/*
	 * Off, the terminal sends none (a script may); a question or a typed
	 * line waits for its answer: the mouse does nothing.
	 */
	if (!app->conf->mouse || prompt_active() || app->confirm != NULL)
		return 0;
	if (wheel && (app->help_open || messages_shown(app) || app->find != NULL)) {
		/* A view with keys of its own: the wheel is its arrows. */
		feed->code = what == KEY_MOUSE_WHEEL_UP ? KEYC_UP : KEYC_DOWN;
		return MOUSE_WHEEL_ROWS;
	}
	if (app->help_open || messages_shown(app) || app->find != NULL)
		return 0;
	if (wheel) {
		for (i = 0; i < MOUSE_WHEEL_ROWS; i++)
			mouse_run(app, what == KEY_MOUSE_WHEEL_UP ? "cursor-up" : "cursor-down");
		return 0;
	}
	if (mouse_in(app->lay.tabs, y, x, &wy)) {
		for (i = 0; i < PANE__TABS; i++)
			if (x < app->tab_end[i]) {
				if (i != app->cur)
					app_set_pane(app, i);
				break;
			}
		return 0;
	}
	if (mouse_in(app->lay.list, y, x, &wy) && mouse_select(app, wy) &&
	    what == KEY_MOUSE_DOUBLE) {
		feed->code = KEYC_ENTER;
		return 1;
	}
	return 0;
}

int
mouse_cmd(void *arg, int argc, char **argv, char **cause)
{
	struct app *app = arg;
	int on = !app->conf->mouse;

	if (argc > 1) {
		if (strcmp(argv[1], "on") == 0)
			on = 1;
		else if (strcmp(argv[1], "off") == 0)
			on = 0;
		else {
			*cause = xasprintf(_("mouse on or mouse off, not '%s'"), argv[1]);
			return -1;
		}
	}
	app->conf->mouse = on;
	if (on && !mouse_enable(1) && app->script == NULL)
		app_message(app, 1, "%s", _("this terminal does not report the mouse"));
	else {
		if (!on)
			mouse_enable(0);
		app_message(app, 0, "%s", on ?
		    _("the mouse selects tabs and rows; the wheel scrolls") :
		    _("the mouse is left to the terminal (to select text)"));
	}
	return 0;
}
