/*
 * outbox-push.c -- replaying the outbox to the store.
 *
 * A pass walks the entries in order. Each is claimed (queued -> sending,
 * with our pid) in a commit of its own before it is sent, so that two
 * shopdesk processes never send it at once; a claim whose process died, or
 * that is older than PUSH_CLAIM_TTL, goes back to the queue at the start of
 * the next push. The entry is then sent again under the same key, and the
 * store answers a request it had already applied from its idempotency record
 * (the same status and body, "Idempotent-Replay: true"), so it is applied
 * once whatever happened to the first answer. An answer is settled in one
 * transaction: the entry's new state (or its move to the log), the objects
 * the store sent, and the overlay rebuilt on them.
 *
 * Order: an entry waits while an earlier entry for the same object is in
 * conflict, failed, being sent by another process or waiting for its retry
 * time -- a "ship" must not overtake the "address" change queued before it.
 * Creates have no object yet and wait for nothing. A transient failure (no
 * answer, 5xx, 429, a malformed success) ends the pass: the store is
 * unreachable or unwell, and the rest would only fail the same way.
 *
 * push_opts.on_entry hears, with the entry as it then is: "sending",
 * "applied" (the entry from the log), "conflict", "failed", "deferred" (a
 * transient failure; next_at says when it will be retried), "waiting"
 * (behind an earlier entry), "unauthorized" (401) and "requeued" (a dead
 * pusher's claim released).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "outbox.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

#define PUSH_CLAIM_TTL		600	/* seconds after which a claim is stale */
#define PUSH_BACKOFF_MAX	300	/* seconds: the backoff stops doubling here */

/* What a pass needs of an entry to decide whether to send it. */
struct push_row {
	int64_t		 id;
	enum sd_kind	 kind;
	char		*object_id;	/* NULL for a create */
	enum outbox_state state;
	time_t		 next_at;
};

/* An object whose later entries must wait, and the entry they wait for. */
struct push_block {
	enum sd_kind	 kind;
	const char	*object_id;	/* borrowed from the rows */
	int64_t		 by;
};

struct push_run {
	struct cache		*c;
	struct backend		*be;
	const struct push_opts	*o;
	struct push_stats	*stats;
	struct push_block	*blocks;
	size_t			 nblocks;
	time_t			 wake;		/* earliest retry time seen, 0: none */
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

static int64_t
push_blocked_by(struct push_run *r, const struct push_row *row)
{
	size_t i;

	if (row->object_id == NULL)
		return 0;
	for (i = 0; i < r->nblocks; i++) {
		if (r->blocks[i].kind == row->kind &&
		    strcmp(r->blocks[i].object_id, row->object_id) == 0)
			return r->blocks[i].by;
	}
	return 0;
}

/* Later entries of row's object wait for row. */
static void
push_block(struct push_run *r, const struct push_row *row)
{
	if (row->object_id == NULL || push_blocked_by(r, row) != 0)
		return;
	r->blocks = xrealloc(r->blocks, (r->nblocks + 1) * sizeof *r->blocks);
	r->blocks[r->nblocks].kind = row->kind;
	r->blocks[r->nblocks].object_id = row->object_id;
	r->blocks[r->nblocks].by = row->id;
	r->nblocks++;
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

	if (sqlite3_prepare_v2(db, "UPDATE outbox SET state = 1, claimed_by = ?2,"
	    " claimed_at = ?3 WHERE id = ?1 AND state = 0", -1, &stmt, NULL) != SQLITE_OK) {
		push_sql_error(r, "claim an entry", cause);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)getpid());
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
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

	if (sqlite3_prepare_v2(db, "UPDATE outbox SET reason = ?2 WHERE id = ?1 AND"
	    " state = 0 AND reason IS NOT ?2", -1, &stmt, NULL) != SQLITE_OK) {
		push_sql_error(r, "update an entry", cause);
		return -1;
	}
	reason = xasprintf("waiting for #%lld", (long long)by);
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, reason, -1, free);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
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

	if (sqlite3_prepare_v2(cache_db(r->c), sql, -1, &stmt, NULL) != SQLITE_OK) {
		push_sql_error(r, "update an entry", cause);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int(stmt, 2, state);
	sqlite3_bind_int(stmt, 3, http);
	if (reason != NULL)
		sqlite3_bind_text(stmt, 4, reason, -1, SQLITE_STATIC);
	if (theirs != NULL)
		sqlite3_bind_text(stmt, 5, theirs, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)next_at);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
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

/* Store the store's objects and rebuild e's overlay; inside a transaction. */
static int
push_store(struct push_run *r, const struct outbox_entry *e, const cJSON **objs,
    const enum sd_kind *kinds, int n, char **cause)
{
	int i;

	for (i = 0; i < n; i++) {
		if (outbox_store(r->c, kinds[i], objs[i], cause) != 0)
			return -1;
	}
	if (e->object_id != NULL)
		return outbox_overlay_apply(r->c, e->kind, e->object_id, cause);
	return 0;
}

