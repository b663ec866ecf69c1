/*
 * cache.c -- the local SQLite cache: schema, migrations, objects, sync state.
 *
 * Each kind has a table holding the object's JSON as received plus columns
 * extracted from it for lists, filters and sorting (the xcol tables below say
 * which and how). Search goes through external-content FTS5 tables using the
 * sdcjk tokenizer (cache-fts.c), kept in step by triggers.
 *
 * The schema is an ordered list of migrations applied in one transaction and
 * recorded in PRAGMA user_version; released migrations are never edited. The
 * derived objects -- secondary indexes and full-text triggers -- are declared
 * once (cache_indexes[], cache_fts[]) and created from there both after
 * migrating and at the end of a bulk load, which drops them to load faster.
 * A migration that changes a derived object drops the old one; the next
 * derived pass creates the new one.
 *
 * The cache is plain storage: it calls nothing above it. Objects from the
 * store enter it through the outbox's door (outbox_store() and friends in
 * outbox.c), which shows an object with actions still waiting for it with
 * those actions' effect on top.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "cache-pack.h"
#include "cache-fts.h"
#include "sla.h"
#include "util/buf.h"
#include "util/crash.h"
#include "util/jscan.h"
#include "util/jsonutil.h"
#include "util/log.h"
#include "util/sign.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"

/* Tickets and conversations sort on an integer key; see cache_sort_key(). */
#define SORT_LATER	(1LL << 40)

#define CACHE_KEPT	48	/* statements cache_prepare() keeps */

/* SQLite's page cache (KiB, negative), and while a bulk load ends. */
#define CACHE_PAGES		"-6144"
#define CACHE_BULK_END_PAGES	"-2048"

struct cache {
	sqlite3		*db;
	char		*path;			/* as opened, for messages */
	sqlite3_stmt	*put[KIND__COUNT];	/* upsert, prepared on first use */
	sqlite3_stmt	*del[KIND__COUNT];
	sqlite3_stmt	*get[KIND__COUNT];
	sqlite3_stmt	*stage[KIND__COUNT];	/* cache_stage_begin()'s: into the stage */
	sqlite3_stmt	*unstage[KIND__COUNT];	/* the stage into the table, one statement */
	size_t		 staged[KIND__COUNT];	/* rows waiting in a kind's stage */
	int		 staging;		/* puts go to the stages */
	sqlite3_stmt	*slot[CACHE_SLOT__COUNT];	/* other modules' statements */
	struct {
		const char	*sql;		/* the caller's text, by address */
		sqlite3_stmt	*stmt;
	} kept[CACHE_KEPT];			/* cache_prepare()'s */
	int		 nkept;
	struct pack	*pack;			/* compressed JSON (cache-pack.c) */
	struct buf	 unpacked;		/* cache_column_json()'s */
	int		 readonly;		/* read only: 2 the disk is full, 1 else */
	struct {				/* cache_bulk_watch()'s */
		void	(*fn)(void *, int);
		void	 *arg;
		int	  step;
		uint64_t  told;			/* when fn was last called (ms) */
	} watch;
	uint64_t	 busy_since;		/* cache_busy()'s first try (ms) */
};

/*
 * The quarter hour of an order (quarter hours since the epoch: 1,994,627
 * for 2026-11-20T08:47:33Z; sd_quarter(), time_quarter_of()), whether it
 * counts as paid (0 or 1) and what it adds to GMV, as SQL over the row r.
 * Every time zone's midnight falls on a quarter hour, so a local day is a
 * whole number of quarters. cache_derived() keeps order_quarters in step;
 * cache_fill_quarters() fills it from scratch.
 */
#define OQ_QUARTER(r)	"sd_quarter(" r "created_at)"
#define OQ_PAID(r)	"coalesce(" r "payment_status NOT IN ('unpaid', 'failed'), 0)"
#define OQ_GMV(r)	"(coalesce(" r "total, 0) * " OQ_PAID(r) ")"
/* What was refunded of a paid order, and whether anything was (0 or 1). */
#define OQ_REF(r)	"(coalesce(" r "refunded, 0) * " OQ_PAID(r) ")"
#define OQ_REFD(r)	"(coalesce(" r "refunded, 0) > 0 AND " OQ_PAID(r) ")"
/* Row r added to, or taken from, its quarter (trigger bodies). */
#define OQ_ADD(r)	" INSERT INTO order_quarters VALUES (" OQ_QUARTER(r) ", 1, " \
			OQ_PAID(r) ", " OQ_GMV(r) ", " OQ_REF(r) ", " OQ_REFD(r) ")" \
			" ON CONFLICT (quarter) DO UPDATE" \
			" SET orders = orders + 1, paid = paid + excluded.paid," \
			" gmv = gmv + excluded.gmv, refunds = refunds + excluded.refunds," \
			" refunded = refunded + excluded.refunded;"
#define OQ_SUB(r)	" UPDATE order_quarters SET orders = orders - 1, paid = paid - " \
			OQ_PAID(r) ", gmv = gmv - " OQ_GMV(r) ", refunds = refunds - " \
			OQ_REF(r) ", refunded = refunded - " OQ_REFD(r) " WHERE quarter = " \
			OQ_QUARTER(r) ";"

/*
 * Each customer's paid orders per quarter (customer_quarters), its first
 * paid quarter (customer_first), and the
 * quantity of each item title sold in paid orders per quarter
 * (item_quarters): a period's customers and repeat customers (report.c)
 * and today's top sellers (kpi.c) read these small rows, not the orders.
 */
/* ... and each customer's first paid quarter (customer_first), from there. */
#define CF_SET(r)	" DELETE FROM customer_first WHERE customer_id = " r "customer_id;" \
			" INSERT INTO customer_first SELECT customer_id, min(quarter)" \
			" FROM customer_quarters WHERE customer_id = " r "customer_id" \
			" GROUP BY customer_id;"
#define CQ_ADD(r)	" INSERT INTO customer_quarters SELECT " r "customer_id, " \
			OQ_QUARTER(r) ", 1 WHERE " OQ_PAID(r) " AND " r "customer_id IS NOT NULL" \
			" ON CONFLICT (customer_id, quarter) DO UPDATE SET n = n + 1;" CF_SET(r)
#define CQ_SUB(r)	" UPDATE customer_quarters SET n = n - 1 WHERE customer_id = " \
			r "customer_id AND quarter = " OQ_QUARTER(r) " AND " OQ_PAID(r) ";" \
			" DELETE FROM customer_quarters WHERE customer_id = " r "customer_id" \
			" AND quarter = " OQ_QUARTER(r) " AND n <= 0;" CF_SET(r)
#define IQ_ITEMS(r)	" FROM json_each(sd_json(0, " r "json), '$.items') AS i WHERE " \
			OQ_PAID(r) " AND json_extract(i.value, '$.title') IS NOT NULL"
#define IQ_QTY		"coalesce(json_extract(i.value, '$.quantity'), 1)"
#define IQ_ADD(r)	" INSERT INTO item_quarters SELECT " OQ_QUARTER(r) "," \
			" json_extract(i.value, '$.title'), " IQ_QTY IQ_ITEMS(r) \
			" ON CONFLICT (quarter, title) DO UPDATE SET qty = qty + excluded.qty;"
#define IQ_SUB(r)	" UPDATE item_quarters SET qty = qty - (SELECT sum(" IQ_QTY ")" \
			IQ_ITEMS(r) " AND json_extract(i.value, '$.title') = item_quarters.title)" \
			" WHERE quarter = " OQ_QUARTER(r) " AND title IN (SELECT" \
			" json_extract(i.value, '$.title')" IQ_ITEMS(r) ");" \
			" DELETE FROM item_quarters WHERE quarter = " OQ_QUARTER(r) " AND qty = 0;"

/*
 * The migrations. Entry i takes a cache from user_version i to i + 1. Sort
 * columns are NOT NULL (the extraction stores '' or a computed key) so that
 * keyset pagination can compare row values.
 */
