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
is "$(sed -n 2p "$T/r.csv" | cut -d, -f1-3)" "2026-11-10,2026-11-10 00:00:00 -05:00,2026-11-11 00:00:00 -05:00" \
	"CSV shows the day with the store's offset (the machine is in $TZ)"

# CSV for people (export.h): yuan with two decimals, rates in per cent, the
# same figures as --format json's raw units; --bom and --header-lang as lists.
sd report daily --from 2026-11-01 --to 2026-11-20 --format csv >"$T/r.csv"
sd report daily --from 2026-11-01 --to 2026-11-20 --format json >"$T/r.json"
is "$(head -1 "$T/r.csv")" "period,from,to,currency,orders,paid_orders,gmv,refunds,net_sales,refunded_orders,aov,refund_rate,customers,repeat_customers,repeat_rate" \
	"CSV: the member names by default"
is "$(($(wc -l <"$T/r.csv") - 1))" 20 "CSV: a row a day"
jq -r '.days[] | [.date, .currency // "CNY", .orders, .paid_orders,
	(.gmv, .refunds, .net_sales | tostring | if length < 3 then ("00" + .)[-3:] else . end |
	 .[:-2] + "." + .[-2:]), .refunded_orders,
	(.aov | tostring | if length < 3 then ("00" + .)[-3:] else . end | .[:-2] + "." + .[-2:]),
	(.refund_rate_bp | "\(. / 100 | floor).\(. % 100 | tostring | ("0" + .)[-2:])%"),
	.customers, .repeat_customers,
	(.repeat_rate_bp | "\(. / 100 | floor).\(. % 100 | tostring | ("0" + .)[-2:])%")] | join(",")' \
	"$T/r.json" >"$T/want"
cut -d, -f1,4- "$T/r.csv" | tail -n +2 >"$T/got"
if diff "$T/want" "$T/got" >"$T/d"; then ok 0 "CSV: every figure of 20 days is JSON's, money in yuan, rates in %"
else ok 1 "CSV: every figure of 20 days is JSON's, money in yuan, rates in %"; head -10 "$T/d" | sed 's/^/#   /'; fi
grep -q ',CNY,[0-9]*,[0-9]*,[0-9]*\.[0-9][0-9],' "$T/r.csv"
ok $? "CSV: money has two decimals ($(sed -n 2p "$T/r.csv" | cut -d, -f7))"
sd report daily --from 2026-11-10 --to 2026-11-10 --format csv --bom --header-lang en >"$T/b.csv"
is "$(head -c 3 "$T/b.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "--bom: a UTF-8 byte order mark first"
is "$(head -1 "$T/b.csv" | tail -c +4)" "PERIOD,FROM,TO,CURRENCY,ORDERS,PAID,GMV,REFUNDS,NET,REFUNDED ORDERS,AOV,REFUND RATE,CUSTOMERS,REPEAT CUSTOMERS,REPEAT RATE" \
	"--header-lang en: the columns' names"
LOGIN=admin profile bomp 'csv-bom = yes' 'csv-header-lang = en' "cache = $T/admin.db"
PROFILE=bomp sd report daily --from 2026-11-10 --to 2026-11-10 --format csv >"$T/p.csv"
cmp -s "$T/b.csv" "$T/p.csv"
ok $? "csv-bom and csv-header-lang in the profile do the same"
sd report daily --bom >/dev/null 2>"$T/e"
is "$?" 2 "--bom without --format csv is a usage error"
grep -q -- '--bom is for --format csv' "$T/e"
ok $? "... and says so ($(cat "$T/e"))"
sd report daily --format csv --header-lang fr >/dev/null 2>"$T/e"
is "$?" 2 "an unknown --header-lang is refused"

# The table lines up by display width: "¥" is two bytes but one column.
sd report daily --from 2026-11-01 --to 2026-11-20 --format table >"$T/t"
# Columns counted in characters (each of these is one column wide).
widths() { LC_ALL=C.UTF-8 bash -c 'while IFS= read -r l; do echo ${#l}; done' <"$1"; }
widths "$T/t" | sort -u >"$T/w"
is "$(wc -l <"$T/w")" 1 "table: every line as wide as the header ($(tr '\n' ' ' <"$T/w"))"

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
