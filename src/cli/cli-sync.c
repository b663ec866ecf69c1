/*
 * cli-sync.c -- "shopdesk sync" and "shopdesk status".
 *
 * On a terminal sync draws a progress bar on stderr; piped, it prints one
 * machine-readable summary line (or JSON with --format json). A failure is
 * one line saying what failed and what the cache now holds.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "caps.h"
#include "clock.h"
#include "cli/cli.h"
#include "cli/cli-format.h"
#include "follow.h"
#include "sync.h"
#include "ui/i18n.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

struct bar {
	int		 tty;
	int		 drawn;
};

static void
on_progress(void *arg, const struct sync_progress *p)
{
	struct bar *bar = arg;
	char cells[41];
	double rate;
	int i, fill;

	if (!bar->tty)
		return;
	if (p->indexing) {
		fputs("\r\033[K", stderr);
		fprintf(stderr, _("building indexes for %ld objects: %s (%d of %d), %llu s"),
		    p->changes, i18n_bulk_step(p->indexing), p->indexing, p->nsteps,
		    (unsigned long long)(p->elapsed_ms / 1000));
		bar->drawn = 1;
		return;
	}
	fill = p->fraction >= 0 ? (int)(p->fraction * 40) : 0;
	for (i = 0; i < 40; i++)
		cells[i] = i < fill ? '#' : '.';
	cells[40] = '\0';
	rate = p->elapsed_ms > 0 ? p->changes * 1000.0 / (double)p->elapsed_ms : 0;
	fputs("\r\033[K", stderr);
	if (p->fraction >= 0)
		fprintf(stderr, _("syncing [%s] %3d%%  %ld changes  %.1f MB  %.0f/s"), cells,
		    (int)(p->fraction * 100), p->changes, p->bytes / 1e6, rate);
	else
		fprintf(stderr, _("syncing  %ld changes  %.1f MB  %.0f/s"), p->changes,
		    p->bytes / 1e6, rate);
	bar->drawn = 1;
}

static void
print_summary(FILE *f, int format, int human, const struct sync_stats *s)
{
	struct rusage ru;
	struct buf b;
	int k, first = 1;

	buf_init(&b);
	getrusage(RUSAGE_SELF, &ru);
	if (format == FORMAT_JSON) {
		fprintf(f, "{\"ok\":%s,\"max_rss_kb\":%ld,\"applied\":%u,\"conflicts\":%u,"
		    "\"failed\":%u,\"deferred\":%u,\"unsent\":%u,", s->unsent != 0 ? "false" : "true",
		    ru.ru_maxrss, s->applied, s->conflicts, s->failed, s->deferred, s->unsent);
		fprintf(f, "\"changes\":%ld,\"deleted\":%ld,\"requests\":%u,"
		    "\"bytes\":%llu,\"wire_bytes\":%llu,\"seconds\":%.3f,\"cursor\":\"%s\","
		    "\"kinds\":{", s->changes, s->deleted, s->requests,
		    (unsigned long long)s->bytes, (unsigned long long)s->wire_bytes,
		    s->elapsed_ms / 1000.0, s->cursor);
		for (k = 0; k < KIND__COUNT; k++)
			if (s->per_kind[k] != 0) {
				fprintf(f, "%s\"%s\":%ld", first ? "" : ",",
				    kind_info((enum sd_kind)k)->name, s->per_kind[k]);
				first = 0;
			}
		fprintf(f, "}}\n");
	} else if (human) {
		for (k = 0; k < KIND__COUNT; k++)
			if (s->per_kind[k] != 0)
				buf_addf(&b, "%s%ld %s", b.len ? ", " : " (", s->per_kind[k],
				    kind_info((enum sd_kind)k)->path);
		if (b.len)
			buf_addc(&b, ')');
		if (s->applied + s->conflicts + s->failed + s->deferred != 0)
			fprintf(f, _("pushed: %u applied, %u conflicts, %u refused, %u still queued%s\n"),
			    s->applied, s->conflicts, s->failed, s->deferred,
			    s->conflicts + s->failed != 0 ? _(" (see 'shopdesk outbox list')") : "");
		if (s->changes == 0)
			fprintf(f, _("up to date (%u request, %.2f s)\n"), s->requests,
			    s->elapsed_ms / 1000.0);
		else
			fprintf(f, _("synced %ld changes%s in %.2f s, %u requests, %.1f MB "
			    "(%.1f MB on the wire)\n"), s->changes, buf_str(&b),
			    s->elapsed_ms / 1000.0, s->requests, s->bytes / 1e6,
			    s->wire_bytes / 1e6);
	} else {
		/* Not "ok" while failures kept actions from the store. */
		if (s->unsent != 0)
			fprintf(f, "sync incomplete unsent=%u ", s->unsent);
		else
			fputs("sync ok ", f);
		fprintf(f, "applied=%u conflicts=%u failed=%u deferred=%u changes=%ld "
		    "deleted=%ld requests=%u bytes=%llu wire_bytes=%llu seconds=%.3f "
		    "cursor=%s", s->applied, s->conflicts, s->failed, s->deferred,
		    s->changes, s->deleted, s->requests, (unsigned long long)s->bytes,
		    (unsigned long long)s->wire_bytes, s->elapsed_ms / 1000.0, s->cursor);
		for (k = 0; k < KIND__COUNT; k++)
			if (s->per_kind[k] != 0)
				fprintf(f, " %s=%ld", kind_info((enum sd_kind)k)->path, s->per_kind[k]);
		fputc('\n', f);
	}
	buf_done(&b);
}

