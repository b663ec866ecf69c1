/*
 * pane-dashboard.c -- Dashboard: today's figures against yesterday and the
 * same weekday last week, what needs someone now (chats waiting, tickets
 * near or past their SLA, abnormal orders, low stock), and the user's own
 * day (kpi_agent_read(): chats handled, first responses, SLA breaches).
 */
#include "config.h"

#include <stdio.h>

#include "kpi.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "util/buf.h"

static void
dashboard_day(struct detail *d, const char *label, const struct kpi_day *k)
{
	struct buf b;

	buf_init(&b);
	buf_addf(&b, "%6ld %-8s %6ld %-6s  GMV ", k->orders, _("orders"), k->paid, _("paid"));
	columns_format_money(k->gmv, "CNY", &b);
	if (k->paid > 0) {
		buf_addf(&b, "  %s ", _("AOV"));
		columns_format_money(k->gmv / k->paid, "CNY", &b);
	}
	detail_field(d, label, buf_str(&b));
	buf_done(&b);
}

/* The user's own day, once a sync has said who the user is. */
static void
dashboard_me(struct detail *d, struct app *app)
{
	const struct kpi_agent *a = &app->me_kpi;
	struct buf b;

	if (a->id == NULL)
		return;
	detail_blank(d);
	buf_init(&b);
	/* TRANSLATORS: the title of the user's own figures: "You today (agent1)". */
	buf_addf(&b, _("You today (%s)"), a->login);
	detail_title(d, buf_str(&b));
	buf_reset(&b);
	/* Whole sentences, so that a translation can order its words. */
	if (app_offered(app, KIND_CONVERSATION) && a->responses == 0)
		detail_fieldf(d, _("chats"), _("%ld handled"), a->chats);
	else if (app_offered(app, KIND_CONVERSATION)) {
		columns_format_duration(a->response_secs / a->responses, &b);
		detail_fieldf(d, _("chats"),
		    _("%ld handled, first response %s on average, %ld%% within 30 s (%ld/%ld)"),
		    a->chats, buf_str(&b), a->within_30s * 100 / a->responses, a->within_30s,
		    a->responses);
	}
	if (!app->no_sla)
		detail_fieldf(d, _("SLA"), _("%ld breached, %ld still open"), a->breached,
		    a->breached_open);
	buf_done(&b);
}

static void
dashboard_draw(struct pane *p, struct app *app, WINDOW *win)
{
	const struct kpi *k = &app->kpi;
	struct detail d;
	char line[128];

	(void)p;
	detail_init(&d, win, 0);
	detail_title(&d, _("Today"));
	dashboard_day(&d, _("today"), &k->today);
	dashboard_day(&d, _("yesterday"), &k->yesterday);
	dashboard_day(&d, _("last week"), &k->last_week);
	detail_blank(&d);
	detail_title(&d, _("Needs someone now"));
	snprintf(line, sizeof line, "%ld %s, %ld %s", k->chats_waiting, _("waiting"),
	    k->chats_waiting_long, _("for more than 30 s"));
	/* A store without live chat has no one waiting in it, rather than 0. */
	if (!app_offered(app, KIND_CONVERSATION))
		detail_field(&d, _("chats"), _("not offered by this store"));
	else
		detail_field(&d, _("chats"), line);
	if (k->oldest_wait > 0 && app_offered(app, KIND_CONVERSATION)) {
		struct buf b;

		buf_init(&b);
		columns_format_duration(k->oldest_wait, &b);
		detail_field(&d, _("longest"), buf_str(&b));
		buf_done(&b);
	}
	/* Without SLA timers there is nothing near breach, rather than 0. */
	if (app->no_sla)
		detail_fieldf(&d, _("tickets"), "%s: %s", _("SLA"), _("not offered by this store"));
	else
		detail_fieldf(&d, _("tickets"), "%ld %s, %ld %s, %ld %s", k->tickets_open,
		    _("with a running SLA"), k->tickets_warning, _("near breach"),
		    k->tickets_breached, _("breached"));
	detail_fieldf(&d, _("orders"), "%ld %s, %ld %s", k->awaiting_shipment, _("to ship"),
	    k->abnormal, _("abnormal"));
	detail_fieldf(&d, _("stock"), "%ld %s", k->low_stock, _("SKUs low"));
	detail_fieldf(&d, _("outbox"), "%ld %s, %ld %s, %ld %s",
	    app->outbox[OUTBOX_QUEUED] + app->outbox[OUTBOX_SENDING], _("pending"),
	    app->outbox[OUTBOX_CONFLICT], _("in conflict"), app->outbox[OUTBOX_FAILED],
	    _("refused"));
	dashboard_me(&d, app);
	detail_blank(&d);
	detail_text(&d, theme_attr(TH_DIM), _("2 Orders  3 After-sales  4 Chats  5 Inventory  "
	    "6 Promotions  7 Outbox  : command  ? keys  q quit"));
	detail_end(&d);
}

const struct pane_ops pane_dashboard_ops = {
	.name = "dashboard",
	.title = N_("Dashboard"),
	.short_title = N_("Dash"),
	.keymap = KEYMAP_DASHBOARD,
	.kind = -1,
	.noun = NULL,
	.columns = NULL,
	.filters = NULL,
	.ticks = 1,
	.draw = dashboard_draw,
};
