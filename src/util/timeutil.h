/*
 * timeutil.h -- RFC 3339 timestamps and clocks.
 */
#ifndef SD_TIMEUTIL_H
#define SD_TIMEUTIL_H

#include <stddef.h>
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
 * Quarter hours since the epoch: of t (rounded down), and of an RFC 3339
 * time s (time_parse_rfc3339(); failing that, its first 16 characters,
 * "2026-11-20T08:47" or with a space for the T, as UTC; else 0).
 */
long long time_quarter(time_t t);
long long time_quarter_of(const char *s);
/*
 * The store's clock. Every local day, day boundary and displayed time is
 * the store's time zone (GET /v1/store, cached by sync; a profile's
 * "timezone" overrides), not the machine's: a merchant in Beijing and the
 * CLI on a UTC server agree on what "today" is. The zone is applied to the
 * C library's TZ once, under a lock that every conversion here takes, so no
 * thread reads TZ while another changes it; code outside this file never
 * calls localtime_r() or mktime().
 */
#define TIME_ZONE_LEN	64

/*
 * Set the zone: an IANA name ("Asia/Shanghai", found in the tz database),
 * "UTC", or a fixed offset ("+08:00", "-05:00", "UTC+8"). NULL or "" keeps
 * the machine's zone. 0, or -1 with *cause saying what is accepted.
 */
int	 time_zone_set(const char *name, char **cause);
/* Whether name would do for time_zone_set(): 0, or -1 with *cause. */
int	 time_zone_check(const char *name, char **cause);
/* The zone's name as set ("" for the machine's own). */
const char *time_zone_name(void);
/* t as a local broken-down time in the zone. */
void	 time_local(time_t t, struct tm *tm);
/* A local broken-down time (normalised: tm_mday may be out of range) as t. */
time_t	 time_from_local(struct tm *tm);
/* Seconds east of UTC at t in the zone (28800 in Beijing). */
long	 time_utc_offset(time_t t);
/* The local midnight that starts the day of t, moved by days (-1: yesterday). */
time_t	 time_day_start(time_t t, int days);
/* strftime() of t in the zone into out[n]; "" when it does not fit. */
void	 time_format_local(time_t t, const char *fmt, char *out, size_t n);
/*
 * A time in a list or a timeline, as ls(1) dates a file: "12-07 15:38" within
 * half a year of now, "2025-03-14" beyond (a month and day alone would be
 * read as this year's). Fits 11 columns.
 */
void	 time_format_brief(time_t t, time_t now, char *out, size_t n);
/* "2026-12-07T08:15:00+08:00": RFC 3339 with the zone's offset, out[TIME_LOCAL_LEN]. */
#define TIME_LOCAL_LEN	26
void	 time_format_rfc3339_local(time_t t, char *out);

/*
 * Parse a date or time a person types, the one parser for every date option,
 * prompt and form field, in the store's zone (time_zone_set): "now";
 * "today", "yesterday", "tomorrow" (their local midnight) or at a time
 * ("tomorrow 20:00"); "+7d" / "-30d" (calendar days from now), "+2h",
 * "+30m", "+90s"; "YYYY-MM-DD" (local midnight); "YYYY-MM-DD HH:MM[:SS]"
 * or with a "T" (local); or an RFC 3339 time with its zone ("Z", "+08:00").
 * 0, or -1.
 */
int	 time_parse_user(const char *s, time_t now, time_t *out);
/* Monotonic milliseconds. */
uint64_t time_mono_ms(void);
/* Monotonic microseconds. */
uint64_t time_mono_us(void);
/* The calling thread's CPU time (user + system), milliseconds. */
uint64_t time_thread_cpu_ms(void);
/* The process's CPU time (user + system, every thread), milliseconds. */
uint64_t time_process_cpu_ms(void);

#endif
