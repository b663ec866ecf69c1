/*
 * test-outbox.c -- offline writes: the outbox, its overlay on the cache, and
 * the replay to a scripted store.
 *
 * The store is a fake backend whose action() answers from a script (200 with
 * an object, 409 with details.current, 422, 503, no answer, 429 with
 * Retry-After, 401) and records every request it gets, so that the tests
 * can check what was sent, under which key, and how often.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "cache.h"
#include "cache-query.h"
#include "outbox.h"
#include "tap.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

#define MAX_SCRIPT	32
#define MAX_CALLS	64

/* One scripted answer: status 0 is "no answer" (a network failure). */
struct answer {
	int		 http;
	char		*body;
	double		 retry_after;
};

/* A request as the fake store received it. */
struct call {
	char		*key;
	long long	 if_match;
	char		*id;
	char		*action;
	char		*method;
	char		*body;
};

static struct fake {
	struct answer	 script[MAX_SCRIPT];
	int		 nscript;
	int		 next;
	struct call	 calls[MAX_CALLS];
	int		 ncalls;
} fake;

static enum sd_status
fake_action(struct backend *be, const struct backend_action *a,
    struct backend_result *res, char **cause)
{
	struct call *k;
	struct answer *ans;

	memset(res, 0, sizeof *res);
	if (fake.ncalls < MAX_CALLS) {
		k = &fake.calls[fake.ncalls++];
		k->key = xstrdup(a->idempotency_key);
		k->if_match = a->if_match;
		k->id = a->id != NULL ? xstrdup(a->id) : NULL;
		k->action = a->action != NULL ? xstrdup(a->action) : NULL;
		k->method = xstrdup(a->method);
		k->body = a->body != NULL ? json_print(a->body) : xstrdup("{}");
	}
	if (fake.next >= fake.nscript) {
		*cause = xstrdup("fake store: nothing scripted");
		return SD_ENETWORK;
	}
	ans = &fake.script[fake.next++];
	res->http_status = ans->http;
	res->retry_after = ans->retry_after;
	if (ans->http == 0) {
		*cause = xstrdup("fake store: connection refused");
		return SD_ENETWORK;
	}
	if (ans->body != NULL)
		res->body = cJSON_Parse(ans->body);
	if (ans->http >= 200 && ans->http < 300)
		return res->body != NULL ? SD_OK : SD_ESERVER;
	*cause = xasprintf("fake store: HTTP %d", ans->http);
	switch (ans->http) {
	case 401:
		return SD_EAUTH;
	case 409:
	case 412:
		return SD_ECONFLICT;
	case 422:
		return SD_EREFUSED;
	default:
		return SD_ESERVER;
	}
}

static const struct backend_ops fake_ops = {
	.name = "fake",
	.action = fake_action,
};
static struct backend fake_backend = { &fake_ops, NULL };

/*
 * A store that takes writes in batches (action_batch), as the Store API
 * backend does: each batch's objects are recorded ("SG1 SG2 | SG3 ..."),
 * and each write is applied, the answer the order at If-Match + 1.
 */
static struct buf batches;

static void
fake_batch(struct backend *be, const struct backend_action *a, size_t n,
    struct backend_result *res, enum sd_status *st, char **causes)
{
	struct call *k;
	char *o;
	size_t i;

	if (batches.len > 0)
		buf_adds(&batches, " | ");
	for (i = 0; i < n; i++) {
		buf_addf(&batches, "%s%s", i > 0 ? " " : "", a[i].id);
		if (fake.ncalls < MAX_CALLS) {
			k = &fake.calls[fake.ncalls++];
			k->key = xstrdup(a[i].idempotency_key);
			k->if_match = a[i].if_match;
			k->id = xstrdup(a[i].id);
			k->action = xstrdup(a[i].action);
			k->method = xstrdup(a[i].method);
			k->body = json_print(a[i].body);
		}
		o = xasprintf("{\"id\":\"%s\",\"version\":%lld,\"status\":"
		    "\"awaiting_shipment\",\"items\":[]}", a[i].id, a[i].if_match + 1);
		res[i].http_status = 200;
		res[i].body = cJSON_Parse(o);
		free(o);
		st[i] = SD_OK;
	}
}

static const struct backend_ops fake_batch_ops = {
	.name = "fake-batch",
	.action = fake_action,
	.action_batch = fake_batch,
};
static struct backend fake_batch_backend = { &fake_batch_ops, NULL };

static void
script(int http, const char *body, double retry_after)
{
	struct answer *a = &fake.script[fake.nscript++];

	a->http = http;
	a->body = body != NULL ? xstrdup(body) : NULL;
	a->retry_after = retry_after;
}

static void
fake_reset(void)
{
	int i;

	for (i = 0; i < fake.nscript; i++)
		free(fake.script[i].body);
	for (i = 0; i < fake.ncalls; i++) {
		free(fake.calls[i].key);
		free(fake.calls[i].id);
		free(fake.calls[i].action);
		free(fake.calls[i].method);
		free(fake.calls[i].body);
	}
	memset(&fake, 0, sizeof fake);
}

/* A contract-shaped order (the members the cache extracts, and a few more). */
static char *
order(const char *id, int version, const char *status, const char *note)
{
	return xasprintf("{\"id\":\"%s\",\"version\":%d,"
	    "\"created_at\":\"2026-11-20T08:15:00Z\","
	    "\"updated_at\":\"2026-11-21T08:%02d:00Z\",\"status\":\"%s\","
	    "\"payment_status\":\"paid\",\"fulfillment_status\":\"unfulfilled\","
	    "\"customer_id\":\"C100001\",\"customer_name\":\"张三丰\","
	    "\"currency\":\"CNY\",\"total\":23800,"
	    "\"items\":[{\"sku_id\":\"SK100001\",\"title\":\"纯棉T恤\",\"quantity\":1}],"
	    "\"address\":{\"name\":\"张三丰\",\"phone\":\"13812341234\","
	    "\"city\":\"杭州市\"},"
	    "\"shipment\":null,\"abnormal\":{\"reason\":\"address\",\"note\":\"门牌号缺失\"},"
	    "\"note\":\"%s\"}", id, version, version % 60, status, note);
}

static int
put_text(struct cache *c, enum sd_kind k, const char *text)
{
	char *cause = NULL;
	int rc;

	/* As the sync engine does: inside a transaction. */
	if ((rc = cache_begin(c, &cause)) == 0) {
		rc = outbox_store_text(c, k, NULL, text, strlen(text), &cause);
		if (rc == 0)
			rc = cache_commit(c, &cause);
		else
			cache_rollback(c);
	}
	if (rc != 0)
		printf("# put_text: %s\n", cause);
	free(cause);
	return rc;
}

static void
put_order(struct cache *c, const char *id, int version, const char *status,
    const char *note)
{
	char *o = order(id, version, status, note);

	put_text(c, KIND_ORDER, o);
	free(o);
}

/* One value from SQL, as a string the caller frees (NULL for NULL). */
static char *
sql_value(struct cache *c, const char *fmt, ...)
{
	sqlite3_stmt *stmt;
	va_list ap;
	char *sql, *v = NULL;

	va_start(ap, fmt);
	sql = xvasprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &stmt, NULL) != SQLITE_OK) {
		printf("# %s: %s\n", sql, sqlite3_errmsg(cache_db(c)));
		free(sql);
		return xstrdup("(error)");
	}
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	free(sql);
	return v;
}

static long long
sql_int(struct cache *c, const char *sql)
{
	char *v = sql_value(c, "%s", sql);
	long long n = v != NULL ? atoll(v) : -1;

	free(v);
	return n;
}

static void
sql_exec(struct cache *c, const char *fmt, ...)
{
	va_list ap;
	char *sql;

	va_start(ap, fmt);
	sql = xvasprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_exec(cache_db(c), sql, NULL, NULL, NULL) != SQLITE_OK)
		printf("# %s: %s\n", sql, sqlite3_errmsg(cache_db(c)));
	free(sql);
}

/* The object as the kind's table shows it (caller deletes), or NULL. */
static cJSON *
shown(struct cache *c, enum sd_kind k, const char *id)
{
	char *json = cache_get_json(c, k, id);
	cJSON *obj = json != NULL ? cJSON_Parse(json) : NULL;

	free(json);
	return obj;
}

/* The store's state kept aside for (k, id) (caller deletes), or NULL. */
static cJSON *
shadow(struct cache *c, enum sd_kind k, const char *id)
{
	char *json = sql_value(c, "SELECT json FROM shadow WHERE kind = %d AND id = '%s'",
	    (int)k, id);
	cJSON *obj = json != NULL ? cJSON_Parse(json) : NULL;

	free(json);
	return obj;
}

static long
count_status(struct cache *c, const char *status)
{
	struct query q;
	char *cause = NULL;
	long n;

	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.status = status;
	n = cache_query_count(c, &q, &cause);
	free(cause);
	return n;
}

static long
count_text(struct cache *c, const char *text)
{
	struct query q;
	char *cause = NULL;
	long n;

	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = text;
	n = cache_query_count(c, &q, &cause);
	free(cause);
	return n;
}

/* Queue an action on an order with an overlay patch (JSON text or NULL). */
static int64_t
enqueue(struct cache *c, const char *id, const char *action, long long base,
    const char *body, const char *patch, struct outbox_entry *out)
{
	struct outbox_new n;
	cJSON *b = body != NULL ? cJSON_Parse(body) : NULL;
	cJSON *p = patch != NULL ? cJSON_Parse(patch) : NULL;
	struct outbox_entry e;
	char *cause = NULL;
	int64_t eid = -1;

	memset(&n, 0, sizeof n);
	n.kind = KIND_ORDER;
	n.object_id = id;
	n.action = action;
	n.method = "POST";
	n.path_action = action;
	n.body = b;
	n.base_version = base;
	n.patch = p;
	n.summary = action;
	if (outbox_enqueue(c, &n, &e, &cause) == 0)
		eid = e.id;
	else
		printf("# enqueue: %s\n", cause);
	if (out != NULL)
		*out = e;
	else
		outbox_entry_done(&e);
	free(cause);
	cJSON_Delete(b);
	cJSON_Delete(p);
	return eid;
}

static enum sd_status
push(struct cache *c, const struct push_opts *o, struct push_stats *ps)
{
	struct push_opts none;
	struct push_stats mine;
	enum sd_status st;
	char *cause = NULL;

	memset(&none, 0, sizeof none);
	st = outbox_push(c, &fake_backend, o != NULL ? o : &none, ps != NULL ? ps : &mine,
	    &cause);
	if (cause != NULL)
		printf("# push: %s (%s)\n", cause, status_info(st)->name);
	free(cause);
	return st;
}

/* Entry id's current row (1) or 0; e is the caller's to finish. */
static int
get(struct cache *c, int64_t id, struct outbox_entry *e)
{
	char *cause = NULL;
	int rc = outbox_get(c, id, e, &cause);

	free(cause);
	return rc;
}

static struct cache *
open_cache(void)
{
	char *cause = NULL;
	struct cache *c = cache_open(":memory:", &cause);

	if (c == NULL) {
		printf("# %s\n", cause);
		exit(1);
	}
	return c;
}

/* The SQL a connection runs, one statement a line (sqlite3_trace_v2). */
static int
trace_cb(unsigned type, void *arg, void *p, void *x)
{
	struct buf *b = arg;
	const char *sql = x;

	if (type == SQLITE_TRACE_STMT && sql != NULL && strncmp(sql, "--", 2) != 0) {
		buf_adds(b, sql);
		buf_addc(b, '\n');
	}
	return 0;
}

