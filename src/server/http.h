/*
 * http.h -- the reference store's HTTP front end (libmicrohttpd).
 *
 * Serves the Store API v1 and the /_control/ endpoints over a store, with
 * bearer-token auth, optional request signing, per-token rate limiting and
 * fault injection. One thread per connection, so long polls simply block.
 */
#ifndef SD_SERVER_HTTP_H
#define SD_SERVER_HTTP_H

#include "server/faults.h"
#include "server/store.h"

/*
 * The default gzip level of answers to clients that accept gzip: measured
 * on the 139 pages of a first sync of 100,000 orders (161 MB of JSON),
 * level 1 gives 305 bytes an order at 140 MB/s, 4 252 B at 90 MB/s, 5
 * 236 B at 88 MB/s and 6 230 B at 60 MB/s: 5 is the fastest within 250 B.
 */
#define HTTP_GZIP_LEVEL		5

struct http_opts {
	const char	*listen;		/* IPv4 or IPv6 address; NULL = 127.0.0.1 */
	int		 port;			/* 0 = any free port */
	double		 rate;			/* requests per second per token */
	double		 burst;			/* bucket size per token */
	int		 require_signing;	/* refuse unsigned requests */
	int		 quiet;			/* no libmicrohttpd error log */
	int		 verbose;		/* one log line per request */
	int		 gzip_level;		/* 1-9; 0 = HTTP_GZIP_LEVEL; -1 = never */
	const char	*tls_cert;		/* PEM certificate (chain); NULL = plain HTTP */
	const char	*tls_key;		/* PEM private key of tls_cert */
};

struct http;

/* Start serving; NULL with *cause on failure. */
struct http	*http_start(struct store *, struct faults *, const struct http_opts *,
		    char **cause);
/* The port actually bound. */
int		 http_port(struct http *);
/* Stop serving (waits for connection threads) and free. */
void		 http_stop(struct http **);

#endif
