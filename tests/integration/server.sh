#!/usr/bin/env bash
# server.sh -- the reference store keeps the Store API v1 contract: auth, roles,
# the change feed and long polling, idempotency, versions, state machines,
# rate limiting, signing, deterministic seeding.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 21 --orders 3000
code() { tail -1 | sed 's/HTTP //'; }

# Both programs say their version with -V and --version, as one release.
v=$("$SHOPDESK" -V 2>&1)
for o in -V --version; do
	is "$("$SHOPDESK_STORE" $o 2>&1)" "shopdesk-store ${v#shopdesk }" "shopdesk-store $o: its version, shopdesk's"
done

is "$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/orders?limit=1")" 401 "no token: 401"
printf 'Authorization: Bearer nope\n' >"$T/bad.h"
is "$(curl -s -o /dev/null -w '%{http_code}' -H @"$T/bad.h" "$URL/v1/orders?limit=1")" 401 "unknown token: 401"
is "$(api admin GET '/v1/orders?limit=2' | code)" 200 "admin lists orders"
body=$(api admin GET '/v1/tickets?limit=1' | head -1)
tid=$(jget "$body" '$.items[0].id')
is "$(api wh1 GET "/v1/tickets/$tid" | code)" 403 "warehouse may not read a ticket: 403"
is "$(jget "$(api wh1 GET "/v1/tickets/$tid" | head -1)" '$.error.code')" forbidden "error code forbidden"
is "$(api admin GET /v1/orders/SO00000000 | code)" 404 "unknown order: 404"
me=$(api agent1 GET /v1/me | head -1)
is "$(jget "$me" '$.role')" agent "/v1/me names the role"

# --- change feed ---------------------------------------------------------------
curl -s -D "$T/h" -o "$T/feed.json" -H @"$T/auth.h" "$URL/v1/changes?since=0&limit=50"
grep -qi '^X-Next-Since: [0-9]' "$T/h"
ok $? "feed sends X-Next-Since"
grep -qi '^X-Has-More: 1' "$T/h"
ok $? "feed sends X-Has-More"
is "$(sqlite3 :memory: "SELECT json_array_length(readfile('$T/feed.json'),'\$.changes')")" 50 "feed page size honoured"
is "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$T/feed.json'),'\$.changes') a JOIN json_each(readfile('$T/feed.json'),'\$.changes') b ON a.key+1=b.key WHERE json_extract(a.value,'\$.seq') >= json_extract(b.value,'\$.seq')")" \
	0 "feed sequence strictly increasing"
head=$(jget "$(cat "$T/feed.json")" '$.head')
api agent1 GET /v1/me >/dev/null	# auth.h now holds agent1's token
# curl's own bound: a poll that did not wake would run into --max-time.
curl -s --max-time 20 -H @"$T/auth.h" "$URL/v1/changes?since=$head&limit=10&wait=30" \
	>"$T/poll.out" &
poll=$!
sleep 0.5
cid=$(jget "$(api admin GET '/v1/conversations?limit=1&status=open' | head -1)" '$.items[0].id')
api agent1 POST "/v1/conversations/$cid/messages" '{"body":"long poll wake"}' "Idempotency-Key: lp-1" >/dev/null
wait $poll
ok $? "long poll returned after the write"
grep -q 'long poll wake' "$T/poll.out"
ok $? "long poll carries the new message"

# --- writes: idempotency, versions, transitions ---------------------------------------
api admin GET '/v1/orders?limit=200&status=awaiting_shipment' | head -1 >"$T/aw.json"
oid=$(sqlite3 :memory: "SELECT json_extract(value,'\$.id') FROM json_each(readfile('$T/aw.json'),'\$.items') WHERE json_type(value,'\$.abnormal') = 'null' LIMIT 1")
ver=$(jget "$(api admin GET "/v1/orders/$oid" | head -1)" '$.version')
is "$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"SF","tracking_no":"SF000000000001"}' "If-Match: $ver" | code)" \
	400 "a write without Idempotency-Key: 400"
is "$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"SF","tracking_no":"SF000000000001"}' "Idempotency-Key: k1" | code)" \
	412 "a write without If-Match: 412"