static long
where(const struct buf *b, const char *what)
{
	const char *s = b->data != NULL ? strstr(b->data, what) : NULL;

	return s != NULL ? (long)(s - b->data) : -1;
}

static void
test_enqueue(struct cache *c)
{
	struct outbox_entry e;
	struct buf trace;
	cJSON *o, *s;
	long counts[OUTBOX__COUNT], full, begin, commit, normal;
	char *cause = NULL;

	ok(cache_schema_version(c) >= 2, "schema 2 or later: the outbox");
	is_int(sql_int(c, "PRAGMA synchronous"), 1, "synchronous NORMAL to begin with");
	cache_state_set(c, "me.login", "alice", NULL);
	put_order(c, "SO1", 3, "awaiting_shipment", "");
	is_int(outbox_has_pending(c, KIND_ORDER, "SO1"), 0, "nothing pending yet");

	buf_init(&trace);
	sqlite3_trace_v2(cache_db(c), SQLITE_TRACE_STMT, trace_cb, &trace);
	enqueue(c, "SO1", "ship", 3, "{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890\"}",
	    "{\"status\":\"shipped\",\"fulfillment_status\":\"shipped\","
	    "\"shipment\":{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890\"},"
	    "\"abnormal\":null}", &e);
	sqlite3_trace_v2(cache_db(c), 0, NULL, NULL);

	ok(e.id > 0, "enqueue gives an entry (#%lld)", (long long)e.id);
	ok(e.key != NULL && strncmp(e.key, "sd-", 3) == 0 && strlen(e.key) == 27,
	    "key sd- and 24 characters (%s)", e.key != NULL ? e.key : "null");
	is_int(e.state, OUTBOX_QUEUED, "queued");
	is_int(e.base_version, 3, "based on version 3");
	is_str(e.body, "{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890\"}", "body kept");
	is_str(e.object_id, "SO1", "object id kept");
	is_int(e.attempts, 0, "no attempt yet");
	outbox_entry_done(&e);

	full = where(&trace, "PRAGMA synchronous = FULL");
	begin = where(&trace, "BEGIN IMMEDIATE");
	commit = where(&trace, "COMMIT");
	normal = where(&trace, "PRAGMA synchronous = 1");
	ok(full >= 0 && begin > full && commit > begin && normal > commit,
	    "synchronous FULL set before BEGIN, NORMAL restored after COMMIT");
	buf_done(&trace);
	is_int(sql_int(c, "PRAGMA synchronous"), 1, "synchronous back to NORMAL");
	ok(sqlite3_get_autocommit(cache_db(c)), "no transaction left open");

	o = shown(c, KIND_ORDER, "SO1");
	is_str(json_str(o, "status"), "shipped", "list/show sees the patched status");
	is_int(json_int(o, "_pending", 0), 1, "marked _pending: 1");
	is_str(json_path_str(o, "shipment.tracking_no"), "SF1234567890",
	    "nested patched member");
	ok(cJSON_GetObjectItem(o, "abnormal") == NULL, "null in a patch removes a member");
	is_str(json_path_str(o, "address.city"), "杭州市", "members not patched kept");
	is_int(json_int(o, "version", 0), 3, "overlay keeps the store's version");
	cJSON_Delete(o);
	s = shadow(c, KIND_ORDER, "SO1");
	is_str(json_str(s, "status"), "awaiting_shipment", "the store's state kept aside");
	cJSON_Delete(s);
	is_int(count_status(c, "shipped"), 1, "a status filter sees the new status");
	is_int(count_status(c, "awaiting_shipment"), 0, "and not the old one");
	is_int(count_text(c, "SF1234567890"), 1, "full-text sees the patched tracking number");
	is_int(outbox_has_pending(c, KIND_ORDER, "SO1"), 1, "SO1 has a pending entry");
	is_int(outbox_has_pending(c, KIND_ORDER, "SO999"), 0, "SO999 has none");
	is_int(outbox_counts(c, counts, &cause), 0, "counts");
	is_int(counts[OUTBOX_QUEUED], 1, "one queued");

	/* A pull: a newer store object keeps the overlay on top. */
	put_order(c, "SO1", 4, "awaiting_shipment", "周末不送货");
	o = shown(c, KIND_ORDER, "SO1");
	is_str(json_str(o, "status"), "shipped", "after a pull the overlay stays on top");
	is_str(json_str(o, "note"), "周末不送货", "and shows the store's new note");
	is_int(json_int(o, "version", 0), 4, "on the new version");
	is_int(json_int(o, "_pending", 0), 1, "still marked");
	cJSON_Delete(o);
	s = shadow(c, KIND_ORDER, "SO1");
	is_int(json_int(s, "version", 0), 4, "shadow updated by the pull");
	cJSON_Delete(s);
	put_order(c, "SO1", 2, "pending_payment", "old");
	s = shadow(c, KIND_ORDER, "SO1");
	is_int(json_int(s, "version", 0), 4, "an older pull does not replace the shadow");
	cJSON_Delete(s);
	o = shown(c, KIND_ORDER, "SO1");
	is_str(json_str(o, "note"), "周末不送货", "nor the overlay");
	cJSON_Delete(o);
	free(cause);
}

static void
test_success(struct cache *c)
{
	struct push_stats ps;
	struct outbox_entry e;
	char *store, *json, *actor;
	int64_t id;
	cJSON *o;

	fake_reset();
	id = sql_int(c, "SELECT id FROM outbox WHERE object_id = 'SO1'");
	get(c, id, &e);
	store = order("SO1", 5, "shipped", "周末不送货");
	script(200, store, 0);
	is_int(push(c, NULL, &ps), SD_OK, "push succeeds");
	is_int(ps.sent, 1, "one request");
	is_int(ps.applied, 1, "one applied");
	is_int(fake.ncalls, 1, "the store got one request");
	is_str(fake.calls[0].key, e.key, "with the entry's key");
	is_int(fake.calls[0].if_match, 3, "If-Match: the base version");
	is_str(fake.calls[0].action, "ship", "to the ship action");
	is_str(fake.calls[0].id, "SO1", "of SO1");
	is_str(fake.calls[0].body, "{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890\"}",
	    "with the body queued");
	outbox_entry_done(&e);

	o = cJSON_Parse(store);
	json = cache_get_json(c, KIND_ORDER, "SO1");
	{
		char *want = json_print(o);

		is_str(json, want, "the table holds the store's object exactly");
		cJSON_free(want);
	}
	ok(json != NULL && strstr(json, "_pending") == NULL, "no marker");
	free(json);
	cJSON_Delete(o);
	free(store);
	is_int(sql_int(c, "SELECT count(*) FROM shadow"), 0, "shadow row gone");
	is_int(get(c, id, &e), 0, "entry left the outbox");
	outbox_entry_done(&e);
	is_int(outbox_applied(c, id, &e, NULL), 1, "and is in the log");
	is_int(e.http_status, 200, "with the store's status");
	ok(e.result != NULL && strstr(e.result, "\"version\":5") != NULL,
	    "with the store's answer");
	ok(e.reason != NULL && strncmp(e.reason, "applied at ", 11) == 0,
	    "reason says applied and when (%s)", e.reason != NULL ? e.reason : "null");
	is_int(e.attempts, 1, "after one attempt");
	outbox_entry_done(&e);
	actor = sql_value(c, "SELECT actor FROM outbox_log WHERE id = %lld", (long long)id);
	is_str(actor, "alice", "the log says who queued it");
	free(actor);
	is_int(outbox_has_pending(c, KIND_ORDER, "SO1"), 0, "nothing pending any more");
	is_int(count_status(c, "shipped"), 1, "still listed as shipped, by the store now");
}

static void
test_conflict(struct cache *c)
{
	struct push_stats ps;
	struct outbox_entry e;
	char *theirs, *body, *done1, *done2, *key1;
	int64_t id1, id2;
	cJSON *o, *s;

	fake_reset();
	put_order(c, "SO2", 1, "awaiting_shipment", "");
	id1 = enqueue(c, "SO2", "cancel", 1, "{\"reason\":\"买家要求取消\"}",
	    "{\"status\":\"cancelled\"}", NULL);
	is_int(count_status(c, "cancelled"), 1, "cancel shows at once");
	theirs = order("SO2", 2, "shipped", "");
	body = xasprintf("{\"error\":{\"code\":\"conflict\",\"message\":\"version 1 is not"
	    " current\",\"details\":{\"current\":%s}}}", theirs);
	script(409, body, 0);
	is_int(push(c, NULL, &ps), SD_OK, "a conflict ends the pass normally");
	is_int(ps.conflicts, 1, "one conflict");
	get(c, id1, &e);
	is_int(e.state, OUTBOX_CONFLICT, "entry in conflict");
	is_int(e.http_status, 409, "status 409 kept");
	ok(e.theirs != NULL && strstr(e.theirs, "\"version\":2") != NULL,
	    "theirs is details.current");
	ok(e.reason != NULL && strstr(e.reason, "conflict") != NULL, "reason from the store");
	key1 = xstrdup(e.key);
	outbox_entry_done(&e);
	o = shown(c, KIND_ORDER, "SO2");
	is_str(json_str(o, "status"), "shipped", "overlay rolled back to the store's object");
	is_int(json_int(o, "version", 0), 2, "the current one");
	ok(cJSON_GetObjectItem(o, "_pending") == NULL, "not marked");
	cJSON_Delete(o);
	is_int(count_status(c, "cancelled"), 0, "the filter no longer sees it cancelled");

	/* A second action on the same object waits behind the conflict. */
	id2 = enqueue(c, "SO2", "note", 2, "{\"text\":\"加急\"}", "{\"note\":\"加急\"}", NULL);
	o = shown(c, KIND_ORDER, "SO2");
	is_str(json_str(o, "note"), "加急", "second entry's overlay shown");
	is_str(json_str(o, "status"), "shipped", "without the conflicting one's");
	cJSON_Delete(o);
	is_int(push(c, NULL, &ps), SD_OK, "push with a conflict ahead");
	is_int(fake.ncalls, 1, "the later entry was not sent");
	get(c, id2, &e);
	is_int(e.state, OUTBOX_QUEUED, "it stays queued");
	{
		char want[64];

		snprintf(want, sizeof want, "waiting for #%lld", (long long)id1);
		is_str(e.reason, want, "waiting for the conflict");
	}
	outbox_entry_done(&e);

	/* Mine: re-based on theirs, under a new key, then both go in order. */
	is_int(outbox_resolve(c, id1, OUTBOX_MINE, NULL), 0, "resolve mine");
	get(c, id1, &e);
	is_int(e.state, OUTBOX_QUEUED, "queued again");
	is_int(e.base_version, 2, "If-Match is now theirs' version");
	ok(e.key != NULL && strcmp(e.key, key1) != 0, "with a new key");
	ok(e.theirs == NULL, "theirs cleared");
	outbox_entry_done(&e);
	o = shown(c, KIND_ORDER, "SO2");
	is_str(json_str(o, "status"), "cancelled", "mine is in the overlay again");
	is_int(json_int(o, "_pending", 0), 2, "two pending");
	cJSON_Delete(o);
	is_int(sqlite3_get_autocommit(cache_db(c)), 1, "resolve committed");

	done1 = order("SO2", 3, "cancelled", "");
	done2 = order("SO2", 4, "cancelled", "加急");
	script(200, done1, 0);
	script(200, done2, 0);
	is_int(push(c, NULL, &ps), SD_OK, "push both");
	is_int(ps.applied, 2, "both applied");
	is_str(fake.calls[1].action, "cancel", "the earlier entry first");
	is_int(fake.calls[1].if_match, 2, "against the new version");
	ok(strcmp(fake.calls[1].key, key1) != 0, "under the new key");
	is_str(fake.calls[2].action, "note", "then the later one");
	o = shown(c, KIND_ORDER, "SO2");
	is_int(json_int(o, "version", 0), 4, "table holds the last answer");
	ok(cJSON_GetObjectItem(o, "_pending") == NULL, "no marker left");
	cJSON_Delete(o);
	s = shadow(c, KIND_ORDER, "SO2");
	ok(s == NULL, "no shadow left");
	cJSON_Delete(s);
	free(theirs);
	free(body);
	free(done1);
	free(done2);
	free(key1);

	/* Theirs: the entry is dropped and the store's object stays. */
	fake_reset();
	put_order(c, "SO8", 1, "awaiting_shipment", "");
	id1 = enqueue(c, "SO8", "cancel", 1, "{}", "{\"status\":\"cancelled\"}", NULL);
	theirs = order("SO8", 2, "shipped", "");
	body = xasprintf("{\"error\":{\"code\":\"conflict\",\"message\":\"changed\","
	    "\"details\":{\"current\":%s}}}", theirs);
	script(409, body, 0);
	push(c, NULL, &ps);
	is_int(outbox_resolve(c, id1, OUTBOX_THEIRS, NULL), 0, "resolve theirs");
	is_int(get(c, id1, &e), 0, "theirs: entry gone");
	outbox_entry_done(&e);
	is_int(outbox_applied(c, id1, &e, NULL), 1, "logged");
	ok(e.reason != NULL && strncmp(e.reason, "dropped at", 10) == 0, "as dropped");
	ok(e.result == NULL, "with no result");
	outbox_entry_done(&e);
	o = shown(c, KIND_ORDER, "SO8");
	is_str(json_str(o, "status"), "shipped", "theirs: the store's object stays");
	cJSON_Delete(o);
	is_int(sql_int(c, "SELECT count(*) FROM shadow WHERE id = 'SO8'"), 0,
	    "theirs: shadow gone");
	ok(outbox_resolve(c, id1, OUTBOX_MINE, NULL) != 0, "a gone entry cannot be resolved");
	free(theirs);
	free(body);
}

