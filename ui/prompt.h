/*
 * prompt.h -- the one-line prompt at the bottom of the console: the ':'
 * command line and the '/' search, on GNU readline's callback interface.
 *
 * Readline never reads the terminal and never draws: the event loop feeds it
 * one key at a time (prompt_feed) and the prompt draws readline's line
 * buffer into its own curses window (prompt_draw) when the loop repaints.
 * History is kept per profile; completion asks the owner's callback.
 */
#ifndef SD_UI_PROMPT_H
#define SD_UI_PROMPT_H

#include <curses.h>

#include "ui/key.h"

enum prompt_kind {
	PROMPT_COMMAND,		/* ":" -- a command line, with history and completion */
	PROMPT_SEARCH,		/* "/" -- incremental: on_change runs on every edit */
};

/* Completion: candidates for word number argi (0 = command) of line, given its prefix. */
typedef void (*prompt_complete_fn)(void *arg, const char *line, int argi, const char *prefix,
    void (*add)(void *acc, const char *candidate), void *acc);

struct prompt_ops {
	void	(*on_done)(void *arg, const char *line);	/* Enter: line (may be "") */
	void	(*on_cancel)(void *arg);			/* Esc / C-g / C-c */
	void	(*on_change)(void *arg, const char *line);	/* search: every edit */
	prompt_complete_fn complete;
};

/* Once at start: readline set up for the callback interface (no signals, no tty). */
void	 prompt_init(const char *history_file);
/* At exit: history saved (0600), readline's state restored. */
void	 prompt_done(void);

/* Open the prompt with an initial text (may be NULL). Only one is open at a time. */
void	 prompt_open(enum prompt_kind, const char *initial, const struct prompt_ops *, void *arg);
int	 prompt_active(void);
/* Feed one key read by the event loop (ui/input.c) to readline. */
void	 prompt_feed(const struct key *);
/* Draw the prompt into win (one line), placing the terminal cursor. */
void	 prompt_draw(WINDOW *win);
/* Whether it needs a redraw since the last prompt_draw. */
int	 prompt_dirty(void);

/*
 * Added with prompt.c: the candidates of the last Tab that had several, as
 * one line "ship shelf show" for the app to display (NULL when none; cleared
 * by the next key). Borrowed.
 */
const char *prompt_candidates(void);
/* The text being edited, or NULL when no prompt is open. Borrowed. */
const char *prompt_line(void);

#endif
