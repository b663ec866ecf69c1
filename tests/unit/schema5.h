/*
 * schema5.h -- turn a cache of the current schema back into the shape of
 * schema 5 (before search documents), for the migration tests: each full-
 * text index over its table's own columns, kept by triggers, no search
 * column; orders with item_titles and city.
 */
#ifndef SD_TEST_SCHEMA5_H
#define SD_TEST_SCHEMA5_H

static const struct {
	const char	*table;
	const char	*cols;
	const char	*news;
} schema5_fts[] = {
	{ "orders", "id, customer_name, phone, tracking_no, item_titles, city",
	  "new.id, new.customer_name, new.phone, new.tracking_no, new.item_titles, new.city" },
	{ "tickets", "id, order_id, customer_name, reason, description",
	  "new.id, new.order_id, new.customer_name, new.reason, new.description" },
	{ "conversations", "id, customer_name, preview",
	  "new.id, new.customer_name, new.preview" },
	{ "messages", "body", "new.body" },
	{ "skus", "id, product_title, title, barcode",
	  "new.id, new.product_title, new.title, new.barcode" },
	{ "promotions", "name", "new.name" },
	{ "customers", "name, phone, email", "new.name, new.phone, new.email" },
	{ "canned_replies", "shortcut, title, body", "new.shortcut, new.title, new.body" },
};

/* The SQL (caller frees), ending with user_version = 5 (or v). */
static char *
schema5_sql(int v)
{
	struct buf b;
	size_t i;
	const char *t, *cols;

	buf_init(&b);
	for (i = 0; i < sizeof schema5_fts / sizeof schema5_fts[0]; i++) {
		t = schema5_fts[i].table;
		cols = schema5_fts[i].cols;
		buf_addf(&b, "DROP TRIGGER %s_fts_ai; DROP TRIGGER %s_fts_ad;"
		    " DROP TRIGGER %s_fts_au; DROP TABLE %s_fts;", t, t, t, t);
		buf_addf(&b, "ALTER TABLE %s DROP COLUMN search;", t);
		if (strcmp(t, "orders") == 0)
			buf_adds(&b, "ALTER TABLE orders ADD COLUMN item_titles TEXT;"
			    "ALTER TABLE orders ADD COLUMN city TEXT;"
			    "UPDATE orders SET city = json_extract(sd_json(0, json),"
			    " '$.address.city');");
		buf_addf(&b, "CREATE VIRTUAL TABLE %s_fts USING fts5(%s,"
		    " content='%s', content_rowid='rowid', tokenize='sdcjk');"
		    "INSERT INTO %s_fts(%s_fts) VALUES ('rebuild');"
		    "CREATE TRIGGER %s_fts_ai AFTER INSERT ON %s BEGIN"
		    " INSERT INTO %s_fts(rowid, %s) VALUES (new.rowid, %s); END;",
		    t, cols, t, t, t, t, t, t, cols, schema5_fts[i].news);
	}
	/* Before 9: no refunds in orders or in the quarters. */
	buf_adds(&b, "DROP TRIGGER order_quarters_ai; DROP TRIGGER order_quarters_ad;"
	    " DROP TRIGGER order_quarters_au; ALTER TABLE orders DROP COLUMN refunded;"
	    " DROP TABLE order_quarters; CREATE TABLE order_quarters (quarter TEXT PRIMARY KEY,"
	    " orders INTEGER NOT NULL, paid INTEGER NOT NULL, gmv INTEGER NOT NULL) WITHOUT ROWID;");
	/* Before 11: no categories. */
	buf_adds(&b, "DROP INDEX IF EXISTS categories_parent; DROP INDEX IF EXISTS"
	    " products_category; DROP TABLE categories;"
	    " ALTER TABLE products DROP COLUMN category_id;");
	buf_addf(&b, "PRAGMA user_version = %d;", v);
	return buf_steal(&b);
}

#endif
