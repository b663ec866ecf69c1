/*
 * fuzz-http.c -- libFuzzer target: the reference store's request handling
 * (src/server/http.c) called as a function, not over a socket: the path
 * split and routed, the query's arguments and the headers (If-Match,
 * Idempotency-Key, the signature's) read, the body parsed and the action
 * run, on a small seeded in-memory store.
 *
 * The input is a request in the shape of HTTP/1.1 text: "METHOD PATH?QUERY",
 * then "Name: value" lines, an empty line and the body. "Bearer @N" stands
 * for the token of the store's Nth user. libmicrohttpd's look-up of
 * arguments and headers is replaced by one over that text, the rest of
 * http.c is compiled here as it is (its config.h again: the same definitions).
 */
#include "config.h"

#include <stdint.h>

#include <microhttpd.h>

const char *fuzz_lookup(struct MHD_Connection *, enum MHD_ValueKind, const char *);
#define MHD_lookup_connection_value fuzz_lookup
#include "src/server/http.c"
#undef MHD_lookup_connection_value

#include "server/seed.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_MAX_VALUES	16

struct fuzz_value {
	const char	*name;
	const char	*value;
};

static struct fuzz_value fuzz_args[FUZZ_MAX_VALUES], fuzz_hdrs[FUZZ_MAX_VALUES];
static int fuzz_nargs, fuzz_nhdrs;
static struct store *fuzz_store;
static struct http fuzz_http;
static char fuzz_auth[128];

const char *
fuzz_lookup(struct MHD_Connection *conn, enum MHD_ValueKind kind, const char *key)
{
	const struct fuzz_value *v = kind == MHD_GET_ARGUMENT_KIND ? fuzz_args : fuzz_hdrs;
	int i, n = kind == MHD_GET_ARGUMENT_KIND ? fuzz_nargs : fuzz_nhdrs;

	(void)conn;
	for (i = 0; i < n; i++)
		if (strcasecmp(v[i].name, key) == 0)
			return v[i].value;
	return NULL;
}

static void
fuzz_init(void)
{
	struct seed_opts so;
	char *cause = NULL;

	if ((fuzz_store = store_open(":memory:", &cause)) == NULL) {
		fprintf(stderr, "fuzz-http: %s\n", cause);
		abort();
	}
	memset(&so, 0, sizeof so);
	so.seed = 3;
	so.orders = 40;
	so.now = 1763625600;
	so.quiet = 1;
	if (seed_store(fuzz_store, &so, &cause) != 0) {
		fprintf(stderr, "fuzz-http: %s\n", cause);
		abort();
	}
	fuzz_http.store = fuzz_store;
	fuzz_http.faults = faults_new();
	fuzz_http.opts.rate = 1e9;
	fuzz_http.opts.burst = 1e9;
	pthread_mutex_init(&fuzz_http.lock, NULL);
}

/* "Name: value" into fuzz_hdrs (in place); "Bearer @N" becomes a user's token. */
static void
fuzz_header(char *line)
{
	char *colon = strchr(line, ':'), *v;
	int n;

	if (colon == NULL || fuzz_nhdrs == FUZZ_MAX_VALUES)
		return;
	*colon = '\0';
	for (v = colon + 1; *v == ' '; v++)
		;
	if (strcasecmp(line, "Authorization") == 0 && strncmp(v, "Bearer @", 8) == 0 &&
	    (n = store_user_count(fuzz_store)) > 0) {
		snprintf(fuzz_auth, sizeof fuzz_auth, "Bearer %s",
		    store_user_at(fuzz_store, (int)((unsigned)atoi(v + 8) % (unsigned)n))->token);
		v = fuzz_auth;
	}
	fuzz_hdrs[fuzz_nhdrs].name = line;
	fuzz_hdrs[fuzz_nhdrs++].value = v;
}

/* "a=1&b=2" into fuzz_args (in place, not decoded). */
static void
fuzz_query(char *q)
{
	char *pair, *eq;

	while ((pair = strsep(&q, "&")) != NULL && fuzz_nargs < FUZZ_MAX_VALUES) {
		if ((eq = strchr(pair, '=')) != NULL)
			*eq++ = '\0';
		fuzz_args[fuzz_nargs].name = pair;
		fuzz_args[fuzz_nargs++].value = eq != NULL ? eq : "";
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_req req;
	struct http_reply rep;
	struct http_ctx c;
	char *text, *p, *line, *method, *uri, *path, *q, *body;
	size_t blen;

	if (fuzz_store == NULL)
		fuzz_init();
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	fuzz_nargs = fuzz_nhdrs = 0;

	/* The body is what follows the first empty line. */
	if ((body = strstr(text, "\n\n")) != NULL) {
		*body = '\0';
		body += 2;
		blen = size - (size_t)(body - text);
	} else {
		body = text + size;
		blen = 0;
	}
	p = text;
	line = strsep(&p, "\n");
	method = strsep(&line, " ");
	uri = line != NULL ? line : "/";
	while ((line = strsep(&p, "\n")) != NULL)
		fuzz_header(line);

	memset(&req, 0, sizeof req);
	req.uri = xstrdup(uri);
	buf_init(&req.body);
	buf_add(&req.body, body, blen);
	path = xstrdup(uri);
	if ((q = strchr(path, '?')) != NULL) {
		*q++ = '\0';
		fuzz_query(q);
	}

	memset(&c, 0, sizeof c);
	memset(&rep, 0, sizeof rep);
	c.h = &fuzz_http;
	c.s = fuzz_store;
	c.req = &req;
	c.method = *method != '\0' ? method : "GET";
	c.path = path;
	c.rep = &rep;
	if (strcmp(c.method, "GET") == 0 && fuzz_lookup(NULL, MHD_GET_ARGUMENT_KIND, "wait") != NULL)
		fuzz_nargs = 0;		/* no long polls: a fuzz run must not sleep */
	http_route(&c);
	if (rep.body == NULL || rep.status < 100 || rep.status > 599)
		abort();		/* every request is answered */

	free(rep.body);
	free(path);
	free(req.uri);
	buf_done(&req.body);
	free(text);
	return 0;
}
