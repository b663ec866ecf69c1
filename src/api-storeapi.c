/*
 * api-storeapi.c -- the Store API v1 backend over libcurl.
 *
 * Requests carry the bearer token (and, when the profile says so, an HMAC
 * signature); TLS is always verified. Transient failures (no connection, a
 * dropped or truncated answer, 5xx, 429, a malformed body) are retried with
 * exponential backoff and jitter, honouring Retry-After; anything else is
 * reported at once with the store's own reason. Every request asks for
 * compressed answers (gzip, and zstd where libcurl can decode it); libcurl
 * decodes them, and a page counts its bytes both decoded and as received.
 *
 * A change stream runs a fetch thread with its own curl handle: it downloads
 * page k+1 while the caller stores page k, so a sync costs about the larger
 * of the download and the store, not their sum. The server sends the next
 * cursor in a header as well as the body: with it the thread asks for the
 * next page at once and leaves the parse to the caller (changes_next());
 * without it, it parses the page first. At most two pages wait in the
 * queue, so memory stays flat whatever the store's size. A long
 * poll still waiting for its answer ends within WAKE_POLL_MS of the
 * backend's wake flag being set (set_wake in backend.h): the stream then
 * ends as if nothing had changed.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "backend.h"
#include "util/buf.h"
#include "util/crash.h"
#include "util/jscan.h"
#include "util/jsonutil.h"
#include "util/log.h"
#include "util/sign.h"
#include "util/text.h"
#include "util/xmalloc.h"

#define QUEUE_DEPTH	2
#define MAX_ATTEMPTS	6
#define ACTION_CONNECTIONS 4	/* writes in flight at once (storeapi_actions) */

struct storeapi {
	char		*base;		/* "https://host:port", no trailing slash */
	char		*token;
	char		*ca_file;
	int		 sign;
	long		 timeout;
	CURL		*easy;		/* for calls made on the caller's thread */
	CURLM		*multi;		/* writes (storeapi_actions), NULL until one */
	CURL		*pool[ACTION_CONNECTIONS]; /* its easy handles */
	const volatile int *wake;	/* the owner's, cuts long polls (set_wake) */
	char		 client[128];	/* X-Shopdesk-Client: "shopdesk/1.0 (host)" */
};

struct http_resp {
	long		 status;
	struct buf	 body;
	double		 retry_after;
	char		 next_since[32];
	int		 has_more;	/* from X-Has-More, -1 when absent */
	int		 truncated;	/* body exceeded BACKEND_MAX_BODY */
	int		 cut;		/* a long poll ended early by the wake */
	size_t		 wire;		/* bytes received: headers and body as sent */
};

/* What may end a transfer early: on_progress, and http_perform for a long poll. */
struct xfer {
	const volatile int *stop;	/* the caller is closing the stream */
	const volatile int *wake;	/* a long poll: the owner's wake flag */
	int		 woken;		/* set when the wake ended the transfer */
};

/*
 * A page in the queue: parsed (page), or as it came (raw, when the store
 * gave its next cursor in the headers, so that the fetch thread could ask
 * for the next page at once), to be parsed by the caller.
 */
struct stream_item {
	enum sd_status	 status;
	char		*cause;
	struct change_page page;
	char		*raw;		/* the body, not parsed yet; else NULL */
	size_t		 rawlen;
	size_t		 wire;
	unsigned	 requests;
	char		*since;		/* the cursor it was asked with */
	char		 next[32];	/* X-Next-Since, X-Has-More as the thread used them */
	int		 more;
};

struct change_stream {
	struct storeapi	*api;
	CURL		*easy;
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	struct stream_item queue[QUEUE_DEPTH];
	int		 qhead, qlen;
	int		 finished;	/* the thread has pushed its last item */
	volatile int	 stop;
	const volatile int *wake;	/* the backend's, for long polls; else NULL */
	char		*cursor;
	int		 limit;
	int		 wait;
	long long	 start_since;
	int		 malformed;	/* raw pages in a row the caller could not parse */
	unsigned	 lost;		/* their requests, counted in the next page */
};

