/*
 * cache.h -- the local SQLite cache: schema, migrations, objects, sync state.
 *
 * The cache is the single source of truth for what shopdesk shows. It holds a
 * table per kind (extracted columns for lists and filters, plus the object's
 * whole JSON as the store sent it), full-text indexes that work for Chinese,
 * and key/value sync state (the change-feed cursor). Only the sync engine
 * and the outbox write objects; everything else reads. The outbox's tables
 * (outbox, outbox_log, shadow) live here too, so that an action and its
 * effect on what is shown commit together.
 */
#ifndef SD_CACHE_H
#define SD_CACHE_H

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "model.h"

struct cache;

/*
 * Open or create the cache at path (":memory:" for tests), in WAL mode,
 * applying pending schema migrations in one transaction. NULL with *cause
 * (caller frees) on error, e.g. a cache written by a newer shopdesk.
 */
struct cache *cache_open(const char *path, char **cause);
/*
 * Whether cache_open() fell back to reading only, as the disk is full (or
 * the -wal/-shm cannot be written): every read works, and every write
 * fails, saying why, at cache_begin().
 */
int	 cache_readonly(struct cache *);
void	 cache_close(struct cache **);
sqlite3	*cache_db(struct cache *);
int	 cache_schema_version(struct cache *);

/* Transactions (one writer). 0 or -1 with *cause. */
int	 cache_begin(struct cache *, char **cause);
int	 cache_commit(struct cache *, char **cause);
/*
 * Inside a write transaction that may be cut in two: when another writer
 * of this process waits at cache_begin(), commit, let it in and begin
 * again. 0 (nobody waits), 1 (committed and begun again), or -1 with *cause
 * and no transaction open.
 */
int	 cache_yield(struct cache *, char **cause);
void	 cache_rollback(struct cache *);
/*
 * Many reads against one snapshot, without taking and dropping the file's
 * locks for each: a read transaction (0), or -1 when one is open already
 * (then there is nothing to end). cache_read_end() ends it.
 */
int	 cache_read_begin(struct cache *);
void	 cache_read_end(struct cache *);

/*
 * Sync state, key/value. get returns a string the caller frees, or NULL;
 * set with a NULL value removes the key.
 */
char	*cache_state_get(struct cache *, const char *key);
int	 cache_state_set(struct cache *, const char *key, const char *value, char **cause);

/*
 * Statements other modules keep for the life of the cache, prepared from sql
 * on first use (sql must be the same every time for a slot). Borrowed.
 */
enum cache_slot {
	CACHE_SLOT_PENDING,		/* outbox: has (kind, id) pending entries */
	CACHE_SLOT_SHADOW_GET,		/* outbox: the store's state of an object */
	CACHE_SLOT_SHADOW_PUT,
	CACHE_SLOT_SHADOW_DEL,
	CACHE_SLOT_ENTRIES,		/* outbox: an object's entries, in order */
	CACHE_SLOT_KNOWN,		/* outbox: has (kind, id) entries or a shadow */
	CACHE_SLOT_ORDER_ROWID,		/* cache.c: the last rowid of an order's second */
	CACHE_SLOT__COUNT
};
sqlite3_stmt *cache_slot_stmt(struct cache *, enum cache_slot, const char *sql,
	    char **cause);
/*
 * The JSON text of column col (a json column) of a row of kind k: stored as
 * text or compressed (cache-pack.c), valid until the next call. NULL, with
 * *len 0, when it cannot be read. Every reader of a json column uses it.
 */
const char *cache_column_json(struct cache *, enum sd_kind, sqlite3_stmt *, int col,
	    size_t *len);
/*
 * Objects are stored compressed against a dictionary of their kind, made
 * once from the objects of one sync page (at least CACHE_LEARN_MIN of
 * them; cache-pack.c). cache_learning(): whether kind k has none yet.
 * cache_learn(): make it from n sample JSON texts, in a transaction of its
 * own, before the page's (never inside one: then it does nothing). 0 or -1.
 */
#define CACHE_LEARN_MIN	32
int	 cache_learning(struct cache *, enum sd_kind);
int	 cache_learn(struct cache *, enum sd_kind, const char *const *texts, const size_t *lens,
	    size_t n, char **cause);

