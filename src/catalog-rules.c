/*
 * catalog-rules.c -- the catalogue's rules (catalog-rules.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "catalog-rules.h"
#include "util/intl.h"
#include "util/jsonutil.h"
#include "util/timeutil.h"
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
		return xasprintf(_("product %s has no SKU; add one first"), product_id);
	case CATALOG_NO_PRICE:
		return xasprintf(_("SKU %s has no price; set one first"), sku_id);
	case CATALOG_NO_STOCK:
		return xasprintf(_("product %s has no stock to sell; add stock to a SKU first"),
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

/* A time member of p, or 0. */
static time_t
catalog_time(const cJSON *p, const char *key)
{
	time_t t;

	return json_str(p, key) != NULL && time_parse_rfc3339(json_str(p, key), &t) == 0 ? t : 0;
}

void
catalog_promo_read(struct catalog_promo *cp, const cJSON *p)
{
	const cJSON *x;

	memset(cp, 0, sizeof *cp);
	cp->id = json_str(p, "id");
	cp->kind = json_str(p, "kind");
	cp->status = json_str(p, "status");
	cp->starts = catalog_time(p, "starts_at");
	cp->ends = catalog_time(p, "ends_at");
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(p, "sku_ids"))
		if (cJSON_IsString(x) && cp->nskus < CATALOG_PROMO_SKUS)
			cp->skus[cp->nskus++] = x->valuestring;
}

int
catalog_promo_dates_ok(time_t starts, time_t ends)
{
	return ends > starts;
}

int
catalog_promo_ahead(time_t t, time_t now)
{
	return t > now;
}

const char *
catalog_promo_overlap(const struct catalog_promo *p, const struct catalog_promo *o)
{
	size_t i, j;

	if (o->id == NULL || (p->id != NULL && strcmp(p->id, o->id) == 0) ||
	    o->status == NULL || (strcmp(o->status, "scheduled") != 0 &&
	    strcmp(o->status, "active") != 0) || p->starts == 0 || p->ends == 0 ||
	    o->starts == 0 || o->ends == 0 || !(p->starts < o->ends && o->starts < p->ends))
		return NULL;
	for (i = 0; i < p->nskus; i++)
		for (j = 0; j < o->nskus; j++)
			if (strcmp(p->skus[i], o->skus[j]) == 0)
				return p->skus[i];
	return NULL;
}
