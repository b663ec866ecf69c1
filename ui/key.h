/*
 * key.h -- a key as a value: a Unicode code point or a special key, plus
 * modifier bits, and the names keymap files and help screens use for it.
 *
 * Pure code: no curses. ui/input.c is the only place that turns wget_wch()
 * values into struct key (key_normalize() does the C0-control part of it).
 *
 * Names, tmux/tig style (shopdesk-keys(5) is the reference):
 *
 *	j  G  /  你		a printable character stands for itself
 *	<Enter> <Esc> <Tab> <S-Tab> <BSpace> <Del> <Ins> <Space>
 *	<Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn> <F1>..<F12>
 *	<lt> <Hash> <Semicolon> <Quote> <DQuote> <Backslash>
 *				characters the command language would eat
 *	<U+0085>		any code point by number
 *	<C-d> <M-x> <C-M-S-Up>	modifiers C- (Ctrl), M- (Meta/Alt), S- (Shift)
 *
 * Named keys are case-insensitive and have aliases (<Return>, <PageDown>,
 * <Escape>...); key_to_string() always writes the canonical spelling, so
 * key_from_string(key_to_string(k)) == k for every valid key.
 *
 * Keys are kept canonical, so that what a terminal can send and what a file
 * says compare equal:
 *	- Ctrl letters are lower case: <C-D> is <C-d>;
 *	- the Ctrl forms of control characters are the keys terminals send for
 *	  them: <C-i> is <Tab>, <C-m> and <C-j> are <Enter>, <C-[> is <Esc>,
 *	  <C-?> is <BSpace>, <C-@> is <C-Space>;
 *	- Shift with a letter is the capital: <S-a> is A; <S-Tab> is KEYC_BTAB.
 * Ctrl works only with letters, Space, @ [ \ ] ^ _ ? and special keys, and
 * Shift only with letters and special keys: other combinations cannot be
 * typed on a terminal and are refused by key_from_string().
 */
#ifndef SD_UI_KEY_H
#define SD_UI_KEY_H

#include <stddef.h>

/* Special keys live above the last Unicode code point. */
enum {
	KEYC_BASE = 0x110000,
	KEYC_UP = KEYC_BASE,
	KEYC_DOWN,
	KEYC_LEFT,
	KEYC_RIGHT,
	KEYC_HOME,
	KEYC_END,
	KEYC_PGUP,
	KEYC_PGDN,
	KEYC_F1, KEYC_F2, KEYC_F3, KEYC_F4, KEYC_F5, KEYC_F6,
	KEYC_F7, KEYC_F8, KEYC_F9, KEYC_F10, KEYC_F11, KEYC_F12,
	KEYC_ENTER,
	KEYC_TAB,
	KEYC_BTAB,		/* Shift-Tab, "<S-Tab>" */
	KEYC_BSPACE,
	KEYC_DC,		/* Delete, "<Del>" */
	KEYC_IC,		/* Insert, "<Ins>" */
	KEYC_ESC,
	KEYC__END		/* one past the last special key */
};
#define KEYC_F(n)	(KEYC_F1 + (n) - 1)

/*
 * A mouse event rides in a key's code, outside every key's range, so that
 * it comes in the one stream of keys (ui/mouse.c): what, column and line.
 * The keymaps never see one.
 */
#define KEYC_MOUSE		0x40000000
#define KEY_MOUSE_CODE(what, x, y) \
	(KEYC_MOUSE | (what) << 24 | ((y) & 0xfff) << 12 | ((x) & 0xfff))
#define KEY_IS_MOUSE(k)		(((k).code & KEYC_MOUSE) != 0)
#define KEY_MOUSE_WHAT(k)	(((k).code >> 24) & 0xf)
#define KEY_MOUSE_X(k)		((k).code & 0xfff)
#define KEY_MOUSE_Y(k)		(((k).code >> 12) & 0xfff)
enum key_mouse {
	KEY_MOUSE_CLICK = 1,		/* button 1 */
	KEY_MOUSE_DOUBLE,		/* button 1, twice */
	KEY_MOUSE_WHEEL_UP,
	KEY_MOUSE_WHEEL_DOWN,
};

#define KEYM_CTRL	0x1u
#define KEYM_META	0x2u
#define KEYM_SHIFT	0x4u
#define KEYM_ALL	(KEYM_CTRL | KEYM_META | KEYM_SHIFT)

struct key {
	int		code;	/* code point, or KEYC_* */
	unsigned	mods;	/* KEYM_* bits */
};

#define KEY_SEQ_MAX		8	/* keys in one binding, "gg" is 2 */
#define KEY_STRING_MAX		32	/* key_to_string() buffer, with the NUL */
#define KEY_SEQ_STRING_MAX	(KEY_SEQ_MAX * (KEY_STRING_MAX - 1) + 1)

/*
 * The canonical form of k (see above): C0 control characters and DEL become
 * the keys they are typed as (0x04 -> <C-d>, 0x09 -> <Tab>, 0x0d -> <Enter>,
 * 0x1b -> <Esc>, 0x7f -> <BSpace>), Ctrl letters go lower case, Shift
 * letters upper case, Shift-Tab becomes KEYC_BTAB.
 */
struct key	 key_normalize(struct key k);
/* Whether k is canonical and can be typed (what key_from_string() accepts). */
int		 key_valid(struct key k);
int		 key_equal(struct key a, struct key b);

/*
 * Parse exactly one key name. Returns 0, or -1 with *cause set (caller
 * frees) to a message that names the bad key: "unknown key '<Foo>'".
 */
int		 key_from_string(const char *s, struct key *out, char **cause);
/* The canonical name of k in buf (KEY_STRING_MAX bytes); returns buf. */
char		*key_to_string(struct key k, char *buf, size_t size);

/*
 * Parse a key sequence: key names written one after the other ("gg",
 * "<C-x><C-s>") or separated by blanks ("g g", "<C-x> <C-s>"); a blank as a
 * key is <Space>. At most max keys; *n is set to how many. A bare word that
 * spells a key name ("Enter", "f1") is refused: it would be five or two
 * separate keys, which is never what was meant. Returns 0 or -1 with *cause.
 */
int		 key_seq_from_string(const char *s, struct key *seq, size_t max,
		     size_t *n, char **cause);
/* The canonical name of a sequence, keys run together: "gg", "<C-x><C-s>". */
char		*key_seq_to_string(const struct key *seq, size_t n, char *buf,
		     size_t size);

#endif
