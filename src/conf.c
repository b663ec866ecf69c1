/*
 * conf.c -- configuration file, profiles, XDG paths and token files.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "util/buf.h"
#include "util/intl.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define MAX_TOKEN 512

const struct config_option config_options[] = {
	{ "url", CONFIG_STRING, "",
	  "base URL of the store (https:// unless the host is loopback or allow-http is set)" },
	{ "backend", CONFIG_STRING, "storeapi",
	  "the store's API: storeapi (Store API v1) or medusa (Medusa v2 Admin API)" },
	{ "auth", CONFIG_STRING, "",
	  "medusa: how the token file authenticates: api-key (a secret key), emailpass "
	  "(the password of user) or bearer (a JWT)" },
	{ "user", CONFIG_STRING, "", "medusa: the admin user's e-mail, with auth = emailpass" },
	{ "role", CONFIG_STRING, "",
	  "medusa: the role the console takes (admin, ops, finance, agent, warehouse); "
	  "Medusa itself has none" },
	{ "stock-location", CONFIG_STRING, "",
	  "medusa: the stock location id that ships and receives (default: the order's "
	  "sales channel's)" },
	{ "poll-interval", CONFIG_INT, "5",
	  "medusa: seconds between polls while following (1-300)" },
	{ "reconcile", CONFIG_INT, "600",
	  "medusa: seconds between full passes that find deletions and refunds" },
	{ "token-file", CONFIG_PATH, "$XDG_CONFIG_HOME/shopdesk/%p.token",
	  "file holding the bearer token; must have mode 0600" },
	{ "ca-file", CONFIG_PATH, "", "CA certificates to verify the store's TLS certificate" },
	{ "cache", CONFIG_PATH, "$XDG_DATA_HOME/shopdesk/%p.db", "the local cache (SQLite)" },
	{ "history", CONFIG_PATH, "$XDG_STATE_HOME/shopdesk/%p.history", "command-line history" },
	{ "sign", CONFIG_BOOL, "no", "sign every request with HMAC-SHA256" },
	{ "allow-http", CONFIG_BOOL, "no", "allow unencrypted http to a host that is not loopback" },
	{ "timeout", CONFIG_INT, "30", "seconds before a request is abandoned" },
	{ "page-size", CONFIG_INT, "1000", "changes fetched per request when syncing (1-5000)" },
	{ "bell", CONFIG_BOOL, "no",
	  "console: ring the terminal bell when a customer writes in one of your chats" },
	{ "mouse", CONFIG_BOOL, "yes",
	  "console: click tabs and rows, double click opens, the wheel scrolls (no: the "
	  "terminal keeps the mouse, to select text)" },
	{ "csv-bom", CONFIG_BOOL, "no",
	  "CSV exports begin with a UTF-8 byte order mark (for Excel)" },
	{ "csv-header-lang", CONFIG_STRING, "names",
	  "CSV exports' header: names (the members, created_at), en, zh, or ui (the "
	  "console's language)" },
	{ "print-command", CONFIG_STRING, "",
	  "the command packing slips are piped to as PDF (orders slip --print): lp -d label" },
	{ "timezone", CONFIG_STRING, "",
	  "the store's time zone for days, reports and times shown (Asia/Shanghai, +08:00);"
	  " empty: the zone the store declares" },
	{ NULL, 0, NULL, NULL }
};

/* What an option takes, where it is not any text or 1 to 100000. */
static const struct {
	const char	*name;
	const char	*values;	/* a closed set, "a, b, c"; NULL: any */
	long		 min, max;	/* CONFIG_INT: the range */
} config_limits[] = {
	{ "backend", "storeapi, medusa", 0, 0 },
	{ "auth", "api-key, emailpass, bearer", 0, 0 },
	{ "role", "admin, ops, finance, agent, warehouse", 0, 0 },
	{ "poll-interval", NULL, 1, 300 },
	{ "reconcile", NULL, 10, 100000 },
	{ "page-size", NULL, 1, 5000 },
};

