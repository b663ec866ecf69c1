/*
 * sync.h -- pulling the store's changes into the cache.
 *
 * Each page of changes is applied in one cache transaction together with the
 * cursor that follows it, so an interruption at any moment (kill -9
 * included) leaves the cache at a page boundary and the next run resumes
 * there. A first sync into an empty cache loads in bulk mode (indexes and
 * full-text built once at the end).
 */
#ifndef SD_SYNC_H
#define SD_SYNC_H

#include <stdint.h>

#include "backend.h"
#include "cache.h"

struct sync_progress {
	long		 changes;	/* applied so far */
	double		 fraction;	/* 0..1, -1 when unknown */
	unsigned	 requests;
	uint64_t	 bytes;
	uint64_t	 elapsed_ms;
	int		 indexing;	/* building indexes after a bulk load: the
					   step (enum cache_bulk_step), else 0 */
	int		 nsteps;	/* indexing: how many steps */
};

struct sync_opts {
	int		 full;		/* forget the cursor and refetch everything */
	int		 page_size;
	int		 wait;		/* long-poll seconds for the first request (0: none) */
	int		 push_now;	/* push entries still waiting for their retry time too */
	void		(*progress)(void *arg, const struct sync_progress *);
	void		*arg;
};

struct sync_stats {
	/* push */
	unsigned	 applied;	/* outbox entries the store applied */
	unsigned	 conflicts;
	unsigned	 failed;
	unsigned	 deferred;	/* left queued after a transient failure */
	unsigned	 unsent;	/* queued before, still queued after, not behind a
					   conflict: failures kept them from the store */
	char		 why[160];	/* the last transient failure, "" if none */
	/* pull */
	long		 changes;
	long		 per_kind[KIND__COUNT];
	long		 deleted;
	unsigned	 requests;
	uint64_t	 bytes;		/* the pages' JSON, decoded */
	uint64_t	 wire_bytes;	/* the same as received: compressed, with headers */
	uint64_t	 elapsed_ms;
	int		 bulk;		/* this run loaded in bulk mode */
	char		 cursor[32];	/* the cursor after the run */
};

/* The cache state key holding the change-feed cursor. */
#define SYNC_CURSOR_KEY		"feed.cursor"
#define SYNC_LAST_KEY		"feed.last_sync"	/* RFC 3339 of the last success */
#define SYNC_URL_KEY		"feed.url"		/* the store the cache mirrors */

/*
 * Pull every change after the cache's cursor. On failure the cache holds
 * every page fully applied before it and nothing of the failed one.
 */
enum sd_status sync_pull(struct cache *, struct backend *, const struct sync_opts *,
	    struct sync_stats *, char **cause);

/*
 * A whole sync: push the outbox (so the store sees our actions before we read
 * its state), then pull. Stops after the push when the store cannot be
 * reached or refuses the token.
 */
enum sd_status sync_run(struct cache *, struct backend *, const struct sync_opts *,
	    struct sync_stats *, char **cause);

/*
 * Remember who the token belongs to (me.id, me.login, me.name, me.role in
 * sync_state), for "--assignee me", the checks of an action's role and the
 * console's status line.
 */
enum sd_status sync_whoami(struct cache *, struct backend *, char **cause);

#endif
