/*
 * http.c -- the reference store's HTTP front end over libmicrohttpd.
 *
 * libmicrohttpd runs one thread per connection, so a long poll on the change
 * feed simply blocks its thread in store_wait_head(). Each request goes
 * through the same steps: collect the body (at most 1 MiB); draw a fault
 * decision (only under /v1/); authenticate the bearer token and, when the
 * client signed the request or the server requires it, the signature; charge
 * the token's rate-limit bucket; route; answer.
 *
 * Reads are built from the stored JSON text without parsing it, except for
 * roles whose answers carry masked personal data. Writes run under the store
 * lock in one transaction together with the idempotency record, so a retried
 * request either replays the first answer or is applied exactly once.
 *
 * Faults that lose the answer (drop, truncate, malformed) are applied after a
 * write has been committed; faults that refuse the request (5xx, 429) before
 * anything is done. That is how a real network fails a client.
 *
 * Answers are gzipped for clients that accept it, and the bandwidth fault
 * paces them on their way out, as a slow link would.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#define ZLIB_CONST
#include <zlib.h>

#include "model.h"
#include "server/actions.h"
#include "server/faults.h"
#include "server/http.h"
#include "server/http-internal.h"
#include "server/report.h"
#include "server/store.h"
#include "util/buf.h"
#include "util/crash.h"
#include "util/jsonutil.h"
#include "util/sign.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

static const int http_kind_has_status[KIND__COUNT] = {
	[KIND_ORDER] = 1,
	[KIND_TICKET] = 1,
	[KIND_CONVERSATION] = 1,
	[KIND_PROMOTION] = 1,
};

/* --- replies ------------------------------------------------------------- */

void
http_reply_header(struct http_reply *rep, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (rep->nhdr == HTTP_MAX_HEADERS)
		fatal("http: too many headers");
	rep->hdr[rep->nhdr].name = name;
	va_start(ap, fmt);
	vsnprintf(rep->hdr[rep->nhdr].value, sizeof rep->hdr[rep->nhdr].value, fmt, ap);
	va_end(ap);
	rep->nhdr++;
}

/* Answer with text already in JSON form; takes ownership of body. */
static void
http_reply_text(struct http_reply *rep, int status, char *body)
{
	free(rep->body);
	rep->status = status;
	rep->body = body;
	rep->len = strlen(body);
}

/* Answer with a JSON value; takes ownership and deletes it. */
static void
http_reply_json(struct http_reply *rep, int status, cJSON *json)
{
	http_reply_text(rep, status, json_print(json));
	cJSON_Delete(json);
}

void
http_reply_error(struct http_reply *rep, int status, const char *code,
    const char *message, cJSON *details)
{
	http_reply_json(rep, status, api_error(code, message, details));
}

static void
http_reply_buf(struct http_reply *rep, int status, struct buf *b)
{
	http_reply_text(rep, status, b->data != NULL ? buf_steal(b) : xstrdup(""));
}

/* 403 for a role that may not read kind. */
static void
http_reply_forbidden_read(struct http_reply *rep, enum sd_role role, enum sd_kind kind)
{
	cJSON *details, *required;
	int r;

	details = cJSON_CreateObject();
	required = cJSON_CreateArray();
	if (details == NULL || required == NULL)
		fatal("http: out of memory");
	for (r = 0; r < ROLE__COUNT; r++) {
		if (role_can_read((enum sd_role)r, kind))
			cJSON_AddItemToArray(required, cJSON_CreateString(role_name(r)));
	}
	json_set_str(details, "role", role_name(role));
	json_set(details, "required", required);
	http_reply_error(rep, 403, "forbidden", "your role may not read this kind of "
	    "object", details);
}

static void
http_reply_bad_arg(struct http_reply *rep, const char *field, const char *message)
{
	cJSON *details = cJSON_CreateObject();

	if (details == NULL)
		fatal("http: out of memory");
	json_set_str(details, "field", field);
	http_reply_error(rep, 400, "bad_request", message, details);
}

/* --- helpers ------------------------------------------------------------- */

static const char *
http_arg(struct http_ctx *c, const char *name)
{
	return MHD_lookup_connection_value(c->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
http_header(struct http_ctx *c, const char *name)
{
	return MHD_lookup_connection_value(c->conn, MHD_HEADER_KIND, name);
}

/* Strict decimal integer. */
int
http_parse_int(const char *s, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0)
		return -1;
	*out = v;
	return 0;
}

/*
 * An integer query argument in [min, max], def when absent. On error answer
 * 400 and return -1.
 */
static int
http_arg_int(struct http_ctx *c, const char *name, long long def, long long min,
    long long max, long long *out)
{
	const char *v = http_arg(c, name);
	char *msg;

	if (v == NULL || *v == '\0') {
		*out = def;
		return 0;
	}
	if (http_parse_int(v, out) != 0 || *out < min || *out > max) {
		msg = xasprintf("%s must be an integer from %lld to %lld", name, min, max);
		http_reply_bad_arg(c->rep, name, msg);
		free(msg);
		return -1;
	}
	return 0;
}

/* Sleep, in slices so that a shutdown need not wait for the whole time. */
static void
http_sleep_ms(struct http *h, int ms)
{
	struct timespec ts;
	int slice;

	while (ms > 0 && !h->stopping) {
		slice = ms < HTTP_SLICE_MS ? ms : HTTP_SLICE_MS;
		ts.tv_sec = slice / 1000;
		ts.tv_nsec = (long)(slice % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
		ms -= slice;
	}
}

/* Append one object's JSON text as the caller's role should see it. */
static void
http_add_object(struct buf *b, enum sd_kind kind, const char *json, enum sd_role role)
{
	cJSON *obj;
	char *out;

	if (!role_masks_pii(role)) {
		buf_adds(b, json);
		return;
	}
	if ((obj = cJSON_Parse(json)) == NULL) {
		buf_adds(b, json);	/* never happens: the store wrote it */
		return;
	}
	actions_mask(kind, obj);
	out = json_print(obj);
	buf_adds(b, out);
	free(out);
	cJSON_Delete(obj);
}

static sqlite3_stmt *
http_prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) != SQLITE_OK)
		fatal("http: %s: %s", sql, sqlite3_errmsg(store_db(s)));
	return st;
}

/*
 * A statement of the write path, prepared the first time and kept (every
 * write prepared four of them again: a tenth of its work); used under the
 * store's lock, and handed back with http_kept_done().
 */
