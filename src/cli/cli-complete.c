/*
 * cli-complete.c -- the hidden "shopdesk __complete WORD...": the words
 * that may follow, one a line, for the bash and zsh completion scripts
 * (completion/), which only pass the words typed and show what it prints.
 *
 * The words are those of the command table and of each command's option
 * table (cli-help.c), and values: the codes of a filter (statuses, queues,
 * kinds, carriers, sorts, outbox states), the ids the cache holds by
 * prefix, the configuration's profiles. A line ":file" asks the shell to
 * complete a file name. Completing never creates a cache nor asks the store.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "action.h"
#include "cache-category.h"
#include "cache-query.h"
#include "cli/cli.h"
#include "model.h"
#include "outbox.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define COMPLETE_IDS	200	/* ids offered for one prefix at most */

/* What one completion is being made for. */
struct complete {
	const char	*cur;		/* the word being completed */
	size_t		 len;
	struct cli	*cli;
	int		 cache_tried;
};

/* Offer w when it starts with the word typed and is safe to echo to a terminal. */
static void
offer(struct complete *k, const char *w)
{
	struct buf b;

	if (w == NULL || strncmp(w, k->cur, k->len) != 0)
		return;
	/* Ids come from the store: one that the sanitiser would change is not offered. */
	buf_init(&b);
	text_sanitize_buf(w, 0, &b);
	buf_adds(&b, "");
	if (strcmp(buf_str(&b), w) == 0 && strpbrk(w, " \t\n") == NULL)
		printf("%s\n", w);
	buf_done(&b);
}

static int
offer_cb(void *arg, const char *w)
{
	offer(arg, w);
	return 0;
}

/* The cache, when there is one already: completing never creates one. */
static struct cache *
complete_cache(struct complete *k)
{
	if (k->cli->cache != NULL || k->cache_tried)
		return k->cli->cache;
	k->cache_tried = 1;
	if (cli_need_config(k->cli) != SD_OK || access(k->cli->conf.cache, R_OK) != 0)
		return NULL;
	if (cli_need_cache(k->cli) != SD_OK)
		return NULL;
	return k->cli->cache;
}

static int
outbox_id_cb(void *arg, const struct outbox_entry *e)
{
	char id[32];

	snprintf(id, sizeof id, "%lld", (long long)e->id);
	offer(arg, id);
	return 0;
}

/* The ids of kind k (or of the outbox, k -1) that start with the word. */
static void
offer_ids(struct complete *k, int kind)
{
	struct cache *c = complete_cache(k);
	char *cause = NULL;

	if (c == NULL)
		return;
	if (kind >= 0)
		cache_prefix_values(c, (enum sd_kind)kind, "id", k->cur, COMPLETE_IDS, offer_cb, k);
	else if (outbox_list(c, ~0u, outbox_id_cb, k, &cause) != 0)
		free(cause);
}

/* The codes of the i18n kind of labels (status of orders, queue, ...). */
static void
offer_labels(struct complete *k, const char *kind)
{
	const struct i18n_label *l;
	size_t n, i;

	if (kind == NULL)
		return;
	l = i18n_status_table(&n);
	for (i = 0; i < n; i++)
		if (strcmp(l[i].kind, kind) == 0)
			offer(k, l[i].code);
}

/* The profiles of the configuration file: its [section] headers. */
static void
offer_profiles(struct complete *k, const char *file)
{
	char *dir = NULL, *path, *line = NULL, *s, *e;
	size_t cap = 0;
	FILE *f;

	if (file == NULL) {
		dir = config_xdg_dir("config");
		path = xasprintf("%s/shopdesk/config", dir);
	} else
		path = xstrdup(file);
	if ((f = fopen(path, "r")) != NULL) {
		while (getline(&line, &cap, f) != -1) {
			for (s = line; isspace((unsigned char)*s); s++)
				;
			if (*s != '[' || (e = strchr(s, ']')) == NULL)
				continue;
			*e = '\0';
			offer(k, s + 1);
		}
		fclose(f);
	}
	free(line);
	free(path);
	free(dir);
}