/* Where each option lives in struct config. */
static const struct {
	const char	*name;
	size_t		 off;
} config_fields[] = {
	{ "url", offsetof(struct config, url) },
	{ "backend", offsetof(struct config, backend) },
	{ "auth", offsetof(struct config, auth) },
	{ "user", offsetof(struct config, user) },
	{ "role", offsetof(struct config, role) },
	{ "stock-location", offsetof(struct config, stock_location) },
	{ "poll-interval", offsetof(struct config, poll_interval) },
	{ "reconcile", offsetof(struct config, reconcile) },
	{ "token-file", offsetof(struct config, token_file) },
	{ "ca-file", offsetof(struct config, ca_file) },
	{ "cache", offsetof(struct config, cache) },
	{ "history", offsetof(struct config, history) },
	{ "sign", offsetof(struct config, sign) },
	{ "allow-http", offsetof(struct config, allow_http) },
	{ "bell", offsetof(struct config, bell) },
	{ "mouse", offsetof(struct config, mouse) },
	{ "csv-bom", offsetof(struct config, csv_bom) },
	{ "csv-header-lang", offsetof(struct config, csv_header_lang) },
	{ "timeout", offsetof(struct config, timeout) },
	{ "page-size", offsetof(struct config, page_size) },
	{ "print-command", offsetof(struct config, print_command) },
	{ "timezone", offsetof(struct config, timezone) },
};

static const struct config_option *
option_find(const char *name)
{
	int i;

	for (i = 0; config_options[i].name != NULL; i++)
		if (strcmp(config_options[i].name, name) == 0)
			return &config_options[i];
	return NULL;
}

static const char *
option_values(const char *name, long *min, long *max)
{
	size_t i;

	*min = 1;
	*max = 100000;
	for (i = 0; i < sizeof config_limits / sizeof config_limits[0]; i++) {
		if (strcmp(config_limits[i].name, name) != 0)
			continue;
		if (config_limits[i].max != 0) {
			*min = config_limits[i].min;
			*max = config_limits[i].max;
		}
		return config_limits[i].values;
	}
	return NULL;
}

static void *
option_field(struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof config_fields / sizeof config_fields[0]; i++)
		if (strcmp(config_fields[i].name, name) == 0)
			return (char *)c + config_fields[i].off;
	fatal("config: option %s has no field", name);
}

char *
config_xdg_dir(const char *which)
{
	const char *env, *home, *sub;

	if (strcmp(which, "config") == 0) {
		env = "XDG_CONFIG_HOME"; sub = ".config";
	} else if (strcmp(which, "data") == 0) {
		env = "XDG_DATA_HOME"; sub = ".local/share";
	} else if (strcmp(which, "state") == 0) {
		env = "XDG_STATE_HOME"; sub = ".local/state";
	} else {
		env = "XDG_CACHE_HOME"; sub = ".cache";
	}
	if (getenv(env) != NULL && getenv(env)[0] == '/')
		return xstrdup(getenv(env));
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		home = "/tmp";
	return xasprintf("%s/%s", home, sub);
}

char *
config_expand_path(const char *p)
{
	const char *home;

	if (p[0] == '~' && p[1] == '/') {
		home = getenv("HOME");
		return xasprintf("%s%s", home != NULL ? home : "", p + 1);
	}
	return xstrdup(p);
}

/* Expand $XDG_*_HOME and %p in a default. */
static char *
expand_default(const char *def, const char *profile)
{
	struct buf b;
	const char *p;
	char *dir;

	buf_init(&b);
	for (p = def; *p != '\0'; p++) {
		if (*p == '%' && p[1] == 'p') {
			buf_adds(&b, profile);
			p++;
		} else if (*p == '$' && strncmp(p, "$XDG_", 5) == 0) {
			const char *which = strncmp(p, "$XDG_CONFIG_HOME", 16) == 0 ? "config" :
			    strncmp(p, "$XDG_DATA_HOME", 14) == 0 ? "data" :
			    strncmp(p, "$XDG_STATE_HOME", 15) == 0 ? "state" : "cache";
			dir = config_xdg_dir(which);
			buf_adds(&b, dir);
			free(dir);
			p = strchr(p, '/') - 1;
		} else
			buf_addc(&b, *p);
	}
	return buf_steal(&b);
}

