/*
 * app.c -- the console's event loop.
 *
 * One thread and one poll() over: the terminal; a self-pipe the signal
 * handler writes the signal's number to (SIGWINCH: resize; SIGTERM, SIGHUP:
 * leave cleanly -- every confirmed action is already in the outbox, so
 * nothing is lost; SIGINT: cancel the prompt, else leave); the sync
 * thread's pipe; and a timeout for the one-second tick (waiting clocks, SLA
 * countdowns) and for multi-key sequences.
 *
 * Handlers (keys, commands, the syncer's news) change state and set dirty
 * bits; repaint() then draws only the dirty parts into their windows and
 * sends the lot with one doupdate(). curses compares with what the terminal
 * shows, so a cursor move sends two lines, and a scroll by one row lets it
 * scroll the terminal (idlok) instead of repainting the list.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "action.h"
#include "caps.h"
#include "clock.h"
#include "kpi.h"
#include "ui/agent.h"
#include "ui/app.h"
#include "ui/catpick.h"
#include "ui/confirm.h"
#include "ui/form.h"
#include "ui/promo-form.h"
#include "ui/find.h"
#include "ui/help.h"
#include "ui/input.h"
#include "ui/messages.h"
#include "ui/mouse.h"
#include "ui/prompt.h"
#include "ui/scanner.h"
#include "ui/theme.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

static int app_signal_pipe[2] = { -1, -1 };
static int app_script_mode;	/* keys come from app->script, not the terminal */

static void
app_on_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved = errno;
	ssize_t n;

	n = write(app_signal_pipe[1], &c, 1);
	(void)n;
	errno = saved;
}

