#!/usr/bin/env bash
# promo-form.sh -- the form for a new promotion (new-promo, + in the
# Promotions pane), in-process at 80x24 (SHOPDESK_SCRIPT; see inprocess.sh),
# as ops: every kind created through it is queued as the create :create
# would queue; a date that has passed, a date that is not one and an end
# before the start are refused under their field, and nothing is queued; a
# flash price at or above the SKU's regular price and a quantity above its
# stock are refused; an overlap with a scheduled promotion on the same SKU
# is shown and a second C-x queues it anyway; Esc asks before it drops what
# was typed; the same in Chinese. Then a promotion ended offline is
# confirmed by the store once the outbox is replayed.
. "${top_srcdir:-.}/tests/integration/lib.sh"
. "${top_srcdir:-.}/tests/screen/inproc.sh"

start_store --seed 12 --orders 300 --db "$T/store.db"
profile ops1
PROFILE=ops1
sd sync --quiet >/dev/null 2>&1 || { echo "Bail out! first sync failed"; exit 1; }
DB="$T/ops1.db"

# Two SKUs with stock in no scheduled or active promotion: A for the flash
# sale, B for the overlap (a fixed-off coupon scheduled on it first).
sd promos list --status active,scheduled --format json >"$T/busy.json" 2>/dev/null
busy=$(sqlite3 :memory: "SELECT group_concat(quote(s.value)) FROM json_each(readfile('$T/busy.json')) p,
	json_each(json_extract(p.value, '\$.sku_ids')) s")
set -- $(sqlite3 "$DB" "SELECT id FROM skus WHERE stock - reserved >= 20 AND price > 1000
	AND id NOT IN (${busy:-''}) ORDER BY id LIMIT 2")
A=$1 B=$2
[ -n "$B" ] || { echo "Bail out! no two free SKUs"; exit 1; }
price=$(sqlite3 "$DB" "SELECT price FROM skus WHERE id = '$A'")
avail=$(sqlite3 "$DB" "SELECT stock - reserved FROM skus WHERE id = '$A'")
regular=$(printf '%d.%02d' $((price / 100)) $((price % 100)))
below=$(printf '%d.%02d' $(((price - 100) / 100)) $(((price - 100) % 100)))
sd promos create --name "占位券" --kind fixed_coupon --off 5 --starts tomorrow --ends +10d --skus "$B" \
	--wait >"$T/made" 2>&1
other=$(grep -o 'PR[0-9]*' "$T/made" | head -1)
sd promos schedule "$other" --wait >/dev/null 2>&1
sd sync --quiet >/dev/null 2>&1
is "$(sqlite3 "$DB" "SELECT status FROM promotions WHERE id = '$other'")" scheduled \
	"$other is scheduled on $B"
printf '[local]\nurl = %s\ncache = %s\n' "$URL" "$DB" >>"$XDG_CONFIG_HOME/shopdesk/config"
creates() { sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE action = 'create' AND state != 'done'"; }

# form KIND NAME VALUE...: the form opened with +, the kind typed and Tab
# (completes it, or moves on), the name, starts tomorrow, ends +7d, then
# one value per field of that kind (SKUs first), each with Enter.
form() {
	local kind=$1 name=$2 v
	shift 2
	printf 'key 6\nkey +\ntype %s\nkey <Tab>\nkey <Enter>\ntype %s\nkey <Enter>\n' \
		"$kind" "$name"
	printf 'type tomorrow\nkey <Enter>\ntype +7d\nkey <Enter>\n'
	for v in "$@"; do
		[ -n "$v" ] && printf 'type %s\n' "$v"
		printf 'key <Enter>\n'
	done
}

# --- every kind through the form ------------------------------------------------------
run "$(form perc '九折券' '' 10 '' ; echo 'key <C-x>'
form thresh '满199减20' '' 199 20; echo 'key <C-x>'
form fixed '立减5元' '' 5; echo 'key <C-x>'
form new_c '新人券' '' 10; echo 'key <C-x>'
form flas '秒杀' "$A" "$below" 3; echo 'key <C-x>'
form tier '满减阶梯' '' 199:20,299:40; echo 'key <C-x>'
form n_i '三件八折' '' 3 20; echo 'key <C-x>'
form mem '金卡价' '' gold 5; echo 'key <C-x>'
echo "dump $T/made")"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
is "$(sqlite3 "$DB" "SELECT group_concat(json_extract(body, '\$.kind'), ' ') FROM outbox
	WHERE action = 'create' ORDER BY id")" \
	"percent_coupon threshold_coupon fixed_coupon new_customer_coupon flash_sale tiered n_items member_price" \
	"each kind typed in the form is queued as a create, in order"
is "$(sqlite3 "$DB" "SELECT json_extract(body, '\$.rules.percent_off') || ' ' ||
	(json_extract(body, '\$.rules.max_off') IS NULL) FROM outbox WHERE action = 'create'
	AND json_extract(body, '\$.kind') = 'percent_coupon'")" "10 1" \
	"a percent coupon without a cap is uncapped"
is "$(sqlite3 "$DB" "SELECT json_extract(body, '\$.rules.price') || ' ' ||
	json_extract(body, '\$.rules.quantity') || ' ' || json_extract(body, '\$.sku_ids[0]')
	FROM outbox WHERE json_extract(body, '\$.kind') = 'flash_sale'")" "$((price - 100)) 3 $A" \
	"the flash sale: its price in fen, its cap and its SKU"
is "$(sqlite3 "$DB" "SELECT json_extract(body, '\$.rules.tiers') FROM outbox
	WHERE json_extract(body, '\$.kind') = 'tiered'")" \
	'[{"threshold":19900,"off":2000},{"threshold":29900,"off":4000}]' "the tiers, in fen"
is "$(sqlite3 "$DB" "SELECT json_extract(body, '\$.rules.level') FROM outbox
	WHERE json_extract(body, '\$.kind') = 'member_price'")" gold "the member level"
has "$T/made" "queued #" "the message line says it is queued"
base=$(creates)

# --- dates refused under their field ---------------------------------------------------
run "key 6
key +
type fix
key <Tab>
key <Enter>
type 坏日期
key <Enter>
type yesterday
key <Enter>
dump $T/past
key <Up>
key <C-u>
type 2026-02-30
key <Enter>
dump $T/notadate
key <Up>
key <C-u>
type +3d
key <Enter>
type +2d
key <Enter>
dump $T/order
type 5
key <C-x>
dump $T/refused"
is "$?" 0 "the console runs ($(head -c 200 "$T/run.err"))"
has "$T/past" "! the start has passed: give now or a later time" \
	"a start that has passed is refused under Starts"
has "$T/notadate" "! bad time '2026-02-30'" "a date that is not one is refused"
has "$T/order" "! the end must be after the start" "an end before the start is refused"
has "$T/refused" "not queued: correct the fields marked !" "submitting says why not"
is "$(creates)" "$base" "... and queues nothing"

# --- a flash sale: its price and its cap against the cached SKU -------------------------
run "$(form flas '贵秒杀' "$A" "$regular" $((avail + 1)) ; echo "dump $T/flash"
echo 'key <C-x>'; echo "dump $T/flash2")"
has "$T/flash" "is not below SKU $A's regular price ¥$regular" \
	"a flash price at the regular price is refused"
has "$T/flash" "$((avail + 1)) is more than SKU $A has in stock ($avail not reserved)" \
	"a cap above the stock not reserved is refused"
has "$T/flash2" "not queued" "submitting it queues nothing"
is "$(creates)" "$base" "... nothing"

# --- an overlap is shown as soon as the form is whole, or on C-x; Esc asks first ---------
run "$(form fix '重叠券' "$B" 8; echo "dump $T/overlap"; echo 'key <Up>'; echo 'key <BSpace>'
echo 'type 9'; echo 'key <C-x>'; echo "dump $T/again"; echo 'key <C-x>'; echo "dump $T/queued"
echo 'key +'; echo 'type 未完成'; echo 'key <Esc>'; echo "dump $T/esc"
echo 'key j'; echo "dump $T/kept"; echo 'key <Esc>'; echo 'key <Esc>'; echo "dump $T/gone")"
has "$T/overlap" "warning: it overlaps promotion $other" \
	"leaving the last field, the overlap with $other is shown"
