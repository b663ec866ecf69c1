/*
 * bench-list.c -- lists of orders as the console and the CLI read them,
 * filtered and paged, timed in process (make bench builds it; run it by
 * hand against two builds' caches, alternating, to compare them).
 *
 *   bench-list CACHE ROUNDS LIMIT PAGES < LISTS
 *
 * LISTS has one line a list, "label|filter ..." with filters as words
 * "status=S" (a comma-separated list too), "customer=ID", "carrier=C",
 * "since=UNIX", "until=UNIX", "abnormal", "paid", "repeat", "old" (oldest
 * first). Each round reads each list's first page of LIMIT rows, then
 * PAGES - 1 more through the cursors (keyset), then counts it up to 10,000
 * as the console does (cache_query_count_max()). Prints a line each, "wall_us
 * cpu_us label what rows" (what: "first", "next" or "count"; rows: the
 * page's rows or the count), the wall clock and the thread's CPU time.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "cache-query.h"

#define BENCH_COUNT_MAX	10000

static long long
bench_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
bench_row(void *arg, const char *json)
{
	(*(int *)arg)++;
	return json == NULL;
}

/* Fill q from the filter words of s (modified); -1 on an unknown one. */
static int
bench_filters(char *s, struct query *q)
{
	char *w, *v;

	for (w = strtok(s, " "); w != NULL; w = strtok(NULL, " ")) {
		v = strchr(w, '=');
		if (v != NULL)
			*v++ = '\0';
		if (v != NULL && strcmp(w, "status") == 0)
			q->status = v;
		else if (v != NULL && strcmp(w, "customer") == 0)
			q->customer_id = v;
		else if (v != NULL && strcmp(w, "carrier") == 0)
			q->carrier = v;
		else if (v != NULL && strcmp(w, "since") == 0)
			q->since = (time_t)atoll(v);
		else if (v != NULL && strcmp(w, "until") == 0)
			q->until = (time_t)atoll(v);
		else if (v == NULL && strcmp(w, "abnormal") == 0)
			q->abnormal = 1;
		else if (v == NULL && strcmp(w, "paid") == 0)
			q->paid = 1;
		else if (v == NULL && strcmp(w, "repeat") == 0)
			q->repeat = 1;
		else if (v == NULL && strcmp(w, "old") == 0)
			q->sort = "old";
		else
			return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct cache *c;
	struct query q;
	char line[1024], *label, *filters, *next, *after, *cause = NULL;
	char *lines[256];
	long long w0, c0;
	long n;
	int nlines = 0, rounds, limit, pages, r, i, p, rows;

	if (argc != 5) {
		fprintf(stderr, "usage: bench-list CACHE ROUNDS LIMIT PAGES < LISTS\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	limit = atoi(argv[3]);
	pages = atoi(argv[4]);
	if ((c = cache_open(argv[1], &cause)) == NULL) {
		fprintf(stderr, "bench-list: %s\n", cause);
		return 1;
	}
	while (nlines < 256 && fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '\0' && line[0] != '#')
			lines[nlines++] = strdup(line);
	}
	for (r = 0; r < rounds; r++)
		for (i = 0; i < nlines; i++) {
			snprintf(line, sizeof line, "%s", lines[i]);
			label = line;
			if ((filters = strchr(line, '|')) == NULL)
				continue;
			*filters++ = '\0';
			memset(&q, 0, sizeof q);
			q.kind = KIND_ORDER;
			if (bench_filters(filters, &q) != 0) {
				fprintf(stderr, "bench-list: %s: unknown filter\n", label);
				continue;
			}
			q.limit = limit;
			after = NULL;
			for (p = 0; p < pages; p++) {
				q.after = after;
				rows = 0;
				next = NULL;
				w0 = bench_ns(CLOCK_MONOTONIC);
				c0 = bench_ns(CLOCK_THREAD_CPUTIME_ID);
				if (cache_query(c, &q, bench_row, &rows, &next, &cause) != 0) {
					fprintf(stderr, "bench-list: %s: %s\n", label, cause);
					free(cause);
					cause = NULL;
					break;
				}
				printf("%lld %lld %s %s %d\n", (bench_ns(CLOCK_MONOTONIC) - w0) /
				    1000, (bench_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / 1000, label,
				    p == 0 ? "first" : "next", rows);
				free(after);
				after = next;
				if (after == NULL)
					break;
			}
			free(after);
			q.after = NULL;
			w0 = bench_ns(CLOCK_MONOTONIC);
			c0 = bench_ns(CLOCK_THREAD_CPUTIME_ID);
			n = cache_query_count_max(c, &q, BENCH_COUNT_MAX, NULL, NULL, &cause);
			if (n < 0) {
				fprintf(stderr, "bench-list: %s: count: %s\n", label, cause);
				free(cause);
				cause = NULL;
				continue;
			}
			printf("%lld %lld %s count %ld\n", (bench_ns(CLOCK_MONOTONIC) - w0) / 1000,
			    (bench_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / 1000, label, n);
		}
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	cache_close(&c);
	return 0;
}
