/*
 * help.h -- the `help` view (?): the keys of the pane in words, grouped by
 * purpose, from the live bindings and the command table's own lines.
 *
 * It covers the list; j/k, PgDn/PgUp, C-d/C-u, g/G scroll it; q, Esc, ?
 * or F1 close it; any other key closes it and then acts as usual.
 */
#ifndef SD_UI_HELP_H
#define SD_UI_HELP_H

#include <curses.h>

#include "ui/key.h"

struct app;

/* A key while the view is open: 1 when taken, 0 to handle it as usual. */
int	 help_key(struct app *, struct key);
/* Scroll the view by lines (negative: up), kept within its lines. */
void	 help_scroll(struct app *, int by);
void	 help_draw(struct app *, WINDOW *);

#endif
