#!/usr/bin/env bash
# shipment.sh -- correcting a shipment in the console, in-process at 80x24
# (SHOPDESK_SCRIPT; see inprocess.sh). As the warehouse: W on a shipped order
# opens ":correct "; the corrected waybill is queued and the order's detail
# shows it at once (the pending overlay); another order's tracking number is
# refused on the bottom line with the other order named, nothing queued. The
# order's timeline in the store's zone, named in both languages.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --orders 2000
profile wh1
PROFILE=wh1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/wh1.db"
# Each run on a fresh copy of the synced cache, without a token: no sync thread.
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/run.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
RUN_BEFORE='cp "$DB" "$T/run.db"'

sd orders list --status awaiting_shipment --all --format json >"$T/list.json"
set -- $(sqlite3 :memory: "SELECT json_extract(value, '$.id') FROM json_each(readfile('$T/list.json'))
    WHERE json_extract(value, '$.abnormal') IS NULL ORDER BY 1 LIMIT 2")
a=${1:-} b=${2:-}
sd ship "$a" --carrier SF --tracking SF9100000000001 --wait >/dev/null 2>&1 &&
	sd ship "$b" --carrier JD --tracking JD9100000000002 --wait >/dev/null 2>&1
ok $? "two orders shipped ($a, $b)"

# The : line clears the message line: a message is seen with "dump FILE",
# which presses no key.
run "key 2
:search $a
key <Enter>
dump $T/before
key W
dump $T/prompt
type JD JD9100000000002
key <Enter>
dump $T/refused
key W
type YTO YT9100000000003 扫错单号
key <Enter>
dump $T/queued"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/before" "SF SF9100000000001" "the detail shows the shipment"
has "$T/prompt" ":correct" "W opens the : line with correct typed"
has "$T/refused" "tracking number JD9100000000002 is order $b's" \
	"another order's tracking number is refused, naming it"
has "$T/queued" ": correct $a's shipment to YTO YT9100000000003" "the correction is queued"
has "$T/queued" "shipment   YTO YT9100000000003" "the detail shows the corrected waybill at once"
hasnt "$T/queued" "shipment   SF SF9100000000001" "... and not the old one"
has "$T/queued" "1 pending" "the status line counts it"
is "$(wc -l <"$T/queued" | tr -d ' ')" 24 "the screen is 24 lines"

is "$(sqlite3 "$T/run.db" "SELECT count(*) FROM outbox")" 1 "one action queued, the refused one not"

# The timeline: each entry at its time in the store's zone (Asia/Shanghai),
# named in the interface's language, "system" too; never the raw RFC 3339.
sd orders show "$a" --format json >"$T/a.json"
at0=$(jget "$(cat "$T/a.json")" '$.timeline[0].at')
ev0=$(jget "$(cat "$T/a.json")" '$.timeline[0].event')
when=$(TZ=Asia/Shanghai date -d "$at0" '+%m-%d %H:%M')
has "$T/before" "$when  $ev0" "the timeline's first entry at its store time ($at0 -> $when $ev0)"
hasnt "$T/before" "$at0" "... not in RFC 3339 UTC"
grep -Eq '^[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  shipped  [^ ].* \(U[0-9]+\)' "$T/before"
ok $? "... and the shipment in it, with its time and the packer by name"
RUN_ENV=LANGUAGE=zh_CN run "key 2
:search $a
key <Enter>
dump $T/zh"
has "$T/zh" "$when  创建" "in Chinese the entries are named: 创建 (created)"
grep -Eq '^[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  已发货  ' "$T/zh"
ok $? "... 已发货 (shipped)"

done_testing
