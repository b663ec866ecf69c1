/*
 * test-follow.c -- the follow loop (src/follow.h) that "sync --follow" and
 * the console's sync thread share.
 *
 * The policy against a scripted backend: the growing pause while failing
 * and its reset, which failures are offline, the owner ending the loop on
 * an error, the first rounds answering at once, learning who the token is
 * once, a wake cutting a long poll and being re-armed each round, the rest
 * of the wait after a poll that ended early, a stop from another thread.
 * Then the same loop against the reference store in this process: a first
 * round that loads and learns who, wakes cutting the Store API's long poll,
 * and a stop in the middle of one.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "backend.h"
#include "cache.h"
#include "follow.h"
#include "server/faults.h"
#include "server/http.h"
#include "server/seed.h"
#include "server/store.h"
#include "sync.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#include "tap.h"

#define MAX_ROUNDS	32

/* --- what the loop reported ------------------------------------------------------ */

struct seen {
	enum sd_status	 status;
	enum follow_link link;
	int		 pause;
	int		 recovered;
	int		 learned_me;
	long		 changes;
	unsigned	 number;
	uint64_t	 at_ms;		/* when the round was reported */
};

struct watch {
	struct follow	*f;
	struct seen	 rounds[MAX_ROUNDS];
	int		 n;		/* __atomic: the helper thread reads it */
	int		 stop_at;	/* end the loop at this round (0: never) */
	int		 stop_on;	/* end the loop on this status (SD_OK: never) */
	int		 wake_each;	/* follow_wake() from the callback: skip pauses */
};

static int
watch_round(void *arg, const struct follow_round *r)
{
	struct watch *w = arg;
	struct seen *s;
	int n = __atomic_load_n(&w->n, __ATOMIC_ACQUIRE);

	if (n < MAX_ROUNDS) {
		s = &w->rounds[n];
		s->status = r->status;
		s->link = r->link;
		s->pause = r->pause;
		s->recovered = r->recovered;
		s->learned_me = r->learned_me;
		s->changes = r->stats->changes;
		s->number = r->number;
		s->at_ms = time_mono_ms();
		__atomic_store_n(&w->n, n + 1, __ATOMIC_RELEASE);
	}
	if (w->wake_each)
		follow_wake(w->f);
	if (w->stop_on != SD_OK && r->status == (enum sd_status)w->stop_on)
		return 1;
	return w->stop_at != 0 && (int)r->number >= w->stop_at;
}

/*
 * A helper thread: delay_ms after the start and after each round is
 * reported (or only after the start, with once set), wake the loop or stop
 * it.
 */
struct helper {
	struct watch	*w;
	int		 delay_ms;
	int		 once;
	int		 stop;		/* follow_stop rather than follow_wake */
	int		 quit;		/* __atomic */
	pthread_t	 thread;
};

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void *
helper_main(void *arg)
{
	struct helper *h = arg;
	int last = -1, n;	/* -1: the first round too */

	while (!__atomic_load_n(&h->quit, __ATOMIC_ACQUIRE)) {
		n = __atomic_load_n(&h->w->n, __ATOMIC_ACQUIRE);
		if (h->once || n != last) {
			last = n;
			nap_ms(h->delay_ms);
			if (__atomic_load_n(&h->quit, __ATOMIC_ACQUIRE))
				break;
			if (h->stop)
				follow_stop(h->w->f);
			else
				follow_wake(h->w->f);
			if (h->once)
				break;
		}
		nap_ms(5);
	}
	return NULL;
}

static void
helper_start(struct helper *h, struct watch *w, int delay_ms, int once, int stop)
{
	memset(h, 0, sizeof *h);
	h->w = w;
	h->delay_ms = delay_ms;
	h->once = once;
	h->stop = stop;
	if (pthread_create(&h->thread, NULL, helper_main, h) != 0)
		fatal("pthread_create");
}

static void
helper_join(struct helper *h)
{
	__atomic_store_n(&h->quit, 1, __ATOMIC_RELEASE);
	pthread_join(h->thread, NULL);
}

