/*
 * layout.c -- where things go on the screen, and the fixed lines.
 *
 *	line 0		tab bar: 1 Dashboard 2 Orders ... 7 Outbox
 *	line 1		the pane's title: its filter tabs, search, position
 *	lines 2..-3	the list (and the detail beside it from 100 columns)
 *	line -2		status: who, online/offline/syncing, outbox, alerts
 *	line -1		messages and the prompt
 *
 * Below 80x24 it degrades: short tab labels, no detail beside the list,
 * then no title line, then only what fits; a window with no room is NULL
 * and is skipped, so any size down to 1x1 is drawn without error.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache-fts.h"
#include "ui/agent.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define LAYOUT_SPLIT_COLS	100	/* from here the detail is beside the list */

static void
layout_del(WINDOW **w)
{
	if (*w != NULL)
		delwin(*w);
	*w = NULL;
}

void
layout_free(struct layout *lay)
{
	layout_del(&lay->tabs);
	layout_del(&lay->title);
	layout_del(&lay->list);
	layout_del(&lay->detail);
	layout_del(&lay->status);
	layout_del(&lay->preview);
	layout_del(&lay->message);
}

static WINDOW *
layout_win(int h, int w, int y, int x)
{
	WINDOW *win;

	if (h <= 0 || w <= 0)
		return NULL;
	if ((win = newwin(h, w, y, x)) != NULL) {
		idlok(win, TRUE);
		leaveok(win, TRUE);
	}
	return win;
}

void
layout_make(struct app *app)
{
	struct layout *lay = &app->lay;
	int rows = LINES, cols = COLS, y = 0, bottom, h, lw;

	layout_free(lay);
	lay->rows = rows;
	lay->cols = cols;
	lay->narrow = cols < 90;
	/* Bottom up: the message line first, then status, then the top. */
	bottom = rows;
	if (bottom >= 1) {
		lay->message = layout_win(1, cols, rows - 1, 0);
		bottom--;
	}
	if (bottom >= 2) {
		lay->status = layout_win(1, cols, bottom - 1, 0);
		bottom--;
	}
	if (bottom >= 2) {
		lay->tabs = layout_win(1, cols, 0, 0);
		y = 1;
	}
	if (bottom - y >= 4) {
		lay->title = layout_win(1, cols, y, 0);
		y++;
	}
	h = bottom - y;
	if (h >= 3)
		lay->preview = layout_win(1, cols, bottom - 1, 0);
	lay->split = cols >= LAYOUT_SPLIT_COLS && h >= 3 && !app->detail_hidden;
	if (lay->split) {
		lw = cols * 3 / 5;
		lay->list = layout_win(h, lw, y, 0);
		lay->detail = layout_win(h, cols - lw - 1, y, lw + 1);
	} else {
		lay->list = layout_win(h, cols, y, 0);
		lay->detail = layout_win(h, cols, y, 0);
	}
	if (lay->list != NULL)
		scrollok(lay->list, FALSE);
}

/* Draw text fitted to the rest of the line at the cursor (sanitised first). */
static void
layout_put(WINDOW *win, attr_t attr, const char *text, int width)
{
	struct buf b;
	char *clean;

	if (width <= 0)
		return;
	clean = text_sanitize(text, 0);
	buf_init(&b);
	text_fit(clean, width, 0, &b);
	wattrset(win, attr);
	waddnstr(win, buf_str(&b), -1);
	buf_done(&b);
	free(clean);
}

/* The first key of the current pane's chain bound to "messages". */
static void
layout_messages_key(void *arg, const char *keys, const char *command, const char *keymap)
{
	char **found = arg;

	(void)keymap;
	if (*found == NULL && command != NULL && strcmp(command, "messages") == 0)
		*found = xstrdup(keys);
}

/*
 * A message on the bottom line: when it is wider than the line, as much as
 * fits and a hint that `messages` shows it whole: " (M: all)" with the key
 * bound to it here, or " (:messages)".
 */
