/*
 * test-keys.c -- key names, keymaps and their files, the command language.
 *
 * The keymap files are read from $top_srcdir/keymaps (the test harness
 * sets top_srcdir; "." when run by hand from the top of the tree).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "ui/cmdline.h"
#include "ui/key.h"
#include "ui/keymap.h"
#include "util/xmalloc.h"

/* --- a command table like the console's ------------------------------------- */

static int
cmd_nop(void *app, int argc, char **argv, char **cause)
{
	return 0;
}

/* CONSOLE.md's generic commands, then the action catalogue's names. */
static const struct ui_command console_commands[] = {
	{ "quit", NULL, 0, 0, "", "leave", cmd_nop, 0 },
	{ "help", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "pane", NULL, 1, 2, "NAME [TAB]", "", cmd_nop, 0 },
	{ "pane-next", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "pane-prev", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "cursor-down", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "cursor-up", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "cursor-left", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "cursor-right", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "page-down", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "page-up", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "half-page-down", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "half-page-up", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "first", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "last", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "open", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "back", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "search", NULL, 0, -1, "[TEXT]", "", cmd_nop, 0 },
	{ "search-next", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "search-prev", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "search-clear", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "filter", NULL, 1, 1, "STATUS[,STATUS]", "", cmd_nop, 0 },
	{ "filter-next", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "filter-prev", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "filter-clear", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "sort", NULL, 1, 1, "KEY", "", cmd_nop, 0 },
	{ "command", NULL, 0, -1, "[TEXT]", "", cmd_nop, 0 },
	{ "redraw", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "messages", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "sync", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "reveal", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "outbox", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "retry", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "drop", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "resolve", NULL, 0, -1, "[mine|theirs|NOTE]", "", cmd_nop, 0 },
	{ "toggle-detail", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "go-order", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "go-customer", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "go-ticket", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "go-chat", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "go-back", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "accept-next", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "chat-next", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "new-ticket", NULL, 0, -1, "[ORDER KIND...]", "", cmd_nop, 0 },
	{ "new-promo", NULL, 0, 1, "[KIND]", "", cmd_nop, 0 },
	{ "new-product", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "edit-product", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "delete-product", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "scan", NULL, 0, 1, "[ORDER]", "", cmd_nop, 0 },
	{ "mark", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "mark-all", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "mark-clear", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "barcode", NULL, 1, 1, "CODE", "", cmd_nop, 0 },
	{ "slip", NULL, 0, 1, "[FILE]", "", cmd_nop, 0 },
	{ "category", NULL, 0, 1, "[NAME|PATH|ID|-]", "", cmd_nop, 0 },
#define ACTION(n) { n, NULL, 0, -1, "[ARGS...]", "", cmd_nop, UI_CMD_SELECTION }
	ACTION("ship"), ACTION("deliver"), ACTION("complete"), ACTION("cancel"),
	ACTION("address"), ACTION("note"), ACTION("flag"), ACTION("unflag"),
	ACTION("assign"), ACTION("approve"), ACTION("reject"), ACTION("receive"),
	ACTION("refund"), ACTION("exchange"), ACTION("reship"), ACTION("start"),
	ACTION("propose"), ACTION("escalate"), ACTION("close"), ACTION("accept"),
	ACTION("send"), ACTION("transfer"), ACTION("pending"), ACTION("snooze"),
	ACTION("adjust"), ACTION("threshold"), ACTION("shelf"), ACTION("edit"),
	ACTION("schedule"), ACTION("activate"), ACTION("end"),
#undef ACTION
	/* The tickets pane's own (its kind tabs), after the generic ones. */
	{ "filter-kind-next", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ "filter-kind-prev", NULL, 0, 0, "", "", cmd_nop, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};
#define NGENERIC_COMMANDS 53	/* the rows before the actions */

/* --- helpers ----------------------------------------------------------------- */

static char *
roundtrip(struct key k, struct key *back, int *rc)
{
	char buf[KEY_STRING_MAX], *cause = NULL;

	key_to_string(k, buf, sizeof buf);
	*rc = key_from_string(buf, back, &cause);
	free(cause);
	return xstrdup(buf);
}

/* Check that every valid key of codes [lo, hi] with mods round-trips. */
static void
roundtrip_range(int lo, int hi, const unsigned *mods, size_t nmods, const char *what)
{
	struct key k, back;
	char *s, again[KEY_STRING_MAX];
	int c, rc, bad = 0, n = 0;
	size_t m;

	for (c = lo; c <= hi; c++) {
		for (m = 0; m < nmods; m++) {
			k.code = c;
			k.mods = mods[m];
			k = key_normalize(k);
			if (!key_valid(k))
				continue;
			n++;
			s = roundtrip(k, &back, &rc);
			key_to_string(back, again, sizeof again);
			if (rc != 0 || !key_equal(k, back) || strcmp(s, again) != 0) {
				if (bad++ < 5)
					printf("#   %s: U+%04X mods %u -> '%s' -> %s\n", what,
					    (unsigned)c, mods[m], s, rc != 0 ? "error" : again);
			}
			free(s);
		}
	}
	ok(bad == 0 && n > 0, "%s: %d keys round-trip through their names", what, n);
}

static const char *
key_str(const char *in)
{
	static char buf[KEY_STRING_MAX];
	struct key k;
	char *cause = NULL;

	if (key_from_string(in, &k, &cause) != 0) {
		snprintf(buf, sizeof buf, "error");
		free(cause);
		return buf;
	}
	return key_to_string(k, buf, sizeof buf);
}

static char *
key_error(const char *in)
{
	struct key k;
	char *cause = NULL;

	if (key_from_string(in, &k, &cause) == 0)
		return xstrdup("(accepted)");
	return cause;
}

static int
starts_with(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Feed the keys named by seq; the last result. */
static struct keymap_result
feed(struct keymap_input *in, const char *seq)
{
	struct keymap_result r = { KEYMAP_NONE, NULL, 0 };
	struct key keys[KEY_SEQ_MAX];
	char *cause = NULL;
	size_t n, i;

	if (key_seq_from_string(seq, keys, KEY_SEQ_MAX, &n, &cause) != 0) {
		printf("#   bad sequence '%s': %s\n", seq, cause);
		free(cause);
		return r;
	}
	for (i = 0; i < n; i++)
		r = keymap_input_feed(in, keys[i]);
	return r;
}

/* The command seq runs in a pane (chain {id}), or "(none)"/"(prefix)". */
static const char *
lookup(const struct keymaps *kms, enum keymap_id id, const char *seq)
{
	struct keymap_input in;
	struct keymap_result r;

	keymap_input_init(&in, kms, &id, 1);
	r = feed(&in, seq);
	if (r.status == KEYMAP_PREFIX)
		return "(prefix)";
	if (r.status == KEYMAP_NONE)
		return "(none)";
	return r.command;
}

/* Print a message of several lines as TAP comments. */
static void
diag(const char *msg)
{
	const char *p = msg, *nl;

	while (p != NULL && *p != '\0') {
		nl = strchr(p, '\n');
		printf("# %.*s\n", nl != NULL ? (int)(nl - p) : (int)strlen(p), p);
		p = nl != NULL ? nl + 1 : NULL;
	}
}

static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = xmalloc((size_t)n + 1);
	s[fread(s, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return s;
}

struct described {
	char	 text[16384];	/* "keys=command@keymap\n"... */
	int	 n;
};

static void
describe_cb(void *arg, const char *keys, const char *command, const char *keymap)
{
	struct described *d = arg;
	size_t len = strlen(d->text);

	snprintf(d->text + len, sizeof d->text - len, "%s=%s@%s\n", keys, command, keymap);
	d->n++;
}

/* --- keys --------------------------------------------------------------------- */

static void
test_keys(void)
{
	static const unsigned all_mods[] = {
		0, KEYM_CTRL, KEYM_META, KEYM_SHIFT, KEYM_CTRL | KEYM_META,
		KEYM_CTRL | KEYM_SHIFT, KEYM_META | KEYM_SHIFT, KEYM_ALL
	};
	static const unsigned plain_meta[] = { 0, KEYM_META };
	struct key k, seq[KEY_SEQ_MAX];
	char buf[KEY_SEQ_STRING_MAX], *cause = NULL;
	size_t n;
	int specials = 0, c;

	/* Every special key with every modifier combination. */
	roundtrip_range(KEYC_BASE, KEYC__END - 1, all_mods, 8, "special keys");
	for (c = KEYC_BASE; c < KEYC__END; c++) {
		k.code = c;
		k.mods = 0;
		specials += key_valid(k);
	}
	is_int(specials, KEYC__END - KEYC_BASE, "every special key is valid unmodified");
	roundtrip_range(0x20, 0x7e, all_mods, 8, "printable ASCII");
	roundtrip_range(0, 0x1f, plain_meta, 2, "C0 control characters");
	roundtrip_range(0x4e00, 0x9fff, plain_meta, 2, "CJK ideographs");
	roundtrip_range(0x3000, 0x303f, plain_meta, 2, "CJK punctuation");
	roundtrip_range(0xff00, 0xffef, plain_meta, 2, "full-width forms");
	roundtrip_range(0x80, 0xff, plain_meta, 2, "Latin-1 and C1 controls");
	roundtrip_range(0x1f600, 0x1f64f, plain_meta, 2, "emoji");

	/* The canonical spellings CONSOLE.md and the man page use. */
	is_str(key_str("j"), "j", "j");
	is_str(key_str("G"), "G", "G");
	is_str(key_str("<Enter>"), "<Enter>", "<Enter>");
	is_str(key_str("<Esc>"), "<Esc>", "<Esc>");
	is_str(key_str("<C-d>"), "<C-d>", "<C-d>");
	is_str(key_str("<M-x>"), "<M-x>", "<M-x>");
	is_str(key_str("<PgDn>"), "<PgDn>", "<PgDn>");
	is_str(key_str("<F5>"), "<F5>", "<F5>");
	is_str(key_str("<Space>"), "<Space>", "<Space>");
	is_str(key_str("<Tab>"), "<Tab>", "<Tab>");
	is_str(key_str("<S-Tab>"), "<S-Tab>", "<S-Tab>");
	is_str(key_str("<lt>"), "<lt>", "<lt> is '<'");
	is_str(key_str("<C-M-S-Up>"), "<C-M-S-Up>", "modifiers in C-M-S order");
	is_str(key_str("<S-M-C-Up>"), "<C-M-S-Up>", "modifiers in any order on input");
	is_str(key_str("你"), "你", "a CJK key names itself");
	is_str(key_str("<M-你>"), "<M-你>", "Meta with a CJK key");
	is_str(key_str("<M->>"), "<M->>", "Meta with >");
	is_str(key_str("<M-lt>"), "<M-lt>", "Meta with <");
	is_str(key_str("<M-<>"), "<M-lt>", "<M-<> is <M-lt>");
	is_str(key_str("<C-->"), "error", "Ctrl with - cannot be typed");
	is_str(key_str("<M-->"), "<M-->", "Meta with -");
	is_str(key_str("<U+0085>"), "<U+0085>", "a C1 control by number");
	is_str(key_str("<U+4F60>"), "你", "a code point by number");

	/* Aliases and the canonical form of what terminals send. */
	is_str(key_str("<PageDown>"), "<PgDn>", "<PageDown> is <PgDn>");
	is_str(key_str("<return>"), "<Enter>", "names are case-insensitive");
	is_str(key_str("<Escape>"), "<Esc>", "<Escape> is <Esc>");
	is_str(key_str("<BTab>"), "<S-Tab>", "<BTab> is <S-Tab>");
	is_str(key_str("<C-D>"), "<C-d>", "Ctrl letters are lower case");
	is_str(key_str("<C-i>"), "<Tab>", "<C-i> is <Tab>");
	is_str(key_str("<C-m>"), "<Enter>", "<C-m> is <Enter>");
	is_str(key_str("<C-[>"), "<Esc>", "<C-[> is <Esc>");
	is_str(key_str("<C-@>"), "<C-Space>", "<C-@> is <C-Space>");
	is_str(key_str("<C-?>"), "<BSpace>", "<C-?> is <BSpace>");
	is_str(key_str("<S-a>"), "A", "<S-a> is A");
	is_str(key_str("<C-h>"), "<C-h>", "<C-h> stays <C-h>");
	is_str(key_str("<Hash>"), "<Hash>", "<Hash>");
	is_str(key_str("#"), "<Hash>", "# is written <Hash>");
	is_str(key_str(";"), "<Semicolon>", "; is written <Semicolon>");
	is_str(key_str("\\"), "<Backslash>", "\\ is written <Backslash>");
	k.code = 0x04;
	k.mods = 0;
	is_str(key_to_string(k, buf, KEY_STRING_MAX), "<C-d>", "byte 0x04 is <C-d>");
	k.code = '\r';
	is_str(key_to_string(k, buf, KEY_STRING_MAX), "<Enter>", "CR is <Enter>");
	k.code = 0x7f;
	is_str(key_to_string(k, buf, KEY_STRING_MAX), "<BSpace>", "DEL is <BSpace>");
	k.code = 0x1b;
	k.mods = KEYM_META;
	is_str(key_to_string(k, buf, KEY_STRING_MAX), "<M-Esc>", "Meta ESC is <M-Esc>");
	k.code = 'x';
	k.mods = KEYM_CTRL;
	ok(key_valid(k), "{x, CTRL} is valid");
	k.code = 'X';
	ok(!key_valid(k), "{X, CTRL} is not canonical");
	k.code = '1';
	ok(!key_valid(k), "{1, CTRL} cannot be typed");

	/* Errors name the key. */
	cause = key_error("<Foo>");
	ok(starts_with(cause, "unknown key '<Foo>'"), "unknown name: %s", cause);
	free(cause);
	cause = key_error("<C-1>");
	ok(starts_with(cause, "unknown key '<C-1>'") && strstr(cause, "Ctrl") != NULL,
	    "Ctrl with a digit: %s", cause);
	free(cause);
	cause = key_error("<S-1>");
	ok(starts_with(cause, "unknown key '<S-1>'"), "Shift with a digit: %s", cause);
	free(cause);
	cause = key_error("<C-x");
	ok(starts_with(cause, "unknown key '<C-x'") && strstr(cause, "<lt>") != NULL,
	    "missing '>': %s", cause);
	free(cause);
	cause = key_error("Enter");
	ok(starts_with(cause, "unknown key 'Enter'") && strstr(cause, "<Enter>") != NULL,
	    "a bare key name: %s", cause);
	free(cause);
	cause = key_error("gg");
	ok(strstr(cause, "more than one key") != NULL, "two keys for one: %s", cause);
	free(cause);
	cause = key_error("");
	ok(starts_with(cause, "empty"), "empty: %s", cause);
	free(cause);
	cause = key_error("\x01");
	ok(strstr(cause, "<C-a>") != NULL, "a raw control character: %s", cause);
	free(cause);
	cause = key_error("\xe4\xbd");
	ok(strstr(cause, "UTF-8") != NULL, "truncated UTF-8: %s", cause);
	free(cause);

	/* Sequences. */
	ok(key_seq_from_string("g g", seq, KEY_SEQ_MAX, &n, &cause) == 0 && n == 2 &&
	    seq[0].code == 'g' && seq[1].code == 'g', "\"g g\" is g, g");
	ok(key_seq_from_string("gg", seq, KEY_SEQ_MAX, &n, &cause) == 0 && n == 2 &&
	    seq[0].code == 'g' && seq[1].code == 'g', "\"gg\" is g, g");
	ok(key_seq_from_string("<C-x> <C-s>", seq, KEY_SEQ_MAX, &n, &cause) == 0 &&
	    n == 2 && seq[0].code == 'x' && seq[0].mods == KEYM_CTRL &&
	    seq[1].code == 's' && seq[1].mods == KEYM_CTRL, "\"<C-x> <C-s>\" is C-x, C-s");
	is_str(key_seq_to_string(seq, n, buf, sizeof buf), "<C-x><C-s>",
	    "a sequence prints without blanks");
	ok(key_seq_from_string("你好<Enter>", seq, KEY_SEQ_MAX, &n, &cause) == 0 && n == 3 &&
	    seq[1].code == 0x597d && seq[2].code == KEYC_ENTER, "CJK keys in a sequence");
	ok(key_seq_from_string("abcdefghi", seq, KEY_SEQ_MAX, &n, &cause) == -1 &&
	    strstr(cause, "too long") != NULL, "nine keys are too many: %s", cause);
	free(cause);
	ok(key_seq_from_string("E n t e r", seq, KEY_SEQ_MAX, &n, &cause) == 0 && n == 5,
	    "a key name spelled with blanks is its letters");
	ok(key_seq_from_string("x<Bad>", seq, KEY_SEQ_MAX, &n, &cause) == -1 &&
	    starts_with(cause, "unknown key '<Bad>'"), "the bad key of a sequence is named: %s",
	    cause);
	free(cause);
}

/* --- the command language ------------------------------------------------------- */

static char *
parse_error(const char *line)
{
	struct cmdline *cl;
	char *cause = NULL;

	if (cmdline_parse(line, &cl, &cause) == 0) {
		cmdline_free(&cl);
		return xstrdup("(parsed)");
	}
	return cause;
}

static void
test_tokenizer(void)
{
	struct cmdline *cl = NULL;
	char *cause = NULL, *q, *joined;
	static const char *words[] = {
		"", "plain", "a b", "it's", "say \"x\"", "#x", "a#b", "a;b", "back\\slash",
		"您好 世界", "tab\there", "new\nline", "'", "\"", "\\"
	};
	char *argv[3];
	size_t i;
	int good;

	ok(cmdline_parse("ship SF SF1234567890", &cl, &cause) == 0 && cl->n == 1 &&
	    cl->cmds[0].argc == 3 && strcmp(cl->cmds[0].argv[2], "SF1234567890") == 0 &&
	    cl->cmds[0].argv[3] == NULL, "three words, argv ends with NULL");
	cmdline_free(&cl);
	ok(cl == NULL, "cmdline_free NULLs the pointer");

	ok(cmdline_parse("send \"您好，马上发货\"", &cl, &cause) == 0 && cl->n == 1 &&
	    cl->cmds[0].argc == 2, "Chinese text in double quotes is one word");
	if (cl != NULL && cl->n == 1 && cl->cmds[0].argc == 2)
		is_str(cl->cmds[0].argv[1], "您好，马上发货", "the Chinese word is intact");
	else
		ok(0, "the Chinese word is intact");
	cmdline_free(&cl);

	ok(cmdline_parse("send 您好 马上发货", &cl, &cause) == 0 && cl->cmds[0].argc == 3,
	    "unquoted Chinese words split at blanks");
	cmdline_free(&cl);

	ok(cmdline_parse("note \"say \\\"hi\\\" \\\\ \\n ok\"", &cl, &cause) == 0 &&
	    cl->cmds[0].argc == 2, "escapes in double quotes");
	is_str(cl != NULL ? cl->cmds[0].argv[1] : NULL, "say \"hi\" \\ \\n ok",
	    "\\\" and \\\\ are escapes, other backslashes stay");
	cmdline_free(&cl);

	ok(cmdline_parse("note 'a\\b \"c\" ;#'", &cl, &cause) == 0 && cl->cmds[0].argc == 2,
	    "single quotes");
	is_str(cl != NULL ? cl->cmds[0].argv[1] : NULL, "a\\b \"c\" ;#",
	    "single quotes keep everything literally");
	cmdline_free(&cl);

	ok(cmdline_parse("note a\\ b\\;c\\#d \\#e", &cl, &cause) == 0 &&
	    cl->n == 1 && cl->cmds[0].argc == 3, "backslash escapes outside quotes");
	is_str(cl != NULL ? cl->cmds[0].argv[1] : NULL, "a b;c#d", "escaped blank and ;");
	is_str(cl != NULL && cl->cmds[0].argc == 3 ? cl->cmds[0].argv[2] : NULL, "#e",
	    "an escaped # starts no comment");
	cmdline_free(&cl);

	ok(cmdline_parse("flag; cursor-down ;; pane orders;", &cl, &cause) == 0 &&
	    cl->n == 3, "; separates commands, empty ones are dropped");
	if (cl != NULL && cl->n == 3) {
		is_str(cl->cmds[0].argv[0], "flag", "first command");
		is_str(cl->cmds[1].argv[0], "cursor-down", "second command");
		ok(cl->cmds[2].argc == 2 && strcmp(cl->cmds[2].argv[1], "orders") == 0,
		    "third command with its argument");
	} else
		ok(0, "three commands");
	cmdline_free(&cl);

	ok(cmdline_parse("quit # leave now; really", &cl, &cause) == 0 && cl->n == 1 &&
	    cl->cmds[0].argc == 1, "# at a word start comments out the rest, ; included");
	cmdline_free(&cl);
	ok(cmdline_parse("note a#b", &cl, &cause) == 0 && cl->cmds[0].argc == 2 &&
	    strcmp(cl->cmds[0].argv[1], "a#b") == 0, "# inside a word is a character");
	cmdline_free(&cl);
	ok(cmdline_parse("   # only a comment", &cl, &cause) == 0 && cl->n == 0,
	    "a comment line has no commands");
	cmdline_free(&cl);
	ok(cmdline_parse("filter \"\" a\"b c\"d", &cl, &cause) == 0 && cl->cmds[0].argc == 3 &&
	    strcmp(cl->cmds[0].argv[1], "") == 0 && strcmp(cl->cmds[0].argv[2], "ab cd") == 0,
	    "\"\" is an empty word; adjacent parts join");
	cmdline_free(&cl);

	cause = parse_error("send hello \"x");
	is_str(cause, "unterminated quote at column 12", "unterminated double quote");
	free(cause);
	cause = parse_error("send 您好 'x");
	is_str(cause, "unterminated quote at column 9", "columns count characters, not bytes");
	free(cause);
	cause = parse_error("note abc\\");
	is_str(cause, "trailing backslash at column 9", "trailing backslash");
	free(cause);

	good = 1;
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		q = cmdline_quote(words[i]);
		if (cmdline_parse(q, &cl, &cause) != 0 || cl->n != 1 || cl->cmds[0].argc != 1 ||
		    strcmp(cl->cmds[0].argv[0], words[i]) != 0) {
			printf("#   '%s' quoted as %s does not parse back\n", words[i], q);
			good = 0;
			free(cause);
			cause = NULL;
		}
		cmdline_free(&cl);
		free(q);
	}
	ok(good, "cmdline_quote() words parse back to themselves");
	q = cmdline_quote("SF123");
	is_str(q, "SF123", "a plain word is not quoted");
	free(q);
	argv[0] = "send";
	argv[1] = "您好 world";
	argv[2] = "it's";
	joined = cmdline_join(3, argv);
	is_str(joined, "send '您好 world' \"it's\"", "cmdline_join quotes what needs it");
	free(joined);
}

/* --- the dispatcher ------------------------------------------------------------- */

struct app {
	char	 log[256];
};

static int
app_log(void *app, int argc, char **argv, char **cause)
{
	struct app *a = app;
	size_t len = strlen(a->log);
	int i;

	for (i = 0; i < argc; i++) {
		snprintf(a->log + len, sizeof a->log - len, "%s%s", i > 0 ? " " : "", argv[i]);
		len = strlen(a->log);
	}
	snprintf(a->log + len, sizeof a->log - len, "|");
	return 0;
}

static int
app_fail(void *app, int argc, char **argv, char **cause)
{
	*cause = xstrdup("it failed");
	return -1;
}

static const struct ui_command test_commands[] = {
	{ "ship", NULL, 2, 2, "CARRIER TRACKING", "ship the order", app_log, UI_CMD_SELECTION },
	{ "send", NULL, 1, -1, "TEXT...", "send a message", app_log, 0 },
	{ "sync", NULL, 0, 0, "", "sync now", app_log, 0 },
	{ "quit", "q", 0, 0, "", "leave", app_log, 0 },
	{ "fail", NULL, 0, 0, "", "always fails", app_fail, 0 },
	{ "dump-screen", NULL, 1, 1, "FILE", "tests only", app_log, UI_CMD_HIDDEN },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};

static void
test_dispatcher(void)
{
	struct app app;
	char *cause = NULL;
	int rc;

	memset(&app, 0, sizeof app);
	rc = ui_command_run(test_commands, &app, "ship SF", &cause);
	ok(rc == -1, "too few arguments fail");
	is_str(cause, "usage: ship CARRIER TRACKING", "usage names the arguments");
	is_str(app.log, "", "the handler did not run");
	free(cause);

	rc = ui_command_run(test_commands, &app, "sync now", &cause);
	is_str(rc == -1 ? cause : NULL, "usage: sync", "too many arguments fail");
	free(cause);

	rc = ui_command_run(test_commands, &app, "frobnicate", &cause);
	is_str(rc == -1 ? cause : NULL, "unknown command 'frobnicate'", "unknown command");
	free(cause);

	rc = ui_command_run(test_commands, &app, "shi SF 1", &cause);
	is_str(rc == -1 ? cause : NULL, "unknown command 'shi'", "no prefix matching");
	free(cause);

	rc = ui_command_run(test_commands, &app, "q", &cause);
	ok(rc == 0, "an alias runs its command");
	is_str(app.log, "q|", "the handler sees the name as typed");

	app.log[0] = '\0';
	rc = ui_command_run(test_commands, &app, "ship SF SF1; send \"您好，马上发货\" 谢谢", &cause);
	ok(rc == 0, "two commands run");
	is_str(app.log, "ship SF SF1|send 您好，马上发货 谢谢|", "in order, with their arguments");

	app.log[0] = '\0';
	rc = ui_command_run(test_commands, &app, "sync; ship SF", &cause);
	ok(rc == -1 && app.log[0] == '\0', "a bad command anywhere stops the whole line first");
	free(cause);

	app.log[0] = '\0';
	cause = NULL;
	rc = ui_command_run(test_commands, &app, "sync; fail; quit", &cause);
	ok(rc == -1, "a failing handler fails the line");
	is_str(cause, "it failed", "with its cause");
	is_str(app.log, "sync|", "and stops the commands after it");
	free(cause);

	rc = ui_command_run(test_commands, &app, "send 'open", &cause);
	is_str(rc == -1 ? cause : NULL, "unterminated quote at column 6", "parse errors come through");
	free(cause);
	rc = ui_command_run(test_commands, &app, "  # nothing", &cause);
	ok(rc == 0, "an empty line does nothing and succeeds");
}

/* --- completion --------------------------------------------------------------------- */

struct complete_log {
	char	 seen[128];	/* "command argi prefix" of the last call */
	int	 calls;
};

static void
complete_args(void *arg, const char *command, int argi, const char *prefix,
    struct ui_completion *out)
{
	struct complete_log *cl = arg;

	cl->calls++;
	snprintf(cl->seen, sizeof cl->seen, "%s %d %s", command, argi, prefix);
	if (strcmp(command, "ship") == 0 && argi == 1) {
		ui_completion_add(out, "ZTO");
		ui_completion_add(out, "SF");
		ui_completion_add(out, "YTO");
		ui_completion_add(out, "SF");
	} else if (strcmp(command, "ship") == 0 && argi == 2) {
		ui_completion_add(out, "SF1234567890");
	} else if (strcmp(command, "send") == 0) {
		ui_completion_add(out, "您好，马上发货");
		ui_completion_add(out, "您好，请稍等");
		ui_completion_add(out, "谢谢");
	}
}

static char *
candidates(const struct ui_completion *c)
{
	char buf[512] = "";
	size_t i, len;

	for (i = 0; i < c->n; i++) {
		len = strlen(buf);
		snprintf(buf + len, sizeof buf - len, "%s%s", i > 0 ? " " : "", c->v[i]);
	}
	return xstrdup(buf);
}

static void
test_completion(void)
{
	struct ui_completion c;
	struct complete_log log;
	char *s;

	memset(&log, 0, sizeof log);
	ui_command_complete(test_commands, "s", 1, complete_args, &log, &c);
	s = candidates(&c);
	is_str(s, "send ship sync", "command names by prefix, sorted");
	ok(c.argi == 0 && c.start == 0 && log.calls == 0, "the first word needs no callback");
	free(s);
	ui_completion_done(&c);

	ui_command_complete(test_commands, "", 0, complete_args, &log, &c);
	s = candidates(&c);
	is_str(s, "fail quit send ship sync", "all names, hidden ones left out");
	free(s);
	ui_completion_done(&c);

	ui_command_complete(test_commands, "ship ", 5, complete_args, &log, &c);
	s = candidates(&c);
	is_str(s, "SF YTO ZTO", "first argument from the callback, sorted and unique");
	is_str(log.seen, "ship 1 ", "the callback gets command, index and prefix");
	ok(c.start == 5 && c.argi == 1, "the word starts at the cursor");
	free(s);
	ui_completion_done(&c);

	ui_command_complete(test_commands, "ship Z", 6, complete_args, &log, &c);
	s = candidates(&c);
	is_str(s, "ZTO", "candidates are filtered by the prefix");
	ok(c.start == 5, "the word starts after the blank");
	free(s);
	ui_completion_done(&c);

	ui_command_complete(test_commands, "ship SF S trailing", 9, complete_args, &log, &c);
	s = candidates(&c);
	is_str(s, "SF1234567890", "second argument; text after the cursor is ignored");
	is_str(log.seen, "ship 2 S", "argument index 2");
	free(s);
	ui_completion_done(&c);

	ui_command_complete(test_commands, "sync; sh", 8, complete_args, &log, &c);
	s = candidates(&c);
	is_str(s, "ship", "a command after ; completes as a command");
	ok(c.start == 6, "from where it starts");
	free(s);
	ui_completion_done(&c);

	ui_command_complete(test_commands, "send \"您好", strlen("send \"您好"),
	    complete_args, &log, &c);
	s = candidates(&c);
	is_str(s, "您好，请稍等 您好，马上发货", "completion inside an open quote, in Chinese");
	ok(c.quote == '"' && c.start == 5, "the open quote is reported");
	is_str(c.prefix, "您好", "the prefix is unquoted");
	free(s);
	ui_completion_done(&c);

	log.calls = 0;
	ui_command_complete(test_commands, "sync ", 5, complete_args, &log, &c);
	ok(c.n == 0 && log.calls == 0, "no arguments past max_args");
	ui_completion_done(&c);
	ui_command_complete(test_commands, "frob ", 5, complete_args, &log, &c);
	ok(c.n == 0 && log.calls == 0, "no arguments for an unknown command");
	ui_completion_done(&c);
	ui_command_complete(test_commands, "ship # x", 8, complete_args, &log, &c);
	ok(c.n == 0, "nothing inside a comment");
	ui_completion_done(&c);
}

/* --- keymaps -------------------------------------------------------------------------- */

static void
test_keymaps(void)
{
	struct keymaps *kms = keymaps_new();
	struct keymap_input in;
	struct keymap_result r;
	struct key k;
	enum keymap_id chain[2];
	struct described d;
	char *cause = NULL, buf[KEY_SEQ_STRING_MAX];
	int n;

	is_str(keymap_name(KEYMAP_ORDERS), "orders", "keymap names are a table");
	is_int(keymap_find("detail"), KEYMAP_DETAIL, "keymap_find");
	is_int(keymap_find("nope"), -1, "keymap_find of an unknown name");

	n = keymap_load_string(kms, "t.keys",
	    "bind generic j cursor-down\n"
	    "bind generic q quit\n"
	    "bind generic gg first\n"
	    "bind generic x pane orders\n"
	    "bind generic xy pane tickets\n"
	    "bind generic <C-d> half-page-down\n"
	    "bind orders S command 'ship '\n"
	    "bind orders r sync\n"
	    "bind detail q back\n",
	    ui_command_check_fn, (void *)console_commands, &cause);
	is_int(n, 0, "a small keymap loads");
	ok(cause == NULL, "without a cause");

	/* Fallback to generic. */
	is_str(lookup(kms, KEYMAP_ORDERS, "j"), "cursor-down", "orders falls back to generic");
	is_str(lookup(kms, KEYMAP_ORDERS, "S"), "command 'ship '", "orders' own key");
	is_str(lookup(kms, KEYMAP_TICKETS, "S"), "(none)", "another pane does not see it");
	is_str(lookup(kms, KEYMAP_GENERIC, "j"), "cursor-down", "generic alone");
	k.code = 0x04;
	k.mods = 0;
	keymap_input_init(&in, kms, chain, 0);
	r = keymap_input_feed(&in, k);
	is_str(r.status == KEYMAP_MATCH ? r.command : NULL, "half-page-down",
	    "a raw 0x04 matches <C-d>");

	/* Prefixes and the timeout. */
	chain[0] = KEYMAP_ORDERS;
	keymap_input_init(&in, kms, chain, 1);
	r = keymap_input_feed(&in, (struct key){ 'g', 0 });
	is_int(r.status, KEYMAP_PREFIX, "g waits for more");
	is_str(keymap_input_pending(&in, buf, sizeof buf), "g", "g is pending");
	r = keymap_input_feed(&in, (struct key){ 'g', 0 });
	is_str(r.status == KEYMAP_MATCH ? r.command : NULL, "first", "g g is first");
	ok(in.npending == 0 && !r.again, "and the sequence is done");

	r = keymap_input_feed(&in, (struct key){ 'g', 0 });
	r = keymap_input_timeout(&in);
	is_int(r.status, KEYMAP_NONE, "g then a pause is nothing (g alone is unbound)");
	ok(in.npending == 0, "the timeout clears what was pending");

	r = keymap_input_feed(&in, (struct key){ 'g', 0 });
	r = keymap_input_feed(&in, (struct key){ 'j', 0 });
	ok(r.status == KEYMAP_NONE && r.again, "g j: g is dropped and j is given back");
	r = keymap_input_feed(&in, (struct key){ 'j', 0 });
	is_str(r.status == KEYMAP_MATCH ? r.command : NULL, "cursor-down", "j fed again moves");

	r = keymap_input_feed(&in, (struct key){ 'x', 0 });
	is_int(r.status, KEYMAP_PREFIX, "x is bound and starts xy: wait");
	r = keymap_input_timeout(&in);
	is_str(r.status == KEYMAP_MATCH ? r.command : NULL, "pane orders",
	    "x then a pause runs x");
	feed(&in, "x");
	r = keymap_input_feed(&in, (struct key){ 'y', 0 });
	is_str(r.status == KEYMAP_MATCH ? r.command : NULL, "pane tickets", "x y runs xy");
	feed(&in, "x");
	r = keymap_input_feed(&in, (struct key){ 'j', 0 });
	ok(r.status == KEYMAP_MATCH && strcmp(r.command, "pane orders") == 0 && r.again,
	    "x j runs x and gives j back");
	r = keymap_input_feed(&in, (struct key){ 'j', 0 });
	is_str(r.status == KEYMAP_MATCH ? r.command : NULL, "cursor-down", "then j");

	/* A pane's binding hides generic's, longer ones included. */
	is_str(lookup(kms, KEYMAP_ORDERS, "r"), "sync", "orders' r");
	keymap_load_string(kms, "t2.keys", "bind orders g sync\n", ui_command_check_fn,
	    (void *)console_commands, &cause);
	is_str(lookup(kms, KEYMAP_ORDERS, "g"), "sync", "orders' g runs at once, hiding gg");
	is_str(lookup(kms, KEYMAP_TICKETS, "gg"), "first", "gg still works elsewhere");

	/* none unbinds and stops the fallback; unbind restores it. */
	n = keymap_load_string(kms, "t3.keys", "bind orders q none\nbind orders x none\n",
	    ui_command_check_fn, (void *)console_commands, &cause);
	is_int(n, 0, "none is accepted");
	is_str(lookup(kms, KEYMAP_ORDERS, "q"), "(none)", "q is off in orders");
	is_str(lookup(kms, KEYMAP_TICKETS, "q"), "quit", "q still quits in tickets");
	is_str(lookup(kms, KEYMAP_ORDERS, "x"), "(none)", "none on x hides generic's xy too");
	n = keymap_load_string(kms, "t4.keys", "unbind orders q\n",
	    ui_command_check_fn, (void *)console_commands, &cause);
	is_int(n, 0, "unbind of a pane binding");
	is_str(lookup(kms, KEYMAP_ORDERS, "q"), "quit", "q falls back to generic again");

	/* A detail view in front of its pane. */
	chain[0] = KEYMAP_DETAIL;
	chain[1] = KEYMAP_ORDERS;
	keymap_input_init(&in, kms, chain, 2);
	is_int(in.nchain, 3, "generic is appended to the chain");
	r = feed(&in, "q");
	is_str(r.status == KEYMAP_MATCH ? r.command : NULL, "back", "detail's q");
	r = feed(&in, "S");
	is_str(r.status == KEYMAP_MATCH ? r.command : NULL, "command 'ship '",
	    "the pane's keys work in its detail");
	r = feed(&in, "j");
	is_str(r.status == KEYMAP_MATCH ? r.command : NULL, "cursor-down", "and generic's");

	/* Help: what is live in a keymap. */
	memset(&d, 0, sizeof d);
	n = keymap_describe(kms, "orders", describe_cb, &d);
	ok(n == d.n && n > 0, "describe returns what it listed (%d)", n);
	ok(strstr(d.text, "S=command 'ship '@orders\n") != NULL, "orders' own bindings");
	ok(strstr(d.text, "j=cursor-down@generic\n") != NULL, "generic's bindings");
	ok(strstr(d.text, "gg=") == NULL, "generic gg hidden by orders' g");
	ok(strstr(d.text, "x=") == NULL && strstr(d.text, "xy=") == NULL,
	    "none bindings are not listed, nor what they hide");
	ok(strstr(d.text, "S=") < strstr(d.text, "j="), "the pane's own come first");
	is_int(keymap_describe(kms, "ordres", describe_cb, &d), -1, "describe of an unknown keymap");

	/* keymaps_bind/unbind/get directly. */
	{
		struct key seq[2] = { { 'z', 0 }, { 'z', 0 } };
		const char *cmd;

		keymaps_bind(kms, KEYMAP_STOCK, seq, 2, "sync");
		ok(keymaps_get(kms, KEYMAP_STOCK, seq, 2, &cmd) && strcmp(cmd, "sync") == 0,
		    "keymaps_get sees a binding");
		ok(!keymaps_get(kms, KEYMAP_STOCK, seq, 1, &cmd), "but not its prefix");
		is_int(keymaps_unbind(kms, KEYMAP_STOCK, seq, 2), 0, "unbind it");
		is_int(keymaps_unbind(kms, KEYMAP_STOCK, seq, 2), -1, "twice is an error");
		is_str(lookup(kms, KEYMAP_STOCK, "z"), "(none)", "no dangling prefix is left");
	}
	keymaps_free(&kms);
	ok(kms == NULL, "keymaps_free NULLs the pointer");
}

/* --- the loader's errors ------------------------------------------------------------------ */

static void
test_loader(void)
{
	struct keymaps *kms = keymaps_new();
	char *cause = NULL, dir[] = "/tmp/sdkeys.XXXXXX", *a, *b;
	const char *cmd;
	struct key x = { 'x', 0 };
	FILE *f;
	int n;

	n = keymap_load_string(kms, "bad.keys",
	    "# a comment\n"
	    "\n"
	    "bind generic <C-1> quit\n"		/* 3 */
	    "bind ordres j cursor-down\n"		/* 4 */
	    "bind generic j frobnicate\n"		/* 5 */
	    "bind generic j\n"			/* 6 */
	    "bind generic x pane\n"			/* 7 */
	    "bnid generic j quit\n"			/* 8 */
	    "bind generic x 'quit\n"			/* 9 */
	    "bind generic x quit   # trailing comment\n"	/* 10: good */
	    "unbind tickets q\n"			/* 11 */
	    "bind generic y sync; cursor-down\n"	/* 12 */
	    "bind generic <Nope> sync\n"		/* 13 */
	    "bind generic z 'sync; frobnicate'\n",	/* 14 */
	    ui_command_check_fn, (void *)console_commands, &cause);
	is_int(n, 11, "every bad line is an error, and only those");
	ok(cause != NULL, "with a cause");
	if (cause == NULL)
		cause = xstrdup("");
	diag(cause);
	ok(strstr(cause, "bad.keys:3: unknown key '<C-1>'") != NULL, "unknown key, file:line");
	ok(strstr(cause, "bad.keys:4: unknown keymap 'ordres'") != NULL, "unknown keymap");
	ok(strstr(cause, "bad.keys:5: unknown command 'frobnicate'\n") != NULL, "unknown command");
	ok(strstr(cause, "bad.keys:6: usage: bind KEYMAP KEYS COMMAND [ARGS...]\n") != NULL,
	    "missing arguments give the usage");
	ok(strstr(cause, "bad.keys:7: usage: pane NAME [TAB]\n") != NULL,
	    "a bound command's arguments are checked too");
	ok(strstr(cause, "bad.keys:8: unknown statement 'bnid'") != NULL, "unknown statement");
	ok(strstr(cause, "bad.keys:9: unterminated quote at column 16\n") != NULL,
	    "a quote left open");
	ok(strstr(cause, "bad.keys:10:") == NULL, "a trailing comment is fine");
	ok(strstr(cause, "bad.keys:11: q is not bound in keymap tickets") != NULL,
	    "unbind of a key that is not bound");
	ok(strstr(cause, "bad.keys:12: unknown statement 'cursor-down'") != NULL &&
	    strstr(cause, "quote them") != NULL, "an unquoted ; explains itself");
	ok(strstr(cause, "bad.keys:13: unknown key '<Nope>'") != NULL, "unknown key name");
	ok(strstr(cause, "bad.keys:14: unknown command 'frobnicate'") != NULL,
	    "every command of a quoted list is checked");
	ok(keymaps_get(kms, KEYMAP_GENERIC, &x, 1, &cmd) && strcmp(cmd, "quit") == 0,
	    "the good line in between took effect");
	free(cause);
	cause = NULL;

	n = keymap_load_string(kms, "ok.keys", "bind generic x 'flag; cursor-down'\n"
	    "bind chats m command \"send \"\n", ui_command_check_fn,
	    (void *)console_commands, &cause);
	is_int(n, 0, "a quoted command list binds");
	is_str(lookup(kms, KEYMAP_GENERIC, "x"), "flag; cursor-down", "stored as one line");
	is_str(lookup(kms, KEYMAP_CHATS, "m"), "command 'send '", "arguments are quoted back");

	n = keymap_load_string(kms, "none.keys", "bind orders q 'none; quit'\n",
	    ui_command_check_fn, (void *)console_commands, &cause);
	ok(n == 1 && strstr(cause, "'none' goes alone") != NULL, "none with others: %s", cause);
	free(cause);
	cause = NULL;

	n = keymap_load_string(kms, "u.keys", "bind generic q quit\nunbind orders q\n",
	    ui_command_check_fn, (void *)console_commands, &cause);
	ok(n == 1 && strstr(cause, "u.keys:2: q is not bound in keymap orders") != NULL &&
	    strstr(cause, "bind orders q none") != NULL, "unbind suggests none: %s", cause);
	free(cause);
	cause = NULL;

	n = keymap_load_file(kms, "/nonexistent/keys", NULL, NULL, &cause);
	ok(n == 1 && starts_with(cause, "/nonexistent/keys: cannot read:"),
	    "a missing file: %s", cause);
	free(cause);
	cause = NULL;

	/* source, relative to the file, with errors naming the sourced file. */
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	a = xasprintf("%s/a.keys", dir);
	b = xasprintf("%s/b.keys", dir);
	f = fopen(a, "w");
	fputs("unbind -a\nsource b.keys\nbind generic k cursor-up\n", f);
	fclose(f);
	f = fopen(b, "w");
	fputs("bind generic J cursor-down\n\nbind generic K frobnicate\n", f);
	fclose(f);
	n = keymap_load_file(kms, a, ui_command_check_fn, (void *)console_commands, &cause);
	is_int(n, 1, "source reads the other file");
	ok(cause != NULL && strstr(cause, "/b.keys:3: unknown command 'frobnicate'") != NULL,
	    "an error in a sourced file names that file: %s", cause);
	is_str(lookup(kms, KEYMAP_GENERIC, "J"), "cursor-down", "the sourced binding");
	is_str(lookup(kms, KEYMAP_GENERIC, "k"), "cursor-up", "the line after source");
	is_str(lookup(kms, KEYMAP_GENERIC, "q"), "(none)", "unbind -a removed the rest");
	free(cause);
	cause = NULL;
	f = fopen(b, "w");
	fputs("source b.keys\n", f);
	fclose(f);
	n = keymap_load_file(kms, b, NULL, NULL, &cause);
	ok(n >= 1 && cause != NULL && strstr(cause, "nested too deep") != NULL,
	    "a file sourcing itself stops");
	free(cause);
	unlink(a);
	unlink(b);
	rmdir(dir);
	free(a);
	free(b);
	keymaps_free(&kms);
}

/* --- the shipped keymap files ------------------------------------------------------------- */

/* Whether command is bound anywhere in kms, directly or as "command 'X ...'". */
struct find_command {
	const char	*name;
	int		 found;
};

static void
find_cb(void *arg, const char *keys, const char *command, const char *keymap)
{
	struct find_command *fc = arg;
	size_t len = strlen(fc->name);
	const char *p = command;

	if (strncmp(p, "command '", 9) == 0)
		p += 9;
	else if (strncmp(p, "command ", 8) == 0)
		p += 8;
	if (strncmp(p, fc->name, len) == 0 && strchr(" ';", p[len] == '\0' ? ' ' : p[len]))
		fc->found = 1;
}

static int
bound_anywhere(const struct keymaps *kms, const char *name)
{
	struct find_command fc = { name, 0 };
	int i;

	for (i = 0; i < KEYMAP__COUNT; i++)
		keymap_describe(kms, keymap_name((enum keymap_id)i), find_cb, &fc);
	return fc.found;
}

static void
test_files(void)
{
	struct keymaps *kms = keymaps_new();
	const char *top = getenv("top_srcdir");
	char *cause = NULL, *path, *text;
	struct described d;
	const char *cmd;
	int n, i, ascii = 1, missing = 0;
	static const char *panes[] = {
		"dashboard", "orders", "tickets", "chats", "stock", "promos", "outbox",
		"customers"
	};

	if (top == NULL)
		top = ".";
	n = keymap_load_default(kms, ui_command_check_fn, (void *)console_commands, &cause);
	is_int(n, 0, "the compiled-in default.keys loads without error");
	if (cause != NULL)
		diag(cause);
	free(cause);
	cause = NULL;

	is_str(lookup(kms, KEYMAP_ORDERS, "j"), "cursor-down", "default: j");
	is_str(lookup(kms, KEYMAP_ORDERS, "k"), "cursor-up", "default: k");
	is_str(lookup(kms, KEYMAP_ORDERS, "q"), "quit", "default: q");
	is_str(lookup(kms, KEYMAP_ORDERS, "/"), "search", "default: /");
	is_str(lookup(kms, KEYMAP_ORDERS, ":"), "command", "default: :");
	is_str(lookup(kms, KEYMAP_ORDERS, "?"), "help", "default: ?");
	is_str(lookup(kms, KEYMAP_ORDERS, "gg"), "first", "default: gg");
	is_str(lookup(kms, KEYMAP_ORDERS, "<C-d>"), "half-page-down", "default: C-d");
	is_str(lookup(kms, KEYMAP_ORDERS, "<Esc>"), "back", "default: Esc");
	is_str(lookup(kms, KEYMAP_ORDERS, "S"), "command 'ship '", "default: orders S");
	is_str(lookup(kms, KEYMAP_CHATS, "m"), "command 'send '", "default: chats m");
	is_str(lookup(kms, KEYMAP_TICKETS, "a"), "approve", "default: tickets a");
	is_str(lookup(kms, KEYMAP_STOCK, "-"), "command 'adjust -'", "default: stock -");
	for (i = 0; i < 8; i++) {
		char key[2] = { (char)('1' + i), '\0' }, want[32];

		snprintf(want, sizeof want, "pane %s", panes[i]);
		is_str(lookup(kms, KEYMAP_DASHBOARD, key), want, "default: a number key");
	}
	for (i = 0; i < NGENERIC_COMMANDS; i++) {
		if (!bound_anywhere(kms, console_commands[i].name)) {
			printf("#   no key for %s\n", console_commands[i].name);
			missing++;
		}
	}
	is_int(missing, 0, "default.keys binds every generic command of CONSOLE.md");
	missing = 0;
	for (i = KEYMAP_ORDERS; i <= KEYMAP_DETAIL; i++) {
		char own[32];

		memset(&d, 0, sizeof d);
		keymap_describe(kms, keymap_name((enum keymap_id)i), describe_cb, &d);
		snprintf(own, sizeof own, "@%s\n", keymap_name((enum keymap_id)i));
		if (strstr(d.text, own) == NULL) {
			printf("#   no keys of its own in %s\n", keymap_name((enum keymap_id)i));
			missing++;
		}
	}
	is_int(missing, 0, "every pane but the dashboard has keys of its own");
	for (i = 0; keymap_default_text[i] != '\0'; i++) {
		if ((unsigned char)keymap_default_text[i] >= 0x80)
			ascii = 0;
	}
	ok(ascii, "default.keys is ASCII");

	path = xasprintf("%s/keymaps/default.keys", top);
	text = read_text(path);
	ok(text != NULL && strcmp(text, keymap_default_text) == 0,
	    "the compiled-in text is keymaps/default.keys (%s)", path);
	free(text);
	free(path);

	/* The alternatives, read as a user's file after the default. */
	path = xasprintf("%s/keymaps/vi.keys", top);
	n = keymap_load_file(kms, path, ui_command_check_fn, (void *)console_commands, &cause);
	is_int(n, 0, "vi.keys loads without error");
	if (cause != NULL)
		diag(cause);
	free(cause);
	cause = NULL;
	free(path);
	is_str(lookup(kms, KEYMAP_ORDERS, "gt"), "pane-next", "vi: gt");
	is_str(lookup(kms, KEYMAP_ORDERS, "l"), "open", "vi: l");
	is_str(lookup(kms, KEYMAP_OUTBOX, "dd"), "command drop", "vi: dd in the outbox");
	is_str(lookup(kms, KEYMAP_ORDERS, "<F10>"), "(none)", "vi.keys replaces the default");
	missing = 0;
	for (i = 0; i < NGENERIC_COMMANDS; i++)
		missing += !bound_anywhere(kms, console_commands[i].name);
	is_int(missing, 0, "vi.keys binds every generic command");

	keymaps_clear(kms, -1);
	path = xasprintf("%s/keymaps/emacs.keys", top);
	n = keymap_load_file(kms, path, ui_command_check_fn, (void *)console_commands, &cause);
	is_int(n, 0, "emacs.keys loads without error");
	if (cause != NULL)
		diag(cause);
	free(cause);
	cause = NULL;
	free(path);
	is_str(lookup(kms, KEYMAP_ORDERS, "<C-n>"), "cursor-down", "emacs: C-n");
	is_str(lookup(kms, KEYMAP_ORDERS, "<C-p>"), "cursor-up", "emacs: C-p");
	is_str(lookup(kms, KEYMAP_ORDERS, "<C-v>"), "page-down", "emacs: C-v");
	is_str(lookup(kms, KEYMAP_ORDERS, "<M-v>"), "page-up", "emacs: M-v");
	is_str(lookup(kms, KEYMAP_ORDERS, "<M-lt>"), "first", "emacs: M-<");
	is_str(lookup(kms, KEYMAP_ORDERS, "<M->>"), "last", "emacs: M->");
	is_str(lookup(kms, KEYMAP_ORDERS, "<C-s>"), "search", "emacs: C-s");
	is_str(lookup(kms, KEYMAP_ORDERS, "<C-r>"), "search-prev", "emacs: C-r");
	is_str(lookup(kms, KEYMAP_ORDERS, "<C-x><C-c>"), "quit", "emacs: C-x C-c");
	is_str(lookup(kms, KEYMAP_ORDERS, "<C-x>"), "(prefix)", "emacs: C-x waits");
	missing = 0;
	for (i = 0; i < NGENERIC_COMMANDS; i++)
		missing += !bound_anywhere(kms, console_commands[i].name);
	is_int(missing, 0, "emacs.keys binds every generic command");

	/* A user's file overrides one pane only. */
	keymaps_clear(kms, -1);
	n = keymap_load_default(kms, ui_command_check_fn, (void *)console_commands, &cause);
	n += keymap_load_string(kms, "user.keys", "bind chats j cursor-up\n",
	    ui_command_check_fn, (void *)console_commands, &cause);
	is_int(n, 0, "default plus a user file");
	is_str(lookup(kms, KEYMAP_CHATS, "j"), "cursor-up", "the user's j in chats");
	is_str(lookup(kms, KEYMAP_ORDERS, "j"), "cursor-down", "the default j elsewhere");
	ok(keymaps_get(kms, KEYMAP_GENERIC, (struct key[]){ { 'j', 0 } }, 1, &cmd) &&
	    strcmp(cmd, "cursor-down") == 0, "generic's j is untouched");
	keymaps_free(&kms);
}

/* --- the man page ---------------------------------------------------------------------- */

/* Undo the mdoc escapes the page uses in keys and commands. */
static void
man_unescape(char *s)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (r[0] == '\\' && r[1] == '&')
			r += 2;
		else if (r[0] == '\\' && r[1] == '-') {
			*w++ = '-';
			r += 2;
		} else if (r[0] == '\\' && r[1] == 'e') {
			*w++ = '\\';
			r += 2;
		} else
			*w++ = *r++;
	}
	*w = '\0';
}

