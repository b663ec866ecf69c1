#!/usr/bin/env bash
# catalog-offline.sh -- a new product and its SKUs queued together offline:
# each SKU names the product's pending create as "@N" (outbox entry N), waits
# for it, and goes to the store under the id the store gave it; a SKU whose
# product was refused fails with that reason and is never sent.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 31 --orders 50 --db "$T/store.db" --rate 0
profile ops1
PROFILE=ops1
sd sync >/dev/null
ok $? "initial sync"
STORE_PORT=$PORT
stop_store

# entry: the id of the last outbox entry.
entry() {
	sd outbox list --format json >"$T/entries.json"
	sqlite3 :memory: "SELECT max(json_extract(value, '\$.id')) FROM json_each(readfile('$T/entries.json'))"
}
sd products create --title "离线新品 T恤" --category 服装 >"$T/q" 2>&1
ok $? "offline: the product create is queued"
p=$(entry)
sd stock create --product "@$p" --spec "颜色=白色,尺码=M" --price 59 --cost 30 >>"$T/q" 2>&1
ok $? "a SKU of the pending product (@$p) is queued"
sd stock create --product "@$p" --spec "颜色=黑色,尺码=L" --price 69 >>"$T/q" 2>&1
ok $? "and a second one"
sd stock create --product "@999999" --spec "颜色=红色" --price 9 >"$T/bad" 2>&1
isnt_ok=$?
[ "$isnt_ok" != 0 ] && grep -q "@999999 is not a product create waiting in the outbox" "$T/bad"
ok $? "@N that is no product create is refused with the reason"
is "$(sd outbox list --format json | json_count)" 3 "three entries wait"
# Shown at once, as the store will make them, marked pending, under new-N.
sd products list --all >"$T/pl" 2>&1
grep -q "^new-$p\*  *off  *0  *服装  .*离线新品 T恤" "$T/pl"
ok $? "the new product is listed at once, off the shelf ($(grep "^new-$p" "$T/pl"))"
sd stock list --all >"$T/sl" 2>&1
is "$(grep -c '^new-[0-9]*\*.* 离线新品 T恤$' "$T/sl")" 2 "its two SKUs too, under their product's title"
grep -q '^new-[0-9]*\*.*¥59.00  白色 / M ' "$T/sl"
ok $? "... each with its price and its specifications as its title"
sd categories create --name "离线类目" --parent 服装 >/dev/null 2>&1
c=$(entry)
sd categories tree >"$T/tree" 2>&1
grep -q "└── 离线类目  new-$c  (0)" "$T/tree"
ok $? "a new category is in the tree at once, after its siblings"

start_store --seed 31 --orders 50 --db "$T/store.db" --rate 0
sd sync >"$T/sync" 2>&1
ok $? "back online: sync"
is "$(sd outbox list --format json | json_count)" 0 "the outbox is empty"
pid=$(sqlite3 "$T/store.db" "SELECT id FROM objects WHERE json_extract(json, '\$.title') = '离线新品 T恤'")
[ -n "$pid" ]
ok $? "the store has the product ($pid)"
is "$( (sd products list --all; sd stock list --all; sd categories tree) | grep -c 'new-')" 0 \
	"the placeholders are gone"
grep -q "^$pid  *off  *2  *服装  .*离线新品 T恤" <(sd products list --all)
ok $? "... the store's product in their place, with its two SKUs"
grep -q "└── 离线类目  CG[0-9]*  (0)" <(sd categories tree)
ok $? "... and the store's category"
is "$(sqlite3 "$T/store.db" "SELECT count(*) FROM objects WHERE json_extract(json, '\$.product_id') = '$pid'
	AND json_extract(json, '\$.attributes') IS NOT NULL")" 2 "and its two SKUs, under its id"
is "$(sqlite3 "$T/store.db" "SELECT json_extract(json, '\$.cost') FROM objects WHERE
	json_extract(json, '\$.product_id') = '$pid' AND json_extract(json, '\$.price') = 5900")" 3000 \
	"the first SKU as queued (cost 30.00)"

# A product the store refuses: its SKU fails with the reason, never sent.
STORE_PORT=$PORT
stop_store
sd products create --title "无类目" --category 服装 >/dev/null 2>&1
p=$(entry)
sd stock create --product "@$p" --spec "颜色=白色" --price 10 >/dev/null 2>&1
ok $? "offline again: a product and its SKU queued"
sd outbox drop "$p" >/dev/null 2>&1
ok $? "the product's create is dropped"
start_store --seed 31 --orders 50 --db "$T/store.db" --rate 0
sd sync >/dev/null 2>&1
sd outbox list --format json >"$T/ol"
is "$(jget "$(cat "$T/ol")" '$[0].state')" failed "its SKU fails"
grep -q "the product it belongs to (#$p) was not created" "$T/ol"
ok $? "... saying why"
done_testing
