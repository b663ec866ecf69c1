/*
 * fuzz-csv.c -- libFuzzer target: a CSV batch as "--from-csv FILE" reads it
 * (src/action-input.c: encoding detection and GB18030, libcsv records, the
 * header's names in English and Chinese, every line's values checked) and a
 * canned-reply import, against an empty in-memory cache. The first byte
 * chooses the action.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "cache.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const fuzz_actions[][2] = {
	{ "orders", "ship" },
	{ "orders", "note" },
	{ "stock", "adjust" },
	{ "tickets", "approve" },
};
#define FUZZ_NACTIONS (sizeof fuzz_actions / sizeof fuzz_actions[0])

static struct cache *cache;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct action_def *d;
	struct action_batch b;
	size_t which, unchanged;
	char *cause = NULL;

	if (size < 1)
		return 0;
	if (cache == NULL && (cache = cache_open(":memory:", &cause)) == NULL) {
		fprintf(stderr, "fuzz-csv: %s\n", cause);
		abort();
	}
	memset(&b, 0, sizeof b);
	which = data[0] % (FUZZ_NACTIONS + 1);
	if (which == FUZZ_NACTIONS)
		(void)action_canned_import(cache, (const char *)data + 1, size - 1,
		    1763625600, &b, &unchanged, &cause);
	else {
		if ((d = action_find(fuzz_actions[which][0], fuzz_actions[which][1])) == NULL)
			abort();
		(void)action_batch_load(cache, d, (const char *)data + 1, size - 1,
		    1763625600, &b, &cause);
	}
	action_batch_done(&b);
	free(cause);
	return 0;
}
