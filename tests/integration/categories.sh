#!/usr/bin/env bash
# categories.sh -- the store's category tree (商品类目) against the reference
# store: the seeded tree, roles, create / rename / move / delete with each
# refusal (a duplicate name, a parent that does not exist, a move under
# itself, a delete while categories or products use it), a rename reaching
# the products, a product linked by category_id; then the client: the tree
# synced into the cache and drawn, --category on the SKU list including the
# categories below, by id, path and name (an ambiguous name refused), on the
# order list (orders with an item of the subtree); the client's create,
# rename, move and delete through the outbox with duplicate, cycle and
# in_use refused before queueing and the store's refusal shown in the
# outbox; a search by a category's name finding the SKUs below it, after a
# rename and a move too; and all of it with the store gone.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 31 --orders 100 --db "$T/store.db"
profile ops1
profile wh1
profile agent1
PROFILE=ops1
sd sync >/dev/null
ok $? "initial sync"

store() {
	sqlite3 "$T/store.db" "$1"
}
# field ID PATH: a member of a category or product as the store has it.
field() {
	store "SELECT json_extract(json, '$2') FROM objects WHERE id = '$1' AND deleted = 0"
}
answer() {
	head -n -1 "$T/call" >"$T/answer.json"
	sqlite3 :memory: "SELECT json_extract(readfile('$T/answer.json'), '$1')"
}
ver() {
	store "SELECT version FROM objects WHERE id = '$1'"
}

# --- the seeded tree ---------------------------------------------------------------
is "$(call wh1 GET '/v1/categories?limit=500')" 200 "warehouse reads the categories"
n_store=$(store "SELECT count(*) FROM objects WHERE kind = (SELECT kind FROM objects
	WHERE id = 'CG101') AND deleted = 0")
[ "$n_store" -ge 40 ]
ok $? "the demo store seeds a category tree ($n_store categories)"
is "$(field CG117 '$.name')/$(field CG117 '$.parent_id')/$(field CG103 '$.name')" \
	"手机/CG103/手机数码" "手机 is under 手机数码"
is "$(store "SELECT count(*) FROM objects WHERE kind = (SELECT kind FROM objects
	WHERE id = 'P1001') AND deleted = 0 AND
	json_extract(json, '$.category_id') IS NULL")" 0 "every seeded product is in a category"
is "$(call agent1 GET /v1/categories/CG101)" 200 "agents read a category"

# --- roles -------------------------------------------------------------------------
is "$(call agent1 POST /v1/categories '{"name":"x"}')" 403 "an agent cannot create a category"
is "$(call wh1 POST /v1/categories '{"name":"x"}')" 403 "nor can warehouse"
grep -qF '"required":["admin","ops"]' "$T/call"
ok $? "... the 403 names admin and ops"
is "$(call wh1 DELETE /v1/categories/CG113 '' "$(ver CG113)")" 403 "warehouse cannot delete one"

# --- create ------------------------------------------------------------------------
is "$(call ops1 POST /v1/categories '{"name":"平板","parent_id":"CG103"}')" 201 \
	"ops creates 平板 under 手机数码"
NEW=$(answer '$.id')
is "$(field "$NEW" '$.parent_id')" CG103 "... with its parent"
[ "$(field "$NEW" '$.position')" -gt "$(field CG123 '$.position')" ]
ok $? "... after its siblings"
is "$(call ops1 POST /v1/categories '{"name":"平板","parent_id":"CG103"}')" 409 \
	"the same name twice under one parent: 409"
grep -qF '"duplicate"' "$T/call" && grep -qF "$NEW" "$T/call"
ok $? "... duplicate, naming the category that has it"
is "$(call ops1 POST /v1/categories '{"name":"平板","parent_id":"CG999"}')" 422 \
	"a parent that does not exist: 422"
grep -qF 'no category CG999' "$T/call"
ok $? "... which says so"
is "$(call ops1 POST /v1/categories '{"name":""}')" 422 "an empty name: 422"
is "$(call ops1 POST /v1/categories '{"name":"x","colour":"red"}')" 422 "an unknown member: 422"

# --- a product in it, by id ----------------------------------------------------------
is "$(call ops1 POST /v1/products "{\"title\":\"iPad mini\",\"category_id\":\"$NEW\"}")" 201 \
	"a product created with category_id"
PROD=$(answer '$.id')
is "$(field "$PROD" '$.category')" 平板 "... gets the category's name"
is "$(call ops1 POST /v1/products '{"title":"x","category_id":"CG999"}')" 422 \
	"a category_id that does not exist: 422"
