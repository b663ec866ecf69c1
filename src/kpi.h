/*
 * kpi.h -- the figures the dashboard shows, read from the cache.
 *
 * Each is one indexed query: a day's orders, paid orders and GMV add up at
 * most 96 quarter-hour rows the cache keeps by trigger (order_quarters,
 * cache.c), today's top sellers the quantities per item title of the
 * day's quarters (item_quarters); the rest count an indexed column. So
 * the dashboard costs a millisecond or two whatever the size of the store.
 * An agent's day reads
 * the messages of the conversations written in today (messages_created,
 * then messages_conversation) and the agent's tickets (tickets_assignee).
 */
#ifndef SD_KPI_H
#define SD_KPI_H

#include <time.h>

#include "cache.h"
#include "report.h"

#define KPI_TREND	30	/* days of the GMV trend */
#define KPI_TOP		3	/* top products and refund reasons shown */

/* One of the most: a product sold, a reason for refunds. */
struct kpi_top {
	char		 name[64];	/* as the store wrote it (not sanitised), cut at a character */
	long		 n;		/* quantity sold, or tickets */
};

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
	/*
	 * The merchant's figures (report.h) of today, yesterday and the same
	 * weekday last week, whole days of the store's zone; the GMV of each
	 * of the last KPI_TREND days (today last); the GMV of each hour of
	 * today and of yesterday; today's first responses by every agent.
	 */
	struct report_row day[3];
	long long	 trend[KPI_TREND];
	long long	 hours[2][24];
	long		 first_responses;
	long long	 first_response_secs;	/* their waits added up */
	struct kpi_top	 top_products[KPI_TOP];	/* today's paid orders, by quantity */
	struct kpi_top	 top_reasons[KPI_TOP];	/* refund tickets of the last 30 days */
};

/*
 * One agent's figures for today (local midnight to now), from the cached
 * conversations, messages and tickets. A conversation's first response is
 * the first agent message after the customer's first unanswered message
 * (bots and system messages do not answer); it counts for the agent who
 * wrote it, on the day it was written.
 */
struct kpi_agent {
	char		*id;		/* the user: "U3" */
	char		*login;		/* "agent1" */
	char		*name;		/* "王小明", or NULL */
	long		 chats;		/* conversations the agent wrote in today */
	long		 responses;	/* first responses the agent gave today */
	long long	 response_secs;	/* their waits added up, seconds */
	long		 within_30s;	/* of which within 30 s */
	long		 breached;	/* the agent's tickets whose SLA was breached */
	long		 breached_open;	/* ... of which a clock still runs */
};

/*
 * The figures of the agent who (login or id) is, as of now. 0; 1 when the
 * cache has no such user (*cause says which it has); -1 with *cause.
 */
int	 kpi_agent_read(struct cache *, const char *who, time_t now, struct kpi_agent *,
	    char **cause);
void	 kpi_agent_done(struct kpi_agent *);

/*
 * The SKUs at or under their warning threshold (low, from the margin's
 * index) and those with nothing available (stock - reserved <= 0; out
 * is a subset of low only when thresholds are at least 0): all SKUs, or
 * those of a category id and the ones below it. 0, or -1.
 */
int	 kpi_stock(struct cache *, const char *category, long *low, long *out,
	     char **cause);

/*
 * The orders shipped in [since, until) (their shipment's shipped_at),
 * oldest first, each passed to fn until it returns non-zero: a day's
 * shipments for the carrier's pickup list. It reads every shipped order's
 * JSON (no index on the time): an export, not a list to scroll. 0, or -1.
 */
int	 kpi_shipments(struct cache *, time_t since, time_t until,
	    int (*fn)(void *arg, const cJSON *order), void *arg, char **cause);

/* Read the figures as of now (local days). 0, or -1 with *cause. */
int	 kpi_read(struct cache *, time_t now, struct kpi *, char **cause);
/* Only the alerts (chats waiting, tickets near breach): cheap, for every tick. */
int	 kpi_read_alerts(struct cache *, time_t now, struct kpi *, char **cause);

#endif
