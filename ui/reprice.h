/*
 * reprice.h -- ":reprice CHANGE": many SKUs' prices at once, after a
 * preview (ui/reprice.c).
 */
#ifndef SD_UI_REPRICE_H
#define SD_UI_REPRICE_H

/* The command (ui/cmdline.h signature). */
int	 reprice_cmd(void *app, int argc, char **argv, char **cause);

#endif
