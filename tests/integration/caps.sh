#!/usr/bin/env bash
# caps.sh -- what the store does not offer (src/caps.h), through the CLI. The
# cache is synced from the reference store, then its record of the store
# ("store.*" in sync_state) is rewritten as a sync from Medusa leaves it: no
# chats, no canned replies, a few actions. Listing or showing a kind the
# store lacks is one line on stderr and exit 10 (refused), never an empty
# table; an action it lacks is refused before anything is queued; what it
# offers works as ever, and status says what it lacks.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --orders 300
profile admin
PROFILE=admin
sd sync >/dev/null 2>&1
ok $? "sync from the reference store"
DB="$T/admin.db"
REFUSED=10
SENTENCE="not offered by this store (medusa)"

is "$(sqlite3 "$DB" "SELECT value FROM sync_state WHERE key = 'store.actions'")" "*" \
	"the reference store is recorded as offering every action"
sd chats list --limit 1 >/dev/null 2>"$T/e"
is "$?" 0 "before: chats list works ($(head -c 100 "$T/e"))"

# --- the record of a Medusa store ------------------------------------------------
sqlite3 "$DB" "INSERT OR REPLACE INTO sync_state (key, value) VALUES
	('store.backend', 'medusa'),
	('store.kinds', 'order ticket product sku promotion customer user category'),
	('store.actions', 'orders.deliver tickets.refund stock.adjust')"
cv=$(sqlite3 "$DB" "SELECT id FROM conversations LIMIT 1")
so=$(sqlite3 "$DB" "SELECT id FROM orders ORDER BY status = 'awaiting_shipment' DESC, id LIMIT 1")
as=$(sqlite3 "$DB" "SELECT id FROM tickets LIMIT 1")
sk=$(sqlite3 "$DB" "SELECT id FROM skus LIMIT 1")

# --- kinds it does not have --------------------------------------------------------
sd chats list >"$T/o" 2>"$T/e"
is "$?" "$REFUSED" "chats list exits $REFUSED (refused)"
is "$(cat "$T/e")" "shopdesk: chats: $SENTENCE" "... with one line saying why"
is "$(wc -c <"$T/o")" 0 "... and no table"
sd chats list --waiting --format json >"$T/o" 2>"$T/e"
is "$?" "$REFUSED" "chats list --format json is refused too"
is "$(wc -c <"$T/o")" 0 "... with nothing on stdout (not [])"
sd chats show "$cv" >"$T/o" 2>"$T/e"
is "$?" "$REFUSED" "chats show $cv exits $REFUSED"
is "$(cat "$T/e")" "shopdesk: chats: $SENTENCE" "... with the sentence"

# --- actions it does not perform ---------------------------------------------------
sd orders ship "$so" --carrier SF --tracking SF1234567890123 >"$T/o" 2>"$T/e"
is "$?" "$REFUSED" "orders ship (not offered) exits $REFUSED"
is "$(cat "$T/e")" "shopdesk: orders ship: $SENTENCE" "... saying so once"
sd ship "$so" --carrier SF --tracking SF1234567890123 --dry-run >/dev/null 2>"$T/e"
is "$?" "$REFUSED" "ship --dry-run is refused too ($(cat "$T/e"))"
printf 'order_id,carrier,tracking_no\n%s,SF,SF1234567890123\n' "$so" >"$T/ship.csv"
sd ship --from-csv "$T/ship.csv" >/dev/null 2>"$T/e"
is "$?" "$REFUSED" "a CSV batch of ship is refused"
grep -qF "orders ship: $SENTENCE" "$T/e"
ok $? "... with the sentence ($(cat "$T/e"))"
sd orders correct "$so" --carrier SF --tracking SF1234567890124 >/dev/null 2>"$T/e"
is "$?" "$REFUSED" "orders correct (Medusa does not offer it) exits $REFUSED"
is "$(cat "$T/e")" "shopdesk: orders correct: $SENTENCE" "... with the sentence"
sd tickets approve "$as" >/dev/null 2>"$T/e"
is "$?" "$REFUSED" "tickets approve exits $REFUSED"
is "$(cat "$T/e")" "shopdesk: tickets approve: $SENTENCE" "... with the sentence"
sd chats send "$cv" --body hello >/dev/null 2>"$T/e"
is "$?" "$REFUSED" "chats send exits $REFUSED"
is "$(sd outbox list 2>&1)" "the outbox is empty" "outbox list: nothing was queued"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox")" 0 "... and the outbox table is empty"

# --- what it offers ------------------------------------------------------------------
sd orders list --limit 3 --format csv >"$T/o" 2>"$T/e"
is "$?" 0 "orders list still works"
is "$(wc -l <"$T/o")" 4 "... header and 3 orders"
sd tickets list --limit 2 >/dev/null 2>&1
is "$?" 0 "tickets list still works"
sd orders show "$so" >/dev/null 2>&1
is "$?" 0 "orders show still works"
sd stock adjust "$sk" --delta 1 --reason count --dry-run >"$T/o" 2>"$T/e"
is "$?" 0 "stock adjust (offered) still prepares ($(head -c 100 "$T/e"))"

# --- status says what the store lacks ------------------------------------------------
sd status >"$T/o" 2>&1
grep -q '^backend   medusa$' "$T/o"
ok $? "status names the backend"
grep -qF "not offered by this store: conversations, messages, canned-replies; 48 of 51 actions" "$T/o"
ok $? "status says what is not offered ($(grep 'not offered by' "$T/o"))"
grep -qE '^conversations +not offered$' "$T/o"
ok $? "status shows conversations as not offered, not as a count"
is "$(jget "$(sd status --format json)" '$.not_offered.kinds')" \
	'["conversation","message","canned_reply"]' "status --format json lists the kinds"

# --- a cache with no record offers everything ----------------------------------------
sqlite3 "$DB" "DELETE FROM sync_state WHERE key LIKE 'store.%'"
sd chats list --limit 1 >/dev/null 2>"$T/e"
is "$?" 0 "without a record chats list works again"
sd status >"$T/o" 2>&1
! grep -q -e '^backend' -e 'not offered' "$T/o"
ok $? "... and status is as it was"

done_testing
