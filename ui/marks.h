/*
 * marks.h -- rows marked for one action on them all: the warehouse marks
 * the orders of a pick run and ships, prints or flags them at once.
 *
 * m marks or unmarks the selected row, * marks every row the list shows
 * (its filter and search), X clears the marks; the title counts them. An
 * action typed while a pane has marks runs on the marked rows: each is
 * prepared as the single action is, and a preview says what will be
 * queued and which rows are refused and why, before anything is queued
 * (ui/confirm.c). Each queued action is an ordinary outbox entry.
 */
#ifndef SD_UI_MARKS_H
#define SD_UI_MARKS_H

#include "action.h"

struct app;

#define MARKS_MAX	1000	/* marks in one list */

/* Commands (ui/cmdline.h signatures). */
int	 marks_cmd_mark(void *app, int argc, char **argv, char **cause);
int	 marks_cmd_mark_all(void *app, int argc, char **argv, char **cause);
int	 marks_cmd_mark_clear(void *app, int argc, char **argv, char **cause);

/*
 * Prepare d with values on every marked row of the current pane and open
 * the preview. 0, or -1 with *cause (no row allows it: the reasons).
 */
int	 marks_action(struct app *, const struct action_def *d, const char *const *values,
	    char **cause);

#endif