is "$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"SF","tracking_no":"SF000000000001"}' "Idempotency-Key: k2" "If-Match: $((ver - 1))" | code)" \
	409 "a stale If-Match: 409"
r=$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"SF","tracking_no":"SF000000000001"}' "Idempotency-Key: k3" "If-Match: $((ver - 1))" | head -1)
is "$(jget "$r" '$.error.details.current.version')" "$ver" "409 carries the current object"
is "$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"XX","tracking_no":"SF000000000001"}' "Idempotency-Key: k4" "If-Match: $ver" | code)" \
	422 "unknown carrier: 422"
r1=$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"SF","tracking_no":"SF000000000001"}' "Idempotency-Key: ship-once" "If-Match: $ver")
is "$(echo "$r1" | code)" 200 "ship: 200"
r2=$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"SF","tracking_no":"SF000000000001"}' "Idempotency-Key: ship-once" "If-Match: $ver")
is "$(echo "$r2" | head -1)" "$(echo "$r1" | head -1)" "replay with the same key returns the first answer"
is "$(jget "$(api admin GET /_control/ledger | head -1)" '$.by_key."ship-once"')" 1 "the ship was applied once"
is "$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"JD","tracking_no":"JD000000000001"}' "Idempotency-Key: ship-once" "If-Match: $ver" | code)" \
	422 "same key, different body: 422"
r=$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"SF","tracking_no":"SF000000000002"}' "Idempotency-Key: ship-twice" "If-Match: $((ver + 1))")
is "$(echo "$r" | code)" 422 "shipping a shipped order: 422"
is "$(jget "$(echo "$r" | head -1)" '$.error.code')" invalid_transition "invalid_transition"
jget "$(echo "$r" | head -1)" '$.error.details.allowed' | grep -q deliver
ok $? "and lists the allowed actions"
is "$(api wh1 POST "/v1/orders/$oid/cancel" '{"reason":"x"}' "Idempotency-Key: wh-cancel" "If-Match: $((ver + 1))" | code)" \
	403 "warehouse may not cancel: 403"
stop_store

# --- rate limiting -------------------------------------------------------------------------
start_store --seed 1 --orders 50 --rate 5 --burst 5
api admin GET /v1/me >/dev/null	# auth.h holds admin's token
# Twenty requests from one curl on one connection: well inside a second even on a
# loaded machine, where twenty curl processes may take long enough to stay under the rate.
urls=()
for i in $(seq 1 20); do urls+=("$URL/v1/me"); done
curl -s -D "$T/hdr.all" -H @"$T/auth.h" "${urls[@]}" >/dev/null
codes=$(grep -E '^HTTP/' "$T/hdr.all" | awk '{ print $2 }' | sort | uniq -c | tr -s ' \n' '  ')
echo "$codes" | grep -q ' 429'
ok $? "over the rate: 429 ($codes)"
# Each answer's headers run from its status line to the next: every 429 has Retry-After.
bad=$(tr -d '\r' <"$T/hdr.all" | awk '/^HTTP\// { if (t) bad++; t = ($2 == 429); next }
	tolower($0) ~ /^retry-after: [0-9]/ { t = 0 } END { if (t) bad++; print bad + 0 }')
is "$bad" 0 "every 429 carries Retry-After"
stop_store

# --- signing -----------------------------------------------------------------------------
start_store --seed 1 --orders 100 --require-signing
is "$(api admin GET /v1/me | code)" 401 "unsigned request refused when signing is required"
profile admin "sign = yes"
PROFILE=admin
"$SHOPDESK" --profile admin sync >/dev/null 2>"$T/e"
ok $? "signed sync accepted $(cat "$T/e")"
stop_store

# --- deterministic seeding ---------------------------------------------------------------
start_store --seed 5 --orders 300 --now 2026-11-20T08:00:00Z
d1=$(api admin GET /_control/digest | head -1)
stop_store
rm -rf "$T/tokens"
start_store --seed 5 --orders 300 --now 2026-11-20T08:00:00Z
d2=$(api admin GET /_control/digest | head -1)
stop_store
# Users carry no token in their objects, so the same seed gives the same store.
is "$d1" "$d2" "same seed, same data"

done_testing
