/*
 * keymap.c -- keymaps as tries of key sequences, lookup along a chain of
 * keymaps one key at a time, help listings, and the keymap file loader.
 *
 * Why one trie per keymap rather than one list of bindings (tig): a lookup
 * after each key is a walk of at most KEY_SEQ_MAX small sibling lists, and
 * "is there anything longer" is a question about a subtree. Sibling lists
 * keep insertion order and every bound node remembers when it was first
 * bound, so help lists bindings in the order the file gave them.
 *
 * The loader is a client of the command language like the `:` line: each
 * line is parsed by cmdline_parse() and its statements are run by the
 * generic dispatcher over a three-row table (bind, unbind, source).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cmdline.h"
#include "ui/keymap.h"
#include "util/buf.h"
#include "util/xmalloc.h"

static const struct {
	const char	*name;
	const char	*help;
} keymap_table[KEYMAP__COUNT] = {
	[KEYMAP_GENERIC] = { "generic", "every pane, unless the pane's own keymap binds the key" },
	[KEYMAP_DASHBOARD] = { "dashboard", "the dashboard" },
	[KEYMAP_ORDERS] = { "orders", "the orders pane" },
	[KEYMAP_TICKETS] = { "tickets", "the after-sales tickets pane" },
	[KEYMAP_CHATS] = { "chats", "the chats pane" },
	[KEYMAP_STOCK] = { "stock", "the inventory pane" },
	[KEYMAP_PROMOS] = { "promos", "the promotions pane" },
	[KEYMAP_OUTBOX] = { "outbox", "the outbox pane" },
	[KEYMAP_CUSTOMERS] = { "customers", "the customers pane" },
	[KEYMAP_DETAIL] = { "detail", "an open detail view, before the pane's keymap" },
};

/* A node of a keymap's trie: the sequence of keys from the root to here. */
struct knode {
	struct key	 key;		/* the last key of the sequence */
	int		 bound;		/* the sequence has a binding */
	char		*command;	/* its command line; NULL for none */
	unsigned long	 order;		/* when it was first bound */
	struct knode	*child;		/* first longer sequence */
	struct knode	*next;		/* next sibling, in insertion order */
};

struct keymaps {
	struct knode	 roots[KEYMAP__COUNT];
	unsigned long	 serial;	/* source of knode.order */
};

const char *
keymap_name(enum keymap_id id)
{
	if ((int)id < 0 || id >= KEYMAP__COUNT)
		return NULL;
	return keymap_table[id].name;
}

const char *
keymap_help(enum keymap_id id)
{
	if ((int)id < 0 || id >= KEYMAP__COUNT)
		return NULL;
	return keymap_table[id].help;
}

int
keymap_find(const char *name)
{
	int i;

	for (i = 0; i < KEYMAP__COUNT; i++) {
		if (strcmp(keymap_table[i].name, name) == 0)
			return i;
	}
	return -1;
}

struct keymaps *
keymaps_new(void)
{
	return xcalloc(1, sizeof(struct keymaps));
}

static void
knode_free_children(struct knode *n)
{
	struct knode *c, *next;

	for (c = n->child; c != NULL; c = next) {
		next = c->next;
		knode_free_children(c);
		free(c->command);
		free(c);
	}
	n->child = NULL;
}

void
keymaps_clear(struct keymaps *kms, int id)
{
	int i;

	for (i = 0; i < KEYMAP__COUNT; i++) {
		if (id == -1 || id == i)
			knode_free_children(&kms->roots[i]);
	}
}

void
keymaps_free(struct keymaps **kmsp)
{
	if (*kmsp == NULL)
		return;
	keymaps_clear(*kmsp, -1);
	free(*kmsp);
	*kmsp = NULL;
}

static struct knode *
knode_child(const struct knode *n, struct key k)
{
	struct knode *c;

	for (c = n->child; c != NULL; c = c->next) {
		if (key_equal(c->key, k))
			return c;
	}
	return NULL;
}

static struct knode *
knode_walk(const struct knode *root, const struct key *seq, size_t n)
{
	const struct knode *node = root;
	size_t i;

	for (i = 0; i < n && node != NULL; i++)
		node = knode_child(node, seq[i]);
	return (struct knode *)node;
}