static void
test_failure(struct cache *c)
{
	struct push_stats ps;
	struct outbox_entry e;
	int64_t id;
	cJSON *o;
	char *cause = NULL, *outcome;

	fake_reset();
	put_order(c, "SO3", 1, "awaiting_shipment", "");
	id = enqueue(c, "SO3", "complete", 1, "{}", "{\"status\":\"completed\"}", NULL);
	is_int(count_status(c, "completed"), 1, "complete shows at once");
	script(422, "{\"error\":{\"code\":\"invalid_transition\",\"message\":\"cannot"
	    " complete an order that is awaiting_shipment\",\"details\":{\"status\":"
	    "\"awaiting_shipment\",\"allowed\":[\"ship\",\"cancel\"]}}}", 0);
	is_int(push(c, NULL, &ps), SD_OK, "a refusal ends the pass normally");
	is_int(ps.failed, 1, "one failed");
	get(c, id, &e);
	is_int(e.state, OUTBOX_FAILED, "entry failed");
	is_int(e.http_status, 422, "422 kept");
	is_str(e.reason, "invalid_transition: cannot complete an order that is"
	    " awaiting_shipment (allowed: ship, cancel)", "the store's reason, allowed joined");
	outbox_entry_done(&e);
	o = shown(c, KIND_ORDER, "SO3");
	is_str(json_str(o, "status"), "awaiting_shipment", "overlay rolled back");
	ok(cJSON_GetObjectItem(o, "_pending") == NULL, "not marked");
	cJSON_Delete(o);
	is_int(count_status(c, "completed"), 0, "the filter no longer sees it");

	is_int(outbox_retry(c, id, &cause), 0, "retry");
	get(c, id, &e);
	is_int(e.state, OUTBOX_QUEUED, "queued again");
	ok(e.reason == NULL, "reason cleared");
	outbox_entry_done(&e);
	o = shown(c, KIND_ORDER, "SO3");
	is_str(json_str(o, "status"), "completed", "overlay back after retry");
	cJSON_Delete(o);

	is_int(outbox_drop(c, id, &cause), 0, "drop");
	is_int(get(c, id, &e), 0, "dropped: gone from the outbox");
	outbox_entry_done(&e);
	is_int(outbox_applied(c, id, &e, NULL), 1, "dropped: in the log");
	outbox_entry_done(&e);
	outcome = sql_value(c, "SELECT outcome FROM outbox_log WHERE id = %lld", (long long)id);
	is_str(outcome, "dropped", "log outcome dropped");
	free(outcome);
	o = shown(c, KIND_ORDER, "SO3");
	is_str(json_str(o, "status"), "awaiting_shipment", "dropped: overlay removed");
	ok(cJSON_GetObjectItem(o, "_pending") == NULL, "dropped: not marked");
	cJSON_Delete(o);
	is_int(sql_int(c, "SELECT count(*) FROM shadow WHERE id = 'SO3'"), 0,
	    "dropped: shadow gone");
	ok(outbox_drop(c, id, &cause) != 0 && cause != NULL, "dropping twice is an error");
	free(cause);
}

static void
test_transient(struct cache *c)
{
	struct push_stats ps;
	struct outbox_entry e;
	int64_t id, id5, id6;
	time_t now;
	char *done, *key;
	int i, same;

	fake_reset();
	put_order(c, "SO4", 1, "awaiting_shipment", "");
	id = enqueue(c, "SO4", "note", 1, "{\"text\":\"x\"}", "{\"note\":\"x\"}", NULL);
	script(503, "<html>bad gateway</html>", 0);
	now = time(NULL);
	is_int(push(c, NULL, &ps), SD_ESERVER, "503: the push says the store is unwell");
	is_int(ps.deferred, 1, "one deferred");
	get(c, id, &e);
	is_int(e.state, OUTBOX_QUEUED, "entry stays queued");
	is_int(e.attempts, 1, "attempts 1");
	is_int(e.http_status, 503, "503 kept");
	ok(e.next_at >= now + 1 && e.next_at <= time(NULL) + 2,
	    "first backoff 1 s +-50%% (in %ld s)", (long)(e.next_at - now));
	ok(e.reason != NULL && strncmp(e.reason, "will retry: ", 12) == 0,
	    "reason: will retry (%s)", e.reason != NULL ? e.reason : "null");
	key = xstrdup(e.key);
	outbox_entry_done(&e);
	{
		cJSON *o = shown(c, KIND_ORDER, "SO4");

		is_int(json_int(o, "_pending", 0), 1, "overlay kept while it waits");
		is_str(json_str(o, "note"), "x", "with its patch");
		cJSON_Delete(o);
	}

	is_int(push(c, NULL, &ps), SD_OK, "a push before next_at sends nothing");
	is_int(fake.ncalls, 1, "nothing sent");
	is_int(ps.deferred, 1, "counted as deferred");

	sql_exec(c, "UPDATE outbox SET next_at = 0 WHERE id = %lld", (long long)id);
	script(0, NULL, 0);
	is_int(push(c, NULL, &ps), SD_ENETWORK, "no answer: network");
	get(c, id, &e);
	is_int(e.attempts, 2, "attempts 2");
	ok(e.next_at > time(NULL) - 1, "next_at in the future");
	outbox_entry_done(&e);

	sql_exec(c, "UPDATE outbox SET next_at = 0 WHERE id = %lld", (long long)id);
	script(429, "{\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\","
	    "\"details\":{}}}", 120);
	now = time(NULL);
	is_int(push(c, NULL, &ps), SD_ESERVER, "429: the store is busy");
	get(c, id, &e);
	ok(e.next_at >= now + 120, "Retry-After honoured (%ld s)", (long)(e.next_at - now));
	is_int(e.attempts, 3, "attempts 3");
	outbox_entry_done(&e);

	/* The answer to the first attempt was lost: the store replays it. */
	sql_exec(c, "UPDATE outbox SET next_at = 0 WHERE id = %lld", (long long)id);
	done = order("SO4", 2, "awaiting_shipment", "x");
	script(200, done, 0);
	is_int(push(c, NULL, &ps), SD_OK, "the replayed answer is a success");
	is_int(fake.ncalls, 4, "four requests in all");
	for (same = 1, i = 0; i < fake.ncalls; i++)
		same &= strcmp(fake.calls[i].key, key) == 0;
	ok(same, "all under the one key of the entry");
	is_int(sql_int(c, "SELECT count(*) FROM outbox_log WHERE object_id = 'SO4'"), 1,
	    "applied once in the log");
	is_int(sql_int(c, "SELECT attempts FROM outbox_log WHERE object_id = 'SO4'"), 4,
	    "after four attempts");
	is_int(sql_int(c, "SELECT count(*) FROM outbox WHERE object_id = 'SO4'"), 0,
	    "nothing left queued");
	free(done);
	free(key);

	/*
	 * push_drain: a transient failure ended the pass, so the next entry was
	 * not tried. Now it defers its own entry only: the entry on another
	 * object goes out in the same pass, and the push is not "ok" about it.
	 */
	fake_reset();
	put_order(c, "SO5", 1, "awaiting_shipment", "");
	put_order(c, "SO6", 1, "awaiting_shipment", "");
	id5 = enqueue(c, "SO5", "note", 1, "{}", NULL, NULL);
	id6 = enqueue(c, "SO6", "note", 1, "{}", NULL, NULL);
	script(503, NULL, 0);
	done = order("SO6", 2, "awaiting_shipment", "");
	script(200, done, 0);
	free(done);
	is_int(push(c, NULL, &ps), SD_OK, "503 on one entry: the pass goes on");
	is_int(fake.ncalls, 2, "the entry on the other object was sent");
	is_int(ps.applied, 1, "and applied");
	is_int(ps.deferred, 1, "the failed one deferred");
	is_int(ps.unsent, 1, "and counted unsent");
	ok(strstr(ps.why, "503") != NULL, "with why (%s)", ps.why);
	get(c, id5, &e);
	is_int(e.attempts, 1, "the failed entry stays queued, attempts 1");
	outbox_entry_done(&e);
	is_int(get(c, id6, &e), 0, "the other left the outbox");

	/* Pushing with time to wait retries after the backoff. */
	fake_reset();
	sql_exec(c, "UPDATE outbox SET next_at = 0 WHERE id = %lld", (long long)id5);
	script(503, NULL, 0);
	done = order("SO5", 2, "awaiting_shipment", "");
	script(200, done, 0);
	free(done);
	{
		struct push_opts po;

		memset(&po, 0, sizeof po);
		po.wait_seconds = 5;
		is_int(push(c, &po, &ps), SD_OK, "push with wait_seconds rides out a 503");
	}
	is_int(ps.applied, 1, "applied in the end");
	is_int(fake.ncalls, 2, "two requests");
	ok(strcmp(fake.calls[0].key, fake.calls[1].key) == 0, "the retry reused the key");
	is_int(ps.unsent, 0, "nothing unsent");

	/* Per-object order: behind a deferred entry its object's next one waits. */
	fake_reset();
	put_order(c, "SO7", 1, "awaiting_shipment", "");
	put_order(c, "SO8", 1, "awaiting_shipment", "");
	id5 = enqueue(c, "SO7", "note", 1, "{}", NULL, NULL);
	enqueue(c, "SO7", "flag", 1, "{}", NULL, NULL);
	id6 = enqueue(c, "SO8", "note", 1, "{}", NULL, NULL);
	script(503, NULL, 0);
	done = order("SO8", 2, "awaiting_shipment", "");
	script(200, done, 0);
	free(done);
	is_int(push(c, NULL, &ps), SD_OK, "a pass with a 503 on SO7");
	is_int(fake.ncalls, 2, "SO7's second entry was not sent");
	ok(fake.ncalls == 2 && strcmp(fake.calls[1].id, "SO8") == 0, "SO8's was");
	is_int(ps.unsent, 2, "both of SO7's are unsent");
	sql_exec(c, "DELETE FROM outbox WHERE object_id = 'SO7'");

	/* A store that is down: a few requests, then the pass ends, as network. */
	fake_reset();
	for (i = 0; i < 6; i++) {
		char oid[8];

		snprintf(oid, sizeof oid, "SO9%d", i);
		put_order(c, oid, 1, "awaiting_shipment", "");
		enqueue(c, oid, "note", 1, "{}", NULL, NULL);
	}
	is_int(push(c, NULL, &ps), SD_ENETWORK, "no answer at all: network");
	is_int(fake.ncalls, 3, "three requests, one at a time");
	is_int(ps.unsent, 6, "all six unsent");
	sql_exec(c, "DELETE FROM outbox WHERE object_id LIKE 'SO9%%'");
	fake_reset();
}

