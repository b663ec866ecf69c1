/*
 * api-medusa.c -- the Medusa v2 backend: transport and the change stream.
 *
 * Medusa has no change feed. A sync is a pass over its resources, each
 * polled by an updated_at window: everything changed since the window's
 * watermark W, in order of updated_at, page by page (keyset on the time;
 * when more than a page shares one millisecond, offset within it). Each run
 * starts OVERLAP_MS before W, so that a write committed late with an
 * earlier time is still seen, and the (id, time) pairs of that overlap
 * already delivered are remembered in the cursor, so that a sync with
 * nothing new delivers nothing. The traps Medusa sets are listed below.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "medusa.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/log.h"
#include "util/text.h"
#include "util/xmalloc.h"

/*
 * The traps, each verified against Medusa 2.21 (see shopdesk(1), MEDUSA):
 *
 *  - an after-sales list ordered by updated_at cannot join its order (500):
 *    the orders of returns, claims and exchanges are read in a second
 *    request (medusa_attach_orders);
 *  - payments, captures and refunds do not move the order's updated_at:
 *    payments are polled by their own window and their orders re-read;
 *    refunds move nothing that can be filtered, so the reconciliation pass
 *    (every "reconcile" seconds) lists refunds and re-reads their orders;
 *  - inventory items cannot be filtered by updated_at: every pass lists
 *    them with a few small fields and fetches whole only those whose
 *    item, levels, variant, product or price changed; that listing is also
 *    the complete set of SKUs, so deleted SKUs go at once;
 *  - deletions are soft, and a list leaves deleted records out even when
 *    asked with_deleted (customers, 2.21): the reconciliation pass sweeps
 *    each kind against the complete list of its ids (a record that does
 *    come with deleted_at set is a tombstone at once);
 *  - default fields omit currency and customer: every request names its
 *    fields (medusa-map.c);
 *  - errors are {type, message}; an unknown route answers HTML.
 *
 * A long poll (wait > 0) is a pass repeated every poll-interval seconds
 * until something changes, wait runs out, or the owner's wake flag is set.
 */

#define MAX_ATTEMPTS	6
#define OVERLAP_MS	2000
#define SEEN_MAX	256	/* (id, time) pairs remembered per window */
#define PAGE_MAX	200	/* objects per request for whole records */
#define IDS_PAGE	1000	/* ids per request for listings of ids */
#define ID_BATCH	50	/* ids per "id[]=" request */

/* --- transport -------------------------------------------------------------------- */

struct md_resp {
	struct buf	 body;
	int		 truncated;
	double		 retry_after;
};

static size_t
md_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct md_resp *r = arg;

	return backend_body_add(&r->body, &r->truncated, p, size * n);
}

static size_t
md_on_header(char *p, size_t size, size_t n, void *arg)
{
	struct md_resp *r = arg;

	if (size * n > 12 && strncasecmp(p, "Retry-After:", 12) == 0)
		r->retry_after = backend_retry_after(p + 12);
	return size * n;
}

static int
md_on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	const volatile int *stop = arg;

	return backend_interrupted() || (stop != NULL && *stop);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* "Authorization: Basic base64(key:)". */
static char *
md_basic(const char *key)
{
	char *plain = xasprintf("%s:", key), *out;
	size_t n = strlen(plain), i;
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "Authorization: Basic ");
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)plain[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned char)plain[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)plain[i + 2];
		q[0] = b64[(v >> 18) & 63];
		q[1] = b64[(v >> 12) & 63];
		q[2] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		buf_add(&b, q, 4);
	}
	explicit_bzero(plain, n);
	free(plain);
	out = buf_steal(&b);
	return out;
}

/* Medusa's error answer as a sentence: its message and type. */
static char *
md_describe(const char *method, const char *path, long http, const char *body)
{
	cJSON *root = cJSON_Parse(body);
	const char *type = json_str(root, "type"), *msg = json_str(root, "message");
	char *s, *q = strchr(path, '?'), *m, *t;
	int plen = q != NULL ? (int)(q - path) : (int)strlen(path);

	/* Medusa's words may hold what anyone typed: no control reaches a terminal. */
	if (msg != NULL) {
		m = text_sanitize(msg, 0);
		t = text_sanitize(type != NULL ? type : "", 0);
		if (strlen(m) > 500) {	/* a long message, cut at a character */
			size_t k = 497;

			while (k > 0 && ((unsigned char)m[k] & 0xc0) == 0x80)
				k--;
			strcpy(m + k, "...");
		}
		s = xasprintf("Medusa refused %s %.*s (HTTP %ld%s%s): %s", method, plen, path, http,
		    *t != '\0' ? " " : "", t, m);
		free(m);
		free(t);
	} else if (root == NULL && http == 404)
		s = xasprintf("Medusa has no route %s %.*s (HTTP 404, not JSON): is the url a "
		    "Medusa v2 server?", method, plen, path);
	else if (http == 429)
		s = xasprintf("Medusa is rate limiting us (429)");
	else
		s = xasprintf("Medusa answered HTTP %ld to %s %.*s", http, method, plen, path);
	cJSON_Delete(root);
	return s;
}

static enum sd_status
md_status_of(long http)
{
	if (http >= 200 && http < 300)
		return SD_OK;
	switch (http) {
	case 401:
	case 403:
		return SD_EAUTH;
	case 404:
		return SD_ENOTFOUND;
	case 409:
		return SD_ECONFLICT;
	case 400:
	case 422:
		return SD_EREFUSED;
	default:
		return http == 429 || http >= 500 ? SD_ESERVER : SD_EFAIL;
	}
}

/* Exchange the password for a JWT (emailpass). */
static enum sd_status
md_login(struct medusa *md, CURL *easy, char **cause)
{
	cJSON *body = cJSON_CreateObject(), *out = NULL;
	enum sd_status st;
	long http;
	enum medusa_auth saved = md->auth;

	json_set_str(body, "email", md->user);
	json_set_str(body, "password", md->secret);
	md->auth = MEDUSA_AUTH_KEY;	/* no Authorization on the login itself */
	free(md->jwt);
	md->jwt = NULL;
	st = medusa_call(md, easy, "POST", "/auth/user/emailpass", body, 2, NULL, &http, &out,
	    cause);
	md->auth = saved;
	cJSON_Delete(body);
	if (st == SD_OK && json_str(out, "token") != NULL)
		md->jwt = xstrdup(json_str(out, "token"));
	else if (st == SD_OK) {
		*cause = xstrdup("Medusa's login answered without a token");
		st = SD_EAUTH;
	} else if (http == 401) {
		free(*cause);
		*cause = xasprintf("Medusa refused the password of %s (check the token file)",
		    md->user);
		st = SD_EAUTH;
	}
	cJSON_Delete(out);
	return st;
}