static void
layout_put_cut(struct app *app, WINDOW *win, attr_t attr, const char *text, int width)
{
	enum keymap_id chain[2];
	char *key = NULL, *hint;
	struct buf b;
	char *clean;
	size_t n = 0;
	int hw;

	clean = text_sanitize(text, 0);
	if (text_width(clean) <= width) {
		layout_put(win, attr, clean, width);
		free(clean);
		return;
	}
	if (app->detail_open)
		chain[n++] = KEYMAP_DETAIL;
	chain[n++] = app_pane(app)->ops->keymap;
	keymap_describe_chain(app->kms, chain, n, layout_messages_key, &key);
	hint = key != NULL ? xasprintf(_(" (%s: all)"), key) : xstrdup(_(" (:messages)"));
	hw = text_width(hint);
	if (width <= hw + 8)
		layout_put(win, attr, clean, width);
	else {
		/* What fits, ending with text_fit's ellipsis, then the hint. */
		buf_init(&b);
		text_fit(clean, width - hw, 0, &b);
		wattrset(win, attr);
		waddnstr(win, buf_str(&b), -1);
		wattrset(win, theme_attr(TH_DIM));
		waddnstr(win, hint, -1);
		buf_done(&b);
	}
	free(hint);
	free(key);
	free(clean);
}

/* Columns left on the cursor's line of win. */
static int
layout_left(WINDOW *win)
{
	int y, x, h, w;

	getyx(win, y, x);
	getmaxyx(win, h, w);
	(void)y;
	(void)h;
	return w - x;
}

void
layout_draw_tabs(struct app *app)
{
	WINDOW *win = app->lay.tabs;
	char label[64];
	int i, full, total, pass;

	if (win == NULL)
		return;
	/* Full labels if they fit, else short ones, else numbers only. */
	for (pass = 0; pass < 3; pass++) {
		total = 0;
		for (i = 0; i < PANE__TABS; i++) {
			const struct pane_ops *ops = app->panes[i].ops;

			if (!app_pane_allowed(app, i))
				continue;	/* not the user's role's: not shown */
			if (pass == 2)
				snprintf(label, sizeof label, " %d ", i + 1);
			else
				snprintf(label, sizeof label, " %d %s ", i + 1,
				    pass == 0 ? _(ops->title) : _(ops->short_title));
			total += text_width(label);
		}
		if (total <= app->lay.cols)
			break;
	}
	full = pass;
	wmove(win, 0, 0);
	for (i = 0; i < PANE__TABS; i++) {
		const struct pane_ops *ops = app->panes[i].ops;

		if (!app_pane_allowed(app, i))
			continue;
		if (full == 2)
			snprintf(label, sizeof label, " %d ", i + 1);
		else
			snprintf(label, sizeof label, " %d %s ", i + 1,
			    full == 0 ? _(ops->title) : _(ops->short_title));
		if (i == PANE_OUTBOX && app->outbox[OUTBOX_CONFLICT] + app->outbox[OUTBOX_FAILED] > 0
		    && full < 2)
			snprintf(label + strlen(label) - 1, sizeof label - strlen(label) + 1, "! ");
		layout_put(win, theme_attr(i == app->cur ? TH_TAB_ACTIVE : TH_TAB), label,
		    layout_left(win));
		app->tab_end[i] = getcurx(win);	/* where a click finds it */
	}
	wattrset(win, theme_attr(TH_TAB));
	wclrtoeol(win);
	wnoutrefresh(win);
}

