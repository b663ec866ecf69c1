/*
 * backend.c -- choosing a backend, and what every backend shares.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "backend.h"
#include "util/intl.h"
#include "util/xmalloc.h"

static const struct backend_ops *backends[] = {
	&backend_storeapi_ops,
	&backend_medusa_ops,
	NULL
};

static volatile sig_atomic_t backend_stop;

struct backend *
backend_open(const struct config *conf, char **cause)
{
	const char *name = conf->backend != NULL ? conf->backend : "storeapi";
	int i;

	for (i = 0; backends[i] != NULL; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i]->open(conf, cause);
	*cause = xasprintf(_("unknown backend '%s' in profile %s (known: storeapi, medusa)"), name,
	    conf->profile);
	return NULL;
}

void
backend_free(struct backend **bp)
{
	if (*bp != NULL)
		(*bp)->ops->free(*bp);
	*bp = NULL;
}

void
backend_actions(struct backend *be, const struct backend_action *a, size_t n,
    struct backend_result *res, enum sd_status *st, char **causes)
{
	size_t i;

	memset(res, 0, n * sizeof *res);
	for (i = 0; i < n; i++)
		causes[i] = NULL;
	if (be->ops->action_batch != NULL) {
		be->ops->action_batch(be, a, n, res, st, causes);
		return;
	}
	for (i = 0; i < n; i++) {
		if (backend_interrupted()) {
			st[i] = SD_EINTR;
			causes[i] = xstrdup("interrupted");
			continue;
		}
		st[i] = be->ops->action(be, &a[i], &res[i], &causes[i]);
	}
}

void
change_page_done(struct change_page *p)
{
	if (p->root != NULL)
		cJSON_Delete(p->root);
	free(p->body);
	free(p->changes);
	free(p->next_cursor);
	while (p->nlive > 0)
		free(p->live[--p->nlive]);
	free(p->live);
	memset(p, 0, sizeof *p);
}

void
backend_interrupt(void)
{
	backend_stop = 1;
}

int
backend_interrupted(void)
{
	return backend_stop != 0;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		fatal("curl_global_init failed");
}

/* Whether host names this machine: plain http to it never crosses a network. */
static int
host_is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 ||
	    strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0;
}

int
backend_check_url(const struct config *conf, char **cause)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *where;
	int rc = -1;

	/* Where the url came from, so that the message says which line to fix. */
	if (conf->url_line != 0 && conf->file != NULL)
		where = xasprintf("%s:%u: ", conf->file, conf->url_line);
	else
		where = xstrdup("");
	if (conf->url == NULL || *conf->url == '\0') {
		*cause = xasprintf(_("profile %s has no url"), conf->profile);
		goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, conf->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		*cause = xasprintf(_("%sbad store url '%s' in profile %s (expected "
		    "https://HOST[:PORT][/PATH])"), where, conf->url, conf->profile);
		goto out;
	}
	if (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0) {
		*cause = xasprintf(_("%sstore url %s: only http and https are supported"), where,
		    conf->url);
		goto out;
	}
	if (strcasecmp(scheme, "http") == 0 && !host_is_loopback(host) && !conf->allow_http) {
		*cause = xasprintf(_("%srefusing plain http to %s: the token would cross the "
		    "network unencrypted; use https:// or set allow-http = yes"), where, host);
		goto out;
	}
	rc = 0;
out:
	free(where);
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

void
backend_nap(long ms, const volatile int *stop)
{
	struct timespec ts;

	while (ms > 0 && !backend_interrupted() && !(stop != NULL && *stop)) {
		ts.tv_sec = 0;
		ts.tv_nsec = (ms > 100 ? 100 : ms) * 1000000L;
		nanosleep(&ts, NULL);
		ms -= 100;
	}
}

long
backend_backoff_ms(int attempt, double retry_after)
{
	long base = 200L << (attempt < 6 ? attempt : 6), jitter;

	if (base > 10000)
		base = 10000;
	jitter = (long)(random() % (base / 2 + 1));
	if (retry_after > 0)
		return (long)(retry_after * 1000) + jitter / 4;
	return base / 2 + jitter;
}

void
backend_curl_init(void)
{
	pthread_once(&curl_once, curl_init_once);
}

/* gzip, and zstd too where libcurl can decode it; NULL when it can neither. */
const char *
backend_encodings(void)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	int gzip = (v->features & CURL_VERSION_LIBZ) != 0, zstd = 0;

#ifdef CURL_VERSION_ZSTD
	zstd = (v->features & CURL_VERSION_ZSTD) != 0;
#endif
	if (gzip && zstd)
		return "gzip, zstd";
	if (gzip)
		return "gzip";
	return zstd ? "zstd" : NULL;
}

void
backend_curl_prepare(CURL *easy, const char *url, long timeout, const char *ca_file,
    char *errbuf)
{
	const char *encodings;

	curl_easy_reset(easy);
	curl_easy_setopt(easy, CURLOPT_URL, url);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "shopdesk/" PACKAGE_VERSION);
	/* Compressed answers, decoded by libcurl before the body callback sees them. */
	if ((encodings = backend_encodings()) != NULL)
		curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, encodings);
	if (ca_file != NULL)
		curl_easy_setopt(easy, CURLOPT_CAINFO, ca_file);
	errbuf[0] = '\0';
}

double
backend_retry_after(const char *value)
{
	char *end;
	double d = strtod(value, &end);

	if (end == value || !(d > 0))	/* also NaN */
		return 0;
	return d > BACKEND_RETRY_AFTER_MAX ? BACKEND_RETRY_AFTER_MAX : d;
}

char *
backend_curl_cause(const char *who, const char *base, CURLcode cc, const char *errbuf)
{
	const char *why = errbuf != NULL && errbuf[0] != '\0' ? errbuf :
	    curl_easy_strerror(cc);

	switch (cc) {
	case CURLE_PEER_FAILED_VERIFICATION:
#if LIBCURL_VERSION_NUM < 0x073e00
	case CURLE_SSL_CACERT:
#endif
		if (strstr(why, "name") != NULL && strstr(why, "match") != NULL)
			return xasprintf(_("%s at %s: its TLS certificate is for "
			    "another host name (%s); check 'url =' in the profile"),
			    who, base, why);
		return xasprintf(_("%s at %s: its TLS certificate is not trusted (%s); "
		    "if it is signed by a private certificate authority, name that "
		    "authority's certificate with 'ca-file =' in the profile "
		    "(verification is never turned off)"), who, base, why);
	case CURLE_SSL_CACERT_BADFILE:
		return xasprintf(_("%s at %s: cannot read the certificates named by "
		    "'ca-file =' (%s)"), who, base, why);
	default:
		return xasprintf(_("%s at %s unreachable: %s"), who, base, why);
	}
}

size_t
backend_body_add(struct buf *body, int *truncated, const char *p, size_t n)
{
	if (body->len + n > BACKEND_MAX_BODY) {
		*truncated = 1;
		return 0;
	}
	buf_add(body, p, n);
	return n;
}

size_t
backend_curl_wire_bytes(CURL *easy)
{
	curl_off_t body = 0;
	long head = 0;

	curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &body);
	curl_easy_getinfo(easy, CURLINFO_HEADER_SIZE, &head);
	return (size_t)(body > 0 ? body : 0) + (size_t)(head > 0 ? head : 0);
}
