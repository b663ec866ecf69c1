/*
 * scanner.c -- scan mode (scanner.h): order, items, waybill, ship, next.
 *
 * The logic of what may be packed and what a code means is the core's
 * (src/scan.c); this file holds the session (the order open, the input
 * line, the shipments sent) and draws it over the pane. A refusal rings
 * the bell and is drawn in the error colour with what was expected. The
 * shipments of the session are watched: when the sync thread reports a
 * change, each is looked up in the outbox, and one the store refused (the
 * buyer cancelled meanwhile) is shown at once with what to do.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "outbox.h"
#include "scan.h"
#include "ui/app.h"
#include "ui/i18n.h"
#include "ui/scanner.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define SCAN_CANDIDATES	9	/* carriers offered when the waybill is ambiguous */
#define SCAN_SENT_MAX	64	/* shipments of the session watched for a refusal */

enum scan_step {
	STEP_ORDER,		/* waiting for an order number */
	STEP_ITEMS,		/* ticking off the items */
	STEP_WAYBILL,		/* all picked: the waybill */
	STEP_CARRIER,		/* the waybill fits several carriers: which */
};

struct scan_sent {
	char		*order;		/* the order shipped */
	int		 state;		/* 0 waiting, 1 confirmed, 2 refused */
};

struct scan {
	enum scan_step	 step;
	struct scan_order order;	/* when step > STEP_ORDER */
	char		 input[SCAN_CODE_MAX + 1];
	size_t		 len;
	int		 overlong;	/* more was typed than a code holds */
	char		*tracking;	/* STEP_CARRIER: the waybill scanned */
	const struct carrier_info *cand[SCAN_CANDIDATES];
	int		 ncand;
	char		*result;	/* what the last code did */
	int		 result_error;
	char		*alert;		/* a shipment the store refused, until Esc */
	long		 codes;		/* codes read this session */
	int		 shipped;
	struct scan_sent sent[SCAN_SENT_MAX];
	int		 nsent;
};

static void
scan_result(struct app *app, int error, char *text)
{
	struct scan *s = app->scan;

	free(s->result);
	s->result = text;
	s->result_error = error;
	if (error)
		beep();
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL;
}

static void
scan_drop_order(struct scan *s)
{
	if (s->step != STEP_ORDER)
		scan_order_done(&s->order);
	free(s->tracking);
	s->tracking = NULL;
	s->ncand = 0;
	s->step = STEP_ORDER;
}

/* The order scanned: open it, or say why it cannot be packed. */
static void
scan_take_order(struct app *app, const char *code)
{
	struct scan *s = app->scan;
	const struct action_def *d = action_find("orders", "ship");
	char *cause = NULL, *roles;

	/* A role that may not ship is told before it picks anything. */
	if (d != NULL && app->me_role != NULL &&
	    !action_role_allows(d, role_from_name(app->me_role))) {
		roles = action_roles_text(d->roles);
		scan_result(app, 1, xasprintf(_("your role (%s) may not ship orders; %s may"),
		    app->me_role, roles));
		free(roles);
		return;
	}
	if (scan_order_open(app->cache, code, &s->order, &cause) != SD_OK) {
		scan_result(app, 1, cause);
		return;
	}
	s->step = scan_order_left(&s->order) > 0 ? STEP_ITEMS : STEP_WAYBILL;
	scan_result(app, 0, s->step == STEP_ITEMS ?
	    xasprintf(_("order %s: scan its items"), s->order.id) :
	    xasprintf(_("order %s has no items to pick: scan the waybill"), s->order.id));
}

static void
scan_remember(struct scan *s, const char *order)
{
	int i;

	if (s->nsent == SCAN_SENT_MAX) {	/* the oldest waiting one is forgotten */
		free(s->sent[0].order);
		memmove(s->sent, s->sent + 1, (SCAN_SENT_MAX - 1) * sizeof *s->sent);
		s->nsent--;
	}
	i = s->nsent++;
	s->sent[i].order = xstrdup(order);
	s->sent[i].state = 0;
}

