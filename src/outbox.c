/*
 * outbox.c -- offline writes: the queue, the overlay it lays over the cache,
 * and what people do with entries (list, show, retry, drop, resolve, edit).
 * The replay to the store is in outbox-push.c.
 *
 * An entry is a row of the outbox table, committed with synchronous=FULL so
 * that once outbox_enqueue() has returned it survives a crash or a power
 * cut. It keeps its Idempotency-Key for life (only a new decision -- a
 * conflict resolved as "mine", an edit -- gets a new key), so replaying it
 * never applies it twice. Entries leave the table for outbox_log when
 * applied or dropped.
 *
 * The overlay is computed, never edited. What an object's table row shows
 * while it has pending (queued or sending) entries is the store's own state
 * of the object, kept in the shadow table, with the JSON merge patches
 * (RFC 7386) of those entries applied in order and "_pending": N added. Any
 * change to an entry, and any object the store sends for it, goes through
 * outbox_overlay_apply(), which rebuilds the row from scratch: a pull that
 * brings a newer object keeps the pending changes on top, and an entry that
 * conflicts, fails or is dropped simply stops contributing. When no entry is
 * left the shadow row goes and the table holds the store's bytes exactly.
 *
 * Where the store's state is, then: in the shadow row while the object has
 * pending entries (the table holds the overlay, marked by "_pending"), in
 * the table otherwise. An entry in conflict or failed is unresolved but not
 * pending, so a sync stores the object straight into the table and the
 * shadow row, kept until the entry is resolved, may fall behind; the overlay
 * is therefore built on whichever unmarked copy has the higher version.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outbox.h"
#include "util/buf.h"
#include "util/crash.h"
#include "util/jscan.h"
#include "util/jsonutil.h"
#include "util/sign.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define OUTBOX_KEY_LEN	24		/* random characters after "sd-" */
#define OUTBOX_MARKER	"_pending"	/* member marking an overlay */

/* The SQL below writes the pending states as numbers. */
_Static_assert(OUTBOX_QUEUED == 0 && OUTBOX_SENDING == 1 &&
    OUTBOX_CONFLICT == 2 && OUTBOX_FAILED == 3, "outbox states are stored as numbers");

/* The columns of an entry, in the order outbox_entry_read() takes them. */
#define OUTBOX_COLUMNS							\
	"id, key, kind, object_id, action, method, path_action, body,"	\
	" base_version, patch, state, attempts, next_at, reason,"	\
	" http_status, theirs, created_at, summary"
/* The same from the log, then outcome, result and applied_at. */
#define OUTBOX_LOG_COLUMNS						\
	"id, key, kind, object_id, action, method, path_action, body,"	\
	" base_version, patch, state, attempts, 0, reason,"		\
	" http_status, theirs, created_at, summary,"			\
	" outcome, result, applied_at"

/*
 * The statements the cache keeps for us (cache_slot_stmt). The pending
 * lookup runs for every object a sync stores: "state <= 1" (queued or
 * sending) is a range in the (kind, object_id, state, id) index, where
 * "state IN (0, 1)" would build an ephemeral table on every run -- 1.6 us
 * against 0.36 us a lookup, 130 ms over a sync of 100,000 objects.
 */
static const char outbox_sql_pending[] =
    "SELECT 1 FROM outbox WHERE kind = ?1 AND object_id = ?2"
    " AND state <= 1 LIMIT 1";
static const char outbox_sql_shadow_get[] =
    "SELECT json FROM shadow WHERE kind = ?1 AND id = ?2";
static const char outbox_sql_shadow_put[] =
    "INSERT INTO shadow (kind, id, json) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json";
static const char outbox_sql_shadow_del[] =
    "DELETE FROM shadow WHERE kind = ?1 AND id = ?2";
static const char outbox_sql_known[] =
    "SELECT EXISTS (SELECT 1 FROM outbox WHERE kind = ?1 AND object_id = ?2)"
    " OR EXISTS (SELECT 1 FROM shadow WHERE kind = ?1 AND id = ?2)";
static const char outbox_sql_entries[] =
    "SELECT state, patch FROM outbox WHERE kind = ?1 AND object_id = ?2"
    " ORDER BY id";

static const char *outbox_state_names[OUTBOX__COUNT] = {
	"queued", "sending", "conflict", "failed"
};

static void outbox_error(char **, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
outbox_error(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
}

/* An SQLite failure while doing what: -1 with *cause. */
static int
outbox_sql_error(struct cache *c, const char *what, char **cause)
{
	outbox_error(cause, "outbox: cannot %s: %s", what, sqlite3_errmsg(cache_db(c)));
	return -1;
}

static sqlite3_stmt *
outbox_prepare(struct cache *c, const char *sql, char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = cache_prepare(c, sql, NULL)) == NULL)
		outbox_sql_error(c, "prepare a query", cause);
	return stmt;
}

/* Run a statement from outbox_prepare() that returns no rows, and hand it back. */
static int
outbox_run(struct cache *c, sqlite3_stmt *stmt, const char *what, char **cause)
{
	int rc = sqlite3_step(stmt);

	cache_stmt_done(c, stmt);
	if (rc != SQLITE_DONE)
		return outbox_sql_error(c, what, cause);
	return 0;
}

static void
outbox_bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
}

static char *
outbox_column(sqlite3_stmt *stmt, int i)
{
	if (sqlite3_column_type(stmt, i) == SQLITE_NULL)
		return NULL;
	return xstrdup((const char *)sqlite3_column_text(stmt, i));
}

const char *
outbox_state_name(enum outbox_state s)
{
	if ((unsigned)s >= OUTBOX__COUNT)
		return "unknown";
	return outbox_state_names[s];
}

/* Fill e from a row of OUTBOX_COLUMNS. */
static void
outbox_entry_read(sqlite3_stmt *stmt, struct outbox_entry *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(stmt, 0);
	e->key = outbox_column(stmt, 1);
	e->kind = (enum sd_kind)sqlite3_column_int(stmt, 2);
	e->object_id = outbox_column(stmt, 3);
	e->action = outbox_column(stmt, 4);
	e->method = outbox_column(stmt, 5);
	e->path_action = outbox_column(stmt, 6);
	e->body = outbox_column(stmt, 7);
	e->base_version = sqlite3_column_int64(stmt, 8);
	e->patch = outbox_column(stmt, 9);
	e->state = (enum outbox_state)sqlite3_column_int(stmt, 10);
	e->attempts = sqlite3_column_int(stmt, 11);
	e->next_at = (time_t)sqlite3_column_int64(stmt, 12);
	e->reason = outbox_column(stmt, 13);
	e->http_status = sqlite3_column_int(stmt, 14);
	e->theirs = outbox_column(stmt, 15);
	e->created_at = outbox_column(stmt, 16);
	e->summary = outbox_column(stmt, 17);
}

void
outbox_entry_done(struct outbox_entry *e)
{
	free(e->key);
	free(e->object_id);
	free(e->action);
	free(e->method);
	free(e->path_action);
	free(e->body);
	free(e->patch);
	free(e->reason);
	free(e->theirs);
	free(e->result);
	free(e->created_at);
	free(e->summary);
	memset(e, 0, sizeof *e);
}

/*
 * A transaction whose commit is fsync'd before it returns: synchronous is
 * FULL while it commits (the level cannot change inside a transaction) and
 * back to what it was after. For what people decide: a queued action, a
 * drop, a retry, a resolution.
 */
