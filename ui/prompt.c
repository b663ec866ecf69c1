/*
 * prompt.c -- the bottom line's ':' command line and '/' search, edited by
 * GNU readline through its callback interface.
 *
 * Readline owns the line, the editing, the history and completion, and never
 * touches the terminal: its terminal and signal handling are off and its
 * streams are /dev/null. The loop decodes keys (ui/input.c) and hands them to
 * prompt_feed(), which turns each struct key back into the bytes a terminal
 * sends for it (arrows as ESC [ A, Ctrl letters as control bytes, Meta as an
 * ESC prefix, code points as UTF-8) for readline to read through
 * rl_getc_function. So keypad() can stay on: curses' KEY_* values (KEY_LEFT
 * is 260, 0x04 = C-d to readline) never reach readline. Its redisplay only
 * marks the prompt dirty; prompt_draw() paints it when the loop repaints.
 *
 * Esc, C-g and C-c cancel: the decoder already turned escape sequences into
 * keys, so a KEYC_ESC key is a lone Escape press. on_change, when given, runs
 * after every key that changed the line (not for motions). The command line
 * and the search have separate histories; the command one is kept in the
 * profile's file (0600), the search one for the session.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "util/buf.h"
#include "util/text.h"
#include "util/xmalloc.h"
#include "ui/prompt.h"

#define PROMPT_HISTORY_MAX	1000	/* command lines kept in the history file */
#define PROMPT_SEARCH_MAX	100	/* search lines kept for the session */
#define PROMPT_QUEUE_MAX	64	/* bytes of one key, with room to spare */

static struct {
	int		 initialised;
	int		 active;
	int		 dirty;
	enum prompt_kind kind;
	struct prompt_ops ops;
	void		*arg;

	unsigned char	 queue[PROMPT_QUEUE_MAX];	/* bytes for rl_getc */
	size_t		 qlen, qpos;

	int		 finished;	/* the line handler ran */
	char		*result;	/* its line (NULL: EOF, C-d on an empty line) */

	int		 hscroll;	/* first column of the line shown */
	struct buf	 candidates;	/* the last completion's list, "a b c" */

	char		*history_file;	/* NULL: no persistent history */
	HISTORY_STATE	*other_history;	/* the command history while a search is open */
	HISTORY_STATE	*search_history; /* the search history while it is not */
	FILE		*devnull;	/* readline's streams */
} prompt;

/* Accumulator for one completion: the owner's candidates that fit the prefix. */
struct prompt_acc {
	const char	*prefix;
	char		**v;
	size_t		 n, cap;
};

/* Readline's terminal preparation and signal handling are the console's business. */
static void
prompt_rl_prep(int meta)
{
}

static void
prompt_rl_deprep(void)
{
}

/* Readline's input: the queue prompt_feed() filled. */
static int
prompt_rl_getc(FILE *f)
{
	if (prompt.qpos >= prompt.qlen)
		return 0;	/* never reached: only called with bytes queued */
	return prompt.queue[prompt.qpos++];
}

/* Whether more bytes follow: readline asks before deciding an ESC is alone. */
static int
prompt_rl_input_available(void)
{
	return prompt.qpos < prompt.qlen;
}

static void
prompt_rl_redisplay(void)
{
	prompt.dirty = 1;
}

/* Enter (or C-d on an empty line, with line NULL): remember it, finish in prompt_feed. */
static void
prompt_rl_line(char *line)
{
	prompt.finished = 1;
	prompt.result = line;
	rl_callback_handler_remove();
}

/* --- keys to bytes ------------------------------------------------------ */

static void
prompt_queue_add(const void *p, size_t n)
{
	if (prompt.qlen + n > sizeof prompt.queue)
		return;
	memcpy(prompt.queue + prompt.qlen, p, n);
	prompt.qlen += n;
}

static void
prompt_queue_adds(const char *s)
{
	prompt_queue_add(s, strlen(s));
}