static int
parse_bool(const char *v, int *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "on") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "1") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "off") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

const char *
config_header_lang(const char *v)
{
	static const char *const langs[] = { "names", "en", "zh", "ui", NULL };
	int i;

	if (v == NULL || *v == '\0')
		return "names";
	for (i = 0; langs[i] != NULL; i++)
		if (strcasecmp(v, langs[i]) == 0)
			return langs[i];
	if (strncasecmp(v, "zh", 2) == 0)
		return "zh";	/* zh_CN, zh-CN */
	if (strncasecmp(v, "en", 2) == 0)
		return "en";
	return NULL;
}

/*
 * The edit distance of a and b (insertions, deletions, substitutions and
 * swaps of two neighbours), at most 3 for what a typo can be: more is 4.
 */
static int
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int d[32][32], best;

	if (la > 30 || lb > 30)
		return 4;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			best = d[i - 1][j - 1] +
			    (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb] > 3 ? 4 : d[la][lb];
}

/*
 * The word of list ("a, b, c") nearest to s, if near enough to be what was
 * meant (a third of its letters wrong at most, or s a prefix of it); NULL if
 * none. Caller frees.
 */
static char *
nearest_word(const char *s, const char *list)
{
	char *copy = xstrdup(list), *w, *next = copy, *best = NULL;
	int d, bestd = 4;

	while ((w = strsep(&next, ",")) != NULL) {
		while (*w == ' ')
			w++;
		d = edit_distance(s, w);
		if (strlen(s) >= 2 && strncasecmp(w, s, strlen(s)) == 0 && d > 1)
			d = 1;
		if (d < bestd && (size_t)d * 3 <= strlen(w)) {
			bestd = d;
			free(best);
			best = xstrdup(w);
		}
	}
	free(copy);
	return best;
}

/* "profile, url, backend, ...": every key a file may hold. Caller frees. */
static char *
known_keys(void)
{
	struct buf known;
	char *s;
	int o;

	buf_init(&known);
	buf_addf(&known, "profile");
	for (o = 0; config_options[o].name != NULL; o++)
		buf_addf(&known, ", %s", config_options[o].name);
	s = xstrdup(buf_str(&known));
	buf_done(&known);
	return s;
}

/*
 * Set option name to text value v; -1 with *why (caller frees) saying what
 * the valid values are on a bad value.
 */
static int
option_set(struct config *c, const char *name, const char *v, char **why)
{
	const struct config_option *o = option_find(name);
	char *end, **sp, *guess;
	const char *values;
	long n, min, max;
	int *ip;

	if (o == NULL) {
		*why = xstrdup("unknown option");
		return -1;
	}
	values = option_values(name, &min, &max);
	switch (o->type) {
	case CONFIG_STRING:
	case CONFIG_PATH:
		if (strcmp(name, "csv-header-lang") == 0) {
			if (config_header_lang(v) == NULL) {
				*why = xstrdup("expected names, en, zh or ui");
				return -1;
			}
		} else if (values != NULL && *v != '\0') {
			guess = nearest_word(v, values);
			if (guess == NULL || strcmp(guess, v) != 0) {
				if (guess != NULL)
					*why = xasprintf(_("did you mean '%s'? (one of: %s)"),
					    guess, values);
				else
					*why = xasprintf(_("expected one of: %s"), values);
				free(guess);
				return -1;
			}
			free(guess);
		}
		sp = option_field(c, name);
		free(*sp);
		*sp = *v == '\0' ? NULL :
		    o->type == CONFIG_PATH ? config_expand_path(v) : xstrdup(v);
		break;
	case CONFIG_BOOL:
		ip = option_field(c, name);
		if (parse_bool(v, ip) != 0) {
			*why = xstrdup("expected yes or no (or on/off, true/false, 1/0)");
			return -1;
		}
		break;
	case CONFIG_INT:
		ip = option_field(c, name);
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
			*why = xasprintf(_("expected a whole number from %ld to %ld"), min, max);
			return -1;
		}
		*ip = (int)n;
		break;
	}
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

