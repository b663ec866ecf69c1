/*
 * test-cache.c -- the cache: migrations, objects, bulk loads, digests and
 * the list queries (keyset pages, filters, search, query plans).
 *
 * The last part times a bulk load of 100,000 orders (reported as a comment,
 * never asserted); SD_TEST_QUICK=1 skips it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>

#include "cache.h"
#include "cache-query.h"
#include "tap.h"
#include "util/buf.h"
#include "util/jsonutil.h"
#include "util/log.h"
#include "util/sign.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "schema5.h"

static char tmpdir[] = "/tmp/sd-test-cache-XXXXXX";

static const char *names[] = {
	"张三丰", "李四", "王五", "Emily Chen", "赵六", "张伟", "陈静", "Bob Li"
};
static const char *statuses[] = {
	"pending_payment", "awaiting_shipment", "shipped", "delivered",
	"completed", "cancelled", "closed"
};

/* Contract-shaped objects, as in the Store API document. */
static const char *fixtures[KIND__COUNT] = {
	[KIND_ORDER] = "{\"id\":\"SO10000001\",\"version\":3,"
	    "\"created_at\":\"2026-11-20T08:15:00Z\",\"updated_at\":\"2026-11-21T08:15:00Z\","
	    "\"status\":\"shipped\",\"payment_status\":\"paid\","
	    "\"fulfillment_status\":\"shipped\",\"lifecycle\":\"open\","
	    "\"abnormal\":{\"reason\":\"address\",\"note\":\"门牌号缺失\","
	    "\"at\":\"2026-11-21T08:00:00Z\",\"by\":\"U3\"},"
	    "\"customer_id\":\"C100001\",\"customer_name\":\"张三丰\",\"channel\":\"app\","
	    "\"currency\":\"CNY\",\"subtotal\":25800,\"discount\":2000,\"shipping_fee\":0,"
	    "\"total\":23800,\"paid_amount\":23800,\"refunded_amount\":0,"
	    "\"items\":[{\"sku_id\":\"SK100001\",\"title\":\"纯棉T恤 白色 / M\","
	    "\"quantity\":2,\"unit_price\":12900},{\"sku_id\":\"SK100002\","
	    "\"title\":\"帆布包\",\"quantity\":1,\"unit_price\":0}],"
	    "\"address\":{\"name\":\"张三丰\",\"phone\":\"13812341234\","
	    "\"province\":\"浙江省\",\"city\":\"杭州市\",\"district\":\"西湖区\","
	    "\"line\":\"文三路100号3单元501\"},"
	    "\"payment\":{\"method\":\"alipay\",\"paid_at\":\"2026-11-20T08:16:00Z\","
	    "\"transaction_id\":\"T20261120\"},"
	    "\"shipment\":{\"carrier\":\"SF\",\"tracking_no\":\"SF1234567890123\","
	    "\"shipped_at\":\"2026-11-21T08:15:00Z\",\"delivered_at\":null},"
	    "\"promotion_id\":null,\"note\":\"\",\"timeline\":[{\"at\":"
	    "\"2026-11-20T08:15:00Z\",\"event\":\"created\",\"by\":\"system\",\"detail\":\"\"}]}",
	[KIND_TICKET] = "{\"id\":\"AS1000001\",\"version\":2,"
	    "\"created_at\":\"2026-11-21T09:00:00Z\",\"updated_at\":\"2026-11-21T10:00:00Z\","
	    "\"order_id\":\"SO10000001\",\"customer_id\":\"C100001\","
	    "\"customer_name\":\"张三丰\",\"kind\":\"return_refund\",\"status\":\"approved\","
	    "\"priority\":\"normal\",\"escalated\":true,\"assignee\":\"U3\","
	    "\"reason\":\"尺码不合适\",\"description\":\"衣服偏小一码\","
	    "\"evidence\":[\"https://img.example.com/1.jpg\"],\"currency\":\"CNY\","
	    "\"requested_amount\":12900,\"refund_amount\":0,"
	    "\"sla\":{\"first_action_due\":\"2026-11-21T13:00:00Z\","
	    "\"resolve_due\":\"2026-11-22T10:00:00Z\","
	    "\"first_action_at\":\"2026-11-21T10:00:00Z\",\"state\":\"active\"},"
	    "\"history\":[{\"at\":\"2026-11-21T09:00:00Z\",\"by\":\"C100001\","
	    "\"action\":\"create\",\"note\":\"\"}]}",
	[KIND_CONVERSATION] = "{\"id\":\"CV100001\",\"version\":5,"
	    "\"created_at\":\"2026-11-21T09:00:00Z\",\"updated_at\":\"2026-11-21T09:05:00Z\","
	    "\"customer_id\":\"C100001\",\"customer_name\":\"张三丰\","
	    "\"customer_level\":\"gold\",\"channel\":\"web\",\"queue\":\"presales\","
	    "\"status\":\"new\",\"priority\":\"normal\",\"assignee\":null,"
	    "\"waiting_since\":\"2026-11-21T09:05:00Z\","
	    "\"last_message_at\":\"2026-11-21T09:05:00Z\","
	    "\"last_message_preview\":\"请问什么时候发货？\",\"unread\":2,\"tag\":null,"
	    "\"csat\":null,\"snoozed_until\":null,\"order_id\":\"SO10000001\"}",
	[KIND_MESSAGE] = "{\"id\":\"MS1000001\",\"version\":1,"
	    "\"created_at\":\"2026-11-21T09:05:00Z\",\"updated_at\":\"2026-11-21T09:05:00Z\","
	    "\"conversation_id\":\"CV100001\",\"author\":\"customer\","
	    "\"author_id\":\"C100001\",\"author_name\":\"张三丰\","
	    "\"body\":\"请问什么时候发货？\"}",
	[KIND_PRODUCT] = "{\"id\":\"P1001\",\"version\":1,"
	    "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
	    "\"title\":\"纯棉T恤\",\"category\":\"服装\",\"brand\":\"优衣\",\"shelf\":\"on\","
	    "\"sku_ids\":[\"SK100001\",\"SK100002\"]}",
	[KIND_SKU] = "{\"id\":\"SK100001\",\"version\":4,"
	    "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-11-01T00:00:00Z\","
	    "\"product_id\":\"P1001\",\"product_title\":\"纯棉T恤\",\"title\":\"白色 / M\","
	    "\"attributes\":{\"颜色\":\"白色\",\"尺码\":\"M\"},\"barcode\":\"6901234500011\","
	    "\"currency\":\"CNY\",\"price\":12900,\"stock\":37,\"reserved\":2,"
	    "\"low_stock_threshold\":10,\"shelf\":\"on\"}",
	[KIND_PROMOTION] = "{\"id\":\"PR1001\",\"version\":2,"
	    "\"created_at\":\"2026-10-01T00:00:00Z\",\"updated_at\":\"2026-10-02T00:00:00Z\","
	    "\"name\":\"双11 满199减20\",\"kind\":\"threshold_coupon\","
	    "\"status\":\"scheduled\",\"starts_at\":\"2026-11-11T00:00:00Z\","
	    "\"ends_at\":\"2026-11-12T00:00:00Z\",\"rules\":{\"threshold\":19900,\"off\":2000},"
	    "\"limits\":{\"budget\":1000000,\"per_customer\":1,\"stock\":5000},"
	    "\"usage\":{\"redeemed\":0,\"orders\":0,\"discount_total\":0},\"sku_ids\":[]}",
	[KIND_CUSTOMER] = "{\"id\":\"C100001\",\"version\":1,"
	    "\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T00:00:00Z\","
	    "\"name\":\"张三丰\",\"phone\":\"13812341234\",\"email\":\"zsf@example.com\","
	    "\"level\":\"gold\",\"city\":\"杭州市\",\"orders_count\":7,"
	    "\"total_spent\":183400,\"currency\":\"CNY\"}",
	[KIND_CANNED_REPLY] = "{\"id\":\"CR101\",\"version\":1,"
	    "\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T00:00:00Z\","
	    "\"shortcut\":\"delay\",\"title\":\"物流延迟致歉\",\"lang\":\"zh_CN\","
	    "\"body\":\"{customer_name}您好，您的订单{order_id}已由{carrier}发出，"
	    "单号{tracking_no}……\"}",
	[KIND_USER] = "{\"id\":\"U3\",\"version\":1,"
	    "\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T00:00:00Z\","
	    "\"login\":\"agent1\",\"name\":\"李客服\",\"role\":\"agent\",\"online\":true,"
	    "\"queues\":[\"presales\",\"aftersales\"]}",
	[KIND_CATEGORY] = "{\"id\":\"CG117\",\"version\":1,"
	    "\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T00:00:00Z\","
	    "\"name\":\"手机\",\"parent_id\":\"CG103\",\"position\":0}",
};

/* A synthetic order; created_at repeats every 7 orders to exercise ties. */
static cJSON *
make_order(int i, int version)
{
	char buf[2048], created[RFC3339_LEN];
	time_t base = 1790000000;	/* 2026-09 */
	cJSON *obj;

	time_format_rfc3339(base + (i / 7) * 60, created);
	snprintf(buf, sizeof buf,
	    "{\"id\":\"SO%08d\",\"version\":%d,\"created_at\":\"%s\","
	    "\"updated_at\":\"%s\",\"status\":\"%s\",\"payment_status\":\"paid\","
	    "\"fulfillment_status\":\"unfulfilled\",\"lifecycle\":\"open\","
	    "\"abnormal\":%s,\"customer_id\":\"C%06d\",\"customer_name\":\"%s\","
	    "\"channel\":\"app\",\"currency\":\"CNY\",\"subtotal\":%d,\"discount\":0,"
	    "\"shipping_fee\":0,\"total\":%d,\"paid_amount\":%d,\"refunded_amount\":0,"
	    "\"items\":[{\"sku_id\":\"SK%06d\",\"title\":\"纯棉T恤 白色 / M\","
	    "\"quantity\":1,\"unit_price\":%d}],\"address\":{\"name\":\"%s\","
	    "\"phone\":\"138%08d\",\"province\":\"浙江省\",\"city\":\"%s\","
	    "\"district\":\"西湖区\",\"line\":\"文三路%d号\"},\"payment\":null,"
	    "\"shipment\":%s,\"promotion_id\":null,\"note\":\"\",\"timeline\":[]}",
	    i, version, created, created, statuses[i % 7],
	    i % 50 == 0 ? "{\"reason\":\"fraud\",\"note\":\"\",\"at\":null,\"by\":\"U1\"}"
	    : "null", i % 997, names[i % 8], 1000 + i, 1000 + i, 1000 + i, i % 300,
	    1000 + i, names[i % 8], i, i % 3 == 0 ? "杭州市" : "上海市", i,
	    i % 7 == 2 ? "{\"carrier\":\"SF\",\"tracking_no\":\"SF0000000001\","
	    "\"shipped_at\":null,\"delivered_at\":null}" : "null");
	obj = cJSON_Parse(buf);
	if (obj == NULL)
		fatal("bad synthetic order %d", i);
	return obj;
}

static int
put_json(struct cache *c, enum sd_kind k, const char *json)
{
	cJSON *obj = cJSON_Parse(json);
	char *cause = NULL;
	int rc;

	if (obj == NULL)
		return -2;
	rc = cache_put(c, k, obj, &cause);
	if (rc != 0)
		printf("# put: %s\n", cause);
	free(cause);
	cJSON_Delete(obj);
	return rc;
}

static int
put_orders(struct cache *c, int from, int to)
{
	char *cause = NULL;
	cJSON *obj;
	int i, rc = 0;

	if (cache_begin(c, &cause) != 0)
		return -1;
	for (i = from; rc == 0 && i < to; i++) {
		obj = make_order(i, 1);
		rc = cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	if (rc == 0)
		rc = cache_commit(c, &cause);
	if (rc != 0) {
		printf("# put_orders: %s\n", cause);
		cache_rollback(c);
	}
	free(cause);
	return rc;
}

/* One value from SQL, as a string the caller frees (NULL for NULL). */
static char *
sql_value(struct cache *c, const char *sql)
{
	sqlite3_stmt *stmt;
	char *v = NULL;

	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &stmt, NULL) != SQLITE_OK)
		return xstrdup("(error)");
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return v;
}

static void
is_sql(struct cache *c, const char *sql, const char *want, const char *name)
{
	char *v = sql_value(c, sql);

	if (want == NULL) {
		ok(v == NULL, "%s", name);
		if (v != NULL)
			printf("#   got '%s', expected NULL\n", v);
	} else
		is_str(v, want, name);
	free(v);
}

static struct cache *
open_ok(const char *path, const char *name)
{
	char *cause = NULL;
	struct cache *c = cache_open(path, &cause);

	ok(c != NULL, "%s (%s)", name, cause != NULL ? cause : "ok");
	free(cause);
	if (c == NULL)
		exit(done_testing());
	return c;
}

static void
test_migrations(void)
{
	struct cache *c;
	char path[256], *cause = NULL;
	int v, k;

	c = open_ok(":memory:", "open a fresh in-memory cache");
	v = cache_schema_version(c);
	ok(v >= 1, "migrations applied (schema %d)", v);
	for (k = 0; k < KIND__COUNT; k++)
		if (cache_count(c, k) != 0)
			break;
	is_int(k, KIND__COUNT, "a table for every kind, all empty");
	is_sql(c, "SELECT count(*) FROM sqlite_master WHERE name = 'sync_state'",
	    "1", "sync_state exists");
	cache_close(&c);
	ok(c == NULL, "cache_close clears the pointer");
	cache_close(&c);

	snprintf(path, sizeof path, "%s/reopen.db", tmpdir);
	c = open_ok(path, "create a file cache");
	is_int(cache_schema_version(c), v, "same schema on file");
	is_sql(c, "PRAGMA journal_mode", "wal", "file cache is in WAL mode");
	is_sql(c, "PRAGMA synchronous", "1", "synchronous is NORMAL");
	is_int(put_json(c, KIND_USER, fixtures[KIND_USER]), 0, "put a user");
	is_int(cache_state_set(c, "since", "1234", &cause), 0, "set state");
	cache_close(&c);

	c = open_ok(path, "reopen the file cache");
	is_int(cache_schema_version(c), v, "user_version stable on reopen");
	is_int(cache_count(c, KIND_USER), 1, "the user survived");
	{
		char *since = cache_state_get(c, "since");

		is_str(since, "1234", "state survived");
		free(since);
	}
	is_int(cache_state_set(c, "since", NULL, &cause), 0, "remove state");
	ok(cache_state_get(c, "since") == NULL, "removed state reads NULL");
	ok(sqlite3_exec(cache_db(c), "PRAGMA user_version = 99", NULL, NULL,
	    NULL) == SQLITE_OK, "pretend a newer shopdesk wrote it");
	cache_close(&c);

	c = cache_open(path, &cause);
	ok(c == NULL, "a newer cache is refused");
	ok(cause != NULL && strstr(cause, "schema 99") != NULL &&
	    strstr(cause, "newer shopdesk") != NULL,
	    "the error names the version (%s)", cause ? cause : "none");
	free(cause);
	cache_close(&c);
}

/*
 * A cache of schema 5, orders and all, gains search documents when it
 * migrates: its index finds what the new one finds (a phone's tail, a
 * district, traditional characters) without a new sync.
 */
static long count_q(struct cache *, struct query *);

