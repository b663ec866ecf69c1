#!/usr/bin/env bash
# fuzz.sh -- every libFuzzer target (tests/fuzz/fuzz-*.c) built by
# "make fuzz-build" with clang and run for FUZZ_TIME seconds (10 in make
# check) from its seed corpus, tests/fuzz/corpus/NAME/, which also keeps the
# inputs of every defect found so far: each is run first. Skipped when
# FUZZ_CC (clang) cannot build a libFuzzer program. "make fuzz
# FUZZ_TIME=3600" is the long run; it keeps what it learns in FUZZ_WORK.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${FUZZ_TIME:=10}" "${FUZZ_CC:=clang}"
T=$(mktemp -d "${TMPDIR:-/tmp}/sdfuzz.XXXXXX")
trap 'rm -rf "$T"' EXIT
targets="feed text csv conf cmdline http"
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

# A make distcheck after the source tree's own make check need not build and
# run every target a second time; the README's test command runs distcheck
# alone, with SHOPDESK_CHECK_ALL=1 (or FUZZ_VPATH=1), so that they run there.
if [ "$(cd "$top_srcdir" && pwd -P)" != "$(cd "$top_builddir" && pwd -P)" ] &&
	[ -z "${FUZZ_VPATH:-}" ] && [ -z "${SHOPDESK_CHECK_ALL:-}" ]; then
	echo "1..0 # SKIP an out-of-tree build (make distcheck): the in-tree check runs the fuzz targets"
	exit 0
fi
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return d == 0 && n; }' \
	>"$T/probe.c"
if ! "$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$T/probe" "$T/probe.c" >"$T/probe.log" 2>&1; then
	echo "1..0 # SKIP $FUZZ_CC cannot build a libFuzzer program (apt-get install clang)"
	exit 0
fi

# (Not the jobserver of a make check that runs this: a make of its own.)
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -C "$top_builddir" fuzz-build \
	FUZZ_CC="$FUZZ_CC" >"$T/build.log" 2>&1
rc=$?
ok $rc "make fuzz-build FUZZ_CC=$FUZZ_CC builds the targets: $targets"
[ "$rc" = 0 ] || { tail -30 "$T/build.log" | sed 's/^/#   /'; echo "1..$n"; exit 1; }

for t in $targets; do
	work=${FUZZ_WORK:-$T}/$t
	mkdir -p "$work"
	"$top_builddir/tests/fuzz/fuzz-$t" -max_total_time="$FUZZ_TIME" -timeout=20 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$work/" "$work" "$top_srcdir/tests/fuzz/corpus/$t" \
		>"$T/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T/$t.log")
	ok $rc "fuzz-$t: ${runs:-?} runs in ${FUZZ_TIME} s, no crash, leak or UB"
	if [ "$rc" != 0 ]; then
		grep -E 'ERROR|SUMMARY|fuzz-[a-z]+:|#[0-9]+ 0x' "$T/$t.log" | head -30 | sed 's/^/#   /'
		for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
			[ -f "$a" ] || continue
			echo "#   input $(basename "$a"), base64: $(base64 -w0 "$a" | head -c 600)"
		done
	fi
done
echo "1..$n"
[ "$failed" = 0 ]
