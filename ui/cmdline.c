/*
 * cmdline.c -- the command language's tokenizer, dispatcher and completion.
 *
 * One lexer serves both parsing and completion: parsing wants every
 * command of a whole line and fails on an open quote; completion lexes the
 * line up to the cursor, tolerates an open quote, and wants the words of
 * the last command and where the word under the cursor starts.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/cmdline.h"
#include "util/buf.h"
#include "util/intl.h"
#include "util/xmalloc.h"

struct lexer {
	const char	*line;
	size_t		 len;
	int		 partial;	/* completion: an open quote is not an error */

	struct cmdline	*cl;		/* finished commands */
	char		**words;	/* the current command's words */
	size_t		 nwords;
	size_t		 cap;
	struct buf	 word;		/* the current word */
	int		 inword;
	size_t		 wordstart;	/* byte offset where the current word began */
	char		 quote;		/* partial: the quote open at the end */
	int		 comment;	/* partial: the end is inside a comment */
};

/* 1-based character column of byte offset off. */
static size_t
lexer_column(const struct lexer *lx, size_t off)
{
	size_t i, col = 1;

	for (i = 0; i < off; i++) {
		if (((unsigned char)lx->line[i] & 0xc0) != 0x80)
			col++;
	}
	return col;
}

static void
lexer_end_word(struct lexer *lx)
{
	if (!lx->inword)
		return;
	if (lx->nwords + 1 >= lx->cap) {
		lx->cap = lx->cap == 0 ? 8 : lx->cap * 2;
		lx->words = xrealloc(lx->words, lx->cap * sizeof *lx->words);
	}
	lx->words[lx->nwords++] = xstrdup(lx->word.data != NULL ? lx->word.data : "");
	lx->words[lx->nwords] = NULL;
	buf_reset(&lx->word);
	lx->inword = 0;
}

static void
lexer_end_command(struct lexer *lx)
{
	struct cmdline_cmd *c;

	lexer_end_word(lx);
	if (lx->nwords == 0)
		return;
	lx->cl->cmds = xrealloc(lx->cl->cmds, (lx->cl->n + 1) * sizeof *lx->cl->cmds);
	c = &lx->cl->cmds[lx->cl->n++];
	c->argc = (int)lx->nwords;
	c->argv = lx->words;
	lx->words = NULL;
	lx->nwords = lx->cap = 0;
}

static void
lexer_start_word(struct lexer *lx, size_t at)
{
	if (!lx->inword) {
		lx->inword = 1;
		lx->wordstart = at;
		buf_reset(&lx->word);
	}
}

/*
 * Lex lx->line. The current command and word are left open at the end
 * (the caller ends them, or looks at them for completion).
 */
static int
lexer_run(struct lexer *lx, char **cause)
{
	const char *s = lx->line;
	size_t i = 0, q;
	char c;

	while (i < lx->len) {
		c = s[i];
		if (c == ' ' || c == '\t' || c == '\r') {
			lexer_end_word(lx);
			i++;
		} else if (c == '\n' || c == ';') {
			lexer_end_command(lx);
			i++;
		} else if (c == '#' && !lx->inword) {
			while (i < lx->len && s[i] != '\n')
				i++;
			if (i == lx->len)
				lx->comment = 1;
		} else if (c == '\\') {
			lexer_start_word(lx, i);
			if (i + 1 == lx->len) {
				if (lx->partial)
					return 0;
				*cause = xasprintf(_("trailing backslash at column %zu"),
				    lexer_column(lx, i));
				return -1;
			}
			if (s[i + 1] != '\n')	/* backslash-newline continues */
				buf_addc(&lx->word, s[i + 1]);
			i += 2;
		} else if (c == '"' || c == '\'') {
			lexer_start_word(lx, i);
			q = i++;
			for (;;) {
				if (i == lx->len) {
					if (lx->partial) {
						lx->quote = c;
						return 0;
					}
					*cause = xasprintf(_("unterminated quote at column %zu"),
					    lexer_column(lx, q));
					return -1;
				}
				if (s[i] == c) {
					i++;
					break;
				}
				if (c == '"' && s[i] == '\\' && i + 1 < lx->len &&
				    (s[i + 1] == '"' || s[i + 1] == '\\')) {
					buf_addc(&lx->word, s[i + 1]);
					i += 2;
				} else
					buf_addc(&lx->word, s[i++]);
			}
		} else {
			lexer_start_word(lx, i);
			buf_addc(&lx->word, c);
			i++;
		}
	}
	return 0;
}