static sqlite3_stmt *
http_kept(struct http_ctx *c, int slot, const char *sql)
{
	sqlite3_stmt **st = &c->h->kept[slot];

	if (*st == NULL && sqlite3_prepare_v3(store_db(c->s), sql, -1,
	    SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		fatal("http: %s: %s", sql, sqlite3_errmsg(store_db(c->s)));
	return *st;
}

static void
http_kept_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Step a kept statement that returns no rows, and hand it back. */
static void
http_kept_step(struct store *s, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		fatal("http: step: %s", sqlite3_errmsg(store_db(s)));
	http_kept_done(st);
}

static void
http_step_done(struct store *s, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		fatal("http: step: %s", sqlite3_errmsg(store_db(s)));
	sqlite3_finalize(st);
}

/* --- reads --------------------------------------------------------------- */

static void
http_get_one(struct http_ctx *c, enum sd_kind kind, const char *id)
{
	struct buf b;
	char *json;

	store_lock(c->s);
	json = store_get_json(c->s, kind, id);
	store_unlock(c->s);
	if (json == NULL) {
		http_reply_error(c->rep, 404, "not_found", "no such object", NULL);
		return;
	}
	buf_init(&b);
	http_add_object(&b, kind, json, c->who->role);
	free(json);
	http_reply_buf(c->rep, 200, &b);
}

/*
 * A page of a kind ordered by id, optionally filtered by status or (for
 * messages) by conversation.
 */
static void
http_list(struct http_ctx *c, enum sd_kind kind, const char *conversation)
{
	const char *after = http_arg(c, "after"), *status = http_arg(c, "status");
	sqlite3_stmt *st;
	struct buf sql, b;
	char *last = NULL, *json = NULL;
	long long limit;
	int n = 0, more = 0;

	if (http_arg_int(c, "limit", 100, 1, 500, &limit) != 0)
		return;
	if (status != NULL && *status == '\0')
		status = NULL;
	if (status != NULL && !http_kind_has_status[kind]) {
		http_reply_bad_arg(c->rep, "status", "this kind has no status to filter by");
		return;
	}

	buf_init(&sql);
	/* The kind is a literal so the partial index on messages can be used. */
	buf_addf(&sql, "SELECT id, json FROM objects WHERE kind = %d AND deleted = 0"
	    " AND id > ?2", (int)kind);
	if (status != NULL)
		buf_adds(&sql, " AND json_extract(json, '$.status') = ?3");
	if (conversation != NULL)
		buf_adds(&sql, " AND json_extract(json, '$.conversation_id') = ?4");
	buf_adds(&sql, " ORDER BY id LIMIT ?5");

	buf_init(&b);
	buf_adds(&b, "{\"items\":[");
	store_lock(c->s);
	if (conversation != NULL &&
	    (json = store_get_json(c->s, KIND_CONVERSATION, conversation)) == NULL) {
		store_unlock(c->s);
		buf_done(&sql);
		buf_done(&b);
		http_reply_error(c->rep, 404, "not_found", "no such conversation", NULL);
		return;
	}
	free(json);
	st = http_prepare(c->s, buf_str(&sql));
	sqlite3_bind_text(st, 2, after != NULL ? after : "", -1, SQLITE_STATIC);
	if (status != NULL)
		sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	if (conversation != NULL)
		sqlite3_bind_text(st, 4, conversation, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, limit + 1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == limit) {
			more = 1;
			break;
		}
		if (n++ > 0)
			buf_addc(&b, ',');
		free(last);
		last = xstrdup((const char *)sqlite3_column_text(st, 0));
		http_add_object(&b, kind, (const char *)sqlite3_column_text(st, 1),
		    c->who->role);
	}
	sqlite3_finalize(st);
	store_unlock(c->s);
	buf_done(&sql);

	buf_adds(&b, "],\"next_after\":");
	if (more && last != NULL)
		buf_add_json_string(&b, last);
	else
		buf_adds(&b, "null");
	buf_addc(&b, '}');
	free(last);
	http_reply_buf(c->rep, 200, &b);
}

/*
 * A SKU's stock movements, newest first: {"sku_id", "stock", "items"}. The
 * store keeps the last SKU_MOVEMENTS_MAX of each, in the object itself.
 */
static void
http_sku_movements(struct http_ctx *c, const char *id)
{
	cJSON *sku, *out;
	char *text;
	struct buf b;

	store_lock(c->s);
	sku = store_get(c->s, KIND_SKU, id);
	store_unlock(c->s);
	if (sku == NULL) {
		http_reply_error(c->rep, 404, "not_found", "no such sku", NULL);
		return;
	}
	out = cJSON_CreateObject();
	json_set_str(out, "sku_id", id);
	json_set_int(out, "stock", json_int(sku, "stock", 0));
	json_set_int(out, "reserved", json_int(sku, "reserved", 0));
	cJSON_AddItemToObject(out, "items", cJSON_IsArray(cJSON_GetObjectItem(sku, "movements")) ?
	    cJSON_DetachItemFromObject(sku, "movements") : cJSON_CreateArray());
	text = cJSON_PrintUnformatted(out);
	buf_init(&b);
	buf_adds(&b, text);
	free(text);
	cJSON_Delete(out);
	cJSON_Delete(sku);
	http_reply_buf(c->rep, 200, &b);
}

/* The caller's user object and the actions the role may perform. */
static void
http_get_me(struct http_ctx *c)
{
	cJSON *obj, *perms;

	store_lock(c->s);
	obj = store_get(c->s, KIND_USER, c->who->id);
	store_unlock(c->s);
	if (obj == NULL) {
		if ((obj = cJSON_CreateObject()) == NULL)
			fatal("http: out of memory");
		json_set_str(obj, "id", c->who->id);
		json_set_str(obj, "login", c->who->login);
		json_set_str(obj, "name", c->who->name);
		json_set_str(obj, "role", role_name(c->who->role));
	}
	if (role_masks_pii(c->who->role))
		actions_mask(KIND_USER, obj);
	if ((perms = actions_permissions(c->who->role)) == NULL)
		perms = cJSON_CreateArray();
	json_set(obj, "permissions", perms);
	/* So that a client can say before queueing that a refund goes to finance. */
	json_set(obj, "refund_limit", actions_refund_limit());
	http_reply_json(c->rep, 200, obj);
}

/* GET /v1/store: the store's zone and currency, which every local day is counted in. */
static void
http_get_store(struct http_ctx *c)
{
	cJSON *obj = cJSON_CreateObject();

	json_set_str(obj, "id", "store");
	json_set_str(obj, "name", "shopdesk reference store");
	json_set_str(obj, "timezone", time_zone_name());
	json_set_str(obj, "currency", "CNY");
	http_reply_json(c->rep, 200, obj);
}

/*
 * GET /v1/reports/daily?from=D&to=D: the merchant's figures per day of the
 * store's zone (server/report.h), for admin, ops and finance. D is any date
 * a user types (timeutil.h): 2026-12-01, today, -30d.
 */
static void
http_report_daily(struct http_ctx *c)
{
	const char *fs = http_arg(c, "from"), *ts = http_arg(c, "to");
	enum sd_role r = c->who->role;
	time_t now = store_now(c->s), from, to;
	cJSON *details, *rep;

	if (r != ROLE_ADMIN && r != ROLE_OPS && r != ROLE_FINANCE) {
		details = cJSON_CreateObject();
		json_set_str(details, "role", role_name(r));
		json_set(details, "required", cJSON_CreateStringArray((const char *[]){ "admin",
		    "ops", "finance" }, 3));
		http_reply_error(c->rep, 403, "forbidden", "reports are for admin, ops and"
		    " finance", details);
		return;
	}
	if (time_parse_user(fs != NULL ? fs : "today", now, &from) != 0 ||
	    time_parse_user(ts != NULL ? ts : "today", now, &to) != 0) {
		http_reply_error(c->rep, 400, "bad_request", "from and to are dates such as"
		    " 2026-12-01, today or -30d", NULL);
		return;
	}
	if (to < from || time_day_start(from, REPORT_MAX_DAYS) <= to) {
		http_reply_error(c->rep, 400, "bad_request", "to must not be before from, and"
		    " one report covers at most 400 days", NULL);
		return;
	}
	store_lock(c->s);
	rep = report_daily(c->s, from, to);
	store_unlock(c->s);
	http_reply_json(c->rep, 200, rep);
}

static void
http_changes(struct http_ctx *c)
{
	long long since, limit, wait, n = 0, last = 0;
	uint64_t deadline, now, left;
	int64_t head;
	sqlite3_stmt *st;
	struct buf sql, b;
	const char *json;
	int k, more = 0, nk = 0;
	enum sd_kind kind;

	if (http_arg_int(c, "since", 0, 0, INT64_MAX, &since) != 0 ||
	    http_arg_int(c, "limit", 1000, 1, 5000, &limit) != 0 ||
	    http_arg_int(c, "wait", 0, 0, HTTP_MAX_WAIT, &wait) != 0)
		return;

	store_lock(c->s);
	head = store_head(c->s);
	store_unlock(c->s);
	if (since > head) {
		http_reply_bad_arg(c->rep, "since", "since is newer than the store's "
		    "head; start again from 0");
		return;
	}
	/* Long poll, in slices so that a shutdown need not wait 30 s. */
	deadline = time_mono_ms() + (uint64_t)wait * 1000;
	while (since == head && !c->h->stopping && (now = time_mono_ms()) < deadline) {
		left = deadline - now;
		head = store_wait_head(c->s, since, left < HTTP_SLICE_MS ?
		    (int)left : HTTP_SLICE_MS);
	}

	buf_init(&sql);
	/* "+kind": never let the planner trade the seq range scan for the kind index. */
	buf_adds(&sql, "SELECT seq, kind, id, deleted, json FROM objects"
	    " WHERE seq > ? AND +kind IN (");
	for (k = 0; k < KIND__COUNT; k++) {
		if (role_can_read(c->who->role, (enum sd_kind)k))
			buf_addf(&sql, "%s%d", nk++ > 0 ? "," : "", k);
	}
	buf_adds(&sql, ") ORDER BY seq LIMIT ?");

	buf_init(&b);
	store_lock(c->s);
	head = store_head(c->s);
	st = http_prepare(c->s, buf_str(&sql));
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, limit + 1);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == limit) {
			more = 1;
			break;
		}
		kind = (enum sd_kind)sqlite3_column_int(st, 1);
		last = sqlite3_column_int64(st, 0);
		buf_addf(&b, "%s{\"seq\":%lld,\"kind\":\"%s\",\"id\":", n++ > 0 ? "," : "",
		    last, kind_info(kind)->name);
		buf_add_json_string(&b, (const char *)sqlite3_column_text(st, 2));
		json = (const char *)sqlite3_column_text(st, 4);
		if (sqlite3_column_int(st, 3) || json == NULL)
			buf_adds(&b, ",\"deleted\":true,\"object\":null}");
		else {
			buf_adds(&b, ",\"deleted\":false,\"object\":");
			http_add_object(&b, kind, json, c->who->role);
			buf_addc(&b, '}');
		}
	}
	sqlite3_finalize(st);
	store_unlock(c->s);
	buf_done(&sql);

	/* With nothing more to show, skip past changes this role cannot see. */
	if (!more)
		last = head;

	{
		struct buf out;

		buf_init(&out);
		buf_addf(&out, "{\"next_since\":%lld,\"has_more\":%s,\"head\":%lld,"
		    "\"changes\":[", last, more ? "true" : "false", (long long)head);
		if (b.len > 0)
			buf_add(&out, b.data, b.len);
		buf_adds(&out, "]}");
		buf_done(&b);
		http_reply_buf(c->rep, 200, &out);
	}
	http_reply_header(c->rep, "X-Next-Since", "%lld", last);
	http_reply_header(c->rep, "X-Has-More", "%d", more);
}

