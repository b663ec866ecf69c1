/*
 * pane-dashboard.c -- Dashboard: today's figures against yesterday and the
 * same weekday last week, what needs someone now (chats waiting, tickets
 * near or past their SLA, abnormal orders, low stock), and the user's own
 * day (kpi_agent_read(): chats handled, first responses, SLA breaches).
 *
 * A cursor moves over the figures (rows j/k, the days and the top entries
 * h/l); Enter opens the list behind the one under it, filtered to what the
 * figure counts (app_drill()), and q or Esc there comes back here with the
 * cursor where it was.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "conf.h"
#include "kpi.h"
#include "report.h"
#include "ui/app.h"
#include "ui/cmdline.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/* One figure of a day (report.h) as a number to compare and as text. */
enum dash_fig { FIG_GMV, FIG_NET, FIG_PAID, FIG_AOV, FIG_REFUND, FIG_REPEAT, FIG__COUNT };

/* The cursor's rows: the figures, then the top lists and what needs someone. */
enum dash_row { ROW_TOP = FIG__COUNT, ROW_REASONS, ROW_CHATS, ROW_TICKETS, ROW_ORDERS,
	ROW__COUNT };
#define DASH_COLS	3	/* at most, in a row */

/* Where a frame drew each target, for the cursor's highlight (w 0: not drawn). */
static struct dash_spot {
	int		 y, x, w;
} dash_spots[ROW__COUNT][DASH_COLS];

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
	/* TRANSLATORS: the head of the Dashboard's first column, the figures' names. */
	text_fit(_("Figure"), 12, 1, &line);
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
			dash_spots[f][i].y = d->y - d->skip;
			dash_spots[f][i].x = 12 + (i == 0 ? 0 : i == 1 ? 13 : 35);
			dash_spots[f][i].w = 13;
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

/* The width of a label as detail_field() pads it. */
static int
dashboard_label_width(const char *label)
{
	int w = text_width(label);

	return (w < 10 ? 10 : w) + 1;
}

/*
 * "name ×12  name ×9": the names cut to fit (sanitised by the detail
 * writer), each a target of row.
 */
static void
dashboard_top(struct detail *d, enum dash_row row, const char *label, const char *lead,
    const struct kpi_top *top)
{
	struct buf b;
	char *clean;
	int i, x, y = d->y - d->skip, lw = dashboard_label_width(label);

	buf_init(&b);
	if (lead != NULL)
		buf_addf(&b, "%s: ", lead);
	for (i = 0; i < KPI_TOP && top[i].name[0] != '\0'; i++) {
		buf_adds(&b, i > 0 ? "  " : "");
		clean = text_sanitize(buf_str(&b), 0);
		x = lw + text_width(clean);
		free(clean);
		text_fit(top[i].name, 18, 0, &b);
		buf_addf(&b, " ×%ld", top[i].n);
		clean = text_sanitize(buf_str(&b), 0);
		dash_spots[row][i].y = y;
		dash_spots[row][i].x = x;
		dash_spots[row][i].w = lw + text_width(clean) - x;
		free(clean);
	}
	if (i == 0)
		buf_adds(&b, _("none"));
	detail_field(d, label, buf_str(&b));
	buf_done(&b);
}

/* Row's targets: a field's value, from x (on the label's line), w wide. */
static void
dashboard_spot(enum dash_row row, int col, int y, int x, const char *text)
{
	dash_spots[row][col].y = y;
	dash_spots[row][col].x = x;
	dash_spots[row][col].w = text_width(text);
}

/* How many targets row has. */
static int
dashboard_cols(const struct app *app, int row)
{
	const struct kpi *k = &app->kpi;
	int n;

	if (row < FIG__COUNT)
		return 3;
	if (row == ROW_TOP || row == ROW_REASONS) {
		const struct kpi_top *t = row == ROW_TOP ? k->top_products : k->top_reasons;

		for (n = 0; n < KPI_TOP && t[n].name[0] != '\0'; n++)
			;
		return n > 0 ? n : 1;
	}
	if (row == ROW_TICKETS)
		return app->no_sla ? 1 : 3;
	return row == ROW_ORDERS ? 3 : 1;
}

