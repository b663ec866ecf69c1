/*
 * medusa.h -- the Medusa v2 backend's parts: transport, mapping, writes.
 *
 * Medusa has no change feed, no versions on most objects, no idempotency
 * keys and its own shapes. The backend adapts it to Store API v1 as the
 * core knows it (shopdesk-storeapi(7)):
 *
 *   api-medusa.c    HTTP and authentication; the change stream, which polls
 *                   updated_at windows with an overlap and dedupes by id
 *                   (the cursor is the windows' state); periodic sweeps
 *                   that find deletions and refunds.
 *   medusa-map.c    Medusa objects to v1 objects: orders, after-sales
 *                   tickets (returns, claims, exchanges), SKUs (inventory
 *                   items and their levels, with their variant), products,
 *                   promotions (with their campaign), customers, users.
 *                   Money exactly to fen; versions from the objects' times.
 *   medusa-write.c  v1 actions as Medusa calls, each re-reading the object
 *                   first: If-Match is checked against it, and an action
 *                   whose answer was lost is recognised there (by the key
 *                   left in metadata or a refund's note, or by its effect)
 *                   so that a retry never applies it twice.
 */
#ifndef SD_MEDUSA_H
#define SD_MEDUSA_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "backend.h"

enum medusa_auth {
	MEDUSA_AUTH_KEY,	/* a secret API key, sent as HTTP Basic */
	MEDUSA_AUTH_EMAILPASS,	/* the admin user's password, exchanged for a JWT */
	MEDUSA_AUTH_BEARER,	/* a JWT */
};

struct medusa {
	char		*base;		/* "https://host:port", no trailing slash */
	enum medusa_auth auth;
	char		*secret;	/* key, password or JWT */
	char		*user;		/* e-mail, for emailpass */
	char		*jwt;		/* the JWT in use (emailpass, bearer) */
	char		*role;		/* the role the console takes */
	char		*location;	/* stock location id, NULL until known */
	char		*currency;	/* the store's default currency, NULL until known */
	char		*ca_file;
	long		 timeout;
	int		 poll_interval;
	int		 reconcile;
	CURL		*easy;		/* for calls on the caller's thread */
	uint64_t	 bytes;		/* received, all calls, decoded */
	uint64_t	 wire_bytes;	/* ... as they came (compressed, with headers) */
	const volatile int *wake;
};

/*
 * One request. body (may be NULL) is sent as JSON. On a 2xx answer SD_OK
 * and *out the parsed object; otherwise a status with *cause naming what
 * Medusa said ({type, message}) or why nothing came, and *out the error
 * body when there was one. *http gets the status (0: no answer). Transient
 * failures are retried up to attempts times; writes pass 1.
 */
enum sd_status medusa_call(struct medusa *, CURL *, const char *method, const char *path,
	    const cJSON *body, int attempts, const volatile int *stop, long *http,
	    cJSON **out, char **cause);
/* The store's default currency ("cny"), asked once. */
const char *medusa_currency_of(struct medusa *);
/* GET path, retried; the answer object or NULL with *cause. */
enum sd_status medusa_get(struct medusa *, const char *path, cJSON **out, char **cause);

/*
 * Give each after-sales record of the array its "order" (currency and
 * customer), which Medusa cannot join into a list ordered by updated_at
 * (it answers 500). *requests counts the calls.
 */
enum sd_status medusa_attach_orders(struct medusa *, CURL *, cJSON *records,
	    unsigned *requests, char **cause);

/* The query string's fields= for each resource (what the mapping reads). */
extern const char medusa_order_fields[];
extern const char medusa_return_fields[];
extern const char medusa_claim_fields[];
extern const char medusa_exchange_fields[];
extern const char medusa_sku_fields[];
extern const char medusa_product_fields[];
extern const char medusa_category_fields[];
extern const char medusa_promotion_fields[];
extern const char medusa_customer_fields[];
extern const char medusa_user_fields[];

/* --- mapping (medusa-map.c) --- */

/*
 * An amount of money to fen, exactly: from the "raw_NAME" twin's decimal
 * text when there is one, else from the number, whose shortest decimal
 * form (at most 15 significant digits, which every amount Medusa stores
 * has) is read as text; a third decimal rounds half away from zero.
 * 0, or -1 when obj has no such amount.
 */
int	 medusa_money(const cJSON *obj, const char *name, long long *fen);
/* Decimal text ("129.9", "-22.5", "1e-7") to fen. 0 or -1. */
int	 medusa_decimal_fen(const char *text, long long *fen);
/* Fen as the decimal Medusa takes ("129.9"): a JSON number made from text. */
cJSON	*medusa_fen_json(long long fen);
/* Milliseconds since the epoch of an ISO time ("2026-12-06T11:27:46.847Z"), -1. */
long long medusa_ms(const char *iso);
/* The ISO time of ms, in out[MEDUSA_ISO_LEN]. */
#define MEDUSA_ISO_LEN	64
void	 medusa_iso(long long ms, char *out);

/* "ISO 4217" code in capitals ("usd" -> "USD") into out[8]. */
void	 medusa_currency(const char *code, char *out);

cJSON	*medusa_map_order(const cJSON *o);
/* A plain return, a claim or an exchange (with its "return"), as a ticket. */
cJSON	*medusa_map_return(const cJSON *r);
cJSON	*medusa_map_claim(const cJSON *c);
cJSON	*medusa_map_exchange(const cJSON *x);
/*
 * An inventory item with its variants and levels, as a SKU (NULL: none);
 * its price in currency when the variant has one.
 */
cJSON	*medusa_map_sku(const cJSON *item, const char *currency);
cJSON	*medusa_map_product(const cJSON *p);
/* A product category: {id, name, parent_id, position}. */
cJSON	*medusa_map_category(const cJSON *c);
cJSON	*medusa_map_promotion(const cJSON *p);
/*
 * A customer's figures: fold an array of orders (customer_id, total, status,
 * currency_code) into figures, {"cus_1": {"orders": N, "spent": FEN,
 * "currency": "cny"}}, so that pages of orders need not be kept.
 */
void	 medusa_figures_add(cJSON *figures, const cJSON *orders);
/* A customer, with its figures from figures (or none: NULL). */
cJSON	*medusa_map_customer(const cJSON *c, const cJSON *figures);
cJSON	*medusa_map_user(const cJSON *u, const char *role);
/* The person's name: "Ada Lovelace", or "张三" (family name first) for CJK. */
char	*medusa_person_name(const cJSON *who);

/* --- writes (medusa-write.c) --- */

/* The actions the backend performs, "noun.name" words (backend_ops.actions). */
extern const char medusa_actions[];

enum sd_status medusa_action(struct medusa *, const struct backend_action *,
	    struct backend_result *, char **cause);
/* The v1 object of kind k and Medusa id, fresh from the store. */
enum sd_status medusa_fetch(struct medusa *, enum sd_kind, const char *id, cJSON **out,
	    char **cause);

#endif
