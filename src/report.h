/*
 * report.h -- the merchant's figures per day, week or month, from the cache.
 *
 * The same figures as the store's GET /v1/reports/daily, by the same
 * definitions (shopdesk-storeapi(7)): an order counts on the day of its
 * created_at in the store's zone (clock.h); it is paid unless unpaid or
 * failed; GMV adds paid totals, refunds what was refunded of them, net
 * sales is the difference; AOV is GMV / paid orders rounded half up to the
 * fen; rates are basis points (1/10000) rounded half up. Orders, GMV and
 * refunds add up the cache's quarter hours (order_quarters), so a period
 * costs at most a few thousand small rows whatever the size of the store;
 * so do the customers: the period's paying customers are read from each
 * customer's paid quarter hours (customer_quarters), and each is repeat
 * when its first (customer_first) is earlier.
 */
#ifndef SD_REPORT_H
#define SD_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "cache.h"

enum report_period {
	REPORT_DAY,
	REPORT_WEEK,		/* Monday to Sunday */
	REPORT_MONTH,
};

struct report_row {
	time_t		 from, to;	/* [from, to) */
	char		 label[16];	/* "2026-12-07", "2026-W50", "2026-12" */
	long		 orders;	/* orders created */
	long		 paid;		/* of which paid */
	long long	 gmv;		/* their totals, minor units */
	long long	 refunds;	/* refunded of them */
	long		 refunded;	/* paid orders with a refund */
	long		 customers;	/* customers who paid (-1: not counted) */
	long		 repeat;	/* ... of whom had paid before from */
};

/* Half up: n / d (0 when d is 0). */
long long report_div(long long n, long long d);
/* GMV less refunds; GMV / paid; refunded / paid and repeat / customers in 1/10000. */
long long report_net(const struct report_row *);
long long report_aov(const struct report_row *);
long	 report_refund_bp(const struct report_row *);
long	 report_repeat_bp(const struct report_row *);

/* The period of kind p that holds t, moved by n periods: [*from, *to). */
void	 report_period_of(enum report_period p, time_t t, int n, time_t *from, time_t *to);
/*
 * Figures for [from, to) into r (from and to set by the caller); customers
 * and repeat too when customers is set, else -1. 0, or -1 with *cause.
 */
int	 report_read(struct cache *, struct report_row *r, int customers, char **cause);
/*
 * Every period of kind p from the one holding from to the one holding to,
 * oldest first: *rows (caller frees) and *n. 0, or -1 with *cause.
 */
int	 report_range(struct cache *, enum report_period p, time_t from, time_t to,
	    struct report_row **rows, size_t *n, char **cause);

/*
 * The report as CSV for people (export.h), the one writer of the CLI's
 * `report --format csv` and the console's :export on the Dashboard: a row
 * per period, money in yuan with two decimals ("238.00"), from and to where
 * the store is with their offset ("2026-12-07 00:00:00 +08:00"), rates in
 * per cent ("12.34%"). The header is report_csv_names, or headers (one per
 * column, e.g. report_csv_headers translated); bom: a UTF-8 byte order mark
 * first. 0, or -1 when out could not be written.
 */
#define REPORT_CSV_COLS	15
extern const char *const report_csv_names[REPORT_CSV_COLS];
extern const char *const report_csv_headers[REPORT_CSV_COLS];	/* msgids */
int	 report_write_csv(FILE *out, const struct report_row *v, size_t n,
	    const char *currency, const char *const *headers, int bom);

#endif
