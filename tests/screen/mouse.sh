#!/usr/bin/env bash
# mouse.sh -- the mouse in the console at 80x24 (SHOPDESK_SCRIPT, as
# inprocess.sh, whose `mouse WHAT X Y` lines are events as curses decodes
# them): a click on a tab shows its pane, a click on a row selects it, a
# double click opens it as Enter does, the wheel moves three rows (and
# scrolls the help); `:mouse off` and `mouse = no` leave it to the terminal.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --orders 300
profile admin
PROFILE=admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/admin.db" >>"$XDG_CONFIG_HOME/shopdesk/config"

line() {
	sed -n "${2}p" "$1"
}
# pos FILE: the list's position shown at the end of the title line (3/300).
pos() {
	line "$1" 2 | awk '{print $NF}'
}
# The order on screen line N (from 1) of a dump.
row_id() {
	line "$1" "$2" | grep -oE 'SO[0-9]+' | head -1
}

# Screen lines from 0: the tabs, the pane's title, the list's header, rows.
run "key 2
dump $T/m0
mouse click 30 5
dump $T/m1
mouse wheel-down 30 10
dump $T/m2
mouse wheel-up 30 10
mouse wheel-up 30 10
dump $T/m3
mouse double 30 4
dump $T/m4"
is "$?" 0 "the script runs ($(head -c 200 "$T/run.err"))"
is "$(pos "$T/m0")" "1/300" "Orders opens on its first row"
is "$(pos "$T/m1")" "3/300" "a click on the third row's line selects it"
is "$(pos "$T/m2")" "6/300" "a notch of the wheel down moves three rows"
is "$(pos "$T/m3")" "1/300" "two notches up go back to the top, no further"
second=$(row_id "$T/m0" 5)
is "$(line "$T/m4" 3 | awk '{print $1}')" "$second" \
	"a double click on the second row ($second) opens its detail, as Enter"
hasnt "$T/m4" " ID " "... in place of the list (80 columns)"
is "$(pos "$T/m4")" "2/300" "... having selected it"

# The tabs at 80 columns: " 1 Dash  2 Orders ... 5 Stock ..."; click on "Stock".
x=$(line "$T/m0" 1 | awk '{ print index($0, "5 Stock") + 3 }')
ok "$([ "$x" -gt 3 ] && echo 0 || echo 1)" "the tab bar shows 5 Stock (column $x)"
run "key 2
mouse click $x 0
dump $T/t1
mouse click 0 0
dump $T/t2
mouse click 79 0
dump $T/t3"
is "$?" 0 "the tab script runs ($(head -c 200 "$T/run.err"))"
is "$(line "$T/t1" 2 | awk '{print $1}')" "Inventory" "a click on the Stock tab shows Inventory"
has "$T/t2" "Figure" "a click on the first column shows the first tab, the Dashboard"
is "$(line "$T/t3" 2)" "$(line "$T/t2" 2)" "a click right of the last tab changes nothing"

# The wheel over the help scrolls it; a click there does nothing.
run "key 2
key ?
mouse wheel-down 30 10
dump $T/h1
mouse click 30 10
dump $T/h2"
is "$?" 0 "the help script runs ($(head -c 200 "$T/run.err"))"
has "$T/h1" "Keys of Orders, 4-" "the wheel scrolls the help three lines"
has "$T/h2" "Keys of Orders, 4-" "a click leaves the help as it is"

# Off for the session, then in the configuration: clicks and the wheel do nothing.
run "key 2
:mouse off
dump $T/o1
mouse click 30 5
mouse wheel-down 30 10
mouse click $x 0
dump $T/o2
:mouse on
mouse click 30 5
dump $T/o3
:mouse maybe
dump $T/o4"
is "$?" 0 "the mouse off script runs ($(head -c 200 "$T/run.err"))"
has "$T/o1" "the mouse is left to the terminal" "mouse off says what it means"
is "$(pos "$T/o2")" "1/300" "off: a click and the wheel move nothing"
has "$T/o2" "Orders [" "off: a click on a tab changes no pane"
is "$(pos "$T/o3")" "3/300" "mouse on: a click selects again"
has "$T/o4" "mouse on or mouse off, not 'maybe'" "a bad argument is refused, saying why"

printf 'mouse = no\n' >"$T/pre"
cat "$XDG_CONFIG_HOME/shopdesk/config" >>"$T/pre"
mv "$T/pre" "$XDG_CONFIG_HOME/shopdesk/config"
run "key 2
mouse click 30 5
dump $T/c1"
is "$?" 0 "the mouse = no script runs ($(head -c 200 "$T/run.err"))"
is "$(pos "$T/c1")" "1/300" "mouse = no: a click selects nothing"
done_testing
