#!/usr/bin/env bash
# console.sh -- the real console in a private tmux server at 80x24: start,
# panes, scrolling, CJK alignment, Chinese search, the : line with
# completion, a user keymap, resize, hostile text, an action, offline, and
# the console in Chinese.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

start_store --orders 1500
profile admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
ORDERS=$(sqlite3 "$T/admin.db" "SELECT count(*) FROM orders")
OLDEST=$(sqlite3 "$T/admin.db" "SELECT id FROM orders ORDER BY created_at, id LIMIT 1")

# A user keymap: one good override, one bad line (reported, not fatal).
mkdir -p "$XDG_CONFIG_HOME/shopdesk"
cat >"$XDG_CONFIG_HOME/shopdesk/keys" <<'KEYS'
bind generic x pane chats
bind generic y frobnicate
KEYS

console 80 24 "$SHOPDESK" --profile admin
expect " 1 Dash " "the tab bar is drawn"
expect "admin@admin" "the status line shows the user and profile"
expect "keys:2: unknown command 'frobnicate'" "a bad line of the user's keymap is shown with file and line"
expect "online" "the status line says online"

keys 2
expect "Orders [All]" "2 shows the orders"
expect "1/$ORDERS" "the position is shown"
keys 3
expect "After-sales [All]" "3 shows the after-sales tickets"
keys 4
expect "Chats [All]" "4 shows the chats"
keys x
expect "Chats [All]" "the user's binding x opens the chats"

# Scrolling a long list: j x30, G (a reverse read from the end), gg.
keys 2
expect "Orders [All]" "back to the orders"
for i in $(seq 30); do keys j; done
expect "31/$ORDERS" "j x30 moves down 30 rows"
keys G
expect "$ORDERS/$ORDERS" "G goes to the last row"
expect "$OLDEST" "the last row is the oldest order"
keys g g
expect "1/$ORDERS" "gg goes back to the first row"

# Sorting: reversed, named orders, a refused one, the pane's own default.
first_row() { screen | grep -E "^[ *]$1" | head -1 | awk '{ print $1 }' | tr -d '*'; }
keys :
type_text "sort reverse"
keys Enter
expect "(newest first, reversed)" "sort reverse is shown in the title"
wait_for "$OLDEST" >/dev/null
is "$(first_row SO1)" "$OLDEST" "reversed, the oldest order is the first row"
keys j j
expect "3/$ORDERS" "a reversed list moves and counts as any other"
keys :
type_text "sort default"
keys Enter
wait_gone "reversed" >/dev/null
keys 4
keys :
type_text "sort bogus"
keys Enter
expect "cannot be sorted by 'bogus' (they sort by wait, queue)" \
	"an order the pane has not is refused, naming the ones it has"
keys :
type_text "sort q"
keys Tab
expect ":sort queue" "Tab completes the pane's orders"
keys Enter
expect "(by queue, then wait)" "the order is shown in the title"
want=$(sqlite3 "$T/admin.db" "SELECT id FROM conversations ORDER BY queue, sort_key, id LIMIT 1")
wait_for "$want" >/dev/null
is "$(first_row CV)" "$want" "chats by queue: the first row is the first queue's longest wait"
keys :
type_text "sort default"
keys Enter
wait_gone "(by queue" >/dev/null
keys 5
expect "Inventory [All]" "the inventory opens on All"
want=$(sqlite3 "$T/admin.db" "SELECT id FROM skus ORDER BY margin, id LIMIT 1")
wait_for "$want" >/dev/null
is "$(first_row SK1)" "$want" "the inventory lists the SKU nearest to running out first"
keys Tab
expect "Inventory [Low]" "Tab: the Low tab, named as the filter it is"
keys Tab
expect "Inventory [All]" "Tab cycles back to the first tab"
keys 2
expect "Orders [All]" "back to the orders"

# CJK alignment: abnormal orders show FLAG after CUSTOMER; the flag starts at
# the same screen column whether the name is Chinese or Latin.
keys :
type_text "filter abnormal"
keys Enter
expect "[Abnormal]" "filter abnormal from the : line"
cols=$(screen | grep -E '^[ *]SO1' | last_cell_column | sort -u)
has_cjk=$(screen | grep -E '^[ *]SO1' | grep -cP '[\x{4e00}-\x{9fff}]' 2>/dev/null || screen | grep -E '^[ *]SO1' | grep -c '[^ -~]')
has_latin=$(screen | grep -E '^[ *]SO1' | grep -cE '  [A-Z][a-z]+ [A-Z][a-z]+ ')
is "$(echo "$cols" | wc -l)" 1 "the column after CUSTOMER starts at one screen column ($(echo $cols))"
ok "$([ "$has_cjk" -gt 0 ] && [ "$has_latin" -gt 0 ] && echo 0 || echo 1)" \
	"rows with Chinese and with Latin names are compared ($has_cjk, $has_latin)"
keys 0
expect "Orders [All]" "0 clears the filter"

# :filter takes a status as the CLI's --status does, and says no as it does.
keys :
type_text "filter 已发货"
keys Enter
expect "Orders [Shipped]" "filter 已发货 shows the shipped tab"
keys :
type_text "filter Cancelled,CLOSED"
keys Enter
expect "Orders [Cancelled]" "filter Cancelled,CLOSED: the tab that shows both"
keys :
type_text "filter shiped"
keys Enter
expect "unknown order status 'shiped' (did you mean 'shipped'?)" \
	"filter shiped is refused on the message line, with a guess"
expect "Orders [Cancelled]" "and the tab stays"
keys 0
expect "Orders [All]" "0 clears the filter again"