#define CONFIG_LINE_MAX	4095	/* bytes of one line, its newline included */

/*
 * Read the file twice in effect: first pass finds the default profile, the
 * second applies global keys then the chosen section's keys.
 */
static int
config_parse(struct config *c, FILE *f, const char *want, int apply, char **found_default,
    int *found_section, char **sections, char **cause)
{
	char *line = NULL, *s, *eq, *key, *val, *section = NULL, *clip, *why;
	unsigned lineno = 0, i, nseen = 0, *seenline = NULL;
	char **seen = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	rewind(f);
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		/* A NUL would end the line early as a C string: say so, not "too long". */
		if (memchr(line, '\0', (size_t)len) != NULL) {
			*cause = xasprintf(_("%s:%u: NUL byte (is it a text file?)"), c->file, lineno);
			rc = -1;
			break;
		}
		if (len > CONFIG_LINE_MAX) {
			*cause = xasprintf(_("%s:%u: line too long (more than %d bytes)"), c->file,
			    lineno, CONFIG_LINE_MAX);
			rc = -1;
			break;
		}
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			if (s[strlen(s) - 1] != ']' || strlen(s) < 3) {
				clip = text_clip(s);
				*cause = xasprintf(_("%s:%u: bad section header '%s' (expected [profile-name])"),
				    c->file, lineno, clip);
				free(clip);
				rc = -1;
				break;
			}
			s[strlen(s) - 1] = '\0';
			free(section);
			section = xstrdup(trim(s + 1));
			/*
			 * A second [name] would quietly override the first one's keys:
			 * refused, as which one the user meant cannot be known.
			 */
			for (i = 0; i < nseen; i++)
				if (strcmp(seen[i], section) == 0)
					break;
			if (i < nseen) {
				clip = text_clip(section);
				*cause = xasprintf(_("%s:%u: [%s] again (first at line %u): "
				    "merge the two into one section"), c->file, lineno, clip,
				    seenline[i]);
				free(clip);
				rc = -1;
				break;
			}
			seen = xrealloc(seen, (nseen + 1) * sizeof *seen);
			seenline = xrealloc(seenline, (nseen + 1) * sizeof *seenline);
			seen[nseen] = xstrdup(section);
			seenline[nseen++] = lineno;
			if (want != NULL && strcmp(section, want) == 0)
				*found_section = 1;
			continue;
		}
	if ((eq = strchr(s, '=')) == NULL) {
			clip = text_clip(s);
			*cause = xasprintf(_("%s:%u: expected 'key = value', got '%s' (put a # before "
			    "it to make it a comment)"), c->file, lineno, clip);
			free(clip);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(s);
		val = trim(eq + 1);
		if (section == NULL && strcmp(key, "profile") == 0) {
			if (found_default != NULL) {
				free(*found_default);
				*found_default = xstrdup(val);
			}
			continue;
		}
		if (strcmp(key, "profile") == 0) {
			*cause = xasprintf(_("%s:%u: profile = NAME chooses the default profile: "
			    "move it above the first [section]"), c->file, lineno);
			rc = -1;
			break;
		}
		if (option_find(key) == NULL) {
			char *known = known_keys(), *guess = nearest_word(key, known);

			clip = text_clip(key);
			if (guess != NULL)
				*cause = xasprintf(_("%s:%u: unknown option '%s' (did you mean "
				    "'%s'?); known: %s"), c->file, lineno, clip, guess, known);
			else
				*cause = xasprintf(_("%s:%u: unknown option '%s'; known: %s"),
				    c->file, lineno, clip, known);
			free(clip);
			free(guess);
			free(known);
			rc = -1;
			break;
		}
		if (!apply)
			continue;
		if (section != NULL && (want == NULL || strcmp(section, want) != 0))
			continue;
		if (option_set(c, key, val, &why) != 0) {
			clip = text_clip(val);
			*cause = xasprintf(_("%s:%u: bad value '%s' for %s: %s"), c->file, lineno,
			    clip, key, why);
			free(clip);
			free(why);
			rc = -1;
			break;
		}
		if (strcmp(key, "cache") == 0)
			c->cache_line = lineno;
		if (strcmp(key, "url") == 0)
			c->url_line = lineno;
	}
	if (rc == 0 && ferror(f)) {
		*cause = xasprintf(_("cannot read %s: %s"), c->file, strerror(errno));
		rc = -1;
	}
	if (sections != NULL) {
		struct buf b;

		buf_init(&b);
		for (i = 0; i < nseen; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", seen[i]);
		*sections = xstrdup(buf_str(&b));
		buf_done(&b);
	}
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	free(seenline);
	free(line);
	free(section);
	return rc;
}

