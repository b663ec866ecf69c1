/*
 * agent.c -- the agent's day between panes (see agent.h).
 *
 * Going to an object is app_go_to(): its pane searches for its id (the
 * exact match is listed first) and opens its detail; go-back pops the
 * place it left. The chat commands read the cache as the Chats pane does:
 * "waiting" is a customer whose last message has no answer yet
 * (waiting_since), "mine" a conversation whose assignee is the agent's user
 * id (me.id, from GET /v1/me).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "action.h"
#include "cache-query.h"
#include "model.h"
#include "ui/agent.h"
#include "ui/app.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define AGENT_MINE_MAX	50	/* the agent's active chats cycled through */

static const char *const agent_queues[] = AGENT_QUEUES;
#define AGENT_NQUEUES	(sizeof agent_queues / sizeof agent_queues[0])

int
agent_chat_clock(const cJSON *conv, time_t now, struct agent_clock *c)
{
	const char *since = json_str(conv, "waiting_since"), *status = json_str(conv, "status");
	time_t t;

	if (since == NULL || time_parse_rfc3339(since, &t) != 0)
		return 0;
	c->first = status != NULL && strcmp(status, "new") == 0;
	c->due = c->first ? AGENT_FIRST_RESPONSE_S : AGENT_REPLY_S;
	c->age = (long)(now - t);
	c->level = c->age >= c->due ? 2 : c->age >= c->due * 2 / 3 ? 1 : 0;
	return 1;
}

/* The selected object of the current pane, parsed (caller deletes), or NULL. */
static cJSON *
agent_selected(struct app *app, enum sd_kind *kind)
{
	struct pane *p = app_pane(app);
	const struct list_row *r;

	if (p->ops->kind < 0 || (r = list_selected(&p->list)) == NULL)
		return NULL;
	*kind = (enum sd_kind)p->ops->kind;
	return cJSON_Parse(r->json);
}

/* Rows of q, counted (up to 2: one or several is all that matters). */
static long
agent_count(struct app *app, struct query *q, char **cause)
{
	return cache_query_count_max(app->cache, q, 1, NULL, NULL, cause);
}

struct agent_first {
	char		*id;
	char		*json;
};

static int
agent_first_row(void *arg, const char *json)
{
	struct agent_first *f = arg;
	cJSON *o = cJSON_Parse(json);

	if (o != NULL && json_str(o, "id") != NULL) {
		f->id = xstrdup(json_str(o, "id"));
		f->json = xstrdup(json);
	}
	cJSON_Delete(o);
	return 1;
}

/* The first row of q: its id (caller frees), or NULL. */
static char *
agent_first(struct app *app, struct query *q, char **json)
{
	struct agent_first f = { NULL, NULL };
	char *next = NULL, *cause = NULL;

	q->limit = 1;
	if (cache_query(app->cache, q, agent_first_row, &f, &next, &cause) != 0)
		free(cause);
	free(next);
	if (json != NULL)
		*json = f.json;
	else
		free(f.json);
	return f.id;
}

/*
 * Go to the objects of kind (in pane) related to the selection (kind k,
 * id): itself when it is one, else those about its order, else the
 * customer's -- when the order has none too with fallback. 0, or -1 with
 * *cause.
 */
static int
agent_go_related(struct app *app, enum sd_kind kind, int pane, enum sd_kind k, const char *id,
    const char *order, const char *customer, int fallback, char **cause)
{
	struct query q;
	const char *by;
	long n = 0;

	if (!app_offered(app, kind)) {
		*cause = app_not_offered(app, _(app->panes[pane].ops->title));
		return -1;
	}
	if (k == kind) {
		app_go_to(app, pane, id, 1);
		return 0;
	}
	memset(&q, 0, sizeof q);
	q.kind = kind;
	q.order_id = k != KIND_CUSTOMER ? order : NULL;
	if (q.order_id == NULL || (fallback && (n = agent_count(app, &q, cause)) == 0)) {
		q.order_id = NULL;
		q.customer_id = customer;
	}
	if ((by = q.order_id != NULL ? q.order_id : q.customer_id) == NULL) {
		*cause = xasprintf(_("%s names no order or customer"), id);
		return -1;
	}
	if (n < 0 || (n = agent_count(app, &q, cause)) < 0)
		return -1;
	if (n == 0) {
		*cause = kind == KIND_TICKET ?
		    xasprintf(_("%s has no after-sales ticket (+ starts one)"), by) :
		    xasprintf(_("%s has no chat"), by);
		return -1;
	}
	app_go_to(app, pane, by, n == 1);
	return 0;
}

