#!/usr/bin/env bash
# style.sh -- the mechanical part of ../shared/STYLE.md over every C file of
# src/, ui/ and tests/: config.h is the first include of every .c and in no
# header; indentation is tabs (no line starts with eight spaces, no space
# before a tab); no trailing white space, no carriage return; every file
# ends with a line break. Each rule is one check naming the first offenders.
#
# Not clang-format: version 14 cannot express this code's KNF (tab-aligned
# declarations and field names, four-space continuation lines) and would
# rewrite an eighth of the lines for the worse; see README, Contributing.
. "${top_srcdir:-.}/tests/integration/lib.sh"

cd "${top_srcdir:-.}" || exit 1
mapfile -t files < <(find src ui tests -name '*.[ch]' -type f | LC_ALL=C sort)
mapfile -t cfiles < <(printf '%s\n' "${files[@]}" | grep '\.c$')
mapfile -t hfiles < <(printf '%s\n' "${files[@]}" | grep '\.h$')
ok "$([ "${#cfiles[@]}" -gt 50 ] && echo 0 || echo 1)" "the C files are found (${#cfiles[@]} .c, ${#hfiles[@]} .h)"

# rule NAME OFFENDERS...: pass when there are none; else name the first five.
rule() {
	local name=$1
	shift
	if [ $# -eq 0 ]; then
		ok 0 "$name"
	else
		ok 1 "$name"
		printf '#   %s\n' "${@:1:5}"
	fi
}

bad=()
for f in "${cfiles[@]}"; do
	first=$(grep -m1 '^#include' "$f")
	[ "$first" = '#include "config.h"' ] || bad+=("$f: $first")
done
rule 'config.h is the first include of every .c file' "${bad[@]}"

mapfile -t bad < <(grep -l '^#include "config.h"' "${hfiles[@]}")
rule 'no header includes config.h' "${bad[@]}"

mapfile -t bad < <(grep -nE '^ {8}' "${files[@]}")
rule 'indentation is tabs (no line starts with eight spaces)' "${bad[@]}"

mapfile -t bad < <(grep -nP ' \t' "${files[@]}")
rule 'no space before a tab' "${bad[@]}"

mapfile -t bad < <(grep -nE '[[:space:]]$' "${files[@]}")
rule 'no trailing white space or carriage return' "${bad[@]}"

bad=()
for f in "${files[@]}"; do
	[ -z "$(tail -c1 "$f")" ] || bad+=("$f")
done
rule 'every file ends with a line break' "${bad[@]}"

done_testing
