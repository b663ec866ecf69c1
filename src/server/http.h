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

struct http_opts {
	const char	*listen;		/* IPv4 or IPv6 address; NULL = 127.0.0.1 */
	int		 port;			/* 0 = any free port */
	double		 rate;			/* requests per second per token */
	double		 burst;			/* bucket size per token */
	int		 require_signing;	/* refuse unsigned requests */
	int		 quiet;			/* no libmicrohttpd error log */
	int		 verbose;		/* one log line per request */
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
