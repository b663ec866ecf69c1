/*
 * follow.h -- keeping a cache current: the loop of "shopdesk sync --follow"
 * and of the console's sync thread, written once.
 *
 * A round learns who the token is (until it has, when asked), then runs
 * sync_run(): push the outbox, pull the change feed with a long poll of
 * wait seconds, so that a change on the store lands as soon as the store
 * has it. The owner hears of each round through its round callback (what
 * was pushed and pulled, or why it failed and when the next try is) and of
 * a long run's progress through the progress callback; both are called on
 * the loop's thread, which is the caller of follow_run().
 *
 * Between rounds: none after a success; after a failure 1, 2, 4 ... 30 s
 * (FOLLOW_BACKOFF_MAX), back to 1 after a success; 2 s after a push that
 * left actions waiting for their retry time; and when a successful round
 * brought and sent nothing yet ended before its wait (a backend that polls
 * rather than long-polls, Medusa, whose pass ended early), the rest of the
 * wait, so the store is not asked in a tight loop.
 *
 * The wake: follow_wake(), from any thread, when the owner has something
 * to send (an action was queued). It ends a pause at once and sets the flag
 * the backend watches (backend_ops.set_wake), so a long poll waiting for
 * news ends early and the next round pushes the action at once. The loop
 * clears the flag before each round, under the lock follow_wake() takes: a
 * wake comes either before the clear, and the push that follows sees its
 * outbox entry, or after it, and cuts that round's long poll.
 *
 * The end: follow_stop() from another thread, backend_interrupt() (a signal
 * handler), or the round callback returning non-zero. An interrupted round
 * is not reported. The loop never touches the terminal.
 */
#ifndef SD_FOLLOW_H
#define SD_FOLLOW_H

#include "backend.h"
#include "cache.h"
#include "status.h"
#include "sync.h"

#define FOLLOW_WAIT		5	/* long-poll seconds, the default */
#define FOLLOW_BACKOFF_MAX	30	/* seconds between tries while failing */
#define FOLLOW_DEFERRED_PAUSE	2	/* seconds after a push that deferred actions */

enum follow_link {
	FOLLOW_ONLINE,		/* the round succeeded */
	FOLLOW_OFFLINE,		/* the store could not be reached, or failed (5xx, 429) */
	FOLLOW_ERROR,		/* refused (token, role), the cache failed, or else */
};

/* One round, as the round callback sees it; everything is borrowed. */
struct follow_round {
	enum sd_status	 status;
	enum follow_link link;
	const char	*cause;		/* why it failed, unsanitised; NULL on success */
	const struct sync_stats *stats;	/* pushed and pulled (zero after an early failure) */
	int		 learned_me;	/* who the token is was recorded in this round */
	int		 recovered;	/* a success after failed rounds */
	int		 pause;		/* after a failure: seconds before the next try */
	unsigned	 number;	/* rounds so far, this one included */
};

struct follow_opts {
	int		 wait;		/* long-poll seconds (FOLLOW_WAIT) */
	int		 quick_start;	/* rounds answer at once until one succeeds */
	int		 whoami;	/* learn who the token is (sync_whoami), once */
	int		 page_size;
	/* A long run's progress (a first or bulk load); may be NULL. */
	void		(*progress)(void *arg, const struct sync_progress *);
	/* After each round; non-zero ends the loop with the round's status. */
	int		(*round)(void *arg, const struct follow_round *);
	void		*arg;
};

struct follow;

/* A loop with these options (copied), not yet running. */
struct follow	*follow_new(const struct follow_opts *);
void		 follow_free(struct follow **);
/*
 * Run rounds on c and be until stopped: SD_OK when stopped or interrupted;
 * the status of the round whose callback ended the loop, with *cause.
 * be's wake flag is set for the run and unset before returning.
 */
enum sd_status	 follow_run(struct follow *, struct cache *c, struct backend *be,
		    char **cause);
/* Something to send: end a pause or a long poll now. Any thread. */
void		 follow_wake(struct follow *);
/* End the loop after the request in flight (a long poll is cut). Any thread. */
void		 follow_stop(struct follow *);
/* The pause after a failure that followed one of pause seconds (0: the first). */
int		 follow_backoff_next(int pause);

#endif
