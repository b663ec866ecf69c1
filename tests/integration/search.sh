#!/usr/bin/env bash
# search.sh -- search as agents type it: a table of (data written through the
# store's API, query, expected hit) for every field an agent may quote, run
# against `LIST -q`, `shopdesk find` and the console (/ and g/). Nothing here
# relies on seeded names: the values searched for are written by this test, or
# read from the store's own answers.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/lib.sh"

start_store --orders 400
profile admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }

# Objects to write on, picked by state, never by name.
ids() { sd "$1" list "${@:2}" --all --format csv 2>/dev/null | sed 1d | cut -d, -f1; }
mapfile -t WAITING < <(ids orders --status awaiting_shipment)
[ "${#WAITING[@]}" -ge 3 ] || { echo "Bail out! fewer than 3 orders awaiting shipment"; exit 1; }
O1=${WAITING[0]} O2=${WAITING[1]} O3=${WAITING[2]}
CV=$(ids chats --status open | head -1)
[ -n "$CV" ] || CV=$(ids chats --status new | head -1)

# Written through the store's API (the CLI's actions, sent at once).
w() { sd "$@" --wait >"$T/w.out" 2>&1 || { sed 's/^/#   /' "$T/w.out"; return 1; }; }
check "address: a traditional-character recipient, a new phone, district, street" \
	w orders address "$O1" --name 林測試 --phone 13955501234 --province 廣東省 \
	--city 深圳市 --district 南山区 --line 科苑路88號
check "staff note" w orders note "$O1" --text "Mate60 保价 加急 请电联"
# An order flagged abnormal may not ship: unflag it first (refused if it is not).
sd orders unflag "$O2" --wait >/dev/null 2>&1
check "shipped with a tracking number (carrier by its Chinese name)" \
	w orders ship "$O2" --carrier 顺丰 --tracking SF7766554433221
check "a ticket on an order" w tickets create --order "$O3" --kind return_refund \
	--reason 屏幕碎裂 --description "收到时屏幕碎裂，型号 XR-7"
check "a chat message" w chats send "$CV" --body "我的单号是 ZX9001 请查一下"
check "a promotion" w promos create --name "雙十二 滿300減40" --kind threshold_coupon \
	--starts 2026-12-12 --ends 2026-12-13 --threshold 300 --off 40
P=$(ids promos | while read -r id; do
	sd promos show "$id" --format json | grep -q '雙十二' && echo "$id"; done | head -1)
sd sync --quiet >/dev/null 2>&1

# What the store says of objects this test did not write (read, not assumed).
oj=$(sd orders show "$O1" --format json)
SKU1=$(jget "$oj" '$.items[0].sku_id')
CUST=$(jget "$oj" '$.customer_id')
T3=$(sd tickets list --order "$O3" --format csv | sed -n 2p | cut -d, -f1)
cj=$(sd customers show "$CUST" --format json --reveal 2>/dev/null)
CNAME=$(jget "$cj" '$.name') CPHONE=$(jget "$cj" '$.phone') CCITY=$(jget "$cj" '$.city')
CLEVEL=$(jget "$cj" '$.level')
S1=$(ids stock | sed -n 7p)
sj=$(sd stock show "$S1" --format json)
SBAR=$(jget "$sj" '$.barcode') STITLE=$(jget "$sj" '$.product_title') SVAR=$(jget "$sj" '$.title')
case $CLEVEL in normal) CLEVEL_ZH=普通会员 ;; gold) CLEVEL_ZH=黄金会员 ;; *) CLEVEL_ZH=钻石会员 ;; esac

# row NOUN QUERY WANT [first] DESCRIPTION: `NOUN list -q QUERY` lists WANT
# (as its first row with "first").
ROWS=()
row() {
	local noun=$1 q=$2 want=$3 first=0 got
	shift 3
	[ "$1" = first ] && { first=1; shift; }
	ROWS+=("$noun|$q|$want|$first|$1")
	got=$(sd "$noun" list -q "$q" --all --format csv 2>"$T/row.err" | sed 1d | cut -d, -f1)
	if [ $first = 1 ]; then
		is "$(printf '%s\n' "$got" | head -1)" "$want" "$noun '$q': $1 (first)"
	else
		printf '%s\n' "$got" | grep -qxF -- "$want"
		ok $? "$noun '$q': $1"
	fi
	[ -s "$T/row.err" ] && grep -v '^(' "$T/row.err" | sed 's/^/#   stderr: /'
}