static void
test_migration_search(void)
{
	struct cache *c;
	struct query q;
	char path[256], *cause = NULL, *old;
	cJSON *obj;
	int i, rc;

	snprintf(path, sizeof path, "%s/schema5.db", tmpdir);
	c = open_ok(path, "create a cache to make old");
	for (i = 0; i < 30; i++) {
		obj = make_order(i, 1);
		cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	old = schema5_sql(5);
	rc = sqlite3_exec(cache_db(c), old, NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "made into a schema 5 cache (%s)", sqlite3_errmsg(cache_db(c)));
	free(old);
	is_sql(c, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH '西湖区'", "0",
	    "schema 5 did not index districts");
	cache_close(&c);

	c = open_ok(path, "reopen: migrate");
	ok(cache_schema_version(c) >= 6, "migrated to %d", cache_schema_version(c));
	is_sql(c, "SELECT count(*) FROM orders WHERE search IS NULL", "0",
	    "every order has its search document");
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "西湖区";
	is_int(count_q(c, &q), 30, "a district finds the migrated orders");
	q.text = "800000017";
	is_int(count_q(c, &q), 1, "a phone's last eight digits find one");
	q.text = "浙江省 文三路7号";
	is_int(count_q(c, &q), 1, "a province and a street line");
	obj = make_order(31, 1);
	ok(cache_put(c, KIND_ORDER, obj, &cause) == 0, "a new order after migrating");
	cJSON_Delete(obj);
	q.text = "0031";
	is_int(count_q(c, &q), 1, "its phone's tail finds it");
	cache_close(&c);
}

/*
 * Schema 16 indexes a key word's last four digits and a masked phone's
 * first digits with one to three of its last: a cache of schema 15
 * rebuilds its full-text indexes when it migrates (its index emptied, as
 * in test_migration_prefix(), which only the rebuild fills again).
 */
/* A small file's text (a log), or NULL. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_steal(&b);
}

static void
test_migration_tails(void)
{
	struct cache *c;
	struct query q;
	char path[256], logpath[256], *cause = NULL, *log;
	cJSON *obj;
	int i, rc;

	snprintf(path, sizeof path, "%s/schema15.db", tmpdir);
	c = open_ok(path, "create a cache to make schema 15");
	for (i = 0; i < 30; i++) {
		obj = make_order(i, 1);
		cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "0017";
	is_int(count_q(c, &q), 1, "an order by its last four digits (SO00000017, 13800000017)");
	q.text = "138****001";
	is_int(count_q(c, &q), 10, "a masked phone typed so far: 138****0010 to 0019");
	rc = sqlite3_exec(cache_db(c), "INSERT INTO orders_fts(orders_fts) VALUES ('delete-all');"
	    "PRAGMA user_version = 15", NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "made into a schema 15 cache (%s)", sqlite3_errmsg(cache_db(c)));
	q.text = "138****0";
	is_int(count_q(c, &q), 0, "its emptied index finds nothing");
	cache_close(&c);

	snprintf(logpath, sizeof logpath, "%s/schema15.log", tmpdir);
	log_open(logpath);
	c = open_ok(path, "reopen: migrate to 16 and on");
	log_close();
	ok(cache_schema_version(c) >= 16, "migrated to 16 and on (%d)", cache_schema_version(c));
	/* 16, 17 and 18 each rebuild and optimize the eight indexes; 19 again. */
	log = slurp(logpath);
	ok(log != NULL && strstr(log, "schema 15 to ") != NULL &&
	    strstr(log, ": 48 full-text rebuilds and optimizes left to schema 21's") != NULL,
	    "the full-text indexes are made once, by 19, not by 16 to 18 too%s",
	    log == NULL ? " (no log)" : "");
	free(log);
	q.text = "138****0";
	is_int(count_q(c, &q), 30, "a masked phone's first digit past the stars finds all 30");
	q.text = "138****002";
	is_int(count_q(c, &q), 10, "three of them: 138****0020 to 0029");
	q.text = "138****0017";
	is_int(count_q(c, &q), 1, "the whole masked form still");
	q.text = "0017";
	is_int(count_q(c, &q), 1, "the last four digits, one term");
	q.text = "0001";
	is_int(count_q(c, &q), 1 + 4, "SO00000001 and the SF tracking numbers ending 0001");
	obj = make_order(31, 1);
	ok(cache_put(c, KIND_ORDER, obj, &cause) == 0, "a new order after migrating");
	cJSON_Delete(obj);
	q.text = "0031";
	is_int(count_q(c, &q), 1, "the triggers index its last four digits");
	q.text = "138****003";
	is_int(count_q(c, &q), 1, "and its masked phone as typed");
	cache_close(&c);
}

/*
 * Schema 13 indexes the first digits of every run of digits: a cache of
 * schema 12 rebuilds its full-text indexes when it migrates. (An index made
 * by the old tokenizer cannot be made here: the one a schema 12 cache holds
 * is emptied instead, which only the rebuild fills again.)
 */
static void
test_migration_prefix(void)
{
	struct cache *c;
	struct query q;
	char path[256], *cause = NULL;
	cJSON *obj;
	int i, rc;

	snprintf(path, sizeof path, "%s/schema12.db", tmpdir);
	c = open_ok(path, "create a cache to make schema 12");
	for (i = 0; i < 30; i++) {
		obj = make_order(i, 1);
		cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	rc = sqlite3_exec(cache_db(c), "INSERT INTO orders_fts(orders_fts) VALUES ('delete-all');"
	    "INSERT INTO customers_fts(customers_fts) VALUES ('delete-all');"
	    "PRAGMA user_version = 12", NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "made into a schema 12 cache without prefix tokens (%s)",
	    sqlite3_errmsg(cache_db(c)));
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "1380";
	is_int(count_q(c, &q), 0, "its index finds no phone by its first digits");
	cache_close(&c);

	c = open_ok(path, "reopen: migrate to 13 and on");
	ok(cache_schema_version(c) >= 13, "migrated to 13 and on (%d)", cache_schema_version(c));
	q.text = "1380";
	is_int(count_q(c, &q), 30, "a phone's first four digits find every order (one token)");
	q.text = "SO00";
	is_int(count_q(c, &q), 30, "an order number's first two digits after its prefix");
	q.text = "SO000000";
	is_int(count_q(c, &q), 30, "six digits: a prefix query still");
	q.text = "SO0000001";
	is_int(count_q(c, &q), 10, "seven: SO00000010 to SO00000019");
	q.text = "0017";
	is_int(count_q(c, &q), 1, "a tail of four still finds its order");
	q.text = "138****0017";
	is_int(count_q(c, &q), 1, "and the masked phone");
	obj = make_order(31, 1);
	ok(cache_put(c, KIND_ORDER, obj, &cause) == 0, "a new order after migrating");
	cJSON_Delete(obj);
	q.text = "SO0000003";
	is_int(count_q(c, &q), 1, "the triggers index it with its prefixes (SO00000031)");
	cache_close(&c);
}

static void
test_objects(void)
{
	struct cache *c = open_ok(":memory:", "open for objects");
	char *json, *want, *cause = NULL;
	cJSON *obj;
	int k;

	for (k = 0; k < KIND__COUNT; k++) {
		const char *id;

		obj = cJSON_Parse(fixtures[k]);
		id = json_str(obj, "id");
		ok(put_json(c, k, fixtures[k]) == 0, "put a %s", kind_info(k)->name);
		json = cache_get_json(c, k, id);
		want = json_print(obj);
		is_str(json, want, "get the same JSON back");
		free(json);
		free(want);
		cJSON_Delete(obj);
	}
	ok(cache_get_json(c, KIND_ORDER, "SO404") == NULL, "absent is NULL");

	is_sql(c, "SELECT phone || ' ' || carrier || ' ' ||"
	    " tracking_no || ' ' || abnormal || ' ' || total FROM orders",
	    "13812341234 SF SF1234567890123 address 23800",
	    "order: nested columns extracted");
	is_sql(c, "SELECT instr(search, '杭州市') > 0 AND instr(search,"
	    " '纯棉t恤 白色 / m 帆布包') > 0 AND instr(search, 'sf1234567890123') > 0"
	    " FROM orders", "1", "order: the search document has city, titles, tracking, folded");
	is_sql(c, "SELECT sla_due || ' ' || sla_state || ' ' || escalated"
	    " FROM tickets", "2026-11-22T10:00:00Z active 1",
	    "ticket: resolve_due once first action is taken");
	is_sql(c, "SELECT preview || unread FROM conversations",
	    "请问什么时候发货？2", "conversation: preview and unread");
	is_sql(c, "SELECT margin FROM skus", "25", "sku: stock margin");

	/* Upsert by version. */
	obj = cJSON_Parse(fixtures[KIND_ORDER]);
	json_set_str(obj, "status", "delivered");
	json_set_int(obj, "version", 4);
	is_int(cache_put(c, KIND_ORDER, obj, &cause), 0, "put version 4");
	is_sql(c, "SELECT status || version FROM orders", "delivered4",
	    "newer version replaces");
	json_set_str(obj, "status", "pending_payment");
	json_set_int(obj, "version", 2);
	is_int(cache_put(c, KIND_ORDER, obj, &cause), 0, "put version 2");
	is_sql(c, "SELECT status || version FROM orders", "delivered4",
	    "older version ignored");
	json_set_str(obj, "status", "completed");
	json_set_int(obj, "version", 4);
	cache_put(c, KIND_ORDER, obj, &cause);
	is_sql(c, "SELECT status || version FROM orders", "completed4",
	    "same version replaces (re-sent object)");
	is_sql(c, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH '丰'",
	    "1", "status changes leave the full-text entry");
	json_set_str(obj, "customer_name", "李四");
	json_set_int(obj, "version", 5);
	cache_put(c, KIND_ORDER, obj, &cause);
	is_sql(c, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH"
	    " '李四'", "1", "a changed name is indexed");
	is_sql(c, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH"
	    " '三丰'", "1", "the recipient 张三丰 still finds it");
	json_set_str(obj, "status", "completed");
	json_set_int(obj, "version", 5);
	cache_put(c, KIND_ORDER, obj, &cause);
	json = cache_get_json(c, KIND_ORDER, "SO10000001");
	ok(json != NULL && strstr(json, "\"completed\"") != NULL,
	    "the JSON follows the columns");
	free(json);
	is_int(cache_count(c, KIND_ORDER), 1, "still one order");

	cJSON_DeleteItemFromObject(obj, "id");
	ok(cache_put(c, KIND_ORDER, obj, &cause) == -1 && cause != NULL,
	    "an object without id is refused");
	free(cause);
	cause = NULL;
	cJSON_Delete(obj);

	is_int(cache_remove(c, KIND_ORDER, "SO10000001", &cause), 0, "remove");
	ok(cache_get_json(c, KIND_ORDER, "SO10000001") == NULL, "removed");
	is_int(cache_count(c, KIND_ORDER), 0, "no orders left");
	is_int(cache_remove(c, KIND_ORDER, "SO10000001", &cause), 0,
	    "removing an absent object is fine");
	is_sql(c, "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH '杭州'",
	    "0", "removal left no full-text entry");
	cache_close(&c);
}

/* Page collector: every row's "created_at id" and a running check. */
struct pages {
	char		**rows;
	int		  n, cap;
	int		  stop_after;	/* stop the callback after this many */
};

static int
collect_row(void *arg, const char *json)
{
	struct pages *p = arg;
	cJSON *obj = cJSON_Parse(json);

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->rows = xrealloc(p->rows, p->cap * sizeof *p->rows);
	}
	p->rows[p->n++] = xasprintf("%s %s", json_str(obj, "created_at"),
	    json_str(obj, "id"));
	cJSON_Delete(obj);
	return p->stop_after != 0 && p->n % p->stop_after == 0;
}

static void
pages_free(struct pages *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		free(p->rows[i]);
	free(p->rows);
	memset(p, 0, sizeof *p);
}