/* Run a loop with o (round and arg filled in here) until it ends. */
static enum sd_status
watch_run(struct watch *w, struct follow_opts *o, struct cache *c, struct backend *be,
    struct helper *h, int delay_ms, int once, int stop, char **cause)
{
	enum sd_status st;

	o->round = watch_round;
	o->arg = w;
	w->f = follow_new(o);
	if (h != NULL)
		helper_start(h, w, delay_ms, once, stop);
	st = follow_run(w->f, c, be, cause);
	if (h != NULL)
		helper_join(h);
	follow_free(&w->f);
	return st;
}

/* --- a scripted backend ---------------------------------------------------------- */

static struct fake {
	enum sd_status	 fail[MAX_ROUNDS];	/* round i's answer (SD_OK by default) */
	int		 opened;		/* streams opened so far */
	int		 waits[MAX_ROUNDS];	/* the wait each asked for */
	int		 long_poll;		/* hold a wait like a feed; else end at once */
	int		 whoami_fail;		/* whoami fails this many times first */
	int		 whoami_calls;
	const volatile int *wake;		/* set_wake's */
	int		 wake_set;		/* set_wake(non-NULL) calls */
} fake;

struct change_stream {
	int		 wait;
};

static enum sd_status
fake_changes_open(struct backend *be, const char *cursor, int limit, int wait,
    struct change_stream **out, char **cause)
{
	int i = fake.opened++;

	if (i < MAX_ROUNDS)
		fake.waits[i] = wait;
	if (i < MAX_ROUNDS && fake.fail[i] != SD_OK) {
		*cause = xasprintf("fake: round %d fails", i + 1);
		return fake.fail[i];
	}
	*out = xcalloc(1, sizeof **out);
	(*out)->wait = wait;
	return SD_OK;
}

/* One empty page; a long poll first waits for the wake or its time. */
static enum sd_status
fake_changes_next(struct change_stream *s, struct change_page *pg, char **cause)
{
	uint64_t until = time_mono_ms() + (uint64_t)s->wait * 1000;

	memset(pg, 0, sizeof *pg);
	while (fake.long_poll && s->wait > 0 && time_mono_ms() < until &&
	    !backend_interrupted() &&
	    !(fake.wake != NULL && __atomic_load_n(fake.wake, __ATOMIC_ACQUIRE)))
		nap_ms(5);
	pg->next_cursor = xstrdup("1");
	pg->progress = 1;
	pg->requests = 1;
	return SD_OK;
}

static void
fake_changes_close(struct change_stream *s)
{
	free(s);
}

static enum sd_status
fake_whoami(struct backend *be, cJSON **out, char **cause)
{
	fake.whoami_calls++;
	if (fake.whoami_fail > 0) {
		fake.whoami_fail--;
		*cause = xstrdup("fake: whoami fails");
		return SD_ENETWORK;
	}
	*out = cJSON_Parse("{\"id\":\"U1\",\"login\":\"fake1\",\"name\":\"F\",\"role\":\"admin\"}");
	return SD_OK;
}

static void
fake_set_wake(struct backend *be, const volatile int *wake)
{
	fake.wake = wake;
	if (wake != NULL)
		fake.wake_set++;
}

static const struct backend_ops fake_ops = {
	.name = "fake",
	.changes_open = fake_changes_open,
	.changes_next = fake_changes_next,
	.changes_close = fake_changes_close,
	.whoami = fake_whoami,
	.set_wake = fake_set_wake,
};

static struct backend fake_be = { &fake_ops, NULL };

static struct cache *
fresh_cache(void)
{
	struct cache *c;
	char *cause = NULL;

	if ((c = cache_open(":memory:", &cause)) == NULL) {
		printf("Bail out! cache_open: %s\n", cause);
		exit(1);
	}
	/* A cursor already: no bulk load in every round. */
	if (cache_state_set(c, SYNC_CURSOR_KEY, "1", &cause) != 0) {
		printf("Bail out! cache_state_set: %s\n", cause);
		exit(1);
	}
	return c;
}

static void
fake_reset(void)
{
	memset(&fake, 0, sizeof fake);
}

/* --- the policy -------------------------------------------------------------------- */

