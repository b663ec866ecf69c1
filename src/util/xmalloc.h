/*
 * xmalloc.h -- allocation that never fails silently.
 *
 * Every function aborts the program with a message when memory runs out; a
 * request for zero bytes is a bug and aborts too.
 */
#ifndef SD_XMALLOC_H
#define SD_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));
void fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
