/*
 * commands.c -- the console's commands: the table keymaps, the `:` line and
 * completion go through (ui/cmdline.h runs it).
 *
 * The generic commands are rows below; every write action of the catalogue
 * (src/action.h) is added as a row by commands_build(), named as in the
 * contract and applied to the selected object of the current pane, its
 * arguments positional in the order of the action's argument table
 * (`ship SF SF1234567890`, `refund 12.90`, `adjust -3 damage`); a switch is
 * given as --name, any argument as --name VALUE. Handlers change the app's
 * state and mark it dirty; they never draw.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "action.h"
#include "audit.h"
#include "cache-category.h"
#include "cache-query.h"
#include "caps.h"
#include "export.h"
#include "outbox.h"
#include "ui/agent.h"
#include "ui/app.h"
#include "ui/catpick.h"
#include "ui/confirm.h"
#include "ui/product-form.h"
#include "ui/promo-form.h"
#include "ui/scanner.h"
#include "ui/marks.h"
#include "ui/reprice.h"
#include "ui/warehouse.h"
#include "ui/find.h"
#include "ui/messages.h"
#include "ui/mouse.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define CMD_ACTION	UI_CMD_USER	/* a row made from action_table[] */

static struct app *
A(void *app)
{
	return app;
}

static int cmd_back(void *, int, char **, char **);

/* Quit; in a list the Dashboard opened, back to the Dashboard instead. */
static int
cmd_quit(void *app, int argc, char **argv, char **cause)
{
	if (app_pane(A(app))->drill_back)
		return cmd_back(app, argc, argv, cause);
	A(app)->quit = 1;
	return 0;
}

static int
cmd_help(void *app, int argc, char **argv, char **cause)
{
	(void)argc; (void)argv; (void)cause;
	A(app)->help_open = !A(app)->help_open;
	A(app)->help_scroll = 0;
	A(app)->dirty |= DIRTY_PANE | DIRTY_DETAIL;
	return 0;
}

static int cmd_filter(void *, int, char **, char **);

/* "pane NAME [TAB]": the pane, and one of its tabs as filter TAB would (the Dashboard's keys). */
static int
cmd_pane(void *app, int argc, char **argv, char **cause)
{
	char *fargv[3] = { "filter", NULL, NULL };
	int i;

	for (i = 0; i < PANE__COUNT; i++)
		if (strcmp(A(app)->panes[i].ops->name, argv[1]) == 0 ||
		    (i < PANE__TABS && argv[1][0] == '1' + i && argv[1][1] == '\0')) {
			if (!app_pane_allowed(A(app), i)) {
				*cause = app_pane_refusal(A(app), i);
				return -1;
			}
			app_set_pane(A(app), i);
			if (argc < 3)
				return 0;
			fargv[1] = argv[2];
			return cmd_filter(app, 2, fargv, cause);
		}
	*cause = xasprintf(_("unknown pane '%s' (dashboard, orders, tickets, chats, stock, "
	    "promos, outbox, canned or 1-7)"), argv[1]);
	return -1;
}

static int
cmd_pane_step(void *app, int argc, char **argv, char **cause)
{
	int d = strcmp(argv[0], "pane-next") == 0 ? 1 : -1, i = A(app)->cur, n;

	(void)argc; (void)cause;
	/* The next tab the user's role may use (the dashboard always is). */
	for (n = 0; n < PANE__TABS; n++) {
		i = (i + d + PANE__TABS) % PANE__TABS;
		if (app_pane_allowed(A(app), i))
			break;
	}
	app_set_pane(A(app), i);
	return 0;
}

static int
cmd_outbox(void *app, int argc, char **argv, char **cause)
{
	(void)argc; (void)argv; (void)cause;
	app_set_pane(A(app), PANE_OUTBOX);
	return 0;
}

static int
cmd_canned(void *app, int argc, char **argv, char **cause)
{
	(void)argc; (void)argv;
	if (!app_pane_allowed(A(app), PANE_CANNED)) {
		*cause = app_pane_refusal(A(app), PANE_CANNED);
		return -1;
	}
	app_set_pane(A(app), PANE_CANNED);
	return 0;
}

/* Whether the store has the current pane's kind; if not, why not in *cause. */
static int
cmd_pane_offered(struct app *app, char **cause)
{
	struct pane *p = app_pane(app);

	if (app_offered(app, p->ops->kind))
		return 1;
	*cause = app_not_offered(app, _(p->ops->title));
	return 0;
}

/* The pane's list, or NULL (with *cause) for a pane without one. */
static struct list *
cmd_list(struct app *app, char **cause)
{
	struct pane *p = app_pane(app);

	if (p->ops->kind < 0 && p->ops->load == NULL) {
		*cause = xasprintf(_("%s has no list"), _(p->ops->title));
		return NULL;
	}
	if (!cmd_pane_offered(app, cause))
		return NULL;
	return &p->list;
}

static int
cmd_move(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct list *l;
	long h, d = 0;
	const char *n = argv[0];

	(void)argc;
	if (a->help_open) {
		a->help_scroll += strcmp(n, "cursor-down") == 0 ? 1 :
		    strcmp(n, "cursor-up") == 0 && a->help_scroll > 0 ? -1 : 0;
		a->dirty |= DIRTY_PANE;
		return 0;
	}
	if (a->detail_open && !a->lay.split) {
		/* The detail fills the pane: the keys scroll it. */
		struct pane *p = app_pane(a);

		if (strcmp(n, "cursor-down") == 0)
			p->detail_scroll++;
		else if (strcmp(n, "cursor-up") == 0 && p->detail_scroll > 0)
			p->detail_scroll--;
		else if (strcmp(n, "first") == 0)
			p->detail_scroll = 0;
		else if (strstr(n, "page-down") != NULL)
			p->detail_scroll += 10;
		else if (strstr(n, "page-up") != NULL)
			p->detail_scroll = p->detail_scroll > 10 ? p->detail_scroll - 10 : 0;
		a->dirty |= DIRTY_DETAIL;
		return 0;
	}
	if (app_pane(a)->ops->cursor_move != NULL) {
		/* A pane with a cursor of its own (the Dashboard's figures). */
		app_pane(a)->ops->cursor_move(app_pane(a), a, strcmp(n, "cursor-down") == 0 ? 1 :
		    strcmp(n, "cursor-up") == 0 ? -1 : strcmp(n, "first") == 0 ? -100 :
		    strcmp(n, "last") == 0 ? 100 : 0, strcmp(n, "cursor-right") == 0 ? 1 :
		    strcmp(n, "cursor-left") == 0 ? -1 : 0);
		a->dirty |= DIRTY_PANE;
		return 0;
	}
	if (strcmp(n, "cursor-left") == 0 || strcmp(n, "cursor-right") == 0)
		return 0;	/* a list has no columns to move across */
	if ((l = cmd_list(a, cause)) == NULL)
		return -1;
	h = l->height > 1 ? l->height : 1;
	if (strcmp(n, "first") == 0)
		list_first(l, a->cache);
	else if (strcmp(n, "last") == 0)
		list_last(l, a->cache);
	else {
		if (strcmp(n, "cursor-down") == 0 || strcmp(n, "search-next") == 0)
			d = 1;
		else if (strcmp(n, "cursor-up") == 0 || strcmp(n, "search-prev") == 0)
			d = -1;
		else if (strcmp(n, "page-down") == 0)
			d = h - 1 > 0 ? h - 1 : 1;
		else if (strcmp(n, "page-up") == 0)
			d = -(h - 1 > 0 ? h - 1 : 1);
		else if (strcmp(n, "half-page-down") == 0)
			d = h / 2 > 0 ? h / 2 : 1;
		else if (strcmp(n, "half-page-up") == 0)
			d = -(h / 2 > 0 ? h / 2 : 1);
		if (!list_move(l, a->cache, d))
			return 0;
	}
	app_pane(a)->detail_scroll = 0;
	if (l->error != NULL)
		app_message(a, 1, "%s", l->error);
	a->dirty |= DIRTY_PANE | DIRTY_DETAIL_SOON | DIRTY_TITLE;
	return 0;
}

static int
cmd_open(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;

	(void)argc; (void)argv;
	if (app_pane(a)->ops->cursor_open != NULL && !a->help_open)
		return app_pane(a)->ops->cursor_open(app_pane(a), a, cause);
	if (cmd_list(a, cause) == NULL)
		return -1;
	if (list_selected(&app_pane(a)->list) == NULL)
		return 0;
	a->detail_open = 1;
	app_pane(a)->detail_scroll = 0;
	app_keys_reset(a);
	a->dirty |= DIRTY_PANE | DIRTY_DETAIL;
	return 0;
}

