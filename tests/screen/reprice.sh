#!/usr/bin/env bash
# reprice.sh -- many prices at once in the console (批量调价), in-process at
# 80x24 in English and Chinese (inproc.sh). As ops in the Inventory pane:
# :reprice -10% on two marked SKUs previews both old -> new, one below its
# cost flagged first; n queues nothing, y queues both as price actions; with
# nothing marked it reprices the list the search shows; outside Inventory
# and with a change that makes no sense it says why. :import FILE reads a
# CSV file of prices (GB18030, Chinese headers) into the same preview.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --seed 5 --orders 100
profile ops1
PROFILE=ops1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
sd stock price SK100001 --price 100 --yes --wait >/dev/null 2>&1
sd stock price SK100002 --price 19.99 --yes --wait >/dev/null 2>&1
sd stock edit SK100001 --cost 95 --wait >/dev/null 2>&1
ok $? "SK100001 at ¥100.00 costs ¥95.00, SK100002 is at ¥19.99"
sd sync --quiet >/dev/null 2>&1
DB="$T/ops1.db"
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$DB" >>"$XDG_CONFIG_HOME/shopdesk/config"
queued() { sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE state != 'done'"; }
bodies() { sqlite3 "$DB" "SELECT object_id || ' ' || body FROM outbox WHERE state != 'done' ORDER BY id"; }
base=$(queued)

# --- two marked SKUs: the preview, n, then y ------------------------------------------
run ":pane stock
:search SK100001
key m
:search SK100002
key m
:dump-screen $T/marked
:reprice -10%
:dump-screen $T/preview
key n
:reprice -10%
key y
:dump-screen $T/queued"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/preview" "Reprice -10%: 2 to change, 1 flagged, 0 unchanged, 0 refused" \
	"the preview counts what changes and what is flagged"
has "$T/preview" "Price of SK100001 ¥100.00 -> ¥90.00: below cost: SK100001 costs ¥95.00" \
	"... the SKU going under cost is shown with its cost"
has "$T/preview" "SK100002 ¥19.99 -> ¥17.99 (-10%)" "... and the other, rounded to the fen"
has "$T/preview" "y / Enter: queue them" "... with the keys in sight at 80x24"
has "$T/preview" "Confirm: one action on the marked rows" "... titled for the marked rows"
is "$(( $(queued) - base ))" 2 "n queued nothing, y queued both"
is "$(bodies | tail -2 | tr '\n' ';')" \
	'SK100001 {"price":9000,"below_cost":true};SK100002 {"price":1799};' \
	"... as price actions, the one under cost confirmed"
has "$T/queued" "¥17.99" "the list shows the new price at once"

# --- nothing marked: the list the search shows --------------------------------------------
base=$(queued)
run ":pane stock
:search SK100003
:reprice +5.00
:dump-screen $T/list
key y"
has "$T/list" "Reprice +¥5.00: 1 to change" "with nothing marked it reprices the searched list"
has "$T/list" "Confirm: one action on every row of the list (1)" \
	"... and its title says the list, not the marked rows"
hasnt "$T/list" "on the marked rows" "... nowhere the marked rows"
is "$(( $(queued) - base ))" 1 "... and y queues it"

# --- refusals -----------------------------------------------------------------------------
run ":pane orders
:reprice -10%
:messages
:dump-screen $T/orders
key q
:pane stock
:reprice 10%
:messages
:dump-screen $T/bad"
has "$T/orders" "reprice: only in the Inventory pane" "outside Inventory it says where"
has "$T/bad" "bad amount '10%'" "an unsigned percentage is not a price, and says so"

# --- :import FILE: a CSV file of prices, GB18030 with Chinese headers ----------------------
base=$(queued)
printf 'SKU编码,价格\nSK100004,12.34\nSK100005,56.78\n' | iconv -f UTF-8 -t GB18030 >"$T/prices.csv"
printf 'sku_id,price\nSK100004,abc\nSK999999,1\n' >"$T/bad.csv"
run ":pane stock
:import $T/prices.csv
:dump-screen $T/import
key y
:import $T/bad.csv
:messages
:dump-screen $T/importbad
key q
:import $T/none.csv
:messages
:dump-screen $T/importnone"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/import" "(GB18030): 2 to change, 2 flagged, 0" \
	"an import previews the file, read as GB18030"
has "$T/import" "Confirm: the prices of /" "... titled for the file"
has "$T/import" "Price of SK100004 ¥129.00 -> ¥12.34: down 90%" \
	"... with every old -> new, over 50 % flagged"
is "$(( $(queued) - base ))" 2 "... and y queues both lines"
is "$(bodies | tail -2 | tr '\n' ';')" 'SK100004 {"price":1234};SK100005 {"price":5678};' \
	"... at the file's prices"
has "$T/importbad" "import: 2 of 2 lines of" "a file with bad lines queues nothing"
has "$T/importbad" "was queued: line 2: price: bad amount 'abc'" "... and says which and why"
has "$T/importnone" "import: cannot open $T/none.csv" "a file that is not there is said so"
is "$(( $(queued) - base ))" 2 "... nothing more was queued"

# --- in Chinese ---------------------------------------------------------------------------
RUN_ENV=LANGUAGE=zh_CN run ":pane stock
:search SK100002
:reprice +50%
:dump-screen $T/zh
key n"
is "$?" 0 "the console runs in Chinese"
has "$T/zh" "批量调价 +50%：1 个将调价，1 个需留意" "the preview in Chinese (批量调价)"
has "$T/zh" "y / 回车" "... with its keys"

done_testing