static void
dashboard_move(struct pane *p, struct app *app, int dy, int dx)
{
	int cols;

	p->cursor_y += dy;
	if (p->cursor_y < 0)
		p->cursor_y = 0;
	if (p->cursor_y >= ROW__COUNT)
		p->cursor_y = ROW__COUNT - 1;
	cols = dashboard_cols(app, p->cursor_y);
	/* The column is kept across rows that have fewer. */
	if (dx != 0) {
		p->cursor_x = (p->cursor_x < cols ? p->cursor_x : cols - 1) + dx;
		if (p->cursor_x < 0)
			p->cursor_x = 0;
		if (p->cursor_x >= cols)
			p->cursor_x = cols - 1;
	}
}

/*
 * What Enter opens at row, col: a list filtered as *f (pane *pane, title
 * label) and 0, or a command (cmd) and 1. label and cmd hold 128 bytes.
 */
static int
dashboard_target(const struct app *app, int row, int col, struct list_filter *f, int *pane,
    char *label, char *cmd)
{
	const struct kpi *k = &app->kpi;
	char day[16];
	int cols = dashboard_cols(app, row);

	memset(f, 0, sizeof *f);
	col = col < cols ? col : cols - 1;
	*pane = PANE_ORDERS;
	if (row < FIG__COUNT) {
		f->since = k->day[col].from;
		f->until = k->day[col].to;
		f->paid = 1;
		time_format_local(f->since, "%Y-%m-%d", day, sizeof day);
		if (row == FIG_REFUND) {
			f->refunded = 1;
			/* TRANSLATORS: a list's title: the refunded orders of a day. */
			snprintf(label, 128, _("refunded orders of %s"), day);
		} else if (row == FIG_REPEAT) {
			f->repeat = 1;
			/* TRANSLATORS: a list's title: the orders of returning customers. */
			snprintf(label, 128, _("repeat customers' orders of %s"), day);
		} else
			/* TRANSLATORS: a list's title: the paid orders of a day. */
			snprintf(label, 128, _("paid orders of %s"), day);
		return 0;
	}
	switch (row) {
	case ROW_TOP:
		if (k->top_products[0].name[0] == '\0')
			break;
		f->since = k->day[0].from;
		f->until = k->day[0].to;
		f->paid = 1;
		f->item = (char *)k->top_products[col].name;
		/* TRANSLATORS: a list's title: today's paid orders of a product. */
		snprintf(label, 128, _("today's orders of %s"), k->top_products[col].name);
		return 0;
	case ROW_REASONS:
		if (k->top_reasons[0].name[0] == '\0')
			break;
		*pane = PANE_TICKETS;
		f->since = time_day_start(k->day[0].from, -(KPI_TREND - 1));
		f->until = k->day[0].to;
		f->reason = (char *)k->top_reasons[col].name;
		/* TRANSLATORS: a list's title: the refunds of 30 days for a reason. */
		snprintf(label, 128, _("refunds for %s, 30 days"), k->top_reasons[col].name);
		return 0;
	case ROW_CHATS:
		snprintf(cmd, 128, "pane chats waiting");
		snprintf(label, 128, "%s", _("the chats waiting"));
		return 1;
	case ROW_TICKETS:
		if (app->no_sla) {
			snprintf(cmd, 128, "pane tickets");
			snprintf(label, 128, "%s", _("after-sales"));
			return 1;
		}
		/* The rows the figure counts (sla.h), most urgent first. */
		*pane = PANE_TICKETS;
		f->sla = col == 0 ? QUERY_SLA_RUNNING : col == 1 ? QUERY_SLA_NEAR :
		    QUERY_SLA_BREACHED;
		snprintf(label, 128, "%s", col == 0 ? _("after-sales with a running SLA") :
		    col == 1 ? _("after-sales near breach") : _("after-sales past their SLA"));
		return 0;
	case ROW_ORDERS:
		snprintf(cmd, 128, "%s", col == 0 ? "pane orders awaiting_shipment" : col == 1 ?
		    "pane orders abnormal" : "pane stock low");
		snprintf(label, 128, "%s", col == 0 ? _("the orders to ship") : col == 1 ?
		    _("the abnormal orders") : _("the SKUs low in stock"));
		return 1;
	}
	cmd[0] = '\0';
	snprintf(label, 128, "%s", _("nothing to open"));
	return 1;
}

