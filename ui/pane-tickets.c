/*
 * pane-tickets.c -- After-sales 售后: tickets by SLA urgency (the cache's
 * order: the least time left on the clock that runs first), the ticket with
 * its SLA clocks, evidence and history. Every clock shown comes from one
 * model (src/sla.h), so the list's SLA and DUE columns, the row's colour,
 * the detail and the order agree; tabs filter by status and, apart, by kind.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "model.h"
#include "sla.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"

static const struct column tickets_columns[] = {
	{ N_("ID"), "id", COL_STR, 10 },
	{ N_("KIND"), "kind", COL_STR, 13 },
	{ N_("STATUS"), "status", COL_STR, 15 },
	{ N_("SLA"), "sla_clock", COL_SLA, 10 },
	{ N_("DUE"), "sla_due", COL_SLA_DUE, 7 },
	{ N_("CUSTOMER"), "customer_name", COL_STR, 10 },
	{ N_("REASON"), "reason", COL_STR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct pane_filter tickets_filters[] = {
	{ N_("All"), NULL, 0, 0, 0 },
	{ N_("New"), "requested", 0, 0, 0 },
	{ N_("Return"), "approved,awaiting_return,received", 0, 0, 0 },
	{ N_("Working"), "in_progress,proposed", 0, 0, 0 },
	{ N_("Done"), "refunded,exchanged,reshipped,resolved", 0, 0, 0 },
	{ N_("Closed"), "closed,rejected", 0, 0, 0 },
	{ NULL, NULL, 0, 0, 0 }
};

/* The kinds of the kind tabs, after "all kinds" (DOMAIN.md's order). */
static const char *const tickets_kinds[] = {
	"refund_only", "return_refund", "exchange", "repair", "reship", "complaint",
	"logistics", NULL
};

/* A row in the colours of its SLA: near breach alert, breached error. */
static int
tickets_row_theme(const cJSON *o, time_t now)
{
	struct sla_now s;

	sla_eval(o, now, &s);
	if (s.state == SLA_BREACHED && s.running)
		return TH_ERROR;
	if (s.state == SLA_WARNING)
		return TH_ALERT;
	return -1;
}

/* "1h20m left" / "overdue 15m", in the user's language. */
static void
tickets_left(long long left, struct buf *b)
{
	struct buf d;

	buf_init(&d);
	columns_format_duration(left < 0 ? -left : left, &d);
	/* TRANSLATORS: an SLA clock's time: "1h20m left", "overdue 15m". */
	buf_addf(b, left < 0 ? _("overdue %s") : _("%s left"), buf_str(&d));
	buf_done(&d);
}

/* The SLA: the clock that matters now, then each clock with its due time. */
static void
tickets_sla(struct detail *d, const cJSON *o, time_t now)
{
	struct sla_clock c[3];
	struct sla_now s;
	struct buf b;
	char tb[32];
	int i, n;

	sla_eval(o, now, &s);
	buf_init(&b);
	if (s.phase == SLA_PHASE_NONE)
		buf_adds(&b, "-");
	else if (!s.running)
		buf_adds(&b, i18n_status("sla_phase", sla_state_name(s.state)));
	else {
		buf_addf(&b, "%s ", i18n_status("sla_phase", sla_phase_name(s.phase)));
		tickets_left(s.left, &b);
		buf_addf(&b, " (%s)", i18n_status("sla", sla_state_name(s.state)));
	}
	detail_field(d, _("SLA"), buf_str(&b));
	n = sla_clocks(o, c);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		/* In the store's zone, as the lists show times. */
		time_format_brief(c[i].due_t, time(NULL), tb, sizeof tb);
		buf_adds(&b, tb);
		if (c[i].at != NULL && c[i].at_t != 0) {
			time_format_brief(c[i].at_t, time(NULL), tb, sizeof tb);
			buf_addf(&b, " (%s %s%s)", _("done"), tb,
			    c[i].at_t > c[i].due_t ? _(", late") : "");
		} else if (c[i].at != NULL)
			buf_addf(&b, " (%s)", _("done"));
		else if (s.running && s.phase == c[i].phase) {
			buf_adds(&b, " (");
			tickets_left(s.left, &b);
			buf_adds(&b, ")");
		}
		detail_field(d, i18n_status("sla_phase", sla_phase_name(c[i].phase)), buf_str(&b));
	}
	buf_done(&b);
}