is "$(call ops1 POST /v1/products '{"title":"x","category":"耳机"}')" 201 \
	"a category text naming one category"
is "$(field "$(answer '$.id')" '$.category_id')" CG118 "... links it"

# --- rename ------------------------------------------------------------------------
is "$(call ops1 PATCH "/v1/categories/$NEW" '{"name":"平板电脑"}' "$(ver "$NEW")")" 200 \
	"ops renames it"
is "$(field "$PROD" '$.category')" 平板电脑 "the product has the new name"
is "$(call ops1 PATCH /v1/categories/CG118 '{"name":"手机"}' "$(ver CG118)")" 409 \
	"renamed to a sibling's name: 409"
is "$(call ops1 PATCH /v1/categories/CG118 '{"name":"x"}' 1000)" 409 "a stale If-Match: 409"

# --- move --------------------------------------------------------------------------
is "$(call ops1 POST /v1/categories/CG103/move '{"parent_id":"CG146"}' "$(ver CG103)")" 422 \
	"手机数码 under 键盘, its own descendant: 422"
grep -qF '"cycle"' "$T/call"
ok $? "... cycle"
is "$(call ops1 POST /v1/categories/CG103/move '{"parent_id":"CG103"}' "$(ver CG103)")" 422 \
	"under itself: 422"
is "$(call ops1 POST "/v1/categories/$NEW/move" '{"position":0}' "$(ver "$NEW")")" 422 \
	"a move without parent_id: 422"
is "$(call ops1 POST "/v1/categories/$NEW/move" '{"parent_id":null,"position":99}' \
	"$(ver "$NEW")")" 200 "平板电脑 moved to the top level"
is "$(field "$NEW" '$.parent_id')" "" "... it has no parent"

# --- delete ------------------------------------------------------------------------
is "$(call ops1 DELETE /v1/categories/CG119 '' "$(ver CG119)")" 422 \
	"电脑外设 holds 键盘 and 鼠标: not deleted"
grep -qF '"in_use"' "$T/call" && grep -qF 'CG146' "$T/call" && grep -qF 'subcategor' "$T/call"
ok $? "... in_use, naming the subcategories"
is "$(call ops1 DELETE /v1/categories/CG146 '' "$(ver CG146)")" 422 \
	"键盘 holds a product: not deleted"
grep -qF 'P1015' "$T/call" && grep -qF '"product_count":1' "$T/call"
ok $? "... in_use, naming the product"
is "$(call ops1 POST /v1/categories '{"name":"临时","parent_id":"CG110"}')" 201 "an empty category"
TMP=$(answer '$.id')
is "$(call ops1 DELETE "/v1/categories/$TMP" '' "$(ver "$TMP")")" 200 "an empty one is deleted"
is "$(store "SELECT deleted FROM objects WHERE id = '$TMP'")" 1 "... a tombstone"

# --- the client: synced, drawn, filtered ---------------------------------------------
sd sync >/dev/null
ok $? "sync after the changes"
sd categories tree >"$T/tree" 2>&1
ok $? "categories tree"
grep -qF "平板电脑  $NEW" "$T/tree"
ok $? "the new category is in the tree"
grep -qF "临时" "$T/tree"
ok $((! $?)) "the deleted one is not"
# 手机数码's subtree in box characters: 电脑外设 with 键盘 and 鼠标 below it.
grep -A2 '电脑外设' "$T/tree" >"$T/sub"
printf '├── 电脑外设  CG119  (2)\n│   ├── 键盘  CG146  (1)\n│   └── 鼠标  CG147  (1)\n' >"$T/want"
check "a subtree drawn with box characters" diff -u "$T/want" "$T/sub"
sd categories tree --ascii | grep -F -- '`-- 鼠标  CG147' >/dev/null
ok $? "--ascii draws it with ASCII"
LC_ALL=C sd categories tree | grep -F -- '`-- 鼠标' >/dev/null
ok $? "ASCII where the locale is not UTF-8"
n_list=$(sd categories list --format json | json_count)
is "$n_list" "$((n_store + 1))" "categories list has each category once"
sd categories list | grep -qE '^CG119 +手机数码 / 电脑外设 +2$'
ok $? "list: id, path and products below"