void
layout_draw_title(struct app *app)
{
	WINDOW *win = app->lay.title;
	struct pane *p = app_pane(app);
	const struct pane_filter *f;
	const char *name;
	char pos[64], *s;
	int i, fifo;

	if (win == NULL)
		return;
	wmove(win, 0, 0);
	layout_put(win, theme_attr(TH_TITLE), _(p->ops->title), layout_left(win));
	if (!app_offered(app, p->ops->kind)) {
		/* Nothing to filter, sort or count: the pane says why. */
		wattrset(win, theme_attr(TH_NORMAL));
		wclrtoeol(win);
		wnoutrefresh(win);
		return;
	}
	if (p->ops->filters != NULL) {
		for (i = 0, f = p->ops->filters; f->label != NULL; f++, i++) {
			if (app->lay.narrow && i != p->filter)
				continue;
			layout_put(win, theme_attr(TH_NORMAL), " ", layout_left(win));
			s = xasprintf(i == p->filter ? "[%s]" : " %s ", _(f->label));
			layout_put(win, theme_attr(i == p->filter ? TH_TAB_ACTIVE : TH_DIM), s,
			    layout_left(win));
			free(s);
		}
	}
	/* The kind tab, once one is chosen (K): "<return and refund>". */
	if (p->ops->kinds != NULL && p->kind > 0) {
		s = xasprintf(" <%s>", i18n_status(p->ops->kind_codes, p->ops->kinds[p->kind - 1]));
		layout_put(win, theme_attr(TH_TAB_ACTIVE), s, layout_left(win));
		free(s);
	}
	/* The category filter (`category`): its path, sanitised by layout_put. */
	if (p->category_label != NULL) {
		s = xasprintf(_("  category: %s"), p->category_label);
		layout_put(win, theme_attr(TH_TAB_ACTIVE), s, layout_left(win));
		free(s);
	}
	/* What the Dashboard opened: "paid orders 2026-11-20" (q goes back). */
	if (p->drill_label != NULL) {
		s = xasprintf("  %s", p->drill_label);
		layout_put(win, theme_attr(TH_TAB_ACTIVE), s, layout_left(win));
		free(s);
	}
	if (p->search != NULL) {
		s = xasprintf("  /%s", p->search);
		layout_put(win, theme_attr(TH_ALERT) & ~A_REVERSE, s, layout_left(win));
		free(s);
	}
	if (p->list.nmarks > 0) {
		s = xasprintf(_("  %zu marked"), p->list.nmarks);
		layout_put(win, theme_attr(TH_ALERT) & ~A_REVERSE, s, layout_left(win));
		free(s);
	}
	name = app_pane_sort(p, &fifo);
	if (p->sort != NULL || p->reverse || fifo) {
		if (name == NULL && p->ops->kind >= 0)
			name = cache_query_sorts((enum sd_kind)p->ops->kind)[0];
		s = xasprintf("  (%s%s%s)", name != NULL ? i18n_status("sort", name) : "",
		    name != NULL && p->reverse ? ", " : "", p->reverse ? _("reversed") : "");
		layout_put(win, theme_attr(TH_DIM), s, layout_left(win));
		free(s);
	}
	if (p->ops->summary != NULL && (s = p->ops->summary(p, app)) != NULL) {
		layout_put(win, theme_attr(TH_NORMAL), "  ", layout_left(win));
		layout_put(win, theme_attr(TH_ALERT) & ~A_REVERSE, s, layout_left(win) - 8);
		free(s);
	}
	if (app->cur == PANE_CHATS && (s = agent_queue_summary(app)) != NULL) {
		/* Who waits in each queue, and the longest wait: always in sight here. */
		layout_put(win, theme_attr(TH_NORMAL), "  ", layout_left(win));
		layout_put(win, theme_attr(TH_DIM), s, layout_left(win) - 8);
		free(s);
	}
	wattrset(win, theme_attr(TH_NORMAL));
	wclrtoeol(win);
	if (p->ops->kind >= 0 || p->ops->load != NULL) {
		list_position(&p->list, pos, sizeof pos);
		if ((int)strlen(pos) + 2 < layout_left(win)) {
			int w = getmaxx(win);

			/* Plain, like the rows: a move then changes digits, not attributes. */
			wattrset(win, theme_attr(TH_NORMAL));
			mvwaddstr(win, 0, w - (int)strlen(pos) - 1, pos);
		}
	}
	wnoutrefresh(win);
}