/* --- writes -------------------------------------------------------------- */

static int
http_idem_key_valid(const char *key)
{
	size_t n = strlen(key), i;

	if (n < 1 || n > 128)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)key[i]) && strchr("_.:-", key[i]) == NULL)
			return 0;
	}
	return 1;
}

/* If-Match: integer with optional quotes (and W/); -1 absent; -2 malformed. */
static long long
http_if_match(const char *v)
{
	char tmp[32];
	size_t n;
	long long out;

	if (v == NULL)
		return -1;
	while (isspace((unsigned char)*v))
		v++;
	if (strncmp(v, "W/", 2) == 0)
		v += 2;
	n = strlen(v);
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof tmp)
		return -2;
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	if (http_parse_int(tmp, &out) != 0 || out < 0)
		return -2;
	return out;
}

/*
 * Look up an idempotency record. Returns 0 when none, 1 when it matches
 * (status and response filled), -1 when the key was used for another request.
 */
static int
http_idem_find(struct http_ctx *c, const char *key, const char *bodyhash,
    int *status, char **response)
{
	sqlite3_stmt *st;
	time_t now = store_now(c->s);
	int rc = 0;

	st = http_kept(c, HTTP_KEPT_IDEM_FIND, "SELECT method, path, body_sha256, status,"
	    " response, created_at FROM idempotency WHERE key = ? AND user_id = ?");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->who->id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_int64(st, 5) > (int64_t)now - HTTP_IDEM_TTL) {
		if (strcmp((const char *)sqlite3_column_text(st, 0), c->method) == 0 &&
		    strcmp((const char *)sqlite3_column_text(st, 1), c->path) == 0 &&
		    strcmp((const char *)sqlite3_column_text(st, 2), bodyhash) == 0) {
			*status = sqlite3_column_int(st, 3);
			*response = xstrdup((const char *)sqlite3_column_text(st, 4));
			rc = 1;
		} else
			rc = -1;
	}
	http_kept_done(st);
	return rc;
}

