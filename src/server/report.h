/*
 * report.h -- the reference store's merchant figures (GET /v1/reports/daily),
 * computed from its own orders so that a client's figures can be checked.
 */
#ifndef SD_SERVER_REPORT_H
#define SD_SERVER_REPORT_H

#include <time.h>

#include <cjson/cJSON.h>

#include "server/store.h"

#define REPORT_MAX_DAYS	400	/* longest range one request covers */

/*
 * The days of the store's zone (timeutil.h) from the day of from to the day
 * of to, both included: {"timezone", "currency", "days": [...]}, each day
 * {"date", "from", "to", "orders", "paid_orders", "gmv", "refunds",
 * "net_sales", "refunded_orders", "aov", "refund_rate_bp", "customers",
 * "repeat_customers", "repeat_rate_bp"}. The caller holds the store lock.
 */
cJSON	*report_daily(struct store *, time_t from, time_t to);

#endif
