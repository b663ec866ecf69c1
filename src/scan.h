/*
 * scan.h -- packing by barcode: an order scanned, its items ticked off, its
 * waybill's carrier inferred.
 *
 * The logic of the console's scan mode, with no terminal in it, so that it
 * is unit-tested and works offline: everything is read from the cache (the
 * order with any pending overlay, its SKUs' barcodes and stock). Shipping
 * itself is the catalogue's ordinary "orders ship" action (action.h),
 * queued in the outbox like any other.
 */
#ifndef SD_SCAN_H
#define SD_SCAN_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "model.h"
#include "status.h"

/* The longest code kept from a scan; a longer one is refused. */
#define SCAN_CODE_MAX	64

/* One line of the order: a SKU to pick quantity times. */
struct scan_item {
	char		*sku_id;
	char		*barcode;	/* the SKU's barcode, or NULL when not cached */
	char		*title;		/* sanitised */
	int		 quantity;
	int		 picked;
};

struct scan_order {
	char		*id;
	char		*customer;	/* sanitised name, or NULL */
	struct scan_item *items;
	size_t		 n;
	int		*ticks;		/* item indices in the order ticked: undo pops */
	size_t		 nticks;
};

enum scan_tick {
	SCAN_TICKED,		/* one more of an item */
	SCAN_WRONG,		/* not an item of this order */
	SCAN_SURPLUS,		/* an item of it, all already picked */
};

/*
 * Open the order a code names: the order id as printed on the slip, or
 * without its letters ("10000042" for "SO10000042": what a Code 128 label
 * read without its prefix gives), in any case, blanks around it ignored.
 * SD_OK when it may be packed now; SD_ENOTFOUND when no cached order has
 * that id; SD_EREFUSED when it cannot ship (not paid, cancelled, closed,
 * already shipped or a shipment pending, flagged abnormal, short of stock),
 * the reason and what to do in *cause; SD_EUSAGE for a code that is no id.
 */
enum sd_status scan_order_open(struct cache *, const char *code, struct scan_order *,
	    char **cause);
void	 scan_order_done(struct scan_order *);

/*
 * A scanned item code (its barcode or its SKU id): ticked, or refused with
 * *msg saying what was scanned and what is still expected (caller frees).
 * *msg is also set on SCAN_TICKED ("无线蓝牙耳机 黑色 2/2").
 */
enum scan_tick scan_order_tick(struct scan_order *, const char *code, char **msg);
/* Undo the last tick: the item's index, or -1 when none is ticked. */
int	 scan_order_undo(struct scan_order *);
/* Pieces still to pick. */
int	 scan_order_left(const struct scan_order *);
/* "A 6910000100003 ×1, B ×2": what is still to pick (caller frees). */
char	*scan_order_expected(const struct scan_order *);

/*
 * The carriers a tracking number's pattern points to (SF + digits: SF; 75…
 * with 14 digits: ZTO; 13 digits from 1: EMS or Yunda...), at most max of
 * them into out, best first; 0 when the pattern says nothing.
 */
int	 scan_carrier_guess(const char *tracking, const struct carrier_info **out, int max);

#endif