# The SKUs of the products in 手机数码's subtree, as the store has them.
sub_skus=$(store "WITH RECURSIVE sub(id) AS (SELECT 'CG103' UNION SELECT o.id FROM objects o
	JOIN sub ON json_extract(o.json, '$.parent_id') = sub.id WHERE o.deleted = 0)
	SELECT count(*) FROM objects s WHERE s.id LIKE 'SK%' AND s.deleted = 0 AND
	json_extract(s.json, '$.product_id') IN (SELECT p.id FROM objects p WHERE p.id GLOB 'P[0-9]*'
	AND p.deleted = 0 AND json_extract(p.json, '$.category_id') IN (SELECT id FROM sub))")
sd stock list --category 手机数码 --all --format json >"$T/sub.json"
ok $? "stock list --category 手机数码"
is "$(json_count <"$T/sub.json")" "$sub_skus" "... the SKUs of the whole subtree ($sub_skus)"
grep -qF '"product_id": "P1015"' "$T/sub.json" || grep -qF '"product_id":"P1015"' "$T/sub.json"
ok $? "... 机械键盘, two levels down, among them"
is "$(sd stock list --category CG119 --all --format json | json_count)" \
	"$(sd stock list --category '手机数码 / 电脑外设' --all --format json | json_count)" \
	"by id and by path alike"
is "$(sd stock list --category '手机数码>电脑外设>键盘' --all --format json | json_count)" 3 \
	"a path with > finds 键盘's three SKUs"
is "$(call ops1 POST /v1/categories '{"name":"手机","parent_id":"CG110"}')" 201 \
	"a second 手机, under 图书"
sd sync >/dev/null
sd categories tree >"$T/tree" 2>&1
sd stock list --category 手机 >"$T/out" 2>&1
is "$?" 2 "--category 手机 is now ambiguous: a usage error"
grep -qF '手机数码 / 手机' "$T/out" && grep -qF '图书 / 手机' "$T/out"
ok $? "... which names both paths"
sd stock list --category 没有 >"$T/out" 2>&1
is "$?" 2 "an unknown category: a usage error"
# Orders with an item of a product in a category's subtree, as the store has them.
order_ids() {
	store "WITH RECURSIVE sub(id) AS (SELECT '$1' UNION SELECT o.id FROM objects o
	JOIN sub ON json_extract(o.json, '$.parent_id') = sub.id WHERE o.deleted = 0),
	cat_skus(id) AS (SELECT s.id FROM objects s WHERE s.id LIKE 'SK%' AND s.deleted = 0 AND
	json_extract(s.json, '$.product_id') IN (SELECT p.id FROM objects p WHERE
	p.id GLOB 'P[0-9]*' AND p.deleted = 0 AND json_extract(p.json, '$.category_id') IN
	(SELECT id FROM sub)))
	SELECT o.id FROM objects o WHERE o.id GLOB 'SO[0-9]*' AND o.deleted = 0 AND EXISTS
	(SELECT 1 FROM json_each(o.json, '$.items') i WHERE json_extract(i.value, '$.sku_id')
	IN (SELECT id FROM cat_skus)) ORDER BY o.id"
}
listed_ids() {
	sqlite3 :memory: "SELECT json_extract(value, '$.id') FROM
	json_each(readfile('$1')) ORDER BY 1"
}
want_orders=$(order_ids CG119)
[ -n "$want_orders" ] && [ "$(echo "$want_orders" | wc -l)" -lt "$(store "SELECT count(*)
	FROM objects WHERE id GLOB 'SO[0-9]*' AND deleted = 0")" ]
ok $? "some orders but not all have an item of 电脑外设 ($(echo "$want_orders" | wc -l))"
sd orders list --category 电脑外设 --all --format json >"$T/orders.json"
ok $? "orders list --category 电脑外设"
is "$(listed_ids "$T/orders.json" | tr '\n' ' ')" "$(echo "$want_orders" | tr '\n' ' ')" \
	"... exactly the orders with a keyboard or a mouse (the subtree's SKUs)"
is "$(sd orders list --category CG146 --all --format json | json_count)" \
	"$(order_ids CG146 | grep -c .)" "... and by id, 键盘 alone"
sd orders list --category 没有 >"$T/out" 2>&1
is "$?" 2 "an unknown category on orders: a usage error"

# The completion offers what --category takes: names, paths and ids.
is "$(sd __complete stock list --category 电脑 | sort | tr '\n' ' ')" "电脑外设 " \
	"completing a name"
is "$(sd __complete stock list --category 手机数码/电脑 | sort | tr '\n' ' ')" \
	"手机数码/电脑外设 手机数码/电脑外设/键盘 手机数码/电脑外设/鼠标 " "completing a path"
