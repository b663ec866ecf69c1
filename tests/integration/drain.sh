#!/usr/bin/env bash
# drain.sh -- a sync pushes everything it can: under intermittent faults a
# failed entry holds back only the later entries of its own object, and a
# sync that leaves actions unsent says so and exits 11. Two syncs of one
# cache at once: the second waits for the first. Reads work on a full disk.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 5 --orders 600 --db "$T/store.db"
profile admin
sd sync >/dev/null
ok $? "initial sync"
sd orders list --all --format csv | awk -F, 'NR > 1 { print $1 }' | head -60 >"$T/orders"
is "$(wc -l <"$T/orders")" 60 "60 orders to note"

# --- offline: 60 notes, and a second note on the first 10 (a chain per object) --------
stop_store
bad=0
for o in $(cat "$T/orders"); do sd orders note "$o" --text "first $o" >/dev/null 2>&1 || bad=$((bad + 1)); done
for o in $(head -10 "$T/orders"); do sd orders note "$o" --text "second $o" >/dev/null 2>&1 || bad=$((bad + 1)); done
is "$bad" 0 "70 notes queued offline"

# push_drain: each sync stopped at the first failure and said "sync ok".
STORE_PORT=$PORT start_store --db "$T/store.db" --faults '5xx=0.3,seed=11'
sd sync >"$T/s1.out" 2>"$T/s1.err"
rc=$?
left=$(sd outbox list --format json | json_count)
ok $([ "$left" -le 35 ] && echo 0 || echo 1) \
	"one sync through 30% 5xx sends what it can: $left of 70 left ($(cat "$T/s1.out"))"
if [ "$left" -gt 0 ]; then
	is "$rc" 11 "entries left unsent: exit 11"
	grep -q "sync incomplete unsent=$left " "$T/s1.out"
	ok $? "the summary line says incomplete, with the number unsent"
	grep -q "$left actions\? not sent: .*run sync again" "$T/s1.err"
	ok $? "and the error says so: $(cat "$T/s1.err")"
fi
runs=1
while [ "$left" -gt 0 ] && [ $runs -lt 20 ]; do
	sd sync >/dev/null 2>&1
	runs=$((runs + 1))
	left=$(sd outbox list --format json | json_count)
done
is "$left" 0 "the outbox drains"
ok $([ $runs -le 6 ] && echo 0 || echo 1) "in a few syncs ($runs)"
api admin PUT /_control/faults none >/dev/null
sd sync >"$T/s2.out" 2>&1
is "$?" 0 "a sync with nothing left is ok"
grep -q "^sync ok " "$T/s2.out"
ok $? "and says so"
ledger=$(api admin GET /_control/ledger | head -1)
is "$(jget "$ledger" '$.applied')" 70 "the store applied 70 writes"
printf '%s' "$ledger" >"$T/ledger.json"
is "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$T/ledger.json'),'\$.by_key') WHERE value <> 1")" 0 \
	"none twice"
bad=0
for o in $(head -10 "$T/orders"); do
	[ "$(jget "$(api admin GET "/v1/orders/$o" | head -1)" '$.note')" = "second $o" ] || bad=$((bad + 1))
done
is "$bad" 0 "each object's notes applied in order: the second is the last"

# --- sync_lock: two syncs of one cache at once both fetched the whole feed -------------
api admin PUT /_control/faults latency=500ms >/dev/null
LOGIN=admin profile twice
"$SHOPDESK" --profile twice sync >"$T/a.out" 2>"$T/a.err" &	# not sd: $! must be shopdesk
apid=$!
i=0
# The first holds the sync lock (its pid in the lock file) and waits for the store's
# first answer (latency 500 ms).
while [ "$(cat "$T/twice.db.lock" 2>/dev/null)" != "$apid" ] && [ $i -lt 400 ]; do
	sleep 0.05
	i=$((i + 1))
done
PROFILE=twice sd sync >"$T/b.out" 2>"$T/b.err"
brc=$?
wait $apid
is "$?" 0 "the first sync succeeds"
is "$brc" 0 "the second, started during it, succeeds"
grep -q "another sync of this cache is running (pid $apid); waiting for it to finish" "$T/b.err"
ok $? "it said it waits for the first ($(cat "$T/b.err"))"
grep -q " changes=0 " "$T/b.out"
ok $? "and fetched nothing again: $(cat "$T/b.out")"
api admin PUT /_control/faults none >/dev/null
is "$(PROFILE=twice sd cache digest)" "$(store_digest admin)" "the cache equals the store"

# --- full_disk_reads: on a full disk even reads failed -------------------------------------
D="$T/small"
mkdir -p "$D"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=32m tmpfs "$D" 2>/dev/null; then
	sed -i "s|cache = $T/twice.db|cache = $D/full.db|" "$XDG_CONFIG_HOME/shopdesk/config"
	PROFILE=twice sd sync >/dev/null
	ok $? "a cache on a small file system"
	dd if=/dev/zero of="$D/fill" bs=4k >/dev/null 2>&1
	is "$(df --output=avail "$D" | tail -1 | tr -d ' ')" 0 "the file system is full"
	PROFILE=twice sd orders list --limit 3 >"$T/out" 2>"$T/err"
	is "$?" 0 "orders list works on a full disk $(cat "$T/err")"
	is "$(wc -l <"$T/out")" 4 "and lists the orders"
	PROFILE=twice sd status >"$T/out" 2>"$T/err"
	is "$?" 0 "status works on a full disk $(cat "$T/err")"
	o=$(head -1 "$T/orders")
	PROFILE=twice sd orders show "$o" --format json >"$T/out" 2>"$T/err"
	is "$(jget "$(cat "$T/out")" '$.id')" "$o" "orders show works on a full disk $(cat "$T/err")"
	PROFILE=twice sd orders note "$o" --text full >"$T/out" 2>"$T/err"
	is "$?" 8 "a write fails: cache error"
	grep -q "disk is full" "$T/err"
	ok $? "saying why ($(cat "$T/err"))"
	rm -f "$D/fill"
	PROFILE=twice sd orders note "$o" --text roomy >/dev/null 2>"$T/err"
	is "$?" 0 "with space again, writes work $(cat "$T/err")"
	umount "$D"
else
	echo "# SKIP full disk: needs root to mount a small tmpfs"
fi

done_testing