/*
 * The cached categories: ids, names and paths written with "/" (one word
 * for the shell), as --category takes them.
 */
static void
offer_categories(struct complete *k)
{
	struct cache *c = complete_cache(k);
	struct cache_categories t;
	char *cause = NULL, *path, *p;
	size_t i;

	if (c == NULL || cache_categories_load(c, &t, &cause) != 0) {
		free(cause);
		return;
	}
	for (i = 0; i < t.n; i++) {
		offer(k, t.v[i].id);
		offer(k, t.v[i].name);
		if (t.v[i].depth == 0)
			continue;
		path = xstrdup(t.v[i].path);
		/* "a / b" becomes "a/b" */
		while ((p = strstr(path, " / ")) != NULL) {
			*p = '/';
			memmove(p + 1, p + 3, strlen(p + 3) + 1);
		}
		offer(k, path);
		free(path);
	}
	cache_categories_done(&t);
}

/* The values of option o of command c (noun: the command's kind). */
static void
offer_values(struct complete *k, const struct cli_command *c, const struct cli_option *o)
{
	const char *v = o->values, *const *e;
	const char *const *sorts;
	int kind = c->noun != NULL ? cli_noun_kind(c->noun) : KIND_ORDER, i;
	char *copy, *tok, *save = NULL;

	if (v == NULL)
		return;
	if (v[0] == '|') {
		copy = xstrdup(v + 1);
		for (tok = strtok_r(copy, "|", &save); tok != NULL; tok = strtok_r(NULL, "|", &save))
			offer(k, tok);
		free(copy);
	} else if (strcmp(v, "file") == 0)
		printf(":file\n");
	else if (strcmp(v, "status") == 0 && kind >= 0)
		offer_labels(k, i18n_status_kind((enum sd_kind)kind));
	else if (strcmp(v, "queue") == 0)
		offer_labels(k, "queue");
	else if (strcmp(v, "kind") == 0)
		offer_labels(k, kind == KIND_TICKET ? "ticket_kind" : kind == KIND_PROMOTION ?
		    "promo_kind" : NULL);
	else if (strcmp(v, "carrier") == 0) {
		for (i = 0; carriers[i].code != NULL; i++)
			offer(k, carriers[i].code);
	} else if (strcmp(v, "sort") == 0 && kind >= 0) {
		for (sorts = cache_query_sorts((enum sd_kind)kind); *sorts != NULL; sorts++)
			offer(k, *sorts);
	} else if (strcmp(v, "outbox-state") == 0) {
		for (i = 0; i < OUTBOX__COUNT; i++)
			offer(k, outbox_state_name((enum outbox_state)i));
	} else if (strcmp(v, "user") == 0)
		offer(k, "me");
	else if (strcmp(v, "category") == 0)
		offer_categories(k);
	else if (strcmp(v, "enum") == 0) {
		for (e = cli_action_enum(c, o->name); e != NULL && *e != NULL; e++)
			offer(k, *e);
	} else if ((i = cli_noun_kind(v)) >= 0)
		offer_ids(k, i);
}

/* The operand of c: ids of its kind, outbox entries, or a file. */
static void
offer_operand(struct complete *k, const struct cli_command *c)
{
	const char *usage = cli_command_usage(c);
	const struct action_def *d;
	int kind;

	if (strncmp(usage, "ID", 2) == 0) {
		if (c->noun != NULL && strcmp(c->noun, "outbox") == 0)
			offer_ids(k, -1);
		else if (c->fn == cli_cmd_action) {
			if ((d = action_find(c->noun != NULL ? c->noun : "orders", c->verb)) != NULL)
				offer_ids(k, (int)d->kind);
		} else if (c->noun != NULL && (kind = cli_noun_kind(c->noun)) >= 0)
			offer_ids(k, kind);
	} else if (strncmp(usage, "FILE", 4) == 0 || strncmp(usage, "[FILE]", 6) == 0)
		printf(":file\n");
}

