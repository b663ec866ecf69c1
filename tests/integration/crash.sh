#!/usr/bin/env bash
# crash.sh -- every operation killed at every one of its crash points
# (SHOPDESK_CRASH_AT, src/util/crash.c): a sync, an outbox replay, a CSV
# import and a schema migration, each stopped dead (SIGKILL) at each named
# point, the reference store itself included. After each: a restart and a
# completed sync leave nothing lost (the outbox drains, the store's ledger
# holds every action), nothing twice (no key applied more than once, stock
# moved by exactly what was asked) and the cache equal to the store (digest).
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 41 --orders 400 --db "$T/store.db"
profile admin "page-size = 100"
db=$T/admin.db
expected=0	# actions the store must have applied, so far

# crashed OUT POINT: the command that wrote OUT's stderr was killed at POINT.
crashed() {
	grep -q "killed at crash point ${2%%:*}\$" "$1"
}

outbox_n() { sqlite3 "$db" "SELECT count(*) FROM outbox"; }

restart_store() {
	stop_store
	STORE_PORT=$PORT start_store --db "$T/store.db"
}

# settle WHAT: sync until the outbox is empty, then the oracles.
settle() {
	local what=$1 left=x i ledger
	for i in 1 2 3 4 5; do
		sd sync >/dev/null 2>>"$T/sync.err"
		left=$(outbox_n)
		[ "$left" = 0 ] && break
	done
	ledger=$(api admin GET /_control/ledger | head -1)
	printf '%s' "$ledger" >"$T/ledger.json"
	is "$left $(jget "$ledger" '$.applied') $(sqlite3 :memory: \
	    "SELECT count(*) FROM json_each(readfile('$T/ledger.json'),'\$.by_key') WHERE value <> 1")" \
	    "0 $expected 0" "$what: outbox drained, $expected applied, none twice"
	is "$(sd cache digest)" "$(store_digest admin)" "$what: the cache equals the store"
}

sd sync >/dev/null
ok $? "initial sync"
sd orders list --all --format csv | awk -F, 'NR > 1 { print $1 }' | head -90 >"$T/orders"
sd stock list --all --format csv | awk -F, 'NR > 1 && $2 >= 0 { print $1 }' | head -3 >"$T/skus"
is "$(wc -l <"$T/orders") $(wc -l <"$T/skus")" "90 3" "90 orders and 3 SKUs to work on"
stock_sum() {
	local s t=0
	for s in $(cat "$T/skus"); do
		t=$((t + $(jget "$(api admin GET "/v1/skus/$s" | head -1)" '$.stock')))
	done
	echo "$t"
}
stock0=$(stock_sum)
moved=0

# --- sync: an empty cache filled, killed at each point ------------------------------------
for point in sync-page sync-page:3 sync-applied sync-applied:4 sync-committed:2 \
    migrate-step:1 migrate-step:5 migrate-done; do
	rm -f "$db" "$db-wal" "$db-shm"
	SHOPDESK_CRASH_AT=$point "$SHOPDESK" --profile admin sync >/dev/null 2>"$T/err"
	rc=$?
	crashed "$T/err" "$point"
	ok $? "sync killed at $point (exit $rc)"
	settle "sync after $point"
done

# --- replay: queued offline, sent through a kill ------------------------------------------
# (store-applied kills the store, after it applied an action, before it answers.)
n=0
for point in push-claimed push-sent push-sent:4 push-answered push-settling:3 push-settled \
    store-applied store-applied:5; do
	stop_store
	{ echo "order_id,text"
	  for o in $(sed -n "$((n * 6 + 1)),$((n * 6 + 6))p" "$T/orders"); do echo "$o,kill $point"; done
	} >"$T/notes.csv"
	sd orders note --from-csv "$T/notes.csv" >/dev/null 2>&1
	for s in $(cat "$T/skus"); do sd stock adjust "$s" --delta 1 --reason inbound >/dev/null 2>&1; done
	expected=$((expected + 9)); moved=$((moved + 3)); n=$((n + 1))
	case $point in
	store-*)
		SHOPDESK_CRASH_AT=$point STORE_PORT=$PORT start_store --db "$T/store.db"
		sd sync >/dev/null 2>&1
		for i in $(seq 1 100); do kill -0 "$STORE_PID" 2>/dev/null || break; sleep 0.1; done
		kill "$STORE_PID" 2>/dev/null	# (had it not died)
		wait "$STORE_PID" 2>/dev/null
		rc=$?
		crashed "$T/store.log" "$point"
		ok $? "the store killed at $point (exit $rc)"
		: >"$T/store.log"
		STORE_PID=
		STORE_PORT=$PORT start_store --db "$T/store.db"
		;;
	*)
		STORE_PORT=$PORT start_store --db "$T/store.db"
		SHOPDESK_CRASH_AT=$point "$SHOPDESK" --profile admin sync >/dev/null 2>"$T/err"
		rc=$?
		crashed "$T/err" "$point"
		ok $? "replay killed at $point (exit $rc)"
		;;
	esac
	settle "replay after $point"
