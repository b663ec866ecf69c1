#!/usr/bin/env bash
# outbox.sh -- the outbox pane's edit in the real console at 80x24: e on an
# entry in conflict opens the : line with its action as typed, Enter queues
# the edited action in the entry's place and the store gets the edited value
# (before the entry queued after it); an edit the cached object refuses, a
# typo, Esc and an entry still waiting leave the outbox as it was. Then Tab
# on the : line: a carrier by option, an order id, a canned reply's shortcut.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

start_store --orders 1500 --db "$T/store.db"
profile admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/admin.db"
set -- $(sqlite3 "$DB" "SELECT id FROM orders WHERE status = 'awaiting_shipment'
	AND abnormal IS NULL ORDER BY id LIMIT 2")
A=$1 B=$2
[ -n "$B" ] || { echo "Bail out! no two orders to ship"; exit 1; }

# order ID: the store's order as JSON.
order() {
	api admin GET "/v1/orders/$1" | head -1
}

# store_write LOGIN PATH BODY ID: an action on the store as someone else, on
# the order's current version.
store_write() {
	local v
	v=$(jget "$(order "$4")" '$.version')
	api "$1" POST "$2" "$3" "Idempotency-Key: test-$RANDOM-$RANDOM" "If-Match: $v" >/dev/null
}

# escape GONE: Esc, then wait until GONE is off the screen (a key sent at once
# after Esc would make it Meta with that key).
escape() {
	keys Escape
	wait_gone "$1"
}

# entry N FIELD: a member of outbox entry N as `outbox show --format json` gives it.
entry() {
	jget "$(sd outbox show "$1" --format json 2>/dev/null)" "$2"
}

# Offline: ship A and B, then a note on A that must follow A's shipment.
stop_store
sd ship "$A" --carrier SF --tracking SF1000000001 >/dev/null 2>&1
sd ship "$B" --carrier SF --tracking SF1000000002 >/dev/null 2>&1
sd orders note "$A" --text "发货后备注" >/dev/null 2>&1
is "$(sd outbox list --format json | json_count)" 3 "three actions queued offline"
# And a SKU of a product whose create is then dropped: the store never sees
# it, and the push refuses it (state failed), which is not a conflict.
sd products create --title "无类目" --category 服装 >/dev/null 2>&1
sd stock create --product @4 --spec "颜色=白色" --price 10 >/dev/null 2>&1
sd outbox drop 4 >/dev/null 2>&1
is "$(sd outbox list --format json | json_count)" 4 "... and a SKU of a dropped product"

# Meanwhile someone else notes A and cancels B on the store.
STORE_PORT=$PORT start_store --db "$T/store.db"
store_write admin "/v1/orders/$A/note" '{"text":"仓库改过"}' "$A"
store_write admin "/v1/orders/$B/cancel" '{"reason":"买家要求"}' "$B"
is "$(jget "$(order "$B")" '$.status')" cancelled "B is cancelled on the store"

console 80 24 "$SHOPDESK" --profile admin
expect "online" "the console is online"
keys 7
expect "Outbox" "7 shows the outbox"
expect "waiting for #1" "the note on A waits behind the shipment in conflict"
n=$(screen | grep -c ' conflict ')
is "$n" 2 "both shipments are in conflict"
screen | tail -2 | grep -q " 1 pending, 2 conflicts, 1 refused "
ok $? "the status line counts conflicts and the refusal apart ($(screen | tail -2 | head -1))"

# The detail of an entry in conflict offers e.
keys Enter
expect "e: edit" "the detail of a conflict says e: edit"
escape "e: edit"

# An entry still waiting to be sent cannot be edited.
keys j j
keys e
expect "#3 is still waiting to be sent; drop it or let it go" \
	"e on a queued entry is refused with the reason"
keys g g

# e: the : line with the action and its arguments as they are typed.
keys e
expect ":edit 1 ship SF SF1000000001" "e opens the : line with the entry's action as typed"

# Esc leaves everything as it was.
escape ":edit 1"
ok $? "Esc closes the line"
is "$(entry 1 '$.state')" conflict "after Esc #1 is still in conflict"
is "$(entry 1 '$.body')" '{"carrier":"SF","tracking_no":"SF1000000001"}' \
	"with its body unchanged"

# A typo in the edit is refused and the entry stays.
keys e
expect ":edit 1 ship SF SF1000000001" "e again"
keys C-w
type_text "SF12"
keys Enter
expect "#1 kept as it was: tracking number 'SF12'" "a bad tracking number is refused, the entry kept"
is "$(entry 1 '$.state')" conflict "#1 is still in conflict"

# The edit: a new tracking number, queued in #1's place.
keys e
expect ":edit 1 ship SF SF1000000001" "e once more"
keys C-w
type_text "SF2000000001"
keys Enter
expect "#1 edited: ship $A via SF SF2000000001" "Enter queues the edit in the entry's place"
i=0
while [ "$(jget "$(order "$A")" '$.note')" != "发货后备注" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
a=$(order "$A")
is "$(jget "$a" '$.status') $(jget "$a" '$.shipment.tracking_no')" "shipped SF2000000001" \
	"the store shipped A with the edited tracking number"
is "$(jget "$a" '$.note')" "发货后备注" "and the note queued after it followed it"
logged=$(sqlite3 "$DB" "SELECT id FROM outbox_log WHERE outcome = 'dropped' ORDER BY id DESC LIMIT 1")
is "$(entry "$logged" '$.body')" '{"carrier":"SF","tracking_no":"SF1000000001"}' \
	"the old version is in the log (#$logged)"
case $(entry "$logged" '$.reason') in
"dropped at "*"edited, now #1"*) ok 0 "logged as dropped, edited" ;;
*) ok 1 "logged as dropped, edited ($(entry "$logged" '$.reason'))" ;;
esac
is "$(sd outbox list --format json | json_count)" 2 "only B's shipment and the refused SKU are left in the outbox"

