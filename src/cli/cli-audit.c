/*
 * cli-audit.c -- "audit": what was done and shown through this profile;
 * "purge": remove the profile's cached personal data.
 */
#include "config.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "cli/cli.h"
#include "cli/cli-format.h"
#include "outbox.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/* One line of the audit: an action or a reveal. */
struct audit_row {
	char		*at;
	char		*user;
	char		*event;		/* action name, or "reveal" */
	char		*kind;
	char		*id;
	char		*summary;
	long long	 base_version;	/* -1: none */
	long long	 version;	/* -1: none */
	char		*outcome;	/* NULL for a reveal */
	char		*settled_at;
	int64_t		 entry;		/* outbox number, 0 for a reveal */
};

struct audit_rows {
	struct audit_row *v;
	size_t		 n, cap;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static struct audit_row *
audit_row_new(struct audit_rows *rows)
{
	if (rows->n == rows->cap) {
		rows->cap = rows->cap == 0 ? 64 : rows->cap * 2;
		rows->v = xrealloc(rows->v, rows->cap * sizeof *rows->v);
	}
	memset(&rows->v[rows->n], 0, sizeof rows->v[0]);
	rows->v[rows->n].base_version = rows->v[rows->n].version = -1;
	return &rows->v[rows->n++];
}

static int
on_action(void *arg, const struct outbox_record *r)
{
	struct audit_row *a = audit_row_new(arg);

	a->at = dup_or_null(r->done_at);
	a->user = dup_or_null(r->actor);
	a->event = dup_or_null(r->action);
	a->kind = xstrdup(kind_info(r->kind)->name);
	a->id = dup_or_null(r->object_id);
	a->summary = dup_or_null(r->summary);
	a->base_version = r->base_version;
	a->version = r->version;
	a->outcome = dup_or_null(r->outcome);
	a->settled_at = dup_or_null(r->settled_at);
	a->entry = r->id;
	return 0;
}

static int
on_reveal(void *arg, const struct audit_reveal_rec *r)
{
	struct audit_row *a = audit_row_new(arg);

	a->at = xstrdup(r->at);
	a->user = xstrdup(r->user);
	a->event = xstrdup("reveal");
	a->kind = xstrdup(r->kind);
	a->id = xstrdup(r->id);
	return 0;
}

/* By time, then actions by their number; a stable order for equal times. */
static int
audit_row_cmp(const void *x, const void *y)
{
	const struct audit_row *a = x, *b = y;
	int c = strcmp(a->at != NULL ? a->at : "", b->at != NULL ? b->at : "");

	if (c != 0)
		return c;
	return (a->entry > b->entry) - (a->entry < b->entry);
}

static void
json_str_or_null(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_add_json_string(b, s);
	else
		buf_adds(b, "null");
}

static void
print_json(const struct audit_rows *rows)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	buf_adds(&b, "[");
	for (i = 0; i < rows->n; i++) {
		const struct audit_row *a = &rows->v[i];

		buf_adds(&b, i > 0 ? ",\n{\"at\":" : "\n{\"at\":");
		json_str_or_null(&b, a->at);
		buf_adds(&b, ",\"user\":");
		json_str_or_null(&b, a->user);
		buf_adds(&b, ",\"event\":");
		json_str_or_null(&b, a->event);
		buf_adds(&b, ",\"kind\":");
		json_str_or_null(&b, a->kind);
		buf_adds(&b, ",\"id\":");
		json_str_or_null(&b, a->id);
		if (a->outcome != NULL) {
			buf_adds(&b, ",\"summary\":");
			json_str_or_null(&b, a->summary);
			buf_addf(&b, ",\"outbox\":%lld", (long long)a->entry);
			if (a->base_version >= 0)
				buf_addf(&b, ",\"base_version\":%lld", a->base_version);
			else
				buf_adds(&b, ",\"base_version\":null");
			if (a->version >= 0)
				buf_addf(&b, ",\"version\":%lld", a->version);
			else
				buf_adds(&b, ",\"version\":null");
			buf_adds(&b, ",\"outcome\":");
			json_str_or_null(&b, a->outcome);
			buf_adds(&b, ",\"settled_at\":");
			json_str_or_null(&b, a->settled_at);
		}
		buf_adds(&b, "}");
	}
	buf_adds(&b, rows->n > 0 ? "\n]\n" : "]\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_done(&b);
}

static void
print_table(const struct audit_rows *rows)
{
	struct buf what;
	size_t i;
	char *s, *obj;

	static const int w[] = { -20, -10, -8, -20, 0 };
	static const char *const h[] = { N_("TIME"), N_("USER"), N_("EVENT"), N_("OBJECT"),
		N_("DETAIL") };

	cli_print_header(stdout, "  ", w, h, 5);
	buf_init(&what);
	for (i = 0; i < rows->n; i++) {
		const struct audit_row *a = &rows->v[i];

		buf_reset(&what);
		if (a->outcome == NULL)
			buf_adds(&what, "shown unmasked");
		else {
			if (a->base_version >= 0 && a->version >= 0)
				buf_addf(&what, "v%lld→v%lld ", a->base_version, a->version);
			else if (a->base_version >= 0)
				buf_addf(&what, "on v%lld ", a->base_version);
			buf_addf(&what, "%s", a->outcome);
			if (a->settled_at != NULL)
				buf_addf(&what, " %s", a->settled_at);
			buf_addf(&what, " (#%lld)", (long long)a->entry);
			if (a->summary != NULL)
				buf_addf(&what, ": %s", a->summary);
		}
		s = text_sanitize(buf_str(&what), 0);
		obj = xasprintf("%s %s", a->kind, a->id != NULL ? a->id : "(new)");
		printf("%-20s  %-10s  %-8s  %-20s  %s\n", a->at != NULL ? a->at : "?",
		    a->user != NULL ? a->user : "?", a->event != NULL ? a->event : "?", obj, s);
		free(obj);
		free(s);
	}
	buf_done(&what);
}

static void
audit_rows_done(struct audit_rows *rows)
{
	size_t i;

	for (i = 0; i < rows->n; i++) {
		free(rows->v[i].at);
		free(rows->v[i].user);
		free(rows->v[i].event);
		free(rows->v[i].kind);
		free(rows->v[i].id);
		free(rows->v[i].summary);
		free(rows->v[i].outcome);
		free(rows->v[i].settled_at);
	}
	free(rows->v);
}

const struct cli_option cli_opts_audit[] = {
	{ "since", required_argument, 's', 0, "DATE", NULL,
	  N_("only what was done or shown from DATE (YYYY-MM-DD, RFC 3339, today, -Nd)") },
	{ "actions", no_argument, 'a', 0, NULL, NULL, N_("only the actions") },
	{ "reveals", no_argument, 'r', 0, NULL, NULL, N_("only the reveals") },
	{ "format", required_argument, 'f', 0, "table|json", "|table|json",
	  N_("output format (default table)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_audit(struct cli *cli, int argc, char **argv)
{
	struct audit_rows rows;
	enum sd_status st = SD_OK;
	char since[RFC3339_LEN], *cause = NULL;
	const char *sincep = NULL;
	time_t t;
	int ch, json = 0, actions = 1, reveals = 1;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", cli_longopts(cli_opts_audit), NULL)) != -1) {
		switch (ch) {
		case 's':
			if (time_parse_user(optarg, time(NULL), &t) != 0) {
				cli_error("audit", _("bad date '%s' for --since (use YYYY-MM-DD, an "
				    "RFC 3339 time, today, yesterday or -Nd)"), cli_clip(optarg));
				return SD_EUSAGE;
			}
			time_format_rfc3339(t, since);
			sincep = since;
			break;
		case 'a': reveals = 0; actions = 1; break;
		case 'r': actions = 0; reveals = 1; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "table") == 0)
				json = 0;
			else {
				cli_error("audit", _("unknown format '%s' (table or json)"),
				    cli_clip(optarg));
				return SD_EUSAGE;
			}
			break;
		default:
			fprintf(stderr, _("usage: shopdesk audit [--since DATE] [--actions|--reveals]"
			    " [--format table|json]\n"));
			return SD_EUSAGE;
		}
	}
	if (optind < argc) {
		cli_error("audit", _("unexpected argument '%s'"), cli_clip(argv[optind]));
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK)
		return st;
	memset(&rows, 0, sizeof rows);
	if (actions && outbox_history(cli->cache, sincep, on_action, &rows, &cause) != 0) {
		cli_error("audit", "%s", cause);
		st = SD_ECACHE;
	} else if (reveals && audit_reveals(cli->conf.profile, sincep, on_reveal, &rows,
	    &cause) != 0) {
		cli_error("audit", "%s", cause);
		st = SD_EFAIL;
	}
	free(cause);
	if (st == SD_OK) {
		if (rows.n > 1)
			qsort(rows.v, rows.n, sizeof rows.v[0], audit_row_cmp);
		if (json)
			print_json(&rows);
		else
			print_table(&rows);
	}
	audit_rows_done(&rows);
	return st;
}

/* --- purge ---------------------------------------------------------------- */

/* Size of path in bytes, -1 when it does not exist. */
static long long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static void
say_size(long long n)
{
	if (n >= 10LL << 20)
		printf(_("%lld MB"), n >> 20);
	else if (n >= 10LL << 10)
		printf(_("%lld kB"), n >> 10);
	else
		printf(_("%lld bytes"), n);
}

const struct cli_option cli_opts_purge[] = {
	{ "yes", no_argument, 'y', 0, NULL, NULL, N_("remove the files (without it: say what "
	  "would be removed)") },
	{ "force", no_argument, 'F', 0, NULL, NULL, N_("remove even with actions still in the "
	  "outbox (they are lost)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_purge(struct cli *cli, int argc, char **argv)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal", ".lock" };
	struct cache *c;
	enum sd_status st;
	char *path, *cause = NULL, *lockpath, *audit;
	long long size;
	long pending = 0, n, counts[OUTBOX__COUNT];
	size_t i;
	int ch, yes = 0, force = 0, k, lockfd, any = 0;

	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", cli_longopts(cli_opts_purge), NULL)) != -1) {
		switch (ch) {
		case 'y': yes = 1; break;
		case 'F': force = 1; break;
		default:
			fprintf(stderr, _("usage: shopdesk purge [--yes] [--force]\n"));
			return SD_EUSAGE;
		}
	}
	if (optind < argc) {
		cli_error("purge", _("unexpected argument '%s'"), cli_clip(argv[optind]));
		return SD_EUSAGE;
	}
	if ((st = cli_need_config(cli)) != SD_OK)
		return st;

	/* No sync may run meanwhile: hold the sync lock until the files are gone. */
	lockpath = xasprintf("%s.lock", cli->conf.cache);
	lockfd = open(lockpath, O_RDWR | O_CLOEXEC);
	free(lockpath);
	if (lockfd != -1 && flock(lockfd, LOCK_EX | LOCK_NB) != 0) {
		cli_error("purge", _("a sync of this cache is running; stop it (and any "
		    "console on profile %s) first"), cli->conf.profile);
		close(lockfd);
		return SD_EREFUSED;
	}

	printf(_("profile %s:\n"), cli->conf.profile);
	if (file_size(cli->conf.cache) >= 0) {
		if ((c = cache_open(cli->conf.cache, &cause)) == NULL) {
			cli_error("purge", "%s", cause);
			free(cause);
			if (lockfd != -1)
				close(lockfd);
			return SD_ECACHE;
		}
		if (outbox_counts(c, counts, &cause) != 0) {
			cli_error("purge", "%s", cause);
			free(cause);
			cache_close(&c);
			if (lockfd != -1)
				close(lockfd);
			return SD_ECACHE;
		}
		for (k = 0; k < OUTBOX__COUNT; k++)
			pending += counts[k];
		printf(_("  cache %s holds"), cli->conf.cache);
		for (k = 0; k < KIND__COUNT; k++) {
			if ((n = cache_count(c, (enum sd_kind)k)) > 0)
				printf("%s %ld %s", any++ ? "," : "", n, n == 1 ?
				    kind_info((enum sd_kind)k)->name : kind_info((enum sd_kind)k)->path);
		}
		printf("%s\n", any ? "" : " nothing");
		cache_close(&c);
	}
	if (pending > 0 && !force) {
		cli_error("purge", _("%ld action%s in the outbox %s not been applied: send %s "
		    "with 'shopdesk sync' (or give %s up with 'shopdesk outbox drop ID'), or "
		    "purge --force to lose %s too"), pending, pending == 1 ? "" : "s",
		    pending == 1 ? "has" : "have", pending == 1 ? "it" : "them",
		    pending == 1 ? "it" : "them", pending == 1 ? "it" : "them");
		if (lockfd != -1)
			close(lockfd);
		return SD_EREFUSED;
	}
	if (!yes)
		printf(_("would remove:\n"));
	else
		printf(_("removed:\n"));
	any = 0;
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		path = xasprintf("%s%s", cli->conf.cache, suffixes[i]);
		if ((size = file_size(path)) >= 0) {
			if (yes && unlink(path) != 0 && errno != ENOENT) {
				cli_error("purge", _("cannot remove %s: %s"), path, strerror(errno));
				free(path);
				if (lockfd != -1)
					close(lockfd);
				return SD_EFAIL;
			}
			printf("  %s (", path);
			say_size(size);
			printf(")\n");
			any = 1;
		}
		free(path);
	}
	if (cli->conf.history != NULL && (size = file_size(cli->conf.history)) >= 0) {
		if (yes && unlink(cli->conf.history) != 0 && errno != ENOENT) {
			cli_error("purge", _("cannot remove %s: %s"), cli->conf.history, strerror(errno));
			if (lockfd != -1)
				close(lockfd);
			return SD_EFAIL;
		}
		printf(_("  %s (command history, "), cli->conf.history);
		say_size(size);
		printf(")\n");
		any = 1;
	}
	if (!any)
		printf(_("  nothing: no cache or history for this profile\n"));
	audit = audit_path();
	if (any && file_size(cli->conf.cache) >= 0)
		printf(_("the history of actions done through this cache goes with it (the "
		    "store keeps its own record of each applied action)\n"));
	printf(_("kept: the token file, the configuration and the trail of reveals %s (ids "
	    "and times, no personal data)\n"), audit);
	free(audit);
	if (!yes && any)
		printf(_("run 'shopdesk --profile %s purge --yes' to remove them\n"),
		    cli->conf.profile);
	if (lockfd != -1)
		close(lockfd);
	return SD_OK;
}
