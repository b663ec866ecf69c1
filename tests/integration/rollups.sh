#!/usr/bin/env bash
# rollups.sh -- the Dashboard's rollups (order_quarters, customer_quarters, customer_first,
# item_quarters: cache.c) kept by the cache's triggers through incremental
# syncs -- new orders and payments from a live store, a refund -- equal the
# same tables rebuilt from the orders at once (the migration's fill), and the
# figures read from them equal the store's own report, to the fen.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --orders 600 --live 200
LOGIN=admin profile admin
PROFILE=admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB=$T/admin.db
rows() { sqlite3 "$1" "SELECT 'o', * FROM order_quarters ORDER BY 2;
	SELECT 'c', * FROM customer_quarters ORDER BY 2, 3;
	SELECT 'f', * FROM customer_first ORDER BY 2;
	SELECT 'i', * FROM item_quarters ORDER BY 2, 3"; }
before=$(rows "$DB" | md5sum)

# A refund on a paid order, through the outbox, and the live store's new orders and payments.
t=$(sqlite3 "$DB" "SELECT t.id FROM tickets AS t JOIN orders AS o ON o.id = t.order_id
	WHERE t.kind = 'refund_only' AND t.status = 'approved' AND o.total > 1000
	AND coalesce(o.refunded, 0) = 0 LIMIT 1")
o=$(sqlite3 "$DB" "SELECT order_id FROM tickets WHERE id = '$t'")
sd tickets refund "$t" --amount 5.00 --yes --wait </dev/null >"$T/out" 2>&1
ok $? "a refund of ¥5.00 on $t (order $o) is applied ($(head -c 200 "$T/out"))"
n0=$(sqlite3 "$DB" "SELECT count(*) FROM orders")
sleep 3
sd sync --quiet >/dev/null 2>&1
ok $? "a second sync, incremental"
n1=$(sqlite3 "$DB" "SELECT count(*) FROM orders")
ok "$([ "$n1" -gt "$n0" ] && echo 0 || echo 1)" "the live store placed orders meanwhile ($n0 -> $n1)"
is "$(sqlite3 "$DB" "SELECT refunded FROM orders WHERE id = '$o'")" 500 "the cache has the refund of $o"
after=$(rows "$DB" | md5sum)
ok "$([ "$after" != "$before" ] && echo 0 || echo 1)" "the rollups moved"

# The same cache with its rollups rebuilt from scratch: schema 9 migrates to the current one.
# What 11 added (the categories) goes too, so that it can be added again; and the
# triggers (the shell cannot parse the full-text tokenizer they name), which
# shopdesk makes again when it opens the cache.
cp "$DB" "$T/rebuilt.db"
drops=$(sqlite3 "$T/rebuilt.db" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master
	WHERE type = 'trigger'")
sqlite3 "$T/rebuilt.db" "$drops DROP INDEX IF EXISTS categories_parent;
	DROP INDEX IF EXISTS products_category; DROP TABLE categories;
	ALTER TABLE products DROP COLUMN category_id; PRAGMA user_version = 9"
printf '[rebuilt]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$URL" "$T/tokens/admin.token" \
	"$T/rebuilt.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
PROFILE=rebuilt sd report daily --from 2026-10-20 --to 2026-11-20 --format json >"$T/rebuilt.json"
ok $? "the copy opens and migrates"
ok "$([ "$(sqlite3 "$T/rebuilt.db" "PRAGMA user_version")" -gt 9 ] && echo 0 || echo 1)" "... past schema 9"
rows "$DB" >"$T/kept"
rows "$T/rebuilt.db" >"$T/fresh"
diff "$T/kept" "$T/fresh" >"$T/d"
ok $? "the rollups kept by trigger equal a full recomputation ($(wc -l <"$T/kept") rows)"
sed 's/^/#   /' "$T/d" | head -20
ok "$(grep -c '^c|' "$T/kept" | awk '{ print ($1 > 100) ? 0 : 1 }')" "customers' quarters are there"
ok "$(grep -c '^i|' "$T/kept" | awk '{ print ($1 > 100) ? 0 : 1 }')" "items' quarters are there"

# And the figures from them are the store's, to the fen (customers and repeat ones included).
sd report daily --from 2026-10-20 --to 2026-11-20 --format json >"$T/cli.json"
api admin GET "/v1/reports/daily?from=2026-10-20&to=2026-11-20" | head -1 >"$T/srv.json"
jq -S '[.days[] | {date, from, to, orders, paid_orders, gmv, refunds, net_sales,
	refunded_orders, aov, refund_rate_bp, customers, repeat_customers, repeat_rate_bp}]' \
	"$T/cli.json" >"$T/a.json"
jq -S '.days' "$T/srv.json" >"$T/b.json"
diff "$T/a.json" "$T/b.json" >"$T/d"
ok $? "the cache's report equals the store's, day by day"
sed 's/^/#   /' "$T/d" | head -20
cmp -s "$T/cli.json" "$T/rebuilt.json"
ok $? "... and equals the report of the rebuilt rollups"

done_testing
