#!/usr/bin/env bash
# valgrind.sh -- "make valgrind": shopdesk under valgrind's memcheck against
# the reference store: a full sync of a fresh cache, an action queued and
# replayed, an incremental sync, and a scripted console session (the
# in-process console of tests/screen/inproc.sh: every pane, a search, a sort,
# the command line, the detail, the outbox). Any memcheck error or definite
# leak fails it; each run's report is shown when it does. Not part of make
# check (a few minutes); VALGRIND_ORDERS sets the store's size (1500).
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed (apt-get install valgrind)"
	exit 0
fi
VG="valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
	--show-leak-kinds=definite --num-callers=30 --child-silent-after-fork=yes"

# vg NAME ARGS...: shopdesk ARGS under memcheck; its status (99: memcheck's errors).
vg() {
	local name=$1
	shift
	$VG --log-file="$T/vg-$name.log" "$SHOPDESK" --profile "$PROFILE" "$@" \
		>"$T/out-$name" 2>"$T/err-$name"
}

# report NAME STATUS DESCRIPTION: one TAP line, memcheck's summary when it failed.
report() {
	local errors
	errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$T/vg-$1.log" | tail -1)
	ok "$([ "$2" = 0 ] && [ "${errors:-x}" = 0 ] && echo 0 || echo 1)" \
		"$3 (exit $2, ${errors:-no} memcheck errors)"
	if [ "$2" != 0 ] || [ "${errors:-x}" != 0 ]; then
		sed 's/^/#   /' "$T/err-$1" | head -5
		grep -v '^==[0-9]*== *$' "$T/vg-$1.log" | sed 's/^/#   /' | head -80
	fi
}

start_store --orders "${VALGRIND_ORDERS:-1500}"
profile admin
vg sync sync
report sync $? "a full sync into a fresh cache"
is "$(sd cache digest)" "$(store_digest admin)" "and the cache equals the store"

o=$(sd orders list --all --format csv | awk -F, 'NR == 2 { print $1 }')
vg note orders note "$o" --text "valgrind"
report note $? "an action queued"
vg replay sync
report replay $? "the outbox replayed and an incremental sync"
is "$(sd outbox list --format json | json_count)" 0 "the outbox is empty"

printf '[local]\nurl = %s\ncache = %s\ntoken-file = %s\n' "$URL" "$T/admin.db" \
	"$T/tokens/admin.token" >>"$XDG_CONFIG_HOME/shopdesk/config"
SHOPDESK_REAL=$SHOPDESK
SHOPDESK="$T/vg-console.sh"
printf '#!/bin/sh\nexec %s --log-file=%s %s "$@"\n' "$(echo $VG)" "$T/vg-console.log" \
	"$SHOPDESK_REAL" >"$SHOPDESK"
chmod +x "$SHOPDESK"
run "# every pane, a search, a sort, the detail, the command line
key 1
key 2
key j j j
key <Enter>
:dump-screen $T/d1
key /
type 张
key <Enter>
key 3
key 4
:sort queue
key 5
key 6
key 7
key 8
:filter status=shipped
key 2
:dump-screen $T/d2"
rc=$?
cp "$T/run.err" "$T/err-console"
report console "$rc" "a scripted console session: panes, search, sort, detail, a filter"
has "$T/d1" "Orders" "the session drew the orders"
SHOPDESK=$SHOPDESK_REAL

done_testing