/* One attempt: SD_OK when an answer arrived, whatever its status. */
static enum sd_status
md_perform(struct medusa *md, CURL *easy, const char *method, const char *path,
    const char *body, const volatile int *stop, long *http, struct md_resp *r, char **cause)
{
	char errbuf[CURL_ERROR_SIZE], *url, *h = NULL;
	struct curl_slist *hdrs = NULL;
	CURLcode cc;

	buf_reset(&r->body);
	r->truncated = 0;
	r->retry_after = 0;
	*http = 0;
	url = xasprintf("%s%s", md->base, path);
	backend_curl_prepare(easy, url, md->timeout, md->ca_file, errbuf);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, md_on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, md_on_header);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, md_on_progress);
	curl_easy_setopt(easy, CURLOPT_XFERINFODATA, (void *)stop);
	if (md->auth == MEDUSA_AUTH_KEY && strncmp(path, "/auth/", 6) != 0)
		h = md_basic(md->secret);
	else if (md->jwt != NULL)
		h = xasprintf("Authorization: Bearer %s", md->jwt);
	if (h != NULL) {
		hdrs = curl_slist_append(hdrs, h);
		explicit_bzero(h, strlen(h));
		free(h);
	}
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	if (body != NULL) {
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (strcmp(method, "GET") != 0)
		curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, hdrs);
	cc = curl_easy_perform(easy);
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, http);
	md->bytes += r->body.len;
	md->wire_bytes += backend_curl_wire_bytes(easy);
	curl_slist_free_all(hdrs);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, NULL);
	log_debug("medusa %s %s -> %ld (%s)", method, path, *http,
	    cc == CURLE_OK ? "ok" : curl_easy_strerror(cc));
	free(url);
	if (cc == CURLE_OK)
		return SD_OK;
	*http = 0;
	if (cc == CURLE_ABORTED_BY_CALLBACK) {
		*cause = xstrdup("interrupted");
		return SD_EINTR;
	}
	if (r->truncated)
		*cause = xasprintf("Medusa's answer to %s is larger than %u MiB", path,
		    BACKEND_MAX_BODY >> 20);
	else
		*cause = backend_curl_cause("Medusa", md->base, cc, errbuf);
	return SD_ENETWORK;
}

enum sd_status
medusa_call(struct medusa *md, CURL *easy, const char *method, const char *path,
    const cJSON *body, int attempts, const volatile int *stop, long *http, cJSON **out,
    char **cause)
{
	struct md_resp r;
	enum sd_status st;
	char *text = body != NULL ? json_print(body) : NULL;
	int attempt, relogin = md->auth == MEDUSA_AUTH_EMAILPASS;
	cJSON *parsed;

	*out = NULL;
	buf_init(&r.body);
	if (md->auth == MEDUSA_AUTH_EMAILPASS && md->jwt == NULL &&
	    strncmp(path, "/auth/", 6) != 0 && (st = md_login(md, easy, cause)) != SD_OK)
		goto done;
	for (attempt = 0;; attempt++) {
		free(*cause);
		*cause = NULL;
		st = md_perform(md, easy, method, path, text, stop, http, &r, cause);
		if (st == SD_OK) {
			json_nul_replace(r.body.data, r.body.len);
			parsed = cJSON_ParseWithLength(buf_str(&r.body), r.body.len);
			st = md_status_of(*http);
			if (st == SD_OK && !cJSON_IsObject(parsed)) {
				*cause = xasprintf("Medusa sent a malformed answer to %s %s", method,
				    path);
				st = SD_ESERVER;
			} else if (st != SD_OK)
				*cause = md_describe(method, path, *http, buf_str(&r.body));
			if (st == SD_OK || cJSON_IsObject(parsed)) {
				cJSON_Delete(*out);
				*out = parsed;
			} else
				cJSON_Delete(parsed);
		}
		/* An expired JWT: log in again, once. */
		if (*http == 401 && relogin && strncmp(path, "/auth/", 6) != 0) {
			relogin = 0;
			free(*cause);
			*cause = NULL;
			if ((st = md_login(md, easy, cause)) != SD_OK)
				break;
			attempt--;
			continue;
		}
		if (st == SD_OK || st == SD_EINTR || attempt + 1 >= attempts ||
		    !(st == SD_ENETWORK || *http == 429 || *http >= 500))
			break;
		log_debug("medusa: retrying %s after: %s", path, *cause);
		backend_nap(backend_backoff_ms(attempt, r.retry_after), stop);
		if (backend_interrupted() || (stop != NULL && *stop)) {
			free(*cause);
			*cause = xstrdup("interrupted");
			st = SD_EINTR;
			break;
		}
	}
done:
	buf_done(&r.body);
	if (text != NULL)
		cJSON_free(text);
	return st;
}

const char *
medusa_currency_of(struct medusa *md)
{
	cJSON *root = NULL, *c;
	char *cause = NULL;

	if (md->currency != NULL)
		return md->currency;
	if (medusa_get(md, "/admin/stores?limit=1&fields=id,*supported_currencies", &root,
	    &cause) == SD_OK)
		cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
		    cJSON_GetObjectItemCaseSensitive(root, "stores"), 0), "supported_currencies"))
			if (json_str(c, "currency_code") != NULL &&
			    (md->currency == NULL || json_bool(c, "is_default"))) {
				free(md->currency);
				md->currency = xstrdup(json_str(c, "currency_code"));
			}
	free(cause);
	cJSON_Delete(root);
	return md->currency;
}

enum sd_status
medusa_get(struct medusa *md, const char *path, cJSON **out, char **cause)
{
	long http;
	enum sd_status st;

	st = medusa_call(md, md->easy, "GET", path, NULL, MAX_ATTEMPTS, NULL, &http, out, cause);
	if (st != SD_OK) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return st;
}

/* --- opening ---------------------------------------------------------------------- */

