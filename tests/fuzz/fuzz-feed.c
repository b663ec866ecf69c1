/*
 * fuzz-feed.c -- libFuzzer target: a change-feed page as the Store API
 * backend reads it (src/api-storeapi.c over src/util/jscan.c), and what it
 * accepts stored into an in-memory cache as a sync stores it, then read back
 * (the digest decodes every object).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cache.h"
#include "outbox.h"
#include "util/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct cache *cache;
static unsigned runs;

static void
fuzz_ingest(const struct change_page *pg)
{
	char *cause = NULL, hex[65];
	long count;
	size_t i;
	int rc = 0;

	if (cache_begin(cache, &cause) != 0) {
		fprintf(stderr, "fuzz-feed: begin: %s\n", cause);
		abort();
	}
	for (i = 0; rc == 0 && i < pg->n; i++) {
		const struct change *ch = &pg->changes[i];

		if (ch->deleted)
			rc = outbox_forget(cache, ch->kind, ch->id, &cause);
		else if (ch->text != NULL)
			rc = outbox_store_text(cache, ch->kind, ch->id, ch->text, ch->len, &cause);
		else
			rc = outbox_store(cache, ch->kind, ch->object, &cause);
	}
	if (rc == 0)
		rc = cache_commit(cache, &cause);
	if (rc != 0)
		cache_rollback(cache);
	free(cause);
	cause = NULL;
	if (cache_digest(cache, hex, &count, &cause) != 0)
		free(cause);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct change_page pg;
	char *body, *cause = NULL;

	/* A fresh cache now and then, so that it does not grow without end. */
	if (cache != NULL && ++runs % 2000 == 0)
		cache_close(&cache);
	if (cache == NULL && (cache = cache_open(":memory:", &cause)) == NULL) {
		fprintf(stderr, "fuzz-feed: %s\n", cause);
		abort();
	}
	body = xmalloc(size + 1);
	memcpy(body, data, size);
	body[size] = '\0';
	if (storeapi_parse_page(body, size, 0, &pg, &cause) == 0) {
		fuzz_ingest(&pg);
		change_page_done(&pg);
	}
	free(cause);
	return 0;
}
