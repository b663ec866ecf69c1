/*
 * outbox.h -- offline writes: every confirmed action is applied exactly once
 * on the store, or stays visible here with its state and reason.
 *
 * outbox_enqueue() commits, in one fsync'd transaction, the outbox row (the
 * action, its Idempotency-Key, the version it was based on) and the
 * optimistic overlay: the object as the user expects it after the action,
 * which lists and show display, marked pending. The store's own state of an
 * object with pending actions is kept aside (the "shadow"); the overlay is
 * always recomputed as shadow + the pending actions' patches, in order, so a
 * pull that brings a newer store object keeps the user's pending changes on
 * top, and a refused action simply drops out of the overlay.
 *
 * outbox_push() replays queued entries in order (per object: an entry waits
 * while an earlier one for the same object is unresolved). Success replaces
 * the overlay with the store's answer; 409/412 become a conflict carrying the
 * store's current object ("theirs"); 422/403/404 a failure with the store's
 * reason; network trouble, 5xx and 429 leave the entry queued with a backoff
 * (exponential with jitter, Retry-After honoured). Replays always reuse the
 * entry's key, so an answer lost after the store applied the action is
 * answered from the store's idempotency record, never applied twice.
 */
#ifndef SD_OUTBOX_H
#define SD_OUTBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "backend.h"
#include "cache.h"
#include "status.h"

enum outbox_state {
	OUTBOX_QUEUED,		/* waiting to be sent (or to be retried) */
	OUTBOX_SENDING,		/* claimed by a pusher; a dead pusher's claim is requeued */
	OUTBOX_CONFLICT,	/* 409/412: the object changed on the store */
	OUTBOX_FAILED,		/* 4xx: the store refused it; overlay rolled back */
	OUTBOX__COUNT
};

/*
 * The outcome in the log of a refund the store accepted as a request for
 * finance (above its refund limit): "sent to finance at ..." where an
 * applied entry says "applied at ...".
 */
#define OUTBOX_TO_FINANCE	"sent to finance"

/*
 * A queued create shows in its kind's table as a placeholder under the id
 * "new-N" (N: the entry's number) built from its patch, marked pending,
 * until the store makes the object (the placeholder goes, the store's
 * object comes with its own id; the entry's log row names it) or refuses
 * it (the placeholder goes; retried, it comes back). An action on a
 * placeholder is refused: there is nothing on the store to act on yet.
 */
struct outbox_entry;

#define OUTBOX_NEW_PREFIX	"new-"
#define OUTBOX_NEW_ID_LEN	32
/* The placeholder's id of entry ("new-17"), into out[n]. */
void	 outbox_new_id(int64_t entry, char *out, size_t n);
/* Remove e's placeholder (e a create; nothing otherwise). 0, or -1 with *cause. */
int	 outbox_placeholder_remove(struct cache *, const struct outbox_entry *e, char **cause);

/* What a caller asks to queue. */
struct outbox_new {
	enum sd_kind	 kind;
	const char	*object_id;	/* NULL for a create */
	const char	*action;	/* catalogue name, e.g. "ship" */
	const char	*method;	/* "POST", "PATCH" or "DELETE" */
	const char	*path_action;	/* URL segment after the id ("ship", "messages"), NULL for create/PATCH */
	const cJSON	*body;		/* request body */
	long long	 base_version;	/* If-Match; -1 for none */
	/*
	 * JSON merge patch (RFC 7386) for the overlay, or NULL; for a create,
	 * the object as it will look, shown as its placeholder (OUTBOX_NEW_PREFIX).
	 */
	const cJSON	*patch;
	const char	*summary;	/* one line for people: "ship SO10000042 via SF SF1234567890" */
	/*
	 * The object's text as its table showed it when the action was
	 * checked, and outbox_seen_version() just before that check began
	 * (outbox_enqueue_batch only): when no other connection has written
	 * to the cache since, the overlay is made from it rather than from the
	 * object read again. NULL: read it.
	 */
	const char	*shown;
	long long	 shown_as_of;
	/*
	 * The object's overlay made from shown when it was checked
	 * (outbox_overlay_ready()), or NULL: staged as it is when shown is
	 * still what the table holds and the object has no other entry in
	 * the batch, rather than made again from the entries. shown_as_of
	 * tells of other connections' writes since the check, not of the
	 * caller's own: it makes none in between (the CLI's batches).
	 */
	const struct cache_row *ready;
};

