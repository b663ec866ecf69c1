/*
 * timeutil.c -- RFC 3339 timestamps and clocks.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "timeutil.h"

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

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff;
	sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(out, TIME_EXPORT_LEN, "%04d-%02d-%02d %02d:%02d:%02d %c%02ld:%02ld",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    sign, off / 3600 % 100, off / 60 % 60);
}

int
time_parse_when(const char *s, time_t now, time_t *out)
{
	static const struct { const char *word; int days; } words[] = {
		{ "today", 0 }, { "tomorrow", 1 }, { "now", -1 },
	};
	struct tm tm;
	size_t i, n;
	int h = 0, m = 0, len = 0;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		n = strlen(words[i].word);
		if (strncasecmp(s, words[i].word, n) == 0 &&
		    (s[n] == '\0' || (s[n] == ' ' && words[i].days >= 0)))
			break;
	}
	if (i == sizeof words / sizeof words[0])
		return -1;
	if (words[i].days < 0) {
		*out = now;
		return 0;
	}
	s += n;
	if (*s == ' ' && (sscanf(s, " %2d:%2d%n", &h, &m, &len) != 2 || s[len] != '\0' ||
	    h > 23 || m > 59 || h < 0 || m < 0))
		return -1;
	localtime_r(&now, &tm);
	tm.tm_mday += words[i].days;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	if ((*out = mktime(&tm)) == (time_t)-1)
		return -1;
	return 0;
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

int
time_parse_user(const char *s, time_t now, time_t *out)
{
	int y, mo, d;
	const char *p = s;
	char *end;
	long n;

	if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
		*out = now - now % 86400 - (s[0] == 'y' ? 86400 : 0);
		return 0;
	}
	if (s[0] == '-' && isdigit((unsigned char)s[1])) {
		n = strtol(s + 1, &end, 10);
		if (strcmp(end, "d") != 0 || n > 100000)
			return -1;
		*out = now - n * 86400;
		return 0;
	}
	if (strlen(s) == 10) {
		if (parse_digits(&p, 4, &y) || *p++ != '-' || parse_digits(&p, 2, &mo) ||
		    *p++ != '-' || parse_digits(&p, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
			return -1;
		*out = (time_t)(days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL);
		return 0;
	}
	return time_parse_rfc3339(s, out);
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
