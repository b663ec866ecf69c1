#!/usr/bin/env bash
# warehouse.sh -- the warehouse's orders in the console, in-process at 80x24
# (SHOPDESK_SCRIPT; see inprocess.sh), as the warehouse user: the "To ship"
# tab lists the oldest paid order first (first in, first out) while "All"
# stays newest first.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --orders 2000
profile wh1
PROFILE=wh1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/wh1.db"
# The three oldest unflagged orders to ship; the second is flagged now.
set -- $(sqlite3 "$DB" "SELECT id FROM orders WHERE status = 'awaiting_shipment'
    ORDER BY created_at, id LIMIT 3")
a=${1:-} b=${2:-} c=${3:-}
flagged=$(sqlite3 "$DB" "SELECT count(*) FROM orders WHERE id IN ('$a', '$b', '$c')
    AND abnormal IS NOT NULL")
if [ "$flagged" = 0 ]; then
	sd orders flag "$b" --reason address --note "门牌号缺失" --wait >/dev/null 2>&1
	sd sync --quiet >/dev/null 2>&1
fi
is "$(sqlite3 "$DB" "SELECT group_concat(id) FROM orders WHERE id IN ('$a', '$b', '$c')
    AND abnormal IS NOT NULL")" "$b" "of the three oldest to ship, $b alone is flagged"
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/run.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
RUN_BEFORE='cp "$DB" "$T/run.db"'

# The first rows of the To ship tab and of All, by the cache.
oldest=$(sqlite3 "$DB" "SELECT id FROM orders WHERE status = 'awaiting_shipment'
    ORDER BY created_at, id LIMIT 3" | tr '\n' ' ')
newest=$(sqlite3 "$DB" "SELECT id FROM orders ORDER BY created_at DESC, id DESC LIMIT 3" |
	tr '\n' ' ')

run "key 2
dump $T/all
:filter awaiting_shipment
dump $T/toship"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
rows() { grep -o 'SO[0-9]\{8\}' "$1" | head -3 | tr '\n' ' '; }
is "$(rows "$T/toship")" "$oldest" "To ship: the oldest paid order first (FIFO)"
has "$T/toship" "oldest first" "the title says the order"
is "$(rows "$T/all")" "$newest" "All: newest first"
hasnt "$T/all" "oldest first" "... and says nothing of it"

run "key 2
:filter awaiting_shipment
key m
key m
key m
dump $T/marked
:ship SF SF8800000000001
dump $T/preview
key y
dump $T/queued"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/marked" "3 marked" "the title counts the marks"
is "$(grep -c '^+SO' "$T/marked")" 3 "three rows drawn marked"
has "$T/preview" "ship: 2 of 3 marked will be queued, 1 refused" "the preview counts them"
has "$T/preview" "ship $a via SF SF8800000000001" "it says what each does"
has "$T/preview" "$b: order $b is flagged abnormal" "it names the refused one and why"
is "$(sqlite3 "$T/run.db" "SELECT count(*) FROM outbox")" 2 "y queued two, one entry each"
is "$(sqlite3 "$T/run.db" "SELECT group_concat(object_id) FROM (SELECT object_id FROM outbox
    ORDER BY id)")" "$a,$c" "... the two that may be shipped"
has "$T/queued" "queued 2 actions" "the message says so"
hasnt "$T/queued" "marked" "the marks are gone"

# n queues nothing and keeps the marks; X clears them.
run "key 2
:filter awaiting_shipment
key *
dump $T/all
:deliver
dump $T/none
key j
key _
dump $T/cleared"
has "$T/all" "more marked" "* marks every row shown"
has "$T/none" "deliver refused for all" "an action none allows is refused, nothing previewed"
is "$(sqlite3 "$T/run.db" "SELECT count(*) FROM outbox")" 0 "nothing queued"
has "$T/cleared" "marks cleared" "X clears the marks"
hasnt "$T/cleared" " marked" "... and the title no longer counts them"

# Packing slips of the marked orders, from the console.
run "key 2
:filter awaiting_shipment
key m
key m
:slip $T/marked.pdf
dump $T/slip"
has "$T/slip" "2 packing slips written to $T/marked.pdf" "slip FILE writes the marked orders' slips"
is "$(grep -ac '/Type /Page$' "$T/marked.pdf" 2>/dev/null)" 2 "... one page each"
grep -aq "($a) Tj" "$T/marked.pdf" 2>/dev/null && grep -aq "($b) Tj" "$T/marked.pdf" 2>/dev/null
ok $? "... the marked ones, $a and $b"
grep -q " reveal order $b" "$XDG_STATE_HOME/shopdesk/audit.log" 2>/dev/null
ok $? "... their addresses logged as revealed"

done_testing