/*
 * go-order, go-customer, go-ticket, go-chat: the object the selection names.
 * From a customer, its orders or tickets are listed (searching its id);
 * from an order, its after-sales tickets.
 */
int
agent_cmd_go(void *arg, int argc, char **argv, char **cause)
{
	struct app *app = arg;
	enum sd_kind k = KIND__COUNT;
	cJSON *o;
	const char *id, *order, *customer, *what = argv[0] + 3;
	int rc = -1;

	(void)argc;
	if ((o = agent_selected(app, &k)) == NULL) {
		*cause = xstrdup(_("select a row first"));
		return -1;
	}
	id = json_str(o, "id");
	order = k == KIND_ORDER ? id : json_str(o, "order_id");
	customer = k == KIND_CUSTOMER ? id : json_str(o, "customer_id");
	if (strcmp(what, "order") == 0) {
		if (k == KIND_CUSTOMER)
			app_go_to(app, PANE_ORDERS, id, 0);
		else if (order == NULL) {
			*cause = xasprintf(_("%s is about no order"), id);
			goto out;
		} else
			app_go_to(app, PANE_ORDERS, order, 1);
	} else if (strcmp(what, "customer") == 0) {
		if (customer == NULL) {
			*cause = xasprintf(_("%s names no customer"), id);
			goto out;
		}
		app_go_to(app, PANE_CUSTOMERS, customer, 1);
	} else if (strcmp(what, "chat") == 0) {
		/* The chats about the order, else (none) the customer's. */
		if (agent_go_related(app, KIND_CONVERSATION, PANE_CHATS, k, id, order, customer,
		    1, cause) != 0)
			goto out;
	} else {
		/* The order's tickets; from a chat about no order, the customer's. */
		if (agent_go_related(app, KIND_TICKET, PANE_TICKETS, k, id, order, customer, 0,
		    cause) != 0)
			goto out;
	}
	rc = 0;
out:
	cJSON_Delete(o);
	return rc;
}

int
agent_cmd_back(void *arg, int argc, char **argv, char **cause)
{
	(void)argc; (void)argv;
	if (app_go_back(arg) != 0) {
		*cause = xstrdup(_("nowhere to go back to"));
		return -1;
	}
	return 0;
}

/* Whether the agent's user serves queue (a user without queues serves all). */
static int
agent_serves(const cJSON *me, const char *queue)
{
	const cJSON *qs = me != NULL ? cJSON_GetObjectItem(me, "queues") : NULL, *e;

	if (!cJSON_IsArray(qs) || cJSON_GetArraySize(qs) == 0)
		return 1;
	cJSON_ArrayForEach(e, qs)
		if (cJSON_IsString(e) && strcmp(e->valuestring, queue) == 0)
			return 1;
	return 0;
}

static cJSON *
agent_me(struct app *app)
{
	char *id = cache_state_get(app->cache, "me.id"), *json;
	cJSON *me = NULL;

	if (id != NULL && (json = cache_get_json(app->cache, KIND_USER, id)) != NULL) {
		me = cJSON_Parse(json);
		free(json);
	}
	free(id);
	return me;
}

/*
 * The longest-waiting unassigned chat of the first queue (AGENT_QUEUES'
 * order) the agent serves with anyone waiting: its id, or NULL.
 */
