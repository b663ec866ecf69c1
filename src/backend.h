/*
 * backend.h -- what the core needs from a remote store, behind one interface.
 *
 * The sync engine, the cache and the console never see HTTP: they ask a
 * backend for a stream of changes from an opaque cursor, for one object, or
 * to perform an action. The Store API v1 backend (api-storeapi.c) reads the
 * server's change feed; a backend for an engine without a feed (Medusa) can
 * implement the same stream by polling updated_at windows, its cursor being
 * the window's end. Cursors are opaque text stored by the sync engine.
 */
#ifndef SD_BACKEND_H
#define SD_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "conf.h"
#include "model.h"
#include "status.h"
#include "util/buf.h"

struct backend;
struct change_stream;

struct change {
	enum sd_kind	 kind;
	const char	*id;		/* borrowed from the page */
	int		 deleted;	/* a tombstone */
	/* The whole object (NULL for a tombstone), either as text or parsed. */
	const char	*text;		/* raw JSON text, validated, borrowed */
	size_t		 len;
	const cJSON	*object;	/* used when text is NULL */
};

struct change_page {
	cJSON		*root;		/* owns what the changes point into, or NULL */
	char		*body;		/* owns what the changes point into, or NULL */
	struct change	*changes;
	size_t		 n;
	char		*next_cursor;	/* cursor after this page */
	int		 has_more;	/* more pages are ready now */
	double		 progress;	/* 0..1 estimate of how far the stream is, -1 unknown */
	/*
	 * A sweep (stores without a change feed find deletions this way):
	 * when sweep is set, the ids in live[0..nlive) are every object of
	 * kind sweep_kind the store has, and after the changes the copies of
	 * all others are removed, in the same transaction.
	 */
	int		 sweep;
	enum sd_kind	 sweep_kind;
	char		**live;		/* owned by the page */
	size_t		 nlive;
	size_t		 bytes;		/* bytes received for this page, decoded */
	size_t		 wire_bytes;	/* as they came (compressed, headers); 0: as bytes */
	unsigned	 requests;	/* requests it took (retries included) */
};

/* A write action as the core describes it (outbox entries replay these). */
struct backend_action {
	enum sd_kind	 kind;
	const char	*id;		/* NULL for creates */
	const char	*action;	/* "ship", "messages", NULL for create/edit */
	const char	*method;	/* "POST", "PATCH" or "DELETE" */
	const cJSON	*body;
	const char	*idempotency_key;
	long long	 if_match;	/* -1: none */
	const char	*done_at;	/* RFC 3339: when the user did it (queued); NULL: now */
};

struct backend_result {
	int		 http_status;	/* 0 when no answer arrived */
	cJSON		*body;		/* the answer (object or error envelope), caller frees */
	double		 retry_after;	/* seconds the store asked us to wait, 0 if none */
	/*
	 * body's text as the store sent it, when the backend keeps it (the
	 * replay stores and logs it as it is, rather than print body again),
	 * or NULL; caller frees.
	 */
	char		*text;
};

struct backend_ops {
	const char	*name;
	/*
	 * What the store offers: the kinds it has (bit 1 << kind; 0 means
	 * every kind) and the actions it can perform, "noun.name" words
	 * separated by spaces as in action_table ("orders.ship"; NULL means
	 * every action). sync_whoami() records both in the cache (caps.h),
	 * so that the CLI and the console say "not offered by this store"
	 * rather than show an empty pane or queue what can never be sent.
	 */
	unsigned	 kinds;
	const char	*actions;
	int		 no_sla;	/* tickets carry no SLA timers */
	struct backend *(*open)(const struct config *, char **cause);
	void		(*free)(struct backend *);
	/*
	 * Start a stream of changes after cursor (NULL: from the beginning).
	 * limit is the page size; wait > 0 long-polls for up to wait seconds.
	 */
	enum sd_status	(*changes_open)(struct backend *, const char *cursor, int limit,
			    int wait, struct change_stream **, char **cause);
	/* Next page; a page with n == 0 and has_more == 0 ends the stream. */
	enum sd_status	(*changes_next)(struct change_stream *, struct change_page *,
			    char **cause);
	void		(*changes_close)(struct change_stream *);
	/* One object, fresh from the store. */
	enum sd_status	(*get)(struct backend *, enum sd_kind, const char *id, cJSON **out,
			    char **cause);
	/* Perform a write; the result carries the store's answer. */
	enum sd_status	(*action)(struct backend *, const struct backend_action *,
			    struct backend_result *, char **cause);
	/*
	 * Optional: perform n writes on different objects at once (a few
	 * keep-alive connections), setting st[i], res[i] and causes[i] as
	 * action() would for a[i]. NULL: backend_actions() performs them one
	 * by one with action().
	 */
	void		(*action_batch)(struct backend *, const struct backend_action *a, size_t n,
			    struct backend_result *res, enum sd_status *st, char **causes);
	/* Who the token belongs to: the user object with "permissions". */
	enum sd_status	(*whoami)(struct backend *, cJSON **out, char **cause);
	/*
	 * Optional: the store itself, {"timezone": "Asia/Shanghai",
	 * "currency": "CNY"}, either member missing when the store cannot
	 * say (clock.h).
	 */
	enum sd_status	(*store)(struct backend *, cJSON **out, char **cause);
	/*
	 * Optional (NULL when the backend has no long poll to cut). Watch the
	 * owner's flag wake (NULL: none), which must outlive the backend or be
	 * unset first. While *wake is non-zero (read with __atomic_load_n, so
	 * another thread may set it), a long poll (wait > 0) still waiting for
	 * news ends early and its stream ends as if nothing had changed: an
	 * empty last page, SD_OK, the cursor where the last page delivered
	 * left it. The owner sets the flag when it has something to send, so
	 * the send need not wait out the poll. Plain requests, streams opened
	 * with wait == 0 (a first or bulk load), an answer already arriving
	 * and retries after a failure are never cut.
	 */
	void		(*set_wake)(struct backend *, const volatile int *wake);
};

