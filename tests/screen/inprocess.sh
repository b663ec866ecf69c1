#!/usr/bin/env bash
# inprocess.sh -- the console driven by a script of keys (SHOPDESK_SCRIPT):
# it draws to a terminal on /dev/null, takes each line of keys when the last
# one's frame is drawn, and `:dump-screen FILE` writes the screen as text.
# No pseudo-terminal and no waiting: the dumps are compared as they are.
# (tests/screen/console.sh does the same through tmux, for what only a real
# terminal shows: escape decoding, resize, signals.)
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --orders 1500
profile admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
ORDERS=$(sqlite3 "$T/admin.db" "SELECT count(*) FROM orders")
# The cache without a token: no sync thread, so nothing moves under the script.
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/admin.db" >>"$XDG_CONFIG_HOME/shopdesk/config"

run "# the orders, three rows down, a search in Chinese, chats by queue
key 2
:dump-screen $T/d1
key j j j
:dump-screen $T/d2
key /
type 张
key <Enter>
:dump-screen $T/d3
key 4
:sort queue
:dump-screen $T/d4
key 7
:dump-screen $T/d5"
is "$?" 0 "a script runs to its end and the console exits 0 ($(head -c 200 "$T/run.err"))"
for i in 1 2 3 4 5; do
	ok "$([ -s "$T/d$i" ] && [ "$(wc -l <"$T/d$i")" -eq 24 ] && echo 0 || echo 1)" \
		"dump $i has the screen's 24 lines"
done
has "$T/d1" "Orders [All]" "2 shows the orders"
has "$T/d1" "1/$ORDERS" "the first row of $ORDERS, counted"
has "$T/d2" "4/$ORDERS" "j j j moves three rows"
first=$(sqlite3 "$T/admin.db" "SELECT id FROM orders ORDER BY created_at DESC, id DESC LIMIT 1")
has "$T/d1" " $first " "the newest order is on the first screen"
rows=$(grep -cE '^[ *]SO1' "$T/d3")
without=$(grep -E '^[ *]SO1' "$T/d3" | grep -vc '张')
ok "$([ "$rows" -gt 0 ] && [ "$without" -eq 0 ] && echo 0 || echo 1)" \
	"the search for 张 lists only rows with 张 ($rows rows, $without without)"
has "$T/d3" "/张" "the search is in the title"
has "$T/d4" "(by queue, then wait)" "chats sorted by queue, said in the title"
want=$(sqlite3 "$T/admin.db" "SELECT id FROM conversations ORDER BY queue, sort_key, id LIMIT 1")
is "$(grep -E '^[ *]CV1' "$T/d4" | head -1 | awk '{ print $1 }' | tr -d '*')" "$want" \
	"the first chat is the first queue's longest wait"
has "$T/d5" "Outbox" "7 shows the outbox"
ok "$(grep -c 'dump-screen' "$T/d1" | sed 's/^[1-9].*/1/')" \
	"the dump is taken once the prompt is gone"

# In Chinese: the same console, LANGUAGE=zh_CN.
RUN_ENV=LANGUAGE=zh_CN run "key 2
:dump-screen $T/zh"
has "$T/zh" "订单 [全部]" "in zh_CN the orders' title and tabs are Chinese"
# ... and so are the : line's refusals, whole.
RUN_ENV=LANGUAGE=zh_CN run "key 4
:rename 新名字
dump $T/zhno
:filter shiped
dump $T/zhfilter"
has "$T/zhno" "'rename' 不是在线客服的操作（它用于 categories）" "in zh_CN an action of another pane is refused in Chinese"
has "$T/zhfilter" "未知的会话状态 'shiped'；可选：new, open" "... and an unknown filter, with the valid ones"

# A bad line stops the script with its file and line; what came before ran.
run "key 2
key <Nope>
:dump-screen $T/never"
is "$?" 1 "a bad script line exits 1"
grep -q "script:2: " "$T/run.err"
ok $? "... naming the file and line ($(head -c 120 "$T/run.err"))"
ok "$([ -e "$T/never" ] && echo 1 || echo 0)" "... and nothing after it runs"

done_testing