/* "shopdesk/VERSION (HOST)", the host name reduced to [A-Za-z0-9.-]. */
static void
client_name(char *out, size_t len)
{
	char host[65] = "", *p;

	if (gethostname(host, sizeof host - 1) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	for (p = host; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			*p = '-';
	snprintf(out, len, "shopdesk/%s (%s)", PACKAGE_VERSION,
	    host[0] != '\0' ? host : "unknown");
}

static struct backend *
storeapi_open(const struct config *conf, char **cause)
{
	struct storeapi *api;
	struct backend *be;
	size_t n;

	backend_curl_init();
	if (backend_check_url(conf, cause) != 0)
		return NULL;
	if (conf->token == NULL) {
		*cause = xstrdup("no token loaded");
		return NULL;
	}
	api = xcalloc(1, sizeof *api);
	api->base = xstrdup(conf->url);
	n = strlen(api->base);
	while (n > 0 && api->base[n - 1] == '/')
		api->base[--n] = '\0';
	api->token = xstrdup(conf->token);
	api->ca_file = conf->ca_file != NULL ? xstrdup(conf->ca_file) : NULL;
	api->sign = conf->sign;
	api->timeout = conf->timeout > 0 ? conf->timeout : 30;
	client_name(api->client, sizeof api->client);
	if ((api->easy = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");
	be = xcalloc(1, sizeof *be);
	be->ops = &backend_storeapi_ops;
	be->priv = api;
	return be;
}

static void
storeapi_free(struct backend *be)
{
	struct storeapi *api = be->priv;
	size_t k;

	if (api->multi != NULL) {
		for (k = 0; k < ACTION_CONNECTIONS; k++)
			curl_easy_cleanup(api->pool[k]);
		curl_multi_cleanup(api->multi);
	}
	curl_easy_cleanup(api->easy);
	free(api->base);
	explicit_bzero(api->token, strlen(api->token));
	free(api->token);
	free(api->ca_file);
	free(api);
	free(be);
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_resp *r = arg;

	return backend_body_add(&r->body, &r->truncated, p, size * n);
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct http_resp *r = arg;
	size_t len = size * n, k, k2;
	char line[128];

	if (len >= sizeof line)
		return len;
	memcpy(line, p, len);
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strncasecmp(line, "Retry-After:", 12) == 0)
		r->retry_after = backend_retry_after(line + 12);
	else if (strncasecmp(line, "X-Next-Since:", 13) == 0) {
		for (k = 13; line[k] == ' '; k++)
			;
		k2 = strlen(line + k);
		if (k2 >= sizeof r->next_since)
			k2 = sizeof r->next_since - 1;
		memcpy(r->next_since, line + k, k2);
		r->next_since[k2] = '\0';
	} else if (strncasecmp(line, "X-Has-More:", 11) == 0)
		r->has_more = atoi(line + 11) != 0;
	return len;
}

static int
on_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	struct xfer *x = arg;

	if (ut > 0 && un == ut && dn == 0)
		crash_point("push-sent");
	return backend_interrupted() || (x->stop != NULL && *x->stop);
}

/*
 * curl_easy_perform(), except that a long poll (x->wake set) runs on a multi
 * handle polled every WAKE_POLL_MS, so that a wake cuts it within that time:
 * the progress callback alone runs only about once a second while a
 * transfer waits. Each stream has its own easy handle, so the connection is
 * not shared with anything the multi handle's end could close.
 */
#define WAKE_POLL_MS	20

static CURLcode
http_perform(CURL *easy, struct xfer *x)
{
	CURLM *multi;
	CURLMsg *msg;
	CURLcode cc = CURLE_OK;
	curl_off_t dn;
	int running = 1, left;

	if (x->wake == NULL)
		return curl_easy_perform(easy);
	if ((multi = curl_multi_init()) == NULL)
		fatal("curl_multi_init failed");
	curl_multi_add_handle(multi, easy);
	for (;;) {
		if (curl_multi_perform(multi, &running) != CURLM_OK) {
			cc = CURLE_FAILED_INIT;
			break;
		}
		if (!running)
			break;
		if (on_progress(x, 0, 0, 0, 0)) {
			cc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		/*
		 * A long poll is cut only while the store still holds it: once
		 * its answer has begun to arrive the poll is over anyway, and the
		 * changes it brings are worth keeping.
		 */
		dn = 0;
		curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &dn);
		if (dn == 0 && __atomic_load_n(x->wake, __ATOMIC_ACQUIRE) != 0) {
			x->woken = 1;
			cc = CURLE_ABORTED_BY_CALLBACK;
			break;
		}
		curl_multi_poll(multi, NULL, 0, WAKE_POLL_MS, NULL);
	}
	while (cc == CURLE_OK && (msg = curl_multi_info_read(multi, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE)
			cc = msg->data.result;
	curl_multi_remove_handle(multi, easy);
	curl_multi_cleanup(multi);
	return cc;
}

/* What a request needs to live until its answer. */
struct http_req {
	char		*url;
	struct curl_slist *hdrs;
	char		 errbuf[CURL_ERROR_SIZE];
	struct xfer	 x;
};

/*
 * Set easy up for one HTTP exchange (http_end() finishes it): r is reset
 * and will receive the answer; body, if any, must live until the end.
 */
static void
http_begin(struct storeapi *api, CURL *easy, struct http_req *q, const char *method,
    const char *path_query, const char *body, const char *idem, long long if_match,
    const volatile int *stop, const volatile int *wake, long extra_timeout,
    struct http_resp *r)
{
	char *h, ts[24], nonce[33], sig[SHA256_HEX_LEN];
	struct curl_slist *hdrs = NULL;

	buf_reset(&r->body);
	r->status = 0;
	r->retry_after = 0;
	r->next_since[0] = '\0';
	r->has_more = -1;
	r->truncated = 0;
	r->cut = 0;
	r->wire = 0;
	q->x.stop = stop;
	q->x.wake = wake;
	q->x.woken = 0;

	q->url = xasprintf("%s%s", api->base, path_query);
	backend_curl_prepare(easy, q->url, api->timeout + extra_timeout, api->ca_file,
	    q->errbuf);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &q->x);

	h = xasprintf("Authorization: Bearer %s", api->token);
	hdrs = curl_slist_append(hdrs, h);
	explicit_bzero(h, strlen(h));
	free(h);
	hdrs = curl_slist_append(hdrs, "Accept: application/json");
	if (body != NULL) {
		hdrs = curl_slist_append(hdrs, "Content-Type: application/json; charset=utf-8");
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (strcmp(method, "GET") != 0)
		curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
	if (idem != NULL) {
		h = xasprintf("Idempotency-Key: %s", idem);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	if (if_match >= 0) {
		h = xasprintf("If-Match: %lld", if_match);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	if (api->sign) {
		snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
		sign_random_token(nonce, 32);
		sign_request(api->token, method, path_query, ts, nonce, body,
		    body != NULL ? strlen(body) : 0, sig);
		h = xasprintf("X-Shopdesk-Timestamp: %s", ts);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
		h = xasprintf("X-Shopdesk-Nonce: %s", nonce);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
		h = xasprintf("X-Shopdesk-Signature: %s", sig);
		hdrs = curl_slist_append(hdrs, h);
		free(h);
	}
	if (hdrs == NULL)
		fatal("curl_slist_append: out of memory");
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, hdrs);
	q->hdrs = hdrs;
}

/*
 * The end of an exchange begun by http_begin(), libcurl having said cc.
 * SD_OK whenever an HTTP answer arrived (whatever its status); SD_ENETWORK
 * with *cause when none did; SD_EINTR when stop or an interrupt ended it,
 * or wake (non-NULL for long polls only) did, which sets r->cut.
 */
static enum sd_status
http_end(struct storeapi *api, CURL *easy, struct http_req *q, CURLcode cc,
    const char *method, const char *path_query, struct http_resp *r, char **cause)
{
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &r->status);
	r->wire = backend_curl_wire_bytes(easy);
	curl_slist_free_all(q->hdrs);
	q->hdrs = NULL;
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, NULL);
	free(q->url);
	q->url = NULL;
	log_debug("%s %s -> %ld (%s)", method, path_query, r->status,
	    cc == CURLE_OK ? "ok" : curl_easy_strerror(cc));
	if (cc == CURLE_OK)
		return SD_OK;
	if (cc == CURLE_ABORTED_BY_CALLBACK && q->x.woken) {
		*cause = xstrdup("long poll cut short");
		r->cut = 1;
	} else if (cc == CURLE_ABORTED_BY_CALLBACK)
		*cause = xstrdup("interrupted");
	else if (r->truncated) {
		/* Not retried: a store that sends too much will send it again. */
		*cause = xasprintf("the store's answer to %s is larger than %u MiB; "
		    "nothing of it was kept", path_query, BACKEND_MAX_BODY >> 20);
		r->status = 0;
		buf_done(&r->body);	/* give the 64 MiB back now */
		buf_init(&r->body);
		return SD_ESERVER;
	}
	else if (cc == CURLE_PARTIAL_FILE || cc == CURLE_RECV_ERROR || cc == CURLE_GOT_NOTHING)
		*cause = xasprintf("the store at %s dropped the connection (%s)", api->base,
		    q->errbuf[0] != '\0' ? q->errbuf : curl_easy_strerror(cc));
	else
		*cause = backend_curl_cause("store", api->base, cc, q->errbuf);
	r->status = 0;
	return cc == CURLE_ABORTED_BY_CALLBACK ? SD_EINTR : SD_ENETWORK;
}

/*
 * One more request header "name: value" for the exchange begun on easy; the
 * caller hands the list to curl (CURLOPT_HTTPHEADER) once all are added.
 */
static void
http_add_header(struct http_req *q, const char *name, const char *value)
{
	char *h = xasprintf("%s: %s", name, value);

	if ((q->hdrs = curl_slist_append(q->hdrs, h)) == NULL)
		fatal("curl_slist_append: out of memory");
	free(h);
}

/* One HTTP exchange on easy, as http_end() says. */
static enum sd_status
http_do(struct storeapi *api, CURL *easy, const char *method, const char *path_query,
    const char *body, const char *idem, long long if_match, const volatile int *stop,
    const volatile int *wake, long extra_timeout, struct http_resp *r, char **cause)
{
	struct http_req q;
	CURLcode cc;

	http_begin(api, easy, &q, method, path_query, body, idem, if_match, stop, wake,
	    extra_timeout, r);
	cc = http_perform(easy, &q.x);
	return http_end(api, easy, &q, cc, method, path_query, r, cause);
}

/* Map an HTTP status to ours. */
static enum sd_status
status_of_http(long http)
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
	case 412:
		return SD_ECONFLICT;
	case 422:
		return SD_EREFUSED;
	case 400:
	case 413:
		return SD_EFAIL;
	default:
		return SD_ESERVER;
	}
}

/* Whether a failure may go away if we try again. */
static int
is_transient(enum sd_status st, long http)
{
	return st == SD_ENETWORK || http == 429 || http >= 500 || http == 0;
}

#define STORE_MESSAGE_MAX	300	/* characters of the store's error message shown */

/* "403 forbidden: role warehouse may not read tickets" from an error body. */
static char *
describe_error(long http, const char *body, const char *what)
{
	cJSON *root = cJSON_Parse(body), *err;
	const char *code = NULL, *msg = NULL;
	char *s;

	err = root != NULL ? cJSON_GetObjectItemCaseSensitive(root, "error") : NULL;
	if (err != NULL) {
		code = json_str(err, "code");
		msg = json_str(err, "message");
	}
	if (code != NULL && msg != NULL) {
		/* The store's words, bounded and clean: they may echo anything. */
		struct buf c, m;

		buf_init(&c);
		buf_init(&m);
		text_clip_max(code, TEXT_CLIP_CHARS, 0, &c);
		text_clip_max(msg, STORE_MESSAGE_MAX, 0, &m);
		s = xasprintf("%s: the store answered %ld %s: %s", what, http, buf_str(&c),
		    buf_str(&m));
		buf_done(&c);
		buf_done(&m);
	} else if (http == 429)
		s = xasprintf("%s: the store is rate limiting us (429)", what);
	else
		s = xasprintf("%s: the store answered HTTP %ld", what, http);
	cJSON_Delete(root);
	return s;
}

/*
 * GET/POST with retries of transient failures. On SD_OK, r holds a 2xx
 * answer; on an HTTP error *cause says what the store said. wake may cut
 * the first attempt only (SD_EINTR, r->cut set, never retried): once an
 * attempt has failed, ending the call cleanly would hide the failure.
 */
static enum sd_status
http_call(struct storeapi *api, CURL *easy, const char *method, const char *path_query,
    const char *body, const char *idem, long long if_match, const volatile int *stop,
    const volatile int *wake, long extra_timeout, int max_attempts, unsigned *requests,
    struct http_resp *r, char **cause)
{
	enum sd_status st;
	int attempt;

	for (attempt = 0;; attempt++) {
		free(*cause);
		*cause = NULL;
		if (requests != NULL)
			(*requests)++;
		st = http_do(api, easy, method, path_query, body, idem, if_match, stop,
		    attempt == 0 ? wake : NULL, extra_timeout, r, cause);
		if (st == SD_OK && (st = status_of_http(r->status)) != SD_OK)
			*cause = describe_error(r->status, buf_str(&r->body), path_query);
		if (st == SD_OK || st == SD_EINTR || r->truncated ||
		    !is_transient(st, r->status) || attempt + 1 >= max_attempts)
			return st;
		log_debug("retrying %s after: %s", path_query, *cause);
		backend_nap(backend_backoff_ms(attempt, r->retry_after), stop);
		if (backend_interrupted() || (stop != NULL && *stop)) {
			free(*cause);
			*cause = xstrdup("interrupted");
			return SD_EINTR;
		}
	}
}

/* Whether s (n bytes) is a plausible id or kind: [A-Za-z0-9_.:-], 1..64. */
static int
plain_token(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' || s[i] == '.' ||
		    s[i] == ':'))
			return 0;
	return 1;
}

