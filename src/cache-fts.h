/*
 * cache-fts.h -- an FTS5 tokenizer for Chinese and English ("sdcjk").
 *
 * Latin letters and digits form words, case-folded. Each Han, kana or hangul
 * character is emitted as a unigram at its own position, with the bigram it
 * starts (itself and the next CJK character) colocated at the same position.
 * For a query, a CJK run of one character is that unigram and a longer run is
 * its bigrams at successive positions, so a phrase query "张三" or "张三丰"
 * matches 张三丰 through the index, and "张" matches by unigram. (When more
 * tokens follow a run in the same query text, the run's last character is
 * emitted too, so that they keep their document positions.)
 */
#ifndef SD_CACHE_FTS_H
#define SD_CACHE_FTS_H

#include <sqlite3.h>

#include "model.h"

struct buf;
struct cJSON;

/*
 * Markers in search documents and MATCH expressions: control characters,
 * which are never indexed otherwise. See fts_tokenize() in cache-fts.c.
 */
#define FTS_TAIL	'\001'	/* a key word reversed: found by its tail */
#define FTS_MASK	'\002'	/* a phone's first three and last four digits */
#define FTS_MASKED	'\003'	/* the same, of a phone held masked */
#define FTS_PREFIX	'\004'	/* a run of digits' first 2-3; 1-2 letters, its first 2-5 */
#define FTS_TAIL4	'\005'	/* a key word's last 4 digits, and its last 5 */
#define FTS_LEAD	'\006'	/* the first 1 or 2 letters of a longer word */
#define FTS_TEXT	'\036'	/* document: text follows */
#define FTS_KEYS	'\037'	/* document: key words follow */

/* Register the "sdcjk" tokenizer on db. 0 or -1 with *cause. */
int	 cache_fts_register(sqlite3 *db, char **cause);

/* Tokenize (for tests): calls emit for each token; colocated as in FTS5. */
typedef void (*fts_emit_fn)(void *arg, const char *tok, int len, int colocated);
void	 cache_fts_tokenize(const char *text, int len, int query, fts_emit_fn emit, void *arg);

/*
 * Turn what a user typed into an FTS5 MATCH expression: each whitespace-
 * separated term becomes a quoted string (quotes escaped); Latin terms get a
 * prefix '*'. A term mixing scripts is split where it changes between CJK
 * and the rest, all parts required: "iPhone手机" is "iPhone"* AND "手机".
 * Caller frees. NULL when the text has no searchable term.
 */
char	*cache_fts_match(const char *user_text);
/*
 * The same without its parts of one or two letters or digits, when it has
 * others: what the index answers quickly, a superset of the rows to be
 * filtered by cache_fts_matcher() of the whole. NULL when nothing would be
 * left out.
 */
char	*cache_fts_match_narrow(const char *user_text);
/*
 * For reading the index in rowid order (cache-query.c): the expression with
 * one or two letters and a prefix of FTS_PREFIX_MAX + 1 digits ("SO100123")
 * as the one token of its first FTS_PREFIX_MAX, a superset of the rows to be
 * filtered by cache_fts_matcher() of the whole. NULL when it would be
 * cache_fts_match()'s.
 */
char	*cache_fts_match_scan(const char *user_text);

/*
 * Names people type for codes the documents hold ("退货退款" for the ticket
 * kind return_refund, "顺丰" for the carrier SF): fn gives the code a
 * whole term names, or NULL, and cache_fts_match() then asks for the term
 * or its code. Set once at start (the console's and the CLI's i18n).
 */
typedef const char *(*fts_alias_fn)(const char *term);
void	 cache_fts_set_alias(fts_alias_fn fn);

/*
 * What a user typed as one key -- an id, a phone number (typed with spaces,
 * dashes or +86 too: its digits), a tracking number, a barcode: four or
 * more letters and digits with a digit among them, full-width folded and
 * letters upper-cased -- into out (at least 16 bytes). 0 when it is not
 * one (two terms, CJK, no digit).
 */
int	 cache_fts_key(const char *text, char *out, size_t outlen);
/*
 * The MATCH expression of the key words ending in a key, from their tokens
 * reversed (FTS_TAIL: "7766554433221" finds SF7766554433221): the few rows
 * whose phone, tracking number or barcode may be the key. Caller frees;
 * NULL for a key shorter than five letters and digits, which no key word
 * of that length ends (none has its tail indexed) and no phone, tracking
 * number or barcode is.
 */
char	*cache_fts_key_term(const char *key);

/*
 * A MATCH expression of cache_fts_match() compiled to be evaluated on one
 * document at a time, as FTS5 would over the index (cache-query.c reads a
 * list that most rows match in its own order and filters it so). NULL when
 * expr is not one cache_fts_match() writes.
 */
struct fts_matcher;
struct fts_matcher *cache_fts_matcher(const char *expr);
void	 cache_fts_matcher_free(struct fts_matcher *);
/* Whether the search document doc (len bytes, folded as cache_fts_doc() writes it) matches. */
int	 cache_fts_matches(struct fts_matcher *, const char *doc, int len);
/*
 * What the full-text index is asked for expr: the index holds which rows
 * have a term, not where (detail=none), so a phrase of several tokens is
 * asked as their AND, and the rows it gives are a superset of expr's, each
 * to be tested with cache_fts_matcher() of expr (sd_match()). Caller frees;
 * NULL when expr has no such phrase (the index answers it exactly as it is)
 * or is not one cache_fts_match() writes.
 */
char	*cache_fts_index(const char *expr);

/*
 * Where the terms of query (as typed) are in text (as shown): up to max
 * byte ranges [spans[2i], spans[2i + 1]) of text, in order, folded as the
 * index folds (case, full width, traditional Han). Each run of letters, of
 * digits or of CJK of the query is looked for on its own, so "Mate60"
 * lights "Mate" and "60" of "Mate 60", and "138****1234" the shown digits of
 * a masked phone -- never what masking hides. Returns the number of ranges.
 */
int	 cache_fts_spans(const char *query, const char *text, int *spans, int max);

/* text folded as search documents are (control characters made spaces), into out. */
void	 cache_fts_fold(const char *text, struct buf *out);
/* text added to the search document in b, folded (a SKU's category names: cache.c). */
void	 cache_fts_doc_add(struct buf *b, const char *text);

/*
 * The search document of obj, a whole object of kind k, into b (reset
 * first): its key words (ids, phone numbers, tracking numbers, SKU codes)
 * after FTS_KEYS, then its text (names, address, notes, titles, message)
 * after FTS_TEXT. The full-text index reads this, not the object.
 */
void	 cache_fts_doc(enum sd_kind k, const struct cJSON *obj, struct buf *b);

#endif