int
config_load(struct config *c, const char *file, const char *profile, char **cause)
{
	char *dir, *def_profile = NULL, *sections = NULL, *v, *why;
	char *zwhy = NULL;
	int explicit_file = file != NULL, found = 0, i;
	FILE *f = NULL;
	struct stat st;

	memset(c, 0, sizeof *c);
	if (file == NULL && getenv("SHOPDESK_CONFIG") != NULL) {
		file = getenv("SHOPDESK_CONFIG");
		explicit_file = 1;
	}
	if (file != NULL)
		c->file = config_expand_path(file);
	else {
		dir = config_xdg_dir("config");
		c->file = xasprintf("%s/shopdesk/config", dir);
		free(dir);
	}
	if ((f = fopen(c->file, "r")) == NULL) {
		if (errno != ENOENT || explicit_file) {
			*cause = xasprintf(_("cannot read %s: %s"), c->file, strerror(errno));
			return -1;
		}
	} else if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		/* fopen() opens a directory and reading it fails: it looked empty. */
		*cause = xasprintf(_("%s is a directory (the configuration is a file)"), c->file);
		goto fail;
	} else if (config_parse(c, f, NULL, 0, &def_profile, &found, NULL, cause) != 0)
		goto fail;

	if (profile == NULL)
		profile = getenv("SHOPDESK_PROFILE");
	if (profile == NULL)
		profile = def_profile;
	if (profile == NULL)
		profile = "default";
	if (*profile == '\0' || strchr(profile, '/') != NULL || strchr(profile, ']') != NULL) {
		char *clip = text_clip(profile);

		*cause = xasprintf(_("bad profile name '%s'"), clip);
		free(clip);
		goto fail;
	}
	c->profile = xstrdup(profile);

	for (i = 0; config_options[i].name != NULL; i++) {
		v = expand_default(config_options[i].def, c->profile);
		why = NULL;
		if (option_set(c, config_options[i].name, v, &why) != 0 &&
		    config_options[i].type != CONFIG_INT)
			fatal("config: bad default for %s", config_options[i].name);
		free(why);
		free(v);
	}
	if (f != NULL) {
		found = 0;
		if (config_parse(c, f, c->profile, 1, NULL, &found, &sections, cause) != 0)
			goto fail;
		if (!found && strcmp(c->profile, "default") != 0) {
			*cause = xasprintf(_("no profile [%s] in %s (%s%s); add a [%s] section "
			    "with url = ..., or name another profile"), c->profile, c->file,
			    *sections != '\0' ? "its profiles: " : "it has no [sections]",
			    sections, c->profile);
			goto fail;
		}
		fclose(f);
		f = NULL;
	} else if (strcmp(c->profile, "default") != 0) {
		*cause = xasprintf(_("no profile [%s]: %s does not exist"), c->profile, c->file);
		goto fail;
	}
	if (getenv("SHOPDESK_URL") != NULL && *getenv("SHOPDESK_URL") != '\0') {
		free(c->url);
		c->url = xstrdup(getenv("SHOPDESK_URL"));
		c->url_line = 0;
	}
	if (c->timezone != NULL && *c->timezone != '\0' &&
	    time_zone_check(c->timezone, &zwhy) != 0) {
		*cause = xasprintf(_("%s: timezone: %s"), c->file, zwhy);
		free(zwhy);
		goto fail;
	}
	free(def_profile);
	free(sections);
	return 0;

fail:
	if (f != NULL)
		fclose(f);
	free(def_profile);
	free(sections);
	config_done(c);
	return -1;
}

