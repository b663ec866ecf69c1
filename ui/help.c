/*
 * help.c -- the `help` view: the keys of the pane in words (help.h).
 *
 * The view reads the live bindings along the pane's chain (the user's
 * keymap file and session `bind`s included), so it shows what the keys do
 * now, not what the defaults were. A key is described by the command table's
 * own line for its command, translated; keys bound to one command line share
 * a row ("j <Down>"); rows are grouped by purpose. The view scrolls like
 * the messages view: j/k, PgDn/PgUp, g/G; q, Esc or ? closes it, and any
 * other key closes it and then does what it does in the pane.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "ui/app.h"
#include "ui/cmdline.h"
#include "ui/help.h"
#include "ui/i18n.h"
#include "ui/keymap.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xmalloc.h"

enum help_group {
	HELP_MOVING,
	HELP_PANES,
	HELP_SEARCH,
	HELP_GOING,
	HELP_ACTIONS,
	HELP_CONSOLE,
	HELP__COUNT
};

static const char *const help_group_titles[HELP__COUNT] = {
	N_("Moving"),
	N_("Panes and views"),
	N_("Search, filter, sort"),
	N_("Between related objects"),
	N_("Actions on the selected row"),
	N_("The console"),
};

/* Which group a command is in, by its name; actions and the rest apart. */
static const struct {
	const char	*name;
	enum help_group	 group;
} help_groups[] = {
	{ "cursor-down", HELP_MOVING }, { "cursor-up", HELP_MOVING },
	{ "page-down", HELP_MOVING }, { "page-up", HELP_MOVING },
	{ "half-page-down", HELP_MOVING }, { "half-page-up", HELP_MOVING },
	{ "first", HELP_MOVING }, { "last", HELP_MOVING },
	{ "pane", HELP_PANES }, { "pane-next", HELP_PANES }, { "pane-prev", HELP_PANES },
	{ "outbox", HELP_PANES }, { "canned", HELP_PANES }, { "open", HELP_PANES },
	{ "back", HELP_PANES }, { "toggle-detail", HELP_PANES }, { "messages", HELP_PANES },
	{ "help", HELP_PANES },
	{ "search", HELP_SEARCH }, { "search-next", HELP_SEARCH },
	{ "search-prev", HELP_SEARCH }, { "search-clear", HELP_SEARCH },
	{ "find", HELP_SEARCH }, { "filter", HELP_SEARCH }, { "filter-next", HELP_SEARCH },
	{ "filter-prev", HELP_SEARCH }, { "filter-clear", HELP_SEARCH },
	{ "filter-kind-next", HELP_SEARCH }, { "filter-kind-prev", HELP_SEARCH },
	{ "sort", HELP_SEARCH },
	{ "go-order", HELP_GOING }, { "go-customer", HELP_GOING }, { "go-ticket", HELP_GOING },
	{ "go-chat", HELP_GOING }, { "go-back", HELP_GOING }, { "accept-next", HELP_GOING },
	{ "chat-next", HELP_GOING },
	{ "reveal", HELP_ACTIONS }, { "new-ticket", HELP_ACTIONS },
	{ "new-promo", HELP_ACTIONS }, { "retry", HELP_ACTIONS },
	{ "new-product", HELP_ACTIONS }, { "edit-product", HELP_ACTIONS },
	{ "delete-product", HELP_ACTIONS },
	{ "drop", HELP_ACTIONS },
};

struct help_row {
	enum help_group	 group;
	char		*keys;		/* "j <Down>" */
	char		*command;	/* the command line bound */
	char		*text;		/* what it does, translated */
};

struct help_acc {
	struct app	*app;
	struct help_row	*v;
	size_t		 n;
};

/* The group of command name (a row of the console's table, or NULL). */
static enum help_group
help_group_of(const char *name, const struct ui_command *c)
{
	size_t i;

	for (i = 0; i < sizeof help_groups / sizeof help_groups[0]; i++)
		if (strcmp(help_groups[i].name, name) == 0)
			return help_groups[i].group;
	if (c != NULL && (c->flags & UI_CMD_SELECTION))
		return HELP_ACTIONS;
	return HELP_CONSOLE;
}