/*
 * Check an object's own id and version: its top-level members only.
 */
static int
object_matches(const char *text, size_t len, const char *id, size_t idlen)
{
	const char *p = text, *end = text + len;
	struct jscan_member m;
	long long v;
	int rc, have_id = 0, have_version = 0;

	while ((rc = jscan_member_next(&p, end, &m)) == 1) {
		if (jscan_key_is(&m, "id"))
			have_id = m.vallen == idlen + 2 && memcmp(m.val + 1, id, idlen) == 0;
		else if (jscan_key_is(&m, "version"))
			have_version = jscan_int(m.val, m.vallen, &v) == 0 && v >= 1;
	}
	return rc == 0 && have_id && have_version;
}

/*
 * Turn a change-feed answer into a page without building a tree: the page is
 * checked and split into its objects' raw texts in one pass, and each object
 * is parsed only when it is stored. -1 with *cause when the body is not the
 * shape the contract promises (then nothing of it is used). Takes body.
 */
static int
parse_changes(char *body, size_t len, struct change_page *pg, long long start_since,
    char **cause)
{
	const char *p = body, *end = body + len, *ep, *val;
	struct jscan_member m, cm;
	struct change *ch;
	long long ns = -1, head = -1;
	size_t vlen, cap = 64, i = 0;
	int rc, erc, k, have_changes = 0;

	memset(pg, 0, sizeof *pg);
	pg->changes = xcalloc(cap, sizeof *pg->changes);
	json_nul_replace(body, len);	/* the objects' texts are stored as they are */
	p = jscan_ws(p, end);
	if (p >= end || *p != '{')
		goto bad;
	while ((rc = jscan_member_next(&p, end, &m)) == 1) {
		if (jscan_key_is(&m, "next_since")) {
			if (jscan_int(m.val, m.vallen, &ns) != 0)
				goto bad;
		} else if (jscan_key_is(&m, "head"))
			jscan_int(m.val, m.vallen, &head);
		else if (jscan_key_is(&m, "has_more"))
			pg->has_more = m.vallen == 4 && memcmp(m.val, "true", 4) == 0;
		else if (jscan_key_is(&m, "changes")) {
			if (*m.val != '[')
				goto bad;
			have_changes = 1;
			ep = m.val;
			while ((erc = jscan_element_next(&ep, m.val + m.vallen, &val, &vlen)) == 1) {
				const char *cp = val, *kind = NULL, *id = NULL;
				size_t kindlen = 0, idlen = 0;

				if (*val != '{')
					goto bad;
				if (i + 1 >= cap) {
					cap *= 2;
					pg->changes = xrealloc(pg->changes, cap * sizeof *pg->changes);
				}
				ch = &pg->changes[i];
				memset(ch, 0, sizeof *ch);
				while ((rc = jscan_member_next(&cp, val + vlen, &cm)) == 1) {
					if (jscan_key_is(&cm, "kind") && *cm.val == '"') {
						kind = cm.val + 1;
						kindlen = cm.vallen - 2;
					} else if (jscan_key_is(&cm, "id") && *cm.val == '"') {
						id = cm.val + 1;
						idlen = cm.vallen - 2;
					} else if (jscan_key_is(&cm, "deleted"))
						ch->deleted = cm.vallen == 4 && memcmp(cm.val, "true", 4) == 0;
					else if (jscan_key_is(&cm, "object") && *cm.val == '{') {
						ch->text = cm.val;
						ch->len = cm.vallen;
					}
				}
				if (rc != 0 || kind == NULL || id == NULL || !plain_token(kind, kindlen) ||
				    !plain_token(id, idlen)) {
					*cause = xstrdup("the store sent a change without a valid kind or id");
					goto fail;
				}
				/* Terminate kind and id in place: they lie outside the object. */
				body[kind - body + kindlen] = '\0';
				body[id - body + idlen] = '\0';
				if ((k = kind_from_name(kind)) == -1)
					continue;	/* a kind this version does not know */
				ch->kind = (enum sd_kind)k;
				ch->id = id;
				if (ch->deleted)
					ch->text = NULL;
				else if (ch->text == NULL || !object_matches(ch->text, ch->len, id, idlen)) {
					*cause = xasprintf("the store sent a malformed %s %s", kind, id);
					goto fail;
				}
				i++;
			}
			if (erc != 0)
				goto bad;
		}
	}
	if (rc != 0 || jscan_ws(p, end) != end)
		goto bad;
	if (ns < 0 || !have_changes) {
		*cause = xstrdup("the store sent a change feed page without next_since or changes");
		goto fail;
	}
	pg->n = i;
	pg->body = body;
	pg->next_cursor = xasprintf("%lld", ns);
	if (head > start_since)
		pg->progress = (double)(ns - start_since) / (double)(head - start_since);
	else
		pg->progress = head >= 0 ? 1.0 : -1;
	if (pg->progress > 1)
		pg->progress = 1;
	pg->bytes = len;
	return 0;
bad:
	*cause = xstrdup("the store sent a malformed change feed page (not the JSON promised)");
fail:
	free(pg->changes);
	free(body);
	memset(pg, 0, sizeof *pg);
	return -1;
}

