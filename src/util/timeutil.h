/*
 * timeutil.h -- RFC 3339 timestamps and clocks.
 */
#ifndef SD_TIMEUTIL_H
#define SD_TIMEUTIL_H

#include <stdint.h>
#include <time.h>

#define RFC3339_LEN 21		/* "2026-11-22T08:15:00Z" plus NUL */

/* Format t as "YYYY-MM-DDTHH:MM:SSZ" (UTC) into out[RFC3339_LEN]. */
void	 time_format_rfc3339(time_t t, char *out);
#define TIME_EXPORT_LEN 64	/* "2026-11-22 16:15:00 +08:00" (26) with room for any year */

/*
 * Format t for a file people open (CSV): the wall-clock time where the store
 * is, with its offset, "YYYY-MM-DD HH:MM:SS +HH:MM", into out[TIME_EXPORT_LEN].
 */
void	 time_format_export(time_t t, char *out);
/* Parse "YYYY-MM-DDTHH:MM:SSZ" (also accepts "+00:00" and a fraction); -1 on error. */
int	 time_parse_rfc3339(const char *s, time_t *out);
/*
 * Parse a user's date: "YYYY-MM-DD" (start of day UTC), a full RFC 3339
 * timestamp, "today", "yesterday" or "-Nd" (N days ago). -1 on error.
 */
int	 time_parse_user(const char *s, time_t now, time_t *out);
/*
 * Parse a time people type for a schedule, in local time: "now", "today"
 * or "tomorrow" (the start of that day, or at "HH:MM" given after it:
 * "tomorrow 20:00"). 0 and *out, or -1 when s is none of these (the
 * caller then tries its other forms: "+7d", "2026-12-12 20:00").
 */
int	 time_parse_when(const char *s, time_t now, time_t *out);
/* Monotonic milliseconds. */
uint64_t time_mono_ms(void);
/* Monotonic microseconds. */
uint64_t time_mono_us(void);

#endif
