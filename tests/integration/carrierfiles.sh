#!/usr/bin/env bash
# carrierfiles.sh -- a carrier's or an ERP's shipping export, and a stock
# sheet, as they come: UTF-8 with or without a BOM, GB18030 (Excel on a
# Chinese Windows), Chinese headers with extra columns, carriers by name;
# every problem of every line by number, the preview, --dry-run, and exit
# 12 when --skip-bad left lines out.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 11 --orders 3000
profile admin
PROFILE=admin
sd sync >/dev/null
ok $? "sync"

sd orders list --status awaiting_shipment --all --format json >"$T/await.json"
sqlite3 :memory: "SELECT json_extract(value, '\$.id') FROM json_each(readfile('$T/await.json'))
	WHERE json_extract(value, '\$.abnormal') IS NULL LIMIT 13" >"$T/await"
sd orders list --status shipped --all --format json >"$T/shipped.json"
shipped=$(sqlite3 :memory: "SELECT json_extract(value, '\$.id') FROM json_each(readfile('$T/shipped.json')) LIMIT 1")
used=$(sqlite3 :memory: "SELECT json_extract(value, '\$.shipment.tracking_no') FROM json_each(readfile('$T/shipped.json')) LIMIT 1")
is "$(wc -l <"$T/await")" 13 "13 orders awaiting shipment, not flagged"
[ -n "$shipped" ] && [ -n "$used" ]
ok $? "a shipped order ($shipped) and its tracking number ($used)"
a() { sed -n "${1}p" "$T/await"; }
n=$(sd outbox list --format json | json_count)

# --- UTF-8, then UTF-8 with a BOM: Chinese headers, names, extra columns -------------
printf '订单号,收件人,快递公司,运单号,备注\n%s,张三,顺丰速运,sf 1000 0000 01,\n%s,李四,中通,ZT1000000002,加急\n%s,王五,极兔速递,jt1000000003,\n' \
	"$(a 1)" "$(a 2)" "$(a 3)" >"$T/u8.csv"
sd ship --from-csv "$T/u8.csv" --dry-run >"$T/out" 2>"$T/err"
is "$?" 0 "UTF-8, Chinese headers: --dry-run exits 0"
grep -qF "orders ship: 3 lines, 3 to queue, 0 bad, encoding UTF-8, ignored columns: 收件人, 备注" "$T/err"
ok $? "the preview counts, names the encoding and the ignored columns ($(head -1 "$T/err"))"
grep -q "via SF SF100000000" "$T/out" && grep -q "via JT JT1000000003" "$T/out"
ok $? "carriers by name, tracking numbers without blanks and upper case"
is "$(sd outbox list --format json | json_count)" "$n" "--dry-run queued nothing"
{ printf '\xef\xbb\xbf'; printf 'Order_No , Carrier, Tracking\r\n%s,申通,ST1000000004\r\n' "$(a 4)"; } >"$T/bom.csv"
sd ship --from-csv "$T/bom.csv" >"$T/out" 2>"$T/err"
is "$?" 0 "UTF-8 with a BOM, English aliases in any case, CRLF: queued"
grep -qF "1 line, 1 to queue, 0 bad, encoding UTF-8 with BOM" "$T/err"
ok $? "... read as UTF-8 with BOM ($(head -1 "$T/err"))"
is "$(sd outbox list --format json | json_count)" "$((n + 1))" "one entry queued"

# --- GB18030, as Excel saves it -----------------------------------------------------------
printf '订单编号,物流公司,快递单号,收件人\n%s,圆通,YT1000000005,赵六\n%s,京东物流,JD1000000006,钱七\n' \
	"$(a 5)" "$(a 6)" | iconv -f UTF-8 -t GB18030 >"$T/gb.csv"
! iconv -f UTF-8 -t UTF-8 "$T/gb.csv" >/dev/null 2>&1
ok $? "the GB18030 file is not UTF-8"
sd ship --from-csv "$T/gb.csv" >"$T/out" 2>"$T/err"
is "$?" 0 "GB18030: queued"
grep -qF "2 lines, 2 to queue, 0 bad, encoding GB18030, ignored columns: 收件人" "$T/err"
ok $? "... read as GB18030 ($(head -1 "$T/err"))"