static struct backend *
medusa_open(const struct config *conf, char **cause)
{
	struct medusa *md;
	struct backend *be;
	enum medusa_auth auth;
	size_t n;

	backend_curl_init();
	if (backend_check_url(conf, cause) != 0)
		return NULL;
	if (conf->auth == NULL || strcmp(conf->auth, "api-key") == 0)
		auth = MEDUSA_AUTH_KEY;
	else if (strcmp(conf->auth, "emailpass") == 0)
		auth = MEDUSA_AUTH_EMAILPASS;
	else if (strcmp(conf->auth, "bearer") == 0)
		auth = MEDUSA_AUTH_BEARER;
	else {
		*cause = xasprintf("profile %s: auth = %s is not one of api-key, emailpass, "
		    "bearer", conf->profile, conf->auth);
		return NULL;
	}
	if (auth == MEDUSA_AUTH_EMAILPASS && conf->user == NULL) {
		*cause = xasprintf("profile %s: auth = emailpass needs user = the admin's e-mail",
		    conf->profile);
		return NULL;
	}
	if (conf->token == NULL) {
		*cause = xstrdup("no token loaded");
		return NULL;
	}
	if (conf->role != NULL && role_from_name(conf->role) < 0) {
		*cause = xasprintf("profile %s: role = %s is not one of admin, ops, finance, "
		    "agent, warehouse", conf->profile, conf->role);
		return NULL;
	}
	md = xcalloc(1, sizeof *md);
	md->base = xstrdup(conf->url);
	n = strlen(md->base);
	while (n > 0 && md->base[n - 1] == '/')
		md->base[--n] = '\0';
	md->auth = auth;
	md->secret = xstrdup(conf->token);
	md->user = conf->user != NULL ? xstrdup(conf->user) : NULL;
	if (auth == MEDUSA_AUTH_BEARER)
		md->jwt = xstrdup(conf->token);
	md->role = xstrdup(conf->role != NULL ? conf->role : "admin");
	md->location = conf->stock_location != NULL ? xstrdup(conf->stock_location) : NULL;
	md->ca_file = conf->ca_file != NULL ? xstrdup(conf->ca_file) : NULL;
	md->timeout = conf->timeout > 0 ? conf->timeout : 30;
	md->poll_interval = conf->poll_interval < 1 ? 1 : conf->poll_interval > 300 ? 300 :
	    conf->poll_interval;
	md->reconcile = conf->reconcile < 10 ? 10 : conf->reconcile;
	if ((md->easy = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");
	be = xcalloc(1, sizeof *be);
	be->ops = &backend_medusa_ops;
	be->priv = md;
	return be;
}

static void
medusa_free(struct backend *be)
{
	struct medusa *md = be->priv;

	curl_easy_cleanup(md->easy);
	free(md->base);
	explicit_bzero(md->secret, strlen(md->secret));
	free(md->secret);
	if (md->jwt != NULL)
		explicit_bzero(md->jwt, strlen(md->jwt));
	free(md->jwt);
	free(md->user);
	free(md->role);
	free(md->location);
	free(md->currency);
	free(md->ca_file);
	free(md);
	free(be);
}

/* --- the cursor: one window per resource ------------------------------------------ */

struct seen {
	uint32_t	 hash;		/* of id and time */
	long long	 ms;
};

struct window {
	long long	 w;		/* watermark: the latest time delivered */
	struct seen	 seen[SEEN_MAX];
	int		 nseen;
};

enum md_step {
	STEP_USERS,
	STEP_CUSTOMERS,
	STEP_CATEGORIES,
	STEP_PRODUCTS,
	STEP_SKUS,
	STEP_PROMOTIONS,
	STEP_ORDERS,
	STEP_RETURNS,
	STEP_CLAIMS,
	STEP_EXCHANGES,
	STEP_PAYMENTS,
	STEP_BUYERS,		/* the customers of changed orders, for their figures */
	STEP_REFUNDS,		/* reconciliation: orders with new refunds */
	STEP_SWEEP,		/* reconciliation: deletions, one kind per page */
	STEP_DONE
};

/* The windowed resources, by step. */
static const struct md_res {
	enum md_step	 step;
	const char	*key;		/* in the cursor */
	const char	*path;
	const char	*list;		/* the list's member in the answer */
	const char	*fields;
	/* What a later sync asks first, to learn what changed (then fetched whole). */
	const char	*light;
	enum sd_kind	 kind;
	int		 deletable;	/* has deleted_at: one set is a tombstone */
} md_res[] = {
	{ STEP_USERS, "u", "/admin/users", "users", medusa_user_fields,
	  "id,updated_at,deleted_at", KIND_USER, 1 },
	{ STEP_CUSTOMERS, "c", "/admin/customers", "customers", medusa_customer_fields,
	  "id,updated_at,deleted_at", KIND_CUSTOMER, 1 },
	{ STEP_CATEGORIES, "g", "/admin/product-categories", "product_categories",
	  medusa_category_fields, "id,updated_at,deleted_at", KIND_CATEGORY, 1 },
	{ STEP_PRODUCTS, "p", "/admin/products", "products", medusa_product_fields,
	  "id,updated_at,deleted_at", KIND_PRODUCT, 1 },
	{ STEP_SKUS, "i", "/admin/inventory-items", "inventory_items", medusa_sku_fields,
	  NULL, KIND_SKU, 0 },
	{ STEP_PROMOTIONS, "m", "/admin/promotions", "promotions", medusa_promotion_fields,
	  "id,updated_at,deleted_at", KIND_PROMOTION, 1 },
	{ STEP_ORDERS, "o", "/admin/orders", "orders", medusa_order_fields,
	  "id,updated_at,deleted_at", KIND_ORDER, 1 },
	{ STEP_RETURNS, "r", "/admin/returns", "returns", medusa_return_fields,
	  "id,updated_at,claim_id,exchange_id", KIND_TICKET, 0 },
	{ STEP_CLAIMS, "k", "/admin/claims", "claims", medusa_claim_fields, "id,updated_at",
	  KIND_TICKET, 0 },
	{ STEP_EXCHANGES, "x", "/admin/exchanges", "exchanges", medusa_exchange_fields,
	  "id,updated_at", KIND_TICKET, 0 },
	{ STEP_PAYMENTS, "y", "/admin/payments", "payments",
	  "id,updated_at,payment_collection.order.id", "id,updated_at,payment_collection.order.id",
	  KIND_ORDER, 0 },
};
#define NRES (sizeof md_res / sizeof md_res[0])

/* The kinds a sweep checks, and where their ids come from. */
static const enum sd_kind md_sweep_kinds[] = {
	KIND_USER, KIND_CUSTOMER, KIND_CATEGORY, KIND_PRODUCT, KIND_PROMOTION, KIND_ORDER,
	KIND_TICKET
};
#define NSWEEP (sizeof md_sweep_kinds / sizeof md_sweep_kinds[0])

struct md_cursor {
	struct window	 win[NRES];
	long long	 reconciled;	/* ms of the last reconciliation, 0: never */
};

static uint32_t
md_hash(const char *id, long long ms)
{
	uint32_t h = 2166136261u;
	const char *p;

	for (p = id; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (; ms != 0; ms >>= 8)
		h = (h ^ (unsigned)(ms & 0xff)) * 16777619u;
	return h;
}

static int
md_cursor_parse(const char *text, struct md_cursor *cur)
{
	const char *p = text;
	char key[8], *end;
	size_t i, k;

	memset(cur, 0, sizeof *cur);
	if (text == NULL || *text == '\0')
		return 0;
	if (strncmp(p, "medusa1", 7) != 0)
		return -1;
	p += 7;
	while (*p == ' ')
		p++;
	while (*p != '\0') {
		for (k = 0; isalpha((unsigned char)*p) && k < sizeof key - 1; p++)
			key[k++] = *p;
		key[k] = '\0';
		if (*p++ != '=')
			return -1;
		if (strcmp(key, "rec") == 0) {
			cur->reconciled = strtoll(p, &end, 10);
			p = end;
		} else {
			struct window *w = NULL;

			for (i = 0; i < NRES; i++)
				if (strcmp(md_res[i].key, key) == 0)
					w = &cur->win[i];
			if (w == NULL)
				return -1;
			w->w = strtoll(p, &end, 10);
			p = end;
			while (*p == ':' && w->nseen < SEEN_MAX) {
				w->seen[w->nseen].hash = (uint32_t)strtoul(p + 1, &end, 16);
				if (*end != '.')
					return -1;
				w->seen[w->nseen].ms = w->w - strtoll(end + 1, &end, 10);
				w->nseen++;
				p = end;
			}
		}
		if (*p != ' ' && *p != '\0')
			return -1;
		while (*p == ' ')
			p++;
	}
	return 0;
}

static char *
md_cursor_print(const struct md_cursor *cur)
{
	struct buf b;
	size_t i;
	int j;

	buf_init(&b);
	buf_adds(&b, "medusa1");
	for (i = 0; i < NRES; i++) {
		const struct window *w = &cur->win[i];

		buf_addf(&b, " %s=%lld", md_res[i].key, w->w);
		for (j = 0; j < w->nseen; j++)
			buf_addf(&b, ":%08x.%lld", w->seen[j].hash, w->w - w->seen[j].ms);
	}
	buf_addf(&b, " rec=%lld", cur->reconciled);
	return buf_steal(&b);
}

static int
window_seen(const struct window *w, uint32_t h, long long ms)
{
	int i;

	for (i = 0; i < w->nseen; i++)
		if (w->seen[i].hash == h && w->seen[i].ms == ms)
			return 1;
	return 0;
}

/* Remember (h, ms) and move the watermark; forget what left the overlap. */
static void
window_note(struct window *w, uint32_t h, long long ms)
{
	int i, j;

	if (ms > w->w)
		w->w = ms;
	for (i = j = 0; i < w->nseen; i++)
		if (w->seen[i].ms >= w->w - OVERLAP_MS)
			w->seen[j++] = w->seen[i];
	w->nseen = j;
	if (ms < w->w - OVERLAP_MS)
		return;
	if (w->nseen == SEEN_MAX) {	/* full: drop the oldest, re-delivery is harmless */
		memmove(&w->seen[0], &w->seen[1], (SEEN_MAX - 1) * sizeof w->seen[0]);
		w->nseen--;
	}
	w->seen[w->nseen].hash = h;
	w->seen[w->nseen].ms = ms;
	w->nseen++;
}

/* --- the stream ------------------------------------------------------------------- */

/* A set of ids (sorted array), for what a pass has delivered or must fetch. */
struct idset {
	char		**v;
	size_t		 n;
};

static int
idset_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
idset_has(const struct idset *s, const char *id)
{
	return s->n != 0 && bsearch(&id, s->v, s->n, sizeof *s->v, idset_cmp) != NULL;
}

static void
idset_add(struct idset *s, const char *id)
{
	size_t lo = 0, hi = s->n, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(s->v[mid], id)) == 0)
			return;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	memmove(&s->v[lo + 1], &s->v[lo], (s->n - lo) * sizeof *s->v);
	s->v[lo] = xstrdup(id);
	s->n++;
}

static void
idset_clear(struct idset *s)
{
	while (s->n > 0)
		free(s->v[--s->n]);
	free(s->v);
	s->v = NULL;
}

struct change_stream {
	struct medusa	*md;
	CURL		*easy;
	struct md_cursor cur;
	int		 first;		/* no cursor: the first sync */
	enum md_step	 step;
	/* Within a windowed step. */
	int		 started;	/* the step's first page was asked */
	long long	 lo;		/* this page's lower bound (ms) */
	long		 eqoff;		/* offset within lo, when a page is all at lo */
	int		 light;		/* ask ids and times first (not a first sync) */
	int		 limit;
	/* Within a pass. */
	long		 pass_changes;
	struct idset	 orders_done;	/* orders delivered this pass */
	struct idset	 customers_done;
	struct idset	 buyers;	/* customers of changed orders */
	struct idset	 refetch;	/* orders to read again (payments, refunds) */
	struct idset	 cases;		/* claims and exchanges whose return changed */
	struct idset	 tickets_done;	/* returns, claims, exchanges delivered this pass */
	cJSON		*agg;		/* the orders of the customers on a page */
	int		 reconcile;	/* this pass reconciles */
	size_t		 sweep_next;	/* index into md_sweep_kinds */
	/* Long poll. */
	int		 wait;
	uint64_t	 deadline_ms;
	int		 ended;
};

static long long
md_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t
md_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Add a change to the page; takes obj. */
static void
page_add(struct change_page *pg, size_t *cap, enum sd_kind k, cJSON *obj, const char *id,
    int deleted)
{
	struct change *ch;

	if (pg->n == *cap) {
		*cap = *cap == 0 ? 64 : *cap * 2;
		pg->changes = xrealloc(pg->changes, *cap * sizeof *pg->changes);
	}
	if (pg->root == NULL)
		pg->root = cJSON_CreateArray();
	ch = &pg->changes[pg->n++];
	memset(ch, 0, sizeof *ch);
	ch->kind = k;
	ch->deleted = deleted;
	if (obj == NULL) {
		obj = cJSON_CreateObject();
		json_set_str(obj, "id", id);
	}
	cJSON_AddItemToArray(pg->root, obj);
	/* The page's root owns the object; id and object point into it. */
	ch->id = json_str(obj, "id");
	ch->object = deleted ? NULL : obj;
}

/* A Medusa record as v1 changes on the page (a claim may need its return). */
static void
page_add_record(struct change_stream *s, struct change_page *pg, size_t *cap,
    const struct md_res *res, const cJSON *rec)
{
	const char *id = json_str(rec, "id");
	cJSON *obj = NULL;

	if (id == NULL)
		return;
	if (res->deletable && json_str(rec, "deleted_at") != NULL) {
		page_add(pg, cap, res->kind, NULL, id, 1);
		return;
	}
	switch (res->step) {
	case STEP_USERS:
		obj = medusa_map_user(rec, s->md->role);
		break;
	case STEP_CUSTOMERS:
	case STEP_BUYERS:
		obj = medusa_map_customer(rec, s->agg);
		idset_add(&s->customers_done, id);
		break;
	case STEP_CATEGORIES:
		obj = medusa_map_category(rec);
		break;
	case STEP_PRODUCTS:
		obj = medusa_map_product(rec);
		break;
	case STEP_SKUS:
		obj = medusa_map_sku(rec, medusa_currency_of(s->md));
		break;
	case STEP_PROMOTIONS:
		obj = medusa_map_promotion(rec);
		break;
	case STEP_ORDERS:
	case STEP_PAYMENTS:
	case STEP_REFUNDS:
		obj = medusa_map_order(rec);
		idset_add(&s->orders_done, id);
		if (json_str(rec, "customer_id") != NULL &&
		    !idset_has(&s->customers_done, json_str(rec, "customer_id")))
			idset_add(&s->buyers, json_str(rec, "customer_id"));
		break;
	case STEP_RETURNS:
		/* A claim's or exchange's return is part of that ticket. */
		if (json_str(rec, "claim_id") != NULL || json_str(rec, "exchange_id") != NULL) {
			idset_add(&s->cases, json_str(rec, "claim_id") != NULL ?
			    json_str(rec, "claim_id") : json_str(rec, "exchange_id"));
			return;
		}
		if (idset_has(&s->tickets_done, id))
			return;
		obj = medusa_map_return(rec);
		idset_add(&s->tickets_done, id);
		break;
	case STEP_CLAIMS:
		obj = medusa_map_claim(rec);
		idset_add(&s->tickets_done, id);
		break;
	case STEP_EXCHANGES:
		obj = medusa_map_exchange(rec);
		idset_add(&s->tickets_done, id);
		break;
	default:
		break;
	}
	if (obj != NULL)
		page_add(pg, cap, res->kind, obj, NULL, 0);
}

/* "&id[]=a&id[]=b" for up to ID_BATCH ids of set from *at, advancing it. */
static char *
md_id_query(const char *param, const struct idset *set, size_t *at)
{
	struct buf b;
	size_t end = *at + ID_BATCH < set->n ? *at + ID_BATCH : set->n;
	char *esc;

	buf_init(&b);
	for (; *at < end; (*at)++) {
		esc = curl_easy_escape(NULL, set->v[*at], 0);
		buf_addf(&b, "&%s[]=%s", param, esc);
		curl_free(esc);
	}
	return buf_steal(&b);
}

enum sd_status
medusa_attach_orders(struct medusa *md, CURL *easy, cJSON *records, unsigned *requests,
    char **cause)
{
	struct buf q;
	cJSON *rec, *root = NULL, *o;
	const char *oid;
	enum sd_status st;
	char *esc;
	long http;
	int n = 0;

	buf_init(&q);
	buf_addf(&q, "/admin/orders?limit=%d&fields=id,currency_code,customer_id,email,"
	    "customer.first_name,customer.last_name,payment_collections.payments.id,"
	    "payment_collections.payments.refunds.note,payment_collections.payments.refunds."
	    "amount,payment_collections.payments.refunds.raw_amount,payment_collections."
	    "payments.refunds.created_at", cJSON_GetArraySize(records) + 1);
	cJSON_ArrayForEach(rec, records)
		if ((oid = json_str(rec, "order_id")) != NULL) {
			esc = curl_easy_escape(NULL, oid, 0);
			buf_addf(&q, "&id[]=%s", esc);
			curl_free(esc);
			n++;
		}
	if (n == 0) {
		buf_done(&q);
		return SD_OK;
	}
	if (requests != NULL)
		(*requests)++;
	st = medusa_call(md, easy, "GET", buf_str(&q), NULL, MAX_ATTEMPTS, NULL, &http, &root,
	    cause);
	buf_done(&q);
	if (st != SD_OK) {
		cJSON_Delete(root);
		return st;
	}
	cJSON_ArrayForEach(rec, records) {
		oid = json_str(rec, "order_id");
		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(root, "orders"))
			if (oid != NULL && json_str(o, "id") != NULL &&
			    strcmp(json_str(o, "id"), oid) == 0) {
				json_set(rec, "order", cJSON_Duplicate(o, 1));
				break;
			}
	}
	cJSON_Delete(root);
	return SD_OK;
}

