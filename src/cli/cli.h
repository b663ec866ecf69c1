/*
 * cli.h -- the shopdesk command line: shared context and the command table.
 */
#ifndef SD_CLI_H
#define SD_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "backend.h"
#include "cache.h"
#include "conf.h"
#include "status.h"

enum cli_format {
	FORMAT_TABLE,
	FORMAT_JSON,
	FORMAT_CSV,
};

struct cli {
	const char	*argv0;
	const char	*config_file;	/* --config */
	const char	*profile;	/* --profile */
	const char	*cache_path;	/* --cache */
	struct config	 conf;
	int		 conf_loaded;
	struct cache	*cache;
	struct backend	*backend;
	int		 quiet;
	int		 demo;		/* running against the embedded demo store */
	const struct cli_command *cmd;	/* the command being run (set by cli_dispatch) */
};

/*
 * One option of a command: its getopt_long() row and its help, one table
 * read by the parser (cli_longopts()), --help, the hidden dump and shell
 * completion alike.
 */
struct cli_option {
	const char	*name;		/* "status", without "--" */
	int		 has_arg;	/* no_argument, required_argument, optional_argument */
	int		 val;		/* what getopt_long() returns for it */
	char		 letter;	/* its short form ('q' for -q), or 0 */
	const char	*arg;		/* "STATE" in help, NULL for a switch */
	/*
	 * What its value completes from: "|a|b" those words; "file"; a noun
	 * ("customers": the cached ids); "status", "queue", "kind",
	 * "carrier", "sort", "outbox-state", "user"; NULL: nothing.
	 */
	const char	*values;
	const char	*help;		/* one line */
};
/* The getopt_long() table of an option table ended by a NULL name (built once, kept). */
const struct option *cli_longopts(const struct cli_option *);

/*
 * A command. The rows of the write actions (handler cli_cmd_action) leave
 * usage and help NULL: both come from the action's row of action_table[]
 * (src/action.h), the single truth; cli_command_usage/help() give either.
 */
struct cli_command {
	const char	*noun;		/* "orders", or NULL */
	const char	*verb;		/* "list" */
	enum sd_status	(*fn)(struct cli *, int argc, char **argv);
	const char	*usage;		/* arguments, or NULL for an action */
	const char	*help;		/* one line, or NULL for an action */
	const struct cli_option *opts;	/* its options, or NULL (actions: from the table) */
	/* Whether an option of opts applies to this row (list filters per noun), or NULL: all do. */
	int		(*applies)(const struct cli_command *, const char *option);
};
/* Every command, the actions of action_table[] among them; ends with a NULL verb. */
const struct cli_command *cli_command_table(void);

/* Report an error "shopdesk: what: cause" on stderr. */
void	 cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Input echoed in a message, bounded and clean (text_clip): a static buffer,
 * valid until the fourth call after.
 */
const char *cli_clip(const char *);
/* The kind a CLI noun lists ("orders" -> KIND_ORDER), or -1. */
int	 cli_noun_kind(const char *noun);

/* Lazily load the configuration, open the cache, open the backend (+ token). */
enum sd_status cli_need_config(struct cli *);
enum sd_status cli_need_cache(struct cli *);
/*
 * The category a --category value names, as the tree shows it (an id, a
 * path or a name), from the tree loaded into *cats (the caller ends it
 * with cache_categories_done()): its index; or -1, said on stderr, with
 * *st the exit status (a usage error, or the cache's).
 */
struct cache_categories;
long	cli_category_arg(struct cli *, const char *arg, struct cache_categories *cats,
	    enum sd_status *st);
enum sd_status cli_need_backend(struct cli *);
void	 cli_done(struct cli *);

/* Run the command in argv (argv[0] is the noun or verb). */
enum sd_status cli_dispatch(struct cli *, int argc, char **argv);
void	 cli_usage(FILE *);

/*
 * A command's options, those of opts that apply, or the action's built
 * from action_table[] (flags, then what every action takes); ends with a
 * NULL name. Built once, kept.
 */
const struct cli_option *cli_command_options(const struct cli_command *);
/* An action command's options (cli-action.c): its flags, then the common ones. */
const struct cli_option *cli_action_options(const struct cli_command *);
/* An action's help (usage, endpoint, roles, options); the values of its ARG_ENUM option. */
void	 cli_action_help(FILE *, const struct cli_command *);
const char *const *cli_action_enum(const struct cli_command *, const char *option);
/* Print a command's full help: usage, what it does, every option on a line. */
void	 cli_command_print_help(FILE *, const struct cli_command *);
/* Whether argv (a command's words after its name) asks for --help or -h. */
int	 cli_help_asked(const struct cli_command *, int argc, char **argv);
/* The option of c a word names ("--status", "-q"), or NULL. */
const struct cli_option *cli_option_of_word(const struct cli_command *, const char *);
/* The command the words at argv name (noun and verb, or a verb); *used: how many. */
const struct cli_command *cli_command_find(int argc, char **argv, int *used);
/* Whether some command has the noun w. */
int	 cli_is_noun(const char *w);
/* "shopdesk help [COMMAND...]", "shopdesk NOUN --help". */
enum sd_status cli_cmd_help(struct cli *, int, char **);
/* Print the verbs of a noun with their help; -1 when no command has that noun. */
int	 cli_noun_help(FILE *, const char *noun);
/* The hidden "__dump": every command and the options its parser takes. */
enum sd_status cli_cmd_dump(struct cli *, int, char **);
/* The hidden "__complete WORD...": the candidates for the last word, one a line. */
enum sd_status cli_cmd_complete(struct cli *, int, char **);