/*
 * Queue what a terminal sends for k. Only sequences readline has bound are
 * produced (an unbound ESC [ 5 ~ would insert "5~"): keys with nothing
 * sensible to do in a one-line editor (PgUp, F1...) queue nothing.
 */
static void
prompt_queue_key(const struct key *k)
{
	unsigned mods = k->mods;
	int c = k->code;
	struct buf b;

	if (c >= KEYC_BASE) {
		/* Word motions for C-Left/C-Right and M-Left/M-Right. */
		if ((c == KEYC_LEFT || c == KEYC_RIGHT) && (mods & (KEYM_CTRL | KEYM_META))) {
			prompt_queue_adds(c == KEYC_LEFT ? "\033b" : "\033f");
			return;
		}
		if ((mods & KEYM_META) && (c == KEYC_BSPACE || c == KEYC_DC)) {
			prompt_queue_adds(c == KEYC_BSPACE ? "\033\177" : "\033d");
			return;
		}
		if ((mods & KEYM_CTRL) && c == KEYC_BSPACE) {
			prompt_queue_adds("\027");	/* C-w */
			return;
		}
		switch (c) {
		case KEYC_UP:		prompt_queue_adds("\033[A"); break;
		case KEYC_DOWN:		prompt_queue_adds("\033[B"); break;
		case KEYC_RIGHT:	prompt_queue_adds("\033[C"); break;
		case KEYC_LEFT:		prompt_queue_adds("\033[D"); break;
		case KEYC_HOME:		prompt_queue_adds("\033[H"); break;
		case KEYC_END:		prompt_queue_adds("\033[F"); break;
		case KEYC_DC:		prompt_queue_adds("\033[3~"); break;
		case KEYC_ENTER:	prompt_queue_adds("\r"); break;
		case KEYC_TAB:		prompt_queue_adds("\t"); break;
		case KEYC_BSPACE:	prompt_queue_adds("\177"); break;
		default:		break;	/* PgUp, PgDn, Ins, S-Tab, F-keys */
		}
		return;
	}

	if (mods & KEYM_META)
		prompt_queue_adds("\033");
	if (mods & KEYM_CTRL) {
		unsigned char ctl;

		if (c >= 'a' && c <= 'z')
			ctl = (unsigned char)(c - 'a' + 1);
		else if (c >= 'A' && c <= 'Z')
			ctl = (unsigned char)(c - 'A' + 1);
		else if (c == ' ' || c == '@')
			ctl = 0;
		else if (c == '?')
			ctl = 0x7f;
		else if (c >= '[' && c <= '_')
			ctl = (unsigned char)(c - '@');
		else
			goto plain;
		prompt_queue_add(&ctl, 1);
		return;
	}
plain:
	if (c < 0 || c > 0x10ffff)
		return;
	buf_init(&b);
	text_utf8_encode((uint32_t)c, &b);
	if (b.len != 0)
		prompt_queue_add(b.data, b.len);
	buf_done(&b);
}

/* Whether k closes the prompt without a line: Esc, C-g, C-c. */
static int
prompt_key_cancels(const struct key *k)
{
	if (k->code == KEYC_ESC && (k->mods & KEYM_META) == 0)
		return 1;
	if ((k->mods & KEYM_CTRL) && (k->mods & KEYM_META) == 0 &&
	    (k->code == 'g' || k->code == 'c'))
		return 1;
	return 0;
}

/* --- history ---------------------------------------------------------------- */

/* Make the search history current, keeping the command history aside. */
static void
prompt_history_enter_search(void)
{
	static HISTORY_STATE empty;

	prompt.other_history = history_get_history_state();
	history_set_history_state(prompt.search_history != NULL ? prompt.search_history : &empty);
	stifle_history(PROMPT_SEARCH_MAX);
}

/* Back to the command history. */
static void
prompt_history_leave_search(void)
{
	if (prompt.other_history == NULL)
		return;
	free(prompt.search_history);
	prompt.search_history = history_get_history_state();
	history_set_history_state(prompt.other_history);
	free(prompt.other_history);
	prompt.other_history = NULL;
	stifle_history(PROMPT_HISTORY_MAX);
}

