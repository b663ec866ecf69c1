#!/usr/bin/env bash
# man.sh -- the man pages are clean and say what the program does:
#   - mandoc -Tlint -W warning is silent for every page in man/;
#   - every command of "shopdesk --help" is an entry of shopdesk(1)'s COMMANDS;
#   - every option of "shopdesk config show" is an ".It Ic name" entry of
#     shopdesk.conf(5), with its type and default;
#   - shopdesk(1)'s EXIT STATUS lists exactly the codes and names of src/status.c;
#   - the EXAMPLES' shopdesk command lines use only known commands and options.
. "${top_srcdir:-.}/tests/integration/lib.sh"
cd "${top_srcdir:-.}" || exit 1

PAGES="shopdesk.1 shopdesk.conf.5 shopdesk-keys.5 shopdesk-store.1 shopdesk-storeapi.7"

# section PAGE NAME: the source lines of section NAME of PAGE, without the .Sh line.
section() {
	awk -v want=".Sh $2" '
		/^\.Sh / { on = ($0 == want); next }
		on { print }' "$1"
}

# --- mandoc lint ------------------------------------------------------------------
command -v mandoc >/dev/null 2>&1
ok $? "mandoc is installed"
for page in $PAGES; do
	if [ ! -s "man/$page" ]; then
		ok 1 "man/$page exists and is not empty"
		continue
	fi
	out=$(mandoc -Tlint -W warning "man/$page" 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && [ -z "$out" ]; then
		ok 0 "mandoc -Tlint -W warning man/$page is silent"
	else
		ok 1 "mandoc -Tlint -W warning man/$page is silent"
		printf '%s\n' "$out" | sed 's/^/#   /' | head -20
	fi
done

# --- commands: --help against shopdesk(1) -----------------------------------------
help=$("$SHOPDESK" --help 2>&1)
ok $? "shopdesk --help succeeds"
# "  orders list      list cached orders, newest first": the name ends at two spaces.
cmds=$(printf '%s\n' "$help" | sed -n '/^commands:$/,/^$/p' | sed -n -E 's/^  +([^ ].*)$/\1/p' |
	sed -E 's/  +.*$//')
n_help=$(printf '%s\n' "$cmds" | grep -c .)
# The commands: cli_fixed[] in src/cli/main.c, and one per row of action_table[] in src/action.c.
n_fixed=$(grep -cE '^[[:space:]]*\{ (NULL|"[a-z-]+"), "[a-z-]+", cli_' src/cli/main.c)
n_actions=$(grep -cE '^[[:space:]]*\{ "[a-z]+", "[a-z-]+", KIND_' src/action.c)
n_table=$((n_fixed + n_actions))
[ "$n_help" -gt 0 ] && [ "$n_actions" -gt 0 ] && [ "$n_help" = "$n_table" ]
ok $? "--help lists every command ($n_help listed; $n_fixed in src/cli/main.c, $n_actions actions in src/action.c)"
bad=$(printf '%s\n' "$cmds" | grep -vE '^[a-z-]+( [a-z-]+)?$')
is "$bad" "" "every command name in --help is one or two words"

commands_sec=$(section man/shopdesk.1 COMMANDS)
while IFS= read -r c; do
	[ -n "$c" ] || continue
	printf '%s\n' "$commands_sec" | grep -qE "^\.It (Xo )?Ic $c( |\$)"
	ok $? "shopdesk.1 COMMANDS has an entry .It Ic $c"
done <<EOF
$cmds
EOF
stale=$(printf '%s\n' "$commands_sec" | sed -n -E 's/^\.It (Xo )?Ic (.*)$/\2/p' |
	sed -E 's/ (Ar|Op|Fl|Cm|Pq|Xc|Ns)( .*)?$//' | while IFS= read -r c; do
		printf '%s\n' "$cmds" | grep -qxF "$c" || echo "$c"
	done)
is "$stale" "" "shopdesk.1 COMMANDS documents no command that --help lacks"

# --- configuration options: config show against shopdesk.conf(5) -----------------
conf=$("$SHOPDESK" config show 2>&1)
ok $? "shopdesk config show succeeds in an empty HOME"
opts=$(printf '%s\n' "$conf" | sed -n -E 's/^([a-z][a-z0-9-]*) = .*$/\1/p')
n_show=$(printf '%s\n' "$opts" | grep -c .)
n_conf=$(grep -cE '^[[:space:]]*\{ "[a-z-]+", CONFIG_[A-Z]+,' src/conf.c)
[ "$n_show" -gt 0 ] && [ "$n_show" = "$n_conf" ]
ok $? "config show prints every row of config_options[] ($n_show printed, $n_conf in src/conf.c)"

# entry NAME: the lines of shopdesk.conf.5's ".It Ic NAME" entry, to the next .It/.El.
entry() {
	awk -v name="$1" '
		/^\.It / { on = ($0 ~ "^\\.It Ic " name "( |$)"); if (on) { print; next } }
		/^\.El/ { on = 0 }
		on { print }' man/shopdesk.conf.5
}
while IFS= read -r o; do
	[ -n "$o" ] || continue
	grep -qE "^\.It Ic $o( |\$)" man/shopdesk.conf.5
	ok $? "shopdesk.conf.5 has an entry .It Ic $o"
done <<EOF
$opts
EOF
stale=$(sed -n -E 's/^\.It Ic ([^ ]+).*$/\1/p' man/shopdesk.conf.5 | while IFS= read -r o; do
	printf '%s\n' "$opts" | grep -qxF "$o" || echo "$o"
done)
is "$stale" "" "shopdesk.conf.5 documents no option that config show lacks"

# The type and default of each option, from config_options[].
while IFS='|' read -r name type def; do
	[ -n "$name" ] || continue
	text=$(entry "$name")
	case $type in
	STRING) word=string ;;
	PATH) word=path ;;
	BOOL) word=boolean ;;
	INT) word=integer ;;
	*) word="?$type" ;;
	esac
	printf '%s\n' "$text" | grep -qw "$word"
	ok $? "shopdesk.conf.5 gives $name's type ($word)"
	case $def in
	"") want="default is empty" ;;
	*%p*) want="default is ${def%%%p*}" ;;	# "$XDG_DATA_HOME/shopdesk/" of ".../%p.db"
	*) want="default is $def" ;;
	esac
	# The entry as words, mdoc macros dropped: ".Cm no ." -> "no .".
	words=$(printf '%s\n' "$text" | sed -E 's/^\.[A-Z][a-z]+ ?//' |
		sed -E 's/(^| )(Pa|Ns|Ar|Cm|Li|Ql|Ic|Fl|Ev|Sx|Xr|No|Pq|Em|Sy|Dq|Op)( |$)/\1/g' |
		tr '\n' ' ' | tr -s ' ')
	printf '%s\n' "$words" | grep -qF -- "$want"
	ok $? "shopdesk.conf.5 gives $name's default ($want)"
