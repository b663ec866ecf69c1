/*
 * reprice.h -- ":reprice CHANGE": many SKUs' prices at once, after a
 * preview; ":import FILE", a CSV file of prices (ui/reprice.c).
 */
#ifndef SD_UI_REPRICE_H
#define SD_UI_REPRICE_H

/* The command (ui/cmdline.h signature). */
int	 reprice_cmd(void *app, int argc, char **argv, char **cause);
/* ":import FILE": a CSV file of prices, the same preview. */
int	 reprice_cmd_import(void *app, int argc, char **argv, char **cause);

#endif
