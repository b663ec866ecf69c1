#!/usr/bin/env bash
# category-tree.sh -- the category tree (商品类目) over the Inventory and the
# Orders lists, in-process at 80x24 in English and Chinese (inproc.sh). c in
# the Inventory opens the tree with the top level open; l opens a branch, h
# closes it, j/k move, Enter filters the list by the category and the ones
# below it (the title says which), the "(all categories)" row clears it;
# :category PATH filters at once, :category - clears, Tab completes paths;
# a search for a category's name finds the SKUs under it; a, r and D in the
# tree queue a create under it, a rename, or say why a delete cannot be;
# outside Inventory and Orders, and for a category the cache does not know,
# it says why.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --seed 5 --orders 200
profile ops1
PROFILE=ops1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/ops1.db"
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$DB" >>"$XDG_CONFIG_HOME/shopdesk/config"
# The SKUs under 键盘 and under 电脑外设, as the CLI counts them.
n_kb=$(sd stock list --category 手机数码/电脑外设/键盘 --all --format json | json_count)
n_pc=$(sd stock list --category 手机数码/电脑外设 --all --format json | json_count)
n_all=$(sd stock list --all --format json | json_count)
low_pc=$(sd stock list --category 手机数码/电脑外设 --low --all --format json | json_count)
low_all=$(sd stock list --low --all --format json | json_count)
[ "$n_kb" -gt 0 ] && [ "$n_pc" -gt "$n_kb" ] && [ "$n_all" -gt "$n_pc" ]
ok $? "键盘 has $n_kb SKUs, 电脑外设 $n_pc, the store $n_all"

# --- the tree: open, move, filter, clear -------------------------------------------------
run ":pane stock
key c
:dump-screen $T/tree
key q
:category 手机数码/电脑外设
:dump-screen $T/pc
key c
:dump-screen $T/at
key l
:dump-screen $T/opened
key j
key <Enter>
:dump-screen $T/kb
key c
key h
key h
:dump-screen $T/closed
key g
key <Enter>
:dump-screen $T/cleared
:search 电脑外设
:dump-screen $T/search"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/tree" "Categories (商品类目): Enter filters" "c opens the category tree"
has "$T/tree" "(all categories)" "... with a row that clears the filter"
grep -qE '^ +▾ 手机数码  \([0-9]+\)' "$T/tree"
ok $? "... the top level open, with products counted below"
grep -qE '^ +▸ 电脑外设  \(2\)' "$T/tree"
ok $? "... the second level shown closed"
hasnt "$T/tree" "键盘" "... and nothing below it"
has "$T/pc" "category: 手机数码 / 电脑外设" ":category PATH filters: the title says which"
has "$T/pc" "1/$n_pc" "... and the list holds its subtree's $n_pc SKUs"
[ "$low_pc" != "$low_all" ] && grep -q " $low_pc low · [0-9]* out of stock" "$T/pc"
ok $? "... and the title counts its $low_pc low SKUs, not the store's $low_all"
grep -q " $low_all low · [0-9]* out of stock" "$T/cleared"
ok $? "cleared, the title counts the store's $low_all again"
grep -qE '^>\* +▸ 电脑外设' "$T/at"
ok $? "the tree opens on the filter's category, marked, the cursor on it"
grep -qE '^ +键盘  \(1\)' "$T/opened"
ok $? "l opens the branch: 键盘 below it"
has "$T/kb" "category: 手机数码 / 电脑外设 / 键盘" "j, Enter: filtered by 键盘"
has "$T/kb" "1/$n_kb" "... its $n_kb SKUs"
grep -qE '^ +键盘  ' "$T/closed"
ok $((! $?)) "h on a leaf goes to its parent, h again closes it"
grep -qE '^> +▸ 电脑外设' "$T/closed"
ok $? "... the cursor on it"
hasnt "$T/cleared" "category:" "the (all categories) row clears the filter"
has "$T/cleared" "1/$n_all" "... every SKU again"
has "$T/search" "1/$n_pc" "/电脑外设 finds the SKUs under it by the category's name"

# --- Orders, completion, refusals ------------------------------------------------------
run ":pane orders
:category 电脑外设
:dump-screen $T/orders
:category -
:dump-screen $T/orders-all
:pane chats
:category 电脑外设
:messages
:dump-screen $T/chats
key q
:pane stock
:category 没有
:messages
:dump-screen $T/unknown
key q
key :
type category 手机数码/电脑外设/
key <Tab>
key <Tab>
dump $T/complete
key <Esc>"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
n_orders=$(sd orders list --category 电脑外设 --all --format json | json_count)
has "$T/orders" "category: 手机数码 / 电脑外设" "the Orders pane filters by category too"
has "$T/orders" "1/$n_orders" "... the $n_orders orders with an item of it"
hasnt "$T/orders-all" "category:" ":category - clears it"
has "$T/chats" "category: only in the Inventory (5) and Orders (2) panes" \
	"elsewhere it says where it works"
has "$T/unknown" 'no category "没有"' "an unknown category says so"
has "$T/complete" "手机数码/电脑外设/键盘" "Tab completes a path"

# --- 中文 --------------------------------------------------------------------------------
RUN_ENV=LANGUAGE=zh_CN run ":pane stock
:category 手机数码/电脑外设
key c
key l
:dump-screen $T/zh"
is "$?" 0 "the console runs in Chinese ($(head -c 200 "$T/run.err"))"
grep -qE '^>\* +▾ 电脑外设' "$T/zh" && grep -qE '^ +鼠标  \(1\)' "$T/zh"
ok $? "the tree in Chinese: the filter's branch open, 鼠标 below it"
has "$T/zh" "手机数码 / 电脑外设" "... and the filter in the title"

# --- writes from the tree: a, r, D through the outbox --------------------------------------
queued() { sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE state != 'done'"; }
bodies() { sqlite3 "$DB" "SELECT action || ' ' || coalesce(object_id, '-') || ' ' || body
	FROM outbox WHERE state != 'done' ORDER BY id"; }
base=$(queued)
run ":pane stock
:category 手机数码/电脑外设
key c
:dump-screen $T/keys
key a
type 显示器
key <Enter>
key r
type 外设
key <Enter>
:dump-screen $T/renamed
key D
key <Enter>
:messages
:dump-screen $T/inuse"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/keys" "a: new under it  r: rename  m: move  D: delete" "the tree says its write keys"
is "$(( $(queued) - base ))" 2 "a and r queued a create and a rename"
is "$(bodies | tail -2 | tr '\n' ';')" \
	'create - {"name":"显示器","parent_id":"CG119"};rename CG119 {"name":"外设"};' \
	"... the create under the cursor's category, the rename of it"
grep -qE '^>\* +▸ 外设  ' "$T/renamed"
ok $? "the tree shows the new name at once, the cursor on it"
has "$T/renamed" "category: 手机数码 / 外设" "... and so does the title"
has "$T/inuse" "in_use: 手机数码 / 外设 holds 3 subcategories" \
	"D on a category with subcategories says why not"
has "$T/inuse" "显示器 (new-1)" "... counting the one just queued, shown at once as new-1"

done_testing
