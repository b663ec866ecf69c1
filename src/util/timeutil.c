/*
 * timeutil.c -- RFC 3339 timestamps and clocks.
 */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "timeutil.h"
#include "xmalloc.h"

/*
 * The zone: its name as set, the TZ value that makes the C library use it
 * (NULL: the TZ the process started with), and whether TZ must be set
 * again before the next conversion. All under zone_lock.
 */
static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;
static char zone_name[TIME_ZONE_LEN];
static char zone_tz[TIME_ZONE_LEN + 16];
static int zone_dirty;
static int zone_saved;			/* the process's own TZ was kept */
static char *zone_orig;			/* ... its value, NULL when unset */

void
time_format_rfc3339(time_t t, char *out)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
time_format_export(time_t t, char *out)
{
	struct tm tm;
	long off;
	char sign;

	/* The store's zone under its lock (time_zone_set), never the machine's. */
	time_local(t, &tm);
	off = time_utc_offset(t);
	sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(out, TIME_EXPORT_LEN, "%04d-%02d-%02d %02d:%02d:%02d %c%02ld:%02ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    sign, off / 3600 % 100, off / 60 % 60);
}

/* Days since the epoch for a proleptic Gregorian date (civil_from_days inverse). */
static long long
days_from_civil(int y, unsigned m, unsigned d)
{
	unsigned yoe, doy, doe;
	int era;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (long long)era * 146097 + (long long)doe - 719468;
}

static int
parse_digits(const char **pp, int n, int *out)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)**pp))
			return -1;
		v = v * 10 + (**pp - '0');
		(*pp)++;
	}
	*out = v;
	return 0;
}

int
time_parse_rfc3339(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh, om, sign;
	const char *p = s;
	long long t;

	if (parse_digits(&p, 4, &y) || *p++ != '-' || parse_digits(&p, 2, &mo) ||
	    *p++ != '-' || parse_digits(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (parse_digits(&p, 2, &h) || *p++ != ':' ||
		    parse_digits(&p, 2, &mi) || *p++ != ':' ||
		    parse_digits(&p, 2, &se))
			return -1;
		if (*p == '.') {
			p++;
			if (!isdigit((unsigned char)*p))
				return -1;
			while (isdigit((unsigned char)*p))
				p++;
		}
	} else
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL + h * 3600 + mi * 60 + se;
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '+' ? 1 : -1;
		if (parse_digits(&p, 2, &oh) || *p++ != ':' || parse_digits(&p, 2, &om))
			return -1;
		t -= sign * (oh * 3600 + om * 60);
	} else
		return -1;
	if (*p != '\0')
		return -1;
	*out = (time_t)t;
	return 0;
}

long long
time_quarter(time_t t)
{
	return t >= 0 ? (long long)t / 900 : -((-(long long)t + 899) / 900);
}

long long
time_quarter_of(const char *s)
{
	const char *p = s;
	int y, mo, d, h, mi;
	time_t t;

	if (time_parse_rfc3339(s, &t) == 0)
		return time_quarter(t);
	if (parse_digits(&p, 4, &y) || *p++ != '-' || parse_digits(&p, 2, &mo) ||
	    *p++ != '-' || parse_digits(&p, 2, &d) || (*p != 'T' && *p != 't' &&
	    *p != ' ') || (p++, parse_digits(&p, 2, &h)) || *p++ != ':' ||
	    parse_digits(&p, 2, &mi) || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59)
		return 0;
	return days_from_civil(y, (unsigned)mo, (unsigned)d) * 96 + h * 4 + mi / 15;
}

/*
 * A fixed offset ("+08:00", "-05", "UTC+8", "GMT-5:30") as a POSIX TZ value,
 * whose sign is the other way round ("<+0800>-08:00"). 0, or -1.
 */
static int
zone_fixed(const char *s, char *tz, size_t n)
{
	int sign, h = 0, m = 0;
	const char *p = s;

	if (strncmp(p, "UTC", 3) == 0 || strncmp(p, "GMT", 3) == 0)
		p += 3;
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '+' ? 1 : -1;
	if (!isdigit((unsigned char)*p))
		return -1;
	h = *p++ - '0';
	if (isdigit((unsigned char)*p))
		h = h * 10 + (*p++ - '0');
	if (*p == ':') {
		p++;
		if (parse_digits(&p, 2, &m) != 0)
			return -1;
	}
	if (*p != '\0' || h > 14 || m > 59 || (m % 15) != 0)
		return -1;
	snprintf(tz, n, "<%c%02d%02d>%c%02d:%02d", sign > 0 ? '+' : '-', h, m,
	    sign > 0 ? '-' : '+', h, m);
	return 0;
}

