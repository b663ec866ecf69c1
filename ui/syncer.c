/*
 * syncer.c -- the sync thread.
 *
 * The loop is the core's (src/follow.h): rounds of push, then pull with a
 * long poll of SYNCER_WAIT seconds, or $SHOPDESK_LONG_POLL, so the store
 * answers as soon as something changes; 1, 2, 4 ... 30 s between tries when
 * offline; a wake cuts a pause or a long poll. The thread only opens its
 * own cache connection and backend, runs the loop, and publishes each
 * round: state is shared under a mutex and announced by one byte on a
 * pipe; the main loop reads it when it polls.
 *
 * A wake (syncer_wake, after an action is queued) is follow_wake(): the
 * next round pushes the action at once instead of up to SYNCER_WAIT seconds
 * later.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "cache.h"
#include "follow.h"
#include "ui/syncer.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define SYNCER_WAIT		FOLLOW_WAIT	/* long-poll seconds */
#define SYNCER_WAIT_MAX		30	/* the most SHOPDESK_LONG_POLL may ask */
/* A first sync's progress has the panes read again at most this often. */
#define SYNCER_REREAD_MS	1000

struct syncer {
	const struct config *conf;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	struct follow	*follow;	/* the loop; wakes and stops go to it */
	int		 pipe[2];	/* thread -> main: "state changed" */
	struct syncer_state state;	/* under lock */
	uint64_t	 reread_ms;	/* the sync thread's: when progress last marked all */
};

/* Tell the main loop (never blocks: the pipe is non-blocking). */
static void
syncer_notify(struct syncer *s)
{
	char c = 1;
	ssize_t n;

	n = write(s->pipe[1], &c, 1);
	(void)n;		/* full pipe: a notice is already waiting */
}

static void
syncer_set_error(struct syncer *s, enum syncer_link link, const char *cause)
{
	char *clean = text_sanitize(cause != NULL ? cause : "", 0);

	pthread_mutex_lock(&s->lock);
	s->state.link = link;
	snprintf(s->state.error, sizeof s->state.error, "%s", clean);
	pthread_mutex_unlock(&s->lock);
	free(clean);
	syncer_notify(s);
}

static void
syncer_progress(void *arg, const struct sync_progress *p)
{
	struct syncer *s = arg;
	int pct = p->fraction >= 0 ? (int)(p->fraction * 100) : -1;

	/* Progress only matters for big runs; small ones would just flicker. */
	if (p->changes < 500 && !p->indexing)
		return;
	pthread_mutex_lock(&s->lock);
	if (s->state.link != SYNCER_SYNCING || s->state.percent != pct ||
	    s->state.indexing != p->indexing) {
		/*
		 * A bulk load changes everything: the panes are read again as
		 * it starts, at each step of its end and otherwise once a
		 * second, not at each percent (six times a second at 100,000
		 * orders, each a pause of the keys); the status line's percent
		 * follows every one.
		 */
		if (s->state.link != SYNCER_SYNCING || s->state.indexing != p->indexing ||
		    time_mono_ms() - s->reread_ms >= SYNCER_REREAD_MS) {
			s->state.changed |= ~0u;
			s->reread_ms = time_mono_ms();
		}
		s->state.link = SYNCER_SYNCING;
		s->state.percent = pct;
		s->state.indexing = p->indexing;
		s->state.nsteps = p->nsteps;
		pthread_mutex_unlock(&s->lock);
		syncer_notify(s);
		return;
	}
	pthread_mutex_unlock(&s->lock);
}

/* Publish a round: the link, why it failed, and what changed. */
static int
syncer_round(void *arg, const struct follow_round *r)
{
	struct syncer *s = arg;
	const struct sync_stats *st = r->stats;
	unsigned changed = 0;
	char *clean;
	int k;

	if (r->learned_me)
		changed |= 1u << KIND_USER;
	for (k = 0; k < KIND__COUNT; k++)
		if (st->per_kind[k] > 0)
			changed |= 1u << k;
	if (st->applied || st->conflicts || st->failed || st->deferred)
		changed |= 1u << KIND__COUNT;	/* the outbox changed */
	pthread_mutex_lock(&s->lock);
	s->state.changed |= changed;
	s->state.indexing = 0;
	if (r->status == SD_OK) {
		s->state.link = SYNCER_ONLINE;
		s->state.error[0] = '\0';
		s->state.last_ok = time(NULL);
		s->state.retry_at = 0;
		s->state.runs++;
	} else {
		clean = text_sanitize(r->cause, 0);
		s->state.link = r->link == FOLLOW_OFFLINE ? SYNCER_OFFLINE : SYNCER_ERROR;
		snprintf(s->state.error, sizeof s->state.error, "%s", clean);
		s->state.retry_at = time(NULL) + r->pause;
		free(clean);
	}
	pthread_mutex_unlock(&s->lock);
	syncer_notify(s);
	return 0;		/* the console keeps trying until it ends */
}