/* Queue the ship action, as `:ship CARRIER TRACKING` would. */
static void
scan_ship(struct app *app, const struct carrier_info *c, const char *tracking)
{
	struct scan *s = app->scan;
	const struct action_def *d = action_find("orders", "ship");
	struct action_plan plan;
	const char **values;
	char *cause = NULL, *id;
	int n, ic, it;
	enum sd_status st;

	if (d == NULL)
		return;
	n = action_arg_count(d);
	values = xcalloc((size_t)n + 1, sizeof *values);
	ic = action_arg_index(d, "carrier");
	it = action_arg_index(d, "tracking");
	if (ic >= 0)
		values[ic] = c->code;
	if (it >= 0)
		values[it] = tracking;
	memset(&plan, 0, sizeof plan);
	st = action_prepare(app->cache, d, s->order.id, values, app_time(app), &plan, &cause);
	free(values);
	if (st != SD_OK) {
		scan_result(app, 1, xasprintf(_("not shipped: %s"), cause));
		free(cause);
		action_plan_done(&plan);
		return;
	}
	id = xstrdup(s->order.id);
	if (commands_queue_plan(app, &plan, 0, &cause) != 0) {
		scan_result(app, 1, xasprintf(_("not shipped: %s"), cause != NULL ? cause : ""));
		free(cause);
		free(id);
		return;
	}
	s->shipped++;
	scan_remember(s, id);
	scan_drop_order(s);
	scan_result(app, 0, xasprintf(_("shipped %s via %s %s: scan the next order"), id,
	    c->code, tracking));
	free(id);
}

/* The waybill scanned: its carrier from its pattern, or the candidates asked for. */
static void
scan_take_waybill(struct app *app, const char *code)
{
	struct scan *s = app->scan;
	struct scan_order probe;
	char *msg = NULL, *t;
	size_t i;
	int n;

	/* An item scanned again after all were picked is one too many, not a waybill. */
	probe = s->order;
	for (i = 0; i < s->order.n; i++)
		if ((s->order.items[i].barcode != NULL &&
		    strcasecmp(s->order.items[i].barcode, code) == 0) ||
		    strcasecmp(s->order.items[i].sku_id, code) == 0) {
			(void)scan_order_tick(&probe, code, &msg);
			scan_result(app, 1, msg);
			return;
		}
	if (strcasecmp(code, s->order.id) == 0) {
		scan_result(app, 1, xasprintf(_("order %s is open already: scan its waybill"),
		    s->order.id));
		return;
	}
	free(s->tracking);
	s->tracking = xstrdup(code);
	for (i = 0; s->tracking[i] != '\0'; i++)
		if (s->tracking[i] >= 'a' && s->tracking[i] <= 'z')
			s->tracking[i] = (char)(s->tracking[i] - 'a' + 'A');
	n = scan_carrier_guess(s->tracking, s->cand, SCAN_CANDIDATES);
	if (n == 1) {
		t = s->tracking;
		s->tracking = NULL;
		scan_ship(app, s->cand[0], t);
		free(t);
		return;
	}
	if (n == 0)	/* no pattern: every carrier */
		for (n = 0; carriers[n].code != NULL && n < SCAN_CANDIDATES; n++)
			s->cand[n] = &carriers[n];
	s->ncand = n;
	s->step = STEP_CARRIER;
	t = text_clip(s->tracking);
	scan_result(app, 1, s->ncand < 3 ?
	    xasprintf(_("waybill %s fits more than one carrier: type its number or name"), t) :
	    xasprintf(_("waybill %s: carrier not known from its number; type its number or name"),
	    t));
	free(t);
}

/* STEP_CARRIER: a candidate's number, a carrier's code or name, or another waybill. */
static void
scan_take_carrier(struct app *app, const char *code)
{
	struct scan *s = app->scan;
	const struct carrier_info *c = NULL;
	char *t;
	int i;

	if (code[0] >= '1' && code[0] <= '9' && code[1] == '\0') {
		i = code[0] - '1';
		if (i < s->ncand)
			c = s->cand[i];
	} else
		c = carrier_resolve(code);
	if (c == NULL && strlen(code) >= 8) {
		s->step = STEP_WAYBILL;
		scan_take_waybill(app, code);
		return;
	}
	if (c == NULL) {
		t = text_clip(code);
		scan_result(app, 1, xasprintf(_("'%s' is none of the carriers listed: type "
		    "its number"), t));
		free(t);
		return;
	}
	t = s->tracking;
	s->tracking = NULL;
	s->ncand = 0;
	scan_ship(app, c, t);
	free(t);
}

static void
scan_submit(struct app *app)
{
	struct scan *s = app->scan;
	char code[SCAN_CODE_MAX + 1], *msg = NULL;
	size_t b = 0, e = s->len;

	while (b < e && s->input[b] == ' ')
		b++;
	while (e > b && s->input[e - 1] == ' ')
		e--;
	memcpy(code, s->input + b, e - b);
	code[e - b] = '\0';
	s->len = 0;
	s->input[0] = '\0';
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL;
	if (s->overlong) {
		s->overlong = 0;
		scan_result(app, 1, xasprintf(_("code too long (more than %d characters): "
		    "not read; scan it again"), SCAN_CODE_MAX));
		return;
	}
	if (code[0] == '\0')
		return;
	s->codes++;
	switch (s->step) {
	case STEP_ORDER:
		scan_take_order(app, code);
		break;
	case STEP_ITEMS:
		if (strcasecmp(code, s->order.id) == 0) {
			scan_result(app, 0, xasprintf(_("order %s is open already: scan its items"),
			    s->order.id));
			break;
		}
		if (scan_order_tick(&s->order, code, &msg) != SCAN_TICKED) {
			scan_result(app, 1, msg);
			break;
		}
		if (scan_order_left(&s->order) == 0) {
			free(msg);
			s->step = STEP_WAYBILL;
			msg = xasprintf(_("all items of %s picked: scan the waybill"), s->order.id);
		}
		scan_result(app, 0, msg);
		break;
	case STEP_WAYBILL:
		scan_take_waybill(app, code);
		break;
	case STEP_CARRIER:
		scan_take_carrier(app, code);
		break;
	}
}