void
layout_draw_candidates(struct app *app, const char *candidates)
{
	WINDOW *win = app->lay.status;
	int n;

	if (win == NULL)
		return;
	wmove(win, 0, 0);
	layout_put(win, theme_attr(TH_STATUS), " ", layout_left(win));
	layout_put(win, theme_attr(TH_STATUS), candidates, layout_left(win));
	wattrset(win, theme_attr(TH_STATUS));
	for (n = layout_left(win); n > 0; n--)
		waddch(win, ' ');
	wnoutrefresh(win);
}

void
layout_draw_preview(struct app *app, const char *which, const char *text)
{
	WINDOW *win = app->lay.preview;

	if (win == NULL)
		return;
	werase(win);
	wmove(win, 0, 0);
	layout_put(win, theme_attr(TH_TAB_ACTIVE), " ", layout_left(win));
	layout_put(win, theme_attr(TH_TAB_ACTIVE), which, layout_left(win));
	layout_put(win, theme_attr(TH_TAB_ACTIVE), " ", layout_left(win));
	layout_put(win, theme_attr(TH_NORMAL), " ", layout_left(win));
	layout_put(win, theme_attr(TH_NORMAL), text, layout_left(win));
	wattrset(win, theme_attr(TH_NORMAL));
	wclrtoeol(win);
	/* Over the pane's last line, which may have been drawn since: copy it whole. */
	touchwin(win);
	wnoutrefresh(win);
}