/* GET a list; the array, detached into *items (caller frees). */
static enum sd_status
md_list(struct change_stream *s, const char *path, const char *member, cJSON **items,
    long long *count, unsigned *requests, char **cause)
{
	enum sd_status st;
	cJSON *root = NULL;
	long http;

	(*requests)++;
	st = medusa_call(s->md, s->easy, "GET", path, NULL, MAX_ATTEMPTS, NULL, &http, &root,
	    cause);
	if (st != SD_OK) {
		cJSON_Delete(root);
		return st;
	}
	*items = cJSON_DetachItemFromObjectCaseSensitive(root, member);
	if (count != NULL)
		*count = json_int(root, "count", -1);
	cJSON_Delete(root);
	if (!cJSON_IsArray(*items)) {
		cJSON_Delete(*items);
		*items = NULL;
		*cause = xasprintf("Medusa's answer to %s has no %s list", path, member);
		return SD_ESERVER;
	}
	return SD_OK;
}

/* The orders of the customers in the array, for their figures, into s->agg. */
static enum sd_status
md_attach_orders(struct change_stream *s, cJSON *customers, unsigned *requests, char **cause)
{
	struct idset ids = { NULL, 0 };
	cJSON *c, *orders, *figures = cJSON_CreateObject();
	enum sd_status st = SD_OK;
	char *q, *path;
	size_t at = 0;
	long off;
	long long count;

	cJSON_ArrayForEach(c, customers)
		if (json_str(c, "id") != NULL)
			idset_add(&ids, json_str(c, "id"));
	while (st == SD_OK && at < ids.n) {
		q = md_id_query("customer_id", &ids, &at);
		/* Order rows come with their items whatever the fields: small pages. */
		for (off = 0; st == SD_OK; off += PAGE_MAX) {
			path = xasprintf("/admin/orders?fields=id,customer_id,total,status,"
			    "currency_code&limit=%d&offset=%ld%s", PAGE_MAX, off, q);
			st = md_list(s, path, "orders", &orders, &count, requests, cause);
			free(path);
			if (st != SD_OK)
				break;
			medusa_figures_add(figures, orders);
			cJSON_Delete(orders);
			if (off + PAGE_MAX >= count)
				break;
		}
		free(q);
	}
	idset_clear(&ids);
	cJSON_Delete(s->agg);
	s->agg = figures;
	return st;
}

