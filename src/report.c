/*
 * report.c -- the merchant's figures per day, week or month, from the cache.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "export.h"
#include "report.h"
#include "util/buf.h"
#include "util/intl.h"
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

/* FNV-1a of the len bytes at s. */
static uint64_t
report_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	while (len-- > 0)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h ^ (h >> 29);
}

/* Run sql binding ?1 ?2 to from and to; the first row's columns into v[]. */
static int
report_query(struct cache *c, const char *sql, long long a, long long b, long long *v,
    int nv, char **cause)
{
	sqlite3_stmt *st;
	int i, rc;

	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("report: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
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

/*
 * The period's paying customers, counted once each: the customer ids of
 * its quarters (the covering index customer_quarters_quarter) put in an
 * open-addressing set of their own, each slot an id's hash and its offset
 * (plus one; 0 when free) in one buffer of the ids. SQLite's
 * count(DISTINCT) sorts them in a temporary b-tree, several times slower at
 * the tens of thousands a busy day has. -1 on an error.
 */
static long
report_customers(struct cache *c, long long qa, long long qb, char **cause)
{
	struct slot {
		uint64_t	 h;
		size_t		 off;
	} *set = NULL, *old;
	sqlite3_stmt *st;
	const char *id;
	char *ids = NULL;
	size_t cap = 0, oldcap, n = 0, used = 0, room = 0, i, j, len;
	uint64_t h;
	int rc;

	if (sqlite3_prepare_v2(cache_db(c), "SELECT customer_id FROM customer_quarters"
	    " WHERE quarter >= ?1 AND quarter < ?2", -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("report: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	sqlite3_bind_int64(st, 1, qa);
	sqlite3_bind_int64(st, 2, qb);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((id = (const char *)sqlite3_column_text(st, 0)) == NULL)
			continue;
		len = (size_t)sqlite3_column_bytes(st, 0);
		if (2 * (n + 1) > cap) {	/* at most half full */
			old = set;
			oldcap = cap;
			cap = cap ? cap * 2 : 4096;
			set = xcalloc(cap, sizeof *set);
			for (j = 0; j < oldcap; j++) {
				if (old[j].off == 0)
					continue;
				for (i = old[j].h & (cap - 1); set[i].off != 0; i = (i + 1) & (cap - 1))
					;
				set[i] = old[j];
			}
			free(old);
		}
		h = report_hash(id, len);
		for (i = h & (cap - 1); set[i].off != 0; i = (i + 1) & (cap - 1))
			if (set[i].h == h && strcmp(ids + set[i].off - 1, id) == 0)
				break;
		if (set[i].off != 0)
			continue;
		if (used + len + 1 > room) {
			room = (room + len + 1) * 2;
			ids = xrealloc(ids, room);
		}
		memcpy(ids + used, id, len + 1);
		set[i].h = h;
		set[i].off = used + 1;
		used += len + 1;
		n++;
	}
	if (rc != SQLITE_DONE)
		*cause = xasprintf("report: %s", sqlite3_errmsg(cache_db(c)));
	sqlite3_finalize(st);
	free(set);
	free(ids);
	return rc == SQLITE_DONE ? (long)n : -1;
}

int
report_read(struct cache *c, struct report_row *r, int customers, char **cause)
{
	/* Quarter hours (cache.c, time_quarter()); the zone's midnights fall on one. */
	long long v[5], qa = time_quarter(r->from), qb = time_quarter(r->to);

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
	 * before from's. A customer's first is the earliest of its quarters, so
	 * those whose first falls in the period are exactly its new ones: the
	 * repeat ones are the rest. Two index ranges (customer_quarters_quarter,
	 * customer_first_first), rather than a look-up of each of the period's
	 * customers in customer_first, which at a million orders read most of
	 * that table (a few hundred ms a day).
	 */
	if ((r->customers = report_customers(c, qa, qb, cause)) < 0 ||
	    report_query(c, "SELECT count(*) FROM customer_first WHERE first >= ?1 AND"
	    " first < ?2", qa, qb, v, 1, cause) != 0) {
		r->customers = -1;
		return -1;
	}
	r->repeat = r->customers - (long)v[0];
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

const char *const report_csv_names[REPORT_CSV_COLS] = {
	"period", "from", "to", "currency", "orders", "paid_orders", "gmv", "refunds",
	"net_sales", "refunded_orders", "aov", "refund_rate", "customers",
	"repeat_customers", "repeat_rate"
};

/* The columns' names for people, in the interface's words (i18n_in_lang). */
const char *const report_csv_headers[REPORT_CSV_COLS] = {
	N_("PERIOD"), N_("FROM"), N_("TO"), N_("CURRENCY"), N_("ORDERS"), N_("PAID"),
	N_("GMV"), N_("REFUNDS"), N_("NET"), N_("REFUNDED ORDERS"), N_("AOV"),
	N_("REFUND RATE"), N_("CUSTOMERS"), N_("REPEAT CUSTOMERS"), N_("REPEAT RATE")
};

/* A rate in basis points as a spreadsheet reads a percentage: "12.34%". */
static void
report_csv_pct(long bp, struct buf *out)
{
	buf_addf(out, "%ld.%02ld%%", bp / 100, bp % 100);
}

int
report_write_csv(FILE *out, const struct report_row *v, size_t n, const char *currency,
    const char *const *headers, int bom)
{
	char t[TIME_EXPORT_LEN];
	struct buf line;
	size_t i;
	int c;

	buf_init(&line);
	if (bom)
		fputs("\xef\xbb\xbf", out);
	for (c = 0; c < REPORT_CSV_COLS; c++) {
		if (c > 0)
			buf_addc(&line, ',');
		csv_field(&line, headers != NULL ? headers[c] : report_csv_names[c], 0);
	}
	fprintf(out, "%s\n", buf_str(&line));
	for (i = 0; i < n; i++) {
		buf_reset(&line);
		csv_field(&line, v[i].label, 0);
		time_format_export(v[i].from, t);
		buf_addf(&line, ",%s", t);
		time_format_export(v[i].to, t);
		buf_addf(&line, ",%s,", t);
		csv_field(&line, currency, 0);
		buf_addf(&line, ",%ld,%ld,", v[i].orders, v[i].paid);
		column_export_money(v[i].gmv, &line);
		buf_addc(&line, ',');
		column_export_money(v[i].refunds, &line);
		buf_addc(&line, ',');
		column_export_money(report_net(&v[i]), &line);
		buf_addf(&line, ",%ld,", v[i].refunded);
		column_export_money(report_aov(&v[i]), &line);
		buf_addc(&line, ',');
		report_csv_pct(report_refund_bp(&v[i]), &line);
		buf_addf(&line, ",%ld,%ld,", v[i].customers, v[i].repeat);
		report_csv_pct(report_repeat_bp(&v[i]), &line);
		fprintf(out, "%s\n", buf_str(&line));
	}
	buf_done(&line);
	return ferror(out) ? -1 : 0;
}
