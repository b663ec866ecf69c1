/*
 * catalog-rules.c -- the catalogue's rules (catalog-rules.h).
 */
#include "config.h"

#include <stdlib.h>

#include "catalog-rules.h"
#include "util/xmalloc.h"

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
