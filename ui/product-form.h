/*
 * product-form.h -- the Inventory pane's product form (new-product,
 * edit-product) and delete-product.
 */
#ifndef SD_UI_PRODUCT_FORM_H
#define SD_UI_PRODUCT_FORM_H

/* The console commands new-product, edit-product and delete-product. */
int	 product_form_cmd_new(void *app, int argc, char **argv, char **cause);
int	 product_form_cmd_edit(void *app, int argc, char **argv, char **cause);
int	 product_form_cmd_delete(void *app, int argc, char **argv, char **cause);

#endif
