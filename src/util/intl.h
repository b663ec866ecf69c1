/*
 * intl.h -- messages of the core in the user's language.
 *
 * The console and the command line choose the language (textdomain() in
 * ui/i18n.c); a program that does not, such as the reference store, gets
 * the English text. The same markers as the console's, so that one
 * "make update-po" extracts both.
 */
#ifndef SD_UTIL_INTL_H
#define SD_UTIL_INTL_H

#include <libintl.h>

#ifndef _
#define _(s)		gettext(s)
#endif
#ifndef N_
#define N_(s)		(s)
#endif

#endif