void
scan_open(struct app *app, const char *code)
{
	if (app->scan == NULL) {
		app->scan = xcalloc(1, sizeof *app->scan);
		app->scan->result = xstrdup(_("scan an order number (its packing slip)"));
	}
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
	if (code != NULL && *code != '\0' && app->scan->step == STEP_ORDER) {
		app->scan->codes++;
		scan_take_order(app, code);
	}
}

void
scan_free(struct app *app)
{
	struct scan *s = app->scan;
	int i;

	if (s == NULL)
		return;
	scan_drop_order(s);
	for (i = 0; i < s->nsent; i++)
		free(s->sent[i].order);
	free(s->result);
	free(s->alert);
	free(s);
	app->scan = NULL;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_MESSAGE;
}

int
scan_key(struct app *app, struct key k)
{
	struct scan *s = app->scan;
	struct buf b;
	int i;

	app->dirty |= DIRTY_PANE | DIRTY_DETAIL;
	if (k.mods == 0 && (k.code == KEYC_ENTER || k.code == KEYC_TAB)) {
		scan_submit(app);
		return 1;
	}
	if (k.mods == 0 && k.code == KEYC_BSPACE) {
		if (s->len > 0) {
			while (s->len > 0 && ((unsigned char)s->input[--s->len] & 0xc0) == 0x80)
				;
			s->input[s->len] = '\0';
		} else if (s->step == STEP_ITEMS || s->step == STEP_WAYBILL) {
			if ((i = scan_order_undo(&s->order)) < 0)
				scan_result(app, 0, xstrdup(_("nothing ticked to undo")));
			else {
				s->step = STEP_ITEMS;
				scan_result(app, 0, xasprintf(_("undone: %s %d/%d"),
				    s->order.items[i].title, s->order.items[i].picked,
				    s->order.items[i].quantity));
			}
		}
		return 1;
	}
	if (k.mods == 0 && k.code == KEYC_ESC) {
		if (s->len > 0 || s->overlong) {
			s->len = 0;
			s->input[0] = '\0';
			s->overlong = 0;
		} else if (s->alert != NULL) {
			free(s->alert);
			s->alert = NULL;
		} else if (s->step != STEP_ORDER) {
			char *id = xstrdup(s->order.id);

			scan_drop_order(s);
			scan_result(app, 0, xasprintf(_("order %s given up, nothing shipped: "
			    "scan an order number"), id));
			free(id);
		} else {
			app_message(app, 0, _("scan mode closed: %d shipped"), s->shipped);
			scan_free(app);
			app_set_pane(app, app->cur);	/* what the sync changed meanwhile */
		}
		return 1;
	}
	if (k.code == ':' && k.mods == 0 && s->len == 0)
		return 0;	/* the command line, over scan mode */
	if (k.mods != 0 || k.code < 0x20 || k.code >= KEYC_BASE || k.code == 0x7f)
		return 1;	/* no part of a code */
	buf_init(&b);
	text_utf8_encode((uint32_t)k.code, &b);
	if (s->len + b.len > SCAN_CODE_MAX)
		s->overlong = 1;
	else {
		memcpy(s->input + s->len, buf_str(&b), b.len);
		s->len += b.len;
		s->input[s->len] = '\0';
	}
	buf_done(&b);
	return 1;
}

/* Shipments of the session the store refused, and those it has confirmed. */
struct scan_watch {
	struct scan	*s;
	struct buf	 alert;
};

