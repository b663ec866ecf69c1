/*
 * console.h -- the full-screen console's entry point.
 *
 * No curses here: src/cli/main.c includes this to open the console when
 * shopdesk runs with no command on a terminal.
 */
#ifndef SD_UI_CONSOLE_H
#define SD_UI_CONSOLE_H

#include "cache.h"
#include "conf.h"

/*
 * Run the console on conf's profile with cache (the main thread's
 * connection, already open) until the user quits or a signal ends it.
 * The token is loaded here; without one the console runs from the cache
 * alone, and says so. Returns an exit status.
 */
int	 console_main(struct config *conf, struct cache *cache);

#endif