int
storeapi_parse_page(char *body, size_t len, long long since, struct change_page *pg,
    char **cause)
{
	return parse_changes(body, len, pg, since, cause);
}

static void
stream_item_done(struct stream_item *it)
{
	change_page_done(&it->page);
	free(it->cause);
	free(it->raw);
	free(it->since);
	memset(it, 0, sizeof *it);
}

static void
stream_push(struct change_stream *s, struct stream_item *it)
{
	pthread_mutex_lock(&s->lock);
	while (s->qlen == QUEUE_DEPTH && !s->stop)
		pthread_cond_wait(&s->cond, &s->lock);
	if (s->stop) {
		pthread_mutex_unlock(&s->lock);
		stream_item_done(it);
		return;
	}
	s->queue[(s->qhead + s->qlen) % QUEUE_DEPTH] = *it;
	s->qlen++;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/*
 * Whether the answer's headers say where the next page starts and whether
 * there is one (X-Next-Since, X-Has-More): then the next page is asked for
 * before this one is parsed, and the caller parses it.
 */
static int
stream_header_cursor(const struct http_resp *r)
{
	const char *p;

	if (r->has_more < 0 || r->next_since[0] == '\0')
		return 0;
	for (p = r->next_since; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) || p - r->next_since > 18)
			return 0;
	return 1;
}

