#!/usr/bin/env bash
# roles.sh -- every endpoint of the contract x every role, against the
# reference store.
#
# The oracle is the contract itself, shopdesk-storeapi(7), read at run time:
# its "Kinds of object" table says which roles may read each kind, and each
# entry of ACTIONS (".It Cm NAME Pq ROLES" then ".Li METHOD PATH [BODY]")
# says which roles may perform it.  So an action added to the store but not
# to the page, or given other roles than the page says, fails here.
#
# Checked for each role (admin, ops, finance, agent, warehouse):
#   - GET /v1/{kinds} and GET /v1/{kinds}/{id}: 200 when the table says the
#     role may read the kind, else 403 "forbidden" naming the role;
#   - the change feed carries only the kinds the role may read;
#   - each action: a role not listed gets 403 "forbidden", with details.role
#     and details.required equal to the page's list; a listed role is never
#     401/403, and with the page's own example body never 400;
#   - /v1/me's permissions (kind.action) are exactly the actions the page
#     gives the role;
#   - personal data masked for ops and finance (lists, single objects, the
#     change feed), and whole for the others.
. "${top_srcdir:-.}/tests/integration/lib.sh"

MAN="${top_srcdir:-.}/man/shopdesk-storeapi.7"
start_store

ROLES="admin ops finance agent warehouse"
declare -A LOGIN=([admin]=admin [ops]=ops1 [finance]=fin1 [agent]=agent1 [warehouse]=wh1)

# call LOGIN METHOD PATH [BODY] [HEADER...]: sets CODE and writes the body to $T/body.
call() {
	local login=$1 method=$2 path=$3 body=${4:-}
	shift 4 2>/dev/null || shift $#
	printf 'Authorization: Bearer %s\n' "$(cat "$T/tokens/$login.token")" >"$T/auth.h"
	local args=(-s -o "$T/body" -X "$method" -H @"$T/auth.h" -w '%{http_code}')
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	for h in "$@"; do args+=(-H "$h"); done
	CODE=$(curl "${args[@]}" "$URL$path")
}

# js PATH: json_extract of $T/body.
js() {
	sqlite3 :memory: "SELECT json_extract(readfile('$T/body'), '$1');"
}

# ---- the contract ----------------------------------------------------------

