/*
 * keymap.h -- named keymaps: key sequences bound to command strings.
 *
 * Each keymap (generic, orders, chats...) holds a trie of key sequences;
 * a binding's value is a line of the command language (ui/cmdline.h), run
 * by the console's dispatcher like a line typed at `:`. Lookup goes along
 * a chain -- the pane's keymap, optionally another in front of it (detail),
 * then generic -- and a binding in an earlier keymap hides every binding of
 * the same sequence, or of a longer one starting with it, in later keymaps.
 * The command `none` binds a sequence to nothing: the key does nothing and
 * the lookup does not fall through to generic for it.
 *
 * Keys are fed one at a time (struct keymap_input): a sequence that is
 * bound and has no longer binding matches at once; one that starts a longer
 * binding waits (KEYMAP_PREFIX), and the caller calls keymap_input_timeout()
 * when no key came in time, which runs the shorter binding if there is one
 * ("g" and "gg" both bound: "g" then a pause is "g").
 *
 * Files (shopdesk-keys(5)) are lines of statements in the command language:
 *	bind KEYMAP KEYS COMMAND [ARGS...]
 *	unbind KEYMAP KEYS
 *	unbind -a [KEYMAP]
 *	source FILE
 * KEYS is one word of key names ("j", "gg", "<C-x><C-s>", "<lt>"). A single
 * COMMAND word is itself a command line ("flag; cursor-down"); COMMAND with
 * ARGS is quoted back into one. Every command is checked through the
 * caller's keymap_check_fn at load time, so an unknown command or a wrong
 * number of arguments is an error naming the file and line. The default
 * keymap is keymaps/default.keys compiled in and read by the same loader.
 */
#ifndef SD_UI_KEYMAP_H
#define SD_UI_KEYMAP_H

#include <stddef.h>

#include "ui/key.h"

/* The keymaps, in the order help lists them. */
enum keymap_id {
	KEYMAP_GENERIC,
	KEYMAP_DASHBOARD,
	KEYMAP_ORDERS,
	KEYMAP_TICKETS,
	KEYMAP_CHATS,
	KEYMAP_STOCK,
	KEYMAP_PROMOS,
	KEYMAP_OUTBOX,
	KEYMAP_CUSTOMERS,
	KEYMAP_DETAIL,
	KEYMAP__COUNT
};

/* Suggested wait for the rest of a multi-key sequence. */
#define KEYMAP_TIMEOUT_MS	1000
/* Keymaps in a lookup chain, generic included. */
#define KEYMAP_CHAIN_MAX	4

const char	*keymap_name(enum keymap_id);
/* One line about the keymap, for help and the man page. */
const char	*keymap_help(enum keymap_id);
/* The keymap called name, or -1. */
int		 keymap_find(const char *name);

struct keymaps;

struct keymaps	*keymaps_new(void);
void		 keymaps_free(struct keymaps **);
/* Remove every binding of keymap id, or of all keymaps for id -1. */
void		 keymaps_clear(struct keymaps *, int id);

/* Bind seq in keymap id to command (a command line), or to nothing if NULL. */
void		 keymaps_bind(struct keymaps *, enum keymap_id,
		     const struct key *seq, size_t n, const char *command);
/* Remove the binding of seq from keymap id: 0, or -1 if there was none. */
int		 keymaps_unbind(struct keymaps *, enum keymap_id,
		     const struct key *seq, size_t n);
/*
 * The binding of exactly seq in keymap id alone (no fallback): 1 and
 * *command (NULL for `none`, borrowed until the keymap changes), or 0.
 */
int		 keymaps_get(const struct keymaps *, enum keymap_id,
		     const struct key *seq, size_t n, const char **command);

/*
 * Checks one command of a binding: argv is the command's words. Returns 0
 * if it is known and well-formed, else -1 with *cause set (or left NULL
 * for the default "unknown command 'x'"). ui_command_check_fn() with the
 * console's table as arg is one.
 */