done
is "$(stock_sum)" "$((stock0 + moved))" "every stock adjustment applied exactly once (+$moved)"

# --- a CSV import: all of it or none --------------------------------------------------------
for point in enqueue enqueue:5 enqueue-committed; do
	stop_store
	{ echo "order_id,text"
	  for o in $(sed -n "$((n * 6 + 1)),$((n * 6 + 6))p" "$T/orders"); do echo "$o,csv $point"; done
	} >"$T/notes.csv"
	n=$((n + 1))
	b0=$(outbox_n)
	SHOPDESK_CRASH_AT=$point "$SHOPDESK" --profile admin orders note --from-csv "$T/notes.csv" \
	    >/dev/null 2>"$T/err"
	rc=$?
	crashed "$T/err" "$point"
	ok $? "CSV import killed at $point (exit $rc)"
	got=$(($(outbox_n) - b0))
	case "$point $got" in
	"enqueue-committed 6"|"enqueue"*" 0") ok 0 "killed at $point: $got of 6 queued (all or none)" ;;
	*) ok 1 "killed at $point: $got of 6 queued (all or none)" ;;
	esac
	if [ "$got" = 0 ]; then		# nothing queued: the user runs it again
		sd orders note --from-csv "$T/notes.csv" >/dev/null 2>&1
		ok $? "the import run again"
	fi
	expected=$((expected + 6))
	STORE_PORT=$PORT start_store --db "$T/store.db"
	settle "CSV import killed at $point"
done

# --- a schema migration (7, 8 and 9 rewrite every row): killed, then run whole -------------
latest=$(sqlite3 "$db" "PRAGMA user_version")
for point in migrate-step:1 migrate-step:2 migrate-done; do
	# Back to schema 6: without what 9, 10 and 11 added (columns, tables).
	# (A busy timeout: the sync just settled may still be closing the cache.)
	# Every trigger goes too (the shell cannot parse the full-text tokenizer they
	# name); shopdesk makes the derived ones again when it opens the cache.
	drops=$(sqlite3 -cmd ".timeout 20000" "$db" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master
		WHERE type = 'trigger'")
	sqlite3 -cmd ".timeout 20000" "$db" "$drops ALTER TABLE orders DROP COLUMN refunded;
		DROP INDEX IF EXISTS categories_parent; DROP INDEX IF EXISTS products_category;
		DROP TABLE categories; ALTER TABLE products DROP COLUMN category_id;
		PRAGMA user_version = 6" 2>"$T/rewind.err" ||
		echo "# the rewind to schema 6 failed: $(cat "$T/rewind.err")"
	SHOPDESK_CRASH_AT=$point "$SHOPDESK" --profile admin sync >/dev/null 2>"$T/err"
	rc=$?
	crashed "$T/err" "$point"
	ok $? "migration 6 -> $latest killed at $point (exit $rc)"
	is "$(sqlite3 "$db" "PRAGMA user_version")" 6 "killed at $point: still schema 6, nothing half done"
	settle "migration after $point"
	is "$(sqlite3 "$db" "PRAGMA user_version")" "$latest" "and migrated"
	sd find "$(sed -n 1p "$T/orders")" >"$T/find" 2>&1
	grep -q "$(sed -n 1p "$T/orders")" "$T/find"
	ok $? "search finds an order after the migration killed at $point"
done

# --- a bad SHOPDESK_CRASH_AT is refused, not ignored ----------------------------------------
SHOPDESK_CRASH_AT=push-sendt sd status >/dev/null 2>"$T/err"
rc=$?
is "$rc $(cat "$T/err")" \
    "2 shopdesk: SHOPDESK_CRASH_AT=push-sendt: no such crash point (see src/util/crash.c)" \
    "an unknown crash point: exit 2, named"

done_testing
