#!/usr/bin/env bash
# outbox-order.sh -- a replay sends entries on different objects at once (a
# few connections, groups of many entries) but keeps each object's order:
# thirty adjustments of one SKU queued in the middle of 1,200 on forty others
# reach the store in the order they were queued, each on the version the one
# before made (If-Match), none twice; and a conflict on one SKU stops that
# SKU's later entries only, while the others go on.
# (The store is not rate limited here: 429s would defer entries, another test.)
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 11 --orders 300 --rate 1000000 --burst 1000000
profile admin
PROFILE=admin
sd sync >/dev/null
ok $? "initial sync"

sd stock list --all --format csv | awk -F, 'NR > 1 { print $1 }' | head -42 >"$T/skus"
is "$(wc -l <"$T/skus")" 42 "42 SKUs to adjust"
hot=$(head -1 "$T/skus")
cold=$(sed -n 2p "$T/skus")
sed -n '3,$p' "$T/skus" >"$T/others"
stock() { jget "$(api admin GET "/v1/skus/$1" | head -1)" '$.stock'; }
hot0=$(stock "$hot")

# Thirty rounds, one CSV file each: the hot SKU in the middle of forty others,
# by a different delta each round (1, 2, ... 30). Queued only: nothing is sent.
for r in $(seq 1 30); do
	{ echo "sku_id,delta,reason"
	  head -20 "$T/others" | sed 's/$/,1,inbound/'
	  echo "$hot,$r,inbound"
	  sed -n '21,$p' "$T/others" | sed 's/$/,1,inbound/'; } >"$T/round.csv"
	sd stock adjust --from-csv "$T/round.csv" >/dev/null 2>&1 || echo "round $r failed"
done >"$T/rounds.err"
is "$(cat "$T/rounds.err")" "" "30 CSV files queued"
sd outbox list --format json >"$T/queued.json"
is "$(json_count <"$T/queued.json")" 1230 "1230 entries in the outbox"
# The hot SKU's keys in the order they were queued.
sqlite3 :memory: "SELECT json_extract(value, '\$.key') FROM json_each(readfile('$T/queued.json'))
    WHERE json_extract(value, '\$.object_id') = '$hot' ORDER BY json_extract(value, '\$.id')" \
	>"$T/hot.keys"
is "$(wc -l <"$T/hot.keys")" 30 "30 of them on $hot"

sd sync --format json >"$T/sync.json" 2>"$T/sync.err"
ok $? "replayed"
is "$(jget "$(cat "$T/sync.json")" '$.applied')/$(jget "$(cat "$T/sync.json")" '$.conflicts')" \
	"1230/0" "1230 applied, no conflict"

# The store's audit, oldest first: the hot SKU's writes in the queued order,
# each If-Match the version the one before gave.
api admin GET /_control/audit | head -1 >"$T/audit.json"
sqlite3 :memory: "SELECT json_extract(value, '\$.key') || ' ' || json_extract(value, '\$.if_match')
    || ' ' || json_extract(value, '\$.version') FROM json_each(readfile('$T/audit.json'), '\$.items')
    WHERE json_extract(value, '\$.path') = '/v1/skus/$hot/adjust' ORDER BY key DESC" \
	>"$T/hot.audit"
is "$(cut -d' ' -f1 "$T/hot.audit" | tr '\n' ' ')" "$(tr '\n' ' ' <"$T/hot.keys")" \
	"$hot: its 30 writes reached the store in the order queued"
awk 'NR > 1 && $2 != prev { bad++ } { prev = $3 } END { exit bad > 0 }' "$T/hot.audit"
ok $? "$hot: each on the version the one before made"
is "$(stock "$hot")" $((hot0 + 465)) "$hot: stock up by 1 + 2 + ... + 30"
ledger=$(api admin GET /_control/ledger | head -1)
is "$(jget "$ledger" '$.applied')" 1230 "the store applied 1230 writes, none twice"
is "$(sd outbox list --format json | json_count)" 0 "the outbox is empty"

# A conflict on one SKU: its later entries wait, the others go on.
v=$(jget "$(api admin GET "/v1/skus/$cold" | head -1)" '$.version')
for i in 1 2 3; do sd stock adjust "$cold" --delta 1 --reason inbound >/dev/null 2>&1; done
for s in $(head -10 "$T/others"); do sd stock adjust "$s" --delta 1 --reason inbound >/dev/null 2>&1; done
is "$(call admin POST "/v1/skus/$cold/adjust" '{"delta":5,"reason":"inbound"}' "$v")" 200 \
	"someone else adjusts $cold first"
sd sync --format json >"$T/sync2.json" 2>/dev/null
is "$(jget "$(cat "$T/sync2.json")" '$.applied')/$(jget "$(cat "$T/sync2.json")" '$.conflicts')" \
	"10/1" "the ten others applied, $cold in conflict"
is "$(sd outbox list --format json | json_count)" 3 "$cold's three entries are still in the outbox"
is "$(sd outbox list --state conflict --format json | json_count)" 1 "the first in conflict, the others waiting behind it"

done_testing
