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
#include "util/text.h"

/* One figure of a day (report.h) as a number to compare and as text. */
enum dash_fig { FIG_GMV, FIG_NET, FIG_PAID, FIG_AOV, FIG_REFUND, FIG_REPEAT, FIG__COUNT };

static const char *const dash_fig_labels[FIG__COUNT] = {
	N_("GMV"), N_("net sales"), N_("paid orders"), N_("AOV"), N_("refund rate"),
	N_("repeat rate"),
};

static long long
dashboard_value(const struct report_row *r, enum dash_fig f)
{
	switch (f) {
	case FIG_GMV:	return r->gmv;
	case FIG_NET:	return report_net(r);
	case FIG_PAID:	return r->paid;
	case FIG_AOV:	return report_aov(r);
	case FIG_REFUND: return report_refund_bp(r);
	case FIG_REPEAT: return report_repeat_bp(r);
	default:	return 0;
	}
}

static void
dashboard_format(long long v, enum dash_fig f, struct buf *b)
{
	if (f == FIG_PAID)
		buf_addf(b, "%lld", v);
	else if (f == FIG_REFUND || f == FIG_REPEAT)
		buf_addf(b, "%lld.%02lld%%", v / 100, v % 100);
	else
		columns_format_money(v, "CNY", b);
}

/*
 * The change from was to now: "+12.3%" (a rate: its change in points,
 * "+1.20pt"), "=" when equal, "-" when there is nothing to compare with.
 */
static void
dashboard_change(long long now, long long was, enum dash_fig f, struct buf *b)
{
	long long d, a;

	if (f == FIG_REFUND || f == FIG_REPEAT) {
		d = now - was;
		a = d < 0 ? -d : d;
		buf_addf(b, "%c%lld.%02lldpt", d < 0 ? '-' : '+', a / 100, a % 100);
		return;
	}
	if (now == was) {
		buf_adds(b, "=");
		return;
	}
	if (was <= 0) {
		buf_adds(b, "-");
		return;
	}
	/* Tenths of a percent, half away from zero. */
	d = now - was;
	a = ((d < 0 ? -d : d) * 2000 + was) / (2 * was);
	buf_addf(b, "%c%lld.%lld%%", d < 0 ? '-' : '+', a / 10, a % 10);
}

/* A cell padded (left, by display width) to width. */
static void
dashboard_cell(struct buf *line, const char *text, int width)
{
	int pad = width - text_width(text);

	buf_addf(line, "%*s%s", pad > 0 ? pad : 0, "", text);
}

/* Today's figures against yesterday and the same weekday last week. */
static void
dashboard_figures(struct detail *d, const struct kpi *k)
{
	struct buf line, cell;
	int f, i;

	buf_init(&line);
	buf_init(&cell);
	text_fit(_("Today"), 12, 1, &line);
	dashboard_cell(&line, _("today"), 13);
	dashboard_cell(&line, _("yesterday"), 13);
	dashboard_cell(&line, "±", 9);
	dashboard_cell(&line, _("last week"), 13);
	dashboard_cell(&line, "±", 9);
	detail_title(d, buf_str(&line));
	for (f = 0; f < FIG__COUNT; f++) {
		buf_reset(&line);
		text_fit(_(dash_fig_labels[f]), 12, 1, &line);
		for (i = 0; i < 3; i++) {
			buf_reset(&cell);
			dashboard_format(dashboard_value(&k->day[i], (enum dash_fig)f),
			    (enum dash_fig)f, &cell);
			dashboard_cell(&line, buf_str(&cell), 13);
			if (i == 0)
				continue;
			buf_reset(&cell);
			dashboard_change(dashboard_value(&k->day[0], (enum dash_fig)f),
			    dashboard_value(&k->day[i], (enum dash_fig)f), (enum dash_fig)f, &cell);
			dashboard_cell(&line, buf_str(&cell), 9);
		}
		detail_text(d, A_NORMAL, buf_str(&line));
	}
	buf_done(&line);
	buf_done(&cell);
}

/*
 * A sparkline of v[0..n) scaled to max: Unicode blocks, or ASCII where the
 * locale cannot show them.
 */