static void
test_auth(struct cache *c)
{
	struct push_stats ps;
	struct outbox_entry e;
	int64_t id, id2;

	fake_reset();
	put_order(c, "SO9", 1, "awaiting_shipment", "");
	put_order(c, "SO10", 1, "awaiting_shipment", "");
	id = enqueue(c, "SO9", "note", 1, "{}", "{\"note\":\"a\"}", NULL);
	id2 = enqueue(c, "SO10", "note", 1, "{}", "{\"note\":\"b\"}", NULL);
	script(401, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"unknown token\","
	    "\"details\":{}}}", 0);
	is_int(push(c, NULL, &ps), SD_EAUTH, "401: the push stops with an auth error");
	is_int(fake.ncalls, 1, "nothing more sent");
	get(c, id, &e);
	is_int(e.state, OUTBOX_QUEUED, "entry back in the queue");
	is_int(e.next_at, 0, "no backoff: fixing the token is what it needs");
	ok(e.reason != NULL && strstr(e.reason, "token") != NULL, "reason says the token");
	outbox_entry_done(&e);
	sql_exec(c, "DELETE FROM outbox WHERE id IN (%lld, %lld)", (long long)id,
	    (long long)id2);
	outbox_overlay_apply(c, KIND_ORDER, "SO9", NULL);
	outbox_overlay_apply(c, KIND_ORDER, "SO10", NULL);
}

