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
Figure              today    yesterday        ±    last week        ±
GMV               ¥727.00     ¥2364.80   -69.3%    ¥14246.40   -94.9%
net sales         ¥727.00     ¥2364.80   -69.3%    ¥14246.40   -94.9%
paid orders             1            5   -80.0%            5   -80.0%
AOV               ¥727.00      ¥472.96   +53.7%     ¥2849.28   -74.5%
refund rate         0.00%        0.00%  +0.00pt        0.00%  +0.00pt
repeat rate       100.00%      100.00%  +0.00pt      100.00%  +0.00pt
GMV        7 days █▅▇▂▅▃▂  30 days ▂▂▂▄▃▂▄▃▃▅█▂▄▂▃▅▅▃▃▂▄▃▇▅▃▄▂▃▂▂
by hour    today ▁▁▁▁▁▁▁▁▁▁█▁▁▁▁▁▁▁▁▁▁▁▁▁ yesterday ▁▁▁▁▁▁▁▁▁▅▁▆▁▁▁▅▁▁▁▁▁▇▇▁
top        65W氮化镓充电器 3C ×1  口红 01 正红 ×1  四件套 纯棉 灰蓝 … ×1
refunds    30 days: 商品少发漏发 ×3  拍错了/多拍了 ×3  七天无理由退货 ×1
Needs someone now
chats      27 waiting, 19 for more than 30 s, longest 32m; first response 1m
tickets    14 with a running SLA, 2 near breach, 0 breached
orders     0 to ship, 1 abnormal; stock 43 SKUs low
outbox     0 pending, 0 in conflict, 0 refused
You today (agent1)
chats      10 handled, first response 1m on average, 10% within 30 s (1/10)
SLA        2 breached, 0 still open
Enter: paid orders of 2026-11-20   (arrows or hjkl move, q back)
 agent1@local  offline (no sync)  0 pending  ⚠ 19 waiting 32m   2 SLA

SCREEN
diff -u "$T/want" "$T/dash" >"$T/diff"
ok $? "80x24: today against yesterday and last week with the change, trends, what needs someone now, the agent's own day"
sed 's/^/#   /' "$T/diff"

# The console's day is the store's (Asia/Shanghai: 2026-11-20 began at 16:00Z on
# the 19th), and its figures are the CLI's report and the store's own, to the fen.
api admin GET "/v1/reports/daily?from=2026-11-13&to=2026-11-20" | head -1 >"$T/srv.json"
LOGIN=admin profile admin
PROFILE=admin sd sync --quiet >/dev/null 2>&1
PROFILE=admin sd report daily --from 2026-11-13 --to 2026-11-20 --format json >"$T/cli.json"
for i in 7 6 0; do
	for f in gmv net_sales paid_orders aov; do
		is "$(jq ".days[$i].$f" "$T/cli.json")" "$(jq ".days[$i].$f" "$T/srv.json")" \
			"CLI and store: $f of $(jq -r ".days[$i].date" "$T/srv.json")"
	done
done
is "$(jq -r '.days[7].from' "$T/srv.json")" "2026-11-19T16:00:00Z" "the store's today began at its midnight"
money() { printf '¥%d.%02d' $(($1 / 100)) $(($1 % 100)); }
grep -qE "^GMV +$(money "$(jq .days[7].gmv "$T/srv.json")") +$(money "$(jq .days[6].gmv "$T/srv.json")") .* $(money "$(jq .days[0].gmv "$T/srv.json")") " "$T/dash"
ok $? "the console's GMV today, yesterday and last week are the store's"
grep -qE "^net sales +$(money "$(jq .days[7].net_sales "$T/srv.json")") " "$T/dash"
ok $? "... and its net sales"
grep -qE "^AOV +$(money "$(jq .days[7].aov "$T/srv.json")") +$(money "$(jq .days[6].aov "$T/srv.json")") " "$T/dash"
ok $? "... and its AOV, to the fen"

# The top refund reasons are the cache's refund tickets of the store's last 30 days.
want=$(sqlite3 -separator ' ×' "$T/agent1.db" "SELECT reason, count(*) AS n FROM tickets
	WHERE created_at >= '2026-10-21T16:00:00Z' AND created_at < '2026-11-20T16:00:00Z'
	AND kind IN ('refund_only', 'return_refund') AND reason != ''
	GROUP BY reason ORDER BY n DESC, reason LIMIT 3" | paste -sd '|' | sed 's/|/  /g')
grep -qF "refunds    30 days: $want" "$T/dash"
ok $? "the top refund reasons are the cache's ($want)"
want=$(PROFILE=agent1 sd orders list --since 2026-11-20 --all --format json |
	jq '[.[] | select(.payment_status != "unpaid" and .payment_status != "failed") |
	.items[].quantity] | add')
got=$(grep '^top ' "$T/dash" | grep -o '×[0-9]*' | tr -d '×' | paste -sd+ | bc)
is "$got" "$want" "the top sellers add up to today's paid quantity (3 products or fewer)"

# Each figure opens the list behind it with one key.
run ":clock 2026-11-20T08:00:00Z
key a
:dump-screen $T/abn
:pane dashboard
key w
:dump-screen $T/wait
:pane dashboard
key L
:dump-screen $T/low
:pane dashboard
key r
:dump-screen $T/ref"
is "$?" 0 "the keys run ($(head -c 200 "$T/run.err"))"
abn=$(sqlite3 "$T/agent1.db" "SELECT id FROM orders WHERE abnormal IS NOT NULL LIMIT 1")
normal=$(sqlite3 "$T/agent1.db" "SELECT id FROM orders WHERE abnormal IS NULL ORDER BY created_at DESC LIMIT 1")
grep -qE "^Orders .*Abnormal" "$T/abn" && grep -qF "$abn" "$T/abn" && ! grep -qF "$normal" "$T/abn"
ok $? "a: the Orders pane on its Abnormal tab, the abnormal order $abn and not $normal"
grep -qE "^Chats .*Waiting" "$T/wait"
ok $? "w: the Chats pane on its Waiting tab ($(sed -n 2p "$T/wait" | cut -c1-60))"
grep -qE "^Inventory \[Low\]" "$T/low"
ok $? "L: Inventory, low first ($(sed -n 2p "$T/low" | cut -c1-60))"
grep -q "refund" "$T/ref" && ! grep -qE "exchange|complaint|return_refund" "$T/ref"
ok $? "r: After-sales, refund tickets only ($(sed -n 2p "$T/ref" | cut -c1-60))"

# Without UTF-8 the trends are drawn in ASCII.
RUN_ENV="LC_ALL=C LANG=C" run ":clock 2026-11-20T08:00:00Z
:dump-screen $T/ascii"
grep -qE '^GMV +7 days [_.:=+*#-]{7}  30 days [_.:=+*#-]{30}$' "$T/ascii"
ok $? "C locale: the trends in ASCII ($(grep -E '^GMV +7' "$T/ascii"))"

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