struct outbox_entry {
	int64_t		 id;		/* local number, the replay order */
	char		*key;		/* Idempotency-Key */
	enum sd_kind	 kind;
	char		*object_id;	/* NULL for a create not yet applied */
	char		*action;
	char		*method;
	char		*path_action;
	char		*body;		/* JSON text */
	long long	 base_version;
	char		*patch;		/* JSON text or NULL */
	enum outbox_state state;
	int		 attempts;	/* sends so far */
	time_t		 next_at;	/* not to be sent before */
	char		*reason;	/* why it is waiting, refused or in conflict */
	int		 http_status;	/* last answer's status, 0 if none */
	char		*theirs;	/* conflict: the store's current object (JSON) */
	char		*result;	/* applied: the store's answer (JSON) */
	char		*created_at;	/* RFC 3339 */
	char		*summary;
};

struct push_opts {
	int64_t		 only_through;	/* push entries with id <= this (0: all) */
	int		 wait_seconds;	/* retry transient failures until then (0: one pass) */
	int		 now;		/* also send entries still waiting for their retry time
					   (a person asked for it; a pass still stops at the
					   first transient failure) */
	/*
	 * Told of each entry's progress; event is "sending", "applied",
	 * "conflict", "failed", "deferred", "waiting", "unauthorized" or
	 * "requeued" (see outbox-push.c).
	 */
	void		(*on_entry)(void *arg, const struct outbox_entry *, const char *event);
	void		*arg;
};

struct push_stats {
	unsigned	 sent;		/* requests made */
	unsigned	 applied;
	unsigned	 conflicts;
	unsigned	 failed;
	unsigned	 deferred;	/* left queued after a transient failure */
	unsigned	 unsent;	/* queued before the push, still queued after it
					   and not behind a conflict or a refusal */
	char		 why[160];	/* the last transient failure, "" if none */
};

/* Name of a state: "queued", "sending", "conflict", "failed". */
const char *outbox_state_name(enum outbox_state);

/*
 * Queue an action: one transaction, fsync'd before returning, holding the
 * outbox row and the overlay. out (may be NULL) receives the new entry.
 */
int	 outbox_enqueue(struct cache *, const struct outbox_new *, struct outbox_entry *out,
	    char **cause);

/*
 * Queue the n actions of v, in order, in one transaction fsync'd before
 * returning: all of them, or none when one cannot be queued or a signal
 * came (backend_interrupted()) before the commit. ids (n long) receives
 * their numbers; out (NULL, or n long) the entries.
 */
int	 outbox_enqueue_batch(struct cache *, const struct outbox_new *v, size_t n,
	    int64_t *ids, struct outbox_entry *out, char **cause);

/*
 * A batch's overlay made while its line is checked (in the same snapshot
 * as shown): the object shown (text, and obj its parse, which the patch
 * is merged into: the caller may only delete it afterwards) with patch on
 * top and marked pending, as outbox_enqueue_batch() would make it when the
 * object has nothing in the outbox nor kept aside -- then the overlay is
 * this entry's alone, and no read nor parse of the object is needed when
 * it is queued (outbox_new.ready). NULL otherwise (the overlay is made
 * from all the object's entries when queued), or when the kind's rows
 * cannot be prepared. prep: from cache_prep_new(), shared with the cache.
 */
struct cache_row *outbox_overlay_ready(struct cache *, struct cache_prep *prep, enum sd_kind,
	    const char *id, cJSON *obj, const char *text, const cJSON *patch);