/* The help line of command name in the current pane: its action's if it is one. */
static const char *
help_text_of(struct app *app, const char *name)
{
	const struct ui_command *c = ui_command_find(app->commands, name);
	const struct action_def *d;
	const char *noun = app_pane(app)->ops->noun;

	if (c != NULL && (c->flags & UI_CMD_SELECTION) && noun != NULL &&
	    (d = action_find(noun, name)) != NULL)
		return d->help;
	return c != NULL ? c->help : NULL;
}

/* Describe one command line in words; *group gets its purpose. Caller frees. */
static char *
help_describe(struct app *app, const char *line, enum help_group *group)
{
	struct cmdline *cl = NULL;
	struct cmdline_cmd *cmd;
	char *cause = NULL, *out = NULL, *typed, *sp;
	const char *help;
	struct buf b;
	int i;

	*group = HELP_CONSOLE;
	if (cmdline_parse(line, &cl, &cause) != 0 || cl->n == 0) {
		free(cause);
		cmdline_free(&cl);
		return xstrdup(line);
	}
	cmd = &cl->cmds[0];
	buf_init(&b);
	if (strcmp(cmd->argv[0], "command") == 0 && cmd->argc == 2) {
		/* `command 'ship '`: the : line with an action typed, described as it. */
		typed = xstrdup(cmd->argv[1]);
		if ((sp = strchr(typed, ' ')) != NULL)
			*sp = '\0';
		help = help_text_of(app, typed);
		*group = help_group_of(typed, ui_command_find(app->commands, typed));
		if (help != NULL)
			buf_addf(&b, "%s (:%s…)", _(help), cmd->argv[1]);
		free(typed);
	} else if (strcmp(cmd->argv[0], "pane") == 0 && cmd->argc == 2) {
		*group = HELP_PANES;
		for (i = 0; i < PANE__COUNT; i++)
			if (strcmp(app->panes[i].ops->name, cmd->argv[1]) == 0)
				buf_addf(&b, _("the %s pane"), _(app->panes[i].ops->title));
	}
	if (b.len == 0 && (help = help_text_of(app, cmd->argv[0])) != NULL) {
		*group = help_group_of(cmd->argv[0], ui_command_find(app->commands,
		    cmd->argv[0]));
		buf_addf(&b, "%s", _(help));
		for (i = 1; i < cmd->argc; i++)
			buf_addf(&b, "%s%s", i == 1 ? ": " : " ", cmd->argv[i]);
	}
	if (b.len == 0)
		buf_addf(&b, "%s", line);
	out = buf_steal(&b);
	cmdline_free(&cl);
	return out;
}

static void
help_collect(void *arg, const char *keys, const char *command, const char *keymap)
{
	struct help_acc *a = arg;
	struct help_row *r;
	char *joined;
	size_t i;

	(void)keymap;
	if (!commands_allowed(a->app, command))
		return;		/* a pane or an action not for the user's role */
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->v[i].command, command) == 0) {
			joined = xasprintf("%s %s", a->v[i].keys, keys);
			free(a->v[i].keys);
			a->v[i].keys = joined;
			return;
		}
	}
	a->v = xrealloc(a->v, (a->n + 1) * sizeof *a->v);
	r = &a->v[a->n++];
	r->keys = xstrdup(keys);
	r->command = xstrdup(command);
	r->text = help_describe(a->app, command, &r->group);
}

/*
 * The view's lines, grouped: a group's title, then its rows as "KEYS  TEXT".
 * Returns the number of lines; *lines (caller frees each and the array) and
 * *titles (1 for a group's title) get them.
 */