/* A money line: label and amount in the ticket's currency. */
static void
tickets_money_field(struct detail *d, const char *label, long long fen, const char *currency)
{
	struct buf b;

	buf_init(&b);
	columns_format_money(fen, currency, &b);
	detail_field(d, label, buf_str(&b));
	buf_done(&b);
}

/*
 * The money an agent decides a refund on: what the order was paid, what is
 * refunded and still refundable, what the ticket asks for, and a refund
 * sent to finance with its state.
 */
static void
tickets_money(struct app *app, struct detail *d, const cJSON *o)
{
	const char *cur = json_str(o, "currency");
	struct ticket_money m;
	struct buf b;

	action_ticket_money(app->cache, o, &m);
	if (m.order_known) {
		tickets_money_field(d, _("paid"), m.paid, cur);
		tickets_money_field(d, _("refunded"), m.refunded, cur);
		tickets_money_field(d, _("refundable"), m.refundable, cur);
	}
	if (m.requested > 0)
		tickets_money_field(d, _("requested"), m.requested, cur);
	if (m.request_status != NULL) {
		buf_init(&b);
		columns_format_money(m.request, cur, &b);
		buf_addf(&b, " %s%s%s", strcmp(m.request_status, "awaiting_finance") == 0 ?
		    _("awaiting finance") : strcmp(m.request_status, "declined") == 0 ?
		    _("declined by finance") : strcmp(m.request_status, "refunded") == 0 ?
		    _("refunded by finance") : m.request_status,
		    m.request_by != NULL ? _(", asked by ") : "", m.request_by != NULL ?
		    m.request_by : "");
		detail_field(d, _("to finance"), buf_str(&b));
		buf_done(&b);
	}
	action_ticket_money_done(&m);
}

static void
tickets_draw_detail(struct pane *p, struct app *app, struct detail *d, const cJSON *o)
{
	const cJSON *h, *ev;
	struct buf b;
	char *who;

	(void)p;
	buf_init(&b);
	buf_addf(&b, "%s  %s  %s", json_str(o, "id"), i18n_status("ticket_kind", json_str(o, "kind")),
	    i18n_status("ticket", json_str(o, "status")));
	detail_title(d, buf_str(&b));
	detail_fieldf(d, _("order"), "%s", json_str(o, "order_id") ? json_str(o, "order_id") : "-");
	detail_fieldf(d, _("customer"), "%s (%s)", json_str(o, "customer_name") ?
	    json_str(o, "customer_name") : "", json_str(o, "customer_id") ?
	    json_str(o, "customer_id") : "");
	detail_fieldf(d, _("priority"), "%s%s", i18n_status("priority", json_str(o, "priority")), json_bool(o, "escalated") ? _(" (escalated)") : "");
	who = app_user_label(app, json_str(o, "assignee"));
	detail_field(d, _("assignee"), who);
	free(who);
	if (cJSON_IsObject(json_path(o, "sla")))
		tickets_sla(d, o, app->now);
	else {
		/* "sla": null: the store has no SLA timers (Medusa). */
		detail_field(d, _("SLA"), _("not offered by this store"));
	}
	tickets_money(app, d, o);
	detail_field(d, _("reason"), json_str(o, "reason"));
	detail_field(d, _("says"), json_str(o, "description"));
	detail_blank(d);
	detail_title(d, _("History"));
	h = cJSON_GetObjectItem(o, "history");
	cJSON_ArrayForEach(ev, h)
		detail_event(d, app, ev, "ticket_event", "action", "note");
	buf_done(&b);
}

const struct pane_ops pane_tickets_ops = {
	.name = "tickets",
	.title = N_("After-sales"),
	.short_title = N_("After"),
	.keymap = KEYMAP_TICKETS,
	.kind = KIND_TICKET,
	.noun = "tickets",
	.columns = tickets_columns,
	.filters = tickets_filters,
	.kinds = tickets_kinds,
	.kind_codes = "ticket_kind",
	.row_theme = tickets_row_theme,
	.ticks = 1,
	.draw_detail = tickets_draw_detail,
};