# Kinds table: "kind path ... readers" -> READERS[path]="role role ..."
declare -A READERS KINDOF
while IFS=$'\t' read -r kind path readers; do
	case $readers in
	"all roles") readers=$ROLES ;;
	"all but "*) ex=${readers#all but }; readers=$(for r in $ROLES; do [ "$r" = "$ex" ] || printf '%s ' "$r"; done) ;;
	esac
	READERS[$path]=$readers
	KINDOF[$path]=$kind
done < <(awk '/^\.Ss Kinds of object/ { on = 1; next } on && /^\.El/ { exit }
	on && /^\.It [a-z_]+ Ta \/v1\// {
		line = $0; sub(/^\.It /, "", line); n = split(line, f, / Ta /)
		printf "%s\t%s\t%s\n", f[1], f[2], f[4] }' "$MAN")
is "${#READERS[@]}" 11 "the contract's kinds table lists eleven kinds"

# ACTIONS entries: name<TAB>roles<TAB>method<TAB>path<TAB>body
awk '/^\.Sh ACTIONS/ { on = 1; next } /^\.Sh / && on { exit }
	on && /^\.It Cm [a-z_]+ Pq / { name = $3; roles = $0; sub(/^.* Pq /, "", roles); gsub(/,/, "", roles); want = 1; next }
	on && want && /^\.Li (GET|POST|PATCH|PUT|DELETE) \/v1\// { method = $2; path = $3; want = 2; next }
	on && want == 2 { body = ""; if ($1 == ".Li") { body = $0; sub(/^\.Li /, "", body); gsub(/\\\(dq/, "\"", body) }
		printf "%s\t%s\t%s\t%s\t%s\n", name, roles, method, path, body; want = 0; next }
	on && want == 1 { want = 0 }' "$MAN" >"$T/actions.tsv"
nact=$(wc -l <"$T/actions.tsv")
ok "$([ "$nact" -ge 40 ] && echo 0 || echo 1)" "the contract lists $nact actions with their roles"

# ---- one object of each kind per role, so one role's writes do not decide another's
declare -A IDS
for path in "${!READERS[@]}"; do
	call admin GET "$path?limit=5" ""
	IDS[$path]=$(sqlite3 :memory: "SELECT group_concat(value ->> 'id', ' ') FROM json_each(readfile('$T/body'), '\$.items');")
done
ok "$([ -n "${IDS[/v1/orders]}" ] && [ -n "${IDS[/v1/canned-replies]}" ] && echo 0 || echo 1)" "the seeded store has objects of each kind"

# nth N WORDS...: word N (0-based), or the last.
nth() { local n=$1; shift; local a=("$@"); [ "$n" -lt "${#a[@]}" ] || n=$((${#a[@]} - 1)); echo "${a[$n]}"; }

# ---- reads -----------------------------------------------------------------
for role in $ROLES; do
	login=${LOGIN[$role]}
	for path in $(printf '%s\n' "${!READERS[@]}" | sort); do
		id=$(nth 0 ${IDS[$path]})
		case " ${READERS[$path]} " in *" $role "*) may=1 ;; *) may=0 ;; esac
		call "$login" GET "$path?limit=3" ""
		lc=$CODE
		call "$login" GET "$path/$id" ""
		if [ $may = 1 ]; then
			ok "$([ "$lc" = 200 ] && [ "$CODE" = 200 ] && echo 0 || echo 1)" "$role reads $path (list $lc, one $CODE)"
		else
			got=$(sqlite3 :memory: "SELECT (readfile('$T/body') ->> '\$.error.code') || ' ' || (readfile('$T/body') ->> '\$.error.details.role');")
			ok "$([ "$lc" = 403 ] && [ "$CODE" = 403 ] && [ "$got" = "forbidden $role" ] && echo 0 || echo 1)" \
				"$role may not read $path: $got (list $lc, one $CODE)"
		fi
	done
	# The change feed: only readable kinds.
	call "$login" GET "/v1/changes?since=0&limit=5000" ""
	cp "$T/body" "$T/feed.$role"
	kinds=$(sqlite3 :memory: "SELECT group_concat(DISTINCT value ->> 'kind') FROM json_each(readfile('$T/body'), '\$.changes');")
	bad=
	for k in ${kinds//,/ }; do
		for path in "${!KINDOF[@]}"; do
			if [ "${KINDOF[$path]}" = "$k" ]; then
				case " ${READERS[$path]} " in *" $role "*) ;; *) bad="$bad $k" ;; esac
			fi
		done
	done
	ok "$([ "$CODE" = 200 ] && [ -z "$bad" ] && [ -n "$kinds" ] && echo 0 || echo 1)" \
		"$role's change feed carries only kinds it may read (${kinds}${bad:+; not allowed:$bad})"
done

# ---- masking ---------------------------------------------------------------
# phone_ok ROLE: the order's and the customer's phone masked or whole as the role says.
for role in $ROLES; do
	login=${LOGIN[$role]}
	case $role in ops | finance) masked=1 ;; *) masked=0 ;; esac
	oid=$(nth 0 ${IDS[/v1/orders]})
	call "$login" GET "/v1/orders/$oid" ""
	phone=$(js '$.address.phone')
	line=$(js '$.address.line')
	call "$login" GET "/v1/orders?limit=3" ""
	lphone=$(js '$.items[0].address.phone')
	fphone=$(sqlite3 :memory: "SELECT value ->> '\$.object.address.phone' FROM json_each(readfile('$T/feed.$role'), '\$.changes')
		WHERE value ->> 'kind' = 'order' AND value ->> 'id' = '$oid' LIMIT 1;")
	if [ $masked = 1 ]; then
		ok "$([[ $phone =~ ^[0-9]{3}\*{4}[0-9]{4}$ ]] && [ -z "$line" ] && [[ $lphone =~ \*{4} ]] && [[ $fphone =~ \*{4} ]] && echo 0 || echo 1)" \
			"$role sees the order's phone masked ($phone), street empty, in lists and the feed too"
	else
		ok "$([[ $phone =~ ^[0-9]{11}$ ]] && [ -n "$line" ] && [[ $lphone =~ ^[0-9]{11}$ ]] && [[ $fphone =~ ^[0-9]{11}$ ]] && echo 0 || echo 1)" \
			"$role sees the order's phone whole ($phone) and its street"
	fi
	case " ${READERS[/v1/customers]} " in *" $role "*)
		cid=$(nth 0 ${IDS[/v1/customers]})
		call "$login" GET "/v1/customers/$cid" ""
		cphone=$(js '$.phone')
		mail=$(js '$.email')
		if [ $masked = 1 ]; then
			ok "$([[ $cphone =~ ^[0-9]{3}\*{4}[0-9]{4}$ ]] && { [ -z "$mail" ] || [[ $mail =~ ^.\*\*\*@ ]]; } && echo 0 || echo 1)" \
				"$role sees the customer's phone and e-mail masked ($cphone, $mail)"
		else
			ok "$([[ $cphone =~ ^[0-9]{11}$ ]] && [[ $mail != *'***'* ]] && echo 0 || echo 1)" \
				"$role sees the customer's phone and e-mail whole ($cphone)"
		fi
		;;
	esac
done

# ---- actions ---------------------------------------------------------------
key=0
ri=0
for role in $ROLES; do
	login=${LOGIN[$role]}
	ri=$((ri + 1))
	expected_perms=
	while IFS=$'\t' read -r name roles method path body; do
		base=$(echo "$path" | cut -d/ -f1-3)
		case " $roles " in *" $role "*) may=1; expected_perms="$expected_perms ${KINDOF[$base]}.$name" ;; *) may=0 ;; esac
		real=$path
		hdr=()
		if [[ $path == *"{id}"* ]]; then
			id=$(nth "$ri" ${IDS[$base]})
			real=${path//\{id\}/$id}
			call admin GET "$base/$id" ""
			hdr=("If-Match: $(js '$.version')")
		fi
		concrete=1
		case $body in "" | *"..."*) body='{}'; concrete=0 ;; esac
		key=$((key + 1))
		call "$login" "$method" "$real" "$body" "Idempotency-Key: roles-$key" "${hdr[@]}"
		if [ $may = 1 ]; then
			fine=0
			[ "$CODE" = 401 ] || [ "$CODE" = 403 ] && fine=1
			[ $concrete = 1 ] && [ "$CODE" = 400 ] && fine=1
			ok $fine "$role may $name ($method $path): $CODE"
			[ $fine = 0 ] || sed 's/^/#   /' "$T/body" | head -3
		else
			want="forbidden $role $(echo "$roles" | tr ' ' '\n' | sort | paste -sd,)"
			got=$(sqlite3 :memory: "SELECT (readfile('$T/body') ->> '\$.error.code') || ' ' || (readfile('$T/body') ->> '\$.error.details.role') || ' ' ||
				(SELECT group_concat(v, ',') FROM (SELECT value AS v FROM json_each(readfile('$T/body'), '\$.error.details.required') ORDER BY v));")
			ok "$([ "$CODE" = 403 ] && [ "$got" = "$want" ] && echo 0 || echo 1)" \
				"$role may not $name ($method $path): $CODE, $got"
		fi
	done <"$T/actions.tsv"
	# /v1/me lists exactly the page's actions for the role.
	call "$login" GET /v1/me ""
	got=$(sqlite3 :memory: "SELECT group_concat(v, ' ') FROM (SELECT DISTINCT value AS v FROM json_each(readfile('$T/body'), '\$.permissions') ORDER BY v);")
	want=$(echo "$expected_perms" | tr ' ' '\n' | sed '/^$/d' | sort -u | paste -sd' ')
	is "$got" "$want" "$role: /v1/me's permissions are the contract's actions for the role"
done

done_testing
