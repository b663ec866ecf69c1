/*
 * sync.c -- pull sync: the change feed into the cache, page by page.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caps.h"
#include "clock.h"
#include "outbox.h"
#include "util/buf.h"
#include "util/crash.h"
#include "sync.h"
#include "util/jsonutil.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

static int
sync_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A sweep: remove the copies of every object of the page's sweep_kind that
 * is not among its live ids (sorted here). Inside the page's transaction.
 */
static int
sync_sweep(struct cache *c, const struct change_page *pg, struct sync_stats *stats,
    char **cause)
{
	sqlite3_stmt *stmt;
	char *sql, **gone = NULL;
	const char *id;
	size_t n = 0, i;
	int rc;

	qsort(pg->live, pg->nlive, sizeof *pg->live, sync_cmp_str);
	sql = xasprintf("SELECT id FROM %s", kind_info(pg->sweep_kind)->table);
	rc = sqlite3_prepare_v2(cache_db(c), sql, -1, &stmt, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cache: cannot list %s: %s", kind_info(pg->sweep_kind)->path,
		    sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		id = (const char *)sqlite3_column_text(stmt, 0);
		if (id == NULL || bsearch(&id, pg->live, pg->nlive, sizeof *pg->live,
		    sync_cmp_str) != NULL)
			continue;
		gone = xrealloc(gone, (n + 1) * sizeof *gone);
		gone[n++] = xstrdup(id);
	}
	sqlite3_finalize(stmt);
	for (i = 0; i < n; i++) {
		if (rc == SQLITE_DONE && outbox_forget(c, pg->sweep_kind, gone[i], cause) != 0)
			rc = SQLITE_ERROR;
		else if (rc == SQLITE_DONE) {
			stats->per_kind[pg->sweep_kind]++;
			stats->deleted++;
			stats->changes++;
		}
		free(gone[i]);
	}
	free(gone);
	if (rc != SQLITE_DONE && *cause == NULL)
		*cause = xasprintf("cache: cannot list %s: %s", kind_info(pg->sweep_kind)->path,
		    sqlite3_errmsg(cache_db(c)));
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * A kind with no compression dictionary yet learns one from its objects in
 * this page, if it brings enough of them, before the page is stored: the
 * dictionary is committed on its own, and the page is stored compressed.
 */
static int
sync_learn(struct cache *c, const struct change_page *pg, char **cause)
{
	const struct change *ch;
	const char **texts;
	char **printed;
	size_t *lens, i, n;
	int k, rc = 0;

	if (pg->n < CACHE_LEARN_MIN)
		return 0;
	texts = xcalloc(pg->n, sizeof *texts);
	lens = xcalloc(pg->n, sizeof *lens);
	printed = xcalloc(pg->n, sizeof *printed);
	for (k = 0; k < KIND__COUNT && rc == 0; k++) {
		for (i = n = 0; i < pg->n; i++)
			n += (int)pg->changes[i].kind == k && !pg->changes[i].deleted;
		if (n < CACHE_LEARN_MIN || !cache_learning(c, (enum sd_kind)k))
			continue;
		/* The objects as text: the store's own, or printed (a Medusa page). */
		for (i = n = 0; i < pg->n; i++) {
			ch = &pg->changes[i];
			if ((int)ch->kind != k || ch->deleted)
				continue;
			if (ch->text != NULL) {
				texts[n] = ch->text;
				lens[n++] = ch->len;
			} else if (ch->object != NULL) {
				texts[n] = printed[n] = json_print(ch->object);
				lens[n] = strlen(printed[n]);
				n++;
			}
		}
		rc = cache_learn(c, (enum sd_kind)k, texts, lens, n, cause);
		for (i = 0; i < n; i++) {
			if (printed[i] != NULL)
				cJSON_free(printed[i]);
			printed[i] = NULL;
		}
	}
	free(texts);
	free(lens);
	free(printed);
	return rc;
}

/*
 * Apply one page and its cursor in one transaction, cut where another
 * writer of this process waits (cache_yield(): a shipment scanned in the
 * console). A cut page is whole or not at all as the cursor sees it: the
 * cursor moves at the last commit, and a page applied again after a crash
 * writes the same objects.
 */
static enum sd_status
sync_apply_page(struct cache *c, const struct change_page *pg, struct cache_row *const *rows,
    struct sync_stats *stats, char **cause)
{
	char ts[RFC3339_LEN];
	size_t i;

	if (sync_learn(c, pg, cause) != 0 || cache_begin(c, cause) != 0)
		return SD_ECACHE;
	for (i = 0; i < pg->n; i++) {
		const struct change *ch = &pg->changes[i];
		int rc;

		if (ch->deleted)
			rc = outbox_forget(c, ch->kind, ch->id, cause);
		else if (rows != NULL && rows[i] != NULL)
			rc = outbox_store_row(c, ch->kind, rows[i], ch->text, ch->len, cause);
		else if (ch->text != NULL)
			rc = outbox_store_text(c, ch->kind, ch->id, ch->text, ch->len, cause);
		else
			rc = outbox_store(c, ch->kind, ch->object, cause);
		if (rc == 0 && cache_yield(c, cause) < 0)
			rc = -1;
		if (rc != 0) {
			cache_rollback(c);
			return SD_ECACHE;
		}
	}
	if (pg->sweep && sync_sweep(c, pg, stats, cause) != 0) {
		cache_rollback(c);
		return SD_ECACHE;
	}
	crash_point("sync-applied");
	time_format_rfc3339(time(NULL), ts);
	if (cache_state_set(c, SYNC_CURSOR_KEY, pg->next_cursor, cause) != 0 ||
	    cache_state_set(c, SYNC_LAST_KEY, ts, cause) != 0 ||
	    cache_commit(c, cause) != 0) {
		cache_rollback(c);
		return SD_ECACHE;
	}
	crash_point("sync-committed");
	for (i = 0; i < pg->n; i++) {
		stats->per_kind[pg->changes[i].kind]++;
		if (pg->changes[i].deleted)
			stats->deleted++;
	}
	stats->changes += (long)pg->n;
	snprintf(stats->cursor, sizeof stats->cursor, "%s", pg->next_cursor);
	return SD_OK;
}

static int
sync_cache_empty(struct cache *c)
{
	int k;

	for (k = 0; k < KIND__COUNT; k++)
		if (cache_count(c, (enum sd_kind)k) != 0)
			return 0;
	return 1;
}

/*
 * The preparer: a thread making a page's rows (cache_row_prepare(): JSON
 * parsed, columns extracted, search document built, compressed) while the
 * writer stores the page before it, so that a sync keeps both cores busy
 * and the writer only binds and steps. It reads the page and fills rows;
 * nothing else is shared but the dictionaries (cache_prep_share()).
 */
struct sync_prep {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	struct cache_prep	*cp;
	const struct change_page *pg;	/* the page to prepare */
	struct cache_row	**rows;	/* pg->n of them, NULL: stored the usual way */
	int			 busy;	/* pg given, its rows not all made */
	int			 quit;
	uint64_t		 idle_ms;	/* the preparer waiting for a page */
	uint64_t		 wait_ms;	/* the writer waiting for the preparer */
	uint64_t		 next_ms;	/* the writer in changes_next() (fetch, parse) */
};

static void *
sync_prep_main(void *arg)
{
	struct sync_prep *sp = arg;
	const struct change *ch;
	size_t i;

	uint64_t t;

	pthread_mutex_lock(&sp->lock);
	for (;;) {
		t = time_mono_ms();
		while (!sp->quit && !sp->busy)
			pthread_cond_wait(&sp->cond, &sp->lock);
		sp->idle_ms += time_mono_ms() - t;
		if (sp->quit)
			break;
		pthread_mutex_unlock(&sp->lock);
		for (i = 0; i < sp->pg->n; i++) {
			ch = &sp->pg->changes[i];
			if (!ch->deleted && ch->text != NULL)
				sp->rows[i] = cache_row_prepare(sp->cp, ch->kind, ch->text,
				    ch->len);
		}
		pthread_mutex_lock(&sp->lock);
		sp->busy = 0;
		pthread_cond_broadcast(&sp->cond);
	}
	pthread_mutex_unlock(&sp->lock);
	return NULL;
}

static void
sync_prep_start(struct sync_prep *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->cp = cache_prep_new();
	pthread_mutex_init(&sp->lock, NULL);
	pthread_cond_init(&sp->cond, NULL);
	if (pthread_create(&sp->thread, NULL, sync_prep_main, sp) != 0)
		fatal("pthread_create failed");
}

/* Have pg's rows made; the caller shares the cache's dictionaries first. */
static struct cache_row **
sync_prep_give(struct sync_prep *sp, const struct change_page *pg)
{
	struct cache_row **rows = xcalloc(pg->n != 0 ? pg->n : 1, sizeof *rows);

	pthread_mutex_lock(&sp->lock);
	sp->pg = pg;
	sp->rows = rows;
	sp->busy = 1;
	pthread_cond_broadcast(&sp->cond);
	pthread_mutex_unlock(&sp->lock);
	return rows;
}

/* Wait for the page given last to be prepared. */
static void
sync_prep_wait(struct sync_prep *sp)
{
	uint64_t t = time_mono_ms();

	pthread_mutex_lock(&sp->lock);
	while (sp->busy)
		pthread_cond_wait(&sp->cond, &sp->lock);
	pthread_mutex_unlock(&sp->lock);
	sp->wait_ms += time_mono_ms() - t;
}

static void
sync_prep_stop(struct sync_prep *sp)
{
	sync_prep_wait(sp);
	pthread_mutex_lock(&sp->lock);
	sp->quit = 1;
	pthread_cond_broadcast(&sp->cond);
	pthread_mutex_unlock(&sp->lock);
	pthread_join(sp->thread, NULL);
	pthread_mutex_destroy(&sp->lock);
	pthread_cond_destroy(&sp->cond);
	cache_prep_free(sp->cp);
}

static void
sync_rows_free(struct cache_row **rows, size_t n)
{
	size_t i;

	if (rows == NULL)
		return;
	for (i = 0; i < n; i++)
		cache_row_free(rows[i]);
	free(rows);
}

/* The next page into pg: SD_OK with *end set at the end of the stream. */
static enum sd_status
sync_next(struct backend *be, struct change_stream *stream, struct change_page *pg,
    struct sync_stats *stats, struct sync_prep *sp, int *end, char **cause)
{
	enum sd_status st;
	uint64_t t = time_mono_ms();

	*end = 1;
	st = be->ops->changes_next(stream, pg, cause);
	sp->next_ms += time_mono_ms() - t;
	if (st != SD_OK)
		return st;
	stats->requests += pg->requests;
	stats->bytes += pg->bytes;
	stats->wire_bytes += pg->wire_bytes != 0 ? pg->wire_bytes : pg->bytes;
	if (pg->next_cursor == NULL)	/* end of stream */
		change_page_done(pg);
	else
		*end = 0;
	return SD_OK;
}

/*
 * The pages' phase in the log (the benchmarks read it): wall and CPU time,
 * and how long the writer waited for the preparer and the preparer for a
 * page (the rest of the writer's time is fetching, parsing and applying).
 */
static void
sync_log_pages(const struct sync_stats *stats, uint64_t t0, const struct sync_prep *sp)
{
	log_debug("pages fetched and stored: %ld changes, %u requests, %llu ms, cpu %llu ms;"
	    " writer waited %llu ms for the preparer and spent %llu ms getting pages (waiting"
	    " for the store, parsing), preparer waited %llu ms for a page",
	    stats->changes, stats->requests, (unsigned long long)(time_mono_ms() - t0),
	    (unsigned long long)time_process_cpu_ms(), (unsigned long long)sp->wait_ms, (unsigned long long)sp->next_ms,
	    (unsigned long long)sp->idle_ms);
}

/*
 * Pages are fetched and prepared one ahead of the one being written: page
 * n + 1 is prepared while page n is applied, and page n + 2 is asked for
 * (and parsed, by a backend that parses on the caller's thread) once page
 * n is applied, page n + 1's preparation still running, so that the
 * preparer does not wait for the parse. Each is still applied whole, in
 * order, with its cursor; a failure to fetch the next one shows after
 * this one is applied, as it would have.
 */
/* What sync_bulk_step() tells: the caller's progress, from the sync's start. */
struct sync_watch {
	const struct sync_opts	*o;
	struct sync_progress	*pr;
	uint64_t		 t0;
};

/* A step of the bulk load's end (cache_bulk_watch()), told as progress. */
static void
sync_bulk_step(void *arg, int step)
{
	struct sync_watch *w = arg;

	w->pr->indexing = step;
	w->pr->nsteps = CACHE_BULK_NSTEPS;
	w->pr->elapsed_ms = time_mono_ms() - w->t0;
	w->o->progress(w->o->arg, w->pr);
}

enum sd_status
sync_pull(struct cache *c, struct backend *be, const struct sync_opts *o,
    struct sync_stats *stats, char **cause)
{
	struct change_stream *stream = NULL;
	struct change_page pg[2];
	struct cache_row **rows[2] = { NULL, NULL };
	struct sync_progress pr;
	struct sync_prep sp;
	enum sd_status st, nst = SD_OK;
	uint64_t t0 = time_mono_ms();
	char *cursor = NULL, *why = NULL, *ncause = NULL;
	int cur = 0, have = 0, end, nend = 1, more;

	memset(stats, 0, sizeof *stats);
	memset(&pr, 0, sizeof pr);
	memset(pg, 0, sizeof pg);
	if (!o->full)
		cursor = cache_state_get(c, SYNC_CURSOR_KEY);
	snprintf(stats->cursor, sizeof stats->cursor, "%s", cursor != NULL ? cursor : "0");
	if (cursor == NULL && sync_cache_empty(c)) {
		if (cache_bulk_begin(c, cause) != 0) {
			free(cursor);
			return SD_ECACHE;
		}
		stats->bulk = 1;
	}
	st = be->ops->changes_open(be, cursor, o->page_size, o->wait, &stream, cause);
	free(cursor);
	sync_prep_start(&sp);
	cache_prep_share(c, sp.cp);
	if (st == SD_OK) {
		st = sync_next(be, stream, &pg[cur], stats, &sp, &end, cause);
		if (st == SD_OK && !end) {
			rows[cur] = sync_prep_give(&sp, &pg[cur]);
			have = 1;
			/* The next page, fetched while this one is prepared. */
			if (pg[cur].has_more && !backend_interrupted())
				nst = sync_next(be, stream, &pg[!cur], stats, &sp, &nend, &ncause);
		}
	}
	while (have) {
		sync_prep_wait(&sp);
		/* The next page, prepared while this one is written. */
		if (nst == SD_OK && !nend)
			rows[!cur] = sync_prep_give(&sp, &pg[!cur]);
		crash_point("sync-page");
		st = sync_apply_page(c, &pg[cur], rows[cur], stats, cause);
		cache_prep_share(c, sp.cp);
		if (st == SD_OK && o->progress != NULL) {
			pr.changes = stats->changes;
			pr.fraction = pg[cur].has_more ? pg[cur].progress : 1.0;
			pr.requests = stats->requests;
			pr.bytes = stats->bytes;
			pr.elapsed_ms = time_mono_ms() - t0;
			o->progress(o->arg, &pr);
		}
		more = pg[cur].has_more;
		sync_rows_free(rows[cur], pg[cur].n);
		rows[cur] = NULL;
		change_page_done(&pg[cur]);
		if (st == SD_OK && nst != SD_OK) {
			st = nst;
			*cause = ncause;
			ncause = NULL;
		} else if (st == SD_OK && more && backend_interrupted()) {
			*cause = xstrdup("interrupted");
			st = SD_EINTR;
		}
		free(ncause);
		ncause = NULL;
		cur = !cur;
		if (st != SD_OK || nend)
			break;
		/* The page after the one being prepared, into the slot just freed. */
		nst = SD_OK;
		nend = 1;
		if (pg[cur].has_more && !backend_interrupted())
			nst = sync_next(be, stream, &pg[!cur], stats, &sp, &nend, &ncause);
	}
	free(ncause);
	/* A page fetched ahead and not applied (a failure, an interruption). */
	sync_prep_stop(&sp);
	if (rows[cur] != NULL) {
		sync_rows_free(rows[cur], pg[cur].n);
		change_page_done(&pg[cur]);
	}
	if (stream != NULL)
		be->ops->changes_close(stream);
	sync_log_pages(stats, t0, &sp);
	if (stats->bulk) {
		/* Each step of the end told, with the time so far. */
		struct sync_watch w = { o, &pr, t0 };

		if (o->progress != NULL)
			cache_bulk_watch(c, sync_bulk_step, &w);
		/* Even after a failure: what was loaded must be searchable. */
		if (cache_bulk_end(c, st == SD_OK ? cause : &why) != 0 && st == SD_OK)
			st = SD_ECACHE;
		cache_bulk_watch(c, NULL, NULL);
		free(why);
	}
	stats->elapsed_ms = time_mono_ms() - t0;
	return st;
}

enum sd_status
sync_run(struct cache *c, struct backend *be, const struct sync_opts *o,
    struct sync_stats *stats, char **cause)
{
	struct push_opts po;
	struct push_stats ps;
	enum sd_status st;

	memset(&po, 0, sizeof po);
	memset(&ps, 0, sizeof ps);
	po.now = o->push_now;
	st = outbox_push(c, be, &po, &ps, cause);
	if (st == SD_ENETWORK || st == SD_EAUTH || st == SD_ECACHE || st == SD_EINTR)
		memset(stats, 0, sizeof *stats);
	else {
		/* The pull decides the outcome; a push problem shows in the counts. */
		free(*cause);
		*cause = NULL;
		st = sync_pull(c, be, o, stats, cause);
	}
	stats->applied = ps.applied;
	stats->conflicts = ps.conflicts;
	stats->failed = ps.failed;
	stats->deferred = ps.deferred;
	stats->unsent = ps.unsent;
	memcpy(stats->why, ps.why, sizeof stats->why);
	stats->requests += ps.sent;
	return st;
}

/* Record what the store offers (caps.h); inside a transaction. */
static int
sync_note_store(struct cache *c, struct backend *be, char **cause)
{
	struct buf kinds;
	int k, rc;

	buf_init(&kinds);
	for (k = 0; k < KIND__COUNT; k++)
		if (be->ops->kinds == 0 || (be->ops->kinds & (1u << k)) != 0)
			buf_addf(&kinds, "%s%s", kinds.len != 0 ? " " : "",
			    kind_info((enum sd_kind)k)->name);
	if (!be->ops->no_sla)
		buf_adds(&kinds, " " CAPS_SLA_WORD);
	rc = cache_state_set(c, CAPS_BACKEND_KEY, be->ops->name, cause) != 0 ||
	    cache_state_set(c, CAPS_KINDS_KEY, buf_str(&kinds), cause) != 0 ||
	    cache_state_set(c, CAPS_ACTIONS_KEY, be->ops->actions != NULL ?
	    be->ops->actions : "*", cause) != 0 ? -1 : 0;
	buf_done(&kinds);
	return rc;
}

/*
 * The store's refund limit (caps.h): "" when it declares none, so that a
 * cache that once knew one forgets it.
 */
static int
sync_note_limit(struct cache *c, const cJSON *me, char **cause)
{
	const cJSON *rl = cJSON_GetObjectItemCaseSensitive(me, "refund_limit");
	const cJSON *r;
	char amount[24];
	struct buf roles;
	int rc;

	amount[0] = '\0';
	buf_init(&roles);
	buf_adds(&roles, "");
	if (cJSON_IsObject(rl) && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(rl, "amount"))) {
		snprintf(amount, sizeof amount, "%lld", json_int(rl, "amount", 0));
		cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(rl, "approvers"))
			if (cJSON_IsString(r))
				buf_addf(&roles, "%s%s", roles.len != 0 ? " " : "", r->valuestring);
	}
	rc = cache_state_set(c, CAPS_REFUND_LIMIT_KEY, amount, cause) != 0 ||
	    cache_state_set(c, CAPS_REFUND_ROLES_KEY, buf_str(&roles), cause) != 0 ? -1 : 0;
	buf_done(&roles);
	return rc;
}

