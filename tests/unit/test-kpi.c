/*
 * test-kpi.c -- the dashboard's day figures (kpi.c) read from the
 * quarter-hour table the cache keeps by trigger, checked against the same
 * figures counted over the orders themselves: after inserts, payment
 * changes, moves to another day, deletions, a bulk load and an interrupted
 * bulk load, in time zones a whole, half and three quarters of an hour off
 * UTC.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cache.h"
#include "kpi.h"
#include "tap.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/buf.h"
#include "schema5.h"

#define NORDERS		3000
#define SPAN		(10 * 86400)	/* orders are spread over ten days */

static char tmpdir[] = "/tmp/sd-test-kpi-XXXXXX";
static const time_t now = 1795680000;	/* 2026-11-26T08:00:00Z */
static const char *payments[] = { "paid", "unpaid", "failed", "refunded", "partially_refunded" };

static unsigned long rnd_state = 12345;

static unsigned long
rnd(void)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return rnd_state >> 33;
}

/* Order i, created somewhere in the ten days before now (or in the next hour). */
static cJSON *
make_order(int i, int version, const char *payment, long long total, time_t created)
{
	char id[32], at[RFC3339_LEN];
	cJSON *o = cJSON_CreateObject();

	snprintf(id, sizeof id, "SO%08d", i);
	time_format_rfc3339(created, at);
	json_set_str(o, "id", id);
	json_set_int(o, "version", version);
	json_set_str(o, "created_at", at);
	json_set_str(o, "updated_at", at);
	json_set_str(o, "status", "awaiting_shipment");
	if (payment != NULL)
		json_set_str(o, "payment_status", payment);
	if (total >= 0)
		json_set_int(o, "total", total);
	json_set_str(o, "currency", "CNY");
	return o;
}

static int
put(struct cache *c, cJSON *o)
{
	char *cause = NULL;
	int rc = cache_put(c, KIND_ORDER, o, &cause);

	if (rc != 0)
		printf("# put: %s\n", cause);
	free(cause);
	cJSON_Delete(o);
	return rc;
}

/* NORDERS random orders; some without payment status or total. */
static int
fill(struct cache *c)
{
	int i, rc = 0;
	unsigned long r;

	for (i = 0; rc == 0 && i < NORDERS; i++) {
		r = rnd();
		rc = put(c, make_order(i, 1, r % 17 == 0 ? NULL : payments[r % 5],
		    r % 13 == 0 ? -1 : (long long)(r % 100000), now - SPAN + 3600 +
		    (time_t)(rnd() % SPAN)));
	}
	return rc;
}

