#!/usr/bin/env bash
# sla-colour.sh -- the after-sales list's colours, in a real terminal (tmux):
# a ticket whose SLA clock is near breach (less than a quarter of its time
# left) is drawn in the theme's alert attributes, a breached one in the
# error attributes, one on time as the others. The console's time is set
# with the hidden `clock` command; the dumps of tests/screen/sla.sh hold
# the text, this the attributes (capture-pane -e).
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

start_store --orders 300
profile admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
# The cache without a token: no sync thread, so nothing moves under the test.
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/admin.db" >>"$XDG_CONFIG_HOME/shopdesk/config"

# attrs ID: the escape sequences on the row of ticket ID (the text taken out).
attrs() {
	tm capture-pane -e -p | grep -F " $1 " | head -1 | grep -oE $'\e\\[[0-9;]*m' | tr -d '\n' |
		od -An -c | tr -d ' \n'
}

console 80 24 "$SHOPDESK" --profile local
expect " 1 Dash " "the console is up"
keys 3
expect "After-sales [All]" "3 shows the tickets"
keys :
type_text "clock 2026-11-20T08:00:00Z"
keys Enter
expect "AS1000019   exchange       requested        review      36m" \
	"at 08:00 AS1000019's review has 36m of its 4h left"
# AS1000019 is the first row, under the cursor: move the cursor off it.
keys j j j j j j j j
expect "9/40" "the cursor moved down"
warn=$(attrs AS1000019)
fine=$(attrs AS1000036)
ok "$([ -n "$warn" ] && [ "$warn" != "$fine" ] && echo 0 || echo 1)" \
	"near breach, the row is drawn apart from one on time ($warn vs $fine)"
keys :
type_text "clock 2026-11-20T08:36:30Z"
keys Enter
expect "AS1000019   exchange       requested        review      -30s" \
	"at 08:36:30 the review is 30 s overdue"
late=$(attrs AS1000019)
ok "$([ -n "$late" ] && [ "$late" != "$warn" ] && [ "$late" != "$fine" ] && echo 0 || echo 1)" \
	"breached, the row changes again ($late)"
is "$(attrs AS1000036)" "$fine" "a ticket on time keeps its attributes"

# NO_COLOR: the states still differ (bold, reverse), without colours.
console 80 24 env NO_COLOR=1 "$SHOPDESK" --profile local
expect " 1 Dash " "NO_COLOR: the console is up"
keys 3
keys :
type_text "clock 2026-11-20T08:00:00Z"
keys Enter
expect "review      36m" "NO_COLOR: the clock set"
keys j j j j j j j j
expect "9/40" "NO_COLOR: the cursor moved down"
ok "$([ "$(attrs AS1000019)" != "$(attrs AS1000036)" ] && echo 0 || echo 1)" \
	"NO_COLOR: near breach still stands out ($(attrs AS1000019))"

done_testing
