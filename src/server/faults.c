/*
 * faults.c -- parse fault specs and draw per-request fault decisions.
 *
 * The active spec and its random number generator sit behind their own mutex,
 * so HTTP threads can draw decisions while the spec is replaced at run time.
 * The generator is splitmix64 seeded from the spec's seed (1 when none is
 * given): the same spec and the same order of requests give the same faults.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/faults.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define FAULTS_MAX_MS	60000	/* longest latency or jitter accepted */
#define FAULTS_MIN_BPS	1000ULL			/* slowest bandwidth: 1kbit */
#define FAULTS_MAX_BPS	100000000000ULL		/* fastest bandwidth: 100gbit */

struct faults {
	pthread_mutex_t		 lock;
	struct fault_spec	 spec;
	uint64_t		 rng;
};

/* Spec names of the faults with a rate, in normalised order. */
static const char *faults_names[FAULT__COUNT] = {
	[FAULT_NONE] = "none",
	[FAULT_5XX] = "5xx",
	[FAULT_429] = "429",
	[FAULT_DROP] = "drop",
	[FAULT_TRUNCATE] = "truncate",
	[FAULT_MALFORMED] = "malformed",
	[FAULT_HUGE] = "huge",
	[FAULT_HANG] = "hang",
	[FAULT_HEADERS] = "headers",
};

static uint64_t
faults_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform double in [0, 1). */
static double
faults_uniform(uint64_t *state)
{
	return (double)(faults_rand(state) >> 11) * (1.0 / 9007199254740992.0);
}

const char *
faults_kind_name(enum fault_kind k)
{
	return k < FAULT__COUNT ? faults_names[k] : "?";
}

/* "200ms", "1.5s" or "200" (milliseconds). */
static int
faults_parse_duration(const char *v, int *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || errno != 0 || !isfinite(d) || d < 0)
		return -1;
	if (strcmp(end, "s") == 0)
		d *= 1000;
	else if (*end != '\0' && strcmp(end, "ms") != 0)
		return -1;
	if (d > FAULTS_MAX_MS)
		return -1;
	*out = (int)(d + 0.5);
	return 0;
}

/* Bandwidth units, in bits per second; case does not matter. */
static const struct {
	const char	*name;
	uint64_t	 bps;
} faults_units[] = {
	{ "gbit", 1000000000ULL },
	{ "mbit", 1000000ULL },
	{ "kbit", 1000ULL },
	{ "bit", 1ULL },
};

/* "100mbit", "1.5mbit", "512kbit": bits per second, SI multiples. */
static int
faults_parse_bandwidth(const char *v, uint64_t *out)
{
	char *end;
	double d;
	size_t i;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || errno != 0 || !isfinite(d) || d <= 0)
		return -1;
	for (i = 0; i < sizeof faults_units / sizeof faults_units[0]; i++) {
		if (strcasecmp(end, faults_units[i].name) == 0)
			break;
	}
	if (i == sizeof faults_units / sizeof faults_units[0])
		return -1;
	d *= (double)faults_units[i].bps;
	if (d < (double)FAULTS_MIN_BPS || d > (double)FAULTS_MAX_BPS)
		return -1;
	*out = (uint64_t)(d + 0.5);
	return 0;
}

/* "0.05" or "5%". */
static int
faults_parse_rate(const char *v, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || errno != 0 || !isfinite(d))
		return -1;
	if (strcmp(end, "%") == 0)
		d /= 100;
	else if (*end != '\0')
		return -1;
	if (d < 0 || d > 1)
		return -1;
	*out = d;
	return 0;
}

static int
faults_parse_item(char *item, struct fault_spec *sp, char **cause)
{
	char *name = item, *v, *end;
	unsigned long long seed;
	int k;

	if ((v = strchr(item, '=')) == NULL) {
		*cause = xasprintf("bad fault item \"%s\": expected name=value", item);
		return -1;
	}
	*v++ = '\0';

	if (strcmp(name, "latency") == 0 || strcmp(name, "jitter") == 0) {
		if (faults_parse_duration(v, strcmp(name, "latency") == 0 ?
		    &sp->latency_ms : &sp->jitter_ms) != 0) {
			*cause = xasprintf("bad fault item \"%s=%s\": expected a "
			    "duration such as 200ms or 1.5s (at most 60s)", name, v);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "bandwidth") == 0) {
		if (faults_parse_bandwidth(v, &sp->bandwidth) != 0) {
			*cause = xasprintf("bad fault item \"bandwidth=%s\": expected a "
			    "rate in bits per second such as 100mbit, 10mbit or 512kbit "
			    "(from 1kbit to 100gbit)", v);
			return -1;
		}
		return 0;
	}
	if (strcmp(name, "seed") == 0) {
		errno = 0;
		seed = strtoull(v, &end, 10);
		if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0) {
			*cause = xasprintf("bad fault item \"seed=%s\": expected a "
			    "non-negative integer", v);
			return -1;
		}
		sp->seed = seed;
		sp->has_seed = 1;
		return 0;
	}
	for (k = FAULT_5XX; k < FAULT__COUNT; k++) {
		if (strcmp(name, faults_names[k]) != 0)
			continue;
		if (faults_parse_rate(v, &sp->rate[k]) != 0) {
			*cause = xasprintf("bad fault item \"%s=%s\": expected a rate "
			    "from 0 to 1 (or a percentage)", name, v);
			return -1;
		}
		return 0;
	}
	*cause = xasprintf("unknown fault \"%s\" (expected latency, jitter, bandwidth, "
	    "5xx, 429, drop, truncate, malformed or seed)", name);
	return -1;
}