/* The local midnight days before that of now, as kpi.c computes it. */
static time_t
midnight(int days)
{
	struct tm tm;
	time_t t = now;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday -= days;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* The day's figures counted over the orders themselves. */
static void
count_day(struct cache *c, time_t from, time_t to, struct kpi_day *d)
{
	char a[RFC3339_LEN], b[RFC3339_LEN];
	sqlite3_stmt *st;

	time_format_rfc3339(from, a);
	time_format_rfc3339(to, b);
	memset(d, 0, sizeof *d);
	if (sqlite3_prepare_v2(cache_db(c), "SELECT count(*), count(*) FILTER (WHERE"
	    " payment_status NOT IN ('unpaid', 'failed')), coalesce(sum(total) FILTER (WHERE"
	    " payment_status NOT IN ('unpaid', 'failed')), 0) FROM orders WHERE"
	    " created_at >= ?1 AND created_at < ?2", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		d->orders = (long)sqlite3_column_int64(st, 0);
		d->paid = (long)sqlite3_column_int64(st, 1);
		d->gmv = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
}

static void
same_day(const struct kpi_day *got, const struct kpi_day *want, const char *what,
    const char *when)
{
	ok(got->orders == want->orders && got->paid == want->paid && got->gmv == want->gmv,
	    "%s, %s: %ld orders, %ld paid, GMV %lld (counted: %ld, %ld, %lld)", when, what,
	    got->orders, got->paid, got->gmv, want->orders, want->paid, want->gmv);
}

/* kpi_read's three days against the orders counted directly. */
static void
check(struct cache *c, const char *when)
{
	struct kpi k;
	struct kpi_day want;
	char *cause = NULL;

	ok(kpi_read(c, now, &k, &cause) == 0, "%s: kpi_read (%s)", when,
	    cause != NULL ? cause : "ok");
	free(cause);
	count_day(c, midnight(0), now + 86400, &want);
	same_day(&k.today, &want, "today", when);
	count_day(c, midnight(1), midnight(0), &want);
	same_day(&k.yesterday, &want, "yesterday", when);
	count_day(c, midnight(7), midnight(6), &want);
	same_day(&k.last_week, &want, "last week", when);
	ok(k.today.orders + k.yesterday.orders + k.last_week.orders > 0,
	    "%s: the days checked are not all empty", when);
}

static int
cache_exec_test(struct cache *c, const char *sql, char **cause)
{
	char *err = NULL;

	if (sqlite3_exec(cache_db(c), sql, NULL, NULL, &err) != SQLITE_OK) {
		*cause = xstrdup(err != NULL ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static struct cache *
open_ok(const char *name)
{
	char path[256], *cause = NULL;
	struct cache *c;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	c = cache_open(path, &cause);
	ok(c != NULL, "open %s (%s)", name, cause != NULL ? cause : "ok");
	free(cause);
	if (c == NULL)
		exit(done_testing());
	return c;
}

/* Payments change, orders move to another day, one loses its total and gets another, some go. */
static void
churn(struct cache *c)
{
	char id[32], *cause = NULL;
	int i, rc = 0;

	for (i = 0; rc == 0 && i < NORDERS; i += 7)
		rc = put(c, make_order(i, 2, payments[rnd() % 5], (long long)(rnd() % 100000),
		    now - 3600 * (time_t)(i % 48)));
	for (i = 3; rc == 0 && i < NORDERS; i += 11) {
		snprintf(id, sizeof id, "SO%08d", i);
		rc = cache_remove(c, KIND_ORDER, id, &cause);
	}
	if (rc == 0)
		rc = put(c, make_order(5, 9, "paid", -1, now - 60));
	if (rc == 0)	/* only the total changes */
		rc = put(c, make_order(5, 10, "paid", 777, now - 60));
	ok(rc == 0, "updates and deletions stored (%s)", cause != NULL ? cause : "ok");
	free(cause);
}

static void
test_zone(const char *tz)
{
	static int nzone;
	struct cache *c;
	char *cause = NULL, name[64];
	int rc;

	setenv("TZ", tz, 1);
	tzset();
	nzone++;
	snprintf(name, sizeof name, "kept-%d.db", nzone);
	c = open_ok(name);
	ok(fill(c) == 0, "%s: %d orders stored one by one", tz, NORDERS);
	check(c, tz);
	churn(c);
	check(c, tz);
	cache_close(&c);

	/* A bulk load fills the table once at the end. */
	snprintf(name, sizeof name, "bulk-%d.db", nzone);
	c = open_ok(name);
	rc = cache_bulk_begin(c, &cause) == 0 && fill(c) == 0 &&
	    cache_bulk_end(c, &cause) == 0;
	ok(rc, "%s: bulk load (%s)", tz, cause != NULL ? cause : "ok");
	free(cause);
	cause = NULL;
	check(c, "after a bulk load");
	churn(c);
	check(c, "after a bulk load and changes");
	cache_close(&c);
}

/* A bulk load cut short: the next open rebuilds what it dropped, figures included. */
static void
test_interrupted(void)
{
	struct cache *c;
	char *cause = NULL;

	pid_t pid;
	int status;

	c = open_ok("cut.db");
	cache_close(&c);
	/* The loader, a process of its own, dies before the load ends. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		char path[256];

		snprintf(path, sizeof path, "%s/cut.db", tmpdir);
		c = cache_open(path, &cause);
		_exit(c != NULL && cache_bulk_begin(c, &cause) == 0 && fill(c) == 0 ? 0 : 1);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "a bulk load begun, and its process gone");
	c = open_ok("cut.db");
	check(c, "after an interrupted bulk load");
	cache_close(&c);
}

/* A cache of schema 2, orders and all, gets its quarters when it migrates. */
static void
test_migration(void)
{
	struct cache *c;
	char *cause = NULL, *old;

	c = open_ok("old.db");
	ok(fill(c) == 0, "orders stored");
	old = schema5_sql(2);
	ok(cache_exec_test(c, old, &cause) == 0 && cache_exec_test(c,
	    "DROP TABLE order_quarters;", &cause) == 0,
	    "made into a schema 2 cache (%s)", cause != NULL ? cause : "ok");
	free(cause);
	free(old);
	cache_close(&c);
	c = open_ok("old.db");
	ok(cache_schema_version(c) >= 3, "migrated");
	check(c, "after migrating from schema 2");
	cache_close(&c);
}

/*
 * A cache of schema 18, whose rollups were keyed by the quarter hour's text
 * ("2026-11-20T08:45"), gets them keyed by integers when it migrates (19),
 * summed anew from its orders: the same day figures.
 */
static void
test_migration_18(void)
{
	struct cache *c;
	sqlite3_stmt *st;
	char *cause = NULL;
	int n = -1;

	c = open_ok("q18.db");
	ok(fill(c) == 0, "orders stored");
	ok(cache_exec_test(c, "DROP TRIGGER order_quarters_ai; DROP TRIGGER order_quarters_ad;"
	    "DROP TRIGGER order_quarters_au; DROP TRIGGER item_quarters_au;"
	    "DROP TABLE order_quarters; DROP TABLE customer_quarters;"
	    "DROP TABLE item_quarters; DROP TABLE customer_first;"
	    "CREATE TABLE order_quarters (quarter TEXT PRIMARY KEY, orders INTEGER NOT NULL,"
	    " paid INTEGER NOT NULL, gmv INTEGER NOT NULL, refunds INTEGER NOT NULL,"
	    " refunded INTEGER NOT NULL) WITHOUT ROWID;"
	    "CREATE TABLE customer_quarters (customer_id TEXT NOT NULL, quarter TEXT NOT NULL,"
	    " n INTEGER NOT NULL, PRIMARY KEY (customer_id, quarter)) WITHOUT ROWID;"
	    "CREATE TABLE item_quarters (quarter TEXT NOT NULL, title TEXT NOT NULL,"
	    " qty INTEGER NOT NULL, PRIMARY KEY (quarter, title)) WITHOUT ROWID;"
	    "CREATE TABLE customer_first (customer_id TEXT PRIMARY KEY, first TEXT NOT NULL)"
	    " WITHOUT ROWID;"
	    "INSERT INTO order_quarters SELECT printf('%s%02d', substr(created_at, 1, 14),"
	    " substr(created_at, 15, 2) / 15 * 15), count(*), 0, 0, 0, 0 FROM orders GROUP BY 1;"
	    "PRAGMA user_version = 18;", &cause) == 0,
	    "made into a schema 18 cache, its quarters text (%s)", cause != NULL ? cause : "ok");
	free(cause);
	cache_close(&c);
	c = open_ok("q18.db");
	ok(cache_schema_version(c) >= 19, "migrated");
	if (sqlite3_prepare_v2(cache_db(c), "SELECT count(*) FROM order_quarters WHERE"
	    " typeof(quarter) != 'integer'", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	is_int(n, 0, "no quarter is text any more");
	check(c, "after migrating from schema 18");
	cache_close(&c);
}

/*
 * A day's paying customers counted once each, and those who had paid
 * before it (report.c counts them in a set of its own, here past its
 * first growth): some pay twice that day, some paid days before, some
 * only leave an unpaid order, which counts for no one.
 */
#define NCUST	6000
static void
test_customers(void)
{
	struct cache *c = open_ok("customers.db");
	struct report_row r;
	char cust[32], *cause = NULL;
	time_t day = 1795651200;	/* 2026-11-26T00:00:00Z */
	long repeat = 0;
	int i, n = 0, rc;
	cJSON *o;

	rc = cache_begin(c, &cause);
	for (i = 0; rc == 0 && i < NCUST; i++) {
		snprintf(cust, sizeof cust, "C%d", i);
		o = make_order(n++, 1, i % 10 == 0 ? "refunded" : "paid", 100,
		    day + (time_t)(i % 96) * 900);
		json_set_str(o, "customer_id", cust);
		rc = put(c, o);
		if (rc == 0 && i % 3 == 0) {	/* again, later that day */
			o = make_order(n++, 1, "paid", 50, day + (time_t)((i + 40) % 96) * 900);
			json_set_str(o, "customer_id", cust);
			rc = put(c, o);
		}
		if (rc == 0 && i % 4 == 0) {	/* and some days before */
			o = make_order(n++, 1, "paid", 70, day - 86400 * (time_t)(1 + i % 5));
			json_set_str(o, "customer_id", cust);
			rc = put(c, o);
			repeat++;
		}
		if (rc == 0 && i % 7 == 0) {	/* someone who did not pay */
			o = make_order(n++, 1, "unpaid", 90, day + 3600);
			snprintf(cust, sizeof cust, "U%d", i);
			json_set_str(o, "customer_id", cust);
			rc = put(c, o);
		}
	}
	if (rc == 0)
		rc = cache_commit(c, &cause);
	ok(rc == 0, "%d orders of %d customers stored (%s)", n, NCUST,
	    cause != NULL ? cause : "ok");
	free(cause);
	cause = NULL;
	memset(&r, 0, sizeof r);
	r.from = day;
	r.to = day + 86400;
	rc = report_read(c, &r, 1, &cause);
	ok(rc == 0 && r.customers == NCUST && r.repeat == repeat,
	    "the day's paying customers counted once: %ld of %d, %ld repeat of %ld (%s)",
	    r.customers, NCUST, r.repeat, repeat, cause != NULL ? cause : "ok");
	free(cause);
	cause = NULL;
	/* The day before and that day: a customer of both counts once, and is new. */
	r.from = day - 86400;
	rc = report_read(c, &r, 1, &cause);
	ok(rc == 0 && r.customers == NCUST && r.repeat == repeat - NCUST / 20,
	    "two days: %ld customers of %d, %ld repeat of %ld (%s)", r.customers, NCUST,
	    r.repeat, repeat - NCUST / 20, cause != NULL ? cause : "ok");
	free(cause);
	cache_close(&c);
}

int
main(void)
{
	char cmd[128];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_zone("UTC0");
	test_zone("CST-8");
	test_zone("IST-5:30");
	test_zone("NPT-5:45");
	test_zone("EST5EDT,M3.2.0,M11.1.0");
	test_interrupted();
	test_migration();
	test_migration_18();
	test_customers();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	return done_testing();
}
