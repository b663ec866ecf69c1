/*
 * kpi.c -- the figures the dashboard shows, read from the cache, and one
 * agent's day (chats handled, first responses, breached tickets).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache-category.h"
#include "kpi.h"
#include "sla.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/*
 * Run sql with text parameters (NULL-terminated) or, when q is not NULL,
 * the two integers q[0] and q[1]; the first row's columns into out[].
 */
static int
kpi_query_with(struct cache *c, const char *sql, const char **params, const long long *q,
    long long *out, int nout, char **cause)
{
	sqlite3_stmt *st;
	int i, rc;

	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	for (i = 0; params != NULL && params[i] != NULL; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
	for (i = 0; q != NULL && i < 2; i++)
		sqlite3_bind_int64(st, i + 1, q[i]);
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

static int
kpi_query(struct cache *c, const char *sql, const char **params, long long *out, int nout,
    char **cause)
{
	return kpi_query_with(c, sql, params, NULL, out, nout, cause);
}

/* The store's midnight of the day of t, minus days (timeutil.h). */
static time_t
kpi_midnight(time_t t, int days)
{
	return time_day_start(t, -days);
}

static int
kpi_day(struct cache *c, time_t from, time_t to, struct kpi_day *d, char **cause)
{
	/* Quarter hours (cache.c, time_quarter()); local midnights fall on one. */
	const long long q[2] = { time_quarter(from), time_quarter(to) };
	long long v[3];

	if (kpi_query_with(c, "SELECT coalesce(sum(orders), 0), coalesce(sum(paid), 0),"
	    " coalesce(sum(gmv), 0) FROM order_quarters WHERE quarter >= ?1 AND quarter < ?2",
	    NULL, q, v, 3, cause) != 0)
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
	const char *p1[] = { t30, NULL }, *p2[] = { tnow, t1h, tnow, NULL };
	long long v[4];

	time_format_rfc3339(now - 30, t30);
	time_format_rfc3339(now + SLA_NEAR_SECS, t1h);
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
	 * Tickets whose SLA clock runs, near breach and breached, as sla.h
	 * defines them for the lists these figures open. One range of tickets_due.
	 */
	if (kpi_query(c, "SELECT count(*), count(*) FILTER (WHERE " SLA_SQL_NEAR "),"
	    " count(*) FILTER (WHERE " SLA_SQL_BREACHED ") FROM tickets WHERE "
	    SLA_SQL_RUNNING, p2, v, 3, cause) != 0)
		return -1;
	k->tickets_open = (long)v[0];
	k->tickets_warning = (long)v[1];
	k->tickets_breached = (long)v[2];
	return 0;
}

/* Shipments by time, then order id. */
static int
kpi_ship_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int d = strcmp(json_path_str(x, "shipment.shipped_at"),
	    json_path_str(y, "shipment.shipped_at"));

	return d != 0 ? d : strcmp(json_str(x, "id"), json_str(y, "id"));
}

int
kpi_shipments(struct cache *c, time_t since, time_t until,
    int (*fn)(void *arg, const cJSON *order), void *arg, char **cause)
{
	char from[RFC3339_LEN], to[RFC3339_LEN];
	cJSON **v = NULL, *o;
	const char *json, *at;
	sqlite3_stmt *st;
	size_t n = 0, alloc = 0, i, len;
	int rc;

	time_format_rfc3339(since, from);
	time_format_rfc3339(until, to);
	/* Shipped since means changed since: updated_at narrows the rows to read. */
	if (sqlite3_prepare_v2(cache_db(c), "SELECT json FROM orders WHERE status IN"
	    " ('shipped', 'delivered', 'completed', 'closed') AND updated_at >= ?1", -1, &st,
	    NULL) != SQLITE_OK) {
		*cause = xasprintf("shipments: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((json = cache_column_json(c, KIND_ORDER, st, 0, &len)) == NULL ||
		    (o = cJSON_ParseWithLength(json, len)) == NULL)
			continue;
		at = json_path_str(o, "shipment.shipped_at");
		if (at == NULL || json_str(o, "id") == NULL || strcmp(at, from) < 0 ||
		    strcmp(at, to) >= 0) {
			cJSON_Delete(o);
			continue;
		}
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			v = xrealloc(v, alloc * sizeof *v);
		}
		v[n++] = o;
	}
	if (rc != SQLITE_DONE)
		*cause = xasprintf("shipments: %s", sqlite3_errmsg(cache_db(c)));
	sqlite3_finalize(st);
	if (n > 0)
		qsort(v, n, sizeof *v, kpi_ship_cmp);
	for (i = 0; i < n; i++) {
		if (rc == SQLITE_DONE && fn(arg, v[i]) != 0)
			rc = SQLITE_OK;		/* stopped: not an error */
		cJSON_Delete(v[i]);
	}
	free(v);
	return rc == SQLITE_DONE || rc == SQLITE_OK ? 0 : -1;
}