has "$T/overlap" "C-x queues it all the same" "... with how to go on"
has "$T/again" "C-x again queues it anyway -- warning: it overlaps promotion $other" \
	"changed, then C-x: the overlap is shown again, nothing queued"
has "$T/queued" "queued #" "a second C-x queues it"
is "$(creates)" "$((base + 1))" "... once"
is "$(sqlite3 "$DB" "SELECT json_extract(body, '\$.rules.off') FROM outbox
	WHERE json_extract(body, '\$.name') = '重叠券'")" 900 "... as it stood: ¥9.00 off"
has "$T/esc" "close the form and lose what was typed?" "Esc asks first"
has "$T/kept" "Kind         未完成_" "another key goes back to the form, what was typed kept"
has "$T/gone" "the form is closed: nothing was queued" "Esc twice closes it"

# --- the same in Chinese: the form, a start that has passed, the overlap ---------------
RUN_ENV=LANGUAGE=zh_CN run "$(form fix '重叠中文' "$B" 8; echo "dump $T/zhoverlap"
echo 'key <Esc>'; echo 'key <Esc>'; echo 'key +'; echo 'type fix'; echo 'key <Tab>'
echo 'key <Enter>'; echo 'type 过期'; echo 'key <Enter>'; echo 'type yesterday'; echo 'key <Enter>'
echo "dump $T/zhpast"; echo 'key <Esc>'; echo 'key <Esc>')"
is "$?" 0 "the console runs in Chinese ($(head -c 200 "$T/run.err"))"
has "$T/zhoverlap" "新建促销（草稿，经待同步队列提交）" "the form's title in Chinese"
has "$T/zhoverlap" "类型" "... its labels"
has "$T/zhoverlap" "按 C-x 仍可加入队列：warning: it overlaps promotion $other" \
	"the overlap is shown, with how to go on in Chinese"
