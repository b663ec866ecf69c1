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

#endif
