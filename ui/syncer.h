/*
 * syncer.h -- the sync thread: push the outbox, pull the change feed.
 *
 * The thread has its own SQLite connection (cache_open on the same file)
 * and its own backend, and runs the core's follow loop (src/follow.h) on
 * them: a long poll, so new chats and orders appear within a second or two;
 * offline it retries with a growing pause. It never touches curses: it
 * reports through a pipe the main loop polls, and the main loop copies the
 * state with syncer_state() and re-reads its own connection when something
 * changed. The UI thread never waits for the network.
 */
#ifndef SD_UI_SYNCER_H
#define SD_UI_SYNCER_H

#include <time.h>

#include "conf.h"

enum syncer_link {
	SYNCER_STARTING,	/* no answer yet */
	SYNCER_ONLINE,
	SYNCER_SYNCING,		/* a run with progress to show (a first or big sync) */
	SYNCER_OFFLINE,		/* the last run could not reach the store */
	SYNCER_ERROR,		/* the store refused us (token, role) or the cache failed */
};

struct syncer_state {
	enum syncer_link link;
	int		 percent;	/* SYNCING: 0..100, -1 unknown */
	int		 indexing;	/* SYNCING: the step of a first sync's indexing
					   (enum cache_bulk_step), 0 before it */
	int		 nsteps;
	char		 error[256];	/* why offline/error, sanitised one line */
	time_t		 last_ok;	/* end of the last successful run, 0 never */
	time_t		 retry_at;	/* OFFLINE: when the next try is */
	unsigned	 changed;	/* kinds changed since the last syncer_state(): 1 << kind */
	unsigned	 runs;		/* successful runs so far */
};

struct syncer;

/*
 * Start the thread on a copy of nothing: conf must stay valid until
 * syncer_stop() (it is read, never written). NULL with *cause.
 */
struct syncer	*syncer_start(const struct config *conf, char **cause);
/* The fd to poll for reading: readable when the state changed. */
int		 syncer_fd(const struct syncer *);
/* Drain the fd and copy the state; resets the changed bits. */
void		 syncer_state(struct syncer *, struct syncer_state *out);
/*
 * Sync now (a new outbox entry, the `sync` command): ends a pause, or a
 * long poll waiting for news, so the next round starts at once.
 */
void		 syncer_wake(struct syncer *);
/* Stop the thread (interrupting a request in flight) and free it. */
void		 syncer_stop(struct syncer **);

#endif
