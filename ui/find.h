/*
 * find.h -- go to anything: one search over every kind (find.c).
 */
#ifndef SD_UI_FIND_H
#define SD_UI_FIND_H

#include <curses.h>

#include "ui/key.h"

struct app;

/*
 * Search every kind for text and show the hits in place of the list; one
 * hit is opened at once, none is said on the message line. 0, or -1 with
 * *cause.
 */
int	 find_open(struct app *, const char *text, char **cause);
/* A key while the hits are shown: 1 when it was theirs. */
int	 find_key(struct app *, struct key);
void	 find_draw(struct app *, WINDOW *);
void	 find_close(struct app *);

#endif
