#!/usr/bin/env bash
# reprice.sh -- "stock reprice": many SKUs' prices changed at once by a
# percentage or an amount, against the reference store. Prices are rounded
# to the fen (half up); the preview shows every old -> new with those under
# cost and those changed by more than half flagged; nothing is queued
# without --yes (no terminal to ask); a SKU whose price would fall to zero
# is a bad line; SKUs already at the price are left alone; the store
# applies each change with its price history.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 31 --orders 50 --db "$T/store.db" --rate 0
profile ops1
profile wh1
PROFILE=ops1
sd sync >/dev/null
ok $? "initial sync"

field() {
	sqlite3 "$T/store.db" "SELECT json_extract(json, '$2') FROM objects WHERE id = '$1'"
}
queued() {
	sd outbox list --format json | grep -c '"state":"queued"'
}

# Known prices to start from: 19.99, 19.99, and 100.00 with a cost of 80.00.
sd stock price SK100001 --price 19.99 --yes --wait >/dev/null 2>&1
sd stock price SK100002 --price 19.99 --yes --wait >/dev/null 2>&1
sd stock edit SK100003 --cost 80 --wait >/dev/null 2>&1
sd stock price SK100003 --price 100 --yes --wait >/dev/null 2>&1
sd sync >/dev/null
is "$(field SK100001 '$.price')/$(field SK100003 '$.price')/$(field SK100003 '$.cost')" \
	"1999/10000/8000" "the SKUs are set up"

# --- the preview, and nothing without a yes ------------------------------------------
sd stock reprice SK100001 SK100002 SK100003 --by -15% </dev/null >"$T/out" 2>"$T/err"
is $? 10 "without --yes and no terminal to ask, nothing is queued"
grep -qF "give --yes" "$T/err"
ok $? "... and the refusal says how to confirm"
is "$(queued)" 0 "... the outbox is empty"
grep -qxF "  SK100001 ¥19.99 -> ¥16.99 (-15%)" "$T/out"
ok $? "19.99 - 15% = 16.9915 is rounded to ¥16.99"
grep -qxF "  SK100003 ¥100.00 -> ¥85.00 (-15%)" "$T/out"
ok $? "... and every old -> new is shown"
grep -qF "prices rounded to the fen" "$T/err"
ok $? "the rounding is stated"

sd stock reprice SK100001 --by +12.5% --dry-run </dev/null >"$T/out" 2>&1
grep -qF "SK100001 ¥19.99 -> ¥22.49 (+12%)" "$T/out"
ok $? "19.99 + 12.5% = 22.48875 is rounded half up to ¥22.49"
sd stock reprice SK100001 --by -99.99% --dry-run </dev/null >"$T/out" 2>&1
is $? 2 "-99.99% of ¥19.99 rounds to nothing: refused, never queued as ¥0.00"
grep -qF "SK100001 at ¥19.99 would fall to zero or below" "$T/out"
ok $? "... saying so"

# --- flags: under cost and more than half ---------------------------------------------
sd stock reprice SK100002 SK100003 --by -30% </dev/null >"$T/out" 2>"$T/err"
is $? 10 "a change with a price under cost is refused without --yes"
grep -qF "! Price of SK100003 ¥100.00 -> ¥70.00: below cost: SK100003 costs ¥80.00" "$T/out"
ok $? "... the line under cost is flagged with its cost"
grep -qxF "  SK100002 ¥19.99 -> ¥13.99 (-30%)" "$T/out"
ok $? "... the others are not"
grep -qF "1 flagged (1 below cost, 0 by more than half)" "$T/err"
ok $? "... and counted"
sd stock reprice SK100001 --by -60% --dry-run </dev/null >"$T/out" 2>&1
grep -qF "! Price of SK100001 ¥19.99 -> ¥8.00: down 59%" "$T/out"
ok $? "a change over 50 % is flagged"

