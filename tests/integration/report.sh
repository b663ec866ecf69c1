#!/usr/bin/env bash
# report.sh -- one clock and figures you can trust: the store declares its
# zone (GET /v1/store), sync caches it, and `shopdesk report` computes from
# the cache, day by day and to the fen, what the store's own
# GET /v1/reports/daily computes from its data -- in a store at UTC+8, at
# UTC-5 and at UTC; the CLI's "today" is the store's; a profile's timezone
# overrides the store's; bad dates and zones are refused by name.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

# Run as if in neither of the stores' zones: the machine's zone must not matter.
export TZ=Pacific/Honolulu

money() { printf '¥%d.%02d' $(($1 / 100)) $(($1 % 100)); }

# same_days NAME CLIJSON STOREJSON: the days of both, member by member.
same_days() {
	jq -S '[.days[] | {date, from, to, orders, paid_orders, gmv, refunds, net_sales,
		refunded_orders, aov, refund_rate_bp, customers, repeat_customers, repeat_rate_bp}]' \
		"$2" >"$T/a.json"
	jq -S '.days' "$3" >"$T/b.json"
	if diff "$T/a.json" "$T/b.json" >"$T/d"; then
		ok 0 "$1"
	else
		ok 1 "$1"
		head -20 "$T/d" | sed 's/^/#   /'
	fi
}

n=0
for zone in Asia/Shanghai -05:00 UTC; do
	n=$((n + 1))
	start_store --orders 1500 --timezone "$zone"
	rm -f "$XDG_CONFIG_HOME/shopdesk/config"
	LOGIN=admin profile "z$n"
	PROFILE=z$n
	sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed ($zone)"; exit 1; }
	api admin GET /v1/store >"$T/store.json"
	is "$(head -1 "$T/store.json" | jq -r .timezone)" "$zone" "GET /v1/store declares the zone ($zone)"
	is "$(sqlite3 "$T/z$n.db" "SELECT value FROM sync_state WHERE key = 'store.timezone'")" \
		"$zone" "sync caches the store's zone ($zone)"

	# A month of days, each to the fen, against the store's own figures.
	sd report daily --from 2026-10-15 --to 2026-11-20 --format json >"$T/cli.json"
	ok $? "report daily --format json ($zone)"
	api admin GET "/v1/reports/daily?from=2026-10-15&to=2026-11-20" | head -1 >"$T/srv.json"
	is "$(jq '.days | length' "$T/srv.json")" 37 "the store reports 37 days ($zone)"
	is "$(jq -r '.days[0].date + " " + .days[0].from' "$T/cli.json")" \
		"$(jq -r '.days[0].date + " " + .days[0].from' "$T/srv.json")" \
		"the first day starts at the store's midnight ($(jq -r .days[0].from "$T/srv.json"))"
	ok "$(jq '(([.days[].orders] | add) > 500) and (([.days[].refunds] | add) > 0) and
		(([.days[].repeat_customers] | add) > 0)' "$T/srv.json" | sed 's/true/0/;s/false/1/')" \
		"the days hold orders, refunds and repeat customers ($zone)"
	same_days "CLI and store agree on every figure of 37 days ($zone)" "$T/cli.json" "$T/srv.json"

	# "today" is the store's today for both.
	sd report daily --from today --to today --format json >"$T/cli.json"
	api admin GET "/v1/reports/daily?from=today&to=today" | head -1 >"$T/srv.json"
	is "$(jq -r '.days[0].date + " " + .days[0].from' "$T/cli.json")" \
		"$(jq -r '.days[0].date + " " + .days[0].from' "$T/srv.json")" \
		"CLI and store agree on today ($zone: $(jq -r .days[0].from "$T/srv.json"))"

	# The console's today, at a fixed instant, is the store's day that holds it.
	printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$T/z$n.db" >>"$XDG_CONFIG_HOME/shopdesk/config"
	RUN_TZ=Pacific/Honolulu run ":clock 2026-11-19T12:00:00Z
