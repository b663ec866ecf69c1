#!/usr/bin/env bash
# medusa-env.sh -- a private Medusa v2 server for shopdesk's tests and benchmarks.
#
#   medusa-env.sh check              exit 0 if Medusa can run here; else one line (the
#                                    reason) on standard output and exit 77
#   medusa-env.sh start DIR          install (once, shared), then a private PostgreSQL
#                                    cluster and a Medusa server under DIR; writes DIR/env
#   medusa-env.sh stop DIR           stop both; nothing is left running
#   medusa-env.sh restart-medusa DIR stop and start the Medusa server on the same port
#   medusa-env.sh psql DIR [ARGS]    psql on the private database
#
# The npm install lives in ${SHOPDESK_MEDUSA_HOME:-/var/tmp/shopdesk-medusa-2.21.2}
# (with -UID appended when the default exists and is another user's), made once under
# a lock from package.json, package-lock.json, medusa-config.ts and
# tsconfig.json beside this script, and redone when they change. The first start after
# an install also keeps a migrated database with the admin user (a stopped cluster
# in a tar file) there, so that later starts copy it instead of migrating (about 15 s
# saved); SHOPDESK_MEDUSA_TEMPLATE=0 migrates every time.
#
# DIR/env holds shell assignments: MEDUSA_URL MEDUSA_PORT MEDUSA_PID MEDUSA_EMAIL
# MEDUSA_PASSWORD PG_PORT PG_DATA PG_PID PG_USER PG_PASSWORD PG_DB PG_BIN DATABASE_URL
# MEDUSA_HOME. Step times (ms) go to standard error and to DIR/timings.
#
# Everything listens on 127.0.0.1 only; nothing but npm (for the install) reaches
# another host. Every wait is bounded. As root, PostgreSQL runs as the user postgres
# (runuser), which is given search (x) permission on DIR and its parents if it lacks it.
# A watchdog stops everything when the process SHOPDESK_MEDUSA_OWNER (a pid; the tests
# give their shell's) is gone, or after SHOPDESK_MEDUSA_TTL seconds (default 7200).
#
# Needs: node ^20.19 || >=22.12 with npm, PostgreSQL server binaries (Debian 12:
# apt-get install postgresql; its service need not run), curl, flock, setsid, timeout.

set -u

MEDUSA_VERSION=2.21.2
HERE=$(cd "$(dirname "$0")" && pwd)
MEDUSA_HOME=${SHOPDESK_MEDUSA_HOME:-/var/tmp/shopdesk-medusa-$MEDUSA_VERSION}
# Another user's install (say root's) is not ours to lock or extend: use our own.
if [ -z "${SHOPDESK_MEDUSA_HOME:-}" ] && [ -e "$MEDUSA_HOME" ] && [ ! -w "$MEDUSA_HOME" ]; then
	MEDUSA_HOME=$MEDUSA_HOME-$(id -u)
fi
MEDUSA_EMAIL=${SHOPDESK_MEDUSA_EMAIL:-admin@example.test}
MEDUSA_PASSWORD=${SHOPDESK_MEDUSA_PASSWORD:-supersecret123}
PG_USER=shopdesk
PG_DB=shopdesk_medusa
CLI=node_modules/@medusajs/cli/cli.js
SRC_FILES=(package.json package-lock.json medusa-config.ts tsconfig.json)
TIMINGS=/dev/null
RUNUSER=$(command -v runuser 2>/dev/null || echo /usr/sbin/runuser)

log() { printf 'medusa-env: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}
now_ms() { date +%s%3N; }

# timed STEP COMMAND...: run it, record how long it took.
timed() {
	local step=$1 t0 rc
	shift
	t0=$(now_ms)
	"$@"
	rc=$?
	if [ $rc = 0 ]; then
		log "time $step $(($(now_ms) - t0)) ms"
		echo "$step $(($(now_ms) - t0))" >>"$TIMINGS"
	fi
	return $rc
}

# tail_log FILE: the end of a log, indented, on standard error.
tail_log() {
	[ -f "$1" ] && tail -n "${2:-25}" "$1" | sed 's/^/    /' >&2
}

# --- what this machine has ---------------------------------------------------------

pg_bindir() {
	local d
	for d in "${SHOPDESK_PG_BINDIR:-}" /usr/lib/postgresql/15/bin; do
		[ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] &&
			{ echo "$d"; return 0; }
	done
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5 -n -r); do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ] && { echo "$d"; return 0; }
	done
	return 1
}