static const char *cache_migrations[] = {
	/* 1: the first schema. */
	"CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"

	"CREATE TABLE orders (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" version INTEGER NOT NULL, updated_at TEXT, json TEXT NOT NULL,"
	" created_at TEXT NOT NULL, status TEXT, payment_status TEXT,"
	" fulfillment_status TEXT, abnormal TEXT, customer_id TEXT,"
	" customer_name TEXT, phone TEXT, total INTEGER, currency TEXT,"
	" carrier TEXT, tracking_no TEXT, item_titles TEXT, city TEXT);"

	"CREATE TABLE tickets (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" version INTEGER NOT NULL, updated_at TEXT, json TEXT NOT NULL,"
	" created_at TEXT NOT NULL, order_id TEXT, customer_id TEXT,"
	" customer_name TEXT, kind TEXT, status TEXT, priority TEXT,"
	" escalated INTEGER, assignee TEXT, sla_state TEXT, sla_due TEXT,"
	" reason TEXT, description TEXT, sort_key INTEGER NOT NULL);"

	"CREATE TABLE conversations (rowid INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL, updated_at TEXT,"
	" json TEXT NOT NULL, created_at TEXT NOT NULL, customer_id TEXT,"
	" customer_name TEXT, channel TEXT, queue TEXT, status TEXT,"
	" assignee TEXT, waiting_since TEXT, last_message_at TEXT, preview TEXT,"
	" unread INTEGER, order_id TEXT, sort_key INTEGER NOT NULL);"

	"CREATE TABLE messages (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" version INTEGER NOT NULL, updated_at TEXT, json TEXT NOT NULL,"
	" created_at TEXT NOT NULL, conversation_id TEXT, author TEXT, body TEXT);"

	"CREATE TABLE products (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" version INTEGER NOT NULL, updated_at TEXT, json TEXT NOT NULL,"
	" title TEXT, category TEXT, brand TEXT, shelf TEXT);"

	"CREATE TABLE skus (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" version INTEGER NOT NULL, updated_at TEXT, json TEXT NOT NULL,"
	" product_id TEXT, product_title TEXT, title TEXT, barcode TEXT,"
	" price INTEGER, stock INTEGER, reserved INTEGER,"
	" low_stock_threshold INTEGER, shelf TEXT, margin INTEGER NOT NULL);"

	"CREATE TABLE promotions (rowid INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL, updated_at TEXT,"
	" json TEXT NOT NULL, name TEXT, kind TEXT, status TEXT,"
	" starts_at TEXT NOT NULL, ends_at TEXT);"

	"CREATE TABLE customers (rowid INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL, updated_at TEXT,"
	" json TEXT NOT NULL, name TEXT, phone TEXT, email TEXT, level TEXT,"
	" city TEXT);"

	"CREATE TABLE canned_replies (rowid INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL, updated_at TEXT,"
	" json TEXT NOT NULL, shortcut TEXT, title TEXT, body TEXT);"

	"CREATE TABLE users (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" version INTEGER NOT NULL, updated_at TEXT, json TEXT NOT NULL,"
	" login TEXT, name TEXT, role TEXT);"

	/* Column lists must match cache_fts[] below. */
	"CREATE VIRTUAL TABLE orders_fts USING fts5(id, customer_name, phone,"
	" tracking_no, item_titles, city, content='orders', content_rowid='rowid',"
	" tokenize='sdcjk');"
	"CREATE VIRTUAL TABLE tickets_fts USING fts5(id, order_id, customer_name,"
	" reason, description, content='tickets', content_rowid='rowid',"
	" tokenize='sdcjk');"
	"CREATE VIRTUAL TABLE conversations_fts USING fts5(id, customer_name,"
	" preview, content='conversations', content_rowid='rowid',"
	" tokenize='sdcjk');"
	"CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='messages',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"CREATE VIRTUAL TABLE skus_fts USING fts5(id, product_title, title, barcode,"
	" content='skus', content_rowid='rowid', tokenize='sdcjk');"
	"CREATE VIRTUAL TABLE promotions_fts USING fts5(name, content='promotions',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"CREATE VIRTUAL TABLE customers_fts USING fts5(name, phone, email,"
	" content='customers', content_rowid='rowid', tokenize='sdcjk');"
	"CREATE VIRTUAL TABLE canned_replies_fts USING fts5(shortcut, title, body,"
	" content='canned_replies', content_rowid='rowid', tokenize='sdcjk');",

	/*
	 * 2: the outbox of offline writes (outbox.c), the log of the entries
	 * that left it, and the store's own state of objects that have
	 * entries (the shadow). The (kind, object_id, state, id) lookup that
	 * every cache_put() makes is a UNIQUE constraint rather than a
	 * CREATE INDEX so that it is not one of the derived indexes a bulk
	 * load drops: the outbox must be consulted during a bulk load too.
	 */
	"CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" key TEXT UNIQUE NOT NULL, kind INTEGER NOT NULL, object_id TEXT,"
	" action TEXT NOT NULL, method TEXT NOT NULL, path_action TEXT,"
	" body TEXT NOT NULL, base_version INTEGER NOT NULL, patch TEXT,"
	" state INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
	" next_at INTEGER NOT NULL DEFAULT 0, reason TEXT,"
	" http_status INTEGER NOT NULL DEFAULT 0, theirs TEXT,"
	" created_at TEXT NOT NULL, summary TEXT, actor TEXT,"
	" claimed_by INTEGER, claimed_at INTEGER,"
	" UNIQUE (kind, object_id, state, id));"

	"CREATE TABLE outbox_log (id INTEGER PRIMARY KEY, key TEXT NOT NULL,"
	" kind INTEGER NOT NULL, object_id TEXT, action TEXT NOT NULL,"
	" method TEXT NOT NULL, path_action TEXT, body TEXT NOT NULL,"
	" base_version INTEGER NOT NULL, patch TEXT, state INTEGER NOT NULL,"
	" attempts INTEGER NOT NULL, reason TEXT,"
	" http_status INTEGER NOT NULL, theirs TEXT, created_at TEXT NOT NULL,"
	" summary TEXT, actor TEXT, outcome TEXT NOT NULL, result TEXT,"
	" applied_at TEXT NOT NULL);"

	"CREATE TABLE shadow (kind INTEGER NOT NULL, id TEXT NOT NULL,"
	" json TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;",

	/*
	 * 3: orders, paid orders and GMV per quarter hour of created_at
	 * (UTC), so that the dashboard's day figures read at most 96 rows
	 * instead of a day's orders (20,000 on a busy day; kpi.c). Kept by
	 * the derived triggers below, filled by cache_migrate() for a cache
	 * that has orders already and rebuilt after a bulk load.
	 */
	"CREATE TABLE order_quarters (quarter TEXT PRIMARY KEY,"
	" orders INTEGER NOT NULL, paid INTEGER NOT NULL,"
	" gmv INTEGER NOT NULL) WITHOUT ROWID;"
	/* Tickets can be listed newest first: the index gains id (derived). */
	"DROP INDEX IF EXISTS tickets_created;",

	/*
	 * 4: the shadow as a rowid table. Its rows are whole objects (1 to 2
	 * kB an order), which in a WITHOUT ROWID table spill past the ~1 kB
	 * an index page keeps locally onto an overflow page each: 4 kB
	 * written per object queued on. Keyed by a UNIQUE constraint, not a
	 * derived index, so that a bulk load keeps it.
	 */
	"CREATE TABLE shadow_new (kind INTEGER NOT NULL, id TEXT NOT NULL,"
	" json TEXT NOT NULL, UNIQUE (kind, id));"
	"INSERT INTO shadow_new (kind, id, json) SELECT kind, id, json FROM shadow;"
	"DROP TABLE shadow;"
	"ALTER TABLE shadow_new RENAME TO shadow;",

	/*
	 * 5: each kind's compression dictionary (cache-pack.c): once made,
	 * never changed. A json column holds TEXT, or a zstd frame (BLOB)
	 * compressed against its kind's dictionary.
	 */
	"CREATE TABLE IF NOT EXISTS pack_dicts (kind INTEGER PRIMARY KEY,"
	" dict BLOB NOT NULL);",

	/*
	 * 6: search documents (cache_fts_doc()): each searchable table gains
	 * a search column holding what its objects are found by (ids, phone
	 * numbers with their tails and masked forms, addresses, notes, SKU
	 * codes...), and its full-text index reads that one column. The
	 * columns only the old index read go. The tokenizer now also folds
	 * traditional Han to simplified and splits letters from digits:
	 * cache_migrate() rebuilds every index.
	 */
	"DROP TRIGGER IF EXISTS orders_fts_ai; DROP TRIGGER IF EXISTS orders_fts_ad;"
	" DROP TRIGGER IF EXISTS orders_fts_au; DROP TABLE IF EXISTS orders_fts;"
	"ALTER TABLE orders ADD COLUMN search TEXT;"
	"UPDATE orders SET search = sd_search(0, json);"
	"CREATE VIRTUAL TABLE orders_fts USING fts5(search, content='orders',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"DROP TRIGGER IF EXISTS tickets_fts_ai; DROP TRIGGER IF EXISTS tickets_fts_ad;"
	" DROP TRIGGER IF EXISTS tickets_fts_au; DROP TABLE IF EXISTS tickets_fts;"
	"ALTER TABLE tickets ADD COLUMN search TEXT;"
	"UPDATE tickets SET search = sd_search(1, json);"
	"CREATE VIRTUAL TABLE tickets_fts USING fts5(search, content='tickets',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"DROP TRIGGER IF EXISTS conversations_fts_ai; DROP TRIGGER IF EXISTS conversations_fts_ad;"
	" DROP TRIGGER IF EXISTS conversations_fts_au; DROP TABLE IF EXISTS conversations_fts;"
	"ALTER TABLE conversations ADD COLUMN search TEXT;"
	"UPDATE conversations SET search = sd_search(2, json);"
	"CREATE VIRTUAL TABLE conversations_fts USING fts5(search, content='conversations',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"DROP TRIGGER IF EXISTS messages_fts_ai; DROP TRIGGER IF EXISTS messages_fts_ad;"
	" DROP TRIGGER IF EXISTS messages_fts_au; DROP TABLE IF EXISTS messages_fts;"
	"ALTER TABLE messages ADD COLUMN search TEXT;"
	"UPDATE messages SET search = sd_search(3, json);"
	"CREATE VIRTUAL TABLE messages_fts USING fts5(search, content='messages',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"DROP TRIGGER IF EXISTS skus_fts_ai; DROP TRIGGER IF EXISTS skus_fts_ad;"
	" DROP TRIGGER IF EXISTS skus_fts_au; DROP TABLE IF EXISTS skus_fts;"
	"ALTER TABLE skus ADD COLUMN search TEXT;"
	"UPDATE skus SET search = sd_search(5, json);"
	"CREATE VIRTUAL TABLE skus_fts USING fts5(search, content='skus',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"DROP TRIGGER IF EXISTS promotions_fts_ai; DROP TRIGGER IF EXISTS promotions_fts_ad;"
	" DROP TRIGGER IF EXISTS promotions_fts_au; DROP TABLE IF EXISTS promotions_fts;"
	"ALTER TABLE promotions ADD COLUMN search TEXT;"
	"UPDATE promotions SET search = sd_search(6, json);"
	"CREATE VIRTUAL TABLE promotions_fts USING fts5(search, content='promotions',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"DROP TRIGGER IF EXISTS customers_fts_ai; DROP TRIGGER IF EXISTS customers_fts_ad;"
	" DROP TRIGGER IF EXISTS customers_fts_au; DROP TABLE IF EXISTS customers_fts;"
	"ALTER TABLE customers ADD COLUMN search TEXT;"
	"UPDATE customers SET search = sd_search(7, json);"
	"CREATE VIRTUAL TABLE customers_fts USING fts5(search, content='customers',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"DROP TRIGGER IF EXISTS canned_replies_fts_ai; DROP TRIGGER IF EXISTS canned_replies_fts_ad;"
	" DROP TRIGGER IF EXISTS canned_replies_fts_au; DROP TABLE IF EXISTS canned_replies_fts;"
	"ALTER TABLE canned_replies ADD COLUMN search TEXT;"
	"UPDATE canned_replies SET search = sd_search(8, json);"
	"CREATE VIRTUAL TABLE canned_replies_fts USING fts5(search, content='canned_replies',"
	" content_rowid='rowid', tokenize='sdcjk');"
	"ALTER TABLE orders DROP COLUMN item_titles;"
	"ALTER TABLE orders DROP COLUMN city;",

	/*
	 * 7: search documents written folded as the tokenizer folds (case,
	 * full width, traditional Han), so that a token of a query is a
	 * substring of the documents holding it (the matcher's first test).
	 * The index's tokens are the same: the triggers are dropped meanwhile
	 * (cache_derived() makes them again) and nothing is reindexed.
	 */
	"DROP TRIGGER IF EXISTS orders_fts_au; UPDATE orders SET search = sd_search(0, json);"
	"DROP TRIGGER IF EXISTS tickets_fts_au; UPDATE tickets SET search = sd_search(1, json);"
	"DROP TRIGGER IF EXISTS conversations_fts_au; UPDATE conversations SET search = sd_search(2, json);"
	"DROP TRIGGER IF EXISTS messages_fts_au; UPDATE messages SET search = sd_search(3, json);"
	"DROP TRIGGER IF EXISTS skus_fts_au; UPDATE skus SET search = sd_search(5, json);"
	"DROP TRIGGER IF EXISTS promotions_fts_au; UPDATE promotions SET search = sd_search(6, json);"
	"DROP TRIGGER IF EXISTS customers_fts_au; UPDATE customers SET search = sd_search(7, json);"
	"DROP TRIGGER IF EXISTS canned_replies_fts_au; UPDATE canned_replies SET search = sd_search(8, json);",

	/*
	 * 8: tickets ordered by the SLA clock that runs now (sla.h), the
	 * pickup of an approved return included, rather than by the store's
	 * last word on sla.state: sort_key and sla_due again for every
	 * ticket. The full-text trigger is dropped meanwhile (the search
	 * column does not change; cache_derived() makes it again).
	 */
	"DROP TRIGGER IF EXISTS tickets_fts_au;"
	" UPDATE tickets SET sort_key = sd_sort_key(1, json), sla_due = sd_sla_due(json);",

	/*
	 * 9: refunds in the day figures (kpi.c, report.c): orders keep their
	 * refunded_amount, and each quarter adds up what its paid orders had
	 * refunded and how many had a refund. The quarters' triggers go with
	 * their table (cache_derived() makes them again, and cache_migrate()
	 * fills the new table).
	 */
	"DROP TRIGGER IF EXISTS order_quarters_ai; DROP TRIGGER IF EXISTS order_quarters_ad;"
	" DROP TRIGGER IF EXISTS order_quarters_au; DROP TRIGGER IF EXISTS orders_fts_au;"
	"ALTER TABLE orders ADD COLUMN refunded INTEGER;"
	"UPDATE orders SET refunded = json_extract(sd_json(0, json), '$.refunded_amount');"
	"DROP TABLE order_quarters;"
	"CREATE TABLE order_quarters (quarter TEXT PRIMARY KEY,"
	" orders INTEGER NOT NULL, paid INTEGER NOT NULL, gmv INTEGER NOT NULL,"
	" refunds INTEGER NOT NULL, refunded INTEGER NOT NULL) WITHOUT ROWID;",

	/*
	 * 10: the Dashboard's rollups beside order_quarters: each customer's
	 * paid orders per quarter hour (a day's customers and whether they
	 * had paid before it, without reading the day's orders) and each
	 * item title's quantity sold per quarter hour (today's top sellers).
	 * The quarters' triggers gain their upkeep: they are dropped here
	 * (cache_derived() makes them again; cache_migrate() fills the
	 * tables).
	 */
	"DROP TRIGGER IF EXISTS order_quarters_ai; DROP TRIGGER IF EXISTS order_quarters_ad;"
	" DROP TRIGGER IF EXISTS order_quarters_au;"
	"DROP TABLE IF EXISTS customer_quarters; DROP TABLE IF EXISTS item_quarters;"
	"DROP TABLE IF EXISTS customer_first;"
	"CREATE TABLE customer_first (customer_id TEXT PRIMARY KEY, first TEXT NOT NULL)"
	" WITHOUT ROWID;"
	"CREATE TABLE customer_quarters (customer_id TEXT NOT NULL, quarter TEXT NOT NULL,"
	" n INTEGER NOT NULL, PRIMARY KEY (customer_id, quarter)) WITHOUT ROWID;"
	"CREATE TABLE item_quarters (quarter TEXT NOT NULL, title TEXT NOT NULL,"
	" qty INTEGER NOT NULL, PRIMARY KEY (quarter, title)) WITHOUT ROWID;",

	/*
	 * 11: the store's category tree, and the category a product is in
	 * (its id; "category" stays the name). A cache from before has no
	 * categories, and the change feed will not send them again: the
	 * cursor goes, so that the next sync reads the feed from the start
	 * (once; what is cached stays meanwhile).
	 */
	"CREATE TABLE categories (rowid INTEGER PRIMARY KEY,"
	" id TEXT NOT NULL UNIQUE, version INTEGER NOT NULL, updated_at TEXT,"
	" json TEXT NOT NULL, name TEXT, parent_id TEXT, position INTEGER);"
	"ALTER TABLE products ADD COLUMN category_id TEXT;"
	"UPDATE products SET category_id = json_extract(sd_json(4, json), '$.category_id');"
	"DELETE FROM sync_state WHERE key = 'feed.cursor';",

	/*
	 * 12: the Dashboard's first frame at a million orders: a period's new
	 * customers by their first paid quarter, a range of an index
	 * (report.c), so that its repeat customers need no look-up per
	 * customer; and an agent's breached tickets from an index alone
	 * (kpi.c). cache_indexes[] has them too, for bulk loads.
	 */
	"CREATE INDEX IF NOT EXISTS customer_first_first ON customer_first(first);"
	"CREATE INDEX IF NOT EXISTS tickets_assignee_sla ON tickets(assignee, sla_state, sla_due);",

	/*
	 * 13: a run of digits is indexed by its first 2 to 5 digits too
	 * (FTS_PREFIX in cache-fts.c), so that a short prefix of an order
	 * number, a phone, a tracking number or a customer id is one term of
	 * the index rather than the thousands it starts: every index is
	 * rebuilt with the new tokens (the documents do not change).
	 */
	"INSERT INTO orders_fts(orders_fts) VALUES ('rebuild');"
	"INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild');"
	"INSERT INTO conversations_fts(conversations_fts) VALUES ('rebuild');"
	"INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');"
	"INSERT INTO skus_fts(skus_fts) VALUES ('rebuild');"
	"INSERT INTO promotions_fts(promotions_fts) VALUES ('rebuild');"
	"INSERT INTO customers_fts(customers_fts) VALUES ('rebuild');"
	"INSERT INTO canned_replies_fts(canned_replies_fts) VALUES ('rebuild');",

	/*
	 * 14: a SKU is found by the names of its product's category and the
	 * categories above it (/手机 finds the phones, /手机数码 all below
	 * it): each SKU's document again. Its full-text trigger reindexes it.
	 */
	"UPDATE skus SET search = sd_search_sku(json);",

	/*
	 * 15: orders' rowids in their list order (cache.h,
	 * cache_order_second()), so that a search reads the full-text
	 * index newest first and stops after a page: every order gets the
	 * rowid an insert would now give it (its second's next slot; the
	 * order within a second does not matter). The orders' indexes are
	 * dropped meanwhile (cache_derived() makes them again) and the
	 * full-text index is made again from the new rowids, as one segment
	 * (as cache_fts_rebuild() does).
	 */
	"DROP TRIGGER IF EXISTS orders_fts_au; DROP INDEX IF EXISTS orders_created;"
	" DROP INDEX IF EXISTS orders_status; DROP INDEX IF EXISTS orders_customer;"
	" DROP INDEX IF EXISTS orders_carrier; DROP INDEX IF EXISTS orders_abnormal;"
	"UPDATE orders SET rowid = sd_order_rowid(created_at);"
	"INSERT INTO orders_fts(orders_fts, rank) VALUES ('automerge', 0);"
	"INSERT INTO orders_fts(orders_fts, rank) VALUES ('crisismerge', 1000);"
	"INSERT INTO orders_fts(orders_fts) VALUES ('rebuild');"
	"INSERT INTO orders_fts(orders_fts) VALUES ('optimize');"
	"INSERT INTO orders_fts(orders_fts, rank) VALUES ('automerge', 4);"
	"INSERT INTO orders_fts(orders_fts, rank) VALUES ('crisismerge', 16);",

	/*
	 * 16: a key word ending in four digits is indexed by them too, a
	 * masked phone by its first digits with one to three of its last,
	 * and a word of letters by its first one and two (FTS_TAIL4, FTS_MASK
	 * and FTS_LEAD in cache-fts.c), so that the last four digits of an
	 * order, phone or tracking number, a masked phone typed so far and
	 * one or two letters ("SF") are each whole terms of the index, not
	 * prefix queries merging the lists of the many terms they start:
	 * every index is made
	 * again with the new tokens (the documents do not change), each as
	 * one segment (as cache_fts_rebuild() does).
	 */
#define CACHE_FTS_REMAKE(t) \
	"INSERT INTO " t "(" t ", rank) VALUES ('automerge', 0);" \
	"INSERT INTO " t "(" t ", rank) VALUES ('crisismerge', 1000);" \
	"INSERT INTO " t "(" t ") VALUES ('rebuild');" \
	"INSERT INTO " t "(" t ") VALUES ('optimize');" \
	"INSERT INTO " t "(" t ", rank) VALUES ('automerge', 4);" \
	"INSERT INTO " t "(" t ", rank) VALUES ('crisismerge', 16);"
	CACHE_FTS_REMAKE("orders_fts") CACHE_FTS_REMAKE("tickets_fts")
	CACHE_FTS_REMAKE("conversations_fts") CACHE_FTS_REMAKE("messages_fts")
	CACHE_FTS_REMAKE("skus_fts") CACHE_FTS_REMAKE("promotions_fts")
	CACHE_FTS_REMAKE("customers_fts") CACHE_FTS_REMAKE("canned_replies_fts"),
#undef CACHE_FTS_REMAKE

	/*
	 * 17: every full-text index holds only which rows have a term
	 * (detail=none), not where in the row: positions were 40% of the
	 * cache at a million orders. A phrase ("张三丰": 张三 then 三丰) is
	 * asked of the index as its terms together (cache_fts_index()),
	 * and each row that has them is confirmed by the matcher on its
	 * search document (sd_match()). Each index is made again, as one
	 * segment (as cache_fts_rebuild() does); its triggers go with it
	 * (cache_derived() makes them again).
	 */
#define CACHE_FTS_MAKE(t, opts) \
	"DROP TRIGGER IF EXISTS " t "_fts_ai; DROP TRIGGER IF EXISTS " t "_fts_ad;" \
	" DROP TRIGGER IF EXISTS " t "_fts_au; DROP TABLE IF EXISTS " t "_fts;" \
	"CREATE VIRTUAL TABLE " t "_fts USING fts5(search, content='" t "'," \
	" content_rowid='rowid', tokenize='sdcjk', " opts ");" \
	"INSERT INTO " t "_fts(" t "_fts, rank) VALUES ('automerge', 0);" \
	"INSERT INTO " t "_fts(" t "_fts, rank) VALUES ('crisismerge', 1000);" \
	"INSERT INTO " t "_fts(" t "_fts) VALUES ('rebuild');" \
	"INSERT INTO " t "_fts(" t "_fts) VALUES ('optimize');" \
	"INSERT INTO " t "_fts(" t "_fts, rank) VALUES ('automerge', 4);" \
	"INSERT INTO " t "_fts(" t "_fts, rank) VALUES ('crisismerge', 16);"
/* Every kind's full-text index made anew with these options (17, 18, 19). */
#define CACHE_FTS_MAKE_ALL(opts) \
	CACHE_FTS_MAKE("orders", opts) CACHE_FTS_MAKE("tickets", opts) \
	CACHE_FTS_MAKE("conversations", opts) CACHE_FTS_MAKE("messages", opts) \
	CACHE_FTS_MAKE("skus", opts) CACHE_FTS_MAKE("promotions", opts) \
	CACHE_FTS_MAKE("customers", opts) CACHE_FTS_MAKE("canned_replies", opts)
	CACHE_FTS_MAKE_ALL("detail=none"),

	/*
	 * 18: no full-text index keeps its rows' token counts (columnsize=0):
	 * only a rank by relevance (bm25) reads them, and every list is read
	 * newest first; they were 13 bytes an order (orders_fts_docsize).
	 * Each index is made again as one segment, as in 17.
	 */
	CACHE_FTS_MAKE_ALL("detail=none, columnsize=0"),

	/*
	 * 19: the rollups' quarter hours as integers (quarter hours since the
	 * epoch, sd_quarter()) rather than "2026-11-20T08:45": 16 bytes less
	 * in every key of customer_quarters, its index, item_quarters and
	 * customer_first (at a million orders 108 MB of them became 66), and
	 * order_quarters keyed by its rowid. The tables are made anew, empty,
	 * their triggers dropped: cache_migrate() makes the triggers again and
	 * fills the tables from the orders (CACHE_QUARTERS_MADE).
	 */
	"DROP TRIGGER IF EXISTS order_quarters_ai; DROP TRIGGER IF EXISTS order_quarters_ad;"
	" DROP TRIGGER IF EXISTS order_quarters_au; DROP TRIGGER IF EXISTS item_quarters_au;"
	"DROP TABLE IF EXISTS order_quarters; DROP TABLE IF EXISTS customer_quarters;"
	" DROP TABLE IF EXISTS item_quarters; DROP TABLE IF EXISTS customer_first;"
	"CREATE TABLE order_quarters (quarter INTEGER PRIMARY KEY,"
	" orders INTEGER NOT NULL, paid INTEGER NOT NULL, gmv INTEGER NOT NULL,"
	" refunds INTEGER NOT NULL, refunded INTEGER NOT NULL);"
	"CREATE TABLE customer_quarters (customer_id TEXT NOT NULL, quarter INTEGER NOT NULL,"
	" n INTEGER NOT NULL, PRIMARY KEY (customer_id, quarter)) WITHOUT ROWID;"
	"CREATE TABLE item_quarters (quarter INTEGER NOT NULL, title TEXT NOT NULL,"
	" qty INTEGER NOT NULL, PRIMARY KEY (quarter, title)) WITHOUT ROWID;"
	"CREATE TABLE customer_first (customer_id TEXT PRIMARY KEY, first INTEGER NOT NULL)"
	" WITHOUT ROWID;",

	/*
	 * 20: orders list in their rowids' order (cache.h), which every index
	 * already ends in: the list indexes are keyed on their filter column
	 * alone (no created_at and id, ~30 bytes an entry), the table itself
	 * is the list (orders_created goes), and an order whose created_at
	 * moves to another second moves its rowid (cache_upsert_parts()),
	 * which the full-text trigger follows. Dropped here; cache_derived()
	 * makes them from cache_indexes[] and cache_fts_triggers(). An order
	 * whose created_at moved before (its rowid kept, in another second)
	 * takes a slot of its own second now, its full-text entry with it, so
	 * that a rowid's second is its created_at's, as a date range reads.
	 */
	"DROP INDEX IF EXISTS orders_created; DROP INDEX IF EXISTS orders_status;"
	" DROP INDEX IF EXISTS orders_customer; DROP INDEX IF EXISTS orders_carrier;"
	" DROP INDEX IF EXISTS orders_abnormal; DROP TRIGGER IF EXISTS orders_fts_au;"
	"CREATE TEMP TABLE sd_moved AS SELECT rowid AS o, id, search FROM orders"
	" WHERE rowid >= 0 AND rowid >> 8 <> sd_order_second(created_at);"
	"INSERT INTO orders_fts(orders_fts, rowid, search)"
	" SELECT 'delete', o, search FROM temp.sd_moved;"
	"UPDATE orders SET rowid = sd_order_rowid(created_at)"
	" WHERE rowid IN (SELECT o FROM temp.sd_moved);"
	"INSERT INTO orders_fts(rowid, search) SELECT orders.rowid, orders.search"
	" FROM orders JOIN temp.sd_moved AS m ON m.id = orders.id;"
	"DROP TABLE temp.sd_moved;",

	/*
	 * 21: a run of digits is no longer indexed by its first 4 and 5
	 * digits alone, nor after more than two letters (FTS_PREFIX tokens
	 * of 13; its first 2 and 3 stay, and one or two letters before it
	 * with its first 2 to 5): four or five digits typed alone are a
	 * prefix query of the index, which starts few terms. Each index is
	 * made again without them, as one segment, as in 17.
	 */
	CACHE_FTS_MAKE_ALL("detail=none, columnsize=0"),
#undef CACHE_FTS_MAKE_ALL
#undef CACHE_FTS_MAKE
};
#define CACHE_SCHEMA ((int)(sizeof cache_migrations / sizeof cache_migrations[0]))
/*
 * The last entry that makes every full-text index anew from its table (21,
 * fewer digit-prefix tokens): a cache migrating through it skips the
 * earlier entries' rebuilds and optimizes of those indexes, whose work it
 * would throw away (cache_migrate_step()). Its drop and create discard
 * whatever the earlier steps left in them.
 */
#define CACHE_FTS_REMADE	20
/*
 * The last entry that makes the rollups' tables anew, empty (19): a cache
 * migrating through it has them filled from its orders.
 */
#define CACHE_QUARTERS_MADE	18

/*
 * Secondary indexes: one per list order and per filter, each ending in the
 * list's sort columns and id so that a filtered list is read in order from
 * the index (see cache-query.c). Orders list newest first on their rowid
 * (cache.h), which the table is in and every index ends in: theirs are
 * keyed on the filter alone; the abnormal ones' on a constant, so that
 * they too are in rowid order. Tickets and conversations list on
 * (sort_key, id); messages oldest first; promotions on (starts_at, id);
 * low-stock SKUs on (margin, id).
 */
static const struct cache_index {
	const char	*name;
	const char	*def;
	int		 listed;	/* a pane's own order: kept through a bulk load */
} cache_indexes[] = {
	{ "orders_status", "orders(status)", 0 },
	{ "orders_customer", "orders(customer_id)", 0 },
	{ "orders_carrier", "orders(carrier)", 0 },
	{ "orders_abnormal",
	  "orders((abnormal IS NOT NULL)) WHERE abnormal IS NOT NULL", 0 },
	{ "tickets_list", "tickets(sort_key, id)", 1 },
	{ "tickets_status", "tickets(status, sort_key, id)", 0 },
	{ "tickets_customer", "tickets(customer_id, sort_key, id)", 0 },
	{ "tickets_order", "tickets(order_id, sort_key, id)", 0 },
	{ "tickets_assignee", "tickets(assignee, sort_key, id)", 0 },
	{ "tickets_kind", "tickets(kind, sort_key, id)", 0 },
	{ "tickets_created", "tickets(created_at, id)", 0 },
	/* The dashboard's and the status line's SLA counts, every second. */
	{ "tickets_sla", "tickets(sla_state, sla_due)", 0 },
	{ "tickets_due", "tickets(sla_due, sla_state) WHERE sla_due IS NOT NULL", 0 },
	{ "conversations_list", "conversations(sort_key, id)", 1 },
	{ "conversations_status", "conversations(status, sort_key, id)", 0 },
	{ "conversations_customer", "conversations(customer_id, sort_key, id)", 0 },
	{ "conversations_order", "conversations(order_id, sort_key, id)", 0 },
	{ "conversations_assignee", "conversations(assignee, sort_key, id)", 0 },
	{ "conversations_queue", "conversations(queue, sort_key, id)", 0 },
	{ "conversations_waiting",
	  "conversations(sort_key, id) WHERE waiting_since IS NOT NULL", 0 },
	{ "conversations_created", "conversations(created_at)", 0 },
	{ "messages_conversation", "messages(conversation_id, created_at, id)", 1 },
	{ "messages_created", "messages(created_at, id)", 0 },
	{ "skus_margin", "skus(margin, id)", 1 },
	{ "skus_product", "skus(product_id, id)", 0 },
	{ "promotions_start", "promotions(starts_at, id)", 1 },
	{ "promotions_status", "promotions(status, starts_at, id)", 0 },
	{ "promotions_kind", "promotions(kind, starts_at, id)", 0 },
	{ "canned_replies_shortcut", "canned_replies(shortcut)", 0 },
	{ "users_login", "users(login)", 0 },
	/* The Dashboard's top refund reasons of 30 days, without reading the tickets (kpi.c). */
	{ "tickets_kind_reason", "tickets(kind, created_at, reason)", 0 },
	/* A period's paying customers, and the new ones among them (report.c). */
	{ "customer_quarters_quarter", "customer_quarters(quarter, customer_id)", 0 },
	{ "customer_first_first", "customer_first(first)", 0 },
	/* An agent's breached tickets, without reading them (kpi.c). */
	{ "tickets_assignee_sla", "tickets(assignee, sla_state, sla_due)", 0 },
	{ "categories_parent", "categories(parent_id, position, id)", 0 },
	{ "products_category", "products(category_id, id)", 0 },
};
#define CACHE_NINDEXES (sizeof cache_indexes / sizeof cache_indexes[0])

/* Full-text tables: <table>_fts over these columns, with three triggers each. */
static const struct cache_fts {
	enum sd_kind	 kind;
	const char	*name;		/* <table>_fts */
	const char	*cols[7];
} cache_fts[] = {
	{ KIND_ORDER, "orders_fts", { "search" } },
	{ KIND_TICKET, "tickets_fts", { "search" } },
	{ KIND_CONVERSATION, "conversations_fts", { "search" } },
	{ KIND_MESSAGE, "messages_fts", { "search" } },
	{ KIND_SKU, "skus_fts", { "search" } },
	{ KIND_PROMOTION, "promotions_fts", { "search" } },
	{ KIND_CUSTOMER, "customers_fts", { "search" } },
	{ KIND_CANNED_REPLY, "canned_replies_fts", { "search" } },
};
#define CACHE_NFTS (sizeof cache_fts / sizeof cache_fts[0])

/* How an extracted column gets its value from the object. */
enum xtype {
	X_TEXT,		/* the string at path, else NULL */
	X_TEXT_NN,	/* the string at path, else '' (a NOT NULL sort column) */
	X_INT,		/* the number at path, else NULL */
	X_BOOL,		/* 1 when true, else 0 */
	X_REASON,	/* orders: abnormal.reason, NULL when not abnormal */
	X_SEARCH,	/* the search document (cache_fts_doc()) */
	X_SLA_DUE,	/* tickets: the SLA deadline that runs now */
	X_SORT_KEY,	/* tickets, conversations: the list order */
	X_MARGIN	/* skus: stock - reserved - low_stock_threshold */
};

struct xcol {
	const char	*column;
	enum xtype	 type;
	const char	*path;		/* "address.city"; NULL: the column name */
};

/* Shorthands for the tables below. */
#define T(c)		{ c, X_TEXT, NULL }
#define I(c)		{ c, X_INT, NULL }
#define X(c, t)		{ c, t, NULL }
#define P(c, path)	{ c, X_TEXT, path }
#define END		{ NULL, X_TEXT, NULL }

static const struct xcol x_orders[] = {
	X("created_at", X_TEXT_NN), T("status"), T("payment_status"),
	T("fulfillment_status"), X("abnormal", X_REASON), T("customer_id"),
	T("customer_name"), P("phone", "address.phone"), I("total"),
	T("currency"), P("carrier", "shipment.carrier"),
	P("tracking_no", "shipment.tracking_no"), X("search", X_SEARCH),
	{ "refunded", X_INT, "refunded_amount" }, END
};
static const struct xcol x_tickets[] = {
	X("created_at", X_TEXT_NN), T("order_id"), T("customer_id"),
	T("customer_name"), T("kind"), T("status"), T("priority"),
	X("escalated", X_BOOL), T("assignee"), P("sla_state", "sla.state"),
	X("sla_due", X_SLA_DUE), T("reason"), T("description"),
	X("sort_key", X_SORT_KEY), X("search", X_SEARCH), END
};
static const struct xcol x_conversations[] = {
	X("created_at", X_TEXT_NN), T("customer_id"), T("customer_name"),
	T("channel"), T("queue"), T("status"), T("assignee"),
	T("waiting_since"), T("last_message_at"),
	P("preview", "last_message_preview"), I("unread"), T("order_id"),
	X("sort_key", X_SORT_KEY), X("search", X_SEARCH), END
};
static const struct xcol x_messages[] = {
	X("created_at", X_TEXT_NN), T("conversation_id"), T("author"),
	T("body"), X("search", X_SEARCH), END
};
static const struct xcol x_products[] = {
	T("title"), T("category"), T("brand"), T("shelf"), T("category_id"), END
};
static const struct xcol x_skus[] = {
	T("product_id"), T("product_title"), T("title"), T("barcode"),
	I("price"), I("stock"), I("reserved"), I("low_stock_threshold"),
	T("shelf"), X("margin", X_MARGIN), X("search", X_SEARCH), END
};
static const struct xcol x_promotions[] = {
	T("name"), T("kind"), T("status"), X("starts_at", X_TEXT_NN),
	T("ends_at"), X("search", X_SEARCH), END
};
static const struct xcol x_customers[] = {
	T("name"), T("phone"), T("email"), T("level"), T("city"),
	X("search", X_SEARCH), END
};
static const struct xcol x_canned_replies[] = {
	T("shortcut"), T("title"), T("body"), X("search", X_SEARCH), END
};
static const struct xcol x_users[] = {
	T("login"), T("name"), T("role"), END
};
static const struct xcol x_categories[] = {
	T("name"), T("parent_id"), I("position"), END
};
#undef T
#undef I
#undef X
#undef P
#undef END

static const struct xcol *cache_xcols[KIND__COUNT] = {
	[KIND_ORDER] = x_orders,
	[KIND_TICKET] = x_tickets,
	[KIND_CONVERSATION] = x_conversations,
	[KIND_MESSAGE] = x_messages,
	[KIND_PRODUCT] = x_products,
	[KIND_SKU] = x_skus,
	[KIND_PROMOTION] = x_promotions,
	[KIND_CUSTOMER] = x_customers,
	[KIND_CANNED_REPLY] = x_canned_replies,
	[KIND_USER] = x_users,
	[KIND_CATEGORY] = x_categories,
};

static void
cache_error(char **cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
cache_error(char **cause, const char *fmt, ...)
{
	va_list ap;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	*cause = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Run SQL that returns no rows needed. */
static int
cache_exec(struct cache *c, const char *sql, char **cause)
{
	char *err = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		cache_error(cause, "cache %s: %s", c->path,
		    err != NULL ? err : sqlite3_errmsg(c->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int
cache_user_version(struct cache *c)
{
	sqlite3_stmt *stmt;
	int v = -1;

	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

const char *
cache_fts_table(enum sd_kind k)
{
	size_t i;

	for (i = 0; i < CACHE_NFTS; i++)
		if (cache_fts[i].kind == k)
			return cache_fts[i].name;
	return NULL;
}

/* The three triggers keeping one full-text table in step with its table. */
static void
cache_fts_triggers(const struct cache_fts *f, struct buf *b)
{
	const char *t = kind_info(f->kind)->table, *x = f->name;
	struct buf cols, olds, news, diff;
	int i;

	buf_init(&cols);
	buf_init(&olds);
	buf_init(&news);
	buf_init(&diff);
	for (i = 0; f->cols[i] != NULL; i++) {
		buf_addf(&cols, ", %s", f->cols[i]);
		buf_addf(&olds, ", old.%s", f->cols[i]);
		buf_addf(&news, ", new.%s", f->cols[i]);
		buf_addf(&diff, "%sold.%s IS NOT new.%s", i ? " OR " : "",
		    f->cols[i], f->cols[i]);
	}
	/* An order's rowid follows its created_at (cache_upsert_parts()). */
	if (f->kind == KIND_ORDER)
		buf_adds(&diff, " OR old.rowid IS NOT new.rowid");
	buf_addf(b, "CREATE TRIGGER IF NOT EXISTS %s_ai AFTER INSERT ON %s"
	    " BEGIN INSERT INTO %s(rowid%s) VALUES (new.rowid%s); END;",
	    x, t, x, buf_str(&cols), buf_str(&news));
	buf_addf(b, "CREATE TRIGGER IF NOT EXISTS %s_ad AFTER DELETE ON %s"
	    " BEGIN INSERT INTO %s(%s, rowid%s)"
	    " VALUES ('delete', old.rowid%s); END;",
	    x, t, x, x, buf_str(&cols), buf_str(&olds));
	/* Most updates (a status change) leave the indexed text alone. */
	buf_addf(b, "CREATE TRIGGER IF NOT EXISTS %s_au AFTER UPDATE ON %s"
	    " WHEN %s BEGIN"
	    " INSERT INTO %s(%s, rowid%s) VALUES ('delete', old.rowid%s);"
	    " INSERT INTO %s(rowid%s) VALUES (new.rowid%s); END;",
	    x, t, buf_str(&diff), x, x, buf_str(&cols), buf_str(&olds),
	    x, buf_str(&cols), buf_str(&news));
	buf_done(&cols);
	buf_done(&olds);
	buf_done(&news);
	buf_done(&diff);
}

/* The triggers keeping order_quarters in step with orders. */
static const char cache_quarter_triggers[] =
    "CREATE TRIGGER IF NOT EXISTS order_quarters_ai AFTER INSERT ON orders BEGIN"
    OQ_ADD("new.") CQ_ADD("new.") IQ_ADD("new.") " END;"
    "CREATE TRIGGER IF NOT EXISTS order_quarters_ad AFTER DELETE ON orders BEGIN"
    OQ_SUB("old.") CQ_SUB("old.") IQ_SUB("old.") " END;"
    /*
     * A status change, the usual update, leaves the figures alone, and
     * reads no JSON: items count as bought once, so only a change of day
     * or of paid moves them (the store does not edit an order's items).
     */
    "CREATE TRIGGER IF NOT EXISTS order_quarters_au AFTER UPDATE ON orders"
    " WHEN old.created_at IS NOT new.created_at OR old.payment_status IS NOT"
    " new.payment_status OR old.total IS NOT new.total OR old.refunded IS NOT"
    " new.refunded OR old.customer_id IS NOT new.customer_id BEGIN"
    OQ_SUB("old.") OQ_ADD("new.") CQ_SUB("old.") CQ_ADD("new.") " END;"
    "CREATE TRIGGER IF NOT EXISTS item_quarters_au AFTER UPDATE ON orders"
    " WHEN old.created_at IS NOT new.created_at OR " OQ_PAID("old.") " IS NOT "
    OQ_PAID("new.") " BEGIN"
    IQ_SUB("old.") IQ_ADD("new.") " END;";

/*
 * Create (or drop, for a bulk load) the secondary indexes and derived
 * triggers. A bulk load keeps the indexes of the panes' own orders, so that
 * the console stays quick on the rows already loaded.
 */
static int
cache_derived(struct cache *c, int create, char **cause)
{
	struct buf b;
	const char *x;
	size_t i;
	int rc;

	buf_init(&b);
	for (i = 0; i < CACHE_NINDEXES; i++) {
		if (create)
			buf_addf(&b, "CREATE INDEX IF NOT EXISTS %s ON %s;",
			    cache_indexes[i].name, cache_indexes[i].def);
		else if (!cache_indexes[i].listed)
			buf_addf(&b, "DROP INDEX IF EXISTS %s;",
			    cache_indexes[i].name);
	}
	for (i = 0; i < CACHE_NFTS; i++) {
		x = cache_fts[i].name;
		if (create)
			cache_fts_triggers(&cache_fts[i], &b);
		else
			buf_addf(&b, "DROP TRIGGER IF EXISTS %s_ai;"
			    "DROP TRIGGER IF EXISTS %s_ad;"
			    "DROP TRIGGER IF EXISTS %s_au;", x, x, x);
	}
	buf_adds(&b, create ? cache_quarter_triggers : "DROP TRIGGER IF EXISTS"
	    " order_quarters_ai; DROP TRIGGER IF EXISTS order_quarters_ad;"
	    " DROP TRIGGER IF EXISTS order_quarters_au; DROP TRIGGER IF EXISTS"
	    " item_quarters_au;");
	rc = cache_exec(c, buf_str(&b), cause);
	buf_done(&b);
	return rc;
}

/*
 * Rebuild every full-text index from its table. FTS5 writes a segment for
 * each megabyte of pending text; with its usual automerge every document
 * is rewritten at each of the log4(segments) levels (1M orders: ~400
 * segments, 4 to 5 rewrites). Without merging during the rebuild and one
 * 'optimize' at its end every document is written twice, and the index
 * ends as a single segment, which queries read fastest. The settings go
 * back to FTS5's defaults (automerge 4, crisismerge 16) for the rows the
 * triggers add afterwards.
 */
static int
cache_fts_rebuild(struct cache *c, char **cause)
{
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b);
	for (i = 0; i < CACHE_NFTS; i++)
		buf_addf(&b, "INSERT INTO %1$s(%1$s, rank) VALUES ('automerge', 0);"
		    "INSERT INTO %1$s(%1$s, rank) VALUES ('crisismerge', 1000);"
		    "INSERT INTO %1$s(%1$s) VALUES ('rebuild');"
		    "INSERT INTO %1$s(%1$s) VALUES ('optimize');"
		    "INSERT INTO %1$s(%1$s, rank) VALUES ('automerge', 4);"
		    "INSERT INTO %1$s(%1$s, rank) VALUES ('crisismerge', 16);",
		    cache_fts[i].name);
	rc = cache_exec(c, buf_str(&b), cause);
	buf_done(&b);
	return rc;
}

static int cache_fill_quarters(struct cache *, char **);

/*
 * Run migration entry v, statement by statement; an entry before
 * CACHE_FTS_REMADE leaves out its full-text rebuilds and optimizes (a
 * million orders: a minute each), counted in *skipped.
 */
static int
cache_migrate_step(struct cache *c, int v, int *skipped, char **cause)
{
	const char *sql = cache_migrations[v], *tail, *text;
	sqlite3_stmt *stmt;
	int rc;

	while (*sql != '\0') {
		if (sqlite3_prepare_v2(c->db, sql, -1, &stmt, &tail) != SQLITE_OK) {
			cache_error(cause, "cache %s: %s", c->path, sqlite3_errmsg(c->db));
			return -1;
		}
		sql = tail;
		if (stmt == NULL)
			continue;	/* a comment or blanks */
		text = sqlite3_sql(stmt);
		if (v < CACHE_FTS_REMADE && (strstr(text, "VALUES ('rebuild')") != NULL ||
		    strstr(text, "VALUES ('optimize')") != NULL)) {
			(*skipped)++;
			sqlite3_finalize(stmt);
			continue;
		}
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			continue;
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE) {
			cache_error(cause, "cache %s: %s", c->path, sqlite3_errmsg(c->db));
			return -1;
		}
	}
	return 0;
}

static int
cache_migrate(struct cache *c, char **cause)
{
	char *sql;
	int v, from, rc, skipped = 0;

	v = cache_user_version(c);
	if (v == CACHE_SCHEMA)
		return 0;
	if (v >= 0 && v < CACHE_SCHEMA) {
		if (cache_exec(c, "BEGIN IMMEDIATE", cause) != 0)
			return -1;
		v = cache_user_version(c);	/* another process may have won */
	}
	if (v < 0) {
		cache_error(cause, "cannot open cache %s: %s", c->path,
		    sqlite3_errmsg(c->db));
		cache_rollback(c);
		return -1;
	}
	if (v > CACHE_SCHEMA) {
		if (sqlite3_get_autocommit(c->db) == 0)
			cache_rollback(c);
		cache_error(cause, "cache %s was written by a newer shopdesk"
		    " (schema %d); upgrade shopdesk or use another cache",
		    c->path, v);
		return -1;
	}
	from = v;
	for (rc = 0; rc == 0 && v < CACHE_SCHEMA; v++) {
		rc = cache_migrate_step(c, v, &skipped, cause);
		crash_point("migrate-step");
	}
	if (skipped > 0)
		log_debug("cache %s: schema %d to %d: %d full-text rebuilds and"
		    " optimizes left to schema %d's", c->path, from, CACHE_SCHEMA,
		    skipped, CACHE_FTS_REMADE + 1);
	if (rc == 0)
		rc = cache_derived(c, 1, cause);
	if (rc == 0 && from <= CACHE_QUARTERS_MADE)	/* the rollups are new: the orders' sums */
		rc = cache_fill_quarters(c, cause);
	/*
	 * Before 6 the documents and tokens were other ones: entry
	 * CACHE_FTS_REMADE, which such a cache goes through, made every
	 * full-text index from the new ones.
	 */
	if (rc == 0) {
		sql = xasprintf("PRAGMA user_version = %d", CACHE_SCHEMA);
		rc = cache_exec(c, sql, cause);
		free(sql);
	}
	if (rc == 0) {
		crash_point("migrate-done");
		rc = cache_commit(c, cause);
	}
	if (rc != 0)
		cache_rollback(c);
	/*
	 * What the migration freed (tables and indexes made anew) goes back
	 * to the file system, as after a bulk load (cache_bulk_end()).
	 */
	if (rc == 0 && from < CACHE_SCHEMA && sqlite3_get_autocommit(c->db))
		cache_exec(c, "PRAGMA incremental_vacuum", NULL);
	return rc;
}

/*
 * The JSON text of column col of a row of kind k, which holds it as text or
 * compressed (cache-pack.c): valid until the next call, or NULL (with *len
 * 0) when it cannot be read.
 */
const char *
cache_column_json(struct cache *c, enum sd_kind k, sqlite3_stmt *stmt, int col, size_t *len)
{
	if (sqlite3_column_type(stmt, col) == SQLITE_BLOB) {
		if (pack_expand(c->pack, k, sqlite3_column_blob(stmt, col),
		    (size_t)sqlite3_column_bytes(stmt, col), &c->unpacked) != 0) {
			*len = 0;
			return NULL;
		}
		*len = c->unpacked.len;
		return c->unpacked.data;
	}
	*len = (size_t)sqlite3_column_bytes(stmt, col);
	return (const char *)sqlite3_column_text(stmt, col);
}

/* SQL sd_json(kind, json): a row's JSON as text, for json_extract() and the like. */
static void
cache_sql_json(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct cache *c = sqlite3_user_data(ctx);
	int k = sqlite3_value_int(argv[0]);
	struct buf out;

	if (sqlite3_value_type(argv[1]) != SQLITE_BLOB) {
		sqlite3_result_value(ctx, argv[1]);
		return;
	}
	if (k < 0 || k >= KIND__COUNT) {
		sqlite3_result_null(ctx);
		return;
	}
	buf_init(&out);
	if (pack_expand(c->pack, (enum sd_kind)k, sqlite3_value_blob(argv[1]),
	    (size_t)sqlite3_value_bytes(argv[1]), &out) != 0) {
		buf_done(&out);
		sqlite3_result_error(ctx, "sd_json: a stored object cannot be read", -1);
		return;
	}
	sqlite3_result_text(ctx, buf_steal(&out), -1, free);
}

static long long cache_sort_key(enum sd_kind, const cJSON *);
static const char *cache_sla_due(const cJSON *);

/* The object of a json column given to an SQL function (text or packed), or NULL. */
static cJSON *
cache_sql_obj(sqlite3_context *ctx, int k, sqlite3_value *v)
{
	struct cache *c = sqlite3_user_data(ctx);
	const char *text;
	struct buf in;
	cJSON *obj;

	buf_init(&in);
	if (sqlite3_value_type(v) == SQLITE_BLOB) {
		if (pack_expand(c->pack, (enum sd_kind)k, sqlite3_value_blob(v),
		    (size_t)sqlite3_value_bytes(v), &in) != 0) {
			buf_done(&in);
			sqlite3_result_error(ctx, "a stored object cannot be read", -1);
			return NULL;
		}
	} else if ((text = (const char *)sqlite3_value_text(v)) != NULL)
		buf_add(&in, text, (size_t)sqlite3_value_bytes(v));
	obj = cJSON_ParseWithLength(in.data != NULL ? in.data : "", in.len);
	buf_done(&in);
	if (obj == NULL)
		sqlite3_result_null(ctx);
	return obj;
}

/* SQL sd_search(kind, json): a row's search document (cache_fts_doc()). */
static void
cache_sql_search(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int k = sqlite3_value_int(argv[0]);
	struct buf out;
	cJSON *obj;

	if (k < 0 || k >= KIND__COUNT) {
		sqlite3_result_null(ctx);
		return;
	}
	if ((obj = cache_sql_obj(ctx, k, argv[1])) == NULL)
		return;
	buf_init(&out);
	cache_fts_doc((enum sd_kind)k, obj, &out);
	cJSON_Delete(obj);
	sqlite3_result_text(ctx, buf_steal(&out), -1, free);
}

/* The category of a product and those above it, nearest first (at most 16). */
#define SKU_CATEGORIES	"WITH RECURSIVE up(id, name, parent, n) AS ("		\
	" SELECT c.id, c.name, c.parent_id, 0 FROM categories c WHERE c.id ="	\
	" (SELECT category_id FROM products WHERE id = ?)"			\
	" UNION ALL SELECT c.id, c.name, c.parent_id, up.n + 1 FROM categories c"	\
	" JOIN up ON c.id = up.parent WHERE up.n < 16) SELECT name FROM up"

/*
 * Add to a SKU's search document the names of its product's category and
 * of the categories above it: a search for a category finds its SKUs.
 */
static void
cache_sku_categories_step(sqlite3_stmt *stmt, const char *product_id, struct buf *doc)
{
	sqlite3_bind_text(stmt, 1, product_id, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		cache_fts_doc_add(doc, (const char *)sqlite3_column_text(stmt, 0));
}

static void
cache_sku_categories(sqlite3 *db, const char *product_id, struct buf *doc)
{
	sqlite3_stmt *stmt;

	if (product_id == NULL || sqlite3_prepare_v2(db, SKU_CATEGORIES, -1, &stmt,
	    NULL) != SQLITE_OK)
		return;
	cache_sku_categories_step(stmt, product_id, doc);
	sqlite3_finalize(stmt);
}

/*
 * SQL sd_search_sku(json): a SKU's search document with its categories'
 * names. It reads the tables: not deterministic.
 */
static void
cache_sql_search_sku(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct buf out;
	cJSON *obj;

	(void)argc;
	if ((obj = cache_sql_obj(ctx, KIND_SKU, argv[0])) == NULL)
		return;
	buf_init(&out);
	cache_fts_doc(KIND_SKU, obj, &out);
	cache_sku_categories(sqlite3_context_db_handle(ctx), json_str(obj, "product_id"), &out);
	cJSON_Delete(obj);
	sqlite3_result_text(ctx, buf_steal(&out), -1, free);
}

/* SQL sd_sort_key(kind, json): a ticket's or conversation's list key (migrations). */
static void
cache_sql_sort_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int k = sqlite3_value_int(argv[0]);
	cJSON *obj;

	if (k != KIND_TICKET && k != KIND_CONVERSATION) {
		sqlite3_result_null(ctx);
		return;
	}
	if ((obj = cache_sql_obj(ctx, k, argv[1])) == NULL)
		return;
	sqlite3_result_int64(ctx, cache_sort_key((enum sd_kind)k, obj));
	cJSON_Delete(obj);
}

/* SQL sd_sla_due(json): the due time of a ticket's running SLA clock, or NULL. */
static void
cache_sql_sla_due(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *due;
	cJSON *obj;

	if ((obj = cache_sql_obj(ctx, KIND_TICKET, argv[0])) == NULL)
		return;
	if ((due = cache_sla_due(obj)) != NULL)
		sqlite3_result_text(ctx, due, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
	cJSON_Delete(obj);
}

/*
 * SQL sd_match(search, expr): whether a row's search document matches a
 * MATCH expression of cache_fts_match(), evaluated in C (cache-query.c's
 * walk of a list most rows match). The compiled expression is kept for the
 * statement's life.
 */
static void
cache_matcher_free(void *p)
{
	cache_fts_matcher_free(p);
}

static void
cache_sql_match(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct fts_matcher *m = sqlite3_get_auxdata(ctx, 1);

	(void)argc;
	if (m == NULL) {
		if ((m = cache_fts_matcher((const char *)sqlite3_value_text(argv[1]))) == NULL) {
			sqlite3_result_error(ctx, "sd_match: not a search expression", -1);
			return;
		}
		sqlite3_set_auxdata(ctx, 1, m, cache_matcher_free);
		/* SQLite may have freed it at once: ask again. */
		if ((m = sqlite3_get_auxdata(ctx, 1)) == NULL) {
			sqlite3_result_error(ctx, "sd_match: out of memory", -1);
			return;
		}
	}
	sqlite3_result_int(ctx, cache_fts_matches(m, (const char *)sqlite3_value_text(argv[0]),
	    sqlite3_value_bytes(argv[0])));
}

/* SQL sd_inset(set, rowid): whether rowid is in a struct cache_rowset. */
static void
cache_sql_inset(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct cache_rowset *set = sqlite3_value_pointer(argv[0], CACHE_ROWSET);
	long long id = sqlite3_value_int64(argv[1]);
	size_t lo = 0, hi, mid;

	(void)argc;
	if (set == NULL) {
		sqlite3_result_error(ctx, "sd_inset: not a set of rows", -1);
		return;
	}
	set->probes++;
	hi = set->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (set->v[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	sqlite3_result_int(ctx, lo < set->n && set->v[lo] == id);
}

long long
cache_order_second(const char *s)
{
	/* Where each field's digits are: year, month, day, hour, minute, second. */
	static const struct { int at, n, max; } f[] = {
		{ 0, 4, 9999 }, { 5, 2, 12 }, { 8, 2, 31 }, { 11, 2, 23 }, { 14, 2, 59 },
		{ 17, 2, 59 }
	};
	static const int radix[] = { 1, 13, 32, 24, 60, 60 };
	const unsigned char *u = (const unsigned char *)s;	/* (a char may be signed) */
	long long key = 0;
	size_t len = s != NULL ? strlen(s) : 0;
	int i, j, v;

	/*
	 * Each byte a digit, what sorts below '0' as 0 and above '9' as 9 (a
	 * missing one as 0), each field clamped: so the key never goes down as
	 * the text goes up. Years from 2000 to 2511, earlier ones as 2000.
	 */
	for (i = 0; i < 6; i++) {
		for (v = 0, j = f[i].at; j < f[i].at + f[i].n; j++)
			v = v * 10 + ((size_t)j >= len || u[j] < '0' ? 0 : u[j] > '9' ? 9 :
			    u[j] - '0');
		if (i == 0)
			v = v < 2000 ? 0 : v - 2000 > 511 ? 511 : v - 2000;
		else if (v > f[i].max)
			v = f[i].max;
		key = key * radix[i] + v;
	}
	return key;
}

/*
 * The quarter of a created_at value (OQ_QUARTER()): time_quarter_of() of
 * its text, 0 for anything that is not a time (NULL, a number, "2026"), a
 * quarter no day's figures ever read. Every writer of the rollups (the
 * triggers, the bulk load's sums, the general path) takes it from here.
 */
static long long
cache_quarter(sqlite3_value *v)
{
	if (sqlite3_value_type(v) != SQLITE_TEXT)
		return 0;
	return time_quarter_of((const char *)sqlite3_value_text(v));
}

/* SQL sd_quarter(created_at): cache_quarter(). */
static void
cache_sql_quarter(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int64(ctx, cache_quarter(argv[0]));
}

/* SQL sd_order_second(created_at): cache_order_second(), its rowid >> 8 (cache.h). */
static void
cache_sql_order_second(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	sqlite3_result_int64(ctx, cache_order_second((const char *)
	    sqlite3_value_text(argv[0])));
}

/*
 * SQL sd_order_rowid(created_at): the rowid of an order being inserted, the
 * next slot of its second (cache.h): one look-up of the highest rowid in
 * the second's range. The last one given is remembered too, so that a
 * statement inserting many orders gives each its own.
 */
static void
cache_sql_order_rowid(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	static long long last = -1;	/* (per process: a gap at worst) */
	struct cache *c = sqlite3_user_data(ctx);
	sqlite3_stmt **stmt = &c->slot[CACHE_SLOT_ORDER_ROWID], *over = NULL;
	long long lo, hi, max;

	(void)argc;
	lo = cache_order_second((const char *)sqlite3_value_text(argv[0])) <<
	    CACHE_ORDER_SLOT_BITS;
	hi = lo + (1LL << CACHE_ORDER_SLOT_BITS) - 1;
	if (*stmt == NULL && sqlite3_prepare_v2(c->db, "SELECT max(rowid) FROM orders"
	    " WHERE rowid BETWEEN ?1 AND ?2", -1, stmt, NULL) != SQLITE_OK) {
		sqlite3_result_error(ctx, sqlite3_errmsg(c->db), -1);
		return;
	}
	sqlite3_bind_int64(*stmt, 1, lo);
	sqlite3_bind_int64(*stmt, 2, hi);
	if (sqlite3_step(*stmt) != SQLITE_ROW) {
		sqlite3_result_error(ctx, sqlite3_errmsg(c->db), -1);
		sqlite3_reset(*stmt);
		return;
	}
	max = sqlite3_column_type(*stmt, 0) == SQLITE_NULL ? lo - 1 :
	    sqlite3_column_int64(*stmt, 0);
	sqlite3_reset(*stmt);
	if (last >= lo && last <= hi && last > max)
		max = last;
	if (max >= hi) {
		/* The second is full: below every rowid, out of order. */
		if (sqlite3_prepare_v2(c->db, "SELECT min(min(rowid), 0) - 1 FROM orders", -1,
		    &over, NULL) != SQLITE_OK || sqlite3_step(over) != SQLITE_ROW) {
			sqlite3_result_error(ctx, sqlite3_errmsg(c->db), -1);
			sqlite3_finalize(over);
			return;
		}
		sqlite3_result_int64(ctx, sqlite3_column_int64(over, 0));
		sqlite3_finalize(over);
		return;
	}
	last = max + 1;
	sqlite3_result_int64(ctx, last);
}

int
cache_orders_ordered(struct cache *c)
{
	static const char sql[] = "SELECT NOT EXISTS (SELECT 1 FROM orders WHERE rowid < 0)";
	sqlite3_stmt *stmt;
	char *cause = NULL;
	int ordered = 0;

	/* Kept prepared: every list of orders by date asks (cache-query.c). */
	if ((stmt = cache_prepare(c, sql, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	if (sqlite3_step(stmt) == SQLITE_ROW)
		ordered = sqlite3_column_int(stmt, 0);
	cache_stmt_done(c, stmt);
	return ordered;
}

/*
 * What the upsert of kind k adds for the rowid: the column (part 0), its
 * value in the put (1: ?5 is created_at, cache_xcols[]) and in the
 * stage's SELECT (2). Only orders pick their rowids.
 */
static const char *
cache_rowid_part(enum sd_kind k, int part)
{
	static const char *const order[] = {
		", rowid", ", sd_order_rowid(?5)", ", sd_order_rowid(created_at)"
	};

	return k == KIND_ORDER ? order[part] : "";
}

int
cache_learn(struct cache *c, enum sd_kind k, const char *const *texts, const size_t *lens,
    size_t n, char **cause)
{
	return pack_learn(c->pack, k, texts, lens, n, cause);
}

int
cache_learning(struct cache *c, enum sd_kind k)
{
	return pack_wants(c->pack, k);
}

/*
 * Whether the bulk load recorded as bulk ("pid N", as cache_bulk_begin()
 * writes it) is still running: its process is alive (this one, with the
 * load on another thread, or another). Finishing it from here would take
 * the write lock for as long as the indexes take to build, and the load
 * would fail on it. ("1", from before the pid was kept: not running.)
 */
static int
cache_bulk_running(const char *bulk)
{
	long pid;

	if (sscanf(bulk, "pid %ld", &pid) != 1 || pid <= 0)
		return 0;
	if ((pid_t)pid == getpid())
		return 1;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

int
cache_bulk_loading(struct cache *c)
{
	char *bulk = cache_state_get(c, "bulk");
	int running = bulk != NULL && cache_bulk_running(bulk);

	free(bulk);
	return running;
}

/*
 * Whether a failure of SQLite may be the disk being full (SQLITE_FULL, or an
 * I/O error growing the -shm or the -wal): then reading can still work.
 */
static int
cache_disk_full(sqlite3 *db, int rc)
{
	int ext = db != NULL ? sqlite3_extended_errcode(db) : rc;

	return (rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR ||
	    (ext & 0xff) == SQLITE_FULL || (ext & 0xff) == SQLITE_IOERR;
}

/* The pages the database file has: 0 for a new one. -1 on error. */
static long
cache_page_count(struct cache *c)
{
	sqlite3_stmt *stmt;
	long n = -1;

	if (sqlite3_prepare_v2(c->db, "PRAGMA page_count", -1, &stmt, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

/*
 * How long a writer waits for another's lock before it is told the cache is
 * busy, and its busy handler: a try every millisecond, where SQLite's own
 * timeout tries at 1, 2, 5, ... then every 100 ms. A writer that
 * cache_yield() lets in takes the lock a millisecond after the commit, not
 * up to a tenth of a second later (the yielder waits that long meanwhile,
 * and under load could give up first and begin again ahead of it).
 */
#define CACHE_BUSY_MS	5000

static int
cache_busy(void *arg, int tries)
{
	struct timespec ms = { 0, 1000000 };
	struct cache *c = arg;
	uint64_t now = time_mono_ms();

	if (tries == 0)
		c->busy_since = now;
	else if (now - c->busy_since >= CACHE_BUSY_MS)
		return 0;
	nanosleep(&ms, NULL);
	return 1;
}

/*
 * Open c->path and set the connection up; with readonly, for reading only
 * (see cache_open). -1 with *cause, and *full when the disk being full may
 * be why.
 */
static int
cache_setup(struct cache *c, int readonly, int *full, char **cause)
{
	const char *path = c->path;
	char *bulk;
	int rc;

	*full = 0;
	rc = sqlite3_open_v2(path, &c->db, readonly ? SQLITE_OPEN_READWRITE :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		cache_error(cause, "cannot open cache %s: %s", path,
		    c->db != NULL ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_handler(c->db, cache_busy, c);
	/*
	 * WAL lets the UI read while sync writes. NORMAL is durable enough for
	 * a cache the store can refill; the outbox asks for FULL on its own
	 * commits. About 6 MB of page cache out of the client's 32 MB.
	 *
	 * Reading only: an exclusive lock keeps the WAL index in memory, as the
	 * -shm file cannot grow on a full disk (a read-only connection would
	 * still try), and query_only refuses every write.
	 */
	/*
	 * A new cache gives back what a bulk load frees (cache_bulk_end()).
	 * Set only while the file is empty (before the page size and WAL
	 * are written): on a cache that has it, the pragma would take the
	 * write lock, and wait for the writer, at every open.
	 */
	if (!readonly && cache_page_count(c) == 0 &&
	    cache_exec(c, "PRAGMA page_size = 16384; PRAGMA auto_vacuum = INCREMENTAL", cause) != 0)
		goto fail;
	if (readonly ? cache_exec(c, "PRAGMA locking_mode = EXCLUSIVE;"
	    "PRAGMA query_only = 1;"
	    "PRAGMA cache_size = " CACHE_PAGES ";", cause) != 0 :
	    cache_exec(c, "PRAGMA page_size = 16384;"
	    "PRAGMA journal_mode = WAL;"
	    "PRAGMA synchronous = NORMAL;"
	    "PRAGMA foreign_keys = OFF;"
	    "PRAGMA cache_size = " CACHE_PAGES ";"
	    "PRAGMA journal_size_limit = 16777216;", cause) != 0)
		goto fail;
	if (cache_fts_register(c->db, cause) != 0)
		goto fail;
	c->pack = pack_open(c->db);
	if (sqlite3_create_function(c->db, "sd_json", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    c, cache_sql_json, NULL, NULL) != SQLITE_OK) {
		cache_error(cause, "cache %s: %s", path, sqlite3_errmsg(c->db));
		goto fail;
	}
	if (sqlite3_create_function(c->db, "sd_search", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    c, cache_sql_search, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(c->db, "sd_match", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    NULL, cache_sql_match, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(c->db, "sd_inset", 2, SQLITE_UTF8,
	    NULL, cache_sql_inset, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(c->db, "sd_sort_key", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    c, cache_sql_sort_key, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(c->db, "sd_sla_due", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    c, cache_sql_sla_due, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(c->db, "sd_search_sku", 1, SQLITE_UTF8,
	    c, cache_sql_search_sku, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(c->db, "sd_order_rowid", 1, SQLITE_UTF8,
	    c, cache_sql_order_rowid, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(c->db, "sd_order_second", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, c, cache_sql_order_second, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(c->db, "sd_quarter", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
	    c, cache_sql_quarter, NULL, NULL) != SQLITE_OK) {
		cache_error(cause, "cache %s: %s", path, sqlite3_errmsg(c->db));
		goto fail;
	}
	if (readonly) {
		/* Nothing can be migrated or finished: the schema must be current. */
		if ((rc = cache_user_version(c)) != CACHE_SCHEMA) {
			cache_error(cause, "cache %s: %s", path, rc < 0 ? sqlite3_errmsg(c->db) :
			    "its schema must be upgraded, which needs free space");
			goto fail;
		}
		return 0;
	}
	if (cache_migrate(c, cause) != 0)
		goto fail;

	/* A bulk load was interrupted: recreate what it dropped. */
	bulk = cache_state_get(c, "bulk");
	if (bulk != NULL && !cache_bulk_running(bulk)) {
		free(bulk);
		if (cache_bulk_end(c, cause) != 0)
			goto fail;
	} else
		free(bulk);
	return 0;

fail:
	*full = cache_disk_full(c->db, c->db != NULL ? sqlite3_errcode(c->db) : rc);
	return -1;
}

/* Close what cache_setup() opened, keeping c. */
static void
cache_teardown(struct cache *c)
{
	int k;

	for (k = 0; k < KIND__COUNT; k++) {
		sqlite3_finalize(c->put[k]);
		sqlite3_finalize(c->del[k]);
		sqlite3_finalize(c->get[k]);
		sqlite3_finalize(c->stage[k]);
		sqlite3_finalize(c->unstage[k]);
		c->put[k] = c->del[k] = c->get[k] = c->stage[k] = c->unstage[k] = NULL;
		c->staged[k] = 0;
	}
	for (k = 0; k < CACHE_SLOT__COUNT; k++) {
		sqlite3_finalize(c->slot[k]);
		c->slot[k] = NULL;
	}
	for (k = 0; k < c->nkept; k++)
		sqlite3_finalize(c->kept[k].stmt);
	c->nkept = 0;
	pack_close(c->pack);
	c->pack = NULL;
	sqlite3_close_v2(c->db);
	c->db = NULL;
}

struct cache *
cache_open(const char *path, char **cause)
{
	struct cache *c;
	struct statvfs vfs;
	char *why = NULL;
	int fd, full = 0;

	json_hooks_install();
	c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	/*
	 * Create the file 0600 before SQLite does (0644 less the umask): it
	 * holds unmasked phones and addresses, and SQLite gives its -wal,
	 * -shm and -journal files the database file's mode. Only a new file
	 * (O_EXCL): closing a descriptor of an open database would drop the
	 * POSIX locks another connection of this process holds on it.
	 */
	if (*path != '\0' && strcmp(path, ":memory:") != 0 && strncmp(path, "file:", 5) != 0 &&
	    (fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) != -1)
		close(fd);
	if (cache_setup(c, 0, &full, cause) == 0)
		return c;
	/*
	 * The disk may be full: the -shm cannot grow, a checkpoint cannot
	 * write. Everything can still be read: open it for reading only, and
	 * every write fails as it must. (On any other failure this fails too,
	 * and the first cause stands.)
	 */
	if (full && access(path, F_OK) == 0) {
		cache_teardown(c);
		if (cache_setup(c, 1, &full, &why) == 0) {
			c->readonly = statvfs(path, &vfs) == 0 && vfs.f_bavail == 0 ? 2 : 1;
			free(*cause);
			*cause = NULL;
			return c;
		}
		free(why);
	}
	cache_close(&c);
	return NULL;
}

int
cache_readonly(struct cache *c)
{
	return c->readonly;
}

void
cache_close(struct cache **cp)
{
	struct cache *c = *cp;

	if (c == NULL)
		return;
	cache_teardown(c);
	buf_done(&c->unpacked);
	free(c->path);
	free(c);
	*cp = NULL;
}

sqlite3 *
cache_db(struct cache *c)
{
	return c->db;
}

int
cache_schema_version(struct cache *c)
{
	return cache_user_version(c);
}

/*
 * Writers of this process waiting at cache_begin() for the write lock. A
 * long transaction (a page of the change feed, 1,000 objects compressed and
 * indexed) calls cache_yield() between its steps: when someone waits, it
 * commits what it has, lets them in and begins again, so that a shipment
 * scanned during a sync waits for one object, not for the page. Only this
 * process's writers are seen (the console's loop and its sync thread); SQLite's
 * busy timeout still serves another process.
 */
static atomic_int cache_waiting;
/* cache_bulk_end() under way in this process. */
static atomic_int cache_ending;
#define CACHE_ENDING	"the cache is being indexed after its first sync: nothing can be" \
			" written to it until that ends (a minute or so at a million orders;" \
			" cache %s)"

int
cache_begin(struct cache *c, char **cause)
{
	struct timespec ms = { 0, 10000000 };
	int rc, i;

	if (c->readonly) {
		cache_error(cause, "cache %s: %s", c->path, c->readonly == 2 ?
		    "the disk is full: it can be read but not written; free some space "
		    "and try again" : "it can be read but not written here (its -wal or "
		    "-shm file cannot be written)");
		return -1;
	}
	/*
	 * A bulk load's end holds the write lock for a minute at a million
	 * orders, in one statement that cannot yield: a writer of this
	 * process waits a second for it (a small store's is done by then),
	 * then is told why rather than after the busy timeout (the console
	 * would freeze for it); one of another process after that timeout.
	 */
	for (i = 0; i < 100 && atomic_load(&cache_ending) > 0; i++)
		nanosleep(&ms, NULL);
	if (atomic_load(&cache_ending) > 0) {
		cache_error(cause, CACHE_ENDING, c->path);
		return -1;
	}
	pack_recheck(c->pack);	/* another process may have made a dictionary */
	atomic_fetch_add(&cache_waiting, 1);
	rc = cache_exec(c, "BEGIN IMMEDIATE", cause);
	atomic_fetch_sub(&cache_waiting, 1);
	if (rc != 0 && sqlite3_errcode(c->db) == SQLITE_BUSY && cache_bulk_loading(c)) {
		if (cause != NULL)
			free(*cause);
		cache_error(cause, CACHE_ENDING, c->path);
	}
	return rc;
}

int
cache_yield(struct cache *c, char **cause)
{
	struct timespec ms = { 0, 1000000 };
	int i;

	if (atomic_load(&cache_waiting) == 0 || sqlite3_get_autocommit(c->db) != 0)
		return 0;
	if (cache_commit(c, cause) != 0)
		return -1;
	/* The waiter takes the lock at its busy handler's next try (cache_busy()). */
	for (i = 0; i < 1000 && atomic_load(&cache_waiting) > 0; i++)
		nanosleep(&ms, NULL);
	return cache_begin(c, cause) != 0 ? -1 : 1;
}

int
cache_read_begin(struct cache *c)
{
	if (sqlite3_get_autocommit(c->db) == 0)
		return -1;
	return sqlite3_exec(c->db, "BEGIN DEFERRED", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

void
cache_read_end(struct cache *c)
{
	if (sqlite3_get_autocommit(c->db) == 0)
		sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
}

int
cache_commit(struct cache *c, char **cause)
{
	return cache_exec(c, "COMMIT", cause);
}

void
cache_rollback(struct cache *c)
{
	if (sqlite3_get_autocommit(c->db) == 0)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

/* A statement kept for the life of the cache, prepared on first use. */
static sqlite3_stmt *
cache_stmt(struct cache *c, sqlite3_stmt **slot, const char *sql, char **cause)
{
	if (*slot == NULL && sqlite3_prepare_v3(c->db, sql, -1,
	    SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
		cache_error(cause, "cache %s: %s", c->path, sqlite3_errmsg(c->db));
		*slot = NULL;
		return NULL;
	}
	return *slot;
}

sqlite3_stmt *
cache_prepare(struct cache *c, const char *sql, char **cause)
{
	sqlite3_stmt *stmt;
	int i, busy = 0;

	for (i = 0; i < c->nkept; i++) {
		if (c->kept[i].sql != sql || strcmp(sqlite3_sql(c->kept[i].stmt), sql) != 0)
			continue;
		if (!sqlite3_stmt_busy(c->kept[i].stmt))
			return c->kept[i].stmt;
		busy = 1;	/* in use further up the stack: a fresh one */
		break;
	}
	if (sqlite3_prepare_v3(c->db, sql, -1, busy ? 0 : SQLITE_PREPARE_PERSISTENT, &stmt,
	    NULL) != SQLITE_OK) {
		cache_error(cause, "cache %s: %s", c->path, sqlite3_errmsg(c->db));
		return NULL;
	}
	if (!busy) {
		/* A text whose address was reused for another: replace it. */
		for (i = 0; i < c->nkept && c->kept[i].sql != sql; i++)
			;
		if (i < c->nkept && sqlite3_stmt_busy(c->kept[i].stmt))
			return stmt;	/* not kept: cache_stmt_done() finalizes it */
		if (i < c->nkept)
			sqlite3_finalize(c->kept[i].stmt);
		else if (c->nkept < CACHE_KEPT)
			c->nkept++;
		else
			return stmt;	/* not kept: cache_stmt_done() finalizes it */
		c->kept[i].sql = sql;
		c->kept[i].stmt = stmt;
	}
	return stmt;
}

void
cache_stmt_done(struct cache *c, sqlite3_stmt *stmt)
{
	int i;

	for (i = 0; i < c->nkept; i++) {
		if (c->kept[i].stmt == stmt) {
			sqlite3_reset(stmt);
			sqlite3_clear_bindings(stmt);
			return;
		}
	}
	sqlite3_finalize(stmt);
}

sqlite3_stmt *
cache_slot_stmt(struct cache *c, enum cache_slot slot, const char *sql, char **cause)
{
	if (c->slot[slot] != NULL)
		return c->slot[slot];
	return cache_stmt(c, &c->slot[slot], sql, cause);
}

char *
cache_state_get(struct cache *c, const char *key)
{
	static const char sql[] = "SELECT value FROM sync_state WHERE key = ?";
	sqlite3_stmt *stmt;
	char *value = NULL;

	if ((stmt = cache_prepare(c, sql, NULL)) == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		value = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	cache_stmt_done(c, stmt);
	return value;
}

int
cache_state_set(struct cache *c, const char *key, const char *value, char **cause)
{
	sqlite3_stmt *stmt;
	const char *sql;
	int rc;

	if (value == NULL)
		sql = "DELETE FROM sync_state WHERE key = ?1";
	else
		sql = "INSERT INTO sync_state (key, value) VALUES (?1, ?2)"
		    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
	if (sqlite3_prepare_v2(c->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		cache_error(cause, "cache %s: %s", c->path, sqlite3_errmsg(c->db));
		return -1;
	}
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (value != NULL)
		sqlite3_bind_text(stmt, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		cache_error(cause, "cache %s: cannot save %s: %s", c->path, key,
		    sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}

static long long
cache_epoch(const char *s)
{
	time_t t;

	if (s == NULL || time_parse_rfc3339(s, &t) != 0)
		return 0;
	return (long long)t;
}

/* The ticket's SLA deadline that is running (sla.h: first action, pickup, resolution). */
static const char *
cache_sla_due(const cJSON *obj)
{
	return sla_due_str(obj);
}

/*
 * The list order of tickets and conversations as one ascending integer, so
 * that a list is a single index range however the order is composed.
 * Tickets: those whose SLA clock runs (sla_eval(): not done, not closed,
 * the store has SLA) by the deadline that matters now, soonest first, so
 * the least time left (the most overdue) leads; then the others, newest
 * first. Which clock runs depends on the ticket alone, so the key holds
 * until the ticket changes. Conversations: those with a customer waiting,
 * longest wait first; then the others, latest message first. Times before
 * SORT_LATER (year 36812) sort in the first group.
 */
static long long
cache_sort_key(enum sd_kind k, const cJSON *obj)
{
	const char *ws, *last, *due;

	if (k == KIND_TICKET) {
		if ((due = sla_due_str(obj)) != NULL)
			return cache_epoch(due) != 0 ? cache_epoch(due) : SORT_LATER - 1;
		return 2 * SORT_LATER - cache_epoch(json_str(obj, "created_at"));
	}
	if ((ws = json_str(obj, "waiting_since")) != NULL)
		return cache_epoch(ws);
	if ((last = json_str(obj, "last_message_at")) == NULL)
		last = json_str(obj, "created_at");
	return 2 * SORT_LATER - cache_epoch(last);
}

/*
 * A value to bind: the put's parameters, worked out before the statement is
 * at hand (on another thread, for a prepared row). Text is borrowed.
 */
struct cache_val {
	int		 type;		/* SQLITE_NULL, SQLITE_INTEGER, SQLITE_TEXT, SQLITE_BLOB */
	sqlite3_int64	 i;
	const char	*s;
	int		 n;
};

static void
cache_val_text(struct cache_val *v, const char *s, int n)
{
	v->type = SQLITE_TEXT;
	v->s = s;
	v->n = n < 0 ? (int)strlen(s) : n;
}

static void
cache_val_int(struct cache_val *v, sqlite3_int64 i)
{
	v->type = SQLITE_INTEGER;
	v->i = i;
}

/*
 * The value of one extracted column. Text is borrowed from obj, or from
 * titles (the search document, built there). Needs no database, but a
 * SKU's search document still lacks its categories (cache_sku_categories()).
 */
static void
cache_col_val(enum sd_kind k, const struct xcol *x, const cJSON *obj, struct buf *titles,
    struct cache_val *out)
{
	const cJSON *v;
	const char *s;

	out->type = SQLITE_NULL;
	v = json_path(obj, x->path != NULL ? x->path : x->column);
	switch (x->type) {
	case X_TEXT:
	case X_TEXT_NN:
		if (cJSON_IsString(v))
			cache_val_text(out, v->valuestring, -1);
		else if (x->type == X_TEXT_NN)
			cache_val_text(out, "", 0);
		break;
	case X_INT:
		if (cJSON_IsNumber(v))
			cache_val_int(out, (sqlite3_int64)v->valuedouble);
		break;
	case X_BOOL:
		cache_val_int(out, cJSON_IsTrue(v));
		break;
	case X_REASON:
		if (cJSON_IsObject(v)) {
			s = json_str(v, "reason");
			cache_val_text(out, s != NULL ? s : "other", -1);
		}
		break;
	case X_SEARCH:
		cache_fts_doc(k, obj, titles);
		cache_val_text(out, buf_str(titles), (int)titles->len);
		break;
	case X_SLA_DUE:
		if ((s = cache_sla_due(obj)) != NULL)
			cache_val_text(out, s, -1);
		break;
	case X_SORT_KEY:
		cache_val_int(out, cache_sort_key(k, obj));
		break;
	case X_MARGIN:
		cache_val_int(out, json_int(obj, "stock", 0) - json_int(obj, "reserved", 0) -
		    json_int(obj, "low_stock_threshold", 0));
		break;
	}
}

static void
cache_bind_val(sqlite3_stmt *stmt, int i, const struct cache_val *v)
{
	switch (v->type) {
	case SQLITE_INTEGER:
		sqlite3_bind_int64(stmt, i, v->i);
		break;
	case SQLITE_TEXT:
		sqlite3_bind_text(stmt, i, v->s, v->n, SQLITE_STATIC);
		break;
	case SQLITE_BLOB:
		sqlite3_bind_blob(stmt, i, v->s, v->n, SQLITE_STATIC);
		break;
	default:
		sqlite3_bind_null(stmt, i);
		break;
	}
}

#define CACHE_XSTR(x)	#x
#define CACHE_STR(x)	CACHE_XSTR(x)

/*
 * What an upsert of kind k names beyond id, version, updated_at and json:
 * its extracted columns (", a, b"), their parameters (", ?5, ?6") and
 * their updates (", a = excluded.a, ..."). The caller frees the three.
 */
static void
cache_upsert_parts(enum sd_kind k, struct buf *cols, struct buf *vals, struct buf *sets)
{
	const struct xcol *x;
	int i;

	buf_init(cols);
	buf_init(vals);
	buf_init(sets);
	for (i = 0, x = cache_xcols[k]; x->column != NULL; x++, i++) {
		buf_addf(cols, ", %s", x->column);
		buf_addf(vals, ", ?%d", i + 5);
		buf_addf(sets, ", %s = excluded.%s", x->column, x->column);
	}
	/*
	 * An order whose created_at moves to another second takes a slot of
	 * that second (the right-hand sides read the row as it was), so that
	 * its rowid keeps following the list order.
	 */
	if (k == KIND_ORDER)
		buf_adds(sets, ", rowid = CASE WHEN orders.created_at IS excluded.created_at"
		    " OR orders.rowid >> " CACHE_STR(CACHE_ORDER_SLOT_BITS)
		    " = sd_order_rowid(excluded.created_at) >> "
		    CACHE_STR(CACHE_ORDER_SLOT_BITS) " THEN orders.rowid"
		    " ELSE sd_order_rowid(excluded.created_at) END");
}

/* An upsert's end: newer or equal versions replace, older are ignored (%s: sets, table). */
#define UPSERT_TAIL	" ON CONFLICT (id) DO UPDATE SET"				\
	" version = excluded.version, updated_at = excluded.updated_at,"	\
	" json = excluded.json%s WHERE excluded.version >= %s.version"

/* The upsert of a kind: newer or equal versions replace, older are ignored. */
static sqlite3_stmt *
cache_put_stmt(struct cache *c, enum sd_kind k, char **cause)
{
	const char *t = kind_info(k)->table;
	struct buf cols, vals, sets;
	char *sql;

	if (c->put[k] != NULL)
		return c->put[k];
	cache_upsert_parts(k, &cols, &vals, &sets);
	sql = xasprintf("INSERT INTO %s (id, version, updated_at, json%s%s)"
	    " VALUES (?1, ?2, ?3, ?4%s%s)" UPSERT_TAIL,
	    t, buf_str(&cols), cache_rowid_part(k, 0), buf_str(&vals),
	    cache_rowid_part(k, 1), buf_str(&sets), t);
	buf_done(&cols);
	buf_done(&vals);
	buf_done(&sets);
	cache_stmt(c, &c->put[k], sql, cause);
	free(sql);
	return c->put[k];
}

/*
 * The stage of a kind: a temporary table of the put statement's parameters
 * (untyped, so each value keeps the type it was bound with), and the one
 * statement that moves all of it into the kind's table with the same upsert
 * as cache_put_stmt()'s. The stage statement takes the same parameters as
 * the put, so that cache_put_json() binds either.
 */
static sqlite3_stmt *
cache_stage_stmt(struct cache *c, enum sd_kind k, char **cause)
{
	const char *t = kind_info(k)->table;
	struct buf cols, vals, sets;
	char *sql;

	if (c->stage[k] != NULL)
		return c->stage[k];
	cache_upsert_parts(k, &cols, &vals, &sets);
	sql = xasprintf("CREATE TEMP TABLE IF NOT EXISTS sd_stage_%s (id, version,"
	    " updated_at, json%s)", t, buf_str(&cols));
	if (cache_exec(c, sql, cause) == 0) {
		free(sql);
		sql = xasprintf("INSERT INTO %s (id, version, updated_at, json%s%s)"
		    " SELECT id, version, updated_at, json%s%s FROM temp.sd_stage_%s"
		    " WHERE true ORDER BY rowid" UPSERT_TAIL,
		    t, buf_str(&cols), cache_rowid_part(k, 0), buf_str(&cols),
		    cache_rowid_part(k, 2), t, buf_str(&sets), t);
		if (cache_stmt(c, &c->unstage[k], sql, cause) != NULL) {
			free(sql);
			sql = xasprintf("INSERT INTO temp.sd_stage_%s (id, version,"
			    " updated_at, json%s) VALUES (?1, ?2, ?3, ?4%s)", t,
			    buf_str(&cols), buf_str(&vals));
			cache_stmt(c, &c->stage[k], sql, cause);
		}
	}
	free(sql);
	buf_done(&cols);
	buf_done(&vals);
	buf_done(&sets);
	return c->stage[k];
}

void
cache_stage_begin(struct cache *c)
{
	c->staging = 1;
}

/* Empty every stage (the rows are written, or given up). */
static int
cache_stage_clear(struct cache *c, char **cause)
{
	char *sql;
	int k, rc = 0;

	for (k = 0; k < KIND__COUNT; k++) {
		if (c->staged[k] == 0)
			continue;
		c->staged[k] = 0;
		sql = xasprintf("DELETE FROM temp.sd_stage_%s", kind_info(k)->table);
		if (cache_exec(c, sql, rc == 0 ? cause : NULL) != 0)
			rc = -1;
		free(sql);
	}
	return rc;
}

int
cache_stage_end(struct cache *c, int write, char **cause)
{
	sqlite3_stmt *stmt;
	int k, rc = 0;

	c->staging = 0;
	for (k = 0; write && rc == 0 && k < KIND__COUNT; k++) {
		if (c->staged[k] == 0)
			continue;
		stmt = c->unstage[k];
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			cache_error(cause, "cache %s: cannot store the %s: %s", c->path,
			    kind_info(k)->table, sqlite3_errmsg(c->db));
			rc = -1;
		}
		sqlite3_reset(stmt);
	}
	if (cache_stage_clear(c, rc == 0 ? cause : NULL) != 0)
		rc = -1;
	return rc;
}

/*
 * A product's category or a category's name or place changed (or may
 * have): the documents of the SKUs below it again, so that a search finds
 * them by the names they are under now. A few SKUs a product, a subtree's
 * for a category (renamed or moved rarely).
 */
static int
cache_sku_docs(struct cache *c, enum sd_kind k, const char *id, char **cause)
{
	static const char *const sql[] = {
		"UPDATE skus SET search = sd_search_sku(json) WHERE product_id = ?",
		"UPDATE skus SET search = sd_search_sku(json) WHERE product_id IN"
		" (SELECT id FROM products WHERE category_id IN (WITH RECURSIVE"
		" sub(id) AS (SELECT ? UNION SELECT c.id FROM categories c JOIN sub"
		" ON c.parent_id = sub.id) SELECT id FROM sub))",
	};
	sqlite3_stmt *stmt;
	int rc;

	if (k != KIND_PRODUCT && k != KIND_CATEGORY)
		return 0;
	if (sqlite3_prepare_v2(c->db, sql[k == KIND_CATEGORY], -1, &stmt, NULL) != SQLITE_OK) {
		cache_error(cause, "cache %s: %s", c->path, sqlite3_errmsg(c->db));
		return -1;
	}
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		cache_error(cause, "cache %s: the search documents under %s %s: %s", c->path,
		    kind_info(k)->name, id, sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}

/* The most parameters a put binds: id, version, updated_at, json and the columns. */
#define CACHE_VALS	24

/* Bind vals[0..nv) to the put (or stage) of k and run it; then the SKUs' documents. */
static int
cache_put_vals(struct cache *c, enum sd_kind k, const char *id, const struct cache_val *vals,
    int nv, char **cause)
{
	sqlite3_stmt *stmt;
	int i, rc;

	if ((stmt = c->staging ? cache_stage_stmt(c, k, cause) :
	    cache_put_stmt(c, k, cause)) == NULL)
		return -1;
	for (i = 0; i < nv; i++)
		cache_bind_val(stmt, i + 1, &vals[i]);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	if (rc != SQLITE_DONE) {
		cache_error(cause, "cache %s: cannot store %s %s: %s", c->path,
		    kind_info(k)->name, id, sqlite3_errmsg(c->db));
		return -1;
	}
	if (c->staging)
		c->staged[k]++;
	return cache_sku_docs(c, k, id, cause);
}

/*
 * The parameters of a put of obj but its JSON (vals[3], left NULL): 0 and
 * their number, or -1 when obj lacks an id or a version. Text is borrowed
 * from obj and titles. No database: a SKU's document lacks its categories.
 */
static int
cache_obj_vals(enum sd_kind k, const cJSON *obj, struct buf *titles, struct cache_val *vals,
    int *nv, int *search, char **cause)
{
	const struct xcol *x;
	const cJSON *v;
	const char *id;
	int n;

	id = json_str(obj, "id");
	v = cJSON_GetObjectItemCaseSensitive(obj, "version");
	if (id == NULL || !cJSON_IsNumber(v)) {
		cache_error(cause, "%s without an id or a version", kind_info(k)->name);
		return -1;
	}
	memset(vals, 0, 4 * sizeof *vals);
	cache_val_text(&vals[0], id, -1);
	cache_val_int(&vals[1], (sqlite3_int64)v->valuedouble);
	if ((v = cJSON_GetObjectItemCaseSensitive(obj, "updated_at")) != NULL &&
	    cJSON_IsString(v))
		cache_val_text(&vals[2], v->valuestring, -1);
	*search = -1;
	for (n = 4, x = cache_xcols[k]; x->column != NULL && n < CACHE_VALS; x++, n++) {
		cache_col_val(k, x, obj, titles, &vals[n]);
		if (x->type == X_SEARCH)
			*search = n;
	}
	*nv = n;
	return 0;
}

/* Store obj; its JSON is text (len bytes) when given, else obj printed. */
static int
cache_put_json(struct cache *c, enum sd_kind k, const cJSON *obj, const char *text, size_t len,
    char **cause)
{
	struct cache_val vals[CACHE_VALS];
	struct buf titles;
	char *printed = NULL;
	void *packed;
	size_t plen;
	int nv, search, rc;

	buf_init(&titles);
	if (cache_obj_vals(k, obj, &titles, vals, &nv, &search, cause) != 0) {
		buf_done(&titles);
		return -1;
	}
	if (k == KIND_SKU && search >= 0) {	/* the categories it is under: from the cache */
		static const char sku_categories[] = SKU_CATEGORIES;
		const char *pid = json_str(obj, "product_id");
		sqlite3_stmt *cats;

		/* Kept prepared: a replay stores a SKU per adjustment. */
		if (pid != NULL && (cats = cache_prepare(c, sku_categories, NULL)) != NULL) {
			cache_sku_categories_step(cats, pid, &titles);
			cache_stmt_done(c, cats);
		}
		cache_val_text(&vals[search], buf_str(&titles), (int)titles.len);
	}
	if (text == NULL) {
		printed = json_print(obj);
		text = printed;
		len = strlen(printed);
	}
	if ((packed = pack_squeeze(c->pack, k, text, len, &plen)) != NULL) {
		vals[3].type = SQLITE_BLOB;
		vals[3].s = packed;
		vals[3].n = (int)plen;
	} else
		cache_val_text(&vals[3], text, (int)len);
	rc = cache_put_vals(c, k, vals[0].s, vals, nv, cause);
	free(packed);
	if (printed != NULL)
		cJSON_free(printed);
	buf_done(&titles);
	return rc;
}

/*
 * Prepared rows (cache.h): a put's parameters in one allocation, the text
 * of each in data[] but the JSON of a row its preparer could not compress,
 * which is borrowed from the caller's text.
 */
struct cache_row {
	size_t		 size;		/* bytes in all */
	enum sd_kind	 k;
	int		 nv;
	int		 plain;		/* vals[3] is the text as it came */
	struct cache_val v[CACHE_VALS];
	char		 data[];
};

struct cache_prep {
	struct pack_squeezer *sq;
	struct buf	 titles;
	struct buf	 packed;
};

struct cache_prep *
cache_prep_new(void)
{
	struct cache_prep *p = xcalloc(1, sizeof *p);

	p->sq = pack_squeezer_new();
	buf_init(&p->titles);
	buf_init(&p->packed);
	return p;
}

void
cache_prep_free(struct cache_prep *p)
{
	if (p == NULL)
		return;
	pack_squeezer_free(p->sq);
	buf_done(&p->titles);
	buf_done(&p->packed);
	free(p);
}

void
cache_prep_share(struct cache *c, struct cache_prep *p)
{
	pack_share(c->pack, p->sq);
}

int
cache_row_preparable(enum sd_kind k)
{
	return k != KIND_SKU;	/* a SKU's document reads the cache */
}

/*
 * The row of obj, whose text is text (len bytes): borrowing text when it
 * is kept uncompressed and borrow is set, else with its own copy. NULL
 * when obj lacks what a row needs.
 */
static struct cache_row *
cache_row_make(struct cache_prep *p, enum sd_kind k, const cJSON *obj, const char *text,
    size_t len, int borrow)
{
	struct cache_val vals[CACHE_VALS];
	struct cache_row *r;
	size_t size, off;
	int nv, search, i;

	if (cache_obj_vals(k, obj, &p->titles, vals, &nv, &search, NULL) != 0)
		return NULL;	/* the writer says what is wrong with it */
	buf_reset(&p->packed);
	if (pack_squeeze_with(p->sq, k, text, len, &p->packed) == 0) {
		vals[3].type = SQLITE_BLOB;
		vals[3].s = p->packed.data;
		vals[3].n = (int)p->packed.len;
	} else
		cache_val_text(&vals[3], text, (int)len);
	for (size = 0, i = 0; i < nv; i++)
		if ((vals[i].type == SQLITE_TEXT || vals[i].type == SQLITE_BLOB) &&
		    !(borrow && vals[i].s == text))
			size += (size_t)vals[i].n + 1;
	r = xmalloc(sizeof *r + size);
	r->size = sizeof *r + size;
	r->k = k;
	r->nv = nv;
	r->plain = vals[3].s == text;
	for (off = 0, i = 0; i < nv; i++) {
		r->v[i] = vals[i];
		if ((vals[i].type != SQLITE_TEXT && vals[i].type != SQLITE_BLOB) ||
		    (borrow && vals[i].s == text))
			continue;
		memcpy(r->data + off, vals[i].s, (size_t)vals[i].n);
		r->data[off + (size_t)vals[i].n] = '\0';
		r->v[i].s = r->data + off;
		off += (size_t)vals[i].n + 1;
	}
	return r;
}

struct cache_row *
cache_row_prepare(struct cache_prep *p, enum sd_kind k, const char *text, size_t len)
{
	struct cache_row *r = NULL;
	cJSON *obj;

	/* A huge text is refused by the writer. */
	if (!cache_row_preparable(k) || len > INT_MAX / 2)
		return NULL;
	json_arena_begin();
	if ((obj = cJSON_ParseWithLength(text, len)) != NULL && cJSON_IsObject(obj))
		r = cache_row_make(p, k, obj, text, len, 1);
	json_arena_end();
	return r;
}

struct cache_row *
cache_row_prepare_obj(struct cache_prep *p, enum sd_kind k, const cJSON *obj, const char *text,
    size_t len)
{
	if (!cache_row_preparable(k) || len > INT_MAX / 2 || !cJSON_IsObject(obj))
		return NULL;
	return cache_row_make(p, k, obj, text, len, 0);
}

const char *
cache_row_id(const struct cache_row *r)
{
	return r->v[0].s;
}

size_t
cache_row_size(const struct cache_row *r)
{
	return r != NULL ? r->size : 0;
}

void
cache_row_free(struct cache_row *r)
{
	free(r);
}

int
cache_put_row(struct cache *c, const struct cache_row *r, char **cause)
{
	struct cache_val vals[CACHE_VALS];
	void *packed = NULL;
	size_t plen;
	int rc;

	if (!r->plain)
		return cache_put_vals(c, r->k, r->v[0].s, r->v, r->nv, cause);
	/* Prepared before its kind had a dictionary: compressed here if it has one now. */
	memcpy(vals, r->v, (size_t)r->nv * sizeof *vals);
	if ((packed = pack_squeeze(c->pack, r->k, vals[3].s, (size_t)vals[3].n, &plen)) != NULL) {
		vals[3].type = SQLITE_BLOB;
		vals[3].s = packed;
		vals[3].n = (int)plen;
	}
	rc = cache_put_vals(c, r->k, vals[0].s, vals, r->nv, cause);
	free(packed);
	return rc;
}

int
cache_put(struct cache *c, enum sd_kind k, const cJSON *obj, char **cause)
{
	return cache_put_json(c, k, obj, NULL, 0, cause);
}

int
cache_put_direct(struct cache *c, enum sd_kind k, const cJSON *obj, const char *text,
    size_t len, char **cause)
{
	return cache_put_json(c, k, obj, text, len, cause);
}

int
cache_put_text(struct cache *c, enum sd_kind k, const char *text, size_t len, char **cause)
{
	cJSON *obj;
	int rc;

	if (len > INT_MAX) {
		cache_error(cause, "a %s of %zu bytes is too large", kind_info(k)->name, len);
		return -1;
	}
	json_arena_begin();
	if ((obj = cJSON_ParseWithLength(text, len)) == NULL || !cJSON_IsObject(obj)) {
		json_arena_end();
		cache_error(cause, "a %s that is not a JSON object", kind_info(k)->name);
		return -1;
	}
	rc = cache_put_json(c, k, obj, text, len, cause);
	json_arena_end();
	return rc;
}

int
cache_remove(struct cache *c, enum sd_kind k, const char *id, char **cause)
{
	sqlite3_stmt *stmt;
	char *sql;
	int rc;

	if (c->del[k] == NULL) {
		sql = xasprintf("DELETE FROM %s WHERE id = ?", kind_info(k)->table);
		cache_stmt(c, &c->del[k], sql, cause);
		free(sql);
		if (c->del[k] == NULL)
			return -1;
	}
	stmt = c->del[k];
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		cache_error(cause, "cache %s: cannot remove %s %s: %s", c->path,
		    kind_info(k)->name, id, sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}

/*
 * An order's items given to fn (title, its length, quantity): what
 * json_each() and json_extract() would find ('$.items[*].title', its
 * quantity or 1), read with the scanner up to the end of the first
 * "items" member (what follows is not read). A title with escapes is
 * decoded by cJSON. -1 when what is read is malformed (what it had is
 * given), else fn's first non-zero answer, or 0.
 */
static int
cache_scan_items(const char *json, size_t len,
    int (*fn)(void *, const char *, size_t, double), void *arg)
{
	const char *p = json, *end = json + len, *el, *q, *title;
	struct jscan_member m, im;
	size_t ellen, tlen;
	double qty;
	long long n;
	cJSON *s;
	int rc, step;

	p = jscan_ws(p, end);
	if (p == NULL || p >= end || *p != '{')
		return -1;
	while ((rc = jscan_member_next(&p, end, &m)) == 1) {
		if (!jscan_key_is(&m, "items"))
			continue;
		/* '$.items' is the first "items" (SQLite's JSON path): the rest goes unread. */
		if (m.vallen == 0 || m.val[0] != '[')
			return 0;
		q = m.val;
		while ((rc = jscan_element_next(&q, m.val + m.vallen, &el, &ellen)) == 1) {
			if (ellen == 0 || el[0] != '{')
				continue;
			title = NULL;
			tlen = 0;
			qty = 1;
			while ((rc = jscan_member_next(&el, el + ellen, &im)) == 1) {
				if (jscan_key_is(&im, "title") && !(im.vallen == 4 &&
				    memcmp(im.val, "null", 4) == 0)) {
					title = im.val;
					tlen = im.vallen;
				} else if (jscan_key_is(&im, "quantity")) {
					if (jscan_int(im.val, im.vallen, &n) == 0)
						qty = (double)n;
					else if (!(im.vallen == 4 && memcmp(im.val, "null", 4) == 0))
						qty = strtod(im.val, NULL);
				}
			}
			if (rc < 0)
				return -1;
			if (title == NULL)
				continue;
			s = NULL;
			json_arena_begin();
			if (title[0] == '"' && memchr(title, '\\', tlen) == NULL) {
				title++;	/* a plain string: its bytes */
				tlen -= 2;
			} else if (title[0] == '"') {
				if ((s = cJSON_ParseWithLength(title, tlen)) == NULL ||
				    !cJSON_IsString(s)) {
					json_arena_end();
					continue;
				}
				title = s->valuestring;
				tlen = strlen(title);
			}
			step = fn(arg, title, tlen, qty);
			json_arena_end();
			if (step != 0)
				return step;
		}
		return rc < 0 ? -1 : 0;
	}
	return rc < 0 ? -1 : 0;
}

/* A row of item_quarters (the old path's scan): into temp.sd_items. */
struct cache_items_row {
	sqlite3_stmt	*wr;
	long long	 quarter;
};

static int
cache_items_row(void *arg, const char *title, size_t tlen, double qty)
{
	struct cache_items_row *r = arg;
	int step;

	sqlite3_bind_int64(r->wr, 1, r->quarter);
	sqlite3_bind_text(r->wr, 2, title, (int)tlen, SQLITE_STATIC);
	if (qty == (double)(sqlite3_int64)qty)
		sqlite3_bind_int64(r->wr, 3, (sqlite3_int64)qty);
	else
		sqlite3_bind_double(r->wr, 3, qty);
	step = sqlite3_step(r->wr);
	sqlite3_reset(r->wr);
	return step == SQLITE_DONE ? 0 : -2;
}

/*
 * The rollups by SQL alone (cache_fill_quarters() falls back on it): the
 * orders grouped by SQLite's sorter, item_quarters from the paid orders'
 * items scanned into a temporary table and grouped from there.
 */
static int
cache_fill_quarters_sql(struct cache *c, char **cause)
{
	sqlite3_stmt *rd = NULL, *wr = NULL;
	struct cache_items_row r;
	const char *json;
	size_t len;
	int rc = -1, step = SQLITE_DONE;

	if (cache_exec(c, "DELETE FROM order_quarters; DELETE FROM item_quarters;"
	    "INSERT INTO order_quarters SELECT " OQ_QUARTER("") ", count(*), sum(" OQ_PAID("")
	    "), sum(" OQ_GMV("") "), sum(" OQ_REF("") "), sum(" OQ_REFD("") ")"
	    " FROM orders NOT INDEXED GROUP BY 1;"
	    "CREATE TEMP TABLE IF NOT EXISTS sd_items (quarter, title, qty);"
	    "DELETE FROM temp.sd_items;", cause) != 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "SELECT " OQ_QUARTER("") ", json FROM orders NOT INDEXED"
	    " WHERE " OQ_PAID(""), -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT INTO temp.sd_items VALUES (?1, ?2, ?3)", -1, &wr,
	    NULL) != SQLITE_OK)
		goto out;
	r.wr = wr;
	while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
		r.quarter = sqlite3_column_int64(rd, 0);
		if ((json = cache_column_json(c, KIND_ORDER, rd, 1, &len)) != NULL &&
		    cache_scan_items(json, len, cache_items_row, &r) == -2)
			goto out;
	}
	if (step != SQLITE_DONE)
		goto out;
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	rd = wr = NULL;
	if (cache_exec(c, "INSERT INTO item_quarters SELECT quarter, title, sum(qty)"
	    " FROM temp.sd_items GROUP BY quarter, title HAVING sum(qty) != 0;"
	    "DROP TABLE temp.sd_items;", cause) != 0)
		return -1;
	rc = 0;
out:
	if (rc != 0)
		cache_error(cause, "cache %s: the day figures: %s", c->path, sqlite3_errmsg(c->db));
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	return rc;
}

/*
 * One quarter's sums while the orders are read (cache_fill_run()): its
 * order_quarters row, and its item titles' quantities in a small open
 * hash (the titles' bytes in names). At most one quarter's titles are
 * held: a hundred or two, whatever the number of orders.
 */
struct cache_run_item {
	size_t		 off;		/* in names; SIZE_MAX: free */
	size_t		 len;
	long long	 qty;
};

struct cache_run {
	struct cache	*c;
	sqlite3_stmt	*oq, *iq;	/* the upserts */
	long long	 q;		/* the quarter being summed */
	int		 have;		/* whether there is one */
	long long	 v[5];		/* orders, paid, gmv, refunds, refunded */
	struct cache_run_item *items;
	size_t		 nitems, size;	/* used, slots (a power of 2) */
	struct buf	 names;
	long long	 last;		/* the highest quarter written */
	int		 written;	/* whether one was */
	int		 again;		/* a quarter written twice */
	int		 general;	/* a value the SQL path must sum */
};

static size_t
cache_run_hash(const char *s, size_t len)
{
	size_t h = 14695981039346656037ULL;

	while (len-- > 0)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void
cache_run_grow(struct cache_run *r)
{
	struct cache_run_item *old = r->items, *it;
	size_t i, h, n = r->size;

	r->size = n != 0 ? n * 2 : 256;
	r->items = xcalloc(r->size, sizeof *r->items);
	for (i = 0; i < r->size; i++)
		r->items[i].off = SIZE_MAX;
	for (i = 0; i < n; i++) {
		if (old[i].off == SIZE_MAX)
			continue;
		h = cache_run_hash(r->names.data + old[i].off, old[i].len);
		for (it = &r->items[h & (r->size - 1)]; it->off != SIZE_MAX;
		    it = &r->items[++h & (r->size - 1)])
			continue;
		*it = old[i];
	}
	free(old);
}

/* An item of the current quarter's paid order (cache_scan_items()'s fn). */
static int
cache_run_item(void *arg, const char *title, size_t tlen, double qty)
{
	struct cache_run *r = arg;
	struct cache_run_item *it;
	size_t h;
	long long n;

	/* A fraction or a huge quantity: SQLite's sum() decides. */
	if (!(qty > -1e15 && qty < 1e15) || qty != (double)(long long)qty) {
		r->general = 1;
		return 1;
	}
	n = (long long)qty;
	if (2 * (r->nitems + 1) > r->size)
		cache_run_grow(r);
	h = cache_run_hash(title, tlen);
	for (it = &r->items[h & (r->size - 1)]; it->off != SIZE_MAX;
	    it = &r->items[++h & (r->size - 1)])
		if (it->len == tlen && (tlen == 0 ||
		    memcmp(r->names.data + it->off, title, tlen) == 0))
			break;
	if (it->off == SIZE_MAX) {
		it->off = r->names.len;
		it->len = tlen;
		it->qty = 0;
		buf_add(&r->names, title, tlen);
		r->nitems++;
	}
	if (__builtin_add_overflow(it->qty, n, &it->qty)) {
		r->general = 1;
		return 1;
	}
	return 0;
}

/* The current quarter's sums into the tables (added to what they hold). */
static int
cache_run_flush(struct cache_run *r)
{
	struct cache_run_item *it;
	size_t i;
	int k;

	if (!r->have)
		return 0;
	if (r->written && r->q <= r->last)
		r->again = 1;	/* rows out of created_at's order: summed by upsert */
	else {
		r->last = r->q;
		r->written = 1;
	}
	sqlite3_bind_int64(r->oq, 1, r->q);
	for (k = 0; k < 5; k++)
		sqlite3_bind_int64(r->oq, k + 2, r->v[k]);
	k = sqlite3_step(r->oq);
	sqlite3_reset(r->oq);
	if (k != SQLITE_DONE)
		return -1;
	for (i = 0; i < r->size; i++) {
		it = &r->items[i];
		if (it->off == SIZE_MAX)
			continue;
		if (it->qty != 0) {
			sqlite3_bind_int64(r->iq, 1, r->q);
			sqlite3_bind_text(r->iq, 2, it->len != 0 ? r->names.data + it->off : "",
			    (int)it->len, SQLITE_STATIC);
			sqlite3_bind_int64(r->iq, 3, it->qty);
			k = sqlite3_step(r->iq);
			sqlite3_reset(r->iq);
			if (k != SQLITE_DONE)
				return -1;
		}
		it->off = SIZE_MAX;
	}
	r->nitems = 0;
	r->names.len = 0;
	memset(r->v, 0, sizeof r->v);
	r->have = 0;
	return 0;
}

/*
 * order_quarters and item_quarters in one read of the orders, summed in C:
 * the rowids follow created_at (cache_order_second()), so the orders come
 * a quarter after another and each quarter's sums are written once, in
 * the tables' order, with no sorting and no temporary table; a quarter met
 * again (an order whose created_at changed) is added to by the upserts.
 * 1 when a value is not an integer SQLite's sum() would make the same (the
 * caller takes the general path), -1 on error.
 */
static int
cache_fill_run(struct cache *c)
{
	struct cache_run r;
	sqlite3_stmt *rd = NULL;
	const char *json;
	size_t len;
	long long x, q;
	int rc = -1, k, step = SQLITE_DONE;

	memset(&r, 0, sizeof r);
	r.c = c;
	buf_init(&r.names);
	cache_run_grow(&r);
	if (sqlite3_prepare_v2(c->db, "SELECT created_at, " OQ_PAID("") ", " OQ_GMV("")
	    ", " OQ_REF("") ", " OQ_REFD("") ", CASE WHEN " OQ_PAID("") " THEN json END"
	    " FROM orders NOT INDEXED", -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT INTO order_quarters VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	    " ON CONFLICT (quarter) DO UPDATE SET orders = orders + excluded.orders,"
	    " paid = paid + excluded.paid, gmv = gmv + excluded.gmv,"
	    " refunds = refunds + excluded.refunds, refunded = refunded + excluded.refunded",
	    -1, &r.oq, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT INTO item_quarters VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (quarter, title) DO UPDATE SET qty = qty + excluded.qty",
	    -1, &r.iq, NULL) != SQLITE_OK)
		goto out;
	while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
		q = cache_quarter(sqlite3_column_value(rd, 0));
		if (!r.have || q != r.q) {
			if (cache_run_flush(&r) != 0)
				goto out;
			r.q = q;
			r.have = 1;
		}
		r.v[0]++;
		for (k = 1; k < 5; k++) {
			if (sqlite3_column_type(rd, k) != SQLITE_INTEGER ||
			    __builtin_add_overflow(r.v[k], sqlite3_column_int64(rd, k), &x)) {
				rc = 1;
				goto out;
			}
			r.v[k] = x;
		}
		if (sqlite3_column_type(rd, 5) == SQLITE_NULL)
			continue;
		if ((json = cache_column_json(c, KIND_ORDER, rd, 5, &len)) != NULL &&
		    cache_scan_items(json, len, cache_run_item, &r) == 1) {
			rc = 1;
			goto out;
		}
	}
	if (step != SQLITE_DONE || cache_run_flush(&r) != 0)
		goto out;
	/* What the rows of a quarter met twice took back to nothing. */
	if (r.again && cache_exec(c, "DELETE FROM item_quarters WHERE qty = 0", NULL) != 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(rd);
	sqlite3_finalize(r.oq);
	sqlite3_finalize(r.iq);
	free(r.items);
	buf_done(&r.names);
	return rc;
}

/*
 * The rollups from scratch (after a bulk load, or migrating a cache with
 * orders). order_quarters and item_quarters are summed in one read of the
 * orders (cache_fill_run()); customer_quarters is grouped by SQLite, the
 * quarter computed in C (sd_quarter()), and customer_first from it. Every
 * pass reads the orders in their rowid order, one sequential read of the
 * table: in the created_at index's order each row is a lookup of its own,
 * which past a million orders reads the table at random. The grouping
 * sorts in SQLite's sorter, within the page cache (2 MB during a bulk
 * load's end) and temporary files past it. A value the C sums cannot take
 * as SQLite would (a fraction, an overflow) sends the first two through
 * cache_fill_quarters_sql() instead.
 */
static int
cache_fill_quarters(struct cache *c, char **cause)
{
	int rc;

	if (cache_exec(c, "DELETE FROM order_quarters; DELETE FROM customer_quarters;"
	    " DELETE FROM item_quarters; DELETE FROM customer_first;"
	    /* A scan: through orders_customer, each row would cost a lookup. */
	    "INSERT INTO customer_quarters SELECT customer_id, sd_quarter(created_at), count(*)"
	    " FROM orders NOT INDEXED WHERE " OQ_PAID("") " AND customer_id IS NOT NULL"
	    " GROUP BY 1, 2;"
	    "INSERT INTO customer_first SELECT customer_id, min(quarter) FROM customer_quarters"
	    " GROUP BY customer_id;", cause) != 0)
		return -1;
	rc = cache_fill_run(c);
	if (rc == 1)
		return cache_fill_quarters_sql(c, cause);
	if (rc != 0)
		cache_error(cause, "cache %s: the day figures: %s", c->path, sqlite3_errmsg(c->db));
	return rc;
}

/*
 * Bulk mode is recorded in sync_state within the same savepoint that drops
 * the derived objects, so a cache is never without its indexes unless it
 * also says so; cache_open() finishes an interrupted bulk load.
 */
int
cache_bulk_begin(struct cache *c, char **cause)
{
	char pid[32];

	snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
	if (cache_exec(c, "SAVEPOINT bulk", cause) != 0)
		return -1;
	if (cache_state_set(c, "bulk", pid, cause) != 0 ||
	    cache_derived(c, 0, cause) != 0) {
		cache_exec(c, "ROLLBACK TO bulk; RELEASE bulk", NULL);
		return -1;
	}
	return cache_exec(c, "RELEASE bulk", cause);
}

void
cache_bulk_watch(struct cache *c, void (*fn)(void *, int), void *arg)
{
	c->watch.fn = fn;
	c->watch.arg = arg;
}

/* A bulk load's end starts step (cache_bulk_watch()). */
static void
cache_bulk_step(struct cache *c, int step)
{
	c->watch.step = step;
	c->watch.told = time_mono_ms();
	if (c->watch.fn != NULL)
		c->watch.fn(c->watch.arg, step);
}

/* SQLite's progress handler during a bulk load's end: the step again, each second. */
static int
cache_bulk_tick(void *arg)
{
	struct cache *c = arg;
	uint64_t now = time_mono_ms();

	if (now - c->watch.told >= 1000)
		cache_bulk_step(c, c->watch.step);
	return 0;
}

int
cache_bulk_end(struct cache *c, char **cause)
{
	uint64_t t0 = time_mono_ms(), t1, t2, t3, c0 = time_thread_cpu_ms(), c1, c2, c3;
	int rc;

	if (cache_exec(c, "SAVEPOINT bulk", cause) != 0)
		return -1;
	atomic_fetch_add(&cache_ending, 1);
	/*
	 * Building the indexes, the full-text indexes and the rollups reads
	 * every row once, in order: a smaller page cache (which also sizes
	 * SQLite's sort buffers) was no slower there at 100,000 orders, and
	 * takes about 6 MB off the peak RSS of a first sync. The usual size
	 * is back afterwards.
	 */
	cache_exec(c, "PRAGMA cache_size = " CACHE_BULK_END_PAGES, NULL);
	/* Each step told as it starts, and each second within it. */
	if (c->watch.fn != NULL)
		sqlite3_progress_handler(c->db, 100000, cache_bulk_tick, c);
	/* The rollups first: their tables' indexes are built once, after. */
	cache_bulk_step(c, CACHE_BULK_ROLLUPS);
	rc = cache_fill_quarters(c, cause);
	t1 = time_mono_ms();
	c1 = time_thread_cpu_ms();
	if (rc == 0) {
		cache_bulk_step(c, CACHE_BULK_INDEXES);
		rc = cache_derived(c, 1, cause);
	}
	t2 = time_mono_ms();
	c2 = time_thread_cpu_ms();
	if (rc == 0) {
		cache_bulk_step(c, CACHE_BULK_FULLTEXT);
		rc = cache_fts_rebuild(c, cause);
	}
	t3 = time_mono_ms();
	c3 = time_thread_cpu_ms();
	if (rc == 0) {
		cache_bulk_step(c, CACHE_BULK_COMMIT);
		rc = cache_state_set(c, "bulk", NULL, cause);
	}
	cache_exec(c, "PRAGMA cache_size = " CACHE_PAGES, NULL);
	if (rc != 0) {
		cache_exec(c, "ROLLBACK TO bulk; RELEASE bulk", NULL);
		sqlite3_progress_handler(c->db, 0, NULL, NULL);
		atomic_fetch_sub(&cache_ending, 1);
		return -1;
	}
	rc = cache_exec(c, "RELEASE bulk", cause);
	atomic_fetch_sub(&cache_ending, 1);
	/*
	 * What the load freed (the full text's segments before 'optimize',
	 * the stages) goes back to the file system: a new cache is made with
	 * auto_vacuum = INCREMENTAL (an older one ignores this).
	 */
	if (rc == 0 && sqlite3_get_autocommit(c->db))
		cache_exec(c, "PRAGMA incremental_vacuum", NULL);
	sqlite3_progress_handler(c->db, 0, NULL, NULL);
	/* Wall time, then this thread's CPU time (bench-firstsync.sh reads both). */
	log_debug("bulk load ended: indexes %llu ms, full text %llu ms, quarters %llu ms,"
	    " commit %llu ms; cpu: indexes %llu, full text %llu, quarters %llu, commit %llu ms",
	    (unsigned long long)(t2 - t1), (unsigned long long)(t3 - t2),
	    (unsigned long long)(t1 - t0), (unsigned long long)(time_mono_ms() - t3),
	    (unsigned long long)(c2 - c1), (unsigned long long)(c3 - c2),
	    (unsigned long long)(c1 - c0), (unsigned long long)(time_thread_cpu_ms() - c3));
	return rc;
}

long
cache_count(struct cache *c, enum sd_kind k)
{
	sqlite3_stmt *stmt;
	char *sql;
	long n = -1;

	sql = xasprintf("SELECT count(*) FROM %s", kind_info(k)->table);
	if (sqlite3_prepare_v2(c->db, sql, -1, &stmt, NULL) == SQLITE_OK) {
		if (sqlite3_step(stmt) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
	}
	free(sql);
	return n;
}

char *
cache_get_json(struct cache *c, enum sd_kind k, const char *id)
{
	sqlite3_stmt *stmt;
	char *sql, *json = NULL;
	const char *text;
	size_t len;

	if (c->get[k] == NULL) {
		sql = xasprintf("SELECT json FROM %s WHERE id = ?",
		    kind_info(k)->table);
		cache_stmt(c, &c->get[k], sql, NULL);
		free(sql);
		if (c->get[k] == NULL)
			return NULL;
	}
	stmt = c->get[k];
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    (text = cache_column_json(c, k, stmt, 0, &len)) != NULL)
		json = xstrndup(text, len);
	sqlite3_reset(stmt);
	return json;
}

char *
cache_resolve_ref(struct cache *c, enum sd_kind k, const char *ref, char **cause)
{
	sqlite3_stmt *stmt;
	char *sql, *id = NULL, *end;
	long long n;
	int rc, found = 0;

	if (ref[0] != '#' || ref[1] == '\0')
		return xstrdup(ref);
	n = strtoll(ref + 1, &end, 10);
	if (*end != '\0' || n < 0)
		return xstrdup(ref);
	sql = xasprintf("SELECT id FROM %s WHERE json_extract(sd_json(%d, json),"
	    " '$.display_id') = ?1 LIMIT 2", kind_info(k)->table, (int)k);
	rc = sqlite3_prepare_v2(c->db, sql, -1, &stmt, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cache %s: %s", c->path, sqlite3_errmsg(c->db));
		return NULL;
	}
	sqlite3_bind_int64(stmt, 1, n);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		if (found++ == 0)
			id = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	}
	sqlite3_finalize(stmt);
	if (found == 1)
		return id;
	free(id);
	if (found == 0)
		*cause = xasprintf("no %s %s in the cache", kind_info(k)->name, ref);
	else
		*cause = xasprintf("%s names more than one %s (the store numbers each sort "
		    "apart): give its id", ref, kind_info(k)->name);
	return NULL;
}

/*
 * Kinds in the digest's order: by feed name, bytewise (canned_reply,
 * conversation, customer, message, order, product, promotion, sku, ticket,
 * user), derived from the kinds table rather than written out.
 */
static void
cache_digest_order(int *order)
{
	int i, j, t;

	for (i = 0; i < KIND__COUNT; i++)
		order[i] = i;
	for (i = 1; i < KIND__COUNT; i++) {
		for (j = i; j > 0 && strcmp(kind_info(order[j - 1])->name,
		    kind_info(order[j])->name) > 0; j--) {
			t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	}
}

int
cache_digest(struct cache *c, char *hex_out, long *count, char **cause)
{
	struct sign_sha256 *sha;
	sqlite3_stmt *stmt;
	const char *name, *text;
	char *sql, version[32];
	int order[KIND__COUNT], i, rc;
	size_t len;
	long n = 0;

	cache_digest_order(order);
	sha = sign_sha256_new();
	for (i = 0; i < KIND__COUNT; i++) {
		name = kind_info(order[i])->name;
		sql = xasprintf("SELECT id, version, json FROM %s ORDER BY id",
		    kind_info(order[i])->table);
		rc = sqlite3_prepare_v2(c->db, sql, -1, &stmt, NULL);
		free(sql);
		if (rc != SQLITE_OK)
			goto fail;
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			snprintf(version, sizeof version, "%lld",
			    (long long)sqlite3_column_int64(stmt, 1));
			sign_sha256_update(sha, name, strlen(name));
			sign_sha256_update(sha, "\t", 1);
			sign_sha256_update(sha, sqlite3_column_text(stmt, 0),
			    (size_t)sqlite3_column_bytes(stmt, 0));
			sign_sha256_update(sha, "\t", 1);
			sign_sha256_update(sha, version, strlen(version));
			sign_sha256_update(sha, "\t", 1);
			if ((text = cache_column_json(c, order[i], stmt, 2, &len)) == NULL) {
				sqlite3_finalize(stmt);
				goto fail;
			}
			sign_sha256_update(sha, text, len);
			sign_sha256_update(sha, "\n", 1);
			n++;
		}
		sqlite3_finalize(stmt);
		if (rc != SQLITE_DONE)
			goto fail;
	}
	sign_sha256_finish(sha, hex_out);
	if (count != NULL)
		*count = n;
	return 0;

fail:
	cache_error(cause, "cache %s: cannot compute the digest: %s", c->path,
	    sqlite3_errmsg(c->db));
	sign_sha256_finish(sha, hex_out);
	return -1;
}
