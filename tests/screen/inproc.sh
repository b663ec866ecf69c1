# inproc.sh -- helpers of the in-process screen tests: the console driven by
# a script of keys (SHOPDESK_SCRIPT; see inprocess.sh) on the profile
# "local" at 80x24, and checks of what a dump shows. Sourced after
# tests/integration/lib.sh.
#
# RUN_ENV adds to the environment of a run (LANGUAGE=zh_CN), RUN_TZ sets its
# time zone, RUN_BEFORE is a command run before each (a fresh copy of a cache).

# run SCRIPT-TEXT: the console on it; its status, stderr in $T/run.err.
run() {
	if [ -n "${RUN_BEFORE:-}" ]; then
		eval "$RUN_BEFORE"
	fi
	printf '%s\n' "$1" >"$T/script"
	env SHOPDESK_SCRIPT="$T/script" TERM=xterm-256color LINES=24 COLUMNS=80 \
		LANG=C.UTF-8 LC_ALL=C.UTF-8 ${RUN_TZ:+TZ=$RUN_TZ} ${RUN_ENV:-} \
		"$SHOPDESK" --profile local </dev/null >/dev/null 2>"$T/run.err"
}

# has FILE TEXT DESCRIPTION / hasnt FILE TEXT DESCRIPTION: one TAP line, the
# dump shown when it fails.
has() {
	if grep -qF -- "$2" "$1"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   '$2' is not in the dump:"
		sed 's/^/#   |/' "$1"
	fi
}
hasnt() {
	if grep -qF -- "$2" "$1"; then
		ok 1 "$3"
		echo "#   '$2' is in the dump:"
		sed 's/^/#   |/' "$1"
	else
		ok 0 "$3"
	fi
}
