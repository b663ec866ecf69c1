#!/usr/bin/env bash
# catalog.sh -- the catalogue in the console, in-process at 80x24 in English
# and Chinese (SHOPDESK_SCRIPT, :dump-screen; see inprocess.sh). As ops, in
# the Inventory pane: :price below the SKU's cost opens the confirmation with
# the loss, n queues nothing, y queues it; the detail shows the cost, the
# margin and the price history; a scheduled shelf change shows in the list
# (NEXT, the time left) and in the detail until it happens.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --seed 5 --orders 300
profile ops1
PROFILE=ops1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
sd stock edit SK100001 --cost 100 --wait >/dev/null 2>&1
ok $? "SK100001 costs ¥100.00"
sd stock price SK100001 --price 119 --wait >/dev/null 2>&1
ok $? "... and a first price change"
pid=$(jget "$(sd stock show SK100001 --format json)" '$.product_id')
sd products shelf "$pid" --shelf off --at +2h --wait >/dev/null 2>&1
ok $? "$pid is scheduled off the shelf in two hours"
sd sync --quiet >/dev/null 2>&1
DB="$T/ops1.db"
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$DB" >>"$XDG_CONFIG_HOME/shopdesk/config"
queued() { sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE state != 'done'"; }
base=$(queued)

# --- a price below cost: the confirmation, n, then y -----------------------------------
run ":find SK100001
key j
:dump-screen $T/list
key <Enter>
:dump-screen $T/detail
:price 80
:dump-screen $T/confirm
key n
:price 80
key y
:dump-screen $T/queued"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/detail" "cost       ¥100.00  margin" "the detail shows the cost and the margin"
has "$T/detail" "-> ¥119.00" "... the price history"
has "$T/detail" "scheduled  off shelf," "... and the scheduled shelf change"
grep -E "^ SK100001 .* (1h5[0-9]m|2h00m)( |\$)" "$T/list" >/dev/null
ok $? "the list shows the time left before the change (NEXT)"
has "$T/confirm" "Price of SK100001 ¥119.00 -> ¥80.00: below cost: SK100001 costs ¥100.00" \
	"a price below cost asks to confirm, old -> new"
has "$T/confirm" "each one sells at a loss of ¥20.00" "... with the loss"
has "$T/confirm" "y / Enter: confirm    n / Esc: cancel" "... and the keys"
is "$(( $(queued) - base ))" 1 "n queued nothing; y queued one"
is "$(sqlite3 "$DB" "SELECT body FROM outbox ORDER BY id DESC LIMIT 1")" \
	'{"price":8000,"below_cost":true}' "... the price, confirmed below cost"
has "$T/queued" "¥80.00" "the overlay shows the new price at once"

# --- the same in Chinese ------------------------------------------------------------------
RUN_ENV=LANGUAGE=zh_CN run ":find SK100001
key j <Enter>
:dump-screen $T/zh
:price 70
:dump-screen $T/zhconfirm
key n"
is "$?" 0 "the console runs in Chinese"
has "$T/zh" "上下架     上架" "the detail in Chinese"
has "$T/zh" "成本价     ¥100.00  毛利率" "... the cost price (成本价) and the margin (毛利率)"
has "$T/zh" "定时上下架 下架," "... the scheduled change (定时上下架)"
has "$T/zh" "历史价格" "... and the price history (历史价格)"
has "$T/zhconfirm" "¥100.00" "the confirmation shows the cost"

done_testing
