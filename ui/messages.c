/*
 * messages.c -- the recent messages and their view (messages.h).
 *
 * A ring of the last MESSAGES_KEEP messages with their time. The view
 * draws them through the detail writer, which wraps by display width, so a
 * Chinese message wraps where a column ends; it keeps its own scroll.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/app.h"
#include "ui/messages.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

struct messages {
	struct {
		char	*text;
		time_t	 at;
		int	 error;
	}		 ring[MESSAGES_KEEP];
	size_t		 first;		/* the oldest */
	size_t		 n;
	int		 open;
	int		 scroll;	/* first screen line shown; -1: the end */
	int		 lines;		/* screen lines of the last drawing */
	int		 height;
};

static struct messages *
messages_get(struct app *app)
{
	if (app->messages == NULL) {
		app->messages = xcalloc(1, sizeof *app->messages);
		app->messages->scroll = -1;
	}
	return app->messages;
}

void
messages_add(struct app *app, const char *text, int error, time_t now)
{
	struct messages *m = messages_get(app);
	size_t i;

	if (m->n == MESSAGES_KEEP) {
		free(m->ring[m->first].text);
		i = m->first;
		m->first = (m->first + 1) % MESSAGES_KEEP;
	} else
		i = (m->first + m->n++) % MESSAGES_KEEP;
	m->ring[i].text = xstrdup(text);
	m->ring[i].at = now;
	m->ring[i].error = error;
	if (m->open)
		app->dirty |= DIRTY_PANE;
}

void
messages_open(struct app *app)
{
	struct messages *m = messages_get(app);

	m->open = 1;
	m->scroll = -1;
	app->dirty |= DIRTY_PANE | DIRTY_DETAIL;
}

int
messages_shown(const struct app *app)
{
	return app->messages != NULL && app->messages->open;
}

int
messages_key(struct app *app, struct key k)
{
	struct messages *m = app->messages;
	int page = m->height > 2 ? m->height - 2 : 1, top;

	top = m->scroll < 0 ? m->lines - m->height : m->scroll;
	switch (k.code) {
	case 'q':
	case KEYC_ESC:
	case KEYC_LEFT:
		m->open = 0;
		app->dirty |= DIRTY_PANE | DIRTY_DETAIL | DIRTY_TITLE;
		return 1;
	case 'j':
	case KEYC_DOWN:
		top++;
		break;
	case 'k':
	case KEYC_UP:
		top--;
		break;
	case ' ':
	case KEYC_PGDN:
		top += page;
		break;
	case KEYC_PGUP:
		top -= page;
		break;
	case 'g':
	case KEYC_HOME:
		top = 0;
		break;
	case 'G':
	case KEYC_END:
		top = m->lines;
		break;
	default:
		return 0;	/* the rest as usual: ':', '?', panes... */
	}
	if (top >= m->lines - m->height)
		m->scroll = -1;		/* follow the newest */
	else
		m->scroll = top < 0 ? 0 : top;
	app->dirty |= DIRTY_PANE;
	return 1;
}

/* Write every message through d; returns the screen lines they take. */
static int
messages_write(struct messages *m, struct detail *d)
{
	char when[16];
	struct buf b;
	size_t i, j;

	buf_init(&b);
	for (i = 0; i < m->n; i++) {
		j = (m->first + i) % MESSAGES_KEEP;
		time_format_local(m->ring[j].at, "%H:%M:%S ", when, sizeof when);
		buf_reset(&b);
		buf_addf(&b, "%s%s", when, m->ring[j].text);
		detail_words(d, theme_attr(m->ring[j].error ? TH_ERROR : TH_NORMAL),
		    buf_str(&b));
	}
	buf_done(&b);
	return d->y;
}

void
messages_draw(struct app *app, WINDOW *win)
{
	struct messages *m = messages_get(app);
	struct detail d;
	char *title;
	int h, w, skip;

	getmaxyx(win, h, w);
	(void)w;
	werase(win);
	title = xasprintf(_("Messages, newest last (%zu; j/k scroll, q or Esc closes)"), m->n);
	wmove(win, 0, 0);
	wattrset(win, theme_attr(TH_TITLE));
	waddnstr(win, title, w);
	free(title);
	if (h < 2) {
		wnoutrefresh(win);
		return;
	}
	/* Measure first (nothing drawn: skip everything), then draw the part in view. */
	m->height = h - 1;
	detail_init(&d, win, 1 << 20);
	m->lines = messages_write(m, &d);
	skip = m->scroll < 0 ? m->lines - m->height : m->scroll;
	if (skip < 0)
		skip = 0;
	detail_init(&d, derwin(win, h - 1, getmaxx(win), 1, 0), skip);
	if (m->n == 0)
		detail_text(&d, theme_attr(TH_DIM), _("no messages yet"));
	else
		messages_write(m, &d);
	detail_end(&d);
	delwin(d.win);
	wnoutrefresh(win);
}

void
messages_free(struct app *app)
{
	struct messages *m = app->messages;
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->ring[(m->first + i) % MESSAGES_KEEP].text);
	free(m);
	app->messages = NULL;
}