static void
app_signals(int install)
{
	static const int sigs[] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = install ? app_on_signal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

void
app_message(struct app *app, int error, const char *fmt, ...)
{
	va_list ap;

	free(app->message);
	va_start(ap, fmt);
	app->message = xvasprintf(fmt, ap);
	va_end(ap);
	app->message_error = error;
	app->dirty |= DIRTY_MESSAGE;
	messages_add(app, app->message, error, time(NULL));
}

struct pane *
app_pane(struct app *app)
{
	return &app->panes[app->cur];
}

void
app_keys_reset(struct app *app)
{
	enum keymap_id chain[2];
	size_t n = 0;

	if (app->detail_open)
		chain[n++] = KEYMAP_DETAIL;
	chain[n++] = app_pane(app)->ops->keymap;
	keymap_input_init(&app->kin, app->kms, chain, n);
	app->key_deadline = 0;
}

int
app_filter_all(const struct pane *p)
{
	const struct pane_filter *f = p->ops->filters;
	int i;

	for (i = 0; f != NULL && f[i].label != NULL; i++)
		if (f[i].status == NULL && !f[i].abnormal && !f[i].low_stock && !f[i].waiting)
			return i;
	return 0;
}

const char *
app_pane_sort(const struct pane *p, int *fifo)
{
	const struct pane_filter *pf = p->ops->filters != NULL ? &p->ops->filters[p->filter] :
	    NULL;

	*fifo = 0;
	if (p->sort != NULL)
		return p->sort;
	if (pf != NULL && pf->status != NULL && p->ops->fifo_status != NULL &&
	    strcmp(pf->status, p->ops->fifo_status) == 0) {
		*fifo = 1;
		return "old";
	}
	return p->ops->sort;
}

void
app_apply_filter(struct app *app, struct pane *p)
{
	int fifo;

	struct list_filter f;
	const struct pane_filter *pf;

	if (p->ops->load != NULL) {
		p->ops->load(p, app);
		p->loaded = 1;
		app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
		return;
	}
	if (p->ops->kind < 0)
		return;
	memset(&f, 0, sizeof f);
	if (p->ops->filters != NULL) {
		pf = &p->ops->filters[p->filter];
		f.status = (char *)pf->status;
		f.abnormal = pf->abnormal;
		f.low_stock = pf->low_stock;
		f.waiting = pf->waiting;
	}
	if (p->ops->kinds != NULL && p->kind > 0)
		f.subkind = (char *)p->ops->kinds[p->kind - 1];
	f.text = p->search;
	f.category = p->category;
	f.sort = (char *)app_pane_sort(p, &fifo);
	f.reverse = p->reverse;
	if (p->drill_label != NULL) {
		f.since = p->drill.since;
		f.until = p->drill.until;
		f.paid = p->drill.paid;
		f.refunded = p->drill.refunded;
		f.repeat = p->drill.repeat;
		f.item = p->drill.item;
		f.reason = p->drill.reason;
		f.sla = p->drill.sla;
		f.sla_now = app_time(app);	/* the Dashboard's clock */
	}
	list_set_filter(&p->list, app->cache, &f);
	p->loaded = 1;
	p->stale = 0;
	p->detail_scroll = 0;
	if (p->list.error != NULL)
		app_message(app, 1, "%s", p->list.error);
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
}

int
app_role(const struct app *app)
{
	return app->me_role != NULL ? role_from_name(app->me_role) : -1;
}

unsigned
app_pane_roles(const struct app *app, int i)
{
	int k = app->panes[i].ops->kind;

	if (i == PANE_CANNED)
		k = KIND_CANNED_REPLY;
	if (k < 0)
		return ~0u;	/* the dashboard, the outbox: everyone's */
	return kind_info((enum sd_kind)k)->readers;
}

int
app_pane_allowed(const struct app *app, int i)
{
	int role = app_role(app);

	return role < 0 || (app_pane_roles(app, i) & (1u << role)) != 0;
}

void
app_drill_clear(struct pane *p)
{
	free(p->drill.item);
	free(p->drill.reason);
	memset(&p->drill, 0, sizeof p->drill);
	free(p->drill_label);
	p->drill_label = NULL;
	p->drill_back = 0;
}

int
app_drill(struct app *app, int i, const struct list_filter *drill, const char *label,
    char **cause)
{
	struct pane *p = &app->panes[i];

	if (!app_pane_allowed(app, i)) {
		*cause = app_pane_refusal(app, i);
		return -1;
	}
	app_set_pane(app, i);
	p->filter = 0;
	p->kind = 0;
	free(p->search);
	p->search = NULL;
	p->drill.since = drill->since;
	p->drill.until = drill->until;
	p->drill.paid = drill->paid;
	p->drill.refunded = drill->refunded;
	p->drill.repeat = drill->repeat;
	p->drill.item = drill->item != NULL ? xstrdup(drill->item) : NULL;
	p->drill.reason = drill->reason != NULL ? xstrdup(drill->reason) : NULL;
	p->drill.sla = drill->sla;
	p->drill_label = xstrdup(label);
	p->drill_back = 1;
	app_apply_filter(app, p);
	app->dirty |= DIRTY_ALL;
	return 0;
}

char *
app_pane_refusal(const struct app *app, int i)
{
	char *roles = action_roles_text(app_pane_roles(app, i)), *s;

	/* TRANSLATORS: a pane ("Chats"), the user's role, the roles that may use it. */
	s = xasprintf(_("%s: not for your role (%s); %s may use it"),
	    _(app->panes[i].ops->title), app->me_role, roles);
	free(roles);
	return s;
}

void
app_set_pane(struct app *app, int i)
{
	struct pane *p = &app->panes[i];
	char *why;

	if (!app_pane_allowed(app, i)) {
		why = app_pane_refusal(app, i);
		app_message(app, 1, "%s", why);
		free(why);
		if (app_pane_allowed(app, app->cur))
			return;
		i = PANE_DASHBOARD;	/* the role changed under a pane it may not use */
		p = &app->panes[i];
	}
	app->cur = i;
	app->detail_open = 0;
	app->help_open = 0;
	if (app->find != NULL)
		find_close(app);
	if (p->drill_label != NULL)
		p->loaded = 0;
	app_drill_clear(p);	/* a pane's own key shows all of it again */
	if (!p->loaded)
		app_apply_filter(app, p);
	else if (p->stale) {
		if (p->ops->load != NULL)
			p->ops->load(p, app);
		else if (p->ops->kind >= 0)
			list_reload(&p->list, app->cache);
		p->stale = 0;
	}
	if (i == PANE_DASHBOARD) {
		char *cause = NULL;

		if (app_read_kpi(app, &cause) != 0) {
			app_message(app, 1, "%s", cause);
			free(cause);
		}
	}
	app_keys_reset(app);
	app->dirty |= DIRTY_ALL;
}

char *
app_user_label(struct app *app, const char *id)
{
	char *json, *label;
	cJSON *u;

	if (id == NULL)
		return xstrdup("-");
	if ((json = cache_get_json(app->cache, KIND_USER, id)) == NULL)
		return xstrdup(id);
	u = cJSON_Parse(json);
	free(json);
	label = u != NULL && json_str(u, "name") != NULL ?
	    xasprintf("%s (%s)", json_str(u, "name"), id) : xstrdup(id);
	cJSON_Delete(u);
	return label;
}

/* --- places: go to an object, and back ------------------------------------- */

static void
app_place_free(struct app_place *pl)
{
	free(pl->search);
	free(pl->sel_id);
	memset(pl, 0, sizeof *pl);
}

void
app_places_free(struct app *app)
{
	while (app->nplaces > 0)
		app_place_free(&app->places[--app->nplaces]);
}

/* Remember the current place; the oldest is forgotten when the stack is full. */
static void
app_push_place(struct app *app)
{
	struct pane *p = app_pane(app);
	const struct list_row *r = p->ops->kind >= 0 ? list_selected(&p->list) : NULL;
	struct app_place *pl;

	if (app->nplaces == APP_PLACES_MAX) {
		app_place_free(&app->places[0]);
		memmove(app->places, app->places + 1, (APP_PLACES_MAX - 1) * sizeof *app->places);
		app->nplaces--;
	}
	pl = &app->places[app->nplaces++];
	pl->pane = app->cur;
	pl->filter = p->filter;
	pl->search = p->search != NULL ? xstrdup(p->search) : NULL;
	pl->sel_id = r != NULL ? xstrdup(r->id) : NULL;
	pl->detail_open = app->detail_open;
}

void
app_go_to(struct app *app, int pane, const char *id, int open_detail)
{
	struct pane *p = &app->panes[pane];
	char *copy;

	if (!app_pane_allowed(app, pane)) {
		app_set_pane(app, pane);	/* says why not */
		return;
	}
	copy = xstrdup(id);	/* id may be a row of a list about to change */
	app_push_place(app);
	free(p->search);
	p->search = copy;
	p->filter = app_filter_all(p);	/* no tab hides it */
	p->loaded = 0;
	app_set_pane(app, pane);	/* not loaded: searches */
	if (open_detail && list_selected(&p->list) != NULL) {
		app->detail_open = 1;
		p->detail_scroll = 0;
		app_keys_reset(app);
	}
	app->dirty |= DIRTY_ALL;
}

int
app_go_back(struct app *app)
{
	struct app_place pl;
	struct pane *p;
	int same;

	if (app->nplaces == 0)
		return -1;
	pl = app->places[--app->nplaces];
	p = &app->panes[pl.pane];
	same = p->filter == pl.filter && ((p->search == NULL && pl.search == NULL) ||
	    (p->search != NULL && pl.search != NULL && strcmp(p->search, pl.search) == 0));
	if (!same) {
		free(p->search);
		p->search = pl.search;
		pl.search = NULL;
		p->filter = pl.filter;
		p->loaded = 0;
	}
	app_set_pane(app, pl.pane);
	if (p->ops->kind >= 0 && pl.sel_id != NULL)
		list_seek_id(&p->list, app->cache, pl.sel_id, APP_SEEK_MAX);
	if (pl.detail_open && list_selected(&p->list) != NULL) {
		app->detail_open = 1;
		app_keys_reset(app);
	}
	app_place_free(&pl);
	app->dirty |= DIRTY_ALL;
	return 0;
}

int
app_offered(struct app *app, int kind)
{
	return kind < 0 || (app->not_offered & (1u << kind)) == 0;
}

char *
app_not_offered(struct app *app, const char *what)
{
	/* TRANSLATORS: what is refused ("Chats"), then the store's software ("medusa"). */
	return xasprintf(_("%s: not offered by this store (%s)"), what,
	    app->backend != NULL ? app->backend : "?");
}

void
app_read_state(struct app *app)
{
	unsigned was = app->not_offered;
	char *cause = NULL;
	int k;

	if (outbox_counts(app->cache, app->outbox, &cause) != 0) {
		log_debug("outbox counts: %s", cause);
		free(cause);
	}
	free(app->me_login);
	free(app->me_role);
	app->me_login = cache_state_get(app->cache, "me.login");
	app->me_role = cache_state_get(app->cache, "me.role");
	free(app->backend);
	app->backend = caps_backend(app->cache);
	app->no_sla = !caps_sla_offered(app->cache);
	app->not_offered = 0;
	for (k = 0; k < KIND__COUNT; k++)
		if (!caps_kind_offered(app->cache, (enum sd_kind)k))
			app->not_offered |= 1u << k;
	app->dirty |= DIRTY_STATUS | DIRTY_TABS;
	if (app->not_offered != was)
		app->dirty |= DIRTY_ALL;
	/* Who we are may have been learnt only now: leave a pane the role may not use. */
	if (app->panes[app->cur].ops != NULL && !app_pane_allowed(app, app->cur)) {
		app->cur = PANE_DASHBOARD;
		app->detail_open = 0;
		app_keys_reset(app);
		app->dirty |= DIRTY_ALL;
	}
}

void
app_reload(struct app *app)
{
	struct pane *p = app_pane(app);
	int i;

	for (i = 0; i < PANE__COUNT; i++)
		if (i != app->cur && app->panes[i].loaded)
			app->panes[i].stale = 1;
	if (p->ops->load != NULL)
		p->ops->load(p, app);
	else if (p->ops->kind >= 0 && p->loaded)
		list_reload(&p->list, app->cache);
	app_read_state(app);
	app->queues_at = 0;	/* counted again */
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
}

void
app_select_created(struct app *app)
{
	struct outbox_entry e;
	struct pane *p;
	char *cause = NULL;
	int rc;

	if (app->created_entry == 0)
		return;
	memset(&e, 0, sizeof e);
	if ((rc = outbox_applied(app->cache, app->created_entry, &e, &cause)) != 1) {
		if (rc < 0) {
			log_debug("created entry: %s", cause);
			free(cause);
			app->created_entry = 0;
		} else if (outbox_get(app->cache, app->created_entry, &e, &cause) == 1) {
			/* Refused (the outbox says why) or in conflict: nothing to follow. */
			if (e.state == OUTBOX_FAILED || e.state == OUTBOX_CONFLICT)
				app->created_entry = 0;
			outbox_entry_done(&e);
		} else {
			free(cause);	/* dropped: gone with its placeholder */
			app->created_entry = 0;
		}
		return;		/* not applied yet */
	}
	p = &app->panes[app->created_pane];
	if (e.object_id != NULL && p->loaded && p->ops->kind >= 0 &&
	    list_seek_id(&p->list, app->cache, e.object_id, 5000) == 1) {
		app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
		if (app->cur == app->created_pane)
			app_message(app, 0, _("%s created and selected"), e.object_id);
	}
	app->created_entry = 0;
	outbox_entry_done(&e);
}

/* The sync thread has news: state for the status line, and what changed. */
static void
app_on_sync(struct app *app)
{
	struct syncer_state s;
	struct pane *p;
	char *cause = NULL;
	int i;

	syncer_state(app->syncer, &s);
	if (s.link != app->sync.link || s.percent != app->sync.percent ||
	    s.indexing != app->sync.indexing)
		app->dirty |= DIRTY_STATUS;
	app->sync = s;
	if (app->scan != NULL)		/* a shipment of its confirmed or refused */
		scan_on_sync(app);
	if (s.changed == 0)
		return;
	for (i = 0; i < PANE__COUNT; i++) {
		p = &app->panes[i];
		if (!p->loaded)
			continue;
		if ((p->ops->kind >= 0 && (s.changed & (1u << p->ops->kind))) ||
		    (p->ops->load != NULL && (s.changed & (1u << KIND__COUNT))) ||
		    (p->ops->kind == KIND_CONVERSATION && (s.changed & (1u << KIND_MESSAGE))))
			p->stale = 1;
	}
	p = app_pane(app);
	/* Scan mode covers the pane: it is read again when scan mode closes. */
	if (p->stale && app->scan == NULL) {
		if (p->ops->load != NULL)
			p->ops->load(p, app);
		else
			list_reload(&p->list, app->cache);
		p->stale = 0;
		app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
	}
	if (app->cur == PANE_DASHBOARD && app->scan == NULL) {
		if (app_read_kpi(app, &cause) != 0)
			free(cause);
		app->dirty |= DIRTY_PANE;
	}
	app_read_state(app);
	app_select_created(app);
	if (s.changed & (1u << KIND_MESSAGE | 1u << KIND_CONVERSATION)) {
		agent_on_messages(app);
		app->queues_at = 0;
		app->dirty |= DIRTY_TITLE;
	}
}

/* --- the prompt ------------------------------------------------------------- */

static void
app_prompt_done(void *arg, const char *line)
{
	struct app *app = arg;
	char *cause = NULL;
	char *copy = xstrdup(line);

	input_keypad(stdscr, 1);
	app->dirty |= DIRTY_MESSAGE;
	free(app->message);
	app->message = NULL;
	if (ui_command_run(app->commands, app, copy, &cause) != 0 && cause != NULL) {
		app_message(app, 1, "%s", cause);
		free(cause);
	}
	free(copy);
}

static void
app_prompt_cancel(void *arg)
{
	struct app *app = arg;

	app->dirty |= DIRTY_MESSAGE;
}

static const struct prompt_ops app_command_ops = {
	.on_done = app_prompt_done,
	.on_cancel = app_prompt_cancel,
	.on_change = NULL,
	.complete = commands_complete,
};

void
app_prompt_command(struct app *app, const char *initial)
{
	free(app->message);
	app->message = NULL;
	prompt_open(PROMPT_COMMAND, initial, &app_command_ops, app);
	app->dirty |= DIRTY_MESSAGE;
}

static int app_input_waiting(void *);

/* The list of a search line changed by keys typed ahead, read now. */
static void
app_search_flush(struct app *app)
{
	if (!app->search_due)
		return;
	app->search_due = 0;
	app_apply_filter(app, &app->panes[app->search_pane]);
}

/*
 * Every edit of the search line filters the list again -- unless the next
 * key is already waiting: a fast typist's list is read once, for the text
 * when the keys stop (app_run() flushes it before the frame).
 */
static void
app_search_change(void *arg, const char *line)
{
	struct app *app = arg;
	struct pane *p = &app->panes[app->search_pane];

	if ((p->search == NULL && *line == '\0') ||
	    (p->search != NULL && strcmp(p->search, line) == 0)) {
		app_search_flush(app);
		return;
	}
	free(p->search);
	p->search = *line != '\0' ? xstrdup(line) : NULL;
	if (!app_script_mode && prompt_active() && app_input_waiting(NULL)) {
		app->search_due = 1;
		return;
	}
	app->search_due = 0;
	app_apply_filter(app, p);
}

static void
app_search_done(void *arg, const char *line)
{
	struct app *app = arg;
	struct pane *p = &app->panes[app->search_pane];

	app_search_change(arg, line);
	free(app->search_before);
	app->search_before = NULL;
	/* The count may come a moment later, in the title. */
	if (p->search != NULL && p->list.n == 0 && p->filter != app_filter_all(p) &&
	    p->ops->kind >= 0) {
		/* Nothing in this tab: say what the others hold. */
		struct query q;
		char *cause = NULL;
		long n;

		memset(&q, 0, sizeof q);
		q.kind = (enum sd_kind)p->ops->kind;
		q.text = p->search;
		n = cache_query_count_max(app->cache, &q, 1000, app_input_waiting, NULL, &cause);
		free(cause);
		if (n > 0)
			app_message(app, 0, _("no match in this tab; %s%ld in all (0 shows all)"),
			    n > 1000 ? "> " : "", n > 1000 ? 1000L : n);
		else
			app_message(app, 0, _("%ld rows match /%s  (n/N next/previous, Backspace clears)"),
			    0L, p->search);
	} else if (p->search != NULL && p->list.total >= 0)
		app_message(app, 0, _("%ld rows match /%s  (n/N next/previous, Backspace clears)"),
		    p->list.total, p->search);
	else if (p->search != NULL)
		app_message(app, 0, _("/%s  (n/N next/previous, Backspace clears)"), p->search);
	app->dirty |= DIRTY_MESSAGE;
}

static void
app_search_cancel(void *arg)
{
	struct app *app = arg;
	char *before = app->search_before;

	app->search_before = NULL;
	app_search_change(arg, before != NULL ? before : "");
	free(before);
	app->dirty |= DIRTY_MESSAGE;
}

static const struct prompt_ops app_search_ops = {
	.on_done = app_search_done,
	.on_cancel = app_search_cancel,
	.on_change = app_search_change,
	.complete = NULL,
};

void
app_prompt_search(struct app *app)
{
	struct pane *p = app_pane(app);

	free(app->search_before);
	app->search_before = p->search != NULL ? xstrdup(p->search) : NULL;
	app->search_pane = app->cur;
	free(app->message);
	app->message = NULL;
	prompt_open(PROMPT_SEARCH, p->search, &app_search_ops, app);
	app->dirty |= DIRTY_MESSAGE;
}

/* --- keys ------------------------------------------------------------------- */

static void
app_run_binding(struct app *app, const char *command)
{
	char *cause = NULL;

	if (command == NULL)
		return;		/* bound to none */
	if (!commands_role_allows(app, command, &cause)) {
		/* A key of an action or pane not for the role: said, no prompt opened. */
		app_message(app, 1, "%s", cause);
		free(cause);
		return;
	}
	if (ui_command_run(app->commands, app, command, &cause) != 0 && cause != NULL) {
		app_message(app, 1, "%s", cause);
		free(cause);
	}
}

void
app_form_close(struct app *app)
{
	if (app->form == NULL)
		return;
	form_free(&app->form);
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
}

/* A key while a form is open (ui/form.h): always taken. */
static int
app_form_key(struct app *app, struct key k)
{
	if (!form_key(app->form, k)) {
		if (!app->form->queued)
			app_message(app, 0, "%s", _("the form is closed: nothing was queued"));
		app_form_close(app);
	}
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
	return 1;
}

static void
app_key(struct app *app, struct key k)
{
	struct keymap_result r;
	char name[KEY_STRING_MAX];
	struct key feed;
	int guard = 0, n;

	if (KEY_IS_MOUSE(k) && app->form != NULL)
		return;		/* the form is keys only: a click would leave it behind */
	if (KEY_IS_MOUSE(k)) {
		/* What it does, then the keys it stands for (Enter, arrows). */
		n = mouse_event(app, k, &feed);
		while (n-- > 0 && !app->quit)
			app_key(app, feed);
		return;
	}
	if (prompt_active()) {
		prompt_feed(&k);
		app->dirty |= DIRTY_MESSAGE;
		return;
	}
	if (app->confirm != NULL && confirm_key(app, k))
		return;
	if (app->form != NULL && app_form_key(app, k))
		return;
	if (app->catpick != NULL && catpick_key(app, k))
		return;
	if (messages_shown(app) && messages_key(app, k))
		return;
	if (app->find != NULL && !app->help_open && find_key(app, k))
		return;
	if (app->scan != NULL && !app->help_open && scan_key(app, k))
		return;
	if (app->help_open && help_key(app, k))
		return;
	if (app->message != NULL && !app->message_error) {
		free(app->message);
		app->message = NULL;
		app->dirty |= DIRTY_MESSAGE;
	}
	do {
		r = keymap_input_feed(&app->kin, k);
		switch (r.status) {
		case KEYMAP_MATCH:
			app->key_deadline = 0;
			app_run_binding(app, r.command);
			break;
		case KEYMAP_PREFIX:
			app->key_deadline = time_mono_ms() + KEYMAP_TIMEOUT_MS;
			app->dirty |= DIRTY_MESSAGE;
			break;
		case KEYMAP_NONE:
			app->key_deadline = 0;
			if (!r.again) {
				key_to_string(k, name, sizeof name);
				app_message(app, 1, _("%s is not bound here (? lists the keys)"),
				    name);
			}
			break;
		}
		if (app->quit)
			return;
	} while (r.again && ++guard < KEY_SEQ_MAX + 1);
	app->dirty |= DIRTY_MESSAGE;
}

/* --- drawing ---------------------------------------------------------------- */

static void
app_draw_detail(struct app *app, WINDOW *win)
{
	struct pane *p = app_pane(app);
	const struct list_row *r = list_selected(&p->list);
	struct detail d;
	cJSON *obj = NULL;
	char *json = NULL;

	detail_init(&d, win, p->detail_scroll);
	d.match = p->search;
	if (r == NULL) {
		detail_end(&d);
		wnoutrefresh(win);
		return;
	}
	if (p->ops->kind >= 0)
		json = cache_get_json(app->cache, (enum sd_kind)p->ops->kind, r->id);
	obj = cJSON_Parse(json != NULL ? json : r->json);
	free(json);
	if (obj != NULL) {
		if (p->ops->kind >= 0 && (p->list.reveal_id == NULL ||
		    strcmp(p->list.reveal_id, r->id) != 0))
			model_mask_object((enum sd_kind)p->ops->kind, obj);
		if (r->pending > 0)
			detail_text(&d, theme_attr(TH_PENDING), _("* an action of yours is pending "
			    "(not yet applied by the store; 7: outbox)"));
		if (p->ops->draw_detail != NULL)
			p->ops->draw_detail(p, app, &d, obj);
		else
			detail_object(&d, obj);
		cJSON_Delete(obj);
	}
	detail_end(&d);
	wnoutrefresh(win);
}

static void
app_repaint(struct app *app)
{
	struct layout *lay = &app->lay;
	struct pane *p = app_pane(app);
	char *preview, *which = NULL;
	int pending;

	if (app->dirty & DIRTY_LAYOUT) {
		layout_make(app);
		app->dirty |= DIRTY_ALL;
		/* What was on the screen is unknown after a resize: clear it once. */
		wnoutrefresh(stdscr);
	}
	if (app->dirty & DIRTY_CLEAR) {
		clearok(curscr, TRUE);
	}
	/* Sending a canned reply: its text over the pane's last line, while typed. */
	preview = prompt_active() ? commands_preview(app, prompt_line(), &which) : NULL;
	if (preview == NULL && app->preview_shown) {
		app->preview_shown = 0;
		app->dirty |= DIRTY_PANE | DIRTY_DETAIL;
		if (lay->list != NULL)
			touchwin(lay->list);
		if (lay->detail != NULL)
			touchwin(lay->detail);
	}
	if (app->dirty & DIRTY_TABS)
		layout_draw_tabs(app);
	if (app->dirty & DIRTY_TITLE)
		layout_draw_title(app);
	if ((app->dirty & (DIRTY_PANE | DIRTY_DETAIL)) && lay->list != NULL) {
		if (app->confirm != NULL || messages_shown(app)) {
			if (app->confirm != NULL)
				confirm_draw(app, lay->list);
			else
				messages_draw(app, lay->list);
			if (lay->split && lay->detail != NULL) {
				werase(lay->detail);
				wnoutrefresh(lay->detail);
			}
		} else if (app->catpick != NULL) {
			catpick_draw(app, lay->list);
			if (lay->split && lay->detail != NULL) {
				werase(lay->detail);
				wnoutrefresh(lay->detail);
			}
		} else if (app->form != NULL) {
			form_draw(app->form, lay->list);
			if (lay->split && lay->detail != NULL) {
				werase(lay->detail);
				wnoutrefresh(lay->detail);
			}
		} else if (app->find != NULL && !app->help_open) {
			find_draw(app, lay->list);
			if (lay->split && lay->detail != NULL) {
				werase(lay->detail);
				wnoutrefresh(lay->detail);
			}
		} else if (app->scan != NULL && !app->help_open) {
			scan_draw(app, lay->list);
			if (lay->split && lay->detail != NULL) {
				werase(lay->detail);
				wnoutrefresh(lay->detail);
			}
		} else if (app->help_open) {
			help_draw(app, lay->list);
			if (lay->split && lay->detail != NULL) {
				werase(lay->detail);
				wnoutrefresh(lay->detail);
			}
		} else if (p->ops->draw != NULL || !app_offered(app, p->ops->kind)) {
			if (app->dirty & DIRTY_PANE) {
				if (lay->split) {
					werase(lay->detail);
					wnoutrefresh(lay->detail);
				}
				if (p->ops->draw != NULL)
					p->ops->draw(p, app, lay->list);
				else
					layout_draw_not_offered(app, lay->list);
				wnoutrefresh(lay->list);
			}
		} else if (app->detail_open && !lay->split) {
			if (lay->detail != NULL)
				app_draw_detail(app, lay->detail);
		} else {
			if (app->dirty & DIRTY_PANE) {
				pending = list_draw(&p->list, lay->list, app->now, 1);
				(void)pending;
				wnoutrefresh(lay->list);
			}
			if (lay->split && lay->detail != NULL && (app->dirty & DIRTY_DETAIL))
				app_draw_detail(app, lay->detail);
		}
		/* The title shows the position. */
		layout_draw_title(app);
	}
	if (app->dirty & DIRTY_STATUS)
		layout_draw_status(app);
	if (preview != NULL) {
		layout_draw_preview(app, which, preview);
		app->preview_shown = 1;
	}
	free(preview);
	free(which);
	/* The cursor is the prompt's; otherwise curses need not move it at all. */
	if (lay->message != NULL)
		leaveok(lay->message, prompt_active() ? FALSE : TRUE);
	/* Several completions: listed over the status line until the next key. */
	if (prompt_active() && prompt_candidates() != NULL) {
		layout_draw_candidates(app, prompt_candidates());
		app->candidates_shown = 1;
	} else if (app->candidates_shown) {
		app->candidates_shown = 0;
		layout_draw_status(app);
	}
	if (prompt_active() && lay->message != NULL) {
		if ((app->dirty & DIRTY_MESSAGE) || prompt_dirty()) {
			prompt_draw(lay->message);
			wnoutrefresh(lay->message);
		}
		curs_set(1);
	} else {
		if (app->dirty & DIRTY_MESSAGE)
			layout_draw_message(app);
		curs_set(0);
	}
	if (app->dirty & DIRTY_CLEAR)
		clearok(curscr, FALSE);
	doupdate();
	/* A detail drawn now needs no later drawing; else it is due when settled. */
	if (app->dirty & DIRTY_DETAIL)
		app->detail_at = 0;
	else if (app->dirty & DIRTY_DETAIL_SOON)
		app->detail_at = time_mono_ms() + APP_DETAIL_SETTLE_MS;
	app->dirty = 0;
}

/* The terminal's size changed: tell curses, make the windows again. */
static void
app_resize(struct app *app)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	keymap_input_reset(&app->kin);
	app->dirty |= DIRTY_LAYOUT | DIRTY_ALL;
}

