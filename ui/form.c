/*
 * form.c -- a small form over the pane (form.h): editing and drawing only;
 * what a field accepts is its owner's to say.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/form.h"
#include "ui/i18n.h"
#include "ui/theme.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xmalloc.h"

struct form *
form_new(const char *title, const struct form_ops *ops, void *arg)
{
	struct form *f = xcalloc(1, sizeof *f);

	f->title = xstrdup(title);
	f->ops = ops;
	f->arg = arg;
	return f;
}

void
form_free(struct form **fp)
{
	struct form *f = *fp;
	int i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->fields[i].label);
		free(f->fields[i].value);
		free(f->fields[i].error);
	}
	if (f->ops->free != NULL)
		f->ops->free(f->arg);
	free(f->title);
	free(f->notice);
	free(f->candidates);
	free(f);
	*fp = NULL;
}

int
form_add(struct form *f, const char *name, const char *label, const char *hint,
    const char *value)
{
	return form_insert(f, f->n, name, label, hint, value, 0);
}

int
form_insert(struct form *f, int at, const char *name, const char *label, const char *hint,
    const char *value, int row)
{
	struct form_field *ff;

	if (f->n >= FORM_FIELDS_MAX || at < 0 || at > f->n)
		return -1;
	memmove(&f->fields[at + 1], &f->fields[at], (size_t)(f->n - at) * sizeof *ff);
	ff = &f->fields[at];
	memset(ff, 0, sizeof *ff);
	ff->name = name;
	ff->label = xstrdup(label);
	ff->hint = hint;
	ff->value = xstrdup(value != NULL ? value : "");
	ff->row = row;
	if (f->cur >= at && f->n > 0 && at < f->n)
		f->cur++;
	f->n++;
	return at;
}

void
form_remove(struct form *f, int at, int n)
{
	int i;

	if (at < 0 || n <= 0 || at + n > f->n)
		return;
	for (i = at; i < at + n; i++) {
		free(f->fields[i].label);
		free(f->fields[i].value);
		free(f->fields[i].error);
	}
	memmove(&f->fields[at], &f->fields[at + n], (size_t)(f->n - at - n) *
	    sizeof f->fields[0]);
	f->n -= n;
	if (f->cur >= at + n)
		f->cur -= n;
	else if (f->cur >= at)
		f->cur = at < f->n ? at : f->n - 1;
	if (f->cur < 0)
		f->cur = 0;
	while (f->cur > 0 && f->fields[f->cur].hidden)
		f->cur--;
}

int
form_find(const struct form *f, const char *name)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return i;
	return -1;
}

const char *
form_value(const struct form *f, const char *name)
{
	int i = form_find(f, name);

	return i < 0 || f->fields[i].hidden ? "" : f->fields[i].value;
}

void
form_set_value(struct form *f, int i, const char *value)
{
	free(f->fields[i].value);
	f->fields[i].value = xstrdup(value);
}

void
form_error(struct form *f, int i, const char *fmt, ...)
{
	va_list ap;

	free(f->fields[i].error);
	f->fields[i].error = NULL;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	f->fields[i].error = xvasprintf(fmt, ap);
	va_end(ap);
}

void
form_notice(struct form *f, int error, const char *fmt, ...)
{
	va_list ap;

	free(f->notice);
	f->notice = NULL;
	f->notice_error = error;
	if (fmt == NULL)
		return;
	va_start(ap, fmt);
	f->notice = xvasprintf(fmt, ap);
	va_end(ap);
}

int
form_has_errors(const struct form *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (!f->fields[i].hidden && f->fields[i].error != NULL)
			return 1;
	return 0;
}

void
form_check_all(struct form *f)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (!f->fields[i].hidden)
			f->ops->check(f, i);
}

/* The next shown field from cur in direction dir, or cur at either end. */
static int
form_step(const struct form *f, int dir)
{
	int i;

	for (i = f->cur + dir; i >= 0 && i < f->n; i += dir)
		if (!f->fields[i].hidden)
			return i;
	return f->cur;
}

/* Leave the current field for field to: check it first. */
static void
form_move(struct form *f, int to)
{
	f->ops->check(f, f->cur);
	f->cur = to;
	free(f->candidates);
	f->candidates = NULL;
}

/* Completion: candidates starting with the value, their common prefix. */
struct form_comp {
	const char	*prefix;
	char		*common;
	struct buf	 shown;
	int		 n;
};

