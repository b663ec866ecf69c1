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
#include "cache-query.h"
#include "outbox.h"
#include "ui/app.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

#define CMD_ACTION	UI_CMD_USER	/* a row made from action_table[] */

static struct app *
A(void *app)
{
	return app;
}

static int
cmd_quit(void *app, int argc, char **argv, char **cause)
{
	(void)argc; (void)argv; (void)cause;
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

static int
cmd_pane(void *app, int argc, char **argv, char **cause)
{
	int i;

	(void)argc;
	for (i = 0; i < PANE__COUNT; i++)
		if (strcmp(A(app)->panes[i].ops->name, argv[1]) == 0 ||
		    (argv[1][0] == '1' + i && argv[1][1] == '\0')) {
			app_set_pane(A(app), i);
			return 0;
		}
	*cause = xasprintf("unknown pane '%s' (dashboard, orders, tickets, chats, stock, "
	    "promos, outbox or 1-7)", argv[1]);
	return -1;
}

static int
cmd_pane_step(void *app, int argc, char **argv, char **cause)
{
	int d = strcmp(argv[0], "pane-next") == 0 ? 1 : -1;

	(void)argc; (void)cause;
	app_set_pane(A(app), (A(app)->cur + d + PANE__COUNT) % PANE__COUNT);
	return 0;
}

static int
cmd_outbox(void *app, int argc, char **argv, char **cause)
{
	(void)argc; (void)argv; (void)cause;
	app_set_pane(A(app), PANE_OUTBOX);
	return 0;
}

/* The pane's list, or NULL (with *cause) for a pane without one. */
static struct list *
cmd_list(struct app *app, char **cause)
{
	struct pane *p = app_pane(app);

	if (p->ops->kind < 0 && p->ops->load == NULL) {
		*cause = xasprintf("%s has no list", _(p->ops->title));
		return NULL;
	}
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
	a->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
	return 0;
}

static int
cmd_open(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;

	(void)argc; (void)argv;
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

static int
cmd_filter(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	struct pane *p = app_pane(a);
	const struct pane_filter *f = p->ops->filters;
	int i, n;

	if (f == NULL) {
		*cause = xasprintf("%s has no filters", _(p->ops->title));
		return -1;
	}
	for (n = 0; f[n].label != NULL; n++)
		;
	if (strcmp(argv[0], "filter-next") == 0)
		p->filter = (p->filter + 1) % n;
	else if (strcmp(argv[0], "filter-prev") == 0)
		p->filter = (p->filter + n - 1) % n;
	else if (strcmp(argv[0], "filter-clear") == 0)
		p->filter = 0;
	else {
		for (i = 0; i < n; i++)
			if (strcasecmp(f[i].label, argv[1]) == 0 || strcasecmp(_(f[i].label),
			    argv[1]) == 0 || (f[i].status != NULL &&
			    strcmp(f[i].status, argv[1]) == 0) ||
			    (f[i].abnormal && strcmp(argv[1], "abnormal") == 0) ||
			    (f[i].low_stock && strcmp(argv[1], "low") == 0) ||
			    (f[i].waiting && strcmp(argv[1], "waiting") == 0))
				break;
		if (i == n) {
			struct buf b;

			buf_init(&b);
			for (i = 0; i < n; i++)
				buf_addf(&b, "%s%s", i ? ", " : "", f[i].status != NULL ?
				    f[i].status : f[i].label);
			*cause = xasprintf("unknown filter '%s' (%s)", argv[1], buf_str(&b));
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
	else if (strcmp(argv[1], "default") == 0)
		p->reverse = 0;
	else {
		*cause = xasprintf("unknown sort '%s' (default or reverse)", argv[1]);
		return -1;
	}
	app_apply_filter(a, p);
	return 0;
}

static int
cmd_command(void *app, int argc, char **argv, char **cause)
{
	(void)cause;
	app_prompt_command(A(app), argc > 1 ? argv[1] : NULL);
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

/*
 * The action def for name in the current pane, and the id it applies to
 * (borrowed from the selection or from *owned). NULL with *cause.
 */
static const struct action_def *
cmd_action_find(struct app *a, const char *name, const char **id, char **owned, char **cause)
{
	struct pane *p = app_pane(a);
	const struct action_def *d = NULL, *o;
	const struct list_row *r;
	struct buf nouns;
	cJSON *obj;

	*id = NULL;
	*owned = NULL;
	if (p->ops->noun != NULL)
		d = action_find(p->ops->noun, name);
	if (d == NULL && p->ops->kind == KIND_SKU)
		d = action_find("products", name);	/* shelf: the SKU's product */
	if (d == NULL) {
		buf_init(&nouns);
		for (o = action_table; o->name != NULL; o++)
			if (strcmp(o->name, name) == 0)
				buf_addf(&nouns, "%s%s", nouns.len ? ", " : "", o->noun);
		*cause = xasprintf("'%s' is not an action of %s (it is for %s)", name,
		    _(p->ops->title), buf_str(&nouns));
		buf_done(&nouns);
		return NULL;
	}
	if (d->flags & ACTION_CREATE)
		return d;
	if ((r = list_selected(&p->list)) == NULL) {
		*cause = xasprintf("%s: select a row first", name);
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

/*
 * An action on the selection: positional arguments in the table's order
 * (switches only as --name), --name VALUE for any; extra words join the
 * last text argument ("send 您好 请稍等").
 */
static int
cmd_action(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	const struct action_def *d;
	const char *id, *values[32];
	char *owned, *joined[32];
	int nargs, i, j, next = 0, last_text = -1, rc = -1;
	struct action_plan plan;
	struct outbox_new n;
	struct outbox_entry e;
	enum sd_status st;

	if ((d = cmd_action_find(a, argv[0], &id, &owned, cause)) == NULL)
		return -1;
	nargs = action_arg_count(d);
	memset(values, 0, sizeof values);
	memset(joined, 0, sizeof joined);
	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0 && argv[i][2] != '\0' &&
		    (j = action_arg_index(d, argv[i] + 2)) >= 0) {
			if (d->args[j].type == ARG_BOOL)
				values[j] = "true";
			else if (i + 1 < argc)
				values[j] = argv[++i];
			else {
				*cause = xasprintf("%s needs a value", argv[i]);
				goto out;
			}
			continue;
		}
		while (next < nargs && (d->args[next].type == ARG_BOOL || values[next] != NULL))
			next++;
		if (next < nargs) {
			values[next] = argv[i];
			if (d->args[next].type == ARG_STRING)
				last_text = next;
			next++;
		} else if (last_text >= 0) {
			char *s = xasprintf("%s %s", joined[last_text] != NULL ?
			    joined[last_text] : values[last_text], argv[i]);

			free(joined[last_text]);
			joined[last_text] = s;
			values[last_text] = s;
		} else {
			*cause = xasprintf("too many arguments; usage: %s %s", d->name,
			    ui_command_find(a->commands, d->name)->usage);
			goto out;
		}
	}
	st = action_prepare(a->cache, d, id, values, time(NULL), &plan, cause);
	if (st != SD_OK)
		goto out;
	memset(&n, 0, sizeof n);
	n.kind = d->kind;
	n.object_id = plan.object_id;
	n.action = d->name;
	n.method = d->method;
	n.path_action = d->path_action;
	n.body = plan.body;
	n.base_version = plan.base_version;
	n.patch = plan.patch;
	n.summary = plan.summary;
	if (outbox_enqueue(a->cache, &n, &e, cause) == 0) {
		app_message(a, 0, _("queued #%lld: %s%s%s"), (long long)e.id, e.summary,
		    plan.note != NULL ? " -- " : "", plan.note != NULL ? plan.note : "");
		outbox_entry_done(&e);
		app_reload(a);
		if (a->syncer != NULL)
			syncer_wake(a->syncer);
		rc = 0;
	}
	action_plan_done(&plan);
out:
	for (i = 0; i < 32; i++)
		free(joined[i]);
	free(owned);
	return rc;
}

static const struct ui_command commands_generic[] = {
	{ "quit", NULL, 0, 0, "", "leave the console (queued actions stay in the outbox)",
	  cmd_quit, 0 },
	{ "help", NULL, 0, 0, "", "the keys of this pane", cmd_help, 0 },
	{ "pane", NULL, 1, 1, "NAME", "show a pane: dashboard orders tickets chats stock "
	  "promos outbox (or 1-7)", cmd_pane, 0 },
	{ "pane-next", NULL, 0, 0, "", "the next pane", cmd_pane_step, 0 },
	{ "pane-prev", NULL, 0, 0, "", "the previous pane", cmd_pane_step, 0 },
	{ "outbox", NULL, 0, 0, "", "the outbox pane", cmd_outbox, 0 },
	{ "cursor-down", NULL, 0, 0, "", "next row", cmd_move, 0 },
	{ "cursor-up", NULL, 0, 0, "", "previous row", cmd_move, 0 },
	{ "page-down", NULL, 0, 0, "", "a page down", cmd_move, 0 },
	{ "page-up", NULL, 0, 0, "", "a page up", cmd_move, 0 },
	{ "half-page-down", NULL, 0, 0, "", "half a page down", cmd_move, 0 },
	{ "half-page-up", NULL, 0, 0, "", "half a page up", cmd_move, 0 },
	{ "first", NULL, 0, 0, "", "the first row", cmd_move, 0 },
	{ "last", NULL, 0, 0, "", "the last row", cmd_move, 0 },
	{ "open", NULL, 0, 0, "", "the selected row's detail", cmd_open, 0 },
	{ "back", NULL, 0, 0, "", "close the detail, help or search", cmd_back, 0 },
	{ "toggle-detail", NULL, 0, 0, "", "show or hide the detail", cmd_toggle_detail, 0 },
	{ "reveal", NULL, 0, 0, "", "show the selected object unmasked (logged)", cmd_reveal,
	  UI_CMD_SELECTION },
	{ "search", NULL, 0, 1, "[TEXT]", "search the list (Chinese included); no TEXT: "
	  "type it, incrementally", cmd_search, 0 },
	{ "search-next", NULL, 0, 0, "", "the next match", cmd_move, 0 },
	{ "search-prev", NULL, 0, 0, "", "the previous match", cmd_move, 0 },
	{ "search-clear", NULL, 0, 0, "", "forget the search", cmd_search_clear, 0 },
	{ "filter", NULL, 1, 1, "STATUS", "show one status tab (its label or status)",
	  cmd_filter, 0 },
	{ "filter-next", NULL, 0, 0, "", "the next status tab", cmd_filter, 0 },
	{ "filter-prev", NULL, 0, 0, "", "the previous status tab", cmd_filter, 0 },
	{ "filter-clear", NULL, 0, 0, "", "all statuses", cmd_filter, 0 },
	{ "sort", NULL, 1, 1, "default|reverse", "the list's order, or its reverse", cmd_sort,
	  0 },
	{ "command", NULL, 0, 1, "[TEXT]", "open the : line with TEXT typed", cmd_command, 0 },
	{ "redraw", NULL, 0, 0, "", "draw the whole screen again", cmd_redraw, 0 },
	{ "sync", NULL, 0, 0, "", "sync with the store now", cmd_sync, 0 },
	{ "retry", NULL, 0, 0, "", "outbox: send the selected entry again", cmd_retry, 0 },
	{ "drop", NULL, 0, 0, "", "outbox: give up the selected entry", cmd_drop, 0 },
	{ "bind", NULL, 3, -1, "KEYMAP KEYS COMMAND [ARGS...]", "bind a key for this session",
	  cmd_bind, 0 },
	{ "unbind", NULL, 1, 2, "[-a] KEYMAP [KEYS]", "remove a binding for this session",
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
		t[n].fn = strcmp(d->name, "resolve") == 0 ? cmd_resolve : cmd_action;
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

/* Candidates for an argument: pane names, filters, carriers, mine/theirs, shortcuts. */
void
commands_complete(void *arg, const char *line, int argi, const char *prefix,
    void (*add)(void *acc, const char *candidate), void *acc)
{
	struct app *a = arg;
	struct cmdline *cl = NULL;
	char *cause = NULL, *cmd = NULL;
	const struct ui_command *c;
	const struct pane_filter *f;
	int i;

	(void)prefix;
	if (argi == 0) {
		for (c = a->commands; c->name != NULL; c++)
			if (!(c->flags & UI_CMD_HIDDEN))
				add(acc, c->name);
		return;
	}
	if (cmdline_parse(line, &cl, &cause) == 0 && cl->n > 0 && cl->cmds[cl->n - 1].argc > 0)
		cmd = xstrdup(cl->cmds[cl->n - 1].argv[0]);
	cmdline_free(&cl);
	free(cause);
	if (cmd == NULL)
		return;
	if (strcmp(cmd, "pane") == 0 && argi == 1) {
		for (i = 0; i < PANE__COUNT; i++)
			add(acc, a->panes[i].ops->name);
	} else if (strcmp(cmd, "filter") == 0 && argi == 1) {
		for (f = app_pane(a)->ops->filters; f != NULL && f->label != NULL; f++)
			add(acc, f->status != NULL ? f->status : f->abnormal ? "abnormal" :
			    f->low_stock ? "low" : f->waiting ? "waiting" : f->label);
	} else if (strcmp(cmd, "sort") == 0 && argi == 1) {
		add(acc, "default");
		add(acc, "reverse");
	} else if (strcmp(cmd, "resolve") == 0 && argi == 1 && a->cur == PANE_OUTBOX) {
		add(acc, "mine");
		add(acc, "theirs");
	} else if (argi == 1 && (strcmp(cmd, "ship") == 0 || strcmp(cmd, "reship") == 0)) {
		for (i = 0; carriers[i].code != NULL; i++)
			add(acc, carriers[i].code);
	} else if (strcmp(cmd, "bind") == 0 || strcmp(cmd, "unbind") == 0) {
		if (argi == 1)
			for (i = 0; i < KEYMAP__COUNT; i++)
				add(acc, keymap_name((enum keymap_id)i));
		if (argi == 3)
			for (c = a->commands; c->name != NULL; c++)
				add(acc, c->name);
	}
	free(cmd);
}
