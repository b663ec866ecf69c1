/*
 * outbox-push.c -- replaying the outbox to the store.
 *
 * A pass walks the entries in order, in groups of entries on different
 * objects that go out at once (the backend's action_batch: a few keep-alive
 * connections). A group is claimed (queued -> sending, with our pid) in one
 * commit before it is sent, so that two shopdesk processes never send an
 * entry at once; a claim whose process died, or that is older than
 * PUSH_CLAIM_TTL, goes back to the queue at the start of the next push. The
 * entry is then sent again under the same key, and the store answers a
 * request it had already applied from its idempotency record (the same
 * status and body, "Idempotent-Replay: true"), so it is applied once
 * whatever happened to the first answer. The group's answers are settled in
 * one fsync'd transaction -- each entry's new state (or its move to the
 * log), the objects the store sent, and the overlays rebuilt on them --
 * before on_entry hears any of them.
 *
 * Order: an entry waits while an earlier entry for the same object is in
 * conflict, failed, being sent by another process or waiting for its retry
 * time -- a "ship" must not overtake the "address" change queued before it.
 * Creates have no object yet and wait for nothing. A transient failure (no
 * answer, 5xx, 429, a malformed success) defers its entry and the later
 * ones of its object, but entries on other objects go on: one failure must
 * not hold back the rest (sixty actions took forty syncs to drain). See
 * push_pass() for when a store that is down ends a pass. (Entries on
 * different objects were never promised an order among themselves: the
 * store sees them as concurrent edits, as it would from two agents.) A SKU
 * may wait for its product's create: see push_resolve().
 */
#include "config.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "outbox.h"
#include "util/buf.h"
#include "util/crash.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

/*
 * push_opts.on_entry hears, with the entry as it then is: "sending",
 * "applied" (the entry from the log), "conflict", "failed", "deferred" (a
 * transient failure; next_at says when it will be retried), "waiting"
 * (behind an earlier entry), "unauthorized" (401) and "requeued" (a dead
 * pusher's claim released).
 */

#define PUSH_CLAIM_TTL		600	/* seconds after which a claim is stale */
#define PUSH_BACKOFF_MAX	300	/* seconds: the backoff stops doubling here */
#define PUSH_GROUP		128	/* entries claimed, sent and settled together */
#define PUSH_STRIKES		3	/* groups in a row with no answer that end a pass */
#define PUSH_DEP_PASSES		8	/* passes more for entries waiting on a create */
#define PUSH_TRIM		(16 * 1024 * 1024)	/* glibc's trim threshold while pushing */
#define PUSH_TRIM_AFTER		(128 * 1024)		/* and after it, as main() sets it */

/* What a pass needs of an entry to decide whether to send it. */
struct push_row {
	int64_t		 id;
	enum sd_kind	 kind;
	char		*object_id;	/* NULL for a create */
	enum outbox_state state;
	time_t		 next_at;
	int64_t		 dep;		/* the create "@N" in its product_id names, 0: none */
	int		 done;		/* this pass has dealt with it */
	size_t		 obj;		/* its object in push_run.objs; PUSH_NO_OBJ: a create */
};

#define PUSH_NO_OBJ	((size_t)-1)

/*
 * An object of the pass's entries (one for all the entries on it): the
 * entry its later entries wait for, the group that has one of its entries
 * out, and whether what its table shows is behind the store's state
 * (push_defer()).
 */
struct push_obj {
	enum sd_kind	 kind;
	const char	*id;		/* borrowed from the rows */
	int64_t		 by;		/* later entries wait for this one; 0: none */
	unsigned	 group;		/* the serial of the group holding it; 0: none */
	int		 stale;		/* its overlay is to be rebuilt (push_flush()) */
};

struct push_run {
	struct cache		*c;
	struct backend		*be;
	const struct push_opts	*o;
	struct push_stats	*stats;
	struct push_obj		*objs;		/* the pass's objects */
	size_t			 nobjs;
	size_t			*stale;		/* objs whose overlay waits, in order */
	size_t			 nstale;
	time_t			 flushed;	/* when the stale overlays were last rebuilt */
	int			 marked;	/* the cache says overlays may be stale */
	unsigned		 serial;	/* of the last group formed */
	time_t			 wake;		/* earliest retry time seen, 0: none */
	enum sd_status		 down;		/* the last transient failure's status */
	unsigned		 answered;	/* entries the store answered in this pass */
	int			 again;		/* an entry waits for a create sent in this pass */
	pid_t			 pid;		/* ours, for the claims (one getpid() a push) */
};

static void
push_event(struct push_run *r, int64_t id, const char *event)
{
	struct outbox_entry e;
	char *cause = NULL;
	int found;

	if (r->o == NULL || r->o->on_entry == NULL)
		return;
	if ((found = outbox_get(r->c, id, &e, &cause)) == 0)
		found = outbox_applied(r->c, id, &e, &cause);
	if (found == 1) {
		r->o->on_entry(r->o->arg, &e, event);
		outbox_entry_done(&e);
	}
	free(cause);
}

static void
push_sql_error(struct push_run *r, const char *what, char **cause)
{
	free(*cause);
	*cause = xasprintf("outbox: cannot %s: %s", what, sqlite3_errmsg(cache_db(r->c)));
}

/* A statement kept by the cache (cache_prepare), or NULL with *cause. */
static sqlite3_stmt *
push_prepare(struct push_run *r, const char *sql, const char *what, char **cause)
{
	sqlite3_stmt *stmt = cache_prepare(r->c, sql, NULL);

	if (stmt == NULL)
		push_sql_error(r, what, cause);
	return stmt;
}

static int64_t
push_blocked_by(struct push_run *r, const struct push_row *row)
{
	return row->obj == PUSH_NO_OBJ ? 0 : r->objs[row->obj].by;
}

/* Later entries of row's object wait for row. */
static void
push_block(struct push_run *r, const struct push_row *row)
{
	if (row->obj != PUSH_NO_OBJ && r->objs[row->obj].by == 0)
		r->objs[row->obj].by = row->id;
}

/* Whether row's object has an entry out in group cur or prev (serials, 0: none). */
static int
push_holds(const struct push_run *r, const struct push_row *row, unsigned cur, unsigned prev)
{
	unsigned g;

	if (row->obj == PUSH_NO_OBJ)
		return 0;
	g = r->objs[row->obj].group;
	return g != 0 && (g == cur || g == prev);
}

/* row is no longer in a group. */
static void
push_unhold(struct push_run *r, const struct push_row *row)
{
	if (row->obj != PUSH_NO_OBJ)
		r->objs[row->obj].group = 0;
}

static uint32_t
push_hash(enum sd_kind kind, const char *id)
{
	uint32_t h = 2166136261u ^ (uint32_t)kind;

	for (; *id != '\0'; id++)
		h = (h ^ (unsigned char)*id) * 16777619u;
	return h;
}

/*
 * Number the objects of the rows (row->obj): one push_obj each, found by
 * a hash of kind and id, so that whether an object is blocked or out in a
 * group costs the same however long the queue (a pass over 10,000 entries
 * compared ids with every entry of the two groups, for each entry looked
 * at).
 */