static void
http_idem_store(struct http_ctx *c, const char *key, const char *bodyhash,
    int status, const char *response)
{
	sqlite3_stmt *st;

	st = http_kept(c, HTTP_KEPT_IDEM_PUT, "INSERT OR REPLACE INTO idempotency (key,"
	    " user_id, method, path, body_sha256, status, response, created_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->who->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->method, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, bodyhash, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, status);
	sqlite3_bind_text(st, 7, response, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, (int64_t)store_now(c->s));
	http_kept_step(c->s, st);

	/* Now and then forget records older than a day. */
	if (++c->h->writes % HTTP_IDEM_SWEEP == 0) {
		st = http_prepare(c->s, "DELETE FROM idempotency WHERE created_at < ?");
		sqlite3_bind_int64(st, 1, (int64_t)store_now(c->s) - HTTP_IDEM_TTL);
		http_step_done(c->s, st);
	}
}

static void
http_ledger_add(struct http_ctx *c, const char *key)
{
	sqlite3_stmt *st;

	st = http_kept(c, HTTP_KEPT_LEDGER, "INSERT INTO ledger (key, applied) VALUES (?, 1)"
	    " ON CONFLICT (key) DO UPDATE SET applied = applied + 1");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	http_kept_step(c->s, st);
}

/*
 * The audit row of an applied write: the user (from the token), what, on
 * which version, with what result, and the attribution the client sent --
 * X-Shopdesk-Done-At, when the person did it (an offline action is sent
 * later), and X-Shopdesk-Client. A malformed Done-At is not kept; the
 * client string is kept printable ASCII, clipped.
 */
static void
http_audit_add(struct http_ctx *c, const char *key, long long ifm,
    const struct action_res *res)
{
	const char *done = http_header(c, "X-Shopdesk-Done-At");
	const char *client = http_header(c, "X-Shopdesk-Client");
	char now[RFC3339_LEN], cl[HTTP_CLIENT_MAX + 1];
	const cJSON *v;
	sqlite3_stmt *st;
	time_t t;
	size_t i, n = 0;

	if (done != NULL && time_parse_rfc3339(done, &t) != 0)
		done = NULL;
	if (client != NULL) {
		for (i = 0; client[i] != '\0' && n < HTTP_CLIENT_MAX; i++)
			cl[n++] = client[i] >= 0x20 && client[i] < 0x7f ? client[i] : '?';
		cl[n] = '\0';
	}
	time_format_rfc3339(store_now(c->s), now);
	st = http_kept(c, HTTP_KEPT_AUDIT, "INSERT INTO audit (key, user_id, method, path, "
	    "if_match, version, status, done_at, applied_at, client) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->who->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->method, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->path, -1, SQLITE_STATIC);
	if (ifm >= 0)
		sqlite3_bind_int64(st, 5, ifm);
	if ((v = cJSON_GetObjectItemCaseSensitive(res->body, "version")) != NULL &&
	    cJSON_IsNumber(v))
		sqlite3_bind_int64(st, 6, (sqlite3_int64)v->valuedouble);
	sqlite3_bind_int(st, 7, res->status);
	if (done != NULL)
		sqlite3_bind_text(st, 8, done, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
	if (client != NULL)
		sqlite3_bind_text(st, 10, cl, -1, SQLITE_STATIC);
	http_kept_step(c->s, st);
}

static void
http_write(struct http_ctx *c, enum sd_kind kind, const char *id, const char *action)
{
	const char *key = http_header(c, "Idempotency-Key");
	char bodyhash[SHA256_HEX_LEN], *response = NULL;
	struct action_req areq;
	struct action_res ares;
	cJSON *body;
	const char *text;
	long long ifm;
	int status, found;

	if (key == NULL || *key == '\0') {
		http_reply_error(c->rep, 400, "idempotency_key_required",
		    "writes need an Idempotency-Key header", NULL);
		return;
	}
	if (!http_idem_key_valid(key)) {
		http_reply_bad_arg(c->rep, "Idempotency-Key", "Idempotency-Key must "
		    "be 1 to 128 characters of [A-Za-z0-9_.:-]");
		return;
	}
	if ((ifm = http_if_match(http_header(c, "If-Match"))) == -2) {
		http_reply_bad_arg(c->rep, "If-Match", "If-Match must be a version "
		    "number");
		return;
	}
	text = c->req->body.len > 0 ? c->req->body.data : "";
	sign_sha256_hex(text, c->req->body.len, bodyhash);

	store_lock(c->s);
	found = http_idem_find(c, key, bodyhash, &status, &response);
	if (found == 1) {
		store_unlock(c->s);
		http_reply_text(c->rep, status, response);
		http_reply_header(c->rep, "Idempotent-Replay", "true");
		return;
	}
	if (found == -1) {
		store_unlock(c->s);
		http_reply_error(c->rep, 422, "idempotency_key_reused", "this "
		    "Idempotency-Key was already used for a different request", NULL);
		return;
	}

	/* An empty body counts as {}. */
	text += strspn(text, " \t\r\n");
	body = *text == '\0' ? cJSON_CreateObject() : cJSON_Parse(text);
	if (!cJSON_IsObject(body)) {
		store_unlock(c->s);
		cJSON_Delete(body);
		http_reply_error(c->rep, 400, "bad_json",
		    "the request body must be a JSON object", NULL);
		return;
	}

	memset(&areq, 0, sizeof areq);
	areq.method = c->method;
	areq.kind = kind;
	areq.id = id;
	areq.action = action;
	areq.body = body;
	areq.if_match = ifm;
	areq.who = c->who;
	memset(&ares, 0, sizeof ares);

	store_begin(c->s);
	actions_run(c->s, &areq, &ares);
	if (ares.body == NULL)
		ares.body = api_error("internal", "the action gave no answer", NULL);
	if (ares.status == 0)
		ares.status = 500;
	if (!ares.applied) {
		store_rollback(c->s);
		store_begin(c->s);
	}
	response = json_print(ares.body);
	if (ares.status < 500)
		http_idem_store(c, key, bodyhash, ares.status, response);
	if (ares.applied) {
		http_ledger_add(c, key);
		http_audit_add(c, key, ifm, &ares);
	}
	store_commit(c->s);
	store_unlock(c->s);
	if (ares.applied)
		crash_point("store-applied");

	cJSON_Delete(body);
	cJSON_Delete(ares.body);
	http_reply_text(c->rep, ares.status, response);
}

/* --- control endpoints ---------------------------------------------------- */

static int
http_kind_name_cmp(const void *a, const void *b)
{
	return strcmp(kind_info(*(const enum sd_kind *)a)->name,
	    kind_info(*(const enum sd_kind *)b)->name);
}

static void
http_digest(struct http_ctx *c)
{
	enum sd_kind order[KIND__COUNT];
	struct sign_sha256 *sha;
	char hex[SHA256_HEX_LEN], *text, *line;
	sqlite3_stmt *st;
	cJSON *obj, *out;
	long long count = 0;
	int i;

	for (i = 0; i < KIND__COUNT; i++)
		order[i] = (enum sd_kind)i;
	qsort(order, KIND__COUNT, sizeof order[0], http_kind_name_cmp);

	sha = sign_sha256_new();
	store_lock(c->s);
	st = http_prepare(c->s, "SELECT id, version, json FROM objects"
	    " WHERE kind = ? AND deleted = 0 ORDER BY id");
	for (i = 0; i < KIND__COUNT; i++) {
		if (!role_can_read(c->who->role, order[i]))
			continue;
		sqlite3_bind_int(st, 1, order[i]);
		while (sqlite3_step(st) == SQLITE_ROW) {
			obj = cJSON_Parse((const char *)sqlite3_column_text(st, 2));
			if (obj == NULL)
				continue;
			if (role_masks_pii(c->who->role))
				actions_mask(order[i], obj);
			text = json_print(obj);
			line = xasprintf("%s\t%s\t%lld\t%s\n", kind_info(order[i])->name,
			    (const char *)sqlite3_column_text(st, 0),
			    (long long)sqlite3_column_int64(st, 1), text);
			sign_sha256_update(sha, line, strlen(line));
			free(line);
			free(text);
			cJSON_Delete(obj);
			count++;
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	store_unlock(c->s);
	sign_sha256_finish(sha, hex);

	if ((out = cJSON_CreateObject()) == NULL)
		fatal("http: out of memory");
	json_set_int(out, "count", count);
	json_set_str(out, "sha256", hex);
	http_reply_json(c->rep, 200, out);
}

static void
http_ledger(struct http_ctx *c)
{
	sqlite3_stmt *st;
	cJSON *out, *by;
	long long total = 0;
	int n = 0;

	if ((out = cJSON_CreateObject()) == NULL || (by = cJSON_CreateObject()) == NULL)
		fatal("http: out of memory");
	store_lock(c->s);
	st = http_prepare(c->s, "SELECT COALESCE(SUM(applied), 0) FROM ledger");
	if (sqlite3_step(st) == SQLITE_ROW)
		total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = http_prepare(c->s, "SELECT key, applied FROM ledger ORDER BY key");
	while (sqlite3_step(st) == SQLITE_ROW && n++ < HTTP_LEDGER_MAX) {
		json_set_int(by, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1));
	}
	sqlite3_finalize(st);
	store_unlock(c->s);
	json_set_int(out, "applied", total);
	json_set(out, "by_key", by);
	http_reply_json(c->rep, 200, out);
}

/* The newest applied writes, newest first, with their attribution. */
static void
http_audit(struct http_ctx *c)
{
	static const char *const cols[] = { "key", "user_id", "method", "path",
	    "if_match", "version", "status", "done_at", "applied_at", "client" };
	sqlite3_stmt *st;
	cJSON *out, *items, *row;
	size_t i;

	if ((out = cJSON_CreateObject()) == NULL ||
	    (items = cJSON_AddArrayToObject(out, "items")) == NULL)
		fatal("http: out of memory");
	store_lock(c->s);
	st = http_prepare(c->s, "SELECT key, user_id, method, path, if_match, "
	    "version, status, done_at, applied_at, client FROM audit "
	    "ORDER BY seq DESC LIMIT ?");
	sqlite3_bind_int(st, 1, HTTP_AUDIT_MAX);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if ((row = cJSON_CreateObject()) == NULL)
			fatal("http: out of memory");
		for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
			switch (sqlite3_column_type(st, (int)i)) {
			case SQLITE_NULL:
				cJSON_AddNullToObject(row, cols[i]);
				break;
			case SQLITE_INTEGER:
				json_set_int(row, cols[i], sqlite3_column_int64(st, (int)i));
				break;
			default:
				json_set_str(row, cols[i],
				    (const char *)sqlite3_column_text(st, (int)i));
			}
		}
		cJSON_AddItemToArray(items, row);
	}
	sqlite3_finalize(st);
	store_unlock(c->s);
	http_reply_json(c->rep, 200, out);
}

static void
http_faults(struct http_ctx *c)
{
	char *spec, *cause = NULL;
	cJSON *out;

	if (strcmp(c->method, "PUT") == 0) {
		spec = xstrndup(c->req->body.data != NULL ? c->req->body.data : "",
		    c->req->body.len);
		if (faults_set(c->h->faults, spec, &cause) != 0) {
			free(spec);
			http_reply_bad_arg(c->rep, "faults", cause);
			free(cause);
			return;
		}
		free(spec);
	}
	if ((out = cJSON_CreateObject()) == NULL)
		fatal("http: out of memory");
	spec = faults_get(c->h->faults);
	json_set_str(out, "faults", spec);
	free(spec);
	http_reply_json(c->rep, 200, out);
}

static int
http_require_admin(struct http_ctx *c)
{
	cJSON *details;

	if (c->who->role == ROLE_ADMIN)
		return 0;
	if ((details = cJSON_CreateObject()) == NULL)
		fatal("http: out of memory");
	json_set_str(details, "role", role_name(c->who->role));
	json_set(details, "required", cJSON_CreateStringArray(
	    (const char *[]){ "admin" }, 1));
	http_reply_error(c->rep, 403, "forbidden", "only admin may do this", details);
	return -1;
}

/* --- routing -------------------------------------------------------------- */

static void
http_method_not_allowed(struct http_ctx *c, const char *allow)
{
	http_reply_error(c->rep, 405, "bad_request", "method not allowed", NULL);
	http_reply_header(c->rep, "Allow", "%s", allow);
}

static void
http_route_control(struct http_ctx *c)
{
	const char *name = c->seg[1];
	cJSON *out;
	int64_t head;

	if (c->nseg != 2) {
		http_reply_error(c->rep, 404, "not_found", "no such endpoint", NULL);
		return;
	}
	if (strcmp(name, "health") == 0) {
		if (strcmp(c->method, "GET") != 0) {
			http_method_not_allowed(c, "GET");
			return;
		}
		store_lock(c->s);
		head = store_head(c->s);
		store_unlock(c->s);
		if ((out = cJSON_CreateObject()) == NULL)
			fatal("http: out of memory");
		json_set_bool(out, "ok", 1);
		json_set_int(out, "head", head);
		http_reply_json(c->rep, 200, out);
		return;
	}
	if (strcmp(name, "faults") != 0 && strcmp(name, "digest") != 0 &&
	    strcmp(name, "ledger") != 0 && strcmp(name, "audit") != 0) {
		http_reply_error(c->rep, 404, "not_found", "no such endpoint", NULL);
		return;
	}
	if (http_auth(c) != 0)
		return;
	if (strcmp(name, "faults") == 0) {
		if (strcmp(c->method, "GET") != 0 && strcmp(c->method, "PUT") != 0)
			http_method_not_allowed(c, "GET, PUT");
		else if (http_require_admin(c) == 0)
			http_faults(c);
		return;
	}
	if (strcmp(c->method, "GET") != 0) {
		http_method_not_allowed(c, "GET");
		return;
	}
	if (strcmp(name, "digest") == 0)
		http_digest(c);
	else if (http_require_admin(c) != 0)
		return;
	else if (strcmp(name, "audit") == 0)
		http_audit(c);
	else
		http_ledger(c);
}

static void
http_route_v1(struct http_ctx *c)
{
	const char *m = c->method;
	int kind, get = strcmp(m, "GET") == 0, post = strcmp(m, "POST") == 0;

	if (http_auth(c) != 0 || http_rate_limit(c) != 0)
		return;
	/* What was scheduled for now happens before anyone looks. */
	actions_catalog_due(c->s);
	if (c->nseg == 2 && strcmp(c->seg[1], "me") == 0) {
		if (get)
			http_get_me(c);
		else
			http_method_not_allowed(c, "GET");
		return;
	}
	if (c->nseg == 2 && strcmp(c->seg[1], "store") == 0) {
		if (get)
			http_get_store(c);
		else
			http_method_not_allowed(c, "GET");
		return;
	}
	if (c->nseg == 3 && strcmp(c->seg[1], "reports") == 0) {
		if (!get)
			http_method_not_allowed(c, "GET");
		else if (strcmp(c->seg[2], "daily") == 0)
			http_report_daily(c);
		else
			http_reply_error(c->rep, 404, "not_found", "no such report (daily)", NULL);
		return;
	}
	if (c->nseg == 2 && strcmp(c->seg[1], "changes") == 0) {
		if (get)
			http_changes(c);
		else
			http_method_not_allowed(c, "GET");
		return;
	}
	if (c->nseg < 2 || c->nseg > 4 || (kind = kind_from_path(c->seg[1])) < 0) {
		http_reply_error(c->rep, 404, "not_found", "no such resource", NULL);
		return;
	}

	if (get) {
		if (!role_can_read(c->who->role, kind)) {
			http_reply_forbidden_read(c->rep, c->who->role, kind);
			return;
		}
		if (c->nseg == 2)
			http_list(c, kind, NULL);
		else if (c->nseg == 3)
			http_get_one(c, kind, c->seg[2]);
		else if (kind == KIND_CONVERSATION && strcmp(c->seg[3], "messages") == 0) {
			if (!role_can_read(c->who->role, KIND_MESSAGE))
				http_reply_forbidden_read(c->rep, c->who->role, KIND_MESSAGE);
			else
				http_list(c, KIND_MESSAGE, c->seg[2]);
		} else if (kind == KIND_SKU && strcmp(c->seg[3], "movements") == 0)
			http_sku_movements(c, c->seg[2]);
		else
			http_reply_error(c->rep, 404, "not_found", "no such resource", NULL);
		return;
	}
	if (post && c->nseg == 2)
		http_write(c, kind, NULL, NULL);
	else if (post && c->nseg == 4)
		http_write(c, kind, c->seg[2], c->seg[3]);
	else if (strcmp(m, "PATCH") == 0 && c->nseg == 3)
		http_write(c, kind, c->seg[2], NULL);
	else if (strcmp(m, "DELETE") == 0 && c->nseg == 3 && (kind == KIND_CANNED_REPLY ||
	    kind == KIND_PRODUCT || kind == KIND_CATEGORY))
		http_write(c, kind, c->seg[2], NULL);
	else if (c->nseg == 3)
		http_method_not_allowed(c, kind == KIND_CANNED_REPLY || kind == KIND_PRODUCT ||
		    kind == KIND_CATEGORY ?
		    "GET, PATCH, DELETE" : "GET, PATCH");
	else if (c->nseg == 4)
		http_method_not_allowed(c, "GET, POST");
	else
		http_method_not_allowed(c, "GET, POST");
}

/* Split the path into segments (in place in copy). */
static int
http_split(struct http_ctx *c, char *copy)
{
	char *p = copy, *seg;

	c->nseg = 0;
	if (*p == '/')
		p++;
	while ((seg = strsep(&p, "/")) != NULL) {
		if (*seg == '\0' && p == NULL && c->nseg > 0)
			break;	/* a trailing slash */
		if (*seg == '\0' || c->nseg == HTTP_MAX_SEGS)
			return -1;
		c->seg[c->nseg++] = seg;
	}
	return 0;
}

static void
http_route(struct http_ctx *c)
{
	char *copy = xstrdup(c->path);

	if (http_split(c, copy) != 0 || c->nseg == 0)
		http_reply_error(c->rep, 404, "not_found", "no such endpoint", NULL);
	else if (strcmp(c->seg[0], "v1") == 0)
		http_route_v1(c);
	else if (strcmp(c->seg[0], "_control") == 0)
		http_route_control(c);
	else
		http_reply_error(c->rep, 404, "not_found", "no such endpoint", NULL);
	free(copy);
}

/* --- libmicrohttpd glue --------------------------------------------------- */

/*
 * Hand out the body from pos, at most max bytes. With a bandwidth, a chunk
 * is handed out only once the time its bytes take at that rate has passed
 * since the first was asked for, so that the answer leaves no faster.
 */
static ssize_t
http_body_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct http_body *b = cls;
	uint64_t now, due;
	size_t n;

	if (pos >= b->cut)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	n = b->cut - pos;
	if (n > max)
		n = max;
	if (b->bandwidth != 0) {
		now = time_mono_us();
		if (b->start_us == 0)
			b->start_us = now;
		due = b->start_us + (pos + n) * 8 * 1000000 / b->bandwidth;
		if (due > now)
			http_sleep_ms(b->h, (int)((due - now + 999) / 1000));
		if (b->h->stopping)
			return MHD_CONTENT_READER_END_WITH_ERROR;
	}
	memcpy(out, b->body + pos, n);
	return (ssize_t)n;
}

/* The huge fault's body: {"pad":"xxx...x"}, HTTP_HUGE_BYTES long, made as it goes. */
static ssize_t
http_huge_read(void *cls, uint64_t pos, char *out, size_t max)
{
	static const char head[] = "{\"pad\":\"";
	size_t i, n;

	(void)cls;
	if (pos >= HTTP_HUGE_BYTES)
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = HTTP_HUGE_BYTES - pos < max ? (size_t)(HTTP_HUGE_BYTES - pos) : max;
	for (i = 0; i < n; i++) {
		uint64_t at = pos + i;

		if (at < sizeof head - 1)
			out[i] = head[at];
		else if (at == HTTP_HUGE_BYTES - 2)
			out[i] = '"';
		else if (at == HTTP_HUGE_BYTES - 1)
			out[i] = '}';
		else
			out[i] = 'x';
	}
	return (ssize_t)n;
}

static void
http_body_free(void *cls)
{
	struct http_body *b = cls;

	free(b->body);
	free(b);
}

/*
 * Whether an Accept-Encoding header allows gzip: "gzip" (or "x-gzip"), or
 * else "*", with a q-value above 0 (RFC 9110, 12.5.3).
 */
static int
http_accepts_gzip(const char *ae)
{
	const char *p = ae, *name, *q, *r;
	double gzip_q = -1, star_q = -1, v;
	size_t n;

	if (ae == NULL)
		return 0;
	while (*p != '\0') {
		p += strspn(p, " \t,");
		name = p;
		n = strcspn(p, " \t;,");
		v = 1;
		p += strcspn(p, ",");
		for (q = name + n; q < p; q++) {
			if (*q != ';')
				continue;
			r = q + 1 + strspn(q + 1, " \t");
			if ((*r == 'q' || *r == 'Q') && r[1] == '=')
				v = strtod(r + 2, NULL);
		}
		if ((n == 4 && strncasecmp(name, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(name, "x-gzip", 6) == 0))
			gzip_q = v;
		else if (n == 1 && *name == '*')
			star_q = v;
	}
	return gzip_q >= 0 ? gzip_q > 0 : star_q > 0;
}

/*
 * body (len bytes) compressed with gzip into *out; -1 when not smaller.
 * The window and the hash are no larger than the body needs: zlib's
 * defaults (32 kB and 8) take 256 kB, which malloc maps and faults in
 * afresh for each answer, where a write's answer of 3 kB fits a 4 kB
 * window and 32 kB in all, for the same bytes out or nearly.
 */
static int
http_gzip(const char *body, size_t len, int level, char **out, size_t *outlen)
{
	z_stream z;
	char *buf;
	size_t cap;
	int bits = 9, mem;

	while (bits < 15 && ((size_t)1 << bits) < len)
		bits++;
	mem = bits - 7 < 1 ? 1 : bits - 7 > 8 ? 8 : bits - 7;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, level, Z_DEFLATED, bits + 16, mem,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		fatal("http: cannot initialise zlib");
	cap = deflateBound(&z, (uLong)len);
	buf = xmalloc(cap);
	z.next_in = (const Bytef *)body;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		fatal("http: zlib could not compress an answer");
	*outlen = z.total_out;
	deflateEnd(&z);
	if (*outlen >= len) {
		free(buf);
		return -1;
	}
	*out = xrealloc(buf, *outlen);
	return 0;
}

/* Replace the answer by a 200 whose body is cut short and not JSON. */
static void
http_malform(struct http_reply *rep)
{
	static const char junk[] = "<<malformed>>";
	size_t half = rep->len / 2;
	char *body;

	body = xmalloc(half + sizeof junk);
	memcpy(body, rep->body, half);
	memcpy(body + half, junk, sizeof junk);
	free(rep->body);
	rep->body = body;
	rep->len = half + sizeof junk - 1;
	rep->status = 200;
}

/*
 * The headers fault on plain HTTP: the whole answer, its 10,000 extra header
 * lines and its body, written straight to the connection's socket, which is
 * then closed (MHD_NO). libmicrohttpd would build those headers in the
 * connection's memory pool, and a pool with room for them (512 kB) is zeroed
 * again before every request of every connection: half of the store's
 * instructions for a replay's writes. A client that gives up on the headers
 * halfway closes its end, which ends the writing (EPIPE, ECONNRESET).
 */
static enum MHD_Result
http_send_padded(struct MHD_Connection *conn, const struct http_reply *rep, int gzip)
{
	const union MHD_ConnectionInfo *ci;
	struct pollfd pfd;
	struct buf b;
	const char *reason;
	size_t off = 0;
	ssize_t n;
	int i;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL)
		return MHD_NO;
	reason = MHD_get_reason_phrase_for((unsigned)rep->status);
	buf_init(&b);
	buf_addf(&b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nCache-Control: no-store\r\n"
	    "Vary: Accept-Encoding\r\n%s", rep->status, reason != NULL ? reason : "",
	    HTTP_JSON_TYPE, gzip ? "Content-Encoding: gzip\r\n" : "");
	for (i = 0; i < rep->nhdr; i++)
		buf_addf(&b, "%s: %s\r\n", rep->hdr[i].name, rep->hdr[i].value);
	for (i = 0; i < HTTP_PAD_HEADERS; i++)
		buf_addf(&b, "X-Pad-%d: padding padding padding\r\n", i);
	buf_addf(&b, "Content-Length: %zu\r\nConnection: close\r\n\r\n", rep->len);
	buf_add(&b, rep->body, rep->len);
	pfd.fd = ci->connect_fd;
	pfd.events = POLLOUT;
	while (off < b.len) {
		n = send(ci->connect_fd, b.data + off, b.len - off, MSG_NOSIGNAL);
		if (n > 0)
			off += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			/* The client reads no more for 10 s: it has given up. */
			if (poll(&pfd, 1, 10000) <= 0)
				break;
		} else
			break;
	}
	buf_done(&b);
	return MHD_NO;
}

