#!/usr/bin/env bash
# promo-create.sh -- the real console in a private tmux server at 120x30 (the
# detail beside the list), online as ops1: a promotion created with :create
# in the Promotions pane is selected once the store has made it, with its
# detail shown and the message line saying so; the same for one made with
# the form (+ in the pane).
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

start_store --seed 12 --orders 300
profile ops1
PROFILE=ops1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }

console 120 30 "$SHOPDESK" --profile ops1
expect "online" "the console is online"
keys 6
expect "Promotions [All]" "6 shows the promotions"
keys :
type_text "create 全场九折新品 percent_coupon --percent-off 10 --starts tomorrow --ends +7d"
keys Enter
expect "created and selected" "the message line says the new promotion is selected"
id=$(screen | grep -o 'PR[0-9]* created and selected' | cut -d' ' -f1)
[ -n "$id" ]
ok $? "it names it ($id)"
expect " $id  percentage coupon  " "the detail beside the list is the new promotion's"
expect " name       全场九折新品" "... with its name"
screen | grep -E "^ $id +全场九折新品 +percenta.* draft " | grep -q .
ok $? "its row is listed as a draft"
sd promos show "$id" --format json >"$T/p.json"
is "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/p.json'), '\$.rules.percent_off') || ' ' ||
	(json_extract(readfile('$T/p.json'), '\$.rules.max_off') IS NULL)")" "10 1" \
	"created 10 % off, uncapped"

# The same through the form (+): the kind completed with Tab, each field
# with Enter, C-x queues it; once the store made it, it is selected.
keys +
expect "New promotion" "+ opens the form"
type_text "fix"
keys Tab
expect "Kind         fixed_coupon" "Tab completes the kind"
keys Enter
type_text "立减8元"
keys Enter
type_text "tomorrow 20:00"
keys Enter
type_text "+7d"
keys Enter Enter
type_text "8"
keys C-x
expect "created and selected" "the form's promotion is selected once the store made it"
id2=$(screen | grep -o 'PR[0-9]* created and selected' | cut -d' ' -f1)
[ -n "$id2" ] && [ "$id2" != "$id" ]
ok $? "another one ($id2)"
expect " name       立减8元" "the detail beside the list is the form's promotion"
sd promos show "$id2" --format json >"$T/p2.json"
is "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/p2.json'), '\$.kind') || ' ' ||
	json_extract(readfile('$T/p2.json'), '\$.rules.off')")" "fixed_coupon 800" \
	"created 8 yuan off"
keys q
done_testing