static int
cmd_back(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;

	(void)argc; (void)argv; (void)cause;
	if (a->help_open)
		a->help_open = 0;
	else if (a->detail_open)
		a->detail_open = 0;
	else if (app_pane(a)->search != NULL) {
		free(app_pane(a)->search);
		app_pane(a)->search = NULL;
		app_apply_filter(a, app_pane(a));
	} else if (app_pane(a)->drill_back) {
		/* A list the Dashboard opened: back to it, its cursor where it was. */
		if (app_pane(a)->drill_label != NULL)
			app_pane(a)->loaded = 0;
		app_drill_clear(app_pane(a));
		app_set_pane(a, PANE_DASHBOARD);
	}
	app_keys_reset(a);
	a->dirty |= DIRTY_ALL;
	return 0;
}

static int
cmd_toggle_detail(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;

	(void)argc; (void)argv; (void)cause;
	if (a->lay.cols >= 100 || a->detail_hidden)
		a->detail_hidden = !a->detail_hidden;
	else
		a->detail_open = !a->detail_open;
	app_keys_reset(a);
	a->dirty |= DIRTY_LAYOUT;
	return 0;
}

static int
cmd_reveal(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct pane *p = app_pane(a);
	const struct list_row *r;

	(void)argc; (void)argv;
	if (!cmd_pane_offered(a, cause))
		return -1;
	if (p->ops->kind < 0 || (r = list_selected(&p->list)) == NULL) {
		*cause = xstrdup("nothing to reveal here");
		return -1;
	}
	if (audit_reveal(a->cache, a->conf->profile, (enum sd_kind)p->ops->kind, r->id,
	    cause) != 0)
		return -1;
	free(p->list.reveal_id);
	p->list.reveal_id = xstrdup(r->id);
	app_message(a, 0, _("%s shown unmasked (logged in the audit trail)"), r->id);
	a->dirty |= DIRTY_PANE | DIRTY_DETAIL;
	return 0;
}

static int
cmd_search(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct pane *p = app_pane(a);

	if (cmd_list(a, cause) == NULL || p->ops->kind < 0) {
		if (*cause == NULL)
			*cause = xstrdup("nothing to search here");
		return -1;
	}
	if (argc > 1) {
		free(p->search);
		p->search = argv[1][0] != '\0' ? xstrdup(argv[1]) : NULL;
		app_apply_filter(a, p);
		return 0;
	}
	app_prompt_search(a);
	return 0;
}

/* find TEXT...: every kind at once (find.c). */
static int
cmd_find(void *app, int argc, char **argv, char **cause)
{
	struct buf b;
	int i, rc;

	buf_init(&b);
	for (i = 1; i < argc; i++) {
		if (i > 1)
			buf_addc(&b, ' ');
		buf_adds(&b, argv[i]);
	}
	rc = find_open(A(app), buf_str(&b), cause);
	buf_done(&b);
	return rc;
}

static int
cmd_search_clear(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct pane *p = app_pane(a);

	(void)argc; (void)argv; (void)cause;
	if (p->search == NULL)
		return 0;
	free(p->search);
	p->search = NULL;
	app_apply_filter(a, p);
	return 0;
}

/* Whether code is one of the comma-separated statuses of list. */
static int
cmd_status_in(const char *list, const char *code)
{
	size_t n = strlen(code);

	for (;;) {
		if (strncmp(list, code, n) == 0 && (list[n] == ',' || list[n] == '\0'))
			return 1;
		if ((list = strchr(list, ',')) == NULL)
			return 0;
		list++;
	}
}

/*
 * The first of the n tabs f whose statuses include each status of the
 * comma-separated list (codes or names, i18n_status_code() of kind); n
 * when none does, -1 with *cause for a value of no status.
 */
static int
cmd_status_tab(const struct pane_filter *f, int n, const char *kind, const char *list,
    char **cause)
{
	const char *code;
	char *copy = xstrdup(list), *tok, *save;
	int i, *in = xcalloc((size_t)n, sizeof *in), any = 0;

	for (i = 0; i < n; i++)
		in[i] = f[i].status != NULL;
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (tok[strspn(tok, " ")] == '\0')
			continue;
		if ((code = i18n_status_code(kind, tok, cause)) == NULL) {
			i = -1;
			goto out;
		}
		any = 1;
		for (i = 0; i < n; i++)
			in[i] = in[i] && cmd_status_in(f[i].status, code);
	}
	for (i = 0; i < n && !(any && in[i]); i++)
		;
out:
	free(copy);
	free(in);
	return i;
}

/*
 * The kind tab named by value ("all", a code or its name in either
 * language: "return_refund", "退货退款"): its index (0 for all), or -1 with
 * *cause.
 */
static int
cmd_kind_tab(const struct pane *p, const char *value, char **cause)
{
	const char *code;
	int i;

	if (strcasecmp(value, "all") == 0 || strcmp(value, _("all kinds")) == 0)
		return 0;
	if ((code = i18n_status_code(p->ops->kind_codes, value, cause)) == NULL)
		return -1;
	for (i = 0; p->ops->kinds[i] != NULL; i++)
		if (strcmp(p->ops->kinds[i], code) == 0)
			return i + 1;
	*cause = xasprintf(_("%s has no tab for kind %s"), _(p->ops->title), code);
	return -1;
}

/* filter-kind-next, filter-kind-prev: cycle the kind tabs (all, then each kind). */
static int
cmd_filter_kind(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct pane *p = app_pane(a);
	int n;

	(void)argc;
	if (p->ops->kinds == NULL) {
		*cause = xasprintf(_("%s has no kinds to filter by"), _(p->ops->title));
		return -1;
	}
	if (!cmd_pane_offered(a, cause))
		return -1;
	for (n = 1; p->ops->kinds[n - 1] != NULL; n++)
		;
	if (strcmp(argv[0], "filter-kind-prev") == 0)
		p->kind = (p->kind + n - 1) % n;
	else
		p->kind = (p->kind + 1) % n;
	app_apply_filter(a, p);
	return 0;
}

static int
cmd_filter(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct pane *p = app_pane(a);
	const struct pane_filter *f = p->ops->filters;
	const char *kind;
	int i, n;

	/* kind=K: the kind tab, the status tab kept. */
	if (argc > 1 && strncmp(argv[1], "kind=", 5) == 0) {
		if (p->ops->kinds == NULL) {
			*cause = xasprintf(_("%s has no kinds to filter by"), _(p->ops->title));
			return -1;
		}
		if (!cmd_pane_offered(a, cause) || (i = cmd_kind_tab(p, argv[1] + 5, cause)) < 0)
			return -1;
		p->kind = i;
		app_apply_filter(a, p);
		return 0;
	}
	if (f == NULL) {
		*cause = xasprintf(_("%s has no filters"), _(p->ops->title));
		return -1;
	}
	if (!cmd_pane_offered(a, cause))
		return -1;
	for (n = 0; f[n].label != NULL; n++)
		;
	if (strcmp(argv[0], "filter-next") == 0)
		p->filter = (p->filter + 1) % n;
	else if (strcmp(argv[0], "filter-prev") == 0)
		p->filter = (p->filter + n - 1) % n;
	else if (strcmp(argv[0], "filter-clear") == 0) {
		p->filter = app_filter_all(p);
		p->kind = 0;
	}
	else {
		for (i = 0; i < n; i++)
			if (strcasecmp(f[i].label, argv[1]) == 0 || strcasecmp(_(f[i].label),
			    argv[1]) == 0 || (f[i].status != NULL &&
			    strcmp(f[i].status, argv[1]) == 0) ||
			    (f[i].abnormal && strcmp(argv[1], "abnormal") == 0) ||
			    (f[i].low_stock && strcmp(argv[1], "low") == 0) ||
			    (f[i].waiting && strcmp(argv[1], "waiting") == 0))
				break;
		/*
		 * Else statuses as the CLI's --status takes them ("已发货",
		 * "awaiting-shipment"): the tab that shows them all; a value
		 * of no status says which there are, as the CLI does.
		 */
		if (i == n && p->ops->kind >= 0 &&
		    (kind = i18n_status_kind((enum sd_kind)p->ops->kind)) != NULL &&
		    (i = cmd_status_tab(f, n, kind, argv[1], cause)) == -1)
			return -1;
		if (i == n) {
			struct buf b;

			buf_init(&b);
			for (i = 0; i < n; i++)
				buf_addf(&b, "%s%s", i ? ", " : "", f[i].status != NULL ?
				    f[i].status : f[i].label);
			*cause = xasprintf(_("unknown filter '%s' (%s)"), argv[1], buf_str(&b));
			buf_done(&b);
			return -1;
		}
		p->filter = i;
	}
	app_apply_filter(a, p);
	return 0;
}