static int
scan_on_entry(void *arg, const struct outbox_entry *e)
{
	struct scan_watch *w = arg;
	cJSON *theirs;
	int i;
	char *why;

	if (e->action == NULL || strcmp(e->action, "ship") != 0 || e->object_id == NULL)
		return 0;
	for (i = 0; i < w->s->nsent; i++)
		if (w->s->sent[i].state == 0 && strcmp(w->s->sent[i].order, e->object_id) == 0) {
			w->s->sent[i].state = 2;
			theirs = e->theirs != NULL ? cJSON_Parse(e->theirs) : NULL;
			/* A conflict: what the order has become says more than its version. */
			if (json_str(theirs, "status") != NULL)
				why = xasprintf(_("the order is %s on the store"),
				    i18n_status("order", json_str(theirs, "status")));
			else
				why = text_clip(e->reason != NULL ? e->reason : "?");
			cJSON_Delete(theirs);
			buf_addf(&w->alert, _("%sREFUSED: the store did not take %s's shipment "
			    "(#%lld: %s). Take its parcel off the pile; Esc, 7 (outbox) to drop "
			    "or edit it"), w->alert.len > 0 ? " " : "", e->object_id,
			    (long long)e->id, why);
			free(why);
		}
	return 0;
}

void
scan_on_sync(struct app *app)
{
	struct scan *s = app->scan;
	struct scan_watch w;
	char *cause = NULL;
	int i;

	if (s == NULL || s->nsent == 0)
		return;
	w.s = s;
	buf_init(&w.alert);
	if (outbox_list(app->cache, 1u << OUTBOX_FAILED | 1u << OUTBOX_CONFLICT, scan_on_entry,
	    &w, &cause) != 0)
		free(cause);
	for (i = 0; i < s->nsent; i++)
		if (s->sent[i].state == 0 &&
		    outbox_has_pending(app->cache, KIND_ORDER, s->sent[i].order) == 0)
			s->sent[i].state = 1;
	if (w.alert.len > 0) {
		free(s->alert);
		s->alert = buf_steal(&w.alert);
		beep();
	}
	buf_done(&w.alert);
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL;
}

void
scan_draw(struct app *app, WINDOW *win)
{
	struct scan *s = app->scan;
	struct detail d;
	struct buf b;
	size_t i;
	int confirmed = 0, refused = 0, j;
	const char *hint;

	for (j = 0; j < s->nsent; j++) {
		confirmed += s->sent[j].state == 1;
		refused += s->sent[j].state == 2;
	}
	werase(win);
	detail_init(&d, win, 0);
	buf_init(&b);
	buf_addf(&b, _("SCAN: %d shipped (%d confirmed, %d waiting, %d refused), %ld codes"),
	    s->shipped, confirmed, s->shipped - confirmed - refused, refused, s->codes);
	detail_title(&d, buf_str(&b));
	buf_reset(&b);
	if (s->alert != NULL)
		detail_words(&d, theme_attr(TH_ERROR), s->alert);
	if (s->step != STEP_ORDER) {
		buf_addf(&b, _("order %s  %s  %d left"), s->order.id,
		    s->order.customer != NULL ? s->order.customer : "", scan_order_left(&s->order));
		detail_text(&d, theme_attr(TH_LABEL), buf_str(&b));
		for (i = 0; i < s->order.n; i++) {
			const struct scan_item *si = &s->order.items[i];

			buf_reset(&b);
			buf_addf(&b, " %s %d/%d  %s  %s", si->picked >= si->quantity ? "✓" : "·",
			    si->picked, si->quantity, si->barcode != NULL ? si->barcode : si->sku_id,
			    si->title);
			detail_text(&d, si->picked >= si->quantity ? theme_attr(TH_DIM) :
			    theme_attr(TH_NORMAL), buf_str(&b));
		}
	}
	if (s->step == STEP_CARRIER) {
		/* The carriers' Chinese names when the console speaks Chinese. */
		int zh = strcmp(_("order number"), "order number") != 0;

		buf_reset(&b);
		for (j = 0; j < s->ncand; j++)
			buf_addf(&b, "%s%d %s %s", j > 0 ? "  " : "", j + 1, s->cand[j]->code,
			    zh ? s->cand[j]->name_zh : s->cand[j]->name_en);
		detail_words(&d, theme_attr(TH_ALERT), buf_str(&b));
	}
	detail_blank(&d);
	switch (s->step) {
	case STEP_ORDER:
		hint = _("order number");
		break;
	case STEP_ITEMS:
		hint = _("item barcode");
		break;
	case STEP_WAYBILL:
		hint = _("waybill");
		break;
	default:
		hint = _("carrier");
		break;
	}
	buf_reset(&b);
	buf_addf(&b, "%s > %s_", hint, s->input);
	detail_text(&d, theme_attr(TH_TITLE), buf_str(&b));
	if (s->result != NULL)
		detail_words(&d, theme_attr(s->result_error ? TH_ERROR : TH_NORMAL), s->result);
	detail_text(&d, theme_attr(TH_DIM), _("Enter: read  BSpace: undo tick  Esc: clear, "
	    "give up order, leave"));
	detail_end(&d);
	buf_done(&b);
	wnoutrefresh(win);
}