sd __complete stock list --category CG14 | grep -qx CG146
ok $? "completing an id"

# --- the client's writes: categories create / rename / move / delete ------------------
sd categories create --name 智能手表 --parent 手机数码/手机 --wait >"$T/out" 2>&1
ok $? "categories create under a path, --wait ($(head -1 "$T/out"))"
WATCH=$(store "SELECT id FROM objects WHERE deleted = 0 AND
	json_extract(json, '$.name') = '智能手表'")
is "$(field "$WATCH" '$.parent_id')" CG117 "... the store has it under 手机"
sd sync >/dev/null
sd categories tree | grep -qF "智能手表  $WATCH"
ok $? "... and after a sync the tree shows it"
sd categories create --name 耳机 --parent CG103 >"$T/out" 2>&1
is "$?" 10 "a sibling's name: refused before anything is queued"
grep -qF 'duplicate: 手机数码 already has a category named "耳机" (CG118)' "$T/out"
ok $? "... duplicate, naming the one that has it ($(head -c 200 "$T/out"))"
sd categories create --name x --parent 没有 >"$T/out" 2>&1
is "$?" 2 "a parent the cache does not know: a usage error"
grep -qF 'no category "没有"' "$T/out"
ok $? "... which says so"
sd categories move CG103 --parent 手机数码/电脑外设/键盘 >"$T/out" 2>&1
is "$?" 10 "手机数码 under 键盘, its own descendant: refused"
grep -qF 'cycle: cannot move 手机数码 under 手机数码 / 电脑外设 / 键盘: that is one of its descendants' "$T/out"
ok $? "... cycle, with both paths"
sd categories move CG103 --parent CG103 >"$T/out" 2>&1
is "$?" 10 "手机数码 under itself: refused"
grep -qF 'cycle: cannot move 手机数码 under itself' "$T/out"
ok $? "... cycle, said so"
LANGUAGE=zh_CN sd categories move CG103 --parent 手机数码/电脑外设/键盘 >"$T/out" 2>&1
grep -qF 'cycle：不能把 手机数码 移到 手机数码 / 电脑外设 / 键盘 下：那是它的下级类目' "$T/out"
ok $? "... and in Chinese, whole ($(head -c 200 "$T/out"))"
sd categories delete CG119 >"$T/out" 2>&1
is "$?" 10 "电脑外设 with subcategories: refused"
grep -qF 'in_use: 手机数码 / 电脑外设 holds 2 subcategories (键盘 (CG146), 鼠标 (CG147))' "$T/out"
ok $? "... in_use, naming them"
sd categories delete CG146 >"$T/out" 2>&1
is "$?" 10 "键盘 with a product: refused"
grep -qF 'in_use: 手机数码 / 电脑外设 / 键盘 holds 1 products' "$T/out"
ok $? "... in_use, counting them"
PROFILE=wh1 sd sync >/dev/null 2>&1
PROFILE=wh1 sd categories create --name x >"$T/out" 2>&1
is "$?" 4 "warehouse may not create a category"
grep -qF 'admin or ops' "$T/out"
ok $? "... and is told who may ($(head -c 200 "$T/out"))"
# A product's category named as the tree names it: linked by its id.
sd products create --title 儿童手表 --category 手机数码/手机 --wait >"$T/out" 2>&1
ok $? "products create --category PATH ($(head -1 "$T/out"))"
KID=$(store "SELECT id FROM objects WHERE deleted = 0 AND json_extract(json, '$.title') = '儿童手表'")
is "$(field "$KID" '$.category_id')/$(field "$KID" '$.category')" "CG117/手机" \
	"... linked to 手机数码's 手机, not to 图书's"
sd products create --title x --category 手机 >"$T/out" 2>&1
is "$?" 2 "a category name two categories have: a usage error"
grep -qF '手机数码 / 手机' "$T/out" && grep -qF '图书 / 手机' "$T/out"
ok $? "... naming both paths"
sd products create --title x >"$T/out" 2>&1
is "$?" 2 "a product without a category: a usage error"
sd products create --title x --category 没有/这个 >"$T/out" 2>&1
is "$?" 2 "a path the tree lacks: a usage error"
sd products edit "$KID" --category 图书/手机 --wait >/dev/null 2>&1
is "$(field "$KID" '$.category_id')" CG150 "products edit --category PATH moves it"
sd categories rename "$WATCH" --name 智能穿戴 --wait >/dev/null 2>&1
ok $? "categories rename --wait"
is "$(field "$WATCH" '$.name')" 智能穿戴 "... renamed in the store"
sd categories move "$WATCH" --parent top --wait >/dev/null 2>&1
ok $? "categories move --parent top"
is "$(field "$WATCH" '$.parent_id')" "" "... at the top level in the store"
sd sync >/dev/null
sd categories list | grep -qE "^$WATCH +智能穿戴 +0$"
ok $? "... and in the cache after a sync"
# Two creates of one name before either is sent: the first shows in the tree
# at once (new-N), so the second is refused at once, naming it.
sd categories create --name 配件 --parent 图书 >/dev/null 2>&1
sd categories create --name 配件 --parent 图书 >"$T/out" 2>&1
is "$?" 10 "a second create of a name still queued is refused"
grep -qE 'duplicate: 图书 already has a category named "配件" \(new-[0-9]+\)' "$T/out"
ok $? "... naming the queued one ($(head -c 200 "$T/out"))"
# The store still says no for what the cache cannot know: a name made meanwhile.
is "$(call ops1 POST /v1/categories '{"name":"配件2","parent_id":"CG110"}')" 201 \
	"someone else makes 配件2 under 图书"
sd categories create --name 配件2 --parent 图书 >/dev/null 2>&1
sd sync >/dev/null 2>&1
sd outbox list --format json >"$T/out" 2>&1
grep -F '"summary":"create category 配件2"' "$T/out" | grep -qF \
	'"reason":"duplicate: CG110 already has a category named \"配件2\"'
ok $? "the store's refusal is in the outbox with its reason"
is "$(store "SELECT count(*) FROM objects WHERE deleted = 0 AND
	json_extract(json, '$.name') = '配件'")" 1 "... and the store has one 配件"
sd categories delete "$WATCH" --wait >/dev/null 2>&1
ok $? "categories delete of an empty one"
is "$(store "SELECT deleted FROM objects WHERE id = '$WATCH'")" 1 "... a tombstone in the store"
sd sync >/dev/null
sd categories tree >"$T/tree" 2>&1

# --- search by category: the names a SKU is under are in its document ------------------
n_pc=$(sd stock list --category 电脑外设 --all --format json | json_count)
is "$(sd stock list -q 电脑外设 --all --format json | json_count)" "$n_pc" \
	"a search for 电脑外设 finds the $n_pc SKUs under it (键盘 and 鼠标)"
sd find 电脑外设 --format json >"$T/find.json" 2>&1
grep -qF '"SK' "$T/find.json"
ok $? "... and find does too"
sd categories rename CG119 --name 外设配件 --wait >/dev/null 2>&1
ok $? "电脑外设 renamed 外设配件"
sd sync >/dev/null
is "$(sd stock list -q 外设配件 --all --format json | json_count)" "$n_pc" \
	"after a sync the new name finds them"
is "$(sd stock list -q 电脑外设 --all --format json | json_count)" 0 "... the old one nothing"
sd categories move CG146 --parent 图书 --wait >/dev/null 2>&1
sd sync >/dev/null
sd stock list -q 图书 --all --format json >"$T/books.json"
grep -qF '"product_id": "P1015"' "$T/books.json" || grep -qF '"product_id":"P1015"' "$T/books.json"
ok $? "键盘 moved under 图书: a search for 图书 finds its keyboard"
sd categories move CG146 --parent CG119 --wait >/dev/null 2>&1
sd categories rename CG119 --name 电脑外设 --wait >/dev/null 2>&1
sd sync >/dev/null
sd categories tree >"$T/tree" 2>&1

# --- offline --------------------------------------------------------------------------
stop_store
sd categories tree >"$T/tree2" 2>&1
ok $? "with the store gone, the tree is drawn from the cache"
check "... the same tree as online" diff -u "$T/tree" "$T/tree2"
is "$(sd stock list --category 手机数码 --all --format json | json_count)" "$sub_skus" \
	"and the filter works offline"
sd orders list --category 电脑外设 --all --format json >"$T/orders2.json"
is "$(listed_ids "$T/orders2.json" | tr '\n' ' ')" "$(echo "$want_orders" | tr '\n' ' ')" \
	"and on orders"
sd categories create --name 离线 --parent 图书 >"$T/out" 2>&1
ok $? "a category created offline is queued ($(head -1 "$T/out"))"
sd outbox list | grep -qF 'create category 离线'
ok $? "... and waits in the outbox"

done_testing