/* Add line unless it is empty or repeats the last one. */
static void
prompt_history_add(const char *line)
{
	HIST_ENTRY *last;

	if (*line == '\0')
		return;
	last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
	if (last != NULL && strcmp(last->line, line) == 0)
		return;
	add_history(line);
}

/* mkdir -p the directory part of path, new directories 0700. */
static int
prompt_mkdir_parent(const char *path)
{
	char *dir, *p;
	int rc = 0;

	dir = xstrdup(path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir) {
		free(dir);
		return 0;
	}
	*p = '\0';
	for (p = dir + 1; rc == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char save = *p;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*p = save;
		if (save == '\0')
			break;
	}
	free(dir);
	return rc;
}

/* Write the command history to its file, mode 0600. */
static void
prompt_history_save(void)
{
	int fd;

	if (prompt.history_file == NULL)
		return;
	if (prompt_mkdir_parent(prompt.history_file) != 0)
		return;
	fd = open(prompt.history_file, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1)
		return;
	fchmod(fd, 0600);
	close(fd);
	write_history(prompt.history_file);
	chmod(prompt.history_file, 0600);
}

/* --- completion ---------------------------------------------------------- */

static void
prompt_acc_add(void *accp, const char *candidate)
{
	struct prompt_acc *acc = accp;
	size_t i;

	if (candidate == NULL || strncmp(candidate, acc->prefix, strlen(acc->prefix)) != 0)
		return;
	for (i = 0; i < acc->n; i++) {
		if (strcmp(acc->v[i], candidate) == 0)
			return;
	}
	if (acc->n == acc->cap) {
		acc->cap = acc->cap ? acc->cap * 2 : 16;
		acc->v = xrealloc(acc->v, acc->cap * sizeof *acc->v);
	}
	acc->v[acc->n++] = xstrdup(candidate);
}

/*
 * Where the command being completed starts in line (after the last ';'
 * outside quotes before end) and which word of it ends at end: the number of
 * words before it, quotes and backslashes respected as the command language
 * does ("send 'hello there' x" has three words before x... two, then x).
 */
static int
prompt_word_index(const char *line, int end, int *cmd_start)
{
	int i, words = 0, inword = 0;
	char q = 0;

	*cmd_start = 0;
	for (i = 0; i < end && line[i] != '\0'; i++) {
		char c = line[i];

		if (q != 0) {
			if (c == q)
				q = 0;
			else if (c == '\\' && q == '"' && i + 1 < end)
				i++;
			continue;
		}
		if (c == ' ' || c == '\t') {
			if (inword)
				words++;
			inword = 0;
		} else if (c == ';') {
			words = inword = 0;
			*cmd_start = i + 1;
		} else {
			inword = 1;
			if (c == '"' || c == '\'')
				q = c;
			else if (c == '\\' && i + 1 < end)
				i++;
		}
	}
	return words;
}

/* The longest common prefix of v[0..n), at a UTF-8 character boundary. */
static char *
prompt_common_prefix(char **v, size_t n)
{
	size_t len = strlen(v[0]), i, j;

	for (i = 1; i < n; i++) {
		for (j = 0; j < len && v[i][j] == v[0][j]; j++)
			;
		len = j;
	}
	while (len > 0 && ((unsigned char)v[0][len] & 0xc0) == 0x80)
		len--;
	return xstrndup(v[0], len);
}

