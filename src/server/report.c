/*
 * report.c -- the merchant's day figures from the store's own orders.
 *
 * The definitions are the contract's (shopdesk-storeapi(7)) and the
 * client's (src/report.c over the cache): an order counts on the day of
 * its created_at in the store's zone; it is paid unless its payment_status
 * is unpaid or failed; GMV adds the totals of paid orders, refunds their
 * refunded_amount, net sales is GMV less refunds; AOV is GMV / paid orders
 * rounded half up to the fen; the refund rate is paid orders with a refund
 * / paid orders, the repeat-purchase rate customers who paid that day and
 * had paid before the day began / customers who paid that day, both in
 * basis points (1/10000) rounded half up, so that no float is compared.
 */
#include "config.h"

#include <string.h>

#include "model.h"
#include "server/report.h"
#include "util/jsonutil.h"
#include "util/log.h"
#include "util/timeutil.h"

/* Half up: n / d, d > 0. */
static long long
report_div(long long n, long long d)
{
	return d > 0 ? (2 * n + d) / (2 * d) : 0;
}

#define REPORT_ORDERS \
	"WITH o AS (SELECT json_extract(json, '$.created_at') AS c," \
	" coalesce(json_extract(json, '$.payment_status') NOT IN ('unpaid', 'failed'), 0) AS paid," \
	" coalesce(json_extract(json, '$.total'), 0) AS total," \
	" coalesce(json_extract(json, '$.refunded_amount'), 0) AS ref," \
	" json_extract(json, '$.customer_id') AS cust FROM objects" \
	" WHERE kind = ?3 AND deleted = 0)"

cJSON *
report_daily(struct store *s, time_t from, time_t to)
{
	sqlite3_stmt *st = NULL;
	cJSON *root, *days, *d;
	char a[RFC3339_LEN], b[RFC3339_LEN], date[16];
	time_t day, next;
	long long v[7];
	int i, n;

	root = cJSON_CreateObject();
	json_set_str(root, "timezone", time_zone_name());
	json_set_str(root, "currency", "CNY");
	days = cJSON_AddArrayToObject(root, "days");
	if (sqlite3_prepare_v2(store_db(s), REPORT_ORDERS
	    " SELECT count(*), coalesce(sum(paid), 0), coalesce(sum(total * paid), 0),"
	    " coalesce(sum(ref * paid), 0), coalesce(sum(paid AND ref > 0), 0),"
	    " count(DISTINCT CASE WHEN paid THEN cust END),"
	    " count(DISTINCT CASE WHEN paid AND EXISTS (SELECT 1 FROM o AS p WHERE"
	    " p.cust = o.cust AND p.paid AND p.c < ?1) THEN cust END)"
	    " FROM o WHERE c >= ?1 AND c < ?2", -1, &st, NULL) != SQLITE_OK) {
		log_debug("report: %s", sqlite3_errmsg(store_db(s)));
		return root;
	}
	day = time_day_start(from, 0);
	for (n = 0; day <= to && n < REPORT_MAX_DAYS; n++, day = next) {
		next = time_day_start(day, 1);
		time_format_rfc3339(day, a);
		time_format_rfc3339(next, b);
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, KIND_ORDER);
		memset(v, 0, sizeof v);
		if (sqlite3_step(st) == SQLITE_ROW)
			for (i = 0; i < 7; i++)
				v[i] = sqlite3_column_int64(st, i);
		sqlite3_reset(st);
		d = cJSON_CreateObject();
		time_format_local(day, "%Y-%m-%d", date, sizeof date);
		json_set_str(d, "date", date);
		json_set_str(d, "from", a);
		json_set_str(d, "to", b);
		json_set_int(d, "orders", v[0]);
		json_set_int(d, "paid_orders", v[1]);
		json_set_int(d, "gmv", v[2]);
		json_set_int(d, "refunds", v[3]);
		json_set_int(d, "net_sales", v[2] - v[3]);
		json_set_int(d, "refunded_orders", v[4]);
		json_set_int(d, "aov", report_div(v[2], v[1]));
		json_set_int(d, "refund_rate_bp", report_div(v[4] * 10000, v[1]));
		json_set_int(d, "customers", v[5]);
		json_set_int(d, "repeat_customers", v[6]);
		json_set_int(d, "repeat_rate_bp", report_div(v[6] * 10000, v[5]));
		cJSON_AddItemToArray(days, d);
	}
	sqlite3_finalize(st);
	return root;
}
