#!/usr/bin/env bash
# dashboard.sh -- the dashboard at 80x24 for an agent, as of a fixed time
# (the console's `clock`): beside the store's figures, "You today" with the
# agent's chats handled, first responses and breached tickets (kpi.h), the
# same figures `shopdesk agent stats` gives. The whole screen is compared:
# the store seeds deterministically (--now).
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"
RUN_TZ=UTC

start_store --orders 300
profile agent1
PROFILE=agent1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
# The cache without a token: no sync thread, so nothing moves under the script.
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/agent1.db" >>"$XDG_CONFIG_HOME/shopdesk/config"

run ":clock 2026-11-20T08:00:00Z
:dump-screen $T/dash"
is "$?" 0 "the script runs to its end ($(head -c 200 "$T/run.err"))"
cat >"$T/want" <<'SCREEN'
 1 Dash  2 Orders  3 After  4 Chats  5 Stock  6 Promo  7 Outbox  8 Cust
Dashboard
Today
today           4 orders        1 paid    GMV ¥727.00  AOV ¥727.00
yesterday       6 orders        5 paid    GMV ¥2364.80  AOV ¥472.96
last week       4 orders        4 paid    GMV ¥13936.00  AOV ¥3484.00

Needs someone now
chats      27 waiting, 19 for more than 30 s
longest    32m
tickets    14 with a running SLA, 2 near breach, 0 breached
orders     0 to ship, 1 abnormal
stock      43 SKUs low
outbox     0 pending, 0 in conflict, 0 refused

You today (agent1)
chats      10 handled, first response 1m on average, 10% within 30 s (1/10)
SLA        2 breached, 0 still open

2 Orders  3 After-sales  4 Chats  5 Inventory  6 Promotions  7 Outbox  : command
  ? keys  q quit

 agent1@local  offline (no sync)  0 pending  ⚠ 19 waiting 32m   2 SLA

SCREEN
diff -u "$T/want" "$T/dash" >"$T/diff"
ok $? "80x24: the agent's own day below what needs someone now"
sed 's/^/#   /' "$T/diff"

# The next day (no chats yet): the figures start again from midnight.
run ":clock 2026-11-21T00:10:00Z
:dump-screen $T/next"
grep -qF 'chats      0 handled' "$T/next"
ok $? "after midnight: 0 chats handled ($(grep -F 'handled' "$T/next"))"

RUN_ENV=LANGUAGE=zh_CN run ":clock 2026-11-20T08:00:00Z
:dump-screen $T/zh"
grep -qF '我的今日' "$T/zh"
ok $? "zh_CN: the panel's title is Chinese ($(grep -F 'agent1' "$T/zh" | head -1))"

done_testing
