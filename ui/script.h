/*
 * script.h -- the console driven by a file of keys (SHOPDESK_SCRIPT), and
 * the screen written out as text, for in-process screen tests.
 */
#ifndef SD_UI_SCRIPT_H
#define SD_UI_SCRIPT_H

#include <curses.h>

#include "ui/key.h"

struct script;

/* NULL with *cause when path cannot be read. */
struct script *script_open(const char *path, char **cause);
void	 script_free(struct script **);
/*
 * The keys of the next line into *keys (caller frees): how many, 0 at the
 * end of the file, -1 with *cause ("FILE:LINE: why") for a bad line; 0 with
 * *dump (caller frees) for a "dump FILE" line.
 */
long	 script_next(struct script *, struct key **keys, char **dump, char **cause);
/* What the terminal shows (curscr), a line of text each, to path. 0 or -1. */
int	 script_dump_screen(const char *path, char **cause);

#endif