static void *
stream_main(void *arg)
{
	struct change_stream *s = arg;
	struct stream_item it;
	struct http_resp r;
	char *path, *cause = NULL;
	enum sd_status st;
	unsigned requests;
	size_t len;
	int last = 0;

	buf_init(&r.body);
	while (!last && !s->stop) {
		memset(&it, 0, sizeof it);
		path = xasprintf("/v1/changes?since=%s&limit=%d%s%.0d", s->cursor, s->limit,
		    s->wait > 0 ? "&wait=" : "", s->wait);
		requests = 0;
		for (;;) {
			st = http_call(s->api, s->easy, "GET", path, NULL, NULL, -1, &s->stop,
			    requests == 0 ? s->wake : NULL, s->wait, MAX_ATTEMPTS - (int)requests,
			    &requests, &r, &cause);
			if (st != SD_OK)
				break;
			len = r.body.len;
			if (stream_header_cursor(&r)) {
				/* The caller parses it while the next one comes. */
				it.raw = buf_steal(&r.body);
				it.rawlen = len;
				it.wire = r.wire;
				snprintf(it.next, sizeof it.next, "%s", r.next_since);
				it.more = r.has_more;
				break;
			}
			if (parse_changes(buf_steal(&r.body), len, &it.page, s->start_since,
			    &cause) == 0) {
				it.page.wire_bytes = r.wire;
				break;
			}
			/* A malformed page is transient too: it may be a broken proxy. */
			st = SD_ESERVER;
			if (requests >= MAX_ATTEMPTS)
				break;
			log_debug("retrying %s after: %s", path, cause);
			backend_nap(backend_backoff_ms((int)requests - 1, 0), &s->stop);
		}
		free(path);
		if (st == SD_EINTR && r.cut) {
			/*
			 * The owner woke us during a long poll: end the stream as
			 * if nothing had changed, with an empty last page (no
			 * cursor) that still counts the request. Nothing of this
			 * page was received, let alone applied, so the cursor
			 * stays where the last page left it and the next run
			 * asks again.
			 */
			log_debug("long poll cut short by a wake");
			free(cause);
			cause = NULL;
			st = SD_OK;
		}
		it.status = st;
		it.cause = cause;
		cause = NULL;
		it.page.requests = requests;
		it.requests = requests;
		if (st == SD_OK && it.raw != NULL) {
			last = !it.more;
			it.since = s->cursor;
			s->cursor = xstrdup(last ? it.since : it.next);
		} else if (st != SD_OK || !it.page.has_more)
			last = 1;
		else {
			free(s->cursor);
			s->cursor = xstrdup(it.page.next_cursor);
		}
		stream_push(s, &it);
	}
	buf_done(&r.body);
	pthread_mutex_lock(&s->lock);
	s->finished = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static void
stream_start(struct change_stream *s)
{
	s->stop = 0;
	s->finished = 0;
	s->qhead = s->qlen = 0;
	if (pthread_create(&s->thread, NULL, stream_main, s) != 0)
		fatal("pthread_create failed");
}

/* Stop the fetch thread and drop what it queued. */
static void
stream_halt(struct change_stream *s)
{
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	while (s->qlen > 0) {
		stream_item_done(&s->queue[s->qhead]);
		s->qhead = (s->qhead + 1) % QUEUE_DEPTH;
		s->qlen--;
	}
}

static enum sd_status
storeapi_changes_open(struct backend *be, const char *cursor, int limit, int wait,
    struct change_stream **out, char **cause)
{
	struct change_stream *s;
	const char *p;

	if (cursor == NULL)
		cursor = "0";
	for (p = cursor; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p) || p - cursor > 18) {
			*cause = xasprintf("the cache's feed cursor '%s' is not valid for this "
			    "store; run 'shopdesk sync --full'", cursor);
			return SD_ECACHE;
		}
	s = xcalloc(1, sizeof *s);
	s->api = be->priv;
	if ((s->easy = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");
	s->cursor = xstrdup(*cursor != '\0' ? cursor : "0");
	s->start_since = strtoll(s->cursor, NULL, 10);
	s->limit = limit < 1 ? 1000 : limit > 5000 ? 5000 : limit;
	s->wait = wait < 0 ? 0 : wait > 30 ? 30 : wait;
	s->wake = s->wait > 0 ? s->api->wake : NULL;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	stream_start(s);
	*out = s;
	return SD_OK;
}

/*
 * A page the fetch thread did not parse, parsed here: 0 with *st set, or 1
 * when it is malformed or disagrees with the headers the thread went on
 * with: then the stream starts again from that page, as a malformed page
 * parsed by the thread is asked for again, and the caller takes the next
 * item. *st is SD_ESERVER once that happened MAX_ATTEMPTS times in a row.
 * Takes it's raw and since.
 */
static int
stream_parse(struct change_stream *s, struct stream_item *it, struct change_page *pg,
    enum sd_status *st, char **cause)
{
	char *why = NULL;
	int rc;

	rc = parse_changes(it->raw, it->rawlen, pg, s->start_since, &why);
	it->raw = NULL;
	if (rc == 0 && (strcmp(pg->next_cursor, it->next) != 0 || pg->has_more != it->more)) {
		change_page_done(pg);
		why = xasprintf("the store's change feed page after %s and its X-Next-Since "
		    "or X-Has-More header disagree", it->since);
		rc = -1;
	}
	s->lost += it->requests;
	if (rc == 0) {
		pg->wire_bytes = it->wire;
		pg->requests = s->lost;
		s->lost = 0;
		s->malformed = 0;
		*st = SD_OK;
		return 0;
	}
	if (++s->malformed >= MAX_ATTEMPTS) {
		*cause = why;
		*st = SD_ESERVER;
		return 0;
	}
	log_debug("asking again for the changes after %s: %s", it->since, why);
	free(why);
	stream_halt(s);
	backend_nap(backend_backoff_ms(s->malformed - 1, 0), NULL);
	if (backend_interrupted()) {
		*cause = xstrdup("interrupted");
		*st = SD_EINTR;
		return 0;
	}
	free(s->cursor);
	s->cursor = it->since;
	it->since = NULL;
	stream_start(s);
	return 1;
}

static enum sd_status
storeapi_changes_next(struct change_stream *s, struct change_page *pg, char **cause)
{
	struct stream_item it;
	enum sd_status st;
	int again = 0;

	do {
		memset(pg, 0, sizeof *pg);
		pthread_mutex_lock(&s->lock);
		while (s->qlen == 0 && !s->finished)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->qlen == 0) {
			pthread_mutex_unlock(&s->lock);
			return SD_OK;		/* stream over: empty page, has_more 0 */
		}
		it = s->queue[s->qhead];
		s->qhead = (s->qhead + 1) % QUEUE_DEPTH;
		s->qlen--;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
		if (it.status != SD_OK) {
			*cause = it.cause;
			it.cause = NULL;
			st = it.status;
		} else if (it.raw != NULL)
			again = stream_parse(s, &it, pg, &st, cause);
		else {
			*pg = it.page;
			memset(&it.page, 0, sizeof it.page);
			pg->requests += s->lost;
			s->lost = 0;
			st = SD_OK;
		}
		stream_item_done(&it);
	} while (again);
	return st;
}

static void
storeapi_changes_close(struct change_stream *s)
{
	if (s == NULL)
		return;
	stream_halt(s);
	curl_easy_cleanup(s->easy);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s->cursor);
	free(s);
}