/*
 * Queue the answer: gzipped when the client accepts it and that is smaller,
 * cut in half for the truncate fault, paced to bandwidth bits/s when not 0.
 */
static enum MHD_Result
http_send(struct http *h, struct MHD_Connection *conn, struct http_reply *rep,
    int truncate, int gzip, uint64_t bandwidth, enum fault_kind hostile)
{
	struct MHD_Response *resp;
	struct http_body *b;
	enum MHD_Result ret;
	size_t zlen, block;
	char *z;
	int i;

	gzip = gzip && h->opts.gzip_level > 0 && rep->len >= HTTP_GZIP_MIN &&
	    http_gzip(rep->body, rep->len, h->opts.gzip_level, &z, &zlen) == 0;
	if (gzip) {
		free(rep->body);
		rep->body = z;
		rep->len = zlen;
	}
	if (hostile == FAULT_HEADERS && h->opts.tls_cert == NULL) {
		ret = http_send_padded(conn, rep, gzip);
		free(rep->body);
		rep->body = NULL;
		return ret;
	}
	if (hostile == FAULT_HUGE) {
		free(rep->body);
		rep->body = NULL;
		rep->status = 200;
		gzip = 0;
		resp = MHD_create_response_from_callback(HTTP_HUGE_BYTES, 65536,
		    http_huge_read, NULL, NULL);
	} else if ((truncate || bandwidth != 0) && rep->len > 0) {
		b = xcalloc(1, sizeof *b);
		b->h = h;
		b->body = rep->body;
		b->cut = truncate ? rep->len / 2 : rep->len;
		b->bandwidth = bandwidth;
		/* Paced answers go out in chunks of about 10 ms. */
		block = bandwidth != 0 ? (size_t)(bandwidth / 8 / 100) : 4096;
		block = block < 1024 ? 1024 : block > 65536 ? 65536 : block;
		resp = MHD_create_response_from_callback(rep->len, block,
		    http_body_read, b, http_body_free);
		if (resp == NULL)
			http_body_free(b);
	} else {
		resp = MHD_create_response_from_buffer(rep->len, rep->body,
		    MHD_RESPMEM_MUST_FREE);
		if (resp == NULL)
			free(rep->body);
	}
	rep->body = NULL;
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, HTTP_JSON_TYPE);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	if (gzip)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	for (i = 0; i < rep->nhdr; i++)
		MHD_add_response_header(resp, rep->hdr[i].name, rep->hdr[i].value);
	if (hostile == FAULT_HEADERS) {
		char name[32];

		for (i = 0; i < HTTP_PAD_HEADERS; i++) {
			snprintf(name, sizeof name, "X-Pad-%d", i);
			MHD_add_response_header(resp, name, "padding padding padding");
		}
	}
	ret = MHD_queue_response(conn, (unsigned)rep->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
http_log(struct http *h, struct http_ctx *c, const char *outcome)
{
	double ms;

	if (!h->opts.verbose)
		return;
	ms = (double)(time_mono_us() - c->req->start_us) / 1000.0;
	fprintf(stderr, "shopdesk-store: %s %s %d %zu %.1fms %s%s%s\n", c->method,
	    c->path, c->rep->status, c->rep->len, ms,
	    c->who != NULL ? c->who->login : "-", *outcome != '\0' ? " fault=" : "",
	    outcome);
}

static int
http_is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static enum MHD_Result
http_handle(struct http *h, struct MHD_Connection *conn, struct http_req *req,
    const char *url, const char *method)
{
	struct http_ctx c;
	struct http_reply rep;
	struct fault_decision fd;
	cJSON *details;

	memset(&c, 0, sizeof c);
	memset(&rep, 0, sizeof rep);
	c.h = h;
	c.s = h->store;
	c.conn = conn;
	c.req = req;
	c.method = method;
	c.path = url;
	c.rep = &rep;

	memset(&fd, 0, sizeof fd);
	if (strncmp(url, "/v1/", 4) == 0)
		faults_decide(h->faults, &fd);
	if (fd.delay_ms > 0)
		http_sleep_ms(h, fd.delay_ms);

	if (fd.kind == FAULT_DROP && !http_is_write(method)) {
		http_log(h, &c, "drop");
		return MHD_NO;
	}
	if (fd.kind == FAULT_HUGE && http_is_write(method))
		fd.kind = FAULT_NONE;	/* a write's answer is the action's */
	if (fd.kind == FAULT_HANG) {
		/* Silence, before anything is done: the client must give up. */
		http_log(h, &c, faults_kind_name(fd.kind));
		http_sleep_ms(h, HTTP_HANG_MS);
		return MHD_NO;
	}
	if (fd.kind == FAULT_5XX) {
		http_reply_error(&rep, fd.status, fd.status == 500 ? "internal" :
		    "unavailable", "injected fault: the store is unavailable", NULL);
	} else if (fd.kind == FAULT_429) {
		http_reply_error(&rep, 429, "rate_limited", "injected fault: too many "
		    "requests", NULL);
		http_reply_header(&rep, "Retry-After", "1");
	} else if (req->too_large) {
		if ((details = cJSON_CreateObject()) == NULL)
			fatal("http: out of memory");
		json_set_int(details, "max_bytes", HTTP_MAX_BODY);
		http_reply_error(&rep, 413, "bad_request", "the request body is larger "
		    "than 1 MiB", details);
	} else
		http_route(&c);
	if (rep.body == NULL)
		http_reply_error(&rep, 500, "internal", "no answer", NULL);

	switch (fd.kind) {
	case FAULT_DROP:
		http_log(h, &c, "drop");
		free(rep.body);
		return MHD_NO;
	case FAULT_MALFORMED:
		http_malform(&rep);
		break;
	default:
		break;
	}
	http_log(h, &c, fd.kind == FAULT_NONE ? "" : faults_kind_name(fd.kind));
	return http_send(h, conn, &rep, fd.kind == FAULT_TRUNCATE,
	    http_accepts_gzip(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING)), fd.bandwidth, fd.kind);
}

