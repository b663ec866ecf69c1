#!/usr/bin/env bash
# dashboard-cursor.sh -- the Dashboard's cursor at 80x24: j/k and h/l move it
# over the figures, Enter opens the list behind the one under it filtered to
# what it counts (the paid orders of that day, its refunded orders, its repeat
# customers' orders, a top product's orders, the refunds for a top reason, the
# SKUs low in stock), and q or Esc comes back with the cursor where it was.
# Each list is checked against the cache's own rows, in UTF-8 and in ASCII.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"
RUN_TZ=UTC

start_store --orders 300
profile agent1
PROFILE=agent1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/agent1.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
DB=$T/agent1.db
PAID="coalesce(payment_status NOT IN ('unpaid', 'failed'), 0)"
# The store's days (Asia/Shanghai): 2026-11-20 began at 16:00Z on the 19th.
TODAY="created_at >= '2026-11-19T16:00:00Z' AND created_at < '2026-11-20T16:00:00Z'"
YDAY="created_at >= '2026-11-18T16:00:00Z' AND created_at < '2026-11-19T16:00:00Z'"
WEEK="created_at >= '2026-11-12T16:00:00Z' AND created_at < '2026-11-13T16:00:00Z'"
# ids DUMP: the order or ticket ids a list shows, sorted, one a line.
ids() { sed -n '4,22p' "$1" | grep -oE '^ (SO|AS)[0-9]+' | tr -d ' ' | sort; }
want() { sqlite3 "$DB" "$1" | sort; }
same() {
	if [ "$1" = "$2" ] && [ -n "$1" ]; then ok 0 "$3"; else
		ok 1 "$3"; echo "#   got: $(echo $1)"; echo "#   want: $(echo $2)"; fi
}

run ":clock 2026-11-20T08:00:00Z
:dump-screen $T/d-home
key <Enter>
:dump-screen $T/d-gmv
key q
:dump-screen $T/d-back
key j
key l
:dump-screen $T/d-moved
key <Enter>
:dump-screen $T/d-net
key <Esc>
:dump-screen $T/d-back2
key l
key j
key j
key <Enter>
:dump-screen $T/d-aov
key q
key j
key <Enter>
:dump-screen $T/d-refund
key q
key j
key h
key h
key <Enter>
:dump-screen $T/d-repeat
key q
key j
key l
key <Enter>
:dump-screen $T/d-top
key q
key j
key h
key <Enter>
:dump-screen $T/d-reason
key q
key G
key l
key l
key l
:dump-screen $T/d-last
key <Enter>
:dump-screen $T/d-low
key q
:dump-screen $T/d-lowback
key 2
:dump-screen $T/d-orders"
is "$?" 0 "the script runs to its end ($(head -c 200 "$T/run.err"))"

has "$T/d-home" "Enter: paid orders of 2026-11-20   (arrows or hjkl move, q back)" \
	"the cursor starts on today's GMV and the last line says what Enter opens"
has "$T/d-gmv" "Orders [All]  paid orders of 2026-11-20" "Enter on GMV: the Orders pane, titled with what it shows"
same "$(ids "$T/d-gmv")" "$(want "SELECT id FROM orders WHERE $TODAY AND $PAID")" \
	"... today's paid orders, as the cache has them"
diff -u "$T/d-home" "$T/d-back" >"$T/diff"
ok $? "q: back on the Dashboard as it was"
sed 's/^/#   /' "$T/diff"
has "$T/d-moved" "Enter: paid orders of 2026-11-19" "j then l: net sales of yesterday"
same "$(ids "$T/d-net")" "$(want "SELECT id FROM orders WHERE $YDAY AND $PAID")" \
	"Enter on yesterday's net sales: yesterday's paid orders"
diff -u "$T/d-moved" "$T/d-back2" >"$T/diff"
ok $? "Esc: back with the cursor where it was (yesterday's net sales)"
sed 's/^/#   /' "$T/diff"
has "$T/d-aov" "paid orders of 2026-11-13" "l j j: AOV of the same weekday last week"
same "$(ids "$T/d-aov")" "$(want "SELECT id FROM orders WHERE $WEEK AND $PAID")" \
	"... its paid orders"
has "$T/d-refund" "refunded orders of 2026-11-13" "j: the refund rate opens the day's refunded orders"
n=$(sqlite3 "$DB" "SELECT count(*) FROM orders WHERE $WEEK AND $PAID AND refunded > 0")
if [ "$n" -eq 0 ]; then has "$T/d-refund" "(nothing here)" "... none that day, as the cache says (refund rate 0.00%)"
else same "$(ids "$T/d-refund")" "$(want "SELECT id FROM orders WHERE $WEEK AND $PAID AND refunded > 0")" \
	"... the day's paid orders with a refund"; fi