static void
form_comp_add(void *arg, const char *cand)
{
	struct form_comp *c = arg;
	size_t k;

	if (strncmp(cand, c->prefix, strlen(c->prefix)) != 0)
		return;
	if (c->n++ == 0)
		c->common = xstrdup(cand);
	else {
		for (k = 0; c->common[k] != '\0' && c->common[k] == cand[k]; k++)
			;
		/* Do not cut a UTF-8 character in two. */
		while (k > 0 && ((unsigned char)c->common[k] & 0xc0) == 0x80)
			k--;
		c->common[k] = '\0';
	}
	if (c->n <= 12) {
		if (c->n > 1)
			buf_adds(&c->shown, "  ");
		text_sanitize_buf(cand, 0, &c->shown);
	}
}

/* Tab: complete the value; 0 when there is nothing to complete (move on). */
static int
form_complete(struct form *f)
{
	struct form_field *ff = &f->fields[f->cur];
	struct form_comp c;
	int rc = 0;

	if (f->ops->complete == NULL)
		return 0;
	memset(&c, 0, sizeof c);
	buf_init(&c.shown);
	c.prefix = ff->value;
	f->ops->complete(f, f->cur, form_comp_add, &c);
	free(f->candidates);
	f->candidates = NULL;
	if (c.n > 0 && strcmp(c.common, ff->value) != 0) {
		form_set_value(f, f->cur, c.common);
		if (c.n == 1 && f->ops->changed != NULL)
			f->ops->changed(f, f->cur);
		rc = 1;
	}
	if (c.n > 1) {
		f->candidates = xstrdup(buf_str(&c.shown));
		rc = 1;
	}
	free(c.common);
	buf_done(&c.shown);
	return rc;
}