void
keymaps_bind(struct keymaps *kms, enum keymap_id id, const struct key *seq,
    size_t n, const char *command)
{
	struct knode *node = &kms->roots[id], *c, **tail;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((c = knode_child(node, seq[i])) == NULL) {
			c = xcalloc(1, sizeof *c);
			c->key = seq[i];
			for (tail = &node->child; *tail != NULL; tail = &(*tail)->next)
				;
			*tail = c;
		}
		node = c;
	}
	if (!node->bound)
		node->order = ++kms->serial;
	free(node->command);
	node->command = command != NULL ? xstrdup(command) : NULL;
	node->bound = 1;
}

/* Remove the nodes of seq that no longer lead to a binding. */
static void
knode_prune(struct knode *parent, const struct key *seq, size_t n)
{
	struct knode *c, **link;

	if (n == 0)
		return;
	for (link = &parent->child; (c = *link) != NULL; link = &c->next) {
		if (key_equal(c->key, seq[0]))
			break;
	}
	if (c == NULL)
		return;
	knode_prune(c, seq + 1, n - 1);
	if (!c->bound && c->child == NULL) {
		*link = c->next;
		free(c);
	}
}

int
keymaps_unbind(struct keymaps *kms, enum keymap_id id, const struct key *seq,
    size_t n)
{
	struct knode *node = knode_walk(&kms->roots[id], seq, n);

	if (n == 0 || node == NULL || !node->bound)
		return -1;
	free(node->command);
	node->command = NULL;
	node->bound = 0;
	knode_prune(&kms->roots[id], seq, n);
	return 0;
}

int
keymaps_get(const struct keymaps *kms, enum keymap_id id, const struct key *seq,
    size_t n, const char **command)
{
	const struct knode *node = knode_walk(&kms->roots[id], seq, n);

	*command = NULL;
	if (n == 0 || node == NULL || !node->bound)
		return 0;
	*command = node->command;
	return 1;
}

/* --- lookup along a chain ------------------------------------------------- */

/*
 * The nodes of one sequence in each keymap of a chain, with the hiding
 * rule applied: once a keymap binds a prefix of the sequence (or the
 * sequence itself), the later keymaps' nodes are NULL.
 */
struct chain_nodes {
	const struct knode *node[KEYMAP_CHAIN_MAX];
	size_t		 n;
};

static void
chain_start(const struct keymaps *kms, const int *chain, size_t n,
    struct chain_nodes *out)
{
	size_t i;

	out->n = n;
	for (i = 0; i < n; i++)
		out->node[i] = &kms->roots[chain[i]];
}

static void
chain_step(const struct chain_nodes *from, struct key k, struct chain_nodes *to)
{
	size_t i;
	int hidden = 0;

	to->n = from->n;
	for (i = 0; i < from->n; i++) {
		to->node[i] = NULL;
		if (hidden || from->node[i] == NULL)
			continue;
		to->node[i] = knode_child(from->node[i], k);
		if (to->node[i] != NULL && to->node[i]->bound)
			hidden = 1;
	}
}

/* The effective nodes of seq: chain_step() from the roots, key by key. */
static void
chain_walk(const struct keymaps *kms, const int *chain, size_t nchain,
    const struct key *seq, size_t n, struct chain_nodes *out)
{
	struct chain_nodes tmp;
	size_t i;

	chain_start(kms, chain, nchain, out);
	for (i = 0; i < n; i++) {
		chain_step(out, seq[i], &tmp);
		*out = tmp;
	}
}

/* The effective binding of the sequence the nodes stand for, or NULL. */
static const struct knode *
chain_exact(const struct chain_nodes *cn)
{
	size_t i;

	for (i = 0; i < cn->n; i++) {
		if (cn->node[i] != NULL && cn->node[i]->bound)
			return cn->node[i];
	}
	return NULL;
}

/* Whether a longer sequence has an effective binding to a command. */
static int
chain_live_below(const struct chain_nodes *cn)
{
	const struct knode *c, *exact;
	struct chain_nodes next;
	size_t i, j;

	for (i = 0; i < cn->n; i++) {
		if (cn->node[i] == NULL)
			continue;
		for (c = cn->node[i]->child; c != NULL; c = c->next) {
			/* A key an earlier keymap also continues with was seen there. */
			for (j = 0; j < i; j++) {
				if (cn->node[j] != NULL && knode_child(cn->node[j], c->key) != NULL)
					break;
			}
			if (j < i)
				continue;
			chain_step(cn, c->key, &next);
			exact = chain_exact(&next);
			if (exact != NULL && exact->command != NULL)
				return 1;
			if (chain_live_below(&next))
				return 1;
		}
	}
	return 0;
}