/* The lines of section name of the page (without the .Sh line), or NULL. */
static char *
man_section(const char *page, const char *name)
{
	char *want = xasprintf("\n.Sh %s\n", name);
	const char *start = strstr(page, want), *end;
	char *out;

	if (start == NULL) {
		free(want);
		return NULL;
	}
	start += strlen(want);
	end = strstr(start, "\n.Sh ");
	out = end != NULL ? xstrndup(start, (size_t)(end - start + 1)) : xstrdup(start);
	free(want);
	return out;
}

static void
test_man(void)
{
	const char *top = getenv("top_srcdir");
	char *path, *page, *sec, *line, *next, *ta, *row, *cause = NULL;
	char *documented[KEYMAP__COUNT], *bound[KEYMAP__COUNT];
	struct keymaps *kms = keymaps_new();
	struct described d;
	struct key seq[KEY_SEQ_MAX];
	char keys[KEY_SEQ_STRING_MAX], own[32];
	int cur = -1, i, rows = 0, bad = 0, blocks = 0, errors = 0, n;
	size_t nk, len;

	if (top == NULL)
		top = ".";
	path = xasprintf("%s/man/shopdesk-keys.5", top);
	page = read_text(path);
	ok(page != NULL, "man/shopdesk-keys.5 is readable (%s)", path);
	free(path);
	if (page == NULL) {
		keymaps_free(&kms);
		return;
	}
	keymap_load_default(kms, ui_command_check_fn, (void *)console_commands, &cause);
	free(cause);
	cause = NULL;

	/* DEFAULT BINDINGS: ".Ss KEYMAP" then ".It Li KEYS Ta Li COMMAND" rows. */
	for (i = 0; i < KEYMAP__COUNT; i++)
		documented[i] = xstrdup("");
	sec = man_section(page, "DEFAULT BINDINGS");
	ok(sec != NULL, "the page has DEFAULT BINDINGS");
	for (line = sec; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (strncmp(line, ".Ss ", 4) == 0) {
			cur = keymap_find(line + 4);
			if (cur == -1) {
				printf("#   .Ss %s is not a keymap\n", line + 4);
				bad++;
			}
			continue;
		}
		if (strncmp(line, ".It Li ", 7) != 0 || cur == -1 ||
		    (ta = strstr(line, " Ta Li ")) == NULL)
			continue;
		*ta = '\0';
		ta += 7;
		man_unescape(line + 7);
		man_unescape(ta);
		len = strlen(ta);
		if (len >= 2 && ta[0] == '"' && ta[len - 1] == '"') {
			ta[len - 1] = '\0';
			ta++;
		}
		if (key_seq_from_string(line + 7, seq, KEY_SEQ_MAX, &nk, &cause) != 0) {
			printf("#   bad key in the page: %s\n", cause);
			free(cause);
			cause = NULL;
			bad++;
			continue;
		}
		key_seq_to_string(seq, nk, keys, sizeof keys);
		row = xasprintf("%s%s=%s@%s\n", documented[cur], keys, ta,
		    keymap_name((enum keymap_id)cur));
		free(documented[cur]);
		documented[cur] = row;
		rows++;
	}
	free(sec);
	ok(rows > 50 && bad == 0, "DEFAULT BINDINGS has %d rows, all readable", rows);
	for (i = 0; i < KEYMAP__COUNT; i++) {
		char *p;
		size_t off = 0;

		memset(&d, 0, sizeof d);
		keymap_describe(kms, keymap_name((enum keymap_id)i), describe_cb, &d);
		snprintf(own, sizeof own, "@%s\n", keymap_name((enum keymap_id)i));
		bound[i] = xstrdup("");
		/* Keep the keymap's own lines only. */
		for (p = d.text; *p != '\0'; p = strchr(p, '\n') + 1) {
			size_t l = (size_t)(strchr(p, '\n') - p) + 1;

			if (l > strlen(own) && strncmp(p + l - strlen(own), own, strlen(own)) == 0) {
				bound[i] = xrealloc(bound[i], off + l + 1);
				memcpy(bound[i] + off, p, l);
				off += l;
				bound[i][off] = '\0';
			}
		}
		if (strcmp(documented[i], bound[i]) != 0) {
			const char *x = documented[i], *y = bound[i];

			while (*x != '\0' && *x == *y)
				x++, y++;
			while (x > documented[i] && x[-1] != '\n')
				x--, y--;
			printf("#   the page has: %.*s\n", (int)strcspn(x, "\n"), x);
			printf("#   default.keys: %.*s\n", (int)strcspn(y, "\n"), y);
		}
		ok(strcmp(documented[i], bound[i]) == 0,
		    "DEFAULT BINDINGS of %s match default.keys", keymap_name((enum keymap_id)i));
		free(documented[i]);
		free(bound[i]);
	}

	/* COMMANDS: every command and keymap has an entry. */
	sec = man_section(page, "COMMANDS");
	bad = 0;
	for (i = 0; console_commands[i].name != NULL; i++) {
		char *a = xasprintf(".It Ic %s ", console_commands[i].name);
		char *b = xasprintf(".It Ic %s\n", console_commands[i].name);
		char *c = xasprintf(" , %s\n", console_commands[i].name);

		if (sec == NULL || (strstr(sec, a) == NULL && strstr(sec, b) == NULL &&
		    strstr(sec, c) == NULL)) {
			printf("#   COMMANDS lacks %s\n", console_commands[i].name);
			bad++;
		}
		free(a);
		free(b);
		free(c);
	}
	is_int(bad, 0, "COMMANDS documents every command");
	free(sec);
	bad = 0;
	for (i = 0; i < KEYMAP__COUNT; i++) {
		char *a = xasprintf("\n.It Cm %s\n", keymap_name((enum keymap_id)i));

		if (strstr(page, a) == NULL) {
			printf("#   no entry for keymap %s\n", keymap_name((enum keymap_id)i));
			bad++;
		}
		free(a);
	}
	is_int(bad, 0, "every keymap has an entry");

	/* EXAMPLES: each literal block loads on top of the default. */
	sec = man_section(page, "EXAMPLES");
	for (line = sec; line != NULL && (line = strstr(line, ".Bd -literal")) != NULL;) {
		char *body = strchr(line, '\n') + 1, *end = strstr(body, "\n.Ed"), *text, *at;

		if (end == NULL)
			break;
		text = xstrndup(body, (size_t)(end - body + 1));
		/* Installed paths are the source tree's keymaps here. */
		if ((at = strstr(text, "/usr/share/shopdesk/keymaps/")) != NULL) {
			row = xasprintf("%.*s%s/keymaps/%s", (int)(at - text), text, top,
			    at + strlen("/usr/share/shopdesk/keymaps/"));
			free(text);
			text = row;
		}
		keymaps_clear(kms, -1);
		keymap_load_default(kms, ui_command_check_fn, (void *)console_commands, &cause);
		free(cause);
		cause = NULL;
		n = keymap_load_string(kms, "EXAMPLES", text, ui_command_check_fn,
		    (void *)console_commands, &cause);
		if (n != 0) {
			diag(cause);
			errors += n;
		}
		free(cause);
		cause = NULL;
		free(text);
		blocks++;
		line = end;
	}
	free(sec);
	ok(blocks >= 3 && errors == 0, "the %d EXAMPLES load without error", blocks);

	/* The .Dl examples of bind statements elsewhere. */
	errors = 0;
	blocks = 0;
	for (line = strstr(page, "\n.Dl bind "); line != NULL;
	    line = strstr(line + 1, "\n.Dl bind ")) {
		char *text = xstrndup(line + 5, (size_t)(strchr(line + 1, '\n') - line - 4));

		man_unescape(text);
		n = keymap_load_string(kms, "example", text, ui_command_check_fn,
		    (void *)console_commands, &cause);
		if (n != 0) {
			diag(cause);
			errors += n;
		}
		free(cause);
		cause = NULL;
		free(text);
		blocks++;
	}
	ok(blocks >= 1 && errors == 0, "the %d .Dl bind examples load", blocks);
	free(page);
	keymaps_free(&kms);
}

int
main(void)
{
	test_keys();
	test_tokenizer();
	test_dispatcher();
	test_completion();
	test_keymaps();
	test_loader();
	test_files();
	test_man();
	return done_testing();
}