/* "HH:MM:SS " in local time. */
static void
stamp(char *out, size_t n)
{
	time_format_local(time(NULL), "%H:%M:%S", out, n);
}

/* What --follow prints of each round (all but "following" and "stopped"). */
static int
follow_on_round(void *arg, const struct follow_round *r)
{
	const struct sync_stats *s = r->stats;
	int quiet = *(int *)arg, k;
	char ts[16];

	/* Trying again would not help: the caller says why and exits. */
	if (r->status == SD_EAUTH || r->status == SD_ECACHE || r->status == SD_ECONFIG)
		return 1;
	if (quiet)
		return 0;
	stamp(ts, sizeof ts);
	if (r->status != SD_OK) {
		printf("%s offline: %s; retrying in %d s\n", ts, r->cause, r->pause);
		fflush(stdout);
		return 0;
	}
	if (r->recovered)
		printf("%s online again\n", ts);
	if (s->changes != 0 || s->applied + s->conflicts + s->failed != 0) {
		printf("%s", ts);
		if (s->applied + s->conflicts + s->failed != 0)
			printf(" pushed applied=%u conflicts=%u failed=%u", s->applied,
			    s->conflicts, s->failed);
		if (s->changes != 0) {
			printf(" pulled changes=%ld", s->changes);
			for (k = 0; k < KIND__COUNT; k++)
				if (s->per_kind[k] != 0)
					printf(" %s=%ld", kind_info((enum sd_kind)k)->path,
					    s->per_kind[k]);
		}
		putchar('\n');
	}
	fflush(stdout);
	return 0;
}

/*
 * sync --follow: the core's follow loop (follow.h) until interrupted,
 * reconnecting by itself with a growing pause while the store is
 * unreachable. A change on the store lands in the cache as soon as the long
 * poll returns it; actions queued by another shopdesk on this cache are
 * pushed within FOLLOW_WAIT s.
 */
static enum sd_status
sync_follow(struct cli *cli, int quiet)
{
	struct follow_opts fo;
	struct follow *f;
	enum sd_status st;
	char *cause = NULL, ts[16];

	memset(&fo, 0, sizeof fo);
	fo.wait = FOLLOW_WAIT;
	fo.page_size = cli->conf.page_size;
	fo.round = follow_on_round;
	fo.arg = &quiet;
	if (!quiet) {
		stamp(ts, sizeof ts);
		printf("%s following %s (Ctrl-C to stop)\n", ts, cli->conf.url);
		fflush(stdout);
	}
	f = follow_new(&fo);
	st = follow_run(f, cli->cache, cli->backend, &cause);
	follow_free(&f);
	if (st != SD_OK) {
		cli_error("sync", "%s", cause);
		free(cause);
		return st;
	}
	if (!quiet) {
		stamp(ts, sizeof ts);
		printf("%s stopped\n", ts);
		fflush(stdout);
	}
	return SD_OK;
}

static enum sd_status sync_locked(struct cli *, struct sync_opts *, int, int, int, int);

/*
 * One sync of a cache at a time: two at once would both fetch the same
 * pages (on a first sync, the whole feed) and race to store them. The lock
 * is flock() on PATH.lock beside the cache, which the kernel releases when
 * the process ends however it ends; a second sync waits for the first and
 * then fetches only what came after it. *fd is -1 when the lock file cannot
 * be made (a read-only directory): the sync goes on, as SQLite still keeps
 * the cache consistent. SD_EINTR when interrupted while waiting.
 */
