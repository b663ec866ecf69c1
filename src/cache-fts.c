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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cache-fts.h"
#include "util/buf.h"
#include "util/hanfold.h"
#include "util/jsonutil.h"
#include "util/xmalloc.h"

#define FTS_WORD_MAX	255	/* longer words are indexed by their first bytes */
/*
 * A run of digits is indexed by its first 2 and 3 digits too, and after one
 * or two letters by those letters and its first 2 to 5 digits (FTS_PREFIX).
 */
#define FTS_PREFIX_MIN	2
#define FTS_PREFIX_BARE	3
#define FTS_PREFIX_MAX	5
#define FTS_PREFIX_LEAD	2	/* bytes of letters at most */
/* A key word ending in digits is indexed by its last this many too (FTS_TAIL4). */
#define FTS_TAIL4_MIN	4
#define FTS_TAIL4_MAX	5
/* A key word this long or longer is indexed reversed too (FTS_TAIL). */
#define FTS_KEY_TAIL_MIN	5
/* A word of letters is indexed by its first 1 to this many too (FTS_LEAD). */
#define FTS_LEAD_MAX	2
/* A phone's masked form: its first digits, then its last four (FTS_MASK). */
#define FTS_MASK_HEAD	3

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

/*
 * The folded form of a character of a word or a CJK run: ASCII and the
 * Latin, Greek and Cyrillic capitals lower-cased, full-width ASCII made
 * ASCII, traditional Han characters made simplified (hanfold(), generated
 * from OpenCC), so that each pair is one in the index and in queries.
 */
static unsigned
fts_fold(unsigned c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
	if (c >= 0xff10 && c <= 0xff5a) {
		c -= 0xff10 - '0';		/* full-width ASCII */
		return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
	}
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 0x20;		/* Latin-1 */
	if (c >= 0x100 && c <= 0x17f) {		/* Latin Extended-A */
		if ((c <= 0x137 || (c >= 0x14a && c <= 0x177)) && c % 2 == 0)
			return c + 1;
		if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) &&
		    c % 2 == 1)
			return c + 1;
		return c == 0x178 ? 0xff : c;
	}
	if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
		return c + 0x20;		/* Greek */
	if (c >= 0x410 && c <= 0x42f)
		return c + 0x20;		/* Cyrillic */
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	if (c >= 0x3400)
		return hanfold(c);
	return c;
}