done <<EOF
$(sed -n -E 's/^[[:space:]]*\{ "([a-z-]+)", CONFIG_([A-Z]+), "([^"]*)",.*$/\1|\2|\3/p' src/conf.c)
EOF

# --- exit statuses: src/status.c against shopdesk(1) --------------------------------
# Rows "{ SD_ENETWORK, "network", 6, "..." }" as "6 network".
st_rows=$(sed -n -E 's/^[[:space:]]*\{ SD_[A-Z_]+, "([a-z-]+)", ([0-9]+), ".*$/\2 \1/p' src/status.c)
n_rows=$(printf '%s\n' "$st_rows" | grep -c .)
n_enum=$(grep -cE '^[[:space:]]*SD_[A-Z]+,' src/status.h)
[ "$n_rows" -gt 0 ] && [ "$n_rows" = "$n_enum" ]
ok $? "src/status.c has a row for each of the $n_enum statuses of status.h ($n_rows parsed)"
# The section's ".It" lines as "CODE NAME", macros dropped: ".It 6 Ta Cm network Ta ...".
man_rows=$(section man/shopdesk.1 "EXIT STATUS" | sed -n -E 's/^\.It (.*)$/\1/p' |
	awk '{ n = 0; for (i = 1; i <= NF && n < 2; i++)
		if ($i !~ /^(Ta|Cm|Li|Sy|Ql|Dv|Er|Ar|Pq|Po|Pc|Em|No)$/) { w[++n] = $i }
		print w[1], w[2] }')
while IFS= read -r row; do
	[ -n "$row" ] || continue
	printf '%s\n' "$man_rows" | grep -qxF "$row"
	ok $? "shopdesk.1 EXIT STATUS lists $row"
done <<EOF
$st_rows
EOF
extra=$(printf '%s\n' "$man_rows" | while IFS= read -r row; do
	[ -n "$row" ] || continue
	printf '%s\n' "$st_rows" | grep -qxF "$row" || echo "$row"
done)
is "$extra" "" "shopdesk.1 EXIT STATUS lists no code or name that src/status.c lacks"