static void
push_index(struct push_run *r, struct push_row *rows, size_t n)
{
	size_t cap = 16, i, slot, *table;
	struct push_obj *o;

	while (cap < 2 * n)
		cap *= 2;
	table = xmalloc(cap * sizeof *table);
	for (i = 0; i < cap; i++)
		table[i] = PUSH_NO_OBJ;
	r->objs = xcalloc(n + 1, sizeof *r->objs);
	r->nobjs = 0;
	for (i = 0; i < n; i++) {
		rows[i].obj = PUSH_NO_OBJ;
		if (rows[i].object_id == NULL)
			continue;
		slot = push_hash(rows[i].kind, rows[i].object_id) & (cap - 1);
		for (;;) {
			if (table[slot] == PUSH_NO_OBJ) {
				o = &r->objs[r->nobjs];
				o->kind = rows[i].kind;
				o->id = rows[i].object_id;
				table[slot] = r->nobjs++;
				break;
			}
			o = &r->objs[table[slot]];
			if (o->kind == rows[i].kind && strcmp(o->id, rows[i].object_id) == 0)
				break;
			slot = (slot + 1) & (cap - 1);
		}
		rows[i].obj = table[slot];
	}
	free(table);
	r->stale = xcalloc(r->nobjs + 1, sizeof *r->stale);
	r->nstale = 0;
}

/* Whether a claim is no longer held by a live pusher. */
static int
push_claim_stale(pid_t pid, time_t at, time_t now)
{
	/* Pushes do not nest: a claim of ours predates this push. */
	if (pid <= 0 || pid == getpid() || at < now - PUSH_CLAIM_TTL)
		return 1;
	return kill(pid, 0) == -1 && errno == ESRCH;
}

/* Put the claims of dead or stuck pushers back in the queue. */
static int
push_requeue_stale(struct push_run *r, char **cause)
{
	sqlite3 *db = cache_db(r->c);
	sqlite3_stmt *stmt;
	struct { int64_t id; pid_t pid; } *v = NULL;
	size_t n = 0, i;
	time_t now = time(NULL);
	char *reason;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT id, claimed_by, claimed_at FROM outbox"
	    " WHERE state = 1", -1, &stmt, NULL) != SQLITE_OK) {
		push_sql_error(r, "read the outbox", cause);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (!push_claim_stale((pid_t)sqlite3_column_int64(stmt, 1),
		    (time_t)sqlite3_column_int64(stmt, 2), now))
			continue;
		v = xrealloc(v, (n + 1) * sizeof *v);
		v[n].id = sqlite3_column_int64(stmt, 0);
		v[n].pid = (pid_t)sqlite3_column_int64(stmt, 1);
		n++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		push_sql_error(r, "read the outbox", cause);
		free(v);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (sqlite3_prepare_v2(db, "UPDATE outbox SET state = 0, claimed_by = NULL,"
		    " claimed_at = NULL, reason = ?3 WHERE id = ?1 AND state = 1 AND"
		    " claimed_by IS ?2", -1, &stmt, NULL) != SQLITE_OK)
			break;
		reason = xasprintf("will retry: the process sending it (pid %ld) stopped"
		    " before the answer", (long)v[i].pid);
		sqlite3_bind_int64(stmt, 1, v[i].id);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)v[i].pid);
		sqlite3_bind_text(stmt, 3, reason, -1, free);
		rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			break;
		if (sqlite3_changes(db) != 0)
			push_event(r, v[i].id, "requeued");
	}
	free(v);
	if (i != n) {
		push_sql_error(r, "put an entry back in the queue", cause);
		return -1;
	}
	return 0;
}

/* Claim entry id for us: 1 claimed, 0 someone else has it, -1 error. */
static int
push_claim(struct push_run *r, int64_t id, char **cause)
{
	sqlite3 *db = cache_db(r->c);
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = push_prepare(r, "UPDATE outbox SET state = 1, claimed_by = ?2,"
	    " claimed_at = ?3 WHERE id = ?1 AND state = 0", "claim an entry", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)r->pid);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(stmt);
	cache_stmt_done(r->c, stmt);
	if (rc != SQLITE_DONE) {
		push_sql_error(r, "claim an entry", cause);
		return -1;
	}
	return sqlite3_changes(db) != 0;
}

/*
 * An entry not sent because an earlier one of its object is unresolved:
 * say so, once.
 */
static int
push_wait(struct push_run *r, int64_t id, int64_t by, char **cause)
{
	sqlite3 *db = cache_db(r->c);
	sqlite3_stmt *stmt;
	char *reason;
	int rc;

	if ((stmt = push_prepare(r, "UPDATE outbox SET reason = ?2 WHERE id = ?1 AND"
	    " state = 0 AND reason IS NOT ?2", "update an entry", cause)) == NULL)
		return -1;
	reason = xasprintf("waiting for #%lld", (long long)by);
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, reason, -1, free);
	rc = sqlite3_step(stmt);
	cache_stmt_done(r->c, stmt);
	if (rc != SQLITE_DONE) {
		push_sql_error(r, "update an entry", cause);
		return -1;
	}
	if (sqlite3_changes(db) != 0)
		push_event(r, id, "waiting");
	return 0;
}

/*
 * When to try again after a transient failure: 1 s doubling per attempt up
 * to PUSH_BACKOFF_MAX, times a random 0.5 to 1.5 so that many clients
 * coming back together do not hit the store together, and never sooner
 * than the store's Retry-After.
 */
static time_t
push_backoff(int attempts, double retry_after, time_t now)
{
	static unsigned short seed[3];
	double d = PUSH_BACKOFF_MAX;
	time_t whole;

	if (seed[0] == 0 && seed[1] == 0 && seed[2] == 0) {
		seed[0] = (unsigned short)getpid();
		seed[1] = (unsigned short)now;
		seed[2] = (unsigned short)((unsigned long)now >> 16) | 1;
	}
	if (attempts < 1)
		attempts = 1;
	if (attempts <= 9 && (1 << (attempts - 1)) < PUSH_BACKOFF_MAX)
		d = (double)(1 << (attempts - 1));
	d *= 0.5 + erand48(seed);
	if (d < retry_after)
		d = retry_after;
	whole = (time_t)d;
	return now + whole + (d > (double)whole);
}

/* The store's reason for an error: "code: message (allowed: a, b)". */
static char *
push_reason(int http, const cJSON *body)
{
	const cJSON *a;
	const char *code, *msg;
	struct buf b;
	int n = 0;

	code = json_path_str(body, "error.code");
	msg = json_path_str(body, "error.message");
	buf_init(&b);
	if (code != NULL && msg != NULL)
		buf_addf(&b, "%s: %s", code, msg);
	else if (code != NULL || msg != NULL)
		buf_adds(&b, code != NULL ? code : msg);
	else
		buf_addf(&b, "the store answered HTTP %d", http);
	cJSON_ArrayForEach(a, json_path(body, "error.details.allowed")) {
		if (!cJSON_IsString(a))
			continue;
		buf_adds(&b, n++ == 0 ? " (allowed: " : ", ");
		buf_adds(&b, a->valuestring);
	}
	if (n != 0)
		buf_addc(&b, ')');
	return buf_steal(&b);
}

