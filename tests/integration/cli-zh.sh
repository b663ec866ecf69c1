#!/usr/bin/env bash
# cli-zh.sh -- the CLI in both languages: under LANG=zh_CN.UTF-8 its messages,
# usage errors, help and table headers are Chinese (DOMAIN.md's terms) and money
# is ¥537.90; under C.UTF-8 they are English; JSON is the same bytes in both.
. "${top_srcdir:-.}/tests/integration/lib.sh"

# A zh_CN.UTF-8 locale of our own (this machine may have none): compiled from
# the locales package's sources into a private LOCPATH.
ZH_LOCPATH=
mkdir -p "$T/locale"
if localedef -i zh_CN -f UTF-8 "$T/locale/zh_CN.UTF-8" >"$T/localedef.log" 2>&1 &&
	[ "$(LOCPATH=$T/locale LC_ALL=zh_CN.UTF-8 locale charmap 2>/dev/null)" = UTF-8 ]; then
	ZH_LOCPATH=$T/locale
elif [ "$(LC_ALL=zh_CN.UTF-8 locale charmap 2>/dev/null)" != UTF-8 ]; then
	sed 's/^/#   /' "$T/localedef.log" | head -5
	echo "Bail out! no zh_CN.UTF-8 locale: localedef -i zh_CN -f UTF-8 failed (apt-get install locales)"
	exit 1
fi

# zh CMD...: CMD in Chinese, with the real locale (not the catalogue forced by LANGUAGE).
# glibc's setlocale() leaks a few bytes loading a locale from LOCPATH (in
# __argz_add_sep): not ours, so not reported by a sanitizer build's LeakSanitizer.
printf 'leak:__argz_add_sep\n' >"$T/lsan.supp"
zh() (
	unset LANGUAGE
	if [ -n "$ZH_LOCPATH" ]; then
		export LOCPATH=$ZH_LOCPATH
		export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$T/lsan.supp"
	fi
	export LC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8
	"$@"
)
# en CMD...: the same in English.
en() (
	unset LANGUAGE
	export LC_ALL=C.UTF-8 LANG=C.UTF-8
	"$@"
)
is "$(zh locale charmap 2>/dev/null)" UTF-8 "the zh_CN.UTF-8 locale works"

start_store --seed 9 --orders 200
profile admin
PROFILE=admin
sd sync >/dev/null
ok $? "sync"

# --- a usage error ------------------------------------------------------------------
zh sd orders frob >"$T/zh.out" 2>&1
is "$?" 2 "zh: a usage error exits 2"
grep -q '未知或缺少的动词 frob' "$T/zh.out" && ! grep -q 'unknown' "$T/zh.out"
ok $? "zh: the usage error is Chinese ($(head -1 "$T/zh.out"))"
en sd orders frob >"$T/en.out" 2>&1
is "$?" 2 "en: a usage error exits 2"
grep -q "unknown or missing verb frob" "$T/en.out"
ok $? "en: the usage error is English ($(head -1 "$T/en.out"))"
zh sd frobnicate >"$T/zh.out" 2>&1
grep -q "未知命令 'frobnicate'" "$T/zh.out"
ok $? "zh: an unknown command ($(head -1 "$T/zh.out"))"

# --- orders list: headers and money --------------------------------------------------
zh sd orders list --limit 5 >"$T/zh.list" 2>"$T/zh.err"
head -1 "$T/zh.list" | grep -q '^编号  *创建时间  *状态' && head -1 "$T/zh.list" | grep -q '金额'
ok $? "zh: orders list's headers are Chinese ($(head -1 "$T/zh.list" | tr -s ' '))"
grep -Eq '¥[0-9]+\.[0-9]{2}' "$T/zh.list" && ! grep -q 'CNY' "$T/zh.list"
ok $? "zh: money is ¥ (e.g. $(grep -Eo '¥[0-9]+\.[0-9]{2}' "$T/zh.list" | head -1))"
grep -q '显示' "$T/zh.err"
ok $? "zh: the 'more rows' note is Chinese ($(cat "$T/zh.err"))"
en sd orders list --limit 5 >"$T/en.list" 2>"$T/en.err"
head -1 "$T/en.list" | grep -q '^ID  *CREATED  *STATUS'
ok $? "en: orders list's headers are English"
grep -Eq '¥[0-9]+\.[0-9]{2}' "$T/en.list"
ok $? "en: money is ¥ in a UTF-8 locale too"
grep -q 'of 200 shown' "$T/en.err"
ok $? "en: the 'more rows' note is English"
# The same rows: only the headers and the words differ.
is "$(tail -n +2 "$T/zh.list" | awk '{ print $1 }' | tr '\n' ' ')" \
	"$(tail -n +2 "$T/en.list" | awk '{ print $1 }' | tr '\n' ' ')" "the same orders in both"