static void
lexer_init(struct lexer *lx, const char *line, size_t len, int partial)
{
	memset(lx, 0, sizeof *lx);
	lx->line = line;
	lx->len = len;
	lx->partial = partial;
	lx->cl = xcalloc(1, sizeof *lx->cl);
	buf_init(&lx->word);
}

static void
lexer_done(struct lexer *lx)
{
	size_t i;

	for (i = 0; i < lx->nwords; i++)
		free(lx->words[i]);
	free(lx->words);
	buf_done(&lx->word);
	cmdline_free(&lx->cl);
}

int
cmdline_parse(const char *line, struct cmdline **out, char **cause)
{
	struct lexer lx;

	*out = NULL;
	*cause = NULL;
	lexer_init(&lx, line, strlen(line), 0);
	if (lexer_run(&lx, cause) != 0) {
		lexer_done(&lx);
		return -1;
	}
	lexer_end_command(&lx);
	*out = lx.cl;
	lx.cl = NULL;
	lexer_done(&lx);
	return 0;
}

void
cmdline_free(struct cmdline **clp)
{
	struct cmdline *cl = *clp;
	size_t i;
	int j;

	if (cl == NULL)
		return;
	for (i = 0; i < cl->n; i++) {
		for (j = 0; j < cl->cmds[i].argc; j++)
			free(cl->cmds[i].argv[j]);
		free(cl->cmds[i].argv);
	}
	free(cl->cmds);
	free(cl);
	*clp = NULL;
}

char *
cmdline_quote(const char *word)
{
	struct buf b;
	const char *p;

	if (*word != '\0' && *word != '#' && strpbrk(word, " \t\r\n;'\"\\") == NULL)
		return xstrdup(word);
	buf_init(&b);
	if (strchr(word, '\'') == NULL) {
		buf_addc(&b, '\'');
		buf_adds(&b, word);
		buf_addc(&b, '\'');
	} else {
		buf_addc(&b, '"');
		for (p = word; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *p);
		}
		buf_addc(&b, '"');
	}
	return buf_steal(&b);
}

char *
cmdline_join(int argc, char *const *argv)
{
	struct buf b;
	char *q;
	int i;

	buf_init(&b);
	for (i = 0; i < argc; i++) {
		q = cmdline_quote(argv[i]);
		if (i > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, q);
		free(q);
	}
	if (b.data == NULL)
		return xstrdup("");
	return buf_steal(&b);
}

const struct ui_command *
ui_command_find(const struct ui_command *table, const char *name)
{
	const struct ui_command *c;

	for (c = table; c->name != NULL; c++) {
		if (strcmp(c->name, name) == 0 ||
		    (c->alias != NULL && strcmp(c->alias, name) == 0))
			return c;
	}
	return NULL;
}

char *
ui_command_usage(const struct ui_command *c)
{
	if (c->usage == NULL || *c->usage == '\0')
		return xasprintf(_("usage: %s"), c->name);
	return xasprintf(_("usage: %s %s"), c->name, c->usage);
}

int
ui_command_check(const struct ui_command *table, int argc, char **argv,
    char **cause)
{
	const struct ui_command *c;
	int nargs = argc - 1;

	if (argc < 1) {
		*cause = xstrdup("no command");
		return -1;
	}
	if ((c = ui_command_find(table, argv[0])) == NULL) {
		*cause = xasprintf(_("unknown command '%s'"), argv[0]);
		return -1;
	}
	if (nargs < c->min_args || (c->max_args >= 0 && nargs > c->max_args)) {
		*cause = ui_command_usage(c);
		return -1;
	}
	return 0;
}