static int
cmd_sort(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct pane *p = app_pane(a);

	(void)argc;
	if (cmd_list(a, cause) == NULL || p->ops->kind < 0) {
		if (*cause == NULL)
			*cause = xstrdup("nothing to sort here");
		return -1;
	}
	if (strcmp(argv[1], "reverse") == 0)
		p->reverse = !p->reverse;
	else if (strcmp(argv[1], "default") == 0) {
		p->sort = NULL;
		p->reverse = 0;
	} else {
		const char *const *names = cache_query_sorts((enum sd_kind)p->ops->kind);
		int i;

		if ((*cause = cache_query_sort_error((enum sd_kind)p->ops->kind, argv[1])) != NULL)
			return -1;	/* "... (they sort by new)"; default and reverse as ever */
		for (i = 0; strcmp(names[i], argv[1]) != 0; i++)
			;
		p->sort = names[i];	/* static */
		p->reverse = 0;
	}
	app_apply_filter(a, p);
	return 0;
}

static const struct action_def *cmd_action_def(struct app *, const char *);
static int cmd_action_offered(struct app *, const struct action_def *, char **);

static int
cmd_command(void *app, int argc, char **argv, char **cause)
{
	const struct action_def *d;
	char *name;

	/* A key that opens the line on an action the store cannot do says so instead. */
	if (argc > 1) {
		name = xstrndup(argv[1], strcspn(argv[1], " "));
		d = cmd_action_def(A(app), name);
		free(name);
		if (d != NULL && !cmd_action_offered(A(app), d, cause))
			return -1;
	}
	app_prompt_command(A(app), argc > 1 ? argv[1] : NULL);
	return 0;
}

static int
cmd_messages(void *app, int argc, char **argv, char **cause)
{
	(void)argc; (void)argv; (void)cause;
	messages_open(A(app));
	return 0;
}

static int
cmd_scan(void *app, int argc, char **argv, char **cause)
{
	(void)cause;
	scan_open(A(app), argc > 1 ? argv[1] : NULL);
	return 0;
}

static int
cmd_redraw(void *app, int argc, char **argv, char **cause)
{
	(void)argc; (void)argv; (void)cause;
	A(app)->dirty |= DIRTY_ALL | DIRTY_CLEAR | DIRTY_LAYOUT;
	return 0;
}

static int
cmd_sync(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;

	(void)argc; (void)argv;
	if (a->syncer == NULL) {
		*cause = xstrdup(a->sync_note != NULL ? a->sync_note : "no sync");
		return -1;
	}
	syncer_wake(a->syncer);
	app_message(a, 0, "%s", _("syncing..."));
	return 0;
}

/* dump-screen FILE (hidden, for tests): the screen as text, once it is drawn. */
static int
cmd_dump_screen(void *app, int argc, char **argv, char **cause)
{
	(void)argc; (void)cause;
	free(A(app)->dump_path);
	A(app)->dump_path = xstrdup(argv[1]);
	A(app)->dirty |= DIRTY_MESSAGE;
	return 0;
}

/* clock TIME|now (tests): the console's time, as if it were TIME (RFC 3339). */
static int
cmd_clock(void *app, int argc, char **argv, char **cause)
{
	time_t t = 0;

	(void)argc;
	if (strcmp(argv[1], "now") != 0 && time_parse_rfc3339(argv[1], &t) != 0) {
		*cause = xasprintf(_("clock: '%s' is not an RFC 3339 time like "
		    "2026-11-20T08:00:00Z (or now)"), argv[1]);
		return -1;
	}
	app_set_clock(A(app), t);
	return 0;
}

static int
cmd_bind(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	int rc;

	if (strcmp(argv[0], "bind") == 0)
		rc = keymap_bind_argv(a->kms, argc, argv, ui_command_check_fn, a->commands, cause);
	else
		rc = keymap_unbind_argv(a->kms, argc, argv, cause);
	app_keys_reset(a);
	return rc;
}

/* The selected outbox entry's number, or -1 with *cause. */
static long long
cmd_outbox_selected(struct app *a, char **cause)
{
	const struct list_row *r;

	if (a->cur != PANE_OUTBOX) {
		*cause = xstrdup("retry, drop and resolve act on the outbox: press 7 first");
		return -1;
	}
	if ((r = list_selected(&a->panes[PANE_OUTBOX].list)) == NULL) {
		*cause = xstrdup("the outbox is empty");
		return -1;
	}
	return strtoll(r->id, NULL, 10);
}

static void
cmd_outbox_done(struct app *a, const char *what, long long id)
{
	app_message(a, 0, "%s #%lld", what, id);
	app_reload(a);
	if (a->syncer != NULL)
		syncer_wake(a->syncer);
}

static int
cmd_retry(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	long long id;

	(void)argc; (void)argv;
	if ((id = cmd_outbox_selected(a, cause)) < 0 || outbox_retry(a->cache, id, cause) != 0)
		return -1;
	cmd_outbox_done(a, _("queued again"), id);
	return 0;
}

static int
cmd_drop(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	long long id;

	(void)argc; (void)argv;
	if ((id = cmd_outbox_selected(a, cause)) < 0 || outbox_drop(a->cache, id, cause) != 0)
		return -1;
	cmd_outbox_done(a, _("dropped"), id);
	return 0;
}

static int cmd_action(void *, int, char **, char **);

/* `resolve`: a conflict in the outbox, or the ticket action elsewhere. */
static int
cmd_resolve(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	long long id;
	enum outbox_resolution how;

	if (a->cur != PANE_OUTBOX)
		return cmd_action(app, argc, argv, cause);
	if (argc != 2 || (strcmp(argv[1], "mine") != 0 && strcmp(argv[1], "theirs") != 0)) {
		*cause = xstrdup("usage: resolve mine|theirs");
		return -1;
	}
	how = strcmp(argv[1], "mine") == 0 ? OUTBOX_MINE : OUTBOX_THEIRS;
	if ((id = cmd_outbox_selected(a, cause)) < 0 ||
	    outbox_resolve(a->cache, id, how, cause) != 0)
		return -1;
	cmd_outbox_done(a, how == OUTBOX_MINE ? _("resolved (mine), queued again") :
	    _("resolved (theirs)"), id);
	return 0;
}

/* What action name means in the current pane (a SKU's shelf: its product's), or NULL. */
static const struct action_def *
cmd_action_def(struct app *a, const char *name)
{
	struct pane *p = app_pane(a);
	const struct action_def *d = NULL;

	/* With the category tree open, create/rename/move/delete are the tree's. */
	if (a->catpick != NULL && (d = action_find("categories", name)) != NULL)
		return d;
	if (p->ops->noun != NULL)
		d = action_find(p->ops->noun, name);
	if (d == NULL && p->ops->kind == KIND_SKU)
		d = action_find("products", name);
	return d;
}

int
commands_action_offered(struct app *a, const struct action_def *d, char **cause)
{
	return cmd_action_offered(a, d, cause);
}

/* Why the user's role may not do d, naming the roles that may; caller frees. */
static char *
cmd_role_refusal(struct app *a, const struct action_def *d)
{
	char *roles = action_roles_text(d->roles), *s;

	/* TRANSLATORS: an action ("ship"), its noun ("orders"), the user's role, the roles that may. */
	s = xasprintf(_("%s %s: not for your role (%s); %s may"), d->noun, d->name,
	    a->me_role, roles);
	free(roles);
	return s;
}

int
commands_role_allows(struct app *a, const char *command, char **cause)
{
	char word[2][64];
	const char *s = command;
	const struct action_def *d;
	int i, n, role = app_role(a), pane = -1;

	if (role < 0)
		return 1;	/* not known yet: the store decides */
	/* The first two words; "command 'refund '" runs its quoted text. */
	for (n = 0; n < 2; n++) {
		size_t len;

		s += strspn(s, " \t'\"");
		len = strcspn(s, " \t'\"");
		if (len >= sizeof word[n])
			len = sizeof word[n] - 1;
		memcpy(word[n], s, len);
		word[n][len] = '\0';
		s += len;
		if (n == 0 && strcmp(word[0], "command") == 0) {
			n = -1;		/* read the command's own words */
			continue;
		}
	}
	if (strcmp(word[0], "pane") == 0) {
		for (i = 0; i < PANE__COUNT; i++)
			if (strcmp(a->panes[i].ops->name, word[1]) == 0 ||
			    (i < PANE__TABS && word[1][0] == '1' + i && word[1][1] == '\0'))
				pane = i;
	} else if (strcmp(word[0], "outbox") == 0)
		pane = PANE_OUTBOX;
	else if (strcmp(word[0], "canned") == 0)
		pane = PANE_CANNED;
	if (pane >= 0) {
		if (app_pane_allowed(a, pane))
			return 1;
		if (cause != NULL)
			*cause = app_pane_refusal(a, pane);
		return 0;
	}
	if ((d = cmd_action_def(a, word[0])) == NULL || action_role_allows(d, role))
		return 1;
	if (cause != NULL)
		*cause = cmd_role_refusal(a, d);
	return 0;
}

