#!/usr/bin/env bash
# sync.sh -- pull sync against the reference store: a full sync equals the
# store, incremental sync after changes, one request when nothing changed,
# kill -9 mid-sync then resume, roles.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 7 --orders 3000
for u in admin agent1 wh1 ops1; do profile $u; done

# --- full sync equals the store, for every role's view -----------------------
for u in admin agent1 wh1 ops1; do
	PROFILE=$u
	out=$(sd sync 2>&1)
	ok $? "full sync as $u ($out)"
	is "$(sd cache digest)" "$(store_digest $u)" "cache digest equals the store's as $u"
done
# --- a mistyped URL binds nothing: fixed, the same cache syncs --------------------
printf '[typo]\nurl = http://127.0.0.1:1\ntoken-file = %s\ncache = %s\n' \
	"$T/tokens/admin.token" "$T/typo.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
"$SHOPDESK" --profile typo sync --quiet >/dev/null 2>&1
is "$?" 6 "a first sync against a mistyped URL fails as unreachable"
printf '[typo-fixed]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$URL" \
	"$T/tokens/admin.token" "$T/typo.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
"$SHOPDESK" --profile typo-fixed sync --quiet >/dev/null 2>"$T/typo.err"
ok $? "with the URL fixed the same cache syncs$(head -c 200 "$T/typo.err")"
"$SHOPDESK" --profile typo sync --quiet >/dev/null 2>"$T/typo.err"
is "$?" 3 "and is bound to the store that answered"
grep -q "mirrors $URL, not http://127.0.0.1:1" "$T/typo.err"
ok $? "saying which: $(head -c 200 "$T/typo.err")"

# --- a first sync on a terminal says which step of its indexing it is at --------
printf '[tty]\nurl = %s\ntoken-file = %s\ncache = %s\n' "$URL" \
	"$T/tokens/admin.token" "$T/tty.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
printf '' | script -qec "'$SHOPDESK' --profile tty sync" /dev/null >"$T/tty.out" 2>&1
ok $? "a first sync on a terminal"
for s in "day figures (1 of 4)" "list indexes (2 of 4)" "full-text search (3 of 4)" \
    "saving (4 of 4)"; do
	grep -q "building indexes for [0-9]* objects: $s, [0-9]* s" "$T/tty.out"
	ok $? "its indexing says what it does: $s"
done

PROFILE=admin
counts=$(sd status --format json)
is "$(jget "$counts" '$.counts.order')" 3000 "all 3000 orders cached"
for k in ticket conversation message product sku promotion customer canned_reply user; do
	n=$(jget "$counts" "\$.counts.$k")
	[ "${n:-0}" -gt 0 ]
	ok $? "admin cache has ${k}s ($n)"
done
PROFILE=wh1
counts=$(sd status --format json)
is "$(jget "$counts" '$.counts.ticket')" 0 "warehouse gets no tickets (role filter)"
is "$(jget "$counts" '$.counts.conversation')" 0 "warehouse gets no chats"
PROFILE=ops1
n=$(sd customers list --all --format json --reveal | grep -c '"phone":"1[3-9][0-9]\{9\}"')
is "$n" 0 "ops receives customer phones masked by the store"

# --- a second sync with nothing changed costs one request ---------------------
PROFILE=admin
out=$(sd sync)
case "$out" in
*"changes=0 "*"requests=1 "*) ok 0 "second sync: no changes, one request ($out)" ;;
*) ok 1 "second sync: no changes, one request ($out)" ;;
esac

# --- incremental: changes made on the store arrive -----------------------------
oid=$(sd orders list --status awaiting_shipment --all --format csv | awk -F, 'NR > 1 && $4 == "" { print $1; exit }')
ver=$(jget "$(sd orders show "$oid" --format json)" '$.version')
res=$(api wh1 POST "/v1/orders/$oid/ship" '{"carrier":"SF","tracking_no":"SF123456789012"}' \
	"Idempotency-Key: t-ship-1" "If-Match: $ver")
case "$res" in *"HTTP 200") ok 0 "store ships $oid" ;; *) ok 1 "store ships $oid: $res" ;; esac
cid=$(sd chats list --status open --limit 1 --format csv | sed -n 2p | cut -d, -f1)
api agent1 POST "/v1/conversations/$cid/messages" '{"body":"您好，马上为您查询"}' \
	"Idempotency-Key: t-msg-1" >/dev/null
out=$(sd sync)
case "$out" in *"changes=0 "*) ok 1 "incremental sync picks up changes ($out)" ;;
*) ok 0 "incremental sync picks up changes ($out)" ;; esac
is "$(jget "$(sd orders show "$oid" --format json)" '$.status')" shipped "shipped order is shipped in the cache"
is "$(jget "$(sd orders show "$oid" --format json)" '$.shipment.tracking_no')" SF123456789012 \
	"tracking number cached"
is "$(sd cache digest)" "$(store_digest admin)" "digest equal after incremental sync"
PROFILE=agent1
sd sync >/dev/null
is "$(sd cache digest)" "$(store_digest agent1)" "agent's digest equal after incremental sync"
sd chats show "$cid" | grep -q '您好，马上为您查询'
ok $? "the agent's new message is in the cached conversation"
stop_store