has "$T/zhpast" "! 开始时间已过：请填 now 或更晚的时间" "a start that has passed is refused under 开始"
is "$(creates)" "$((base + 1))" "nothing more was queued"

# --- the store makes them ------------------------------------------------------------
sd sync --quiet >/dev/null 2>&1
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE state != 'done'")" 0 \
	"the sync replays every create"
is "$(sqlite3 "$DB" "SELECT count(*) FROM promotions WHERE name IN ('九折券', '满199减20',
	'立减5元', '新人券', '秒杀', '满减阶梯', '三件八折', '金卡价', '重叠券')
	AND status = 'draft'")" 9 "the store made the nine drafts"

# --- the detail as a merchant reads it: kind and status named, each tier in yuan ----------
tier=$(sqlite3 "$DB" "SELECT id FROM promotions WHERE name = '满减阶梯'")
tj=$(sd promos show "$tier" --format json)
t0=$(jget "$tj" '$.rules.tiers[0].threshold') o0=$(jget "$tj" '$.rules.tiers[0].off')
yuan() { printf '¥%d.%02d' $(($1 / 100)) $(($1 % 100)); }
run ":pane promos
:find $tier
:dump-screen $T/tier"
has "$T/tier" "$tier  tiered discount  draft" "the detail names $tier's kind and status"
has "$T/tier" "tiers      spend $(yuan "$t0"), $(yuan "$o0") off" "... its first tier in yuan ($t0, $o0 fen)"
hasnt "$T/tier" "threshold" "... not the store's member names"
RUN_ENV=LANGUAGE=zh_CN run ":pane promos
:find $tier
:dump-screen $T/zhtier"
has "$T/zhtier" "满$(yuan "$t0")减$(yuan "$o0")" "in Chinese: 满…减…"

# --- ended offline, confirmed online ------------------------------------------------------
active=$(sqlite3 "$DB" "SELECT id FROM promotions WHERE status = 'active' ORDER BY id LIMIT 1")
stop_store
run ":pane promos active
:find $active
key j
:end
:dump-screen $T/ended"
grep -Eq "^$active  .*  ended\$" "$T/ended"
ok $? "offline, end on $active shows it ended at once"
has "$T/ended" "1 pending" "... pending"
is "$(sqlite3 "$DB" "SELECT action FROM outbox WHERE state != 'done' AND object_id = '$active'")" \
	end "... in the outbox"
STORE_PORT=$PORT start_store --db "$T/store.db"
sd sync --quiet >/dev/null 2>&1
is "$(jget "$(api ops1 GET "/v1/promotions/$active" | head -1)" '$.status')" ended \
	"back online, the store has ended $active"
is "$(sqlite3 "$DB" "SELECT status FROM promotions WHERE id = '$active'")" ended \
	"... and the cache says so"
done_testing
