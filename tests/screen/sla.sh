#!/usr/bin/env bash
# sla.sh -- the after-sales pane's SLA at 80x24, as of a fixed time: the
# SLA and DUE columns name the clock that runs and its time left (one model,
# src/sla.h), the list is ordered by it, a kind tab (K, :filter kind=...)
# keeps one kind, and a ticket crosses into breach when the clock passes its
# due time (the console's clock set with the hidden `clock` command).
# Whole screens are compared: the store seeds deterministically (--now).
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"
RUN_TZ=UTC

start_store --orders 300
profile admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
# The cache without a token: no sync thread, so nothing moves under the script.
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/admin.db" >>"$XDG_CONFIG_HOME/shopdesk/config"

# same FILE DESCRIPTION: the dump is the screen given on standard input.
same() {
	cat >"$T/want"
	if diff -u "$T/want" "$1" >"$T/diff"; then
		ok 0 "$2"
	else
		ok 1 "$2"
		sed 's/^/#   /' "$T/diff"
	fi
}

run ":clock 2026-11-20T08:00:00Z
key 3
:dump-screen $T/list
key K K
:dump-screen $T/kind
:filter kind=all
:clock 2026-11-20T08:36:30Z
:dump-screen $T/breach
key <Enter>
:dump-screen $T/detail"
is "$?" 0 "the script runs to its end ($(head -c 200 "$T/run.err"))"

# The list: each open ticket's running clock and its time left, least first;
# AS1000019's review is nearly out (the store's seed puts one ticket so).
same "$T/list" "80x24: the SLA and DUE columns name the clock that runs and its time left" <<'SCREEN'
 1 Dash  2 Orders  3 After  4 Chats  5 Stock  6 Promo  7 Outbox  8 Cust
After-sales [All]                                                          1/40
 ID          KIND           STATUS           SLA         DUE      CUSTOMER
 AS1000019   exchange       requested        review      36m      王文博
 AS1000034   complaint      requested        response    53m      赵美玲
 AS1000029   logistics pr…  requested        response    1h23m    李明轩
 AS1000036   return and r…  requested        review      2h36m    姜晓燕
 AS1000025   refund only    requested        review      2h45m    王泽宇
 AS1000037   reship         requested        review      3h42m    何春生
 AS1000020   return and r…  received         resolution  13h50m   林玉兰
 AS1000039   exchange       awaiting return  pickup      22h12m   Eric Mill…
 AS1000026   logistics pr…  in progress      resolution  22h49m   冯磊
 AS1000024   refund only    approved         resolution  22h49m   冯磊
 AS1000031   return and r…  awaiting return  pickup      23h09m   吴安琪
 AS1000035   reship         approved         resolution  23h10m   赵美玲
 AS1000030   complaint      solution propo…  resolution  1d       何春生
 AS1000033   complaint      in progress      resolution  1d       卢浩然
 AS1000040   reship         rejected         met                  林秀英
 AS1000038   return and r…  rejected         met                  贺磊
 AS1000022   logistics pr…  resolved         met                  林秀英
 AS1000023   refund only    refunded         met                  崔雪
 AS1000017   return and r…  refunded         met                  林玉兰
 admin@local  offline (no sync)  0 pending  ⚠ 19 waiting 32m   2 SLA

SCREEN

# K K: the second kind tab, return and refund, shown in the title.
same "$T/kind" "K cycles the kind tab: return and refund only, said in the title" <<'SCREEN'
 1 Dash  2 Orders  3 After  4 Chats  5 Stock  6 Promo  7 Outbox  8 Cust
After-sales [All] <return and refund>                                       1/7
 ID          KIND           STATUS           SLA         DUE      CUSTOMER
 AS1000036   return and r…  requested        review      2h36m    姜晓燕
 AS1000020   return and r…  received         resolution  13h50m   林玉兰
 AS1000031   return and r…  awaiting return  pickup      23h09m   吴安琪
 AS1000038   return and r…  rejected         met                  贺磊
 AS1000017   return and r…  refunded         met                  林玉兰
 AS1000018   return and r…  closed                                谢丽
 AS1000003   return and r…  closed                                贾丽华












 admin@local  offline (no sync)  0 pending  ⚠ 19 waiting 32m   2 SLA

