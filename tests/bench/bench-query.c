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
 * BENCH_QUERY_KEYS set, each key's text and wall clock on stderr too; with
 * BENCH_QUERY_IDS=FILE, each key's text and its page's ids, a line a key
 * (the first round only; its times then include reading the ids), to
 * compare two builds' answers.
 *
 * The noun "find" is the go-to-anything prompt (the console's :find and
 * shopdesk find): the whole text at once, for each of the six kinds its
 * count up to 1000 (cache_query_count_max()) and its first 8 rows, one
 * line for the lot; with BENCH_QUERY_KEYS, each kind's count and the wall
 * clock of counting and listing on stderr.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cache.h"
#include "cache-query.h"

static long long
bench_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Where a page's ids go (BENCH_QUERY_IDS), NULL when not asked. */
static FILE *bench_ids;

static int
bench_row(void *arg, const char *json)
{
	cJSON *o;
	const cJSON *id;

	(*(int *)arg)++;
	if (bench_ids != NULL && json != NULL) {
		o = cJSON_Parse(json);
		id = cJSON_GetObjectItemCaseSensitive(o, "id");
		fprintf(bench_ids, " %s", cJSON_IsString(id) ? id->valuestring : "?");
		cJSON_Delete(o);
	}
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

/* What the go-to-anything prompt searches, in its order (ui/find.c). */
static const enum sd_kind find_kinds[] = {
	KIND_ORDER, KIND_TICKET, KIND_CONVERSATION, KIND_CUSTOMER, KIND_SKU,
	KIND_PROMOTION
};
#define FIND_COUNT_MAX	1000
#define FIND_PER_KIND	8

/* Find text in every kind as find_open() does; -1 on error (in *cause). */
static int
bench_find(struct cache *c, const char *text, int keys, char **cause)
{
	struct query q;
	char *next;
	long long w0, w1;
	long total;
	size_t i;
	int rows;

	for (i = 0; i < sizeof find_kinds / sizeof find_kinds[0]; i++) {
		memset(&q, 0, sizeof q);
		q.kind = find_kinds[i];
		q.text = text;
		q.limit = FIND_PER_KIND;
		w0 = bench_ns(CLOCK_MONOTONIC);
		if ((total = cache_query_count_max(c, &q, FIND_COUNT_MAX, NULL, NULL,
		    cause)) < 0)
			return -1;
		w1 = bench_ns(CLOCK_MONOTONIC);
		rows = 0;
		next = NULL;
		if (bench_ids != NULL)
			fprintf(bench_ids, " [%ld]", total);
		if (total > 0 && cache_query(c, &q, bench_row, &rows, &next, cause) != 0)
			return -1;
		free(next);
		if (keys)
			fprintf(stderr, "  find %s: %ld, counted in %lld us, listed in %lld us\n",
			    kind_info(q.kind)->path, total, (w1 - w0) / 1000,
			    (bench_ns(CLOCK_MONOTONIC) - w1) / 1000);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct cache *c;
	struct query q;
	char line[1024], prefix[1024], *noun, *label, *text, *next, *cause = NULL;
	char *lines[256];
	const char *ids = getenv("BENCH_QUERY_IDS");
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
	if (ids != NULL && (bench_ids = fopen(ids, "w")) == NULL) {
		perror(ids);
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
			if (noun != NULL && label != NULL && text != NULL &&
			    strcmp(noun, "find") == 0) {
				if (bench_ids != NULL)
					fprintf(bench_ids, "find|%s:", text);
				w0 = bench_ns(CLOCK_MONOTONIC);
				c0 = bench_ns(CLOCK_THREAD_CPUTIME_ID);
				n = bench_find(c, text, keys, &cause);
				printf("%lld %lld %s\n", (bench_ns(CLOCK_MONOTONIC) - w0) / 1000,
				    (bench_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / 1000, label);
				if (keys)
					fprintf(stderr, "%lld %s\n", (bench_ns(CLOCK_MONOTONIC) -
					    w0) / 1000, text);
				if (bench_ids != NULL)
					fputc('\n', bench_ids);
				if (n != 0) {
					fprintf(stderr, "bench-query: find %s: %s\n", text, cause);
					free(cause);
					cause = NULL;
				}
				goto next;
			}
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
				if (bench_ids != NULL)
					fprintf(bench_ids, "%s|%s:", noun, prefix);
				w0 = bench_ns(CLOCK_MONOTONIC);
				c0 = bench_ns(CLOCK_THREAD_CPUTIME_ID);
				n = cache_query(c, &q, bench_row, &rows, &next, &cause);
				printf("%lld %lld %s\n", (bench_ns(CLOCK_MONOTONIC) - w0) / 1000,
				    (bench_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / 1000, label);
				if (keys)
					fprintf(stderr, "%lld %s\n", (bench_ns(CLOCK_MONOTONIC) -
					    w0) / 1000, prefix);
				if (bench_ids != NULL)
					fprintf(bench_ids, " next=%s\n", next != NULL ? "yes" : "no");
				free(next);
				if (n != 0) {
					fprintf(stderr, "bench-query: %s: %s\n", prefix, cause);
					free(cause);
					cause = NULL;
				}
			}
next:
			if (bench_ids != NULL && r == 0 && i == nlines - 1) {
				fclose(bench_ids);
				bench_ids = NULL;
			}
		}
	if (bench_ids != NULL)
		fclose(bench_ids);
	for (i = 0; i < nlines; i++)
		free(lines[i]);
	cache_close(&c);
	return 0;
}