O1D=${O1#SO}
row orders "$O1" "$O1" first "the order number"
row orders "$O1D" "$O1" first "the order number without its prefix"
row orders "${O1: -4}" "$O1" "the order number's last four digits"
row orders "$(printf %s "$O1" | tr A-Z a-z)" "$O1" first "the order number in lower case"
row orders 林測試 "$O1" "the recipient's name as written (traditional)"
row orders 林测试 "$O1" "the recipient's name typed in simplified"
row orders 13955501234 "$O1" first "the full phone number"
row orders "139 5550 1234" "$O1" first "the phone number typed with spaces"
row orders "+86 139-5550-1234" "$O1" first "with +86 and dashes"
row orders 1234 "$O1" "the phone's last four digits"
row orders 55501234 "$O1" "the phone's last eight digits"
row orders "139****1234" "$O1" "the phone masked as shown"
row orders "１３９＊＊＊＊１２３４" "$O1" "the masked phone in full width"
row orders 广东省 "$O1" "the province (written traditional, typed simplified)"
row orders 深圳市 "$O1" "the city"
row orders 南山区 "$O1" "the district"
row orders 科苑路88号 "$O1" "the street line"
row orders 加急 "$O1" "a word of the staff note"
row orders Mate60 "$O1" "a model number as written"
row orders "mate 60" "$O1" "the model number with a space"
row orders "ＭＡＴＥ６０" "$O1" "the model number in full width"
row orders "$SKU1" "$O1" "a SKU code of its items"
row orders "$CUST" "$O1" "its customer's id"
row orders "南山区 加急" "$O1" "two terms, both required"
row orders SF7766554433221 "$O2" first "the tracking number"
row orders sf7766554433221 "$O2" first "the tracking number in lower case"
row orders 7766554433221 "$O2" first "the tracking number without its carrier prefix"
row orders 33221 "$O2" "the tracking number's tail"
row orders 顺丰 "$O2" "the carrier by its Chinese name"
row tickets 屏幕碎裂 "$T3" "a ticket's reason"
row tickets XR-7 "$T3" "a word of its description"
row tickets "$O3" "$T3" "its order"
row tickets 退货退款 "$T3" "its kind in Chinese"
row tickets "return refund" "$T3" "its kind in English"
row tickets "$T3" "$T3" first "its id"
row chats ZX9001 "$CV" "a word of one of its messages"
row chats "$CV" "$CV" first "a chat by its id"
row customers "$CUST" "$CUST" first "a customer by id"
row customers "$CNAME" "$CUST" "by name"
row customers "$CPHONE" "$CUST" first "by phone"
row customers "${CPHONE: -4}" "$CUST" "by the phone's last four digits"
row customers "${CPHONE:0:3}****${CPHONE: -4}" "$CUST" "by the phone masked as shown"
row customers "$CCITY" "$CUST" "by city"
row customers "$CLEVEL_ZH" "$CUST" "by level in Chinese"
row stock "$S1" "$S1" first "a SKU by id"
row stock "$SBAR" "$S1" first "by barcode"
row stock "${SBAR: -5}" "$S1" "by the barcode's tail"
row stock "$STITLE" "$S1" "by product title"
row stock "$SVAR" "$S1" "by variant"
row promos 双十二 "$P" "a promotion's name typed simplified"
row promos "$P" "$P" first "a promotion by id"
row promos threshold "$P" "by kind"

# Query syntax typed is text: no error, no crash.
for q in '"' 'OR' 'a AND' 'NEAR(' '*' '^x' 'col:val' '"OR" NEAR( * -'; do
	sd orders list -q "$q" --format csv >/dev/null 2>"$T/syn.err"
	rc=$?
	[ $rc = 0 ] && ! grep -qi 'syntax\|fts5' "$T/syn.err"
	ok $? "query syntax '$q' is plain text (exit $rc)"
done

# Masking: searching by the full number shows it masked.
out=$(sd orders list -q 13955501234 2>/dev/null)
printf '%s\n' "$out" | grep -q 13955501234
ok $((!$?)) "a search by phone never prints the unmasked number"
out=$(sd find 13955501234 2>/dev/null)
printf '%s' "$out" | grep -q 13955501234
ok $((!$?)) "nor does find"

# find: every kind at once, grouped, exact first.
out=$(sd find "$O3")
printf '%s\n' "$out" | grep -q '^orders: ' && printf '%s\n' "$out" | grep -q '^tickets: '
ok $? "find ORDER lists the order and its ticket, grouped"
is "$(printf '%s\n' "$out" | sed -n '/^orders:/{n;n;p;}' | awk '{print $1}')" "$O3" \
	"find's first order is the exact one"
sd find zzqqxxnothing >/dev/null 2>&1
is $? 5 "find with no hit exits 5"
n=$(jget "$(sd find "$O3" --format json)" '$.orders.total')
[ "${n:-0}" -ge 1 ]
ok $? "find --format json is JSON with a total per kind ($n orders)"

# The console: / in the orders pane, highlight, and g/ (go to anything).
console 80 24 "$SHOPDESK" --profile admin
expect "online" "the console starts"
keys 2
expect "Orders [All]" "the orders pane"
keys /
type_text 南山区
keys Enter
expect "/南山区" "the search is in the title"
first=$(screen | grep -E "^[ *]SO" | head -1 | awk '{print $1}' | tr -d '*')
is "$first" "$O1" "/南山区 lists the order written with that district"
keys Enter
expect "139****1234" "its detail shows the phone masked"
tm capture-pane -p -e | grep -qP '\e\[[0-9;]*\b4[0-9;]*m(\e\[[0-9;]*m)*南山区'
ok $? "the matched district is lit (underlined) in the detail"
keys Left
wait_for "Orders [All]" >/dev/null
keys BSpace
wait_gone "/南山区"
keys /
type_text 7766554433221
keys Enter
expect "/7766554433221" "a search by tracking number without its prefix"
first=$(screen | grep -E "^[ *]SO" | head -1 | awk '{print $1}' | tr -d '*')
is "$first" "$O2" "finds the shipped order first"
keys Enter
expect "SF7766554433221" "its detail shows the tracking number"
tm capture-pane -p -e >"$T/lit.txt"
grep -qP 'SF\e\[[0-9;]*\b4[0-9;]*m(\e\[[0-9;]*m)*7766554433221' "$T/lit.txt"
ok $? "the part typed is lit, the carrier prefix not"
keys Left
wait_for "Orders [All]" >/dev/null
keys BSpace
keys g /
expect ":find" "g/ opens the : line with find"
type_text "$T3"
keys Enter
expect "After-sales [All]" "one hit: its pane opens at once"
expect "$T3" "on the ticket"
keys g /
type_text "$CUST"
keys Enter
expect "Find '$CUST'" "several hits: the go-to list"
keys j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j
expect "Customers: 1" "grouped by kind, with counts (j scrolls to the last)"
keys k k k k k k k k k k k k k k k k k k k k k k k k k k k k k k
keys Enter
expect "Orders [All]  /SO" "Enter opens the first hit in its pane, searching for its id"
# More hits of a kind than are shown: its last row lists them all in its pane.
keys g /
type_text SO
keys Enter
expect "Find 'SO'" "a text most orders match: the go-to list"
n=$(screen | sed -n 's/^Orders: \([0-9]*\) (the first 8)$/\1/p')
[ -n "$n" ] && [ "$n" -gt 8 ]
ok $? "it shows the first 8 orders of ${n:-?}"
keys j j j j j j j j
expect "-> all $n in Orders (Enter)" "the row after them offers all $n"
keys Enter
expect "Orders [All]  /SO" "Enter lists them in the Orders pane, searching for the text"
expect "1/$n" "... all $n of them"
keys BSpace
keys g /
type_text zzqqxxnothing
keys Enter
expect "nothing found for 'zzqqxxnothing'" "no hit is said on the message line"

# The inventory opens on all SKUs: a search reaches every one.
keys 5
expect "Inventory [All]" "the stock pane opens on all SKUs"
keys /
type_text "$S1"
keys Enter
expect " $S1 " "a search in the inventory finds a SKU that is not low"
keys BSpace
# A search in a tab that hides the hit says where it is.
keys :
type_text "filter low"
keys Enter
expect "Inventory [Low]" "the Low tab"
keys /
type_text "$S1"
keys Enter
expect "no match in this tab; 1 in all (0 shows all)" "nothing in the tab: the others' count"
keys 0
expect " $S1 " "0 shows it"
keys BSpace

# Every row of the table again, in the console: / in the kind's pane, the
# hit on the screen (first in the list where the CLI has it first).
console 120 60 "$SHOPDESK" --profile admin
expect "online" "a tall console for the table"
for r in "${ROWS[@]}"; do
	IFS='|' read -r noun q want first desc <<<"$r"
	case $noun in
	orders) p=2 ;; tickets) p=3 ;; chats) p=4 ;; stock) p=5 ;; promos) p=6 ;; *) continue ;;
	esac
	keys "$p"
	keys 0		# all statuses: the stock pane opens on low stock
	keys /
	type_text "$q"
	keys Enter
	if ! wait_for "Backspace clears"; then
		ok 1 "console $noun /$q: no answer"
		screen | sed 's/^/#   |/' | tail -3
		keys Escape
		continue
	fi
	if [ "$first" = 1 ]; then
		got=$(screen | sed -n '4,$p' | grep -oE "^[ *][A-Z]{1,2}[0-9]+" | head -1 | tr -d ' *')
		is "$got" "$want" "console $noun /$q: $desc (first)"
	else
		screen | grep -qF -- "$want"
		ok $? "console $noun /$q: $desc"
	fi

	keys BSpace
	wait_gone "Backspace clears" >/dev/null
done

done_testing