static void
test_backoff(void)
{
	static const int want[] = { 1, 2, 4, 8, 16, 30, 30 };
	struct follow_opts o;
	struct watch w;
	struct cache *c = fresh_cache();
	char *cause = NULL;
	enum sd_status st;
	int i, good;

	fake_reset();
	for (i = 0; i < 7; i++)
		fake.fail[i] = SD_ENETWORK;
	fake.fail[8] = SD_ESERVER;
	memset(&o, 0, sizeof o);
	memset(&w, 0, sizeof w);
	w.wake_each = 1;	/* no waiting out the pauses; their lengths are checked */
	w.stop_at = 10;
	st = watch_run(&w, &o, c, &fake_be, NULL, 0, 0, 0, &cause);
	is_int(st, SD_OK, "backoff: the owner's stop ends the loop with SD_OK");
	ok(cause == NULL, "and no cause");
	is_int(w.n, 10, "ten rounds reported");
	for (i = 0, good = 1; i < 7; i++)
		if (w.rounds[i].status != SD_ENETWORK || w.rounds[i].link != FOLLOW_OFFLINE ||
		    w.rounds[i].pause != want[i])
			good = 0;
	ok(good, "unreachable: offline, retried after 1, 2, 4, 8, 16, 30, 30 s");
	ok(w.rounds[7].status == SD_OK && w.rounds[7].link == FOLLOW_ONLINE &&
	    w.rounds[7].recovered && w.rounds[7].pause == 0,
	    "then online again, said to be a recovery");
	ok(w.rounds[8].link == FOLLOW_OFFLINE && w.rounds[8].pause == 1,
	    "a store error (5xx) is offline too, and the pause starts again at 1 s");
	ok(w.rounds[9].status == SD_OK && w.rounds[9].recovered, "and recovers");
	for (i = 0, good = 1; i < 10; i++)
		if (w.rounds[i].number != (unsigned)i + 1)
			good = 0;
	ok(good, "rounds are numbered from 1");
	ok(fake.wake == NULL && fake.wake_set == 1,
	    "the backend's wake flag is set for the run and unset after it");
	cache_close(&c);

	/* Without a wake the pause is waited out. */
	c = fresh_cache();
	fake_reset();
	fake.fail[0] = SD_ENETWORK;
	memset(&w, 0, sizeof w);
	w.stop_at = 2;
	st = watch_run(&w, &o, c, &fake_be, NULL, 0, 0, 0, &cause);
	ok(st == SD_OK && w.n == 2 && w.rounds[1].at_ms - w.rounds[0].at_ms >= 950,
	    "the pause after a failure is waited out (%llu ms)",
	    (unsigned long long)(w.rounds[1].at_ms - w.rounds[0].at_ms));
	cache_close(&c);
}

static void
test_error_ends(void)
{
	struct follow_opts o;
	struct watch w;
	struct cache *c = fresh_cache();
	char *cause = NULL;
	enum sd_status st;

	fake_reset();
	fake.fail[0] = SD_ENETWORK;
	fake.fail[1] = SD_EAUTH;
	memset(&o, 0, sizeof o);
	memset(&w, 0, sizeof w);
	w.wake_each = 1;
	w.stop_on = SD_EAUTH;
	st = watch_run(&w, &o, c, &fake_be, NULL, 0, 0, 0, &cause);
	is_int(st, SD_EAUTH, "an owner that stops on a refusal gets its status");
	is_str(cause, "fake: round 2 fails", "and its cause");
	ok(w.n == 2 && w.rounds[1].link == FOLLOW_ERROR,
	    "a refusal is an error, not offline");
	free(cause);
	cache_close(&c);
}