/*
 * Whether the store performs d (its kind and the action) and the user's
 * role may; if not, why not in *cause.
 */
static int
cmd_action_offered(struct app *a, const struct action_def *d, char **cause)
{
	char *what;

	if (!action_role_allows(d, app_role(a))) {
		*cause = cmd_role_refusal(a, d);
		return 0;
	}
	if (app_offered(a, (int)d->kind) && caps_action_offered(a->cache, d->noun, d->name))
		return 1;
	what = xasprintf("%s %s", d->noun, d->name);
	*cause = app_not_offered(a, what);
	free(what);
	return 0;
}

/*
 * The action def for name in the current pane, and the id it applies to
 * (borrowed from the selection or from *owned). NULL with *cause, which
 * says so first when the store does not offer the action.
 */
static const struct action_def *
cmd_action_find(struct app *a, const char *name, const char **id, char **owned, char **cause)
{
	struct pane *p = app_pane(a);
	const struct action_def *d, *o;
	const struct list_row *r;
	struct buf nouns;
	cJSON *obj;

	*id = NULL;
	*owned = NULL;
	if ((d = cmd_action_def(a, name)) == NULL) {
		buf_init(&nouns);
		for (o = action_table; o->name != NULL; o++)
			if (strcmp(o->name, name) == 0)
				buf_addf(&nouns, "%s%s", nouns.len ? ", " : "", o->noun);
		*cause = xasprintf(_("'%s' is not an action of %s (it is for %s)"), name,
		    _(p->ops->title), buf_str(&nouns));
		buf_done(&nouns);
		return NULL;
	}
	if (!cmd_action_offered(a, d, cause))
		return NULL;
	if (d->flags & ACTION_CREATE)
		return d;
	if (d->kind == KIND_CATEGORY) {
		if ((*id = catpick_selected(a)) == NULL) {
			*cause = xasprintf(_("%s: move to a category first (c opens the tree)"),
			    name);
			return NULL;
		}
		return d;
	}
	if ((r = list_selected(&p->list)) == NULL) {
		*cause = xasprintf(_("%s: select a row first"), name);
		return NULL;
	}
	*id = r->id;
	if (d->kind == KIND_PRODUCT && p->ops->kind == KIND_SKU) {
		if ((obj = cJSON_Parse(r->json)) != NULL && json_str(obj, "product_id") != NULL)
			*owned = xstrdup(json_str(obj, "product_id"));
		cJSON_Delete(obj);
		*id = *owned;
	}
	return d;
}

#define CMD_ARGS_MAX	32

/* The words of an action line given to the action's arguments. */
struct cmd_args {
	const char	*values[CMD_ARGS_MAX];	/* per argument, NULL when not given */
	char		*joined[CMD_ARGS_MAX];	/* a text made of several words */
	int		 next;			/* the next positional argument */
	int		 last_text;		/* where extra words go, or -1 */
	int		 want;			/* partial: a last --flag's argument, or -1 */
};

/* The argument a positional word gives next (switches and those given skipped). */
static int
cmd_args_slot(const struct action_def *d, struct cmd_args *ca)
{
	while (d->args[ca->next].flag != NULL && (d->args[ca->next].type == ARG_BOOL ||
	    ca->values[ca->next] != NULL))
		ca->next++;
	return ca->next;
}

/*
 * Give argv[1..argc) to d's arguments: positional in the table's order
 * (switches only as --name), --name VALUE for any; extra words join the
 * last text argument ("send 您好 请稍等"). partial (completion): a line
 * still being typed, so a last --name without its value and extra words are
 * no error. 0, or -1 with *cause; cmd_args_done() in either case.
 */
static int
cmd_args_read(struct app *a, const struct action_def *d, int argc, char **argv, int partial,
    struct cmd_args *ca, char **cause)
{
	int nargs = action_arg_count(d), i, j;
	char *s;

	memset(ca, 0, sizeof *ca);
	ca->last_text = ca->want = -1;
	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0 && argv[i][2] != '\0' &&
		    (j = action_arg_index(d, argv[i] + 2)) >= 0) {
			if (d->args[j].type == ARG_BOOL)
				ca->values[j] = "true";
			else if (i + 1 < argc)
				ca->values[j] = argv[++i];
			else if (partial)
				ca->want = j;
			else {
				*cause = xasprintf(_("%s needs a value"), argv[i]);
				return -1;
			}
			continue;
		}
		if ((j = cmd_args_slot(d, ca)) < nargs) {
			ca->values[j] = argv[i];
			if (d->args[j].type == ARG_STRING)
				ca->last_text = j;
			ca->next++;
		} else if (ca->last_text >= 0) {
			j = ca->last_text;
			s = xasprintf("%s %s", ca->values[j], argv[i]);
			free(ca->joined[j]);
			ca->values[j] = ca->joined[j] = s;
		} else if (!partial) {
			*cause = xasprintf(_("too many arguments; usage: %s %s"), d->name,
			    ui_command_find(a->commands, d->name)->usage);
			return -1;
		}
	}
	return 0;
}

/* The argument the next word gives after a partial read, or -1. */
static int
cmd_args_target(const struct action_def *d, struct cmd_args *ca)
{
	int j;

	if (ca->want >= 0)
		return ca->want;
	j = cmd_args_slot(d, ca);
	return d->args[j].flag != NULL ? j : ca->last_text;
}

static void
cmd_args_done(struct cmd_args *ca)
{
	int i;

	for (i = 0; i < CMD_ARGS_MAX; i++)
		free(ca->joined[i]);
}

int
commands_queue_plan(struct app *a, struct action_plan *plan, long long replace, char **cause)
{
	const struct action_def *d = plan->def;
	struct outbox_new n;
	struct outbox_entry e;
	char placeholder[OUTBOX_NEW_ID_LEN];
	const char *sep;
	int rc;

	memset(&n, 0, sizeof n);
	n.kind = d->kind;
	n.object_id = plan->object_id;
	n.action = d->name;
	n.method = d->method;
	n.path_action = d->path_action;
	n.body = plan->body;
	n.base_version = plan->base_version;
	n.patch = plan->patch;
	n.summary = plan->summary;
	if (replace != 0)
		rc = outbox_replace(a->cache, replace, &n, &e, cause);
	else
		rc = outbox_enqueue(a->cache, &n, &e, cause);
	if (rc == 0) {
		sep = plan->note != NULL ? " -- " : "";
		if (replace != 0)
			app_message(a, 0, _("#%lld edited: %s%s%s"), (long long)e.id, e.summary,
			    sep, plan->note != NULL ? plan->note : "");
		else
			app_message(a, 0, _("queued #%lld: %s%s%s"), (long long)e.id, e.summary,
			    sep, plan->note != NULL ? plan->note : "");
		placeholder[0] = '\0';
		if ((d->flags & ACTION_CREATE) && replace == 0 &&
		    app_pane(a)->ops->kind == (int)d->kind) {
			a->created_entry = e.id;	/* the store's object selected once made */
			a->created_pane = a->cur;
			if (n.patch != NULL)
				outbox_new_id(e.id, placeholder, sizeof placeholder);
		}
		outbox_entry_done(&e);
		app_reload(a);
		/* Until then its placeholder, marked pending (outbox.h). */
		if (placeholder[0] != '\0' && app_pane(a)->ops->kind >= 0 &&
		    list_seek_id(&app_pane(a)->list, a->cache, placeholder, 5000) == 1)
			a->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
		if (a->syncer != NULL)
			syncer_wake(a->syncer);
	}
	action_plan_done(plan);
	return rc;
}

/*
 * Prepare d on id with values and queue it, or with replace (an outbox
 * entry in conflict or failed, else 0) edit that entry into it. An action
 * that moves money is not queued yet: the confirmation shows what it will
 * do and queues it on y or Enter (ui/confirm.c). 0, or -1 with *cause and
 * nothing changed.
 */
static int
cmd_action_queue(struct app *a, const struct action_def *d, const char *id,
    const char *const *values, long long replace, char **cause)
{
	struct action_plan plan;

	if (action_prepare(a->cache, d, id, values, time(NULL), &plan, cause) != SD_OK)
		return -1;
	if (plan.confirm != NULL) {
		confirm_open(a, &plan, replace);
		return 0;
	}
	return commands_queue_plan(a, &plan, replace, cause);
}

