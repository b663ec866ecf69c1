/*
 * confirm.h -- an action that moves money, shown before it is queued.
 *
 * A refund (or the cancel of a paid order) is prepared as any action, but
 * instead of being queued its plan is held here and what it will do is
 * shown over the pane ("Refund ¥129.00 of ¥238.00 paid to 张三丰 for
 * AS1000001 (order SO10000002); ¥109.00 stays refundable"). y or Enter
 * queues it; n, Esc or q drop it, and nothing is queued; any other key
 * but ':' only repeats the question. An action on marked rows is held the
 * same way, all its plans together, whether or not it moves money.
 */
#ifndef SD_UI_CONFIRM_H
#define SD_UI_CONFIRM_H

#include <curses.h>

#include "action.h"
#include "ui/key.h"

struct app;

/* Hold plan (taken over: *plan is emptied) until the answer. */
void	 confirm_open(struct app *, struct action_plan *plan, long long replace);
/*
 * Hold n plans (taken over: plans is freed) for one action on marked rows
 * (ui/marks.c), with preview: what they will do and which of the marked
 * rows are refused and why (taken over). y queues them all, in order, and
 * clears the marks; n queues none. heading (taken over) titles the box when
 * the plans are not the marked rows' (a whole list, a file); NULL: they are.
 */
void	 confirm_open_bulk(struct app *, struct action_plan *plans, size_t n, char *preview,
	    char *heading);
/*
 * A key while a confirmation is open: 1 when taken (all but ':', which
 * opens the command line over it: another action replaces it).
 */
int	 confirm_key(struct app *, struct key);
void	 confirm_draw(struct app *, WINDOW *);
/* Forget an open confirmation (quitting): nothing is queued. */
void	 confirm_free(struct app *);

#endif
