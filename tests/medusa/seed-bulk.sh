#!/usr/bin/env bash
# seed-bulk.sh DIR N -- brings the Medusa store started in DIR by medusa-env.sh (and
# seeded by seed.mjs) to N orders, fast: the seeded orders are copied in SQL with fresh
# ids (clone-orders.sql says how), then the copies are checked through the Admin API:
# GET /admin/orders counts N, and the newest copy of each seeded order reads back (HTTP
# 200) with the same status, payment and fulfillment status, total and items as its
# original. Prints one JSON line {"orders","cloned","sql_ms","verify_ms"}; progress on
# standard error. Nothing is done if the store already has N orders or more.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
if [ $# != 2 ] || [ ! -f "$1/env" ] || ! [ "$2" -ge 1 ] 2>/dev/null; then
	echo "usage: seed-bulk.sh DIR N (DIR started by medusa-env.sh)" >&2
	exit 2
fi
DIR=$(cd "$1" && pwd)
N=$2
# shellcheck disable=SC1091
. "$DIR/env"

log() { printf 'seed-bulk: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}
now_ms() { date +%s%3N; }
db() {
	PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=10 timeout "${SEED_BULK_TIMEOUT:-1800}" \
		"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -X -q -tA -v ON_ERROR_STOP=1 "$@"
}
# jn EXPR JSON: a JavaScript expression on the parsed JSON j (no jq needed).
jn() {
	printf '%s' "$2" | node -e 'const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
		const r = eval(process.argv[1]);
		console.log(r !== null && typeof r === "object" ? JSON.stringify(r) : r)' "$1"
}

have=$(db -c 'SELECT count(*) FROM "order" WHERE deleted_at IS NULL') || die "cannot reach the database"
m=$((N - have))
sql_ms=0
samples=
if [ $m -gt 0 ]; then
	log "copying $m orders in SQL ($have there)"
	t0=$(now_ms)
	db -v m="$m" -v salt="$(date +%s%N)" -f "$HERE/clone-orders.sql" >"$DIR/bulk.out" 2>"$DIR/bulk.err" ||
		{ cat "$DIR/bulk.err" >&2; die "clone-orders.sql failed"; }
	db -c 'ANALYZE' || die "ANALYZE failed"
	sql_ms=$(($(now_ms) - t0))
	log "copied in $sql_ms ms: $(sed -n 's/^copied //p' "$DIR/bulk.out" | tr '\n' ' ')"
	samples=$(sed -n 's/^sample //p' "$DIR/bulk.out")
else
	log "the store has $have orders already"
fi

# --- through the API ------------------------------------------------------------------
t0=$(now_ms)
body=$(printf '{"email":"%s","password":"%s"}' "$MEDUSA_EMAIL" "$MEDUSA_PASSWORD")
auth=$(curl -sf -m 30 -X POST -H 'Content-Type: application/json' --data-binary "$body" \
	"$MEDUSA_URL/auth/user/emailpass") || die "cannot log in to $MEDUSA_URL"
printf 'Authorization: Bearer %s\n' "$(jn j.token "$auth")" >"$DIR/bulk-auth.h"
chmod 600 "$DIR/bulk-auth.h"
get() {
	curl -sf -m 60 -H @"$DIR/bulk-auth.h" "$MEDUSA_URL$1"
}
count=$(jn j.count "$(get '/admin/orders?limit=1&fields=id')") || die "GET /admin/orders failed"
[ "$count" -ge "$N" ] || die "GET /admin/orders counts $count orders, not $N"
F='fields=id,status,payment_status,fulfillment_status,total,*items,*payment_collections,*fulfillments,%2Bsummary'
facts='[j.order.status, j.order.payment_status, j.order.fulfillment_status, j.order.total,
	j.order.items.length, j.order.payment_collections.length, j.order.fulfillments.length,
	j.order.summary.pending_difference]'
nbad=0
while read -r old new; do
	[ -n "$old" ] || continue
	a=$(get "/admin/orders/$old?$F") || die "GET /admin/orders/$old failed"
	b=$(get "/admin/orders/$new?$F") || die "GET /admin/orders/$new (a copy of $old) failed"
	fa=$(jn "$facts" "$a")
	fb=$(jn "$facts" "$b")
	if [ "$fa" != "$fb" ]; then
		log "the copy $new of $old differs: $fb, not $fa"
		nbad=$((nbad + 1))
	fi
done <<<"$samples"
[ $nbad = 0 ] || die "$nbad copies read back differently from their originals"
verify_ms=$(($(now_ms) - t0))
log "$count orders; copies read back like their originals ($verify_ms ms)"
printf '{"orders":%s,"cloned":%s,"sql_ms":%s,"verify_ms":%s}\n' "$count" "$((m > 0 ? m : 0))" "$sql_ms" "$verify_ms"
