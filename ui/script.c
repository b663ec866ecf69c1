/*
 * script.c -- the console driven by a file of keys, for in-process screen
 * tests (SHOPDESK_SCRIPT=FILE; not for users). The console then draws to a
 * terminal on /dev/null, takes its keys from the file only when idle (the
 * last key's frame drawn, nothing due), one line at a time, and quits at
 * its end; `:dump-screen FILE` writes the screen as text to compare. So a
 * test needs no pseudo-terminal and no waiting, only the expected text.
 *
 * A line is one of:
 *	key KEY...	keys by name, as in a keymap: key j j <Enter> <C-d>
 *	type TEXT	TEXT typed character by character (Chinese included)
 *	:LINE		the : prompt, LINE typed, <Enter>
 *	dump FILE	the screen as it is, to FILE (as :dump-screen, but with
 *			the prompt left as it is: its completions, a preview)
 *	mouse WHAT X Y	a mouse event at column X, line Y (from 0), as the
 *			terminal reports it: click, double, wheel-up, wheel-down
 * Blank lines and lines starting with # are skipped.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/script.h"
#include "util/text.h"
#include "util/xmalloc.h"

struct script {
	FILE		*f;
	char		*path;
	unsigned	 line;
};

struct script *
script_open(const char *path, char **cause)
{
	struct script *s;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("script %s: %s", path, strerror(errno));
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->f = f;
	s->path = xstrdup(path);
	return s;
}

void
script_free(struct script **sp)
{
	struct script *s = *sp;

	if (s == NULL)
		return;
	fclose(s->f);
	free(s->path);
	free(s);
	*sp = NULL;
}

static void
script_add(struct key **keys, size_t *n, struct key k)
{
	*keys = xrealloc(*keys, (*n + 1) * sizeof **keys);
	(*keys)[(*n)++] = key_normalize(k);
}

/* The characters of text as keys. -1 when it is not UTF-8. */
static int
script_type(const char *text, struct key **keys, size_t *n)
{
	size_t len = strlen(text), used;
	uint32_t cp;
	struct key k;

	while (len > 0) {
		used = (size_t)text_utf8_decode(text, len, &cp);
		if (cp == 0xfffd && used == 1)
			return -1;
		k.code = (int)cp;
		k.mods = 0;
		script_add(keys, n, k);
		text += used;
		len -= used;
	}
	return 0;
}

long
script_next(struct script *s, struct key **keys, char **dump, char **cause)
{
	char buf[4096], *p, *tok, *why = NULL;
	size_t n = 0;
	struct key k;

	*keys = NULL;
	*dump = NULL;
	for (;;) {
		if (fgets(buf, sizeof buf, s->f) == NULL)
			return 0;
		s->line++;
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0] != '\0' && buf[0] != '#')
			break;
	}
	if (buf[0] == ':') {
		k.code = ':';
		k.mods = 0;
		script_add(keys, &n, k);
		if (script_type(buf + 1, keys, &n) != 0)
			goto bad_text;
		k.code = KEYC_ENTER;
		script_add(keys, &n, k);
	} else if (strncmp(buf, "dump ", 5) == 0 && buf[5] != '\0') {
		*dump = xstrdup(buf + 5);
		return 0;
	} else if (strncmp(buf, "type ", 5) == 0) {
		if (script_type(buf + 5, keys, &n) != 0)
			goto bad_text;
	} else if (strncmp(buf, "key ", 4) == 0) {
		for (p = buf + 4; (tok = strsep(&p, " \t")) != NULL;) {
			if (*tok == '\0')
				continue;
			if (key_from_string(tok, &k, &why) != 0) {
				*cause = xasprintf("%s:%u: %s", s->path, s->line, why);
				free(why);
				free(*keys);
				*keys = NULL;
				return -1;
			}
			script_add(keys, &n, k);
		}
	} else if (strncmp(buf, "mouse ", 6) == 0) {
		static const char *const whats[] = { "click", "double", "wheel-up",
		    "wheel-down" };
		char what[16];
		int x, y, i, end = 0;

		if (sscanf(buf + 6, "%15s %d %d%n", what, &x, &y, &end) != 3 ||
		    buf[6 + end] != '\0' || x < 0 || y < 0 || x > 0xfff || y > 0xfff)
			goto bad_mouse;
		for (i = 0; i < 4; i++)
			if (strcmp(what, whats[i]) == 0)
				break;
		if (i == 4)
			goto bad_mouse;
		k.code = KEY_MOUSE_CODE(KEY_MOUSE_CLICK + i, x, y);
		k.mods = 0;
		script_add(keys, &n, k);
	} else {
		*cause = xasprintf("%s:%u: not a script line (key KEY..., type TEXT, :LINE, "
		    "mouse WHAT X Y or dump FILE): "
		    "%.40s", s->path, s->line, buf);
		return -1;
	}
	return (long)n;

bad_mouse:
	*cause = xasprintf("%s:%u: expected mouse click|double|wheel-up|wheel-down X Y",
	    s->path, s->line);
	return -1;

bad_text:
	free(*keys);
	*keys = NULL;
	*cause = xasprintf("%s:%u: not UTF-8 text", s->path, s->line);
	return -1;
}

int
script_dump_screen(const char *path, char **cause)
{
	FILE *f;
	wchar_t w[1024];
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t k;
	int y, i, n, end;

	if ((f = fopen(path, "w")) == NULL) {
		*cause = xasprintf("dump-screen %s: %s", path, strerror(errno));
		return -1;
	}
	for (y = 0; y < LINES; y++) {
		n = mvwinnwstr(curscr, y, 0, w, COLS < 1023 ? COLS : 1023);
		if (n == ERR)
			n = 0;
		w[n] = L'\0';
		/* Lines as the eye sees them: no trailing blanks. */
		for (end = n; end > 0 && w[end - 1] == L' '; end--)
			;
		memset(&st, 0, sizeof st);
		for (i = 0; i < end; i++)
			if ((k = wcrtomb(mb, w[i], &st)) != (size_t)-1)
				fwrite(mb, 1, k, f);
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		*cause = xasprintf("dump-screen %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
