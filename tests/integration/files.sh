#!/bin/bash
# files.sh -- the files shopdesk writes are private: the cache (and its -wal,
# -shm, -journal), the audit log and the debug log are created 0600 and the
# directories it makes 0700, whatever the umask; a cache directory is made
# only where the default path says.
. "${top_srcdir:-.}/tests/integration/lib.sh"

umask 022
mode() { stat -c %a "$1" 2>/dev/null; }

start_store --orders 20
mkdir -p "$T/shared"
chmod 755 "$T/shared"
profile admin "cache = $T/shared/admin.db"
# A second profile with the default cache path (its directories do not exist yet).
{
	echo "[dflt]"
	echo "url = $URL"
	echo "token-file = $T/tokens/admin.token"
} >>"$XDG_CONFIG_HOME/shopdesk/config"

# cache_mode: the cache was created 0644 (the umask) in a shared directory.
SHOPDESK_LOG="$T/debug.log" sd sync >/dev/null
ok $? "sync into an explicit cache"
is "$(mode "$T/shared/admin.db")" 600 "the cache is created 0600"
# The -wal and -shm live while a connection is open: look during a follow.
# Not through sd(): a function in the background is a subshell, and its pid
# is not the follower's, which a kill of it would leave running.
"$SHOPDESK" --profile "$PROFILE" sync --follow >/dev/null 2>&1 &
fpid=$!
i=0
while [ ! -e "$T/shared/admin.db-shm" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
is "$(mode "$T/shared/admin.db-wal")" 600 "its -wal is 0600"
is "$(mode "$T/shared/admin.db-shm")" 600 "its -shm is 0600"
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null
is "$(mode "$T/debug.log")" 600 "the debug log is 0600"
oid=$(sd orders list --limit 1 --format csv | sed -n 2p | cut -d, -f1)
sd orders show "$oid" --reveal >/dev/null
is "$(mode "$XDG_STATE_HOME/shopdesk/audit.log")" 600 "the audit log is 0600"
is "$(mode "$XDG_STATE_HOME/shopdesk")" 700 "its directory, made by shopdesk, is 0700"

# The default place is made silently, 0700.
"$SHOPDESK" --profile dflt sync >/dev/null
ok $? "sync into the default cache path"
is "$(mode "$XDG_DATA_HOME/shopdesk")" 700 "the default cache directory is made 0700"
is "$(mode "$XDG_DATA_HOME/shopdesk/dflt.db")" 600 "the default cache is 0600"

# cache_dir_missing: an explicit cache in a directory that does not exist was
# made wherever the path said.
echo "[typo]" >>"$XDG_CONFIG_HOME/shopdesk/config"
line=$(wc -l <"$XDG_CONFIG_HOME/shopdesk/config")
{
	echo "url = $URL"
	echo "token-file = $T/tokens/admin.token"
	echo "cache = $T/nosuch/dir/typo.db"
} >>"$XDG_CONFIG_HOME/shopdesk/config"
"$SHOPDESK" --profile typo orders list >"$T/out" 2>"$T/err"
is "$?" 3 "a cache in a directory that does not exist is a configuration error"
grep -q "config:$((line + 3)): cache = $T/nosuch/dir/typo.db: directory $T/nosuch/dir does not exist" "$T/err"
ok $? "naming the file and the line ($(cat "$T/err"))"
[ ! -e "$T/nosuch" ]
ok $? "and nothing is made"
sd --cache "$T/nosuch2/x.db" orders list >"$T/out" 2>"$T/err"
is "$?" 3 "the same for --cache"
[ ! -e "$T/nosuch2" ]
ok $? "and nothing is made"

done_testing
