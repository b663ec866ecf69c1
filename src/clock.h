/*
 * clock.h -- the store's clock: which time zone "today" is in.
 *
 * The store declares its zone and currency (GET /v1/store; a backend that
 * cannot say leaves them out) and sync_whoami() keeps them in the cache's
 * sync_state. A profile's "timezone" overrides the store's; with neither,
 * the machine's zone is used. clock_apply() sets timeutil's zone so that
 * every day boundary, report and displayed time follows it.
 */
#ifndef SD_CLOCK_H
#define SD_CLOCK_H

#include "cache.h"

#define CLOCK_ZONE_KEY		"store.timezone"
#define CLOCK_CURRENCY_KEY	"store.currency"

/*
 * Apply override (the profile's timezone; NULL or "" for none), else the
 * zone the cache says the store declared. 0; -1 with *cause when the zone
 * to use is not one (the zone in use is then left alone).
 */
int	 clock_apply(struct cache *, const char *override, char **cause);
/* The store's currency as declared ("CNY" when it has not said). Caller frees. */
char	*clock_currency(struct cache *);

#endif