static void
dashboard_spark(const long long *v, int n, long long max, struct buf *b)
{
	static const char *const blocks[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	static const char ascii[8] = { '_', '.', '-', ':', '=', '+', '*', '#' };
	int i, level, utf8 = text_locale_utf8();

	for (i = 0; i < n; i++) {
		level = max > 0 && v[i] > 0 ? (int)((v[i] * 7 + max - 1) / max) : 0;
		if (level > 7)
			level = 7;
		if (utf8)
			buf_adds(b, blocks[level]);
		else
			buf_addf(b, "%c", ascii[level]);
	}
}

static long long
dashboard_max(const long long *v, int n)
{
	long long m = 0;
	int i;

	for (i = 0; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

/* The GMV of the last 7 and 30 days, and by hour today against yesterday. */
static void
dashboard_trends(struct detail *d, const struct kpi *k)
{
	struct buf b;
	long long m;

	buf_init(&b);
	buf_addf(&b, "%s ", _("7 days"));
	dashboard_spark(k->trend + KPI_TREND - 7, 7, dashboard_max(k->trend + KPI_TREND - 7, 7),
	    &b);
	buf_addf(&b, "  %s ", _("30 days"));
	dashboard_spark(k->trend, KPI_TREND, dashboard_max(k->trend, KPI_TREND), &b);
	detail_field(d, _("GMV"), buf_str(&b));
	buf_reset(&b);
	m = dashboard_max(k->hours[0], 24);
	if (dashboard_max(k->hours[1], 24) > m)
		m = dashboard_max(k->hours[1], 24);
	buf_addf(&b, "%s ", _("today"));
	dashboard_spark(k->hours[0], 24, m, &b);
	buf_addf(&b, " %s ", _("yesterday"));
	dashboard_spark(k->hours[1], 24, m, &b);
	detail_field(d, _("by hour"), buf_str(&b));
	buf_done(&b);
}

/* "name ×12  name ×9": the names cut to fit (sanitised by the detail writer). */
static void
dashboard_top(struct detail *d, const char *label, const char *lead,
    const struct kpi_top *top)
{
	struct buf b;
	int i;

	buf_init(&b);
	if (lead != NULL)
		buf_addf(&b, "%s: ", lead);
	for (i = 0; i < KPI_TOP && top[i].name[0] != '\0'; i++) {
		buf_adds(&b, i > 0 ? "  " : "");
		text_fit(top[i].name, 18, 0, &b);
		buf_addf(&b, " ×%ld", top[i].n);
	}
	if (i == 0)
		buf_adds(&b, _("none"));
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
	dashboard_figures(&d, k);
	dashboard_trends(&d, k);
	dashboard_top(&d, _("top"), NULL, k->top_products);
	dashboard_top(&d, _("refunds"), _("30 days"), k->top_reasons);
	detail_title(&d, _("Needs someone now"));
	snprintf(line, sizeof line, "%ld %s, %ld %s", k->chats_waiting, _("waiting"),
	    k->chats_waiting_long, _("for more than 30 s"));
	/* A store without live chat has no one waiting in it, rather than 0. */
	if (!app_offered(app, KIND_CONVERSATION))
		detail_field(&d, _("chats"), _("not offered by this store"));
	else {
		struct buf b;

		buf_init(&b);
		buf_adds(&b, line);
		if (k->oldest_wait > 0) {
			buf_addf(&b, ", %s ", _("longest"));
			columns_format_duration(k->oldest_wait, &b);
		}
		if (k->first_responses > 0) {
			buf_addf(&b, "; %s ", _("first response"));
			columns_format_duration(k->first_response_secs / k->first_responses, &b);
		}
		detail_field(&d, _("chats"), buf_str(&b));
		buf_done(&b);
	}
	/* Without SLA timers there is nothing near breach, rather than 0. */
	if (app->no_sla)
		detail_fieldf(&d, _("tickets"), "%s: %s", _("SLA"), _("not offered by this store"));
	else
		detail_fieldf(&d, _("tickets"), "%ld %s, %ld %s, %ld %s", k->tickets_open,
		    _("with a running SLA"), k->tickets_warning, _("near breach"),
		    k->tickets_breached, _("breached"));
	detail_fieldf(&d, _("orders"), "%ld %s, %ld %s; %s %ld %s", k->awaiting_shipment,
	    _("to ship"), k->abnormal, _("abnormal"), _("stock"), k->low_stock, _("SKUs low"));
	detail_fieldf(&d, _("outbox"), "%ld %s, %ld %s, %ld %s",
	    app->outbox[OUTBOX_QUEUED] + app->outbox[OUTBOX_SENDING], _("pending"),
	    app->outbox[OUTBOX_CONFLICT], _("in conflict"), app->outbox[OUTBOX_FAILED],
	    _("refused"));
	dashboard_me(&d, app);
	/* The keys, where there is room for them. */
	if (d.h - d.y >= 1)
		/* TRANSLATORS: the Dashboard's keys; each opens the list behind a figure. */
		detail_words(&d, theme_attr(TH_DIM), _("o orders  s to ship  a abnormal  "
		    "r refunds  t tickets  w waiting  l low stock"));
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