int
faults_parse(const char *spec, struct fault_spec *out, char **cause)
{
	struct fault_spec sp;
	char *copy, *p, *item, *end;
	double sum = 0;
	int k, rc = 0;

	memset(&sp, 0, sizeof sp);
	sp.seed = 1;
	copy = xstrdup(spec != NULL ? spec : "");
	for (p = copy; rc == 0 && (item = strsep(&p, ",")) != NULL; ) {
		while (isspace((unsigned char)*item))
			item++;
		end = item + strlen(item);
		while (end > item && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*item == '\0' || strcmp(item, "none") == 0)
			continue;
		rc = faults_parse_item(item, &sp, cause);
	}
	free(copy);
	if (rc != 0)
		return -1;

	for (k = FAULT_5XX; k < FAULT__COUNT; k++)
		sum += sp.rate[k];
	if (sum > 1.0 + 1e-9) {
		*cause = xasprintf("fault rates add up to %g; they must not exceed 1",
		    sum);
		return -1;
	}
	*out = sp;
	return 0;
}

char *
faults_format(const struct fault_spec *sp)
{
	struct buf b;
	char *s;
	int k;

	buf_init(&b);
	if (sp->latency_ms != 0)
		buf_addf(&b, ",latency=%dms", sp->latency_ms);
	if (sp->jitter_ms != 0)
		buf_addf(&b, ",jitter=%dms", sp->jitter_ms);
	if (sp->bandwidth != 0) {
		for (k = 0; sp->bandwidth % faults_units[k].bps != 0; k++)
			;
		buf_addf(&b, ",bandwidth=%llu%s",
		    (unsigned long long)(sp->bandwidth / faults_units[k].bps),
		    faults_units[k].name);
	}
	for (k = FAULT_5XX; k < FAULT__COUNT; k++) {
		if (sp->rate[k] != 0)
			buf_addf(&b, ",%s=%g", faults_names[k], sp->rate[k]);
	}
	if (b.len != 0 && sp->has_seed)
		buf_addf(&b, ",seed=%llu", (unsigned long long)sp->seed);
	s = xstrdup(b.len == 0 ? "none" : b.data + 1);
	buf_done(&b);
	return s;
}

struct faults *
faults_new(void)
{
	struct faults *f = xcalloc(1, sizeof *f);

	if (pthread_mutex_init(&f->lock, NULL) != 0)
		fatal("faults: cannot initialise lock");
	f->spec.seed = 1;
	f->rng = 1;
	return f;
}

void
faults_free(struct faults **fp)
{
	if (fp == NULL || *fp == NULL)
		return;
	pthread_mutex_destroy(&(*fp)->lock);
	free(*fp);
	*fp = NULL;
}

int
faults_set(struct faults *f, const char *spec, char **cause)
{
	struct fault_spec sp;

	if (faults_parse(spec, &sp, cause) != 0)
		return -1;
	pthread_mutex_lock(&f->lock);
	f->spec = sp;
	f->rng = sp.seed;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

char *
faults_get(struct faults *f)
{
	struct fault_spec sp;

	pthread_mutex_lock(&f->lock);
	sp = f->spec;
	pthread_mutex_unlock(&f->lock);
	return faults_format(&sp);
}

void
faults_decide(struct faults *f, struct fault_decision *d)
{
	static const int statuses[] = { 503, 503, 500, 502 };
	double u, acc = 0;
	int k, delay;

	memset(d, 0, sizeof *d);
	d->kind = FAULT_NONE;
	pthread_mutex_lock(&f->lock);
	delay = f->spec.latency_ms;
	if (f->spec.jitter_ms > 0) {
		delay += (int)(faults_rand(&f->rng) %
		    (uint64_t)(2 * f->spec.jitter_ms + 1)) - f->spec.jitter_ms;
	}
	d->delay_ms = delay > 0 ? delay : 0;
	d->bandwidth = f->spec.bandwidth;

	u = faults_uniform(&f->rng);
	for (k = FAULT_5XX; k < FAULT__COUNT; k++) {
		acc += f->spec.rate[k];
		if (f->spec.rate[k] > 0 && u < acc) {
			d->kind = (enum fault_kind)k;
			break;
		}
	}
	if (d->kind == FAULT_5XX)
		d->status = statuses[faults_rand(&f->rng) % 4];
	pthread_mutex_unlock(&f->lock);
}