void
keymap_input_init(struct keymap_input *in, const struct keymaps *kms,
    const enum keymap_id *chain, size_t n)
{
	size_t i;
	int generic = 0;

	memset(in, 0, sizeof *in);
	in->kms = kms;
	for (i = 0; i < n && in->nchain < KEYMAP_CHAIN_MAX - 1; i++) {
		in->chain[in->nchain++] = chain[i];
		if (chain[i] == KEYMAP_GENERIC)
			generic = 1;
	}
	if (!generic)
		in->chain[in->nchain++] = KEYMAP_GENERIC;
}

void
keymap_input_reset(struct keymap_input *in)
{
	in->npending = 0;
}

static struct keymap_result
keymap_result(enum keymap_status status, const char *command, int again)
{
	struct keymap_result r;

	r.status = status;
	r.command = command;
	r.again = again;
	return r;
}

struct keymap_result
keymap_input_feed(struct keymap_input *in, struct key k)
{
	struct key seq[KEY_SEQ_MAX];
	struct chain_nodes cn;
	const struct knode *exact;
	size_t n = in->npending;
	int live = 0, found = 0;

	k = key_normalize(k);
	if (n < KEY_SEQ_MAX) {
		memcpy(seq, in->pending, n * sizeof *seq);
		seq[n++] = k;
		chain_walk(in->kms, in->chain, in->nchain, seq, n, &cn);
		exact = chain_exact(&cn);
		live = chain_live_below(&cn);
		found = exact != NULL;
		if (live) {
			memcpy(in->pending, seq, n * sizeof *seq);
			in->npending = n;
			return keymap_result(KEYMAP_PREFIX, NULL, 0);
		}
		if (found || in->npending == 0) {
			in->npending = 0;
			if (exact != NULL && exact->command != NULL)
				return keymap_result(KEYMAP_MATCH, exact->command, 0);
			return keymap_result(KEYMAP_NONE, NULL, 0);
		}
	}

	/* The key does not continue the pending keys: settle them alone. */
	chain_walk(in->kms, in->chain, in->nchain, in->pending, in->npending, &cn);
	exact = chain_exact(&cn);
	in->npending = 0;
	if (exact != NULL && exact->command != NULL)
		return keymap_result(KEYMAP_MATCH, exact->command, 1);
	return keymap_result(KEYMAP_NONE, NULL, 1);
}

struct keymap_result
keymap_input_timeout(struct keymap_input *in)
{
	struct chain_nodes cn;
	const struct knode *exact;

	if (in->npending == 0)
		return keymap_result(KEYMAP_NONE, NULL, 0);
	chain_walk(in->kms, in->chain, in->nchain, in->pending, in->npending, &cn);
	exact = chain_exact(&cn);
	in->npending = 0;
	if (exact != NULL && exact->command != NULL)
		return keymap_result(KEYMAP_MATCH, exact->command, 0);
	return keymap_result(KEYMAP_NONE, NULL, 0);
}

char *
keymap_input_pending(const struct keymap_input *in, char *buf, size_t size)
{
	return key_seq_to_string(in->pending, in->npending, buf, size);
}

/* --- help ------------------------------------------------------------------- */

struct describe_item {
	size_t		 from;		/* index in the chain */
	unsigned long	 order;
	char		*keys;
	const char	*command;
};

struct describe_state {
	const struct keymaps *kms;
	const int	*chain;
	size_t		 nchain;
	struct describe_item *v;
	size_t		 n;
};

static void
describe_collect(struct describe_state *st, size_t from, const struct knode *node,
    struct key *seq, size_t depth)
{
	const struct knode *c;
	struct chain_nodes cn;
	char buf[KEY_SEQ_STRING_MAX];

	for (c = node->child; c != NULL; c = c->next) {
		seq[depth] = c->key;
		if (c->bound && c->command != NULL) {
			chain_walk(st->kms, st->chain, st->nchain, seq, depth + 1, &cn);
			if (chain_exact(&cn) == c) {
				st->v = xrealloc(st->v, (st->n + 1) * sizeof *st->v);
				st->v[st->n].from = from;
				st->v[st->n].order = c->order;
				st->v[st->n].keys = xstrdup(key_seq_to_string(seq,
				    depth + 1, buf, sizeof buf));
				st->v[st->n].command = c->command;
				st->n++;
			}
		}
		if (depth + 1 < KEY_SEQ_MAX)
			describe_collect(st, from, c, seq, depth + 1);
	}
}