/* Encode c as UTF-8 into out (4 bytes at most); its length. */
static int
fts_utf8_encode(unsigned c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static int
fts_is_digit(unsigned c)
{
	return (c >= '0' && c <= '9') || (c >= 0xff10 && c <= 0xff19);
}

static int
fts_is_marker(unsigned char c)
{
	return c == FTS_TAIL || c == FTS_MASK || c == FTS_MASKED || c == FTS_PREFIX ||
	    c == FTS_TAIL4 || c == FTS_LEAD;
}

/*
 * A word: the folded bytes (at most FTS_WORD_MAX; a longer word is indexed
 * by its first bytes) and where its parts start, a part being a run of
 * digits or of letters: "Mate60" is "mate" "60", so that it and "Mate 60"
 * are one to a phrase query.
 */
#define FTS_PARTS_MAX	32
struct fts_word {
	char	 text[FTS_WORD_MAX + 1];
	int	 len;
	int	 nparts;
	int	 part[FTS_PARTS_MAX + 1];	/* offsets in text; part[nparts] = len */
	int	 src[FTS_PARTS_MAX + 1];	/* the same in the source text */
};

/*
 * Read the word starting at text + i; returns the offset after it. Parts
 * split where digits meet letters, unless split is 0 (a marked token).
 */
static int
fts_word_read(const char *text, int len, int i, int split, struct fts_word *w)
{
	const unsigned char *s = (const unsigned char *)text;
	char enc[4];
	unsigned c;
	int n, k, digit, was = -1;

	w->len = 0;
	w->nparts = 0;
	while (i < len) {
		n = fts_utf8_decode(s + i, len - i, &c);
		if (n < 0 || fts_classify(c) != FC_WORD)
			break;
		digit = fts_is_digit(c);
		if (w->nparts == 0 || (split && digit != was &&
		    w->nparts < FTS_PARTS_MAX && w->len < FTS_WORD_MAX)) {
			w->part[w->nparts] = w->len;
			w->src[w->nparts++] = i;
		}
		was = digit;
		k = fts_utf8_encode(fts_fold(c), enc);
		if (w->len + k <= FTS_WORD_MAX) {
			memcpy(w->text + w->len, enc, k);
			w->len += k;
		}
		i += n;
	}
	w->part[w->nparts] = w->len;
	w->src[w->nparts] = i;
	return i;
}

/* Whether tok (len bytes, folded) is all ASCII digits. */
static int
fts_all_digits(const char *tok, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (tok[i] < '0' || tok[i] > '9')
			return 0;
	return len > 0;
}

/* Whether s (len bytes, folded) holds no digit. */
static int
fts_digit_free(const char *s, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 0;
	return len > 0;
}

/* The number of digits s (len bytes) ends with. */
static int
fts_digit_tail(const char *s, int len)
{
	int n = 0;

	while (n < len && s[len - 1 - n] >= '0' && s[len - 1 - n] <= '9')
		n++;
	return n;
}

/*
 * A document's run of digits (len bytes at tok): FTS_PREFIX and each of its
 * first FTS_PREFIX_MIN to FTS_PREFIX_BARE digits ("10500123": \00410,
 * \004105), colocated with it, for a query of two or three digits alone; and
 * after a token of one or two letters (lead, llen bytes: the word's letters
 * before them, or the word before), FTS_PREFIX, those letters and each of
 * its first FTS_PREFIX_MIN to FTS_PREFIX_MAX digits ("C178049": \004c17 to
 * \004c17804; "SO-1099": \004so10 to \004so1099), for a query word of
 * letters and digits (fts_match_part()). Four or five digits alone have no
 * token, nor longer letters with their digits (no \004mate60 of "Mate60",
 * only \00460): the index answers those as they are.
 */
static int
fts_prefixes(fts_token_fn cb, void *arg, const char *lead, int llen, const char *tok,
    int len, int start, int end)
{
	char pfx[1 + FTS_PREFIX_LEAD + FTS_PREFIX_MAX];
	int n, rc;

	if (len < FTS_PREFIX_MIN || !fts_all_digits(tok, len))
		return 0;
	pfx[0] = FTS_PREFIX;
	memcpy(pfx + 1, tok, (size_t)(len < FTS_PREFIX_BARE ? len : FTS_PREFIX_BARE));
	for (n = FTS_PREFIX_MIN; n <= FTS_PREFIX_BARE && n <= len; n++)
		if ((rc = cb(arg, 1, pfx, n + 1, start, end)) != 0)
			return rc;
	if (llen <= 0 || llen > FTS_PREFIX_LEAD)
		return 0;
	memcpy(pfx + 1, lead, (size_t)llen);
	memcpy(pfx + 1 + llen, tok, (size_t)(len < FTS_PREFIX_MAX ? len : FTS_PREFIX_MAX));
	for (n = FTS_PREFIX_MIN; n <= FTS_PREFIX_MAX && n <= len; n++)
		if ((rc = cb(arg, 1, pfx, llen + n + 1, start, end)) != 0)
			return rc;
	return 0;
}

static int
fts_is_letter(char c)
{
	return c >= 'a' && c <= 'z';
}

static int
fm_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A document's part of letters (len bytes at tok): FTS_LEAD and its first
 * letter, and its first two, each when the part is longer ("sfx": \006s,
 * \006sf; "sf": \006s), ASCII letters only. With the part itself, a
 * query of one or two letters is two whole terms ("sf" OR "\006sf"), the
 * same rows as the prefix query "sf"*, which merges the lists of every word
 * starting so (the carrier SF's 100,000 orders at a million) before
 * answering.
 */
static int
fts_leads(fts_token_fn cb, void *arg, const char *tok, int len, int start, int end)
{
	char lead[1 + FTS_LEAD_MAX];
	int n, rc;

	lead[0] = FTS_LEAD;
	for (n = 1; n <= FTS_LEAD_MAX && n < len && fts_is_letter(tok[n - 1]); n++) {
		lead[n] = tok[n - 1];
		if ((rc = cb(arg, 1, lead, n + 1, start, end)) != 0)
			return rc;
	}
	return 0;
}

/*
 * The tokenizer proper. In query mode, a CJK run of two or more characters
 * gives its bigrams only; if another token follows it in the same text, the
 * run's last character is emitted too, so the following tokens keep the
 * positions they have in documents ("张三 丰" is 张三 三 丰, not 张三 丰).
 *
 * A document may hold key words (ids, phone numbers, tracking numbers)
 * between FTS_KEYS and FTS_TEXT: each key word of five or more bytes also
 * gives, colocated, FTS_TAIL and its bytes reversed, so that a prefix query
 * on that finds the word by its tail. A key word starting with FTS_MASK or
 * FTS_MASKED is one token as it is (the masked form of a phone number). A
 * query text starting with a marker is one token likewise.
 *
 * So that the keys most typed are each one term of the index, read newest
 * first and stopped after a page (cache-query.c, qb_ordered()), rather than
 * a prefix query merging the lists of every term it starts: a key word
 * ending in four digits or more also gives, colocated, FTS_TAIL4 and its
 * last four, and its last five ("SO10098940": \0058940, \00598940), what
 * an agent types of an order number, a phone or a tracking number; a masked
 * form (FTS_MASK, three digits and four) also gives its first three digits
 * with one, two and three of the last four ("\0021814992": \0021814,
 * \00218149, \002181499), the masked phone as typed so far; and a part of
 * letters its first one and two letters (fts_leads()). Longer tails, or
 * tails ending in letters, stay the prefix query of the word reversed, a
 * few terms.
 *
 * A document's run of digits also gives, colocated, FTS_PREFIX and its
 * first FTS_PREFIX_MIN to FTS_PREFIX_BARE digits, and after a word of one
 * or two letters FTS_PREFIX, those letters and each of its first
 * FTS_PREFIX_MIN to FTS_PREFIX_MAX digits: "SO10500123" is also \00410,
 * \004105, \004so10, \004so105, \004so1050 and \004so10500
 * (fts_prefixes()). A query of two or three digits ("105"), or of those
 * letters and a short prefix of digits ("SO1050"), asks for that one token
 * (fts_match_part()), where the prefix query "105"* would merge the lists
 * of every term it starts -- thousands of numbers at a million orders --
 * and the phrase "so" "1050"* would ask the index for the prefix
 * of digits alone (the letters are in every order: SKU codes start so).
 * Four or five digits alone have no such token: "1050" is the prefix
 * query "1050"*, which starts few terms (without them, and without those
 * after more than two letters, orders_fts is 378 -> 344 MB at a million
 * orders).
 */
static int
fts_tokenize(const char *text, int len, int query, fts_token_fn cb, void *arg)
{
	const unsigned char *s = (const unsigned char *)text;
	struct fts_word w;
	char tok[FTS_WORD_MAX + 2], cbuf[8], pend[4];
	unsigned c, c2;
	int i, n, n2, j, k, p, start, rc, keys = 0;
	char lead[FTS_PREFIX_LEAD];
	int run, pend_off = -1, pend_len = 0, pend_n = 0, clen, c2len, llen = 0, dl;
	enum fts_class cls;

	if (len < 0)
		len = (int)strlen(text);
	if (query && len > 0 && fts_is_marker(s[0])) {
		fts_word_read(text, len, 1, 0, &w);
		if (w.len == 0)
			return 0;
		tok[0] = text[0];
		memcpy(tok + 1, w.text, w.len);
		return cb(arg, 0, tok, w.len + 1, 0, len);
	}
	for (i = 0; i < len; /* nothing */) {
		n = fts_utf8_decode(s + i, len - i, &c);
		if (n < 0) {
			i++;		/* invalid byte: skip */
			continue;
		}
		if (!query && (c == FTS_KEYS || c == FTS_TEXT)) {
			keys = c == FTS_KEYS;
			i++;
			continue;
		}
		if (!query && keys && fts_is_marker((unsigned char)c)) {
			start = i;
			i = fts_word_read(text, len, i + 1, 0, &w);
			if (w.len == 0)
				continue;
			tok[0] = (char)c;
			memcpy(tok + 1, w.text, w.len);
			rc = cb(arg, 0, tok, w.len + 1, start, i);
			/* The masked form as typed so far: "\0021814" of 181****4. */
			for (k = FTS_MASK_HEAD + 1; rc == 0 && c == FTS_MASK &&
			    w.len == FTS_MASK_HEAD + 4 && fts_all_digits(w.text, w.len) &&
			    k < w.len; k++)
				rc = cb(arg, 1, tok, k + 1, start, i);
			if (rc != 0)
				return rc;
			llen = 0;
			continue;
		}
		cls = fts_classify(c);
		if (cls == FC_SEP) {
			i += n;
			continue;
		}

		/* A token follows: flush the query-mode alignment unigram. */
		if (pend_off >= 0) {
			rc = cb(arg, 0, pend, pend_len, pend_off, pend_off + pend_n);
			if (rc != 0)
				return rc;
			pend_off = -1;
		}

		if (cls == FC_WORD) {
			i = fts_word_read(text, len, i, 1, &w);
			for (p = 0; p < w.nparts; p++) {
				if (w.part[p + 1] == w.part[p])
					continue;	/* cut off by FTS_WORD_MAX */
				rc = cb(arg, 0, w.text + w.part[p],
				    w.part[p + 1] - w.part[p], w.src[p],
				    w.src[p + 1]);
				if (rc == 0 && !query)
					rc = fts_prefixes(cb, arg, lead, llen,
					    w.text + w.part[p], w.part[p + 1] - w.part[p],
					    w.src[p], w.src[p + 1]);
				if (rc == 0 && !query)
					rc = fts_leads(cb, arg, w.text + w.part[p],
					    w.part[p + 1] - w.part[p], w.src[p], w.src[p + 1]);
				/* One or two letters the next token's digits may follow. */
				llen = w.part[p + 1] - w.part[p];
				if (llen <= FTS_PREFIX_LEAD &&
				    fts_digit_free(w.text + w.part[p], llen))
					memcpy(lead, w.text + w.part[p], (size_t)llen);
				else
					llen = 0;
				if (rc == 0 && p == 0 && keys && w.len >= FTS_KEY_TAIL_MIN) {
					tok[0] = FTS_TAIL;
					for (k = 0; k < w.len; k++)
						tok[1 + k] = w.text[w.len - 1 - k];
					rc = cb(arg, 1, tok, w.len + 1, w.src[0],
					    w.src[w.nparts]);
					/* Its last four and five digits: "\0058940". */
					dl = fts_digit_tail(w.text, w.len);
					for (k = FTS_TAIL4_MIN; rc == 0 && k <= FTS_TAIL4_MAX &&
					    k <= dl; k++) {
						tok[0] = FTS_TAIL4;
						memcpy(tok + 1, w.text + w.len - k, (size_t)k);
						rc = cb(arg, 1, tok, k + 1, w.src[0],
						    w.src[w.nparts]);
					}
				}
				if (rc != 0)
					return rc;
			}
			continue;
		}

		/* A CJK run, one character at a time. */
		llen = 0;
		clen = fts_utf8_encode(fts_fold(c), cbuf);
		for (run = 0;; run++) {
			j = i + n;
			n2 = j < len ? fts_utf8_decode(s + j, len - j, &c2) : -1;
			if (n2 > 0 && fts_classify(c2) != FC_CJK)
				n2 = -1;
			c2len = n2 > 0 ? fts_utf8_encode(fts_fold(c2), cbuf + clen) : 0;
			if (!query) {
				rc = cb(arg, 0, cbuf, clen, i, j);
				if (rc == 0 && n2 > 0)
					rc = cb(arg, 1, cbuf, clen + c2len, i, j + n2);
			} else if (n2 > 0)
				rc = cb(arg, 0, cbuf, clen + c2len, i, j + n2);
			else if (run == 0)
				rc = cb(arg, 0, cbuf, clen, i, j);
			else {
				rc = 0;
				pend_off = i;
				pend_len = clen;
				pend_n = n;
				memcpy(pend, cbuf, clen);
			}
			if (rc != 0)
				return rc;
			i = j;
			if (n2 < 0)
				break;
			n = n2;
			memmove(cbuf, cbuf + clen, c2len);
			clen = c2len;
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

/* The number of tokens and where the last starts, for a phrase. */
struct fts_last {
	int	 ntok;
	int	 start;
	int	 len;
	int	 digits;			/* the last is all digits */
	char	 tok[FTS_PREFIX_MAX + 1];	/* its first bytes */
	int	 flen;				/* the first's length */
	char	 first[FTS_PREFIX_LEAD + 1];	/* and first bytes */
};

static int
fts_last_token(void *arg, int flags, const char *tok, int len, int start, int end)
{
	struct fts_last *l = arg;

	(void)end;
	if (!flags)
		l->ntok++;
	if (l->ntok == 1) {
		l->flen = len;
		memcpy(l->first, tok, (size_t)(len < FTS_PREFIX_LEAD ? len : FTS_PREFIX_LEAD));
	}
	l->start = start;
	l->len = len;
	l->digits = fts_all_digits(tok, len);
	memcpy(l->tok, tok, (size_t)(len < FTS_PREFIX_MAX ? len : FTS_PREFIX_MAX));
	return 0;
}

/*
 * Whether a part's tokens are one or two letters, then digits (last), as
 * FTS_PREFIX tokens hold them: "SO10", "C178", "SO-1099".
 */
static int
fts_lettered(const struct fts_last *last)
{
	return last->ntok == 2 && last->flen <= FTS_PREFIX_LEAD &&
	    fts_digit_free(last->first, last->flen) && last->digits;
}

static void
fts_quote(struct buf *b, const char *s, int len)
{
	int i;

	buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, s[i]);
	}
	buf_addc(b, '"');
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

/*
 * Fold s (len bytes) if it is one word: its folded bytes in out (at least
 * FTS_WORD_MAX + 1) and their length, with *ndigits the digits among them;
 * -1 when it holds anything else.
 */
static int
fts_fold_term(const char *s, int len, char *out, int *ndigits)
{
	struct fts_word w;
	int i;

	if (fts_word_read(s, len, 0, 0, &w) != len || w.len == 0)
		return -1;
	memcpy(out, w.text, w.len);
	for (*ndigits = i = 0; i < w.len; i++)
		if (w.text[i] >= '0' && w.text[i] <= '9')
			(*ndigits)++;
	return w.len;
}

/*
 * Add one part of a term, if it has any token: a CJK part as a phrase; any
 * other as a prefix phrase, and when it is one word of four or more bytes
 * with a digit, also as a tail (an order number's, a tracking number's,
 * a phone number's last digits) and, when it is eleven digits (a mobile number), as
 * the masked form of that phone number held masked.
 */
static void
fts_match_part(struct buf *b, const char *s, int len, int cjk, int *narrow, int scan)
{
	char word[FTS_WORD_MAX + 1];
	struct fts_last last = { 0, 0, 0, 0, "", 0, "" };
	int wl = -1, nd = 0, i;

	fts_tokenize(s, len, 1, fts_last_token, &last);
	if (last.ntok == 0)
		return;
	if (b->len != 0)
		buf_adds(b, " AND ");
	if (!cjk && (wl = fts_fold_term(s, len, word, &nd)) >= 4 && nd > 0)
		buf_addc(b, '(');
	if (!cjk && wl > 0 && wl <= FTS_LEAD_MAX && last.ntok == 1 &&
	    fts_is_letter(word[0]) && (wl == 1 || fts_is_letter(word[1]))) {
		/* "SF": the word, or the words it starts (fts_leads()). */
		buf_addf(b, "(\"%.*s\" OR \"%c%.*s\")", wl, word, FTS_LEAD, wl, word);
		return;
	}
	if (!cjk && fts_lettered(&last) && last.len >= FTS_PREFIX_MIN &&
	    last.len <= FTS_PREFIX_MAX) {
		/*
		 * "C178", "SO-1099": "\004c178", one token of the index,
		 * rather than the phrase of "c" (in every order) and "178"*.
		 */
		buf_addf(b, "\"%c%.*s%.*s\"", FTS_PREFIX, last.flen, last.first, last.len,
		    last.tok);
	} else if (!cjk && last.digits && last.len >= FTS_PREFIX_MIN &&
	    last.len <= FTS_PREFIX_BARE) {
		/* "138", "Mate-60": "\004138", the prefix one token of the index. */
		if (last.ntok > 1) {
			fts_quote(b, s, last.start);
			buf_adds(b, " + ");
		}
		buf_addf(b, "\"%c%.*s\"", FTS_PREFIX, last.len, last.tok);
	} else if (narrow && !cjk && last.ntok > 1 && last.len <= 2) {
		/* "JD4", "134****6": the phrase without its short last prefix. */
		fts_quote(b, s, last.start);
		(*narrow)++;
	} else if (scan && !cjk && fts_lettered(&last) && last.len == FTS_PREFIX_MAX + 1) {
		/*
		 * "SO100123": the token of its first FTS_PREFIX_MAX digits
		 * ("\004so10012"), which every row of the prefix holds,
		 * rather than the phrase of "so" and "100123"*, asked of the
		 * index as "100123"* (every number that starts so, a SKU
		 * code in thousands of orders). With a digit more the prefix
		 * is a few terms.
		 */
		buf_addf(b, "\"%c%.*s%.*s\"", FTS_PREFIX, last.flen, last.first,
		    FTS_PREFIX_MAX, last.tok);
	} else {
		fts_quote(b, s, len);
		if (!cjk)
			buf_addc(b, '*');
	}
	if (wl < 4 || nd == 0)
		return;
	if (wl >= FTS_TAIL4_MIN && wl <= FTS_TAIL4_MAX && nd == wl)
		/* Four or five digits: the one term of the key words ending so. */
		buf_addf(b, " OR \"%c%.*s\"", FTS_TAIL4, wl, word);
	else {
		buf_adds(b, " OR \"\001");
		for (i = wl - 1; i >= 0; i--)
			buf_addc(b, word[i]);
		buf_adds(b, "\"*");
	}
	if (nd == wl && wl == 11)
		buf_addf(b, " OR \"\003%.3s%.4s\"", word, word + wl - 4);
	buf_addc(b, ')');
}

static fts_alias_fn fts_alias;

void
cache_fts_set_alias(fts_alias_fn fn)
{
	fts_alias = fn;
}

/*
 * A phone number in its masked form as shown ("138****1234", full-width
 * too), or typed so far past its four stars ("138****12"): its first three
 * and one to four last digits in out[8], else 0.
 */
static int
fts_masked_phone(const char *s, int len, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c;
	int i, n, nd = 0, stars = 0;

	for (i = 0; i < len; i += n) {
		if ((n = fts_utf8_decode(u + i, len - i, &c)) < 0)
			return 0;
		if (fts_is_digit(c)) {
			if (nd == 7 || (stars != 0) != (nd >= 3))
				return 0;
			out[nd++] = (char)fts_fold(c);
		} else if ((c == '*' || c == 0xff0a) && nd == 3)
			stars++;
		else
			return 0;
	}
	out[nd] = '\0';
	return nd == FTS_MASK_HEAD + 4 ? stars != 0 : nd > FTS_MASK_HEAD && stars == 4;
}

/*
 * A phone number typed with spaces, dashes, brackets or a country code
 * ("138 1234 5678", "+86 138-1234-5678"): its digits as one term in out
 * (at least 16 bytes), else 0.
 */
static int
fts_phone_text(const char *s, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned c;
	int i, n, nd = 0, seps = 0, len = (int)strlen(s);

	for (i = 0; i < len; i += n) {
		if ((n = fts_utf8_decode(u + i, len - i, &c)) < 0)
			return 0;
		if (fts_is_digit(c)) {
			if (nd == 15)
				return 0;
			out[nd++] = (char)fts_fold(c);
		} else if (c == ' ' || c == '-' || c == '(' || c == ')' ||
		    c == '+' || c == 0x3000)
			seps++;
		else
			return 0;
	}
	out[nd] = '\0';
	if (nd < 7 || seps == 0)
		return 0;
	if (nd == 13 && strncmp(out, "86", 2) == 0)
		memmove(out, out + 2, 12);
	else if (nd == 15 && strncmp(out, "0086", 4) == 0)
		memmove(out, out + 4, 12);
	return 1;
}

char *
cache_fts_key_term(const char *key)
{
	char word[FTS_WORD_MAX + 1];
	struct buf b;
	int wl, nd, i;

	if ((wl = fts_fold_term(key, (int)strlen(key), word, &nd)) < FTS_KEY_TAIL_MIN)
		return NULL;
	buf_init(&b);
	buf_addf(&b, "\"%c", FTS_TAIL);
	for (i = wl - 1; i >= 0; i--)
		buf_addc(&b, word[i]);
	buf_adds(&b, "\"*");
	return buf_steal(&b);
}

int
cache_fts_key(const char *text, char *out, size_t outlen)
{
	char phone[16], word[FTS_WORD_MAX + 1];
	const char *s, *e;
	int wl, nd;
	size_t i;

	if (text == NULL || outlen < 16)
		return 0;
	if (fts_phone_text(text, phone)) {
		snprintf(out, outlen, "%s", phone);
		return 1;
	}
	for (s = text; *s != '\0' && fts_space(s) != 0; s += fts_space(s))
		;
	for (e = s; *e != '\0' && fts_space(e) == 0; e++)
		;
	if (*e != '\0') {
		const char *t = e;

		while (*t != '\0' && fts_space(t) != 0)
			t += fts_space(t);
		if (*t != '\0')
			return 0;	/* two terms */
	}
	if ((wl = fts_fold_term(s, (int)(e - s), word, &nd)) < 4 || nd == 0 ||
	    (size_t)wl >= outlen)
		return 0;
	for (i = 0; i < (size_t)wl; i++)
		out[i] = word[i] >= 'a' && word[i] <= 'z' ? word[i] - ('a' - 'A') :
		    word[i];
	out[wl] = '\0';
	return 1;
}

/*
 * Terms are split on whitespace; each term is split again where it changes
 * between CJK and anything else, so "iPhone手机" asks for "iphone"* AND "手机"
 * (both required, anywhere in the row: typing the two together is not a
 * request for adjacency). A non-CJK part is a prefix query, so "SO1000"
 * finds SO10000001 and "emi" finds Emily; a CJK part is an exact phrase of
 * bigrams. Parts that tokenize to nothing (punctuation) are dropped. Control
 * characters are spaces: what a user types never makes a marker.
 */
/*
 * A part the index answers badly: one or two letters or digits, a prefix of
 * a great many terms ("8" of 科苑路88号).
 */
static int
fts_part_broad(const char *s, int len, int cjk)
{
	char word[FTS_WORD_MAX + 1];
	int nd, wl;

	return !cjk && (wl = fts_fold_term(s, len, word, &nd)) > 0 && wl <= 2;
}

/*
 * The MATCH expression of user_text; with narrow, without its broad parts
 * when others remain (*dropped says whether any was left out).
 */
static char *
fts_match_build(const char *user_text, int narrow, int *dropped, int scan)
{
	const unsigned char *s;
	struct buf b, t;
	unsigned c;
	const char *code;
	char *text, *term, phone[16], masked[8];
	int len, i, n, sp, start, cjk, is_cjk;

	if (user_text == NULL)
		return NULL;
	text = xstrdup(user_text);
	for (i = 0; text[i] != '\0'; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			text[i] = ' ';
	if (fts_phone_text(text, phone)) {
		free(text);
		text = xstrdup(phone);
	}
	s = (const unsigned char *)text;
	len = (int)strlen(text);
	buf_init(&b);
	for (i = 0; i < len; /* nothing */) {
		if ((sp = fts_space(text + i)) != 0) {
			i += sp;
			continue;
		}
		start = i;
		while (i < len && fts_space(text + i) == 0)
			i++;
		if (fts_masked_phone(text + start, i - start, masked)) {
			if (b.len != 0)
				buf_adds(&b, " AND ");
			buf_addf(&b, "\"\002%s\"", masked);
			continue;
		}
		code = NULL;
		if (fts_alias != NULL) {
			term = xstrndup(text + start, i - start);
			code = fts_alias(term);
			free(term);
		}
		buf_init(&t);
		cjk = -1;
		for (i = start; i < len && fts_space(text + i) == 0; i += n) {
			n = fts_utf8_decode(s + i, len - i, &c);
			is_cjk = n > 0 && fts_classify(c) == FC_CJK;
			if (n < 0)
				n = 1;
			if (cjk != -1 && is_cjk != cjk) {
				if (narrow && code == NULL &&
				    fts_part_broad(text + start, i - start, cjk))
					(*dropped)++;
				else
					fts_match_part(&t, text + start, i - start, cjk,
					    narrow ? dropped : NULL, scan);
				start = i;
			}
			cjk = is_cjk;
		}
		if (narrow && code == NULL && fts_part_broad(text + start, i - start, cjk == 1))
			(*dropped)++;
		else
			fts_match_part(&t, text + start, i - start, cjk == 1,
			    narrow ? dropped : NULL, scan);
		if (t.len != 0) {
			if (b.len != 0)
				buf_adds(&b, " AND ");
			if (code != NULL) {
				buf_addf(&b, "((%s) OR ", buf_str(&t));
				fts_quote(&b, code, (int)strlen(code));
				buf_addc(&b, ')');
			} else
				buf_adds(&b, buf_str(&t));
		}
		buf_done(&t);
	}
	free(text);
	if (b.len == 0) {
		buf_done(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *
cache_fts_match(const char *user_text)
{
	return fts_match_build(user_text, 0, NULL, 0);
}

char *
cache_fts_match_scan(const char *user_text)
{
	char *e, *m;

	if ((e = fts_match_build(user_text, 0, NULL, 1)) == NULL ||
	    (m = fts_match_build(user_text, 0, NULL, 0)) == NULL) {
		free(e);
		return NULL;
	}
	if (strcmp(e, m) == 0) {
		free(e);
		e = NULL;
	}
	free(m);
	return e;
}

char *
cache_fts_match_narrow(const char *user_text)
{
	char *e;
	int dropped = 0;

	if ((e = fts_match_build(user_text, 1, &dropped, 0)) == NULL || dropped == 0) {
		free(e);
		return NULL;
	}
	return e;
}

/* Search documents: what each kind of object is found by. */

/*
 * Add text to a document, folded as the tokenizer folds (case, full width,
 * traditional Han), so that a token of a query is a substring of the
 * documents that hold it: the matcher rejects most rows with a memmem().
 * Control characters are spaces: markers are the builder's own.
 */
static void
doc_add(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	char enc[4];
	unsigned c;
	int i, n, len;

	if (s == NULL || *s == '\0')
		return;
	if (b->len != 0)
		buf_addc(b, ' ');
	len = (int)strlen(s);
	for (i = 0; i < len; i += n) {
		if ((n = fts_utf8_decode(u + i, len - i, &c)) < 0) {
			n = 1;
			continue;	/* invalid bytes: never a token */
		}
		if (c < 0x20)
			buf_addc(b, ' ');
		else
			buf_add(b, enc, (size_t)fts_utf8_encode(fts_fold(c), enc));
	}
}

static void
doc_path(struct buf *b, const cJSON *obj, const char *path)
{
	doc_add(b, json_path_str(obj, path));
}

/*
 * A phone number as key words: its digits (a +86 or 0086 country code
 * dropped) and the masked form's token; one held masked ("138****1234")
 * gives its last four digits and both masked tokens.
 */
static void
doc_phone(struct buf *b, const char *phone)
{
	char d[32];
	int n = 0, masked = 0;

	if (phone == NULL)
		return;
	for (; *phone != '\0'; phone++) {
		if (*phone >= '0' && *phone <= '9' && n < (int)sizeof d - 1)
			d[n++] = *phone;
		else if (*phone == '*')
			masked = 1;
	}
	d[n] = '\0';
	if (n == 13 && strncmp(d, "86", 2) == 0)
		memmove(d, d + 2, n -= 2);
	else if (n == 15 && strncmp(d, "0086", 4) == 0)
		memmove(d, d + 4, n -= 4);
	d[n] = '\0';
	if (n < 7) {
		doc_add(b, d);
		return;
	}
	if (masked) {
		doc_add(b, d + n - 4);
		buf_addf(b, " \003%.3s%.4s", d, d + n - 4);
	} else
		doc_add(b, d);
	buf_addf(b, " \002%.3s%.4s", d, d + n - 4);
}

/* The strings of an array of objects at key, each object's field f. */
static void
doc_each(struct buf *b, const cJSON *obj, const char *key, const char *f)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(obj, key))
		doc_add(b, json_str(item, f));
}

void
cache_fts_fold(const char *text, struct buf *out)
{
	buf_reset(out);
	doc_add(out, text);
}

void
cache_fts_doc_add(struct buf *b, const char *text)
{
	doc_add(b, text);
}

void
cache_fts_doc(enum sd_kind k, const cJSON *obj, struct buf *b)
{
	const cJSON *a, *v;
	const char *name;

	buf_reset(b);
	buf_addc(b, FTS_KEYS);
	if (k != KIND_MESSAGE && k != KIND_CANNED_REPLY)
		doc_add(b, json_str(obj, "id"));
	switch (k) {
	case KIND_ORDER:
		a = cJSON_GetObjectItemCaseSensitive(obj, "address");
		doc_phone(b, json_str(a, "phone"));
		doc_path(b, obj, "shipment.tracking_no");
		buf_addc(b, FTS_TEXT);
		doc_add(b, json_str(obj, "customer_id"));
		doc_path(b, obj, "shipment.carrier");
		doc_each(b, obj, "items", "sku_id");
		name = json_str(obj, "customer_name");
		doc_add(b, name);
		if (name == NULL || json_str(a, "name") == NULL ||
		    strcmp(name, json_str(a, "name")) != 0)
			doc_add(b, json_str(a, "name"));
		doc_add(b, json_str(a, "province"));
		if (json_str(a, "city") == NULL || json_str(a, "province") == NULL ||
		    strcmp(json_str(a, "city"), json_str(a, "province")) != 0)
			doc_add(b, json_str(a, "city"));
		doc_add(b, json_str(a, "district"));
		doc_add(b, json_str(a, "line"));
		doc_add(b, json_str(obj, "note"));
		doc_each(b, obj, "items", "title");
		break;
	case KIND_TICKET:
		buf_addc(b, FTS_TEXT);
		doc_add(b, json_str(obj, "order_id"));
		doc_add(b, json_str(obj, "customer_id"));
		doc_add(b, json_str(obj, "customer_name"));
		doc_add(b, json_str(obj, "kind"));
		doc_add(b, json_str(obj, "reason"));
		doc_add(b, json_str(obj, "description"));
		break;
	case KIND_CONVERSATION:
		buf_addc(b, FTS_TEXT);
		doc_add(b, json_str(obj, "customer_id"));
		doc_add(b, json_str(obj, "order_id"));
		doc_add(b, json_str(obj, "customer_name"));
		doc_add(b, json_str(obj, "queue"));
		doc_add(b, json_str(obj, "last_message_preview"));
		break;
	case KIND_MESSAGE:
		buf_addc(b, FTS_TEXT);
		doc_add(b, json_str(obj, "body"));
		break;
	case KIND_SKU:
		doc_add(b, json_str(obj, "barcode"));
		buf_addc(b, FTS_TEXT);
		doc_add(b, json_str(obj, "product_id"));
		doc_add(b, json_str(obj, "product_title"));
		doc_add(b, json_str(obj, "title"));
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(obj,
		    "attributes"))
			if (cJSON_IsString(v))
				doc_add(b, v->valuestring);
		break;
	case KIND_PROMOTION:
		buf_addc(b, FTS_TEXT);
		doc_add(b, json_str(obj, "name"));
		doc_add(b, json_str(obj, "kind"));
		break;
	case KIND_CUSTOMER:
		doc_phone(b, json_str(obj, "phone"));
		buf_addc(b, FTS_TEXT);
		doc_add(b, json_str(obj, "name"));
		doc_add(b, json_str(obj, "email"));
		doc_add(b, json_str(obj, "city"));
		doc_add(b, json_str(obj, "level"));
		break;
	case KIND_CANNED_REPLY:
		buf_addc(b, FTS_TEXT);
		doc_add(b, json_str(obj, "shortcut"));
		doc_add(b, json_str(obj, "title"));
		doc_add(b, json_str(obj, "body"));
		break;
	default:
		buf_addc(b, FTS_TEXT);
		break;
	}
}

/* Highlighting: where the terms of a query are in a text as shown. */

#define SPAN_PARTS	16
#define SPAN_CHARS	64

struct span_part {
	unsigned	 c[SPAN_CHARS];
	int		 n;
};

/* The parts of a query: runs of letters, of digits and of CJK, folded. */
static int
span_parts(const char *query, struct span_part *parts)
{
	const unsigned char *s = (const unsigned char *)query;
	int i, n, len = (int)strlen(query), np = 0, cls, prev = -1;
	unsigned c;

	for (i = 0; i < len; i += n) {
		if ((n = fts_utf8_decode(s + i, len - i, &c)) < 0) {
			n = 1;
			prev = -1;
			continue;
		}
		cls = fts_classify(c);
		if (cls == FC_SEP) {
			prev = -1;
			continue;
		}
		if (cls == FC_WORD)
			cls = fts_is_digit(c) ? 3 : 4;
		if (cls != prev) {
			if (np == SPAN_PARTS)
				break;
			parts[np++].n = 0;
			prev = cls;
		}
		if (parts[np - 1].n < SPAN_CHARS)
			parts[np - 1].c[parts[np - 1].n++] = fts_fold(c);
	}
	return np;
}

int
cache_fts_spans(const char *query, const char *text, int *spans, int max)
{
	struct span_part parts[SPAN_PARTS];
	const unsigned char *s = (const unsigned char *)text;
	int np, i, j, k, n, len, off, at, end, best, ns = 0;
	unsigned c;

	if (query == NULL || text == NULL || max <= 0 ||
	    (np = span_parts(query, parts)) == 0)
		return 0;
	len = (int)strlen(text);
	for (i = 0; i < len; /* nothing */) {
		best = -1;
		for (k = 0; k < np; k++) {
			/* Does part k start at i? */
			for (j = 0, off = i; j < parts[k].n && off < len; j++, off += n) {
				if ((n = fts_utf8_decode(s + off, len - off, &c)) < 0 ||
				    fts_fold(c) != parts[k].c[j])
					break;
			}
			if (j == parts[k].n && off > best)
				best = off;
		}
		if ((n = fts_utf8_decode(s + i, len - i, &c)) < 0)
			n = 1;
		if (best < 0) {
			i += n;
			continue;
		}
		at = i;
		end = best;
		if (ns > 0 && spans[2 * ns - 1] == at)
			spans[2 * ns - 1] = end;	/* adjacent: one span */
		else if (ns < max) {
			spans[2 * ns] = at;
			spans[2 * ns + 1] = end;
			ns++;
		} else
			break;
		i = end;
	}
	return ns;
}

/*
 * The matcher: a MATCH expression of cache_fts_match() evaluated on one
 * document in C, as FTS5 evaluates it over the index with this tokenizer:
 * phrases (their tokens at successive positions, the last a prefix after
 * '*'), AND, OR and brackets -- the only syntax cache_fts_match() writes. A
 * list that most rows match is read in its own order and filtered so
 * (cache-query.c), rather than through the index, where a short prefix
 * ("S", "SO1") merges the lists of a million terms.
 */
enum fm_type { FM_AND, FM_OR, FM_PHRASE };

struct fm_node {
	enum fm_type	  type;
	struct fm_node	**kids;
	int		  nkids;
	char		**tok;		/* FM_PHRASE: folded tokens */
	int		 *tlen;
	int		  ntok;
	int		  prefix;	/* the last token is a prefix */
};

struct fts_matcher {
	struct fm_node	*root;
	/* The document being matched, reused: tokens and their positions. */
	char		*text;
	size_t		 textcap, textlen;
	int		*off, *len, *pos;
	int		 ntok, cap, npos;
};

static void
fm_free(struct fm_node *n)
{
	int i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		fm_free(n->kids[i]);
	for (i = 0; i < n->ntok; i++)
		free(n->tok[i]);
	free(n->kids);
	free(n->tok);
	free(n->tlen);
	free(n);
}

static void
fm_add_kid(struct fm_node *n, struct fm_node *k)
{
	n->kids = xrealloc(n->kids, ((size_t)n->nkids + 1) * sizeof *n->kids);
	n->kids[n->nkids++] = k;
}

static int
fm_phrase_token(void *arg, int flags, const char *tok, int len, int start, int end)
{
	struct fm_node *n = arg;

	(void)flags; (void)start; (void)end;
	n->tok = xrealloc(n->tok, ((size_t)n->ntok + 1) * sizeof *n->tok);
	n->tlen = xrealloc(n->tlen, ((size_t)n->ntok + 1) * sizeof *n->tlen);
	n->tok[n->ntok] = xstrndup(tok, (size_t)len);
	n->tlen[n->ntok++] = len;
	return 0;
}

static struct fm_node *fm_or(const char **p);

/*
 * A phrase: quoted strings ("" a quote) joined by " + ", their tokens one
 * after the other, a '*' after the last; or a bracketed expression.
 */
static struct fm_node *
fm_primary(const char **p)
{
	struct fm_node *n;
	struct buf b;
	const char *s = *p;

	if (*s == '(') {
		*p = s + 1;
		if ((n = fm_or(p)) == NULL || **p != ')') {
			fm_free(n);
			return NULL;
		}
		(*p)++;
		return n;
	}
	if (*s != '"')
		return NULL;
	n = xcalloc(1, sizeof *n);
	n->type = FM_PHRASE;
	for (;;) {
		buf_init(&b);
		for (s++;; s++) {
			if (*s == '\0') {
				buf_done(&b);
				fm_free(n);
				return NULL;
			}
			if (*s == '"') {
				if (s[1] != '"')
					break;
				s++;
			}
			buf_addc(&b, *s);
		}
		s++;
		if (b.len > 0)
			fts_tokenize(b.data, (int)b.len, 1, fm_phrase_token, n);
		buf_done(&b);
		if (strncmp(s, " + \"", 4) != 0)
			break;
		s += 3;
	}
	if (*s == '*') {
		n->prefix = 1;
		s++;
	}
	*p = s;
	return n;
}

static struct fm_node *
fm_list(const char **p, const char *op, enum fm_type type,
    struct fm_node *(*next)(const char **))
{
	struct fm_node *n, *k;
	size_t oplen = strlen(op);

	if ((k = next(p)) == NULL)
		return NULL;
	if (strncmp(*p, op, oplen) != 0)
		return k;
	n = xcalloc(1, sizeof *n);
	n->type = type;
	fm_add_kid(n, k);
	while (strncmp(*p, op, oplen) == 0) {
		*p += oplen;
		if ((k = next(p)) == NULL) {
			fm_free(n);
			return NULL;
		}
		fm_add_kid(n, k);
	}
	return n;
}

static struct fm_node *
fm_and(const char **p)
{
	return fm_list(p, " AND ", FM_AND, fm_primary);
}

static struct fm_node *
fm_or(const char **p)
{
	return fm_list(p, " OR ", FM_OR, fm_and);
}

struct fts_matcher *
cache_fts_matcher(const char *expr)
{
	struct fts_matcher *m;
	struct fm_node *root;
	const char *p = expr;

	if (expr == NULL || (root = fm_or(&p)) == NULL)
		return NULL;
	if (*p != '\0') {
		fm_free(root);
		return NULL;
	}
	m = xcalloc(1, sizeof *m);
	m->root = root;
	return m;
}

void
cache_fts_matcher_free(struct fts_matcher *m)
{
	if (m == NULL)
		return;
	fm_free(m->root);
	free(m->text);
	free(m->off);
	free(m->len);
	free(m->pos);
	free(m);
}

/* Collect a document's tokens: their bytes, and each one's position. */
static int
fm_doc_token(void *arg, int flags, const char *tok, int len, int start, int end)
{
	struct fts_matcher *m = arg;

	(void)start; (void)end;
	if (m->ntok == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 128;
		m->off = xrealloc(m->off, ((size_t)m->cap) * sizeof *m->off);
		m->len = xrealloc(m->len, ((size_t)m->cap) * sizeof *m->len);
		m->pos = xrealloc(m->pos, ((size_t)m->cap) * sizeof *m->pos);
	}
	if (m->textlen + (size_t)len > m->textcap) {
		m->textcap = 2 * (m->textlen + (size_t)len) + 256;
		m->text = xrealloc(m->text, m->textcap);
	}
	memcpy(m->text + m->textlen, tok, (size_t)len);
	m->off[m->ntok] = (int)m->textlen;
	m->len[m->ntok] = len;
	if (!flags || m->ntok == 0)
		m->npos++;
	m->pos[m->ntok++] = m->npos - 1;
	m->textlen += (size_t)len;
	return 0;
}

/* Whether token j of the document is t (or starts with it, as a prefix). */
static int
fm_tok_is(const struct fts_matcher *m, int j, const char *t, int tlen, int prefix)
{
	if (prefix ? m->len[j] < tlen : m->len[j] != tlen)
		return 0;
	return memcmp(m->text + m->off[j], t, (size_t)tlen) == 0;
}

/* Whether the document has a token of position pos that is t. */
static int
fm_at(const struct fts_matcher *m, int from, int pos, const char *t, int tlen, int prefix)
{
	int j;

	for (j = from; j < m->ntok && m->pos[j] <= pos; j++)
		if (m->pos[j] == pos && fm_tok_is(m, j, t, tlen, prefix))
			return 1;
	return 0;
}

static int
fm_eval(const struct fts_matcher *m, const struct fm_node *n)
{
	int i, j, k, last;

	switch (n->type) {
	case FM_AND:
		for (i = 0; i < n->nkids; i++)
			if (!fm_eval(m, n->kids[i]))
				return 0;
		return 1;
	case FM_OR:
		for (i = 0; i < n->nkids; i++)
			if (fm_eval(m, n->kids[i]))
				return 1;
		return 0;
	case FM_PHRASE:
		if (n->ntok == 0)
			return 0;
		for (j = 0; j < m->ntok; j++) {
			last = n->ntok == 1;
			if (!fm_tok_is(m, j, n->tok[0], n->tlen[0], last && n->prefix))
				continue;
			for (k = 1; k < n->ntok; k++) {
				last = k == n->ntok - 1;
				if (!fm_at(m, j, m->pos[j] + k, n->tok[k], n->tlen[k],
				    last && n->prefix))
					break;
			}
			if (k == n->ntok)
				return 1;
		}
		return 0;
	}
	return 0;
}

/*
 * Whether the folded document doc (len bytes) holds t (tlen bytes) where a
 * token may start: a token starting with an ASCII digit starts a run of
 * digits, one starting with an ASCII letter is after no letter (a word's
 * parts split where digits and letters meet). "79" of "SO10992751" is no
 * token's start: a prefix of digits is in most documents as a substring
 * (the digits of phones, order and tracking numbers), at a start in few.
 */
static int
fm_find_start(const char *doc, int len, const char *t, int tlen)
{
	const char *p = doc, *end = doc + len;
	int (*same)(char);

	if (tlen <= 0)
		return 1;
	if (t[0] >= '0' && t[0] <= '9')
		same = fm_is_digit;
	else if (fts_is_letter(t[0]))
		same = fts_is_letter;
	else
		return memmem(doc, (size_t)len, t, (size_t)tlen) != NULL;
	while (p < end && (p = memmem(p, (size_t)(end - p), t, (size_t)tlen)) != NULL) {
		if (p == doc || !same(p[-1]))
			return 1;
		p++;
	}
	return 0;
}

/*
 * Whether doc may match n: each token of a phrase is in the (folded)
 * document where a token may start (fm_find_start()) -- a tail token
 * reversed back, anywhere. Cheap, and false for most rows of a rare text.
 */
static int
fm_maybe(const struct fm_node *n, const char *doc, int len)
{
	char rev[FTS_WORD_MAX + 2];
	int i, k;

	switch (n->type) {
	case FM_AND:
		for (i = 0; i < n->nkids; i++)
			if (!fm_maybe(n->kids[i], doc, len))
				return 0;
		return 1;
	case FM_OR:
		for (i = 0; i < n->nkids; i++)
			if (fm_maybe(n->kids[i], doc, len))
				return 1;
		return 0;
	case FM_PHRASE:
		for (i = 0; i < n->ntok; i++) {
			if (n->tlen[i] > 1 && n->tok[i][0] == FTS_PREFIX) {
				/* Its digits: its letters may be a word before. */
				for (k = 1; k < n->tlen[i] && (n->tok[i][k] < '0' ||
				    n->tok[i][k] > '9'); k++)
					;
				if (!fm_find_start(doc, len, n->tok[i] + k, n->tlen[i] - k))
					return 0;
			} else if (n->tlen[i] > 1 && n->tok[i][0] == FTS_LEAD) {
				if (!fm_find_start(doc, len, n->tok[i] + 1, n->tlen[i] - 1))
					return 0;
			} else if (n->tlen[i] > 1 && n->tok[i][0] == FTS_TAIL4) {
				if (memmem(doc, (size_t)len, n->tok[i] + 1,
				    (size_t)(n->tlen[i] - 1)) == NULL)
					return 0;
			} else if (n->tlen[i] > 1 && n->tok[i][0] == FTS_TAIL &&
			    n->tlen[i] <= FTS_WORD_MAX + 1) {
				for (k = 1; k < n->tlen[i]; k++)
					rev[k - 1] = n->tok[i][n->tlen[i] - k];
				if (memmem(doc, (size_t)len, rev, (size_t)n->tlen[i] - 1) == NULL)
					return 0;
			} else if (!fm_find_start(doc, len, n->tok[i], n->tlen[i]))
				return 0;
		}
		return 1;
	}
	return 1;
}

int
cache_fts_matches(struct fts_matcher *m, const char *doc, int len)
{
	m->ntok = m->npos = 0;
	m->textlen = 0;
	if (doc == NULL || len <= 0 || !fm_maybe(m->root, doc, len))
		return 0;
	fts_tokenize(doc, len, 0, fm_doc_token, m);
	return fm_eval(m, m->root);
}

/*
 * The index holds no positions (detail=none, cache.c's migration 17), so it
 * cannot answer a phrase: expr written again for it, each phrase of several
 * tokens as their AND (the last one still a prefix after '*'), into b. A
 * superset of expr's rows; *exact stays 1 when it is expr's very rows.
 */
/* Whether token i of phrase n is a word of one or two letters (or their prefix). */
static int
fm_broad(const struct fm_node *n, int i)
{
	return n->tlen[i] <= FTS_LEAD_MAX && fts_is_letter(n->tok[i][0]) &&
	    (n->tlen[i] == 1 || fts_is_letter(n->tok[i][1]));
}

static void
fm_index_write(const struct fm_node *n, struct buf *b, int *exact)
{
	const char *op = n->type == FM_AND ? " AND " : " OR ";
	int i, k, broad;

	switch (n->type) {
	case FM_AND:
	case FM_OR:
		buf_addc(b, '(');
		for (i = 0; i < n->nkids; i++) {
			if (i != 0)
				buf_adds(b, op);
			fm_index_write(n->kids[i], b, exact);
		}
		buf_addc(b, ')');
		return;
	case FM_PHRASE:
		if (n->ntok == 0) {
			buf_adds(b, "\"\"");
			return;
		}
		if (n->ntok > 1) {
			*exact = 0;
			buf_addc(b, '(');
		}
		/*
		 * A word of one or two letters beside others ("so" of SO1029,
		 * "c" of C10335) is in most rows: its list would be read
		 * whole for nothing the others do not narrow better.
		 */
		for (i = 0; i < n->ntok; i++)
			if (!fm_broad(n, i))
				break;
		broad = i == n->ntok ? 0 : 1;
		for (i = 0, k = 0; i < n->ntok; i++) {
			if (broad && fm_broad(n, i))
				continue;
			if (k++ != 0)
				buf_adds(b, " AND ");
			fts_quote(b, n->tok[i], n->tlen[i]);
			if (i == n->ntok - 1 && n->prefix)
				buf_addc(b, '*');
		}
		if (n->ntok > 1)
			buf_addc(b, ')');
		return;
	}
}

char *
cache_fts_index(const char *expr)
{
	struct fts_matcher *m;
	struct buf b;
	int exact = 1;

	if ((m = cache_fts_matcher(expr)) == NULL)
		return NULL;
	buf_init(&b);
	fm_index_write(m->root, &b, &exact);
	cache_fts_matcher_free(m);
	if (exact) {
		buf_done(&b);
		return NULL;
	}
	return buf_steal(&b);
}
