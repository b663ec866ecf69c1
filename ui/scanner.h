/*
 * scanner.h -- scan mode: packing at a station with a barcode scanner.
 *
 * A scanner types a code and Enter within milliseconds. While scan mode is
 * open every key that can be part of a code goes into its input line, none
 * to the key bindings, so a burst of codes is read in order and nothing
 * lands on a pane (a digit switching panes, an S opening the ship prompt).
 * Enter (or Tab, which some scanners send) submits the code: first an
 * order number, then each item's barcode, then the waybill; the order is
 * then shipped through the outbox (the ordinary `ship` action) and the
 * next order may be scanned. Backspace on an empty line undoes the last
 * tick; Esc clears the line, then gives up the order, then leaves; ':'
 * on an empty line opens the command line over it.
 */
#ifndef SD_UI_SCANNER_H
#define SD_UI_SCANNER_H

#include <curses.h>

#include "ui/key.h"

struct app;

/* Open scan mode; code (or NULL) is scanned at once as the order's number. */
void	 scan_open(struct app *, const char *code);
/* A key while scan mode is open: 1 when taken (all but ':' on an empty line). */
int	 scan_key(struct app *, struct key);
void	 scan_draw(struct app *, WINDOW *);
/* The sync thread changed the cache: shipments confirmed or refused since. */
void	 scan_on_sync(struct app *);
/* Leave scan mode (quitting): what was shipped is in the outbox already. */
void	 scan_free(struct app *);

#endif