/* GET a path and parse the JSON object it returns. */
static enum sd_status
get_json(struct storeapi *api, const char *path, cJSON **out, char **cause)
{
	struct http_resp r;
	enum sd_status st;

	*out = NULL;
	buf_init(&r.body);
	st = http_call(api, api->easy, "GET", path, NULL, NULL, -1, NULL, NULL, 0,
	    MAX_ATTEMPTS, NULL, &r, cause);
	if (st == SD_OK) {
		json_nul_replace(r.body.data, r.body.len);
		*out = cJSON_ParseWithLength(buf_str(&r.body), r.body.len);
		if (*out == NULL || !cJSON_IsObject(*out)) {
			cJSON_Delete(*out);
			*out = NULL;
			*cause = xasprintf("%s: the store sent a malformed answer", path);
			st = SD_ESERVER;
		}
	}
	buf_done(&r.body);
	return st;
}

static enum sd_status
storeapi_get(struct backend *be, enum sd_kind k, const char *id, cJSON **out, char **cause)
{
	char *path, *esc;
	enum sd_status st;

	esc = curl_easy_escape(NULL, id, 0);
	path = xasprintf("/v1/%s/%s", kind_info(k)->path, esc);
	curl_free(esc);
	st = get_json(be->priv, path, out, cause);
	free(path);
	return st;
}