SCREEN

# 36 min 30 s later, every kind again: AS1000019's review is 30 s overdue.
same "$T/breach" "the review passes its due time: -30s, and the status line counts one more SLA" <<'SCREEN'
 1 Dash  2 Orders  3 After  4 Chats  5 Stock  6 Promo  7 Outbox  8 Cust
After-sales [All]                                                          1/40
 ID          KIND           STATUS           SLA         DUE      CUSTOMER
 AS1000019   exchange       requested        review      -30s     王文博
 AS1000034   complaint      requested        response    17m      赵美玲
 AS1000029   logistics pr…  requested        response    47m      李明轩
 AS1000036   return and r…  requested        review      2h00m    姜晓燕
 AS1000025   refund only    requested        review      2h09m    王泽宇
 AS1000037   reship         requested        review      3h05m    何春生
 AS1000020   return and r…  received         resolution  13h13m   林玉兰
 AS1000039   exchange       awaiting return  pickup      21h35m   Eric Mill…
 AS1000026   logistics pr…  in progress      resolution  22h12m   冯磊
 AS1000024   refund only    approved         resolution  22h13m   冯磊
 AS1000031   return and r…  awaiting return  pickup      22h33m   吴安琪
 AS1000035   reship         approved         resolution  22h34m   赵美玲
 AS1000030   complaint      solution propo…  resolution  1d       何春生
 AS1000033   complaint      in progress      resolution  1d       卢浩然
 AS1000040   reship         rejected         met                  林秀英
 AS1000038   return and r…  rejected         met                  贺磊
 AS1000022   logistics pr…  resolved         met                  林秀英
 AS1000023   refund only    refunded         met                  崔雪
 AS1000017   return and r…  refunded         met                  林玉兰
 admin@local  offline (no sync)  0 pending  ⚠ 27 waiting 1h08m   3 SLA

SCREEN
same "$T/detail" "the detail: the clock in words, each clock with its due time" <<'SCREEN'
 1 Dash  2 Orders  3 After  4 Chats  5 Stock  6 Promo  7 Outbox  8 Cust
After-sales [All]                                                          1/40
AS1000019  exchange  requested
order      SO10000229
customer   王文博 (C100022)
priority   normal
assignee   -
SLA        review overdue 30s (overdue)
review     11-20 16:36 (overdue 30s)
resolution 11-23 12:36
paid       ¥48.00
refunded   ¥0.00
refundable ¥48.00
reason     颜色不喜欢
says       The 活着 arrived damaged, photos attached. Please advise.

History
11-20 12:36  requested  C100022  颜色不喜欢




 admin@local  offline (no sync)  0 pending  ⚠ 27 waiting 1h08m   3 SLA

SCREEN

# In Chinese: the kind tab and the clocks' names.
RUN_ENV=LANGUAGE=zh_CN run ":clock 2026-11-20T08:00:00Z
key 3
:filter kind=退货退款
:dump-screen $T/zh"
is "$?" 0 "zh_CN: the script runs to its end ($(head -c 200 "$T/run.err"))"
grep -qF '<退货退款>' "$T/zh"
ok $? "zh_CN: :filter kind=退货退款 shows the kind tab in Chinese"
grep -E '^ AS1000031 ' "$T/zh" | grep -qF '取件'
ok $? "zh_CN: the awaiting return's clock is the pickup, 取件"
grep -E '^ AS1000036 ' "$T/zh" | grep -qF '审核'
ok $? "zh_CN: the requested return's clock is the review, 审核"

# A kind no ticket has is refused, naming the kinds.
# (A key bound to dump-screen: a : line would clear the message line.)
run ":clock 2026-11-20T08:00:00Z
:bind generic <F9> dump-screen $T/bad
key 3
:filter kind=refnd
key <F9>"
grep -q "unknown ticket kind 'refnd'" "$T/bad"
ok $? "a kind that is none is refused on the message line ($(grep -o 'unknown.*' "$T/bad" | head -c 100))"

done_testing