static void *
http_uri_log(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_req *req = xcalloc(1, sizeof *req);

	req->uri = xstrdup(uri);
	buf_init(&req->body);
	req->start_us = time_mono_us();
	return req;
}

static enum MHD_Result
http_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http *h = cls;
	struct http_req *req = *con_cls;

	if (req == NULL) {
		req = http_uri_log(h, url, conn);
		*con_cls = req;
	}
	if (!req->started) {
		req->started = 1;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (req->body.len + *upload_data_size > HTTP_MAX_BODY)
			req->too_large = 1;
		else
			buf_add(&req->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return http_handle(h, conn, req, url, method);
}

static void
http_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_req *req = *con_cls;

	if (req == NULL)
		return;
	free(req->uri);
	buf_done(&req->body);
	free(req);
	*con_cls = NULL;
}

/* Fill ss from the listen address and port; -1 with *cause. */
static int
http_sockaddr(const char *listen, int port, struct sockaddr_storage *ss, int *v6,
    char **cause)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, listen, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, listen, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*v6 = 1;
		return 0;
	}
	*cause = xasprintf("bad listen address \"%s\": give a numeric IPv4 or IPv6 "
	    "address", listen);
	return -1;
}

struct http *
http_start(struct store *s, struct faults *f, const struct http_opts *opts,
    char **cause)
{
	struct http *h;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	struct MHD_OptionItem tls[3];
	unsigned flags;
	int v6;

	h = xcalloc(1, sizeof *h);
	h->store = s;
	h->faults = f;
	h->opts = *opts;
	if (h->opts.listen == NULL)
		h->opts.listen = "127.0.0.1";
	if (h->opts.burst < 1)
		h->opts.burst = 1;
	if (h->opts.gzip_level == 0)
		h->opts.gzip_level = HTTP_GZIP_LEVEL;
	else if (h->opts.gzip_level > 9)
		h->opts.gzip_level = 9;
	if (pthread_mutex_init(&h->lock, NULL) != 0)
		fatal("http: cannot initialise lock");
	if (opts->port < 0 || opts->port > 65535) {
		*cause = xasprintf("bad port %d", opts->port);
		goto fail;
	}
	if (http_sockaddr(h->opts.listen, opts->port, &ss, &v6, cause) != 0)
		goto fail;

	flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_AUTO_INTERNAL_THREAD;
	if (v6)
		flags |= MHD_USE_IPv6;
	if (!opts->quiet)
		flags |= MHD_USE_ERROR_LOG;
	/* TLS: libmicrohttpd's own (GnuTLS), with the PEM texts in memory. */
	tls[0] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	if (opts->tls_cert != NULL || opts->tls_key != NULL) {
		if (opts->tls_cert == NULL || opts->tls_key == NULL) {
			*cause = xstrdup("TLS needs both a certificate and its key");
			goto fail;
		}
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			*cause = xstrdup("this libmicrohttpd was built without TLS "
			    "support");
			goto fail;
		}
		flags |= MHD_USE_TLS;
		tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0,
		    (void *)(uintptr_t)opts->tls_cert };
		tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0,
		    (void *)(uintptr_t)opts->tls_key };
		tls[2] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	}
	errno = 0;
	h->mhd = MHD_start_daemon(flags, (uint16_t)opts->port, NULL, NULL,
	    http_access, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_URI_LOG_CALLBACK, http_uri_log, h,
	    MHD_OPTION_NOTIFY_COMPLETED, http_completed, h,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
	    /*
	     * libmicrohttpd zeroes a connection's pool before each request
	     * (and half of it again once the request's headers are read), so
	     * its cost is its size, for every request: 32 kB (its default);
	     * 512 kB were half of the store's instructions (callgrind) for a
	     * replay's writes. On plain HTTP the headers fault does without it
	     * (http_send_padded()); under TLS its 380 kB of lines are built
	     * in the pool, which keeps room for them.
	     */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)((flags & MHD_USE_TLS) ?
	    HTTP_POOL_TLS : HTTP_POOL_BYTES),
	    MHD_OPTION_ARRAY, tls,
	    MHD_OPTION_END);
	if (h->mhd == NULL) {
		if (flags & MHD_USE_TLS)
			*cause = xasprintf("cannot serve TLS on %s port %d: check "
			    "that the certificate and the key are PEM and belong "
			    "together%s%s", h->opts.listen, opts->port,
			    errno != 0 ? "; " : "", errno != 0 ? strerror(errno) : "");
		else
			*cause = xasprintf("cannot listen on %s port %d: %s",
			    h->opts.listen, opts->port,
			    errno != 0 ? strerror(errno) : "unknown error");
		goto fail;
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info != NULL && info->port != 0 ? info->port : opts->port;
	return h;

fail:
	pthread_mutex_destroy(&h->lock);
	free(h);
	return NULL;
}

int
http_port(struct http *h)
{
	return h->port;
}

void
http_stop(struct http **hp)
{
	struct http *h;
	int i;

	if (hp == NULL || (h = *hp) == NULL)
		return;
	*hp = NULL;
	h->stopping = 1;
	MHD_stop_daemon(h->mhd);
	for (i = 0; i < HTTP_KEPT__COUNT; i++)
		sqlite3_finalize(h->kept[i]);
	pthread_mutex_destroy(&h->lock);
	free(h->buckets);
	free(h->nonces);
	free(h);
}
