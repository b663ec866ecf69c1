#!/usr/bin/env bash
# dashboard-export.sh -- :export (and X) on the Dashboard writes the report
# it shows (issue 13): today, yesterday and the same weekday last week, each
# row the very row `shopdesk report daily --format csv` gives for that day
# (one writer, src/report.c), yuan with two decimals, the store's days and
# offset whatever the machine's zone; the profile's byte order mark and
# header language; an existing file is kept without '!'.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --orders 600 --timezone -05:00
profile admin
PROFILE=admin
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/admin.db"
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$DB" >>"$XDG_CONFIG_HOME/shopdesk/config"
printf '[bom]\nurl = %s\ncache = %s\ncsv-bom = yes\ncsv-header-lang = zh\n' "$URL" "$DB" \
	>>"$XDG_CONFIG_HOME/shopdesk/config"
# The machine is in Beijing, the store in UTC-5: 03:00Z on the 20th is the 19th there.
RUN_TZ=Asia/Shanghai
export TZ=Asia/Shanghai

run ":clock 2026-11-20T03:00:00Z
:dump-screen $T/dash
:export $T/r.csv
:messages
:dump-screen $T/said
key q
:export $T/r.csv
:messages
:dump-screen $T/refused
key q
key X
type $T/x.csv
key <Enter>"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/said" "3 rows written to $T/r.csv" "the message line says what was written"
is "$(wc -l <"$T/r.csv")" 4 "a header and three days"
is "$(cut -d, -f1 "$T/r.csv" | tr '\n' ' ')" "period 2026-11-19 2026-11-18 2026-11-12 " \
	"today, yesterday and the same weekday last week, in the store's days"
for day in 2026-11-19 2026-11-18 2026-11-12; do
	want=$(sd report daily --from $day --to $day --format csv | tail -1)
	is "$(grep "^$day," "$T/r.csv")" "$want" "$day: the row report daily gives"
done
is "$(head -1 "$T/r.csv")" "$(sd report daily --from today --format csv | head -1)" "the header report daily gives"
grep -q "^2026-11-19,2026-11-19 00:00:00 -05:00,2026-11-20 00:00:00 -05:00,CNY," "$T/r.csv"
ok $? "the day's bounds in the store's zone with its offset ($(sed -n 2p "$T/r.csv" | cut -d, -f2-3))"
# The Dashboard's own figures: today's GMV in yuan is the file's.
gmv=$(sed -n 2p "$T/r.csv" | cut -d, -f7)
grep -qE "^GMV +¥$gmv " "$T/dash"
ok $? "today's GMV on the Dashboard is the file's ($gmv)"
has "$T/refused" "r.csv exists (export! $T/r.csv" "an existing file is refused without !"
cmp -s "$T/r.csv" "$T/x.csv"
ok $? "X, the export key, writes the same"

# The profile's byte order mark and header language.
printf ':clock 2026-11-20T03:00:00Z\n:export %s\n' "$T/z.csv" >"$T/script"
env SHOPDESK_SCRIPT="$T/script" TERM=xterm-256color LINES=24 COLUMNS=80 LANG=C.UTF-8 \
	LC_ALL=C.UTF-8 TZ=Asia/Shanghai "$SHOPDESK" --profile bom </dev/null >/dev/null 2>"$T/run.err"
is "$?" 0 "profile bom: the console runs ($(head -c 200 "$T/run.err"))"
is "$(head -c 3 "$T/z.csv" | od -An -tx1 | tr -d ' ')" "efbbbf" "csv-bom = yes: a byte order mark first"
is "$(tail -n +2 "$T/z.csv")" "$(tail -n +2 "$T/r.csv")" "... the same days"
is "$(head -1 "$T/z.csv" | tail -c +4)" "$(PROFILE=admin sd report daily --format csv --header-lang zh | head -1)" \
	"csv-header-lang = zh: the CLI's Chinese header"

done_testing