static char *
agent_next_waiting(struct app *app)
{
	cJSON *me = agent_me(app);
	struct query q;
	char *id = NULL;
	size_t i;

	for (i = 0; i < AGENT_NQUEUES && id == NULL; i++) {
		if (!agent_serves(me, agent_queues[i]))
			continue;
		memset(&q, 0, sizeof q);
		q.kind = KIND_CONVERSATION;
		q.status = "new";
		q.queue = agent_queues[i];
		q.waiting = 1;
		id = agent_first(app, &q, NULL);
	}
	cJSON_Delete(me);
	return id;
}

/*
 * Show chat id in the Chats pane, selected (the tab showing every chat if
 * the current one hides it), its conversation open.
 */
static void
agent_show_chat(struct app *app, const char *id)
{
	struct pane *p = &app->panes[PANE_CHATS];

	if (app->cur != PANE_CHATS)
		app_set_pane(app, PANE_CHATS);
	if (!list_seek_id(&p->list, app->cache, id, APP_SEEK_MAX) &&
	    (p->search != NULL || p->filter != app_filter_all(p))) {
		free(p->search);
		p->search = NULL;
		p->filter = app_filter_all(p);
		app_apply_filter(app, p);
		list_seek_id(&p->list, app->cache, id, APP_SEEK_MAX);
	}
	app->detail_open = 1;
	p->detail_scroll = 0;
	app_keys_reset(app);
	app->dirty |= DIRTY_ALL;
}

int
agent_cmd_accept_next(void *arg, int argc, char **argv, char **cause)
{
	struct app *app = arg;
	const struct action_def *d = action_find("chats", "accept");
	char *id;
	int rc;

	(void)argc; (void)argv;
	if (!commands_action_offered(app, d, cause))
		return -1;
	if ((id = agent_next_waiting(app)) == NULL) {
		*cause = xstrdup(_("nobody is waiting in your queues"));
		return -1;
	}
	if ((rc = commands_queue_action(app, d, id, cause)) == 0)
		agent_show_chat(app, id);
	free(id);
	return rc;
}

/* The agent's active chats (open or pending), customers waiting longest first. */
struct agent_ids {
	char		*v[AGENT_MINE_MAX];
	int		 n;
};

static int
agent_add_id(void *arg, const char *json)
{
	struct agent_ids *ids = arg;
	cJSON *o = cJSON_Parse(json);

	if (o != NULL && json_str(o, "id") != NULL && ids->n < AGENT_MINE_MAX)
		ids->v[ids->n++] = xstrdup(json_str(o, "id"));
	cJSON_Delete(o);
	return ids->n >= AGENT_MINE_MAX;
}

static int
agent_mine(struct app *app, int waiting, struct agent_ids *ids)
{
	struct query q;
	char *me = cache_state_get(app->cache, "me.id"), *next = NULL, *cause = NULL;

	memset(ids, 0, sizeof *ids);
	if (me == NULL)
		return -1;
	memset(&q, 0, sizeof q);
	q.kind = KIND_CONVERSATION;
	q.assignee = me;
	q.status = "open,pending";
	q.waiting = waiting;
	q.limit = AGENT_MINE_MAX;
	if (cache_query(app->cache, &q, agent_add_id, ids, &next, &cause) != 0)
		free(cause);
	free(next);
	free(me);
	return 0;
}

static void
agent_ids_done(struct agent_ids *ids)
{
	while (ids->n > 0)
		free(ids->v[--ids->n]);
}