int
commands_queue_action(struct app *a, const struct action_def *d, const char *id, char **cause)
{
	const char *values[CMD_ARGS_MAX] = { NULL };

	if (!cmd_action_offered(a, d, cause))
		return -1;
	return cmd_action_queue(a, d, id, values, 0, cause);
}

int
commands_action_argv(struct app *a, const struct action_def *d, int argc, char **argv,
    char **cause)
{
	struct cmd_args ca;
	const struct list_row *r;
	char *id = NULL;
	int rc = -1;

	if (!cmd_action_offered(a, d, cause))
		return -1;
	if (!(d->flags & ACTION_CREATE)) {
		if ((r = list_selected(&app_pane(a)->list)) == NULL) {
			*cause = xasprintf(_("%s: select a row first"), d->name);
			return -1;
		}
		id = xstrdup(r->id);
	}
	if (cmd_args_read(a, d, argc, argv, 0, &ca, cause) == 0)
		rc = cmd_action_queue(a, d, id, ca.values, 0, cause);
	cmd_args_done(&ca);
	free(id);
	return rc;
}

/* An action on the selection, its arguments as cmd_args_read() takes them. */
static int
cmd_action(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	const struct action_def *d;
	const char *id;
	char *owned, *done = NULL;
	struct cmd_args ca;
	int rc = -1;

	/* Marked rows: the action runs on them all, after a preview. */
	if (app_pane(a)->list.nmarks > 0 && (d = cmd_action_def(a, argv[0])) != NULL &&
	    !(d->flags & ACTION_CREATE) && (int)d->kind == app_pane(a)->ops->kind) {
		if (!cmd_action_offered(a, d, cause))
			return -1;
		if (cmd_args_read(a, d, argc, argv, 0, &ca, cause) == 0)
			rc = marks_action(a, d, ca.values, cause);
		cmd_args_done(&ca);
		return rc;
	}
	if ((d = cmd_action_find(a, argv[0], &id, &owned, cause)) == NULL)
		return -1;
	/* The row (and id with it) is gone once the list reloads. */
	if (d->kind == KIND_CONVERSATION && id != NULL &&
	    (strcmp(d->name, "close") == 0 || strcmp(d->name, "transfer") == 0))
		done = xstrdup(id);
	if (cmd_args_read(a, d, argc, argv, 0, &ca, cause) == 0)
		rc = cmd_action_queue(a, d, id, ca.values, 0, cause);
	cmd_args_done(&ca);
	free(owned);
	if (rc == 0 && d->kind == KIND_CATEGORY)
		catpick_reload(a);	/* the overlay: a new name, a new place */
	/* The chat is handled: on to the next that needs the agent. */
	if (rc == 0 && done != NULL)
		agent_after_chat(a, done);
	free(done);
	return rc;
}

/* --- edit: an outbox entry made again from its words ------------------------- */

/* Whether word is an outbox entry's number. */
static int
cmd_is_number(const char *word)
{
	return word[0] != '\0' && word[strspn(word, "0123456789")] == '\0';
}

/* The action named name on e's object (a create for a create), or NULL with *cause. */
static const struct action_def *
cmd_edit_def(const struct outbox_entry *e, const char *name, char **cause)
{
	const struct action_def *d;
	int create = e->object_id == NULL;

	for (d = action_table; d->name != NULL; d++)
		if (d->kind == e->kind && strcmp(d->name, name) == 0 &&
		    ((d->flags & ACTION_CREATE) != 0) == create)
			return d;
	if (cause != NULL && create)
		*cause = xasprintf(_("'%s' does not create a %s"), name, kind_info(e->kind)->name);
	else if (cause != NULL)
		*cause = xasprintf(_("'%s' is not an action on %s %s"), name,
		    kind_info(e->kind)->name, e->object_id);
	return NULL;
}

/* Outbox entry id, if it may be edited. 0, or -1 with *cause. */
static int
cmd_edit_entry(struct app *a, long long id, struct outbox_entry *e, char **cause)
{
	int rc;

	if ((rc = outbox_get(a->cache, id, e, cause)) == 0)
		*cause = xasprintf(_("#%lld is no longer in the outbox"), id);
	if (rc == 1 && outbox_replaceable(e, cause) == 0)
		return 0;
	outbox_entry_done(e);
	return -1;
}

/* The ':' line with e as it would be typed: "edit 12 ship SF SF1234567890". */
static int
cmd_edit_prompt(struct app *a, const struct outbox_entry *e, char **cause)
{
	const struct action_def *d;
	cJSON *body;
	char **words, *args, *line;
	int n;

	if ((d = cmd_edit_def(e, e->action, cause)) == NULL)
		return -1;
	body = cJSON_Parse(e->body);
	n = action_words(d, body, &words, cause);
	cJSON_Delete(body);
	if (n < 0)
		return -1;
	args = cmdline_join(n, words);
	line = xasprintf("edit %lld %s%s%s", (long long)e->id, d->name, n > 0 ? " " : "",
	    args);
	app_prompt_command(a, line);
	free(line);
	free(args);
	action_words_free(&words);
	return 0;
}

/*
 * `edit [N] [ACTION ARGS...]`: in the outbox, entry N (the selected one), in
 * conflict or failed, becomes ACTION on the same object, checked against the
 * object as cached now and based on its current version as a new action
 * would be; it keeps the entry's number and place in the queue, and the old
 * version goes to the log (outbox_replace). Refused, it changes nothing.
 * Without ACTION: the ':' line opens with the entry as it would be typed.
 * The line names the entry, so a sync moving the selection meanwhile cannot
 * change which entry Enter edits. Elsewhere `edit` is the promotions' action.
 */
static int
cmd_edit(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	const struct action_def *d;
	struct outbox_entry e;
	struct cmd_args ca;
	long long id;
	char *why;
	int i = 1, rc = -1;

	if (a->cur != PANE_OUTBOX)
		return cmd_action(app, argc, argv, cause);
	if (argc > 1 && cmd_is_number(argv[1]))
		id = strtoll(argv[i++], NULL, 10);
	else if ((id = cmd_outbox_selected(a, cause)) < 0)
		return -1;
	if (cmd_edit_entry(a, id, &e, cause) != 0)
		return -1;
	if (i == argc)
		rc = cmd_edit_prompt(a, &e, cause);
	else if ((d = cmd_edit_def(&e, argv[i], cause)) != NULL) {
		if (cmd_args_read(a, d, argc - i, argv + i, 0, &ca, cause) == 0)
			rc = cmd_action_queue(a, d, e.object_id, ca.values, id, cause);
		cmd_args_done(&ca);
	}
	if (rc != 0 && i < argc && *cause != NULL) {
		/* Say that nothing was lost. */
		why = *cause;
		*cause = xasprintf(_("#%lld kept as it was: %s"), id, why);
		free(why);
	}
	outbox_entry_done(&e);
	return rc;
}

/* export on a pane that says what it exports (pane_ops.export: the Dashboard). */
static int
cmd_export_pane(struct app *a, const char *file, int force, char **cause)
{
	struct pane *p = app_pane(a);
	struct export_file e;
	char *path = config_expand_path(file);
	long rows;
	int rc = -1;

	if (export_open(&e, path, force, cause) != 0)
		goto out;
	rows = p->ops->export(p, a, e.f, cause);
	if (export_close(&e, rows >= 0, cause) != 0 || rows < 0)
		goto out;
	app_message(a, 0, ngettext("%ld row written to %s", "%ld rows written to %s",
	    (unsigned long)rows), rows, path);
	rc = 0;
out:
	free(path);
	return rc;
}

/*
 * export FILE, export! FILE: the pane's whole list (its filter, search and
 * order; every row, not those on the screen) as CSV for people (export.h),
 * masked as shown. Without the '!' an existing file is left alone, as vi's
 * :w does.
 */
static int
cmd_export(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct list *l;
	struct export_file e;
	struct csv_writer *w;
	struct query q;
	const char **headers = NULL, *lang;
	char *path;
	int force = argv[0][strlen(argv[0]) - 1] == '!', rc = 0;
	long rows, i, nc;

	(void)argc;
	if (app_pane(a)->ops->export != NULL)
		return cmd_export_pane(a, argv[1], force, cause);
	if ((l = cmd_list(a, cause)) == NULL)
		return -1;
	path = config_expand_path(argv[1]);
	if (export_open(&e, path, force, cause) != 0) {
		free(path);
		return -1;
	}
	lang = config_header_lang(a->conf->csv_header_lang);
	if (lang != NULL && strcmp(lang, "names") != 0) {
		for (nc = 0; l->cols[nc].header != NULL; nc++)
			;
		headers = xcalloc((size_t)nc + 1, sizeof *headers);
		for (i = 0; i < nc; i++)
			headers[i] = i18n_in_lang(lang, l->cols[i].header);
	}
	w = csv_writer_new(e.f, l->kind, l->cols, headers, a->conf->csv_bom, l->mask);
	if (l->static_rows) {
		for (i = 0; i < l->n; i++)
			csv_writer_row(w, l->rows[i].json);
	} else {
		list_make_query(l, &q);
		rc = export_query(a->cache, &q, w, cause);
	}
	rows = csv_writer_free(&w);
	if (export_close(&e, rc == 0, cause) != 0)
		rc = -1;
	else
		app_message(a, 0, ngettext("%ld row written to %s", "%ld rows written to %s",
		    (unsigned long)rows), rows, path);
	free(headers);
	free(path);
	return rc;
}