# why_not: prints why Medusa cannot run here, or nothing.
why_not() {
	local v major minor c
	if ! command -v node >/dev/null 2>&1; then
		echo "node is not on PATH (Medusa $MEDUSA_VERSION needs Node ^20.19.0 || >=22.12.0)"
		return
	fi
	v=$(node -p process.versions.node 2>/dev/null)
	major=${v%%.*}
	minor=${v#*.}
	minor=${minor%%.*}
	case "$major.$minor" in
	*[!0-9.]* | . | *.) echo "cannot tell the version of node ('$v')"; return ;;
	esac
	if ! { [ "$major" = 20 ] && [ "$minor" -ge 19 ]; } &&
		! { [ "$major" = 22 ] && [ "$minor" -ge 12 ]; } && ! [ "$major" -ge 23 ]; then
		echo "node v$v is too old for Medusa $MEDUSA_VERSION (needs ^20.19.0 || >=22.12.0)"
		return
	fi
	command -v npm >/dev/null 2>&1 || { echo "npm is not on PATH"; return; }
	pg_bindir >/dev/null ||
		{ echo "no PostgreSQL server binaries (initdb, pg_ctl; Debian: apt-get install postgresql)"; return; }
	for c in curl flock setsid timeout od sha256sum tar; do
		command -v $c >/dev/null 2>&1 || { echo "$c is not on PATH"; return; }
	done
	if [ "$(id -u)" = 0 ]; then
		[ -x "$RUNUSER" ] || { echo "no runuser (util-linux), needed as root"; return; }
		id postgres >/dev/null 2>&1 ||
			{ echo "running as root and there is no user 'postgres' to run PostgreSQL"; return; }
	fi
}

cmd_check() {
	local why
	why=$(why_not)
	[ -z "$why" ] && return 0
	echo "$why"
	exit 77
}

# --- the shared npm install -----------------------------------------------------------

# The home of the user: the tests set HOME to a fresh directory, where npm would find
# neither its cache nor the user's settings (registry mirror, proxy).
real_home() {
	local h
	h=$(getent passwd "$(id -u)" 2>/dev/null | cut -d: -f6)
	[ -n "$h" ] && [ -d "$h" ] && { echo "$h"; return; }
	echo "${HOME:-/tmp}"
}

want_stamp() {
	(cd "$HERE" && cat "${SRC_FILES[@]}") | sha256sum | cut -c1-16
}

