# lib.sh -- shared helpers for the integration tests (TAP output).
#
# Each test runs the real binaries against the reference store on a random
# loopback port, in a private temporary HOME. Sourced by the test scripts.

set -u
: "${SHOPDESK:=$PWD/shopdesk}"
: "${SHOPDESK_STORE:=$PWD/shopdesk-store}"
T=$(mktemp -d "${TMPDIR:-/tmp}/sdtest.XXXXXX")
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_DATA_HOME="$T/home/.local/share" \
	XDG_STATE_HOME="$T/home/.local/state" LC_ALL=C.UTF-8 LANG=C.UTF-8
unset SHOPDESK_TOKEN SHOPDESK_PROFILE SHOPDESK_CONFIG SHOPDESK_URL
mkdir -p "$HOME"
tap_n=0
tap_failed=0
STORE_PID=
PROFILE=admin

cleanup() {
	# Only the test's own shell cleans up, never a subshell that inherited the trap.
	[ "${BASHPID:-$$}" = "$$" ] || return 0
	[ -n "$STORE_PID" ] && kill "$STORE_PID" 2>/dev/null && wait "$STORE_PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# ok STATUS DESCRIPTION: one TAP line; STATUS 0 is a pass.
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# check DESCRIPTION COMMAND...: pass when the command succeeds; shows its output if not.
check() {
	local desc=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then
		ok 0 "$desc"
	else
		ok 1 "$desc"
		sed 's/^/#   /' "$T/check.out" | head -20
	fi
}

# is GOT EXPECTED DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got '$1', expected '$2'"
	fi
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" = 0 ]
}

# start_store ARGS...: start shopdesk-store on a random port (or $STORE_PORT, to
# restart a store where its clients expect it); sets PORT, URL.
# The data is seeded as of a fixed time so that every run sees the same store.
start_store() {
	rm -f "$T/port"
	"$SHOPDESK_STORE" --port "${STORE_PORT:-0}" --port-file "$T/port" --token-dir "$T/tokens" --quiet \
		--now 2026-11-20T08:00:00Z "$@" \
		2>>"$T/store.log" &
	STORE_PID=$!
	local i=0
	while [ ! -s "$T/port" ]; do
		i=$((i + 1))
		if [ $i -gt 1200 ] || ! kill -0 "$STORE_PID" 2>/dev/null; then
			echo "# the store did not start:"
			sed 's/^/#   /' "$T/store.log" | tail -20
			echo "Bail out! no store"
			exit 1
		fi
		sleep 0.05
	done
	PORT=$(cat "$T/port")
	URL="http://127.0.0.1:$PORT"
}

stop_store() {
	if [ -n "$STORE_PID" ]; then
		kill "$STORE_PID" 2>/dev/null
		wait "$STORE_PID" 2>/dev/null
	fi
	STORE_PID=
}

# profile NAME [EXTRA LINES]: a client profile NAME for the store user $LOGIN
# (default: the user whose login is NAME).
profile() {
	local name=$1 login=${LOGIN:-$1}
	shift
	mkdir -p "$XDG_CONFIG_HOME/shopdesk"
	{
		echo "[$name]"
		echo "url = $URL"
		echo "token-file = $T/tokens/$login.token"
		echo "cache = $T/$name.db"
		for l in "$@"; do echo "$l"; done
	} >>"$XDG_CONFIG_HOME/shopdesk/config"
}

# sd ARGS...: run shopdesk as $PROFILE.
sd() {
	"$SHOPDESK" --profile "$PROFILE" "$@"
}

# api LOGIN METHOD PATH [BODY] [HEADERS...]: call the store with curl; prints the body,
# then a last line "HTTP nnn". The token goes in a header file, never in argv.
api() {
	local login=$1 method=$2 path=$3 body=${4:-}
	shift 4 2>/dev/null || shift $#
	printf 'Authorization: Bearer %s\n' "$(cat "$T/tokens/$login.token")" >"$T/auth.h"
	chmod 600 "$T/auth.h"
	local args=(-s -X "$method" -H @"$T/auth.h" -w '\nHTTP %{http_code}\n')
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	for h in "$@"; do args+=(-H "$h"); done
	curl "${args[@]}" "$URL$path"
}

# call LOGIN METHOD PATH [BODY] [IF-MATCH]: a write with a fresh idempotency key
# (and If-Match when given); prints the status code, the answer in $T/call.
call() {
	local idem
	idem=$(($(cat "$T/idem" 2>/dev/null || echo 0) + 1))
	echo "$idem" >"$T/idem"
	if [ -n "${5:-}" ]; then
		api "$1" "$2" "$3" "${4:-}" "Idempotency-Key: call-$idem" "If-Match: $5"
	else
		api "$1" "$2" "$3" "${4:-}" "Idempotency-Key: call-$idem"
	fi >"$T/call" 2>&1
	tail -1 "$T/call" | sed 's/HTTP //'
}

# store_digest LOGIN: the store's digest of what LOGIN may read.
store_digest() {
	api "$1" GET /_control/digest | head -1
}

jget() {
	local f="$T/jget.json"
	printf '%s' "$1" >"$f"
	sqlite3 :memory: "SELECT json_extract(readfile('$f'), '$2');"
}

# json_count: the number of elements of the JSON array on standard input.
json_count() {
	cat >"$T/count.json"
	sqlite3 :memory: "SELECT json_array_length(readfile('$T/count.json'))"
}