# --- machine formats do not change -----------------------------------------------------
for f in json csv; do
	zh sd orders list --limit 50 --format $f >"$T/zh.$f" 2>/dev/null
	en sd orders list --limit 50 --format $f >"$T/en.$f" 2>/dev/null
	cmp -s "$T/zh.$f" "$T/en.$f"
	ok $? "orders list --format $f: byte-identical in both languages"
done
head -1 "$T/zh.csv" | grep -q '^id,created_at,status'
ok $? "zh: csv keeps its English column names"
id=$(sed -n 2p "$T/en.csv" | cut -d, -f1)
zh sd orders show "$id" --format json >"$T/zh.sj"
en sd orders show "$id" --format json >"$T/en.sj"
cmp -s "$T/zh.sj" "$T/en.sj" && [ -s "$T/en.sj" ]
ok $? "orders show --format json: byte-identical"
zh sd status --format json | sed 's/"last_sync":"[^"]*"//' >"$T/zh.st"
en sd status --format json | sed 's/"last_sync":"[^"]*"//' >"$T/en.st"
cmp -s "$T/zh.st" "$T/en.st" && [ -s "$T/en.st" ]
ok $? "status --format json: byte-identical"

# --- show ----------------------------------------------------------------------------
en sd orders show SO99999999 >/dev/null 2>&1
rc=$?
zh sd orders show SO99999999 >"$T/zh.out" 2>&1
is "$?" "$rc" "zh: show of an unknown order exits as in English ($rc)"
grep -q '缓存中没有' "$T/zh.out"
ok $? "zh: and says so in Chinese ($(cat "$T/zh.out"))"
tid=$(en sd tickets list --all --format csv | awk -F, 'NR > 1 { print $1; exit }')
zh sd tickets show "$tid" >"$T/zh.t"
grep -q '^金额：' "$T/zh.t" && grep -Eq '^  申请金额: ¥[0-9]+\.[0-9]{2}$' "$T/zh.t"
ok $? "zh: tickets show's money is Chinese and ¥ ($(grep '申请金额' "$T/zh.t"))"
en sd tickets show "$tid" >"$T/en.t"
grep -q '^money:' "$T/en.t" && grep -Eq '^  requested: ¥[0-9]+\.[0-9]{2}$' "$T/en.t"
ok $? "en: tickets show's money is English"

# --- status ----------------------------------------------------------------------------
zh sd status >"$T/zh.st"
grep -q '^配置 ' "$T/zh.st" && grep -q '^上次同步' "$T/zh.st"
ok $? "zh: status is Chinese ($(head -1 "$T/zh.st"))"
en sd status >"$T/en.st"
grep -q '^profile ' "$T/en.st" && grep -q '^last sync' "$T/en.st"
ok $? "en: status is English"

# --- an action the store refuses (its version moved on: a conflict) ----------------------
tid=$(en sd tickets list --status requested --all --format csv | awk -F, 'NR > 1 { print $1; exit }')
ver=$(jget "$(en sd tickets show "$tid" --format json)" '$.version')
api admin POST "/v1/tickets/$tid/approve" '{}' "Idempotency-Key: cli-zh-1" "If-Match: $ver" >/dev/null
zh sd tickets approve "$tid" --wait >"$T/zh.c" 2>&1
is "$?" 9 "zh: the store refuses an approval of a stale version: conflict (exit 9)"
grep -q '^冲突 #' "$T/zh.c" && grep -q 'outbox resolve' "$T/zh.c" && grep -q '请决定' "$T/zh.c"
ok $? "zh: the conflict is told in Chinese ($(grep '^冲突' "$T/zh.c"))"
en sd outbox list >"$T/en.ob"
grep -q conflict "$T/en.ob"
ok $? "en: the outbox lists it in English"
zh sd outbox list >"$T/zh.ob"
head -1 "$T/zh.ob" | grep -q '^编号  *状态  *时长  *次数  *摘要  *原因$' && grep -q 'conflict' "$T/zh.ob"
ok $? "zh: outbox list's header is Chinese, its state codes stay ($(head -1 "$T/zh.ob" | tr -s ' '))"
en sd outbox list --format json >"$T/ob.json"
cid=$(sqlite3 :memory: "SELECT json_extract(value,'\$.id') FROM json_each(readfile('$T/ob.json'))")
zh sd outbox show "$cid" >"$T/zh.os"
grep -q "^条目  *#$cid (conflict)$" "$T/zh.os" && grep -q '^冲突，您的与店铺的对比' "$T/zh.os"
ok $? "zh: outbox show is Chinese ($(head -1 "$T/zh.os"))"
en sd outbox show "$cid" >"$T/en.os"
grep -q "^entry      #$cid (conflict)$" "$T/en.os" && grep -q "^summary    approve $tid$" "$T/en.os"
ok $? "en: outbox show is English, aligned as before"
zh sd outbox drop "$cid" >"$T/zh.d" 2>&1
grep -q "^已放弃 #$cid：" "$T/zh.d"
ok $? "zh: outbox drop says so in Chinese ($(cat "$T/zh.d"))"

