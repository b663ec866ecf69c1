/*
 * log.h -- a debug log file; nothing is printed while curses owns the screen.
 *
 * Logging is off unless log_open() was called (SHOPDESK_LOG or --log). Tokens
 * and Authorization headers are never passed to it.
 */
#ifndef SD_LOG_H
#define SD_LOG_H

void	 log_open(const char *path);
void	 log_close(void);
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
