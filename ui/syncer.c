/*
 * syncer.c -- the sync thread.
 *
 * One loop: sync_run() (push, then pull with a long poll of SYNCER_WAIT
 * seconds, or $SHOPDESK_LONG_POLL, so the store answers as soon as something
 * changes), publish the outcome, pause (none after a successful long poll;
 * 1, 2, 4 ... 30 s when offline), again. State is shared under a mutex and
 * announced by one byte on a pipe; the main loop reads it when it polls.
 *
 * A wake (syncer_wake, after an action is queued) ends a pause at once and
 * sets the flag the backend watches during a long poll (set_wake), so a
 * poll waiting for news ends early and the next round pushes the action at
 * once instead of up to SYNCER_WAIT seconds later. The loop clears the flag
 * before each round, under the lock syncer_wake takes: a wake either comes
 * before the clear, and the push that follows sees its outbox entry, or
 * after it, and cuts that round's long poll.
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
#include "outbox.h"
#include "sync.h"
#include "ui/syncer.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define SYNCER_WAIT		5	/* long-poll seconds */
#define SYNCER_WAIT_MAX		30	/* the most SHOPDESK_LONG_POLL may ask */
#define SYNCER_BACKOFF_MAX	30	/* seconds between tries when offline */

struct syncer {
	const struct config *conf;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 stop;		/* under lock */
	int		 woken;		/* under lock */
	int		 wake;		/* set under lock, __atomic: the backend reads it */
	int		 wait;		/* long-poll seconds */
	int		 pipe[2];	/* thread -> main: "state changed" */
	struct syncer_state state;	/* under lock */
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
	if (s->state.link != SYNCER_SYNCING || s->state.percent != pct) {
		s->state.link = SYNCER_SYNCING;
		s->state.percent = pct;
		s->state.changed |= ~0u;	/* a bulk load changes everything */
		pthread_mutex_unlock(&s->lock);
		syncer_notify(s);
		return;
	}
	pthread_mutex_unlock(&s->lock);
}

/* Pause up to secs seconds; returns early on a wake or a stop. 1 if stopping. */
static int
syncer_pause(struct syncer *s, int secs)
{
	struct timespec ts;
	int stop;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += secs;
	pthread_mutex_lock(&s->lock);
	while (!s->stop && !s->woken) {
		if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT)
			break;
	}
	s->woken = 0;
	stop = s->stop;
	pthread_mutex_unlock(&s->lock);
	return stop;
}

static void *
syncer_main(void *arg)
{
	struct syncer *s = arg;
	struct cache *c = NULL;
	struct backend *be = NULL;
	struct sync_opts opts;
	struct sync_stats stats;
	enum sd_status st;
	char *cause = NULL;
	int backoff = 1, k, first = 1, know_me = 0;
	unsigned changed;
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
	if (be->ops->set_wake != NULL)
		be->ops->set_wake(be, &s->wake);
	for (;;) {
		pthread_mutex_lock(&s->lock);
		if (s->stop) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		s->woken = 0;
		/* The push below covers every wake until now. */
		__atomic_store_n(&s->wake, 0, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&s->lock);

		memset(&opts, 0, sizeof opts);
		memset(&stats, 0, sizeof stats);
		/* The first run answers at once; later ones wait for news. */
		opts.wait = first ? 0 : s->wait;
		opts.page_size = s->conf->page_size;
		opts.progress = syncer_progress;
		opts.arg = s;
		free(cause);
		cause = NULL;
		changed = 0;
		/*
		 * Who the token is, once per console (a cache only the console has
		 * synced would not know, and a role may have changed). A failure
		 * here is the sync's too, and reported by it; the next round tries
		 * again.
		 */
		if (!know_me && sync_whoami(c, be, &cause) == SD_OK) {
			know_me = 1;
			changed |= 1u << KIND_USER;
		}
		free(cause);
		cause = NULL;
		st = sync_run(c, be, &opts, &stats, &cause);
		if (backend_interrupted())
			break;

		for (k = 0; k < KIND__COUNT; k++)
			if (stats.per_kind[k] > 0)
				changed |= 1u << k;
		if (stats.applied || stats.conflicts || stats.failed || stats.deferred)
			changed |= 1u << KIND__COUNT;	/* the outbox changed */
		pthread_mutex_lock(&s->lock);
		s->state.changed |= changed;
		if (st == SD_OK) {
			s->state.link = SYNCER_ONLINE;
			s->state.error[0] = '\0';
			s->state.last_ok = time(NULL);
			s->state.retry_at = 0;
			s->state.runs++;
			backoff = 1;
			first = 0;
		} else {
			char *clean = text_sanitize(cause != NULL ? cause : "sync failed", 0);

			s->state.link = st == SD_ENETWORK || st == SD_ESERVER ? SYNCER_OFFLINE :
			    SYNCER_ERROR;
			snprintf(s->state.error, sizeof s->state.error, "%s", clean);
			s->state.retry_at = time(NULL) + backoff;
			free(clean);
		}
		pthread_mutex_unlock(&s->lock);
		syncer_notify(s);

		if (st != SD_OK) {
			if (syncer_pause(s, backoff))
				break;
			backoff = backoff * 2 > SYNCER_BACKOFF_MAX ? SYNCER_BACKOFF_MAX :
			    backoff * 2;
		} else if (stats.deferred && syncer_pause(s, 2))
			break;
	}
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
	int i;

	s->conf = conf;
	s->wait = syncer_long_poll();
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
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if ((errno = pthread_create(&s->thread, NULL, syncer_main, s)) != 0) {
		*cause = xasprintf("cannot start the sync thread: %s", strerror(errno));
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
	pthread_mutex_lock(&s->lock);
	s->woken = 1;
	/* Cuts a long poll in flight (the backend reads it without the lock). */
	__atomic_store_n(&s->wake, 1, __ATOMIC_RELEASE);
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void
syncer_stop(struct syncer **sp)
{
	struct syncer *s = *sp;

	if (s == NULL)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	backend_interrupt();	/* ends a request or long poll in flight */
	pthread_join(s->thread, NULL);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	close(s->pipe[0]);
	close(s->pipe[1]);
	free(s);
	*sp = NULL;
}
