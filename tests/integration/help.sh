#!/usr/bin/env bash
# help.sh -- every command says how it is used (issue 15, "Unix manners"):
#   - "shopdesk COMMAND --help" and "-h" exit 0 with a usage line naming the
#     command and a line for every option its parser takes, as the program
#     itself lists them ("shopdesk __dump"), and no option it does not take;
#   - every option listed is one the parser knows (not "unrecognized");
#   - "shopdesk help [COMMAND...]", "shopdesk NOUN --help", -V/--version of
#     both programs.
. "${top_srcdir:-.}/tests/integration/lib.sh"

dump=$("$SHOPDESK" __dump)
ok $? "shopdesk __dump succeeds"
n=$(printf '%s\n' "$dump" | grep -c .)
[ "$n" -ge 60 ]
ok $? "__dump lists every command ($n)"
# The same commands as --help's list.
cmds=$("$SHOPDESK" --help | sed -n '/^commands:$/,/^$/p' | sed -n -E 's/^  +([^ ].*)$/\1/p' |
	sed -E 's/  +.*$//')
is "$(printf '%s\n' "$dump" | cut -f1)" "$cmds" "__dump and --help list the same commands"

while IFS=$'\t' read -r c opts; do
	[ -n "$c" ] || continue
	# shellcheck disable=SC2086
	out=$("$SHOPDESK" $c --help </dev/null 2>&1)
	rc=$?
	first=$(printf '%s\n' "$out" | head -1)
	[ "$rc" = 0 ] && [[ $first == "usage: shopdesk $c"* ]]
	ok $? "$c --help exits 0 with its usage line"
	[ "$rc" = 0 ] || printf '%s\n' "$out" | head -3 | sed 's/^/#   /'
	# shellcheck disable=SC2086
	short=$("$SHOPDESK" $c -h </dev/null 2>&1)
	is "$short" "$out" "$c -h prints the same help"
	# The option lines of the help: "  -q, --query TEXT   ..." or "      --all   ...".
	listed=$(printf '%s\n' "$out" | grep -oE '^ +(-[a-z], )?--[a-z][a-z-]*' |
		grep -oE -- '--[a-z][a-z-]*' | sort)
	want=$(for o in $opts; do o=${o%'[=]'}; o=${o%=}; case $o in --*) echo "$o" ;; esac; done |
		sort)
	is "$listed" "$want" "$c --help lists exactly the options its parser takes"
	# Each one a line of its own, its short form too.
	for o in $opts; do
		o=${o%'[=]'}
		o=${o%=}
		case $o in -?) printf '%s\n' "$out" | grep -qE -- "^ +$o, --" ||
			ok 1 "$c --help shows $o" ;;
		esac
	done
	# The parser knows each: given with a value, then an unknown option that makes
	# it stop before doing anything, it never says the listed one is unknown.
	# The actions share one parser built from action_table[]: a few of them stand
	# for all.
	case " $opts " in
	*" --yes "*) case $c in "orders ship" | "tickets create" | "stock adjust") ;; *) continue ;; esac ;;
	esac
	bad=
	for o in $opts; do
		case $o in -h | --help | -?=) continue ;; esac
		case $o in
		*'[=]') args=("${o%'[=]'}") ;;
		*=) args=("${o%=}" x) ;;
		*) args=("$o") ;;
		esac
		# shellcheck disable=SC2086
		err=$("$SHOPDESK" $c "${args[@]}" --no-such-option-zz </dev/null 2>&1 >/dev/null)
		case $err in
		*"unrecognized option '${args[0]}"* | *"option '${args[0]}' is ambiguous"*)
			bad="$bad ${args[0]}" ;;
		esac
	done
	is "$bad" "" "$c: its parser takes every option its help lists"
done <<EOF
$dump
EOF

# --- help, NOUN --help --------------------------------------------------------------
out=$("$SHOPDESK" help)
ok $? "shopdesk help exits 0"
is "$out" "$("$SHOPDESK" --help)" "shopdesk help prints what --help does"
is "$("$SHOPDESK" help orders list)" "$("$SHOPDESK" orders list --help)" \
	"help orders list is orders list --help"
out=$("$SHOPDESK" help sync ship)
printf '%s\n' "$out" | grep -q '^usage: shopdesk sync' &&
	printf '%s\n' "$out" | grep -q '^usage: shopdesk ship'
ok $? "help takes several commands"
for noun in orders tickets outbox canned; do
	out=$("$SHOPDESK" $noun --help)
	ok $? "$noun --help exits 0"
	verbs=$(printf '%s\n' "$dump" | cut -f1 | sed -n "s/^$noun //p")
	got=$(printf '%s\n' "$out" | sed -n '/^verbs:$/,/^$/p' | sed -n -E 's/^  ([a-z-]+) .*$/\1/p')
	is "$got" "$verbs" "$noun --help lists its verbs"
	is "$("$SHOPDESK" help $noun)" "$out" "help $noun is $noun --help"
done
out=$("$SHOPDESK" help nosuch 2>&1)
rc=$?
[ "$rc" = 2 ] && [[ $out == *"no command 'nosuch'"* ]]
ok $? "help of an unknown command exits 2 and says so"
out=$("$SHOPDESK" help orders nosuch 2>&1)
rc=$?
[ "$rc" = 2 ] && [[ $out == *"orders has no verb 'nosuch'"* ]]
ok $? "help of an unknown verb exits 2 and says so"

# --help does not run the command: no digest, no sync, nothing in the cache's place.
out=$("$SHOPDESK" cache digest --help)
[[ $out != *sha256* ]] && [ ! -e "$XDG_DATA_HOME/shopdesk" ]
ok $? "cache digest --help prints help, does not run (no cache made)"
# A value that looks like -h is a value, not a request for help.
out=$("$SHOPDESK" orders note SO1 --text -h 2>&1)
[[ $out != usage:* ]]
ok $? "orders note ID --text -h is a note, not --help"

# --- versions -------------------------------------------------------------------------
for p in "$SHOPDESK" "$SHOPDESK_STORE"; do
	name=$(basename "$p")
	for o in -V --version; do
		out=$("$p" $o)
		rc=$?
		[ "$rc" = 0 ] && [[ $out =~ ^$name\ [0-9]+\.[0-9]+ ]]
		ok $? "$name $o prints its version and exits 0"
	done
done

done_testing