# --- EXAMPLES: only known commands and options -------------------------------------
# The global options, from main()'s getopt table: "main OPTION TAKES-ARGUMENT",
# e.g. "main -p 1"; every command's, from the program itself.
optlist=$(awk '
	/^[a-z_][a-z0-9_]*\(/ { fn = $0; sub(/\(.*/, "", fn) }
	fn != "main" { next }
	match($0, /\{ "[a-z-]+", (required|no)_argument/) {
		s = substr($0, RSTART + 3, RLENGTH - 3)
		name = s; sub(/".*/, "", name)
		print fn, "--" name, (s ~ /required_argument/) ? 1 : 0
	}
	match($0, /getopt_long\(argc, argv, "[^"]*"/) {
		s = substr($0, RSTART, RLENGTH); sub(/^[^"]*"/, "", s); sub(/"$/, "", s)
		sub(/^[+:-]+/, "", s)
		for (i = 1; i <= length(s); i++) {
			ch = substr(s, i, 1)
			if (ch == ":") continue
			print fn, "-" ch, (substr(s, i + 1, 1) == ":") ? 1 : 0
		}
	}' src/cli/main.c | sort -u)
declare -A OPT CMDFN
while read -r fn o a; do
	[ -n "$fn" ] && OPT["$fn $o"]=$a
done <<EOF
$optlist
EOF
# Each command and the options its parser takes ("shopdesk __dump": "orders list
# <TAB>--status= ... -h --help"; "=": takes a value, "[=]": may).
while IFS=$'\t' read -r c opts; do
	[ -n "$c" ] || continue
	CMDFN["$c"]=$c
	for o in $opts; do
		case $o in
		*'[=]') OPT["$c ${o%'[=]'}"]=0 ;;
		*=) OPT["$c ${o%=}"]=1 ;;
		*) OPT["$c $o"]=0 ;;
		esac
	done
done < <("$SHOPDESK" __dump)
[ -n "${OPT[main --profile]+x}" ] && [ -n "${OPT[orders list --status]+x}" ] &&
	[ -n "${CMDFN[orders list]+x}" ] && [ "${OPT[stock adjust --delta]-}" = 1 ] &&
	[ "${OPT[tickets receive --restock]-}" = 0 ]
ok $? "main()'s option table and shopdesk __dump's commands and options parse"

# A word that ends a command: a pipe, a list operator, a redirection, a comment.
stop_re='^[|&;<>)#]|^[0-9]>'

# check_line LINE: empty when every shopdesk command in LINE is known, else why not.
check_line() {
	local -a w
	local i j c fn o name arg
	read -ra w <<<"$1"
	for ((i = 0; i < ${#w[@]}; i++)); do
		[ "${w[i]#\$(}" = shopdesk ] || continue
		# global options
		for ((j = i + 1; j < ${#w[@]}; j++)); do
			o=${w[j]}
			case $o in
			--) j=$((j + 1)); break ;;
			-*) ;;
			*) break ;;
			esac
			name=${o%%=*}
			arg=${OPT["main $name"]-}
			if [ -z "$arg" ]; then
				echo "unknown global option $o"
				return
			fi
			[ "$arg" = 1 ] && [ "$name" = "$o" ] && j=$((j + 1))
		done
		c=
		if [ $j -lt ${#w[@]} ] && ! [[ ${w[j]} =~ $stop_re ]]; then
			c=${w[j]}
			if [ -z "${CMDFN[$c]-}" ]; then
				c="${w[j]} ${w[j + 1]-}"
				j=$((j + 1))
			fi
			if [ -z "${CMDFN[$c]-}" ] || ! printf '%s\n' "$cmds" | grep -qxF "$c"; then
				echo "unknown command '$c'"
				return
			fi
			fn=$c
			for ((j = j + 1; j < ${#w[@]}; j++)); do
				o=${w[j]}
				[[ $o =~ $stop_re ]] && break
				[ "$o" = -- ] && break
				case $o in
				-?*) ;;
				*) continue ;;
				esac
				name=${o%%=*}
				arg=${OPT["$fn $name"]-}
				if [ -z "$arg" ]; then
					echo "option $o is not an option of '$c'"
					return
				fi
				[ "$arg" = 1 ] && [ "$name" = "$o" ] && j=$((j + 1))
			done
		fi
	done
}

# example_lines PAGE: the EXAMPLES' literal and .Dl lines that run shopdesk, one a
# line, with escapes undone and continued lines joined.
example_lines() {
	section "$1" EXAMPLES | awk '
		/^\.Bd / { lit = 1; next }
		/^\.Ed/ { lit = 0; next }
		/^\.Dl / { sub(/^\.Dl /, ""); print; next }
		lit { print }' |
	sed -e 's/\\e/\\/g' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\&//g' |
	awk '{ if (sub(/\\$/, "")) { held = held $0; next } print held $0; held = "" }' |
	grep -E '(^|[[:space:]]|\$\()shopdesk([[:space:]]|$)'
}
for page in shopdesk.1 shopdesk.conf.5; do
	ex=$(example_lines "man/$page")
	n_ex=$(printf '%s\n' "$ex" | grep -c .)
	[ "$n_ex" -ge 3 ]
	ok $? "$page EXAMPLES has shopdesk command lines ($n_ex)"
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		why=$(check_line "$line")
		short=$(printf '%s' "$line" | sed -E 's/^[$] //; s/[[:space:]]+/ /g' | cut -c1-60)
		if [ -z "$why" ]; then
			ok 0 "$page example: $short"
		else
			ok 1 "$page example: $short"
			echo "#   $why"
		fi
	done <<EOF
$ex
EOF
done

done_testing
