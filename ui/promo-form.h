/*
 * promo-form.h -- the form for a new promotion in the Promotions pane.
 */
#ifndef SD_UI_PROMO_FORM_H
#define SD_UI_PROMO_FORM_H

#include "ui/key.h"

struct app;

/* Open the form (kind chosen when given). 0, or -1 with *cause. */
int	 promo_form_open(struct app *, const char *kind, char **cause);
/* The console command new-promo [KIND]. */
int	 promo_form_cmd(void *app, int argc, char **argv, char **cause);

#endif