int
agent_cmd_chat_next(void *arg, int argc, char **argv, char **cause)
{
	struct app *app = arg;
	struct pane *p = &app->panes[PANE_CHATS];
	const struct list_row *r;
	struct agent_ids ids;
	int i, at = -1;

	(void)argc; (void)argv;
	if (!app_offered(app, KIND_CONVERSATION)) {
		*cause = app_not_offered(app, _("Chats"));
		return -1;
	}
	if (agent_mine(app, 0, &ids) != 0 || ids.n == 0) {
		agent_ids_done(&ids);
		*cause = xstrdup(_("you have no active chat (A takes the next customer)"));
		return -1;
	}
	/* After the one shown, in the Chats pane; the first from elsewhere. */
	if (app->cur == PANE_CHATS && (r = list_selected(&p->list)) != NULL)
		for (i = 0; i < ids.n; i++)
			if (strcmp(ids.v[i], r->id) == 0)
				at = i;
	agent_show_chat(app, ids.v[(at + 1) % ids.n]);
	app_message(app, 0, _("your chat %d of %d: %s"), (at + 1) % ids.n + 1, ids.n,
	    ids.v[(at + 1) % ids.n]);
	agent_ids_done(&ids);
	return 0;
}

void
agent_after_chat(struct app *app, const char *done)
{
	struct agent_ids ids;
	char *id = NULL, *said, *prev;
	const char *why = NULL;
	int i;

	agent_mine(app, 1, &ids);
	for (i = 0; i < ids.n && id == NULL; i++)
		if (strcmp(ids.v[i], done) != 0)
			id = xstrdup(ids.v[i]);
	agent_ids_done(&ids);
	if (id != NULL)
		why = _("yours, waiting longest");
	else if ((id = agent_next_waiting(app)) != NULL)
		why = _("in your queues; A takes it");
	if (id == NULL)
		return;
	agent_show_chat(app, id);
	app->detail_open = 0;
	app_keys_reset(app);
	/* The queued action's line stays; what comes next is added to it. */
	/* TRANSLATORS: the chat selected next, and why it. */
	said = xasprintf(_("next: %s (%s)"), id, why);
	prev = app->message != NULL && !app->message_error ? xstrdup(app->message) : NULL;
	if (prev != NULL)
		app_message(app, 0, "%s; %s", prev, said);
	else
		app_message(app, 0, "%s", said);
	free(prev);
	free(said);
	free(id);
}

/* new-ticket [ORDER KIND ...]: tickets create, the order taken from the selection. */
int
agent_cmd_new_ticket(void *arg, int argc, char **argv, char **cause)
{
	struct app *app = arg;
	enum sd_kind k = KIND__COUNT;
	cJSON *o;
	const char *order = NULL;
	char *line;

	if (!app_offered(app, KIND_TICKET)) {
		*cause = app_not_offered(app, _("After-sales"));
		return -1;
	}
	if (argc > 1)
		return commands_action_argv(app, action_find("tickets", "create"), argc, argv,
		    cause);
	if ((o = agent_selected(app, &k)) != NULL)
		order = k == KIND_ORDER ? json_str(o, "id") : json_str(o, "order_id");
	line = xasprintf("new-ticket %s ", order != NULL ? order : "");
	app_prompt_command(app, line);
	if (order == NULL)
		app_message(app, 0, "%s", _("type the order, then the kind: refund_only, "
		    "return_refund, exchange, repair, reship, complaint, logistics"));
	free(line);
	cJSON_Delete(o);
	return 0;
}

int
agent_cmd_bell(void *arg, int argc, char **argv, char **cause)
{
	struct app *app = arg;

	if (argc > 1) {
		if (strcmp(argv[1], "on") == 0)
			app->conf->bell = 1;
		else if (strcmp(argv[1], "off") == 0)
			app->conf->bell = 0;
		else {
			*cause = xasprintf(_("bell on or bell off, not '%s'"), argv[1]);
			return -1;
		}
	} else
		app->conf->bell = !app->conf->bell;
	app_message(app, 0, "%s", app->conf->bell ?
	    _("the bell rings when a customer writes in one of your chats") :
	    _("no bell for new messages"));
	return 0;
}

/*
 * The bell: app->bell_mark holds "ID LAST_MESSAGE_AT\n" for each of the
 * agent's active chats as last seen. A chat seen before whose customer
 * wrote since (a later last message, the customer now waiting) rings; a
 * chat just taken or transferred in is only noted, its messages being old
 * news to whoever took it.
 */
