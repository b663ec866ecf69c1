#!/usr/bin/env bash
# csv-overlay.sh -- a CSV batch writes its objects' pending looks together
# (one statement per kind at the end of its transaction): the cache then
# shows and finds exactly what queueing the same lines one command each
# shows and finds, on top of an entry queued before on one of the objects,
# and a bad line leaves the cache as it was.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 7 --orders 300
LOGIN=admin profile one
LOGIN=admin profile each
PROFILE=one
sd sync >/dev/null
ok $? "initial sync"
sd orders list --all --format csv | awk -F, 'NR > 1 { print $1 }' | head -40 >"$T/ids"
is "$(wc -l <"$T/ids")" 40 "40 orders to note"
o1=$(sed -n 1p "$T/ids")
o2=$(sed -n 2p "$T/ids")
# The first order has a note queued already (the batch's replaces it; both pending).
sd orders note "$o1" --text quokkaearly >/dev/null 2>&1
ok $? "a note queued on the first order"
cp "$T/one.db" "$T/each.db"
[ -f "$T/one.db-wal" ] && cp "$T/one.db-wal" "$T/each.db-wal"

{ echo "order_id,text"
  awk '{ printf "%s,zebranote%s\n", $1, substr($1, length($1) - 3) }' "$T/ids"; } >"$T/notes.csv"
sd orders note --from-csv "$T/notes.csv" >/dev/null 2>"$T/err"
ok $? "40 lines queued from one CSV file"
PROFILE=each
tail -n +2 "$T/notes.csv" | while IFS=, read -r o text; do
	sd orders note "$o" --text "$text" >/dev/null 2>&1 || echo bad
done >"$T/each.bad"
is "$(wc -l <"$T/each.bad")" 0 "the same 40 lines queued one command each"

for p in one each; do
	PROFILE=$p sd orders list --all --format json >"$T/$p.list"
	PROFILE=$p sd orders show "$o1" --format json >"$T/$p.o1"
	PROFILE=$p sd find "zebranote${o1: -4}" --format json >"$T/$p.find1"
	PROFILE=$p sd find "zebranote${o2: -4}" --format json >"$T/$p.find2"
	PROFILE=$p sd find quokkaearly --format json >"$T/$p.find3"
	PROFILE=$p sd orders list -q "zebranote${o2: -4}" --format csv >"$T/$p.q2"
done
cmp -s "$T/one.list" "$T/each.list"
ok $? "the order list is the same either way"
is "$(jget "$(cat "$T/one.o1")" '$._pending') $(jget "$(cat "$T/one.o1")" '$.note')" \
	"2 zebranote${o1: -4}" "an order noted twice: both pending, the batch's note shown"
grep -q "\"$o1\"" "$T/one.find1"
ok $? "the batch's note is found by search"
grep -q "\"$o2\"" "$T/one.find2"
ok $? "another order of the batch is found by its note"
is "$(awk -F, 'NR > 1 { print $1 }' "$T/one.q2")" "$o2" \
	"the order list's search (-q) finds it by its note at once, and only it"
grep -q "\"$o1\"" "$T/one.find3"
is "$?" 1 "the note the batch replaced is not found any more"
cmp -s "$T/one.find1" "$T/each.find1" && cmp -s "$T/one.find2" "$T/each.find2" &&
	cmp -s "$T/one.find3" "$T/each.find3" && cmp -s "$T/one.q2" "$T/each.q2"
ok $? "search finds the same either way"

# A bad line: nothing queued, nothing shown, nothing found.
PROFILE=one
n0=$(sd outbox list --format json | json_count)
{ echo "order_id,text"; echo "$o2,wombatnote"; echo "SO-NO-SUCH,wombatnote"; } >"$T/bad.csv"
sd orders note --from-csv "$T/bad.csv" >/dev/null 2>"$T/bad.err"
is "$?" 2 "a file with a bad line is refused"
grep -q "line 3" "$T/bad.err"
ok $? "the bad line is named by its number"
is "$(sd outbox list --format json | json_count)" "$n0" "nothing was queued"
grep -q "\"$o2\"" <(sd find wombatnote --format json)
is "$?" 1 "nothing of it is shown or found"

done_testing