struct backend {
	const struct backend_ops *ops;
	void		*priv;
};

/* Open the backend named by conf->backend. NULL with *cause. */
struct backend *backend_open(const struct config *, char **cause);
void	 backend_free(struct backend **);
void	 change_page_done(struct change_page *);
/*
 * Perform n writes on different objects: at once when the backend can,
 * else one by one. Each of st[i], res[i] and causes[i] is set (causes[i]
 * NULL when there is nothing to say); the caller frees res[i].body and
 * causes[i]. After an interrupt the writes not yet begun are SD_EINTR.
 */
void	 backend_actions(struct backend *, const struct backend_action *a, size_t n,
	    struct backend_result *res, enum sd_status *st, char **causes);
/* Ask running transfers to stop (safe from a signal handler). */
void	 backend_interrupt(void);
int	 backend_interrupted(void);

/* What the backends share: libcurl's one-time set-up, the URL check (https
 * unless loopback or allow-http), and the pause between retries. */
void	 backend_curl_init(void);
int	 backend_check_url(const struct config *, char **cause);
/*
 * Reset easy for one request to url and set what every backend's request
 * shares: http(s) only, no signals, errbuf (CURL_ERROR_SIZE) for libcurl's
 * words, 10 s to connect and timeout seconds in all, TLS verified (against
 * ca_file when not NULL), progress callbacks on, our user agent, and
 * compressed answers asked for (backend_encodings()). The caller adds its
 * callbacks, headers and method.
 */
/*
 * A Retry-After header's value in seconds, 0 when it is not a number of
 * seconds; never more than BACKEND_RETRY_AFTER_MAX, so that a store cannot
 * park a client for days.
 */
#define BACKEND_RETRY_AFTER_MAX	60
double	 backend_retry_after(const char *value);
/*
 * Why a transfer that ended with cc failed, for a message "WHO at BASE ...":
 * a certificate that does not verify says so and how to trust a private CA,
 * anything else is "unreachable". Allocated.
 */
char	*backend_curl_cause(const char *who, const char *base, CURLcode cc,
	    const char *errbuf);
void	 backend_curl_prepare(CURL *easy, const char *url, long timeout, const char *ca_file,
	    char *errbuf);
/* The most of an answer's body a backend keeps: a larger one is refused. */
#define BACKEND_MAX_BODY	(64u << 20)
/*
 * A write callback's work: add n bytes at p to body unless that makes it
 * larger than BACKEND_MAX_BODY, which sets *truncated. Returns what libcurl
 * expects (n, or 0 to abort).
 */
size_t	 backend_body_add(struct buf *body, int *truncated, const char *p, size_t n);
/* "gzip, zstd", "gzip" or NULL: what this libcurl can decode. */
const char *backend_encodings(void);
/* The bytes of the last answer on easy as they came: headers and body, encoded. */
size_t	 backend_curl_wire_bytes(CURL *easy);
/* Milliseconds before retry attempt (from 0), at least retry_after seconds. */
long	 backend_backoff_ms(int attempt, double retry_after);
/* Sleep ms in short naps, returning early on an interrupt or *stop. */
void	 backend_nap(long ms, const volatile int *stop);

/* The Store API v1 backend. */
extern const struct backend_ops backend_storeapi_ops;
/* A change-feed answer (body, taken) as the Store API backend reads it: for tests/fuzz. */
int	 storeapi_parse_page(char *body, size_t len, long long since, struct change_page *,
	    char **cause);
/* Medusa v2's Admin API, polled (api-medusa.c). */
extern const struct backend_ops backend_medusa_ops;

#endif
