/*
 * messages.h -- the recent messages of the bottom line, kept and shown.
 *
 * The message line is one row: a long message is cut there, with a hint,
 * and kept here with its time (the last MESSAGES_KEEP), so that nothing
 * said is lost. `messages` (M) shows them in full, wrapped, newest last,
 * over the pane; j/k and the page keys scroll, q or Esc closes.
 */
#ifndef SD_UI_MESSAGES_H
#define SD_UI_MESSAGES_H

#include <curses.h>
#include <time.h>

#include "ui/key.h"

#define MESSAGES_KEEP	100

struct app;

/* Keep text (as shown) said at now; error: it was shown as one. */
void	 messages_add(struct app *, const char *text, int error, time_t now);
/* Open the view, at the newest. */
void	 messages_open(struct app *);
/* Whether the view is open. */
int	 messages_shown(const struct app *);
/* A key while the view is open: 1 when taken (its moves, q, Esc). */
int	 messages_key(struct app *, struct key);
void	 messages_draw(struct app *, WINDOW *);
void	 messages_free(struct app *);

#endif