void
layout_draw_status(struct app *app)
{
	WINDOW *win = app->lay.status;
	const struct syncer_state *s = &app->sync;
	struct buf b;
	int utf8 = text_locale_utf8();
	long pending = app->outbox[OUTBOX_QUEUED] + app->outbox[OUTBOX_SENDING];
	long bad = app->outbox[OUTBOX_CONFLICT] + app->outbox[OUTBOX_FAILED];

	if (win == NULL)
		return;
	buf_init(&b);
	wmove(win, 0, 0);
	wbkgdset(win, theme_attr(TH_STATUS));
	buf_addf(&b, " %s@%s", app->me_login != NULL ? app->me_login : "?",
	    app->conf->profile);
	if (app->me_role != NULL && !app->lay.narrow)
		buf_addf(&b, " (%s)", app->me_role);
	buf_adds(&b, " ");
	layout_put(win, theme_attr(TH_STATUS), buf_str(&b), layout_left(win));
	buf_reset(&b);
	if (app->syncer == NULL)
		buf_addf(&b, " %s ", _("offline (no sync)"));
	else switch (s->link) {
	case SYNCER_STARTING:
		buf_addf(&b, " %s ", _("connecting"));
		break;
	case SYNCER_ONLINE:
		buf_addf(&b, " %s%s ", utf8 ? "\xe2\x97\x8f " : "", _("online"));
		break;
	case SYNCER_SYNCING:
		if (s->indexing > 0)	/* a first sync's indexes: "indexing 3/4" */
			buf_addf(&b, " %s %d/%d ", _("indexing"), s->indexing, s->nsteps);
		else if (s->percent >= 0)
			buf_addf(&b, " %s %d%% ", _("syncing"), s->percent);
		else
			buf_addf(&b, " %s ", _("syncing"));
		break;
	case SYNCER_OFFLINE:
		buf_addf(&b, " %s%s ", utf8 ? "\xe2\x97\x8b " : "", _("OFFLINE"));
		break;
	case SYNCER_ERROR:
		buf_addf(&b, " %s ", _("SYNC ERROR"));
		break;
	}
	layout_put(win, theme_attr(s->link == SYNCER_OFFLINE || s->link == SYNCER_ERROR ||
	    app->syncer == NULL ? TH_OFFLINE : s->link == SYNCER_ONLINE ? TH_ONLINE : TH_STATUS),
	    buf_str(&b), layout_left(win));
	buf_reset(&b);
	{
		long conflicts = app->outbox[OUTBOX_CONFLICT], refused = app->outbox[OUTBOX_FAILED];

		/* A refusal is not a conflict: each is named for what to do about it. */
		buf_addf(&b, " %ld %s", pending, _("pending"));
		if (conflicts > 0 || (refused == 0 && !app->lay.narrow))
			buf_addf(&b, ", %ld %s", conflicts,
			    conflicts == 1 ? _("conflict") : _("conflicts"));
		if (refused > 0)
			buf_addf(&b, ", %ld %s", refused, _("refused"));
		buf_adds(&b, " ");
		layout_put(win, theme_attr(bad > 0 ? TH_ALERT : TH_STATUS), buf_str(&b),
		    layout_left(win));
	}
	buf_reset(&b);
	if (app->kpi.chats_waiting_long > 0 && app_offered(app, KIND_CONVERSATION)) {
		buf_addf(&b, " %s%ld %s", utf8 ? "\xe2\x9a\xa0 " : "! ", app->kpi.chats_waiting_long,
		    app->lay.narrow ? _("waiting") : _("chats waiting >30s"));
		if (app->kpi.oldest_wait > 0) {
			/* The longest wait, the figure a supervisor asks first. */
			buf_adds(&b, " ");
			columns_format_duration(app->kpi.oldest_wait, &b);
		}
		buf_adds(&b, " ");
		layout_put(win, theme_attr(TH_ALERT), buf_str(&b), layout_left(win));
		layout_put(win, theme_attr(TH_STATUS), " ", layout_left(win));
	}
	buf_reset(&b);
	if (app->kpi.tickets_warning + app->kpi.tickets_breached > 0) {
		buf_addf(&b, " %ld %s ", app->kpi.tickets_warning + app->kpi.tickets_breached,
		    app->lay.narrow ? _("SLA") : _("tickets near/over SLA"));
		layout_put(win, theme_attr(TH_ALERT), buf_str(&b), layout_left(win));
	}
	wattrset(win, theme_attr(TH_STATUS));
	wclrtoeol(win);
	buf_done(&b);
	wnoutrefresh(win);
}

void
layout_draw_message(struct app *app)
{
	WINDOW *win = app->lay.message;
	char pend[KEY_SEQ_STRING_MAX];

	if (win == NULL)
		return;
	wmove(win, 0, 0);
	if (app->message != NULL)
		layout_put_cut(app, win, theme_attr(app->message_error ? TH_ERROR : TH_NORMAL),
		    app->message, layout_left(win));
	wattrset(win, theme_attr(TH_NORMAL));
	wclrtoeol(win);
	keymap_input_pending(&app->kin, pend, sizeof pend);
	if (pend[0] != '\0' && (int)strlen(pend) + 2 < getmaxx(win))
		mvwaddstr(win, 0, getmaxx(win) - (int)strlen(pend) - 1, pend);
	wnoutrefresh(win);
}

void
layout_draw_not_offered(struct app *app, WINDOW *win)
{
	char *line = app_not_offered(app, _(app_pane(app)->ops->title));
	int h, w, width;

	werase(win);
	getmaxyx(win, h, w);
	width = text_width(line);
	wmove(win, h / 2, width < w ? (w - width) / 2 : 0);
	layout_put(win, theme_attr(TH_TITLE), line, layout_left(win));
	free(line);
	wnoutrefresh(win);
}

/* --- the detail writer ------------------------------------------------------ */

/*
 * Light what query matches in text, already written on win's row y from
 * column x: each match written again in attr (cache_fts_spans()).
 */