/*
 * A number that changes whenever another connection commits to the cache
 * (SQLite's data_version); -1 when it cannot be read. Taken outside any
 * transaction, before the reads it vouches for (outbox_new.shown_as_of).
 */
long long outbox_seen_version(struct cache *);

/*
 * Replay queued entries. Returns SD_OK when the pass finished (whatever the
 * entries' outcomes; see stats), SD_ENETWORK/SD_ESERVER when the store could
 * not be reached or kept failing (entries stay queued), SD_EAUTH on 401,
 * SD_ECACHE on a local failure.
 */
enum sd_status outbox_push(struct cache *, struct backend *, const struct push_opts *,
	    struct push_stats *, char **cause);

/* Entries in replay order; states is a bit mask of (1 << state), 0 for all. */
typedef int (*outbox_entry_fn)(void *arg, const struct outbox_entry *);
int	 outbox_list(struct cache *, unsigned states, outbox_entry_fn, void *arg, char **cause);
/* One entry; 1 found, 0 not found (maybe applied: see outbox_applied), -1 error. */
int	 outbox_get(struct cache *, int64_t id, struct outbox_entry *, char **cause);
/*
 * An applied (or dropped) entry from the log; same returns. Its reason says
 * which and when ("applied at T", "dropped at T (was: R)"); result is the
 * store's answer; object_id is the id a create made.
 */
int	 outbox_applied(struct cache *, int64_t id, struct outbox_entry *, char **cause);
void	 outbox_entry_done(struct outbox_entry *);

/*
 * Every action done through this cache, oldest first, from done_since (RFC
 * 3339; NULL: all): what the audit shows. outcome is "queued", "sending",
 * "conflict", "failed" for those still in the outbox, else the log's
 * ("applied", "sent to finance", "dropped" ...) with settled_at; version
 * is the object's version in the store's answer (-1 when none).
 */
struct outbox_record {
	int64_t		 id;
	const char	*done_at;
	const char	*actor;
	const char	*summary;
	enum sd_kind	 kind;
	const char	*object_id;
	const char	*action;
	long long	 base_version;
	long long	 version;
	const char	*outcome;
	const char	*settled_at;
};
typedef int (*outbox_record_fn)(void *arg, const struct outbox_record *);
int	 outbox_history(struct cache *, const char *done_since, outbox_record_fn, void *arg,
	    char **cause);

/* Send a failed or conflicting entry again as it is (same key); a queued one now. */
int	 outbox_retry(struct cache *, int64_t id, char **cause);
/* Give up an entry: its overlay is removed; recorded in the log as dropped. */
int	 outbox_drop(struct cache *, int64_t id, char **cause);
/* Whether an entry may be replaced (in conflict or failed): 0, or -1 with *cause. */
int	 outbox_replaceable(const struct outbox_entry *, char **cause);
/*
 * Edit entry id, in conflict or failed: the action n takes its place in the
 * queue and its number, under a new key, queued; the old version is logged
 * as dropped under a fresh number ("edited, now #id"). One durable
 * transaction: when n cannot be queued, id stays as it was. out (may be
 * NULL) receives the new version.
 */
int	 outbox_replace(struct cache *, int64_t id, const struct outbox_new *,
	    struct outbox_entry *out, char **cause);
/*
 * Resolve a conflict: mine re-bases the entry on the store's current version
 * (a new Idempotency-Key, If-Match = theirs.version) and queues it again;
 * theirs drops the entry and keeps the store's object.
 */
enum outbox_resolution { OUTBOX_MINE, OUTBOX_THEIRS };
int	 outbox_resolve(struct cache *, int64_t id, enum outbox_resolution, char **cause);

/* Entries per state (counts[OUTBOX__COUNT]); 0 or -1. */
int	 outbox_counts(struct cache *, long *counts, char **cause);

