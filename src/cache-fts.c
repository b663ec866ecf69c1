/*
 * cache-fts.c -- the "sdcjk" FTS5 tokenizer and MATCH expression builder.
 *
 * FTS5's unicode61 tokenizer makes a whole run of Han characters one token,
 * so 张 never finds 张三丰; its trigram tokenizer needs three characters. This
 * tokenizer indexes every CJK character as a unigram and, colocated at the
 * same position, the bigram it starts within its run:
 *
 *	document "张三丰":  张 张三 | 三 三丰 | 丰      (positions 0, 1, 2)
 *	query    "张三丰":  张三 三丰                   (positions 0, 1)
 *
 * so a one-character query is answered by a unigram and a longer one by a
 * phrase of bigrams, both straight from the index. Latin letters and digits
 * form words, ASCII and full-width ASCII case-folded ("ＳＦ" is "sf").
 * Everything else (spaces, punctuation, symbols, emoji, invalid UTF-8)
 * separates tokens.
 */
#include "config.h"

#include <string.h>

#include "cache-fts.h"
#include "util/buf.h"
#include "util/xmalloc.h"

#define FTS_WORD_MAX	255	/* longer words are indexed by their first bytes */

enum fts_class {
	FC_SEP,		/* separates tokens */
	FC_WORD,	/* Latin, digits and other alphabets: part of a word */
	FC_CJK		/* Han, kana, hangul: one token per character */
};

/* Token sink: like fts5's xToken; non-zero stops tokenizing. */
typedef int (*fts_token_fn)(void *, int, const char *, int, int, int);

/*
 * Decode one UTF-8 character at s (n bytes left) into *cp. Returns its length,
 * or -1 for an invalid or truncated sequence (the caller skips one byte).
 */
static int
fts_utf8_decode(const unsigned char *s, int n, unsigned *cp)
{
	unsigned c = s[0], min;
	int len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return -1;
	if (n < len)
		return -1;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	return len;
}

/* Which class a character is in. */
static enum fts_class
fts_classify(unsigned c)
{
	if (c < 0x80) {
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z'))
			return FC_WORD;
		return FC_SEP;
	}
	if (c < 0xc0 || c == 0xd7 || c == 0xf7)
		return FC_SEP;		/* C1 controls, Latin-1 punctuation */
	if (c < 0x1100)
		return FC_WORD;
	if (c <= 0x11ff)
		return FC_CJK;		/* hangul jamo */
	if (c < 0x2000)
		return FC_WORD;
	if (c <= 0x2bff || (c >= 0x2e00 && c <= 0x2e7f))
		return FC_SEP;		/* punctuation, symbols, arrows, boxes */
	if (c >= 0x2e80 && c <= 0x2fdf)
		return FC_CJK;		/* CJK and Kangxi radicals */
	if (c >= 0x3000 && c <= 0x303f) {
		if ((c >= 0x3005 && c <= 0x3007) || (c >= 0x3021 && c <= 0x3029))
			return FC_CJK;	/* 々 〆 〇, Hangzhou numerals */
		return FC_SEP;		/* CJK punctuation: 、。「」 */
	}
	if (c == 0x30fb)
		return FC_SEP;		/* katakana middle dot */
	if ((c >= 0x3040 && c <= 0x31ff) ||	/* kana, bopomofo, jamo */
	    (c >= 0x3400 && c <= 0x4dbf) ||	/* Han extension A */
	    (c >= 0x4e00 && c <= 0x9fff) ||	/* Han */
	    (c >= 0xa960 && c <= 0xa97f) ||	/* hangul jamo extended A */
	    (c >= 0xac00 && c <= 0xd7ff) ||	/* hangul syllables */
	    (c >= 0xf900 && c <= 0xfaff))	/* Han compatibility */
		return FC_CJK;
	if (c >= 0xfe00 && c <= 0xfe6f)
		return FC_SEP;		/* variation selectors, CJK forms */
	if (c >= 0xff00 && c <= 0xffef) {
		if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) ||
		    (c >= 0xff41 && c <= 0xff5a))
			return FC_WORD;	/* full-width letters and digits */
		if (c >= 0xff66 && c <= 0xffdc)
			return FC_CJK;	/* half-width katakana and hangul */
		return FC_SEP;
	}
	if (c >= 0xfeff && c <= 0xffff)
		return FC_SEP;		/* BOM, specials */
	if (c >= 0x1b000 && c <= 0x1b16f)
		return FC_CJK;		/* kana supplement */
	if ((c >= 0x1f000 && c <= 0x1faff) || (c >= 0xe0000 && c <= 0xe007f))
		return FC_SEP;		/* emoji and symbols, tags */
	if (c >= 0x20000 && c <= 0x3ffff)
		return FC_CJK;		/* Han extensions B to H */
	return FC_WORD;
}