void
layout_light(WINDOW *win, int y, int x, const char *text, const char *query, attr_t attr)
{
	int sp[32], n, i, col;
	struct buf b;

	if (query == NULL || *query == '\0' ||
	    (n = cache_fts_spans(query, text, sp, 16)) == 0)
		return;
	buf_init(&b);
	wattrset(win, attr);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		buf_add(&b, text, (size_t)sp[2 * i]);
		col = x + text_width(buf_str(&b));
		mvwaddnstr(win, y, col, text + sp[2 * i], sp[2 * i + 1] - sp[2 * i]);
	}
	buf_done(&b);
}

void
detail_init(struct detail *d, WINDOW *win, int skip)
{
	d->win = win;
	d->match = NULL;
	d->y = 0;
	d->skip = skip;
	getmaxyx(win, d->h, d->w);
}

/* Write one screen line (already fitted) if it is in view. */
static void
detail_put(struct detail *d, attr_t attr, const char *label, attr_t lattr, const char *text)
{
	int row = d->y - d->skip;
	struct buf b;
	int lw = 0;

	d->y++;
	if (row < 0 || row >= d->h)
		return;
	wmove(d->win, row, 0);
	buf_init(&b);
	if (label != NULL) {
		lw = text_width(label);
		wattrset(d->win, lattr);
		waddnstr(d->win, label, -1);
	}
	text_fit(text, d->w - lw, 1, &b);
	wattrset(d->win, attr);
	waddnstr(d->win, buf_str(&b), -1);
	layout_light(d->win, row, lw, buf_str(&b), d->match, theme_attr(TH_MATCH));
	buf_done(&b);
}

/* Wrap clean text into lines of width w (by display width), calling put for each. */
static void
detail_wrap(struct detail *d, attr_t attr, const char *label, const char *clean)
{
	int lw = label != NULL ? text_width(label) : 0, avail = d->w - lw, cw, x;
	const char *p = clean, *start;
	int len;
	char *line;

	if (avail < 4)
		avail = d->w > 0 ? d->w : 1;
	do {
		start = p;
		x = 0;
		while (*p != '\0' && *p != '\n') {
			/* A whole cluster (an emoji sequence) at a time, as drawn. */
			len = (int)text_cluster(p, strcspn(p, "\n"), &cw);
			if (x + cw > avail)
				break;
			x += cw;
			p += len;
		}
		line = xstrndup(start, (size_t)(p - start));
		detail_put(d, attr, label, theme_attr(TH_LABEL), line);
		free(line);
		if (label != NULL) {
			static const char spaces[] = "                                ";
			int n = lw < (int)sizeof spaces - 1 ? lw : (int)sizeof spaces - 1;

			label = spaces + sizeof spaces - 1 - n;
		}
		if (*p == '\n')
			p++;
	} while (*p != '\0');
}

void
detail_title(struct detail *d, const char *text)
{
	char *clean = text_sanitize(text, 0);

	detail_put(d, theme_attr(TH_TITLE), NULL, 0, clean);
	free(clean);
}

void
detail_field_attr(struct detail *d, const char *label, const char *value, attr_t attr)
{
	char *clean = text_sanitize(value != NULL ? value : "", TEXT_KEEP_NEWLINES);
	int pad = 10 - text_width(label);
	/* Padded by display width, so that 处理人 lines up with phone. */
	char *lab = xasprintf("%s%*s ", label, pad > 0 ? pad : 0, "");

	detail_wrap(d, attr, lab, clean);
	free(lab);
	free(clean);
}

void
detail_field(struct detail *d, const char *label, const char *value)
{
	detail_field_attr(d, label, value, theme_attr(TH_NORMAL));
}

void
detail_fieldf(struct detail *d, const char *label, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	detail_field(d, label, s);
	free(s);
}

void
detail_text(struct detail *d, attr_t attr, const char *text)
{
	char *clean = text_sanitize(text != NULL ? text : "", TEXT_KEEP_NEWLINES);

	detail_wrap(d, attr, NULL, clean);
	free(clean);
}