/*
 * A statement for sql, kept for the cache's life (prepared once): reset and
 * unbound. Hand it back with cache_stmt_done(), never sqlite3_finalize().
 * sql is known by its address and text, so a string constant is best; a
 * statement still in use further up the stack gives a fresh one, which
 * cache_stmt_done() finalizes. NULL with *cause.
 */
sqlite3_stmt *cache_prepare(struct cache *, const char *sql, char **cause);
void	 cache_stmt_done(struct cache *, sqlite3_stmt *);

/*
 * Store obj (a whole object) as the current state of its kind, as it is.
 * An object whose version is lower than the cached one is ignored. The JSON
 * kept is cJSON_PrintUnformatted(obj). The cache is plain storage: objects
 * from the store come in through the outbox's door (outbox_store()), which
 * applies the actions still waiting for them.
 */
int	 cache_put(struct cache *, enum sd_kind, const cJSON *obj, char **cause);
/*
 * The same for an object given as its JSON text (len bytes, validated by the
 * caller or not): the text is kept as it is, so the store's own bytes are
 * what the cache holds, and it is parsed in an arena (no malloc per node).
 */
int	 cache_put_text(struct cache *, enum sd_kind, const char *text, size_t len,
	    char **cause);
/*
 * Store obj into its kind's table as it is, with text (len bytes) as its JSON
 * when not NULL, without consulting the outbox: how the outbox itself writes
 * overlays and restores the store's objects. Older versions are ignored.
 */
int	 cache_put_direct(struct cache *, enum sd_kind, const cJSON *obj,
	    const char *text, size_t len, char **cause);
/*
 * Objects made ready to store on another thread than the writer's, so
 * that a sync's writer only binds and steps (sync.c prepares the next
 * page while it writes one). A preparer (cache_prep_new()) belongs to one
 * thread; cache_prep_share() gives it the dictionaries the cache has (on
 * the writer's thread, the cache open; a row prepared before its kind had
 * one is compressed by cache_put_row()). cache_row_prepare() parses text
 * (len bytes), extracts the columns, builds the search document and
 * compresses: a row, which may borrow text; or NULL, and the object goes
 * the usual way (cache_put_text(), which says what is wrong with it; a
 * SKU, whose document reads the cache). cache_put_row() stores it as
 * cache_put_text() would (objects from the store: outbox_store_row()).
 */
struct cache_prep;
struct cache_row;
struct cache_prep *cache_prep_new(void);
void	 cache_prep_free(struct cache_prep *);
void	 cache_prep_share(struct cache *, struct cache_prep *);
struct cache_row *cache_row_prepare(struct cache_prep *, enum sd_kind, const char *text,
	    size_t len);
/*
 * The same for an object already parsed (obj, whose JSON is text, len
 * bytes): the row keeps copies of all it needs. Whether kind k's objects
 * can be prepared at all (not a SKU's): cache_row_preparable().
 */
struct cache_row *cache_row_prepare_obj(struct cache_prep *, enum sd_kind, const cJSON *obj,
	    const char *text, size_t len);
int	 cache_row_preparable(enum sd_kind);
const char *cache_row_id(const struct cache_row *);
/* The memory a row takes, in bytes (0 for NULL). */
size_t	 cache_row_size(const struct cache_row *);
void	 cache_row_free(struct cache_row *);
int	 cache_put_row(struct cache *, const struct cache_row *, char **cause);
/*
 * Many puts in one transaction: between cache_stage_begin() and
 * cache_stage_end(), cache_put*() keep the objects in a temporary stage,
 * and cache_stage_end() writes them all into their tables with one
 * statement per kind (write 1; 0 gives them up, as on a rollback). One
 * statement is what makes it fast: SQLite opens a savepoint for each
 * statement of a transaction that runs triggers, and FTS5 writes out its
 * pending index at every savepoint, so thousands of single puts in one
 * transaction each write a segment of the full-text index. Meanwhile the
 * tables do not show what is staged: the caller puts each object once
 * and does not read back what it put. Inside the caller's transaction.
 */
void	 cache_stage_begin(struct cache *);
int	 cache_stage_end(struct cache *, int write, char **cause);
/* Remove an object. Absent is not an error. (From the store: outbox_forget().) */
int	 cache_remove(struct cache *, enum sd_kind, const char *id, char **cause);

