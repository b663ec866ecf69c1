/*
 * bench-query.c -- a search typed a key at a time, timed in process (make
 * bench; tests/bench/bench-search.sh runs it, built from this tree and
 * against a baseline's libsdcore.a).
 *
 *   bench-query CACHE ROUNDS LIMIT < QUERIES
 *
 * QUERIES has one line a query, "noun|label|text" as bench-search.sh
 * writes them. Each round types every query into a list of its kind as the
 * console's / does: at each key (a character, by UTF-8 sequence) the first
 * page of LIMIT rows of the list for the text so far (cache_query(), what
 * the list fetches before it draws; its count comes after, when the keys
 * pause, and a key stops it). Prints a line a key, "wall_us cpu_us label":
 * the wall clock and the thread's CPU time the page took. With
 * BENCH_QUERY_KEYS set, each key's text and wall clock on stderr too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cache.h"
#include "cache-query.h"

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

static int
bench_kind(const char *noun, enum sd_kind *k)
{
	static const struct {
		const char	*noun;
		enum sd_kind	 kind;
	} nouns[] = {
		{ "orders", KIND_ORDER }, { "tickets", KIND_TICKET },
		{ "chats", KIND_CONVERSATION }, { "customers", KIND_CUSTOMER },
		{ "stock", KIND_SKU }, { "promotions", KIND_PROMOTION },
	};
	size_t i;

	for (i = 0; i < sizeof nouns / sizeof nouns[0]; i++)
		if (strcmp(noun, nouns[i].noun) == 0) {
			*k = nouns[i].kind;
			return 0;
		}
	return -1;
}

int
main(int argc, char **argv)
{
	struct cache *c;
	struct query q;
	char line[1024], prefix[1024], *noun, *label, *text, *next, *cause = NULL;
	char *lines[256];
	long long w0, c0;
	int nlines = 0, rounds, limit, r, i, n, rows, keys = getenv("BENCH_QUERY_KEYS") != NULL;
	size_t at;

	if (argc != 4) {
		fprintf(stderr, "usage: bench-query CACHE ROUNDS LIMIT < QUERIES\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	limit = atoi(argv[3]);
	if ((c = cache_open(argv[1], &cause)) == NULL) {
		fprintf(stderr, "bench-query: %s\n", cause);
		return 1;
	}
	while (nlines < 256 && fgets(line, sizeof line, stdin) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		lines[nlines++] = strdup(line);
	}
	for (r = 0; r < rounds; r++)
		for (i = 0; i < nlines; i++) {
			snprintf(line, sizeof line, "%s", lines[i]);
			noun = strtok(line, "|");
			label = strtok(NULL, "|");
			text = strtok(NULL, "");
			memset(&q, 0, sizeof q);
			if (noun == NULL || label == NULL || text == NULL ||
			    bench_kind(noun, &q.kind) != 0)
				continue;
			for (at = 1; at <= strlen(text); at++) {
				if (((unsigned char)text[at] & 0xc0) == 0x80)
					continue;	/* within a character */
				memcpy(prefix, text, at);
				prefix[at] = '\0';
				q.text = prefix;
				q.limit = limit;
				rows = 0;
				next = NULL;
				w0 = bench_ns(CLOCK_MONOTONIC);
				c0 = bench_ns(CLOCK_THREAD_CPUTIME_ID);
				n = cache_query(c, &q, bench_row, &rows, &next, &cause);
				printf("%lld %lld %s\n", (bench_ns(CLOCK_MONOTONIC) - w0) / 1000,
				    (bench_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / 1000, label);
				if (keys)
					fprintf(stderr, "%lld %s\n", (bench_ns(CLOCK_MONOTONIC) -
					    w0) / 1000, prefix);
				free(next);
				if (n != 0) {
					fprintf(stderr, "bench-query: %s: %s\n", prefix, cause);
					free(cause);
					cause = NULL;
				}
			}
		}
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	cache_close(&c);
	return 0;
}