static void
test_start(void)
{
	struct follow_opts o;
	struct watch w;
	struct cache *c = fresh_cache();
	char *cause = NULL, *login;

	fake_reset();
	fake.fail[0] = SD_ENETWORK;
	fake.whoami_fail = 1;
	memset(&o, 0, sizeof o);
	o.wait = 7;
	o.quick_start = 1;
	o.whoami = 1;
	memset(&w, 0, sizeof w);
	w.wake_each = 1;
	w.stop_at = 3;
	watch_run(&w, &o, c, &fake_be, NULL, 0, 0, 0, &cause);
	ok(fake.waits[0] == 0 && fake.waits[1] == 0 && fake.waits[2] == 7,
	    "rounds answer at once until one succeeds, then long-poll (%d %d %d)",
	    fake.waits[0], fake.waits[1], fake.waits[2]);
	ok(!w.rounds[0].learned_me && w.rounds[1].learned_me && !w.rounds[2].learned_me,
	    "who the token is is learned in the round that manages it");
	is_int(fake.whoami_calls, 2, "and asked no more once known");
	login = cache_state_get(c, "me.login");
	is_str(login, "fake1", "the cache knows who (me.login)");
	free(login);
	cache_close(&c);

	/* Neither option: the first round long-polls and never asks who. */
	c = fresh_cache();
	fake_reset();
	memset(&o, 0, sizeof o);
	o.wait = 7;
	memset(&w, 0, sizeof w);
	w.wake_each = 1;
	w.stop_at = 1;
	watch_run(&w, &o, c, &fake_be, NULL, 0, 0, 0, &cause);
	ok(fake.waits[0] == 7 && fake.whoami_calls == 0,
	    "without quick_start and whoami: a long poll at once, no whoami");
	cache_close(&c);
}

static void
test_wake(void)
{
	struct follow_opts o;
	struct watch w;
	struct helper h;
	struct cache *c = fresh_cache();
	char *cause = NULL;
	uint64_t t0;
	enum sd_status st;

	/* A 20 s long poll, woken 100 ms after each round: three rounds in well under 20 s. */
	fake_reset();
	fake.long_poll = 1;
	memset(&o, 0, sizeof o);
	o.wait = 20;
	memset(&w, 0, sizeof w);
	w.stop_at = 3;
	t0 = time_mono_ms();
	st = watch_run(&w, &o, c, &fake_be, &h, 100, 0, 0, &cause);
	ok(st == SD_OK && w.n == 3 && time_mono_ms() - t0 < 5000,
	    "a wake cuts a long poll, and no wait follows the cut round (%llu ms for 3 rounds)",
	    (unsigned long long)(time_mono_ms() - t0));
	ok(w.rounds[0].status == SD_OK && w.rounds[1].status == SD_OK &&
	    w.rounds[2].status == SD_OK, "a cut long poll is a success");
	cache_close(&c);

	/* The flag is cleared before each round: an unwoken round waits its time. */
	c = fresh_cache();
	fake_reset();
	fake.long_poll = 1;
	o.wait = 1;
	memset(&w, 0, sizeof w);
	w.stop_at = 2;
	w.wake_each = 1;	/* a wake after round 1, before round 2 starts */
	t0 = time_mono_ms();
	watch_run(&w, &o, c, &fake_be, NULL, 0, 0, 0, &cause);
	ok(w.n == 2 && w.rounds[1].at_ms - w.rounds[0].at_ms >= 950,
	    "a wake between rounds does not cut the next round's long poll (%llu ms)",
	    (unsigned long long)(w.rounds[1].at_ms - w.rounds[0].at_ms));
	cache_close(&c);

	/* A stop from another thread ends a long poll; that round is not reported. */
	c = fresh_cache();
	fake_reset();
	fake.long_poll = 1;
	o.wait = 20;
	memset(&w, 0, sizeof w);
	t0 = time_mono_ms();
	st = watch_run(&w, &o, c, &fake_be, &h, 200, 1, 1, &cause);
	ok(st == SD_OK && cause == NULL && time_mono_ms() - t0 < 3000,
	    "follow_stop ends a long poll at once, SD_OK (%llu ms)",
	    (unsigned long long)(time_mono_ms() - t0));
	is_int(w.n, 0, "the round it ended is not reported");
	cache_close(&c);
}