void
detail_words(struct detail *d, attr_t attr, const char *text)
{
	char *clean = text_sanitize(text, 0), *p = clean, *line;
	const char *q, *brk;
	uint32_t cp;
	int x, cw, len;

	/* Lines broken at the last blank that fits; a word wider than a line is cut. */
	while (*p != '\0') {
		x = 0;
		brk = NULL;
		for (q = p; *q != '\0'; q += len) {
			len = (int)text_cluster(q, strlen(q), &cw);
			if (x + cw > d->w)
				break;
			if (*q == ' ')
				brk = q;
			x += cw;
		}
		if (*q != '\0' && brk != NULL && brk > p)
			q = brk;
		if (q == p)
			q += text_utf8_decode(q, strlen(q), &cp);
		line = xstrndup(p, (size_t)(q - p));
		detail_put(d, attr, NULL, 0, line);
		free(line);
		p = (char *)q;
		while (*p == ' ')
			p++;
	}
	free(clean);
}

void
detail_blank(struct detail *d)
{
	detail_put(d, theme_attr(TH_NORMAL), NULL, 0, "");
}

void
detail_event(struct detail *d, struct app *app, const cJSON *ev, const char *kind,
    const char *key, const char *note_key)
{
	static const struct column at = { "", "at", COL_TIME, 11 };
	const char *by = json_str(ev, "by"), *note = json_str(ev, note_key);
	struct buf b;

	buf_init(&b);
	column_text(ev, &at, COLUMN_HUMAN, time(NULL), &b);
	buf_addf(&b, "  %s", i18n_status(kind, json_str(ev, key)));
	if (by != NULL && strcmp(by, "system") == 0)
		buf_addf(&b, "  %s", i18n_status("actor", by));
	else if (by != NULL && *by != '\0') {
		/* A user by name; a customer's id as it is. */
		char *who = app_user_label(app, by);

		buf_addf(&b, "  %s", who);
		free(who);
	}
	if (note != NULL && *note != '\0')
		buf_addf(&b, "  %s", note);
	detail_text(d, theme_attr(TH_DIM), buf_str(&b));
	buf_done(&b);
}

static void
detail_value(struct detail *d, const char *name, const cJSON *v, int depth)
{
	const cJSON *c;
	char *label, idx[32];
	int i = 0;

	label = xasprintf("%*s%s", depth * 2, "", name);
	if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
		if (cJSON_GetArraySize(v) == 0) {
			detail_field(d, label, cJSON_IsArray(v) ? "[]" : "{}");
			free(label);
			return;
		}
		detail_field(d, label, "");
		cJSON_ArrayForEach(c, v) {
			if (cJSON_IsArray(v)) {
				snprintf(idx, sizeof idx, "[%d]", i++);
				detail_value(d, idx, c, depth + 1);
			} else
				detail_value(d, c->string, c, depth + 1);
		}
	} else if (cJSON_IsString(v))
		detail_field(d, label, v->valuestring);
	else if (cJSON_IsNumber(v))
		detail_fieldf(d, label, "%lld", (long long)v->valuedouble);
	else if (cJSON_IsBool(v))
		detail_field(d, label, cJSON_IsTrue(v) ? "true" : "false");
	else
		detail_field(d, label, "-");
	free(label);
}

void
detail_object(struct detail *d, const cJSON *obj)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, obj) {
		if (c->string != NULL && c->string[0] == '_')
			continue;
		detail_value(d, c->string, c, 0);
	}
}

void
detail_end(struct detail *d)
{
	int row = d->y - d->skip;

	if (row < 0)
		row = 0;
	if (row < d->h) {
		wmove(d->win, row, 0);
		wattrset(d->win, theme_attr(TH_NORMAL));
		wclrtobot(d->win);
	}
}
