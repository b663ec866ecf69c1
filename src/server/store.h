/*
 * store.h -- the reference store's object database.
 *
 * Every object of every kind lives in one SQLite table as its JSON text, with
 * its kind, id, version, deleted flag and the feed sequence number of its last
 * change. One global sequence orders all changes; the change feed is a range
 * scan over it. All access is serialised by one mutex (store_lock): the HTTP
 * threads, the live-activity thread and seeding take it around each unit of
 * work, and writes happen inside store_begin()/store_commit().
 */
#ifndef SD_SERVER_STORE_H
#define SD_SERVER_STORE_H

#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "model.h"

struct store;

struct store_user {
	char		 id[16];	/* "U3" */
	char		 login[32];	/* "agent1" */
	char		 name[64];
	enum sd_role	 role;
	char		 token[80];	/* bearer token (also the HMAC key) */
};

/* Open (create) the store at path; ":memory:" or NULL for a private in-memory one. */
struct store *store_open(const char *path, char **cause);
void	 store_free(struct store **);
sqlite3	*store_db(struct store *);	/* for modules that run their own SQL */

void	 store_lock(struct store *);
void	 store_unlock(struct store *);
/* Transactions; call with the lock held. */
void	 store_begin(struct store *);
void	 store_commit(struct store *);
void	 store_rollback(struct store *);

/* The newest sequence number. */
int64_t	 store_head(struct store *);
/* Wait (lock NOT held) until head > since or timeout_ms passes; returns head. */
int64_t	 store_wait_head(struct store *, int64_t since, int timeout_ms);

/* The object's JSON text (caller frees), or NULL when absent or deleted. */
char	*store_get_json(struct store *, enum sd_kind, const char *id);
/* Parsed object (caller cJSON_Delete's), or NULL. */
cJSON	*store_get(struct store *, enum sd_kind, const char *id);
/*
 * Write obj as the new state of (kind, id): sets "version" to old version + 1
 * (1 when new) and "updated_at" to now (and "created_at" when new and absent),
 * assigns the next sequence number. obj stays the caller's.
 */
void	 store_put(struct store *, enum sd_kind, const char *id, cJSON *obj);
/* Bulk insert for seeding: json must already carry id/version/updated_at. */
void	 store_put_raw(struct store *, enum sd_kind, const char *id, int64_t version, const char *json);
/* Replace an object by a tombstone (new sequence number). */
void	 store_delete(struct store *, enum sd_kind, const char *id);
/* Next free numeric id for a kind: prefix + (max number + 1), into out[24]. */
void	 store_next_id(struct store *, enum sd_kind, char *out);

/* Users and tokens. */
void	 store_add_user(struct store *, const struct store_user *);
/* NULL when the token is unknown. Borrowed; valid while the store lives. */
const struct store_user *store_user_by_token(struct store *, const char *token);
const struct store_user *store_user_by_id(struct store *, const char *id);
int	 store_user_count(struct store *);
const struct store_user *store_user_at(struct store *, int i);

/* Server clock (may be offset for tests). */
time_t	 store_now(struct store *);

#endif