static int
describe_cmp(const void *a, const void *b)
{
	const struct describe_item *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int
keymap_describe_chain(const struct keymaps *kms, const enum keymap_id *chain,
    size_t n, keymap_describe_fn *fn, void *arg)
{
	struct keymap_input in;
	struct describe_state st;
	struct key seq[KEY_SEQ_MAX];
	size_t i;

	keymap_input_init(&in, kms, chain, n);
	memset(&st, 0, sizeof st);
	st.kms = kms;
	st.chain = in.chain;
	st.nchain = in.nchain;
	for (i = 0; i < in.nchain; i++)
		describe_collect(&st, i, &kms->roots[in.chain[i]], seq, 0);
	if (st.n > 0)
		qsort(st.v, st.n, sizeof *st.v, describe_cmp);
	for (i = 0; i < st.n; i++) {
		fn(arg, st.v[i].keys, st.v[i].command,
		    keymap_table[in.chain[st.v[i].from]].name);
		free(st.v[i].keys);
	}
	free(st.v);
	return (int)st.n;
}

int
keymap_describe(const struct keymaps *kms, const char *name,
    keymap_describe_fn *fn, void *arg)
{
	enum keymap_id id;
	int i;

	if ((i = keymap_find(name)) == -1)
		return -1;
	id = (enum keymap_id)i;
	return keymap_describe_chain(kms, &id, 1, fn, arg);
}

/* --- statements ----------------------------------------------------------- */

static char *
keymap_unknown(const char *name)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_addf(&b, "unknown keymap '%s' (keymaps:", name);
	for (i = 0; i < KEYMAP__COUNT; i++)
		buf_addf(&b, " %s", keymap_table[i].name);
	buf_addc(&b, ')');
	return buf_steal(&b);
}

/*
 * The command line a binding stores: each command re-quoted, joined by
 * "; ". Checks every command; NULL for `none`.
 */
static int
keymap_command(int argc, char **argv, keymap_check_fn *check, void *arg,
    char **line, char **cause)
{
	struct cmdline *cl;
	struct buf b;
	char *text, *why = NULL, *one;
	size_t i;

	*line = NULL;
	text = argc == 1 ? xstrdup(argv[0]) : cmdline_join(argc, argv);
	if (cmdline_parse(text, &cl, &why) != 0) {
		*cause = xasprintf("bad command '%s': %s", text, why);
		free(why);
		free(text);
		return -1;
	}
	if (cl->n == 0) {
		*cause = xasprintf("empty command '%s'", text);
		goto fail;
	}
	if (cl->n == 1 && cl->cmds[0].argc == 1 && strcmp(cl->cmds[0].argv[0], "none") == 0) {
		cmdline_free(&cl);
		free(text);
		return 0;
	}
	buf_init(&b);
	for (i = 0; i < cl->n; i++) {
		if (strcmp(cl->cmds[i].argv[0], "none") == 0) {
			*cause = xstrdup("'none' goes alone: it unbinds the keys");
			buf_done(&b);
			goto fail;
		}
		if (check != NULL &&
		    check(arg, cl->cmds[i].argc, cl->cmds[i].argv, &why) != 0) {
			if (why == NULL)
				why = xasprintf("unknown command '%s'", cl->cmds[i].argv[0]);
			*cause = why;
			buf_done(&b);
			goto fail;
		}
		one = cmdline_join(cl->cmds[i].argc, cl->cmds[i].argv);
		if (i > 0)
			buf_adds(&b, "; ");
		buf_adds(&b, one);
		free(one);
	}
	*line = buf_steal(&b);
	cmdline_free(&cl);
	free(text);
	return 0;

fail:
	cmdline_free(&cl);
	free(text);
	return -1;
}

int
keymap_bind_argv(struct keymaps *kms, int argc, char **argv,
    keymap_check_fn *check, void *arg, char **cause)
{
	struct key seq[KEY_SEQ_MAX];
	char *line;
	size_t n;
	int id;

	*cause = NULL;
	if (argc < 4) {
		*cause = xstrdup("usage: bind KEYMAP KEYS COMMAND [ARGS...]");
		return -1;
	}
	if ((id = keymap_find(argv[1])) == -1) {
		*cause = keymap_unknown(argv[1]);
		return -1;
	}
	if (key_seq_from_string(argv[2], seq, KEY_SEQ_MAX, &n, cause) != 0)
		return -1;
	if (keymap_command(argc - 3, argv + 3, check, arg, &line, cause) != 0)
		return -1;
	keymaps_bind(kms, (enum keymap_id)id, seq, n, line);
	free(line);
	return 0;
}

