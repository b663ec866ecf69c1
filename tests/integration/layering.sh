#!/usr/bin/env bash
# layering.sh -- the core never includes curses or readline; the console
# never talks HTTP or SQL directly.
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
done_testing