/* Append the folded form of c (bytes s, len) to a word buffer. */
static void
fts_word_add(char *word, int *wlen, unsigned c, const char *s, int len)
{
	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	else if (c >= 0xff10 && c <= 0xff5a) {
		c -= 0xff10 - '0';		/* full-width ASCII */
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
	}
	if (c < 0x80) {
		if (*wlen < FTS_WORD_MAX)
			word[(*wlen)++] = (char)c;
		return;
	}
	if (*wlen + len <= FTS_WORD_MAX) {
		memcpy(word + *wlen, s, len);
		*wlen += len;
	}
}

/*
 * The tokenizer proper. In query mode, a CJK run of two or more characters
 * gives its bigrams only; if another token follows it in the same text, the
 * run's last character is emitted too, so the following tokens keep the
 * positions they have in documents ("张三 丰" is 张三 三 丰, not 张三 丰).
 */
static int
fts_tokenize(const char *text, int len, int query, fts_token_fn cb, void *arg)
{
	const unsigned char *s = (const unsigned char *)text;
	char word[FTS_WORD_MAX + 1];
	unsigned c, c2;
	int i, n, n2, j, wlen, start, rc;
	int run, pend_off = -1, pend_len = 0;
	enum fts_class cls;

	if (len < 0)
		len = (int)strlen(text);
	for (i = 0; i < len; /* nothing */) {
		n = fts_utf8_decode(s + i, len - i, &c);
		if (n < 0) {
			i++;		/* invalid byte: skip */
			continue;
		}
		cls = fts_classify(c);
		if (cls == FC_SEP) {
			i += n;
			continue;
		}

		/* A token follows: flush the query-mode alignment unigram. */
		if (pend_off >= 0) {
			rc = cb(arg, 0, text + pend_off, pend_len, pend_off,
			    pend_off + pend_len);
			if (rc != 0)
				return rc;
			pend_off = -1;
		}

		if (cls == FC_WORD) {
			start = i;
			wlen = 0;
			while (i < len) {
				n = fts_utf8_decode(s + i, len - i, &c);
				if (n < 0 || fts_classify(c) != FC_WORD)
					break;
				fts_word_add(word, &wlen, c, text + i, n);
				i += n;
			}
			rc = cb(arg, 0, word, wlen, start, i);
			if (rc != 0)
				return rc;
			continue;
		}

		/* A CJK run, one character at a time. */
		for (run = 0;; run++) {
			j = i + n;
			n2 = j < len ? fts_utf8_decode(s + j, len - j, &c2) : -1;
			if (n2 > 0 && fts_classify(c2) != FC_CJK)
				n2 = -1;
			if (!query) {
				rc = cb(arg, 0, text + i, n, i, j);
				if (rc == 0 && n2 > 0)
					rc = cb(arg, 1, text + i, n + n2, i, j + n2);
			} else if (n2 > 0)
				rc = cb(arg, 0, text + i, n + n2, i, j + n2);
			else if (run == 0)
				rc = cb(arg, 0, text + i, n, i, j);
			else {
				rc = 0;
				pend_off = i;
				pend_len = n;
			}
			if (rc != 0)
				return rc;
			i = j;
			if (n2 < 0)
				break;
			n = n2;
			c = c2;
		}
	}
	return 0;
}

/* FTS5 glue. The tokenizer has no options and no state. */
struct fts_glue {
	void	*ctx;
	int	(*xToken)(void *, int, const char *, int, int, int);
};

static int
fts_glue_token(void *arg, int flags, const char *tok, int len, int start, int end)
{
	struct fts_glue *g = arg;

	return g->xToken(g->ctx, flags ? FTS5_TOKEN_COLOCATED : 0, tok, len, start,
	    end);
}

static int
fts_x_create(void *udata, const char **argv, int argc, Fts5Tokenizer **out)
{
	static int instance;

	if (argc != 0)
		return SQLITE_ERROR;	/* sdcjk takes no options */
	*out = (Fts5Tokenizer *)&instance;
	return SQLITE_OK;
}