int
ui_command_check_fn(void *table, int argc, char **argv, char **cause)
{
	return ui_command_check(table, argc, argv, cause);
}

int
ui_command_run_argv(const struct ui_command *table, void *app, int argc,
    char **argv, char **cause)
{
	*cause = NULL;
	if (ui_command_check(table, argc, argv, cause) != 0)
		return -1;
	return ui_command_find(table, argv[0])->fn(app, argc, argv, cause);
}

int
ui_command_run(const struct ui_command *table, void *app, const char *line,
    char **cause)
{
	struct cmdline *cl;
	size_t i;
	int rc = 0;

	if (cmdline_parse(line, &cl, cause) != 0)
		return -1;
	for (i = 0; i < cl->n; i++) {
		if (ui_command_check(table, cl->cmds[i].argc, cl->cmds[i].argv,
		    cause) != 0) {
			cmdline_free(&cl);
			return -1;
		}
	}
	for (i = 0; i < cl->n; i++) {
		rc = ui_command_find(table, cl->cmds[i].argv[0])->fn(app,
		    cl->cmds[i].argc, cl->cmds[i].argv, cause);
		if (rc < 0)
			break;
	}
	cmdline_free(&cl);
	return rc;
}

void
ui_completion_add(struct ui_completion *out, const char *candidate)
{
	if (out->n == out->alloc) {
		out->alloc = out->alloc == 0 ? 16 : out->alloc * 2;
		out->v = xrealloc(out->v, out->alloc * sizeof *out->v);
	}
	out->v[out->n++] = xstrdup(candidate);
}

static int
completion_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keep the candidates that start with the prefix, sorted and unique. */
static void
completion_finish(struct ui_completion *out)
{
	size_t i, j = 0, plen = strlen(out->prefix);

	for (i = 0; i < out->n; i++) {
		if (strncmp(out->v[i], out->prefix, plen) == 0)
			out->v[j++] = out->v[i];
		else
			free(out->v[i]);
	}
	out->n = j;
	if (out->n == 0)
		return;
	qsort(out->v, out->n, sizeof *out->v, completion_cmp);
	for (i = 1, j = 1; i < out->n; i++) {
		if (strcmp(out->v[i], out->v[j - 1]) == 0)
			free(out->v[i]);
		else
			out->v[j++] = out->v[i];
	}
	out->n = j;
}

size_t
ui_command_complete(const struct ui_command *table, const char *line,
    size_t cursor, ui_complete_fn *fn, void *arg, struct ui_completion *out)
{
	const struct ui_command *c;
	struct lexer lx;
	char *cause = NULL;
	size_t len = strlen(line);

	memset(out, 0, sizeof *out);
	if (cursor > len)
		cursor = len;
	lexer_init(&lx, line, cursor, 1);
	if (lexer_run(&lx, &cause) != 0 || lx.comment) {
		free(cause);
		out->prefix = xstrdup("");
		out->start = cursor;
		lexer_done(&lx);
		return 0;
	}
	if (lx.inword) {
		out->start = lx.wordstart;
		out->prefix = xstrdup(lx.word.data != NULL ? lx.word.data : "");
		out->quote = lx.quote;
	} else {
		out->start = cursor;
		out->prefix = xstrdup("");
	}
	out->argi = (int)lx.nwords;

	if (out->argi == 0) {
		for (c = table; c->name != NULL; c++) {
			if (!(c->flags & UI_CMD_HIDDEN))
				ui_completion_add(out, c->name);
		}
	} else if ((c = ui_command_find(table, lx.words[0])) != NULL &&
	    (c->max_args < 0 || out->argi <= c->max_args)) {
		out->command = c->name;
		if (fn != NULL)
			fn(arg, c->name, out->argi, out->prefix, out);
	}
	completion_finish(out);
	lexer_done(&lx);
	return out->n;
}

void
ui_completion_done(struct ui_completion *out)
{
	size_t i;

	for (i = 0; i < out->n; i++)
		free(out->v[i]);
	free(out->v);
	free(out->prefix);
	memset(out, 0, sizeof *out);
}