# --- usage --------------------------------------------------------------------------------
sd stock reprice SK100001 --by 10% >"$T/out" 2>&1
is $? 2 "a change without a sign is a usage error"
grep -qF "say which way with a sign" "$T/out"
ok $? "... saying so"
sd stock reprice SK100001 --by -100% >"$T/out" 2>&1
is $? 2 "-100% is refused"
sd stock reprice SK100001 --by -1.234% >"$T/out" 2>&1
is $? 2 "a percentage with three decimals is refused"
sd stock reprice --by -10% >"$T/out" 2>&1
is $? 2 "no SKUs and no filter is a usage error"
grep -qF "say which SKUs" "$T/out"
ok $? "... saying how to name them"
sd stock reprice SK100001 --by -10% --to 5 >"$T/out" 2>&1
is $? 2 "--by and --to together are refused"
PROFILE=wh1 sd sync >/dev/null
PROFILE=wh1 sd stock reprice SK100001 --by -10% --yes >"$T/out" 2>&1
is $? 4 "warehouse may not change prices"
grep -qF "admin or ops" "$T/out"
ok $? "... and is told who may"

# --- bad lines and unchanged ones ----------------------------------------------------------
sd stock reprice SK100001 SK100003 --by -20.00 --yes </dev/null >"$T/out" 2>&1
is $? 2 "a SKU whose price would fall to zero refuses the whole change"
grep -qF "SK100001 at ¥19.99 would fall to zero or below" "$T/out"
ok $? "... naming it"
is "$(queued)" 0 "... nothing is queued"
sd stock reprice SK100001 SK100002 --to 19.99 >"$T/out" 2>&1
is $? 2 "SKUs already at the price: nothing to change"

# --- queued and applied ----------------------------------------------------------------
sd stock reprice SK100001 SK100002 SK100003 --by +5.00 --yes --wait </dev/null >"$T/out" 2>&1
ok $? "an amount with --yes is queued and applied"
is "$(field SK100001 '$.price')/$(field SK100002 '$.price')/$(field SK100003 '$.price')" \
	"2499/2499/10500" "... each price raised by ¥5.00"
is "$(field SK100003 '$.price_history[#-1].from')/$(field SK100003 '$.price_history[#-1].to')" \
	"10000/10500" "... and kept in the price history"
sd sync >/dev/null
sd stock reprice SK100003 SK100002 --by -30% --yes --wait </dev/null >"$T/out" 2>&1
ok $? "under cost with --yes is applied"
is "$(field SK100003 '$.price')/$(field SK100002 '$.price')" "7350/1749" \
	"... 105.00 - 30% = 73.50 below its cost, 24.99 - 30% = 17.493 -> 17.49"

# --- a filter ------------------------------------------------------------------------------
low=$(sd stock list --low --all --format json | grep -c '"id":"SK')
sd stock reprice --low --by +1% --dry-run </dev/null >"$T/out" 2>&1
is "$(grep -c '^[ !] .*SK[0-9]* ' "$T/out")" "$low" "--low reprices every low-stock SKU ($low)"

# --category: the SKUs of a category and the ones below it, as stock list --category lists them.
sd stock list --category 手机数码 --all --format csv | sed 1d | cut -d, -f1 | sort >"$T/cat.want"
sd stock reprice --category 手机数码 --by +1% --dry-run </dev/null >"$T/out" 2>&1
grep -o '^[ !] .*SK[0-9]* ' "$T/out" | grep -o 'SK[0-9]*' | sort >"$T/cat.got"
ok "$([ -s "$T/cat.want" ] && cmp -s "$T/cat.want" "$T/cat.got" && echo 0 || echo 1)" \
	"--category 手机数码 reprices its SKUs and those below it ($(wc -l <"$T/cat.want"))"
sd stock reprice --category 没有这个类目 --by +1% --dry-run </dev/null >"$T/out" 2>&1
is "$?" 2 "an unknown category is a usage error ($(head -c 120 "$T/out"))"

done_testing