int
keymap_unbind_argv(struct keymaps *kms, int argc, char **argv, char **cause)
{
	struct key seq[KEY_SEQ_MAX];
	const char *cmd;
	char name[KEY_SEQ_STRING_MAX];
	size_t n;
	int id;

	*cause = NULL;
	if (argc >= 2 && strcmp(argv[1], "-a") == 0) {
		if (argc > 3) {
			*cause = xstrdup("usage: unbind -a [KEYMAP]");
			return -1;
		}
		if (argc == 3 && (id = keymap_find(argv[2])) == -1) {
			*cause = keymap_unknown(argv[2]);
			return -1;
		}
		keymaps_clear(kms, argc == 3 ? id : -1);
		return 0;
	}
	if (argc != 3) {
		*cause = xstrdup("usage: unbind KEYMAP KEYS");
		return -1;
	}
	if ((id = keymap_find(argv[1])) == -1) {
		*cause = keymap_unknown(argv[1]);
		return -1;
	}
	if (key_seq_from_string(argv[2], seq, KEY_SEQ_MAX, &n, cause) != 0)
		return -1;
	if (keymaps_unbind(kms, (enum keymap_id)id, seq, n) != 0) {
		key_seq_to_string(seq, n, name, sizeof name);
		if (id != KEYMAP_GENERIC &&
		    keymaps_get(kms, KEYMAP_GENERIC, seq, n, &cmd) && cmd != NULL)
			*cause = xasprintf("%s is not bound in keymap %s; it comes "
			    "from generic: 'bind %s %s none' turns it off there",
			    name, argv[1], argv[1], argv[2]);
		else
			*cause = xasprintf("%s is not bound in keymap %s", name, argv[1]);
		return -1;
	}
	return 0;
}

/* --- the loader --------------------------------------------------------- */

#define KEYMAP_SOURCE_DEPTH	8
#define KEYMAP_FILE_MAX		(1024 * 1024)
#define KEYMAP_ERRORS_MAX	50

struct loader {
	struct keymaps	*kms;
	keymap_check_fn	*check;
	void		*arg;
	const char	*name;		/* the file being read */
	int		 depth;		/* nested source statements */
	struct buf	 errors;
	int		 nerrors;
};

static void loader_error(struct loader *, const char *, unsigned, const char *);
static void loader_text(struct loader *, const char *, const char *);
static void loader_file(struct loader *, const char *);

static int
stmt_bind(void *app, int argc, char **argv, char **cause)
{
	struct loader *ld = app;

	return keymap_bind_argv(ld->kms, argc, argv, ld->check, ld->arg, cause);
}

static int
stmt_unbind(void *app, int argc, char **argv, char **cause)
{
	struct loader *ld = app;

	return keymap_unbind_argv(ld->kms, argc, argv, cause);
}

static int
stmt_source(void *app, int argc, char **argv, char **cause)
{
	struct loader *ld = app;
	const char *slash, *home;
	char *path;

	if (ld->depth >= KEYMAP_SOURCE_DEPTH) {
		*cause = xasprintf("source %s: nested too deep (at most %d files)",
		    argv[1], KEYMAP_SOURCE_DEPTH);
		return -1;
	}
	if (strncmp(argv[1], "~/", 2) == 0 && (home = getenv("HOME")) != NULL)
		path = xasprintf("%s%s", home, argv[1] + 1);
	else if (argv[1][0] != '/' && (slash = strrchr(ld->name, '/')) != NULL)
		path = xasprintf("%.*s/%s", (int)(slash - ld->name), ld->name, argv[1]);
	else
		path = xstrdup(argv[1]);
	ld->depth++;
	loader_file(ld, path);
	ld->depth--;
	free(path);
	return 0;
}

static const struct ui_command keymap_statements[] = {
	{ "bind", NULL, 3, -1, "KEYMAP KEYS COMMAND [ARGS...]",
	  "bind a key sequence in a keymap to a command", stmt_bind, 0 },
	{ "unbind", NULL, 1, 2, "KEYMAP KEYS | unbind -a [KEYMAP]",
	  "remove a binding, or every binding", stmt_unbind, 0 },
	{ "source", NULL, 1, 1, "FILE",
	  "read another keymap file", stmt_source, 0 },
	{ NULL, NULL, 0, 0, NULL, NULL, NULL, 0 }
};