int
app_read_kpi(struct app *app, char **cause)
{
	char *why = NULL;

	/* The store's zone may have come with the last sync (clock.h). */
	if (clock_apply(app->cache, app->conf != NULL ? app->conf->timezone : NULL, &why) != 0) {
		log_debug("clock: %s", why);
		free(why);
		why = NULL;
	}
	if (kpi_read(app->cache, app_time(app), &app->kpi, cause) != 0)
		return -1;
	/* The user's own figures: once a sync has said who the token's user is. */
	kpi_agent_done(&app->me_kpi);
	if (app->me_login != NULL &&
	    kpi_agent_read(app->cache, app->me_login, app_time(app), &app->me_kpi, &why) != 0) {
		log_debug("agent figures: %s", why);
		free(why);
	}
	return 0;
}

time_t
app_time(const struct app *app)
{
	return app->clock_fixed != 0 ? app->clock_fixed : time(NULL);
}

static void app_tick(struct app *);

void
app_set_clock(struct app *app, time_t t)
{
	char *cause = NULL;

	app->clock_fixed = t;
	app_tick(app);
	if (app->cur == PANE_DASHBOARD && app_read_kpi(app, &cause) != 0)
		free(cause);
	app->dirty |= DIRTY_ALL;
}

/* The one-second tick: clocks and alerts. */
static void
app_tick(struct app *app)
{
	struct kpi k;
	char *cause = NULL;

	app->now = app_time(app);
	k = app->kpi;
	if (kpi_read_alerts(app->cache, app->now, &k, &cause) == 0) {
		if (k.chats_waiting_long != app->kpi.chats_waiting_long ||
		    k.tickets_warning != app->kpi.tickets_warning ||
		    k.tickets_breached != app->kpi.tickets_breached ||
		    k.oldest_wait != app->kpi.oldest_wait)
			app->dirty |= DIRTY_STATUS;
		app->kpi = k;
	} else
		free(cause);
	if (app_pane(app)->ops->ticks)
		app->dirty |= DIRTY_PANE | (app->lay.split ? DIRTY_DETAIL : 0);
	if (app->cur == PANE_CHATS)
		app->dirty |= DIRTY_TITLE;	/* the queues' longest waits */
}

