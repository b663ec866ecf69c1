#!/usr/bin/env bash
# dashboard-sla.sh -- the Dashboard's after-sales figures each open the very
# tickets they count (issue 13): "with a running SLA", "near breach" and
# "breached" are three targets, and Enter on one lists as many tickets as it
# says, the same ones the cache holds by sla.h's definitions, at two times of
# day (one with tickets near breach, one with breached ones), and in Chinese.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"
RUN_TZ=UTC

start_store --orders 300
profile agent1
PROFILE=agent1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/agent1.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
DB=$T/agent1.db
# ids DUMP: the ticket ids a list shows, sorted, one a line.
ids() { sed -n '4,22p' "$1" | grep -oE '^ AS[0-9]+' | tr -d ' ' | sort; }
want() { sqlite3 "$DB" "$1" | sort; }
same() {
	if [ "$1" = "$2" ]; then ok 0 "$3"; else
		ok 1 "$3"; echo "#   got: $(echo $1)"; echo "#   want: $(echo $2)"; fi
}
# figure DUMP N: the Nth number of the tickets line (1 running, 2 near, 3 breached).
figure() { sed -n 's/^tickets  *//p' "$1" | grep -oE '[0-9]+' | sed -n "${2}p"; }
# rows DUMP: how many rows the list's title says it has ("1/6" or "0").
rows() { sed -n 2p "$1" | grep -oE '[0-9]+$'; }

# at CLOCK TAG: open each of the three figures at CLOCK.
at() {
	run ":clock $1
key G
key k
:dump-screen $T/$2-run
key <Enter>
:dump-screen $T/$2-run-list
key q
key l
:dump-screen $T/$2-near
key <Enter>
:dump-screen $T/$2-near-list
key q
key l
:dump-screen $T/$2-br
key <Enter>
:dump-screen $T/$2-br-list
key q
:dump-screen $T/$2-back"
	is "$?" 0 "$2: the script runs ($(head -c 200 "$T/run.err"))"
}

check() {	# check TAG NOW
	local now=$2 near
	near=$(date -u -d "@$(($(date -u -d "$now" +%s) + 3600))" +%Y-%m-%dT%H:%M:%SZ)
	has "$T/$1-run" "Enter: after-sales with a running SLA" "$1: the first figure opens the tickets with a running SLA"
	has "$T/$1-near" "Enter: after-sales near breach" "$1: l: the second opens those near breach"
	has "$T/$1-br" "Enter: after-sales past their SLA" "$1: l: the third opens those breached"
	for f in run:1:"sla_due IS NOT NULL" \
		near:2:"sla_due IS NOT NULL AND sla_due >= '$now' AND (sla_state = 'warning' OR sla_due <= '$near')" \
		br:3:"sla_due IS NOT NULL AND (sla_due < '$now' OR sla_state = 'breached')"; do
		t=${f%%:*}; f=${f#*:}; n=${f%%:*}; cond=${f#*:}
		fig=$(figure "$T/$1-run" "$n")
		got=$(rows "$T/$1-$t-list")
		got=${got:-0}
		is "$got" "$fig" "$1: $t: the list has as many tickets as the figure says ($fig)"
		same "$(ids "$T/$1-$t-list")" "$(want "SELECT id FROM tickets WHERE $cond")" \
			"$1: $t: the very tickets the cache counts"
	done
	diff -u "$T/$1-br" "$T/$1-back" >"$T/diff"
	ok $? "$1: q comes back with the cursor on breached"
	sed 's/^/#   /' "$T/diff"
}

at 2026-11-20T08:00:00Z morning
check morning 2026-11-20T08:00:00Z
[ "$(figure "$T/morning-run" 2)" -gt 0 ]
ok $? "morning: some tickets are near breach ($(figure "$T/morning-run" 2))"
at 2026-11-20T12:00:00Z noon
check noon 2026-11-20T12:00:00Z
[ "$(figure "$T/noon-run" 3)" -gt 0 ]
ok $? "noon: some tickets are breached ($(figure "$T/noon-run" 3))"
# Breached is not every ticket with a clock (the old target listed them all).
[ "$(figure "$T/noon-run" 3)" -lt "$(figure "$T/noon-run" 1)" ]
ok $? "noon: breached ($(figure "$T/noon-run" 3)) is fewer than running ($(figure "$T/noon-run" 1))"

# In Chinese: the same targets, titled in Chinese.
RUN_ENV=LANGUAGE=zh_CN run ":clock 2026-11-20T12:00:00Z
key G
key k
key l
key l
key <Enter>
:dump-screen $T/z-br-list"
is "$?" 0 "zh_CN: the script runs ($(head -c 200 "$T/run.err"))"
is "$(rows "$T/z-br-list")" "$(figure "$T/noon-run" 3)" "zh_CN: breached opens the same number of tickets"

done_testing
