/*
 * input.c -- wget_wch() values to struct key.
 *
 * curses decodes the terminal's escape sequences for special keys itself
 * (keypad on, ESCDELAY short); what it leaves is characters, among them ESC.
 * An ESC with another key right behind it is Alt/Meta with that key, as
 * terminals send it; an ESC alone (nothing within INPUT_ESC_MS) is <Esc>.
 */
#include "config.h"

#include <wchar.h>

#include "ui/input.h"
#include "ui/mouse.h"

/* curses' special keys and ours. */
static const struct {
	int		 curses;
	int		 code;
	unsigned	 mods;
} input_keys[] = {
	{ KEY_UP, KEYC_UP, 0 },
	{ KEY_DOWN, KEYC_DOWN, 0 },
	{ KEY_LEFT, KEYC_LEFT, 0 },
	{ KEY_RIGHT, KEYC_RIGHT, 0 },
	{ KEY_SR, KEYC_UP, KEYM_SHIFT },
	{ KEY_SF, KEYC_DOWN, KEYM_SHIFT },
	{ KEY_SLEFT, KEYC_LEFT, KEYM_SHIFT },
	{ KEY_SRIGHT, KEYC_RIGHT, KEYM_SHIFT },
	{ KEY_HOME, KEYC_HOME, 0 },
	{ KEY_END, KEYC_END, 0 },
	{ KEY_SHOME, KEYC_HOME, KEYM_SHIFT },
	{ KEY_SEND, KEYC_END, KEYM_SHIFT },
	{ KEY_PPAGE, KEYC_PGUP, 0 },
	{ KEY_NPAGE, KEYC_PGDN, 0 },
	{ KEY_ENTER, KEYC_ENTER, 0 },
	{ KEY_BTAB, KEYC_BTAB, 0 },
	{ KEY_BACKSPACE, KEYC_BSPACE, 0 },
	{ KEY_DC, KEYC_DC, 0 },
	{ KEY_IC, KEYC_IC, 0 },
	{ KEY_A1, KEYC_HOME, 0 },
	{ KEY_C1, KEYC_END, 0 },
	{ KEY_A3, KEYC_PGUP, 0 },
	{ KEY_C3, KEYC_PGDN, 0 },
};

void
input_init(WINDOW *win)
{
	set_escdelay(INPUT_ESC_MS);
	keypad(win, TRUE);
	nodelay(win, TRUE);
}

void
input_keypad(WINDOW *win, int on)
{
	keypad(win, on ? TRUE : FALSE);
}

/* A curses value (code is a KEY_* when fn) as a key; 0 when unknown. */
static int
input_convert(wint_t ch, int fn, struct key *k)
{
	size_t i;

	k->mods = 0;
	if (fn) {
		if (ch >= (wint_t)KEY_F(1) && ch <= (wint_t)KEY_F(12)) {
			k->code = KEYC_F1 + (int)(ch - KEY_F(1));
			return 1;
		}
		if (ch >= (wint_t)KEY_F(13) && ch <= (wint_t)KEY_F(24)) {
			k->code = KEYC_F1 + (int)(ch - KEY_F(13));
			k->mods = KEYM_SHIFT;
			return 1;
		}
		for (i = 0; i < sizeof input_keys / sizeof input_keys[0]; i++)
			if (input_keys[i].curses == (int)ch) {
				k->code = input_keys[i].code;
				k->mods = input_keys[i].mods;
				return 1;
			}
		return 0;
	}
	k->code = (int)ch;
	*k = key_normalize(*k);
	return 1;
}

int
input_read(WINDOW *win, struct key *k)
{
	wint_t ch, ch2;
	int rc, rc2;

	for (;;) {
		if ((rc = wget_wch(win, &ch)) == ERR)
			return 0;
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
			return -1;
		if (rc == KEY_CODE_YES && ch == KEY_MOUSE) {
			if (mouse_read(k))
				return 1;
			continue;
		}
		if (rc == OK && ch == 0x1b) {
			/* ESC: Meta with the next key if it follows at once. */
			wtimeout(win, INPUT_ESC_MS);
			rc2 = wget_wch(win, &ch2);
			nodelay(win, TRUE);
			if (rc2 == ERR || (rc2 == OK && ch2 == 0x1b)) {
				k->code = KEYC_ESC;
				k->mods = 0;
				if (rc2 == OK)
					unget_wch(ch2);
				return 1;
			}
			if (rc2 == KEY_CODE_YES && ch2 == KEY_RESIZE)
				return -1;
			if (!input_convert(ch2, rc2 == KEY_CODE_YES, k))
				continue;
			k->mods |= KEYM_META;
			*k = key_normalize(*k);
			return 1;
		}
		if (input_convert(ch, rc == KEY_CODE_YES, k))
			return 1;
	}
}