static size_t
help_lines(struct app *app, int width, char ***lines, int **titles)
{
	struct help_acc a = { app, NULL, 0 };
	enum keymap_id chain[2];
	size_t n = 0, i, nl = 0;
	int g, kw = 0, w;
	char **v = NULL;
	int *t = NULL;

	if (app->detail_open)
		chain[n++] = KEYMAP_DETAIL;
	chain[n++] = app_pane(app)->ops->keymap;
	keymap_describe_chain(app->kms, chain, n, help_collect, &a);
	for (i = 0; i < a.n; i++)
		if ((w = text_width(a.v[i].keys)) > kw)
			kw = w;
	if (kw > width / 3)
		kw = width / 3;
	for (g = 0; g < HELP__COUNT; g++) {
		int shown = 0;

		for (i = 0; i < a.n; i++) {
			struct buf b;

			if ((int)a.v[i].group != g)
				continue;
			v = xrealloc(v, (nl + 3) * sizeof *v);
			t = xrealloc(t, (nl + 3) * sizeof *t);
			if (!shown) {
				if (nl > 0) {
					v[nl] = xstrdup("");
					t[nl++] = 0;
				}
				v[nl] = xstrdup(_(help_group_titles[g]));
				t[nl++] = 1;
				shown = 1;
			}
			buf_init(&b);
			buf_addf(&b, "  ");
			text_fit(a.v[i].keys, kw, 1, &b);
			buf_addf(&b, "  %s", a.v[i].text);
			v[nl] = buf_steal(&b);
			t[nl++] = 0;
		}
	}
	for (i = 0; i < a.n; i++) {
		free(a.v[i].keys);
		free(a.v[i].command);
		free(a.v[i].text);
	}
	free(a.v);
	*lines = v;
	*titles = t;
	return nl;
}

/* Draw text fitted to width at the cursor, cleaned of control characters. */
static void
help_put(WINDOW *win, attr_t attr, const char *text, int width)
{
	struct buf b;
	char *clean;

	clean = text_sanitize(text, 0);
	buf_init(&b);
	text_fit(clean, width, 0, &b);
	wattrset(win, attr);
	waddnstr(win, buf_str(&b), -1);
	wattrset(win, theme_attr(TH_NORMAL));
	buf_done(&b);
	free(clean);
}

int
help_key(struct app *app, struct key k)
{
	int page = app->help_height > 2 ? app->help_height - 1 : 1, by;

	if (k.mods & KEYM_CTRL) {
		switch (k.code) {
		case 'f':
			by = page;
			break;
		case 'b':
			by = -page;
			break;
		case 'd':
			by = page / 2;
			break;
		case 'u':
			by = -page / 2;
			break;
		default:
			goto other;
		}
		help_scroll(app, by);
		return 1;
	}
	switch (k.code) {
	case 'q':
	case '?':
	case KEYC_ESC:
	case KEYC_F1:
		app->help_open = 0;
		app->dirty |= DIRTY_PANE | DIRTY_DETAIL;
		return 1;
	case 'j':
	case KEYC_DOWN:
		by = 1;
		break;
	case 'k':
	case KEYC_UP:
		by = -1;
		break;
	case ' ':
	case KEYC_PGDN:
		by = page;
		break;
	case KEYC_PGUP:
		by = -page;
		break;
	case 'g':
	case KEYC_HOME:
		by = -app->help_scroll;
		break;
	case 'G':
	case KEYC_END:
		by = app->help_total;
		break;
	default:
		goto other;
	}
	help_scroll(app, by);
	return 1;
other:
	/* Any other key closes the view and does what it does. */
	app->help_open = 0;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL;
	return 0;
}

void
help_scroll(struct app *app, int by)
{
	int top = app->help_scroll + by, max = app->help_total - app->help_height;

	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	app->help_scroll = top;
	app->dirty |= DIRTY_PANE;
}

void
help_draw(struct app *app, WINDOW *win)
{
	char **lines, *title;
	int *titles, h, w, y;
	size_t n, i;

	werase(win);
	getmaxyx(win, h, w);
	n = help_lines(app, w, &lines, &titles);
	app->help_total = (int)n;
	app->help_height = h - 1;
	if (app->help_scroll > (int)n - (h - 1))
		app->help_scroll = (int)n - (h - 1) > 0 ? (int)n - (h - 1) : 0;
	title = xasprintf(_("Keys of %s, %d-%d of %zu (j/k PgDn/PgUp g/G scroll, q closes)"),
	    _(app_pane(app)->ops->title), n > 0 ? app->help_scroll + 1 : 0,
	    app->help_scroll + h - 1 < (int)n ? app->help_scroll + h - 1 : (int)n, n);
	wmove(win, 0, 0);
	help_put(win, theme_attr(TH_TITLE), title, w);
	free(title);
	for (y = 1, i = (size_t)app->help_scroll; y < h && i < n; y++, i++) {
		wmove(win, y, 0);
		help_put(win, theme_attr(titles[i] ? TH_TITLE : TH_NORMAL), lines[i], w);
	}
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(titles);
	wnoutrefresh(win);
}