has "$T/d-repeat" "repeat customers' orders of 2026-11-20" "j h h: the repeat rate of today"
same "$(ids "$T/d-repeat")" "$(want "SELECT id FROM orders WHERE $TODAY AND $PAID AND customer_id IN
	(SELECT customer_id FROM orders WHERE created_at < '2026-11-19T16:00:00Z' AND $PAID)")" \
	"... the paid orders of customers who had paid before today"
# The second of today's top products: its name from the Dashboard's own line.
prod=$(sed -n 's/^top  *[^×]*×[0-9]*  \(.*\) ×[0-9]*  .*/\1/p' "$T/d-home")
has "$T/d-top" "today's orders of $prod" "j l: the second top product ($prod)"
same "$(ids "$T/d-top")" "$(PROFILE=agent1 sd orders list --since 2026-11-20 --all --format json |
	jq -r --arg p "$prod" '.[] | select(.created_at < "2026-11-20T16:00:00Z" and
	.payment_status != "unpaid" and .payment_status != "failed" and
	any(.items[]; .title == $p)) | .id' | sort)" "... today's paid orders of it"
reason=$(sed -n 's/^refunds    30 days: \([^×]*\) ×.*/\1/p' "$T/d-home")
has "$T/d-reason" "refunds for $reason, 30 days" "j h: the first refund reason ($reason)"
same "$(ids "$T/d-reason")" "$(want "SELECT id FROM tickets WHERE reason = '$reason'
	AND kind IN ('refund_only', 'return_refund') AND created_at >= '2026-10-21T16:00:00Z'")" \
	"... the refund tickets of 30 days for it"
has "$T/d-last" "Enter: the SKUs low in stock" "G l l l: the last figure, low stock (l stops at the last column)"
grep -qE "^Inventory \[Low\]" "$T/d-low"
ok $? "... Enter: Inventory on its Low tab"
diff -u "$T/d-last" "$T/d-lowback" >"$T/diff"
ok $? "... and q comes back to the Dashboard, on low stock"
sed 's/^/#   /' "$T/diff"
hasnt "$T/d-orders" "paid orders of" "the Orders pane's own key shows all its orders again"

# Without UTF-8: the same cursor and lists, the trends in ASCII.
RUN_ENV="LC_ALL=C LANG=C" run ":clock 2026-11-20T08:00:00Z
key j
key l
:dump-screen $T/d-c-moved
key <Enter>
:dump-screen $T/d-c-net
key q
:dump-screen $T/d-c-back"
is "$?" 0 "C locale: the script runs ($(head -c 200 "$T/run.err"))"
has "$T/d-c-moved" "Enter: paid orders of 2026-11-19" "C locale: j l moves the cursor"
same "$(ids "$T/d-c-net")" "$(want "SELECT id FROM orders WHERE $YDAY AND $PAID")" \
	"C locale: Enter opens yesterday's paid orders"
diff -u "$T/d-c-moved" "$T/d-c-back" >"$T/diff"
ok $? "C locale: q comes back with the cursor where it was"
sed 's/^/#   /' "$T/diff"

# In Chinese: the first column's head names the figures, the last line and
# the opened list's title say what Enter opens.
RUN_ENV=LANGUAGE=zh_CN run ":clock 2026-11-20T08:00:00Z
key j
key l
:dump-screen $T/z-moved
key <Enter>
:dump-screen $T/z-net
key q
:dump-screen $T/z-back"
is "$?" 0 "zh_CN: the script runs ($(head -c 200 "$T/run.err"))"
sed -n 3p "$T/z-moved" | grep -qE '^指标 +今日 +昨日'
ok $? "zh_CN: the table's head is 指标, then 今日 once ($(sed -n 3p "$T/z-moved"))"
has "$T/z-moved" "回车：2026-11-19 的已付款订单" "zh_CN: the last line says what Enter opens"
has "$T/z-net" "2026-11-19 的已付款订单" "zh_CN: the list's title says what it shows"
same "$(ids "$T/z-net")" "$(want "SELECT id FROM orders WHERE $YDAY AND $PAID")" \
	"zh_CN: the same paid orders of yesterday"
diff -u "$T/z-moved" "$T/z-back" >"$T/diff"
ok $? "zh_CN: q comes back with the cursor where it was"
sed 's/^/#   /' "$T/diff"

done_testing
