#!/usr/bin/env bash
# product-form.sh -- the product form of the Inventory pane (P new-product,
# E edit-product, D delete-product), in-process at 80x24 (SHOPDESK_SCRIPT;
# see inprocess.sh), as ops on a console that is offline (the "local"
# profile has no token): a product with two SKUs typed in the form, the
# category completed from the cached tree, a duplicate specification refused
# under its field, a price below cost warned and queued only on a second C-x;
# all queued in order (the SKUs naming the product's create as "@N") and
# made by the store once the outbox is replayed. SKU rows added and removed
# with C-n and C-k; an edit that changes nothing queues nothing. Then the product edited:
# only the price that changed is queued, as a price change (its history
# kept). Then a product that open orders have is deleted after a
# confirmation, and the store's refusal shows in the status line and the
# outbox with its reason. The form in Chinese (LANGUAGE=zh_CN) too.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --seed 12 --orders 300 --db "$T/store.db"
profile ops1
PROFILE=ops1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/ops1.db"
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$DB" >>"$XDG_CONFIG_HOME/shopdesk/config"
store() { sqlite3 "$T/store.db" "$1"; }
queued() { sqlite3 "$DB" "SELECT count(*) FROM outbox"; }

# --- a new product, two SKUs --------------------------------------------------------------
run "key 5
key P
dump $T/open
type 测试新品T恤
key <Enter>
type 夏季新款
key <Enter>
type Acme
key <Enter>
type 服
key <Tab>
dump $T/complete
key <Enter>
type 100%棉，舒适透气
key <Enter>
key <Enter>
type 颜色=白色,尺码=M
key <Enter>
type W-M
key <Enter>
type 69012345x
key <Enter>
dump $T/barcode
key <Up>
key <C-u>
type 6901234567890
key <Enter>
type 79
key <Enter>
type 59
key <Enter>
type 30
key <Enter>
type 200
key <C-n>
type 尺码=M， 颜色=白色
key <Enter>
dump $T/dup
key <C-x>
dump $T/dupsubmit
key <C-u>
type 颜色=黑色,尺码=L
key <Enter>
type B-L
key <Enter>
key <Enter>
key <Enter>
type 20
key <Enter>
type 30
key <Enter>
dump $T/below
key <C-x>
dump $T/warned
key <C-x>
dump $T/queued"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/open" "New product 商品, through the outbox" "P opens the product form"
has "$T/open" "SKU 1 规格 (new)" "... with a first SKU row"
has "$T/complete" "服装 / 男装" "Tab in the category lists the cached tree's paths"
has "$T/barcode" "! digits only: a barcode (条码) is a number" "a barcode that is not digits is refused"
has "$T/dup" "! SKU 1 has these specifications already" \
	"the same specifications in another order (and a full-width comma) are refused"
has "$T/dupsubmit" "not queued: correct the fields marked !" "C-x says why it queues nothing"
has "$T/below" "SKU 2: the price ¥20.00 is below its cost ¥30.00" \
	"a price below cost is said as soon as it is typed"
has "$T/warned" "selling under cost: C-x" "C-x warns first"
has "$T/queued" "queued #1: create product 测试新品T恤 with 2 SKUs" "a second C-x queues it"
is "$(sqlite3 "$DB" "SELECT group_concat(action || ':' || coalesce(json_extract(body,
	'\$.product_id'), json_extract(body, '\$.title')), ' ') FROM outbox ORDER BY id")" \
	"create:测试新品T恤 create:@1 create:@1" "the product's create, then its SKUs naming it"
is "$(sqlite3 "$DB" "SELECT coalesce(json_extract(body, '\$.category_id'), json_extract(body,
	'\$.category')) FROM outbox WHERE id = 1")" \
	"$(sqlite3 "$DB" "SELECT id FROM categories WHERE name = '服装' AND parent_id IS NULL")" \
	"the category completed from the tree, sent as its id"

# --- the same form in Chinese: its title, labels, hints and checks -------------------------
RUN_ENV=LANGUAGE=zh_CN run "key 5
key P
type 中文新品
key <Enter>
key <Enter>
key <Enter>
type 鞋
key <Tab>
key <Enter>
key <Enter>
key <Enter>
type 颜色=红色
key <Enter>
key <Enter>
type 12a
key <Enter>
dump $T/zh
key <Esc>
key <Esc>"
is "$?" 0 "the console runs in Chinese ($(head -c 200 "$T/run.err"))"
has "$T/zh" "新建商品（经待同步队列提交）" "the form's title in Chinese"
has "$T/zh" "商品标题" "... its labels: 商品标题"
has "$T/zh" "类目       鞋靴" "... 类目, completed from the tree"
has "$T/zh" "SKU 1 规格（新）" "... 规格"
has "$T/zh" "状态       下架" "... and the status in Chinese, not as its code"
has "$T/zh" "! 只能是数字：条码是一串数字" "a bad 条码 is refused in Chinese"
has "$T/zh" "划线价（元）；留空：无" "... the next field's hint in Chinese"
is "$(queued)" 3 "nothing more is queued"