static int
dashboard_open(struct pane *p, struct app *app, char **cause)
{
	struct list_filter f;
	char label[128], cmd[128];
	int pane;

	if (dashboard_target(app, p->cursor_y, p->cursor_x, &f, &pane, label, cmd) == 0)
		return app_drill(app, pane, &f, label, cause);
	if (cmd[0] == '\0') {
		*cause = xstrdup(_("nothing to open here: the list is empty"));
		return -1;
	}
	if (ui_command_run(app->commands, app, cmd, cause) != 0)
		return -1;
	app_pane(app)->drill_back = app->cur != PANE_DASHBOARD;
	return 0;
}

/* The cursor's figure lit, and what Enter opens said on the last line. */
static void
dashboard_cursor(struct pane *p, struct app *app, WINDOW *win, struct detail *d)
{
	const struct dash_spot *s;
	struct list_filter f;
	char label[128], cmd[128], *line;
	int pane, col = p->cursor_x, cols = dashboard_cols(app, p->cursor_y);

	col = col < cols ? col : cols - 1;
	s = &dash_spots[p->cursor_y][col];
	if (s->w > 0 && s->y >= 0 && s->y < d->h && s->x < d->w)
		mvwchgat(win, s->y, s->x, s->x + s->w <= d->w ? s->w : d->w - s->x,
		    theme_attr(TH_CURSOR), PAIR_NUMBER(theme_attr(TH_CURSOR)), NULL);
	if (d->h - d->y < 1)
		return;
	dashboard_target(app, p->cursor_y, p->cursor_x, &f, &pane, label, cmd);
	/* TRANSLATORS: the Dashboard's last line: what Enter opens, then the keys. */
	line = xasprintf(_("Enter: %s   (arrows or hjkl move, q back)"), label);
	detail_words(d, theme_attr(TH_DIM), line);
	free(line);
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
	char line[128], fig[128];

	memset(dash_spots, 0, sizeof dash_spots);
	detail_init(&d, win, 0);
	dashboard_figures(&d, k);
	dashboard_trends(&d, k);
	dashboard_top(&d, ROW_TOP, _("top"), NULL, k->top_products);
	dashboard_top(&d, ROW_REASONS, _("refunds"), _("30 days"), k->top_reasons);
	detail_title(&d, _("Needs someone now"));
	snprintf(line, sizeof line, "%ld %s, %ld %s", k->chats_waiting, _("waiting"),
	    k->chats_waiting_long, _("for more than 30 s"));
	/* A store without live chat has no one waiting in it, rather than 0. */
	snprintf(fig, sizeof fig, "%ld %s", k->chats_waiting, _("waiting"));
	dashboard_spot(ROW_CHATS, 0, d.y - d.skip, dashboard_label_width(_("chats")), fig);
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
	if (app->no_sla) {
		snprintf(fig, sizeof fig, "%s: %s", _("SLA"), _("not offered by this store"));
		dashboard_spot(ROW_TICKETS, 0, d.y - d.skip, dashboard_label_width(_("tickets")),
		    fig);
		detail_field(&d, _("tickets"), fig);
	} else {
		struct buf b;
		int y = d.y - d.skip, x = dashboard_label_width(_("tickets"));

		/* Each figure its own target: Enter lists the very tickets it counts. */
		buf_init(&b);
		buf_addf(&b, "%ld %s", k->tickets_open, _("with a running SLA"));
		dashboard_spot(ROW_TICKETS, 0, y, x, buf_str(&b));
		buf_adds(&b, ", ");
		snprintf(fig, sizeof fig, "%ld %s", k->tickets_warning, _("near breach"));
		dashboard_spot(ROW_TICKETS, 1, y, x + text_width(buf_str(&b)), fig);
		buf_addf(&b, "%s, ", fig);
		snprintf(fig, sizeof fig, "%ld %s", k->tickets_breached, _("breached"));
		dashboard_spot(ROW_TICKETS, 2, y, x + text_width(buf_str(&b)), fig);
		buf_adds(&b, fig);
		detail_field(&d, _("tickets"), buf_str(&b));
		buf_done(&b);
	}
	{
		struct buf b;
		int y = d.y - d.skip, x = dashboard_label_width(_("orders"));

		buf_init(&b);
		buf_addf(&b, "%ld %s", k->awaiting_shipment, _("to ship"));
		dashboard_spot(ROW_ORDERS, 0, y, x, buf_str(&b));
		buf_adds(&b, ", ");
		snprintf(fig, sizeof fig, "%ld %s", k->abnormal, _("abnormal"));
		dashboard_spot(ROW_ORDERS, 1, y, x + text_width(buf_str(&b)), fig);
		buf_addf(&b, "%s; %s ", fig, _("stock"));
		snprintf(fig, sizeof fig, "%ld %s", k->low_stock, _("SKUs low"));
		dashboard_spot(ROW_ORDERS, 2, y, x + text_width(buf_str(&b)), fig);
		buf_adds(&b, fig);
		detail_field(&d, _("orders"), buf_str(&b));
		buf_done(&b);
	}
	detail_fieldf(&d, _("outbox"), "%ld %s, %ld %s, %ld %s",
	    app->outbox[OUTBOX_QUEUED] + app->outbox[OUTBOX_SENDING], _("pending"),
	    app->outbox[OUTBOX_CONFLICT], _("in conflict"), app->outbox[OUTBOX_FAILED],
	    _("refused"));
	dashboard_me(&d, app);
	dashboard_cursor(p, app, win, &d);
	detail_end(&d);
}

