# medusa-lib.sh -- helpers for TAP tests against a real Medusa v2 server.
#
# Source it after lib.sh:
#
#	. "${top_srcdir:-.}/tests/integration/lib.sh"
#	. "${top_srcdir:-.}/tests/integration/medusa-lib.sh"
#	medusa_up                  # before any TAP output: it may print "1..0 # SKIP ..."
#	medusa_profile med         # [med] profile: backend = medusa, auth = api-key
#	PROFILE=med; sd sync ...
#
# medusa_up starts a private PostgreSQL cluster and Medusa server in $T/medusa
# (tests/medusa/medusa-env.sh; the npm install is shared, made once) and seeds it
# (tests/medusa/seed.mjs). When this machine cannot run Medusa (no Node >= 20.19, no
# PostgreSQL server binaries...) the test is skipped: "1..0 # SKIP <reason>", exit 0.
# The seed's output is in $MEDUSA_SEED_JSON and in variables: every scalar field as
# SEED_<FIELD>, every field of an object as SEED_<OBJECT>_<FIELD> (upper case, other
# characters as _), e.g. SEED_ORDER_COUNT, SEED_ORDERS_SHIPPED, SEED_DISPLAY_IDS_SHIPPED,
# SEED_VARIANT_IDS_TEE_WHT_M, SEED_PROMOTION_IDS_XINKE10, SEED_SECRET_API_KEY,
# SEED_ADMIN_TOKEN. medusa-env.sh's DIR/env is loaded too: MEDUSA_URL, MEDUSA_PORT,
# MEDUSA_PID, MEDUSA_EMAIL, MEDUSA_PASSWORD, PG_PORT, PG_DATA...
#
# Medusa and PostgreSQL are stopped when the test exits, whatever the way (the EXIT trap
# of lib.sh is extended; INT, TERM and HUP exit through it), and by medusa-env.sh's
# watchdog if the test's shell is killed with -9.

MEDUSA_ENV="${top_srcdir:-.}/tests/medusa/medusa-env.sh"
MEDUSA_SEED="${top_srcdir:-.}/tests/medusa/seed.mjs"
MEDUSA_BULK="${top_srcdir:-.}/tests/medusa/seed-bulk.sh"
MEDUSA_DIR=
MEDUSA_SEED_JSON=

medusa_cleanup() {
	[ "${BASHPID:-$$}" = "$$" ] || return 0
	medusa_down
	cleanup
}
trap medusa_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# medusa_comment FILE: medusa-env.sh's step times as TAP comments.
medusa_comment() {
	sed -n 's/^medusa-env: time \(.*\)/# medusa: \1/p' "$1"
}

medusa_bail() {
	echo "# $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && tail -n 30 "$2" | sed 's/^/#   /'
	echo "Bail out! $1"
	exit 1
}

medusa_up() {
	local why rc t0
	why=$(bash "$MEDUSA_ENV" check)
	rc=$?
	if [ $rc = 77 ]; then
		echo "1..0 # SKIP $why"
		exit 0
	fi
	[ $rc = 0 ] || medusa_bail "medusa-env.sh check failed ($rc): $why"
	MEDUSA_DIR=$T/medusa
	mkdir -p "$MEDUSA_DIR"
	SHOPDESK_MEDUSA_OWNER=$$ bash "$MEDUSA_ENV" start "$MEDUSA_DIR" 2>"$T/medusa-start.err"
	rc=$?
	medusa_comment "$T/medusa-start.err"
	if [ $rc = 77 ]; then
		echo "1..0 # SKIP $(tail -1 "$T/medusa-start.err")"
		exit 0
	fi
	[ $rc = 0 ] || medusa_bail "Medusa did not start" "$T/medusa-start.err"
	medusa_load_env
	t0=$(date +%s%3N)
	MEDUSA_SEED_JSON=$MEDUSA_DIR/seed.json
	node "$MEDUSA_SEED" >"$MEDUSA_SEED_JSON" 2>"$MEDUSA_DIR/seed.err" ||
		medusa_bail "seed.mjs failed" "$MEDUSA_DIR/seed.err"
	echo "# medusa: seed $(($(date +%s%3N) - t0)) ms"
	medusa_export_seed
}

# medusa_load_env: (re)read DIR/env (MEDUSA_PID changes on a restart).
medusa_load_env() {
	# shellcheck disable=SC1091
	. "$MEDUSA_DIR/env"
	export MEDUSA_URL MEDUSA_PORT MEDUSA_PID MEDUSA_EMAIL MEDUSA_PASSWORD PG_PORT PG_DATA PG_PID
}