static void
loader_error(struct loader *ld, const char *name, unsigned line, const char *msg)
{
	ld->nerrors++;
	if (ld->nerrors > KEYMAP_ERRORS_MAX)
		return;
	if (ld->errors.len > 0)
		buf_addc(&ld->errors, '\n');
	if (ld->nerrors == KEYMAP_ERRORS_MAX)
		buf_addf(&ld->errors, "%s: too many errors", name);
	else if (line == 0)
		buf_addf(&ld->errors, "%s: %s", name, msg);
	else
		buf_addf(&ld->errors, "%s:%u: %s", name, line, msg);
}

static void
loader_line(struct loader *ld, const char *name, unsigned lineno, const char *line)
{
	struct cmdline *cl;
	char *cause = NULL;
	size_t i;

	if (cmdline_parse(line, &cl, &cause) != 0) {
		loader_error(ld, name, lineno, cause);
		free(cause);
		return;
	}
	for (i = 0; i < cl->n; i++) {
		struct cmdline_cmd *c = &cl->cmds[i];

		if (ui_command_find(keymap_statements, c->argv[0]) == NULL) {
			cause = xasprintf("unknown statement '%s' (expected bind, "
			    "unbind or source)%s", c->argv[0], i > 0 ?
			    "; to bind several commands, quote them: "
			    "bind KEYMAP KEYS 'cmd1; cmd2'" : "");
			loader_error(ld, name, lineno, cause);
			free(cause);
			break;
		}
		if (ui_command_run_argv(keymap_statements, ld, c->argc, c->argv,
		    &cause) < 0) {
			loader_error(ld, name, lineno, cause != NULL ? cause : "failed");
			free(cause);
			cause = NULL;
		}
	}
	cmdline_free(&cl);
}

static void
loader_text(struct loader *ld, const char *name, const char *text)
{
	const char *p = text, *nl;
	const char *saved = ld->name;
	unsigned lineno = 0;
	char *line;

	ld->name = name;
	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)	/* a byte order mark */
		p += 3;
	while (*p != '\0') {
		lineno++;
		nl = strchr(p, '\n');
		line = nl != NULL ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		loader_line(ld, name, lineno, line);
		free(line);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	ld->name = saved;
}

static void
loader_file(struct loader *ld, const char *path)
{
	struct buf b;
	char chunk[8192], *msg;
	size_t got;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		msg = xasprintf("cannot read: %s", strerror(errno));
		loader_error(ld, path, 0, msg);
		free(msg);
		return;
	}
	buf_init(&b);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(&b, chunk, got);
		if (b.len > KEYMAP_FILE_MAX)
			break;
	}
	if (ferror(f))
		loader_error(ld, path, 0, "read error");
	else if (b.len > KEYMAP_FILE_MAX)
		loader_error(ld, path, 0, "too large for a keymap file");
	else if (b.len > 0 && memchr(b.data, '\0', b.len) != NULL)
		loader_error(ld, path, 0, "not a text file (contains a NUL byte)");
	else
		loader_text(ld, path, b.len > 0 ? b.data : "");
	fclose(f);
	buf_done(&b);
}

static int
loader_finish(struct loader *ld, char **cause)
{
	*cause = ld->nerrors > 0 ? buf_steal(&ld->errors) : NULL;
	buf_done(&ld->errors);
	return ld->nerrors;
}

static void
loader_init(struct loader *ld, struct keymaps *kms, const char *name,
    keymap_check_fn *check, void *arg)
{
	memset(ld, 0, sizeof *ld);
	ld->kms = kms;
	ld->check = check;
	ld->arg = arg;
	ld->name = name;
	buf_init(&ld->errors);
}

int
keymap_load_string(struct keymaps *kms, const char *name, const char *text,
    keymap_check_fn *check, void *arg, char **cause)
{
	struct loader ld;

	loader_init(&ld, kms, name, check, arg);
	loader_text(&ld, name, text);
	return loader_finish(&ld, cause);
}

int
keymap_load_file(struct keymaps *kms, const char *path, keymap_check_fn *check,
    void *arg, char **cause)
{
	struct loader ld;

	loader_init(&ld, kms, path, check, arg);
	loader_file(&ld, path);
	return loader_finish(&ld, cause);
}

int
keymap_load_default(struct keymaps *kms, keymap_check_fn *check, void *arg,
    char **cause)
{
	return keymap_load_string(kms, "default.keys", keymap_default_text, check,
	    arg, cause);
}
