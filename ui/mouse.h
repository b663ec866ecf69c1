/*
 * mouse.h -- the mouse in the console: click a tab, click a row (a double
 * click opens it as Enter does), the wheel scrolls. Never needed: every
 * one of these is a key too. `mouse = no` in the configuration, or the
 * `mouse off` command, leaves the mouse to the terminal (to select text).
 */
#ifndef SD_UI_MOUSE_H
#define SD_UI_MOUSE_H

#include "ui/key.h"

struct app;

/* Ask the terminal for mouse events, or stop: whether it reports them. */
int	 mouse_enable(int on);
/* A wget_wch() KEY_MOUSE as a key (KEY_MOUSE_CODE): 1, or 0 to ignore it. */
int	 mouse_read(struct key *);
/*
 * A mouse event: what it does to the console. Returns how many times the
 * caller then handles *feed as a key (a double click is Enter; the wheel
 * over a view with keys of its own is its arrow keys), 0 for none.
 */
int	 mouse_event(struct app *, struct key, struct key *feed);
/* The `mouse [on|off]` command (no argument: the other). */
int	 mouse_cmd(void *app, int argc, char **argv, char **cause);

#endif