static enum sd_status
storeapi_whoami(struct backend *be, cJSON **out, char **cause)
{
	return get_json(be->priv, "/v1/me", out, cause);
}

static enum sd_status
storeapi_store(struct backend *be, cJSON **out, char **cause)
{
	return get_json(be->priv, "/v1/store", out, cause);
}

static void
storeapi_set_wake(struct backend *be, const volatile int *wake)
{
	struct storeapi *api = be->priv;

	api->wake = wake;
}

/*
 * Writes. Not retried here: the outbox decides (the same idempotency key
 * makes a retry safe). The answer, if any, is returned whatever its status.
 * Writes on different objects go out at once, on up to ACTION_CONNECTIONS
 * keep-alive connections held by one multi handle for the backend's life
 * (HTTP/2 streams on one connection where the store speaks it).
 */
struct action_slot {
	CURL		*easy;
	size_t		 i;		/* the write it is making */
	char		*path;
	char		*body;
	struct http_req	 q;
	struct http_resp r;
};

static char *
action_path(const struct backend_action *a)
{
	char *path, *esc;

	if (a->id == NULL)
		return xasprintf("/v1/%s", kind_info(a->kind)->path);
	esc = curl_easy_escape(NULL, a->id, 0);
	if (a->action == NULL)
		path = xasprintf("/v1/%s/%s", kind_info(a->kind)->path, esc);
	else
		path = xasprintf("/v1/%s/%s/%s", kind_info(a->kind)->path, esc, a->action);
	curl_free(esc);
	return path;
}

static void
action_begin(struct storeapi *api, struct action_slot *sl, const struct backend_action *a,
    size_t i)
{
	sl->i = i;
	sl->path = action_path(a);
	sl->body = a->body != NULL ? json_print(a->body) : xstrdup("{}");
	http_begin(api, sl->easy, &sl->q, a->method, sl->path, sl->body, a->idempotency_key,
	    a->if_match, NULL, NULL, 0, &sl->r);
	/* Attribution for the store's audit (shopdesk-storeapi(7), AUDIT). */
	if (a->done_at != NULL)
		http_add_header(&sl->q, "X-Shopdesk-Done-At", a->done_at);
	http_add_header(&sl->q, "X-Shopdesk-Client", api->client);
	curl_easy_setopt(sl->easy, CURLOPT_HTTPHEADER, sl->q.hdrs);
}