/*
 * The store's zone and currency (clock.h); inside a transaction. A store
 * that cannot say (an older one: 404) keeps what the cache knew; a zone the
 * tz database does not know is not recorded.
 */
static int
sync_note_clock(struct cache *c, struct backend *be, char **cause)
{
	const char *zone, *cur;
	cJSON *store = NULL;
	char *why = NULL;
	int rc = 0;

	if (be->ops->store == NULL || be->ops->store(be, &store, &why) != SD_OK) {
		free(why);
		return 0;
	}
	zone = json_str(store, "timezone");
	cur = json_str(store, "currency");
	if (zone != NULL && time_zone_check(zone, &why) != 0) {
		log_debug("sync: the store's %s", why);
		free(why);
		zone = NULL;
	}
	if ((zone != NULL && cache_state_set(c, CLOCK_ZONE_KEY, zone, cause) != 0) ||
	    (cur != NULL && strlen(cur) == 3 &&
	    cache_state_set(c, CLOCK_CURRENCY_KEY, cur, cause) != 0))
		rc = -1;
	cJSON_Delete(store);
	return rc;
}

enum sd_status
sync_whoami(struct cache *c, struct backend *be, char **cause)
{
	static const char *keys[] = { "id", "login", "name", "role" };
	enum sd_status st;
	cJSON *me = NULL;
	char key[32];
	size_t i;

	st = be->ops->whoami(be, &me, cause);
	if (st != SD_OK)
		return st;
	if (cache_begin(c, cause) != 0) {
		cJSON_Delete(me);
		return SD_ECACHE;
	}
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		snprintf(key, sizeof key, "me.%s", keys[i]);
		if (json_str(me, keys[i]) != NULL &&
		    cache_state_set(c, key, json_str(me, keys[i]), cause) != 0) {
			cache_rollback(c);
			cJSON_Delete(me);
			return SD_ECACHE;
		}
	}
	if (sync_note_limit(c, me, cause) != 0) {
		cache_rollback(c);
		cJSON_Delete(me);
		return SD_ECACHE;
	}
	cJSON_Delete(me);
	if (sync_note_store(c, be, cause) != 0 || sync_note_clock(c, be, cause) != 0 ||
	    cache_commit(c, cause) != 0) {
		cache_rollback(c);
		return SD_ECACHE;
	}
	return SD_OK;
}