static char **
prompt_rl_complete(const char *text, int start, int end)
{
	struct prompt_acc acc = { .prefix = text };
	char **matches, *line;
	int argi, cmd_start;
	size_t i;

	rl_attempted_completion_over = 1;	/* never readline's file names */
	if (prompt.ops.complete == NULL || prompt.kind != PROMPT_COMMAND)
		return NULL;

	argi = prompt_word_index(rl_line_buffer, start, &cmd_start);
	line = xstrndup(rl_line_buffer + cmd_start, (size_t)(end - cmd_start));
	prompt.ops.complete(prompt.arg, line, argi, text, prompt_acc_add, &acc);
	free(line);
	if (acc.n == 0) {
		free(acc.v);
		return NULL;
	}

	/* Readline's format: [0] replaces the word, then the matches, NULL. */
	matches = xcalloc(acc.n + 2, sizeof *matches);
	if (acc.n == 1)
		matches[0] = acc.v[0];
	else {
		matches[0] = prompt_common_prefix(acc.v, acc.n);
		for (i = 0; i < acc.n; i++)
			matches[i + 1] = acc.v[i];
	}
	free(acc.v);
	return matches;
}

/* Several candidates: keep their list for prompt_candidates() instead of printing it. */
static void
prompt_rl_display_matches(char **matches, int n, int max)
{
	int i;

	buf_reset(&prompt.candidates);
	for (i = 1; i <= n; i++) {
		if (i > 1)
			buf_addc(&prompt.candidates, ' ');
		buf_adds(&prompt.candidates, matches[i]);
	}
	prompt.dirty = 1;
}

/* --- life cycle -------------------------------------------------------------- */

/* Readline set up once per process: callbacks, no terminal, no signals. */
static void
prompt_rl_setup(void)
{
	if (prompt.devnull == NULL)
		prompt.devnull = fopen("/dev/null", "r+e");
	rl_instream = prompt.devnull;
	rl_outstream = prompt.devnull;
	rl_readline_name = "shopdesk";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = prompt_rl_prep;
	rl_deprep_term_function = prompt_rl_deprep;
	rl_getc_function = prompt_rl_getc;
	rl_input_available_hook = prompt_rl_input_available;
	rl_redisplay_function = prompt_rl_redisplay;
	rl_attempted_completion_function = prompt_rl_complete;
	rl_completion_display_matches_hook = prompt_rl_display_matches;
	rl_completer_word_break_characters = " \t;";
	rl_completer_quote_characters = "\"'";
	rl_initialize();	/* reads ~/.inputrc; what follows overrides it */

	rl_variable_bind("bell-style", "none");
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_variable_bind("enable-bracketed-paste", "off");
	/* Bytes >= 0x80 are UTF-8 text whatever the locale says. */
	rl_variable_bind("input-meta", "on");
	rl_variable_bind("output-meta", "on");
	rl_variable_bind("convert-meta", "off");
	/* What prompt_queue_key() sends must be bound whatever the terminal type. */
	rl_bind_keyseq_if_unbound("\033[H", rl_beg_of_line);
	rl_bind_keyseq_if_unbound("\033[F", rl_end_of_line);
	rl_bind_keyseq_if_unbound("\033[3~", rl_delete);
}

void
prompt_init(const char *history_file)
{
	if (!prompt.initialised) {
		prompt_rl_setup();
		buf_init(&prompt.candidates);
		prompt.initialised = 1;
	}
	free(prompt.history_file);
	prompt.history_file = history_file != NULL ? xstrdup(history_file) : NULL;
	using_history();
	stifle_history(PROMPT_HISTORY_MAX);
	if (prompt.history_file != NULL)
		read_history(prompt.history_file);	/* none yet is fine */
}

/* Forget the open line: readline's pending state, the handler, the search history. */
static void
prompt_close(void)
{
	if (!prompt.finished) {
		rl_callback_sigcleanup();	/* an i-search or half a key sequence */
		rl_free_line_state();
		rl_replace_line("", 1);
		rl_point = rl_end = rl_mark = 0;
		rl_callback_handler_remove();
	}
	if (prompt.kind == PROMPT_SEARCH)
		prompt_history_leave_search();
	prompt.active = 0;
	prompt.finished = 0;
	prompt.qlen = prompt.qpos = 0;
	prompt.dirty = 1;
}