/* A whole object: one with an id and a version. */
static int
push_is_object(const cJSON *obj)
{
	return cJSON_IsObject(obj) && json_str(obj, "id") != NULL &&
	    cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, "version"));
}

/*
 * The objects a success answers with: the object itself, or for a message
 * sent the message and its conversation. 0 when the answer is malformed.
 */
static int
push_answer_objects(const struct outbox_entry *e, const cJSON *answer,
    const cJSON **objs, enum sd_kind *kinds)
{
	const cJSON *m, *cv;

	if (push_is_object(answer)) {
		objs[0] = answer;
		kinds[0] = e->kind;
		return 1;
	}
	m = cJSON_GetObjectItemCaseSensitive(answer, "message");
	cv = cJSON_GetObjectItemCaseSensitive(answer, "conversation");
	if (!push_is_object(m) || !push_is_object(cv))
		return 0;
	objs[0] = m;
	kinds[0] = KIND_MESSAGE;
	objs[1] = cv;
	kinds[1] = KIND_CONVERSATION;
	return 2;
}

/*
 * Update entry id with sql, which takes ?2 state, ?3 http status, ?4 reason,
 * ?5 theirs and ?6 next_at.
 */
static int
push_update(struct push_run *r, const char *sql, int64_t id, int state, int http,
    const char *reason, const char *theirs, time_t next_at, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if ((stmt = push_prepare(r, sql, "update an entry", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int(stmt, 2, state);
	sqlite3_bind_int(stmt, 3, http);
	if (reason != NULL)
		sqlite3_bind_text(stmt, 4, reason, -1, SQLITE_STATIC);
	if (theirs != NULL)
		sqlite3_bind_text(stmt, 5, theirs, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)next_at);
	rc = sqlite3_step(stmt);
	cache_stmt_done(r->c, stmt);
	if (rc != SQLITE_DONE) {
		push_sql_error(r, "update an entry", cause);
		return -1;
	}
	return 0;
}

static const char push_sql_settle[] =
    "UPDATE outbox SET state = ?2, attempts = attempts + 1, http_status = ?3,"
    " reason = ?4, theirs = ?5, next_at = ?6, claimed_by = NULL,"
    " claimed_at = NULL WHERE id = ?1";

/* An entry of a group: what was sent, and what to tell once it is settled. */
struct push_item {
	struct push_row	*row;
	struct outbox_entry e;
	cJSON		*body;
	const char	*event;		/* "applied", "conflict", ... after the commit */
	enum sd_status	 st;		/* what it means for the pass */
	char		*cause;		/* why, when st is not SD_OK */
};

/*
 * The overlay of an object that has more entries waiting is not rebuilt for
 * each of its answers during a pass (push_store(): its later entries are
 * sent in this pass, and the rebuild read, merged and wrote the object with
 * all of them again each time, most of a replay's work when one object has
 * many entries). The store's state is kept (the shadow, in the group's
 * commit), and the overlay is rebuilt once the object's last entry is
 * settled, every PUSH_FLUSH seconds (a rebuild of every waiting object each
 * time: more often, a replay slowed down by a loaded machine did more of them),
 * and at the end of the pass. Until then
 * the table shows the object a few versions behind, with the same patches
 * on top. A key in sync_state, "outbox.stale.PID", set in the first group's
 * commit that leaves one behind and removed with the last rebuild, says a
 * push may have left some: one killed before its end is repaired by the
 * next push (push_repair()).
 */
#define PUSH_FLUSH		10	/* seconds between rebuilds of waiting overlays */
#define PUSH_STALE_KEY		"outbox.stale."

enum { PUSH_FRESH, PUSH_STALE, PUSH_LISTED };	/* push_obj.stale */

/* The object's overlay waits; the first time in the pass, the cache says so. */
static int
push_stale(struct push_run *r, size_t obj, char **cause)
{
	char key[64];

	if (!r->marked) {
		snprintf(key, sizeof key, PUSH_STALE_KEY "%ld", (long)getpid());
		if (cache_state_set(r->c, key, "1", cause) != 0)
			return -1;
		r->marked = 1;
	}
	if (r->objs[obj].stale == PUSH_FRESH)
		r->stale[r->nstale++] = obj;
	r->objs[obj].stale = PUSH_STALE;
	return 0;
}

/* The object's overlay was rebuilt (or the object stored as it is). */
static void
push_fresh(struct push_run *r, size_t obj)
{
	if (obj != PUSH_NO_OBJ && r->objs[obj].stale == PUSH_STALE)
		r->objs[obj].stale = PUSH_LISTED;
}

/* Rebuild the overlays that wait; inside a transaction. */
static int
push_flush(struct push_run *r, char **cause)
{
	struct push_obj *o;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->nstale && rc == 0; i++) {
		o = &r->objs[r->stale[i]];
		if (o->stale == PUSH_STALE)
			rc = outbox_overlay_apply(r->c, o->kind, o->id, cause);
		o->stale = PUSH_FRESH;
	}
	if (rc == 0)
		r->nstale = 0;
	r->flushed = time(NULL);
	return rc;
}

/* No overlay waits any more: the key goes (inside the transaction that rebuilt them). */
static int
push_unmark(struct push_run *r, char **cause)
{
	char key[64];

	snprintf(key, sizeof key, PUSH_STALE_KEY "%ld", (long)getpid());
	return cache_state_set(r->c, key, NULL, cause);
}

/*
 * The end of a pass whose last group did not rebuild them (it failed):
 * every overlay rebuilt, and the key gone, in one commit.
 */
static int
push_flush_all(struct push_run *r, char **cause)
{
	int rc;

	if (r->nstale == 0 && !r->marked)
		return 0;
	if (cache_begin(r->c, cause) != 0)
		return -1;
	rc = push_flush(r, cause);
	if (rc == 0)
		rc = push_unmark(r, cause);
	if (rc == 0)
		rc = cache_commit(r->c, cause);
	if (rc != 0) {
		cache_rollback(r->c);
		return -1;
	}
	r->marked = 0;
	return 0;
}

/*
 * A push killed with overlays waiting (its key is left and its process is
 * gone): rebuild the overlay of every object with entries, and forget the
 * key, in one commit.
 */
static int
push_repair(struct push_run *r, char **cause)
{
	sqlite3 *db = cache_db(r->c);
	sqlite3_stmt *stmt;
	char **keys = NULL;
	size_t n = 0, i;
	long pid;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT key FROM sync_state WHERE key GLOB '"
	    PUSH_STALE_KEY "*'", -1, &stmt, NULL) != SQLITE_OK) {
		push_sql_error(r, "read the cache's state", cause);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		pid = strtol((const char *)sqlite3_column_text(stmt, 0) +
		    strlen(PUSH_STALE_KEY), NULL, 10);
		if (pid > 0 && pid != (long)getpid() && !(kill((pid_t)pid, 0) == -1 &&
		    errno == ESRCH))
			continue;	/* a push still running: it rebuilds its own */
		keys = xrealloc(keys, (n + 1) * sizeof *keys);
		keys[n++] = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		push_sql_error(r, "read the cache's state", cause);
		n = 0;
		rc = -1;
	} else
		rc = 0;
	if (n > 0 && (rc = cache_begin(r->c, cause)) == 0) {
		if (sqlite3_prepare_v2(db, "SELECT DISTINCT kind, object_id FROM outbox"
		    " WHERE object_id IS NOT NULL", -1, &stmt, NULL) != SQLITE_OK) {
			push_sql_error(r, "read the outbox", cause);
			rc = -1;
		} else {
			while (rc == 0 && sqlite3_step(stmt) == SQLITE_ROW)
				rc = outbox_overlay_apply(r->c,
				    (enum sd_kind)sqlite3_column_int(stmt, 0),
				    (const char *)sqlite3_column_text(stmt, 1), cause);
			sqlite3_finalize(stmt);
		}
		for (i = 0; rc == 0 && i < n; i++)
			rc = cache_state_set(r->c, keys[i], NULL, cause);
		if (rc == 0)
			rc = cache_commit(r->c, cause);
		if (rc != 0) {
			cache_rollback(r->c);
			rc = -1;
		}
	}
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

