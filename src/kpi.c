/*
 * kpi.c -- the figures the dashboard shows, read from the cache.
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "kpi.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/* Run sql with text parameters (NULL-terminated); the first row's columns into out[]. */
static int
kpi_query(struct cache *c, const char *sql, const char **params, long long *out, int nout,
    char **cause)
{
	sqlite3_stmt *st;
	int i, rc;

	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	for (i = 0; params != NULL && params[i] != NULL; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	for (i = 0; i < nout; i++)
		out[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	return 0;
}

/* Local midnight of the day of t, minus days. */
static time_t
kpi_midnight(time_t t, int days)
{
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday -= days;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int
kpi_day(struct cache *c, time_t from, time_t to, struct kpi_day *d, char **cause)
{
	char a[RFC3339_LEN], b[RFC3339_LEN];
	const char *p[] = { a, b, NULL };
	long long v[3];

	/* Quarters are "YYYY-MM-DDTHH:MM" (cache.c); local midnights fall on one. */
	time_format_rfc3339(from, a);
	time_format_rfc3339(to, b);
	a[16] = b[16] = '\0';
	if (kpi_query(c, "SELECT coalesce(sum(orders), 0), coalesce(sum(paid), 0),"
	    " coalesce(sum(gmv), 0) FROM order_quarters WHERE quarter >= ?1 AND quarter < ?2",
	    p, v, 3, cause) != 0)
		return -1;
	d->orders = (long)v[0];
	d->paid = (long)v[1];
	d->gmv = v[2];
	return 0;
}

int
kpi_read_alerts(struct cache *c, time_t now, struct kpi *k, char **cause)
{
	char t30[RFC3339_LEN], t1h[RFC3339_LEN], tnow[RFC3339_LEN];
	const char *p1[] = { t30, NULL }, *p2[] = { t1h, tnow, NULL };
	long long v[4];

	time_format_rfc3339(now - 30, t30);
	time_format_rfc3339(now + 3600, t1h);
	time_format_rfc3339(now, tnow);
	/* One pass: how many wait, how many for over 30 s, since when (Unix seconds). */
	if (kpi_query(c, "SELECT count(*), count(*) FILTER (WHERE waiting_since <= ?1),"
	    " coalesce(strftime('%s', min(waiting_since)), 0) FROM conversations"
	    " WHERE waiting_since IS NOT NULL", p1, v, 3, cause) != 0)
		return -1;
	k->chats_waiting = (long)v[0];
	k->chats_waiting_long = (long)v[1];
	k->oldest_wait = v[2] != 0 ? (long)(now - (time_t)v[2]) : 0;
	/*
	 * Tickets whose SLA clock runs have the clock's due time in sla_due
	 * (sla.h; NULL once done or closed): near breach when the store says
	 * warning or it is due within the hour, breached when it passed or the
	 * store saw an earlier clock run out. One range of tickets_due.
	 */
	if (kpi_query(c, "SELECT count(*), count(*) FILTER (WHERE sla_due >= ?2 AND"
	    " (sla_state = 'warning' OR sla_due <= ?1)), count(*) FILTER (WHERE"
	    " sla_due < ?2 OR sla_state = 'breached') FROM tickets WHERE sla_due IS NOT NULL",
	    p2, v, 3, cause) != 0)
		return -1;
	k->tickets_open = (long)v[0];
	k->tickets_warning = (long)v[1];
	k->tickets_breached = (long)v[2];
	return 0;
}

int
kpi_read(struct cache *c, time_t now, struct kpi *k, char **cause)
{
	long long v[2];
	time_t today = kpi_midnight(now, 0);

	memset(k, 0, sizeof *k);
	if (kpi_day(c, today, now + 86400, &k->today, cause) != 0 ||
	    kpi_day(c, kpi_midnight(now, 1), today, &k->yesterday, cause) != 0 ||
	    kpi_day(c, kpi_midnight(now, 7), kpi_midnight(now, 6), &k->last_week, cause) != 0)
		return -1;
	if (kpi_query(c, "SELECT (SELECT count(*) FROM orders WHERE status = 'awaiting_shipment'),"
	    " (SELECT count(*) FROM orders WHERE abnormal IS NOT NULL)", NULL, v, 2, cause) != 0)
		return -1;
	k->awaiting_shipment = (long)v[0];
	k->abnormal = (long)v[1];
	if (kpi_query(c, "SELECT count(*) FROM skus WHERE margin <= 0", NULL, v, 1, cause) != 0)
		return -1;
	k->low_stock = (long)v[0];
	return kpi_read_alerts(c, now, k, cause);
}