static const char *
agent_mark_of(const char *mark, const char *id, size_t *len)
{
	const char *p = mark;
	size_t n = strlen(id);

	while (p != NULL && *p != '\0') {
		if (strncmp(p, id, n) == 0 && p[n] == ' ') {
			p += n + 1;
			*len = strcspn(p, "\n");
			return p;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NULL;
}

void
agent_on_messages(struct app *app)
{
	struct agent_ids ids;
	struct buf mark, who;
	const char *at, *was;
	char *json;
	cJSON *o;
	size_t len;
	int i, ring = 0;

	if (!app_offered(app, KIND_CONVERSATION))
		return;
	buf_init(&mark);
	buf_init(&who);
	agent_mine(app, 0, &ids);
	for (i = 0; i < ids.n; i++) {
		if ((json = cache_get_json(app->cache, KIND_CONVERSATION, ids.v[i])) == NULL)
			continue;
		o = cJSON_Parse(json);
		free(json);
		if (o == NULL || (at = json_str(o, "last_message_at")) == NULL) {
			cJSON_Delete(o);
			continue;
		}
		buf_addf(&mark, "%s %s\n", ids.v[i], at);
		if (app->bell_mark != NULL && json_str(o, "waiting_since") != NULL &&
		    (was = agent_mark_of(app->bell_mark, ids.v[i], &len)) != NULL &&
		    (strlen(at) != len || strncmp(at, was, len) > 0)) {
			ring++;
			if (who.len == 0)
				buf_addf(&who, "%s (%s)", json_str(o, "customer_name") ?
				    json_str(o, "customer_name") : "?", ids.v[i]);
		}
		cJSON_Delete(o);
	}
	agent_ids_done(&ids);
	if (ring > 0) {
		if (ring > 1)
			app_message(app, 0, _("new messages from %s and %d more"), buf_str(&who),
			    ring - 1);
		else
			app_message(app, 0, _("new message from %s"), buf_str(&who));
		if (app->conf->bell)
			beep();
	}
	free(app->bell_mark);
	app->bell_mark = buf_steal(&mark);
	buf_done(&who);
}

/* Customers waiting in queue, and how long the longest has (seconds, -1: none). */
static long
agent_queue_waiting(struct app *app, const char *queue, long *longest)
{
	struct query q;
	char *json = NULL, *id, *cause = NULL;
	cJSON *o;
	time_t t;
	long n;

	memset(&q, 0, sizeof q);
	q.kind = KIND_CONVERSATION;
	q.queue = queue;
	q.waiting = 1;
	*longest = -1;
	if ((n = cache_query_count(app->cache, &q, &cause)) <= 0) {
		free(cause);
		return n < 0 ? 0 : n;
	}
	if ((id = agent_first(app, &q, &json)) != NULL && (o = cJSON_Parse(json)) != NULL) {
		if (json_str(o, "waiting_since") != NULL &&
		    time_parse_rfc3339(json_str(o, "waiting_since"), &t) == 0)
			*longest = (long)(app->now - t);
		cJSON_Delete(o);
	}
	free(id);
	free(json);
	return n;
}

char *
agent_queue_summary(struct app *app)
{
	struct buf b;
	long n, longest;
	size_t i;

	if (!app_offered(app, KIND_CONVERSATION))
		return NULL;
	/* Counted again each second or when the cache changed, not per key. */
	if (app->queues_text != NULL && app->queues_at == app->now)
		return xstrdup(app->queues_text);
	buf_init(&b);
	for (i = 0; i < AGENT_NQUEUES; i++) {
		n = agent_queue_waiting(app, agent_queues[i], &longest);
		buf_addf(&b, "%s%s %ld", i > 0 ? "  " : "", i18n_status("queue", agent_queues[i]), n);
		if (longest >= 0) {
			buf_adds(&b, " (");
			columns_format_duration(longest, &b);
			buf_adds(&b, ")");
		}
	}
	free(app->queues_text);
	app->queues_text = buf_steal(&b);
	app->queues_at = app->now;
	return xstrdup(app->queues_text);
}
