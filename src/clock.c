/*
 * clock.c -- the store's clock: the zone every local day is counted in.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

int
clock_apply(struct cache *c, const char *override, char **cause)
{
	char *zone = NULL;
	int rc;

	if (override != NULL && *override != '\0')
		return time_zone_set(override, cause);
	if (c != NULL)
		zone = cache_state_get(c, CLOCK_ZONE_KEY);
	rc = time_zone_set(zone != NULL ? zone : "", cause);
	free(zone);
	return rc;
}

char *
clock_currency(struct cache *c)
{
	char *cur = cache_state_get(c, CLOCK_CURRENCY_KEY);

	if (cur == NULL || *cur == '\0') {
		free(cur);
		cur = xstrdup("CNY");
	}
	return cur;
}
