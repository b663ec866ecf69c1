/*
 * cache-pack.h -- the stored JSON of objects, compressed against a
 * dictionary of their kind (zstd). Private to the cache (cache.c,
 * cache-query.c); the rest of shopdesk sees JSON text only.
 */
#ifndef SHOPDESK_CACHE_PACK_H
#define SHOPDESK_CACHE_PACK_H

#include <stddef.h>

#include <sqlite3.h>

#include "cache.h"

struct pack;

struct pack *pack_open(sqlite3 *);
void	 pack_close(struct pack *);
/*
 * Make kind k's dictionary from n sample objects (JSON texts) unless it has
 * one, and keep it in the table pack_dicts, in a transaction of its own:
 * never inside the caller's (0 without doing anything then). A dictionary
 * is never changed once made, so rows compressed against it stay readable
 * by every process. 0, or -1 with *cause.
 */
int	 pack_learn(struct pack *, enum sd_kind, const char *const *texts,
	    const size_t *lens, size_t n, char **cause);
/* Whether kind k could still learn a dictionary (has none yet). */
int	 pack_wants(struct pack *, enum sd_kind);
/*
 * text compressed against k's dictionary: a buffer the caller frees, *outlen
 * its size; NULL when k has none (the text is stored as it is).
 */
void	*pack_squeeze(struct pack *, enum sd_kind, const char *text, size_t len,
	    size_t *outlen);
/*
 * A stored blob as its JSON text, into out (reset first, NUL-terminated):
 * 0, or -1 when it cannot be read (no dictionary, corrupt).
 */
struct buf;
/*
 * Compressing on another thread: a squeezer of its own, given the writer's
 * dictionaries by pack_share() (on the writer's thread; those it has
 * already loaded or can, again after one is learnt). pack_squeeze_with():
 * text compressed into out (reset first), 0; or -1 when k's dictionary is
 * not shared yet or nothing is gained.
 */
struct pack_squeezer;
struct pack_squeezer *pack_squeezer_new(void);
void	 pack_squeezer_free(struct pack_squeezer *);
void	 pack_share(struct pack *, struct pack_squeezer *);
int	 pack_squeeze_with(struct pack_squeezer *, enum sd_kind, const char *text, size_t len,
	    struct buf *out);
int	 pack_expand(struct pack *, enum sd_kind, const void *blob, size_t len, struct buf *out);
/* Look again for dictionaries made by other processes (a transaction begins). */
void	 pack_recheck(struct pack *);

#endif
