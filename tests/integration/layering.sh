#!/usr/bin/env bash
# layering.sh -- the core never includes curses or readline; the console
# never talks HTTP or SQL directly; one follow loop (src/follow.c) serves the
# console's sync thread and sync --follow.
. "${top_srcdir:-.}/tests/integration/lib.sh"
cd "${top_srcdir:-.}" || exit 1

bad=$(grep -rlE '#include *[<"](n?curses|ncursesw/|readline/)' src 2>/dev/null)
is "$bad" "" "src/ includes no curses or readline header"
bad=$(grep -rlE '#include *[<"](curl/|sqlite3\.h)' ui 2>/dev/null)
is "$bad" "" "ui/ includes no libcurl or SQLite header"
bad=$(grep -rl 'config\.h' src --include='*.h' | xargs grep -l '#include "config.h"' 2>/dev/null)
is "$bad" "" "no header includes config.h"
missing=$(for f in $(find src ui -name '*.c'); do head -30 "$f" | grep -q '^#include "config.h"' || echo "$f"; done)
is "$missing" "" "every .c includes config.h"
bad=$(grep -rlE '\bsync_(run|whoami)\(' --include='*.c' ui 2>/dev/null)
is "$bad" "" "ui/ runs no sync of its own: its sync thread runs the follow loop"
bad=$(grep -rl 'set_wake' --include='*.c' src ui | grep -vE '^src/(follow|api-[a-z]+)\.c$')
is "$bad" "" "only the follow loop arms a backend's wake flag"
bad=$(grep -L 'follow_run(' ui/syncer.c src/cli/cli-sync.c)
is "$bad" "" "the console's sync thread and sync --follow both run follow_run"
# The cache is plain storage: nothing in it calls up into the outbox or the sync
# engine (objects enter through outbox_store()); comments and SQL may name them.
bad=$(for f in src/cache.c src/cache-query.c src/cache-fts.c; do
	sed -e 's|/\*.*\*/||g' -e '/^[[:space:]]*\*/d' -e 's/"[^"]*"//g' "$f" |
		grep -nE '\<(outbox|sync)_[a-z_]+[[:space:]]*\(' | sed "s|^|$f:|"
done)
is "$bad" "" "the cache calls no outbox or sync function"
done_testing
