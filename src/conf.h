/*
 * conf.h -- profiles, XDG paths and the token.
 *
 * The configuration file ($XDG_CONFIG_HOME/shopdesk/config) holds one
 * section per profile ("[name]", a store and a user) with "key = value"
 * lines; keys before the first section set defaults for every profile, and
 * "profile = NAME" there picks the default profile. The options are one
 * table (config_options), from which parsing, "shopdesk config" and the man
 * page check are derived. The token is read from SHOPDESK_TOKEN or from the
 * profile's token file, which must be a regular file of ours with mode 0600
 * or stricter; it is never taken from argv and never logged.
 */
#ifndef SD_CONF_H
#define SD_CONF_H

enum config_type {
	CONFIG_STRING,
	CONFIG_PATH,
	CONFIG_BOOL,
	CONFIG_INT,
};

struct config {
	char	*file;		/* the configuration file read (or that would be) */
	char	*profile;	/* profile name */
	char	*url;		/* store base URL, NULL when none is named */
	char	*backend;	/* "storeapi" or "medusa" */
	char	*auth;		/* medusa: "api-key", "emailpass", "bearer" ("": api-key) */
	char	*user;		/* medusa: the e-mail for emailpass */
	char	*role;		/* medusa: the role the console takes ("": admin) */
	char	*stock_location; /* medusa: where to ship from and receive ("": first) */
	int	 poll_interval;	/* medusa: seconds between polls when following */
	int	 reconcile;	/* medusa: seconds between full reconciliation passes */
	char	*token_file;
	char	*ca_file;	/* CA bundle for TLS, NULL for the system's */
	char	*cache;		/* SQLite cache path */
	unsigned cache_line;	/* line of the file that set cache, 0 for the default */
	unsigned url_line;	/* line of the file that set url, 0 for none */
	char	*history;	/* command-line history path */
	int	 sign;		/* sign requests (HMAC) */
	int	 allow_http;	/* allow plain http to a non-loopback host */
	int	 timeout;	/* seconds for one request */
	int	 page_size;	/* change-feed page size */
	int	 bell;		/* console: bell on a customer's new message */
	int	 mouse;		/* console: take mouse clicks and the wheel */
	int	 csv_bom;	/* CSV exports begin with a UTF-8 BOM */
	char	*csv_header_lang; /* CSV header: "names", "en", "zh", "ui" */
	char	*print_command;	/* slips are piped to it ("lp -d label"), NULL: none */
	char	*timezone;	/* the zone that overrides the store's, "" for none */
	char	*token;		/* loaded by config_load_token */
};

struct config_option {
	const char	*name;
	enum config_type type;
	const char	*def;		/* default, with %p for the profile name */
	const char	*help;
};
extern const struct config_option config_options[];

/*
 * Load file (NULL: $SHOPDESK_CONFIG or the XDG default; a missing default
 * file is fine) for profile (NULL: $SHOPDESK_PROFILE, the file's "profile",
 * or "default"). 0, or -1 with *cause naming the file and line.
 */
int	 config_load(struct config *, const char *file, const char *profile, char **cause);
/*
 * The language of a CSV header named by v ("zh_CN" is "zh"): "names",
 * "en", "zh" or "ui" (static); "names" for NULL or "", NULL when v names none.
 */
const char *config_header_lang(const char *v);
/* Load the token (env, then token file with its permission check). */
int	 config_load_token(struct config *, char **cause);
void	 config_done(struct config *);

/* The value of option name as text (token never), caller frees. */
char	*config_get_text(const struct config *, const char *name);

/* XDG base directories (caller frees): "config", "data", "state", "cache". */
char	*config_xdg_dir(const char *which);
/* mkdir -p with mode 0700 for each created component. 0 or -1. */
int	 config_mkdirs(const char *dir);
/* Expand a leading "~/". Caller frees. */
char	*config_expand_path(const char *);
/*
 * Check that path is a regular file owned by us and not accessible by group
 * or others. 0, or -1 with *cause saying how to fix it (-2 when it does not
 * exist).
 */
int	 config_check_secret_file(const char *path, char **cause);
/* Write a token to path atomically with mode 0600. 0 or -1 with *cause. */
int	 config_write_secret_file(const char *path, const char *token, char **cause);

#endif
