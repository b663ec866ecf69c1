/*
 * input.h -- the terminal's keys as struct key.
 *
 * The only place that turns what wget_wch() returns (characters, KEY_*
 * codes) into struct key: control characters through key_normalize(), ESC
 * followed quickly by a key as Meta (M-x), a lone ESC as <Esc>.
 */
#ifndef SD_UI_INPUT_H
#define SD_UI_INPUT_H

#include <curses.h>

#include "ui/key.h"

/* Milliseconds to wait after ESC for the key it may prefix. */
#define INPUT_ESC_MS	25

/* Set up win for input_read(): keypad, non-blocking. */
void	 input_init(WINDOW *win);
/* Turn curses' own key decoding on or off (off while readline reads). */
void	 input_keypad(WINDOW *win, int on);
/*
 * Read one key without blocking: 1 with *k, 0 when nothing is waiting,
 * -1 for a curses KEY_RESIZE (the caller re-reads the size).
 */
int	 input_read(WINDOW *win, struct key *k);

#endif