static void
app_on_signal_byte(struct app *app, int sig)
{
	switch (sig) {
	case SIGWINCH:
		app_resize(app);
		break;
	case SIGINT:
		if (prompt_active()) {
			struct key esc = { KEYC_ESC, 0 };

			prompt_feed(&esc);
			app->dirty |= DIRTY_MESSAGE;
		} else
			app->quit = 1;
		break;
	default:
		app->quit = 1;		/* SIGTERM, SIGHUP */
		break;
	}
}


/*
 * --- benchmark hooks (make bench; not documented) ----------------------------
 *
 * SHOPDESK_BENCH=FILE: after each key is handled, paint at once (one frame
 * per key) and note in FILE "key kind micros bytes rowbytes sel top pane":
 * the time from the key being readable to the frame sent (doupdate), and the
 * bytes that frame wrote to the terminal. To count those, fd 1 (where curses
 * writes) becomes a pipe that is drained into the real terminal after every
 * frame. The first line is the first frame, timed from SHOPDESK_BENCH_T0
 * (nanoseconds of CLOCK_REALTIME taken before exec); the last is the peak
 * RSS. A frame on the Dashboard that shows a new count of today's paid
 * orders (a sync brought them) adds "kpi-paid paid N MICROS", MICROS the
 * CLOCK_REALTIME microseconds when it was sent. Without the variable none
 * of this runs.
 */