/* Fetch whole the records of set (by id, in batches) onto the page. */
static enum sd_status md_fetch_set(struct change_stream *, const struct md_res *,
    struct idset *, struct change_page *, char **);

/*
 * One page of a windowed resource: everything changed since the window's
 * watermark (less the overlap at the start of the step), by time. A first
 * sync asks for whole records; a later one asks for ids and times, so that
 * nothing new costs one small answer, and fetches whole only what changed.
 */
static enum sd_status
md_window_page(struct change_stream *s, const struct md_res *res, struct window *w,
    struct change_page *pg, int *step_done, char **cause)
{
	struct idset fetch = { NULL, 0 };
	cJSON *items = NULL, *rec;
	enum sd_status st = SD_OK;
	char iso[MEDUSA_ISO_LEN], *path, *filter;
	long long ms, top = -1, count = 0;
	size_t cap = 0;
	int n = 0, at_lo = 0, light, page;
	uint32_t h;

	if (!s->started) {
		s->started = 1;
		s->lo = w->w > 0 ? w->w - OVERLAP_MS : 0;
		s->eqoff = 0;
		s->light = w->w > 0;
	}
	light = s->light;
	page = light || res->step == STEP_PAYMENTS ? IDS_PAGE : s->limit;
	medusa_iso(s->lo, iso);
	if (s->eqoff > 0)
		filter = xasprintf("updated_at[$eq]=%s&order=id&offset=%ld", iso, s->eqoff);
	else if (s->lo > 0)
		filter = xasprintf("updated_at[$gte]=%s&order=updated_at", iso);
	else
		filter = xstrdup("order=updated_at");
	path = xasprintf("%s?%s&limit=%d&fields=%s", res->path, filter, page,
	    light ? res->light : res->fields);
	free(filter);
	st = md_list(s, path, res->list, &items, &count, &pg->requests, cause);
	free(path);
	if (st != SD_OK)
		return st;
	if (!light && res->step == STEP_CUSTOMERS)
		st = md_attach_orders(s, items, &pg->requests, cause);
	else if (!light && res->kind == KIND_TICKET)
		st = medusa_attach_orders(s->md, s->easy, items, &pg->requests, cause);
	if (st != SD_OK) {
		cJSON_Delete(items);
		return st;
	}
	cJSON_ArrayForEach(rec, items) {
		const char *id = json_str(rec, "id");

		n++;
		ms = medusa_ms(json_str(rec, "updated_at"));
		if (id == NULL || ms < 0)
			continue;
		if (ms > top)
			top = ms;
		if (ms == s->lo)
			at_lo++;
		h = md_hash(id, ms);
		if (window_seen(w, h, ms))
			continue;
		window_note(w, h, ms);
		if (res->step == STEP_PAYMENTS) {
			const char *oid = json_str(cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(rec, "payment_collection"), "order"),
			    "id");

			if (oid != NULL && !idset_has(&s->orders_done, oid))
				idset_add(&s->refetch, oid);
		} else if (light && (json_str(rec, "deleted_at") != NULL ||
		    json_str(rec, "claim_id") != NULL || json_str(rec, "exchange_id") != NULL))
			page_add_record(s, pg, &cap, res, rec);	/* a tombstone, or a case */
		else if (light)
			idset_add(&fetch, id);
		else
			page_add_record(s, pg, &cap, res, rec);
	}
	cJSON_Delete(items);
	cJSON_Delete(s->agg);
	s->agg = NULL;
	if (fetch.n > 0)
		st = md_fetch_set(s, res, &fetch, pg, cause);
	idset_clear(&fetch);
	if (st != SD_OK)
		return st;
	if (n < page) {
		if (s->eqoff > 0) {	/* the millisecond is done: on past it */
			s->eqoff = 0;
			s->lo++;
			*step_done = 0;
			return SD_OK;
		}
		*step_done = 1;
	} else if (s->eqoff > 0)
		s->eqoff += page;
	else if (top == s->lo && at_lo == n)
		s->eqoff = page;	/* a whole page in one millisecond */
	else
		s->lo = top;
	return SD_OK;
}