/* The global options (main()) that take a value, and what it is. */
static const struct {
	const char	*word;
	const char	*what;		/* "profile", "config", "cache" or "file" */
} globals[] = {
	{ "--profile", "profile" }, { "-p", "profile" }, { "--config", "config" },
	{ "-c", "config" }, { "--cache", "cache" }, { "-C", "cache" }, { "--log", "file" }
};

static const char *
global_value(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof globals / sizeof globals[0]; i++)
		if (strcmp(globals[i].word, w) == 0)
			return globals[i].what;
	return NULL;
}

/* Remember a global option's value, for the cache the ids come from. */
static void
global_set(struct cli *cli, const char *what, const char *value)
{
	if (strcmp(what, "profile") == 0)
		cli->profile = value;
	else if (strcmp(what, "config") == 0)
		cli->config_file = value;
	else if (strcmp(what, "cache") == 0)
		cli->cache_path = value;
}

enum sd_status
cli_cmd_complete(struct cli *cli, int argc, char **argv)
{
	static const char *const global_words[] = {
		"--profile", "--config", "--cache", "--log", "--demo", "--help", "--version", NULL
	};
	const struct cli_command *cmds = cli_command_table(), *c;
	const struct cli_option *o;
	const char *what, *const *g;
	struct complete k;
	int i = 1, n, used, operands = 0;
	struct buf seen;
	char *name;

	/* argv: "__complete", the words after "shopdesk", the last one being typed. */
	if (argc < 2)
		return SD_OK;
	memset(&k, 0, sizeof k);
	k.cli = cli;
	k.cur = argv[argc - 1];
	k.len = strlen(k.cur);
	n = argc - 1;	/* index of the word being completed */

	/* Global options before the command word. */
	while (i < n && argv[i][0] == '-') {
		if ((what = global_value(argv[i])) != NULL) {
			if (i + 1 == n)
				goto value_of_global;
			global_set(cli, what, argv[i + 1]);
			i += 2;
		} else
			i++;
	}
	if (i == n) {
		if (k.cur[0] == '-') {
			for (g = global_words; *g != NULL; g++)
				offer(&k, *g);
			return SD_OK;
		}
		/* The command words: nouns once each, verbs of no noun, help. */
		buf_init(&seen);
		buf_adds(&seen, "\n");
		for (c = cmds; c->verb != NULL; c++) {
				name = xasprintf("\n%s\n", c->noun != NULL ? c->noun : c->verb);
			if (strstr(buf_str(&seen), name) == NULL) {
				buf_adds(&seen, name + 1);
				offer(&k, c->noun != NULL ? c->noun : c->verb);
			}
			free(name);
		}
		buf_done(&seen);
		return SD_OK;
	}
	if (strcmp(argv[i], "help") == 0) {
		/* help NOUN VERB: the same words as the command itself. */
		argv[i] = (char *)"__complete";
		return cli_cmd_complete(cli, argc - i, argv + i);
	}
	if ((c = cli_command_find(n - i, argv + i, &used)) == NULL) {
		if (i + 1 == n && cli_is_noun(argv[i]))
			for (c = cmds; c->verb != NULL; c++)
				if (c->noun != NULL && strcmp(c->noun, argv[i]) == 0)
					offer(&k, c->verb);
		return SD_OK;
	}
	/* The command's own words so far: is the last one an option wanting a value? */
	for (i += used; i < n; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if ((o = cli_option_of_word(c, argv[i])) != NULL && o->has_arg == required_argument) {
			if (i + 1 == n) {
				offer_values(&k, c, o);
				return SD_OK;
			}
			i++;
		} else if (argv[i][0] != '-')
			operands++;
	}
	if (k.cur[0] == '-') {
		for (o = cli_command_options(c); o->name != NULL; o++) {
			name = xasprintf("--%s", o->name);
			offer(&k, name);
			free(name);
		}
		offer(&k, "--help");
	} else if (operands == 0)
		offer_operand(&k, c);
	return SD_OK;

value_of_global:
	if (strcmp(what, "profile") == 0)
		offer_profiles(&k, cli->config_file);
	else
		printf(":file\n");
	return SD_OK;
}