/* Whether name is a zone of the tz database on this machine. */
static int
zone_known(const char *name)
{
	const char *dir = getenv("TZDIR");
	struct stat sb;
	char path[512];
	const char *p;

	if (name[0] == '/' || strstr(name, "..") != NULL)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
			return 0;
	snprintf(path, sizeof path, "%s/%s", dir != NULL && *dir != '\0' ? dir :
	    "/usr/share/zoneinfo", name);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void zone_enter(void);

/* The TZ value for name into tz[n]. 0, or -1 with *cause. */
static int
zone_resolve(const char *name, char *tz, size_t n, char **cause)
{
	if (strlen(name) >= TIME_ZONE_LEN) {
		*cause = xasprintf("time zone '%.20s...' is too long", name);
		return -1;
	}
	tz[0] = '\0';
	if (*name == '\0')
		;
	else if (strcmp(name, "UTC") == 0 || strcmp(name, "Z") == 0 ||
	    strcmp(name, "Etc/UTC") == 0 || strcmp(name, "GMT") == 0)
		snprintf(tz, n, "UTC0");
	else if (zone_fixed(name, tz, n) == 0)
		;
	else if (zone_known(name))
		snprintf(tz, n, "%s", name);
	else {
		*cause = xasprintf("unknown time zone '%s': give a tz database name"
		    " (Asia/Shanghai), UTC, or an offset (+08:00)", name);
		return -1;
	}
	return 0;
}

int
time_zone_check(const char *name, char **cause)
{
	char tz[TIME_ZONE_LEN + 16];

	return zone_resolve(name, tz, sizeof tz, cause);
}

int
time_zone_set(const char *name, char **cause)
{
	char tz[sizeof zone_tz];

	if (name == NULL)
		name = "";
	if (zone_resolve(name, tz, sizeof tz, cause) != 0)
		return -1;
	pthread_mutex_lock(&zone_lock);
	if (strcmp(zone_name, name) != 0 || !zone_saved) {
		if (!zone_saved) {
			zone_orig = getenv("TZ") != NULL ? xstrdup(getenv("TZ")) : NULL;
			zone_saved = 1;
		}
		snprintf(zone_name, sizeof zone_name, "%s", name);
		snprintf(zone_tz, sizeof zone_tz, "%s", tz);
		zone_dirty = 1;
	}
	pthread_mutex_unlock(&zone_lock);
	/*
	 * TZ is written now, by the caller: at start that is before any other
	 * thread runs (the CLI, the console before its sync thread, the store
	 * before it listens). A zone that changes later (a sync brought the
	 * store's) is written under the lock every conversion here takes.
	 */
	zone_enter();
	pthread_mutex_unlock(&zone_lock);
	return 0;
}

const char *
time_zone_name(void)
{
	return zone_name;
}

/* Take the lock and make TZ the zone's. */
static void
zone_enter(void)
{
	pthread_mutex_lock(&zone_lock);
	if (!zone_dirty)
		return;
	if (zone_tz[0] != '\0')
		setenv("TZ", zone_tz, 1);
	else if (zone_orig != NULL)
		setenv("TZ", zone_orig, 1);
	else
		unsetenv("TZ");
	tzset();
	zone_dirty = 0;
}

void
time_local(time_t t, struct tm *tm)
{
	zone_enter();
	localtime_r(&t, tm);
	pthread_mutex_unlock(&zone_lock);
}

time_t
time_from_local(struct tm *tm)
{
	time_t t;

	zone_enter();
	t = mktime(tm);
	pthread_mutex_unlock(&zone_lock);
	return t;
}

long
time_utc_offset(time_t t)
{
	struct tm tm;

	time_local(t, &tm);
	return (long)(days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
	    (unsigned)tm.tm_mday) * 86400LL + tm.tm_hour * 3600 + tm.tm_min * 60 +
	    tm.tm_sec - (long long)t);
}