static enum sd_status
md_fetch_set(struct change_stream *s, const struct md_res *res, struct idset *set,
    struct change_page *pg, char **cause)
{
	cJSON *items, *rec;
	enum sd_status st = SD_OK;
	char *q, *path;
	size_t at = 0, cap = pg->n;

	while (st == SD_OK && at < set->n) {
		q = md_id_query("id", set, &at);
		path = xasprintf("%s?limit=%d&fields=%s%s", res->path, ID_BATCH, res->fields, q);
		free(q);
		st = md_list(s, path, res->list, &items, NULL, &pg->requests, cause);
		free(path);
		if (st != SD_OK)
			break;
		if (res->step == STEP_CUSTOMERS)
			st = md_attach_orders(s, items, &pg->requests, cause);
		else if (res->kind == KIND_TICKET)
			st = medusa_attach_orders(s->md, s->easy, items, &pg->requests, cause);
		if (st != SD_OK) {
			cJSON_Delete(items);
			break;
		}
		cJSON_ArrayForEach(rec, items)
			page_add_record(s, pg, &cap, res, rec);
		cJSON_Delete(items);
		cJSON_Delete(s->agg);
		s->agg = NULL;
	}
	return st;
}

static const struct md_res *
md_res_of(enum md_step step)
{
	size_t i;

	for (i = 0; i < NRES; i++)
		if (md_res[i].step == step)
			return &md_res[i];
	return NULL;
}

/*
 * SKUs: inventory items cannot be filtered by time, so list every item
 * with the times of what a SKU is made of, fetch whole those changed, and
 * sweep the SKUs against the list.
 */
static enum sd_status
md_skus_page(struct change_stream *s, struct change_page *pg, char **cause)
{
	const struct md_res *res = md_res_of(STEP_SKUS);
	struct window *w = &s->cur.win[res - md_res];
	struct idset changed = { NULL, 0 }, live = { NULL, 0 };
	cJSON *items, *it, *v, *x;
	enum sd_status st = SD_OK;
	long long count = 0, ms, off, w0 = w->w;
	char *path;
	const char *sub[] = { "location_levels", "variants" };
	size_t i, j;
	uint32_t h;

	for (off = 0; st == SD_OK; off += IDS_PAGE) {
		path = xasprintf("/admin/inventory-items?limit=%d&offset=%lld&fields=id,updated_at,"
		    "location_levels.updated_at,variants.id,variants.updated_at,"
		    "variants.product.updated_at,variants.prices.updated_at", IDS_PAGE, off);
		st = md_list(s, path, "inventory_items", &items, &count, &pg->requests, cause);
		free(path);
		if (st != SD_OK)
			break;
		cJSON_ArrayForEach(it, items) {
			if (json_str(it, "id") == NULL)
				continue;
			ms = medusa_ms(json_str(it, "updated_at"));
			for (i = 0; i < 2; i++)
				cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(it, sub[i])) {
					if (medusa_ms(json_str(x, "updated_at")) > ms)
						ms = medusa_ms(json_str(x, "updated_at"));
					if (i == 0)
						continue;
					if (json_str(x, "id") != NULL)
						idset_add(&live, json_str(x, "id"));
					v = cJSON_GetObjectItemCaseSensitive(x, "product");
					if (medusa_ms(json_str(v, "updated_at")) > ms)
						ms = medusa_ms(json_str(v, "updated_at"));
					cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(x,
					    "prices"))
						if (medusa_ms(json_str(v, "updated_at")) > ms)
							ms = medusa_ms(json_str(v, "updated_at"));
				}
			/* Against the watermark as the step began: the list is not by time. */
			if (w0 > 0 && ms < w0 - OVERLAP_MS)
				continue;
			h = md_hash(json_str(it, "id"), ms);
			if (window_seen(w, h, ms))
				continue;
			window_note(w, h, ms);
			idset_add(&changed, json_str(it, "id"));
		}
		cJSON_Delete(items);
		if (off + IDS_PAGE >= count)
			break;
	}
	if (st == SD_OK)
		st = md_fetch_set(s, res, &changed, pg, cause);
	if (st == SD_OK) {
		/* The listing is every SKU there is: the others were deleted. */
		pg->sweep = 1;
		pg->sweep_kind = KIND_SKU;
		pg->live = live.v;
		pg->nlive = live.n;
		live.v = NULL;
		live.n = 0;
	}
	for (j = 0; j < live.n; j++)
		free(live.v[j]);
	free(live.v);
	idset_clear(&changed);
	return st;
}

/* Reconciliation: orders with refunds since the last one, to read again. */
static enum sd_status
md_refunds_scan(struct change_stream *s, struct change_page *pg, char **cause)
{
	cJSON *items, *p, *r;
	enum sd_status st = SD_OK;
	long long count = 0, off, since = s->cur.reconciled - OVERLAP_MS;
	const char *oid;
	char *path;

	for (off = 0; st == SD_OK; off += IDS_PAGE) {
		path = xasprintf("/admin/payments?limit=%d&offset=%lld&fields=id,"
		    "refunds.created_at,payment_collection.order.id", IDS_PAGE, off);
		st = md_list(s, path, "payments", &items, &count, &pg->requests, cause);
		free(path);
		if (st != SD_OK)
			break;
		cJSON_ArrayForEach(p, items) {
			oid = json_str(cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(p, "payment_collection"), "order"), "id");
			cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(p, "refunds"))
				if (oid != NULL && medusa_ms(json_str(r, "created_at")) >= since &&
				    !idset_has(&s->orders_done, oid))
					idset_add(&s->refetch, oid);
		}
		cJSON_Delete(items);
		if (off + IDS_PAGE >= count)
			break;
	}
	return st;
}