static struct {
	FILE		*f;
	int		 tty;		/* the terminal, saved from fd 1 */
	int		 rd;		/* the pipe's read end */
	int		 first;		/* the first frame was noted */
	unsigned long	 other_frames;	/* frames not caused by a key */
	unsigned long long other_bytes;
	long		 paid;		/* today's paid orders in the last frame */
} app_bench = { NULL, -1, -1, 0, 0, 0, 0 };

static void
app_bench_start(void)
{
	const char *path = getenv("SHOPDESK_BENCH");
	int p[2];

	if (path == NULL || *path == '\0')
		return;
	app_bench.first = 0;	/* a driver may run the console again (bench-dash.c) */
	app_bench.other_frames = app_bench.other_bytes = 0;
	if ((app_bench.f = fopen(path, "w")) == NULL)
		return;
	setvbuf(app_bench.f, NULL, _IOLBF, 0);	/* the harness waits per line */
	if (pipe(p) != 0 || (app_bench.tty = dup(STDOUT_FILENO)) < 0) {
		fclose(app_bench.f);
		app_bench.f = NULL;
		return;
	}
#ifdef F_SETPIPE_SZ
	fcntl(p[1], F_SETPIPE_SZ, 1 << 20);	/* a whole frame fits */
#endif
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
	fflush(stdout);
	dup2(p[1], STDOUT_FILENO);
	close(p[1]);
	app_bench.rd = p[0];
}

