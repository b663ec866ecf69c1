/*
 * report.c -- the merchant's figures per day, week or month, from the cache.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

#define REPORT_MAX_ROWS	1000	/* periods one report lists */

long long
report_div(long long n, long long d)
{
	return d > 0 ? (2 * n + d) / (2 * d) : 0;
}

long long
report_net(const struct report_row *r)
{
	return r->gmv - r->refunds;
}

long long
report_aov(const struct report_row *r)
{
	return report_div(r->gmv, r->paid);
}

long
report_refund_bp(const struct report_row *r)
{
	return (long)report_div((long long)r->refunded * 10000, r->paid);
}

long
report_repeat_bp(const struct report_row *r)
{
	return r->customers > 0 ? (long)report_div((long long)r->repeat * 10000,
	    r->customers) : 0;
}

void
report_period_of(enum report_period p, time_t t, int n, time_t *from, time_t *to)
{
	struct tm tm;

	time_local(t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	switch (p) {
	case REPORT_DAY:
		tm.tm_mday += n;
		*from = time_from_local(&tm);
		tm.tm_mday++;
		break;
	case REPORT_WEEK:
		tm.tm_mday -= (tm.tm_wday + 6) % 7;	/* back to Monday */
		tm.tm_mday += 7 * n;
		*from = time_from_local(&tm);
		tm.tm_mday += 7;
		break;
	case REPORT_MONTH:
		tm.tm_mday = 1;
		tm.tm_mon += n;
		*from = time_from_local(&tm);
		tm.tm_mon++;
		break;
	}
	tm.tm_isdst = -1;
	*to = time_from_local(&tm);
}

/* Run sql binding ?1 ?2 to from and to; the first row's columns into v[]. */
static int
report_query(struct cache *c, const char *sql, const char *a, const char *b, long long *v,
    int nv, char **cause)
{
	sqlite3_stmt *st;
	int i, rc;

	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("report: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	for (i = 0; i < nv; i++)
		v[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = xasprintf("report: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	return 0;
}

int
report_read(struct cache *c, struct report_row *r, int customers, char **cause)
{
	char a[RFC3339_LEN], b[RFC3339_LEN], qa[RFC3339_LEN], qb[RFC3339_LEN];
	long long v[5];

	time_format_rfc3339(r->from, a);
	time_format_rfc3339(r->to, b);
	/* Quarters are "YYYY-MM-DDTHH:MM" (cache.c); the zone's midnights fall on one. */
	memcpy(qa, a, sizeof qa);
	memcpy(qb, b, sizeof qb);
	qa[16] = qb[16] = '\0';
	if (report_query(c, "SELECT coalesce(sum(orders), 0), coalesce(sum(paid), 0),"
	    " coalesce(sum(gmv), 0), coalesce(sum(refunds), 0), coalesce(sum(refunded), 0)"
	    " FROM order_quarters WHERE quarter >= ?1 AND quarter < ?2", qa, qb, v, 5,
	    cause) != 0)
		return -1;
	r->orders = (long)v[0];
	r->paid = (long)v[1];
	r->gmv = v[2];
	r->refunds = v[3];
	r->refunded = (long)v[4];
	r->customers = r->repeat = -1;
	if (!customers)
		return 0;
	/*
	 * The period's paying customers from their quarters (customer_quarters,
	 * cache.c), each repeat when its first paid quarter (customer_first) is
	 * before from's.
	 */
	if (report_query(c, "SELECT count(*), count(*) FILTER (WHERE f.first < ?1)"
	    " FROM (SELECT DISTINCT customer_id FROM customer_quarters"
	    " WHERE quarter >= ?1 AND quarter < ?2) AS d JOIN customer_first AS f"
	    " USING (customer_id)", qa, qb, v, 2, cause) != 0)
		return -1;
	r->customers = (long)v[0];
	r->repeat = (long)v[1];
	return 0;
}

int
report_range(struct cache *c, enum report_period p, time_t from, time_t to,
    struct report_row **rows, size_t *n, char **cause)
{
	struct report_row *v = NULL;
	time_t a, b;
	size_t cap = 0;
	int i;

	*rows = NULL;
	*n = 0;
	for (i = 0; ; i++) {
		report_period_of(p, from, i, &a, &b);
		if (a > to)
			break;
		if (*n == REPORT_MAX_ROWS) {
			*cause = xasprintf("a report lists at most %d periods: narrow --from"
			    " and --to", REPORT_MAX_ROWS);
			free(v);
			return -1;
		}
		if (*n == cap)
			v = xrealloc(v, (cap = cap * 2 + 8) * sizeof *v);
		memset(&v[*n], 0, sizeof *v);
		v[*n].from = a;
		v[*n].to = b;
		if (p == REPORT_DAY)
			time_format_local(a, "%Y-%m-%d", v[*n].label, sizeof v[*n].label);
		else if (p == REPORT_WEEK)
			time_format_local(a, "%G-W%V", v[*n].label, sizeof v[*n].label);
		else
			time_format_local(a, "%Y-%m", v[*n].label, sizeof v[*n].label);
		if (report_read(c, &v[*n], 1, cause) != 0) {
			free(v);
			return -1;
		}
		(*n)++;
	}
	*rows = v;
	return 0;
}