typedef int	 keymap_check_fn(void *arg, int argc, char **argv, char **cause);

/*
 * The statements as functions: argv is the whole statement,
 * {"bind", KEYMAP, KEYS, COMMAND, ARGS...}; for the console's own `bind`
 * and `unbind` commands. 0, or -1 with *cause.
 */
int		 keymap_bind_argv(struct keymaps *, int argc, char **argv,
		     keymap_check_fn *check, void *arg, char **cause);
int		 keymap_unbind_argv(struct keymaps *, int argc, char **argv,
		     char **cause);

/*
 * Load statements from text; name is the file name errors begin with.
 * Every line is read: the good ones take effect, and each bad one adds
 * "NAME:LINE: message" to *cause (lines joined by newlines). Returns the
 * number of errors (0: *cause is NULL).
 */
int		 keymap_load_string(struct keymaps *, const char *name,
		     const char *text, keymap_check_fn *check, void *arg,
		     char **cause);
/* The same for a file; a file that cannot be read is one error. */
int		 keymap_load_file(struct keymaps *, const char *path,
		     keymap_check_fn *check, void *arg, char **cause);
/* Load the compiled-in keymaps/default.keys ("default.keys" in errors). */
int		 keymap_load_default(struct keymaps *, keymap_check_fn *check,
		     void *arg, char **cause);
/* keymaps/default.keys, generated into ui/keymap-default.c by make. */
extern const char keymap_default_text[];

/* Keys fed one at a time along a chain of keymaps. */
enum keymap_status {
	KEYMAP_NONE,		/* nothing bound: ignore the key (or beep) */
	KEYMAP_PREFIX,		/* more keys may follow: wait, with a timeout */
	KEYMAP_MATCH		/* run .command */
};

struct keymap_result {
	enum keymap_status status;
	const char	*command;	/* MATCH: borrowed until the keymaps change */
	int		 again;		/* the key was not used: feed it again */
};

struct keymap_input {
	const struct keymaps *kms;
	int		 chain[KEYMAP_CHAIN_MAX];
	size_t		 nchain;
	struct key	 pending[KEY_SEQ_MAX];	/* keys read so far */
	size_t		 npending;
};

/*
 * Start reading keys along chain (most specific first, e.g. {DETAIL,
 * ORDERS}); generic is appended when missing. Also resets what is pending.
 */
void		 keymap_input_init(struct keymap_input *, const struct keymaps *,
		     const enum keymap_id *chain, size_t n);
/* Forget pending keys (a pane switch, a resize, Esc in the prompt). */
void		 keymap_input_reset(struct keymap_input *);
/*
 * Add a key. MATCH and NONE end the sequence; PREFIX keeps it. When the
 * key cannot continue the pending keys, the pending keys are resolved on
 * their own (MATCH of a shorter binding, or NONE) with .again set: the
 * caller handles the result and then feeds the same key again.
 */
struct keymap_result keymap_input_feed(struct keymap_input *, struct key);
/* No key came in time after a PREFIX: MATCH the pending keys' binding or NONE. */
struct keymap_result keymap_input_timeout(struct keymap_input *);
/* The pending keys as a string ("g", "<C-x>"), for the status line. */
char		*keymap_input_pending(const struct keymap_input *, char *buf,
		     size_t size);

/*
 * The live bindings of a keymap as help shows them: its own, then those of
 * generic it does not hide, skipping `none`. fn gets the keys' canonical
 * name, the command line and the keymap the binding comes from. Returns
 * the number of bindings, or -1 for an unknown name.
 */
typedef void	 keymap_describe_fn(void *arg, const char *keys,
		     const char *command, const char *keymap);
int		 keymap_describe(const struct keymaps *, const char *name,
		     keymap_describe_fn *fn, void *arg);
/* The same along a chain, as keymap_input_init() takes it. */
int		 keymap_describe_chain(const struct keymaps *,
		     const enum keymap_id *chain, size_t n,
		     keymap_describe_fn *fn, void *arg);

#endif