/*
 * Bulk loading: bulk_begin drops secondary indexes and full-text triggers so
 * a first sync of a large store only appends rows; bulk_end recreates them
 * and rebuilds the full-text indexes. A crash in between is repaired at the
 * next cache_open() (the state key "bulk" records it, with the loader's pid:
 * a load still running, in this process or another, is left to finish).
 */
int	 cache_bulk_begin(struct cache *, char **cause);
int	 cache_bulk_end(struct cache *, char **cause);
/* The steps of a bulk load's end, in their order. */
enum cache_bulk_step {
	CACHE_BULK_ROLLUPS = 1,		/* the day figures */
	CACHE_BULK_INDEXES,		/* the lists' indexes */
	CACHE_BULK_FULLTEXT,		/* the full-text indexes */
	CACHE_BULK_COMMIT,		/* saving it all */
	CACHE_BULK_NSTEPS = CACHE_BULK_COMMIT
};
/*
 * fn(arg, step) as cache_bulk_end() starts each step and about once a second
 * within it, on its thread (a step can take a minute at a million orders);
 * fn NULL: none.
 */
void	 cache_bulk_watch(struct cache *, void (*fn)(void *, int), void *arg);
/* Whether a bulk load is under way (by this process or another): 1 or 0. */
int	 cache_bulk_loading(struct cache *);

/* The full-text table of a kind ("orders_fts"), or NULL if it has none. */
const char *cache_fts_table(enum sd_kind);

/* Number of cached objects of a kind (-1 on error). */
long	 cache_count(struct cache *, enum sd_kind);

/* The object's JSON (caller frees) or NULL. */
char	*cache_get_json(struct cache *, enum sd_kind, const char *id);
/*
 * The id a person's reference names: "#N" is the object whose display_id
 * is N -- a store's own order and ticket numbers (Medusa's), as the lists
 * show them; anything else is an id. NULL with *cause when "#N" names none
 * or more than one; caller frees. (It reads every row: a person's lookup.)
 */
char	*cache_resolve_ref(struct cache *, enum sd_kind, const char *ref, char **cause);

/*
 * The digest the reference store's /_control/digest computes: SHA-256 over
 * "kind\tid\tversion\tjson\n" for every cached object, ordered by kind name
 * then id (bytewise). 0 or -1 with *cause.
 */
int	 cache_digest(struct cache *, char *hex_out, long *count, char **cause);

/*
 * A set of rowids for SQL sd_inset(?, rowid), bound with
 * sqlite3_bind_pointer(..., CACHE_ROWSET, NULL): v sorted ascending.
 * cache-query.c reads a search's matches from the full-text index once and
 * tests the rows of a list's index against them.
 */
#define CACHE_ROWSET	"sd_rowset"
struct cache_rowset {
	const long long	*v;
	size_t		 n;
	size_t		 probes;	/* rows sd_inset() was asked about */
};

/*
 * Orders' rowids are their list order: an order's rowid is
 * cache_order_second(created_at) << CACHE_ORDER_SLOT_BITS plus a slot
 * within that second, the next one when it is inserted, kept when it
 * changes but for a created_at of another second, which takes the next
 * slot of that one (cache.c's upsert). So every list of orders is read by
 * rowid (newest first: of one second, the last to come first), their
 * indexes are keyed on a filter alone (every index ends in the rowid), a
 * date range is a rowid range, and a search reads the full-text index's
 * matches from the highest rowid down and stops after a page
 * (cache-query.c). The rowids stay small (38 bits in 2026: the index
 * stores each as a varint, and the difference between neighbours): an
 * order past the 256th of its second gets a negative rowid instead, which
 * lists after every other; while one has, date ranges compare created_at
 * alone (cache_orders_ordered()).
 */
#define CACHE_ORDER_SLOT_BITS	8
/*
 * The second of an RFC 3339 time as an integer that never decreases as the
 * text increases (bytewise) where the fields are in the same places, which
 * every created_at is: "2026-11-20T08:00:00Z" and "...+08:00" alike.
 */
long long cache_order_second(const char *created_at);
/* 1 when every order's rowid follows the list order (none negative), 0 if not. */
int	 cache_orders_ordered(struct cache *);

#endif
