/*
 * pane-chats.c -- Chats 在线客服: conversations by wait (the cache's order:
 * longest waiting first), the conversation with its latest messages.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache-query.h"
#include "model.h"
#include "ui/agent.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define CHATS_MESSAGES	200	/* latest messages read for the detail */

static const struct column chats_columns[] = {
	{ N_("ID"), "id", COL_STR, 9 },
	{ N_("QUEUE"), "queue", COL_STR, 10 },
	{ N_("STATUS"), "status", COL_STR, 8 },
	{ N_("WAIT"), "waiting_since", COL_AGO, 6 },
	{ N_("CUSTOMER"), "customer_name", COL_STR, 12 },
	{ N_("LAST MESSAGE"), "last_message_preview", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct pane_filter chats_filters[] = {
	{ N_("All"), NULL, 0, 0, 0 },
	{ N_("Waiting"), NULL, 0, 0, 1 },
	{ N_("New"), "new", 0, 0, 0 },
	{ N_("Open"), "open", 0, 0, 0 },
	{ N_("Pending"), "pending,snoozed", 0, 0, 0 },
	{ N_("Resolved"), "resolved", 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0 }
};

struct chats_msgs {
	char		**v;		/* JSON, newest first */
	size_t		 n;
};

static int
chats_add(void *arg, const char *json)
{
	struct chats_msgs *m = arg;

	m->v = xrealloc(m->v, (m->n + 1) * sizeof *m->v);
	m->v[m->n++] = xstrdup(json);
	return 0;
}

static void
chats_draw_detail(struct pane *p, struct app *app, struct detail *d, const cJSON *o)
{
	struct query q;
	struct chats_msgs m = { NULL, 0 };
	char *next = NULL, *cause = NULL, *who, tb[16];
	struct buf b;
	struct agent_clock ck;
	size_t i;
	cJSON *msg;
	time_t t;

	(void)p;
	buf_init(&b);
	buf_addf(&b, "%s  %s  %s", json_str(o, "id"), i18n_status("queue", json_str(o, "queue")),
	    i18n_status("chat", json_str(o, "status")));
	detail_title(d, buf_str(&b));
	detail_fieldf(d, _("customer"), _("%s (%s, %s) via %s"), json_str(o, "customer_name") ?
	    json_str(o, "customer_name") : "", json_str(o, "customer_id") ?
	    json_str(o, "customer_id") : "", json_str(o, "customer_level") ?
	    i18n_status("level", json_str(o, "customer_level")) : "-", json_str(o, "channel") ?
	    i18n_status("channel", json_str(o, "channel")) : "?");
	if (json_str(o, "order_id") != NULL)
		detail_field(d, _("order"), json_str(o, "order_id"));
	who = app_user_label(app, json_str(o, "assignee"));
	detail_field(d, _("assignee"), who);
	free(who);
	if (agent_chat_clock(o, app->now, &ck)) {
		/* The clock the agent is answering against (agent.h). */
		buf_reset(&b);
		columns_format_duration(ck.age, &b);
		buf_adds(&b, "  ");
		if (ck.age < ck.due) {
			buf_adds(&b, ck.first ? _("first response due in ") : _("answer due in "));
			columns_format_duration(ck.due - ck.age, &b);
		} else {
			buf_adds(&b, ck.first ? _("first response overdue by ") :
			    _("answer overdue by "));
			columns_format_duration(ck.age - ck.due, &b);
		}
		detail_field_attr(d, _("waiting"), buf_str(&b), theme_attr(ck.level == 2 ?
		    TH_ERROR : ck.level == 1 ? TH_ALERT : TH_NORMAL));
	}
	detail_blank(d);

	/* The latest messages: a reverse read, shown oldest first. */
	memset(&q, 0, sizeof q);
	q.kind = KIND_MESSAGE;
	q.conversation_id = json_str(o, "id");
	q.reverse = 1;
	q.limit = CHATS_MESSAGES;
	if (cache_query(app->cache, &q, chats_add, &m, &next, &cause) != 0) {
		detail_text(d, theme_attr(TH_ERROR), cause);
		free(cause);
	}
	free(next);
	for (i = m.n; i-- > 0;) {
		if ((msg = cJSON_Parse(m.v[i])) == NULL)
			continue;
		tb[0] = '\0';
		if (json_str(msg, "created_at") != NULL &&
		    time_parse_rfc3339(json_str(msg, "created_at"), &t) == 0) {
			time_format_local(t, "%H:%M", tb, sizeof tb);
		}
		buf_reset(&b);
		buf_addf(&b, "%s %s:", tb, json_str(msg, "author_name") ?
		    json_str(msg, "author_name") : "?");
		detail_text(d, theme_attr(json_str(msg, "author") != NULL &&
		    strcmp(json_str(msg, "author"), "customer") == 0 ? TH_LABEL : TH_DIM),
		    buf_str(&b));
		detail_text(d, theme_attr(TH_NORMAL), json_str(msg, "body"));
		cJSON_Delete(msg);
	}
	for (i = 0; i < m.n; i++)
		free(m.v[i]);
	free(m.v);
	buf_done(&b);
}

const struct pane_ops pane_chats_ops = {
	.name = "chats",
	.title = N_("Chats"),
	.short_title = N_("Chats"),
	.keymap = KEYMAP_CHATS,
	.kind = KIND_CONVERSATION,
	.noun = "chats",
	.columns = chats_columns,
	.filters = chats_filters,
	.ticks = 1,
	.draw_detail = chats_draw_detail,
};