/* Page through q; returns pages read or -1. Rows land in p. */
static int
read_all(struct cache *c, struct query *q, struct pages *p)
{
	char *after = NULL, *next = NULL, *cause = NULL;
	int npages = 0;

	do {
		q->after = after;
		if (cache_query(c, q, collect_row, p, &next, &cause) != 0) {
			printf("# query: %s\n", cause);
			free(cause);
			free(after);
			return -1;
		}
		free(after);
		after = next;
		npages++;
	} while (after != NULL && npages < 100000);
	q->after = NULL;
	return npages;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* How many of p's rows another row repeats. */
static int
twice(const struct pages *p)
{
	char **copy;
	int i, n = 0;

	copy = xmalloc((p->n ? p->n : 1) * sizeof *copy);
	if (p->n > 0)	/* (rows is NULL when none was read) */
		memcpy(copy, p->rows, p->n * sizeof *copy);
	qsort(copy, p->n, sizeof *copy, cmp_str);
	for (i = 1; i < p->n; i++)
		if (strcmp(copy[i - 1], copy[i]) == 0)
			n++;
	free(copy);
	return n;
}

/* Rows strictly ordered (desc or asc) and, sorted, without duplicates. */
static int
check_order(struct pages *p, int desc)
{
	int i, bad = 0;

	for (i = 1; i < p->n; i++) {
		int r = strcmp(p->rows[i - 1], p->rows[i]);

		if (desc ? r <= 0 : r >= 0)
			bad++;
	}
	return bad + twice(p);
}

static long
count_q(struct cache *c, struct query *q)
{
	char *cause = NULL;
	long n = cache_query_count(c, q, &cause);

	if (n < 0)
		printf("# count: %s\n", cause);
	free(cause);
	return n;
}

static void
test_pages(struct cache *c)
{
	struct query q;
	struct pages p = { NULL, 0, 0, 0 };
	char *next = NULL, *cause = NULL;
	int npages;

	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.limit = 37;
	npages = read_all(c, &q, &p);
	is_int(p.n, 2000, "keyset pages return every order");
	is_int(npages, (2000 + 36) / 37, "in the expected number of pages");
	is_int(check_order(&p, 1), 0, "newest first, ties by id, no duplicates");
	pages_free(&p);

	q.reverse = 1;
	read_all(c, &q, &p);
	is_int(p.n, 2000, "reverse pages return every order");
	is_int(check_order(&p, 0), 0, "oldest first, no duplicates");
	pages_free(&p);
	q.reverse = 0;

	q.status = "shipped, delivered,shipped";
	q.limit = 50;
	npages = read_all(c, &q, &p);
	is_int(p.n, count_q(c, &q), "status list pages match the count");
	is_int(p.n, 2 * 2000 / 7 + 1, "two statuses out of seven");
	is_int(check_order(&p, 1), 0, "status list merged in order");
	pages_free(&p);

	q.status = NULL;
	q.limit = 10;
	p.stop_after = 3;
	cache_query(c, &q, collect_row, &p, &next, &cause);
	is_int(p.n, 3, "the callback can stop a page");
	q.after = next;
	cache_query(c, &q, collect_row, &p, &next, &cause);
	free((char *)q.after);
	q.after = NULL;
	is_int(p.n, 6, "and the next page resumes after the last row seen");
	is_int(check_order(&p, 1), 0, "without skipping or repeating");
	free(next);
	next = NULL;
	pages_free(&p);

	q.after = "start/a:x,y";
	ok(cache_query(c, &q, collect_row, &p, &next, &cause) == -1 &&
	    cause != NULL && strstr(cause, "cursor") != NULL,
	    "a cursor of another list is refused");
	free(cause);
	cause = NULL;
	q.after = "new/d:2026%ZZ,SO1";
	ok(cache_query(c, &q, collect_row, &p, &next, &cause) == -1,
	    "a malformed cursor is refused");
	free(cause);
	cause = NULL;
	q.after = NULL;
	q.limit = 10001;
	ok(cache_query(c, &q, collect_row, &p, &next, &cause) == -1,
	    "a page of more than 10000 rows is refused");
	free(cause);
	cause = NULL;
	q.limit = 0;
	q.waiting = 1;
	ok(cache_query(c, &q, collect_row, &p, &next, &cause) == -1 &&
	    strstr(cause, "waiting") != NULL, "orders cannot be filtered by waiting");
	free(cause);
	pages_free(&p);
}

static void
test_filters(struct cache *c)
{
	struct query q;
	struct pages p = { NULL, 0, 0, 0 };
	int i;

	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.status = "cancelled";
	is_int(count_q(c, &q), 2000 / 7, "one status");
	q.status = "cancelled,closed";
	is_int(count_q(c, &q), 2 * (2000 / 7), "a status list");
	q.status = " ";
	is_int(count_q(c, &q), 2000, "a blank status is no filter");
	q.status = NULL;
	q.abnormal = 1;
	is_int(count_q(c, &q), 40, "abnormal orders");
	q.carrier = "SF";
	is_int(count_q(c, &q), 6, "abnormal and shipped by SF compose");
	q.abnormal = 0;
	is_int(count_q(c, &q), 2000 / 7 + 1, "shipped by SF");
	q.carrier = NULL;
	q.customer_id = "C000005";
	is_int(count_q(c, &q), 3, "one customer's orders");
	q.customer_id = NULL;

	/* Orders 700..1399 were created in minutes 100..199. */
	q.since = 1790000000 + 100 * 60;
	q.until = 1790000000 + 200 * 60;
	is_int(count_q(c, &q), 700, "created in a date range");
	q.status = "shipped";
	is_int(count_q(c, &q), 100, "date range and status compose");
	q.since = q.until = 0;
	q.status = NULL;

	/* Chinese search through the list query. */
	q.text = "张";
	is_int(count_q(c, &q), 500, "张 finds 张三丰 and 张伟");
	q.text = "张三";
	is_int(count_q(c, &q), 250, "张三 finds 张三丰 only");
	q.text = "三丰 杭州";
	is_int(count_q(c, &q), 84, "terms in different columns are ANDed");
	q.text = "emi";
	is_int(count_q(c, &q), 250, "prefix search in Latin");
	q.text = "SO0000010";
	is_int(count_q(c, &q), 10, "id prefix");
	q.text = "张丰";
	is_int(count_q(c, &q), 0, "张丰 finds nothing");
	q.text = "---";
	is_int(count_q(c, &q), 0, "nothing searchable finds nothing");
	q.text = "  ";
	is_int(count_q(c, &q), 2000, "blank text is no filter");
	q.text = "张三";
	q.status = "shipped,completed";
	q.limit = 7;
	read_all(c, &q, &p);
	is_int(p.n, count_q(c, &q), "search and a status list, paged");
	ok(p.n > 0, "and it found some (%d)", p.n);
	is_int(check_order(&p, 1), 0, "search results keep the list order");
	pages_free(&p);
	q.status = NULL;
	q.text = "上海";	/* common: two orders in three */
	q.limit = 100;
	read_all(c, &q, &p);
	is_int(p.n, 2000 - 2000 / 3 - 1, "a common term, paged");
	is_int(check_order(&p, 1), 0, "in list order without duplicates");
	pages_free(&p);
	q.text = NULL;

	q.kind = KIND_PRODUCT;
	q.text = "T恤";
	ok(count_q(c, &q) == -1, "products have no full-text index");
	q.text = NULL;

	/* SKUs: low stock, lowest margin first. */
	for (i = 0; i < 30; i++) {
		char json[512];

		snprintf(json, sizeof json, "{\"id\":\"SK%06d\",\"version\":1,"
		    "\"product_id\":\"P1\",\"product_title\":\"帆布包\",\"title\":\"%d号\","
		    "\"barcode\":\"69%011d\",\"price\":100,\"stock\":%d,\"reserved\":%d,"
		    "\"low_stock_threshold\":10,\"shelf\":\"on\"}", i, i, i,
		    (i * 7) % 30, i % 4);
		put_json(c, KIND_SKU, json);
	}
	memset(&q, 0, sizeof q);
	q.kind = KIND_SKU;
	q.low_stock = 1;
	{
		char *n = sql_value(c, "SELECT count(*) FROM skus WHERE"
		    " stock - reserved <= low_stock_threshold");
		long want = atol(n);
		char *first = sql_value(c, "SELECT id FROM skus ORDER BY"
		    " stock - reserved - low_stock_threshold, id LIMIT 1");
		struct pages sp = { NULL, 0, 0, 0 };

		is_int(count_q(c, &q), want, "low stock SKUs");
		q.limit = 4;
		read_all(c, &q, &sp);
		is_int(sp.n, want, "low stock pages");
		ok(sp.n > 0 && strstr(sp.rows[0], first) != NULL,
		    "lowest margin first (%s)", first);
		free(first);
		free(n);
		pages_free(&sp);
	}
}

static void
test_waiting(struct cache *c)
{
	struct query q;
	struct pages p = { NULL, 0, 0, 0 };
	const char *ws[] = { "null", "\"2026-11-21T09:30:00Z\"", "null",
	    "\"2026-11-21T09:10:00Z\"", "null" };
	const char *last[] = { "2026-11-21T10:00:00Z", "2026-11-21T09:30:00Z",
	    "2026-11-21T11:00:00Z", "2026-11-21T09:10:00Z", "2026-11-21T08:00:00Z" };
	char json[512];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(json, sizeof json, "{\"id\":\"CV%06d\",\"version\":1,"
		    "\"created_at\":\"%s\",\"customer_name\":\"王五\",\"queue\":\"presales\","
		    "\"status\":\"open\",\"waiting_since\":%s,\"last_message_at\":\"%s\","
		    "\"last_message_preview\":\"在吗\",\"unread\":0}", i, last[i], ws[i],
		    last[i]);
		put_json(c, KIND_CONVERSATION, json);
	}
	memset(&q, 0, sizeof q);
	q.kind = KIND_CONVERSATION;
	q.waiting = 1;
	is_int(count_q(c, &q), 2, "two customers waiting");
	q.waiting = 0;
	q.limit = 2;
	read_all(c, &q, &p);
	is_int(p.n, 5, "all conversations");
	ok(p.n == 5 && strstr(p.rows[0], "CV000003") && strstr(p.rows[1], "CV000001") &&
	    strstr(p.rows[2], "CV000002") && strstr(p.rows[3], "CV000000") &&
	    strstr(p.rows[4], "CV000004"),
	    "longest waiting first, then latest message first");
	pages_free(&p);
	q.queue = "presales";
	q.text = "王五";
	is_int(count_q(c, &q), 5, "queue and search compose");
}

/* The rows of sql ("created_at id" each) in its order. */
static void
sql_rows(struct cache *c, const char *sql, struct pages *p)
{
	sqlite3_stmt *st;

	memset(p, 0, sizeof *p);
	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL) != SQLITE_OK)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 256;
			p->rows = xrealloc(p->rows, p->cap * sizeof *p->rows);
		}
		p->rows[p->n++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
}

static int
same_rows(const struct pages *a, const struct pages *b, int reversed)
{
	int i;

	if (a->n != b->n || a->n == 0)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->rows[i], b->rows[reversed ? b->n - 1 - i : i]) != 0)
			return 0;
	return 1;
}

/* Named orders: paged forward and reversed as SQL orders them, and from the middle back. */
static void
test_sorts(struct cache *c)
{
	static const char *queues[] = { "presales", "aftersales", "vip" };
	static const struct {
		enum sd_kind	 kind;
		const char	*sort;
		const char	*sql;
	} t[] = {
		{ KIND_CONVERSATION, "wait", "SELECT created_at || ' ' || id FROM conversations"
		    " ORDER BY sort_key, id" },
		{ KIND_CONVERSATION, "queue", "SELECT created_at || ' ' || id FROM conversations"
		    " ORDER BY queue, sort_key, id" },
		{ KIND_TICKET, "new", "SELECT created_at || ' ' || id FROM tickets"
		    " ORDER BY created_at DESC, id DESC" },
		{ KIND_TICKET, "urgency", "SELECT created_at || ' ' || id FROM tickets"
		    " ORDER BY sort_key, id" },
	};
	struct query q;
	struct pages got = { NULL, 0, 0, 0 }, want, back = { NULL, 0, 0, 0 };
	char json[512], *next = NULL, *rev, *cause = NULL;
	size_t i;
	int k;

	for (k = 0; k < 60; k++) {
		snprintf(json, sizeof json, "{\"id\":\"CQ%04d\",\"version\":1,"
		    "\"created_at\":\"2026-11-2%dT0%d:%02d:00Z\",\"queue\":\"%s\","
		    "\"status\":\"open\",\"waiting_since\":%s,"
		    "\"last_message_at\":\"2026-11-21T10:%02d:00Z\",\"unread\":0}", k, k % 3,
		    k % 7, k % 60, queues[(k * 7) % 3], k % 4 == 0 ? "\"2026-11-21T09:00:00Z\"" :
		    "null", (k * 13) % 60);
		put_json(c, KIND_CONVERSATION, json);
		snprintf(json, sizeof json, "{\"id\":\"AQ%04d\",\"version\":1,"
		    "\"created_at\":\"2026-11-2%dT0%d:%02d:00Z\",\"status\":\"requested\","
		    "\"sla\":{\"state\":\"%s\",\"resolve_due\":\"2026-11-23T%02d:00:00Z\"}}",
		    k, k % 3, k % 5, k % 60, k % 3 ? "active" : "met", k % 24);
		put_json(c, KIND_TICKET, json);
	}
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		memset(&q, 0, sizeof q);
		q.kind = t[i].kind;
		q.sort = t[i].sort;
		q.limit = 7;
		sql_rows(c, t[i].sql, &want);
		read_all(c, &q, &got);
		ok(same_rows(&got, &want, 0), "%s by %s: %d rows in SQL's order, 7 a page",
		    kind_info(t[i].kind)->path, t[i].sort, got.n);
		pages_free(&got);
		q.reverse = 1;
		read_all(c, &q, &got);
		ok(same_rows(&got, &want, 1), "%s by %s, reversed: %d rows",
		    kind_info(t[i].kind)->path, t[i].sort, got.n);
		pages_free(&got);
		/* 14 rows forward, then back from there: rows 13 .. 0. */
		q.reverse = 0;
		q.limit = 14;
		q.after = NULL;
		ok(cache_query(c, &q, collect_row, &got, &next, &cause) == 0 && next != NULL,
		    "%s by %s: a page with a cursor", kind_info(t[i].kind)->path, t[i].sort);
		rev = next != NULL ? cache_cursor_reverse(next) : NULL;
		q.after = rev;
		q.reverse = 1;
		q.limit = 100;
		free(next);
		next = NULL;
		ok(rev != NULL && cache_query(c, &q, collect_row, &back, &next, &cause) == 0 &&
		    back.n == 13 && got.n == 14 && strcmp(back.rows[0], got.rows[12]) == 0 &&
		    strcmp(back.rows[12], got.rows[0]) == 0 && next == NULL,
		    "%s by %s: the reversed cursor reads the 13 rows above, nearest first",
		    kind_info(t[i].kind)->path, t[i].sort);
		free(rev);
		free(next);
		next = NULL;
		pages_free(&got);
		pages_free(&back);
		pages_free(&want);
	}
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.sort = "total";
	k = cache_query(c, &q, collect_row, &got, &next, &cause);
	ok(k != 0 && cause != NULL &&
	    strcmp(cause, "orders cannot be sorted by 'total' (they sort by new, old)") == 0,
	    "an order the kind has not is refused, naming those it has (%s)",
	    cause != NULL ? cause : "accepted");
	free(cause);
	cause = cache_query_sort_error(KIND_CONVERSATION, "queue");
	ok(cause == NULL, "queue is an order of conversations");
	free(cause);
	ok(cache_query_sorts(KIND_SKU)[0] != NULL && strcmp(cache_query_sorts(KIND_SKU)[1],
	    "low") == 0 && cache_query_sorts(KIND_SKU)[2] == NULL, "skus sort by id or low");
	pages_free(&got);
}

/*
 * A text whose matches are the oldest orders (an order number from last
 * year): walking the list newest first would read nearly all of it before
 * the first, so past its budget the matches are fetched and sorted instead;
 * the pages are the same, newest first.
 */
/*
 * The same rows, each at a row of the same second (created_at's, cache.h):
 * the orders of one second list in each cache's order of their slots.
 */
static int
same_seconds(const struct pages *a, const struct pages *b)
{
	char **x, **y;
	int i, same = a->n == b->n;

	for (i = 0; same && i < a->n; i++)
		same = cache_order_second(a->rows[i]) == cache_order_second(b->rows[i]);
	if (!same)
		return 0;
	x = xmalloc((a->n ? a->n : 1) * sizeof *x);
	y = xmalloc((a->n ? a->n : 1) * sizeof *y);
	if (a->n > 0) {		/* (rows is NULL when none came) */
		memcpy(x, a->rows, a->n * sizeof *x);
		memcpy(y, b->rows, b->n * sizeof *y);
	}
	qsort(x, a->n, sizeof *x, cmp_str);
	qsort(y, b->n, sizeof *y, cmp_str);
	for (i = 0; same && i < a->n; i++)
		same = strcmp(x[i], y[i]) == 0;
	free(x);
	free(y);
	return same;
}

/* Rows out of their seconds' order (newest first if desc), or seen twice. */
static int
check_seconds(const struct pages *p, int desc)
{
	long long a, b;
	int i, bad = 0;

	for (i = 1; i < p->n; i++) {
		a = cache_order_second(p->rows[i - 1]);
		b = cache_order_second(p->rows[i]);
		if (desc ? a < b : a > b)
			bad++;
	}
	return bad + twice(p);
}