/* The plain returns of the orders delivered this pass, not yet delivered. */
static enum sd_status
md_order_returns(struct change_stream *s, struct change_page *pg, char **cause)
{
	const struct md_res *res = md_res_of(STEP_RETURNS);
	cJSON *items, *rec;
	enum sd_status st = SD_OK;
	size_t at = 0, cap = pg->n;
	char *q, *path;

	while (st == SD_OK && at < s->orders_done.n) {
		q = md_id_query("order_id", &s->orders_done, &at);
		path = xasprintf("%s?limit=1000&fields=%s%s", res->path, res->fields, q);
		free(q);
		st = md_list(s, path, res->list, &items, NULL, &pg->requests, cause);
		free(path);
		if (st != SD_OK)
			break;
		st = medusa_attach_orders(s->md, s->easy, items, &pg->requests, cause);
		cJSON_ArrayForEach(rec, items)
			if (st == SD_OK && json_str(rec, "claim_id") == NULL &&
			    json_str(rec, "exchange_id") == NULL)
				page_add_record(s, pg, &cap, res, rec);
		cJSON_Delete(items);
	}
	return st;
}

/* Every id of a resource (for a sweep), added to live. */
static enum sd_status
md_all_ids(struct change_stream *s, const struct md_res *res, const char *extra,
    struct idset *live, struct change_page *pg, char **cause)
{
	cJSON *items, *rec;
	enum sd_status st = SD_OK;
	long long count = 0, off;
	char *path;

	for (off = 0; st == SD_OK; off += IDS_PAGE) {
		path = xasprintf("%s?limit=%d&offset=%lld&fields=id%s", res->path, IDS_PAGE, off,
		    extra);
		st = md_list(s, path, res->list, &items, &count, &pg->requests, cause);
		free(path);
		if (st != SD_OK)
			break;
		cJSON_ArrayForEach(rec, items) {
			if (json_str(rec, "id") == NULL || json_str(rec, "claim_id") != NULL ||
			    json_str(rec, "exchange_id") != NULL)
				continue;
			idset_add(live, json_str(rec, "id"));
		}
		cJSON_Delete(items);
		if (off + IDS_PAGE >= count)
			break;
	}
	return st;
}

/* A sweep page for the next kind. */
static enum sd_status
md_sweep_page(struct change_stream *s, struct change_page *pg, char **cause)
{
	enum sd_kind k = md_sweep_kinds[s->sweep_next++];
	struct idset live = { NULL, 0 };
	enum sd_status st = SD_OK;
	size_t i;

	if (k == KIND_TICKET) {
		st = md_all_ids(s, md_res_of(STEP_RETURNS), ",claim_id,exchange_id", &live, pg,
		    cause);
		if (st == SD_OK)
			st = md_all_ids(s, md_res_of(STEP_CLAIMS), "", &live, pg, cause);
		if (st == SD_OK)
			st = md_all_ids(s, md_res_of(STEP_EXCHANGES), "", &live, pg, cause);
	} else
		for (i = 0; i < NRES; i++)
			if (md_res[i].kind == k && md_res[i].step != STEP_PAYMENTS)
				st = md_all_ids(s, &md_res[i], "", &live, pg, cause);
	if (st != SD_OK) {
		idset_clear(&live);
		return st;
	}
	pg->sweep = 1;
	pg->sweep_kind = k;
	pg->live = live.v;
	pg->nlive = live.n;
	return SD_OK;
}

