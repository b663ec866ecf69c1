/*
 * test-prompt.c -- the readline prompt driven without a terminal: keys fed
 * as the event loop would, the line checked through the callbacks, drawing
 * checked on a curses screen whose output goes to /dev/null.
 */
#include "config.h"

#include <sys/stat.h>

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "util/text.h"
#include "ui/key.h"
#include "ui/prompt.h"
#include "tap.h"

static char *done_line;
static int done_count, cancel_count, change_count, complete_argi = -1;
static char *change_line, *complete_line;

static void
on_done(void *arg, const char *line)
{
	free(done_line);
	done_line = strdup(line);
	done_count++;
}

static void
on_cancel(void *arg)
{
	cancel_count++;
}

static void
on_change(void *arg, const char *line)
{
	free(change_line);
	change_line = strdup(line);
	change_count++;
}

/* Commands, then carriers, then a tracking number; records what it was asked. */
static void
complete(void *arg, const char *line, int argi, const char *prefix,
    void (*add)(void *, const char *), void *acc)
{
	static const char *const cmds[] = { "ship", "shelf", "show", "quit", NULL };
	static const char *const carriers[] = { "SF", "JD", "ZTO", NULL };
	const char *const *v = argi == 0 ? cmds : argi == 1 ? carriers : NULL;

	complete_argi = argi;
	free(complete_line);
	complete_line = strdup(line);
	for (; v != NULL && *v != NULL; v++)
		add(acc, *v);
	if (argi == 2)
		add(acc, "SF1234567890");
}

static const struct prompt_ops ops = {
	.on_done = on_done, .on_cancel = on_cancel, .on_change = on_change,
	.complete = complete,
};
static const struct prompt_ops cmd_ops = {
	.on_done = on_done, .on_cancel = on_cancel, .complete = complete,
};

static void
press(int code, unsigned mods)
{
	struct key k = { code, mods };

	prompt_feed(&k);
}

/* Type s as the decoder would hand it over: one key per code point. */
static void
type(const char *s)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;

	while (i < n) {
		i += (size_t)text_utf8_decode(s + i, n - i, &cp);
		press((int)cp, 0);
	}
}

static void
reset(void)
{
	free(done_line);
	done_line = NULL;
	free(change_line);
	change_line = NULL;
	done_count = cancel_count = change_count = 0;
	complete_argi = -1;
}

/* Open a command prompt, type keys via fn, press Enter; the line received. */
static const char *
command(void (*fn)(void))
{
	reset();
	prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
	fn();
	press(KEYC_ENTER, 0);
	return done_count == 1 && !prompt_active() ? done_line : "(not done)";
}

static void k_plain(void) { type("ship SF 123"); }
static void k_ca_ce(void) { type("hip SF 12"); press('a', KEYM_CTRL); type("s"); press('e', KEYM_CTRL); type("3"); }
static void k_cw(void) { type("ship SF 123"); press('w', KEYM_CTRL); }
static void k_left_bs(void) { type("abcd"); press(KEYC_LEFT, 0); press(KEYC_BSPACE, 0); }
static void k_cjk(void) { type("张三"); press(KEYC_LEFT, 0); type("丰"); }
static void k_home_del_end(void) { type("xabc"); press(KEYC_HOME, 0); press(KEYC_DC, 0); press(KEYC_END, 0); type("d"); }
static void k_word(void) { type("one two"); press(KEYC_LEFT, KEYM_CTRL); press('d', KEYM_META); }
static void k_up(void) { press(KEYC_UP, 0); }