# --- live activity: changes keep arriving and are picked up ---------------------
start_store --seed 3 --orders 500 --live 40
LOGIN=admin profile live
PROFILE=live
sd sync >/dev/null
before=$(jget "$(sd status --format json)" '$.counts.message')
sleep 1.5
out=$(sd sync)
after=$(jget "$(sd status --format json)" '$.counts.message')
case "$out" in *"changes=0 "*) ok 1 "sync during live activity gets new changes ($out)" ;;
*) ok 0 "sync during live activity gets new changes" ;; esac
[ "$after" -ge "$before" ]
ok $? "messages only grow under live activity ($before -> $after)"
stop_store

# --- kill -9 in the middle of a sync, then resume ----------------------------------
# 25 ms a request makes the 200 pages take at least 5 s, so each kill lands mid-sync.
start_store --seed 11 --orders 20000 --faults latency=25ms
LOGIN=admin profile big "page-size = 100"
PROFILE=big

# A first sync (a bulk load) running while shopdesk is used on the same cache:
# the other process reads what is loaded and leaves the load to its loader,
# which finishes it.
"$SHOPDESK" --profile "$PROFILE" sync --quiet >/dev/null 2>"$T/bulk.err" &
pid=$!
# Until its first pages are in (a loaded machine, a sanitizer build: seconds).
for i in $(seq 300); do
	n=$(sqlite3 "$T/big.db" "SELECT count(*) FROM orders" 2>/dev/null) || n=0
	[ "${n:-0}" -ge 3 ] && break
	sleep 0.1
done
mid=$(sd orders list --limit 3 --format csv 2>"$T/mid.err" | sed -n '2,$p' | wc -l)
is "$mid" 3 "during a first sync another shopdesk lists the orders loaded so far"
grep -q "a first sync is loading the cache ([0-9]* orders so far); what is listed is what it has loaded" \
	"$T/mid.err"
ok $? "and says it is a first sync under way: $(head -c 160 "$T/mid.err")"
# Its full-text index is built at its end: a search meanwhile tests each row loaded.
oid=$(sd orders list --limit 1 --format csv 2>/dev/null | awk -F, 'NR == 2 { print $1 }')
first=$(sd orders list "${oid#SO}" --limit 1 --format csv 2>"$T/mid.err" | awk -F, 'NR == 2 { print $1 }')
is "$first" "$oid" "a search meanwhile finds a loaded order by its number without SO, first"
grep -q "a search reads every one loaded, slower until it ends and builds the full-text index" \
	"$T/mid.err"
ok $? "and says it reads the loaded rows until the index is built: $(head -c 200 "$T/mid.err")"
n=$(sd orders list "${oid: -5}" --all --format csv 2>/dev/null | awk -F, -v o="$oid" '$1 == o' | wc -l)
is "$n" 1 "and by the last five digits of its number ($oid)"
is "$(sqlite3 "$T/big.db" "SELECT value FROM sync_state WHERE key = 'bulk'")" "pid $pid" \
	"and leaves the bulk load to its loader (pid $pid)"
wait $pid
ok $? "which finishes it$(head -c 200 "$T/bulk.err")"
is "$(sqlite3 "$T/big.db" "SELECT count(*) FROM sync_state WHERE key = 'bulk'")" 0 \
	"and says so"
is "$(sd cache digest)" "$(store_digest admin)" "the cache equals the store"
rm -f "$T/big.db" "$T/big.db-wal" "$T/big.db-shm"

for delay in 0.5 1.0 pages; do
	"$SHOPDESK" --profile "$PROFILE" sync --quiet >/dev/null 2>&1 &	# not sd: $! must be shopdesk itself
	pid=$!
	if [ $delay = pages ]; then
		# The last once pages are in (a loaded machine takes seconds to the first).
		for i in $(seq 300); do
			n=$(sqlite3 "$T/big.db" "SELECT count(*) FROM orders" 2>/dev/null) || n=0
			[ "${n:-0}" -ge 100 ] && break
			sleep 0.1
		done
	else
		sleep $delay
	fi
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
done
partial=$(jget "$(sd status --format json)" '$.counts.order')
[ "${partial:-0}" -gt 0 ] && [ "${partial:-0}" -lt 20000 ]
ok $? "killed syncs left a partial cache ($partial orders)"
api admin PUT /_control/faults none >/dev/null
sd sync >/dev/null 2>"$T/resume.err"
ok $? "sync after kill -9 succeeds"
[ -s "$T/resume.err" ] && sed 's/^/#   /' "$T/resume.err" | head -5
is "$(sd cache digest)" "$(store_digest admin)" "after resume the cache equals the store"
is "$(jget "$(sd status --format json)" '$.counts.order')" 20000 "all orders after resume"
sd orders list 张 --limit 3 --format csv | sed -n 2p | grep -q .
ok $? "search works after an interrupted bulk load"
stop_store

done_testing