/* Pass what the last frame wrote on to the terminal; its size in bytes. */
static unsigned long
app_bench_drain(void)
{
	char buf[16384];
	unsigned long total = 0;
	ssize_t got, w, off;

	while ((got = read(app_bench.rd, buf, sizeof buf)) > 0) {
		total += (unsigned long)got;
		for (off = 0; off < got; off += w)
			if ((w = write(app_bench.tty, buf + off, (size_t)(got - off))) <= 0) {
				if (w < 0 && errno == EINTR) {
					w = 0;
					continue;
				}
				return total;
			}
	}
	return total;
}

/* Bytes of the list's selected line as the terminal shows it (UTF-8). */
static int
app_bench_row_bytes(struct app *app)
{
	struct pane *p = app_pane(app);
	WINDOW *win = app->lay.list;
	wchar_t w[1024];
	char mb[MB_LEN_MAX];
	mbstate_t st;
	int y, x, row, n, i, len = 0;
	size_t k;

	if (win == NULL || p->list.n == 0)
		return 0;
	row = (int)(p->list.sel - p->list.top) + 1;	/* below the header */
	getyx(win, y, x);
	n = mvwinnwstr(win, row, 0, w, (int)(sizeof w / sizeof w[0]) - 1);
	wmove(win, y, x);
	if (n == ERR)
		return 0;
	memset(&st, 0, sizeof st);
	for (i = 0; w[i] != L'\0'; i++)
		if ((k = wcrtomb(mb, w[i], &st)) != (size_t)-1)
			len += (int)k;
	return len;
}

