/*
 * catalog-rules.h -- the catalogue's rules, once, for the client and the store.
 *
 * The client checks an action against its cache before queueing it
 * (src/action-check.c) and the reference store checks it again when it
 * arrives (src/server/actions-catalog.c). Both ask these pure functions over
 * plain structs, so the two can never disagree: what a product needs before
 * it goes on the shelf, when a price is under cost, and which rules each kind
 * of promotion takes with their ranges. Nothing here reads a
 * cache or a database; the caller gathers the facts.
 */
#ifndef SD_CATALOG_RULES_H
#define SD_CATALOG_RULES_H

#include <stddef.h>

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

#endif