npm_install() {
	local f h
	for f in "${SRC_FILES[@]}"; do cp "$HERE/$f" "$MEDUSA_HOME/$f" || return 1; done
	chmod u+w "$MEDUSA_HOME"/*.json "$MEDUSA_HOME"/*.ts
	mkdir -p "$MEDUSA_HOME/src"
	h=$(real_home)
	log "npm install of Medusa $MEDUSA_VERSION into $MEDUSA_HOME (about 1 min; 700 MB)"
	(cd "$MEDUSA_HOME" && HOME=$h timeout "${SHOPDESK_MEDUSA_NPM_TIMEOUT:-1800}" \
		npm install --no-audit --no-fund --ignore-scripts --no-update-notifier --loglevel=error \
		</dev/null >"$MEDUSA_HOME/npm-install.log" 2>&1) && return 0
	log "npm install failed in $MEDUSA_HOME:"
	tail_log "$MEDUSA_HOME/npm-install.log"
	return 1
}

# ensure_install: under the lock, install if the stamp is missing or stale; then make
# the migrated template if there is none. The lock is released on return.
ensure_install() {
	local want lock rc=0
	mkdir -p "$MEDUSA_HOME" || die "cannot create $MEDUSA_HOME"
	lock="$MEDUSA_HOME/.lock"
	exec 9>>"$lock" || die "cannot open $lock"
	flock -w "${SHOPDESK_MEDUSA_LOCK_TIMEOUT:-2400}" 9 || die "timed out waiting for $lock"
	want=$(want_stamp)
	if [ "$(cat "$MEDUSA_HOME/.installed" 2>/dev/null)" != "$want" ] ||
		[ ! -f "$MEDUSA_HOME/node_modules/@medusajs/medusa/package.json" ]; then
		rm -f "$MEDUSA_HOME/.installed" "$MEDUSA_HOME"/template-*
		if timed install npm_install; then
			echo "$want" >"$MEDUSA_HOME/.installed"
		else
			rc=1
		fi
	else
		echo "install-warm 0" >>"$TIMINGS"
	fi
	if [ $rc = 0 ] && [ "${SHOPDESK_MEDUSA_TEMPLATE:-1}" != 0 ] && [ ! -s "$(template_tar)" ]; then
		make_template || log "no template: every start migrates"
	fi
	flock -u 9
	exec 9>&-
	return $rc
}

# --- PostgreSQL, private to a directory ----------------------------------------------

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		"$RUNUSER" -u postgres -- "$@"
	else
		"$@"
	fi
}

# grant_traverse DIR: as root, let the user postgres reach DIR (mktemp makes 0700).
grant_traverse() {
	local d=$1
	[ "$(id -u)" = 0 ] || return 0
	while [ "$d" != / ] && [ -n "$d" ]; do
		"$RUNUSER" -u postgres -- test -x "$d" 2>/dev/null || chmod o+x "$d" || return 1
		d=$(dirname "$d")
	done
}

free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

random_hex() {
	od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

template_tar() { echo "$MEDUSA_HOME/template-$(id -u).tar"; }

# pg_init CLUSTER PASSWORD: a new cluster in CLUSTER/data, socket in CLUSTER/sock.
pg_init() {
	local c=$1 pw=$2
	mkdir -p "$c/sock" || return 1
	printf '%s\n' "$pw" >"$c/pw"
	[ "$(id -u)" = 0 ] && chown -R postgres: "$c"
	chmod 700 "$c"
	as_pg "$PG_BIN/initdb" -D "$c/data" -U "$PG_USER" --pwfile="$c/pw" --auth=scram-sha-256 \
		-E UTF8 --locale=C --no-sync >"$c/initdb.log" 2>&1 ||
		{ log "initdb failed:"; tail_log "$c/initdb.log"; return 1; }
	rm -f "$c/pw"
	# A throwaway test database: durability is not wanted, speed is.
	as_pg sh -c "cat >>'$c/data/postgresql.conf'" <<-'EOF'
		listen_addresses = '127.0.0.1'
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		max_connections = 60
		log_min_messages = warning
	EOF
}

# pg_start CLUSTER PORT
pg_start() {
	local c=$1 port=$2
	as_pg "$PG_BIN/pg_ctl" -D "$c/data" -l "$c/postgres.log" -w -t 60 \
		-o "-p $port -k $c/sock" start >"$c/pg_ctl.log" 2>&1 9>&-
}

pg_stop() {
	local c=$1 pid
	[ -f "$c/data/postmaster.pid" ] || return 0
	as_pg "$PG_BIN/pg_ctl" -D "$c/data" -w -t 30 -m fast stop >/dev/null 2>&1 && return 0
	pid=$(head -1 "$c/data/postmaster.pid" 2>/dev/null)
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	return 0
}

# pg_start_random CLUSTER: start on a free port (a few tries); sets PG_PORT.
pg_start_random() {
	local c=$1
	for _ in 1 2 3 4 5; do
		PG_PORT=$(free_port) || return 1
		pg_start "$c" "$PG_PORT" && return 0
	done
	log "PostgreSQL did not start:"
	tail_log "$c/postgres.log"
	tail_log "$c/pg_ctl.log" 5
	return 1
}

psql_db() {
	PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" \
		-U "$PG_USER" -X -q -v ON_ERROR_STOP=1 "$@"
}

# --- Medusa ---------------------------------------------------------------------------

# medusa_env: the environment of every Medusa command (no telemetry, loopback).
medusa_env() {
	mkdir -p "$XDG/medusa"
	[ -f "$XDG/medusa/config.json" ] ||
		echo '{"telemetry":{"enabled":false}}' >"$XDG/medusa/config.json"
	ENVV=(env "DATABASE_URL=$DATABASE_URL" "PORT=${MEDUSA_PORT:-9000}" HOST=127.0.0.1
		MEDUSA_DISABLE_TELEMETRY=true MEDUSA_TELEMETRY_HOST=http://127.0.0.1:9
		"XDG_CONFIG_HOME=$XDG" "JWT_SECRET=$JWT_SECRET" "COOKIE_SECRET=$COOKIE_SECRET"
		NODE_ENV=production NO_UPDATE_NOTIFIER=1 CI=1)
}

# medusa_cli LOGFILE TIMEOUT ARGS...: a Medusa CLI command in the install dir.
medusa_cli() {
	local logf=$1 secs=$2
	shift 2
	medusa_env
	(cd "$MEDUSA_HOME" && "${ENVV[@]}" timeout "$secs" node "$CLI" "$@" </dev/null >"$logf" 2>&1 9>&-) && return 0
	log "medusa $* failed (log $logf):"
	tail_log "$logf"
	return 1
}

db_setup() {
	psql_db -d postgres -c "CREATE DATABASE $PG_DB" || return 1
	timed migrate medusa_cli "$1/migrate.log" "${SHOPDESK_MEDUSA_MIGRATE_TIMEOUT:-600}" db:migrate || return 1
	timed admin-user medusa_cli "$1/user.log" 180 user -e "$MEDUSA_EMAIL" -p "$MEDUSA_PASSWORD"
}

# make_template: migrate a database once and keep its stopped cluster as a tar file.
make_template() {
	local t pw rc=1
	t=$(mktemp -d "$MEDUSA_HOME/template.XXXXXX") || return 1
	chmod 755 "$t"
	grant_traverse "$t"
	pw=$(random_hex 12)
	(
		PG_PASSWORD=$pw
		XDG=$t/xdg
		JWT_SECRET=template COOKIE_SECRET=template
		timed initdb pg_init "$t/pg" "$pw" &&
			pg_start_random "$t/pg" &&
			DATABASE_URL="postgres://$PG_USER:$pw@127.0.0.1:$PG_PORT/$PG_DB" &&
			db_setup "$t"
		rc=$?
		pg_stop "$t/pg"
		exit $rc
	) && tar -C "$t/pg" -cf "$(template_tar).tmp" data &&
		printf '%s\n' "$pw" >"$(template_tar).pw" &&
		mv "$(template_tar).tmp" "$(template_tar)" && rc=0
	rm -rf "$t" "$(template_tar).tmp"
	return $rc
}

# alive PID: the process exists and is not a zombie.
alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ]
}

health() {
	curl -sf -m 3 -o /dev/null "http://127.0.0.1:$1/health"
}

# medusa_launch DIR: start the server on $MEDUSA_PORT and wait for /health. Sets MEDUSA_PID.
# Returns 2 if the port was taken.
medusa_launch() {
	local d=$1 limit deadline
	limit=${SHOPDESK_MEDUSA_START_TIMEOUT:-180}
	medusa_env
	echo "--- $(date '+%F %T') start on 127.0.0.1:$MEDUSA_PORT" >>"$d/medusa.log"
	(cd "$MEDUSA_HOME" && exec setsid "${ENVV[@]}" node "$CLI" start --host 127.0.0.1 \
		--port "$MEDUSA_PORT") </dev/null >>"$d/medusa.log" 2>&1 &
	MEDUSA_PID=$!
	deadline=$(($(date +%s) + limit))
	while ! health "$MEDUSA_PORT"; do
		if ! alive "$MEDUSA_PID"; then
			wait "$MEDUSA_PID" 2>/dev/null
			tail -n 30 "$d/medusa.log" | grep -q EADDRINUSE && return 2
			log "medusa start exited before answering /health (log $d/medusa.log):"
			tail_log "$d/medusa.log" 30
			return 1
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			log "medusa did not answer /health within $limit s (log $d/medusa.log):"
			tail_log "$d/medusa.log" 30
			medusa_kill
			return 1
		fi
		sleep 0.2
	done
}

# medusa_kill: TERM the server's process group, KILL it after 15 s.
medusa_kill() {
	[ -n "${MEDUSA_PID:-}" ] || return 0
	kill -TERM -- "-$MEDUSA_PID" 2>/dev/null || kill -TERM "$MEDUSA_PID" 2>/dev/null || return 0
	for _ in $(seq 75); do
		alive "$MEDUSA_PID" || break
		sleep 0.2
	done
	kill -KILL -- "-$MEDUSA_PID" 2>/dev/null
	kill -KILL "$MEDUSA_PID" 2>/dev/null
	wait "$MEDUSA_PID" 2>/dev/null
	return 0
}

write_env() {
	local d=$1 v
	{
		for v in MEDUSA_URL MEDUSA_PORT MEDUSA_PID MEDUSA_EMAIL MEDUSA_PASSWORD PG_PORT PG_DATA \
			PG_PID PG_USER PG_PASSWORD PG_DB PG_BIN DATABASE_URL MEDUSA_HOME JWT_SECRET \
			COOKIE_SECRET WATCH_PID; do
			printf '%s=%q\n' "$v" "${!v:-}"
		done
	} >"$d/env.tmp" && chmod 600 "$d/env.tmp" && mv "$d/env.tmp" "$d/env"
}

load_env() {
	[ -f "$1/env" ] || return 1
	# shellcheck disable=SC1091
	. "$1/env"
	XDG=$1/xdg
}

absdir() {
	mkdir -p "$1" && (cd "$1" && pwd)
}

cmd_start() {
	local d rc why
	[ $# -ge 1 ] || die "usage: medusa-env.sh start DIR"
	why=$(why_not)
	[ -z "$why" ] || { log "$why"; exit 77; }
	d=$(absdir "$1") || die "cannot create $1"
	TIMINGS=$d/timings
	if load_env "$d" && [ -n "${MEDUSA_PID:-}" ] && alive "$MEDUSA_PID" &&
		health "$MEDUSA_PORT"; then
		log "already running in $d ($MEDUSA_URL)"
		return 0
	fi
	PG_BIN=$(pg_bindir)
	timed install-check ensure_install || exit 1
	XDG=$d/xdg
	JWT_SECRET=$(random_hex 16)
	COOKIE_SECRET=$(random_hex 16)
	grant_traverse "$d" || die "cannot let the user postgres reach $d"
	rm -rf "$d/pg"
	mkdir -p "$d/pg"
	if [ "${SHOPDESK_MEDUSA_TEMPLATE:-1}" != 0 ] && [ -s "$(template_tar)" ]; then
		PG_PASSWORD=$(cat "$(template_tar).pw")
		timed untar-template tar -C "$d/pg" -xf "$(template_tar)" || die "cannot unpack $(template_tar)"
		mkdir -p "$d/pg/sock"
		[ "$(id -u)" = 0 ] && chown postgres: "$d/pg" "$d/pg/sock"
		chmod 700 "$d/pg"
		timed pg-start pg_start_random "$d/pg" || die "PostgreSQL did not start"
		DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
	else
		PG_PASSWORD=$(random_hex 12)
		timed initdb pg_init "$d/pg" "$PG_PASSWORD" || die "initdb failed"
		timed pg-start pg_start_random "$d/pg" || die "PostgreSQL did not start"
		DATABASE_URL="postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
		db_setup "$d" || { pg_stop "$d/pg"; die "database setup failed"; }
	fi
	PG_DATA=$d/pg/data
	# shellcheck disable=SC2034 # written by write_env
	PG_PID=$(head -1 "$PG_DATA/postmaster.pid")
	MEDUSA_PID=
	write_env "$d"
	start_watchdog "$d"
	for _ in 1 2 3; do
		MEDUSA_PORT=$(free_port) || break
		timed medusa-start medusa_launch "$d"
		rc=$?
		[ $rc = 2 ] || break
	done
	if [ "${rc:-1}" != 0 ]; then
		MEDUSA_PID=
		write_env "$d"
		cmd_stop "$d"
		die "Medusa did not start"
	fi
	MEDUSA_URL=http://127.0.0.1:$MEDUSA_PORT
	write_env "$d"
	log "Medusa $MEDUSA_VERSION on $MEDUSA_URL (pid $MEDUSA_PID), PostgreSQL on 127.0.0.1:$PG_PORT"
}

cmd_restart_medusa() {
	local d rc=1
	[ $# -ge 1 ] || die "usage: medusa-env.sh restart-medusa DIR"
	if ! d=$(cd "$1" 2>/dev/null && pwd) || ! load_env "$d"; then
		die "no $1/env: not started"
	fi
	TIMINGS=$d/timings
	timed medusa-stop medusa_kill
	MEDUSA_PID=
	write_env "$d"
	# The port was just ours; another process could take it in between, so retry a little.
	for _ in 1 2 3 4 5; do
		timed medusa-restart medusa_launch "$d"
		rc=$?
		[ $rc = 2 ] || break
		sleep 1
	done
	[ $rc = 0 ] || die "Medusa did not restart on port $MEDUSA_PORT"
	write_env "$d"
}

cmd_stop() {
	local d
	[ $# -ge 1 ] || die "usage: medusa-env.sh stop DIR"
	d=$(cd "$1" 2>/dev/null && pwd) || return 0
	load_env "$d" || true
	PG_BIN=${PG_BIN:-$(pg_bindir)}
	if [ -n "${WATCH_PID:-}" ] && [ "$WATCH_PID" != "$$" ]; then
		kill "$WATCH_PID" 2>/dev/null
	fi
	medusa_kill
	MEDUSA_PID=
	pg_stop "$d/pg"
	[ -f "$d/env" ] && write_env "$d"
	return 0
}

# --- the watchdog ---------------------------------------------------------------------

start_watchdog() {
	local d=$1 owner=${SHOPDESK_MEDUSA_OWNER:-0}
	setsid bash "$HERE/medusa-env.sh" watch "$d" "$owner" </dev/null >/dev/null 2>&1 &
	WATCH_PID=$!
	write_env "$d"
}

# watch DIR OWNER: stop DIR's servers once OWNER is gone or the TTL has passed. Keeps
# the last pids it saw, so that it still stops them if DIR was removed.
cmd_watch() {
	local d=$1 owner=$2 ttl=${SHOPDESK_MEDUSA_TTL:-7200} end mpid="" ppid="" pdata=""
	end=$(($(date +%s) + ttl))
	while { [ "$owner" = 0 ] || alive "$owner"; } && { [ "$ttl" = 0 ] || [ "$(date +%s)" -lt "$end" ]; }; do
		if [ -f "$d/env" ]; then
			mpid=$(sed -n 's/^MEDUSA_PID=//p' "$d/env")
			ppid=$(sed -n 's/^PG_PID=//p' "$d/env")
			pdata=$(sed -n 's/^PG_DATA=//p' "$d/env")
		fi
		sleep 2
	done
	if [ -f "$d/env" ]; then
		WATCH_PID=$$
		cmd_stop "$d"
	else
		[ -n "$mpid" ] && kill -KILL -- "-$mpid" 2>/dev/null
		[ -n "$ppid" ] && [ ! -d "$pdata" ] && kill -QUIT "$ppid" 2>/dev/null
		[ -n "$ppid" ] && [ -d "$pdata" ] && kill -INT "$ppid" 2>/dev/null
	fi
	return 0
}

cmd_psql() {
	local d
	if ! d=$(cd "${1:?usage: medusa-env.sh psql DIR [ARGS]}" 2>/dev/null && pwd) || ! load_env "$d"; then
		die "no $1/env: not started"
	fi
	shift
	psql_db -d "$PG_DB" "$@"
}

case "${1:-}" in
check) cmd_check ;;
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
restart-medusa) shift; cmd_restart_medusa "$@" ;;
psql) shift; cmd_psql "$@" ;;
watch) shift; cmd_watch "$@" ;;
*) die "usage: medusa-env.sh check | start DIR | stop DIR | restart-medusa DIR | psql DIR [ARGS]" ;;
esac
