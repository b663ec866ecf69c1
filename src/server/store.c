/*
 * store.c -- the reference store's object database over SQLite.
 *
 * Objects live in one table keyed by (kind, id) with the feed sequence number
 * of their last change; a unique index on seq makes the change feed a range
 * scan. The newest sequence number (head) is cached in memory and a condition
 * variable, signalled whenever a commit advances it, wakes long polls.
 *
 * One mutex serialises every use of the connection. Transactions nest: only
 * the outermost store_begin()/store_commit() reach SQLite, and a rollback at
 * any depth rolls the whole unit back. Users are also kept in memory behind a
 * read-write lock so token lookups never wait for a long write.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/store.h"
#include "util/jsonutil.h"
#include "util/sign.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/*
 * Schema migrations, applied in order; PRAGMA user_version counts them.
 *
 * The sequence number is the rowid: the change feed is then a plain range
 * scan of the table in storage order, and a bulk load appends at the end of
 * the B-tree. (kind, id) is a unique index; an object's row moves to the end
 * (INSERT OR REPLACE) each time it changes. Messages are also indexed by
 * conversation for GET /v1/conversations/{id}/messages (kind 3 is
 * KIND_MESSAGE; checked at compile time below), and every object by status
 * for the status filter of lists.
 */
static const char *store_migrations[] = {
	"CREATE TABLE objects ("
	" seq INTEGER PRIMARY KEY,"
	" kind INTEGER NOT NULL,"
	" id TEXT NOT NULL,"
	" version INTEGER NOT NULL,"
	" deleted INTEGER NOT NULL DEFAULT 0,"
	" json TEXT);"
	"CREATE UNIQUE INDEX objects_kind_id ON objects (kind, id);"
	"CREATE INDEX objects_conversation ON objects"
	" (json_extract(json, '$.conversation_id'), id) WHERE kind = 3;"
	"CREATE INDEX objects_status ON objects"
	" (kind, json_extract(json, '$.status'), id);"
	"CREATE TABLE idempotency ("
	" key TEXT NOT NULL,"
	" user_id TEXT NOT NULL,"
	" method TEXT NOT NULL,"
	" path TEXT NOT NULL,"
	" body_sha256 TEXT NOT NULL,"
	" status INTEGER NOT NULL,"
	" response TEXT NOT NULL,"
	" created_at INTEGER NOT NULL,"
	" PRIMARY KEY (key, user_id));"
	"CREATE TABLE ledger ("
	" key TEXT PRIMARY KEY,"
	" applied INTEGER NOT NULL);"
	"CREATE TABLE users ("
	" id TEXT PRIMARY KEY,"
	" login TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" role TEXT NOT NULL,"
	" token TEXT NOT NULL);",
	/* 2: who did each applied write, when they did it, on which version. */
	"CREATE TABLE audit ("
	" seq INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL,"
	" user_id TEXT NOT NULL,"
	" method TEXT NOT NULL,"
	" path TEXT NOT NULL,"
	" if_match INTEGER,"
	" version INTEGER,"
	" status INTEGER NOT NULL,"
	" done_at TEXT,"
	" applied_at TEXT NOT NULL,"
	" client TEXT);",
};
_Static_assert(KIND_MESSAGE == 3, "objects_conversation index assumes kind 3");

#define STORE_NMIGRATIONS \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))

/* First number of a kind's ids when the table holds none. */
static const long long store_id_base[KIND__COUNT] = {
	[KIND_ORDER] = 10000001,
	[KIND_TICKET] = 1000001,
	[KIND_CONVERSATION] = 100001,
	[KIND_MESSAGE] = 1000001,
	[KIND_PRODUCT] = 1001,
	[KIND_SKU] = 100001,
	[KIND_PROMOTION] = 1001,
	[KIND_CUSTOMER] = 100001,
	[KIND_CANNED_REPLY] = 101,
	[KIND_USER] = 1,
	[KIND_CATEGORY] = 101,
};

