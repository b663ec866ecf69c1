/*
 * cli.h -- the shopdesk command line: shared context and the command table.
 */
#ifndef SD_CLI_H
#define SD_CLI_H

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
};

struct cli_command {
	const char	*noun;		/* "orders", or NULL */
	const char	*verb;		/* "list" */
	enum sd_status	(*fn)(struct cli *, int argc, char **argv);
	const char	*usage;		/* arguments */
	const char	*help;		/* one line */
};
extern const struct cli_command cli_commands[];

/* Report an error "shopdesk: what: cause" on stderr. */
void	 cli_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Lazily load the configuration, open the cache, open the backend (+ token). */
enum sd_status cli_need_config(struct cli *);
enum sd_status cli_need_cache(struct cli *);
enum sd_status cli_need_backend(struct cli *);
void	 cli_done(struct cli *);

/* Run the command in argv (argv[0] is the noun or verb). */
enum sd_status cli_dispatch(struct cli *, int argc, char **argv);
void	 cli_usage(FILE *);

/* Parse a --format value. -1 when unknown. */
int	 cli_parse_format(const char *);

/* Commands. */
enum sd_status cli_cmd_sync(struct cli *, int, char **);
enum sd_status cli_cmd_list(struct cli *, int, char **);
enum sd_status cli_cmd_show(struct cli *, int, char **);
enum sd_status cli_cmd_token_set(struct cli *, int, char **);
enum sd_status cli_cmd_config_show(struct cli *, int, char **);
enum sd_status cli_cmd_whoami(struct cli *, int, char **);
enum sd_status cli_cmd_cache_digest(struct cli *, int, char **);
enum sd_status cli_cmd_status(struct cli *, int, char **);
/* The demo: start the reference store and run argv (or the overview) on it. */
int	 cli_demo(struct cli *, int argc, char **argv);

#endif
