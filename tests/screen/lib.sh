# lib.sh -- helpers for the screen tests: the real shopdesk in a private tmux
# server. Sourced after tests/integration/lib.sh (the store and profiles).
#
# Every wait polls `capture-pane -p` for a marker (no fixed sleeps), with a
# deadline; a failing wait prints the screen as TAP comments.

SOCK="sdtest-$$-0"
nconsole=0
: "${SCREEN_TIMEOUT:=15}"

tm() {
	tmux -L "$SOCK" -f /dev/null "$@"
}

screen_cleanup() {
	# Only the test's own shell, never a subshell that inherited the trap.
	[ "${BASHPID:-$$}" = "$$" ] || return 0
	tmux -L "$SOCK" kill-server 2>/dev/null
	cleanup
}
trap screen_cleanup EXIT

# console W H ARGS...: start shopdesk ARGS in a new tmux server of W x H.
console() {
	local w=$1 h=$2
	shift 2
	# A fresh server each time: a new one on the old socket can race the old
	# one's shutdown.
	tm kill-server 2>/dev/null
	nconsole=$((nconsole + 1))
	SOCK="sdtest-$$-$nconsole"
	tm new-session -d -x "$w" -y "$h" \
		"env LANG=${SCREEN_LANG:-C.UTF-8} LC_ALL=${SCREEN_LANG:-C.UTF-8} TERM=screen-256color $* 2>>$T/console.err; echo CONSOLE-EXITED \$?; sleep 60"
	tm set-option -g remain-on-exit on >/dev/null 2>&1
}

screen() {
	tm capture-pane -p
}

# wait_for TEXT: until the screen contains TEXT (fixed string). 0 or 1.
wait_for() {
	local i=0 max=$((SCREEN_TIMEOUT * 20))
	while [ $i -lt $max ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

# wait_gone TEXT: until the screen no longer contains TEXT.
wait_gone() {
	local i=0 max=$((SCREEN_TIMEOUT * 20))
	while [ $i -lt $max ]; do
		if ! screen | grep -qF -- "$1"; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

# expect TEXT DESCRIPTION: one TAP line, the screen shown on failure.
expect() {
	if wait_for "$1"; then
		ok 0 "$2"
	else
		ok 1 "$2"
		echo "#   expected '$1' on the screen:"
		screen | sed 's/^/#   |/'
	fi
}

keys() {
	tm send-keys "$@"
}

# type TEXT: literal text (UTF-8 included).
type_text() {
	tm send-keys -l -- "$1"
}

# For each line of standard input: the screen column (CJK counts 2) where the
# text after its last run of two or more blanks starts -- the last cell.
last_cell_column() {
	perl -CS -ne 'chomp; next unless /^(.*\S  +)\S/; my $p = $1; my $w = 0;
		for my $c (split //, $p) { my $o = ord($c);
		$w += ($o >= 0x1100 && ($o <= 0x115f || ($o >= 0x2e80 && $o <= 0xa4cf) ||
		    ($o >= 0xac00 && $o <= 0xd7a3) || ($o >= 0xf900 && $o <= 0xfaff) ||
		    ($o >= 0xfe30 && $o <= 0xfe4f) || ($o >= 0xff00 && $o <= 0xff60) ||
		    ($o >= 0xffe0 && $o <= 0xffe6))) ? 2 : 1; } print "$w\n";'
}
