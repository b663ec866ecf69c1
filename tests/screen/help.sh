#!/usr/bin/env bash
# help.sh -- the help view (?) at 80x24, in English and in Chinese
# (SHOPDESK_SCRIPT, as inprocess.sh): each key of the pane said in words from
# the command table, keys of one command on one row, grouped by purpose;
# j/k, PgDn/PgUp and g/G scroll it, q and Esc close it; a binding of the
# user's keymap file shows as it is, not the default.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --orders 300
profile admin
PROFILE=admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/admin.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
# The user's own bindings: x ships, and S (ship by default) unbound.
printf 'bind orders x command %s\nunbind orders S\n' "'ship SF '" \
	>"$XDG_CONFIG_HOME/shopdesk/keys"

line() {
	sed -n "${2}p" "$1"
}

run "key 2
key ?
dump $T/h1
key j
key j
dump $T/h2
key <PgDn>
dump $T/h3
key <PgDn>
dump $T/h3b
key G
dump $T/h4
key g
dump $T/h5
key q
dump $T/h6
key ?
key <Esc>
dump $T/h7"
is "$?" 0 "the script runs ($(head -c 200 "$T/run.err"))"
for i in 1 2 3 4 5 6 7; do
	is "$(wc -l <"$T/h$i")" 24 "dump $i has the screen's 24 lines"
done
has "$T/h1" "Keys of Orders, 1-" "the title names the pane and what is shown"
has "$T/h1" "q closes" "the title says how to close it"
is "$(line "$T/h1" 4)" "Moving" "the first group is Moving, under the title"
has "$T/h1" "  j <Down>" "the keys of one command share a row"
has "$T/h1" "next row" "cursor-down in words, from the command table"
hasnt "$T/h1" "cursor-down" "no raw command names"
hasnt "$T/h1" "command 'ship" "no raw command lines"
is "$(line "$T/h2" 4)" "$(line "$T/h1" 6)" "j j scrolls two lines"
is "$(line "$T/h3" 4)" "$(line "$T/h2" 22)" "PgDn scrolls a page but for one line"
# The first page whole, as an agent sees it.
cat >"$T/want" <<'EOF2'
Keys of Orders, 1-19 of 71 (j/k PgDn/PgUp g/G scroll, q closes)
Moving
  j <Down>              next row
  k <Up>                previous row
  <PgDn> <Space> <C-f>  a page down
  <PgUp> <C-b>          a page up
  <C-d>                 half a page down
  <C-u>                 half a page up
  gg <Home>             the first row
  G <End>               the last row

Panes and views
  ? <F1>                the keys of this pane
  1                     the Dashboard pane
  2                     the Orders pane
  3                     the After-sales pane
  4                     the Chats pane
  5                     the Inventory pane
  6                     the Promotions pane
  7                     the Outbox pane
EOF2
sed -n '3,22p' "$T/h1" | sed 's/ *$//' >"$T/got"
diff -u "$T/want" "$T/got" >"$T/diff"
is "$?" 0 "the first page, whole"
sed 's/^/#   /' "$T/diff"
all=$(cat "$T/h1" "$T/h3" "$T/h3b" "$T/h4")
for group in "Panes and views" "Search, filter, sort" "Between related objects" \
    "Actions on the selected row" "The console"; do
	has <(printf '%s\n' "$all") "$group" "the group '$group' is shown on some page"
done
has "$T/h4" "leave the console" "G reaches the last lines (quit is in The console)"
hasnt "$T/h4" "Moving" "... and the first group is scrolled away"
diff -u "$T/h1" "$T/h5" >/dev/null
is "$?" 0 "g goes back to the top"
has <(printf '%s\n' "$all") "  x " "the user's binding x is listed"
has <(printf '%s\n' "$all") "hand an order to the carrier (:ship SF …)" \
	"... as the action it types, in words"
hasnt <(printf '%s\n' "$all") "  S " "the unbound S is not"
hasnt "$T/h6" "Keys of Orders" "q closes the view"
has "$T/h6" "SO1" "... and the orders are back"
hasnt "$T/h7" "Keys of Orders" "Esc closes the view"

RUN_ENV=LANGUAGE=zh_CN run "key 2
key ?
dump $T/z1
key <PgDn>
dump $T/z1b
key <PgDn>
dump $T/z1c
key G
dump $T/z2"
is "$?" 0 "the Chinese script runs ($(head -c 200 "$T/run.err"))"
is "$(wc -l <"$T/z1")" 24 "the Chinese view has 24 lines"
has "$T/z1" "订单的按键，第 1-" "the title in Chinese"
is "$(line "$T/z1" 4)" "移动" "the first group's title in Chinese"
has "$T/z1" "下一行" "cursor-down in Chinese"
has "$T/z2" "退出控制台" "quit in Chinese, at the end"
zall=$(cat "$T/z1" "$T/z1b" "$T/z1c" "$T/z2")
# An action's words come from the action table (src/action.c), translated too.
has <(printf '%s\n' "$zall") "把订单交给承运商发货 (:ship SF …)" \
	"the action x types is described in Chinese, from the action table"
hasnt <(printf '%s\n' "$zall") "hand an order to the carrier" "... not in English"
done_testing