static const struct ui_command commands_generic[] = {
	{ "quit", NULL, 0, 0, "", N_("leave the console (queued actions stay in the outbox)"),
	  cmd_quit, 0 },
	{ "help", NULL, 0, 0, "", N_("the keys of this pane"), cmd_help, 0 },
	{ "pane", NULL, 1, 2, "NAME [TAB]", N_("show a pane: dashboard orders tickets chats stock "
	  "promos outbox canned (or 1-7), and one of its tabs as filter TAB would"), cmd_pane, 0 },
	{ "pane-next", NULL, 0, 0, "", N_("the next pane"), cmd_pane_step, 0 },
	{ "pane-prev", NULL, 0, 0, "", N_("the previous pane"), cmd_pane_step, 0 },
	{ "outbox", NULL, 0, 0, "", N_("the outbox pane"), cmd_outbox, 0 },
	{ "canned", NULL, 0, 0, "", N_("the canned replies pane (not a tab): add, edit, remove"),
	  cmd_canned, 0 },
	{ "cursor-down", NULL, 0, 0, "", N_("next row"), cmd_move, 0 },
	{ "cursor-left", NULL, 0, 0, "", N_("the figure to the left (Dashboard)"), cmd_move, 0 },
	{ "cursor-right", NULL, 0, 0, "", N_("the figure to the right (Dashboard)"), cmd_move,
	  0 },
	{ "cursor-up", NULL, 0, 0, "", N_("previous row"), cmd_move, 0 },
	{ "page-down", NULL, 0, 0, "", N_("a page down"), cmd_move, 0 },
	{ "page-up", NULL, 0, 0, "", N_("a page up"), cmd_move, 0 },
	{ "half-page-down", NULL, 0, 0, "", N_("half a page down"), cmd_move, 0 },
	{ "half-page-up", NULL, 0, 0, "", N_("half a page up"), cmd_move, 0 },
	{ "first", NULL, 0, 0, "", N_("the first row"), cmd_move, 0 },
	{ "last", NULL, 0, 0, "", N_("the last row"), cmd_move, 0 },
	{ "open", NULL, 0, 0, "", N_("the selected row's detail"), cmd_open, 0 },
	{ "back", NULL, 0, 0, "", N_("close the detail, help or search"), cmd_back, 0 },
	{ "toggle-detail", NULL, 0, 0, "", N_("show or hide the detail"), cmd_toggle_detail, 0 },
	{ "mark", NULL, 0, 0, "", N_("mark or unmark the selected row: an action then runs on "
	  "the marked rows, after a preview"), marks_cmd_mark, UI_CMD_SELECTION },
	{ "mark-all", NULL, 0, 0, "", N_("mark every row the list shows (its tab and search)"),
	  marks_cmd_mark_all, 0 },
	{ "mark-clear", NULL, 0, 0, "", N_("clear the marks"), marks_cmd_mark_clear, 0 },
	{ "category", NULL, 0, 1, "[NAME|PATH|ID|-]", N_("Inventory and Orders: the category "
	  "tree to filter the list by a category and the ones below it; with a name, path or "
	  "id that filter at once; - clears it"), catpick_cmd, 0 },
	{ "reprice", NULL, 1, 1, "-10%|+5.00|PRICE", N_("Inventory: change the prices of the "
	  "marked SKUs, else of the whole list, by a percentage or an amount, or to a price, "
	  "after a preview"), reprice_cmd, 0 },
	{ "import", NULL, 1, 1, "FILE", N_("Inventory: a CSV file of prices (sku_id,price or "
	  "SKU编码,价格; UTF-8 or GB18030), queued after a preview"), reprice_cmd_import, 0 },
	{ "barcode", NULL, 1, 1, "CODE", N_("go to what a scanner read: a SKU by barcode or id "
	  "(Inventory), an order by number or tracking number (Orders)"), warehouse_cmd_scan, 0 },
	{ "slip", NULL, 0, 1, "[FILE]", N_("packing slips (PDF) of the marked orders, else the "
	  "selected one: to FILE, or to the profile's print-command"), warehouse_cmd_slip, 0 },
	{ "reveal", NULL, 0, 0, "", N_("show the selected object unmasked (logged)"), cmd_reveal,
	  UI_CMD_SELECTION },
	{ "search", NULL, 0, 1, "[TEXT]", N_("search the list (Chinese included); no TEXT: "
	  "type it, incrementally"), cmd_search, 0 },
	{ "find", NULL, 1, -1, "TEXT...", N_("go to anything: search orders, tickets, chats, "
	  "customers, stock and promotions at once"), cmd_find, 0 },
	{ "search-next", NULL, 0, 0, "", N_("the next match"), cmd_move, 0 },
	{ "search-prev", NULL, 0, 0, "", N_("the previous match"), cmd_move, 0 },
	{ "search-clear", NULL, 0, 0, "", N_("forget the search"), cmd_search_clear, 0 },
	{ "filter", NULL, 1, 1, "STATUS|kind=KIND", N_("show one status tab (its label, or "
	  "statuses by code or name), or one kind of ticket (kind=all for every kind)"),
	  cmd_filter, 0 },
	{ "filter-next", NULL, 0, 0, "", N_("the next status tab"), cmd_filter, 0 },
	{ "filter-prev", NULL, 0, 0, "", N_("the previous status tab"), cmd_filter, 0 },
	{ "filter-clear", NULL, 0, 0, "", N_("all statuses (and all kinds)"), cmd_filter, 0 },
	{ "filter-kind-next", NULL, 0, 0, "", N_("the next kind tab (tickets)"), cmd_filter_kind, 0 },
	{ "filter-kind-prev", NULL, 0, 0, "", N_("the previous kind tab (tickets)"),
	  cmd_filter_kind, 0 },
	{ "sort", NULL, 1, 1, "NAME|default|reverse", N_("the list's order: one the pane has "
	  "(Tab lists them), the pane's default, or the reverse of the current"), cmd_sort, 0 },
	{ "command", NULL, 0, 1, "[TEXT]", N_("open the : line with TEXT typed"), cmd_command, 0 },
	{ "redraw", NULL, 0, 0, "", N_("draw the whole screen again"), cmd_redraw, 0 },
	{ "messages", NULL, 0, 0, "", N_("the recent messages in full, wrapped (q closes)"),
	  cmd_messages, 0 },
	{ "sync", NULL, 0, 0, "", N_("sync with the store now"), cmd_sync, 0 },
	{ "scan", NULL, 0, 1, "[ORDER]", N_("scan mode: pack orders with a barcode scanner "
	  "(order, items, waybill, shipped)"), cmd_scan, 0 },
	{ "retry", NULL, 0, 0, "", N_("outbox: send the selected entry again"), cmd_retry, 0 },
	{ "drop", NULL, 0, 0, "", N_("outbox: give up the selected entry"), cmd_drop, 0 },
	{ "go-order", NULL, 0, 0, "", N_("the selected chat's, ticket's or customer's order(s)"),
	  agent_cmd_go, 0 },
	{ "go-customer", NULL, 0, 0, "", N_("the selected order's, ticket's or chat's customer"),
	  agent_cmd_go, 0 },
	{ "go-ticket", NULL, 0, 0, "", N_("the after-sales tickets of the selected order, chat "
	  "or customer"), agent_cmd_go, 0 },
	{ "go-chat", NULL, 0, 0, "", N_("the chats about the selected order or ticket, or with "
	  "the customer"), agent_cmd_go, 0 },
	{ "go-back", NULL, 0, 0, "", N_("back where the last go-* or find came from"),
	  agent_cmd_back, 0 },
	{ "accept-next", NULL, 0, 0, "", N_("take the longest-waiting customer of your first queue "
	  "(vip, aftersales, presales)"), agent_cmd_accept_next, 0 },
	{ "chat-next", NULL, 0, 0, "", N_("the next of your active chats"), agent_cmd_chat_next, 0 },
	{ "new-promo", NULL, 0, 1, "[KIND]", N_("a new promotion, in a form: the kind, then its "
	  "fields, checked as they are typed (Promotions)"), promo_form_cmd, 0 },
	{ "new-product", NULL, 0, 0, "", N_("a new product and its SKUs, in a form checked as it "
	  "is typed; queued offline too (Inventory)"), product_form_cmd_new, 0 },
	{ "edit-product", NULL, 0, 0, "", N_("the selected SKU's product and its SKUs in the "
	  "form: what changed is queued (Inventory)"), product_form_cmd_edit, UI_CMD_SELECTION },
	{ "delete-product", NULL, 0, 0, "", N_("delete the selected SKU's product, after a "
	  "confirmation (refused while open orders have it)"), product_form_cmd_delete,
	  UI_CMD_SELECTION },
	{ "new-ticket", NULL, 0, -1, "[ORDER KIND [REASON]...]", N_("start an after-sales ticket; "
	  "no arguments: the : line with the selection's order typed"), agent_cmd_new_ticket, 0 },
	{ "bell", NULL, 0, 1, "[on|off]", N_("ring the bell when a customer writes in your chats"),
	  agent_cmd_bell, 0 },
	{ "mouse", NULL, 0, 1, "[on|off]", N_("click a tab or a row, double click opens, the "
	  "wheel scrolls; off leaves the mouse to the terminal"), mouse_cmd, 0 },
	{ "export", "export!", 1, 1, "FILE", N_("write the whole list (filter and search "
	  "applied), or the Dashboard's report, to FILE as CSV; export! replaces a file"), cmd_export, 0 },
	{ "dump-screen", NULL, 1, 1, "FILE", N_("write the screen as text to FILE (for tests)"),
	  cmd_dump_screen, UI_CMD_HIDDEN },
	{ "clock", NULL, 1, 1, "TIME|now", N_("the console's time, as if it were TIME (for tests)"),
	  cmd_clock, UI_CMD_HIDDEN },
	{ "bind", NULL, 3, -1, "KEYMAP KEYS COMMAND [ARGS...]", N_("bind a key for this session"),
	  cmd_bind, 0 },
	{ "unbind", NULL, 1, 2, "[-a] KEYMAP [KEYS]", N_("remove a binding for this session"),
	  cmd_bind, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};

/* "CARRIER TRACKING [--restock]" for d. */
static char *
commands_action_usage(const struct action_def *d)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; d->args[i].flag != NULL; i++) {
		const struct action_arg *a = &d->args[i];

		if (b.len)
			buf_addc(&b, ' ');
		if (a->type == ARG_BOOL)
			buf_addf(&b, "[--%s]", a->flag);
		else if (a->flags & ARG_REQUIRED)
			buf_addf(&b, "%s", a->metavar != NULL ? a->metavar : a->flag);
		else
			buf_addf(&b, "[%s]", a->metavar != NULL ? a->metavar : a->flag);
	}
	return buf_steal(&b);
}

