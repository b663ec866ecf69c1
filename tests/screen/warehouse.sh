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

done_testing
