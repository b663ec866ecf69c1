#!/usr/bin/env bash
# deb.sh -- the Debian packages: `dpkg-buildpackage -us -uc -b` on a copy of
# the source (debian/ included) builds shopdesk and shopdesk-store; lintian
# finds no error in them; unpacked in a scratch root, the installed binaries
# run (`shopdesk --demo orders list` starts the installed shopdesk-store
# beside it); installed with `dpkg --root` into a scratch dpkg database and
# purged, they leave nothing behind. Nothing is installed on the machine.
# Skipped ("1..0 # SKIP") without dpkg-buildpackage and debhelper.
. "${top_srcdir:-.}/tests/integration/lib.sh"

# make distcheck builds out of the source tree, from the tarball; after the
# source tree's own check has built and tested the packages, it need not
# build them a second time (it recompiles everything for minutes). The
# README's test command runs distcheck alone, with SHOPDESK_CHECK_ALL=1, so
# that they are built there.
if [ -n "${top_builddir:-}" ] && [ -z "${SHOPDESK_CHECK_ALL:-}" ] &&
	[ "$(cd "${top_srcdir:-.}" && pwd -P)" != "$(cd "$top_builddir" && pwd -P)" ]; then
	echo "1..0 # SKIP an out-of-tree build (make distcheck): the packages are built by the in-tree check"
	exit 0
fi
for tool in dpkg-buildpackage dh dpkg-deb; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool is not installed (apt-get install dpkg-dev debhelper)"
		exit 0
	fi
done
src=${top_srcdir:-.}
if ! (cd "$src" && dpkg-checkbuilddeps) >"$T/deps" 2>&1; then
	echo "1..0 # SKIP the build dependencies are missing: $(tail -1 "$T/deps")"
	exit 0
fi

# A copy of the source as it would be shipped: the files git knows in a
# clone, the unpacked tarball (less make distcheck's build directories) else.
mkdir -p "$T/pkg/shopdesk"
if [ -e "$src/.git" ] && command -v git >/dev/null 2>&1; then
	(cd "$src" && git ls-files -co --exclude-standard -z | tar --null -cf - -T -) |
		tar -xf - -C "$T/pkg/shopdesk"
else
	(cd "$src" && tar --exclude=./_build --exclude=./_inst -cf - .) |
		tar -xf - -C "$T/pkg/shopdesk"
fi
chmod -R u+w "$T/pkg/shopdesk"
ok "$([ -x "$T/pkg/shopdesk/debian/rules" ] && echo 0 || echo 1)" \
	"the source has debian/ with an executable rules"

(cd "$T/pkg/shopdesk" && env DEB_BUILD_OPTIONS="nocheck parallel=2" \
	dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1
rc=$?
is "$rc" 0 "dpkg-buildpackage -us -uc -b builds"
[ "$rc" = 0 ] || tail -30 "$T/build.log" | sed 's/^/#   /'
deb=$(ls "$T"/pkg/shopdesk_*_*.deb 2>/dev/null | head -1)
store_deb=$(ls "$T"/pkg/shopdesk-store_*_*.deb 2>/dev/null | head -1)
ok "$([ -n "$deb" ] && [ -n "$store_deb" ] && echo 0 || echo 1)" \
	"two binary packages: $(basename "${deb:-none}") $(basename "${store_deb:-none}")"
[ -n "$deb" ] && [ -n "$store_deb" ] || { done_testing; exit; }

dpkg-deb -c "$deb" >"$T/contents"
for f in ./usr/bin/shopdesk ./usr/share/man/man1/shopdesk.1.gz \
    ./usr/share/man/man5/shopdesk.conf.5.gz ./usr/share/man/man5/shopdesk-keys.5.gz \
    ./usr/share/locale/zh_CN/LC_MESSAGES/shopdesk.mo ./usr/share/shopdesk/keymaps/vi.keys \
    ./usr/share/doc/shopdesk/copyright; do
	ok "$(grep -q " $f\$" "$T/contents" && echo 0 || echo 1)" "shopdesk has $f"
done
dpkg-deb -c "$store_deb" | grep -q ' ./usr/bin/shopdesk-store$'
ok "$?" "shopdesk-store has ./usr/bin/shopdesk-store"
is "$(dpkg-deb -f "$deb" Recommends)" "shopdesk-store" "shopdesk recommends shopdesk-store"

if command -v lintian >/dev/null 2>&1; then
	lintian --fail-on error "$deb" "$store_deb" >"$T/lintian" 2>&1
	is "$?" 0 "lintian finds no error"
	grep -E '^[EW]:' "$T/lintian" | sed 's/^/#   /'
else
	ok 0 "# SKIP lintian is not installed"
fi

# Unpacked in a scratch root, run from there: the demo finds the store beside it.
mkdir -p "$T/root"
dpkg-deb -x "$deb" "$T/root" && dpkg-deb -x "$store_deb" "$T/root"
is "$?" 0 "both unpack into a scratch root"
is "$("$T/root/usr/bin/shopdesk" --version)" "shopdesk $(dpkg-deb -f "$deb" Version)" \
	"the installed shopdesk runs and says its version"
out=$(env PATH=/usr/bin:/bin "$T/root/usr/bin/shopdesk" --demo orders list --limit 3 \
	</dev/null 2>"$T/demo.err")
is "$?" 0 "the installed shopdesk --demo orders list runs ($(head -c 200 "$T/demo.err"))"
is "$(printf '%s\n' "$out" | grep -c '^SO[0-9]')" 3 "... and lists three orders of the demo store"
"$T/root/usr/bin/shopdesk-store" --help >/dev/null 2>&1
is "$?" 0 "the installed shopdesk-store runs"

# Installed and purged with dpkg in a scratch database (its libraries are the
# machine's, not in that database: --force-depends).
R=$T/dpkgroot
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
: >"$R/var/lib/dpkg/status"
dpkg_root() {
	dpkg --root="$R" --force-not-root --force-script-chrootless --log=/dev/null "$@"
}
dpkg_root --force-depends -i "$deb" "$store_deb" >"$T/install.log" 2>&1
is "$?" 0 "dpkg installs both into a scratch root"
is "$(dpkg-query --root="$R" -W -f '${db:Status-Abbrev}\n' shopdesk shopdesk-store | tr -d ' ' |
	tr '\n' ' ')" "ii ii " "both are installed"
ok "$([ -x "$R/usr/bin/shopdesk" ] && [ -x "$R/usr/bin/shopdesk-store" ] && echo 0 || echo 1)" \
	"the binaries are in place"
dpkg_root --purge shopdesk shopdesk-store >"$T/purge.log" 2>&1
is "$?" 0 "dpkg purges both"
is "$(find "$R" -mindepth 1 -not -path "$R/var" -not -path "$R/var/lib" \
	-not -path "$R/var/lib/dpkg" -not -path "$R/var/lib/dpkg/*" | head -5)" "" \
	"nothing is left behind"
done_testing