void
prompt_done(void)
{
	if (!prompt.initialised)
		return;
	if (prompt.active)
		prompt_close();
	prompt_history_save();
	clear_history();
	if (prompt.search_history != NULL) {
		prompt_history_enter_search();
		clear_history();	/* the entries; the array is ours now */
		prompt_history_leave_search();
		free(prompt.search_history->entries);
		free(prompt.search_history);
		prompt.search_history = NULL;
	}
	free(prompt.history_file);
	prompt.history_file = NULL;
	buf_reset(&prompt.candidates);
}

void
prompt_open(enum prompt_kind kind, const char *initial, const struct prompt_ops *ops, void *arg)
{
	if (prompt.active) {	/* one at a time: the old one is cancelled */
		struct prompt_ops old = prompt.ops;
		void *oldarg = prompt.arg;

		prompt_close();
		if (old.on_cancel != NULL)
			old.on_cancel(oldarg);
	}
	prompt.kind = kind;
	prompt.ops = *ops;
	prompt.arg = arg;
	prompt.hscroll = 0;
	prompt.finished = 0;
	prompt.result = NULL;
	prompt.qlen = prompt.qpos = 0;
	buf_reset(&prompt.candidates);

	if (kind == PROMPT_SEARCH)
		prompt_history_enter_search();
	using_history();
	rl_callback_handler_install(kind == PROMPT_SEARCH ? "/" : ":", prompt_rl_line);
	if (initial != NULL && *initial != '\0') {
		rl_insert_text(initial);
		rl_point = rl_end;
	}
	prompt.active = 1;
	prompt.dirty = 1;
}

int
prompt_active(void)
{
	return prompt.active;
}

int
prompt_dirty(void)
{
	return prompt.dirty;
}

const char *
prompt_candidates(void)
{
	return prompt.candidates.len != 0 ? buf_str(&prompt.candidates) : NULL;
}

const char *
prompt_line(void)
{
	return prompt.active && rl_line_buffer != NULL ? rl_line_buffer : NULL;
}

void
prompt_feed(const struct key *k)
{
	struct prompt_ops ops;
	void *arg;
	char *before, *line;

	if (!prompt.active)
		return;
	buf_reset(&prompt.candidates);
	ops = prompt.ops;
	arg = prompt.arg;

	if (prompt_key_cancels(k)) {
		prompt_close();
		if (ops.on_cancel != NULL)
			ops.on_cancel(arg);
		return;
	}

	prompt.qlen = prompt.qpos = 0;
	prompt_queue_key(k);
	if (prompt.qlen == 0)
		return;
	before = xstrdup(rl_line_buffer != NULL ? rl_line_buffer : "");
	while (prompt.qpos < prompt.qlen && !prompt.finished)
		rl_callback_read_char();
	prompt.qlen = prompt.qpos = 0;
	prompt.dirty = 1;

	if (prompt.finished) {
		line = prompt.result;
		prompt.result = NULL;
		if (line != NULL)	/* to the history of its kind, still current */
			prompt_history_add(line);
		prompt_close();
		free(before);
		/* The callbacks run last: they may open another prompt. */
		if (line == NULL) {
			if (ops.on_cancel != NULL)
				ops.on_cancel(arg);
		} else if (ops.on_done != NULL)
			ops.on_done(arg, line);
		free(line);
		return;
	}
	if (ops.on_change != NULL && strcmp(before, rl_line_buffer) != 0)
		ops.on_change(arg, rl_line_buffer);
	free(before);
}

/* --- drawing ------------------------------------------------------------------- */