/*
 * Store the store's objects and rebuild the overlay of e's object; inside
 * a transaction. text, when not NULL, is objs[0] printed. With defer, an
 * object that has more entries waiting keeps the store's state and its
 * overlay waits (push_stale()).
 */
static int
push_store(struct push_run *r, const struct push_item *it, const cJSON **objs,
    const enum sd_kind *kinds, int n, const char *text, int defer, char **cause)
{
	const struct outbox_entry *e = &it->e;
	size_t obj = it->row->obj;
	const char *id;
	int i, self, anyself = 0, pending, waits = 0;

	if (e->object_id == NULL)
		pending = 0;
	else if ((pending = outbox_has_pending(r->c, e->kind, e->object_id)) < 0) {
		push_sql_error(r, "read the outbox", cause);
		return -1;
	}
	for (i = 0; i < n; i++) {
		/* A removal answers with the tombstone: the object is gone. */
		if (json_bool(objs[i], "deleted") && json_str(objs[i], "id") != NULL) {
			if (outbox_forget(r->c, kinds[i], json_str(objs[i], "id"), cause) != 0)
				return -1;
			continue;
		}
		id = json_str(objs[i], "id");
		self = e->object_id != NULL && kinds[i] == e->kind && id != NULL &&
		    strcmp(id, e->object_id) == 0;
		if (self && defer && pending == 1 && obj != PUSH_NO_OBJ) {
			if (outbox_shadow_keep(r->c, kinds[i], objs[i], i == 0 ? text : NULL,
			    cause) != 0 || push_stale(r, obj, cause) != 0)
				return -1;
			waits = 1;
		} else if (outbox_store_printed(r->c, kinds[i], objs[i], i == 0 ? text : NULL,
		    cause) != 0)
			return -1;
		anyself |= self;
	}
	if (waits)
		return 0;
	push_fresh(r, obj);
	/* Stored with entries still pending, its overlay is rebuilt already. */
	if (e->object_id != NULL && n == 1 && json_bool(objs[0], "deleted"))
		return 0;
	if (e->object_id != NULL && !(anyself && pending == 1))
		return outbox_overlay_apply(r->c, e->kind, e->object_id, cause);
	return 0;
}

/*
 * Later entries for the same object were queued while this one was pending,
 * on top of its overlay, and based on the store version the user saw then
 * (the overlay does not change it): once this one is applied they are the
 * user's next steps on the new version, not concurrent edits, so they are
 * re-based on the version the store gave. (Had someone else changed the
 * object in between, this one would have conflicted instead.) Only the
 * next one is re-based now, as only it can be sent next: each re-bases its
 * own next when applied, and a dropped entry hands its version on
 * (outbox_drop_entry), so a long run of entries on one object costs one
 * update each, not one per entry behind it.
 */