struct ui_command *
commands_build(void)
{
	const struct action_def *d, *o;
	struct ui_command *t;
	size_t n = 0, i, ng;

	for (ng = 0; commands_generic[ng].name != NULL; ng++)
		;
	for (d = action_table; d->name != NULL; d++)
		n++;
	t = xcalloc(ng + n + 2, sizeof *t);
	memcpy(t, commands_generic, ng * sizeof *t);
	n = ng;
	for (d = action_table; d->name != NULL; d++) {
		for (o = action_table; o != d; o++)
			if (strcmp(o->name, d->name) == 0)
				break;
		if (o != d)
			continue;	/* close, create: one row, the pane decides */
		t[n].name = d->name;
		t[n].min_args = 0;
		t[n].max_args = -1;
		t[n].usage = commands_action_usage(d);
		t[n].help = d->help;
		/* Two actions are also outbox commands: the pane decides. */
		t[n].fn = strcmp(d->name, "resolve") == 0 ? cmd_resolve :
		    strcmp(d->name, "edit") == 0 ? cmd_edit : cmd_action;
		t[n].flags = UI_CMD_SELECTION | CMD_ACTION;
		n++;
	}
	for (i = 0; i < n; i++)
		if (!(t[i].flags & CMD_ACTION) && t[i].usage != NULL)
			t[i].usage = xstrdup(t[i].usage);
	return t;
}

void
commands_free(struct ui_command **tp)
{
	struct ui_command *t = *tp;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; t[i].name != NULL; i++)
		free((char *)t[i].usage);
	free(t);
	*tp = NULL;
}

#define COMMANDS_IDS	50	/* ids offered at most: a screenful, not a million */

struct commands_prefix {
	const char	*before;
	void		(*add)(void *, const char *);
	void		*acc;
};

static int
commands_prefix_add(void *arg, const char *value)
{
	struct commands_prefix *cp = arg;
	char *cand = xasprintf("%s%s", cp->before, value);

	cp->add(cp->acc, cand);
	free(cand);
	return 0;
}

/* Add before + each value of kind k's column col starting with prefix. */
static void
commands_complete_column(struct app *a, enum sd_kind k, const char *col,
    const char *before, const char *prefix, void (*add)(void *, const char *), void *acc)
{
	struct commands_prefix cp = { before, add, acc };

	cache_prefix_values(a->cache, k, col, prefix, COMMANDS_IDS, commands_prefix_add, &cp);
}

/* Ids of kind k starting with prefix; none for an empty one (a million is no help). */
static void
commands_complete_ids(struct app *a, enum sd_kind k, const char *before, const char *prefix,
    void (*add)(void *, const char *), void *acc)
{
	if (*prefix != '\0')
		commands_complete_column(a, k, "id", before, prefix, add, acc);
}

/* The kind a field names by its suffix: "order_id" with "_id" is an order; or -1. */
static int
commands_field_kind(const char *field, const char *suffix)
{
	size_t n = strlen(field), k = strlen(suffix);
	char name[32];

	if (n <= k || n - k >= sizeof name || strcmp(field + n - k, suffix) != 0)
		return -1;
	snprintf(name, sizeof name, "%.*s", (int)(n - k), field);
	return kind_from_name(name);
}

/* The languages of one shortcut, as "/shortcut:lang" candidates. */
struct commands_langs {
	char		*shortcut;
	void		(*add)(void *, const char *);
	void		*acc;
};

static int
commands_lang_add(void *arg, const cJSON *reply)
{
	struct commands_langs *cl = arg;
	const char *s = json_str(reply, "shortcut"), *lang = json_str(reply, "lang");
	char *word;

	if (s != NULL && lang != NULL && strcmp(s, cl->shortcut) == 0) {
		word = xasprintf("/%s:%s", s, lang);
		cl->add(cl->acc, word);
		free(word);
	}
	return 0;
}

/*
 * Values for argument arg of d, from its type: carriers, an enum's values,
 * users, ids of the object a field names ("order_id", "sku_ids": the item
 * after the last comma), and canned replies for what is said in a
 * conversation, by their shortcut after a '/'.
 */
void
commands_complete_arg(struct app *a, const struct action_def *d, const struct action_arg *arg,
    const char *prefix, void (*add)(void *, const char *), void *acc)
{
	const char *item;
	char *before;
	int i, k;

	switch (arg->type) {
	case ARG_CARRIER:
		for (i = 0; carriers[i].code != NULL; i++)
			add(acc, carriers[i].code);
		break;
	case ARG_ENUM:
		for (i = 0; arg->values[i] != NULL; i++)
			add(acc, arg->values[i]);
		break;
	case ARG_USER:
		add(acc, "me");
		commands_complete_ids(a, KIND_USER, "", prefix, add, acc);
		break;
	case ARG_LIST:
		if ((k = commands_field_kind(arg->field, "_ids")) < 0)
			break;
		item = strrchr(prefix, ',');
		item = item != NULL ? item + 1 : prefix;
		before = xstrndup(prefix, (size_t)(item - prefix));
		commands_complete_ids(a, (enum sd_kind)k, before, item, add, acc);
		free(before);
		break;
	case ARG_STRING:
		if ((k = commands_field_kind(arg->field, "_id")) >= 0)
			commands_complete_ids(a, (enum sd_kind)k, "", prefix, add, acc);
		else if (d->kind == KIND_CONVERSATION && prefix[0] == '/' &&
		    app_offered(a, KIND_CANNED_REPLY) && strchr(prefix, ':') != NULL) {
			/* "/hello:" then the languages /hello has: /hello:en /hello:zh_CN */
			struct commands_langs cl = { xstrndup(prefix + 1,
			    strcspn(prefix + 1, ":")), add, acc };

			action_canned_each(a->cache, NULL, commands_lang_add, &cl);
			free(cl.shortcut);
		} else if (d->kind == KIND_CONVERSATION && prefix[0] == '/' &&
		    app_offered(a, KIND_CANNED_REPLY))
			commands_complete_column(a, KIND_CANNED_REPLY, "shortcut", "/",
			    prefix + 1, add, acc);
		break;
	default:
		break;
	}
}