# Search in Chinese: / 张 Enter shows only rows with 张.
keys /
type_text "张"
keys Enter
expect "/张" "the search is shown in the title"
rows=$(screen | grep -cE '^[ *]SO1')
without=$(screen | grep -E '^[ *]SO1' | grep -vc '张')
ok "$([ "$rows" -gt 0 ] && [ "$without" = 0 ] && echo 0 || echo 1)" \
	"only rows with 张 are listed ($rows rows, $without without)"
keys BSpace
wait_gone "/张"
ok $? "Backspace clears the search"
# Keys typed ahead of the list (all sent at once) are read together: the
# list shown is the one of the whole text, without Enter.
keys /
type_text "$OLDEST"
for i in $(seq 100); do
	rows=$(screen | grep -cE '^[ *]SO1')
	[ "$rows" = 1 ] && break
	sleep 0.05
done
is "$rows" 1 "a search typed ahead of the list shows the list of the whole text ($OLDEST)"
keys Escape
wait_gone "/$OLDEST" >/dev/null
ok $? "Esc restores the list before the search"

# The : line with Tab completion of a command and of its argument.
keys :
type_text "toggle-d"
keys Tab
expect ":toggle-detail" "Tab completes a command name"
keys C-u
type_text "pane-"
keys Tab
expect "pane-next pane-prev" "several completions are listed over the status line"
ok "$(screen | grep -c 'online')" "... in place of the status line"
type_text "n"
wait_gone "pane-next pane-prev" >/dev/null
ok $? "the next key puts the status line back"
expect "online" "the status line is back"
keys C-u
type_text "pane st"
keys Tab
expect ":pane stock" "Tab completes an argument (a pane name)"
keys Enter
expect "Inventory [All]" "the command runs: the inventory"

# An action on the selection: queued at once, shown in the outbox.
keys 2
expect "Orders [All]" "orders again"
keys :
type_text "filter awaiting_shipment"
keys Enter
expect "[To ship]" "orders awaiting shipment"
# Oldest first on this tab, and the oldest may be flagged: one that is not.
unflagged=$(sqlite3 "$T/admin.db" "SELECT id FROM orders WHERE status = 'awaiting_shipment'
    AND abnormal IS NULL ORDER BY created_at, id LIMIT 1")
keys /
type_text "$unflagged"
keys Enter
expect "/$unflagged" "an unflagged order to ship is found"
keys :
type_text "ship SF SF1234567890"
keys Enter
expect "queued #1: ship" "ship SF SF1234567890 is queued"
keys BSpace
wait_gone "/$unflagged" >/dev/null
keys :
type_text "ship XX 123"
keys Enter
expect "unknown carrier" "a bad carrier is refused on the message line"
keys 0
expect "Orders [All]" "all orders"
keys r
expect "shown unmasked" "r reveals the selected order"
grep -q " reveal order SO1" "$XDG_STATE_HOME/shopdesk/audit.log" 2>/dev/null
ok $? "the reveal is recorded in the audit log"
keys 7
expect "Outbox" "7 shows the outbox"

# Hostile text from the store: escape sequences and U+202E stay harmless.
title_before=$(tm display -p '#{pane_title}')
cv=$(sqlite3 "$T/admin.db" "SELECT conversation_id FROM messages WHERE body LIKE '%pwned%' LIMIT 1")
keys 4
expect "Chats [All]" "the chats again"
keys /
type_text "$cv"
keys Enter
expect "$cv" "the conversation with hostile messages is found"
keys Enter
expect "customer " "its detail is open"
sleep 0.3
is "$(tm display -p '#{pane_title}')" "$title_before" "an OSC title sequence in a message did not change the title"
expect " 1 Dash " "an ESC[2J in a message did not clear the screen"
bad=$(tm capture-pane -p -e | grep -c "$(printf '\342\200\256')")
is "$bad" 0 "no U+202E reaches the screen"
bad=$(tm capture-pane -p -e | grep -c 'pwned')
is "$bad" 0 "an OSC sequence is removed whole, its text included"
keys Escape
keys Escape

# Resize: larger (full labels, detail beside the list), tiny, back.
tm resize-window -x 120 -y 30
expect " 1 Dashboard " "at 120x30 the tab labels are full"
tm resize-window -x 10 -y 3
sleep 0.3
tm resize-window -x 80 -y 24
expect " 1 Dash " "after 10x3 and back to 80x24 the screen is whole again"
ok "$(screen | grep -c CONSOLE-EXITED | sed 's/^0$/0/;s/^[1-9].*/1/')" "the console survived the resizes"

# The store goes away: the status line says offline.
stop_store
expect "OFFLINE" "killing the store shows the offline indicator"

# q leaves cleanly.
keys q
expect "CONSOLE-EXITED 0" "q quits with status 0"

# In Chinese (gettext with LANGUAGE=zh_CN; the C.UTF-8 locale is enough).
console 80 24 LANGUAGE=zh_CN "$SHOPDESK" --profile admin
expect "2 订单" "LANGUAGE=zh_CN: the tab bar is in Chinese"
keys 2
expect "待发货" "the order statuses are named in Chinese"
# SIGTERM (or SIGHUP from a dropped SSH link): a clean exit, terminal restored.
pid=$(pgrep -P "$(tm display -p '#{pane_pid}')" -f "$SHOPDESK" | head -1)
[ -n "$pid" ] && kill -TERM "$pid"
expect "CONSOLE-EXITED 0" "SIGTERM ends the console cleanly"

done_testing
