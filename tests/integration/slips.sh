#!/usr/bin/env bash
# slips.sh -- `shopdesk orders slip`: packing slips as PDF. The PDF holds a
# Code 128 image of zint's size for each order and the order number as
# text, the recipient's real name, SKU codes and quantities; a role that
# may not see the address is refused and nothing is written; the reveal is
# in the audit log; --print pipes the PDF to the profile's print-command.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --orders 2000
profile wh1 "print-command = cat > $T/printed.pdf"
profile ops1
PROFILE=wh1
sd sync >/dev/null 2>&1
ok $? "the warehouse syncs"
PROFILE=ops1 sd sync >/dev/null 2>&1
sd orders list --status awaiting_shipment --all --format json >"$T/list.json"
set -- $(sqlite3 :memory: "SELECT json_extract(value, '$.id') FROM json_each(readfile('$T/list.json'))
    ORDER BY 1 LIMIT 2")
a=${1:-} b=${2:-}
sd orders show "$a" --reveal --format json >"$T/a.json" 2>/dev/null
name=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/a.json'), '$.address.name')")
sku=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/a.json'), '$.items[0].sku_id')")
qty=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/a.json'), '$.items[0].quantity')")

sd orders slip "$a" "$b" --output "$T/slips.pdf" 2>"$T/err"
is "$?" 0 "orders slip A B --output FILE ($(head -c 200 "$T/err"))"
is "$(head -c 5 "$T/slips.pdf")" "%PDF-" "a PDF is written"
is "$(grep -ac '/Type /Page$' "$T/slips.pdf")" 2 "one page per order"
is "$(grep -ac '/Subtype /Image' "$T/slips.pdf")" 2 "an image on each: the barcode"
# The Code 128 image: as wide as zint draws the order number (11 characters
# of code set B or C), black and white, no colour.
grep -aq '/ColorSpace /DeviceGray' "$T/slips.pdf"
ok $? "the barcode is a grey image (bars)"
# Code 128 of SO + 8 digits: Start B, S, O, Code C, four digit pairs, the
# check symbol (11 modules each) and Stop (13) are 112 modules, with two
# quiet zones of 10: 132 modules, 2 pixels each.
case $a in SO[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) w=264 ;; *) w=unexpected ;; esac
is "$(grep -a -A3 '/Subtype /Image' "$T/slips.pdf" | grep -a -m1 '/Width' | tr -d '\r')" \
	"/Width $w" "the image is the Code 128 symbol of $a (132 modules)"
grep -aq "($a) Tj" "$T/slips.pdf"
ok $? "the order number is printed as text under it"
grep -aq "($b) Tj" "$T/slips.pdf"
ok $? "... on the second slip too"
grep -aq '/BaseFont /SimSun' "$T/slips.pdf"
ok $? "Chinese text is set in SimSun"
# Text in SimSun is written as GBK in hex: <...> Tj.
hex() { od -An -tx1 | tr -d ' \n' | tr a-f A-F; }
gbk=$(printf '%s' "$name" | iconv -f UTF-8 -t GBK | hex)
grep -aq "<$gbk[0-9A-F]*> Tj" "$T/slips.pdf"
ok $? "the recipient's name ($name) is on the slip, unmasked"
line=$(printf '%-10s x%-3s' "$sku" "$qty" | hex)
grep -aq "<$line[0-9A-F]*> Tj" "$T/slips.pdf"
ok $? "the items: SKU code and quantity ($sku x$qty)"
grep -q " reveal order $a" "$XDG_STATE_HOME/shopdesk/audit.log" 2>/dev/null
ok $? "the slip's reveal of the address is in the audit log"

sd orders slip "$a" --print 2>/dev/null
is "$?" 0 "--print pipes to the profile's print-command"
is "$(head -c 5 "$T/printed.pdf" 2>/dev/null)" "%PDF-" "the printer got the PDF"

PROFILE=ops1 sd orders slip "$a" --output "$T/ops.pdf" 2>"$T/err"
is "$?" 4 "operations may not print a slip (it carries the address)"
grep -q "your role (ops) may not see; admin or warehouse prints slips" "$T/err"
ok $? "... and is told why ($(head -c 200 "$T/err"))"
[ ! -e "$T/ops.pdf" ]
ok $? "nothing is written"
sd orders slip SO99999999 --output "$T/none.pdf" 2>/dev/null
is "$?" 5 "an unknown order: not found"

done_testing
