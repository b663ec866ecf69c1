#!/usr/bin/env bash
# inventory.sh -- the Inventory pane for the warehouse, in-process at 80x24
# (SHOPDESK_SCRIPT; see inprocess.sh), and the store's stock history:
# GET /v1/skus/{id}/movements lists a SKU's adjustments newest first; the
# pane shows STOCK, RSVD, AVAIL and WARN, counts the low and out-of-stock
# SKUs in its title, opens on All (the "Low" tab is the filter it is),
# goes to a SKU by a scanned barcode with its movements in the detail, and
# refuses an adjustment below zero saying the current stock; the SHELF
# column whole; a threshold set from the row, the shelf refused to the
# warehouse and queued for ops; both from the command line to the store.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --orders 300
profile wh1
PROFILE=wh1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/wh1.db"
# A SKU that is not low, so that only All shows it.
set -- $(sqlite3 -separator ' ' "$DB" "SELECT id, barcode, stock FROM skus WHERE margin > 5
    ORDER BY id LIMIT 1")
sku=${1:-} barcode=${2:-} stock=${3:-}

# The store's history: empty, then the adjustments, newest first.
out=$(api wh1 GET "/v1/skus/$sku/movements")
is "$(printf '%s\n' "$out" | tail -1)" "HTTP 200" "GET /v1/skus/{id}/movements answers"
is "$(jget "$(printf '%s\n' "$out" | head -1)" '$.items')" "[]" "no movements yet"
is "$(api wh1 GET /v1/skus/SK999999/movements | tail -1)" "HTTP 404" "an unknown SKU: 404"
sd stock adjust "$sku" --delta +12 --reason inbound --wait >/dev/null 2>&1 &&
	sd stock adjust "$sku" --delta -2 --reason damage --wait >/dev/null 2>&1
ok $? "two adjustments applied"
body=$(api wh1 GET "/v1/skus/$sku/movements" | head -1)
is "$(jget "$body" '$.items[0].delta') $(jget "$body" '$.items[0].reason') $(jget "$body" '$.items[0].stock')" \
	"-2 damage $((stock + 10))" "the newest first, with the stock after it"
is "$(jget "$body" '$.items[1].delta') $(jget "$body" '$.items[1].reason')" "12 inbound" \
	"then the one before"
is "$(jget "$body" '$.stock')" "$((stock + 10))" "and the stock now"
sd sync --quiet >/dev/null 2>&1
stock=$((stock + 10))

printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/run.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
RUN_BEFORE='cp "$DB" "$T/run.db"'
low=$(sqlite3 "$DB" "SELECT count(*) FROM skus WHERE margin <= 0")
out=$(sqlite3 "$DB" "SELECT count(*) FROM skus WHERE stock - reserved <= 0")
reserved=$(sqlite3 "$DB" "SELECT reserved FROM skus WHERE id = '$sku'")

run "key 5
dump $T/pane
key <Tab>
dump $T/lowtab
key b
type $barcode
key <Enter>
dump $T/scan
:adjust -$((stock + 1)) count
dump $T/refused"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/pane" "Inventory [All]" "the inventory opens on all SKUs"
has "$T/pane" "STOCK   RSVD   AVAIL  WARN" "stock, reserved, available and threshold columns"
# Each SKU by its product's name next to its code, not by its variant alone.
row1=$(grep -o '^.SK[0-9][0-9]*' "$T/pane" | head -1 | cut -c2-)
first=$(jget "$(sd stock show "$row1" --format json)" '$.product_title' | LC_ALL=C.UTF-8 sed 's/^\(...\).*/\1/')
[ -n "$first" ] && grep -q "^.$row1 *$first" "$T/pane"
ok $? "a row names the SKU's product ($row1 $first)"
has "$T/pane" "$low low · $out out of stock" "the title counts low and out-of-stock SKUs"
has "$T/lowtab" "Inventory [Low]" "the Low tab is named as the filter it is"
has "$T/scan" "$barcode: $sku" "a scanned barcode goes to its SKU"
has "$T/scan" "Inventory [All]" "... in All, where nothing hides it"
has "$T/scan" "available $((stock - reserved))" "its detail: stock, reserved, available"
has "$T/scan" "Movements" "its movement history"
has "$T/scan" "-2 damage -> $stock" "... the newest first"
who=$(jget "$(api wh1 GET /v1/me | head -1)" '$.name')
[ -n "$who" ] && grep -q -- "-2 damage -> $stock  $who (" "$T/scan"
ok $? "... by whom, by name ($who)"
has "$T/scan" "+12 inbound -> $((stock + 2))" "... then the one before"
has "$T/refused" "$sku has $stock in stock" "an adjustment below zero is refused, saying the stock"
is "$(sqlite3 "$T/run.db" "SELECT count(*) FROM outbox")" 0 "nothing queued"
RUN_ENV=LANGUAGE=zh_CN run "key 5
key b
type $barcode
key <Enter>
dump $T/zhscan"
has "$T/zhscan" "（已占用 $reserved，可用 $((stock - reserved))）" "in Chinese the stock line is Chinese too"

# The SHELF column whole ("on", not "on s…"); a threshold set from the row
# ('t'); the shelf ('L') refused to the warehouse, saying who may.
pid=$(sqlite3 "$DB" "SELECT product_id FROM skus WHERE id = '$sku'")
run "key 5
key b
type $barcode
key <Enter>
key q
dump $T/row
key t
type 9
key <Enter>
dump $T/thr
key L
dump $T/shelfwh"
grep -qE "^.$sku .* [0-9]+ +[0-9]+ +-?[0-9]+ +[0-9]+ +¥[0-9.]+ +on( |\$)" "$T/row"
ok $? "the SHELF column says 'on' whole"
hasnt "$T/row" "on s…" "... on every row"
has "$T/thr" "set the low-stock threshold of $sku to 9" "t sets the SKU's threshold"
grep -qE "^.$sku .* [0-9]+ +[0-9]+ +-?[0-9]+ +9 +¥" "$T/thr"
ok $? "... and its row shows WARN 9 at once"
has "$T/shelfwh" "products shelf: not for your role (warehouse); admin or ops may" \
	"the shelf is refused to the warehouse, saying who may"
is "$(sqlite3 "$T/run.db" "SELECT action FROM outbox")" threshold "only the threshold is queued"

profile ops1
PROFILE=ops1 sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! ops1 sync failed"; exit 1; }
RUN_BEFORE='cp "$T/ops1.db" "$T/run.db"'
run "key 5
key b
type $barcode
key <Enter>
key q
key L
type off
key <Enter>
dump $T/shelfops"
has "$T/shelfops" "put $pid off the shelf" "L on a SKU's row shelves its product (ops)"
is "$(sqlite3 "$T/run.db" "SELECT action || ' ' || object_id FROM outbox")" "shelf $pid" \
	"... one shelf action on $pid queued"

# The same from the command line, to the store and back.
sd stock threshold "$sku" --threshold 9 --wait >/dev/null 2>&1
ok $? "shopdesk stock threshold applies"
is "$(jget "$(api wh1 GET "/v1/skus/$sku" | head -1)" '$.low_stock_threshold')" 9 \
	"the store has the threshold"
sd products shelf "$pid" --shelf off >"$T/out" 2>&1
is "$?" 4 "the warehouse may not shelf from the CLI either"
grep -q "may not shelf products: that needs admin or ops" "$T/out"
ok $? "... told why ($(head -c 200 "$T/out"))"
PROFILE=ops1 sd products shelf "$pid" --shelf off --wait >/dev/null 2>&1
ok $? "ops puts $pid off the shelf"
sd sync --quiet >/dev/null 2>&1
is "$(jget "$(sd stock show "$sku" --format json)" '$.shelf')" off \
	"after a sync the SKU is off the shelf, with its product"
PROFILE=ops1 sd products shelf "$pid" --shelf on --wait >/dev/null 2>&1
ok $? "... and back on"
sd sync --quiet >/dev/null 2>&1
is "$(jget "$(sd stock show "$sku" --format json)" '$.shelf')" on "... on the shelf again"

RUN_BEFORE='cp "$DB" "$T/run.db"'
# A search in Low for a SKU that is not low says where it is; 0 shows it.
run "key 5
key <Tab>
key /
type $sku
key <Enter>
dump $T/lowsearch
key 0
dump $T/allsearch"
has "$T/lowsearch" "no match in this tab; 1 in all (0 shows all)" \
	"a search in Low says it found the SKU in All"
has "$T/allsearch" "Inventory [All]  /$sku" "0 shows it in All"
grep -qE "^.$sku " "$T/allsearch"
ok $? "... its row selected"

run "key 5
key b
type 0000000000000
key <Enter>
dump $T/unknown"
has "$T/unknown" "no SKU has the barcode or id '0000000000000'" "an unknown barcode is said"

done_testing