/* Rows not where sql (one text column: "created_at id") puts them. */
static int
pages_unlike_sql(struct cache *c, const struct pages *p, const char *sql)
{
	sqlite3_stmt *stmt;
	int i = 0, bad = 0;

	if (sqlite3_prepare_v2(cache_db(c), sql, -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	for (; sqlite3_step(stmt) == SQLITE_ROW; i++)
		if (i >= p->n || strcmp(p->rows[i], (const char *)sqlite3_column_text(stmt,
		    0)) != 0)
			bad++;
	sqlite3_finalize(stmt);
	return bad + (p->n > i ? p->n - i : 0);
}

/* Orders whose rowid is not in its second's range (cache.h). */
static int
misplaced_rowids(struct cache *c)
{
	sqlite3_stmt *stmt;
	int bad = 0;

	if (sqlite3_prepare_v2(cache_db(c), "SELECT rowid, created_at FROM orders", -1,
	    &stmt, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(stmt) == SQLITE_ROW)
		if (sqlite3_column_int64(stmt, 0) >> CACHE_ORDER_SLOT_BITS !=
		    cache_order_second((const char *)sqlite3_column_text(stmt, 1)))
			bad++;
	sqlite3_finalize(stmt);
	return bad;
}

/*
 * Orders' rowids follow their list order, so that a search reads the index
 * newest first (schema 15). A cache whose rowids are in no order (a schema
 * 14 cache, here with random ones) migrates, and then finds what a cache
 * filled in order finds, in the same order of seconds (within one, each
 * cache's own slots' order), page by page both ways; so does one whose
 * orders came in shuffled, seven to a second.
 */
static void
test_migration_rowids(void)
{
	static const char *texts[] = {
		"西湖区", "张三丰", "SO0000001", "138", "文三路3", "13800000005", "0005",
		"138****0017", "白色 杭州", "SF0000000001", "SO000001", "138000", "SO0000012"
	};
	static const char *status[] = { NULL, "shipped", "shipped,cancelled" };
	static const int limits[] = { 1, 4, 9, 500 };
	struct cache *fresh, *mixed, *c;
	struct pages a = { NULL, 0, 0, 0 }, b = { NULL, 0, 0, 0 }, m = { NULL, 0, 0, 0 };
	struct query q;
	char path[256], *cause = NULL;
	cJSON *obj;
	size_t t, s, l;
	int i, rc, diff = 0, unordered = 0, cases = 0, rev, counted = 0, unpaged = 0;

	snprintf(path, sizeof path, "%s/schema14.db", tmpdir);
	c = open_ok(path, "create a cache to make schema 14");
	fresh = open_ok(":memory:", "a cache filled in order");
	mixed = open_ok(":memory:", "a cache filled out of order");
	sqlite3_exec(cache_db(c), "BEGIN", NULL, NULL, NULL);
	sqlite3_exec(cache_db(mixed), "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < 700; i++) {
		obj = make_order((i * 211) % 700, 1);	/* every one, shuffled */
		cache_put(c, KIND_ORDER, obj, &cause);
		cache_put(mixed, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	sqlite3_exec(cache_db(c), "COMMIT", NULL, NULL, NULL);
	sqlite3_exec(cache_db(mixed), "COMMIT", NULL, NULL, NULL);
	ok(put_orders(fresh, 0, 700) == 0, "700 orders, seven a second");
	is_int(misplaced_rowids(fresh) + misplaced_rowids(mixed), 0,
	    "each order's rowid in its second's range, in order or not");
	rc = sqlite3_exec(cache_db(c), "DROP TRIGGER orders_fts_au;"
	    "CREATE TEMP TABLE r AS SELECT rowid AS o, row_number() OVER"
	    " (ORDER BY random()) AS n FROM orders;"
	    "UPDATE orders SET rowid = (SELECT n FROM temp.r WHERE o = orders.rowid);"
	    "INSERT INTO orders_fts(orders_fts) VALUES ('rebuild'); PRAGMA user_version = 14",
	    NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "made into a schema 14 cache, rowids 1 to 700 at random (%s)",
	    sqlite3_errmsg(cache_db(c)));
	is_int(misplaced_rowids(c), 700, "no rowid in its range");
	cache_close(&c);

	c = open_ok(path, "reopen: migrate to 15");
	ok(cache_schema_version(c) >= 15, "migrated to %d", cache_schema_version(c));
	is_int(misplaced_rowids(c), 0, "every rowid in its second's range");
	is_sql(c, "SELECT count(*) FROM orders", "700", "all 700 orders kept");
	for (t = 0; t < sizeof texts / sizeof texts[0]; t++)
		for (s = 0; s < sizeof status / sizeof status[0]; s++)
			for (l = 0; l < sizeof limits / sizeof limits[0]; l++)
				for (rev = 0; rev < 2; rev++) {
					memset(&q, 0, sizeof q);
					q.kind = KIND_ORDER;
					q.text = texts[t];
					q.status = status[s];
					q.limit = limits[l];
					q.reverse = rev;
					read_all(fresh, &q, &a);
					read_all(c, &q, &b);
					read_all(mixed, &q, &m);
					if (!same_seconds(&a, &b) || !same_seconds(&a, &m)) {
						if (diff++ == 0)
							printf("# %s status %s limit %d%s: %d,"
							    " %d, %d rows\n", texts[t],
							    status[s] ? status[s] : "any",
							    limits[l], rev ? " reversed" : "",
							    a.n, b.n, m.n);
					}
					/* Every match, as the index counts them. */
					if (s == 0 && a.n != count_q(fresh, &q))
						counted++;
					/* (An exact match comes first, out of order.) */
					if (t < 5 && check_order(&a, !rev) != 0)
						unordered++;
					if (t < 5 && (check_seconds(&b, !rev) != 0 ||
					    check_seconds(&m, !rev) != 0))
						unpaged++;
					cases += a.n > 1;
					pages_free(&a);
					pages_free(&b);
					pages_free(&m);
				}
	is_int(diff, 0, "the migrated and the shuffled cache find the same pages");
	is_int(counted, 0, "every match the index counts (SO000001 and 138000 among them)");
	is_int(unordered, 0, "newest first (oldest reversed), ties by id");
	is_int(unpaged, 0, "the migrated and the shuffled: by second, none skipped nor twice");
	ok(cases >= 150, "in %d lists of more than one row", cases);
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "13800000005";
	q.limit = 3;
	read_all(c, &q, &b);
	ok(b.n == 1 && strstr(b.rows[0], "SO00000005"), "the exact phone (%d rows)", b.n);
	pages_free(&b);
	obj = make_order(700, 1);
	ok(cache_put(c, KIND_ORDER, obj, &cause) == 0, "a new order after migrating");
	cJSON_Delete(obj);
	is_int(misplaced_rowids(c), 0, "gets its rowid in its range");
	q.text = "西湖区";
	q.limit = 2;
	read_all(c, &q, &b);
	ok(b.n == 701 && strstr(b.rows[0], "SO00000700") != NULL, "and is found first");
	pages_free(&b);
	cache_close(&c);
	cache_close(&fresh);
	cache_close(&mixed);
	free(cause);
}

/*
 * A second holds 256 orders' rowids (CACHE_ORDER_SLOT_BITS): the rest get
 * negative ones, which list after every other order (the list is the
 * rowids' order), each once, page by page.
 */
/*
 * Orders list in their rowids' order: by second, and within one second in
 * the order they came (newest first: the last to come first), whatever
 * their ids; so a second of 200 orders pages 7 at a time both ways, with
 * and without a filter, skipping and repeating none. An update keeps an
 * order's place; one whose created_at moves to another second moves with
 * it, in the list, a day's filter and a search.
 */
static void
test_second_order(void)
{
	struct cache *c = open_ok(":memory:", "open for a second's order");
	struct pages p = { NULL, 0, 0, 0 }, r = { NULL, 0, 0, 0 };
	struct query q;
	char *cause = NULL, *want;
	cJSON *obj;
	int i, j, bad = 0;

	/* 10 orders a second before, 200 in the second (ids shuffled), 10 after. */
	sqlite3_exec(cache_db(c), "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < 220; i++) {
		j = i < 10 ? i : i < 210 ? 10 + (i - 10) * 37 % 200 : i;
		obj = make_order(j, 1);
		json_set_str(obj, "created_at", i < 10 ? "2026-11-10T23:59:59Z" : i < 210 ?
		    "2026-11-11T00:00:00Z" : "2026-11-11T00:00:01Z");
		cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	sqlite3_exec(cache_db(c), "COMMIT", NULL, NULL, NULL);
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.limit = 7;
	read_all(c, &q, &p);
	is_int(p.n, 220, "220 orders listed, 7 a page");
	is_int(check_seconds(&p, 1), 0, "newest second first, none skipped or twice");
	for (i = 0; i < 200 && p.n == 220; i++) {
		j = 10 + (199 - i) * 37 % 200;	/* the last to come first */
		want = xasprintf("2026-11-11T00:00:00Z SO%08d", j);
		bad += strcmp(p.rows[10 + i], want) != 0;
		free(want);
	}
	is_int(bad, 0, "the second's 200 in the order they came, the last first");
	q.reverse = 1;
	read_all(c, &q, &r);
	for (i = 0, bad = r.n != p.n; !bad && i < p.n; i++)
		bad = strcmp(p.rows[i], r.rows[p.n - 1 - i]) != 0;
	ok(!bad, "oldest first is the same list backward (%d rows)", r.n);
	pages_free(&r);
	q.reverse = 0;
	q.status = "shipped,cancelled";
	q.limit = 3;
	read_all(c, &q, &r);
	for (i = j = 0, bad = 0; i < p.n; i++) {
		if (strstr(p.rows[i], "SO") == NULL)
			continue;
		/* statuses[]: which of the list's rows have those two. */
		obj = make_order(atoi(strstr(p.rows[i], "SO") + 2), 1);
		if (strcmp(json_str(obj, "status"), "shipped") == 0 ||
		    strcmp(json_str(obj, "status"), "cancelled") == 0)
			bad += j >= r.n || strcmp(r.rows[j++], p.rows[i]) != 0;
		cJSON_Delete(obj);
	}
	ok(bad == 0 && j == r.n && j > 20, "two statuses, 3 a page: the list's %d rows of"
	    " them, in its order", r.n);
	pages_free(&r);
	q.status = NULL;
	q.limit = 7;

	/* A new version keeps its place; a created_at of another second moves it. */
	obj = make_order(50, 2);
	json_set_str(obj, "created_at", "2026-11-11T00:00:00Z");
	cache_put(c, KIND_ORDER, obj, &cause);
	cJSON_Delete(obj);
	obj = make_order(60, 2);
	json_set_str(obj, "created_at", "2026-11-11T00:00:02Z");
	cache_put(c, KIND_ORDER, obj, &cause);
	cJSON_Delete(obj);
	is_int(misplaced_rowids(c), 0, "every rowid in its second's range");
	q.limit = 1;
	read_all(c, &q, &r);
	bad = r.n != 220 || strcmp(r.rows[0], "2026-11-11T00:00:02Z SO00000060") != 0;
	for (i = j = 0; !bad && i < p.n; i++)
		if (strcmp(p.rows[i], "2026-11-11T00:00:00Z SO00000060") != 0)
			bad = strcmp(p.rows[i], r.rows[++j]) != 0;
	ok(!bad, "the moved order lists first, the rest (its new version too) in their places");
	pages_free(&p);
	pages_free(&r);
	q.limit = 0;
	q.since = 1794355200;	/* 2026-11-11T00:00:00Z */
	q.until = 1794355201;
	read_all(c, &q, &p);
	is_int(p.n, 199, "a day's filter (here a second) has the second's but the moved one");
	pages_free(&p);
	q.since = 1794355202;
	q.until = 1794355203;
	read_all(c, &q, &p);
	ok(p.n == 1 && strcmp(p.rows[0], "2026-11-11T00:00:02Z SO00000060") == 0,
	    "which its new second's has");
	pages_free(&p);
	q.since = 1794268800;	/* 2026-11-10 */
	q.until = 1794355200;
	read_all(c, &q, &p);
	is_int(p.n, 10, "and the day before its 10");
	pages_free(&p);
	q.since = q.until = 0;
	q.text = "SO00000060";
	read_all(c, &q, &p);
	ok(p.n == 1 && strcmp(p.rows[0], "2026-11-11T00:00:02Z SO00000060") == 0,
	    "a search finds it at its new rowid");
	pages_free(&p);
	ok(sqlite3_exec(cache_db(c), "INSERT INTO orders_fts(orders_fts) VALUES"
	    " ('integrity-check')", NULL, NULL, NULL) == SQLITE_OK,
	    "the full-text index agrees with the table (its old rowid gone)");
	cache_close(&c);
	free(cause);
}

/*
 * A schema 18 cache's list indexes ended in (created_at, id): migrated,
 * they are keyed on their filter alone and orders_created is gone; an
 * order whose created_at had moved to another second (its rowid kept, as
 * then) takes a rowid of its second, and is found there.
 */
static void
test_migration_list_indexes(void)
{
	struct pages p = { NULL, 0, 0, 0 };
	struct query q;
	struct cache *c;
	char path[256];
	int rc;

	snprintf(path, sizeof path, "%s/schema18.db", tmpdir);
	c = open_ok(path, "create a cache to make schema 18");
	is_int(put_orders(c, 0, 50), 0, "50 orders");
	rc = sqlite3_exec(cache_db(c), "DROP INDEX orders_status; DROP INDEX orders_customer;"
	    " DROP INDEX orders_carrier; DROP INDEX orders_abnormal;"
	    " CREATE INDEX orders_created ON orders(created_at, id);"
	    " CREATE INDEX orders_status ON orders(status, created_at, id);"
	    " CREATE INDEX orders_customer ON orders(customer_id, created_at, id);"
	    " CREATE INDEX orders_carrier ON orders(carrier, created_at, id);"
	    " CREATE INDEX orders_abnormal ON orders(created_at, id) WHERE abnormal IS NOT NULL;"
	    " PRAGMA user_version = 18", NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "made into schema 18's indexes (%s)", sqlite3_errmsg(cache_db(c)));
	rc = sqlite3_exec(cache_db(c), "UPDATE orders SET created_at = '2026-12-01T08:00:00Z'"
	    " WHERE id = 'SO00000003'", NULL, NULL, NULL);
	ok(rc == SQLITE_OK && misplaced_rowids(c) == 1, "an order moved, its rowid kept");
	cache_close(&c);
	c = open_ok(path, "reopen: migrate");
	ok(cache_schema_version(c) >= 19, "migrated to %d", cache_schema_version(c));
	is_int(misplaced_rowids(c), 0, "its rowid in its second now");
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.since = 1796083200;	/* 2026-12-01T00:00:00Z */
	q.until = 1796169600;
	read_all(c, &q, &p);
	ok(p.n == 1 && strstr(p.rows[0], "SO00000003") != NULL, "a date filter finds it there");
	pages_free(&p);
	q.since = q.until = 0;
	q.text = "SO00000003";
	read_all(c, &q, &p);
	ok(p.n == 1, "and a search by its new rowid (%d)", p.n);
	pages_free(&p);
	q.text = NULL;
	q.limit = 1;
	read_all(c, &q, &p);
	if (p.n == 50) {
		struct pages rest = { p.rows + 1, 49, 49, 0 };

		ok(strstr(p.rows[0], "SO00000003") != NULL && check_order(&rest, 1) == 0,
		    "the list has it first, then the rest in order, each once");
	} else
		ok(0, "the list has its 50 orders (%d)", p.n);
	pages_free(&p);
	is_sql(c, "SELECT group_concat(name || ' ' || substr(sql, instr(sql, ' ON ') + 4), '; ')"
	    " FROM (SELECT name, sql FROM sqlite_master WHERE type = 'index' AND"
	    " tbl_name = 'orders' AND sql IS NOT NULL ORDER BY name)",
	    "orders_abnormal orders((abnormal IS NOT NULL)) WHERE abnormal IS NOT NULL;"
	    " orders_carrier orders(carrier); orders_customer orders(customer_id);"
	    " orders_status orders(status)", "the list indexes on their filters alone");
	is_sql(c, "SELECT count(*) FROM orders WHERE status = 'shipped'",
	    "7", "and they answer");
	cache_close(&c);
}

static void
test_full_second(void)
{
	struct cache *c = open_ok(":memory:", "open for a full second");
	struct pages p = { NULL, 0, 0, 0 };
	struct query q;
	char *cause = NULL;
	cJSON *obj;
	int i;

	ok(cache_orders_ordered(c) == 1, "an empty cache is in order");
	sqlite3_exec(cache_db(c), "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < 300; i++) {
		obj = make_order(i, 1);
		json_set_str(obj, "created_at", i % 2 ? "2026-11-11T00:00:00Z" :
		    "2026-11-11T00:00:00+08:00");
		cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	sqlite3_exec(cache_db(c), "COMMIT", NULL, NULL, NULL);
	is_sql(c, "SELECT count(*) FROM orders", "300", "300 orders in two seconds' text");
	is_sql(c, "SELECT count(*) FROM orders WHERE rowid < 0", "44",
	    "the 257th on of one second below zero");
	ok(cache_orders_ordered(c) == 0, "the cache is no longer in order");
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "西湖区";
	q.limit = 7;
	read_all(c, &q, &p);
	ok(p.n == 300 && pages_unlike_sql(c, &p, "SELECT created_at || ' ' || id FROM orders"
	    " ORDER BY rowid DESC") == 0, "a search lists them all in rowid order (%d)", p.n);
	pages_free(&p);
	q.text = "SO000001";
	read_all(c, &q, &p);
	ok(p.n == 100 && pages_unlike_sql(c, &p, "SELECT created_at || ' ' || id FROM orders"
	    " WHERE id LIKE 'SO000001%' ORDER BY rowid DESC") == 0,
	    "and a number's prefix (%d)", p.n);
	pages_free(&p);
	q.text = NULL;
	read_all(c, &q, &p);
	ok(p.n == 300 && check_order(&p, 1) != 0 && pages_unlike_sql(c, &p,
	    "SELECT created_at || ' ' || id FROM orders ORDER BY rowid DESC") == 0,
	    "the list too, 7 a page: the 257th on last (%d)", p.n);
	pages_free(&p);
	q.since = 1794355200;	/* 2026-11-11T00:00:00Z */
	q.until = 1794355201;
	read_all(c, &q, &p);
	is_int(p.n, 150, "a date filter has those of the second, below zero too");
	pages_free(&p);
	q.since = 1794268800;	/* 2026-11-10 (...T00:00:00+08:00 is before ...Z) */
	q.until = 1794355200;
	read_all(c, &q, &p);
	is_int(p.n, 150, "and the day before the others");
	pages_free(&p);
	q.since = q.until = 0;
	cache_close(&c);
	free(cause);
}

/* Which of test_digit_prefixes()'s orders a text finds. */
static int dp_so00001(int i) { return i >= 1000 && i < 2000; }
static int dp_c0009(int i) { return i % 997 >= 900; }
static int dp_29(int i) { return i == 29 || (i >= 290 && i < 300) || i >= 2900; }
static int dp_299(int i) { return i == 299 || i >= 2990; }
static int dp_10(int i) { return i == 10 || (i >= 100 && i < 110) || (i >= 1000 && i < 1100); }
static int dp_2999(int i) { return i == 2999; }
/* "00001": order, customer and SKU ids starting so, and the tracking number ending so. */
static int
dp_00001(int i)
{
	return (i >= 1000 && i < 2000) || i % 997 / 10 == 1 || i % 300 / 10 == 1 ||
	    i % 7 == 2 || i == 1;
}
static int dp_000029(int i) { return i % 997 == 29 || i % 300 == 29 || i / 100 == 29; }
static int dp_sk0002(int i) { return i % 300 >= 200; }
static int dp_so000012(int i) { return i >= 1200 && i < 1300; }
static int dp_c00002(int i) { return i % 997 / 10 == 2; }
static int dp_all(int i) { (void)i; return 1; }
static int dp_none(int i) { (void)i; return 0; }
static int dp_note_29(int i) { return i % 100 == 0 && dp_29(i); }

/* Whether the rows of p are the orders i < n that want holds, each once. */
static int
dp_rows_are(const struct pages *p, int n, int (*want)(int))
{
	int i, k, expect = 0, bad = 0;
	char *seen = xcalloc((size_t)n, 1);
	const char *id;

	for (i = 0; i < n; i++)
		expect += want(i);
	for (k = 0; k < p->n; k++) {
		id = strrchr(p->rows[k], ' ');
		if (id == NULL || sscanf(id, " SO%d", &i) != 1 || i < 0 || i >= n ||
		    !want(i) || seen[i]++)
			bad++;
	}
	free(seen);
	if (bad != 0 || p->n != expect)
		printf("# %d rows, %d expected, %d wrong\n", p->n, expect, bad);
	return bad == 0 && p->n == expect;
}

/*
 * Two or three digits typed alone ("29", "138") are one token of the index
 * (FTS_PREFIX), four or more a prefix query; one or two letters and two to
 * five digits ("SO00001", "C0009") one token too, six their first five's
 * token read in order and each row tested; digits beside a word ("满减 29")
 * a phrase. Dense, middle and sparse, each way must list and count exactly
 * the rows the text matches, newest first.
 */
static void
test_digit_prefixes(void)
{
	static const struct {
		const char	*text;
		int		(*want)(int);
		const char	*what;
	} cases[] = {
		{ "SO00001", dp_so00001, "two letters and five digits: a third of the orders" },
		{ "SO00", dp_all, "two letters and two digits: every order" },
		{ "SO10", dp_none, "two letters and two digits no order has" },
		{ "C0009", dp_c0009, "a letter and four digits: customer ids" },
		{ "C17", dp_none, "a letter and two digits no order has" },
		{ "138", dp_all, "three digits alone in every order (phones)" },
		{ "29", dp_29, "two digits alone in 111 of 3000 orders (street numbers)" },
		{ "299", dp_299, "three digits alone in 11 orders" },
		{ "10", dp_10, "two digits alone in 111 orders, none of the newest (counted"
		    " up to 50 by the numbers starting 100 to 109 and the term 10)" },
		{ "2999", dp_2999, "four digits: a street number and two key words' tails" },
		{ "1380", dp_all, "four digits alone in every order (phones)" },
		{ "00001", dp_00001, "five digits alone: ids starting so, a tracking number ending so" },
		{ "000029", dp_000029, "six digits alone: a hundred order ids, a customer and a SKU id" },
		{ "SO000", dp_all, "two letters and three digits: every order" },
		{ "SK0002", dp_sk0002, "two letters and four digits: a third of the SKU ids" },
		{ "C00002", dp_c00002, "a letter and five digits: ten customer ids" },
		{ "SO000012", dp_so000012, "two letters and six digits: a hundred orders" },
		{ "满减 29", dp_note_29, "a rare word and two digits: the word's rows tested" },
		{ "西湖区 299", dp_299, "a word in every order and three digits" },
	};
	struct cache *c = open_ok(":memory:", "open for digit prefixes");
	struct pages p = { NULL, 0, 0, 0 };
	struct query q;
	char *cause = NULL;
	cJSON *obj;
	size_t t;
	long n, got;
	int i, limits[] = { 40, 7 }, l;

	sqlite3_exec(cache_db(c), "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < 3000; i++) {
		obj = make_order(i, 1);
		if (i % 100 == 0)
			json_set_str(obj, "note", "满减活动");
		cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	ok(sqlite3_exec(cache_db(c), "COMMIT", NULL, NULL, NULL) == SQLITE_OK,
	    "3000 orders, every hundredth noted 满减活动");
	for (t = 0; t < sizeof cases / sizeof cases[0]; t++) {
		for (l = 0; l < 2; l++) {
			memset(&q, 0, sizeof q);
			q.kind = KIND_ORDER;
			q.text = cases[t].text;
			q.limit = limits[l];
			read_all(c, &q, &p);
			ok(dp_rows_are(&p, 3000, cases[t].want) && check_order(&p, 1) == 0,
			    "'%s' by pages of %d: %s, newest first", cases[t].text, limits[l],
			    cases[t].what);
			pages_free(&p);
		}
		memset(&q, 0, sizeof q);
		q.kind = KIND_ORDER;
		q.text = cases[t].text;
		for (i = 0, n = 0; i < 3000; i++)
			n += cases[t].want(i);
		got = count_q(c, &q);
		ok(got == n, "'%s' counted: %ld of %ld", cases[t].text, got, n);
		got = cache_query_count_max(c, &q, 50, NULL, NULL, &cause);
		ok(got == (n > 50 ? 51 : n), "'%s' counted up to 50: %ld", cases[t].text, got);
	}
	cache_close(&c);
	free(cause);
}

static void
test_deep_matches(void)
{
	struct cache *c = open_ok(":memory:", "open for old matches");
	struct pages p = { NULL, 0, 0, 0 };
	struct query q;
	char *cause = NULL, *next = NULL;
	cJSON *obj;
	int i;

	sqlite3_exec(cache_db(c), "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < 12000; i++) {
		obj = make_order(i, 1);
		if (i < 1100)
			json_set_str(obj, "note", "旧单补发");
		cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	ok(sqlite3_exec(cache_db(c), "COMMIT", NULL, NULL, NULL) == SQLITE_OK,
	    "12000 orders, the oldest 1100 noted 旧单补发");
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "旧单";
	q.limit = 40;
	ok(cache_query(c, &q, collect_row, &p, &next, &cause) == 0,
	    "the first page of the old matches");
	is_int(p.n, 40, "is full");
	ok(p.n > 0 && strstr(p.rows[0], "SO00001099") != NULL,
	    "its first row is the newest of them (%s)", p.n ? p.rows[0] : "");
	is_int(check_order(&p, 1), 0, "newest first");
	free(next);
	pages_free(&p);
	is_int(read_all(c, &q, &p), 28, "every page of them");
	is_int(p.n, 1100, "all 1100, once each");
	is_int(check_order(&p, 1), 0, "newest first, ties by id");
	pages_free(&p);
	q.reverse = 1;
	is_int(read_all(c, &q, &p), 28, "and oldest first");
	ok(p.n == 1100 && strstr(p.rows[0], "SO00000000") != NULL && check_order(&p, 0) == 0,
	    "from SO00000000, in order (%d rows)", p.n);
	pages_free(&p);
	cache_close(&c);
}

/*
 * A text whose matches are many, together in the table and last in their
 * list (customers by id: the 1200 of one city, C101800 on): the list's
 * pages hold them in id order, both ways.
 */
static void
test_dense_matches(void)
{
	struct cache *c = open_ok(":memory:", "open for close matches");
	struct pages p = { NULL, 0, 0, 0 };
	struct query q;
	char *cause = NULL, *next = NULL, id[16];
	cJSON *obj;
	int i, bad = 0;

	sqlite3_exec(cache_db(c), "BEGIN", NULL, NULL, NULL);
	for (i = 0; i < 3000; i++) {
		obj = cJSON_Parse(fixtures[KIND_CUSTOMER]);
		snprintf(id, sizeof id, "C%06d", 100000 + i);
		json_set_str(obj, "id", id);
		json_set_str(obj, "phone", "");
		if (i >= 1800)
			json_set_str(obj, "city", "乌鲁木齐市");
		cache_put(c, KIND_CUSTOMER, obj, &cause);
		cJSON_Delete(obj);
	}
	ok(sqlite3_exec(cache_db(c), "COMMIT", NULL, NULL, NULL) == SQLITE_OK,
	    "3000 customers, the last 1200 in 乌鲁木齐市");
	memset(&q, 0, sizeof q);
	q.kind = KIND_CUSTOMER;
	q.text = "乌鲁";
	q.limit = 40;
	ok(cache_query(c, &q, collect_row, &p, &next, &cause) == 0 && next != NULL,
	    "the first page of them, and a next");
	is_int(p.n, 40, "is full");
	ok(p.n > 0 && strstr(p.rows[0], " C101800") != NULL,
	    "its first row is the first of them by id (%s)", p.n ? p.rows[0] : "");
	free(next);
	pages_free(&p);
	is_int(read_all(c, &q, &p), 30, "every page of them");
	for (i = 0; i < p.n; i++) {
		snprintf(id, sizeof id, " C%06d", 101800 + i);
		bad += strstr(p.rows[i], id) == NULL;
	}
	ok(p.n == 1200 && bad == 0, "all 1200, in id order (%d rows, %d out of place)",
	    p.n, bad);
	pages_free(&p);
	q.reverse = 1;
	is_int(read_all(c, &q, &p), 30, "and backward");
	ok(p.n == 1200 && strstr(p.rows[0], " C102999") != NULL &&
	    strstr(p.rows[p.n - 1], " C101800") != NULL,
	    "from C102999 to C101800 (%d rows)", p.n);
	pages_free(&p);
	cache_close(&c);
}

/*
 * What was typed exactly (a phone number here) comes first, then the rest
 * newest first, page by page and read backward as the console does.
 */
/*
 * The full-text indexes hold no positions (detail=none): a phrase is asked
 * as its terms, and the rows found are tested against the phrase. Orders
 * whose note has a phrase's bigrams apart ("丰收 收路口" for 丰收路) are not
 * found by it, however many they are, through every way a list is read
 * (by the index, walking the list, counting); nor chats by such a message.
 */
static void
test_phrase_apart(void)
{
	struct cache *c = open_ok(":memory:", "open for phrases");
	struct pages p = { NULL, 0, 0, 0 };
	struct query q;
	char *cause = NULL, json[512];
	cJSON *obj;
	int i, bad = 0;

	is_sql(c, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%\\_fts' ESCAPE '\\'"
	    " AND sql LIKE '%detail=none%'", "8", "every full-text index holds no positions");
	is_sql(c, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%\\_fts' ESCAPE '\\'"
	    " AND sql LIKE '%columnsize=0%'", "8", "every full-text index keeps no token counts");
	is_sql(c, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%\\_docsize' ESCAPE '\\'",
	    "0", "no full-text index has a docsize table");
	for (i = 0; i < 3000; i++) {
		obj = make_order(i, 1);
		if (i % 400 == 1)
			json_set_str(obj, "note", "送丰收路8号");
		else if (i % 2 == 0)
			json_set_str(obj, "note", "丰收 收路口");
		cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "丰收路";
	is_int(count_q(c, &q), 8, "丰收路: the 8 orders with it, not the 1500 with its bigrams apart");
	q.limit = 3;
	read_all(c, &q, &p);
	for (i = 0; i < p.n; i++) {
		const char *id = strstr(p.rows[i], " SO");

		bad += id == NULL || atoi(id + 3) % 400 != 1;
	}
	ok(p.n == 8 && bad == 0 && check_order(&p, 1) == 0,
	    "and lists them, newest first, 3 a page (%d, %d without it)", p.n, bad);
	pages_free(&p);
	/*
	 * Counted up to a cap as the go-to prompt counts: 丰收路 is in too
	 * few rows of the first 256 to read the list (8 in 3000), 收路口 in
	 * half of them; each way exact below the cap, cap + 1 above it.
	 */
	is_int(cache_query_count_max(c, &q, 1000, NULL, NULL, &cause), 8,
	    "丰收路 counted up to 1000: 8");
	is_int(cache_query_count_max(c, &q, 5, NULL, NULL, &cause), 6,
	    "up to 5: 6, more");
	q.text = "收路口";
	is_int(cache_query_count_max(c, &q, 1000, NULL, NULL, &cause), 1001,
	    "收路口 up to 1000: 1001, more");
	is_int(cache_query_count_max(c, &q, 1500, NULL, NULL, &cause), 1500,
	    "up to 1500: 1500");
	q.limit = 40;
	is_int(count_q(c, &q), 1500, "收路口: the 1500 with it");
	read_all(c, &q, &p);
	is_int(p.n, 1500, "and lists them");
	pages_free(&p);
	q.text = "丰收路口";
	is_int(count_q(c, &q), 0, "丰收路口: none (丰收 and 收路口 apart in 1500)");
	read_all(c, &q, &p);
	is_int(p.n, 0, "and lists none");
	pages_free(&p);
	q.text = "丰收路 SO0000";
	q.status = statuses[1 % 7];
	/* Orders 1, 401, ... 2801: 1 and 2801 are of the second status. */
	is_int(count_q(c, &q), 2, "丰收路 with a status and an id prefix");
	q.status = NULL;

	for (i = 0; i < 4; i++) {
		snprintf(json, sizeof json, "{\"id\":\"CV%06d\",\"version\":1,"
		    "\"created_at\":\"2026-11-21T09:0%d:00Z\",\"customer_name\":\"王五\","
		    "\"queue\":\"presales\",\"status\":\"open\","
		    "\"last_message_at\":\"2026-11-21T09:0%d:00Z\","
		    "\"last_message_preview\":\"%s\",\"unread\":0}", i, i, i,
		    i == 0 ? "丰收路到了吗" : "在吗");
		put_json(c, KIND_CONVERSATION, json);
		snprintf(json, sizeof json, "{\"id\":\"MS%07d\",\"version\":1,"
		    "\"created_at\":\"2026-11-21T09:0%d:00Z\",\"conversation_id\":\"CV%06d\","
		    "\"author\":\"customer\",\"body\":\"%s\"}", i, i, i,
		    i == 1 ? "寄到丰收路" : "丰收 收路口");
		if (put_json(c, KIND_MESSAGE, json) != 0)
			printf("# message %d not put: %s\n", i, json);
	}
	q.kind = KIND_CONVERSATION;
	q.text = "丰收路";
	read_all(c, &q, &p);
	ok(p.n == 2 && strstr(p.rows[0], "CV000001") != NULL &&
	    strstr(p.rows[1], "CV000000") != NULL,
	    "chats: by their preview or a message with the phrase, not with its terms apart (%d)",
	    p.n);
	pages_free(&p);
	free(cause);
	cache_close(&c);
}

static void
test_exact_first(void)
{
	struct cache *c = open_ok(":memory:", "open for exact matches");
	struct pages p = { NULL, 0, 0, 0 }, back = { NULL, 0, 0, 0 };
	struct query q;
	char *cause = NULL, *next = NULL, *rev;
	cJSON *obj;
	int i;

	for (i = 0; i < 40; i++) {
		obj = make_order(i, 1);
		if (i >= 30)	/* newer orders whose note quotes order 5's phone */
			json_set_str(obj, "note", "客户来电 13800000005 改地址");
		cache_put(c, KIND_ORDER, obj, &cause);
		cJSON_Delete(obj);
	}
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "13800000005";
	q.limit = 3;
	is_int(read_all(c, &q, &p), 4, "read the matches 3 a page: 4 pages");
	is_int(p.n, 11, "the phone's order and the ten whose note quotes it");
	ok(p.n > 0 && strstr(p.rows[0], "SO00000005") != NULL,
	    "the exact match is first though it is the oldest (%s)", p.n ? p.rows[0] : "");
	ok(p.n == 11 && strstr(p.rows[1], "SO00000039") != NULL &&
	    strstr(p.rows[10], "SO00000030") != NULL, "then the rest, newest first");
	pages_free(&p);

	/* From the second row's cursor backward: the exact one above it. */
	q.limit = 2;
	q.after = NULL;
	cache_query(c, &q, collect_row, &p, &next, &cause);
	ok(next != NULL, "a cursor after two rows");
	rev = cache_cursor_reverse(next);
	q.after = rev;
	q.reverse = 1;
	q.limit = 10;
	free(next);
	next = NULL;
	cache_query(c, &q, collect_row, &back, &next, &cause);
	ok(back.n == 1 && strstr(back.rows[0], "SO00000005") != NULL,
	    "read backward from the second row: the exact match (%d rows)", back.n);
	free(rev);
	free(next);
	next = NULL;
	pages_free(&back);
	pages_free(&p);

	q.after = NULL;
	q.reverse = 1;
	q.limit = 4;
	ok(read_all(c, &q, &back) > 0, "the whole list reversed");
	ok(back.n == 11 && strstr(back.rows[0], "SO00000030") != NULL &&
	    strstr(back.rows[10], "SO00000005") != NULL,
	    "reversed: the rest oldest first, the exact match last");
	pages_free(&back);

	q.reverse = 0;
	q.text = "0000005";	/* a tail of the phone and of the id, not either */
	q.limit = 100;
	ok(read_all(c, &q, &p) > 0, "a term exact nowhere");
	ok(p.n == 1 && strstr(p.rows[0], "SO00000005") != NULL,
	    "finds by the tails (%d rows)", p.n);
	pages_free(&p);
	q.text = "客户来电 138";
	ok(read_all(c, &q, &p) > 0, "two terms");
	ok(p.n == 10 && strstr(p.rows[0], "SO00000039") != NULL,
	    "are never exact: newest first (%d rows)", p.n);
	pages_free(&p);
	q.text = "so00000007";
	ok(read_all(c, &q, &p) > 0, "an id in lower case");
	ok(p.n == 1 && strstr(p.rows[0], "SO00000007") != NULL, "finds it");
	pages_free(&p);

	/*
	 * A text every row matches is read from the list, not the index:
	 * the same rows in the same order, page by page and backward.
	 */
	q.text = "S";
	q.limit = 7;
	ok(read_all(c, &q, &p) == 6, "S: every order, 7 a page (6 pages)");
	ok(p.n == 40 && strstr(p.rows[0], "SO00000039") != NULL &&
	    strstr(p.rows[39], "SO00000000") != NULL, "newest first (%d rows)", p.n);
	q.reverse = 1;
	ok(read_all(c, &q, &back) > 0 && back.n == 40 && strstr(back.rows[0], "SO00000000"),
	    "and reversed (%d rows)", back.n);
	pages_free(&back);
	pages_free(&p);
	q.reverse = 0;
	q.text = "13800000005";	/* an exact phone among 40 that match 138 */
	q.limit = 100;
	ok(read_all(c, &q, &p) > 0 && p.n == 11 && strstr(p.rows[0], "SO00000005"),
	    "the exact match first still (%d rows)", p.n);
	pages_free(&p);
	q.text = "138";
	is_int(cache_query_count(c, &q, &cause), 40, "138 counts all 40 exactly");
	is_int(cache_query_count_max(c, &q, 10, NULL, NULL, &cause), 11,
	    "counted up to 10: 11 means more");
	is_int(cache_query_count_max(c, &q, 100, NULL, NULL, &cause), 40,
	    "up to 100: the count");
	q.text = "客户来电";
	is_int(cache_query_count_max(c, &q, 5, NULL, NULL, &cause), 6,
	    "a text a quarter match, up to 5: more");
	/* 文三路 through the index, "3" of the street number filtered after. */
	q.text = "文三路3";
	ok(read_all(c, &q, &p) > 0 && p.n == 11 && strstr(p.rows[0], "SO00000039") &&
	    strstr(p.rows[10], "SO00000003"), "a word and a digit: 文三路3号 and 3x号 (%d rows)",
	    p.n);
	is_int(cache_query_count(c, &q, &cause), 11, "counted the same");
	pages_free(&p);
	cache_close(&c);
}

static void
test_tickets(struct cache *c)
{
	struct query q;
	struct pages p = { NULL, 0, 0, 0 };
	const char *state[] = { "met", "active", "breached", "active", "breached" };
	const char *status[] = { "requested", "requested", "requested", "requested", "closed" };
	const char *due[] = { "2026-11-20T00:00:00Z", "2026-11-23T00:00:00Z",
	    "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z", "2026-11-19T00:00:00Z" };
	char json[768];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(json, sizeof json, "{\"id\":\"AS%07d\",\"version\":1,"
		    "\"created_at\":\"2026-11-1%dT00:00:00Z\",\"order_id\":\"SO1\","
		    "\"kind\":\"complaint\",\"status\":\"%s\",\"reason\":\"破损\","
		    "\"sla\":{\"first_action_due\":\"%s\",\"resolve_due\":null,"
		    "\"first_action_at\":null,\"state\":\"%s\"}}", i, i, status[i], due[i],
		    state[i]);
		put_json(c, KIND_TICKET, json);
	}
	memset(&q, 0, sizeof q);
	q.kind = KIND_TICKET;
	read_all(c, &q, &p);
	ok(p.n == 5 && strstr(p.rows[0], "AS0000002") && strstr(p.rows[1], "AS0000003") &&
	    strstr(p.rows[2], "AS0000001") && strstr(p.rows[3], "AS0000004") &&
	    strstr(p.rows[4], "AS0000000"),
	    "tickets: open with running SLA by deadline, then the rest (a closed ticket "
	    "with a breached SLA is not urgent)");
	pages_free(&p);
	q.subkind = "complaint";
	q.text = "破损";
	q.order_id = "SO1";
	is_int(count_q(c, &q), 5, "ticket filters and search compose");
}

/* EXPLAIN QUERY PLAN: an index range, no temporary sort, no bare scan. */
static void
plan_ok(struct cache *c, struct query *q, const char *index, const char *name)
{
	char *cause = NULL, *plan = cache_query_explain(c, q, &cause);
	int good;

	good = plan != NULL && strstr(plan, "TEMP B-TREE") == NULL &&
	    strstr(plan, index) != NULL;
	if (good) {
		char *line, *rest = plan, *copy = xstrdup(plan);

		/*
		 * Every SCAN must walk an index (or be the FTS table), or be
		 * the one expected (the orders' table: their list's order).
		 */
		for (rest = copy; (line = strsep(&rest, "\n")) != NULL;)
			if (strstr(line, "SCAN ") != NULL && strstr(line, index) == NULL &&
			    strstr(line, "USING") == NULL &&
			    strstr(line, "VIRTUAL TABLE") == NULL &&
			    strstr(line, "CONSTANT") == NULL)
				good = 0;
		free(copy);
	}
	ok(good, "plan: %s", name);
	if (!good)
		printf("#   %s\n", plan ? plan : cause);
	free(plan);
	free(cause);
}

static void
test_plans(struct cache *c)
{
	struct query q;

	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	plan_ok(c, &q, "SCAN orders", "orders list: the table, in rowid order");
	q.after = "new/d:460434432000";
	plan_ok(c, &q, "INTEGER PRIMARY KEY (rowid<?)", "orders next page seeks the cursor");
	q.status = "shipped";
	plan_ok(c, &q, "orders_status (status=? AND rowid<?)", "orders by status");
	q.after = NULL;
	q.since = 1790000000;
	q.until = 1790086400;
	plan_ok(c, &q, "orders_status (status=? AND rowid>? AND rowid<?)",
	    "orders by status of a day: a range of rowids");
	q.status = NULL;
	plan_ok(c, &q, "INTEGER PRIMARY KEY (rowid>? AND rowid<?)",
	    "orders of a day: a range of the table");
	q.repeat = 1;
	plan_ok(c, &q, "orders_customer (customer_id=? AND rowid<?)",
	    "repeat customers' orders: a probe of each one's earlier orders");
	q.repeat = 0;
	q.since = q.until = 0;
	q.after = "new/d:460434432000";
	q.status = "shipped";
	q.status = "shipped,delivered,completed";
	plan_ok(c, &q, "orders_status", "orders by a status list (merged arms)");
	q.status = NULL;
	q.abnormal = 1;
	plan_ok(c, &q, "orders_abnormal (<expr>=? AND rowid<?)", "abnormal orders");
	q.abnormal = 0;
	q.customer_id = "C000001";
	plan_ok(c, &q, "orders_customer", "a customer's orders");
	q.customer_id = NULL;
	q.text = "上海";
	plan_ok(c, &q, "INTEGER PRIMARY KEY", "a common term walks the list (the table)");
	q.status = "cancelled";
	plan_ok(c, &q, "orders_status", "and the status index with a status");
	q.status = NULL;
	q.text = "张三";
	{
		char *cause = NULL, *plan = cache_query_explain(c, &q, &cause);

		ok(plan != NULL && strstr(plan, "orders_fts VIRTUAL TABLE") != NULL &&
		    strstr(plan, "INTEGER PRIMARY KEY") != NULL,
		    "a rare term drives from the full-text index");
		free(plan);
		free(cause);
	}
	q.text = NULL;
	q.after = NULL;

	q.kind = KIND_TICKET;
	plan_ok(c, &q, "tickets_list", "tickets list");
	q.status = "requested";
	plan_ok(c, &q, "tickets_status", "tickets by status");
	q.status = NULL;
	q.sort = "new";
	plan_ok(c, &q, "tickets_created", "tickets newest first");
	q.sort = NULL;
	q.kind = KIND_CONVERSATION;
	q.waiting = 1;
	plan_ok(c, &q, "conversations_waiting", "waiting conversations");
	q.waiting = 0;
	q.queue = "vip";
	plan_ok(c, &q, "conversations_queue", "conversations by queue");
	q.queue = NULL;
	q.sort = "queue";
	plan_ok(c, &q, "conversations_queue", "conversations sorted by queue");
	q.sort = NULL;
	q.kind = KIND_MESSAGE;
	q.conversation_id = "CV1";
	plan_ok(c, &q, "messages_conversation", "a conversation's messages");
	q.conversation_id = NULL;
	q.kind = KIND_SKU;
	q.low_stock = 1;
	plan_ok(c, &q, "skus_margin", "low stock SKUs");
	q.low_stock = 0;
	plan_ok(c, &q, "sqlite_autoindex_skus", "SKUs by id");
	q.kind = KIND_PROMOTION;
	q.status = "active";
	plan_ok(c, &q, "promotions_status", "promotions by status");
}

static int
index_count(struct cache *c)
{
	char *v = sql_value(c, "SELECT count(*) FROM sqlite_master WHERE"
	    " type IN ('index', 'trigger') AND sql IS NOT NULL");
	int n = v ? atoi(v) : -1;

	free(v);
	return n;
}

static void
test_bulk(void)
{
	struct cache *c;
	char path[256], *cause = NULL, *v, *next = NULL;
	struct pages p = { NULL, 0, 0, 0 };
	struct query q;
	pid_t pid;
	int nidx, status;

	c = open_ok(":memory:", "open for bulk");
	nidx = index_count(c);
	ok(nidx > 40, "indexes and triggers exist (%d)", nidx);
	is_int(cache_bulk_begin(c, &cause), 0, "bulk_begin");
	is_int(index_count(c), 5, "indexes and triggers dropped, but for the panes' own orders");
	v = sql_value(c, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master"
	    " WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)");
	is_str(v, "conversations_list messages_conversation promotions_start"
	    " skus_margin tickets_list", "which are kept (orders list in the table's order)");
	free(v);
	v = cache_state_get(c, "bulk");
	snprintf(path, sizeof path, "pid %ld", (long)getpid());
	is_str(v, path, "bulk state recorded, with the loader's pid");
	free(v);
	is_int(put_orders(c, 0, 300), 0, "load orders in bulk");
	/* No full-text index until its end: a search tests each row loaded. */
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "张三";
	is_int(count_q(c, &q), 300 / 8 + 1, "during the load a search finds every row loaded");
	q.limit = 7;
	read_all(c, &q, &p);
	is_int(p.n, 300 / 8 + 1, "and pages through them");
	is_int(check_order(&p, 1), 0, "newest first, none twice");
	pages_free(&p);
	q.text = "00000017";
	q.limit = 3;
	cache_query(c, &q, collect_row, &p, &next, &cause);
	ok(p.n >= 1 && strstr(p.rows[0], " SO00000017") != NULL,
	    "an order's number without SO finds it first (%s)", p.n > 0 ? p.rows[0] : "none");
	pages_free(&p);
	free(next);
	next = NULL;
	is_int(cache_bulk_end(c, &cause), 0, "bulk_end");
	is_int(index_count(c), nidx, "indexes and triggers back");
	ok(cache_state_get(c, "bulk") == NULL, "bulk state cleared");
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.text = "张三";
	is_int(count_q(c, &q), 300 / 8 + 1, "full-text rebuilt after bulk");
	put_orders(c, 300, 308);
	is_int(count_q(c, &q), 300 / 8 + 2, "triggers index new rows again");
	q.text = NULL;
	q.status = "shipped";
	plan_ok(c, &q, "orders_status", "planner sees the indexes again");
	q.status = NULL;
	q.text = "张三";
	cache_close(&c);

	snprintf(path, sizeof path, "%s/bulk.db", tmpdir);
	c = open_ok(path, "file cache for an interrupted bulk load");
	cache_close(&c);
	/* The loader, in a process of its own, dies before bulk_end. */
	if ((pid = fork()) == 0) {
		c = cache_open(path, &cause);
		if (c == NULL || cache_bulk_begin(c, &cause) != 0 || put_orders(c, 0, 400) != 0)
			_exit(1);
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0, "a loader loads 400 orders in bulk and dies");
	{
		sqlite3 *db;
		sqlite3_stmt *stmt;
		int n = -1;

		sqlite3_open(path, &db);
		sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE"
		    " name = 'orders_status'", -1, &stmt, NULL);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			n = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
		sqlite3_close(db);
		is_int(n, 0, "the interrupted cache lacks its indexes");
	}
	c = open_ok(path, "reopening, with the loader gone, repairs it");
	is_int(index_count(c), nidx, "indexes and triggers recreated");
	ok(cache_state_get(c, "bulk") == NULL, "bulk state cleared by repair");
	is_int(count_q(c, &q), 400 / 8, "full-text rebuilt by repair");
	cache_close(&c);
}

/* What test_bulk_watch()'s watcher saw. */
struct bulk_seen {
	struct cache	*other;		/* another connection to the same file */
	char		 steps[16];	/* each step told, in order, once */
	int		 rc;		/* other's cache_begin() during the full text */
	char		*cause;
};

static void
bulk_seen_step(void *arg, int step)
{
	struct bulk_seen *s = arg;
	size_t n = strlen(s->steps);

	if ((n == 0 || s->steps[n - 1] != '0' + step) && n + 1 < sizeof s->steps)
		s->steps[n] = (char)('0' + step);
	if (step == CACHE_BULK_FULLTEXT && s->rc == 1)
		s->rc = cache_begin(s->other, &s->cause);
}

/*
 * A bulk load's end tells each step as it starts; meanwhile a writer on
 * another connection of the process is told, after a second, that the
 * cache is being indexed (not after the busy timeout, "database is
 * locked"), and writes again once it has ended.
 */
static void
test_bulk_watch(void)
{
	struct bulk_seen s = { NULL, "", 1, NULL };
	struct cache *c;
	char path[256], *cause = NULL;

	snprintf(path, sizeof path, "%s/watch.db", tmpdir);
	c = open_ok(path, "file cache for a watched bulk load");
	s.other = open_ok(path, "and another connection to it");
	is_int(cache_bulk_begin(c, &cause), 0, "bulk_begin");
	is_int(put_orders(c, 0, 300), 0, "load orders in bulk");
	cache_bulk_watch(c, bulk_seen_step, &s);
	is_int(cache_bulk_end(c, &cause), 0, "bulk_end");
	cache_bulk_watch(c, NULL, NULL);
	is_str(s.steps, "1234", "each step told as it starts: rollups, indexes, full text, saving");
	is_int(s.rc, -1, "a writer meanwhile is refused");
	ok(s.cause != NULL && strstr(s.cause, "the cache is being indexed after its first sync") != NULL,
	    "saying why (%s)", s.cause != NULL ? s.cause : "no cause");
	free(s.cause);
	s.cause = NULL;
	is_int(cache_begin(s.other, &s.cause), 0, "and writes once it has ended");
	is_int(cache_commit(s.other, &s.cause), 0, "commits");
	free(s.cause);
	cache_close(&s.other);
	cache_close(&c);
}

static void
test_digest(void)
{
	struct cache *c = open_ok(":memory:", "open for digest");
	const char *objs[] = {
		"{\"id\":\"U1\",\"version\":1,\"name\":\"管理员\"}",
		"{\"id\":\"SO9\",\"version\":2,\"status\":\"shipped\"}",
		"{\"id\":\"SO10\",\"version\":1,\"status\":\"closed\"}",
		"{\"id\":\"CR1\",\"version\":3,\"shortcut\":\"hi\"}",
		"{\"id\":\"SK1\",\"version\":1,\"stock\":1}",
	};
	enum sd_kind kinds[] = { KIND_USER, KIND_ORDER, KIND_ORDER,
	    KIND_CANNED_REPLY, KIND_SKU };
	char hex[SHA256_HEX_LEN], hex2[SHA256_HEX_LEN], want[SHA256_HEX_LEN];
	char *cause = NULL;
	const char *expect;
	long n = 0;
	size_t i;

	for (i = 0; i < sizeof objs / sizeof objs[0]; i++)
		put_json(c, kinds[i], objs[i]);
	/* Kinds by name, then ids bytewise: SO10 before SO9. */
	expect =
	    "canned_reply\tCR1\t3\t{\"id\":\"CR1\",\"version\":3,\"shortcut\":\"hi\"}\n"
	    "order\tSO10\t1\t{\"id\":\"SO10\",\"version\":1,\"status\":\"closed\"}\n"
	    "order\tSO9\t2\t{\"id\":\"SO9\",\"version\":2,\"status\":\"shipped\"}\n"
	    "sku\tSK1\t1\t{\"id\":\"SK1\",\"version\":1,\"stock\":1}\n"
	    "user\tU1\t1\t{\"id\":\"U1\",\"version\":1,\"name\":\"管理员\"}\n";
	sign_sha256_hex(expect, strlen(expect), want);
	is_int(cache_digest(c, hex, &n, &cause), 0, "digest");
	is_int(n, 5, "digest counts the objects");
	is_str(hex, want, "digest follows the reference store's definition");
	cache_digest(c, hex2, NULL, &cause);
	is_str(hex2, hex, "digest is stable");
	put_json(c, KIND_ORDER, "{\"id\":\"SO9\",\"version\":3,\"status\":\"delivered\"}");
	cache_digest(c, hex2, NULL, &cause);
	ok(strcmp(hex, hex2) != 0, "digest changes when an object changes");
	cache_close(&c);
}

/*
 * Objects stored compressed: a kind learns its dictionary from a page's
 * objects (never inside a transaction), later objects are kept as zstd
 * frames that read back byte for byte, earlier ones stay text, every
 * reader (get, lists, digest, SQL through sd_json) sees the same JSON as
 * without compression, another process reads them, and a damaged frame is
 * an error, not garbage.
 */
static void
test_pack(void)
{
	struct cache *c, *plain, *other;
	struct query q;
	struct pages p;
	char path[300], *texts[64], *cause = NULL, *next = NULL, *got, *v, hex[SHA256_HEX_LEN],
	    hex2[SHA256_HEX_LEN];
	const char *tp[64];
	size_t lens[64], stored = 0, kept = 0;
	cJSON *obj;
	int i, same = 1;

	snprintf(path, sizeof path, "%s/pack.db", tmpdir);
	c = open_ok(path, "open for compression");
	plain = open_ok(":memory:", "and one that never compresses");
	for (i = 0; i < 64; i++) {
		obj = make_order(i, 1);
		texts[i] = json_print(obj);
		tp[i] = texts[i];
		lens[i] = strlen(texts[i]);
		cJSON_Delete(obj);
	}
	ok(cache_learning(c, KIND_ORDER), "orders have no dictionary yet");
	cache_put_text(c, KIND_ORDER, texts[0], lens[0], &cause);	/* before it: text */
	cache_begin(c, &cause);
	is_int(cache_learn(c, KIND_ORDER, tp, lens, 64, &cause), 0, "learning inside a transaction");
	cache_commit(c, &cause);
	ok(cache_learning(c, KIND_ORDER), "does nothing");
	is_int(cache_learn(c, KIND_ORDER, tp, lens, CACHE_LEARN_MIN - 1, &cause), 0,
	    "learning from too few");
	ok(cache_learning(c, KIND_ORDER), "does nothing either");
	is_int(cache_learn(c, KIND_ORDER, tp, lens, 64, &cause), 0, "learning from 64 orders");
	ok(!cache_learning(c, KIND_ORDER), "makes the orders' dictionary");
	ok(cache_learning(c, KIND_TICKET), "and no other kind's");
	for (i = 1; i < 64; i++)
		cache_put_text(c, KIND_ORDER, texts[i], lens[i], &cause);
	for (i = 0; i < 64; i++)
		cache_put_text(plain, KIND_ORDER, texts[i], lens[i], &cause);
	v = sql_value(c, "SELECT typeof(json) FROM orders WHERE id = 'SO00000000'");
	is_str(v, "text", "an order stored before the dictionary stays text");
	free(v);
	v = sql_value(c, "SELECT count(*) FROM orders WHERE typeof(json) = 'blob'");
	is_str(v, "63", "those after are compressed");
	free(v);
	for (i = 0; i < 64; i++)
		stored += lens[i];
	v = sql_value(c, "SELECT sum(length(json)) FROM orders WHERE typeof(json) = 'blob'");
	kept = v != NULL ? (size_t)atol(v) : 0;
	free(v);
	ok(kept > 0 && kept * 3 < stored - lens[0], "to less than a third (%zu of %zu bytes)",
	    kept, stored - lens[0]);
	for (i = 0; i < 64; i++) {
		char id[16];

		snprintf(id, sizeof id, "SO%08d", i);
		got = cache_get_json(c, KIND_ORDER, id);
		same &= got != NULL && strcmp(got, texts[i]) == 0;
		free(got);
	}
	ok(same, "each reads back byte for byte");
	memset(&q, 0, sizeof q);
	q.kind = KIND_ORDER;
	q.limit = 100;
	memset(&p, 0, sizeof p);
	is_int(cache_query(c, &q, collect_row, &p, &next, &cause), 0, "a list of them");
	is_int(p.n, 64, "shows all 64");
	pages_free(&p);
	cache_digest(c, hex, NULL, &cause);
	cache_digest(plain, hex2, NULL, &cause);
	is_str(hex, hex2, "the digest is that of the same objects uncompressed");
	v = sql_value(c, "SELECT count(*) FROM orders WHERE json_extract(sd_json(0, json),"
	    " '$.status') = 'shipped'");
	got = sql_value(plain, "SELECT count(*) FROM orders WHERE json_extract(json,"
	    " '$.status') = 'shipped'");
	ok(v != NULL && got != NULL && strcmp(v, got) == 0 && atoi(v) > 0,
	    "SQL reads them through sd_json (%s shipped)", v != NULL ? v : "?");
	free(v);
	free(got);

	other = open_ok(path, "another process's handle");
	got = cache_get_json(other, KIND_ORDER, "SO00000042");
	ok(got != NULL && strcmp(got, texts[42]) == 0, "reads them with the stored dictionary");
	free(got);
	ok(!cache_learning(other, KIND_ORDER), "and knows the orders have one");
	cache_close(&other);

	sqlite3_exec(cache_db(c), "UPDATE orders SET json = x'28b52ffd0000' WHERE id ="
	    " 'SO00000007'", NULL, NULL, NULL);
	got = cache_get_json(c, KIND_ORDER, "SO00000007");
	ok(got == NULL, "a damaged frame reads as nothing, not garbage");
	free(got);
	memset(&p, 0, sizeof p);
	free(cause);
	cause = NULL;
	is_int(cache_query(c, &q, collect_row, &p, &next, &cause), -1, "a list over it fails");
	ok(cause != NULL && strstr(cause, "cannot be read") != NULL, "saying so: %s",
	    cause != NULL ? cause : "");
	pages_free(&p);
	free(cause);
	free(next);
	for (i = 0; i < 64; i++)
		cJSON_free(texts[i]);
	cache_close(&c);
	cache_close(&plain);
}

/* Every column of the orders but json, in id order, as one string. */
#define ORDER_COLS	"SELECT group_concat(quote(id) || quote(version) || quote(updated_at) ||" \
	" quote(created_at) || quote(status) || quote(payment_status) ||" \
	" quote(fulfillment_status) || quote(abnormal) || quote(customer_id) ||" \
	" quote(customer_name) || quote(phone) || quote(total) || quote(currency) ||" \
	" quote(carrier) || quote(tracking_no) || quote(search) || quote(refunded), '|')" \
	" FROM (SELECT * FROM orders ORDER BY id)"
#define ROLLUPS	"SELECT (SELECT group_concat(quarter || orders || paid || gmv || refunds || refunded)" \
	" FROM (SELECT * FROM order_quarters ORDER BY 1)) || '/' || (SELECT group_concat(" \
	"customer_id || quarter || n) FROM (SELECT * FROM customer_quarters ORDER BY 1, 2)) ||" \
	" '/' || (SELECT group_concat(customer_id || first) FROM (SELECT * FROM customer_first" \
	" ORDER BY 1)) || '/' || (SELECT group_concat(quarter || title || qty) FROM (SELECT *" \
	" FROM item_quarters ORDER BY 1, 2))"

/*
 * Rows prepared off the writer (cache_row_prepare(), cache_put_row()) are
 * stored as cache_put_text() stores the same texts, before and after the
 * kind has a dictionary; what cannot be prepared says so with NULL. And
 * the rollups a bulk load computes in one pass equal those the triggers
 * keep, titles with escapes and fractional quantities included.
 */
static void
test_rows(void)
{
	static const char *odd =
	    "{\"id\":\"SO99999999\",\"version\":1,\"created_at\":\"2026-09-21T14:07:00Z\","
	    "\"payment_status\":\"paid\",\"customer_id\":\"C000001\",\"total\":500,"
	    "\"items\":[{\"title\":\"T\\u6064 \\\"L\\\"\",\"quantity\":2.5},"
	    "{\"title\":\"纯棉T恤 白色 / M\"},{\"title\":null,\"quantity\":3},7],"
	    "\"address\":{\"phone\":\"13800000000\"}}";
	struct cache *c, *ref, *bulk;
	struct cache_prep *prep;
	struct cache_row *rows[65];
	char path[300], *texts[65], *cause = NULL, *a, *b, *got;
	const char *tp[64];
	size_t lens[65];
	cJSON *obj;
	int i, same = 1, all = 1;

	snprintf(path, sizeof path, "%s/rows.db", tmpdir);
	c = open_ok(path, "open for prepared rows");
	ref = open_ok(":memory:", "and one stored the usual way");
	snprintf(path, sizeof path, "%s/rows-bulk.db", tmpdir);
	bulk = open_ok(path, "and one loaded in bulk");
	for (i = 0; i < 64; i++) {
		obj = make_order(i, 1);
		texts[i] = json_print(obj);
		tp[i] = texts[i];
		lens[i] = strlen(texts[i]);
		cJSON_Delete(obj);
	}
	texts[64] = xstrdup(odd);
	lens[64] = strlen(odd);
	prep = cache_prep_new();
	ok(cache_row_prepare(prep, KIND_SKU, fixtures[KIND_SKU], strlen(fixtures[KIND_SKU])) == NULL,
	    "a SKU is not prepared (its document reads the cache)");
	ok(cache_row_prepare(prep, KIND_ORDER, "{\"id\":", 6) == NULL, "nor malformed JSON");
	ok(cache_row_prepare(prep, KIND_ORDER, "{\"id\":\"SO1\"}", 12) == NULL,
	    "nor an object without a version");
	/* Half before the orders have a dictionary, half after. */
	for (i = 0; i < 32; i++)
		all &= (rows[i] = cache_row_prepare(prep, KIND_ORDER, texts[i], lens[i])) != NULL;
	is_int(cache_learn(c, KIND_ORDER, tp, lens, 64, &cause), 0, "the orders' dictionary");
	cache_prep_share(c, prep);
	for (i = 32; i < 65; i++)
		all &= (rows[i] = cache_row_prepare(prep, KIND_ORDER, texts[i], lens[i])) != NULL;
	ok(all, "65 orders prepared");
	cache_begin(c, &cause);
	for (i = 0; i < 65 && all; i++)
		all &= cache_put_row(c, rows[i], &cause) == 0;
	cache_commit(c, &cause);
	ok(all, "and stored");
	for (i = 0; i < 65; i++) {
		cache_put_text(ref, KIND_ORDER, texts[i], lens[i], &cause);
		cache_row_free(rows[i]);
	}
	is_sql(c, "SELECT count(*) FROM orders WHERE typeof(json) = 'blob'", "65",
	    "every one compressed, those prepared before the dictionary by the writer");
	a = sql_value(c, ORDER_COLS);
	b = sql_value(ref, ORDER_COLS);
	ok(a != NULL && b != NULL && strcmp(a, b) == 0, "the same columns as cache_put_text()");
	free(a);
	free(b);
	for (i = 0; i < 65; i++) {
		char id[16];

		snprintf(id, sizeof id, i < 64 ? "SO%08d" : "SO99999999", i);
		got = cache_get_json(c, KIND_ORDER, id);
		same &= got != NULL && strcmp(got, texts[i]) == 0;
		free(got);
	}
	ok(same, "the same JSON, byte for byte");

	is_int(cache_bulk_begin(bulk, &cause), 0, "a bulk load");
	cache_begin(bulk, &cause);
	for (i = 0; i < 65; i++)
		cache_put_text(bulk, KIND_ORDER, texts[i], lens[i], &cause);
	cache_commit(bulk, &cause);
	is_int(cache_bulk_end(bulk, &cause), 0, "ends");
	a = sql_value(bulk, ROLLUPS);
	b = sql_value(ref, ROLLUPS);
	ok(a != NULL && b != NULL && strcmp(a, b) == 0,
	    "its rollups, computed from scratch, equal those the triggers keep");
	if (a == NULL || b == NULL || strcmp(a, b) != 0)
		printf("#   bulk %s\n#   triggers %s\n", a != NULL ? a : "NULL", b != NULL ? b : "NULL");
	ok(b != NULL && strstr(b, "T恤 \"L\"2.5") != NULL, "an escaped title, 2.5 of it");
	free(a);
	free(b);
	for (i = 0; i < 65; i++)
		cJSON_free(texts[i]);
	cache_prep_free(prep);
	free(cause);
	cache_close(&c);
	cache_close(&ref);
	cache_close(&bulk);
}

/*
 * A rollup order for test_rollups_sums(): created_at as given (NULL: none),
 * items as given (a JSON array's members).
 */
static char *
rollup_order(int i, int version, const char *created, const char *pay, const char *items)
{
	char buf[1024], at[64];

	if (created != NULL)
		snprintf(at, sizeof at, "\"created_at\":\"%s\",", created);
	else
		at[0] = '\0';
	snprintf(buf, sizeof buf, "{\"id\":\"SO%08d\",\"version\":%d,%s"
	    "\"payment_status\":\"%s\",\"customer_id\":\"C%06d\",\"total\":%d,"
	    "\"refunded_amount\":%d,\"items\":[%s]}", i, version, at, pay, i % 4,
	    100 + i, i % 6 == 0 ? 50 : 0, items);
	return xstrdup(buf);
}

static void
put_both(struct cache *a, struct cache *b, const char *text)
{
	char *cause = NULL;

	if (cache_put_text(a, KIND_ORDER, text, strlen(text), &cause) != 0 ||
	    cache_put_text(b, KIND_ORDER, text, strlen(text), &cause) != 0)
		fatal("cannot put %s: %s", text, cause != NULL ? cause : "");
}

/*
 * The rollups a bulk load sums in C, one quarter after another in the
 * rowids' order (integer quantities; cache_fill_quarters()), equal those
 * the triggers keep: unpaid and failed orders, titles escaped, empty, null
 * or missing, quantities missing or negative, created_at values that are
 * no time (short, missing, non-ASCII, minutes not in digits), and an
 * order moved to an earlier quarter, so that a quarter is met twice. And
 * where a quarter met twice sums an item to nothing, the row goes, as the
 * general path's HAVING sum(qty) != 0 does.
 */
static void
test_rollups_sums(void)
{
	static const char *odd[] = {
		"2026-09-21T14:5", "2026-09-21T14:4\xef\xbc\x95:00Z", "2026-09-21T14:x7:00Z",
		"2026-09-21 14:47:00", "2026", "\xe4\xba\x8c" "026-09-21T14:47:00Z", NULL,
	};
	struct cache *ref, *bulk;
	char path[300], created[RFC3339_LEN], items[256], *cause = NULL, *t, *a, *b;
	time_t base = 1790000000;
	size_t k;
	int i;

	ref = open_ok(":memory:", "a cache kept by the triggers");
	snprintf(path, sizeof path, "%s/sums-bulk.db", tmpdir);
	bulk = open_ok(path, "and one loaded in bulk");
	is_int(cache_bulk_begin(bulk, &cause), 0, "a bulk load");
	cache_begin(bulk, &cause);
	cache_begin(ref, &cause);
	for (i = 0; i < 60; i++) {
		time_format_rfc3339(base + i * 290, created);
		snprintf(items, sizeof items, "{\"title\":\"A\",\"quantity\":%d},"
		    "{\"title\":\"B \\\"q\\\"\",\"quantity\":%d},{\"title\":\"\",\"quantity\":2},"
		    "{\"title\":null,\"quantity\":3},{\"quantity\":5},{\"title\":\"C%d\"},7",
		    i % 3 + 1, i % 2 ? -1 : 3, i % 5);
		t = rollup_order(i, 1, created, i % 5 == 0 ? "unpaid" : i % 11 == 0 ?
		    "failed" : "paid", items);
		put_both(ref, bulk, t);
		free(t);
	}
	for (k = 0; k < sizeof odd / sizeof odd[0]; k++) {
		t = rollup_order(100 + (int)k, 1, odd[k], "paid", "{\"title\":\"D\",\"quantity\":4}");
		put_both(ref, bulk, t);
		free(t);
	}
	/* Two "items": '$.items' is the first, in SQLite's JSON path as in the scan. */
	t = xstrdup("{\"id\":\"SO00000150\",\"version\":1,\"created_at\":"
	    "\"2026-09-21T15:01:00Z\",\"payment_status\":\"paid\",\"customer_id\":"
	    "\"C000001\",\"total\":1,\"items\":[{\"title\":\"E\",\"quantity\":1}],"
	    "\"items\":[{\"title\":\"E\",\"quantity\":5}]}");
	put_both(ref, bulk, t);
	free(t);
	/* The last order moves to the first one's quarter, its rowid with it. */
	time_format_rfc3339(base + 59 * 290, created);
	t = rollup_order(200, 1, created, "paid", "{\"title\":\"A\",\"quantity\":9}");
	put_both(ref, bulk, t);
	free(t);
	time_format_rfc3339(base + 300, created);
	t = rollup_order(200, 2, created, "paid", "{\"title\":\"A\",\"quantity\":9}");
	put_both(ref, bulk, t);
	free(t);
	is_sql(bulk, "SELECT count(*) FROM orders WHERE rowid < (SELECT rowid FROM orders"
	    " WHERE id = 'SO00000200') AND created_at > (SELECT created_at FROM orders"
	    " WHERE id = 'SO00000200')", "0", "the moved order's rowid follows its created_at");
	/*
	 * Out of order all the same, as an order past its second's 256th is
	 * (a negative rowid, cache.h): a quarter is met twice.
	 */
	sqlite3_exec(cache_db(bulk), "UPDATE orders SET rowid = (SELECT max(rowid) + 1 FROM"
	    " orders) WHERE id = 'SO00000200'", NULL, NULL, NULL);
	cache_commit(bulk, &cause);
	cache_commit(ref, &cause);
	is_sql(bulk, "SELECT count(*) FROM orders WHERE id < 'SO00000060' AND rowid < (SELECT"
	    " rowid FROM orders WHERE id = 'SO00000200') AND created_at > (SELECT created_at"
	    " FROM orders WHERE id = 'SO00000200')", "58",
	    "an order sits after those of later quarters");
	is_int(cache_bulk_end(bulk, &cause), 0, "the bulk load ends");
	a = sql_value(bulk, ROLLUPS);
	b = sql_value(ref, ROLLUPS);
	ok(a != NULL && b != NULL && strcmp(a, b) == 0,
	    "its rollups, summed in C, equal those the triggers keep");
	if (a == NULL || b == NULL || strcmp(a, b) != 0)
		printf("#   bulk %s\n#   triggers %s\n", a != NULL ? a : "NULL", b != NULL ? b : "NULL");
	free(a);
	free(b);
	is_sql(bulk, "SELECT group_concat(quarter || '=' || qty, '|') FROM (SELECT * FROM"
	    " item_quarters WHERE title = 'D' ORDER BY 1)",
	    "0=24|1988891=4",
	    "a created_at that is no time is quarter 0, one with a space for its T its own"
	    " (2026-09-21T14:45Z is quarter hour 1,988,891)");
	is_sql(bulk, "SELECT group_concat(quarter || ' ' || qty) FROM item_quarters"
	    " WHERE title = 'E'", "1988892 1", "of two \"items\", the first counts");
	is_sql(bulk, "SELECT qty FROM item_quarters WHERE quarter = 1988889"
	    " AND title = 'A'", "15", "the moved order's 9 added to its new quarter's 6");
	is_sql(bulk, "SELECT orders || ' ' || paid FROM order_quarters WHERE"
	    " quarter = 1988889", "4 4", "and its order to the quarter's orders");

	/* Moved onto a quarter whose A it takes back to nothing. */
	is_int(cache_bulk_begin(bulk, &cause), 0, "a second bulk load");
	cache_begin(bulk, &cause);
	time_format_rfc3339(base + 59 * 290 + 3600, created);
	t = rollup_order(300, 1, created, "paid", "{\"title\":\"A\",\"quantity\":-15}");
	cache_put_text(bulk, KIND_ORDER, t, strlen(t), &cause);
	free(t);
	time_format_rfc3339(base + 310, created);
	t = rollup_order(300, 2, created, "paid", "{\"title\":\"A\",\"quantity\":-15}");
	cache_put_text(bulk, KIND_ORDER, t, strlen(t), &cause);
	free(t);
	cache_commit(bulk, &cause);
	is_int(cache_bulk_end(bulk, &cause), 0, "ends");
	is_sql(bulk, "SELECT count(*) FROM item_quarters WHERE quarter = 1988889"
	    " AND title = 'A'", "0", "a quarter's item summed to nothing has no row");
	a = sql_value(bulk, "SELECT group_concat(q || t || n) FROM (SELECT"
	    " sd_quarter(created_at) AS q,"
	    " json_extract(i.value, '$.title') AS t,"
	    " sum(coalesce(json_extract(i.value, '$.quantity'), 1)) AS n FROM orders,"
	    " json_each(sd_json(0, orders.json), '$.items') AS i"
	    " WHERE coalesce(payment_status NOT IN ('unpaid', 'failed'), 0) AND t IS NOT NULL"
	    " GROUP BY 1, 2 HAVING n != 0 ORDER BY 1, 2)");
	b = sql_value(bulk, "SELECT group_concat(quarter || title || qty) FROM (SELECT * FROM"
	    " item_quarters ORDER BY 1, 2)");
	ok(a != NULL && b != NULL && strcmp(a, b) == 0, "item_quarters is the items' sums");
	if (a == NULL || b == NULL || strcmp(a, b) != 0)
		printf("#   sums %s\n#   item_quarters %s\n", a != NULL ? a : "NULL",
		    b != NULL ? b : "NULL");
	free(a);
	free(b);
	free(cause);
	cache_close(&ref);
	cache_close(&bulk);
}

static void
test_speed(void)
{
	struct cache *c;
	char path[256], *cause = NULL;
	cJSON *obj;
	uint64_t t0, t1, t2, tput = 0;
	int i, n = 100000, rc = 0;

	/* Time only the cache's work, not building the test's JSON. */
	snprintf(path, sizeof path, "%s/speed.db", tmpdir);
	c = open_ok(path, "file cache for the bulk timing");
	t0 = time_mono_us();
	rc |= cache_bulk_begin(c, &cause);
	tput = time_mono_us() - t0;
	for (i = 0; rc == 0 && i < n; i++) {
		obj = make_order(i, 1);
		t1 = time_mono_us();
		if (i % 1000 == 0)	/* a transaction per feed page, as sync does */
			rc |= cache_begin(c, &cause);
		rc |= cache_put(c, KIND_ORDER, obj, &cause);
		if (i % 1000 == 999 || i == n - 1)
			rc |= cache_commit(c, &cause);
		tput += time_mono_us() - t1;
		cJSON_Delete(obj);
	}
	t1 = time_mono_us();
	rc |= cache_bulk_end(c, &cause);
	t2 = time_mono_us();

	ok(rc == 0, "100000 orders loaded in bulk (%s)", cause ? cause : "ok");
	is_int(cache_count(c, KIND_ORDER), n, "all of them");
	printf("# cache_put of %d orders in bulk: %.2f s (%.0f orders/s);"
	    " bulk_end (indexes + FTS rebuild): %.2f s; together %.0f orders/s\n",
	    n, tput / 1e6, n / (tput / 1e6), (t2 - t1) / 1e6,
	    n / ((tput + t2 - t1) / 1e6));
	free(cause);
	cache_close(&c);
}

/*
 * A long write transaction gives way (cache_yield) to another writer of the
 * process: the shipment the console queues while the sync thread applies a
 * page. The other writer, on its own connection, commits while the long one
 * is still writing; without the yield it would wait for the long one's end
 * (its busy timeout is 5 s, the long one gives up waiting after 3 s).
 */
struct yield_arg {
	struct cache	*c;
	atomic_int	 started;
	atomic_int	 done;		/* 1 committed, -1 failed */
};

static void *
yield_writer(void *p)
{
	struct yield_arg *y = p;
	char *cause = NULL;
	int rc;

	atomic_store(&y->started, 1);
	rc = cache_begin(y->c, &cause) == 0 &&
	    cache_state_set(y->c, "shipped", "SO1", &cause) == 0 &&
	    cache_commit(y->c, &cause) == 0;
	if (!rc)
		cache_rollback(y->c);
	free(cause);
	atomic_store(&y->done, rc ? 1 : -1);
	return NULL;
}

static void
test_yield(void)
{
	struct timespec ms = { 0, 1000000 };
	struct yield_arg y;
	struct cache *c;
	pthread_t t;
	char path[256], v[32], *cause = NULL, *got;
	int i, yields = 0, rc, done_inside;

	snprintf(path, sizeof path, "%s/yield.db", tmpdir);
	c = open_ok(path, "the long writer's connection");
	memset(&y, 0, sizeof y);
	y.c = open_ok(path, "the other writer's connection");
	is_int(cache_yield(c, &cause), 0, "outside a transaction, nobody waits: nothing to yield");
	is_int(cache_begin(c, &cause), 0, "the long transaction begins");
	is_int(cache_yield(c, &cause), 0, "nobody waits: it goes on");
	ok(pthread_create(&t, NULL, yield_writer, &y) == 0, "the other writer starts");
	/* A loaded machine may run the thread late: wait until it has begun. */
	for (i = 0; i < 10000 && atomic_load(&y.started) == 0; i++)
		nanosleep(&ms, NULL);
	for (i = 0; i < 3000 && atomic_load(&y.done) == 0; i++) {
		snprintf(v, sizeof v, "%d", i);
		if (cache_state_set(c, "page", v, &cause) != 0)
			break;
		if ((rc = cache_yield(c, &cause)) < 0)
			break;
		yields += rc;
		nanosleep(&ms, NULL);
	}
	done_inside = atomic_load(&y.done);
	snprintf(v, sizeof v, "%d", i);
	ok(cache_state_set(c, "page", v, &cause) == 0 && cache_commit(c, &cause) == 0,
	    "the long transaction ends (%s)", cause != NULL ? cause : "ok");
	pthread_join(t, NULL);
	is_int(done_inside, 1, "the other writer committed while the long one was still writing");
	ok(yields >= 1, "the long one yielded (%d times)", yields);
	got = cache_state_get(c, "shipped");
	is_str(got, "SO1", "the other writer's row is there");
	free(got);
	got = cache_state_get(c, "page");
	is_str(got, v, "and every write of the long one, the last included");
	free(got);
	free(cause);
	cache_close(&y.c);
	cache_close(&c);
}

static void
cleanup(void)
{
	const char *files[] = { "reopen.db", "bulk.db", "speed.db", "pack.db", "yield.db",
	    "schema14.db" };
	const char *sfx[] = { "", "-wal", "-shm" };
	char path[300];
	size_t i, j;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		for (j = 0; j < 3; j++) {
			snprintf(path, sizeof path, "%s/%s%s", tmpdir, files[i], sfx[j]);
			unlink(path);
		}
	}
	rmdir(tmpdir);
}

int
main(void)
{
	struct cache *c;

	if (mkdtemp(tmpdir) == NULL)
		fatal("mkdtemp failed");
	test_migrations();
	test_migration_search();
	test_migration_prefix();
	test_digit_prefixes();
	test_migration_tails();
	test_migration_rowids();
	test_full_second();
	test_second_order();
	test_migration_list_indexes();
	test_exact_first();
	test_phrase_apart();
	test_deep_matches();
	test_dense_matches();
	test_objects();

	c = open_ok(":memory:", "open for lists");
	ok(put_orders(c, 0, 2000) == 0, "2000 synthetic orders");
	test_pages(c);
	test_filters(c);
	test_waiting(c);
	test_tickets(c);
	test_sorts(c);
	test_plans(c);
	cache_close(&c);

	test_bulk();
	test_bulk_watch();
	test_digest();
	test_pack();
	test_rows();
	test_rollups_sums();
	test_yield();
	if (getenv("SD_TEST_QUICK") == NULL)
		test_speed();
	cleanup();
	return done_testing();
}