/* Sleep until the next poll; 0 when it is time, -1 when wait or the wake ended it. */
static int
md_poll_nap(struct change_stream *s)
{
	uint64_t until = md_mono_ms() + (uint64_t)s->md->poll_interval * 1000;
	struct timespec ts = { 0, 20 * 1000000L };

	if (until > s->deadline_ms)
		return -1;
	while (md_mono_ms() < until) {
		if (backend_interrupted() || (s->md->wake != NULL &&
		    __atomic_load_n(s->md->wake, __ATOMIC_ACQUIRE) != 0))
			return -1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static enum sd_status
medusa_changes_open(struct backend *be, const char *cursor, int limit, int wait,
    struct change_stream **out, char **cause)
{
	struct change_stream *s = xcalloc(1, sizeof *s);

	s->md = be->priv;
	if (md_cursor_parse(cursor, &s->cur) != 0) {
		*cause = xasprintf("the cache's sync cursor is not a Medusa one; run 'shopdesk "
		    "sync --full'");
		free(s);
		return SD_ECACHE;
	}
	if ((s->easy = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");
	s->first = cursor == NULL || *cursor == '\0';
	s->limit = limit < 1 ? PAGE_MAX : limit > PAGE_MAX ? PAGE_MAX : limit;
	s->wait = wait < 0 ? 0 : wait > 30 ? 30 : wait;
	s->deadline_ms = md_mono_ms() + (uint64_t)s->wait * 1000;
	s->reconcile = !s->first &&
	    md_now_ms() - s->cur.reconciled >= (long long)s->md->reconcile * 1000;
	if (s->first)
		s->cur.reconciled = md_now_ms();
	*out = s;
	return SD_OK;
}

/* Clear what a pass gathered, for the next one. */
static void
md_pass_reset(struct change_stream *s)
{
	idset_clear(&s->orders_done);
	idset_clear(&s->customers_done);
	idset_clear(&s->buyers);
	idset_clear(&s->refetch);
	idset_clear(&s->cases);
	idset_clear(&s->tickets_done);
	s->pass_changes = 0;
	s->step = 0;
	s->started = 0;
	s->sweep_next = 0;
}

static enum sd_status
medusa_changes_next(struct change_stream *s, struct change_page *pg, char **cause)
{
	const struct md_res *res;
	enum sd_status st = SD_OK;
	uint64_t bytes0, wire0;
	int done = 0;

	memset(pg, 0, sizeof *pg);
	if (s->ended)
		return SD_OK;
	bytes0 = s->md->bytes;
	wire0 = s->md->wire_bytes;
	pg->progress = (double)s->step / STEP_DONE;
	switch (s->step) {
	case STEP_SKUS:
		st = md_skus_page(s, pg, cause);
		done = 1;
		break;
	case STEP_BUYERS:
		st = md_fetch_set(s, md_res_of(STEP_CUSTOMERS), &s->buyers, pg, cause);
		done = 1;
		break;
	case STEP_REFUNDS:
		if (s->reconcile)
			st = md_refunds_scan(s, pg, cause);
		if (st == SD_OK)
			st = md_fetch_set(s, md_res_of(STEP_ORDERS), &s->refetch, pg, cause);
		idset_clear(&s->refetch);
		/*
		 * A refund moves neither its return nor anything a window sees
		 * but the order (medusa-write.c touches it): the returns of the
		 * orders that changed are read again, for their refunds.
		 */
		if (st == SD_OK && !s->first)
			st = md_order_returns(s, pg, cause);
		done = 1;
		break;
	case STEP_SWEEP:
		if (!s->reconcile) {
			done = 1;
			break;
		}
		st = md_sweep_page(s, pg, cause);
		done = s->sweep_next == NSWEEP;
		if (done && st == SD_OK)
			s->cur.reconciled = md_now_ms();
		break;
	case STEP_DONE:
		break;
	default:
		res = md_res_of(s->step);
		st = md_window_page(s, res, &s->cur.win[res - md_res], pg, &done, cause);
		if (st == SD_OK && done && s->step == STEP_EXCHANGES && s->cases.n > 0) {
			/* Claims and exchanges whose return changed. */
			struct idset claims = { NULL, 0 }, exch = { NULL, 0 };
			size_t i;

			for (i = 0; i < s->cases.n; i++)
				if (!idset_has(&s->tickets_done, s->cases.v[i]))
					idset_add(strncmp(s->cases.v[i], "claim_", 6) == 0 ? &claims :
					    &exch, s->cases.v[i]);
			st = md_fetch_set(s, md_res_of(STEP_CLAIMS), &claims, pg, cause);
			if (st == SD_OK)
				st = md_fetch_set(s, md_res_of(STEP_EXCHANGES), &exch, pg, cause);
			idset_clear(&claims);
			idset_clear(&exch);
			idset_clear(&s->cases);
		}
		if (st == SD_OK && done && s->step == STEP_PAYMENTS)
			st = md_fetch_set(s, md_res_of(STEP_ORDERS), &s->refetch, pg, cause);
		if (st == SD_OK && done && s->step == STEP_PAYMENTS)
			idset_clear(&s->refetch);
		break;
	}
	if (st != SD_OK) {
		change_page_done(pg);
		return st;
	}
	s->pass_changes += (long)pg->n;
	if (done) {
		s->step++;
		s->started = 0;
	}
	if (s->step == STEP_DONE) {
		/* The pass is over: end, or poll again while a long poll waits. */
		if (s->pass_changes == 0 && pg->n == 0 && s->wait > 0 && md_poll_nap(s) == 0) {
			md_pass_reset(s);
			s->reconcile = md_now_ms() - s->cur.reconciled >=
			    (long long)s->md->reconcile * 1000;
		} else
			s->ended = 1;
	}
	pg->has_more = !s->ended;
	pg->bytes = s->md->bytes - bytes0;
	pg->wire_bytes = s->md->wire_bytes - wire0;
	pg->next_cursor = md_cursor_print(&s->cur);
	if (s->ended)
		pg->progress = 1;
	return SD_OK;
}

static void
medusa_changes_close(struct change_stream *s)
{
	if (s == NULL)
		return;
	md_pass_reset(s);
	cJSON_Delete(s->agg);
	curl_easy_cleanup(s->easy);
	free(s);
}

static enum sd_status
medusa_get_one(struct backend *be, enum sd_kind k, const char *id, cJSON **out, char **cause)
{
	return medusa_fetch(be->priv, k, id, out, cause);
}

/*
 * Who the token is. A JWT names a user; a secret API key names none, so it
 * is shown as the key (checked against the store).
 */
static enum sd_status
medusa_whoami(struct backend *be, cJSON **out, char **cause)
{
	struct medusa *md = be->priv;
	enum sd_status st;
	cJSON *root = NULL, *perm;
	const char *p, *q;

	*out = NULL;
	if (md->auth == MEDUSA_AUTH_KEY) {
		st = medusa_get(md, "/admin/stores?limit=1&fields=id,name", &root, cause);
		if (st != SD_OK)
			return st;
		*out = cJSON_CreateObject();
		json_set_str(*out, "id", "api-key");
		json_set_int(*out, "version", 1);
		json_set_str(*out, "login", "api-key");
		p = json_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "stores"), 0),
		    "name");
		if (p != NULL) {
			char *name = xasprintf("%s (secret API key)", p);

			json_set_str(*out, "name", name);
			free(name);
		} else
			json_set_str(*out, "name", "secret API key");
		json_set_str(*out, "role", md->role);
	} else {
		st = medusa_get(md, "/admin/users/me?fields=id,email,first_name,last_name,"
		    "created_at,updated_at", &root, cause);
		if (st != SD_OK)
			return st;
		*out = medusa_map_user(cJSON_GetObjectItemCaseSensitive(root, "user"), md->role);
		if (*out == NULL) {
			cJSON_Delete(root);
			*cause = xstrdup("Medusa's /admin/users/me answered without a user");
			return SD_ESERVER;
		}
	}
	cJSON_Delete(root);
	perm = cJSON_CreateArray();
	for (p = medusa_actions; *p != '\0'; p = *q != '\0' ? q + 1 : q) {
		char *word;

		q = p + strcspn(p, " ");
		p += strcspn(p, ".") + 1;
		word = xstrndup(p, (size_t)(q - p));
		cJSON_AddItemToArray(perm, cJSON_CreateString(word));
		free(word);
	}
	json_set(*out, "permissions", perm);
	return SD_OK;
}

/*
 * The store: Medusa keeps a default currency but no time zone; the zone
 * comes from the profile's "timezone" (clock.h).
 */
static enum sd_status
medusa_store(struct backend *be, cJSON **out, char **cause)
{
	const char *cur = medusa_currency_of(be->priv);
	char up[8];
	size_t i;

	(void)cause;
	*out = cJSON_CreateObject();
	if (cur != NULL && strlen(cur) < sizeof up) {
		for (i = 0; cur[i] != '\0'; i++)
			up[i] = (char)toupper((unsigned char)cur[i]);
		up[i] = '\0';
		json_set_str(*out, "currency", up);
	}
	return SD_OK;
}

static void
medusa_set_wake(struct backend *be, const volatile int *wake)
{
	struct medusa *md = be->priv;

	md->wake = wake;
}

static enum sd_status
medusa_do_action(struct backend *be, const struct backend_action *a,
    struct backend_result *res, char **cause)
{
	return medusa_action(be->priv, a, res, cause);
}

const struct backend_ops backend_medusa_ops = {
	.name = "medusa",
	.kinds = 1u << KIND_ORDER | 1u << KIND_TICKET | 1u << KIND_PRODUCT | 1u << KIND_SKU |
	    1u << KIND_PROMOTION | 1u << KIND_CUSTOMER | 1u << KIND_USER | 1u << KIND_CATEGORY,
	.actions = medusa_actions,
	.no_sla = 1,
	.open = medusa_open,
	.free = medusa_free,
	.changes_open = medusa_changes_open,
	.changes_next = medusa_changes_next,
	.changes_close = medusa_changes_close,
	.get = medusa_get_one,
	.action = medusa_do_action,
	.whoami = medusa_whoami,
	.store = medusa_store,
	.set_wake = medusa_set_wake,
};
