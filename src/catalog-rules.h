/*
 * catalog-rules.h -- the catalogue's rules, once, for the client and the store.
 *
 * The client checks an action against its cache before queueing it
 * (src/action-check.c) and the reference store checks it again when it
 * arrives (src/server/actions-catalog.c). Both ask these pure functions over
 * plain structs, so the two can never disagree: what a product needs before
 * it goes on the shelf, when a price is under cost, which rules each kind
 * of promotion takes with their ranges, and a promotion's dates (ends after
 * it starts, a start or an end still ahead) and its overlap with another on
 * a SKU (also the console's promotion form). Nothing here reads a cache or a
 * database; the caller gathers the facts (a promotion's from its JSON).
 */
#ifndef SD_CATALOG_RULES_H
#define SD_CATALOG_RULES_H

#include <stddef.h>
#include <time.h>

struct cJSON;

/* What the rules need to know of one SKU of a product. */
struct catalog_sku {
	const char	*id;
	int		 known;		/* its facts below are known (in the cache, in the store) */
	long long	 price;		/* fen */
	long long	 stock;
	long long	 reserved;
};

enum catalog_shelf_rule {
	CATALOG_SELLABLE,	/* may go on the shelf */
	CATALOG_NO_SKU,		/* the product has no SKU */
	CATALOG_NO_PRICE,	/* a SKU has no price */
	CATALOG_NO_STOCK,	/* no SKU has stock beyond what is reserved */
};

/*
 * Whether a product of skus[0..n) may go on the shelf: it has a SKU, every
 * known SKU a price (the first without one in *which), and one has stock
 * beyond its reservations. With a SKU unknown, "no stock" is not claimed.
 */
enum catalog_shelf_rule catalog_shelf_check(const struct catalog_sku *skus, size_t n,
	    size_t *which);
/*
 * Why, as one sentence both sides say ("product P1001 has no stock to sell;
 * add stock to a SKU first"); the caller frees. NULL for CATALOG_SELLABLE.
 */
char	*catalog_shelf_reason(enum catalog_shelf_rule, const char *product_id,
	    const char *sku_id);

/* Whether price sells under cost (a cost of 0 is not known: never). */
int	 catalog_below_cost(long long price, long long cost);

/* A promotion's rules by kind, as in the contract. */
enum promo_rule_type {
	PROMO_RULE_INT,		/* a whole number in min..max */
	PROMO_RULE_MONEY,	/* fen in min..max */
	PROMO_RULE_CAP,		/* the same, or absent or null: no cap (a percent coupon's) */
	PROMO_RULE_LEVEL,	/* a member level */
	PROMO_RULE_TIERS,	/* [{threshold, off}, ...] of min..max tiers, ascending */
};

struct promo_rule {
	const char		*key;	/* member of "rules" */
	enum promo_rule_type	 type;
	long long		 min;
	long long		 max;
};

struct promo_kind {
	const char		*name;
	struct promo_rule	 rules[3];	/* ends at a NULL key */
	int			 sku_min;	/* sku_ids needed */
	int			 off_below;	/* needs off < threshold */
};

/* Every kind, ended by a NULL name; one by name, or NULL. */
extern const struct promo_kind promo_kinds[];
const struct promo_kind *promo_kind_find(const char *name);

#define CATALOG_PROMO_SKUS	64	/* sku_ids a promotion is compared by */

/* A promotion as its date and overlap rules see it (catalog_promo_read()). */
struct catalog_promo {
	const char	*id;		/* NULL: not created yet */
	const char	*kind;
	const char	*status;
	time_t		 starts, ends;	/* 0: not given or not a time */
	const char	*skus[CATALOG_PROMO_SKUS];
	size_t		 nskus;
};

/* The members of the promotion p (borrowed from it: keep p). */
void	 catalog_promo_read(struct catalog_promo *, const struct cJSON *p);
/* Whether it ends after it starts. */
int	 catalog_promo_dates_ok(time_t starts, time_t ends);
/* Whether the time t (a start to schedule, an end to activate) is still ahead of now. */
int	 catalog_promo_ahead(time_t t, time_t now);
/*
 * Whether other overlaps p: another promotion (not p itself), scheduled or
 * active, whose window meets p's and which has one of p's SKUs. That SKU
 * (borrowed from p), or NULL. Which kinds count is the caller's: the store
 * refuses a flash sale over a flash sale, the client also warns of others.
 */
const char *catalog_promo_overlap(const struct catalog_promo *p,
	    const struct catalog_promo *other);

#endif