/* Option tables of the commands (the files of their handlers). */
extern const struct cli_option cli_opts_list[], cli_opts_show[], cli_opts_find[];
extern const struct cli_option cli_opts_categories[];
extern const struct cli_option cli_opts_sync[], cli_opts_status[];
extern const struct cli_option cli_opts_outbox_list[], cli_opts_outbox_show[];
extern const struct cli_option cli_opts_outbox_resolve[];
extern const struct cli_option cli_opts_canned_list[], cli_opts_canned_import[];
extern const struct cli_option cli_opts_canned_export[], cli_opts_agent_stats[];
extern const struct cli_option cli_opts_audit[], cli_opts_purge[], cli_opts_shipments[],
    cli_opts_slip[], cli_opts_report[];
/* Whether a filter of cli_opts_list[] applies to the row's noun (cli-list.c). */
int	 cli_list_applies(const struct cli_command *, const char *option);

/* Parse a --format value. -1 when unknown. */
int	 cli_parse_format(const char *);

/* A command's usage and one-line help, from the action table for actions. */
const char *cli_command_usage(const struct cli_command *);
const char *cli_command_help(const struct cli_command *);
/*
 * Check that the actions' options, built from action_table[], make a valid
 * option table; a mismatch is a bug, reported by fatal(). Called by
 * cli_usage().
 */
void	 cli_action_check_table(void);

struct outbox_entry;
/*
 * A conflict's two sides, member by member of the entry's patch: yours and
 * the store's current object (masked and sanitised), indented.
 */
void	 cli_outbox_print_sides(FILE *, const struct outbox_entry *);
/* The store's answer (or the current object) as the CLI prints objects: masked. */
struct cJSON *cli_outbox_object(const struct outbox_entry *, const char *json);

/* Commands. */
enum sd_status cli_cmd_sync(struct cli *, int, char **);
enum sd_status cli_cmd_list(struct cli *, int, char **);
enum sd_status cli_cmd_categories(struct cli *, int, char **);
enum sd_status cli_cmd_show(struct cli *, int, char **);
enum sd_status cli_cmd_find(struct cli *, int, char **);
enum sd_status cli_cmd_token_set(struct cli *, int, char **);
enum sd_status cli_cmd_config_show(struct cli *, int, char **);
enum sd_status cli_cmd_whoami(struct cli *, int, char **);
enum sd_status cli_cmd_audit(struct cli *, int, char **);
enum sd_status cli_cmd_purge(struct cli *, int, char **);
enum sd_status cli_cmd_cache_digest(struct cli *, int, char **);
enum sd_status cli_cmd_agent_stats(struct cli *, int, char **);
enum sd_status cli_cmd_shipments(struct cli *, int, char **);
enum sd_status cli_cmd_slip(struct cli *, int, char **);
enum sd_status cli_cmd_report(struct cli *, int, char **);
enum sd_status cli_cmd_status(struct cli *, int, char **);
enum sd_status cli_cmd_action(struct cli *, int, char **);
enum sd_status cli_cmd_outbox_list(struct cli *, int, char **);
enum sd_status cli_cmd_canned_list(struct cli *, int, char **);
enum sd_status cli_cmd_canned_import(struct cli *, int, char **);
enum sd_status cli_cmd_canned_export(struct cli *, int, char **);

/* How a CSV batch is queued: --skip-bad, --wait[=S] (0: no), --dry-run, --format. */
struct cli_batch_opts {
	int		 skip_bad;
	int		 wait;
	int		 dry_run;
	int		 format;
	int		 yes;		/* --yes: what must be confirmed is */
	int		 preview;	/* print every line, and queue only when confirmed */
};
struct action_def;
/*
 * Read, check and queue a CSV file of d's actions (d NULL: of canned
 * replies, action_canned_import), reporting every bad line by number.
 */
enum sd_status cli_action_batch(struct cli *, const struct action_def *d, const char *file,
	    const struct cli_batch_opts *);
/* The same for a batch already loaded (taken over), file naming it in messages. */
struct action_batch;
enum sd_status cli_batch_queue(struct cli *, const struct action_def *d, const char *file,
	    struct action_batch *, size_t unchanged, const struct cli_batch_opts *);
/* "stock reprice": many SKUs' prices changed by a percentage or an amount (cli-price.c). */
extern const struct cli_option cli_opts_reprice[];
enum sd_status cli_cmd_stock_reprice(struct cli *, int, char **);
enum sd_status cli_cmd_outbox_show(struct cli *, int, char **);
enum sd_status cli_cmd_outbox_retry(struct cli *, int, char **);
enum sd_status cli_cmd_outbox_drop(struct cli *, int, char **);
enum sd_status cli_cmd_outbox_resolve(struct cli *, int, char **);
/* The demo: start the reference store and run argv (or the overview) on it. */
int	 cli_demo(struct cli *, int argc, char **argv);

#endif