/* A frame was sent: note it (k: the key that caused it, else NULL). */
static void
app_bench_frame(struct app *app, const struct key *k, int search, uint64_t t0)
{
	struct pane *p;
	char name[KEY_STRING_MAX];
	unsigned long bytes;
	const char *s;
	struct timespec ts;
	long long start, now;

	if (app_bench.f == NULL)
		return;
	bytes = app_bench_drain();
	p = app_pane(app);
	if (!app_bench.first) {
		app_bench.first = 1;
		clock_gettime(CLOCK_REALTIME, &ts);
		now = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
		start = (s = getenv("SHOPDESK_BENCH_T0")) != NULL ? atoll(s) : 0;
		app_bench.paid = app->kpi.day[0].paid;
		fprintf(app_bench.f, "first-frame frame %lld %lu %d %ld %ld %d\n",
		    start > 0 ? (now - start) / 1000 : -1LL, bytes,
		    app_bench_row_bytes(app), p->list.base + p->list.sel,
		    p->list.base + p->list.top, app->cur);
		return;
	}
	if (k == NULL) {
		app_bench.other_frames++;
		app_bench.other_bytes += bytes;
		/* A sync changed today's paid orders: when the frame showed it. */
		if (app->cur == PANE_DASHBOARD && app->kpi.day[0].paid != app_bench.paid) {
			clock_gettime(CLOCK_REALTIME, &ts);
			fprintf(app_bench.f, "kpi-paid paid %ld %lld 0 0 0 0\n",
			    app->kpi.day[0].paid, (long long)ts.tv_sec * 1000000LL +
			    ts.tv_nsec / 1000);
		}
		app_bench.paid = app->kpi.day[0].paid;
		return;
	}
	key_to_string(*k, name, sizeof name);
	fprintf(app_bench.f, "%s %s %llu %lu %d %ld %ld %d\n", name,
	    search ? "search" : "key", (unsigned long long)(time_mono_us() - t0),
	    bytes, app_bench_row_bytes(app), p->list.base + p->list.sel,
	    p->list.base + p->list.top, app->cur);
}

static void
app_bench_end(void)
{
	struct rusage ru;

	if (app_bench.f == NULL)
		return;
	app_bench.other_bytes += app_bench_drain();
	dup2(app_bench.tty, STDOUT_FILENO);	/* endwin() talks to the terminal */
	close(app_bench.tty);
	close(app_bench.rd);
	getrusage(RUSAGE_SELF, &ru);
	fprintf(app_bench.f, "other-frames frames %lu %llu 0 0 0 0\n",
	    app_bench.other_frames, app_bench.other_bytes);
	fprintf(app_bench.f, "peak-rss kb %ld 0 0 0 0 0\n", ru.ru_maxrss);
	fclose(app_bench.f);
	app_bench.f = NULL;
}
/*
 * Script mode (SHOPDESK_SCRIPT, tests): the next line's keys, each handled
 * and drawn in turn, as if typed after the screen had settled; the end of
 * the script, or a bad line, quits.
 */
static void
app_script_step(struct app *app)
{
	struct key *keys = NULL;
	char *cause = NULL, *dump = NULL;
	long n, i;

	if (app->detail_at != 0) {	/* nothing is left to settle */
		app->detail_at = 0;
		app->dirty |= DIRTY_DETAIL;
		return;
	}
	if ((n = script_next(app->script, &keys, &dump, &cause)) == 0 && dump != NULL) {
		free(app->dump_path);
		app->dump_path = dump;	/* taken by the loop, the screen as it is */
		return;
	}
	if (n <= 0) {
		app->script_error = cause;
		app->quit = 1;
		return;
	}
	for (i = 0; i < n && !app->quit; i++) {
		app_key(app, keys[i]);
		if (app->dirty)
			app_repaint(app);
	}
	free(keys);
}

