/*
 * follow.c -- the follow loop: rounds of sync_run() until stopped (follow.h).
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "follow.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define FOLLOW_NAP_MS	100	/* how often a pause looks at backend_interrupted() */

struct follow {
	struct follow_opts opts;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;		/* signalled by follow_wake and follow_stop */
	int		 stop;		/* under lock */
	int		 woken;		/* under lock: ends a pause */
	int		 wake;		/* set under lock, __atomic: the backend reads it */
};

struct follow *
follow_new(const struct follow_opts *o)
{
	struct follow *f = xcalloc(1, sizeof *f);
	pthread_condattr_t ca;

	f->opts = *o;
	if (f->opts.wait < 0)
		f->opts.wait = 0;
	pthread_mutex_init(&f->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->cond, &ca);
	pthread_condattr_destroy(&ca);
	return f;
}

void
follow_free(struct follow **fp)
{
	struct follow *f = *fp;

	if (f == NULL)
		return;
	pthread_mutex_destroy(&f->lock);
	pthread_cond_destroy(&f->cond);
	free(f);
	*fp = NULL;
}

void
follow_wake(struct follow *f)
{
	pthread_mutex_lock(&f->lock);
	f->woken = 1;
	/* Cuts a long poll in flight (the backend reads it without the lock). */
	__atomic_store_n(&f->wake, 1, __ATOMIC_RELEASE);
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

void
follow_stop(struct follow *f)
{
	pthread_mutex_lock(&f->lock);
	f->stop = 1;
	f->woken = 1;
	__atomic_store_n(&f->wake, 1, __ATOMIC_RELEASE);
	pthread_cond_signal(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

int
follow_backoff_next(int pause)
{
	if (pause <= 0)
		return 1;
	return pause * 2 > FOLLOW_BACKOFF_MAX ? FOLLOW_BACKOFF_MAX : pause * 2;
}

static int
follow_stopping(struct follow *f)
{
	int stop;

	pthread_mutex_lock(&f->lock);
	stop = f->stop;
	pthread_mutex_unlock(&f->lock);
	return stop || backend_interrupted();
}

/*
 * Pause up to ms; returns early on a wake, a stop or an interrupt (looked
 * at every FOLLOW_NAP_MS: a signal handler cannot signal the condition).
 * 1 if stopping.
 */
static int
follow_pause(struct follow *f, long ms)
{
	struct timespec ts;
	uint64_t until = time_mono_ms() + (uint64_t)ms, now;
	long step;
	int stop;

	pthread_mutex_lock(&f->lock);
	while (!f->stop && !f->woken && !backend_interrupted() &&
	    (now = time_mono_ms()) < until) {
		step = until - now > FOLLOW_NAP_MS ? FOLLOW_NAP_MS : (long)(until - now);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_nsec += step * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&f->cond, &f->lock, &ts);
	}
	f->woken = 0;
	stop = f->stop || backend_interrupted();
	pthread_mutex_unlock(&f->lock);
	return stop;
}

/* Milliseconds to pause after a round that went as r says and took ms. */
static long
follow_rest(const struct follow_round *r, int wait, uint64_t ms)
{
	const struct sync_stats *s = r->stats;

	if (r->status != SD_OK)
		return r->pause * 1000L;
	if (s->deferred != 0)
		return FOLLOW_DEFERRED_PAUSE * 1000L;
	/* Nothing happened, sooner than a long poll would have said so. */
	if (wait > 0 && s->changes == 0 && s->applied + s->conflicts + s->failed == 0 &&
	    ms < (uint64_t)wait * 1000)
		return (long)((uint64_t)wait * 1000 - ms);
	return 0;
}

enum sd_status
follow_run(struct follow *f, struct cache *c, struct backend *be, char **cause)
{
	struct follow_round r;
	struct sync_opts so;
	struct sync_stats stats;
	enum sd_status st = SD_OK;
	char *why = NULL;
	uint64_t t0;
	unsigned n = 0;
	int pause = 0, settled = !f->opts.quick_start, know_me = !f->opts.whoami;
	int failed = 0;

	if (be->ops->set_wake != NULL)
		be->ops->set_wake(be, &f->wake);
	for (;;) {
		pthread_mutex_lock(&f->lock);
		if (f->stop) {
			pthread_mutex_unlock(&f->lock);
			break;
		}
		f->woken = 0;
		/* The push below covers every wake until now. */
		__atomic_store_n(&f->wake, 0, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&f->lock);
		if (backend_interrupted())
			break;

		memset(&r, 0, sizeof r);
		memset(&so, 0, sizeof so);
		memset(&stats, 0, sizeof stats);
		so.wait = settled ? f->opts.wait : 0;
		so.page_size = f->opts.page_size;
		so.progress = f->opts.progress;
		so.arg = f->opts.arg;
		t0 = time_mono_ms();
		/*
		 * A failure to learn who the token is is the sync's too, and
		 * reported by it; the next round tries again.
		 */
		if (!know_me && sync_whoami(c, be, &why) == SD_OK)
			know_me = r.learned_me = 1;
		free(why);
		why = NULL;
		st = sync_run(c, be, &so, &stats, &why);
		/* An interrupted round is not reported (SD_EINTR otherwise is a failure). */
		if (follow_stopping(f))
			break;

		r.status = st;
		r.stats = &stats;
		r.number = ++n;
		if (st == SD_OK) {
			r.link = FOLLOW_ONLINE;
			r.recovered = failed;
			failed = pause = 0;
			settled = 1;
		} else {
			r.link = st == SD_ENETWORK || st == SD_ESERVER ? FOLLOW_OFFLINE :
			    FOLLOW_ERROR;
			r.cause = why != NULL ? why : "sync failed";
			r.pause = pause = follow_backoff_next(pause);
			failed = 1;
		}
		if (f->opts.round != NULL && f->opts.round(f->opts.arg, &r) != 0) {
			if (st != SD_OK) {
				*cause = why != NULL ? why : xstrdup("sync failed");
				why = NULL;
			}
			goto out;
		}
		free(why);
		why = NULL;
		if (follow_pause(f, follow_rest(&r, so.wait, time_mono_ms() - t0)))
			break;
	}
	st = SD_OK;
out:
	if (be->ops->set_wake != NULL)
		be->ops->set_wake(be, NULL);
	free(why);
	return st;
}