/* The write on sl ended with cc: its result. */
static enum sd_status
action_end(struct storeapi *api, struct action_slot *sl, const struct backend_action *a,
    CURLcode cc, struct backend_result *res, char **cause)
{
	enum sd_status st;

	st = http_end(api, sl->easy, &sl->q, cc, a->method, sl->path, &sl->r, cause);
	if (st == SD_OK && (st = status_of_http(sl->r.status)) != SD_OK)
		*cause = describe_error(sl->r.status, buf_str(&sl->r.body), sl->path);
	res->http_status = (int)sl->r.status;
	res->retry_after = sl->r.retry_after;
	if (sl->r.status != 0) {
		json_nul_replace(sl->r.body.data, sl->r.body.len);
		res->body = cJSON_ParseWithLength(buf_str(&sl->r.body), sl->r.body.len);
		if (res->body != NULL)
			res->text = xstrndup(buf_str(&sl->r.body), sl->r.body.len);
	}
	if (st == SD_OK && res->body == NULL) {
		*cause = xasprintf("%s: the store sent a malformed answer", sl->path);
		st = SD_ESERVER;
	}
	buf_reset(&sl->r.body);
	free(sl->path);
	free(sl->body);
	sl->path = sl->body = NULL;
	return st;
}

static void
storeapi_actions(struct backend *be, const struct backend_action *a, size_t n,
    struct backend_result *res, enum sd_status *st, char **causes)
{
	struct storeapi *api = be->priv;
	struct action_slot slots[ACTION_CONNECTIONS], *sl;
	size_t next = 0, k, nslots;
	CURLMsg *msg;
	CURLcode cc;
	int running, left, active = 0, stop = 0;

	if (api->multi == NULL) {
		if ((api->multi = curl_multi_init()) == NULL)
			fatal("curl_multi_init failed");
		curl_multi_setopt(api->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
		    (long)ACTION_CONNECTIONS);
		for (k = 0; k < ACTION_CONNECTIONS; k++)
			if ((api->pool[k] = curl_easy_init()) == NULL)
				fatal("curl_easy_init failed");
	}
	nslots = n < ACTION_CONNECTIONS ? n : ACTION_CONNECTIONS;
	memset(slots, 0, sizeof slots);
	for (k = 0; k < nslots; k++) {
		slots[k].easy = api->pool[k];
		slots[k].i = (size_t)-1;
		buf_init(&slots[k].r.body);
	}
	for (;;) {
		for (k = 0; k < nslots && next < n && !stop; k++) {
			if (slots[k].i != (size_t)-1)
				continue;
			action_begin(api, &slots[k], &a[next], next);
			curl_easy_setopt(slots[k].easy, CURLOPT_PRIVATE, &slots[k]);
			curl_multi_add_handle(api->multi, slots[k].easy);
			next++;
			active++;
		}
		if (active == 0)
			break;
		if (curl_multi_perform(api->multi, &running) != CURLM_OK)
			fatal("curl_multi_perform failed");
		while ((msg = curl_multi_info_read(api->multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			sl = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&sl);
			cc = msg->data.result;
			curl_multi_remove_handle(api->multi, sl->easy);
			st[sl->i] = action_end(api, sl, &a[sl->i], cc, &res[sl->i],
			    &causes[sl->i]);
			sl->i = (size_t)-1;
			active--;
		}
		if (backend_interrupted() && !stop) {
			/* Cut what is in flight: maybe sent, and the outbox says so. */
			stop = 1;
			for (k = 0; k < nslots; k++) {
				if (slots[k].i == (size_t)-1)
					continue;
				curl_multi_remove_handle(api->multi, slots[k].easy);
				st[slots[k].i] = action_end(api, &slots[k], &a[slots[k].i],
				    CURLE_ABORTED_BY_CALLBACK, &res[slots[k].i],
				    &causes[slots[k].i]);
				slots[k].i = (size_t)-1;
				active--;
			}
		}
		if (active > 0)
			curl_multi_poll(api->multi, NULL, 0, 100, NULL);
	}
	for (k = 0; k < nslots; k++)
		buf_done(&slots[k].r.body);
	for (; next < n; next++) {
		st[next] = SD_EINTR;
		causes[next] = xstrdup("interrupted");
	}
}

/* One write: storeapi_actions() of one. */
static enum sd_status
storeapi_action(struct backend *be, const struct backend_action *a,
    struct backend_result *res, char **cause)
{
	enum sd_status st;

	memset(res, 0, sizeof *res);
	*cause = NULL;
	storeapi_actions(be, a, 1, res, &st, cause);
	return st;
}

const struct backend_ops backend_storeapi_ops = {
	.name = "storeapi",
	.open = storeapi_open,
	.free = storeapi_free,
	.changes_open = storeapi_changes_open,
	.changes_next = storeapi_changes_next,
	.changes_close = storeapi_changes_close,
	.get = storeapi_get,
	.action = storeapi_action,
	.action_batch = storeapi_actions,
	.whoami = storeapi_whoami,
	.store = storeapi_store,
	.set_wake = storeapi_set_wake,
};
