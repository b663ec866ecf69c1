/*
 * catalog-rules.c -- the catalogue's rules (catalog-rules.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "catalog-rules.h"
#include "util/xmalloc.h"

#define MONEY_MAX	100000000000LL	/* a billion yuan in fen, as the contract */

const struct promo_kind promo_kinds[] = {
	{ "threshold_coupon", { { "threshold", PROMO_RULE_MONEY, 1, MONEY_MAX },
	    { "off", PROMO_RULE_MONEY, 1, MONEY_MAX } }, 0, 1 },
	{ "percent_coupon", { { "percent_off", PROMO_RULE_INT, 1, 99 },
	    { "max_off", PROMO_RULE_CAP, 1, MONEY_MAX } }, 0, 0 },
	{ "fixed_coupon", { { "off", PROMO_RULE_MONEY, 1, MONEY_MAX } }, 0, 0 },
	{ "new_customer_coupon", { { "off", PROMO_RULE_MONEY, 1, MONEY_MAX } }, 0, 0 },
	{ "flash_sale", { { "price", PROMO_RULE_MONEY, 1, MONEY_MAX },
	    { "quantity", PROMO_RULE_INT, 1, 10000000 } }, 1, 0 },
	{ "tiered", { { "tiers", PROMO_RULE_TIERS, 1, 20 } }, 0, 0 },
	{ "n_items", { { "n", PROMO_RULE_INT, 2, 100 },
	    { "percent_off", PROMO_RULE_INT, 1, 99 } }, 0, 0 },
	{ "bundle", { { "price", PROMO_RULE_MONEY, 1, MONEY_MAX } }, 2, 0 },
	{ "member_price", { { "level", PROMO_RULE_LEVEL, 0, 0 },
	    { "percent_off", PROMO_RULE_INT, 1, 99 } }, 0, 0 },
	{ "group_buy", { { "group_size", PROMO_RULE_INT, 2, 100 },
	    { "price", PROMO_RULE_MONEY, 1, MONEY_MAX } }, 1, 0 },
	{ NULL, { { NULL, PROMO_RULE_INT, 0, 0 } }, 0, 0 }
};

const struct promo_kind *
promo_kind_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && promo_kinds[i].name != NULL; i++)
		if (strcmp(promo_kinds[i].name, name) == 0)
			return &promo_kinds[i];
	return NULL;
}

enum catalog_shelf_rule
catalog_shelf_check(const struct catalog_sku *skus, size_t n, size_t *which)
{
	size_t i, known = 0;
	int stocked = 0;

	*which = 0;
	if (n == 0)
		return CATALOG_NO_SKU;
	for (i = 0; i < n; i++) {
		if (!skus[i].known)
			continue;
		known++;
		if (skus[i].price <= 0) {
			*which = i;
			return CATALOG_NO_PRICE;
		}
		if (skus[i].stock > skus[i].reserved)
			stocked = 1;
	}
	return known == n && !stocked ? CATALOG_NO_STOCK : CATALOG_SELLABLE;
}

char *
catalog_shelf_reason(enum catalog_shelf_rule r, const char *product_id, const char *sku_id)
{
	switch (r) {
	case CATALOG_NO_SKU:
		return xasprintf("product %s has no SKU; add one first", product_id);
	case CATALOG_NO_PRICE:
		return xasprintf("SKU %s has no price; set one first", sku_id);
	case CATALOG_NO_STOCK:
		return xasprintf("product %s has no stock to sell; add stock to a SKU first",
		    product_id);
	default:
		return NULL;
	}
}

int
catalog_below_cost(long long price, long long cost)
{
	return cost > 0 && price < cost;
}