int
config_check_secret_file(const char *path, char **cause)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		*cause = xasprintf(_("cannot read token file %s: %s"), path, strerror(errno));
		return errno == ENOENT ? -2 : -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xasprintf(_("token file %s is not a regular file"), path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		*cause = xasprintf(_("token file %s belongs to another user"), path);
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		*cause = xasprintf(_("token file %s can be read by others (mode %04o); "
		    "run: chmod 600 %s"), path, (unsigned)(st.st_mode & 07777), path);
		return -1;
	}
	return 0;
}

int
config_load_token(struct config *c, char **cause)
{
	char buf[MAX_TOKEN + 2], *t;
	const char *env = getenv("SHOPDESK_TOKEN");
	ssize_t n;
	int fd, rc;

	free(c->token);
	c->token = NULL;
	if (env != NULL && *env != '\0') {
		if (strlen(env) > MAX_TOKEN) {
			*cause = xstrdup("SHOPDESK_TOKEN is too long");
			return -1;
		}
		c->token = xstrdup(env);
		return 0;
	}
	if (c->token_file == NULL) {
		*cause = xasprintf(_("no token for profile %s: set token-file or SHOPDESK_TOKEN"),
		    c->profile);
		return -1;
	}
	if ((rc = config_check_secret_file(c->token_file, cause)) != 0) {
		if (rc == -2) {
			free(*cause);
			*cause = xasprintf(_("no token file %s for profile %s: run "
			    "'shopdesk token set' or set SHOPDESK_TOKEN"), c->token_file, c->profile);
		}
		return -1;
	}
	if ((fd = open(c->token_file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		*cause = xasprintf(_("cannot read token file %s: %s"), c->token_file, strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0) {
		*cause = xasprintf(_("cannot read token file %s: %s"), c->token_file, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	if ((size_t)n > MAX_TOKEN) {
		*cause = xasprintf(_("token file %s is too long to be a token"), c->token_file);
		return -1;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	t = trim(buf);
	if (*t == '\0') {
		*cause = xasprintf(_("token file %s is empty"), c->token_file);
		return -1;
	}
	c->token = xstrdup(t);
	explicit_bzero(buf, sizeof buf);
	return 0;
}

int
config_mkdirs(const char *dir)
{
	char *p = xstrdup(dir), *s;
	int rc = 0;

	for (s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

int
config_write_secret_file(const char *path, const char *token, char **cause)
{
	char *tmp, *dir, *slash;
	int fd, rc = -1;
	size_t n;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		config_mkdirs(dir);
	}
	free(dir);
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1) {
		*cause = xasprintf(_("cannot write %s: %s"), tmp, strerror(errno));
		goto out;
	}
	n = strlen(token);
	if (write(fd, token, n) != (ssize_t)n || write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
		*cause = xasprintf(_("cannot write %s: %s"), tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		*cause = xasprintf(_("cannot rename %s to %s: %s"), tmp, path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	return rc;
}

char *
config_get_text(const struct config *c, const char *name)
{
	const struct config_option *o = option_find(name);
	const void *field;

	if (o == NULL)
		return NULL;
	field = option_field((struct config *)c, name);
	switch (o->type) {
	case CONFIG_STRING:
	case CONFIG_PATH:
		return xstrdup(*(char *const *)field != NULL ? *(char *const *)field : "");
	case CONFIG_BOOL:
		return xstrdup(*(const int *)field ? "yes" : "no");
	case CONFIG_INT:
		return xasprintf("%d", *(const int *)field);
	}
	return NULL;
}

void
config_done(struct config *c)
{
	free(c->file);
	free(c->profile);
	free(c->url);
	free(c->backend);
	free(c->auth);
	free(c->user);
	free(c->role);
	free(c->stock_location);
	free(c->token_file);
	free(c->ca_file);
	free(c->cache);
	free(c->history);
	free(c->csv_header_lang);
	free(c->print_command);
	free(c->timezone);
	if (c->token != NULL) {
		explicit_bzero(c->token, strlen(c->token));
		free(c->token);
	}
	memset(c, 0, sizeof *c);
}