# --- report ----------------------------------------------------------------------------
zh sd report daily --from 2026-11-14 --to 2026-11-20 >"$T/zh.r"
head -1 "$T/zh.r" | grep -q '^周期  *订单数  *已付款  *成交总额' && grep -Eq '¥[0-9]+\.[0-9]{2}' "$T/zh.r"
ok $? "zh: report daily's header is Chinese, money ¥ ($(head -1 "$T/zh.r" | tr -s ' '))"
en sd report daily --from 2026-11-14 --to 2026-11-20 >"$T/en.r"
head -1 "$T/en.r" | grep -q '^PERIOD  *ORDERS  *PAID  *GMV'
ok $? "en: report daily's header is English"
is "$(tail -n +2 "$T/zh.r")" "$(tail -n +2 "$T/en.r")" "report daily: the same rows in both languages"
for f in json csv; do
	zh sd report daily --from 2026-11-14 --to 2026-11-20 --format $f >"$T/zh.r$f"
	en sd report daily --from 2026-11-14 --to 2026-11-20 --format $f >"$T/en.r$f"
	cmp -s "$T/zh.r$f" "$T/en.r$f" && [ -s "$T/en.r$f" ]
	ok $? "report daily --format $f: byte-identical in both languages"
done

# --- a refusal's reason, made by the core (action_fail), not the CLI ------------------------
sku=$(en sd stock list --all --format csv | awk -F, 'NR > 1 { print $1; exit }')
en sd stock adjust "$sku" --delta 0 --reason count >/dev/null 2>"$T/en.r"
rc=$?
zh sd stock adjust "$sku" --delta 0 --reason count >/dev/null 2>"$T/zh.r"
is "$?" "$rc" "zh: a refused adjustment exits as in English ($rc)"
grep -q 'must not be 0' "$T/en.r"
ok $? "en: the core's reason in English ($(cat "$T/en.r"))"
grep -q '不能为 0' "$T/zh.r" && ! grep -q 'must not be' "$T/zh.r"
ok $? "zh: the core's reason in Chinese ($(cat "$T/zh.r"))"

# --- a configuration error, made by the core (conf.c) ----------------------------------------
en sd --profile nosuch status >/dev/null 2>"$T/en.c"
rc=$?
zh sd --profile nosuch status >/dev/null 2>"$T/zh.c"
is "$?" "$rc" "zh: an unknown profile exits as in English ($rc)"
grep -q 'no profile \[nosuch\]' "$T/en.c"
ok $? "en: the configuration error in English ($(head -c 120 "$T/en.c"))"
grep -q '没有配置 \[nosuch\]' "$T/zh.c"
ok $? "zh: the configuration error in Chinese ($(head -c 120 "$T/zh.c"))"

# --- a catalogue rule's refusal ------------------------------------------------------------
en sd products create --title "无货新品" --category 服装 --wait >"$T/en.p" 2>&1
p=$(sed -n 's/.*product \(P[0-9][0-9]*\) created.*/\1/p' "$T/en.p")
zh sd products shelf "$p" --shelf on >"$T/zh.s" 2>&1
grep -Eq "商品 $p (还没有 SKU|没有可售库存)" "$T/zh.s"
ok $? "zh: a product that cannot go on the shelf is told why in Chinese ($(grep -m1 "商品" "$T/zh.s"))"

# --- --help --------------------------------------------------------------------------------
zh sd --help >"$T/zh.h"
grep -q '^用法' "$T/zh.h" && grep -q '列出缓存的订单' "$T/zh.h"
ok $? "zh: --help is Chinese"
zh sd orders list --help >"$T/zh.h"
grep -q '选项' "$T/zh.h" && grep -q -- '--status' "$T/zh.h"
ok $? "zh: orders list --help is Chinese, with its options"
zh sd orders ship --help >"$T/zh.h"
grep -q '交给承运商' "$T/zh.h"
ok $? "zh: an action's help comes from the action table, translated ($(grep -m1 '交给承运商' "$T/zh.h"))"
en sd --help >"$T/en.h"
grep -q '^usage: shopdesk' "$T/en.h" && grep -q 'list cached orders, newest first' "$T/en.h"
ok $? "en: --help is English"

done_testing
