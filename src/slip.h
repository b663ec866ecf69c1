/*
 * slip.h -- packing slips 装箱单 as PDF: one A6 page per order with the
 * order number as a Code 128 barcode (libzint) that a scanner reads back
 * as the order number, the recipient, and the items with their SKU codes
 * and quantities. Chinese text is set in libharu's built-in SimSun (its
 * CNS fonts), so names and addresses print without a font file.
 *
 * A slip carries the real address: the parcel must reach it. So the
 * orders given must be unmasked (the caller checks that the role may see
 * them and records the reveal, audit.h).
 */
#ifndef SD_SLIP_H
#define SD_SLIP_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "util/buf.h"

/*
 * Whether the cache's user may print slips: they carry the real address,
 * so only a role that ships and sees addresses unmasked (admin,
 * warehouse). 1, else 0 with why in *why (caller frees).
 */
int	 slip_allowed(struct cache *, char **why);
/* Pipe pdf to command (run by /bin/sh). 0, or -1 with *cause. */
int	 slip_print(const char *command, const struct buf *pdf, char **cause);

/*
 * The PDF of n orders into out (binary). 0, or -1 with *cause (an order
 * number Code 128 cannot carry, libharu's error).
 */
int	 slip_pdf(const cJSON *const *orders, size_t n, struct buf *out, char **cause);

#endif
