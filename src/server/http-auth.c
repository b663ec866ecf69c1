/*
 * http-auth.c -- who a request of the reference store comes from: the bearer
 * token, the request signature (HMAC over method, path, timestamp, nonce and
 * body; a nonce is accepted once within HTTP_NONCE_TTL, in an open-addressed
 * table of hashes), and the token's rate-limit bucket (Retry-After when
 * empty). Split from http.c, which calls http_auth() and http_rate_limit()
 * for every request under /v1/.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model.h"
#include "server/http-internal.h"
#include "util/jsonutil.h"
#include "util/sign.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

static uint64_t
http_nonce_hash(const char *nonce)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *nonce != '\0'; nonce++) {
		h ^= (unsigned char)*nonce;
		h *= 0x100000001b3ULL;
	}
	return h == 0 ? 1 : h;
}

/* Rebuild the nonce table without expired entries, growing it if need be. */
static void
http_nonce_rehash(struct http *h, time_t now)
{
	struct http_nonce *old = h->nonces;
	size_t oldn = h->nslots, live = 0, i, j, n;

	for (i = 0; i < oldn; i++)
		if (old[i].hash != 0 && now - old[i].at < HTTP_NONCE_TTL)
			live++;
	n = oldn == 0 ? 4096 : oldn;
	while (live * 4 >= n && n < HTTP_NONCE_MAXSLOTS)
		n *= 2;
	h->nonces = xcalloc(n, sizeof *h->nonces);
	h->nslots = n;
	h->nused = 0;
	for (i = 0; i < oldn; i++) {
		if (old[i].hash == 0 || now - old[i].at >= HTTP_NONCE_TTL)
			continue;
		if (h->nused * 4 >= n * 3)
			break;	/* at the growth limit: forget the rest */
		for (j = old[i].hash & (n - 1); h->nonces[j].hash != 0; j = (j + 1) & (n - 1))
			;
		h->nonces[j] = old[i];
		h->nused++;
	}
	free(old);
}

/* Remember nonce; 1 when it was already seen within HTTP_NONCE_TTL. */
static int
http_nonce_seen(struct http *h, const char *nonce, time_t now)
{
	uint64_t hash = http_nonce_hash(nonce);
	size_t i, mask, freeslot = (size_t)-1;
	int seen = 0;

	pthread_mutex_lock(&h->lock);
	if (h->nslots == 0 || (h->nused + 1) * 2 > h->nslots)
		http_nonce_rehash(h, now);
	mask = h->nslots - 1;
	for (i = hash & mask; h->nonces[i].hash != 0; i = (i + 1) & mask) {
		if (now - h->nonces[i].at >= HTTP_NONCE_TTL) {
			if (freeslot == (size_t)-1)
				freeslot = i;
			continue;
		}
		if (h->nonces[i].hash == hash) {
			seen = 1;
			break;
		}
	}
	if (!seen) {
		if (freeslot == (size_t)-1) {
			freeslot = i;
			h->nused++;
		}
		h->nonces[freeslot].hash = hash;
		h->nonces[freeslot].at = now;
	}
	pthread_mutex_unlock(&h->lock);
	return seen;
}

static int
http_nonce_valid(const char *nonce)
{
	size_t n = strlen(nonce), i;

	if (n < 16 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)nonce[i]))
			return 0;
	return 1;
}

