/*
 * cmdline.h -- the command language: one tokenizer and one dispatcher for
 * key bindings, the `:` line and keymap files.
 *
 * A line is split into words like a small shell:
 *	- blanks separate words; an unquoted `;` or newline separates commands;
 *	- "double quotes" keep blanks, with \" and \\ as the only escapes;
 *	- 'single quotes' keep everything literally;
 *	- outside quotes a backslash takes the next character literally;
 *	- `#` at the start of a word begins a comment to the end of the line;
 *	- quoted and unquoted parts next to each other make one word
 *	  (a"b c"d is "ab cd"); "" is an empty word.
 * Text is UTF-8 and passes through unchanged; error columns count
 * characters from 1: "unterminated quote at column 12".
 *
 * The dispatcher runs commands from a table the caller owns (tmux's
 * cmd_table): a command is found by its exact name or alias -- never by a
 * prefix, so a binding cannot change meaning when a command is added --
 * and its argument count is checked against the row before it runs.
 */
#ifndef SD_UI_CMDLINE_H
#define SD_UI_CMDLINE_H

#include <stddef.h>

/* One command: argc words and a NULL. */
struct cmdline_cmd {
	int		 argc;
	char		**argv;
};

/* A parsed line: its commands in order (none for a blank or comment line). */
struct cmdline {
	size_t		 n;
	struct cmdline_cmd *cmds;
};

/* Parse line. Returns 0, or -1 with *cause set (caller frees). */
int	 cmdline_parse(const char *line, struct cmdline **out, char **cause);
void	 cmdline_free(struct cmdline **);
/* word, quoted if needed so that cmdline_parse() gives it back; caller frees. */
char	*cmdline_quote(const char *word);
/* The words quoted and joined by blanks: one command line. Caller frees. */
char	*cmdline_join(int argc, char *const *argv);

/* Flags of a command; bits from UI_CMD_USER up are the caller's. */
#define UI_CMD_HIDDEN		0x01u	/* not offered by completion or listed in help */
#define UI_CMD_SELECTION	0x02u	/* acts on the selected object */
#define UI_CMD_USER		0x100u

struct ui_command {
	const char	*name;		/* "ship" */
	const char	*alias;		/* another exact name, or NULL */
	int		 min_args;	/* arguments after the name */
	int		 max_args;	/* -1: no limit */
	const char	*usage;		/* the arguments: "CARRIER TRACKING" */
	const char	*help;		/* one line for the help screen */
	/* argv[0] is the name as typed; returns < 0 on error with *cause set */
	int		(*fn)(void *app, int argc, char **argv, char **cause);
	unsigned	 flags;		/* UI_CMD_* */
};
/* Tables end with a row whose name is NULL. */

/* The row named (or aliased) name, or NULL. */
const struct ui_command *ui_command_find(const struct ui_command *table,
	    const char *name);
/*
 * Whether argv names a command of table with an acceptable number of
 * arguments: 0, or -1 with *cause "unknown command 'x'" or
 * "usage: ship CARRIER TRACKING".
 */
int	 ui_command_check(const struct ui_command *table, int argc, char **argv,
	    char **cause);
/* ui_command_check() with the table as a void *, for keymap_check_fn. */
int	 ui_command_check_fn(void *table, int argc, char **argv, char **cause);
/* "usage: ship CARRIER TRACKING"; caller frees. */
char	*ui_command_usage(const struct ui_command *);
/* Check and run one command; the handler's result. */
int	 ui_command_run_argv(const struct ui_command *table, void *app, int argc,
	    char **argv, char **cause);
/*
 * Parse line, check every command in it, then run them in order, stopping
 * at the first that fails. Returns the last handler's result (0 for an
 * empty line), or -1 with *cause for a parse or check error (nothing ran).
 */
int	 ui_command_run(const struct ui_command *table, void *app,
	    const char *line, char **cause);

/*
 * Completion of the word at the cursor. For the first word of a command the
 * candidates are the table's names; for a later word the caller's function
 * is asked with the command's name, the argument's index (1 for the first
 * argument) and the word so far, and adds candidates with
 * ui_completion_add(). Candidates are filtered by the prefix, sorted and
 * made unique; they are raw words, to be quoted with cmdline_quote() when
 * inserted outside quotes.
 */
struct ui_completion {
	size_t		 start;		/* byte offset of the word being completed */
	int		 argi;		/* 0: the command name, n: its n-th argument */
	const char	*command;	/* the command's name (argi > 0), or NULL */
	char		*prefix;	/* the word so far, unquoted */
	char		 quote;		/* the quote open at the cursor, or 0 */
	char		**v;		/* candidates */
	size_t		 n;
	size_t		 alloc;
};
typedef void	 ui_complete_fn(void *arg, const char *command, int argi,
		    const char *prefix, struct ui_completion *out);

void	 ui_completion_add(struct ui_completion *, const char *candidate);
/* Fill out for line with the cursor at byte offset cursor; returns out->n. */
size_t	 ui_command_complete(const struct ui_command *table, const char *line,
	    size_t cursor, ui_complete_fn *fn, void *arg,
	    struct ui_completion *out);
void	 ui_completion_done(struct ui_completion *);

#endif