static void
test_claims(struct cache *c)
{
	struct push_stats ps;
	struct outbox_entry e;
	int64_t id, id2;
	pid_t dead;
	char *done;

	fake_reset();
	put_order(c, "SO7", 1, "awaiting_shipment", "");
	id = enqueue(c, "SO7", "note", 1, "{}", "{\"note\":\"a\"}", NULL);
	id2 = enqueue(c, "SO7", "flag", 1, "{}", "{\"abnormal\":{\"reason\":\"fraud\"}}",
	    NULL);

	/* Claimed by a live process (our parent): left alone, and later ones wait. */
	sql_exec(c, "UPDATE outbox SET state = 1, claimed_by = %ld, claimed_at = %lld"
	    " WHERE id = %lld", (long)getppid(), (long long)time(NULL), (long long)id);
	is_int(push(c, NULL, &ps), SD_OK, "push with a live claim");
	is_int(fake.ncalls, 0, "a claimed entry is not sent twice");
	get(c, id, &e);
	is_int(e.state, OUTBOX_SENDING, "still the other's");
	outbox_entry_done(&e);
	is_int(outbox_has_pending(c, KIND_ORDER, "SO7"), 1, "an entry being sent is pending");
	get(c, id2, &e);
	is_int(e.state, OUTBOX_QUEUED, "the next one waits");
	outbox_entry_done(&e);
	ok(outbox_drop(c, id, NULL) != 0, "an entry being sent cannot be dropped");

	/* Claimed by a process that died: back in the queue and sent. */
	if ((dead = fork()) == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	sql_exec(c, "UPDATE outbox SET claimed_by = %ld WHERE id = %lld", (long)dead,
	    (long long)id);
	done = order("SO7", 2, "awaiting_shipment", "a");
	script(200, done, 0);
	free(done);
	done = order("SO7", 3, "awaiting_shipment", "a");
	script(200, done, 0);
	free(done);
	is_int(push(c, NULL, &ps), SD_OK, "push after the claimer died");
	is_int(ps.applied, 2, "its entry and the next applied");
	is_int(fake.ncalls, 2, "two requests");
	is_int(sql_int(c, "SELECT count(*) FROM outbox WHERE object_id = 'SO7'"), 0,
	    "none left");

	/* A claim older than ten minutes is stale, even if its process lives. */
	fake_reset();
	id = enqueue(c, "SO7", "note", 3, "{}", "{\"note\":\"b\"}", NULL);
	sql_exec(c, "UPDATE outbox SET state = 1, claimed_by = %ld, claimed_at = %lld"
	    " WHERE id = %lld", (long)getppid(), (long long)time(NULL) - 601,
	    (long long)id);
	done = order("SO7", 4, "awaiting_shipment", "b");
	script(200, done, 0);
	free(done);
	is_int(push(c, NULL, &ps), SD_OK, "push with a stale claim");
	is_int(ps.applied, 1, "the stale claim was requeued and sent");
}

/*
 * A create with a patch shows at once as its placeholder (new-N, pending);
 * the store's object replaces it, a refusal removes it, a retry brings it
 * back, a drop removes it, and no action may be queued on it.
 */
static void
test_create_placeholder(struct cache *c)
{
	struct outbox_new n, a;
	struct push_stats ps;
	struct outbox_entry e;
	cJSON *body, *patch;
	char *cause = NULL, *v, id[OUTBOX_NEW_ID_LEN];
	long before = cache_count(c, KIND_PROMOTION);

	fake_reset();
	memset(&n, 0, sizeof n);
	body = cJSON_Parse("{\"name\":\"九折\",\"kind\":\"percent_coupon\","
	    "\"starts_at\":\"2026-12-08T00:00:00Z\",\"ends_at\":\"2026-12-15T00:00:00Z\","
	    "\"rules\":{\"percent_off\":10}}");
	patch = cJSON_Duplicate(body, 1);
	json_set_str(patch, "status", "draft");
	n.kind = KIND_PROMOTION;
	n.action = "create";
	n.method = "POST";
	n.body = body;
	n.patch = patch;
	n.base_version = -1;
	n.summary = "create percent_coupon 九折";
	is_int(outbox_enqueue(c, &n, &e, &cause), 0, "queue a promotion's create");
	outbox_new_id(e.id, id, sizeof id);
	ok(strncmp(id, "new-", 4) == 0, "its placeholder's id (%s)", id);
	is_int(cache_count(c, KIND_PROMOTION), before + 1, "it shows at once");
	v = sql_value(c, "SELECT status || ' ' || (json_extract(sd_json(0, json), '$._pending'))"
	    " || ' ' || json_extract(sd_json(0, json), '$.name') FROM promotions WHERE id = '%s'", id);
	is_str(v, "draft 1 九折", "as a pending draft with its name");
	free(v);

	/* An action on it is refused: nothing on the store yet. */
	memset(&a, 0, sizeof a);
	a.kind = KIND_PROMOTION;
	a.object_id = id;
	a.action = "schedule";
	a.method = "POST";
	a.path_action = "schedule";
	a.base_version = 0;
	is_int(outbox_enqueue(c, &a, NULL, &cause), -1, "an action on a placeholder is refused");
	ok(cause != NULL && strstr(cause, "not made yet") != NULL, "saying why: %s", cause);
	free(cause);
	cause = NULL;

	/* Refused: the placeholder goes, the entry stays with the reason. */
	script(422, "{\"error\":{\"code\":\"validation\",\"message\":\"name taken\"}}", 0);
	push(c, NULL, &ps);
	is_int(ps.failed, 1, "the store refuses the create");
	is_int(cache_count(c, KIND_PROMOTION), before, "the placeholder goes");
	v = sql_value(c, "SELECT state FROM outbox WHERE id = %lld", (long long)e.id);
	is_str(v, "3", "the entry stays, refused");
	free(v);

	/* Retried: it shows again; the store makes it: the store's object replaces it. */
	is_int(outbox_retry(c, e.id, &cause), 0, "retry the create");
	is_int(cache_count(c, KIND_PROMOTION), before + 1, "the placeholder is back");
	script(201, "{\"id\":\"PR9001\",\"version\":1,\"name\":\"九折\",\"kind\":"
	    "\"percent_coupon\",\"status\":\"draft\",\"starts_at\":\"2026-12-08T00:00:00Z\","
	    "\"ends_at\":\"2026-12-15T00:00:00Z\",\"created_at\":\"2026-12-07T00:00:00Z\","
	    "\"updated_at\":\"2026-12-07T00:00:00Z\",\"rules\":{\"percent_off\":10}}", 0);
	is_int(push(c, NULL, &ps), SD_OK, "the store makes it");
	is_int(cache_count(c, KIND_PROMOTION), before + 1, "one promotion, not two");
	v = sql_value(c, "SELECT count(*) FROM promotions WHERE id = '%s'", id);
	is_str(v, "0", "the placeholder is gone");
	free(v);
	v = sql_value(c, "SELECT count(*) FROM promotions WHERE id = 'PR9001'");
	is_str(v, "1", "the store's promotion is cached");
	free(v);
	outbox_entry_done(&e);

	/* Dropped: the placeholder goes with it. */
	is_int(outbox_enqueue(c, &n, &e, &cause), 0, "queue another");
	outbox_new_id(e.id, id, sizeof id);
	is_int(cache_count(c, KIND_PROMOTION), before + 2, "its placeholder shows");
	is_int(outbox_drop(c, e.id, &cause), 0, "drop it");
	v = sql_value(c, "SELECT count(*) FROM promotions WHERE id = '%s'", id);
	is_str(v, "0", "its placeholder is gone");
	free(v);
	outbox_entry_done(&e);
	cJSON_Delete(body);
	cJSON_Delete(patch);
	fake_reset();
}

static void
test_create_and_message(struct cache *c)
{
	struct outbox_new n;
	struct push_stats ps;
	struct outbox_entry e;
	cJSON *body, *patch, *o;
	char *cause = NULL, *oid;

	/* A create: no object, no overlay; the log learns its id. */
	fake_reset();
	memset(&n, 0, sizeof n);
	body = cJSON_Parse("{\"order_id\":\"SO1\",\"kind\":\"refund_only\","
	    "\"reason\":\"破损\",\"requested_amount\":100}");
	n.kind = KIND_TICKET;
	n.action = "create";
	n.method = "POST";
	n.body = body;
	n.base_version = -1;
	n.summary = "create a refund ticket for SO1";
	is_int(outbox_enqueue(c, &n, &e, &cause), 0, "queue a create");
	cJSON_Delete(body);
	is_int(cache_count(c, KIND_TICKET), 0, "a create shows nothing yet");
	script(0, NULL, 0);
	script(201, "{\"id\":\"AS1000009\",\"version\":1,\"created_at\":"
	    "\"2026-11-22T08:00:00Z\",\"order_id\":\"SO1\",\"kind\":\"refund_only\","
	    "\"status\":\"requested\",\"sla\":{\"state\":\"active\"}}", 0);
	push(c, NULL, &ps);
	sql_exec(c, "UPDATE outbox SET next_at = 0");
	is_int(push(c, NULL, &ps), SD_OK, "the create goes through on the second try");
	is_int(fake.calls[0].if_match, -1, "a create has no If-Match");
	ok(fake.calls[0].id == NULL, "nor an id");
	ok(strcmp(fake.calls[0].key, fake.calls[1].key) == 0, "same key on the resend");
	is_int(cache_count(c, KIND_TICKET), 1, "the created ticket is cached");
	oid = sql_value(c, "SELECT object_id FROM outbox_log WHERE id = %lld",
	    (long long)e.id);
	is_str(oid, "AS1000009", "the log records the created id");
	free(oid);
	outbox_entry_done(&e);

	/* A message: the answer holds the message and the conversation. */
	fake_reset();
	put_text(c, KIND_CONVERSATION, "{\"id\":\"CV1\",\"version\":5,\"created_at\":"
	    "\"2026-11-21T09:00:00Z\",\"status\":\"new\",\"unread\":2,"
	    "\"waiting_since\":\"2026-11-21T09:05:00Z\"}");
	memset(&n, 0, sizeof n);
	body = cJSON_Parse("{\"body\":\"您好\"}");
	patch = cJSON_Parse("{\"status\":\"open\",\"unread\":0,\"waiting_since\":null}");
	n.kind = KIND_CONVERSATION;
	n.object_id = "CV1";
	n.action = "send";
	n.method = "POST";
	n.path_action = "messages";
	n.body = body;
	n.base_version = -1;
	n.patch = patch;
	is_int(outbox_enqueue(c, &n, NULL, &cause), 0, "queue a message");
	cJSON_Delete(body);
	cJSON_Delete(patch);
	o = shown(c, KIND_CONVERSATION, "CV1");
	is_int(json_int(o, "unread", -1), 0, "the conversation shows it answered");
	cJSON_Delete(o);
	script(201, "{\"message\":{\"id\":\"MS1\",\"version\":1,\"created_at\":"
	    "\"2026-11-22T08:00:00Z\",\"conversation_id\":\"CV1\",\"author\":\"U1\","
	    "\"body\":\"您好\"},\"conversation\":{\"id\":\"CV1\",\"version\":6,"
	    "\"created_at\":\"2026-11-21T09:00:00Z\",\"status\":\"open\",\"unread\":0,"
	    "\"waiting_since\":null}}", 0);
	is_int(push(c, NULL, &ps), SD_OK, "send the message");
	is_str(fake.calls[0].action, "messages", "to /messages");
	is_int(ps.applied, 1, "applied");
	is_int(cache_count(c, KIND_MESSAGE), 1, "the message is cached");
	o = shown(c, KIND_CONVERSATION, "CV1");
	is_int(json_int(o, "version", 0), 6, "the conversation is the store's");
	ok(cJSON_GetObjectItem(o, "_pending") == NULL, "unmarked");
	cJSON_Delete(o);
	free(cause);
}

/* on_entry: the events heard, "event#id " each. */
static void
record(void *arg, const struct outbox_entry *e, const char *event)
{
	struct buf *b = arg;

	buf_addf(b, "%s#%lld ", event, (long long)e->id);
}

static int
collect(void *arg, const struct outbox_entry *e)
{
	struct buf *b = arg;

	buf_addf(b, "%s:%s ", e->action, outbox_state_name(e->state));
	return 0;
}

static int
first_only(void *arg, const struct outbox_entry *e)
{
	(*(int *)arg)++;
	return 1;
}

static void
test_list_and_events(struct cache *c)
{
	struct push_opts po;
	struct push_stats ps;
	struct buf b;
	int64_t id1, id2;
	char *done, want[128];
	int n = 0;

	fake_reset();
	put_order(c, "SO11", 1, "awaiting_shipment", "");
	put_order(c, "SO12", 1, "awaiting_shipment", "");
	id1 = enqueue(c, "SO11", "note", 1, "{}", NULL, NULL);
	id2 = enqueue(c, "SO12", "flag", 1, "{}", NULL, NULL);
	script(422, "{\"error\":{\"code\":\"invalid\",\"message\":\"bad\",\"details\":{}}}", 0);
	memset(&po, 0, sizeof po);
	po.only_through = id1;
	push(c, &po, &ps);
	is_int(fake.ncalls, 1, "only_through: only the first sent");

	buf_init(&b);
	is_int(outbox_list(c, 0, collect, &b, NULL), 0, "list all");
	is_str(buf_str(&b), "note:failed flag:queued ", "in order, with states");
	buf_reset(&b);
	outbox_list(c, 1u << OUTBOX_FAILED, collect, &b, NULL);
	is_str(buf_str(&b), "note:failed ", "a state mask filters");
	outbox_list(c, 0, first_only, &n, NULL);
	is_int(n, 1, "a callback returning non-zero stops the list");
	is_str(outbox_state_name(OUTBOX_CONFLICT), "conflict", "state names");

	buf_reset(&b);
	po.only_through = 0;
	po.on_entry = record;
	po.arg = &b;
	done = order("SO12", 2, "awaiting_shipment", "");
	script(200, done, 0);
	free(done);
	push(c, &po, &ps);
	snprintf(want, sizeof want, "sending#%lld applied#%lld ", (long long)id2,
	    (long long)id2);
	is_str(buf_str(&b), want, "on_entry hears sending and applied");
	buf_done(&b);
	outbox_drop(c, id1, NULL);
}

static void
test_tombstone(struct cache *c)
{
	char *cause = NULL;
	int64_t id;

	put_order(c, "SO13", 1, "awaiting_shipment", "");
	id = enqueue(c, "SO13", "note", 1, "{}", "{\"note\":\"z\"}", NULL);
	is_int(sql_int(c, "SELECT count(*) FROM shadow WHERE id = 'SO13'"), 1,
	    "shadow while pending");
	cache_begin(c, &cause);
	outbox_forget(c, KIND_ORDER, "SO13", &cause);
	cache_commit(c, &cause);
	is_int(sql_int(c, "SELECT count(*) FROM shadow WHERE id = 'SO13'"), 0,
	    "a tombstone forgets the shadow");
	ok(cache_get_json(c, KIND_ORDER, "SO13") == NULL, "and the object");
	is_int(outbox_drop(c, id, NULL), 0, "an entry of a deleted object can be dropped");
	ok(cache_get_json(c, KIND_ORDER, "SO13") == NULL, "which does not bring it back");
	is_int(sql_int(c, "SELECT count(*) FROM outbox"), 0, "the outbox is empty again");
	free(cause);
}

/*
 * A pull while the object's only entry is in conflict goes straight to the
 * table (nothing is pending); the next overlay is built on that newer object,
 * not on the older shadow.
 */
static void
test_stale_shadow(struct cache *c)
{
	struct push_stats ps;
	char *theirs, *body, *cause = NULL;
	cJSON *o, *s, *obj;
	int64_t id;

	fake_reset();
	put_order(c, "SO14", 1, "awaiting_shipment", "");
	id = enqueue(c, "SO14", "cancel", 1, "{}", "{\"status\":\"cancelled\"}", NULL);
	theirs = order("SO14", 2, "awaiting_shipment", "v2");
	body = xasprintf("{\"error\":{\"code\":\"conflict\",\"message\":\"changed\","
	    "\"details\":{\"current\":%s}}}", theirs);
	script(409, body, 0);
	push(c, NULL, &ps);
	free(theirs);
	free(body);
	is_int(outbox_has_pending(c, KIND_ORDER, "SO14"), 0, "a conflict is not pending");

	/* outbox_store of a parsed object, outside any transaction. */
	theirs = order("SO14", 3, "awaiting_shipment", "v3");
	obj = cJSON_Parse(theirs);
	is_int(outbox_store(c, KIND_ORDER, obj, &cause), 0, "pull v3 (no transaction)");
	cJSON_Delete(obj);
	free(theirs);
	o = shown(c, KIND_ORDER, "SO14");
	is_int(json_int(o, "version", 0), 3, "with nothing pending the pull goes to the table");
	cJSON_Delete(o);
	s = shadow(c, KIND_ORDER, "SO14");
	is_int(json_int(s, "version", 0), 2, "the shadow kept for the conflict is older");
	cJSON_Delete(s);

	enqueue(c, "SO14", "address", 3, "{}",
	    "{\"address\":{\"city\":\"上海市\",\"phone\":null}}", NULL);
	o = shown(c, KIND_ORDER, "SO14");
	is_int(json_int(o, "version", 0), 3, "the overlay is built on the newer object");
	is_str(json_str(o, "note"), "v3", "with its members");
	is_str(json_path_str(o, "address.city"), "上海市", "nested merge: member replaced");
	is_str(json_path_str(o, "address.name"), "张三丰", "nested merge: sibling kept");
	ok(json_path(o, "address.phone") == NULL, "nested merge: null removes");
	is_str(json_str(o, "status"), "awaiting_shipment", "the conflict adds nothing");
	cJSON_Delete(o);
	s = shadow(c, KIND_ORDER, "SO14");
	is_int(json_int(s, "version", 0), 3, "and the shadow caught up");
	cJSON_Delete(s);

	/* Another pull, outside a transaction, with the address change pending. */
	theirs = order("SO14", 4, "awaiting_shipment", "v4");
	obj = cJSON_Parse(theirs);
	is_int(outbox_store(c, KIND_ORDER, obj, &cause), 0, "pull v4 with an entry pending");
	cJSON_Delete(obj);
	free(theirs);
	o = shown(c, KIND_ORDER, "SO14");
	is_str(json_str(o, "note"), "v4", "the pull is under the overlay");
	is_str(json_path_str(o, "address.city"), "上海市", "and the patch on top");
	cJSON_Delete(o);
	ok(sqlite3_get_autocommit(cache_db(c)), "no transaction left behind");
	outbox_resolve(c, id, OUTBOX_THEIRS, NULL);
	free(cause);
}

/* The lookup every outbox_store() makes is one index probe. */
static void
test_plan(struct cache *c)
{
	sqlite3_stmt *stmt;
	struct buf b;

	buf_init(&b);
	if (sqlite3_prepare_v2(cache_db(c), "EXPLAIN QUERY PLAN SELECT 1 FROM outbox WHERE"
	    " kind = 0 AND object_id = 'x' AND state <= 1 LIMIT 1", -1, &stmt,
	    NULL) == SQLITE_OK) {
		while (sqlite3_step(stmt) == SQLITE_ROW)
			buf_addf(&b, "%s;", (const char *)sqlite3_column_text(stmt, 3));
		sqlite3_finalize(stmt);
	}
	ok(strstr(buf_str(&b), "USING COVERING INDEX") != NULL && strstr(buf_str(&b),
	    "SCAN") == NULL, "pending lookup uses the index (%s)", buf_str(&b));
	buf_done(&b);
}

/*
 * Two actions queued offline on one object are both based on the store's
 * version the user saw; when the first is applied the second is re-based on
 * the version the store gave it, and when the first is refused and dropped
 * the second keeps the original base.
 */
static void
test_rebase(struct cache *c)
{
	struct push_stats ps;
	char *store, *cause = NULL;
	int64_t a, b;

	fake_reset();
	sql_exec(c, "DELETE FROM outbox");	/* what earlier tests left is not ours */
	put_order(c, "SO7", 3, "awaiting_shipment", "");
	a = enqueue(c, "SO7", "note", 3, "{\"text\":\"first\"}", "{\"note\":\"first\"}", NULL);
	b = enqueue(c, "SO7", "note", 3, "{\"text\":\"second\"}", "{\"note\":\"second\"}", NULL);
	ok(a > 0 && b > a, "two entries on one object");
	store = order("SO7", 4, "awaiting_shipment", "first");
	script(200, store, 0);
	free(store);
	store = order("SO7", 5, "awaiting_shipment", "second");
	script(200, store, 0);
	free(store);
	is_int(push(c, NULL, &ps), SD_OK, "chain pushed");
	is_int(ps.applied, 2, "both applied, neither conflicts with the other");
	is_int(fake.ncalls, 2, "two requests");
	is_int(fake.calls[0].if_match, 3, "the first is sent on the version the user saw");
	is_int(fake.calls[1].if_match, 4, "the second is re-based on the first one's result");

	fake_reset();
	put_order(c, "SO8", 7, "awaiting_shipment", "");
	a = enqueue(c, "SO8", "note", 7, "{\"text\":\"x\"}", "{\"note\":\"x\"}", NULL);
	b = enqueue(c, "SO8", "note", 7, "{\"text\":\"y\"}", "{\"note\":\"y\"}", NULL);
	script(422, "{\"error\":{\"code\":\"invalid\",\"message\":\"no\",\"details\":{}}}", 0);
	push(c, NULL, &ps);
	is_int(ps.failed, 1, "the first is refused");
	is_int(fake.ncalls, 1, "and the second waits behind it");
	ok(outbox_drop(c, a, &cause) == 0, "the user drops the refused one");
	free(cause);
	store = order("SO8", 8, "awaiting_shipment", "y");
	script(200, store, 0);
	free(store);
	push(c, NULL, &ps);
	is_int(fake.ncalls, 2, "then the second is sent");
	is_int(fake.calls[1].if_match, 7, "still on the original version: nothing was applied before it");
	(void)b;

	/* Applied, refused, then dropped: the one after it is based on the first's result. */
	fake_reset();
	put_order(c, "SO9", 7, "awaiting_shipment", "");
	enqueue(c, "SO9", "note", 7, "{\"text\":\"x\"}", "{\"note\":\"x\"}", NULL);
	b = enqueue(c, "SO9", "note", 7, "{\"text\":\"y\"}", "{\"note\":\"y\"}", NULL);
	a = enqueue(c, "SO9", "note", 7, "{\"text\":\"z\"}", "{\"note\":\"z\"}", NULL);
	store = order("SO9", 8, "awaiting_shipment", "x");
	script(200, store, 0);
	free(store);
	script(422, "{\"error\":{\"code\":\"invalid\",\"message\":\"no\",\"details\":{}}}", 0);
	push(c, NULL, &ps);
	is_int(ps.applied * 10 + ps.failed, 11, "three on one object: the first applied, the second refused");
	is_int(fake.calls[1].if_match, 8, "the second was re-based on the first's result");
	ok(outbox_drop(c, b, &cause) == 0, "the user drops the refused one");
	free(cause);
	store = order("SO9", 9, "awaiting_shipment", "z");
	script(200, store, 0);
	free(store);
	push(c, NULL, &ps);
	is_int(fake.ncalls, 3, "then the third is sent");
	is_int(fake.calls[2].if_match, 8, "on the first one's result, handed on by the dropped one");
	(void)a;
}

/* on_entry for test_groups: whether "applied" is only heard once committed. */
struct heard {
	struct cache	*c;
	int		 applied;
	int		 early;		/* heard inside a transaction */
};

static void
heard_applied(void *arg, const struct outbox_entry *e, const char *event)
{
	struct heard *h = arg;

	if (strcmp(event, "applied") != 0)
		return;
	h->applied++;
	if (!sqlite3_get_autocommit(cache_db(h->c)))
		h->early++;
}

/*
 * With a backend that sends writes in batches, the outbox goes out in
 * groups: the first of one entry, each next twice as large; never two
 * entries of one object in a group, nor an object of the group before
 * (being settled while the next is sent); each object's entries in their
 * order, each re-based on the one before; claims and answers one commit a
 * group; and "applied" is told only after the answers are committed.
 */
static void
test_groups(struct cache *c)
{
	static const char *ids[] = { "SG1", "SG2", "SG1", "SG3", "SG4", "SG1", "SG5", "SG6",
	    "SG7", "SG8", "SG9" };
	struct push_opts po;
	struct push_stats ps;
	struct buf trace;
	char name[8], *cause = NULL, *t;
	struct heard heard;
	int i, commits = 0, sg1 = 0, inorder = 1;
	enum sd_status st;

	fake_reset();
	sql_exec(c, "DELETE FROM outbox");
	for (i = 1; i <= 9; i++) {
		snprintf(name, sizeof name, "SG%d", i);
		put_order(c, name, 1, "awaiting_shipment", "");
	}
	for (i = 0; i < 11; i++) {
		t = xasprintf("{\"text\":\"%d\"}", i);
		enqueue(c, ids[i], "note", 1, t, NULL, NULL);
		free(t);
	}
	buf_init(&batches);
	buf_init(&trace);
	memset(&heard, 0, sizeof heard);
	heard.c = c;
	memset(&po, 0, sizeof po);
	po.on_entry = heard_applied;
	po.arg = &heard;
	sqlite3_trace_v2(cache_db(c), SQLITE_TRACE_STMT, trace_cb, &trace);
	st = outbox_push(c, &fake_batch_backend, &po, &ps, &cause);
	sqlite3_trace_v2(cache_db(c), 0, NULL, NULL);
	ok(st == SD_OK, "a batch push succeeds%s%s", cause != NULL ? ": " : "",
	    cause != NULL ? cause : "");
	is_int(ps.applied, 11, "all eleven applied");
	is_str(buf_str(&batches), "SG1 | SG2 SG3 | SG1 SG4 SG5 SG6 | SG7 SG8 SG9 | SG1",
	    "groups of 1, 2, 4, then what is free; one entry of an object a group");
	for (i = 0; i < fake.ncalls; i++) {
		if (strcmp(fake.calls[i].id, "SG1") != 0)
			continue;
		t = xasprintf("{\"text\":\"%d\"}", sg1 == 0 ? 0 : sg1 == 1 ? 2 : 5);
		inorder &= strcmp(fake.calls[i].body, t) == 0 && fake.calls[i].if_match == sg1 + 1;
		free(t);
		sg1++;
	}
	ok(sg1 == 3 && inorder, "one object's entries in their order, each on the one before's result");
	is_int(heard.applied, 11, "applied heard for each");
	is_int(heard.early, 0, "never before the answers were committed");
	for (t = trace.data; t != NULL && (t = strstr(t, "COMMIT")) != NULL; t++)
		commits++;
	is_int(commits, 10, "ten commits for eleven entries: a claim and a settle a group");
	ok(where(&trace, "PRAGMA synchronous = FULL") >= 0, "the answers' commits are fsync'd");
	is_int(sql_int(c, "SELECT count(*) FROM outbox"), 0, "the outbox is empty");
	buf_done(&trace);
	buf_done(&batches);
	free(cause);
}

/*
 * A replay keeps each answer as the store's state at once but rebuilds the
 * overlay of an object with more entries waiting later in the pass: at the
 * end the table shows the store's last answer, and no mark of a waiting
 * overlay is left. A push killed with overlays waiting (its mark left, its
 * process gone) is repaired by the next push, even one that sends nothing.
 */
static void
test_deferred_overlays(struct cache *c)
{
	static const char *ids[] = { "SW1", "SW2", "SW1", "SW2", "SW1" };
	struct push_stats ps;
	char *cause = NULL, *t, *o;
	cJSON *obj;
	enum sd_status st;
	int i;

	fake_reset();
	sql_exec(c, "DELETE FROM outbox");
	put_order(c, "SW1", 1, "awaiting_shipment", "");
	put_order(c, "SW2", 1, "awaiting_shipment", "");
	for (i = 0; i < 5; i++) {
		t = xasprintf("{\"note\":\"n%d\"}", i);
		enqueue(c, ids[i], "note", 1, t, t, NULL);
		free(t);
	}
	buf_init(&batches);
	st = outbox_push(c, &fake_batch_backend, NULL, &ps, &cause);
	ok(st == SD_OK && ps.applied == 5, "five entries on two objects replayed%s%s",
	    cause != NULL ? ": " : "", cause != NULL ? cause : "");
	obj = shown(c, KIND_ORDER, "SW1");
	is_int(json_int(obj, "version", -1), 4, "SW1's table holds the store's last answer");
	ok(cJSON_GetObjectItemCaseSensitive(obj, "_pending") == NULL, "with no overlay");
	cJSON_Delete(obj);
	obj = shown(c, KIND_ORDER, "SW2");
	is_int(json_int(obj, "version", -1), 3, "SW2's too");
	cJSON_Delete(obj);
	is_int(sql_int(c, "SELECT count(*) FROM sync_state WHERE key GLOB 'outbox.stale.*'"), 0,
	    "no overlay marked as waiting");

	/* Killed with SW1's overlay waiting: the shadow is v7, the table shows v4. */
	enqueue(c, "SW1", "note", 4, "{\"note\":\"late\"}", "{\"note\":\"late\"}", NULL);
	o = order("SW1", 7, "awaiting_shipment", "theirs");
	sql_exec(c, "UPDATE shadow SET json = '%s' WHERE id = 'SW1'", o);
	free(o);
	sql_exec(c, "INSERT INTO sync_state (key, value) VALUES ('outbox.stale.999999999', '1')");
	obj = shown(c, KIND_ORDER, "SW1");
	is_int(json_int(obj, "version", -1), 4, "a killed push's overlay: on v4");
	cJSON_Delete(obj);
	fake_reset();		/* nothing scripted: the store does not answer */
	free(cause);
	cause = NULL;
	st = outbox_push(c, &fake_backend, NULL, &ps, &cause);
	ok(st == SD_ENETWORK, "the next push reaches no store");
	obj = shown(c, KIND_ORDER, "SW1");
	is_int(json_int(obj, "version", -1), 7, "but rebuilt the overlay on the store's state");
	is_str(json_str(obj, "note"), "late", "with the entry's patch on top");
	is_int(json_int(obj, "_pending", 0), 1, "marked pending");
	cJSON_Delete(obj);
	is_int(sql_int(c, "SELECT count(*) FROM sync_state WHERE key GLOB 'outbox.stale.*'"), 0,
	    "and forgot the mark");
	sql_exec(c, "DELETE FROM outbox");
	buf_done(&batches);
	free(cause);
}

/*
 * An edit of an entry in conflict or failed takes its place and number in one
 * transaction, or does nothing: the entry queued after it for the same
 * object is still sent after it, and the old version is in the log.
 */
static void
test_replace(struct cache *c)
{
	struct push_stats ps;
	struct outbox_entry e, ne;
	struct outbox_new n;
	char *theirs, *body, *cause = NULL, *outcome, *key;
	cJSON *nb, *np, *o;
	int64_t id, later, logged;

	fake_reset();
	sql_exec(c, "DELETE FROM outbox");
	put_order(c, "SO30", 1, "awaiting_shipment", "");
	id = enqueue(c, "SO30", "note", 1, "{\"text\":\"旧\"}", "{\"note\":\"旧\"}", NULL);
	later = enqueue(c, "SO30", "flag", 1, "{\"reason\":\"fraud\"}", NULL, NULL);
	theirs = order("SO30", 2, "awaiting_shipment", "别人写的");
	body = xasprintf("{\"error\":{\"code\":\"conflict\",\"message\":\"changed\","
	    "\"details\":{\"current\":%s}}}", theirs);
	script(409, body, 0);
	push(c, NULL, &ps);
	get(c, id, &e);
	is_int(e.state, OUTBOX_CONFLICT, "replace: the entry is in conflict");
	key = xstrdup(e.key);
	outbox_entry_done(&e);
	get(c, later, &e);
	is_int(e.state, OUTBOX_QUEUED, "and the one after it waits");
	outbox_entry_done(&e);

	nb = cJSON_Parse("{\"text\":\"新\"}");
	np = cJSON_Parse("{\"note\":\"新\"}");
	memset(&n, 0, sizeof n);
	n.kind = KIND_ORDER;
	n.object_id = "SO30";
	n.action = "note";
	n.method = "GET";	/* not an action: refused */
	n.path_action = "note";
	n.body = nb;
	n.base_version = 2;
	n.patch = np;
	n.summary = "note on SO30: 新";

	/* A replacement that cannot be queued leaves the entry as it was. */
	ok(outbox_replace(c, id, &n, &ne, &cause) != 0 && cause != NULL,
	    "a bad replacement is refused");
	free(cause);
	cause = NULL;
	n.method = "POST";
	is_int(get(c, id, &e), 1, "and the entry is still there");
	is_int(e.state, OUTBOX_CONFLICT, "still in conflict");
	outbox_entry_done(&e);
	is_int(sql_int(c, "SELECT count(*) FROM outbox"), 2, "nothing else queued");

	is_int(outbox_replace(c, id, &n, &ne, &cause), 0, "the conflict is edited");
	is_int(ne.id, id, "the edit keeps the entry's number");
	is_int(ne.state, OUTBOX_QUEUED, "queued");
	is_int(ne.base_version, 2, "on the version it was decided on");
	is_str(ne.body, "{\"text\":\"新\"}", "with the edited body");
	ok(ne.key != NULL && strcmp(ne.key, key) != 0, "under a new key");
	outbox_entry_done(&ne);
	is_int(sql_int(c, "SELECT count(*) FROM outbox"), 2, "still two entries");
	logged = sql_int(c, "SELECT max(id) FROM outbox_log");
	ok(logged > later, "the old version is logged under a fresh number (#%lld)",
	    (long long)logged);
	is_int(outbox_applied(c, logged, &e, NULL), 1, "it is in the log");
	is_str(e.body, "{\"text\":\"旧\"}", "with the old body");
	is_str(e.key, key, "and key");
	ok(e.reason != NULL && strncmp(e.reason, "dropped at", 10) == 0 &&
	    strstr(e.reason, "edited, now #") != NULL && strstr(e.reason, "conflict") != NULL,
	    "as dropped, edited, with its old reason (%s)", e.reason != NULL ? e.reason : "");
	outbox_entry_done(&e);
	outcome = sql_value(c, "SELECT outcome FROM outbox_log WHERE id = %lld",
	    (long long)logged);
	is_str(outcome, "dropped", "log outcome dropped");
	free(outcome);
	o = shown(c, KIND_ORDER, "SO30");
	is_str(json_str(o, "note"), "新", "the overlay shows the edit");
	is_int(json_int(o, "_pending", 0), 2, "two pending");
	cJSON_Delete(o);
	is_int(sqlite3_get_autocommit(cache_db(c)), 1, "replace committed");

	/* Only conflicts and failures: a queued entry is still to be sent. */
	ok(outbox_replace(c, later, &n, NULL, &cause) != 0 && cause != NULL &&
	    strstr(cause, "still waiting to be sent") != NULL,
	    "a queued entry is not replaced: still waiting to be sent");
	free(cause);
	cause = NULL;
	is_int(sql_int(c, "SELECT count(*) FROM outbox"), 2, "and nothing was queued for it");
	ok(outbox_replace(c, logged, &n, NULL, &cause) != 0 && cause != NULL,
	    "an entry not in the outbox is not replaced");
	free(cause);
	put_order(c, "SO32", 1, "awaiting_shipment", "");
	ok(enqueue(c, "SO32", "unflag", 1, "{}", NULL, NULL) > logged,
	    "the next entry is numbered after the logged version");
	sql_exec(c, "DELETE FROM outbox WHERE object_id = 'SO32'");

	/* The edit goes out in the old one's place, before the entry after it. */
	fake_reset();
	free(theirs);
	theirs = order("SO30", 3, "awaiting_shipment", "新");
	script(200, theirs, 0);
	free(theirs);
	theirs = order("SO30", 4, "awaiting_shipment", "新");
	script(200, theirs, 0);
	push(c, NULL, &ps);
	is_int(ps.applied, 2, "both applied");
	is_str(fake.calls[0].body, "{\"text\":\"新\"}", "the edit first, with its body");
	is_int(fake.calls[0].if_match, 2, "on the version it was based on");
	is_str(fake.calls[1].action, "flag", "then the entry queued after it");
	is_int(fake.calls[1].if_match, 3, "re-based on the edit's result");
	cJSON_Delete(nb);
	cJSON_Delete(np);
	free(theirs);
	free(body);
	free(key);
}

/* action_words(def, body) joined by blanks, or "(error)". */
static char *
words(const char *noun, const char *name, const char *body)
{
	const struct action_def *d = action_find(noun, name);
	cJSON *b = cJSON_Parse(body);
	char **v, *cause = NULL;
	struct buf out;
	int n, i;

	buf_init(&out);
	if ((n = action_words(d, b, &v, &cause)) < 0) {
		buf_adds(&out, "(error)");
		free(cause);
	}
	for (i = 0; i < n; i++)
		buf_addf(&out, "%s[%s]", i ? " " : "", v[i]);
	if (n >= 0)
		action_words_free(&v);
	cJSON_Delete(b);
	return buf_steal(&out);
}

static void
check_words(const char *noun, const char *name, const char *body, const char *want)
{
	char *got = words(noun, name, body);

	ok(strcmp(got, want) == 0, "%s %s %s", noun, name, body);
	if (strcmp(got, want) != 0)
		printf("#   got '%s', expected '%s'\n", got, want);
	free(got);
}

/* n notes on orders SB1..SBn, the one numbered bad summarized "boom". */
static int
batch(struct cache *c, int n, int bad, int64_t *ids, struct outbox_entry *out)
{
	struct outbox_new v[8];
	cJSON *body[8], *patch[8];
	char id[8][16], *cause = NULL;
	int i, rc;

	memset(v, 0, sizeof v);
	for (i = 0; i < n; i++) {
		snprintf(id[i], sizeof id[i], "SB%d", i + 1);
		body[i] = cJSON_Parse("{\"text\":\"checked\"}");
		patch[i] = cJSON_Parse("{\"note\":\"checked\"}");
		v[i].kind = KIND_ORDER;
		v[i].object_id = id[i];
		v[i].action = "note";
		v[i].method = "POST";
		v[i].path_action = "note";
		v[i].body = body[i];
		v[i].base_version = 1;
		v[i].patch = patch[i];
		v[i].summary = i + 1 == bad ? "boom" : id[i];
	}
	if ((rc = outbox_enqueue_batch(c, v, (size_t)n, ids, out, &cause)) != 0)
		printf("# batch: %s\n", cause);
	free(cause);
	for (i = 0; i < n; i++) {
		cJSON_Delete(body[i]);
		cJSON_Delete(patch[i]);
	}
	return rc;
}

/*
 * A CSV batch: every entry in one durable transaction, in order; a failure
 * on any of them (here the third, refused by a trigger) queues none.
 */
static void
test_batch(struct cache *c)
{
	struct outbox_entry out[4];
	struct buf trace;
	int64_t ids[4], none[2];
	long long before;
	long full, begin, commit, normal;
	char id[16];
	cJSON *o;
	int i;

	for (i = 1; i <= 4; i++) {
		snprintf(id, sizeof id, "SB%d", i);
		put_order(c, id, 1, "awaiting_shipment", "");
	}
	before = sql_int(c, "SELECT count(*) FROM outbox");
	sql_exec(c, "CREATE TEMP TRIGGER boom BEFORE INSERT ON outbox"
	    " WHEN NEW.summary = 'boom' BEGIN SELECT RAISE(ABORT, 'injected'); END");
	is_int(batch(c, 4, 3, ids, NULL), -1, "a batch whose third entry fails fails");
	is_int(sql_int(c, "SELECT count(*) FROM outbox"), before, "and queues none of the four");
	is_int(sql_int(c, "SELECT count(*) FROM outbox WHERE object_id LIKE 'SB%'"), 0,
	    "not even the two before the failure");
	o = shown(c, KIND_ORDER, "SB1");
	ok(cJSON_GetObjectItem(o, "_pending") == NULL &&
	    strcmp(json_str(o, "note") != NULL ? json_str(o, "note") : "", "") == 0,
	    "the first order shows no overlay");
	cJSON_Delete(o);
	is_int(sql_int(c, "PRAGMA synchronous"), 1, "synchronous back to NORMAL");
	ok(sqlite3_get_autocommit(cache_db(c)), "no transaction left open");
	sql_exec(c, "DROP TRIGGER boom");

	buf_init(&trace);
	sqlite3_trace_v2(cache_db(c), SQLITE_TRACE_STMT, trace_cb, &trace);
	is_int(batch(c, 4, 0, ids, out), 0, "the same four without the failure");
	sqlite3_trace_v2(cache_db(c), 0, NULL, NULL);
	full = where(&trace, "PRAGMA synchronous = FULL");
	begin = where(&trace, "BEGIN IMMEDIATE");
	commit = where(&trace, "COMMIT");
	normal = where(&trace, "PRAGMA synchronous = 1");
	ok(full >= 0 && begin > full && commit > begin && normal > commit,
	    "synchronous FULL set before BEGIN, NORMAL restored after COMMIT");
	ok(where(&trace, "BEGIN") == begin && strstr(trace.data + commit + 1, "COMMIT") == NULL,
	    "one transaction, one commit");
	buf_done(&trace);
	is_int(sql_int(c, "SELECT count(*) FROM outbox"), before + 4, "four entries queued");
	ok(ids[0] < ids[1] && ids[1] < ids[2] && ids[2] < ids[3], "numbered in the file's order");
	for (i = 0; i < 4; i++) {
		ok(out[i].id == ids[i] && out[i].state == OUTBOX_QUEUED &&
		    out[i].key != NULL && strncmp(out[i].key, "sd-", 3) == 0,
		    "entry %d returned, queued, with its key", i + 1);
		outbox_entry_done(&out[i]);
	}
	is_int(sql_int(c, "SELECT count(DISTINCT key) FROM outbox WHERE object_id LIKE 'SB%'"), 4,
	    "four keys");
	o = shown(c, KIND_ORDER, "SB4");
	is_str(json_str(o, "note"), "checked", "the overlay shows the last one's note");
	is_int(json_int(o, "_pending", 0), 1, "marked pending");
	cJSON_Delete(o);
	is_int(sql_int(c, "PRAGMA synchronous"), 1, "synchronous back to NORMAL");

	/* Interrupted (^C) before the commit: none. */
	backend_interrupt();
	ok(batch(c, 2, 0, none, NULL) == -1 &&
	    sql_int(c, "SELECT count(*) FROM outbox") == before + 4,
	    "an interrupted batch queues nothing");
}

/*
 * An entry as it is typed again for an edit: required arguments in order,
 * the others by name, money in yuan, and what action_prepare() made of the
 * words gives the same body back.
 */
static void
test_words(struct cache *c)
{
	const struct action_def *d = action_find("orders", "note");
	const char *values[2] = { "已核对 'SO31'", NULL };
	struct action_plan p1, p2;
	char **v, *cause = NULL, *b1, *b2;
	int n;

	check_words("orders", "ship", "{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890\"}",
	    "[SF] [SF1234567890]");
	check_words("tickets", "refund", "{\"amount\":1290}", "[--amount] [12.90]");
	check_words("stock", "adjust", "{\"delta\":-3,\"reason\":\"damage\"}", "[-3] [damage]");
	check_words("orders", "note", "{\"text\":\"\"}", "[]");
	check_words("orders", "note", "{\"text\":\"--carrier\"}", "[--text] [--carrier]");
	check_words("orders", "cancel", "{\"reason\":\"买家 要求\"}", "[--reason] [买家 要求]");
	check_words("orders", "flag", "{\"reason\":\"address\",\"note\":\"门牌号缺失\"}",
	    "[address] [--note] [门牌号缺失]");
	check_words("orders", "address", "{\"address\":{\"city\":\"杭州市\",\"line\":\"文三路1号\"}}",
	    "[--city] [杭州市] [--line] [文三路1号]");
	check_words("tickets", "receive", "{\"condition\":\"damaged\",\"restock\":true}",
	    "[--condition] [damaged] [--restock]");
	check_words("tickets", "receive", "{\"restock\":false}", "");
	check_words("promos", "edit", "{\"ends_at\":\"2026-12-01T00:00:00Z\","
	    "\"rules\":{\"threshold\":19900,\"off\":2000},\"sku_ids\":[\"SK1\",\"SK2\"]}",
	    "[--ends] [2026-12-01T00:00:00Z] [--skus] [SK1,SK2] [--threshold] [199.00] "
	    "[--off] [20.00]");
	check_words("promos", "edit", "{\"rules\":{\"tiers\":[{\"threshold\":19900,\"off\":2000},"
	    "{\"threshold\":29900,\"off\":4050}]}}", "[--tiers] [199.00:20.00,299.00:40.50]");
	check_words("promos", "edit", "{\"rules\":{\"threshold\":19900,\"gift\":\"SK9\"}}",
	    "[--rules] [{\"threshold\":19900,\"gift\":\"SK9\"}]");
	check_words("orders", "ship", "{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890\","
	    "\"priority\":1}", "(error)");

	/* Round trip through action_prepare(). */
	put_order(c, "SO31", 1, "awaiting_shipment", "");
	is_int(action_prepare(c, d, "SO31", values, time(NULL), &p1, &cause), SD_OK,
	    "note prepared");
	if (cause != NULL)
		printf("# %s\n", cause);
	free(cause);
	cause = NULL;
	n = action_words(d, p1.body, &v, &cause);
	is_int(n, 1, "one word");
	is_int(action_prepare(c, d, "SO31", (const char *const *)v, time(NULL), &p2, &cause),
	    SD_OK, "the words prepare again");
	free(cause);
	b1 = json_print(p1.body);
	b2 = json_print(p2.body);
	is_str(b2, b1, "into the same body");
	cJSON_free(b1);
	cJSON_free(b2);
	action_words_free(&v);
	action_plan_done(&p1);
	action_plan_done(&p2);
}

/*
 * An overlay of flat patches (top-level members set, added or removed) is
 * the table's text with those members changed: the members kept are the
 * store's bytes (12.50 stays 12.50), a patched one stays in its place, a
 * new one and the marker come last -- the same object, members in the same
 * order, as the merged tree printed. Two patches naming the same member
 * make the tree printed instead.
 */
static void
test_splice(struct cache *c)
{
	static const char store[] = "{\"id\":\"SO77\", \"version\":4,"
	    " \"status\":\"paid\", \"note\":\"old\", \"total\":12.50,"
	    " \"abnormal\":{\"reason\":\"x\"}, \"tags\":[1, 2],"
	    " \"created_at\":\"2026-11-20T08:00:00Z\"}";
	char *text;
	cJSON *got, *want;

	put_text(c, KIND_ORDER, store);
	ok(enqueue(c, "SO77", "note", 4, "{\"note\":\"new\"}",
	    "{\"note\":\"new \\\"q\\\"\",\"abnormal\":null,\"tags\":[\"a\"],"
	    "\"flag\":true}", NULL) > 0, "a flat patch queued");
	text = cache_get_json(c, KIND_ORDER, "SO77");
	is_str(text, "{\"id\":\"SO77\",\"version\":4,\"status\":\"paid\","
	    "\"note\":\"new \\\"q\\\"\",\"total\":12.50,\"tags\":[\"a\"],"
	    "\"created_at\":\"2026-11-20T08:00:00Z\",\"flag\":true,\"_pending\":1}",
	    "the overlay's text: the store's with the patched members changed");
	got = text != NULL ? cJSON_Parse(text) : NULL;
	want = cJSON_Parse("{\"id\":\"SO77\",\"version\":4,\"status\":\"paid\","
	    "\"note\":\"new \\\"q\\\"\",\"total\":12.5,\"tags\":[\"a\"],"
	    "\"created_at\":\"2026-11-20T08:00:00Z\",\"flag\":true,\"_pending\":1}");
	ok(got != NULL && cJSON_Compare(got, want, 1), "the same object as the merged tree");
	cJSON_Delete(got);
	free(text);

	/* A second note: "note" named twice, the tree printed. */
	ok(enqueue(c, "SO77", "note", 4, "{\"note\":\"newer\"}", "{\"note\":\"newer\"}",
	    NULL) > 0, "a second patch of the same member queued");
	text = cache_get_json(c, KIND_ORDER, "SO77");
	is_str(text, "{\"id\":\"SO77\",\"version\":4,\"status\":\"paid\","
	    "\"note\":\"newer\",\"total\":12.5,\"tags\":[\"a\"],"
	    "\"created_at\":\"2026-11-20T08:00:00Z\",\"flag\":true,\"_pending\":2}",
	    "two patches of one member: the merged tree printed, the later one shown");
	free(text);
	cJSON_Delete(want);
}


/*
 * A CSV batch makes each overlay from the object as the check read it
 * (outbox_new.shown) when no other connection has written to the cache
 * since (outbox_seen_version), and reads the object again when one has.
 * The text given here differs from the table's (a member "seen") so that
 * the overlay tells which one it was made from.
 */
static void
test_batch_shown(void)
{
	char dir[] = "/tmp/sdtest-shown.XXXXXX", *path, *cause = NULL, *text;
	struct outbox_new v;
	struct cache *c;
	sqlite3 *other;
	cJSON *body, *patch, *o;
	int64_t id;
	long long as_of;

	if (mkdtemp(dir) == NULL) {
		ok(0, "a directory for a cache file");
		return;
	}
	path = xasprintf("%s/cache.db", dir);
	if ((c = cache_open(path, &cause)) == NULL) {
		printf("# %s\n", cause);
		ok(0, "a cache file");
		return;
	}
	put_order(c, "SS1", 1, "awaiting_shipment", "");
	put_order(c, "SS2", 1, "awaiting_shipment", "");
	body = cJSON_Parse("{\"text\":\"checked\"}");
	patch = cJSON_Parse("{\"note\":\"checked\"}");
	memset(&v, 0, sizeof v);
	v.kind = KIND_ORDER;
	v.action = "note";
	v.method = "POST";
	v.path_action = "note";
	v.body = body;
	v.base_version = 1;
	v.patch = patch;

	as_of = outbox_seen_version(c);
	ok(as_of >= 0, "the cache's data version is read");
	text = order("SS1", 1, "awaiting_shipment", "");
	text[strlen(text) - 1] = '\0';
	v.object_id = v.summary = "SS1";
	v.shown = xasprintf("%s,\"seen\":\"check\"}", text);
	v.shown_as_of = as_of;
	free(text);
	is_int(outbox_enqueue_batch(c, &v, 1, &id, NULL, &cause), 0, "SS1 queued");
	free((char *)v.shown);
	o = shown(c, KIND_ORDER, "SS1");
	is_str(json_str(o, "seen"), "check", "nobody wrote since: the overlay is made from the "
	    "object as checked, not read again");
	is_str(json_str(o, "note"), "checked", "with the entry's patch");
	cJSON_Delete(o);

	/* Another process commits between the check and the queueing. */
	as_of = outbox_seen_version(c);
	text = order("SS2", 1, "awaiting_shipment", "");
	text[strlen(text) - 1] = '\0';
	v.object_id = v.summary = "SS2";
	v.shown = xasprintf("%s,\"seen\":\"check\"}", text);
	v.shown_as_of = as_of;
	free(text);
	ok(sqlite3_open(path, &other) == SQLITE_OK && sqlite3_exec(other,
	    "CREATE TABLE elsewhere (x); INSERT INTO elsewhere VALUES (1)", NULL, NULL,
	    NULL) == SQLITE_OK, "another connection commits");
	sqlite3_close(other);
	is_int(outbox_enqueue_batch(c, &v, 1, &id, NULL, &cause), 0, "SS2 queued");
	free((char *)v.shown);
	o = shown(c, KIND_ORDER, "SS2");
	ok(o != NULL && json_str(o, "seen") == NULL, "someone wrote since: the object is read "
	    "again");
	is_str(json_str(o, "note"), "checked", "with the entry's patch");
	is_int(json_int(o, "_pending", 0), 1, "marked pending");
	cJSON_Delete(o);

	free(cause);
	cJSON_Delete(body);
	cJSON_Delete(patch);
	cache_close(&c);
	text = xasprintf("rm -rf '%s'", dir);
	if (system(text) != 0)
		printf("# could not remove %s\n", dir);
	free(text);
	free(path);
}

int
main(void)
{
	struct cache *c = open_cache();

	test_enqueue(c);
	test_success(c);
	test_conflict(c);
	test_failure(c);
	test_transient(c);
	test_auth(c);
	test_claims(c);
	test_create_and_message(c);
	test_create_placeholder(c);
	test_list_and_events(c);
	test_tombstone(c);
	test_stale_shadow(c);
	test_plan(c);
	test_rebase(c);
	test_groups(c);
	test_deferred_overlays(c);
	test_replace(c);
	test_words(c);
	test_splice(c);
	test_batch_shown();
	test_batch(c);	/* last: it leaves backend_interrupted() set */
	cache_close(&c);
	fake_reset();
	return done_testing();
}