static void *
syncer_main(void *arg)
{
	struct syncer *s = arg;
	struct cache *c = NULL;
	struct backend *be = NULL;
	char *cause = NULL;
	sigset_t all;

	/* Signals are the main loop's business (its self-pipe). */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if ((c = cache_open(s->conf->cache, &cause)) == NULL) {
		syncer_set_error(s, SYNCER_ERROR, cause);
		goto out;
	}
	if ((be = backend_open(s->conf, &cause)) == NULL) {
		syncer_set_error(s, SYNCER_ERROR, cause);
		goto out;
	}
	follow_run(s->follow, c, be, &cause);
out:
	free(cause);
	backend_free(&be);
	cache_close(&c);
	return NULL;
}

/*
 * The long poll: SYNCER_WAIT, or SHOPDESK_LONG_POLL seconds when that is a
 * number from 1 to SYNCER_WAIT_MAX (the tests lengthen it to show that a
 * wake does not wait for it to end). Anything else is ignored.
 */
static int
syncer_long_poll(void)
{
	const char *env = getenv("SHOPDESK_LONG_POLL");
	char *end;
	long n;

	if (env == NULL || *env == '\0')
		return SYNCER_WAIT;
	errno = 0;
	n = strtol(env, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > SYNCER_WAIT_MAX)
		return SYNCER_WAIT;
	return (int)n;
}

struct syncer *
syncer_start(const struct config *conf, char **cause)
{
	struct syncer *s = xcalloc(1, sizeof *s);
	struct follow_opts fo;
	int i;

	s->conf = conf;
	s->state.link = SYNCER_STARTING;
	s->state.percent = -1;
	if (pipe(s->pipe) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		free(s);
		return NULL;
	}
	for (i = 0; i < 2; i++) {
		fcntl(s->pipe[i], F_SETFL, fcntl(s->pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(s->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&fo, 0, sizeof fo);
	fo.wait = syncer_long_poll();
	/* The first run answers at once; later ones wait for news. */
	fo.quick_start = 1;
	/*
	 * Who the token is, once per console: a cache only the console has
	 * synced would not know, and a role may have changed.
	 */
	fo.whoami = 1;
	fo.page_size = conf->page_size;
	fo.progress = syncer_progress;
	fo.round = syncer_round;
	fo.arg = s;
	s->follow = follow_new(&fo);
	pthread_mutex_init(&s->lock, NULL);
	if ((errno = pthread_create(&s->thread, NULL, syncer_main, s)) != 0) {
		*cause = xasprintf("cannot start the sync thread: %s", strerror(errno));
		pthread_mutex_destroy(&s->lock);
		follow_free(&s->follow);
		close(s->pipe[0]);
		close(s->pipe[1]);
		free(s);
		return NULL;
	}
	return s;
}

int
syncer_fd(const struct syncer *s)
{
	return s->pipe[0];
}

void
syncer_state(struct syncer *s, struct syncer_state *out)
{
	char buf[64];

	while (read(s->pipe[0], buf, sizeof buf) > 0)
		;
	pthread_mutex_lock(&s->lock);
	*out = s->state;
	s->state.changed = 0;
	pthread_mutex_unlock(&s->lock);
}

void
syncer_wake(struct syncer *s)
{
	follow_wake(s->follow);
}

void
syncer_stop(struct syncer **sp)
{
	struct syncer *s = *sp;

	if (s == NULL)
		return;
	follow_stop(s->follow);
	backend_interrupt();	/* ends a request in flight */
	pthread_join(s->thread, NULL);
	follow_free(&s->follow);
	pthread_mutex_destroy(&s->lock);
	close(s->pipe[0]);
	close(s->pipe[1]);
	free(s);
	*sp = NULL;
}