/*
 * :export on the Dashboard: the report of the days it shows -- today,
 * yesterday, the same weekday last week, in that order -- each row what
 * `shopdesk report daily --format csv` gives for that day (report.h's one
 * writer), with the profile's byte order mark and header language.
 */
static long
dashboard_export(struct pane *p, struct app *app, FILE *f, char **cause)
{
	static const int back[3] = { 0, -1, -7 };
	const char *headers[REPORT_CSV_COLS], *lang;
	struct report_row v[3], *r;
	time_t from, to;
	char *cur;
	size_t n;
	int i, rc;

	(void)p;
	for (i = 0; i < 3; i++) {
		report_period_of(REPORT_DAY, app_time(app), back[i], &from, &to);
		if (report_range(app->cache, REPORT_DAY, from, from, &r, &n, cause) != 0)
			return -1;
		v[i] = r[0];
		free(r);
	}
	if ((lang = config_header_lang(app->conf->csv_header_lang)) == NULL)
		lang = "names";
	for (i = 0; i < REPORT_CSV_COLS; i++)
		headers[i] = i18n_in_lang(lang, report_csv_headers[i]);
	cur = clock_currency(app->cache);
	rc = report_write_csv(f, v, 3, cur, strcmp(lang, "names") != 0 ? headers : NULL,
	    app->conf->csv_bom);
	free(cur);
	if (rc != 0) {
		*cause = xstrdup(_("the report could not be written"));
		return -1;
	}
	return 3;
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
	.cursor_move = dashboard_move,
	.cursor_open = dashboard_open,
	.export = dashboard_export,
};