# --- every kind of bad line ---------------------------------------------------------------
{
	echo "order_id,carrier,tracking_no"
	printf '%s,德邦,DB1000000007\n' "$(a 7)"			# 2 unknown carrier
	printf '%s,SF,\n' "$(a 8)"					# 3 missing tracking
	printf 'SO99999999,SF,SF1000000009\n'				# 4 not cached
	printf '%s,SF,SF1000000010\n' "$shipped"			# 5 not awaiting shipment
	printf '%s,SF,SF1000000011\n' "$(a 9)"				# 6 twice in the file ...
	printf '%s,SF,sf 1000000011\n' "$(a 10)"			# 7 ... with line 6
	printf '%s,SF,%s\n' "$(a 11)" "$used"				# 8 in the cache
	printf '%s,SF,SF10\x0000012\n' "$(a 12)"			# 9 a NUL byte
	printf '%s,SF,SF1000000013,x\n' "$(a 12)"			# 10 too many fields
	printf '%s,SF\xff,SF1000000014\n' "$(a 12)"			# 11 bad encoding
	printf 'SO99999998,SFX,\n'					# 12 three problems
	printf '%s,EMS,EM1000000015\n' "$(a 13)"				# 13 good
} >"$T/bad.csv"
sd ship --from-csv "$T/bad.csv" >"$T/out" 2>"$T/err"
is "$?" 2 "bad lines: a usage error, nothing queued"
line() { grep -F "bad.csv: line $1: " "$T/err"; }
line 2 | grep -qF "unknown carrier '德邦'"; ok $? "unknown carrier ($(line 2))"
line 3 | grep -qF "tracking_no is empty"; ok $? "missing tracking ($(line 3))"
line 4 | grep -qF "no order 'SO99999999' in the cache"; ok $? "order not cached ($(line 4))"
line 5 | grep -qF "cannot ship order $shipped"; ok $? "not awaiting shipment ($(line 5))"
line 6 | grep -qF "tracking number SF1000000011 is also on line 7"; ok $? "duplicate in the file, first line ($(line 6))"
line 7 | grep -qF "tracking number SF1000000011 is also on line 6"; ok $? "... and the second ($(line 7))"
line 8 | grep -qF "tracking number $used is already order $shipped's"; ok $? "duplicate in the cache names the order ($(line 8))"
line 9 | grep -qF "a NUL byte"; ok $? "a NUL byte ($(line 9))"
line 10 | grep -qF "4 fields, but the header has 3"; ok $? "too many fields ($(line 10))"
line 11 | grep -qF "not UTF-8 text"; ok $? "bad encoding ($(line 11))"
line 12 | grep -qF "no order 'SO99999998' in the cache" &&
	line 12 | grep -qF "unknown carrier 'SFX'" &&
	line 12 | grep -qF "tracking_no is empty"
ok $? "all the problems of a line ($(line 12))"
! line 13 >/dev/null
ok $? "the good line has no error"
grep -qF "12 lines, 0 to queue, 11 bad" "$T/err"
ok $? "the preview counts them ($(grep -F lines, "$T/err"))"
is "$(sd outbox list --format json | json_count)" "$((n + 3))" "nothing more queued"
awk 'length($0) > 700' "$T/err" | grep -q . && r=1 || r=0
is "$r" 0 "every message is bounded"

# --- --skip-bad: the good ones, and exit 12 -----------------------------------------------
sd ship --from-csv "$T/bad.csv" --skip-bad --dry-run >"$T/out" 2>"$T/err"
is "$?" 12 "--skip-bad --dry-run: exit 12 (lines would be skipped)"
is "$(sd outbox list --format json | json_count)" "$((n + 3))" "... queueing nothing"
sd ship --from-csv "$T/bad.csv" --skip-bad >"$T/out" 2>"$T/err"
is "$?" 12 "--skip-bad: exit 12, some lines were skipped"
grep -qF "12 lines, 1 to queue, 11 bad" "$T/err"
ok $? "... the preview says so ($(grep -F lines, "$T/err"))"
is "$(sd outbox list --format json | json_count)" "$((n + 4))" "the good line is queued"

# --- stock adjustments --------------------------------------------------------------------
sd stock list --all --format csv | awk -F, 'NR > 1 { print $1 }' | head -3 >"$T/skus"
s() { sed -n "${1}p" "$T/skus"; }
printf 'SKU编码,商品名称,调整数量,原因\n%s,杯子,5,inbound\n%s,碗,-1,damage\n' "$(s 1)" "$(s 2)" |
	iconv -f UTF-8 -t GB18030 >"$T/stock.csv"
sd stock adjust --from-csv "$T/stock.csv" --dry-run >"$T/out" 2>"$T/err"
is "$?" 0 "stock adjust: GB18030, Chinese headers, --dry-run"
grep -qF "stock adjust: 2 lines, 2 to queue, 0 bad, encoding GB18030, ignored columns: 商品名称" "$T/err"
ok $? "... the preview ($(head -1 "$T/err"))"
printf 'sku,delta,reason,remark\n%s,5,inbound,\nNOSUCHSKU,x,,\n%s,2,inbound\n' "$(s 1)" "$(s 3)" >"$T/stock2.csv"
sd stock adjust --from-csv "$T/stock2.csv" >"$T/out" 2>"$T/err"
is "$?" 2 "stock adjust with bad lines: nothing queued"
grep -F "line 3: " "$T/err" | grep -qF "NOSUCHSKU" && grep -F "line 3: " "$T/err" | grep -q "delta"
ok $? "every problem of the line ($(grep -F 'line 3: ' "$T/err"))"
grep -F "line 4: " "$T/err" | grep -qF "3 fields, but the header has 4"
ok $? "too few fields ($(grep -F 'line 4: ' "$T/err"))"
sd stock adjust --from-csv "$T/stock2.csv" --skip-bad >"$T/out" 2>"$T/err"
is "$?" 12 "stock adjust --skip-bad: exit 12"
grep -qF "3 lines, 1 to queue, 2 bad" "$T/err"
ok $? "... ($(grep -F lines, "$T/err"))"

done_testing