int
kpi_stock(struct cache *c, const char *category, long *low, long *out, char **cause)
{
	const char *params[] = { category, NULL };
	long long v[2];

	if (kpi_query(c, category == NULL ?
	    "SELECT (SELECT count(*) FROM skus WHERE margin <= 0),"
	    " (SELECT count(*) FROM skus WHERE stock - reserved <= 0)" :
	    "SELECT count(*) FILTER (WHERE margin <= 0),"
	    " count(*) FILTER (WHERE stock - reserved <= 0) FROM skus WHERE product_id IN"
	    " (SELECT id FROM products WHERE category_id IN (" CACHE_CATEGORY_SUBTREE "))",
	    params, v, 2, cause) != 0)
		return -1;
	*low = (long)v[0];
	*out = (long)v[1];
	return 0;
}

static int kpi_agent_chats(struct cache *, time_t, time_t, struct kpi_agent *, char **);

/*
 * The GMV of the last KPI_TREND days and of the hours of today and
 * yesterday: one read of their quarter hours (order_quarters), each put in
 * its day and hour by the store's midnights.
 */
static int
kpi_trends(struct cache *c, time_t now, struct kpi *k, char **cause)
{
	time_t bound[KPI_TREND + 1], t;
	sqlite3_stmt *st;
	int i, d, rc;

	for (i = 0; i <= KPI_TREND; i++)
		bound[i] = kpi_midnight(now, KPI_TREND - 1 - i);
	if (sqlite3_prepare_v2(cache_db(c), "SELECT quarter, gmv FROM order_quarters"
	    " WHERE quarter >= ?1 AND quarter < ?2 AND gmv != 0", -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	sqlite3_bind_int64(st, 1, time_quarter(bound[0]));
	sqlite3_bind_int64(st, 2, time_quarter(bound[KPI_TREND]));
	d = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = (time_t)(sqlite3_column_int64(st, 0) * 900);
		while (d < KPI_TREND - 1 && t >= bound[d + 1])
			d++;	/* quarters come in order */
		k->trend[d] += sqlite3_column_int64(st, 1);
		if (d >= KPI_TREND - 2) {
			i = (int)((t - bound[d]) / 3600);
			k->hours[KPI_TREND - 1 - d][i < 0 ? 0 : i > 23 ? 23 : i] +=
			    sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	return 0;
}

/* Copy s into t->name, cut before a character that does not fit. */
static void
kpi_top_name(struct kpi_top *t, const char *s)
{
	size_t n = strlen(s);

	if (n >= sizeof t->name) {
		n = sizeof t->name - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(t->name, s, n);
	t->name[n] = '\0';
}

/*
 * The first KPI_TOP rows (name, count) of sql over [from, to) into top[];
 * quarters: the bounds as quarter hours (cache.c, time_quarter()), else
 * RFC 3339.
 */
static int
kpi_top(struct cache *c, const char *sql, time_t from, time_t to, int quarters,
    struct kpi_top *top, char **cause)
{
	char a[RFC3339_LEN], b[RFC3339_LEN];
	sqlite3_stmt *st;
	int i = 0, rc;

	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL) != SQLITE_OK) {
		*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	if (quarters) {
		sqlite3_bind_int64(st, 1, time_quarter(from));
		sqlite3_bind_int64(st, 2, time_quarter(to));
	} else {
		time_format_rfc3339(from, a);
		time_format_rfc3339(to, b);
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	}
	while (i < KPI_TOP && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_text(st, 0) == NULL)
			continue;
		kpi_top_name(&top[i], (const char *)sqlite3_column_text(st, 0));
		top[i++].n = (long)sqlite3_column_int64(st, 1);
	}
	if (i < KPI_TOP && rc != SQLITE_DONE) {
		*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int
kpi_read(struct cache *c, time_t now, struct kpi *k, char **cause)
{
	struct kpi_agent all;
	long long v[2];
	time_t today = kpi_midnight(now, 0);
	static const int back[3] = { 0, 1, 7 };
	int i;

	memset(k, 0, sizeof *k);
	for (i = 0; i < 3; i++) {
		k->day[i].from = kpi_midnight(now, back[i]);
		k->day[i].to = kpi_midnight(now, back[i] - 1);
		if (report_read(c, &k->day[i], 1, cause) != 0)
			return -1;
	}
	if (kpi_trends(c, now, k, cause) != 0)
		return -1;
	/* Everyone's first responses today: the agents' rule, for any agent. */
	memset(&all, 0, sizeof all);
	if (kpi_agent_chats(c, today, now, &all, cause) != 0)
		return -1;
	k->first_responses = all.responses;
	k->first_response_secs = all.response_secs;
	/*
	 * Today's best sellers (the day's quarters of item_quarters, cache.c)
	 * and why buyers get refunds.
	 */
	if (kpi_top(c, "SELECT title AS t, sum(qty) AS q FROM item_quarters"
	    " WHERE quarter >= ?1 AND quarter < ?2 GROUP BY t HAVING q != 0"
	    " ORDER BY q DESC, t LIMIT 3", today, kpi_midnight(now, -1), 1,
	    k->top_products, cause) != 0 ||
	    kpi_top(c, "SELECT reason, count(*) AS n FROM tickets WHERE created_at >= ?1 AND"
	    " created_at < ?2 AND kind IN ('refund_only', 'return_refund') AND reason IS NOT NULL"
	    " AND reason != '' GROUP BY reason ORDER BY n DESC, reason LIMIT 3",
	    kpi_midnight(now, 29), kpi_midnight(now, -1), 0, k->top_reasons, cause) != 0)
		return -1;
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

void
kpi_agent_done(struct kpi_agent *a)
{
	free(a->id);
	free(a->login);
	free(a->name);
	memset(a, 0, sizeof *a);
}

/* Find the user by login or id: 0, 1 (none, *cause lists the logins), -1. */
static int
kpi_agent_find(struct cache *c, const char *who, struct kpi_agent *a, char **cause)
{
	sqlite3_stmt *st;
	struct buf b;
	int rc;

	if (sqlite3_prepare_v2(cache_db(c), "SELECT id, login, name FROM users"
	    " WHERE login = ?1 OR id = ?1 ORDER BY login = ?1 DESC LIMIT 1", -1, &st,
	    NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a->id = xstrdup((const char *)sqlite3_column_text(st, 0));
		a->login = xstrdup(sqlite3_column_text(st, 1) != NULL ?
		    (const char *)sqlite3_column_text(st, 1) : a->id);
		if (sqlite3_column_text(st, 2) != NULL)
			a->name = xstrdup((const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		goto fail;
	/* Say which there are: the logins of the agents, as they are typed. */
	buf_init(&b);
	if (sqlite3_prepare_v2(cache_db(c), "SELECT login FROM users WHERE login IS NOT NULL"
	    " ORDER BY role = 'agent' DESC, login LIMIT 12", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			buf_addf(&b, "%s%s", b.len > 0 ? ", " : "", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	*cause = xasprintf("no user '%s' in the cache (%s%s)", who, b.len > 0 ?
	    "users: " : "no users: run 'shopdesk sync'", buf_str(&b));
	buf_done(&b);
	return 1;
fail:
	*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
	return -1;
}

/* Whether the message's author by is the agent a (any agent when a has no id). */
static int
kpi_by(const struct kpi_agent *a, const char *by)
{
	return a->id == NULL || (by != NULL && strcmp(by, a->id) == 0);
}

/*
 * First responses and chats of today: every conversation with a message
 * since midnight, its messages in order (messages_created, then
 * messages_conversation). Per conversation the wait starts at the
 * customer's first message that no agent has answered and ends at the
 * next agent message, whoever wrote it; only the first wait counts.
 */
static int
kpi_agent_chats(struct cache *c, time_t today, time_t now, struct kpi_agent *a, char **cause)
{
	sqlite3_stmt *st;
	char from[RFC3339_LEN];
	const char *conv, *author, *by;
	char *cur = NULL;
	time_t t, wait = 0;
	int rc, answered = 0, wrote = 0;

	time_format_rfc3339(today, from);
	/*
	 * Who wrote a message is in its JSON alone: read (and unpacked) only
	 * for an agent's message, and only when one agent's figures are asked.
	 */
	if (sqlite3_prepare_v2(cache_db(c), "SELECT conversation_id, created_at, author,"
	    " CASE WHEN ?2 IS NOT NULL AND author = 'agent' THEN"
	    " json_extract(sd_json(3, json), '$.author_id') END FROM messages"
	    " WHERE conversation_id IN (SELECT DISTINCT conversation_id FROM messages"
	    " WHERE created_at >= ?1) ORDER BY conversation_id, created_at, id", -1, &st,
	    NULL) != SQLITE_OK) {
		*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	if (a->id != NULL)
		sqlite3_bind_text(st, 2, a->id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		conv = (const char *)sqlite3_column_text(st, 0);
		author = (const char *)sqlite3_column_text(st, 2);
		by = (const char *)sqlite3_column_text(st, 3);
		if (conv == NULL || author == NULL ||
		    time_parse_rfc3339((const char *)sqlite3_column_text(st, 1), &t) != 0)
			continue;
		if (cur == NULL || strcmp(cur, conv) != 0) {
			free(cur);
			cur = xstrdup(conv);
			wait = 0;
			answered = wrote = 0;
		}
		if (strcmp(author, "customer") == 0) {
			if (wait == 0 && !answered)
				wait = t;
			continue;
		}
		if (strcmp(author, "agent") != 0)
			continue;	/* a bot or the system answers nobody here */
		if (wait != 0 && !answered) {
			answered = 1;
			if (kpi_by(a, by) && t >= today && t <= now) {
				a->responses++;
				a->response_secs += (long long)(t - wait);
				if (t - wait <= 30)
					a->within_30s++;
			}
		}
		if (!wrote && kpi_by(a, by) && t >= today && t <= now) {
			wrote = 1;
			a->chats++;
		}
	}
	free(cur);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("kpi: %s", sqlite3_errmsg(cache_db(c)));
		return -1;
	}
	return 0;
}

int
kpi_agent_read(struct cache *c, const char *who, time_t now, struct kpi_agent *a,
    char **cause)
{
	char tnow[RFC3339_LEN];
	const char *p[3];
	long long v[2];
	int rc;

	memset(a, 0, sizeof *a);
	if ((rc = kpi_agent_find(c, who, a, cause)) != 0)
		return rc;
	if (kpi_agent_chats(c, kpi_midnight(now, 0), now, a, cause) != 0)
		goto fail;
	/* Breached: the store says so, or the clock that runs is past due (sla.h). */
	time_format_rfc3339(now, tnow);
	p[0] = a->id;
	p[1] = tnow;
	p[2] = NULL;
	if (kpi_query(c, "SELECT count(*), count(*) FILTER (WHERE sla_due IS NOT NULL)"
	    " FROM tickets WHERE assignee = ?1 AND (sla_state = 'breached' OR sla_due < ?2)",
	    p, v, 2, cause) != 0)
		goto fail;
	a->breached = (long)v[0];
	a->breached_open = (long)v[1];
	return 0;
fail:
	kpi_agent_done(a);
	return -1;
}