static void
fts_x_delete(Fts5Tokenizer *t)
{
}

static int
fts_x_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text,
    int len, int (*xToken)(void *, int, const char *, int, int, int))
{
	struct fts_glue g = { ctx, xToken };

	if (len <= 0)
		return SQLITE_OK;
	return fts_tokenize(text, len, (flags & FTS5_TOKENIZE_QUERY) != 0,
	    fts_glue_token, &g);
}

int
cache_fts_register(sqlite3 *db, char **cause)
{
	static fts5_tokenizer tok = { fts_x_create, fts_x_delete, fts_x_tokenize };
	sqlite3_stmt *stmt;
	fts5_api *api = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("sqlite has no FTS5: %s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (api == NULL) {
		*cause = xstrdup("sqlite's FTS5 API is unavailable");
		return -1;
	}
	rc = api->xCreateTokenizer(api, "sdcjk", NULL, &tok, NULL);
	if (rc != SQLITE_OK) {
		*cause = xasprintf("cannot register the sdcjk tokenizer: %s",
		    sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* Test entry point: the public callback cannot stop the tokenizer. */
struct fts_emit {
	fts_emit_fn	 emit;
	void		*arg;
};

static int
fts_emit_token(void *arg, int flags, const char *tok, int len, int start, int end)
{
	struct fts_emit *e = arg;

	e->emit(e->arg, tok, len, flags);
	return 0;
}

void
cache_fts_tokenize(const char *text, int len, int query, fts_emit_fn emit, void *arg)
{
	struct fts_emit e = { emit, arg };

	fts_tokenize(text, len, query, fts_emit_token, &e);
}

/* Count tokens (for deciding whether a term can match anything). */
static int
fts_count_token(void *arg, int flags, const char *tok, int len, int start, int end)
{
	(*(int *)arg)++;
	return 0;
}

/* Whitespace between terms: ASCII and the ideographic space U+3000. */
static int
fts_space(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' ||
	    *s == '\v')
		return 1;
	if ((unsigned char)s[0] == 0xe3 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0x80)
		return 3;		/* U+3000; stops at a NUL */
	return 0;
}

/* Add one part of a term as a quoted phrase, if it has any token. */
static void
fts_match_part(struct buf *b, const char *s, int len, int cjk)
{
	int ntok = 0, i;

	fts_tokenize(s, len, 1, fts_count_token, &ntok);
	if (ntok == 0)
		return;
	if (b->len != 0)
		buf_adds(b, " AND ");
	buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, s[i]);
	}
	buf_addc(b, '"');
	if (!cjk)
		buf_addc(b, '*');
}

/*
 * Terms are split on whitespace; each term is split again where it changes
 * between CJK and anything else, so "iPhone手机" asks for "iphone"* AND "手机"
 * (both required, anywhere in the row: typing the two together is not a
 * request for adjacency). A non-CJK part is a prefix query, so "SO1000"
 * finds SO10000001 and "emi" finds Emily; a CJK part is an exact phrase of
 * bigrams. Parts that tokenize to nothing (punctuation) are dropped.
 */
char *
cache_fts_match(const char *user_text)
{
	const unsigned char *s = (const unsigned char *)user_text;
	struct buf b;
	unsigned c;
	int len, i, n, sp, start, cjk, is_cjk;

	if (user_text == NULL)
		return NULL;
	len = (int)strlen(user_text);
	buf_init(&b);
	for (i = 0; i < len; /* nothing */) {
		if ((sp = fts_space(user_text + i)) != 0) {
			i += sp;
			continue;
		}
		start = i;
		cjk = -1;
		while (i < len && fts_space(user_text + i) == 0) {
			n = fts_utf8_decode(s + i, len - i, &c);
			is_cjk = n > 0 && fts_classify(c) == FC_CJK;
			if (n < 0)
				n = 1;
			if (cjk != -1 && is_cjk != cjk) {
				fts_match_part(&b, user_text + start, i - start, cjk);
				start = i;
			}
			cjk = is_cjk;
			i += n;
		}
		fts_match_part(&b, user_text + start, i - start, cjk == 1);
	}
	if (b.len == 0) {
		buf_done(&b);
		return NULL;
	}
	return buf_steal(&b);
}