static enum sd_status
sync_lock(struct cli *cli, int quiet, int *fd)
{
	char *path = xasprintf("%s.lock", cli->conf.cache), pid[32];
	ssize_t n;

	if ((*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		free(path);
		return SD_OK;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		n = pread(*fd, pid, sizeof pid - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		if (!quiet)
			fprintf(stderr, _("shopdesk: sync: another sync of this cache is running%s%s%s;"
			    " waiting for it to finish\n"), pid[0] != '\0' ? " (pid " : "", pid,
			    pid[0] != '\0' ? ")" : "");
		while (flock(*fd, LOCK_EX) != 0) {
			if (errno != EINTR || backend_interrupted()) {
				close(*fd);
				*fd = -1;
				free(path);
				return SD_EINTR;
			}
		}
	}
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(*fd, 0) != 0 || pwrite(*fd, pid, (size_t)n, 0) != n) {
		/* Not fatal: the pid is only for the message above. */
	}
	free(path);
	return SD_OK;
}

const struct cli_option cli_opts_sync[] = {
	{ "full", no_argument, 'F', 0, NULL, NULL, N_("pull everything again, not only the changes") },
	{ "quiet", no_argument, 'q', 'q', NULL, NULL, N_("print nothing but errors") },
	{ "format", required_argument, 'f', 0, "text|json", "|text|json",
	  N_("output format (default text)") },
	{ "follow", no_argument, 'w', 0, NULL, NULL, N_("keep syncing as changes come, until interrupted") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_sync(struct cli *cli, int argc, char **argv)
{
	const struct option *longopts = cli_longopts(cli_opts_sync);
	struct sync_opts o;
	enum sd_status st;
	int ch, format = FORMAT_TABLE, quiet = 0, follow = 0, lock;

	memset(&o, 0, sizeof o);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F': o.full = 1; break;
		case 'q': quiet = 1; break;
		case 'w': follow = 1; break;
		case 'f':
			if ((format = cli_parse_format(optarg)) == -1 || format == FORMAT_CSV) {
				cli_error("sync", _("unknown format '%s' (text or json)"), cli_clip(optarg));
				return SD_EUSAGE;
			}
			break;
		default:
			fprintf(stderr, _("usage: shopdesk sync [--full] [--follow] [--quiet] [--format text|json]\n"));
			return SD_EUSAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, _("usage: shopdesk sync [--full] [--follow] [--quiet] [--format text|json]\n"));
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK || (st = cli_need_backend(cli)) != SD_OK)
		return st;
	if ((st = sync_lock(cli, quiet, &lock)) != SD_OK) {
		cli_error("sync", _("interrupted while waiting for the other sync"));
		return st;
	}
	st = sync_locked(cli, &o, format, quiet, follow, lock);
	if (lock != -1)
		close(lock);
	return st;
}

/* The sync itself, holding the lock (closed before following). */
static enum sd_status
sync_locked(struct cli *cli, struct sync_opts *oo, int format, int quiet, int follow,
    int lock)
{
	struct sync_opts o = *oo;
	struct sync_stats stats;
	struct bar bar;
	enum sd_status st;
	char *cause = NULL, *url;
	int unbound;

	/*
	 * One cache mirrors one store: refuse to mix two. A cache is bound to
	 * its store once that store has answered (below), so that a first
	 * sync against a mistyped URL binds nothing.
	 */
	url = cache_state_get(cli->cache, SYNC_URL_KEY);
	if (url != NULL && strcmp(url, cli->conf.url) != 0) {
		cli_error("sync", _("the cache %s mirrors %s, not %s; use another profile or --cache"),
		    cli->conf.cache, url, cli->conf.url);
		free(url);
		return SD_ECONFIG;
	}
	unbound = url == NULL;
	free(url);

	bar.tty = !quiet && isatty(STDERR_FILENO);
	bar.drawn = 0;
	o.page_size = cli->conf.page_size;
	o.push_now = 1;		/* a person asked: do not wait for retry times */
	o.progress = on_progress;
	o.arg = &bar;

	if (o.full || unbound || caps_stale(cli->cache, cli->backend->ops->name,
	    cli->backend->ops->actions) || (url = cache_state_get(cli->cache, "me.id")) == NULL) {
		st = sync_whoami(cli->cache, cli->backend, &cause);
		/*
		 * The store has just said its zone: what this process prints
		 * next (--demo's command after its first sync) follows it.
		 */
		if (st == SD_OK) {
			char *why = NULL;

			if (clock_apply(cli->cache, cli->conf.timezone, &why) != 0)
				free(why);
		}
	} else {
		free(url);
		st = SD_OK;
	}
	if (st == SD_OK && unbound &&
	    cache_state_set(cli->cache, SYNC_URL_KEY, cli->conf.url, &cause) != 0)
		st = SD_ECACHE;
	if (st == SD_OK)
		st = sync_run(cli->cache, cli->backend, &o, &stats, &cause);
	else
		memset(&stats, 0, sizeof stats);
	if (bar.drawn)
		fputs("\r\033[K", stderr);
	if (st != SD_OK) {
		char *last = cache_state_get(cli->cache, SYNC_LAST_KEY);
		struct buf when;

		buf_init(&when);
		if (last != NULL && cli_format_time(last, &when) != 0)
			text_sanitize_buf(last, 0, &when);
		if (stats.changes > 0)
			cli_error("sync", _("%s (%ld changes were saved before it; run sync again to "
			    "resume)"), cause, stats.changes);
		else
			cli_error("sync", _("%s (the cache is unchanged%s%s)"), cause,
			    last != NULL ? _(", last synced ") : _(", never synced"), buf_str(&when));
		buf_done(&when);
		free(last);
		free(cause);
		return st;
	}
	if (!quiet || format == FORMAT_JSON)
		print_summary(stdout, format, isatty(STDOUT_FILENO), &stats);
	if (follow) {
		/* Following long-polls for as long as it runs: others may sync. */
		if (lock != -1)
			flock(lock, LOCK_UN);
		return sync_follow(cli, quiet);
	}
	if (stats.unsent != 0) {
		/* Everything that could be sent was; what failed must not look done. */
		fflush(stdout);
		cli_error("sync", _("%u action%s not sent: %s; %s queued, run sync again "
		    "(see 'shopdesk outbox list')"), stats.unsent, stats.unsent == 1 ? "" : "s",
		    stats.why[0] != '\0' ? stats.why : _("the store failed"),
		    stats.unsent == 1 ? _("it stays") : _("they stay"));
		return SD_EQUEUED;
	}
	return SD_OK;
}

/*
 * What the store behind the cache does not offer (caps.h), for status: the
 * kinds (by name, or by path for people) and the actions ("chats.accept"),
 * each into its buffer, separated by sep; the number of actions into *n.
 */
static void
status_not_offered(struct cache *c, int json, struct buf *kinds, struct buf *actions,
    int *n, int *total)
{
	const struct action_def *d;
	const char *name;
	int k;

	*n = *total = 0;
	for (k = 0; k < KIND__COUNT; k++) {
		if (caps_kind_offered(c, (enum sd_kind)k))
			continue;
		name = json ? kind_info((enum sd_kind)k)->name : kind_info((enum sd_kind)k)->path;
		if (json) {
			buf_adds(kinds, kinds->len ? "," : "");
			buf_add_json_string(kinds, name);
		} else
			buf_addf(kinds, "%s%s", kinds->len ? ", " : "", name);
	}
	for (d = action_table; d->name != NULL; d++) {
		(*total)++;
		if (caps_kind_offered(c, d->kind) && caps_action_offered(c, d->noun, d->name))
			continue;
		(*n)++;
		if (json) {
			buf_adds(actions, actions->len ? ",\"" : "\"");
			buf_addf(actions, "%s.%s\"", d->noun, d->name);
		}
	}
}

const struct cli_option cli_opts_status[] = {
	{ "format", required_argument, 'f', 0, "text|json", "|text|json",
	  N_("output format (default text)") },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

enum sd_status
cli_cmd_status(struct cli *cli, int argc, char **argv)
{
	enum sd_status st;
	char *last, *cursor, *who, *role, *backend;
	struct buf kinds, actions;
	int k, json = 0, nact, total, ch, format;

	optind = 0;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, "", cli_longopts(cli_opts_status), NULL)) != -1) {
		if (ch != 'f') {
			fprintf(stderr, _("usage: shopdesk status [--format text|json]\n"));
			return SD_EUSAGE;
		}
		if ((format = cli_parse_format(optarg)) == -1 || format == FORMAT_CSV) {
			cli_error("status", _("unknown format '%s' (text or json)"), cli_clip(optarg));
			return SD_EUSAGE;
		}
		json = format == FORMAT_JSON;
	}
	if (optind != argc) {
		fprintf(stderr, _("usage: shopdesk status [--format text|json]\n"));
		return SD_EUSAGE;
	}
	if ((st = cli_need_cache(cli)) != SD_OK)
		return st;
	last = cache_state_get(cli->cache, SYNC_LAST_KEY);
	cursor = cache_state_get(cli->cache, SYNC_CURSOR_KEY);
	who = cache_state_get(cli->cache, "me.login");
	role = cache_state_get(cli->cache, "me.role");
	/* The store's backend and what it lacks, once a sync has recorded them. */
	backend = cache_state_get(cli->cache, CAPS_BACKEND_KEY);
	buf_init(&kinds);
	buf_init(&actions);
	status_not_offered(cli->cache, json, &kinds, &actions, &nact, &total);
	if (json) {
		struct buf b;

		buf_init(&b);
		buf_adds(&b, "{\"profile\":");
		buf_add_json_string(&b, cli->conf.profile);
		buf_adds(&b, ",\"store\":");
		if (cli->conf.url != NULL)
			buf_add_json_string(&b, cli->conf.url);
		else
			buf_adds(&b, "null");
		buf_adds(&b, ",\"cache\":");
		buf_add_json_string(&b, cli->conf.cache);
		buf_adds(&b, ",\"last_sync\":");
		if (last != NULL)
			buf_add_json_string(&b, last);
		else
			buf_adds(&b, "null");
		if (backend != NULL) {
			buf_adds(&b, ",\"backend\":");
			buf_add_json_string(&b, backend);
			buf_addf(&b, ",\"not_offered\":{\"kinds\":[%s],\"actions\":[%s]}",
			    buf_str(&kinds), buf_str(&actions));
		}
		buf_adds(&b, ",\"counts\":{");
		for (k = 0; k < KIND__COUNT; k++)
			buf_addf(&b, "%s\"%s\":%ld", k ? "," : "", kind_info((enum sd_kind)k)->name,
			    cache_count(cli->cache, (enum sd_kind)k));
		printf("%s}}\n", buf_str(&b));
		buf_done(&b);
	} else {
		struct buf b, ago;
		time_t t;

		buf_init(&b);
		printf(_("profile   %s (%s%s%s)\nstore     %s\n"), cli->conf.profile,
		    who != NULL ? who : _("user unknown"), role ? ", " : "", role ? role : "",
		    cli->conf.url != NULL ? cli->conf.url : _("none configured (see 'shopdesk sync',"
		    " or try 'shopdesk --demo')"));
		if (backend != NULL)
			printf(_("backend   %s\n"), backend);
		if (last == NULL)
			buf_adds(&b, _("never (run 'shopdesk sync')"));
		else if (cli_format_time(last, &b) == 0 && time_parse_rfc3339(last, &t) == 0 &&
		    time(NULL) >= t) {
			/* In the store's zone, and how long ago. */
			buf_init(&ago);
			columns_format_duration((long long)(time(NULL) - t), &ago);
			buf_addf(&b, _(" (%s ago)"), buf_str(&ago));
			buf_done(&ago);
		} else if (b.len == 0)
			text_sanitize_buf(last, 0, &b);
		printf(_("cache     %s\nlast sync %s\n"), cli->conf.cache, buf_str(&b));
		buf_done(&b);
		if (kinds.len != 0 || nact != 0) {
			printf("%s: %s", CAPS_NOT_OFFERED, buf_str(&kinds));
			if (nact != 0)
				printf(_("%s%d of %d actions (--format json lists them)"),
				    kinds.len != 0 ? "; " : "", nact, total);
			putchar('\n');
		}
		for (k = 0; k < KIND__COUNT; k++)
			if (caps_kind_offered(cli->cache, (enum sd_kind)k))
				printf("%-14s %ld\n", kind_info((enum sd_kind)k)->path,
				    cache_count(cli->cache, (enum sd_kind)k));
			else
				printf("%-14s %s\n", kind_info((enum sd_kind)k)->path, _("not offered"));
	}
	buf_done(&kinds);
	buf_done(&actions);
	free(backend);
	free(last);
	free(cursor);
	free(who);
	free(role);
	return SD_OK;
}
