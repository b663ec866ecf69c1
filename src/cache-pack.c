/*
 * cache-pack.c -- the stored JSON of objects, compressed.
 *
 * An order's JSON is 1 to 2 kB, most of it keys and values that every
 * order repeats: compressed alone it halves, against a dictionary of other
 * orders it shrinks to a fifth. The dictionary is zstd "raw content": the
 * sample objects themselves, no training. Each kind's is made once, from
 * the objects of the first sync page that brings at least CACHE_LEARN_MIN
 * of them, kept in pack_dicts and never changed, so that what one process
 * compressed every other can read. A row's json column holds the text as
 * it was (TEXT: rows stored before the kind had a dictionary, kinds with
 * few objects) or a zstd frame (BLOB); readers tell them apart by type.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "cache-pack.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define PACK_LEVEL	1		/* zstd level: 3 gains 3% for three times the memory */
#define PACK_DICT_MAX	(96 * 1024)	/* bytes of samples a dictionary holds */

enum pack_state { PACK_UNKNOWN, PACK_NONE, PACK_READY };

struct pack {
	sqlite3		*db;
	ZSTD_CCtx	*cctx;
	ZSTD_DCtx	*dctx;
	struct {
		enum pack_state	 state;
		ZSTD_CDict	*cdict;
		ZSTD_DDict	*ddict;
	} k[KIND__COUNT];
};

struct pack *
pack_open(sqlite3 *db)
{
	struct pack *p = xcalloc(1, sizeof *p);

	p->db = db;
	if ((p->cctx = ZSTD_createCCtx()) == NULL || (p->dctx = ZSTD_createDCtx()) == NULL)
		fatal("zstd: out of memory");
	return p;
}

void
pack_close(struct pack *p)
{
	int k;

	if (p == NULL)
		return;
	for (k = 0; k < KIND__COUNT; k++) {
		ZSTD_freeCDict(p->k[k].cdict);
		ZSTD_freeDDict(p->k[k].ddict);
	}
	ZSTD_freeCCtx(p->cctx);
	ZSTD_freeDCtx(p->dctx);
	free(p);
}

/*
 * Read k's dictionary from the table and make what compress (writer, 1)
 * or expand (0) need: 0, or -1 when it has none.
 */
static int
pack_read(struct pack *p, enum sd_kind k, int writer)
{
	sqlite3_stmt *stmt;
	const void *dict;
	size_t len;
	int rc = -1;

	if (sqlite3_prepare_v2(p->db, "SELECT dict FROM pack_dicts WHERE kind = ?1", -1,
	    &stmt, NULL) != SQLITE_OK)
		return -1;	/* a cache from before the table: plain text */
	sqlite3_bind_int(stmt, 1, (int)k);
	if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) > 0) {
		dict = sqlite3_column_blob(stmt, 0);
		len = (size_t)sqlite3_column_bytes(stmt, 0);
		if (writer)
			p->k[k].cdict = ZSTD_createCDict(dict, len, PACK_LEVEL);
		else
			p->k[k].ddict = ZSTD_createDDict(dict, len);
		if (writer ? p->k[k].cdict == NULL : p->k[k].ddict == NULL)
			fatal("zstd: cannot load a dictionary");
		rc = 0;
	}
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Whether k has a dictionary (its state after looking). Readers load only
 * what expands; what compresses, five times larger, is made on the first
 * write (pack_squeeze).
 */
static enum pack_state
pack_load(struct pack *p, enum sd_kind k)
{
	if (p->k[k].state != PACK_UNKNOWN)
		return p->k[k].state;
	p->k[k].state = p->k[k].ddict != NULL || pack_read(p, k, 0) == 0 ? PACK_READY :
	    PACK_NONE;
	return p->k[k].state;
}

void
pack_recheck(struct pack *p)
{
	int k;

	for (k = 0; k < KIND__COUNT; k++)
		if (p->k[k].state == PACK_NONE)
			p->k[k].state = PACK_UNKNOWN;
}

int
pack_wants(struct pack *p, enum sd_kind k)
{
	return pack_load(p, k) != PACK_READY;
}