/*
 * Later entries for the same object were queued while this one was pending,
 * on top of its overlay, and based on the store version the user saw then
 * (the overlay does not change it): once this one is applied they are the
 * user's next steps on the new version, not concurrent edits, so they are
 * re-based on the version the store gave. (Had someone else changed the
 * object in between, this one would have conflicted instead.)
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
	if (sqlite3_prepare_v2(cache_db(r->c), "UPDATE outbox SET base_version = ?1 "
	    "WHERE kind = ?2 AND object_id = ?3 AND id > ?4 AND state = ?5 AND "
	    "base_version >= 0", -1, &stmt, NULL) != SQLITE_OK) {
		push_sql_error(r, "re-base later entries", cause);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, v);
	sqlite3_bind_int(stmt, 2, (int)e->kind);
	sqlite3_bind_text(stmt, 3, e->object_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, e->id);
	sqlite3_bind_int(stmt, 5, OUTBOX_QUEUED);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		push_sql_error(r, "re-base later entries", cause);
		return -1;
	}
	return 0;
}

/* 2xx: the store's answer becomes the object, the entry goes to the log. */
static enum sd_status
push_applied(struct push_run *r, const struct outbox_entry *e, int http,
    const cJSON *answer, const cJSON **objs, const enum sd_kind *kinds, int n,
    char **cause)
{
	const char *created = NULL;
	char *result;
	int rc;

	if (e->object_id == NULL)
		created = json_str(objs[0], "id");
	result = json_print(answer);
	if (cache_begin(r->c, cause) != 0) {
		cJSON_free(result);
		return SD_ECACHE;
	}
	/* Out of the queue first, so that the objects are stored as they are. */
	rc = push_update(r, push_sql_settle, e->id, OUTBOX_SENDING, http, NULL, NULL, 0,
	    cause);
	if (rc == 0)
		rc = outbox_log_move(r->c, e->id, "applied", result, http, created, cause);
	if (rc == 0)
		rc = push_rebase(r, e, objs, kinds, n, cause);
	if (rc == 0)
		rc = push_store(r, e, objs, kinds, n, cause);
	if (rc == 0)
		rc = cache_commit(r->c, cause);
	cJSON_free(result);
	if (rc != 0) {
		cache_rollback(r->c);
		return SD_ECACHE;
	}
	r->stats->applied++;
	push_event(r, e->id, "applied");
	return SD_OK;
}