int
outbox_durable_begin(struct cache *c, int *level, char **cause)
{
	sqlite3 *db = cache_db(c);
	sqlite3_stmt *stmt;

	if (sqlite3_get_autocommit(db) == 0) {
		outbox_error(cause, "outbox: a change to the outbox must be its own"
		    " transaction");
		return -1;
	}
	*level = 1;	/* NORMAL, as cache_open() sets it */
	if (sqlite3_prepare_v2(db, "PRAGMA synchronous", -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			*level = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
	}
	if (sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
		return outbox_sql_error(c, "ask for a durable commit", cause);
	if (cache_begin(c, cause) != 0) {
		sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* Commit (or roll back) and restore the synchronous level. */
int
outbox_durable_end(struct cache *c, int level, int commit, char **cause)
{
	char sql[64];
	int rc = -1;

	if (commit)
		rc = cache_commit(c, cause);
	if (rc != 0)
		cache_rollback(c);
	snprintf(sql, sizeof sql, "PRAGMA synchronous = %d", level);
	sqlite3_exec(cache_db(c), sql, NULL, NULL, NULL);
	return rc;
}

/*
 * RFC 7386 JSON merge patch: patch applied to target, which is consumed;
 * returns the result. Objects are merged member by member (null removes a
 * member), anything else replaces. Members keep their place.
 */
static cJSON *
outbox_merge(cJSON *target, const cJSON *patch)
{
	const cJSON *m;
	cJSON *cur, *v;

	if (!cJSON_IsObject(patch)) {
		cJSON_Delete(target);
		if ((v = cJSON_Duplicate(patch, 1)) == NULL)
			fatal("outbox: out of memory");
		return v;
	}
	if (!cJSON_IsObject(target)) {
		cJSON_Delete(target);
		if ((target = cJSON_CreateObject()) == NULL)
			fatal("outbox: out of memory");
	}
	cJSON_ArrayForEach(m, patch) {
		cur = cJSON_GetObjectItemCaseSensitive(target, m->string);
		if (cJSON_IsNull(m)) {
			if (cur != NULL)
				cJSON_DeleteItemFromObjectCaseSensitive(target, m->string);
		} else if (cJSON_IsObject(cur) && cJSON_IsObject(m))
			outbox_merge(cur, m);	/* in place */
		else
			json_set(target, m->string, outbox_merge(NULL, m));
	}
	return target;
}

static long long
outbox_version(const cJSON *obj)
{
	return json_int(obj, "version", -1);
}

/* The store's state of (k, id) kept aside, into *out (NULL if none). */
static int
outbox_shadow_get(struct cache *c, enum sd_kind k, const char *id, char **out, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	*out = NULL;
	stmt = cache_slot_stmt(c, CACHE_SLOT_SHADOW_GET, outbox_sql_shadow_get, cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int(stmt, 1, (int)k);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*out = outbox_column(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return outbox_sql_error(c, "read the store's state of an object", cause);
	return 0;
}

static int
outbox_shadow_put(struct cache *c, enum sd_kind k, const char *id, const char *json,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = cache_slot_stmt(c, CACHE_SLOT_SHADOW_PUT, outbox_sql_shadow_put, cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int(stmt, 1, (int)k);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, json, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_DONE)
		return outbox_sql_error(c, "keep the store's state of an object", cause);
	return 0;
}

int
outbox_shadow_remove(struct cache *c, enum sd_kind k, const char *id, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = cache_slot_stmt(c, CACHE_SLOT_SHADOW_DEL, outbox_sql_shadow_del, cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int(stmt, 1, (int)k);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_DONE)
		return outbox_sql_error(c, "forget the store's state of an object", cause);
	return 0;
}

int
outbox_has_pending(struct cache *c, enum sd_kind k, const char *id)
{
	sqlite3_stmt *stmt;
	int rc;

	stmt = cache_slot_stmt(c, CACHE_SLOT_PENDING, outbox_sql_pending, NULL);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int(stmt, 1, (int)k);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * The door. The store's objects enter the cache only here -- outbox_store(),
 * outbox_store_text(), outbox_forget() -- from the sync engine, the answers
 * of the replay and "show --fresh"; the cache itself is plain storage that
 * calls nothing above it (layering.sh checks).
 */

/* Whether the outbox has pending entries for (k, id); -1 with *cause. */
static int
outbox_pending(struct cache *c, enum sd_kind k, const char *id, char **cause)
{
	int rc;

	if (id == NULL)
		return 0;	/* the cache says what is wrong with the object */
	if ((rc = outbox_has_pending(c, k, id)) < 0)
		outbox_sql_error(c, "read the outbox", cause);
	return rc;
}

static int overlay_put(struct cache *, enum sd_kind, const cJSON *, const char *, size_t,
    int, char **);

/* outbox_store() and outbox_store_printed(): with savepoint, see overlay_put(). */
static int
store_object(struct cache *c, enum sd_kind k, const cJSON *obj, const char *text,
    int savepoint, char **cause)
{
	size_t len = text != NULL ? strlen(text) : 0;

	switch (outbox_pending(c, k, json_str(obj, "id"), cause)) {
	case 0:
		return cache_put_direct(c, k, obj, text, len, cause);
	case 1:
		return overlay_put(c, k, obj, text, len, savepoint, cause);
	default:
		return -1;
	}
}

int
outbox_store(struct cache *c, enum sd_kind k, const cJSON *obj, char **cause)
{
	return store_object(c, k, obj, NULL, 1, cause);
}

int
outbox_store_printed(struct cache *c, enum sd_kind k, const cJSON *obj, const char *text,
    char **cause)
{
	return store_object(c, k, obj, text, 0, cause);
}

int
outbox_store_text(struct cache *c, enum sd_kind k, const char *id, const char *text,
    size_t len, char **cause)
{
	cJSON *obj = NULL;
	int rc;

	if (id == NULL) {	/* not known to the caller: read it from the text */
		obj = cJSON_ParseWithLength(text, len);
		id = json_str(obj, "id");
	}
	rc = outbox_pending(c, k, id, cause);
	cJSON_Delete(obj);
	switch (rc) {
	case 0:
		return cache_put_text(c, k, text, len, cause);
	case 1:
		return outbox_overlay_put(c, k, NULL, text, len, cause);
	default:
		return -1;
	}
}

int
outbox_store_row(struct cache *c, enum sd_kind k, const struct cache_row *row, const char *text,
    size_t len, char **cause)
{
	switch (outbox_pending(c, k, cache_row_id(row), cause)) {
	case 0:
		return cache_put_row(c, row, cause);
	case 1:
		return outbox_overlay_put(c, k, NULL, text, len, cause);
	default:
		return -1;
	}
}

int
outbox_forget(struct cache *c, enum sd_kind k, const char *id, char **cause)
{
	if (cache_remove(c, k, id, cause) != 0)
		return -1;
	/* Gone from the store: nothing left for an overlay to show. */
	return outbox_shadow_remove(c, k, id, cause);
}

/* Write obj (as text) into its table unless the table already shows exactly that. */
static int
outbox_show(struct cache *c, enum sd_kind k, const cJSON *obj, const char *text,
    const char *shown, char **cause)
{
	if (shown != NULL && strcmp(shown, text) == 0)
		return 0;
	return cache_put_direct(c, k, obj, text, strlen(text), cause);
}

static int overlay_apply(struct cache *, enum sd_kind, const char *, const cJSON *,
    const char *, const char *, char **);

/*
 * Whether the patches p[0..n) change only members at the top of the object
 * they patch: each an object whose members are neither id, version nor the
 * marker, none named by two patches, none an object (merged member by
 * member, not copied); a null removes, anything else replaces or is added;
 * keys that need no escaping. Then the overlay's text is the base's with those
 * members changed (overlay_splice()), as outbox_merge() changes the tree.
 */
static int
overlay_flat(cJSON *const *p, size_t n)
{
	const cJSON *m, *o;
	const unsigned char *k;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!cJSON_IsObject(p[i]))
			return 0;
		cJSON_ArrayForEach(m, p[i]) {
			if (m->string == NULL || strcmp(m->string, "id") == 0 ||
			    strcmp(m->string, "version") == 0 ||
			    strcmp(m->string, OUTBOX_MARKER) == 0)
				return 0;
			for (k = (const unsigned char *)m->string; *k != '\0'; k++)
				if (*k < 0x20 || *k == '"' || *k == '\\')
					return 0;
			if (cJSON_IsObject(m))
				return 0;	/* merged, not copied: its nulls remove */
			for (j = 0; j <= i; j++)
				cJSON_ArrayForEach(o, p[j]) {
					if (o == m)
						break;
					if (strcmp(o->string, m->string) == 0)
						return 0;
				}
		}
	}
	return 1;
}

/* The most members the patches of one object may have for overlay_splice(). */
#define OVERLAY_SPLICE_MAX	32

/* A member "key":value (value printed) after the members so far in b. */
static void
overlay_splice_member(struct buf *b, int *first, const char *key, size_t keylen,
    const char *value, size_t vallen)
{
	if (!*first)
		buf_addc(b, ',');
	*first = 0;
	buf_addc(b, '"');
	buf_add(b, key, keylen);
	buf_adds(b, "\":");
	buf_add(b, value, vallen);
}

/*
 * The text of base (its JSON text, an object) with the flat patches
 * p[0..n) (overlay_flat()) applied and the marker set to pending: the
 * members it keeps as they are, a patched one in its place, a new one
 * at the end, the marker last -- the members in the order the merged
 * tree has them. No parse, no print of the whole object. NULL when the
 * text is not as expected (a key with an escape, the marker already
 * there, too many members patched): the caller prints the tree instead.
 */
static char *
overlay_splice(const char *text, cJSON *const *p, size_t n, int pending)
{
	const cJSON *mem[OVERLAY_SPLICE_MAX], *v;
	char seen[OVERLAY_SPLICE_MAX], num[32], *pv;
	struct jscan_member m;
	struct buf b;
	const char *pos, *end = text + strlen(text);
	size_t i, j, nm = 0;
	int first = 1, r;

	for (i = 0; i < n; i++)
		cJSON_ArrayForEach(v, p[i]) {
			if (nm == OVERLAY_SPLICE_MAX)
				return NULL;
			seen[nm] = 0;
			mem[nm++] = v;
		}
	buf_init(&b);
	buf_reserve(&b, (size_t)(end - text) + 64);
	buf_addc(&b, '{');
	pos = jscan_ws(text, end);
	while ((r = jscan_member_next(&pos, end, &m)) == 1) {
		if (memchr(m.key, '\\', m.keylen) != NULL ||
		    jscan_key_is(&m, OUTBOX_MARKER))
			goto fail;
		for (j = 0; j < nm && !(seen[j] == 0 && jscan_key_is(&m, mem[j]->string)); j++)
			;
		if (j == nm) {
			overlay_splice_member(&b, &first, m.key, m.keylen, m.val, m.vallen);
			continue;
		}
		seen[j] = 1;	/* cJSON changes the first member of that name */
		if (cJSON_IsNull(mem[j]))
			continue;
		pv = json_print(mem[j]);
		overlay_splice_member(&b, &first, m.key, m.keylen, pv, strlen(pv));
		cJSON_free(pv);
	}
	if (r != 0 || jscan_ws(pos, end) != end)
		goto fail;
	/* The patched members the object did not have, in the patches' order. */
	for (j = 0; j < nm; j++) {
		if (seen[j] || cJSON_IsNull(mem[j]))
			continue;
		pv = json_print(mem[j]);
		overlay_splice_member(&b, &first, mem[j]->string, strlen(mem[j]->string),
		    pv, strlen(pv));
		cJSON_free(pv);
	}
	snprintf(num, sizeof num, "%d", pending);
	overlay_splice_member(&b, &first, OUTBOX_MARKER, strlen(OUTBOX_MARKER), num,
	    strlen(num));
	buf_addc(&b, '}');
	return buf_steal(&b);

fail:
	buf_done(&b);
	return NULL;
}

void
outbox_new_id(int64_t entry, char *out, size_t n)
{
	snprintf(out, n, OUTBOX_NEW_PREFIX "%lld", (long long)entry);
}

/*
 * A queued create has no object yet, so it shows as a placeholder: the
 * object as it will look (the entry's patch), under outbox_new_id(),
 * version 0, marked pending -- until the store makes the real one
 * (push_applied) or refuses it. Without a patch there is nothing to show.
 */
static int
outbox_placeholder_put(struct cache *c, enum sd_kind k, int64_t entry, const char *patch,
    char **cause)
{
	char id[OUTBOX_NEW_ID_LEN], now[RFC3339_LEN];
	cJSON *obj;
	int rc;

	if (patch == NULL)
		return 0;
	if (!cJSON_IsObject(obj = cJSON_Parse(patch))) {
		cJSON_Delete(obj);
		return 0;
	}
	outbox_new_id(entry, id, sizeof id);
	time_format_rfc3339(time(NULL), now);
	json_set_str(obj, "id", id);
	json_set_int(obj, "version", 0);
	if (json_str(obj, "created_at") == NULL)
		json_set_str(obj, "created_at", now);
	if (json_str(obj, "updated_at") == NULL)
		json_set_str(obj, "updated_at", now);
	json_set_int(obj, OUTBOX_MARKER, 1);
	rc = cache_put_direct(c, k, obj, NULL, 0, cause);
	cJSON_Delete(obj);
	return rc;
}

int
outbox_placeholder_remove(struct cache *c, const struct outbox_entry *e, char **cause)
{
	char id[OUTBOX_NEW_ID_LEN];

	if (e->object_id != NULL)
		return 0;
	outbox_new_id(e->id, id, sizeof id);
	return cache_remove(c, e->kind, id, cause);
}

/* Every cJSON node of the rebuild comes from the arena: none outlives it. */
int
outbox_overlay_apply(struct cache *c, enum sd_kind k, const char *id, char **cause)
{
	int rc;

	json_arena_begin();
	rc = overlay_apply(c, k, id, NULL, NULL, NULL, cause);
	json_arena_end();
	return rc;
}

/*
 * The object's overlay made again from the store's state (the shadow:
 * given, or read) and its pending entries. shown, when not NULL, is the
 * text its table holds (read by the caller in this snapshot), else it is
 * read here.
 */
static int
overlay_apply(struct cache *c, enum sd_kind k, const char *id, const cJSON *given,
    const char *given_text, const char *shown, char **cause)
{
	sqlite3_stmt *stmt;
	cJSON *sobj = NULL, *tobj = NULL, *base, *work = NULL, **patches = NULL;
	const cJSON *v;
	char *stext = NULL, *ttext, *otext = NULL;
	const char *btext, *ptext;
	size_t i, npatches = 0, spatches = 0;
	int unresolved = 0, pending = 0, spliced = 0, state, step, rc = -1;

	/* The shadow as the caller just wrote it (given), or as it is kept. */
	if (given == NULL && outbox_shadow_get(c, k, id, &stext, cause) != 0)
		return -1;
	ttext = shown != NULL ? xstrdup(shown) : cache_get_json(c, k, id);
	if (given != NULL) {
		sobj = (cJSON *)given;
		stext = (char *)given_text;
	} else if (stext != NULL)
		sobj = cJSON_Parse(stext);
	if (ttext != NULL)
		tobj = cJSON_Parse(ttext);

	/* The store's state: the shadow, or the table's if newer and no overlay. */
	base = sobj;
	btext = stext;
	if (cJSON_IsObject(tobj) &&
	    cJSON_GetObjectItemCaseSensitive(tobj, OUTBOX_MARKER) == NULL &&
	    (sobj == NULL || outbox_version(tobj) > outbox_version(sobj))) {
		base = tobj;
		btext = ttext;
	}

	if ((stmt = cache_slot_stmt(c, CACHE_SLOT_ENTRIES, outbox_sql_entries, cause)) == NULL)
		goto out;
	sqlite3_bind_int(stmt, 1, (int)k);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		unresolved++;
		state = sqlite3_column_int(stmt, 0);
		if (state != OUTBOX_QUEUED && state != OUTBOX_SENDING)
			continue;
		pending++;
		if (base == NULL)
			continue;
		/* The patches in order; an entry without one counts all the same. */
		if (npatches == spatches) {
			spatches = spatches ? 2 * spatches : 4;
			patches = xrealloc(patches, spatches * sizeof *patches);
		}
		ptext = (const char *)sqlite3_column_text(stmt, 1);
		if ((patches[npatches] = ptext != NULL ? cJSON_Parse(ptext) : NULL) != NULL)
			npatches++;
	}
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (step != SQLITE_DONE) {
		outbox_sql_error(c, "read an object's entries", cause);
		goto out;
	}
	if (pending > 0 && base != NULL) {
		/*
		 * The table's object itself, merged in place, when nothing else
		 * needs it; and its text with the patched members changed when
		 * the patches are flat, rather than the whole tree printed.
		 */
		if (base == tobj && overlay_flat(patches, npatches) &&
		    (otext = overlay_splice(ttext, patches, npatches, pending)) != NULL) {
			spliced = 1;
			work = tobj;
			tobj = NULL;
		} else if ((work = cJSON_Duplicate(base, 1)) == NULL)
			fatal("outbox: out of memory");
		for (i = 0; i < npatches; i++)
			work = outbox_merge(work, patches[i]);
	}

	if (unresolved == 0) {
		if (stext != NULL && outbox_shadow_remove(c, k, id, cause) != 0)
			goto out;
	} else if (base != NULL && base != sobj &&
	    outbox_shadow_put(c, k, id, btext, cause) != 0)
		goto out;
	if (base == NULL) {
		rc = 0;		/* nothing known of the object to show */
		goto out;
	}
	if (work == NULL) {
		rc = outbox_show(c, k, base, btext, ttext, cause);
		goto out;
	}

	/* A patch may not move the object: it stays the store's id and version. */
	if (spliced) {
		/* Flat patches leave id and version alone (overlay_flat()). */
		json_set_int(work, OUTBOX_MARKER, pending);
		rc = outbox_show(c, k, work, otext, ttext, cause);
	} else if (cJSON_IsObject(work)) {
		json_set_str(work, "id", json_str(base, "id"));
		if ((v = cJSON_GetObjectItemCaseSensitive(base, "version")) != NULL)
			json_set(work, "version", cJSON_Duplicate(v, 1));
		json_set_int(work, OUTBOX_MARKER, pending);
		otext = json_print(work);
		rc = outbox_show(c, k, work, otext, ttext, cause);
	} else {
		outbox_error(cause, "outbox: a patch made %s %s something other than"
		    " an object", kind_info(k)->name, id);
	}

out:
	if (otext != NULL && spliced)
		free(otext);
	else if (otext != NULL)
		cJSON_free(otext);
	for (i = 0; i < npatches; i++)
		cJSON_Delete(patches[i]);
	free(patches);
	cJSON_Delete(work);
	if (given == NULL) {
		cJSON_Delete(sobj);
		free(stext);
	}
	cJSON_Delete(tobj);
	free(ttext);
	return rc;
}

int
outbox_overlay_put(struct cache *c, enum sd_kind k, const cJSON *obj, const char *text,
    size_t len, char **cause)
{
	return overlay_put(c, k, obj, text, len, 1, cause);
}

/*
 * outbox_overlay_put(); with savepoint, all or nothing by itself. Without,
 * the caller's transaction is rolled back whole if this fails: a savepoint
 * keeps the earlier content of every page changed under it (SQLite's
 * statement journal), in memory up to 64 kB and then in a temporary file
 * for the rest of the transaction, which for a replay's group of answers
 * was nine page writes an entry.
 */
static int
overlay_put(struct cache *c, enum sd_kind k, const cJSON *obj, const char *text,
    size_t len, int savepoint, char **cause)
{
	cJSON *parsed = NULL, *sobj;
	char *stext = NULL, *own = NULL;
	const char *id;
	int older, rc = -1;

	if (obj == NULL) {
		parsed = cJSON_ParseWithLength(text, len);
		if (!cJSON_IsObject(parsed)) {
			outbox_error(cause, "a %s that is not a JSON object", kind_info(k)->name);
			goto out;
		}
		obj = parsed;
	}
	id = json_str(obj, "id");
	if (id == NULL || !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, "version"))) {
		outbox_error(cause, "%s without an id or a version", kind_info(k)->name);
		goto out;
	}
	if (outbox_shadow_get(c, k, id, &stext, cause) != 0)
		goto out;
	if (stext != NULL) {
		sobj = cJSON_Parse(stext);
		older = outbox_version(obj) < outbox_version(sobj);
		cJSON_Delete(sobj);
		if (older) {
			/* The store's state we keep is newer; the entries may not be. */
			rc = outbox_overlay_apply(c, k, id, cause);
			goto out;
		}
	}
	/* All or nothing, also for a caller outside a transaction. */
	if (savepoint &&
	    sqlite3_exec(cache_db(c), "SAVEPOINT outbox_put", NULL, NULL, NULL) != SQLITE_OK) {
		outbox_sql_error(c, "store an object", cause);
		goto out;
	}
	/* The store's bytes when we have them, as cache_put_text() keeps them. */
	own = text != NULL ? xstrndup(text, len) : json_print(obj);
	if (outbox_shadow_put(c, k, id, own, cause) == 0) {
		json_arena_begin();
		rc = overlay_apply(c, k, id, obj, own, NULL, cause);
		json_arena_end();
	}
	if (text == NULL)
		cJSON_free(own);
	else
		free(own);
	if (rc != 0 && savepoint)
		sqlite3_exec(cache_db(c), "ROLLBACK TO outbox_put", NULL, NULL, NULL);
	if (savepoint &&
	    sqlite3_exec(cache_db(c), "RELEASE outbox_put", NULL, NULL, NULL) != SQLITE_OK &&
	    rc == 0)
		rc = outbox_sql_error(c, "store an object", cause);

out:
	cJSON_Delete(parsed);
	free(stext);
	return rc;
}

int
outbox_shadow_keep(struct cache *c, enum sd_kind k, const cJSON *obj, const char *text,
    char **cause)
{
	sqlite3_stmt *stmt;
	char *own;
	const char *id = json_str(obj, "id");
	int older = 0, rc;

	if (id == NULL || !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(obj, "version"))) {
		outbox_error(cause, "%s without an id or a version", kind_info(k)->name);
		return -1;
	}
	/* The version kept, read by SQLite: the object itself is not needed. */
	if ((stmt = outbox_prepare(c, "SELECT json_extract(json, '$.version') FROM shadow"
	    " WHERE kind = ?1 AND id = ?2", cause)) == NULL)
		return -1;
	sqlite3_bind_int(stmt, 1, (int)k);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		older = sqlite3_column_type(stmt, 0) != SQLITE_NULL &&
		    outbox_version(obj) < sqlite3_column_int64(stmt, 0);
	cache_stmt_done(c, stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return outbox_sql_error(c, "read the store's state of an object", cause);
	if (older)
		return 0;	/* the store's state we keep is newer */
	own = text != NULL ? (char *)text : json_print(obj);
	rc = outbox_shadow_put(c, k, id, own, cause);
	if (text == NULL)
		cJSON_free(own);
	return rc;
}

/* Read one entry by id; 1, 0 or -1. */
static int
outbox_read(struct cache *c, const char *sql, int64_t id, struct outbox_entry *e, int log,
    char **cause)
{
	sqlite3_stmt *stmt;
	char *outcome, *at, *was;
	int rc;

	memset(e, 0, sizeof *e);
	if ((stmt = outbox_prepare(c, sql, cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		outbox_entry_read(stmt, e);
		if (log) {
			/* Say what became of it, and when, where the reason goes. */
			outcome = outbox_column(stmt, 18);
			at = outbox_column(stmt, 20);
			e->result = outbox_column(stmt, 19);
			was = e->reason;
			if (was != NULL)
				e->reason = xasprintf("%s at %s (was: %s)", outcome, at, was);
			else
				e->reason = xasprintf("%s at %s", outcome, at);
			free(was);
			free(outcome);
			free(at);
		}
		rc = 1;
	} else if (rc == SQLITE_DONE)
		rc = 0;
	else
		rc = outbox_sql_error(c, "read the outbox", cause);
	cache_stmt_done(c, stmt);
	return rc;
}

int
outbox_get(struct cache *c, int64_t id, struct outbox_entry *e, char **cause)
{
	return outbox_read(c, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?1", id, e,
	    0, cause);
}

int
outbox_applied(struct cache *c, int64_t id, struct outbox_entry *e, char **cause)
{
	return outbox_read(c, "SELECT " OUTBOX_LOG_COLUMNS " FROM outbox_log WHERE id = ?1",
	    id, e, 1, cause);
}

int
outbox_history(struct cache *c, const char *done_since, outbox_record_fn fn, void *arg,
    char **cause)
{
	static const char *const states[OUTBOX__COUNT] = {
		[OUTBOX_QUEUED] = "queued", [OUTBOX_SENDING] = "sending",
		[OUTBOX_CONFLICT] = "conflict", [OUTBOX_FAILED] = "failed",
	};
	struct outbox_record r;
	sqlite3_stmt *stmt;
	cJSON *res;
	int rc, stop = 0, state;

	stmt = outbox_prepare(c, "SELECT id, created_at, actor, summary, kind, object_id,"
	    " action, base_version, outcome, applied_at, result, -1 FROM outbox_log"
	    " WHERE ?1 IS NULL OR created_at >= ?1"
	    " UNION ALL SELECT id, created_at, actor, summary, kind, object_id, action,"
	    " base_version, NULL, NULL, NULL, state FROM outbox"
	    " WHERE ?1 IS NULL OR created_at >= ?1"
	    " ORDER BY 2, 1", cause);
	if (stmt == NULL)
		return -1;
	if (done_since != NULL)
		sqlite3_bind_text(stmt, 1, done_since, -1, SQLITE_TRANSIENT);
	while (!stop && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(stmt, 0);
		r.done_at = (const char *)sqlite3_column_text(stmt, 1);
		r.actor = (const char *)sqlite3_column_text(stmt, 2);
		r.summary = (const char *)sqlite3_column_text(stmt, 3);
		r.kind = (enum sd_kind)sqlite3_column_int(stmt, 4);
		r.object_id = (const char *)sqlite3_column_text(stmt, 5);
		r.action = (const char *)sqlite3_column_text(stmt, 6);
		r.base_version = sqlite3_column_int64(stmt, 7);
		r.version = -1;
		state = sqlite3_column_int(stmt, 11);
		if (state >= 0 && state < OUTBOX__COUNT)
			r.outcome = states[state];
		else
			r.outcome = (const char *)sqlite3_column_text(stmt, 8);
		r.settled_at = (const char *)sqlite3_column_text(stmt, 9);
		res = NULL;
		if (sqlite3_column_type(stmt, 10) == SQLITE_TEXT &&
		    (res = cJSON_Parse((const char *)sqlite3_column_text(stmt, 10))) != NULL &&
		    cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(res, "version")))
			r.version = (long long)cJSON_GetObjectItemCaseSensitive(res,
			    "version")->valuedouble;
		cJSON_Delete(res);
		stop = fn(arg, &r) != 0;
	}
	if (!stop && rc != SQLITE_DONE) {
		cache_stmt_done(c, stmt);
		return outbox_sql_error(c, "read the action history", cause);
	}
	cache_stmt_done(c, stmt);
	return 0;
}

int
outbox_list(struct cache *c, unsigned states, outbox_entry_fn fn, void *arg, char **cause)
{
	sqlite3_stmt *stmt;
	struct outbox_entry *v = NULL;
	size_t n = 0, cap = 0, i;
	int rc, stop = 0;

	stmt = outbox_prepare(c, "SELECT " OUTBOX_COLUMNS " FROM outbox ORDER BY id", cause);
	if (stmt == NULL)
		return -1;
	/* Read them all first, so that fn may change the outbox. */
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (states != 0 && (states & (1u << sqlite3_column_int(stmt, 10))) == 0)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			v = xrealloc(v, cap * sizeof *v);
		}
		outbox_entry_read(stmt, &v[n++]);
	}
	cache_stmt_done(c, stmt);
	if (rc != SQLITE_DONE) {
		outbox_sql_error(c, "list the outbox", cause);
		stop = 1;
	}
	for (i = 0; i < n; i++) {
		if (!stop && fn(arg, &v[i]) != 0)
			stop = 1;
		outbox_entry_done(&v[i]);
	}
	free(v);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
outbox_counts(struct cache *c, long *counts, char **cause)
{
	sqlite3_stmt *stmt;
	int rc, s;

	memset(counts, 0, OUTBOX__COUNT * sizeof *counts);
	stmt = outbox_prepare(c, "SELECT state, count(*) FROM outbox GROUP BY state", cause);
	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		s = sqlite3_column_int(stmt, 0);
		if (s >= 0 && s < OUTBOX__COUNT)
			counts[s] = (long)sqlite3_column_int64(stmt, 1);
	}
	cache_stmt_done(c, stmt);
	if (rc != SQLITE_DONE)
		return outbox_sql_error(c, "count the outbox", cause);
	return 0;
}

/* outbox_log_move(), the entry logged under log_id (0: its own number). */
static int
outbox_log_move_as(struct cache *c, int64_t id, int64_t log_id, const char *outcome,
    const char *result, int http_status, const char *created_id, char **cause)
{
	sqlite3_stmt *stmt;
	char now[RFC3339_LEN];
	int rc;

	stmt = outbox_prepare(c, "INSERT INTO outbox_log (id, key, kind, object_id,"
	    " action, method, path_action, body, base_version, patch, state,"
	    " attempts, reason, http_status, theirs, created_at, summary, actor,"
	    " outcome, result, applied_at)"
	    " SELECT coalesce(?7, id), key, kind, coalesce(object_id, ?2), action, method,"
	    " path_action, body, base_version, patch, state, attempts, reason,"
	    " CASE WHEN ?3 < 0 THEN http_status ELSE ?3 END, theirs, created_at,"
	    " summary, actor, ?4, ?5, ?6 FROM outbox WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	time_format_rfc3339(time(NULL), now);
	sqlite3_bind_int64(stmt, 1, id);
	outbox_bind_text(stmt, 2, created_id);
	sqlite3_bind_int(stmt, 3, http_status);
	outbox_bind_text(stmt, 4, outcome);
	outbox_bind_text(stmt, 5, result);
	outbox_bind_text(stmt, 6, now);
	if (log_id != 0)
		sqlite3_bind_int64(stmt, 7, log_id);
	rc = sqlite3_step(stmt);
	cache_stmt_done(c, stmt);
	if (rc != SQLITE_DONE)
		return outbox_sql_error(c, "log an outbox entry", cause);
	if (sqlite3_changes(cache_db(c)) == 0) {
		outbox_error(cause, "outbox: no entry #%lld", (long long)id);
		return -1;
	}
	if ((stmt = outbox_prepare(c, "DELETE FROM outbox WHERE id = ?1", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	return outbox_run(c, stmt, "remove an outbox entry", cause);
}

int
outbox_log_move(struct cache *c, int64_t id, const char *outcome, const char *result,
    int http_status, const char *created_id, char **cause)
{
	return outbox_log_move_as(c, id, 0, outcome, result, http_status, created_id, cause);
}

/* Whether n can be queued at all: -1 with *cause when not. */
static int
outbox_new_check(const struct outbox_new *n, char **cause)
{
	if ((unsigned)n->kind >= KIND__COUNT || n->action == NULL || n->method == NULL ||
	    (strcmp(n->method, "POST") != 0 && strcmp(n->method, "PATCH") != 0 &&
	    (strcmp(n->method, "DELETE") != 0 || n->object_id == NULL))) {
		outbox_error(cause, "outbox: an action needs a kind, a name and POST, PATCH "
		    "or DELETE (with an id)");
		return -1;
	}
	if (n->patch != NULL && !cJSON_IsObject(n->patch)) {
		outbox_error(cause, "outbox: the overlay of %s must be a JSON object", n->action);
		return -1;
	}
	if (n->object_id != NULL && strncmp(n->object_id, OUTBOX_NEW_PREFIX,
	    strlen(OUTBOX_NEW_PREFIX)) == 0) {
		outbox_error(cause, "%s is not made yet: its create waits in the outbox (#%s);"
		    " act on it once the store has made it", n->object_id,
		    n->object_id + strlen(OUTBOX_NEW_PREFIX));
		return -1;
	}
	return 0;
}

/*
 * What queueing needs once per transaction, however many entries it adds:
 * the INSERT, prepared once, who is queueing (for the log), and the time
 * of queueing, formatted once a second.
 */
struct outbox_ins {
	struct cache	*c;
	sqlite3_stmt	*stmt;
	char		*actor;
	time_t		 at;		/* when now was formatted, 0 not yet */
	char		 now[RFC3339_LEN];
};

static int
outbox_ins_open(struct cache *c, struct outbox_ins *ins, char **cause)
{
	memset(ins, 0, sizeof *ins);
	ins->c = c;
	ins->actor = cache_state_get(c, "me.login");
	ins->stmt = outbox_prepare(c, "INSERT INTO outbox (key, kind, object_id, action,"
	    " method, path_action, body, base_version, patch, state, created_at,"
	    " summary, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10,"
	    " ?11, ?12)", cause);
	if (ins->stmt == NULL) {
		free(ins->actor);
		ins->actor = NULL;
		return -1;
	}
	return 0;
}

static void
outbox_ins_close(struct outbox_ins *ins)
{
	cache_stmt_done(ins->c, ins->stmt);
	free(ins->actor);
	memset(ins, 0, sizeof *ins);
}

/*
 * A new idempotency key into key ("sd-" and OUTBOX_KEY_LEN random letters
 * and digits, NUL-terminated). The letters come from one draw of the
 * random generator for ten keys or so (a 10,000-line CSV file made ten
 * thousand draws); a forked child throws away what its parent drew and
 * draws again, so that two processes never share a key -- told by
 * pthread_atfork(), not by asking getpid() for every key (a system call
 * per line of a CSV file). Main thread only.
 */
static char outbox_key_pool[256 + 1];
static size_t outbox_key_left;
static pthread_once_t outbox_key_once = PTHREAD_ONCE_INIT;

static void
outbox_key_forked(void)
{
	outbox_key_left = 0;
}

static void
outbox_key_watch(void)
{
	if (pthread_atfork(NULL, NULL, outbox_key_forked) != 0)
		fatal("outbox: cannot watch for fork");
}

static void
outbox_new_key(char *key)
{
	const size_t size = sizeof outbox_key_pool - 1;

	(void)pthread_once(&outbox_key_once, outbox_key_watch);
	if (outbox_key_left < OUTBOX_KEY_LEN) {
		sign_random_token(outbox_key_pool, size);
		outbox_key_left = size;
	}
	memcpy(key, "sd-", 3);
	memcpy(key + 3, outbox_key_pool + size - outbox_key_left, OUTBOX_KEY_LEN);
	outbox_key_left -= OUTBOX_KEY_LEN;
	key[3 + OUTBOX_KEY_LEN] = '\0';
}

/* Bind s (NULL: null) for a step made before s goes: not copied. */
static void
outbox_bind_static(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(stmt, i);
	else
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
}

/*
 * Add n as a queued entry, inside the caller's transaction; with overlay,
 * its object shows it at once (a batch shows each object once, at the end).
 */
static int
outbox_insert(struct cache *c, struct outbox_ins *ins, const struct outbox_new *n,
    int overlay, int64_t *id, char **cause)
{
	sqlite3_stmt *stmt = ins->stmt;
	char key[3 + OUTBOX_KEY_LEN + 1], *body = NULL, *patch = NULL;
	time_t now = time(NULL);
	int rc = -1, step;

	outbox_new_key(key);
	if (now != ins->at) {
		time_format_rfc3339(now, ins->now);
		ins->at = now;
	}
	if (n->body != NULL)
		body = json_print(n->body);
	if (n->patch != NULL)
		patch = json_print(n->patch);

	/* Every parameter bound each time, none copied: unbound by outbox_ins_close(). */
	outbox_bind_static(stmt, 1, key);
	sqlite3_bind_int(stmt, 2, (int)n->kind);
	outbox_bind_static(stmt, 3, n->object_id);
	outbox_bind_static(stmt, 4, n->action);
	outbox_bind_static(stmt, 5, n->method);
	outbox_bind_static(stmt, 6, n->path_action);
	outbox_bind_static(stmt, 7, body != NULL ? body : "{}");
	sqlite3_bind_int64(stmt, 8, n->base_version);
	outbox_bind_static(stmt, 9, patch);
	outbox_bind_static(stmt, 10, ins->now);
	outbox_bind_static(stmt, 11, n->summary);
	outbox_bind_static(stmt, 12, ins->actor);
	step = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (step != SQLITE_DONE) {
		outbox_sql_error(c, "queue the action", cause);
		goto out;
	}
	*id = sqlite3_last_insert_rowid(cache_db(c));
	/* Every entry on an object counts in its "_pending", with a patch or not. */
	if (overlay && n->object_id != NULL &&
	    outbox_overlay_apply(c, n->kind, n->object_id, cause) != 0)
		goto out;
	if (n->object_id == NULL &&
	    outbox_placeholder_put(c, n->kind, *id, patch, cause) != 0)
		goto out;
	rc = 0;

out:
	if (body != NULL)
		cJSON_free(body);
	if (patch != NULL)
		cJSON_free(patch);
	return rc;
}

/* outbox_insert() alone. */
static int
outbox_insert_one(struct cache *c, const struct outbox_new *n, int64_t *id, char **cause)
{
	struct outbox_ins ins;
	int rc;

	if (outbox_ins_open(c, &ins, cause) != 0)
		return -1;
	rc = outbox_insert(c, &ins, n, 1, id, cause);
	outbox_ins_close(&ins);
	return rc;
}

/* Commit (when rc is 0) what was done since outbox_durable_begin(); out filled with id. */
static int
outbox_finish(struct cache *c, int level, int rc, int64_t id, struct outbox_entry *out,
    char **cause)
{
	if (rc == 0 && out != NULL && outbox_get(c, id, out, cause) != 1)
		rc = -1;
	if (rc == 0)
		rc = outbox_durable_end(c, level, 1, cause);
	else
		outbox_durable_end(c, level, 0, NULL);
	if (rc != 0 && out != NULL)
		outbox_entry_done(out);
	return rc;
}

int
outbox_enqueue(struct cache *c, const struct outbox_new *n, struct outbox_entry *out,
    char **cause)
{
	int64_t id = 0;
	int level, rc;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (outbox_new_check(n, cause) != 0 || outbox_durable_begin(c, &level, cause) != 0)
		return -1;
	rc = outbox_insert_one(c, n, &id, cause);
	return outbox_finish(c, level, rc, id, out, cause);
}

/* Order of the objects of a batch: by kind, then id (qsort). */
static int
object_cmp(const void *a, const void *b)
{
	const struct outbox_new *x = *(const struct outbox_new *const *)a;
	const struct outbox_new *y = *(const struct outbox_new *const *)b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->object_id, y->object_id);
}

long long
outbox_seen_version(struct cache *c)
{
	sqlite3_stmt *stmt;
	long long v = -1;

	if (sqlite3_prepare_v2(cache_db(c), "PRAGMA data_version", -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

struct cache_row *
outbox_overlay_ready(struct cache *c, struct cache_prep *prep, enum sd_kind k, const char *id,
    cJSON *obj, const char *text, const cJSON *patch)
{
	sqlite3_stmt *stmt;
	cJSON *const *patches = (cJSON *const *)&patch;
	struct cache_row *row = NULL;
	const cJSON *v;
	cJSON *version = NULL;
	char *otext = NULL;
	size_t n = patch != NULL;
	int known, spliced = 0;

	if (!cache_row_preparable(k) || !cJSON_IsObject(obj) ||
	    (patch != NULL && !cJSON_IsObject(patch)) ||
	    cJSON_GetObjectItemCaseSensitive(obj, OUTBOX_MARKER) != NULL)
		return NULL;
	/* Nothing queued on it, nothing kept aside: its overlay will be this entry's alone. */
	if ((stmt = cache_slot_stmt(c, CACHE_SLOT_KNOWN, outbox_sql_known, NULL)) == NULL)
		return NULL;
	sqlite3_bind_int(stmt, 1, (int)k);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	known = sqlite3_step(stmt) != SQLITE_ROW || sqlite3_column_int(stmt, 0) != 0;
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (known)
		return NULL;
	/*
	 * As overlay_apply() makes it on the table's object: its text with
	 * the patched members spliced in, or the merged tree printed with
	 * the store's id and version (a patch may not move the object).
	 */
	if (overlay_flat(patches, n) && (otext = overlay_splice(text, patches, n, 1)) != NULL)
		spliced = 1;
	else if ((v = cJSON_GetObjectItemCaseSensitive(obj, "version")) != NULL &&
	    (version = cJSON_Duplicate(v, 1)) == NULL)
		fatal("outbox: out of memory");
	if (patch != NULL)
		obj = outbox_merge(obj, patch);		/* in place: both are objects */
	if (!spliced) {
		json_set_str(obj, "id", id);
		if (version != NULL)
			json_set(obj, "version", version);
	}
	json_set_int(obj, OUTBOX_MARKER, 1);
	if (!spliced)
		otext = json_print(obj);
	row = cache_row_prepare_obj(prep, k, obj, otext, strlen(otext));
	if (spliced)
		free(otext);
	else
		cJSON_free(otext);
	return row;
}

/*
 * Each object of the batch v shows its entries, once however many lines
 * are on it: all of them are queued already, and the overlay is rebuilt
 * from every one of the object's entries -- and from the object as the
 * check read it (outbox_new.shown) when no other process has written to
 * the cache since: one read of each object for a CSV file, not two. An
 * object with one entry in the batch whose overlay was made when it was
 * checked (outbox_new.ready) has it staged as it is, with shown kept as
 * the store's state: no read, no parse.
 */
static int
outbox_overlay_batch(struct cache *c, const struct outbox_new *v, size_t n, char **cause)
{
	const struct outbox_new **o;
	size_t i, m = 0;
	long long now = -2;
	int rc = 0;

	o = xcalloc(n + 1, sizeof *o);
	for (i = 0; i < n; i++)
		if (v[i].object_id != NULL)
			o[m++] = &v[i];
	qsort(o, m, sizeof *o, object_cmp);
	for (i = 0; i < m && rc == 0; i++) {
		if (i > 0 && object_cmp(&o[i], &o[i - 1]) == 0)
			continue;
		if (backend_interrupted()) {
			outbox_error(cause, "interrupted");
			rc = -1;
			break;
		}
		if (o[i]->shown != NULL && now == -2)
			now = outbox_seen_version(c);
		if (o[i]->shown == NULL || o[i]->shown_as_of < 0 || o[i]->shown_as_of != now) {
			rc = outbox_overlay_apply(c, o[i]->kind, o[i]->object_id, cause);
			continue;
		}
		if (o[i]->ready != NULL && (i + 1 == m || object_cmp(&o[i], &o[i + 1]) != 0)) {
			if ((rc = outbox_shadow_put(c, o[i]->kind, o[i]->object_id, o[i]->shown,
			    cause)) == 0)
				rc = cache_put_row(c, o[i]->ready, cause);
			continue;
		}
		json_arena_begin();
		rc = overlay_apply(c, o[i]->kind, o[i]->object_id, NULL, NULL, o[i]->shown, cause);
		json_arena_end();
	}
	free(o);
	return rc;
}

int
outbox_enqueue_batch(struct cache *c, const struct outbox_new *v, size_t n, int64_t *ids,
    struct outbox_entry *out, char **cause)
{
	struct outbox_ins ins;
	size_t i, done = 0;
	int level, rc = 0;

	if (out != NULL)
		memset(out, 0, n * sizeof *out);
	for (i = 0; i < n; i++)
		if (outbox_new_check(&v[i], cause) != 0)
			return -1;
	if (outbox_durable_begin(c, &level, cause) != 0)
		return -1;
	if ((rc = outbox_ins_open(c, &ins, cause)) == 0) {
		for (i = 0; i < n && rc == 0; i++) {
			/* A signal (^C) before the commit: nothing is queued. */
			if (backend_interrupted()) {
				outbox_error(cause, "interrupted");
				rc = -1;
			} else
				rc = outbox_insert(c, &ins, &v[i], 0, &ids[i], cause);
			crash_point("enqueue");
		}
		outbox_ins_close(&ins);
	}
	/* The objects' new looks are written together (cache_stage_end()). */
	if (rc == 0) {
		cache_stage_begin(c);
		rc = outbox_overlay_batch(c, v, n, cause);
		if (cache_stage_end(c, rc == 0, rc == 0 ? cause : NULL) != 0)
			rc = -1;
	}
	for (i = 0; rc == 0 && out != NULL && i < n; i++, done++)
		if (outbox_get(c, ids[i], &out[i], cause) != 1)
			rc = -1;
	if (rc == 0)
		rc = outbox_durable_end(c, level, 1, cause);
	else
		outbox_durable_end(c, level, 0, NULL);
	if (rc == 0)
		crash_point("enqueue-committed");
	if (rc != 0 && out != NULL)
		for (i = 0; i < done; i++)
			outbox_entry_done(&out[i]);
	return rc;
}

/* The parts of entry id a change needs: 1 found, 0 not (with *cause), -1. */
static int
outbox_find(struct cache *c, int64_t id, struct outbox_entry *e, char **cause)
{
	int rc = outbox_get(c, id, e, cause);

	if (rc == 0)
		outbox_error(cause, "no outbox entry #%lld (see the log: it may have"
		    " been applied or dropped)", (long long)id);
	return rc;
}

/* Entry id back in the queue; with key, under a new key and base version. */
static int
outbox_requeue(struct cache *c, const struct outbox_entry *e, const char *key,
    long long base_version, char **cause)
{
	sqlite3_stmt *stmt;

	stmt = outbox_prepare(c, "UPDATE outbox SET state = 0, next_at = 0, reason = NULL,"
	    " theirs = NULL, claimed_by = NULL, claimed_at = NULL,"
	    " key = coalesce(?2, key), base_version = ?3 WHERE id = ?1", cause);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, e->id);
	outbox_bind_text(stmt, 2, key);
	sqlite3_bind_int64(stmt, 3, base_version);
	if (outbox_run(c, stmt, "queue the entry again", cause) != 0)
		return -1;
	if (e->object_id != NULL)
		return outbox_overlay_apply(c, e->kind, e->object_id, cause);
	/* A refused create shows again as it waits again. */
	return outbox_placeholder_put(c, e->kind, e->id, e->patch, cause);
}

/*
 * An entry being sent may already be applied on the store: only its pusher
 * (or, if that died, the next push, which sends it again) settles it.
 */
static int
outbox_not_sending(const struct outbox_entry *e, char **cause)
{
	if (e->state != OUTBOX_SENDING)
		return 0;
	outbox_error(cause, "outbox entry #%lld is being sent; try again when the push"
	    " is over", (long long)e->id);
	return -1;
}

int
outbox_retry(struct cache *c, int64_t id, char **cause)
{
	struct outbox_entry e;
	int level, rc = -1;

	if (outbox_durable_begin(c, &level, cause) != 0)
		return -1;
	if (outbox_find(c, id, &e, cause) == 1 && outbox_not_sending(&e, cause) == 0)
		rc = outbox_requeue(c, &e, NULL, e.base_version, cause);
	outbox_entry_done(&e);
	return outbox_durable_end(c, level, rc == 0, rc == 0 ? cause : NULL);
}

/*
 * Drop e inside a transaction: logged (under log_id, 0 for its own number),
 * removed, its overlay gone. The next entry of its object inherits e's
 * base version if that is newer: e may hold the version an earlier entry
 * was applied at (the replay re-bases only the next entry, push_rebase()).
 */
static int
outbox_drop_entry(struct cache *c, const struct outbox_entry *e, int64_t log_id, char **cause)
{
	sqlite3_stmt *stmt;

	if (outbox_not_sending(e, cause) != 0 ||
	    outbox_log_move_as(c, e->id, log_id, "dropped", NULL, -1, NULL, cause) != 0)
		return -1;
	if (e->object_id == NULL)
		return outbox_placeholder_remove(c, e, cause);
	if (e->base_version >= 0) {
		stmt = outbox_prepare(c, "UPDATE outbox SET base_version = max(base_version,"
		    " ?1) WHERE id = (SELECT min(id) FROM outbox WHERE kind = ?2 AND"
		    " object_id = ?3 AND id > ?4 AND base_version >= 0)", cause);
		if (stmt == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, e->base_version);
		sqlite3_bind_int(stmt, 2, (int)e->kind);
		sqlite3_bind_text(stmt, 3, e->object_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 4, e->id);
		if (outbox_run(c, stmt, "hand the version on", cause) != 0)
			return -1;
	}
	return outbox_overlay_apply(c, e->kind, e->object_id, cause);
}

int
outbox_drop(struct cache *c, int64_t id, char **cause)
{
	struct outbox_entry e;
	int level, rc = -1;

	if (outbox_durable_begin(c, &level, cause) != 0)
		return -1;
	if (outbox_find(c, id, &e, cause) == 1)
		rc = outbox_drop_entry(c, &e, 0, cause);
	outbox_entry_done(&e);
	return outbox_durable_end(c, level, rc == 0, rc == 0 ? cause : NULL);
}

int
outbox_replaceable(const struct outbox_entry *e, char **cause)
{
	switch (e->state) {
	case OUTBOX_CONFLICT:
	case OUTBOX_FAILED:
		return 0;
	case OUTBOX_SENDING:
		outbox_error(cause, "#%lld is being sent; wait for the store's answer",
		    (long long)e->id);
		return -1;
	default:
		outbox_error(cause, "#%lld is still waiting to be sent; drop it or let it go",
		    (long long)e->id);
		return -1;
	}
}

/* Say in e's row, before it goes to the log, that it was edited. */
static int
outbox_note_edited(struct cache *c, const struct outbox_entry *e, char **cause)
{
	sqlite3_stmt *stmt;
	char *reason;
	int rc;

	if ((stmt = outbox_prepare(c, "UPDATE outbox SET reason = ?2 WHERE id = ?1",
	    cause)) == NULL)
		return -1;
	if (e->reason != NULL)
		reason = xasprintf("edited, now #%lld; %s", (long long)e->id, e->reason);
	else
		reason = xasprintf("edited, now #%lld", (long long)e->id);
	sqlite3_bind_int64(stmt, 1, e->id);
	outbox_bind_text(stmt, 2, reason);
	rc = outbox_run(c, stmt, "note the edit", cause);
	free(reason);
	return rc;
}

/* Entry from takes the number to (free), and with it its place in the queue. */
static int
outbox_renumber(struct cache *c, const struct outbox_new *n, int64_t from, int64_t to,
    char **cause)
{
	sqlite3_stmt *stmt;

	if ((stmt = outbox_prepare(c, "UPDATE outbox SET id = ?2 WHERE id = ?1",
	    cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, from);
	sqlite3_bind_int64(stmt, 2, to);
	if (outbox_run(c, stmt, "put the edit in its place", cause) != 0)
		return -1;
	/* The overlay applies patches in the queue's order. */
	if (n->object_id != NULL)
		return outbox_overlay_apply(c, n->kind, n->object_id, cause);
	/* A create's placeholder goes with its number. */
	if (n->patch != NULL) {
		struct outbox_entry old = { .id = from, .kind = n->kind };
		char *patch = json_print(n->patch);
		int rc;

		rc = outbox_placeholder_remove(c, &old, cause) != 0 ? -1 :
		    outbox_placeholder_put(c, n->kind, to, patch, cause);
		cJSON_free(patch);
		return rc;
	}
	return 0;
}

/*
 * An edit keeps the entry's place in the queue: it must still go before the
 * entries queued after it for the same object (a corrected address before
 * the ship that follows it). So the new version is inserted, drawing a fresh
 * number; the old one goes to the log under that fresh number, never used by
 * the queue again; and the new one takes the old number. All in one durable
 * transaction: an edit that cannot be queued leaves the entry as it was, and
 * a crash cannot lose both versions or keep both.
 */
int
outbox_replace(struct cache *c, int64_t id, const struct outbox_new *n,
    struct outbox_entry *out, char **cause)
{
	struct outbox_entry e;
	int64_t fresh = 0;
	int level, rc = -1;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (outbox_new_check(n, cause) != 0 || outbox_durable_begin(c, &level, cause) != 0)
		return -1;
	if (outbox_find(c, id, &e, cause) == 1 && outbox_replaceable(&e, cause) == 0 &&
	    outbox_insert_one(c, n, &fresh, cause) == 0 &&
	    outbox_note_edited(c, &e, cause) == 0 &&
	    outbox_drop_entry(c, &e, fresh, cause) == 0)
		rc = outbox_renumber(c, n, fresh, id, cause);
	outbox_entry_done(&e);
	return outbox_finish(c, level, rc, id, out, cause);
}

/* The version the store has of e's object: theirs, else what is cached. */
static long long
outbox_current_version(struct cache *c, const struct outbox_entry *e)
{
	cJSON *obj = NULL;
	char *text = NULL;
	long long v = -1;

	if (e->theirs != NULL)
		obj = cJSON_Parse(e->theirs);
	else if (e->object_id != NULL &&
	    outbox_shadow_get(c, e->kind, e->object_id, &text, NULL) == 0) {
		if (text == NULL)
			text = cache_get_json(c, e->kind, e->object_id);
		if (text != NULL)
			obj = cJSON_Parse(text);
	}
	v = outbox_version(obj);
	cJSON_Delete(obj);
	free(text);
	return v;
}

int
outbox_resolve(struct cache *c, int64_t id, enum outbox_resolution how, char **cause)
{
	struct outbox_entry e;
	char key[3 + OUTBOX_KEY_LEN + 1];
	long long version;
	int level, rc = -1;

	if (outbox_durable_begin(c, &level, cause) != 0)
		return -1;
	if (outbox_find(c, id, &e, cause) != 1)
		goto out;
	if (e.state != OUTBOX_CONFLICT) {
		outbox_error(cause, "outbox entry #%lld is %s, not in conflict",
		    (long long)id, outbox_state_name(e.state));
		goto out;
	}
	if (how == OUTBOX_THEIRS) {
		rc = outbox_drop_entry(c, &e, 0, cause);
		goto out;
	}
	if ((version = outbox_current_version(c, &e)) < 0) {
		outbox_error(cause, "outbox entry #%lld: the store's version of %s is not"
		    " known; sync, then resolve again", (long long)id,
		    e.object_id != NULL ? e.object_id : "the object");
		goto out;
	}
	/* A new decision against the new version: a new key (see IDEMPOTENCY). */
	outbox_new_key(key);
	rc = outbox_requeue(c, &e, key, version, cause);

out:
	outbox_entry_done(&e);
	return outbox_durable_end(c, level, rc == 0, rc == 0 ? cause : NULL);
}