static void
test_wait_out(void)
{
	struct follow_opts o;
	struct watch w;
	struct cache *c = fresh_cache();
	char *cause = NULL;
	uint64_t gap1, gap2;

	/* A backend that polls and ends before the wait (Medusa's pass): no tight loop. */
	fake_reset();
	memset(&o, 0, sizeof o);
	o.wait = 1;
	memset(&w, 0, sizeof w);
	w.stop_at = 3;
	watch_run(&w, &o, c, &fake_be, NULL, 0, 0, 0, &cause);
	gap1 = w.rounds[1].at_ms - w.rounds[0].at_ms;
	gap2 = w.rounds[2].at_ms - w.rounds[1].at_ms;
	ok(w.n == 3 && gap1 >= 950 && gap2 >= 950 && gap1 < 3000 && gap2 < 3000,
	    "a round that ended early with nothing waits out the rest of its wait "
	    "(%llu, %llu ms)", (unsigned long long)gap1, (unsigned long long)gap2);
	cache_close(&c);
}

/* --- the reference store ------------------------------------------------------------ */

static void
test_store(void)
{
	struct store *s;
	struct faults *fl;
	struct http *h;
	struct http_opts ho;
	struct seed_opts so;
	struct config conf;
	struct backend *be;
	struct cache *c;
	struct follow_opts o;
	struct watch w;
	struct helper hp;
	const struct store_user *u, *admin = NULL;
	char *cause = NULL, *login;
	enum sd_status st;
	uint64_t t0;
	int i;

	if ((s = store_open(":memory:", &cause)) == NULL) {
		printf("Bail out! store_open: %s\n", cause);
		exit(1);
	}
	memset(&so, 0, sizeof so);
	so.seed = 7;
	so.orders = 40;
	so.now = store_now(s);
	so.quiet = 1;
	if (seed_store(s, &so, &cause) != 0) {
		printf("Bail out! seed_store: %s\n", cause);
		exit(1);
	}
	for (i = 0; i < store_user_count(s); i++)
		if ((u = store_user_at(s, i))->role == ROLE_ADMIN && admin == NULL)
			admin = u;
	fl = faults_new();
	memset(&ho, 0, sizeof ho);
	ho.quiet = 1;
	if ((h = http_start(s, fl, &ho, &cause)) == NULL) {
		printf("Bail out! http_start: %s\n", cause);
		exit(1);
	}
	memset(&conf, 0, sizeof conf);
	conf.profile = xstrdup("follow");
	conf.url = xasprintf("http://127.0.0.1:%d", http_port(h));
	conf.token = xstrdup(admin->token);
	conf.timeout = 10;
	conf.page_size = 500;
	if ((be = backend_open(&conf, &cause)) == NULL) {
		printf("Bail out! backend_open: %s\n", cause);
		exit(1);
	}
	if ((c = cache_open(":memory:", &cause)) == NULL) {
		printf("Bail out! cache_open: %s\n", cause);
		exit(1);
	}

	/* The console's way: answer at once first, learn who; then long polls, woken. */
	memset(&o, 0, sizeof o);
	o.wait = 20;
	o.quick_start = 1;
	o.whoami = 1;
	o.page_size = conf.page_size;
	memset(&w, 0, sizeof w);
	w.stop_at = 3;
	t0 = time_mono_ms();
	st = watch_run(&w, &o, c, be, &hp, 300, 0, 0, &cause);
	is_int(st, SD_OK, "store: the loop ends when its owner says");
	ok(w.n == 3 && w.rounds[0].status == SD_OK && w.rounds[0].changes > 0 &&
	    w.rounds[0].learned_me, "store: the first round loads the store and learns who "
	    "(%ld changes)", w.rounds[0].changes);
	login = cache_state_get(c, "me.login");
	is_str(login, admin->login, "store: the cache knows who the token is");
	free(login);
	ok(w.rounds[1].status == SD_OK && w.rounds[2].status == SD_OK &&
	    w.rounds[1].changes == 0 && w.rounds[2].changes == 0,
	    "store: a long poll cut by a wake is a success with nothing new");
	ok(time_mono_ms() - t0 < 8000,
	    "store: wakes cut two 20 s long polls of the Store API (%llu ms in all)",
	    (unsigned long long)(time_mono_ms() - t0));

	/* sync --follow's way, stopped in the middle of a long poll. */
	memset(&o, 0, sizeof o);
	o.wait = 20;
	o.page_size = conf.page_size;
	memset(&w, 0, sizeof w);
	t0 = time_mono_ms();
	st = watch_run(&w, &o, c, be, &hp, 300, 1, 1, &cause);
	ok(st == SD_OK && w.n == 0 && time_mono_ms() - t0 < 3000,
	    "store: follow_stop ends a Store API long poll at once, unreported (%llu ms)",
	    (unsigned long long)(time_mono_ms() - t0));

	cache_close(&c);
	backend_free(&be);
	http_stop(&h);
	faults_free(&fl);
	store_free(&s);
	config_done(&conf);
}