/* A key or a signal is waiting: idle work stops for it. */
static int
app_input_waiting(void *arg)
{
	struct pollfd pfd[2];

	(void)arg;
	pfd[0].fd = app_script_mode ? -1 : STDIN_FILENO;	/* poll() skips -1 */
	pfd[1].fd = app_signal_pipe[0];
	pfd[0].events = pfd[1].events = POLLIN;
	return poll(pfd, 2, 0) > 0;
}

int
app_run(struct app *app)
{
	struct pollfd pfd[3];
	struct key k;
	unsigned char sigs[16];
	uint64_t now_ms, t_key, recount_at;
	struct list *l;
	time_t last_tick = 0;
	int search;
	int timeout, n, i, rc, nfds;
	ssize_t got;

	if (pipe(app_signal_pipe) != 0)
		return 1;
	app_script_mode = app->script != NULL;
	for (i = 0; i < 2; i++) {
		fcntl(app_signal_pipe[i], F_SETFL, fcntl(app_signal_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(app_signal_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	app_signals(1);
	input_init(stdscr);
	if (app->conf->mouse)
		mouse_enable(1);
	app->now = app_time(app);
	app->dirty = DIRTY_LAYOUT | DIRTY_ALL;
	app_read_state(app);
	app_tick(app);
	app_set_pane(app, app->cur);
	agent_on_messages(app);		/* what is already there rings no bell */
	app_bench_start();

	while (!app->quit) {
		if (app->dirty) {
			app_repaint(app);
			app_bench_frame(app, NULL, 0, 0);
		}
		if (app->dump_path != NULL) {
			char *cause = NULL;

			if (script_dump_screen(app->dump_path, &cause) != 0) {
				app_message(app, 1, "%s", cause);
				free(cause);
			}
			free(app->dump_path);
			app->dump_path = NULL;
		}
		now_ms = time_mono_ms();
		/*
		 * Idle: count the list's rows for the title, unless a key comes. A
		 * new filter is counted at once; a recount after the sync changed
		 * the list waits for the keys to rest, since counting a million
		 * rows also pushes the pages being browsed out of SQLite's cache.
		 */
		l = &app_pane(app)->list;
		recount_at = l->count_due && l->total >= 0 ? app->last_key_ms +
		    APP_RECOUNT_QUIET_MS : 0;
		if (l->count_due && now_ms >= recount_at &&
		    list_count_idle(l, app->cache, app_input_waiting, NULL) > 0) {
			app->dirty |= DIRTY_TITLE;
			continue;
		}
		if (!app_script_mode && app->detail_at != 0 && now_ms >= app->detail_at &&
		    !app_input_waiting(NULL)) {
			app->detail_at = 0;
			app->dirty |= DIRTY_DETAIL;
			continue;
		}
		timeout = (int)(1000 - (now_ms % 1000));
		if (app->key_deadline != 0) {
			int left = app->key_deadline > now_ms ? (int)(app->key_deadline - now_ms) : 0;

			if (left < timeout)
				timeout = left;
		}
		if (app->detail_at != 0) {
			int left = app->detail_at > now_ms ? (int)(app->detail_at - now_ms) : 0;

			if (left < timeout)
				timeout = left;
		}
		if (recount_at > now_ms && (int)(recount_at - now_ms) < timeout)
			timeout = (int)(recount_at - now_ms);
		if (app_script_mode)
			timeout = 0;	/* the script's next line is due now */
		nfds = 0;
		pfd[nfds].fd = app_script_mode ? -1 : STDIN_FILENO;
		pfd[nfds++].events = POLLIN;
		pfd[nfds].fd = app_signal_pipe[0];
		pfd[nfds++].events = POLLIN;
		if (app->syncer != NULL) {
			pfd[nfds].fd = syncer_fd(app->syncer);
			pfd[nfds++].events = POLLIN;
		}
		n = poll(pfd, (nfds_t)nfds, timeout);
		if (n < 0 && errno != EINTR)
			break;
		t_key = time_mono_us();		/* a key's wait starts here */

		if (n > 0 && (pfd[1].revents & POLLIN)) {
			while ((got = read(app_signal_pipe[0], sigs, sizeof sigs)) > 0)
				for (i = 0; i < got; i++)
					app_on_signal_byte(app, sigs[i]);
		}
		if (n > 0 && app->syncer != NULL && (pfd[2].revents & POLLIN))
			app_on_sync(app);
		if (n > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) &&
		    !(pfd[0].revents & POLLIN))
			app->quit = 1;	/* the terminal is gone (an SSH link dropped) */
		if (n > 0 && (pfd[0].revents & POLLIN)) {
			while (!app->quit && (rc = input_read(stdscr, &k)) != 0) {
				if (rc < 0) {
					/* resizeterm() queues KEY_RESIZE: the size is known. */
					app->dirty |= DIRTY_LAYOUT | DIRTY_ALL;
				} else {
					search = prompt_active();
					app->last_key_ms = time_mono_ms();
					app_key(app, k);
					if (app_bench.f != NULL && !app->quit) {
						/* Benchmark: one frame per key. */
						search |= prompt_active();
						app_search_flush(app);
						if (app->dirty)
							app_repaint(app);
						app_bench_frame(app, &k, search, t_key);
					}
				}
				t_key = time_mono_us();
			}
			app_search_flush(app);
		}
		now_ms = time_mono_ms();
		if (app->key_deadline != 0 && now_ms >= app->key_deadline) {
			struct keymap_result r = keymap_input_timeout(&app->kin);

			app->key_deadline = 0;
			if (r.status == KEYMAP_MATCH)
				app_run_binding(app, r.command);
			app->dirty |= DIRTY_MESSAGE;
		}
		if (time(NULL) != last_tick) {
			last_tick = time(NULL);
			app_tick(app);
		}
		/* A script's next line once the last one's frame is drawn. */
		if (app_script_mode && !app->dirty && !app->quit)
			app_script_step(app);
	}
	app_bench_end();
	app_signals(0);
	close(app_signal_pipe[0]);
	close(app_signal_pipe[1]);
	app_signal_pipe[0] = app_signal_pipe[1] = -1;
	return 0;
}
