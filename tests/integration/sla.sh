#!/usr/bin/env bash
# sla.sh -- the SLA clocks of `tickets list` and `tickets show` (one model,
# src/sla.h) against the reference store: the list ordered by the clock that
# runs, its words, `--kind`, and a return through its clocks: the review,
# after approval the pickup (the store's sla.pickup_due, 24 h after), after
# receipt the resolution with the pickup done.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --orders 300
export TZ=UTC
profile agent1
PROFILE=agent1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }

# --- tickets: the SLA words -------------------------------------------------

sd tickets list --format csv >"$T/t.csv"
head -1 "$T/t.csv" | grep -q '^id,kind,status,sla_clock,sla_due,'
ok $? "tickets list --format csv has the SLA and DUE columns"
first=$(sed -n 2p "$T/t.csv" | cut -d, -f1)
sql_first=$(sqlite3 "$T/agent1.db" "SELECT id FROM tickets ORDER BY sort_key, id LIMIT 1")
is "$first" "$sql_first" "the list starts with the least time left (the cache's order)"
ok "$(awk -F, 'NR > 1 && $4 != "" && $4 != "met" && $4 != "breached" && $5 == "" { bad++ } END { print bad + 0 }' "$T/t.csv" | sed 's/^[1-9].*/1/')" \
	"every running clock has its due time in DUE"
sd tickets list --kind exchange --format csv | sed 1d | cut -d, -f2 | sort -u >"$T/k"
is "$(cat "$T/k")" "exchange" "tickets list --kind exchange lists only exchanges"
sd tickets list --kind 换货 --format csv | sed 1d | cut -d, -f2 | sort -u >"$T/k"
is "$(cat "$T/k")" "exchange" "... and --kind 换货 the same"
sd tickets list --kind refnd >/dev/null 2>"$T/e"
is "$?" 2 "an unknown kind exits 2"
grep -q "unknown ticket kind 'refnd'" "$T/e"
ok $? "... naming it ($(head -c 120 "$T/e"))"

# A requested return: its review clock, approved: the pickup, received: the resolution.
as=$(sqlite3 "$T/agent1.db" "SELECT id FROM tickets WHERE kind = 'return_refund'
	AND status = 'requested' ORDER BY id LIMIT 1")
ok "$([ -n "$as" ] && echo 0 || echo 1)" "a requested return to work on ($as)"
sd tickets show "$as" >"$T/s1"
grep -Eq '^sla now: review ([0-9hmds]+ left|overdue [0-9hmds]+) \((on time|due soon|overdue)\)$' "$T/s1"
ok $? "tickets show: the review clock in words ($(grep '^sla now' "$T/s1"))"
grep -Eq '^  review +[0-9-]+ [0-9:]+ [+-][0-9:]+ \(' "$T/s1"
ok $? "... and the review's due time with its time left"
sd tickets approve "$as" --wait >/dev/null 2>"$T/e"
is "$?" 0 "tickets approve $as ($(head -c 120 "$T/e"))"
sd sync --quiet >/dev/null 2>&1
sd tickets show "$as" --format json >"$T/j"
due=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/j'), '\$.sla.pickup_due')")
at=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/j'), '\$.sla.first_action_at')")
ok "$([ -n "$due" ] && [ "$(( $(date -u -d "$due" +%s) - $(date -u -d "$at" +%s) ))" -eq 86400 ] && echo 0 || echo 1)" \
	"the store sets sla.pickup_due 24 h after the approval ($at -> $due)"
sd tickets show "$as" >"$T/s2"
grep -Eq '^sla now: pickup (23h5[0-9]m|1d) left \((on time|overdue)\)$' "$T/s2"
ok $? "after the approval the pickup's clock runs ($(grep '^sla now' "$T/s2"))"
sd tickets list --format csv | grep "^$as," | cut -d, -f4 >"$T/c"
is "$(cat "$T/c")" "pickup" "the list's SLA column says pickup too"
sd tickets receive "$as" --wait >/dev/null 2>"$T/e"
is "$?" 0 "tickets receive $as ($(head -c 120 "$T/e"))"
sd sync --quiet >/dev/null 2>&1
sd tickets show "$as" >"$T/s3"
grep -Eq '^sla now: resolution ' "$T/s3"
ok $? "received: the resolution's clock ($(grep '^sla now' "$T/s3"))"
grep -Eq '^  pickup +[0-9-]+ [0-9:]+ [+-][0-9:]+ \(done [0-9-]+ [0-9:]+ [+-][0-9:]+\)$' "$T/s3"
ok $? "... the pickup done in time ($(grep '^  pickup ' "$T/s3"))"

done_testing