:dump-screen $T/dash$n"
	api admin GET "/v1/reports/daily?from=2026-11-19T12:00:00Z&to=2026-11-19T12:00:00Z" |
		head -1 >"$T/d.json"
	ok "$([ "$(jq .days[0].gmv "$T/d.json")" -gt 0 ] && echo 0 || echo 1)" \
		"the store's day of 2026-11-19T12:00Z has sales ($zone: $(jq -r .days[0].date "$T/d.json"))"
	grep -qE "^GMV +$(money "$(jq .days[0].gmv "$T/d.json")") " "$T/dash$n" &&
		grep -qE "^net sales +$(money "$(jq .days[0].net_sales "$T/d.json")") " "$T/dash$n" &&
		grep -qE "^paid orders +$(jq .days[0].paid_orders "$T/d.json") " "$T/dash$n" &&
		grep -qE "^AOV +$(money "$(jq .days[0].aov "$T/d.json")") " "$T/dash$n"
	ok $? "the console's today is the store's: GMV, net sales, paid orders, AOV ($zone: $(grep '^GMV  ' "$T/dash$n" | head -1 | tr -s ' '))"
	stop_store
done

# The offsets of the three zones' midnights differ as the zones do.
start_store --orders 300 --timezone -05:00
rm -f "$XDG_CONFIG_HOME/shopdesk/config"
profile admin
PROFILE=admin
sd sync --quiet >/dev/null 2>&1
sd report daily --from 2026-11-10 --to 2026-11-10 --format csv >"$T/r.csv"
is "$(sed -n 2p "$T/r.csv" | cut -d, -f1-3)" "2026-11-10,2026-11-10T00:00:00-05:00,2026-11-11T00:00:00-05:00" \
	"CSV shows the day with the store's offset"

# A profile's timezone overrides the store's.
LOGIN=admin profile utc "timezone = UTC"
PROFILE=utc
sd sync --quiet >/dev/null 2>&1
sd report daily --from 2026-11-10 --to 2026-11-10 --format json >"$T/u.json"
is "$(jq -r .days[0].from "$T/u.json")" "2026-11-10T00:00:00Z" "timezone = UTC in the profile wins"
api admin GET "/v1/reports/daily?from=2026-11-10T12:00:00Z&to=2026-11-10T12:00:00Z" | head -1 >"$T/s.json"
is "$(jq .days[0].from "$T/s.json")" '"2026-11-10T05:00:00Z"' "... while the store counts its own day"

# Weeks and months add up the days.
PROFILE=admin
sd report daily --from 2026-11-01 --to 2026-11-30 --format json | jq '[.days[].gmv] | add' >"$T/dsum"
sd report monthly --from 2026-11-01 --to 2026-11-30 --format json | jq '.days[0].gmv' >"$T/msum"
is "$(cat "$T/msum")" "$(cat "$T/dsum")" "November's GMV is its days' ($(cat "$T/msum"))"
sd report weekly --from 2026-11-16 --to 2026-11-16 --format json | jq -r .days[0].date >"$T/w"
is "$(cat "$T/w")" "2026-W47" "a week is named by its ISO week"
sd report daily --from 2026-11-18 --format table | head -1 | grep -q '^PERIOD *ORDERS *PAID *GMV'
ok $? "report daily --format table has a header"

# Bad input is refused by name.
sd report daily --from 2026-02-30 >/dev/null 2>"$T/e"
is "$?" 2 "a date that is not one exits 2"
grep -q "bad date '2026-02-30'" "$T/e"
ok $? "... naming it ($(head -c 100 "$T/e"))"
sd report daily --from today --to yesterday >/dev/null 2>"$T/e"
is "$?" 2 "--to before --from exits 2"
LOGIN=admin profile bad "timezone = Mars/Olympus"
PROFILE=bad
sd report daily >/dev/null 2>"$T/e"
ok "$([ $? != 0 ] && grep -q "unknown time zone 'Mars/Olympus'" "$T/e" && echo 0 || echo 1)" \
	"an unknown zone in the profile is refused by name ($(head -c 100 "$T/e"))"
PROFILE=admin
api agent1 GET "/v1/reports/daily" | tail -1 >"$T/h"
is "$(cat "$T/h")" "HTTP 403" "an agent may not read the store's reports"
api admin GET "/v1/reports/daily?from=someday" | tail -1 >"$T/h"
is "$(cat "$T/h")" "HTTP 400" "a bad date is 400"

done_testing