/* The word after argv[0..argc) of action d: its --options, or a value of its argument. */
static void
commands_complete_action(struct app *a, const struct action_def *d, int argc, char **argv,
    const char *prefix, void (*add)(void *, const char *), void *acc)
{
	struct cmd_args ca;
	char opt[64];
	int i;

	if (strncmp(prefix, "--", 2) == 0) {
		for (i = 0; d->args[i].flag != NULL; i++) {
			snprintf(opt, sizeof opt, "--%s", d->args[i].flag);
			add(acc, opt);
		}
		return;
	}
	cmd_args_read(a, d, argc, argv, 1, &ca, NULL);
	if ((i = cmd_args_target(d, &ca)) >= 0)
		commands_complete_arg(a, d, &d->args[i], prefix, add, acc);
	cmd_args_done(&ca);
}

/*
 * `edit [N] ACTION ARGS...` in the outbox: the actions of the entry's
 * object, then the chosen action's arguments.
 */
static void
commands_complete_edit(struct app *a, int argc, char **argv, int argi, const char *prefix,
    void (*add)(void *, const char *), void *acc)
{
	const struct action_def *d;
	struct outbox_entry e;
	char *cause = NULL;
	long long id;
	int k = 1;

	if (argc > 1 && cmd_is_number(argv[1])) {
		id = strtoll(argv[1], NULL, 10);
		k = 2;
	} else if ((id = cmd_outbox_selected(a, &cause)) < 0) {
		free(cause);
		return;
	}
	if (outbox_get(a->cache, id, &e, &cause) != 1) {
		free(cause);
		return;
	}
	if (argi == k) {
		for (d = action_table; d->name != NULL; d++)
			if (cmd_edit_def(&e, d->name, NULL) == d)
				add(acc, d->name);
	} else if (argc > k && (d = cmd_edit_def(&e, argv[k], NULL)) != NULL)
		commands_complete_action(a, d, argc - k, argv + k, prefix, add, acc);
	outbox_entry_done(&e);
}

/* Whether c is a generic command, or an action some noun of which the store performs. */
static int
commands_offered(struct app *a, const struct ui_command *c)
{
	const struct action_def *d;

	if (!(c->flags & CMD_ACTION) || c->fn != cmd_action)
		return 1;	/* resolve and edit are also the outbox's */
	for (d = action_table; d->name != NULL; d++)
		if (strcmp(d->name, c->name) == 0 && app_offered(a, (int)d->kind) &&
		    caps_action_offered(a->cache, d->noun, d->name) &&
		    action_role_allows(d, app_role(a)))
			return 1;
	return 0;
}

/*
 * The cached categories for `category`: names, paths written with "/" (one
 * word: no blanks around it) and ids starting with prefix; "-" clears.
 */
static void
commands_complete_categories(struct app *a, const char *prefix,
    void (*add)(void *acc, const char *candidate), void *acc)
{
	struct cache_categories t;
	char *cause = NULL, *path, *p;
	size_t i, n = strlen(prefix);

	if (cache_categories_load(a->cache, &t, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = 0; i < t.n; i++) {
		path = xstrdup(t.v[i].path);
		while ((p = strstr(path, " / ")) != NULL)
			memmove(p + 1, p + 3, strlen(p + 3) + 1), *p = '/';
		if (strncmp(t.v[i].name, prefix, n) == 0)
			add(acc, t.v[i].name);
		if (t.v[i].depth > 0 && strncmp(path, prefix, n) == 0)
			add(acc, path);
		if (n > 0 && strncmp(t.v[i].id, prefix, n) == 0)
			add(acc, t.v[i].id);
		free(path);
	}
	add(acc, "-");
	cache_categories_done(&t);
}

/*
 * Candidates for an argument: pane names, filters, sorts, mine/theirs,
 * keymaps, ids to search for, and the arguments of actions (also in an
 * outbox edit) by their type.
 */
void
commands_complete(void *arg, const char *line, int argi, const char *prefix,
    void (*add)(void *acc, const char *candidate), void *acc)
{
	struct app *a = arg;
	struct cmdline *cl = NULL;
	struct cmdline_cmd *w;
	char *cause = NULL;
	const char *cmd;
	const struct ui_command *c;
	const struct pane_filter *f;
	const struct action_def *d;
	int i, nw;

	if (argi == 0) {
		for (c = a->commands; c->name != NULL; c++)
			if (!(c->flags & UI_CMD_HIDDEN) && commands_offered(a, c))
				add(acc, c->name);
		return;
	}
	if (cmdline_parse(line, &cl, &cause) != 0 || cl->n == 0) {
		cmdline_free(&cl);
		free(cause);
		return;
	}
	/* The command's words before the one being completed. */
	w = &cl->cmds[cl->n - 1];
	cmd = w->argv[0];
	nw = argi < w->argc ? argi : w->argc;
	if (strcmp(cmd, "pane") == 0 && argi == 1) {
		for (i = 0; i < PANE__COUNT; i++)
			add(acc, a->panes[i].ops->name);
	} else if (strcmp(cmd, "filter") == 0 && argi == 1) {
		for (f = app_pane(a)->ops->filters; f != NULL && f->label != NULL; f++)
			add(acc, f->status != NULL ? f->status : f->abnormal ? "abnormal" :
			    f->low_stock ? "low" : f->waiting ? "waiting" : f->label);
	} else if (strcmp(cmd, "sort") == 0 && argi == 1) {
		const char *const *names = cache_query_sorts((enum sd_kind)app_pane(a)->ops->kind);

		for (i = 0; app_pane(a)->ops->kind >= 0 && names[i] != NULL; i++)
			add(acc, names[i]);
		add(acc, "default");
		add(acc, "reverse");
	} else if (strcmp(cmd, "resolve") == 0 && argi == 1 && a->cur == PANE_OUTBOX) {
		add(acc, "mine");
		add(acc, "theirs");
	} else if (strcmp(cmd, "category") == 0 && argi == 1) {
		commands_complete_categories(a, prefix, add, acc);
	} else if (strcmp(cmd, "search") == 0 && argi == 1) {
		if (app_pane(a)->ops->kind >= 0)
			commands_complete_ids(a, (enum sd_kind)app_pane(a)->ops->kind, "", prefix,
			    add, acc);
	} else if (strcmp(cmd, "edit") == 0 && a->cur == PANE_OUTBOX) {
		commands_complete_edit(a, nw, w->argv, argi, prefix, add, acc);
	} else if (strcmp(cmd, "bind") == 0 || strcmp(cmd, "unbind") == 0) {
		if (argi == 1)
			for (i = 0; i < KEYMAP__COUNT; i++)
				add(acc, keymap_name((enum keymap_id)i));
		if (argi == 3)
			for (c = a->commands; c->name != NULL; c++)
				add(acc, c->name);
	} else if ((d = cmd_action_def(a, cmd)) != NULL)
		commands_complete_action(a, d, nw, w->argv, prefix, add, acc);
	cmdline_free(&cl);
}

/*
 * What the line being typed will send when it is `send /shortcut` in Chats:
 * "/delay:zh_CN" in *which and the reply's text, filled in from the
 * selected conversation where the cache can (action_canned_preview), for
 * the preview line above the candidates. NULL (nothing to preview) for any
 * other line, or a shortcut no reply starts with. Both for the caller to free.
 */
char *
commands_preview(struct app *a, const char *line, char **which)
{
	const struct action_def *d;
	const struct list_row *r;
	struct cmdline *cl = NULL;
	const char *word = NULL;
	char *cause = NULL, *text = NULL;
	struct cmdline_cmd *w;
	int i;

	*which = NULL;
	if (line == NULL || strchr(line, '/') == NULL || a->cur != PANE_CHATS ||
	    !app_offered(a, KIND_CANNED_REPLY))
		return NULL;
	if (cmdline_parse(line, &cl, &cause) != 0 || cl->n != 1) {
		cmdline_free(&cl);
		free(cause);
		return NULL;
	}
	w = &cl->cmds[0];
	/* The message's first word: the argument after send, or after --body. */
	if ((d = cmd_action_def(a, w->argv[0])) != NULL && d->kind == KIND_CONVERSATION &&
	    strcmp(d->name, "send") == 0 && w->argc > 1) {
		i = strcmp(w->argv[1], "--body") == 0 ? 2 : 1;
		if (i < w->argc && w->argv[i][0] == '/')
			word = w->argv[i];
	}
	if (word != NULL) {
		r = list_selected(&a->panes[PANE_CHATS].list);
		text = action_canned_preview(a->cache, r != NULL ? r->id : NULL, word, which);
	}
	cmdline_free(&cl);
	return text;
}