/* The text of a window's first line (ASCII only); moves the window's cursor. */
static const char *
wintext(WINDOW *w)
{
	static char buf[256];
	int n;

	n = mvwinnstr(w, 0, 0, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = '\0';
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

int
main(void)
{
	char dir[] = "/tmp/test-prompt-XXXXXX", hist[600], sub[512];
	struct stat sb;
	FILE *f, *nul;
	SCREEN *scr;
	WINDOW *win;
	char line[256];
	int found, x, i, n;

	setlocale(LC_ALL, "C.UTF-8");
	setenv("INPUTRC", "/dev/null", 1);	/* nobody's ~/.inputrc */
	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(sub, sizeof sub, "%s/state/shopdesk", dir);
	snprintf(hist, sizeof hist, "%s/history", sub);

	prompt_init(hist);
	ok(!prompt_active(), "no prompt open at start");

	/* Editing. */
	is_str(command(k_plain), "ship SF 123", "typed line reaches on_done");
	is_str(command(k_ca_ce), "ship SF 123", "C-a and C-e move to the ends");
	is_str(command(k_cw), "ship SF ", "C-w deletes the word before the cursor");
	is_str(command(k_left_bs), "abd", "Left then Backspace");
	is_str(command(k_cjk), "张丰三", "CJK characters typed and edited");
	is_str(command(k_home_del_end), "abcd", "Home, Del and End");
	is_str(command(k_word), "one ", "C-Left moves a word, M-d deletes one");
	is_str(command(k_up), "one ", "Up recalls the last command");

	/* Initial text, and Enter on an empty line. */
	reset();
	prompt_open(PROMPT_COMMAND, "filter ", &cmd_ops, NULL);
	is_str(prompt_line(), "filter ", "initial text is in the line");
	type("shipped");
	press(KEYC_ENTER, 0);
	is_str(done_line, "filter shipped", "typing continues after the initial text");
	reset();
	prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
	press(KEYC_ENTER, 0);
	ok(done_count == 1 && done_line != NULL && *done_line == '\0', "Enter on an empty line gives \"\"");

	/* Cancelling. */
	reset();
	prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
	type("drop 3");
	press(KEYC_ESC, 0);
	ok(cancel_count == 1 && done_count == 0 && !prompt_active(), "Esc cancels");
	reset();
	prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
	type("x");
	press('g', KEYM_CTRL);
	ok(cancel_count == 1 && done_count == 0 && !prompt_active(), "C-g cancels");
	reset();
	prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
	press('r', KEYM_CTRL);		/* inside an i-search */
	type("sh");
	press('c', KEYM_CTRL);
	ok(cancel_count == 1 && !prompt_active(), "C-c cancels, even from an i-search");
	reset();
	prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
	type("after");
	press(KEYC_ENTER, 0);
	is_str(done_line, "after", "a prompt works after a cancelled i-search");
	reset();
	prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
	press('d', KEYM_CTRL);
	ok(cancel_count == 1 && done_count == 0 && !prompt_active(), "C-d on an empty line cancels");

	/* Search: on_change on every edit, not on a motion; its own history. */
	reset();
	prompt_open(PROMPT_SEARCH, NULL, &ops, NULL);
	type("张");
	is_str(change_line, "张", "search: on_change after the first character");
	type("三");
	is_str(change_line, "张三", "search: on_change with the whole text");
	i = change_count;
	press(KEYC_LEFT, 0);
	is_int(change_count, i, "search: no on_change for a motion");
	press(KEYC_END, 0);
	press(KEYC_BSPACE, 0);
	is_str(change_line, "张", "search: on_change after Backspace");
	press(KEYC_TAB, 0);
	is_str(prompt_line(), "张", "search: Tab completes nothing");
	press(KEYC_ENTER, 0);
	is_str(done_line, "张", "search: Enter gives the text");
	is_str(command(k_up), "after", "search lines are not in the command history");
	reset();
	prompt_open(PROMPT_SEARCH, NULL, &ops, NULL);
	press(KEYC_UP, 0);
	is_str(prompt_line(), "张", "search: Up recalls the previous search");
	press(KEYC_ESC, 0);

	/* Completion. */
	reset();
	prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
	type("qu");
	press(KEYC_TAB, 0);
	is_str(prompt_line(), "quit ", "Tab: one candidate completes inline");
	ok(prompt_candidates() == NULL, "Tab: one candidate, no list");
	is_int(complete_argi, 0, "Tab: the command is word 0");
	press('u', KEYM_CTRL);
	type("sh");
	press(KEYC_TAB, 0);
	is_str(prompt_line(), "sh", "Tab: several candidates keep their common prefix");
	is_str(prompt_candidates(), "shelf ship show", "Tab: several candidates are listed");
	type("i");
	ok(prompt_candidates() == NULL, "the list goes with the next key");
	press(KEYC_TAB, 0);
	type("S");
	press(KEYC_TAB, 0);
	is_str(prompt_line(), "ship SF ", "Tab: the second word");
	is_int(complete_argi, 1, "Tab: argument 1");
	type("SF1");
	press(KEYC_TAB, 0);
	is_str(prompt_line(), "ship SF SF1234567890 ", "Tab: the third word");
	is_int(complete_argi, 2, "Tab: argument 2");
	press('u', KEYM_CTRL);
	type("send \"a b; c\" 'x y' S");
	press(KEYC_TAB, 0);
	is_int(complete_argi, 3, "Tab: quoted words count as one word each");
	press('u', KEYM_CTRL);
	type("quit; sh");
	press(KEYC_TAB, 0);
	is_int(complete_argi, 0, "Tab: after ';' a new command starts");
	is_str(complete_line, " sh", "Tab: the owner sees the current command");
	press('u', KEYM_CTRL);
	type("ship \"S");
	press(KEYC_TAB, 0);
	is_str(prompt_line(), "ship \"SF\" ", "Tab: inside a quote the quote is closed");
	press(KEYC_ESC, 0);

	/* Drawing: a 20-column window on a screen nobody sees. */
	nul = fopen("/dev/null", "r+");
	scr = newterm("vt100", nul, nul);
	ok(scr != NULL, "newterm on /dev/null");
	if (scr == NULL)
		return done_testing();
	win = newwin(1, 20, 0, 0);

	prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
	ok(prompt_dirty(), "an opened prompt needs drawing");
	prompt_draw(win);
	ok(!prompt_dirty(), "drawn: not dirty");
	is_int(getcurx(win), 1, "cursor after the prompt");
	is_str(wintext(win), ":", "the empty prompt");
	type("ship SF");
	ok(prompt_dirty(), "typing makes it dirty");
	prompt_draw(win);
	is_int(getcurx(win), 8, "cursor at the end of the line");
	is_str(wintext(win), ":ship SF", "the line is drawn");
	type(" SF1234567890123 --wait");
	prompt_draw(win);
	is_int(getcurx(win), 19, "long line: cursor at the last column");
	is_str(wintext(win), ":34567890123 --wait", "long line: its end is shown");
	press(KEYC_HOME, 0);
	prompt_draw(win);
	is_int(getcurx(win), 1, "Home on a long line: cursor after the prompt");
	is_str(wintext(win), ":ship SF SF123456789", "Home: the start is shown");
	press(KEYC_END, 0);
	prompt_draw(win);
	is_int(getcurx(win), 19, "End: the cursor visible again");
	press('u', KEYM_CTRL);
	for (i = 0; i < 30; i++)
		type("张");
	prompt_draw(win);
	x = getcurx(win);
	ok(x >= 1 && x <= 19, "wide long line: cursor visible (x=%d)", x);
	is_int(x, 19, "wide long line: cursor right after the last 张");
	press(KEYC_LEFT, 0);
	prompt_draw(win);
	is_int(getcurx(win), 17, "wide characters are two columns each");
	for (i = 0; i < 30; i++)
		press(KEYC_LEFT, 0);
	prompt_draw(win);
	is_int(getcurx(win), 1, "back at the start of a wide line");
	press(KEYC_END, 0);
	press('u', KEYM_CTRL);
	press('v', KEYM_CTRL);		/* quoted-insert of a control character */
	press('a', KEYM_CTRL);
	type("b");
	prompt_draw(win);
	is_int(getcurx(win), 4, "a control character counts two columns");
	is_str(wintext(win), ":^Ab", "and is drawn as ^A");
	delwin(win);
	win = newwin(1, 1, 0, 0);
	prompt_draw(win);
	ok(getcurx(win) == 0, "a one-column window does not break drawing");
	press(KEYC_ESC, 0);
	prompt_draw(win);
	ok(!prompt_active(), "closed prompt draws nothing");
	delwin(win);
	endwin();
	delscreen(scr);
	fclose(nul);

	/* History on disk: 0600 in a 0700 directory, read back. */
	prompt_done();
	ok(stat(hist, &sb) == 0, "history file written");
	is_int(sb.st_mode & 0777, 0600, "history file mode 0600");
	ok(stat(sub, &sb) == 0 && (sb.st_mode & 0777) == 0700, "history directory made 0700");
	found = 0;
	if ((f = fopen(hist, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			if (strcmp(line, "ship SF 123\n") == 0)
				found++;
			if (strcmp(line, "张\n") == 0)
				found += 100;
		}
		fclose(f);
	}
	is_int(found, 1, "the command line is in the file once (repeats folded), searches not");
	prompt_init(hist);
	is_str(command(k_up), "after", "history read back after prompt_init");
	prompt_done();
	chmod(hist, 0644);
	prompt_init(hist);
	prompt_done();
	ok(stat(hist, &sb) == 0 && (sb.st_mode & 0777) == 0600, "a 0644 history file is made 0600");

	/* Bounded: 1005 different lines keep the last 1000 (shopdesk(1), BOUNDS). */
	prompt_init(hist);
	for (i = 0; i < 1005; i++) {
		char cmdline[32];

		snprintf(cmdline, sizeof cmdline, "note line %d", i);
		reset();
		prompt_open(PROMPT_COMMAND, NULL, &cmd_ops, NULL);
		type(cmdline);
		press(KEYC_ENTER, 0);
	}
	prompt_done();
	n = 0;
	found = 0;
	if ((f = fopen(hist, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			n++;
			if (strcmp(line, "note line 1004\n") == 0)
				found++;
			if (strcmp(line, "note line 4\n") == 0)
				found += 100;
		}
		fclose(f);
	}
	is_int(n, 1000, "the history file keeps 1000 lines");
	is_int(found, 1, "the newest kept, the oldest gone");

	unlink(hist);
	rmdir(sub);
	snprintf(sub, sizeof sub, "%s/state", dir);
	rmdir(sub);
	rmdir(dir);
	return done_testing();
}