/*
 * A backend whose pages carry parsed objects, not text (as Medusa's do):
 * one page of 40 orders, then the end.
 */
struct parsed_stream {
	int		 pages;
};

static enum sd_status
parsed_open(struct backend *be, const char *cursor, int limit, int wait,
    struct change_stream **out, char **cause)
{
	*out = xcalloc(1, sizeof (struct parsed_stream));
	return SD_OK;
}

static enum sd_status
parsed_next(struct change_stream *cs, struct change_page *pg, char **cause)
{
	struct parsed_stream *s = (struct parsed_stream *)cs;
	cJSON *o;
	size_t i;

	memset(pg, 0, sizeof *pg);
	if (s->pages++ > 0)
		return SD_OK;	/* the end */
	pg->root = cJSON_CreateArray();
	pg->changes = xcalloc(40, sizeof *pg->changes);
	for (i = 0; i < 40; i++) {
		o = cJSON_Parse("{\"id\":\"SO0\",\"version\":1,\"created_at\":"
		    "\"2026-11-20T08:00:00Z\",\"status\":\"shipped\",\"customer_name\":"
		    "\"张三丰\",\"total\":12900,\"items\":[{\"sku_id\":\"SK1\","
		    "\"title\":\"纯棉T恤 白色 / M\",\"quantity\":1}]}");
		cJSON_GetObjectItem(o, "id")->valuestring[2] = (char)('A' + i % 26);
		cJSON_GetObjectItem(o, "id")->valuestring[1] = (char)('0' + i / 26);
		cJSON_AddItemToArray(pg->root, o);
		pg->changes[i].kind = KIND_ORDER;
		pg->changes[i].id = json_str(o, "id");
		pg->changes[i].object = o;
	}
	pg->n = 40;
	pg->next_cursor = xstrdup("40");
	pg->progress = 1;
	pg->requests = 1;
	return SD_OK;
}

static void
parsed_close(struct change_stream *cs)
{
	free(cs);
}

static const struct backend_ops parsed_ops = {
	.name = "parsed",
	.changes_open = parsed_open,
	.changes_next = parsed_next,
	.changes_close = parsed_close,
};

/* A page of parsed objects teaches its kind a dictionary too. */
static void
test_parsed_learn(void)
{
	struct backend be = { &parsed_ops, NULL };
	struct sync_opts o;
	struct sync_stats st;
	struct cache *c;
	sqlite3_stmt *stmt;
	char *cause = NULL;
	int dicts = -1, blobs = -1;

	c = cache_open(":memory:", &cause);
	memset(&o, 0, sizeof o);
	o.page_size = 100;
	ok(c != NULL && sync_pull(c, &be, &o, &st, &cause) == SD_OK,
	    "a sync of 40 orders given as parsed objects (%s)", cause != NULL ? cause : "ok");
	if (c != NULL && sqlite3_prepare_v2(cache_db(c), "SELECT (SELECT count(*) FROM"
	    " pack_dicts WHERE kind = 0), (SELECT count(*) FROM orders WHERE"
	    " typeof(json) = 'blob')", -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			dicts = sqlite3_column_int(stmt, 0);
			blobs = sqlite3_column_int(stmt, 1);
		}
		sqlite3_finalize(stmt);
	}
	is_int(dicts, 1, "teaches the orders a dictionary");
	is_int(blobs, 40, "and stores them compressed");
	free(cause);
	cache_close(&c);
}

int
main(void)
{
	json_hooks_install();
	test_backoff();
	test_error_ends();
	test_start();
	test_wake();
	test_wait_out();
	test_store();
	test_parsed_learn();
	return done_testing();
}
