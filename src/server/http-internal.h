/*
 * http-internal.h -- what the reference store's HTTP front end shares
 * between its files: http.c (replies, reads, writes, control, routing,
 * libmicrohttpd glue) and http-auth.c (tokens, signatures, nonces, rate
 * limits).
 */
#ifndef SD_SERVER_HTTP_INTERNAL_H
#define SD_SERVER_HTTP_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "server/faults.h"
#include "server/http.h"
#include "server/store.h"
#include "util/buf.h"

#define HTTP_MAX_BODY		(1024 * 1024)	/* largest request body accepted */
#define HTTP_MAX_SEGS		6		/* path segments routed */
#define HTTP_IDEM_TTL		86400		/* idempotency records last 24 h */
#define HTTP_SIGN_SKEW		300		/* signature timestamp tolerance, s */
#define HTTP_NONCE_TTL		600		/* nonces remembered, s */
#define HTTP_NONCE_MAXSLOTS	(1 << 22)	/* nonce table growth limit */
#define HTTP_MAX_WAIT		30		/* longest long poll, s */
#define HTTP_LEDGER_MAX		100000		/* keys listed by /_control/ledger */
#define HTTP_AUDIT_MAX		5000		/* rows listed by /_control/audit */
#define HTTP_HUGE_BYTES		(128u << 20)	/* the huge fault's body */
#define HTTP_HANG_MS		600000		/* the hang fault's silence */
#define HTTP_PAD_HEADERS	10000		/* the headers fault's extra lines (380 kB) */
#define HTTP_POOL_BYTES		(32u << 10)	/* a connection's memory (plain HTTP) */
#define HTTP_POOL_TLS		(512u << 10)	/* and under TLS, room for the padding */
#define HTTP_CLIENT_MAX		100		/* bytes of X-Shopdesk-Client kept */
#define HTTP_MAX_HEADERS	6
#define HTTP_SLICE_MS		250		/* waits check for shutdown this often */
#define HTTP_IDEM_SWEEP		1024		/* writes between expiry sweeps */
/*
 * Smaller bodies go plain: one object, such as a write's answer (a SKU with
 * its 20 movements: 2 066 bytes, 451 gzipped). A few packets either way, in
 * the same round trip; deflating and inflating them cost the store and the
 * client CPU on every request of a replay for next to no time on the wire.
 */
#define HTTP_GZIP_MIN		4096

#define HTTP_JSON_TYPE		"application/json; charset=utf-8"

/* A per-token rate-limit bucket. */
struct http_bucket {
	const struct store_user	*who;		/* stable pointer owned by the store */
	double			 tokens;	/* requests left */
	uint64_t		 at_us;		/* when tokens was computed */
};

/* Nonces seen recently: open addressing over 64-bit hashes (0 = empty). */
struct http_nonce {
	uint64_t	 hash;
	time_t		 at;
};

/* The statements of a write that are kept prepared (struct http.kept). */
enum { HTTP_KEPT_IDEM_FIND, HTTP_KEPT_IDEM_PUT, HTTP_KEPT_LEDGER, HTTP_KEPT_AUDIT,
	HTTP_KEPT__COUNT };

struct http {
	struct MHD_Daemon	*mhd;
	struct store		*store;
	struct faults		*faults;
	struct http_opts	 opts;
	int			 port;
	_Atomic int		 stopping;	/* http_stop() has begun */
	unsigned		 writes;	/* idempotency records stored */
	/* A write's statements, prepared once (http_kept(); under the store's lock). */
	sqlite3_stmt		*kept[HTTP_KEPT__COUNT];

	pthread_mutex_t		 lock;		/* buckets and nonces */
	struct http_bucket	*buckets;
	int			 nbuckets;
	int			 capbuckets;
	struct http_nonce	*nonces;
	size_t			 nslots;	/* power of two */
	size_t			 nused;		/* slots not empty (live or expired) */
};

/* One request, from the first line to completion. */
struct http_req {
	char		*uri;		/* raw path and query, as signed */
	struct buf	 body;		/* request body */
	int		 started;	/* access handler has been called */
	int		 too_large;	/* body over HTTP_MAX_BODY */
	uint64_t	 start_us;
};

struct http_header {
	const char	*name;
	char		 value[48];
};

/* The answer being built. */
struct http_reply {
	int			 status;
	char			*body;		/* xmalloc'd; handed to libmicrohttpd */
	size_t			 len;
	struct http_header	 hdr[HTTP_MAX_HEADERS];
	int			 nhdr;
};

/* Everything a route handler needs. */
struct http_ctx {
	struct http		*h;
	struct store		*s;
	struct MHD_Connection	*conn;
	struct http_req		*req;
	const char		*method;
	const char		*path;		/* decoded path, no query */
	char			*seg[HTTP_MAX_SEGS];
	int			 nseg;
	const struct store_user	*who;
	struct http_reply	*rep;
};

/* A body read by libmicrohttpd: cut short (truncate fault) or paced (bandwidth). */
struct http_body {
	struct http	*h;
	char		*body;
	size_t		 cut;		/* bytes sent: all, or half for truncate */
	uint64_t	 bandwidth;	/* bits per second; 0 = unpaced */
	uint64_t	 start_us;	/* when the first byte was asked for */
};

/* http.c */
void	 http_reply_header(struct http_reply *, const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 http_reply_error(struct http_reply *, int status, const char *code,
	    const char *message, cJSON *details);
const char *http_header(struct http_ctx *, const char *name);
/* Strict decimal integer: 0, or -1. */
int	 http_parse_int(const char *s, long long *out);

/* http-auth.c: 0, or -1 with the refusal in c->rep. */
int	 http_auth(struct http_ctx *c);
int	 http_rate_limit(struct http_ctx *c);

#endif