int
pack_learn(struct pack *p, enum sd_kind k, const char *const *texts, const size_t *lens,
    size_t n, char **cause)
{
	sqlite3_stmt *stmt;
	struct buf dict;
	size_t i, total;
	int rc;

	if (n < CACHE_LEARN_MIN || sqlite3_get_autocommit(p->db) == 0)
		return 0;
	p->k[k].state = PACK_UNKNOWN;	/* another process may have made it */
	if (pack_load(p, k) == PACK_READY)
		return 0;
	/* The samples, most recent last: zstd finds the nearest matches first. */
	buf_init(&dict);
	for (i = n, total = 0; i > 0 && total + lens[i - 1] <= PACK_DICT_MAX; i--)
		total += lens[i - 1];
	for (; i < n; i++)
		buf_add(&dict, texts[i], lens[i]);
	if (dict.len == 0) {
		buf_done(&dict);
		return 0;
	}
	/* INSERT OR IGNORE: if another process won, its dictionary is the one. */
	rc = sqlite3_prepare_v2(p->db, "INSERT OR IGNORE INTO pack_dicts (kind, dict)"
	    " VALUES (?1, ?2)", -1, &stmt, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int(stmt, 1, (int)k);
		sqlite3_bind_blob(stmt, 2, dict.data, (int)dict.len, SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
	}
	buf_done(&dict);
	if (rc != SQLITE_DONE) {
		*cause = xasprintf("cache: cannot keep a compression dictionary: %s",
		    sqlite3_errmsg(p->db));
		return -1;
	}
	p->k[k].state = PACK_UNKNOWN;
	pack_load(p, k);
	return 0;
}

void *
pack_squeeze(struct pack *p, enum sd_kind k, const char *text, size_t len, size_t *outlen)
{
	size_t cap, n;
	void *out;

	if (pack_load(p, k) != PACK_READY ||
	    (p->k[k].cdict == NULL && pack_read(p, k, 1) != 0))
		return NULL;
	cap = ZSTD_compressBound(len);
	out = xmalloc(cap);
	n = ZSTD_compress_usingCDict(p->cctx, out, cap, text, len, p->k[k].cdict);
	if (ZSTD_isError(n) || n >= len) {
		free(out);	/* nothing gained: kept as text */
		return NULL;
	}
	*outlen = n;
	return out;
}

/*
 * A squeezer compresses on another thread than the writer's: its own
 * context, and the writer's dictionaries, shared read only (a ZSTD_CDict
 * can serve several contexts at once) once pack_share() has published
 * them. They live as long as the writer's pack.
 */
struct pack_squeezer {
	ZSTD_CCtx			*cctx;
	_Atomic(const ZSTD_CDict *)	 cdict[KIND__COUNT];
};

struct pack_squeezer *
pack_squeezer_new(void)
{
	struct pack_squeezer *sq = xcalloc(1, sizeof *sq);
	int k;

	if ((sq->cctx = ZSTD_createCCtx()) == NULL)
		fatal("zstd: out of memory");
	for (k = 0; k < KIND__COUNT; k++)
		atomic_init(&sq->cdict[k], NULL);
	return sq;
}

void
pack_squeezer_free(struct pack_squeezer *sq)
{
	if (sq == NULL)
		return;
	ZSTD_freeCCtx(sq->cctx);
	free(sq);
}

void
pack_share(struct pack *p, struct pack_squeezer *sq)
{
	int k;

	for (k = 0; k < KIND__COUNT; k++) {
		if (atomic_load(&sq->cdict[k]) != NULL || pack_load(p, k) != PACK_READY ||
		    (p->k[k].cdict == NULL && pack_read(p, k, 1) != 0))
			continue;
		atomic_store(&sq->cdict[k], p->k[k].cdict);
	}
}

int
pack_squeeze_with(struct pack_squeezer *sq, enum sd_kind k, const char *text, size_t len,
    struct buf *out)
{
	const ZSTD_CDict *cdict = atomic_load(&sq->cdict[k]);
	size_t cap, n;

	if (cdict == NULL)
		return -1;
	cap = ZSTD_compressBound(len);
	buf_reset(out);
	buf_reserve(out, cap);
	n = ZSTD_compress_usingCDict(sq->cctx, out->data, cap, text, len, cdict);
	if (ZSTD_isError(n) || n >= len)
		return -1;	/* nothing gained: kept as text */
	out->len = n;
	return 0;
}

int
pack_expand(struct pack *p, enum sd_kind k, const void *blob, size_t len, struct buf *out)
{
	unsigned long long size;
	size_t n;

	buf_reset(out);
	if (pack_load(p, k) != PACK_READY) {
		/* Made by another process since we last looked? */
		p->k[k].state = PACK_UNKNOWN;
		if (pack_load(p, k) != PACK_READY)
			return -1;
	}
	size = ZSTD_getFrameContentSize(blob, len);
	if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
	    size > (64u << 20))
		return -1;
	buf_reserve(out, (size_t)size);
	n = ZSTD_decompress_usingDDict(p->dctx, out->data, (size_t)size, blob, len,
	    p->k[k].ddict);
	if (ZSTD_isError(n) || n != size)
		return -1;
	out->len = n;
	out->data[n] = '\0';
	return 0;
}