/* Verify the request signature when sent or required; -1 after answering 401. */
static int
http_check_signature(struct http_ctx *c)
{
	const char *ts, *nonce, *sig;
	char expect[SHA256_HEX_LEN];
	long long t;
	time_t now;

	ts = http_header(c, "X-Shopdesk-Timestamp");
	nonce = http_header(c, "X-Shopdesk-Nonce");
	sig = http_header(c, "X-Shopdesk-Signature");
	if (ts == NULL && nonce == NULL && sig == NULL && !c->h->opts.require_signing)
		return 0;
	if (ts == NULL || nonce == NULL || sig == NULL) {
		http_reply_error(c->rep, 401, "bad_signature", "this server requires "
		    "signed requests: send X-Shopdesk-Timestamp, X-Shopdesk-Nonce "
		    "and X-Shopdesk-Signature", NULL);
		return -1;
	}
	if (http_parse_int(ts, &t) != 0) {
		http_reply_error(c->rep, 401, "bad_signature",
		    "X-Shopdesk-Timestamp must be Unix seconds", NULL);
		return -1;
	}
	now = store_now(c->s);
	if (t < (long long)now - HTTP_SIGN_SKEW || t > (long long)now + HTTP_SIGN_SKEW) {
		http_reply_error(c->rep, 401, "stale_timestamp", "the request timestamp "
		    "is more than 300 seconds from the server's clock", NULL);
		return -1;
	}
	if (!http_nonce_valid(nonce)) {
		http_reply_error(c->rep, 401, "bad_signature",
		    "X-Shopdesk-Nonce must be 16 to 64 characters [A-Za-z0-9]", NULL);
		return -1;
	}
	sign_request(c->who->token, c->method, c->req->uri, ts, nonce,
	    c->req->body.data != NULL ? c->req->body.data : "", c->req->body.len,
	    expect);
	if (!sign_equal(expect, sig)) {
		http_reply_error(c->rep, 401, "bad_signature",
		    "the request signature does not match", NULL);
		return -1;
	}
	if (http_nonce_seen(c->h, nonce, now)) {
		http_reply_error(c->rep, 401, "nonce_reused",
		    "this nonce was already used", NULL);
		return -1;
	}
	return 0;
}

/* Find the caller from the bearer token; -1 after answering 401. */
int
http_auth(struct http_ctx *c)
{
	const char *a = http_header(c, "Authorization");
	char token[sizeof c->who->token];
	size_t n;

	if (a == NULL || strncasecmp(a, "Bearer ", 7) != 0) {
		http_reply_error(c->rep, 401, "unauthorized",
		    "send Authorization: Bearer <token>", NULL);
		return -1;
	}
	for (a += 7; *a == ' '; a++)
		;
	n = strlen(a);
	while (n > 0 && isspace((unsigned char)a[n - 1]))
		n--;
	if (n > 0 && n < sizeof token) {
		memcpy(token, a, n);
		token[n] = '\0';
		c->who = store_user_by_token(c->s, token);
	}
	if (c->who == NULL) {
		explicit_bzero(token, sizeof token);
		http_reply_error(c->rep, 401, "unauthorized", "unknown token", NULL);
		return -1;
	}
	explicit_bzero(token, sizeof token);
	return http_check_signature(c);
}

/* Charge the caller's bucket; -1 after answering 429. */
int
http_rate_limit(struct http_ctx *c)
{
	struct http *h = c->h;
	struct http_bucket *b = NULL;
	uint64_t now = time_mono_us();
	double wait;
	int i, ok;

	if (h->opts.rate <= 0)
		return 0;
	pthread_mutex_lock(&h->lock);
	for (i = 0; i < h->nbuckets; i++) {
		if (h->buckets[i].who == c->who) {
			b = &h->buckets[i];
			break;
		}
	}
	if (b == NULL) {
		if (h->nbuckets == h->capbuckets) {
			h->capbuckets = h->capbuckets == 0 ? 16 : h->capbuckets * 2;
			h->buckets = xrealloc(h->buckets,
			    h->capbuckets * sizeof *h->buckets);
		}
		b = &h->buckets[h->nbuckets++];
		b->who = c->who;
		b->tokens = h->opts.burst;
		b->at_us = now;
	}
	b->tokens += (double)(now - b->at_us) / 1e6 * h->opts.rate;
	if (b->tokens > h->opts.burst)
		b->tokens = h->opts.burst;
	b->at_us = now;
	ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	wait = (1.0 - b->tokens) / h->opts.rate;
	pthread_mutex_unlock(&h->lock);
	if (ok)
		return 0;

	http_reply_error(c->rep, 429, "rate_limited", "too many requests; retry "
	    "after the time in Retry-After", NULL);
	/* Whole seconds, rounded up, at least 1 (no libm for ceil). */
	i = (int)wait;
	http_reply_header(c->rep, "Retry-After", "%d", i < 1 ? 1 : i + (wait > i));
	return -1;
}