/* Whether cp is a bidirectional override or isolate, never drawn. */
static int
prompt_cp_bidi(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/*
 * Append how code point cp is shown to out; returns its columns. As
 * text_sanitize() would make it safe, but character by character so that
 * columns map to readline's byte offsets: a control character typed with C-v
 * shows as ^X, C1 controls and bidi controls as U+FFFD.
 */
static int
prompt_cell(uint32_t cp, struct buf *out)
{
	int w;

	if (cp < 0x20 || cp == 0x7f) {
		buf_addc(out, '^');
		buf_addc(out, (char)(cp ^ 0x40));
		return 2;
	}
	if ((cp >= 0x80 && cp < 0xa0) || prompt_cp_bidi(cp))
		cp = 0xfffd;
	w = text_cp_width(cp);
	if (w < 0)
		cp = 0xfffd, w = 1;
	text_utf8_encode(cp, out);
	return w;
}

/* Columns of s[0..n) as prompt_cell() shows it. */
static int
prompt_width(const char *s, size_t n)
{
	struct buf scratch;
	uint32_t cp;
	size_t i = 0;
	int w = 0;

	buf_init(&scratch);
	while (i < n) {
		i += (size_t)text_utf8_decode(s + i, n - i, &cp);
		buf_reset(&scratch);
		w += prompt_cell(cp, &scratch);
	}
	buf_done(&scratch);
	return w;
}

/*
 * Draw s[0..n) from column first (of s) for at most avail columns into out:
 * a wide character cut by either edge becomes spaces for its visible part.
 */
static void
prompt_visible(const char *s, size_t n, int first, int avail, struct buf *out)
{
	struct buf cell;
	uint32_t cp;
	size_t i = 0;
	int col = 0, w, used = 0;

	buf_init(&cell);
	while (i < n && used < avail) {
		i += (size_t)text_utf8_decode(s + i, n - i, &cp);
		buf_reset(&cell);
		w = prompt_cell(cp, &cell);
		if (col + w <= first) {
			col += w;
			continue;
		}
		if (col < first || used + w > avail) {	/* cut by an edge */
			int part = col < first ? col + w - first : avail - used;

			for (; part > 0; part--, used++)
				buf_addc(out, ' ');
		} else {
			buf_add(out, cell.data, cell.len);
			used += w;
		}
		col += w;
	}
	buf_done(&cell);
}

void
prompt_draw(WINDOW *win)
{
	const char *pr, *line;
	struct buf out;
	int cols, pw, avail, cx, tw;
	size_t len;

	prompt.dirty = 0;
	werase(win);
	cols = getmaxx(win);
	if (!prompt.active || cols <= 0)
		return;
	pr = rl_display_prompt != NULL ? rl_display_prompt : "";
	line = rl_line_buffer != NULL ? rl_line_buffer : "";
	len = strlen(line);

	/* The prompt, cut if it would leave less than two columns for the line. */
	buf_init(&out);
	pw = prompt_width(pr, strlen(pr));
	if (pw > cols - 2)
		pw = cols > 2 ? cols - 2 : 0;
	prompt_visible(pr, strlen(pr), 0, pw, &out);
	avail = cols - pw;

	/* Scroll so that the cursor stays within [0, avail). */
	cx = prompt_width(line, (size_t)rl_point <= len ? (size_t)rl_point : len);
	tw = prompt_width(line, len);
	if (prompt.hscroll > 0 && tw - prompt.hscroll < avail - 1)
		prompt.hscroll = tw - (avail - 1) > 0 ? tw - (avail - 1) : 0;
	if (cx < prompt.hscroll)
		prompt.hscroll = cx > avail / 2 ? cx - avail / 2 : 0;
	if (cx - prompt.hscroll > avail - 1)
		prompt.hscroll = cx - (avail - 1);
	/* A wide character under the cursor is shown whole. */
	if ((size_t)rl_point < len && avail > 2) {
		uint32_t cp;

		text_utf8_decode(line + rl_point, len - (size_t)rl_point, &cp);
		if (text_cp_width(cp) == 2 && cx - prompt.hscroll > avail - 2)
			prompt.hscroll = cx - (avail - 2);
	}
	prompt_visible(line, len, prompt.hscroll, avail, &out);

	leaveok(win, FALSE);
	mvwaddnstr(win, 0, 0, buf_str(&out) != NULL ? buf_str(&out) : "", (int)out.len);
	buf_done(&out);
	wmove(win, 0, pw + cx - prompt.hscroll);
}
