#!/bin/bash
# untrusted.sh -- text from the store and from the user that is not what it
# should be: invalid UTF-8, NUL bytes, input of any length. Every output stays
# what it promises (JSON is valid UTF-8 JSON, nothing is cut silently) and every
# error message stays one short, clean line.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --orders 30 --db "$T/store.db"
profile admin
sd sync >/dev/null || { echo "Bail out! first sync"; exit 1; }

# --- text the store's API would refuse, put in its database behind its back ---------
stop_store
sqlite3 "$T/store.db" "
UPDATE objects SET json = json_set(json, '\$.note', 'NOTE1') WHERE kind = 0 AND id = 'SO10000001';
UPDATE objects SET json = json_set(json, '\$.note', 'NOTE2') WHERE kind = 0 AND id = 'SO10000002';
UPDATE objects SET json = replace(json, '\"NOTE1\"', '\"nul\\u0000after\"'), version = version + 1,
	seq = (SELECT max(seq) + 1 FROM objects) WHERE kind = 0 AND id = 'SO10000001';
UPDATE objects SET json = replace(json, '\"NOTE2\"', '\"bad' || CAST(X'FF' AS TEXT) || 'byte\"'),
	version = version + 1, seq = (SELECT max(seq) + 1 FROM objects)
	WHERE kind = 0 AND id = 'SO10000002';"
STORE_PORT=$PORT start_store --db "$T/store.db"
sd sync >/dev/null
ok $? "a sync takes objects with a NUL escape and an invalid byte"

# json_invalid_utf8: one bad byte made the whole export invalid JSON.
for cmd in "orders list --all" "orders show SO10000002" "find SO10000002" "orders list -q bad"; do
	sd $cmd --format json >"$T/out.json" 2>"$T/err"
	is "$(sqlite3 :memory: "SELECT json_valid(readfile('$T/out.json'))")" 1 \
		"$cmd --format json is valid JSON"
	iconv -f UTF-8 -t UTF-8 "$T/out.json" >/dev/null 2>&1
	ok $? "$cmd --format json is valid UTF-8"
done
grep -q 'bad\\ufffdbyte' "$T/out.json"
ok $? "the invalid byte is U+FFFD in JSON"

# nul_in_store_text: \u0000 cut the text there, in every output.
sd orders show SO10000001 >"$T/show.txt"
grep -q "nul�after" "$T/show.txt"
ok $? "a NUL from the store is U+FFFD in a table, and what follows is kept"
sd orders show SO10000001 --format json >"$T/show.json"
grep -q 'nul\\ufffdafter\|nul�after' "$T/show.json"
ok $? "and the same in JSON"
sd orders list --all --format csv | grep -q "SO10000001"
ok $? "the object is listed"
sd orders list -q after --format csv | grep -q "SO10000001"
ok $? "and found by the text after the NUL"

# --- NUL bytes from the user are refused, not cut --------------------------------------
cid=$(sd chats list --status open --limit 1 --format csv | sed -n 2p | cut -d, -f1)
printf 'hello\0world' | sd chats send "$cid" --body - >"$T/out" 2>"$T/err"
is "$?" 2 "chats send --body - with a NUL byte is a usage error"
grep -q "NUL byte (at byte 5)" "$T/err"
ok $? "saying where the NUL is ($(cat "$T/err"))"
sd outbox list --format json >"$T/outbox.json"
is "$(sqlite3 :memory: "SELECT json_array_length(readfile('$T/outbox.json'))")" 0 "nothing was queued"

printf 'order_id,carrier,tracking_no\nSO10000003,SF,SF12345\000678901\n' >"$T/nul.csv"
sd ship --from-csv "$T/nul.csv" >"$T/out" 2>"$T/err"
is "$?" 2 "a CSV field with a NUL byte is a usage error"
grep -q "line 2: tracking_no: a NUL byte" "$T/err"
ok $? "naming the line and the field ($(head -1 "$T/err"))"
sd outbox list --format json >"$T/outbox.json"
is "$(sqlite3 :memory: "SELECT json_array_length(readfile('$T/outbox.json'))")" 0 "nothing was queued"

# --- error_echo_bounded: a 2 MB field came back as a 2 MB "one-line" error -------------
long=$(head -c 2097152 /dev/zero | tr '\0' 'A')
printf 'order_id,carrier,tracking_no\nSO10000003,SF,%s\n' "$long" >"$T/long.csv"
sd ship --from-csv "$T/long.csv" >"$T/out" 2>"$T/err"
is "$?" 2 "a 2 MB tracking number is refused"
ok $([ "$(wc -c <"$T/err")" -lt 600 ] && echo 0 || echo 1) \
	"the error is short ($(wc -c <"$T/err") bytes): $(head -1 "$T/err" | cut -c1-200)"
grep -q "line 2: .*; tracking number 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA… (2097152 bytes)'" "$T/err"
ok $? "it echoes the first 60 characters, then … and the whole length"
printf 'order_id,carrier,tracking_no\nSO10000003,"S\033]0;pwn\007F\033[2J%s",SF123456789\n' "$long" >"$T/esc.csv"
sd ship --from-csv "$T/esc.csv" >"$T/out" 2>"$T/err"
LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$T/err"
is "$?" 1 "no control character in the echo"
ok $([ "$(wc -c <"$T/err")" -lt 800 ] && echo 0 || echo 1) "and it is short too ($(wc -c <"$T/err") bytes)"
sd orders show "$(head -c 100000 /dev/zero | tr '\0' 'S')" >"$T/out" 2>"$T/err"
is "$?" 5 "a 100000-character id is not found"
ok $([ "$(wc -c <"$T/err")" -lt 400 ] && echo 0 || echo 1) \
	"the error is short: $(cat "$T/err")"
grep -q "… (100000 bytes)" "$T/err"
ok $? "with the id's whole length"
sd orders list --status "$(head -c 5000 /dev/zero | tr '\0' 'x')" >"$T/out" 2>"$T/err"
is "$?" 2 "a 5000-character status is a usage error"
ok $([ "$(head -1 "$T/err" | wc -c)" -lt 800 ] && echo 0 || echo 1) \
	"its message is bounded ($(head -1 "$T/err" | wc -c) bytes)"
cfg="$T/long.conf"
printf '[p]\nurl = http://127.0.0.1:1\nsign = %s\n' "$(head -c 4000 /dev/zero | tr '\0' 'y')" >"$cfg"
"$SHOPDESK" --config "$cfg" --profile p status >"$T/out" 2>"$T/err"
is "$?" 3 "a long bad value in the configuration is refused"
ok $([ "$(wc -c <"$T/err")" -lt 400 ] && echo 0 || echo 1) "with a short message: $(cat "$T/err")"

done_testing