enum store_stmt {
	ST_GET,
	ST_VERSION,
	ST_PUT,
	ST_DELETE,
	ST_USER_PUT,
	ST__COUNT
};

static const char *store_stmt_sql[ST__COUNT] = {
	[ST_GET] = "SELECT json FROM objects WHERE kind = ? AND id = ? AND deleted = 0",
	[ST_VERSION] = "SELECT version FROM objects WHERE kind = ? AND id = ?",
	[ST_PUT] = "INSERT OR REPLACE INTO objects (kind, id, seq, version, deleted, json)"
	    " VALUES (?, ?, ?, ?, 0, ?)",
	[ST_DELETE] = "UPDATE objects SET seq = ?, version = version + 1, deleted = 1,"
	    " json = NULL WHERE kind = ? AND id = ? AND deleted = 0",
	[ST_USER_PUT] = "INSERT OR REPLACE INTO users (id, login, name, role, token)"
	    " VALUES (?, ?, ?, ?, ?)",
};

struct store {
	sqlite3			*db;
	sqlite3_stmt		*stmt[ST__COUNT];	/* prepared once, reset after use */

	pthread_mutex_t		 lock;		/* serialises everything */
	pthread_cond_t		 cond;		/* broadcast when committed head advances */

	int64_t			 head;		/* newest seq, including the open txn */
	int64_t			 committed;	/* newest committed seq */
	int64_t			 head_begin;	/* head when the txn began */

	int			 depth;		/* store_begin nesting */
	int			 doomed;	/* an inner rollback happened */

	long long		 next_num[KIND__COUNT];	/* next numeric id, 0 = unknown */
	long long		 next_begin[KIND__COUNT];	/* saved at begin */

	pthread_rwlock_t	 ulock;		/* protects users */
	struct store_user	**users;	/* individually allocated: stable */
	int			 nusers;
	int			 capusers;
};

static void
store_exec(struct store *s, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK)
		fatal("store: %s: %s", sql, err != NULL ? err : "?");
}

static sqlite3_stmt *
store_stmt(struct store *s, enum store_stmt which)
{
	if (s->stmt[which] == NULL &&
	    sqlite3_prepare_v3(s->db, store_stmt_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &s->stmt[which], NULL) != SQLITE_OK)
		fatal("store: prepare: %s", sqlite3_errmsg(s->db));
	return s->stmt[which];
}

static void
store_step_done(struct store *s, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		fatal("store: step: %s", sqlite3_errmsg(s->db));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Apply any schema migrations not yet applied. Returns -1 with *cause. */
static int
store_migrate(struct store *s, char **cause)
{
	sqlite3_stmt *st;
	char *err = NULL, *sql;
	int have, i;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		goto fail_db;
	have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (have > STORE_NMIGRATIONS) {
		*cause = xasprintf("database schema version %d is newer than this "
		    "program (%d)", have, STORE_NMIGRATIONS);
		return -1;
	}
	if (have == STORE_NMIGRATIONS)
		return 0;

	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &err) != SQLITE_OK)
		goto fail_err;
	for (i = have; i < STORE_NMIGRATIONS; i++) {
		if (sqlite3_exec(s->db, store_migrations[i], NULL, NULL, &err) != SQLITE_OK) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			goto fail_err;
		}
	}
	sql = xasprintf("PRAGMA user_version = %d", STORE_NMIGRATIONS);
	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK ||
	    sqlite3_exec(s->db, "COMMIT", NULL, NULL, &err) != SQLITE_OK) {
		free(sql);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto fail_err;
	}
	free(sql);
	return 0;

fail_err:
	*cause = xasprintf("cannot create the schema: %s", err != NULL ? err : "?");
	sqlite3_free(err);
	return -1;
fail_db:
	*cause = xasprintf("cannot read the schema version: %s", sqlite3_errmsg(s->db));
	return -1;
}