# --- replayed: the store makes the product, then its SKUs under its id -------------------
sd sync --quiet >/dev/null 2>&1
is "$(queued)" 0 "the sync replays all three"
pid=$(store "SELECT id FROM objects WHERE json_extract(json, '\$.title') = '测试新品T恤'")
is "$(store "SELECT json_extract(json, '\$.category_id') || ' ' || json_extract(json, '\$.brand')
	|| ' ' || json_extract(json, '\$.shelf') FROM objects WHERE id = '$pid'")" "CG101 Acme off" \
	"the store has product $pid, in its category, off the shelf"
is "$(store "SELECT group_concat(json_extract(json, '\$.title') || '=' || json_extract(json, '\$.price')
	|| '/' || json_extract(json, '\$.cost') || '/' || coalesce(json_extract(json, '\$.barcode'), '-'),
	' ') FROM objects WHERE json_extract(json, '\$.product_id') = '$pid' ORDER BY id")" \
	"白色 / M=5900/3000/6901234567890 黑色 / L=2000/3000/-" "... and its two SKUs as typed"
sku2=$(store "SELECT id FROM objects WHERE json_extract(json, '\$.product_id') = '$pid'
	AND json_extract(json, '\$.price') = 2000")

# --- rows added and removed; an edit with nothing changed queues nothing -------------------
run "key 5
key P
key <C-n>
dump $T/rows
key <C-k>
dump $T/removed
key <Esc>
key <Esc>
:search $sku2
key E
key <C-x>
dump $T/nochange
key <Esc>
key <Esc>"
has "$T/rows" "SKU 2 规格 (new)" "C-n adds a SKU row"
has "$T/removed" "SKU row 2 removed" "C-k removes it"
hasnt "$T/removed" "SKU 2 规格" "... from the screen"
has "$T/nochange" "nothing changed: nothing to queue" "an edit with no change says so"
is "$(queued)" 0 "... and queues nothing"

# --- an edit: only the changed price goes, as a price change -------------------------------
run "key 5
:search $sku2
key E
dump $T/edit
$(for i in $(seq 1 17); do echo 'key <Down>'; done)
key <C-u>
type 35
dump $T/edited
key <C-x>
dump $T/editq"
has "$T/edit" "Edit product 商品 $pid" "E opens the form on the selected SKU's product"
has "$T/edit" "测试新品T恤" "... filled from the cache"
has "$T/editq" "queued 1 change(s) to product $pid" "only what changed is queued"
is "$(sqlite3 "$DB" "SELECT action || ' ' || object_id || ' ' || json_extract(body, '\$.price')
	FROM outbox")" "price $sku2 3500" "... the price, with its own action"
sd sync --quiet >/dev/null 2>&1
is "$(store "SELECT json_extract(json, '\$.price') || ' ' || json_extract(json,
	'\$.price_history[#-1].from') FROM objects WHERE id = '$sku2'")" "3500 2000" \
	"the store has the new price, the old one in its history"

# --- in Chinese the status is typed as it reads: 上架 queues the shelf change -------------
sd stock adjust "$sku2" --delta +5 --reason inbound --wait >/dev/null 2>&1
ok $? "$sku2 gets stock, so that its product may go on the shelf"
RUN_ENV=LANGUAGE=zh_CN run "key 5
:search $sku2
key E
$(for i in $(seq 1 5); do echo 'key <Down>'; done)
key <C-u>
type 上架
key <C-x>
dump $T/zhshelf"
has "$T/zhshelf" "$pid" "E in Chinese, the status typed as 上架"
is "$(sqlite3 "$DB" "SELECT action || ' ' || object_id || ' ' || json_extract(body, '\$.shelf')
	FROM outbox")" "shelf $pid on" "... queues the product on the shelf"
sd outbox drop "$(sqlite3 "$DB" "SELECT id FROM outbox")" >/dev/null 2>&1

# --- delete refused while open orders have the product -------------------------------------
open=$(store "SELECT json_extract(json, '\$.items[0].sku_id') FROM objects
	WHERE json_extract(json, '\$.status') = 'awaiting_shipment' ORDER BY id LIMIT 1")
prod=$(store "SELECT json_extract(json, '\$.product_id') FROM objects WHERE id = '$open'")
run "key 5
:search $open
key D
dump $T/confirm
key y
dump $T/deleteq"
has "$T/confirm" "Delete product $prod" "D asks first, naming the product"
has "$T/deleteq" "queued #" "y queues the delete"
sd sync --quiet >/dev/null 2>&1
is "$(sqlite3 "$DB" "SELECT action || ' ' || object_id FROM outbox WHERE state = 3")" \
	"delete $prod" "the store refuses it: the entry stays, failed"
run "key 7
dump $T/refused
key <Enter>
dump $T/reason"
has "$T/refused" "0 pending, 1 refused" "the status line counts the refusal as one, not as a conflict"
has "$T/refused" "failed        1  delete product $prod" "the outbox lists it failed"
has "$T/reason" "open order" "... with the store's reason"
is "$(store "SELECT count(*) FROM objects WHERE id = '$prod' AND deleted = 0")" 1 \
	"the product is still in the store"
done_testing
