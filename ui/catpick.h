/*
 * catpick.h -- the category tree over the Inventory or Orders list: browse
 * the store's tree (商品类目) and filter the list by a category and the ones
 * below it.
 *
 * `category` with no argument opens it over the pane: j/k (arrows) move,
 * l/h (Right/Left, Space) open and close a branch, Enter filters the list
 * by the selected category, the first row "(all categories)" clears the
 * filter, q or Esc closes it and changes nothing. a, r, m and D open the
 * ':' line on create (under the cursor's category), rename, move and
 * delete: with the tree open those actions are the category's
 * (commands.c), queued through the outbox. `category NAME|PATH|ID`
 * filters directly, `category -` clears; the filter shows in the pane's
 * title and stays until cleared.
 */
#ifndef SD_UI_CATPICK_H
#define SD_UI_CATPICK_H

#include <curses.h>

#include "ui/key.h"

struct app;
struct pane;

/* The console command `category [NAME|PATH|ID|-]`. */
int	 catpick_cmd(void *app, int argc, char **argv, char **cause);
/* A key while the tree is open: 1 when taken (all but ':'). */
int	 catpick_key(struct app *, struct key);
void	 catpick_draw(struct app *, WINDOW *);
/* Close it (quitting): the filter stays as it was. */
void	 catpick_free(struct app *);
/* The category under the cursor (borrowed), or NULL on the "all" row or when closed. */
const char *catpick_selected(struct app *);
/* Read the tree again (an action changed it), keeping the cursor's category. */
void	 catpick_reload(struct app *);
/* Set the pane's category filter (id and its path, copied; NULL clears) and read the list again. */
void	 catpick_set(struct app *, struct pane *, const char *id, const char *path);

#endif