/* Add or update a user in memory; ulock held for writing. */
static void
store_user_remember(struct store *s, const struct store_user *u)
{
	int i;

	for (i = 0; i < s->nusers; i++) {
		if (strcmp(s->users[i]->id, u->id) == 0) {
			*s->users[i] = *u;
			return;
		}
	}
	if (s->nusers == s->capusers) {
		s->capusers = s->capusers == 0 ? 16 : s->capusers * 2;
		s->users = xrealloc(s->users, s->capusers * sizeof *s->users);
	}
	s->users[s->nusers] = xmalloc(sizeof **s->users);
	*s->users[s->nusers] = *u;
	s->nusers++;
}

static void
store_copy(char *dst, size_t len, const unsigned char *src)
{
	snprintf(dst, len, "%s", src != NULL ? (const char *)src : "");
}

static void
store_load_users(struct store *s)
{
	sqlite3_stmt *st;
	struct store_user u;
	int role;

	if (sqlite3_prepare_v2(s->db, "SELECT id, login, name, role, token FROM users"
	    " ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		fatal("store: users: %s", sqlite3_errmsg(s->db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		memset(&u, 0, sizeof u);
		store_copy(u.id, sizeof u.id, sqlite3_column_text(st, 0));
		store_copy(u.login, sizeof u.login, sqlite3_column_text(st, 1));
		store_copy(u.name, sizeof u.name, sqlite3_column_text(st, 2));
		role = role_from_name((const char *)sqlite3_column_text(st, 3));
		u.role = role < 0 ? ROLE_WAREHOUSE : (enum sd_role)role;
		store_copy(u.token, sizeof u.token, sqlite3_column_text(st, 4));
		store_user_remember(s, &u);
	}
	sqlite3_finalize(st);
}

struct store *
store_open(const char *path, char **cause)
{
	struct store *s;
	pthread_condattr_t ca;
	sqlite3_stmt *st;
	int memory, rc;

	memory = path == NULL || *path == '\0' || strcmp(path, ":memory:") == 0;
	s = xcalloc(1, sizeof *s);
	rc = sqlite3_open_v2(memory ? ":memory:" : path, &s->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cannot open %s: %s", memory ? "in-memory database" :
		    path, s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if (!memory &&
	    sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", path, sqlite3_errmsg(s->db));
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}
	sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL;"
	    "PRAGMA cache_size = -262144;"	/* 256 MiB */
	    "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
	if (store_migrate(s, cause) != 0) {
		sqlite3_close(s->db);
		free(s);
		return NULL;
	}

	if (sqlite3_prepare_v2(s->db, "SELECT COALESCE(MAX(seq), 0) FROM objects", -1,
	    &st, NULL) != SQLITE_OK)
		fatal("store: head: %s", sqlite3_errmsg(s->db));
	s->head = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	s->committed = s->head;

	if (pthread_mutex_init(&s->lock, NULL) != 0 ||
	    pthread_condattr_init(&ca) != 0 ||
	    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&s->cond, &ca) != 0 ||
	    pthread_rwlock_init(&s->ulock, NULL) != 0)
		fatal("store: cannot initialise locks");
	pthread_condattr_destroy(&ca);

	store_load_users(s);
	return s;
}

void
store_free(struct store **sp)
{
	struct store *s;
	int i;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	*sp = NULL;
	for (i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	pthread_rwlock_destroy(&s->ulock);
	for (i = 0; i < s->nusers; i++) {
		explicit_bzero(s->users[i]->token, sizeof s->users[i]->token);
		free(s->users[i]);
	}
	free(s->users);
	free(s);
}

sqlite3 *
store_db(struct store *s)
{
	return s->db;
}

void
store_lock(struct store *s)
{
	if (pthread_mutex_lock(&s->lock) != 0)
		fatal("store: cannot lock");
}

void
store_unlock(struct store *s)
{
	if (pthread_mutex_unlock(&s->lock) != 0)
		fatal("store: cannot unlock");
}

void
store_begin(struct store *s)
{
	if (s->depth++ > 0)
		return;
	store_exec(s, "BEGIN");
	s->doomed = 0;
	s->head_begin = s->head;
	memcpy(s->next_begin, s->next_num, sizeof s->next_begin);
}

/* Make the committed head catch up and wake any long polls. */
static void
store_publish(struct store *s)
{
	if (s->head != s->committed) {
		s->committed = s->head;
		pthread_cond_broadcast(&s->cond);
	}
}

static void
store_undo(struct store *s)
{
	store_exec(s, "ROLLBACK");
	s->head = s->head_begin;
	memcpy(s->next_num, s->next_begin, sizeof s->next_num);
}

void
store_commit(struct store *s)
{
	if (s->depth <= 0)
		fatal("store_commit: no transaction");
	if (--s->depth > 0)
		return;
	if (s->doomed) {
		store_undo(s);
		return;
	}
	store_exec(s, "COMMIT");
	store_publish(s);
}

void
store_rollback(struct store *s)
{
	if (s->depth <= 0)
		fatal("store_rollback: no transaction");
	if (--s->depth > 0) {
		s->doomed = 1;
		return;
	}
	store_undo(s);
}

int64_t
store_head(struct store *s)
{
	return s->head;
}

int64_t
store_wait_head(struct store *s, int64_t since, int timeout_ms)
{
	struct timespec ts;
	int64_t head;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}

	store_lock(s);
	while (s->committed <= since && timeout_ms > 0) {
		rc = pthread_cond_timedwait(&s->cond, &s->lock, &ts);
		if (rc == ETIMEDOUT)
			break;
		if (rc != 0 && rc != EINTR)
			fatal("store: cannot wait: %s", strerror(rc));
	}
	head = s->committed;
	store_unlock(s);
	return head;
}

char *
store_get_json(struct store *s, enum sd_kind kind, const char *id)
{
	sqlite3_stmt *st = store_stmt(s, ST_GET);
	char *json = NULL;
	int rc;

	sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		json = xstrdup((const char *)sqlite3_column_text(st, 0));
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fatal("store: get: %s", sqlite3_errmsg(s->db));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return json;
}

cJSON *
store_get(struct store *s, enum sd_kind kind, const char *id)
{
	char *json;
	cJSON *obj;

	if ((json = store_get_json(s, kind, id)) == NULL)
		return NULL;
	obj = cJSON_Parse(json);
	free(json);
	return obj;
}

/* The stored version of (kind, id) including tombstones, or 0 when absent. */
static int64_t
store_version(struct store *s, enum sd_kind kind, const char *id)
{
	sqlite3_stmt *st = store_stmt(s, ST_VERSION);
	int64_t v = 0;

	sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return v;
}

/* The numeric suffix of id for kind, or -1 when it has another shape. */
static long long
store_id_number(enum sd_kind kind, const char *id)
{
	const char *prefix = kind_info(kind)->prefix, *p;
	size_t n = strlen(prefix);
	long long v = 0;

	if (strncmp(id, prefix, n) != 0 || id[n] == '\0')
		return -1;
	for (p = id + n; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || v > (long long)1e15)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* Keep the in-memory id counter ahead of an id just written. */
static void
store_note_id(struct store *s, enum sd_kind kind, const char *id)
{
	long long n;

	if (s->next_num[kind] != 0 &&
	    (n = store_id_number(kind, id)) >= s->next_num[kind])
		s->next_num[kind] = n + 1;
}

static void
store_write(struct store *s, enum sd_kind kind, const char *id, int64_t version,
    const char *json)
{
	sqlite3_stmt *st = store_stmt(s, ST_PUT);

	sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, s->head + 1);
	sqlite3_bind_int64(st, 4, version);
	sqlite3_bind_text(st, 5, json, -1, SQLITE_STATIC);
	store_step_done(s, st);
	s->head++;
	store_note_id(s, kind, id);
	if (s->depth == 0)
		store_publish(s);
}

void
store_put(struct store *s, enum sd_kind kind, const char *id, cJSON *obj)
{
	char now[RFC3339_LEN];
	int64_t version;
	char *json;

	version = store_version(s, kind, id) + 1;
	time_format_rfc3339(store_now(s), now);

	if (json_str(obj, "id") == NULL)
		json_set_str(obj, "id", id);
	json_set_int(obj, "version", version);
	if (json_str(obj, "created_at") == NULL)
		json_set_str(obj, "created_at", now);
	json_set_str(obj, "updated_at", now);

	json = json_print(obj);
	store_write(s, kind, id, version, json);
	free(json);
}

void
store_put_raw(struct store *s, enum sd_kind kind, const char *id, int64_t version,
    const char *json)
{
	store_write(s, kind, id, version, json);
}

void
store_delete(struct store *s, enum sd_kind kind, const char *id)
{
	sqlite3_stmt *st = store_stmt(s, ST_DELETE);

	sqlite3_bind_int64(st, 1, s->head + 1);
	sqlite3_bind_int(st, 2, kind);
	sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
	store_step_done(s, st);
	if (sqlite3_changes(s->db) == 0)
		return;
	s->head++;
	if (s->depth == 0)
		store_publish(s);
}

void
store_next_id(struct store *s, enum sd_kind kind, char *out)
{
	const char *prefix = kind_info(kind)->prefix;
	sqlite3_stmt *st;
	long long n, max = 0;

	if (s->next_num[kind] == 0) {
		/* Once per kind: scan the kind's ids for the largest number. */
		if (sqlite3_prepare_v2(s->db, "SELECT id FROM objects WHERE kind = ?",
		    -1, &st, NULL) != SQLITE_OK)
			fatal("store: next id: %s", sqlite3_errmsg(s->db));
		sqlite3_bind_int(st, 1, kind);
		while (sqlite3_step(st) == SQLITE_ROW) {
			n = store_id_number(kind,
			    (const char *)sqlite3_column_text(st, 0));
			if (n > max)
				max = n;
		}
		sqlite3_finalize(st);
		s->next_num[kind] = max >= store_id_base[kind] ? max + 1 :
		    store_id_base[kind];
	}
	snprintf(out, 24, "%s%lld", prefix, s->next_num[kind]++);
}

void
store_add_user(struct store *s, const struct store_user *u)
{
	sqlite3_stmt *st = store_stmt(s, ST_USER_PUT);

	sqlite3_bind_text(st, 1, u->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, u->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, role_name(u->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, u->token, -1, SQLITE_STATIC);
	store_step_done(s, st);

	pthread_rwlock_wrlock(&s->ulock);
	store_user_remember(s, u);
	pthread_rwlock_unlock(&s->ulock);
}

/*
 * Look a token up comparing against every user in constant time, so the
 * time taken says nothing about how much of a guess was right.
 */
const struct store_user *
store_user_by_token(struct store *s, const char *token)
{
	const struct store_user *found = NULL;
	int i;

	if (token == NULL || *token == '\0')
		return NULL;
	pthread_rwlock_rdlock(&s->ulock);
	for (i = 0; i < s->nusers; i++) {
		if (sign_equal(s->users[i]->token, token) && found == NULL)
			found = s->users[i];
	}
	pthread_rwlock_unlock(&s->ulock);
	return found;
}

const struct store_user *
store_user_by_id(struct store *s, const char *id)
{
	const struct store_user *found = NULL;
	int i;

	pthread_rwlock_rdlock(&s->ulock);
	for (i = 0; i < s->nusers; i++) {
		if (strcmp(s->users[i]->id, id) == 0) {
			found = s->users[i];
			break;
		}
	}
	pthread_rwlock_unlock(&s->ulock);
	return found;
}

int
store_user_count(struct store *s)
{
	int n;

	pthread_rwlock_rdlock(&s->ulock);
	n = s->nusers;
	pthread_rwlock_unlock(&s->ulock);
	return n;
}

const struct store_user *
store_user_at(struct store *s, int i)
{
	const struct store_user *u = NULL;

	pthread_rwlock_rdlock(&s->ulock);
	if (i >= 0 && i < s->nusers)
		u = s->users[i];
	pthread_rwlock_unlock(&s->ulock);
	return u;
}

time_t
store_now(struct store *s)
{
	return time(NULL);
}