time_t
time_day_start(time_t t, int days)
{
	struct tm tm;

	time_local(t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	return time_from_local(&tm);
}

void
time_format_local(time_t t, const char *fmt, char *out, size_t n)
{
	struct tm tm;

	time_local(t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(out, n, fmt, &tm) == 0 && n > 0)
#pragma GCC diagnostic pop
		out[0] = '\0';
}

void
time_format_brief(time_t t, time_t now, char *out, size_t n)
{
	long long d = (long long)now - (long long)t;

	if (d < 0)
		d = -d;
	time_format_local(t, d < 182LL * 86400 ? "%m-%d %H:%M" : "%Y-%m-%d", out, n);
}

void
time_format_rfc3339_local(time_t t, char *out)
{
	long off = time_utc_offset(t), a = off < 0 ? -off : off;
	char b[20];

	time_format_local(t, "%Y-%m-%dT%H:%M:%S", b, sizeof b);
	snprintf(out, TIME_LOCAL_LEN, "%s%c%02ld:%02ld", b, off < 0 ? '-' : '+', a / 3600,
	    a / 60 % 60);
}

/* "HH:MM" or "HH:MM:SS" at *pp into h, mi, se; 0 or -1. */
static int
parse_clock(const char **pp, int *h, int *mi, int *se)
{
	*se = 0;
	if (parse_digits(pp, 2, h) || *(*pp)++ != ':' || parse_digits(pp, 2, mi))
		return -1;
	if (**pp == ':' && ((*pp)++, parse_digits(pp, 2, se)))
		return -1;
	return *h > 23 || *mi > 59 || *se > 59 ? -1 : 0;
}

/* The local time y-mo-d h:mi:se in the zone; -1 when it is not a date. */
static int
local_time(int y, int mo, int d, int h, int mi, int se, time_t *out)
{
	struct tm tm;

	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	tm.tm_isdst = -1;
	*out = time_from_local(&tm);
	/* mktime() moves 2026-02-31 to March: a date that is not one is refused. */
	return tm.tm_mday == d && tm.tm_mon == mo - 1 ? 0 : -1;
}

int
time_parse_user(const char *s, time_t now, time_t *out)
{
	static const char *const words[] = { "yesterday", "today", "tomorrow" };
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, se = 0;
	const char *p = s;
	size_t i, n;
	char *end;
	long long k;

	if (strcasecmp(s, "now") == 0) {
		*out = now;
		return 0;
	}
	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		n = strlen(words[i]);
		if (strncasecmp(s, words[i], n) != 0 || (s[n] != '\0' && s[n] != ' '))
			continue;
		*out = time_day_start(now, (int)i - 1);
		if (s[n] == '\0')
			return 0;
		p = s + n + 1;
		if (parse_clock(&p, &h, &mi, &se) != 0 || *p != '\0')
			return -1;
		time_local(*out, &tm);
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = se;
		tm.tm_isdst = -1;
		*out = time_from_local(&tm);
		return 0;
	}
	if ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1])) {
		errno = 0;
		k = strtoll(s + 1, &end, 10);
		if (errno != 0 || end[0] == '\0' || end[1] != '\0' || strchr("smhd", *end) == NULL ||
		    k > 100000000 || (*end == 'd' && k > 100000))
			return -1;
		if (*end != 'd') {
			k *= *end == 's' ? 1 : *end == 'm' ? 60 : 3600;
			*out = now + (time_t)(s[0] == '-' ? -k : k);
			return 0;
		}
		/* Days are calendar days: the same wall-clock time, whatever the zone's shifts. */
		time_local(now, &tm);
		tm.tm_mday += (int)(s[0] == '-' ? -k : k);
		tm.tm_isdst = -1;
		*out = time_from_local(&tm);
		return 0;
	}
	if (parse_digits(&p, 4, &y) || *p++ != '-' || parse_digits(&p, 2, &mo) ||
	    *p++ != '-' || parse_digits(&p, 2, &d))
		return -1;
	if (*p == '\0')
		return local_time(y, mo, d, 0, 0, 0, out);
	if ((*p != ' ' && *p != 'T' && *p != 't') || (p++, parse_clock(&p, &h, &mi, &se)))
		return -1;
	if (*p == '\0')
		return local_time(y, mo, d, h, mi, se, out);
	/* With its zone: "Z" or "+08:00" (with or without seconds). */
	{
		char canon[96];	/* room for any int: gcc checks the worst case */
		int oh, om;
		char sign = *p;

		if (*p == '.')
			return time_parse_rfc3339(s, out);	/* a fraction of a second */
		if (*p == 'Z' || *p == 'z') {
			if (p[1] != '\0')
				return -1;
			snprintf(canon, sizeof canon, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h,
			    mi, se);
		} else if (*p == '+' || *p == '-') {
			p++;
			if (parse_digits(&p, 2, &oh) || *p++ != ':' || parse_digits(&p, 2, &om) ||
			    *p != '\0' || oh > 23 || om > 59)
				return -1;
			snprintf(canon, sizeof canon, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo,
			    d, h, mi, se, sign, oh, om);
		} else
			return -1;
		return time_parse_rfc3339(canon, out);
	}
}

uint64_t
time_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t
time_mono_ms(void)
{
	return time_mono_us() / 1000u;
}

static uint64_t
time_cpu_ms(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t
time_thread_cpu_ms(void)
{
	return time_cpu_ms(CLOCK_THREAD_CPUTIME_ID);
}

uint64_t
time_process_cpu_ms(void)
{
	return time_cpu_ms(CLOCK_PROCESS_CPUTIME_ID);
}