medusa_export_seed() {
	local assigns
	# shellcheck disable=SC2016
	assigns=$(node -e '
		const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const q = (v) => "\x27" + String(v).replace(/\x27/g, "\x27\\\x27\x27") + "\x27";
		const name = (s) => String(s).toUpperCase().replace(/[^A-Z0-9]/g, "_");
		for (const [k, v] of Object.entries(j)) {
			if (v !== null && typeof v === "object") {
				for (const [k2, v2] of Object.entries(v))
					if (v2 === null || typeof v2 !== "object")
						console.log(`export SEED_${name(k)}_${name(k2)}=${q(v2 ?? "")}`);
			} else {
				console.log(`export SEED_${name(k)}=${q(v ?? "")}`);
			}
		}' "$MEDUSA_SEED_JSON") || medusa_bail "cannot read the seed's output" "$MEDUSA_SEED_JSON"
	eval "$assigns"
	export MEDUSA_SECRET_KEY=$SEED_SECRET_API_KEY
	export MEDUSA_ADMIN_TOKEN=$SEED_ADMIN_TOKEN
}

# medusa_down: stop Medusa and its PostgreSQL (idempotent).
medusa_down() {
	[ -n "$MEDUSA_DIR" ] && [ -d "$MEDUSA_DIR" ] && bash "$MEDUSA_ENV" stop "$MEDUSA_DIR"
	return 0
}

# medusa_restart: stop and start the Medusa server only, on the same port.
medusa_restart() {
	bash "$MEDUSA_ENV" restart-medusa "$MEDUSA_DIR" 2>"$T/medusa-restart.err" || {
		sed 's/^/#   /' "$T/medusa-restart.err"
		return 1
	}
	medusa_comment "$T/medusa-restart.err"
	medusa_load_env
}

# medusa_bulk N: bring the store to N orders (tests/medusa/seed-bulk.sh).
medusa_bulk() {
	bash "$MEDUSA_BULK" "$MEDUSA_DIR" "$1" 2>"$T/medusa-bulk.err" >"$T/medusa-bulk.json" || {
		sed 's/^/#   /' "$T/medusa-bulk.err"
		return 1
	}
	sed 's/^/# /' "$T/medusa-bulk.err"
}

# medusa_api METHOD PATH [JSON]: the Admin API with the seed's secret key (HTTP Basic);
# prints the body; true when the status is 2xx. The status is in $T/medusa-http
# (medusa_status). MEDUSA_AUTH="Bearer <jwt>" uses another credential.
medusa_api() {
	local method=$1 path=$2 body=${3:-} code
	printf 'Authorization: %s\n' "${MEDUSA_AUTH:-Basic $MEDUSA_SECRET_KEY}" >"$T/medusa-auth.h"
	chmod 600 "$T/medusa-auth.h"
	local args=(-s -g -m 60 -X "$method" -H @"$T/medusa-auth.h" -o "$T/medusa-body" -w '%{http_code}')
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	code=$(curl "${args[@]}" "$MEDUSA_URL$path")
	echo "${code:-000}" >"$T/medusa-http"
	cat "$T/medusa-body"
	case "$code" in 2??) return 0 ;; *) return 1 ;; esac
}

medusa_status() {
	cat "$T/medusa-http"
}

# medusa_alive PID: the process exists and is not a zombie.
medusa_alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ]
}

# mjson EXPR JSON: a JavaScript expression on the parsed JSON j (printed; objects as JSON).
mjson() {
	printf '%s' "$2" | node -e 'const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
		const r = eval(process.argv[1]);
		console.log(r !== null && typeof r === "object" ? JSON.stringify(r) : r)' "$1"
}

# medusa_profile NAME [--emailpass] [EXTRA LINES...]: a shopdesk profile NAME for the Medusa
# store, in the configuration lib.sh uses. The token file (mode 0600) holds the seed's
# secret API key (auth = api-key), or with --emailpass the admin's password (auth =
# emailpass, user = the admin's e-mail).
medusa_profile() {
	local name=$1 auth=api-key secret=$MEDUSA_SECRET_KEY tok
	shift
	if [ "${1:-}" = --emailpass ]; then
		auth=emailpass
		secret=$MEDUSA_PASSWORD
		shift
	fi
	mkdir -p "$XDG_CONFIG_HOME/shopdesk" "$T/tokens"
	tok=$T/tokens/medusa-$name.token
	(umask 077 && printf '%s\n' "$secret" >"$tok")
	chmod 600 "$tok"
	{
		echo "[$name]"
		echo "url = $MEDUSA_URL"
		echo "backend = medusa"
		echo "auth = $auth"
		[ $auth = emailpass ] && echo "user = $MEDUSA_EMAIL"
		echo "token-file = $tok"
		echo "cache = $T/$name.db"
		for l in "$@"; do echo "$l"; done
	} >>"$XDG_CONFIG_HOME/shopdesk/config"
}