/* The value without its last character. */
static void
form_backspace(struct form_field *ff)
{
	size_t n = strlen(ff->value);

	while (n > 0 && ((unsigned char)ff->value[n - 1] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		n--;
	ff->value[n] = '\0';
}

int
form_key(struct form *f, struct key k)
{
	struct form_field *ff = &f->fields[f->cur];
	struct buf b;
	int last;

	if (f->closing) {
		f->closing = 0;
		if (k.code == KEYC_ESC || k.code == 'y' || k.code == 'Y')
			return 0;
		form_notice(f, 0, NULL);
		return 1;	/* back to the form, nothing lost */
	}
	if (f->ops->key != NULL && f->ops->key(f, k)) {
		free(f->candidates);
		f->candidates = NULL;
		return 1;
	}
	ff = &f->fields[f->cur];
	last = form_step(f, 1) == f->cur;
	if (k.code == KEYC_ESC) {
		f->closing = 1;
		form_notice(f, 1, "%s", _("close the form and lose what was typed? Esc or y: close; "
		    "any other key: keep editing"));
		return 1;
	}
	if ((k.code == 'x' && (k.mods & KEYM_CTRL)) ||
	    ((k.code == KEYC_ENTER || k.code == '\r' || k.code == '\n') && last)) {
		if (!f->ops->submit(f))		/* it checks every field */
			return 1;
		f->queued = 1;
		return 0;
	}
	switch (k.code) {
	case KEYC_TAB:
		if (!form_complete(f))
			form_move(f, form_step(f, 1));
		return 1;
	case KEYC_ENTER:
	case '\r':
	case '\n':
	case KEYC_DOWN:
		form_move(f, form_step(f, 1));
		return 1;
	case KEYC_BTAB:
	case KEYC_UP:
		form_move(f, form_step(f, -1));
		return 1;
	case KEYC_BSPACE:
	case 0x7f:
	case 0x08:
		form_backspace(ff);
		break;
	case 'u':
		if (!(k.mods & KEYM_CTRL))
			goto type;
		ff->value[0] = '\0';
		break;
	default:
	type:
		if (k.mods & (KEYM_CTRL | KEYM_META) || k.code < 0x20 || k.code >= KEYC_BASE)
			return 1;
		buf_init(&b);
		buf_adds(&b, ff->value);
		text_utf8_encode((uint32_t)k.code, &b);
		form_set_value(f, f->cur, buf_str(&b));
		buf_done(&b);
		break;
	}
	free(f->candidates);
	f->candidates = NULL;
	if (f->ops->changed != NULL)
		f->ops->changed(f, f->cur);
	return 1;
}

/* text at the cursor's line in attr, sanitised and cut to the window. */
static void
form_line(WINDOW *win, int y, int x, attr_t attr, const char *text)
{
	struct buf clean, fit;
	int w = getmaxx(win) - x;

	if (y >= getmaxy(win) || w <= 0)
		return;
	buf_init(&clean);
	buf_init(&fit);
	text_sanitize_buf(text, 0, &clean);
	text_fit(buf_str(&clean), w, 0, &fit);
	wattrset(win, attr);
	mvwaddstr(win, y, x, buf_str(&fit));
	wattrset(win, theme_attr(TH_NORMAL));
	buf_done(&clean);
	buf_done(&fit);
}

/*
 * text over at most lines lines from y (sanitised), broken at the last
 * blank that fits, the last line cut with an ellipsis. Returns the lines used.
 */
static int
form_wrap(WINDOW *win, int y, int lines, attr_t attr, const char *text)
{
	struct buf clean;
	const char *p, *q, *brk;
	size_t len, k;
	int w = getmaxx(win) - 1, used = 0, cw, col;
	char *one;

	buf_init(&clean);
	text_sanitize_buf(text, 0, &clean);
	p = buf_str(&clean);
	while (*p != '\0' && used < lines) {
		if (used == lines - 1 || text_width(p) <= w) {
			form_line(win, y + used++, 1, attr, p);
			break;
		}
		len = strlen(p);
		for (q = p, col = 0, brk = NULL; *q != '\0'; q += k) {
			k = text_cluster(q, len - (size_t)(q - p), &cw);
			if (col + cw > w)
				break;
			col += cw;
			if (*q == ' ')
				brk = q;
		}
		if (brk == NULL || brk == p)
			brk = q;
		one = xstrndup(p, (size_t)(brk - p));
		form_line(win, y + used++, 1, attr, one);
		free(one);
		for (p = brk; *p == ' '; p++)
			;
	}
	buf_done(&clean);
	return used;
}

/* Whether field i is the first shown one of its row. */
static int
form_row_first(const struct form *f, int i)
{
	int k;

	for (k = i - 1; k >= 0; k--)
		if (!f->fields[k].hidden)
			return f->fields[k].row != f->fields[i].row;
	return 1;
}

/* The lines field i takes: itself, its error, its row's title. */
static int
form_lines(const struct form *f, int i)
{
	return 1 + (f->fields[i].error != NULL) + (f->fields[i].row > 0 &&
	    f->ops->row_title != NULL && form_row_first(f, i));
}

void
form_draw(struct form *f, WINDOW *win)
{
	int i, y = 0, lw = 0, w, h = getmaxy(win), first = 0, need, vw;
	struct form_field *ff;
	const char *shown;
	char *line;

	werase(win);
	for (i = 0; i < f->n; i++)	/* hidden ones too: the values do not jump */
		if ((w = text_width(f->fields[i].label)) > lw)
			lw = w;
	/* The title, a row per field and its error; below, the hint, the notice, the keys. */
	for (need = 0, i = f->cur; i >= 0; i--)
		if (!f->fields[i].hidden)
			need += form_lines(f, i);
	while (need > h - 6 && first < f->cur) {
		if (!f->fields[first].hidden)
			need -= form_lines(f, first);
		first++;
	}
	form_line(win, y++, 0, theme_attr(TH_TITLE), f->title);
	for (i = first; i < f->n && y < h - 5; i++) {
		ff = &f->fields[i];
		if (ff->hidden)
			continue;
		if (ff->row > 0 && form_row_first(f, i) && f->ops->row_title != NULL) {
			line = f->ops->row_title(f, ff->row);
			form_line(win, y++, 0, theme_attr(TH_TITLE), line);
			free(line);
			if (y >= h - 5)
				break;
		}
		/* The end of a long value being typed stays in sight. */
		vw = getmaxx(win) - 3 - lw;
		shown = ff->value;
		if (i == f->cur && vw > 8)
			while (*shown != '\0' && text_width(shown) > vw - 1) {
				shown++;
				while (((unsigned char)*shown & 0xc0) == 0x80)
					shown++;
			}
		line = xasprintf("%s%*s %s%s", ff->label, lw - text_width(ff->label), "",
		    shown, i == f->cur ? "_" : "");
		form_line(win, y++, 1, theme_attr(i == f->cur ? TH_CURSOR : TH_NORMAL), line);
		free(line);
		if (ff->error != NULL && y < h - 5) {
			line = xasprintf("%*s ! %s", lw, "", ff->error);
			form_line(win, y++, 1, theme_attr(TH_ERROR), line);
			free(line);
		}
	}
	ff = &f->fields[f->cur];
	y = h - 5 > y ? h - 5 : y;
	form_wrap(win, y, 2, theme_attr(TH_DIM), f->candidates != NULL ? f->candidates :
	    ff->hint != NULL ? ff->hint : "");
	if (f->notice != NULL)
		form_wrap(win, y + 2, 2, theme_attr(f->notice_error ? TH_ERROR : TH_ALERT),
		    f->notice);
	form_line(win, y + 4, 1, theme_attr(TH_DIM), _("Tab: complete or next  S-Tab: back  "
	    "C-x: queue  Esc: cancel"));
	wnoutrefresh(win);
}
