#!/usr/bin/env bash
# promo-offline.sh -- a promotion created with the store unreachable (issue
# 13): the real console at 80x24 shows it at once in the Promotions list as a
# placeholder (new-N, marked pending) and selects it; an action on it is
# refused (nothing to act on yet); when the link returns and the outbox
# replays, the placeholder becomes the store's promotion (its own id) with
# the selection following it. A create the store refuses: the placeholder
# goes and the refusal shows in the outbox like any other.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

start_store --seed 12 --orders 300 --db "$T/store.db"
profile ops1
PROFILE=ops1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB=$T/ops1.db
stop_store

console 80 24 "$SHOPDESK" --profile ops1
keys 6
expect "Promotions [All]" "6 shows the promotions (offline)"
keys :
type_text "create 离线九折 percent_coupon --percent-off 10 --starts tomorrow --ends +7d"
keys Enter
expect "queued #" "the create is queued"
n=$(sqlite3 "$DB" "SELECT max(id) FROM outbox")
expect "new-$n" "the placeholder new-$n is listed at once"
is "$(sd promos show "new-$n" --format json | jq -r '.name + " " + .status + " " + (._pending | tostring)')" \
	"离线九折 draft 1" "the cache holds it as a pending draft"
keys Enter
expect "new-$n  percentage coupon  draft" "it is the selected row (Enter opens its detail)"
keys Escape
wait_gone "new-$n  percentage coupon  draft"
keys :
type_text "schedule"
keys Enter
expect "is not made yet" "an action on the placeholder is refused, saying why"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox")" 1 "... and nothing more is queued"

# The link returns: the outbox replays, the store makes it, the selection follows.
STORE_PORT=$PORT start_store --db "$T/store.db"
keys :
type_text "sync"
keys Enter
# The syncer, backing off while the store was away, may try again on its own
# just before ':sync' and replay the create: then ':sync' says "syncing..."
# over "PRxxx created and selected". Either way the selection follows.
for i in $(seq 300); do
	id=$(sqlite3 "$DB" "SELECT object_id FROM outbox_log WHERE id = $n AND outcome = 'applied'" 2>/dev/null)
	[ -n "$id" ] && break
	sleep 0.1
done
case "$id" in PR*) ok 0 "once the link is back the store makes it ($id)" ;;
*) ok 1 "once the link is back the store makes it (outbox_log: '$id')" ;; esac
expect "$id" "its promotion is listed under the store's id"
is "$(sqlite3 "$DB" "SELECT count(*) FROM promotions WHERE id LIKE 'new-%'")" 0 "the placeholder is gone"
is "$(sd promos show "$id" --format json | jq -r .name)" "离线九折" \
	"the store's promotion is cached under its id"
wait_gone "new-$n"
ok $? "the list no longer shows new-$n"
keys Enter
expect "$id  percentage coupon  draft" "the selection is on the store's promotion"
keys Escape
keys q
done_testing
