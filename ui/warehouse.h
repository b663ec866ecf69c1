/*
 * warehouse.h -- the packing station's commands: a scanned code finds its
 * row (a SKU by barcode in the Inventory, an order by number or tracking
 * number in Orders).
 */
#ifndef SD_UI_WAREHOUSE_H
#define SD_UI_WAREHOUSE_H

/* Commands (ui/cmdline.h signatures). */
int	 warehouse_cmd_scan(void *app, int argc, char **argv, char **cause);
int	 warehouse_cmd_slip(void *app, int argc, char **argv, char **cause);

#endif