/* 409/412 and refusals: the entry stays, with the store's reason. */
static enum sd_status
push_refused(struct push_run *r, const struct outbox_entry *e, enum outbox_state state,
    int http, const cJSON *answer, char **cause)
{
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
	rc = cache_begin(r->c, cause);
	if (rc == 0)
		rc = push_update(r, push_sql_settle, e->id, state, http, reason, text, 0,
		    cause);
	/* The store's current object is its state now (after the entry left the overlay). */
	if (rc == 0)
		rc = push_store(r, e, &theirs, &e->kind, theirs != NULL, cause);
	if (rc == 0)
		rc = cache_commit(r->c, cause);
	free(reason);
	if (text != NULL)
		cJSON_free(text);
	if (rc != 0) {
		cache_rollback(r->c);
		return SD_ECACHE;
	}
	if (state == OUTBOX_CONFLICT) {
		r->stats->conflicts++;
		push_event(r, e->id, "conflict");
	} else {
		r->stats->failed++;
		push_event(r, e->id, "failed");
	}
	return SD_OK;
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

/* Send one claimed entry and settle its answer. */
static enum sd_status
push_one(struct push_run *r, const struct push_row *row, char **cause)
{
	struct outbox_entry e;
	struct backend_action a;
	struct backend_result res;
	const cJSON *objs[2];
	enum sd_kind kinds[2];
	enum sd_status st, bst;
	cJSON *body;
	char *why = NULL, *reason;
	time_t next_at;
	int http, n = 0;

	if (outbox_get(r->c, row->id, &e, cause) != 1) {
		if (*cause == NULL)
			*cause = xasprintf("outbox: entry #%lld vanished while claimed",
			    (long long)row->id);
		return SD_ECACHE;
	}
	body = cJSON_Parse(e.body);
	memset(&a, 0, sizeof a);
	a.kind = e.kind;
	a.id = e.object_id;
	a.action = e.path_action;
	a.method = e.method;
	a.body = body;
	a.idempotency_key = e.key;
	a.if_match = e.base_version;
	push_event(r, e.id, "sending");

	memset(&res, 0, sizeof res);
	bst = r->be->ops->action(r->be, &a, &res, &why);
	r->stats->sent++;
	http = res.http_status;
	if (http >= 200 && http < 300)
		n = push_answer_objects(&e, res.body, objs, kinds);

	if (n != 0)
		st = push_applied(r, &e, http, res.body, objs, kinds, n, cause);
	else if (http == 409 || http == 412)
		st = push_refused(r, &e, OUTBOX_CONFLICT, http, res.body, cause);
	else if (http >= 400 && http < 500 && http != 401 && http != 429)
		st = push_refused(r, &e, OUTBOX_FAILED, http, res.body, cause);
	else if (http == 0 && bst == SD_EINTR) {
		/* Interrupted: maybe sent, so the same key again, but no penalty. */
		st = SD_EINTR;
		if (push_requeue(r, &e, 0, "will retry: interrupted", 0, cause) != 0)
			st = SD_ECACHE;
		else
			*cause = xstrdup("interrupted");
	} else if (http == 401) {
		reason = push_reason(http, res.body);
		*cause = xasprintf("the store refused the token (%s); fix the token,"
		    " then push again", reason);
		free(reason);
		st = SD_EAUTH;
		if (push_requeue(r, &e, http, *cause, 0, cause) != 0)
			st = SD_ECACHE;
		else
			push_event(r, e.id, "unauthorized");
	} else {
		/* Transient: no answer, 429, 5xx, anything else unexpected. */
		if (http == 0)
			reason = xasprintf("will retry: %s", why != NULL ? why :
			    "no answer from the store");
		else if (http >= 200 && http < 300)
			reason = xasprintf("will retry: the store sent a malformed answer"
			    " (HTTP %d)", http);
		else
			reason = xasprintf("will retry: %s", why != NULL ? why :
			    "the store answered an error");
		st = http == 0 ? SD_ENETWORK : SD_ESERVER;
		next_at = push_backoff(e.attempts + 1, res.retry_after, time(NULL));
		if (push_requeue(r, &e, http, reason, next_at, cause) != 0)
			st = SD_ECACHE;
		else {
			*cause = xstrdup(reason + strlen("will retry: "));
			r->stats->deferred++;
			if (r->wake == 0 || next_at < r->wake)
				r->wake = next_at;
			push_event(r, e.id, "deferred");
		}
		free(reason);
	}
	if (st == SD_OK && e.object_id != NULL && n == 0)
		push_block(r, row);	/* in conflict or failed: later ones wait */

	free(why);
	cJSON_Delete(res.body);
	cJSON_Delete(body);
	outbox_entry_done(&e);
	return st;
}

/* The entries, in order, as a pass needs them. */
static struct push_row *
push_rows(struct push_run *r, size_t *np, char **cause)
{
	sqlite3_stmt *stmt;
	struct push_row *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (sqlite3_prepare_v2(cache_db(r->c), "SELECT id, kind, object_id, state, next_at"
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

/* One pass over the queue. */
static enum sd_status
push_pass(struct push_run *r, char **cause)
{
	struct push_row *rows, *row;
	size_t n, i;
	enum sd_status st = SD_OK;
	int64_t by;
	time_t now = time(NULL);

	r->stats->deferred = 0;
	r->wake = 0;
	if ((rows = push_rows(r, &n, cause)) == NULL)
		return SD_ECACHE;
	for (i = 0; i < n && st == SD_OK; i++) {
		row = &rows[i];
		by = push_blocked_by(r, row);
		if (row->state != OUTBOX_QUEUED) {
			push_block(r, row);	/* conflict, failed, or another's claim */
			continue;
		}
		if (r->o != NULL && r->o->only_through != 0 && row->id > r->o->only_through)
			break;
		if (by != 0) {
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
		switch (push_claim(r, row->id, cause)) {
		case -1:
			st = SD_ECACHE;
			break;
		case 0:
			push_block(r, row);	/* someone else's now */
			break;
		default:
			st = push_one(r, row, cause);
			break;
		}
		if (backend_interrupted() && st == SD_OK) {
			*cause = xstrdup("interrupted");
			st = SD_EINTR;
		}
	}
	for (i = 0; i < n; i++)
		free(rows[i].object_id);
	free(rows);
	free(r->blocks);
	r->blocks = NULL;
	r->nblocks = 0;
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

	memset(stats, 0, sizeof *stats);
	memset(&r, 0, sizeof r);
	r.c = c;
	r.be = be;
	r.o = o;
	r.stats = stats;
	if (sqlite3_get_autocommit(cache_db(c)) == 0) {
		*cause = xstrdup("outbox: cannot push inside a transaction");
		return SD_ECACHE;
	}
	if (o != NULL && o->wait_seconds > 0)
		deadline = time(NULL) + o->wait_seconds;
	for (;;) {
		if (push_requeue_stale(&r, cause) != 0)
			return SD_ECACHE;
		st = push_pass(&r, cause);
		if (st != SD_OK && st != SD_ENETWORK && st != SD_ESERVER)
			return st;
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

enum sd_status
outbox_push(struct cache *c, struct backend *be, const struct push_opts *o,
    struct push_stats *stats, char **cause)
{
	struct push_stats none;
	enum sd_status st;
	char *why = NULL;

	st = push_all(c, be, o, stats != NULL ? stats : &none, cause != NULL ? cause : &why);
	free(why);
	return st;
}