# An edit the cached object refuses (B is cancelled) leaves the entry as it was.
expect " conflict " "B's entry is listed"
keys e
expect ":edit 2 ship SF SF1000000002" "e on B's entry"
keys C-w
type_text "SF2000000002"
keys Enter
expect "#2 kept as it was: cannot ship order $B: it is cancelled" \
	"the edit is refused with the reason"
is "$(entry 2 '$.state')" conflict "#2 stays in conflict"
is "$(entry 2 '$.body')" '{"carrier":"SF","tracking_no":"SF1000000002"}' "unchanged"
is "$(jget "$(order "$B")" '$.status')" cancelled "and nothing reached the store"

# Tab in an edit completes the action's own arguments.
keys e
expect ":edit 2 ship" "e opens the edit again"
keys C-u
type_text "edit 2 ship --carrier Z"
keys Tab
expect ":edit 2 ship --carrier ZTO" "Tab completes a carrier given by option in an edit"
escape ":edit 2"

# --- completion on the : line ------------------------------------------------------
# An order id whose prefix without its last character is its own.
O=$(sqlite3 "$DB" "SELECT id FROM orders o WHERE (SELECT count(*) FROM orders p
	WHERE p.id >= substr(o.id, 1, length(o.id) - 1) AND p.id < o.id || 'z'
	AND substr(p.id, 1, length(o.id) - 1) = substr(o.id, 1, length(o.id) - 1)) = 1
	ORDER BY id DESC LIMIT 1")
keys 2
expect "Orders [" "the orders"
keys :
type_text "ship --tracking SF3000000001 --carrier Z"
keys Tab
expect ":ship --tracking SF3000000001 --carrier ZTO" "Tab completes a carrier by option"
keys C-u
type_text "search ${O%?}"
keys Tab
expect ":search $O" "Tab completes an order id to search for"
escape ":search"
keys 3
expect "After-sales [" "the tickets"
keys :
type_text "create ${O%?}"
keys Tab
expect ":create $O" "Tab completes the order id of a ticket to create"
escape ":create"
keys 4
expect "Chats [" "the chats"
keys :
type_text "send /del"
keys Tab
expect ":send /delay" "Tab completes a canned reply's shortcut"
escape ":send"

keys q
expect "CONSOLE-EXITED 0" "q quits"
done_testing