/*
 * The one door through which the store's objects enter the cache (the sync
 * engine's pages, the answers of actions, "show --fresh"): an object with
 * no action waiting is stored as it is (cache_put); one with unresolved
 * entries is kept aside as the store's state and shown with their patches
 * on top (outbox_overlay_put). outbox_store_text() takes the object's JSON
 * text (len bytes), kept as the store sent it, and its id when the caller
 * knows it (else it is read from the text); outbox_store_printed() both,
 * the object and text its JSON as printed, so that neither is made again,
 * inside a transaction that is rolled back whole if it fails (a replay's
 * group: no savepoint of its own). outbox_store_row(): the same as
 * outbox_store_text() for an object a sync prepared off the writer's thread
 * (cache_row_prepare() from text, which the overlay takes when the object
 * has entries waiting).
 * outbox_forget(): the object is
 * gone from the store (a tombstone, a sweep). Inside the caller's
 * transaction; 0, or -1 with *cause.
 */
int	 outbox_store(struct cache *, enum sd_kind, const cJSON *obj, char **cause);
int	 outbox_store_text(struct cache *, enum sd_kind, const char *id, const char *text,
	    size_t len, char **cause);
int	 outbox_store_row(struct cache *, enum sd_kind, const struct cache_row *,
	    const char *text, size_t len, char **cause);
int	 outbox_store_printed(struct cache *, enum sd_kind, const cJSON *obj,
	    const char *text, char **cause);
int	 outbox_forget(struct cache *, enum sd_kind, const char *id, char **cause);

/* Whether (kind, id) has unresolved entries: 1, 0, or -1 on error. */
int	 outbox_has_pending(struct cache *, enum sd_kind, const char *id);
/*
 * An object with pending entries: keep obj (or its JSON text, len bytes,
 * when obj is NULL) as the store's state of the object unless the one kept
 * is newer, and rewrite the overlay on top of it (in either case). 0 or -1.
 */
int	 outbox_overlay_put(struct cache *, enum sd_kind, const cJSON *obj,
	    const char *text, size_t len, char **cause);
/*
 * outbox_overlay_put() of obj (text: obj printed, or NULL) without the
 * overlay: the store's state is kept, but what the kind's table shows is
 * left as it was, for the caller to rebuild (outbox_overlay_apply()) once
 * it has kept every answer on the object: the replay of many entries on
 * one object rebuilds its overlay once, not once an entry. 0 or -1.
 */
int	 outbox_shadow_keep(struct cache *, enum sd_kind, const cJSON *obj,
	    const char *text, char **cause);
/* The object is gone from the store: forget its state (outbox_forget()). */
int	 outbox_shadow_remove(struct cache *, enum sd_kind, const char *id, char **cause);
/*
 * Recompute what the kind's table shows for (kind, id): the store's state
 * with the patches of the pending entries on top and "_pending": N, or the
 * store's object exactly when none is pending. Inside the caller's
 * transaction. 0 or -1.
 */
int	 outbox_overlay_apply(struct cache *, enum sd_kind, const char *id, char **cause);
/*
 * Between outbox.c and outbox-push.c: move entry id to the log with outcome
 * ("applied", "dropped"), the store's answer (JSON text or NULL), the last
 * HTTP status (-1: keep the entry's) and the id of the object a create
 * made (or NULL). Inside the caller's transaction. 0 or -1.
 */
int	 outbox_log_move(struct cache *, int64_t id, const char *outcome, const char *result,
	    int http_status, const char *created_id, char **cause);
/*
 * Between outbox.c and outbox-push.c: a transaction whose commit is
 * fsync'd before outbox_durable_end() returns (synchronous FULL while it
 * commits, *level restored after). end commits when commit is non-zero
 * (else rolls back); 0 or -1 with *cause.
 */
int	 outbox_durable_begin(struct cache *, int *level, char **cause);
int	 outbox_durable_end(struct cache *, int level, int commit, char **cause);

#endif
