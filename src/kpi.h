/*
 * kpi.h -- the figures the dashboard shows, read from the cache.
 *
 * Each is one indexed query: a day's orders, paid orders and GMV add up at
 * most 96 quarter-hour rows the cache keeps by trigger (order_quarters,
 * cache.c); the rest count an indexed column. So the dashboard costs a
 * millisecond or two whatever the size of the store.
 */
#ifndef SD_KPI_H
#define SD_KPI_H

#include <time.h>

#include "cache.h"

struct kpi_day {
	long		 orders;	/* orders created that day */
	long		 paid;		/* of which paid (or refunded since) */
	long long	 gmv;		/* their totals, minor units (refunds included) */
};

struct kpi {
	struct kpi_day	 today;
	struct kpi_day	 yesterday;
	struct kpi_day	 last_week;	/* the same weekday a week ago */
	long		 awaiting_shipment;
	long		 abnormal;	/* orders flagged abnormal */
	long		 chats_waiting;	/* customers waiting for an answer */
	long		 chats_waiting_long;	/* ... for more than 30 s */
	long		 oldest_wait;	/* seconds the longest waiter has waited, 0 if none */
	long		 tickets_open;
	long		 tickets_warning;	/* SLA warning or due within the hour */
	long		 tickets_breached;
	long		 low_stock;	/* SKUs at or below their warning threshold */
};

/* Read the figures as of now (local days). 0, or -1 with *cause. */
int	 kpi_read(struct cache *, time_t now, struct kpi *, char **cause);
/* Only the alerts (chats waiting, tickets near breach): cheap, for every tick. */
int	 kpi_read_alerts(struct cache *, time_t now, struct kpi *, char **cause);

#endif
