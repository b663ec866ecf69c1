#!/usr/bin/env bash
# filters.sh -- filters over a closed set say no: an unknown status, queue,
# kind or carrier is a usage error (exit 2) that lists the valid values and
# lists no rows; the names people use (pre-sales, 售前, 顺丰, SF Express, 待发货,
# awaiting-shipment) list exactly what the codes list, in any locale; the
# ship action takes a carrier by name and sends its code.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 9 --orders 1500
profile admin
PROFILE=admin
sd sync >/dev/null
ok $? "sync"

# refused DESC MESSAGE ARGS...: exit 2, MESSAGE (a fixed string) on stderr, nothing listed.
refused() {
	local desc=$1 want=$2 rc
	shift 2
	sd "$@" >"$T/out" 2>"$T/err"
	rc=$?
	is "$rc" 2 "$desc: a usage error"
	grep -qF -- "$want" "$T/err"
	ok $? "$desc: says so ($(head -c 400 "$T/err"))"
	is "$(wc -c <"$T/out")" 0 "$desc: lists nothing"
}

refused "--status shiped" "shopdesk: --status: unknown order status 'shiped' (did you mean 'shipped'?); one of: pending_payment, awaiting_shipment, shipped, delivered, completed, cancelled, closed" \
	orders list --status shiped
refused "a bad status in a list" "unknown order status 'bogus'; one of: pending_payment," \
	orders list --status shipped,bogus
refused "--status pending for orders" "(did you mean 'pending_payment'?)" \
	orders list --status pending
refused "--queue pre-sale" "shopdesk: --queue: unknown queue 'pre-sale' (did you mean 'presales'?); one of: presales, aftersales, vip" \
	chats list --queue pre-sale
refused "--carrier 德邦" "shopdesk: --carrier: unknown carrier '德邦'; one of: SF, JD, ZTO, YTO, YUNDA, EMS, STO, JT" \
	orders list --carrier 德邦
refused "--carrier SFX" "unknown carrier 'SFX' (did you mean 'SF'?)" orders list --carrier SFX
refused "tickets --kind refund" "unknown ticket kind 'refund' (did you mean 'refund_only'?); one of: refund_only, return_refund, exchange, repair, reship, complaint, logistics" \
	tickets list --kind refund
refused "tickets --status open" "unknown ticket status 'open'; one of: requested, approved," \
	tickets list --status open
refused "chats --status closed" "unknown conversation status 'closed'; one of: new, open, pending, snoozed, resolved" \
	chats list --status closed
refused "promos --status running" "unknown promotion status 'running'; one of: draft, scheduled, active, ended" \
	promos list --status running
refused "promos --kind coupon" "unknown promotion kind 'coupon'; one of: threshold_coupon," \
	promos list --kind coupon
refused "a ticket kind is no promotion kind" "unknown promotion kind 'refund_only'" \
	promos list --kind refund_only
# Free-text filters are not checked against a set: an unknown customer lists nothing.
n=$(sd orders list --customer C999999999 --all --format csv | tail -n +2 | wc -l)
is "$n" 0 "--customer is free text: an unknown id lists nothing, exit 0"

# ids NOUN ARGS...: the sorted ids of the whole list.
ids() {
	local noun=$1
	shift
	sd "$noun" list --all --format csv "$@" | tail -n +2 | cut -d, -f1 | sort
}

# same NOUN OPTION CODE NAME...: each NAME lists exactly what CODE lists, and that is not nothing.
same() {
	local noun=$1 opt=$2 code=$3 name n
	shift 3
	ids "$noun" "$opt" "$code" >"$T/code"
	n=$(wc -l <"$T/code")
	ok "$([ "$n" -gt 0 ] && echo 0 || echo 1)" "$noun $opt $code lists something ($n)"
	for name in "$@"; do
		ids "$noun" "$opt" "$name" >"$T/name" 2>"$T/err"
		cmp -s "$T/code" "$T/name"
		ok $? "$noun $opt '$name' lists what $opt $code lists$([ -s "$T/err" ] &&
			echo " ($(head -c 200 "$T/err"))")"
	done
}

same orders --carrier SF 顺丰 顺丰速运 "SF Express" sf-express sf
same orders --carrier ZTO 中通 中通快递 zto
same orders --carrier YTO 圆通 圆通速递
same orders --carrier YUNDA 韵达 Yunda
same orders --carrier JD 京东 京东物流 "JD Logistics"
same orders --carrier EMS 邮政 中国邮政 ems "China Post"
same chats --queue presales pre-sales pre_sales Presales 售前
same chats --queue aftersales after-sales 售后
same chats --queue vip VIP VIP专席
same orders --status awaiting_shipment awaiting-shipment "Awaiting Shipment" 待发货
same orders --status shipped,delivered "已发货, 已签收" "Shipped,DELIVERED"
same orders --status cancelled,closed "已取消,已关闭"
same tickets --status requested 待审核 Requested
same tickets --status in_progress in-progress 处理中
same tickets --kind return_refund return-refund "return and refund" 退货退款
same tickets --kind logistics 物流问题 "logistics problem"
same chats --status pending "waiting for customer" 待客户回复
same chats --status open 处理中
same promos --status active 进行中 Active
same promos --kind flash_sale flash-sale 秒杀

# Chinese names are read from the catalogue whatever the locale: plain C too.
LC_ALL=C LANG=C LANGUAGE= ids orders --status 待发货 >"$T/c"
ids orders --status awaiting_shipment >"$T/code"
cmp -s "$T/code" "$T/c"
ok $? "LC_ALL=C: --status 待发货 is awaiting_shipment"
LC_ALL=C LANG=C LANGUAGE= ids chats --queue 售后 >"$T/c"
ids chats --queue aftersales >"$T/code"
cmp -s "$T/code" "$T/c"
ok $? "LC_ALL=C: --queue 售后 is aftersales"

# An empty value is no filter, as before.
is "$(ids orders --status '' | wc -l)" "$(ids orders | wc -l)" "--status '' lists every order"

# --- the ship action takes the carrier by name -----------------------------------------
o=$(sd orders list --status awaiting_shipment --all --format csv | awk -F, 'NR > 1 && $4 == "" { print $1; exit }')
[ -n "$o" ]
ok $? "an order to ship ($o)"
sd orders ship "$o" --carrier 顺丰 --tracking SF1234567890123 >"$T/ship" 2>&1
ok $? "orders ship --carrier 顺丰 ($(head -c 200 "$T/ship"))"
sd sync >/dev/null 2>&1
ok $? "sync sends it"
r=$(sd orders show "$o" --format json)
is "$(jget "$r" '$.shipment.carrier') $(jget "$r" '$.status')" "SF shipped" \
	"the store shipped it with SF"
sd orders ship "$o" --carrier 德邦 --tracking ST1234567890 >/dev/null 2>"$T/err"
is "$?" 2 "orders ship --carrier 德邦: a usage error"
grep -qF "unknown carrier '德邦' (known: SF, JD, ZTO, YTO, YUNDA, EMS, STO, JT)" "$T/err"
ok $? "naming the known carriers ($(cat "$T/err"))"

done_testing