static int
push_rebase(struct push_run *r, const struct outbox_entry *e, const cJSON **objs,
    const enum sd_kind *kinds, int n, char **cause)
{
	sqlite3_stmt *stmt;
	long long v = -1;
	int i, rc;

	if (e->object_id == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (kinds[i] == e->kind && json_str(objs[i], "id") != NULL &&
		    strcmp(json_str(objs[i], "id"), e->object_id) == 0)
			v = json_int(objs[i], "version", -1);
	if (v < 0)
		return 0;
	if ((stmt = push_prepare(r, "UPDATE outbox SET base_version = ?1 WHERE id ="
	    " (SELECT min(id) FROM outbox WHERE kind = ?2 AND object_id = ?3 AND id > ?4"
	    " AND state = ?5 AND base_version >= 0)", "re-base the next entry",
	    cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, v);
	sqlite3_bind_int(stmt, 2, (int)e->kind);
	sqlite3_bind_text(stmt, 3, e->object_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, e->id);
	sqlite3_bind_int(stmt, 5, OUTBOX_QUEUED);
	rc = sqlite3_step(stmt);
	cache_stmt_done(r->c, stmt);
	if (rc != SQLITE_DONE) {
		push_sql_error(r, "re-base the next entry", cause);
		return -1;
	}
	return 0;
}


/*
 * What became of an entry the store accepted: "applied", or for a refund the
 * store took as a request for finance (its ticket's refund_request awaits
 * finance), OUTBOX_TO_FINANCE: settled, not an error, and not a refund yet.
 */
static const char *
push_outcome(const struct outbox_entry *e, const cJSON *obj)
{
	const char *s = json_path_str(obj, "refund_request.status");

	if (e->kind == KIND_TICKET && e->action != NULL && strcmp(e->action, "refund") == 0 &&
	    s != NULL && strcmp(s, "awaiting_finance") == 0)
		return OUTBOX_TO_FINANCE;
	return "applied";
}

/*
 * 2xx: the store's answer becomes the object, the entry goes to the log.
 * text, when not NULL, is the answer as the store sent it.
 */
static int
push_applied(struct push_run *r, struct push_item *it, int http, const cJSON *answer,
    const char *text, const cJSON **objs, const enum sd_kind *kinds, int n, char **cause)
{
	const struct outbox_entry *e = &it->e;
	const char *created = NULL;
	char *result;
	int rc;

	if (e->object_id == NULL)
		created = json_str(objs[0], "id");
	result = text != NULL ? (char *)text : json_print(answer);
	/* Out of the queue first, so that the objects are stored as they are. */
	rc = push_update(r, push_sql_settle, e->id, OUTBOX_SENDING, http, NULL, NULL, 0,
	    cause);
	if (rc == 0)
		rc = outbox_log_move(r->c, e->id, push_outcome(e, objs[0]), result, http,
		    created, cause);
	if (rc == 0)
		rc = push_rebase(r, e, objs, kinds, n, cause);
	/* A create's placeholder gives way to the store's object. */
	if (rc == 0)
		rc = outbox_placeholder_remove(r->c, e, cause);
	/* A whole object as the answer: its text is the one the log keeps. */
	if (rc == 0)
		rc = push_store(r, it, objs, kinds, n, objs[0] == answer ? result : NULL,
		    1, cause);
	if (result != text)
		cJSON_free(result);
	it->event = "applied";
	return rc;
}

/* 409/412 and refusals: the entry stays, with the store's reason. */
static int
push_refused(struct push_run *r, struct push_item *it, enum outbox_state state, int http,
    const cJSON *answer, char **cause)
{
	const struct outbox_entry *e = &it->e;
	const cJSON *theirs = NULL;
	char *reason, *text = NULL;
	int rc;

	if (state == OUTBOX_CONFLICT) {
		theirs = json_path(answer, "error.details.current");
		if (push_is_object(theirs))
			text = json_print(theirs);
		else
			theirs = NULL;
	}
	reason = push_reason(http, answer);
	rc = push_update(r, push_sql_settle, e->id, state, http, reason, text, 0, cause);
	/* The store's current object is its state now (after the entry left the overlay). */
	if (rc == 0)
		rc = push_store(r, it, &theirs, &e->kind, theirs != NULL, text, 0, cause);
	/* A refused create: nothing was made, so nothing shows. */
	if (rc == 0)
		rc = outbox_placeholder_remove(r->c, e, cause);
	free(reason);
	if (text != NULL)
		cJSON_free(text);
	it->event = state == OUTBOX_CONFLICT ? "conflict" : "failed";
	return rc;
}

/*
 * Back to the queue, not before next_at, with reason. The overlay is
 * unchanged: the entry is still pending.
 */
static int
push_requeue(struct push_run *r, const struct outbox_entry *e, int http,
    const char *reason, time_t next_at, char **cause)
{
	return push_update(r, push_sql_settle, e->id, OUTBOX_QUEUED, http, reason, NULL,
	    next_at, cause);
}

/*
 * Settle the answer to one sent entry, inside the group's transaction:
 * it->event, it->st and it->cause say what to tell once it is committed.
 * 0, or -1 with *cause when the cache failed.
 */
static int
push_settle(struct push_run *r, struct push_item *it, enum sd_status bst,
    const struct backend_result *res, const char *why, char **cause)
{
	const struct outbox_entry *e = &it->e;
	const cJSON *objs[2];
	enum sd_kind kinds[2];
	char *reason;
	time_t next_at;
	int http = res->http_status, n = 0, rc;

	if (http >= 200 && http < 300)
		n = push_answer_objects(e, res->body, objs, kinds);
	if (n != 0)
		return push_applied(r, it, http, res->body, res->text, objs, kinds, n, cause);
	if (http == 409 || http == 412)
		return push_refused(r, it, OUTBOX_CONFLICT, http, res->body, cause);
	if (http >= 400 && http < 500 && http != 401 && http != 429)
		return push_refused(r, it, OUTBOX_FAILED, http, res->body, cause);
	if (http == 0 && bst == SD_EINTR) {
		/* Interrupted: maybe sent, so the same key again, but no penalty. */
		it->st = SD_EINTR;
		it->cause = xstrdup("interrupted");
		return push_requeue(r, e, 0, "will retry: interrupted", 0, cause);
	}
	if (http == 401) {
		reason = push_reason(http, res->body);
		it->cause = xasprintf("the store refused the token (%s); fix the token,"
		    " then push again", reason);
		free(reason);
		it->st = SD_EAUTH;
		it->event = "unauthorized";
		return push_requeue(r, e, http, it->cause, 0, cause);
	}
	/* Transient: no answer, 429, 5xx, anything else unexpected. */
	if (http == 0)
		reason = xasprintf("will retry: %s", why != NULL ? why :
		    "no answer from the store");
	else if (http >= 200 && http < 300)
		reason = xasprintf("will retry: the store sent a malformed answer (HTTP %d)",
		    http);
	else
		reason = xasprintf("will retry: %s", why != NULL ? why :
		    "the store answered an error");
	it->st = http == 0 ? SD_ENETWORK : SD_ESERVER;
	it->cause = xstrdup(reason + strlen("will retry: "));
	it->event = "deferred";
	next_at = push_backoff(e->attempts + 1, res->retry_after, time(NULL));
	rc = push_requeue(r, e, http, reason, next_at, cause);
	if (r->wake == 0 || next_at < r->wake)
		r->wake = next_at;
	free(reason);
	return rc;
}

/*
 * Claim the group's entries and read them in one commit; those another
 * process has are dropped.
 */
static int
push_claim_group(struct push_run *r, struct push_item *items, size_t *np, char **cause)
{
	size_t i, m = 0, loaded = 0;
	int rc = cache_begin(r->c, cause);

	for (i = 0; rc == 0 && i < *np; i++) {
		switch (push_claim(r, items[i].row->id, cause)) {
		case -1:
			rc = -1;
			break;
		case 0:
			push_block(r, items[i].row);	/* someone else's now */
			push_unhold(r, items[i].row);
			break;
		default:
			items[m++] = items[i];
			break;
		}
	}
	/*
	 * What was claimed is read in the claim's transaction: not in a
	 * transaction (a lock of the cache's shared memory, two fcntl
	 * calls) for each entry.
	 */
	for (; rc == 0 && loaded < m; loaded++) {
		if (outbox_get(r->c, items[loaded].row->id, &items[loaded].e, cause) != 1) {
			if (*cause == NULL)
				*cause = xasprintf("outbox: entry #%lld vanished while claimed",
				    (long long)items[loaded].row->id);
			rc = -1;
			break;
		}
	}
	if (rc == 0)
		rc = cache_commit(r->c, cause);
	if (rc != 0) {
		while (loaded > 0)
			outbox_entry_done(&items[--loaded].e);
		cache_rollback(r->c);
		return -1;
	}
	if (m > 0)
		crash_point("push-claimed");
	*np = m;
	return 0;
}

/*
 * A group of entries, each on a different object, sent together. Its
 * requests go out on a thread of their own (the cache is never touched
 * there), so that the previous group is settled while this one is on the
 * wire.
 */
struct push_group {
	struct push_item *items;	/* PUSH_GROUP */
	size_t		 n;		/* claimed and loaded */
	struct backend	*be;
	struct backend_action *acts;
	struct backend_result *res;
	enum sd_status	*bst;
	char		**whys;
	pthread_t	 thread;
	int		 running;	/* the thread is to be joined */
	unsigned	 serial;	/* push_run.serial when it was formed */
};

static void *
push_send_main(void *arg)
{
	struct push_group *g = arg;

	backend_actions(g->be, g->acts, g->n, g->res, g->bst, g->whys);
	return NULL;
}

static void
push_group_init(struct push_group *g, struct backend *be)
{
	memset(g, 0, sizeof *g);
	g->be = be;
	g->items = xcalloc(PUSH_GROUP, sizeof *g->items);
	g->acts = xcalloc(PUSH_GROUP, sizeof *g->acts);
	g->res = xcalloc(PUSH_GROUP, sizeof *g->res);
	g->bst = xcalloc(PUSH_GROUP, sizeof *g->bst);
	g->whys = xcalloc(PUSH_GROUP, sizeof *g->whys);
}

static void
push_group_free(struct push_group *g)
{
	free(g->items);
	free(g->acts);
	free(g->res);
	free(g->bst);
	free(g->whys);
}

/* Wait for the group's answers. */
static void
push_group_join(struct push_group *g)
{
	if (g->running)
		pthread_join(g->thread, NULL);
	g->running = 0;
}

/*
 * What the answers of a group (joined) say about the store: 1 when every
 * one was an answer, 0 when some were transient failures (no answer, 429,
 * 5xx) but not all, -1 when none was an answer, -2 when the token was
 * refused (401: every other entry would be refused too). The answers are
 * counted in r->answered.
 */
static int
push_group_health(struct push_run *r, const struct push_group *g)
{
	size_t i, bad = 0;
	int http;

	for (i = 0; i < g->n; i++) {
		http = g->res[i].http_status;
		if (http == 401)
			return -2;
		if (http < 200 || http == 429 || http >= 500)
			bad++;
		else
			r->answered++;
	}
	if (bad == 0)
		return 1;
	return bad == g->n ? -1 : 0;
}

/*
 * Claim the group's first ng items (those another process has are
 * dropped), load them and start sending them. -1 with *cause when the
 * cache failed: nothing was claimed (the claims and the reads are one
 * transaction).
 */
static int
push_group_start(struct push_run *r, struct push_group *g, size_t ng, char **cause)
{
	struct push_item *it;
	struct backend_action *a;
	size_t i;

	g->n = 0;
	if (push_claim_group(r, g->items, &ng, cause) != 0)
		return -1;
	for (i = 0; i < ng; i++) {
		it = &g->items[i];
		g->n++;
		it->body = cJSON_Parse(it->e.body);
		a = &g->acts[i];
		memset(a, 0, sizeof *a);
		a->kind = it->e.kind;
		a->id = it->e.object_id;
		a->action = it->e.path_action;
		a->method = it->e.method;
		a->body = it->body;
		a->idempotency_key = it->e.key;
		a->if_match = it->e.base_version;
		a->done_at = it->e.created_at;
		push_event(r, it->e.id, "sending");
	}
	r->stats->sent += (unsigned)g->n;
	if (g->n == 0)
		return 0;
	if (pthread_create(&g->thread, NULL, push_send_main, g) != 0)
		push_send_main(g);	/* no thread to be had: send them here */
	else
		g->running = 1;
	return 0;
}

/*
 * Settle the answers of a group (joined) in one fsync'd transaction, then
 * tell. The status is the worst of the group's: a bad token, then an
 * interrupt, then the first transient failure (which push_transient()
 * tells from the end of the pass).
 */
static enum sd_status
push_group_finish(struct push_run *r, struct push_group *g, int last, char **cause)
{
	struct push_item *it;
	enum sd_status st = SD_OK;
	size_t i;
	int level, rc = 0;

	if (g->n > 0) {
		crash_point("push-answered");
		if (outbox_durable_begin(r->c, &level, cause) != 0)
			rc = -1;
		else {
			for (i = 0; rc == 0 && i < g->n; i++) {
				rc = push_settle(r, &g->items[i], g->bst[i], &g->res[i],
				    g->whys[i], cause);
				crash_point("push-settling");
			}
			/*
			 * Now and then, and with the pass's last group, what the
			 * tables show catches up (push_stale()).
			 */
			if (rc == 0 && r->nstale > 0 && (last ||
			    time(NULL) >= r->flushed + PUSH_FLUSH))
				rc = push_flush(r, cause);
			if (rc == 0 && last && r->marked)
				rc = push_unmark(r, cause);
			if (outbox_durable_end(r->c, level, rc == 0, rc == 0 ? cause : NULL) != 0)
				rc = -1;
			else if (last)
				r->marked = 0;
		}
		if (rc == 0)
			crash_point("push-settled");
	}
	for (i = 0; i < g->n; i++) {
		it = &g->items[i];
		if (rc == 0 && it->event != NULL) {
			if (strcmp(it->event, "applied") == 0)
				r->stats->applied++;
			else if (strcmp(it->event, "conflict") == 0)
				r->stats->conflicts++;
			else if (strcmp(it->event, "failed") == 0)
				r->stats->failed++;
			else if (strcmp(it->event, "deferred") == 0)
				r->stats->deferred++;
			push_event(r, it->e.id, it->event);
		}
		/*
		 * In conflict, failed or deferred: later entries of its object
		 * wait, in this pass too, so that they never overtake it.
		 */
		if (rc == 0 && it->e.object_id != NULL && (it->event == NULL ||
		    strcmp(it->event, "applied") != 0))
			push_block(r, it->row);
		if (rc == 0 && it->st != SD_OK && (st == SD_OK || it->st == SD_EAUTH ||
		    (it->st == SD_EINTR && st != SD_EAUTH))) {
			st = it->st;
			free(*cause);
			*cause = it->cause;
			it->cause = NULL;
		}
		push_unhold(r, it->row);
		free(it->cause);
		free(g->whys[i]);
		cJSON_Delete(g->res[i].body);
		free(g->res[i].text);
		cJSON_Delete(it->body);
		outbox_entry_done(&it->e);
		memset(it, 0, sizeof *it);
		memset(&g->res[i], 0, sizeof g->res[i]);
		g->whys[i] = NULL;
	}
	g->n = 0;
	return rc != 0 ? SD_ECACHE : st;
}

/* The entries, in order, as a pass needs them. */
static struct push_row *
push_rows(struct push_run *r, size_t *np, char **cause)
{
	sqlite3_stmt *stmt;
	struct push_row *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (sqlite3_prepare_v2(cache_db(r->c), "SELECT id, kind, object_id, state, next_at,"
	    " CASE WHEN object_id IS NULL AND json_valid(body) AND"
	    " json_extract(body, '$.product_id') GLOB '@[0-9]*'"
	    " THEN CAST(substr(json_extract(body, '$.product_id'), 2) AS INTEGER) ELSE 0 END"
	    " FROM outbox ORDER BY id", -1, &stmt, NULL) != SQLITE_OK) {
		push_sql_error(r, "read the outbox", cause);
		return NULL;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n].id = sqlite3_column_int64(stmt, 0);
		v[n].kind = (enum sd_kind)sqlite3_column_int(stmt, 1);
		v[n].object_id = sqlite3_column_type(stmt, 2) == SQLITE_NULL ? NULL :
		    xstrdup((const char *)sqlite3_column_text(stmt, 2));
		v[n].state = (enum outbox_state)sqlite3_column_int(stmt, 3);
		v[n].next_at = (time_t)sqlite3_column_int64(stmt, 4);
		v[n].dep = sqlite3_column_int64(stmt, 5);
		v[n].done = 0;
		n++;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		push_sql_error(r, "read the outbox", cause);
		while (n > 0)
			free(v[--n].object_id);
		free(v);
		return NULL;
	}
	*np = n;
	return v != NULL ? v : xcalloc(1, sizeof *v);
}

/*
 * One create may name another that is still in the outbox: a SKU whose
 * product_id is "@N" belongs to the product that entry #N creates (a new
 * product and its SKUs, queued together offline by the product form). It
 * waits until #N is applied, then takes the store's id for it -- rewritten
 * in its row before it is claimed, so a resend under its key says the same
 * -- and fails with the reason when #N was refused or dropped.
 *
 * Returns 0 when #N was applied (the row now names the store's id), 1 while
 * #N is in the outbox (the row waits), 2 when #N will never make it (the
 * row failed, with why); -1 with *cause when the cache failed.
 */
static int
push_resolve(struct push_run *r, struct push_row *row, char **cause)
{
	sqlite3_stmt *stmt;
	char *id = NULL, *outcome = NULL, *reason;
	int rc, ret;

	if ((stmt = push_prepare(r, "SELECT state FROM outbox WHERE id = ?1",
	    "read the outbox", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, row->dep);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_int(stmt, 0) <= OUTBOX_SENDING)
		r->again = 1;		/* it may be applied in this pass */
	cache_stmt_done(r->c, stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if ((stmt = push_prepare(r, "SELECT object_id, outcome FROM outbox_log WHERE id = ?1"
	    " AND kind = ?2", "read the outbox log", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, row->dep);
	sqlite3_bind_int(stmt, 2, KIND_PRODUCT);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		if (sqlite3_column_type(stmt, 0) != SQLITE_NULL)
			id = xstrdup((const char *)sqlite3_column_text(stmt, 0));
		outcome = xstrdup((const char *)sqlite3_column_text(stmt, 1));
	}
	cache_stmt_done(r->c, stmt);
	if (id != NULL && outcome != NULL && strcmp(outcome, "applied") == 0) {
		stmt = push_prepare(r, "UPDATE outbox SET body = json_set(body, '$.product_id',"
		    " ?2), reason = NULL WHERE id = ?1", "update an entry", cause);
		reason = NULL;
		ret = 0;
	} else {
		stmt = push_prepare(r, "UPDATE outbox SET state = ?3, reason = ?2 WHERE id = ?1",
		    "update an entry", cause);
		reason = xasprintf("the product it belongs to (#%lld) was not created: %s; "
		    "queue the SKU again for an existing product", (long long)row->dep,
		    outcome != NULL ? outcome : "no such entry");
		ret = 2;
	}
	if (stmt != NULL) {
		sqlite3_bind_int64(stmt, 1, row->id);
		sqlite3_bind_text(stmt, 2, ret == 0 ? id : reason, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(stmt, 3, OUTBOX_FAILED);
		rc = sqlite3_step(stmt);
		cache_stmt_done(r->c, stmt);
		if (rc != SQLITE_DONE) {
			push_sql_error(r, "update an entry", cause);
			ret = -1;
		}
	} else
		ret = -1;
	free(id);
	free(outcome);
	free(reason);
	if (ret == 2) {
		r->stats->failed++;
		push_event(r, row->id, "failed");
	}
	if (ret == 0)
		row->dep = 0;
	return ret;
}

/*
 * What a group's status fst means for the pass: a transient failure (no
 * answer, 5xx) does not end it, its entry is deferred and the others go on.
 * Its cause is kept for the summary, and becomes the pass's status when
 * nothing in the pass got an answer (push_pass): the store is down.
 */
static enum sd_status
push_transient(struct push_run *r, enum sd_status fst, char **cause)
{
	if (fst != SD_ENETWORK && fst != SD_ESERVER)
		return fst;
	if (*cause != NULL)
		snprintf(r->stats->why, sizeof r->stats->why, "%s", *cause);
	free(*cause);
	*cause = NULL;
	r->down = fst;
	return SD_OK;
}

/*
 * One pass over the queue, in groups of entries that can go out at once:
 * each on a different object, the first entry of its object still
 * unresolved, and none on an object of the group before, whose answers
 * are being settled while this one is sent. An entry whose object is taken
 * waits for a later group. The first group is one entry and each next one
 * twice as large, up to PUSH_GROUP. After a group with a transient
 * failure (a 5xx, a 429 or silence) the next is one entry, until one is
 * fully answered; PUSH_STRIKES groups in a row with no answer at all end
 * the pass, and so does a 401: a store that is down or refuses the token
 * costs a few requests, one that fails now and then costs nothing more.
 */
static enum sd_status
push_pass(struct push_run *r, char **cause)
{
	struct push_row *rows, *row;
	struct push_group grp[2], *cur, *prev = NULL;
	size_t n, i, first = 0, ng, cap = 1;
	enum sd_status st = SD_OK, fst;
	char *extra = NULL;	/* a later group's cause, after the pass's */
	char *fcause = NULL;
	int64_t by;
	time_t now = time(NULL);
	int end = 0, strikes = 0, health, unwell, dep;
	size_t j;

	r->stats->deferred = 0;
	r->wake = 0;
	r->down = SD_OK;
	r->answered = 0;
	r->again = 0;
	if ((rows = push_rows(r, &n, cause)) == NULL)
		return SD_ECACHE;
	push_group_init(&grp[0], r->be);
	push_group_init(&grp[1], r->be);
	cur = &grp[0];
	push_index(r, rows, n);
	r->flushed = now;
	while (st == SD_OK && !end) {
		ng = 0;
		unwell = 0;
		cur->serial = ++r->serial;
		while (first < n && rows[first].done)
			first++;
		for (i = first; i < n && ng < cap && st == SD_OK; i++) {
			row = &rows[i];
			if (row->done)
				continue;
			if (row->state != OUTBOX_QUEUED) {
				push_block(r, row);	/* conflict, failed, or another's claim */
				row->done = 1;
				continue;
			}
			if (r->o != NULL && r->o->only_through != 0 &&
			    row->id > r->o->only_through)
				break;
			if (push_holds(r, row, cur->serial, prev != NULL ? prev->serial : 0))
				continue;		/* a later group */
			row->done = 1;
			if (row->dep != 0) {
				dep = push_resolve(r, row, cause);
				if (dep == 1 && push_wait(r, row->id, row->dep, cause) != 0)
					dep = -1;
				if (dep == -1)
					st = SD_ECACHE;
				if (dep != 0)
					continue;
			}
			if ((by = push_blocked_by(r, row)) != 0) {
				if (push_wait(r, row->id, by, cause) != 0)
					st = SD_ECACHE;
				continue;
			}
			if (row->next_at > now && !(r->o != NULL && r->o->now)) {
				r->stats->deferred++;
				if (r->wake == 0 || row->next_at < r->wake)
					r->wake = row->next_at;
				push_block(r, row);
				continue;
			}
			memset(&cur->items[ng], 0, sizeof cur->items[ng]);
			cur->items[ng++].row = row;
			if (row->obj != PUSH_NO_OBJ)
				r->objs[row->obj].group = cur->serial;
		}
		/* Nothing to send and nothing in flight: the pass is over. */
		if (ng == 0 && prev == NULL)
			end = 1;
		if (prev != NULL) {
			push_group_join(prev);
			health = push_group_health(r, prev);
			strikes = health == -1 ? strikes + 1 : 0;
			if (health == -2 || strikes >= PUSH_STRIKES) {
				/* The token is refused, or the store is down: prev ends it. */
				for (j = 0; j < ng; j++) {
					cur->items[j].row->done = 0;
					push_unhold(r, cur->items[j].row);
				}
				ng = 0;
				end = 1;
			} else if (health != 1) {
				/* Unwell: one entry at a time until it answers again. */
				for (j = 1; j < ng; j++) {
					cur->items[j].row->done = 0;
					push_unhold(r, cur->items[j].row);
				}
				if (ng > 1)
					ng = 1;
				cap = 1;
				unwell = 1;
			}
		}
		if (st == SD_OK && ng > 0 && push_group_start(r, cur, ng, cause) != 0)
			st = SD_ECACHE;
		if (prev != NULL) {
			/* Settled while cur is on the wire. */
			fst = push_group_finish(r, prev, ng == 0, st == SD_OK ? cause : &extra);
			if (st == SD_OK)
				st = push_transient(r, fst, cause);
		}
		if (cur->n > 0) {
			prev = cur;
			cur = cur == &grp[0] ? &grp[1] : &grp[0];
		} else
			prev = NULL;
		if (cap < PUSH_GROUP && !unwell)
			cap *= 2;
		if (backend_interrupted() && st == SD_OK) {
			*cause = xstrdup("interrupted");
			st = SD_EINTR;
		}
	}
	if (prev != NULL) {
		push_group_join(prev);
		push_group_health(r, prev);
		fst = push_group_finish(r, prev, 1, st == SD_OK ? cause : &extra);
		if (st == SD_OK)
			st = push_transient(r, fst, cause);
	}
	/* Every overlay left waiting is rebuilt before the pass ends. */
	if (push_flush_all(r, &fcause) != 0 && st == SD_OK) {
		st = SD_ECACHE;
		free(*cause);
		*cause = fcause;
		fcause = NULL;
	}
	free(fcause);
	if (st == SD_OK && r->down != SD_OK && r->answered == 0) {
		/* Nothing got an answer: the store is down or unwell, say so. */
		st = r->down;
		*cause = xstrdup(r->stats->why);
	}
	free(extra);
	push_group_free(&grp[0]);
	push_group_free(&grp[1]);
	for (i = 0; i < n; i++)
		free(rows[i].object_id);
	free(rows);
	free(r->objs);
	r->objs = NULL;
	r->nobjs = 0;
	free(r->stale);
	r->stale = NULL;
	r->nstale = 0;
	return st;
}

/* Sleep until t, in short naps so that an interrupt is noticed. */
static int
push_sleep_until(time_t t)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };

	while (time(NULL) < t) {
		if (backend_interrupted())
			return -1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* outbox_push() with a cause to write to. */
static enum sd_status
push_all(struct cache *c, struct backend *be, const struct push_opts *o,
    struct push_stats *stats, char **cause)
{
	struct push_run r;
	enum sd_status st;
	time_t deadline = 0;
	int passes;

	memset(stats, 0, sizeof *stats);
	memset(&r, 0, sizeof r);
	r.c = c;
	r.pid = getpid();
	r.be = be;
	r.o = o;
	r.stats = stats;
	if (sqlite3_get_autocommit(cache_db(c)) == 0) {
		*cause = xstrdup("outbox: cannot push inside a transaction");
		return SD_ECACHE;
	}
	if (o != NULL && o->wait_seconds > 0)
		deadline = time(NULL) + o->wait_seconds;
	/* What a push killed before its end left behind. */
	if (push_repair(&r, cause) != 0)
		return SD_ECACHE;
	for (passes = 0;; passes++) {
		if (push_requeue_stale(&r, cause) != 0)
			return SD_ECACHE;
		st = push_pass(&r, cause);
		if (st != SD_OK && st != SD_ENETWORK && st != SD_ESERVER)
			return st;
		/* A SKU waited for its new product, which the store has since answered. */
		if (st == SD_OK && r.again && r.answered > 0 && passes < PUSH_DEP_PASSES)
			continue;
		/* Done, or waiting for a retry time: wait if we may. */
		if (r.wake == 0 || deadline == 0 || r.wake > deadline)
			return st;
		if (push_sleep_until(r.wake) != 0) {
			free(*cause);
			*cause = xstrdup("interrupted");
			return SD_EINTR;
		}
		free(*cause);
		*cause = NULL;
	}
}

/*
 * The outbox's last entry id, or the number of entries up to last that are
 * still queued and not behind a conflict or a refusal of their object: what
 * a push left unsent because of failures. -1 when the cache failed.
 */
static int64_t
push_count(struct cache *c, int64_t last)
{
	sqlite3_stmt *stmt;
	int64_t n = -1;

	if (last < 0)
		stmt = cache_prepare(c, "SELECT coalesce(max(id), 0) FROM outbox", NULL);
	else
		stmt = cache_prepare(c, "SELECT count(*) FROM outbox q WHERE q.id <= ?1 AND"
		    " q.state = ?2 AND NOT EXISTS (SELECT 1 FROM outbox b WHERE b.id < q.id AND"
		    " b.kind = q.kind AND b.object_id = q.object_id AND b.state IN (?3, ?4))",
		    NULL);
	if (stmt == NULL)
		return -1;
	if (last >= 0) {
		sqlite3_bind_int64(stmt, 1, last);
		sqlite3_bind_int(stmt, 2, OUTBOX_QUEUED);
		sqlite3_bind_int(stmt, 3, OUTBOX_CONFLICT);
		sqlite3_bind_int(stmt, 4, OUTBOX_FAILED);
	}
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return n;
}

enum sd_status
outbox_push(struct cache *c, struct backend *be, const struct push_opts *o,
    struct push_stats *stats, char **cause)
{
	struct push_stats none;
	enum sd_status st;
	char *why = NULL;
	int64_t last = push_count(c, -1), n;

	if (stats == NULL)
		stats = &none;
#ifdef M_TRIM_THRESHOLD
	/*
	 * Each overlay, answer and statement frees what it took, and at the
	 * top of the heap past 128 kB glibc gives it back and takes it again
	 * for the next: with the sending thread running, each give-back costs
	 * every CPU a TLB flush, and each take-back page faults.
	 */
	mallopt(M_TRIM_THRESHOLD, PUSH_TRIM);
#endif
	st = push_all(c, be, o, stats, cause != NULL ? cause : &why);
#ifdef M_TRIM_THRESHOLD
	mallopt(M_TRIM_THRESHOLD, PUSH_TRIM_AFTER);
#endif
	/* Entries queued during the push (by another process) are not counted. */
	if (last > 0 && (n = push_count(c, last)) > 0)
		stats->unsent = (unsigned)n;
	free(why);
	return st;
}
