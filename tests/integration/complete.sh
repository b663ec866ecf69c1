#!/usr/bin/env bash
# complete.sh -- the bash and zsh completion scripts (completion/) over the
# hidden "shopdesk __complete": commands, verbs, every command's options
# (the same as its parser takes, per "shopdesk __dump"), the values of
# filters and actions (statuses, queues, kinds, carriers, sorts, outbox
# states, profiles) and the ids the cache holds, by prefix. zsh is tested
# when it is installed, and reported skipped otherwise.
. "${top_srcdir:-.}/tests/integration/lib.sh"

start_store --seed 5 --orders 300
profile admin
profile wh1
sd sync >/dev/null
ok $? "initial sync"

# shellcheck source=/dev/null
. "${top_srcdir:-.}/completion/bash/shopdesk"
complete -p shopdesk >/dev/null 2>&1
ok $? "the bash script registers a completion for shopdesk"

# comp WORD...: COMPREPLY for the words after "shopdesk" (the last one being typed),
# one a line, sorted.
comp() {
	COMP_WORDS=("$SHOPDESK" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_shopdesk
	[ ${#COMPREPLY[@]} = 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}
lines() { printf '%s\n' "$@" | sort; }

is "$(comp o)" "$(lines orders outbox)" "command words by prefix: o -> orders, outbox"
is "$(comp orders s)" "$(lines ship shipments show slip)" "verbs of a noun: orders s -> ship, shipments, show, slip"
is "$(comp help orders l)" "list" "help completes as the command does"
is "$(comp --pro)" "--profile" "global options"
is "$(comp --profile "")" "$(lines admin wh1)" "--profile: the configuration's profiles"

# Every command's options are exactly those of its parser.
bad=
while IFS=$'\t' read -r c opts; do
	# help's words are commands (above), not options.
	[ -n "$c" ] && [ "$c" != help ] || continue
	want=$(for o in $opts; do o=${o%'[=]'}; o=${o%=}; case $o in --*) echo "$o" ;; esac; done |
		sort -u)
	# shellcheck disable=SC2086
	got=$(comp $c --)
	[ "$got" = "$want" ] || bad="$bad; $c"
done < <("$SHOPDESK" __dump)
is "$bad" "" "every command completes exactly the options its parser takes"
is "$(comp orders list --st)" "--status" "an option by prefix"
is "$(comp tickets list --carrier 2>/dev/null)" "" "a filter that does not apply to the noun is not offered"

# Values.
got=$(comp orders list --status "")
want=$(sd orders list --status nosuch 2>&1 | sed -n 's/.*one of: //p' | tr -d ' ' | tr ',' '\n' |
	sort)
[ -n "$want" ] && [ "$got" = "$want" ]
ok $? "orders list --status: the order statuses the filter takes"
[ "$got" = "$want" ] || { echo "# got: $got"; echo "# want: $want"; }
is "$(comp chats list --queue "")" "$(lines aftersales presales vip)" "chats list --queue: the queues"
is "$(comp orders list --carrier "")" "$(lines EMS JD JT SF STO YTO YUNDA ZTO)" \
	"--carrier: the carriers' codes"
is "$(comp ship SO1 --carrier S)" "$(lines SF STO)" "ship --carrier S: SF, STO"
comp tickets list --kind "" | grep -qx return_refund
ok $? "tickets list --kind: the ticket kinds"
is "$(comp tickets list --sort "")" "$(lines new urgency)" "tickets list --sort: its orders"
is "$(comp outbox list --state "")" "$(lines conflict failed queued sending)" \
	"outbox list --state: the outbox states"
is "$(comp orders list --format j)" "json" "--format j -> json"
is "$(comp orders list --format = j)" "json" "--format=j (bash splits at =) -> json"
is "$(comp tickets assign AS1 --assignee "")" "me" "--assignee: me"

# Ids from the cache, by prefix: the profile's (admin is not the default profile).
ids=$(sd orders list --all --format csv | awk -F, 'NR > 1 { print $1 }' | sort)
p=$(printf '%s\n' "$ids" | head -1 | cut -c1-8)
want=$(printf '%s\n' "$ids" | grep "^$p" | sort)
got=$(comp --profile admin orders show "$p")
[ -n "$want" ] && [ "$got" = "$want" ]
ok $? "orders show $p: the cached order ids with that prefix ($(printf '%s\n' "$want" | grep -c .))"
got=$(comp --profile admin ship "$p")
[ "$got" = "$want" ]
ok $? "an action's ID completes too, in the profile given"
o=$(printf '%s\n' "$ids" | head -1)
c=$(sd customers list --limit 1 --format csv | awk -F, 'NR == 2 { print $1 }')
comp --profile admin orders list --customer "${c%?}" | grep -qx "$c"
ok $? "--customer completes customer ids"
is "$(comp --profile admin orders show "$o" "")" "" "no second id after the first"
sd orders note "$o" --text "completion" >/dev/null 2>&1
e=$(jget "$(sd outbox list --format json)" '$[0].id')
is "$(comp --profile admin outbox show "")" "$e" "outbox show: the outbox entries' ids"

# Files.
mkdir "$T/files" && cd "$T/files" && touch replies.csv reply.txt || exit 1
is "$(comp canned import rep)" "$(lines replies.csv reply.txt)" "canned import FILE: file names"
is "$(comp orders ship --from-csv replies)" "replies.csv" "--from-csv: file names"
cd "$T" || exit 1

# Completing never creates a cache.
profile fresh
is "$(comp --profile fresh orders show SO)" "" "no cache yet: no ids"
[ ! -e "$T/fresh.db" ]
ok $? "completing made no cache"

# --- zsh --------------------------------------------------------------------------------
if command -v zsh >/dev/null 2>&1; then
	# The function run with compadd and _files standing in for zsh's: what it offers.
	zcomp() {
		SD="$SHOPDESK" ZF="${top_srcdir:-.}/completion/zsh/_shopdesk" zsh -f -c '
			compadd() { [[ $1 == -a ]] && print -rl -- "${(@P)2}"; }
			_files() { print -r -- FILES; }
			words=("$SD" "${@[1,-2]}" "${@[-1]}")
			CURRENT=$#words
			PREFIX=${@[-1]}
			source "$ZF"' zsh "$@" | sort
	}
	is "$(zcomp orders s)" "$(lines ship shipments show slip)" "zsh: verbs of a noun"
	is "$(zcomp chats list --queue "")" "$(lines aftersales presales vip)" "zsh: filter values"
	is "$(zcomp --profile admin orders show "$p")" "$want" "zsh: ids by prefix"
	is "$(zcomp canned import "")" "FILES" "zsh: file names through _files"
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP zsh is not installed: the zsh script is not tested"
fi

done_testing
