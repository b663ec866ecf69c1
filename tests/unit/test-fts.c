/*
 * test-fts.c -- the sdcjk tokenizer and the MATCH expressions it serves.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache-fts.h"
#include "tap.h"
#include "util/buf.h"

/* Tokens joined by '|', a colocated one marked with a trailing '+'. */
static void
collect(void *arg, const char *tok, int len, int colocated)
{
	struct buf *b = arg;

	if (b->len != 0)
		buf_addc(b, '|');
	buf_add(b, tok, (size_t)len);
	if (colocated)
		buf_addc(b, '+');
}

static char *
tokens(const char *text, int len, int query)
{
	struct buf b;

	buf_init(&b);
	cache_fts_tokenize(text, len, query, collect, &b);
	return buf_steal(&b);
}

static void
is_tokens(const char *text, int query, const char *want, const char *name)
{
	char *got = tokens(text, -1, query);

	is_str(got, want, name);
	free(got);
}

static void
is_match(const char *text, const char *want, const char *name)
{
	char *got = cache_fts_match(text);

	if (want == NULL) {
		ok(got == NULL, "%s", name);
		if (got != NULL)
			printf("#   got '%s', expected NULL\n", got);
	} else
		is_str(got, want, name);
	free(got);
}

static void
test_tokenizer(void)
{
	char *got, long_word[301];

	is_tokens("张三丰", 0, "张|张三+|三|三丰+|丰",
	    "document: unigrams with colocated bigrams");
	is_tokens("张三丰", 1, "张三|三丰", "query: bigrams of a run");
	is_tokens("张", 1, "张", "query: a single character is its unigram");
	is_tokens("张三 丰", 1, "张三|三|丰",
	    "query: a run followed by a token keeps document positions");
	is_tokens("张三，丰", 0, "张|张三+|三|丰",
	    "CJK punctuation separates runs, no bigram across it");
	is_tokens("Emily CHEN-42", 0, "emily|\006e+|\006em+|chen|\006c+|\006ch+|42|\00442+",
	    "Latin words and digits, ASCII folded, punctuation separates; digits after"
	    " four letters have their first two and three digits' prefix tokens alone");
	is_tokens("Emily CHEN", 1, "emily|chen", "query mode folds Latin too");
	is_tokens("ＳＦ１２３ Ａb", 0, "sf|\006s+|123|\00412+|\004123+|\004sf12+|\004sf123+|ab|\006a+",
	    "full-width ASCII folded, letters and digits split; two letters and digits'"
	    " prefixes");
	is_tokens("Mate60 Pro", 0, "mate|\006m+|\006ma+|60|\00460+|pro|\006p+|\006pr+",
	    "a word is split where letters meet digits");
	is_tokens("Mate60", 1, "mate|60", "the same in a query");
	is_tokens("張偉 東華", 0, "张|张伟+|伟|东|东华+|华",
	    "traditional characters are indexed simplified");
	is_tokens("張偉", 1, "张伟", "and queried simplified");
	is_tokens("\037SO10000001 13812341234\036张", 0,
	    "so|\006s+|\00110000001os+|\0050001+|\00500001+|10000001|\00410+|\004100+|"
	    "\004so10+|\004so100+|\004so1000+|\004so10000+|"
	    "13812341234|\00413+|\004138+|\00143214321831+|"
	    "\0051234+|\00541234+|张",
	    "key words also give their bytes reversed, and their last four and five digits");
	is_tokens("\037SF02195976A 1234567890X\036", 0,
	    "sf|\006s+|\001a67959120fs+|02195976|\00402+|\004021+|"
	    "\004sf02+|\004sf021+|\004sf0219+|\004sf02195+|a|"
	    "1234567890|\00412+|\004123+|\004a12+|\004a123+|\004a1234+|\004a12345+|\001x0987654321+|x",
	    "a key word ending in a letter has no four-digit tail");
	is_tokens("\037ab12\036SO10000001", 0,
	    "ab|\006a+|12|\00412+|\004ab12+|so|\006s+|10000001|\00410+|\004100+|"
	    "\004so10+|\004so100+|\004so1000+|\004so10000+",
	    "short key words and text words give no tail");
	is_tokens("\037\0021381234 \0031381234", 0,
	    "\0021381234|\0021381+|\00213812+|\002138123+|\0031381234",
	    "a marked key word is one token; a masked form also as typed so far");
	is_tokens("\037\002138123 \00213812345", 0, "\002138123|\00213812345",
	    "only a masked form of seven digits gives its first digits");
	is_tokens("\0017423", 1, "\0017423", "a marked query is one token");
	is_tokens("a\001b \002c", 0, "a|b|c", "markers in text are separators");
	is_tokens("iPhone手机", 0, "iphone|\006i+|\006ip+|手|手机+|机",
	    "mixed text: a Latin word then a CJK run");
	is_tokens("iPhone手机", 1, "iphone|手机", "mixed text, query mode");
	is_tokens("纯棉T恤 白色/M", 0, "纯|纯棉+|棉|t|恤|白|白色+|色|m",
	    "a Latin letter between CJK breaks the run");
	is_tokens("カタカナ", 0, "カ|カタ+|タ|タカ+|カ|カナ+|ナ", "katakana");
	is_tokens("한국", 0, "한|한국+|국", "hangul");
	is_tokens("㐀㐁", 0, "㐀|㐀㐁+|㐁", "Han extension A");
	is_tokens("café ÜNÏ ŁÓDŹ ΑΒΓ ДОМ", 0, "café|\006c+|\006ca+|ünï|łódź|αβγ|дом",
	    "Latin, Greek and Cyrillic capitals are folded");
	is_tokens("😀hi😀", 0, "hi|\006h+", "emoji separate and are not indexed");
	is_tokens("ab\xff\xfe张\xe5\x8c三", 0, "ab|\006a+|张|三",
	    "invalid UTF-8 bytes are skipped and break runs");
	is_tokens("\xc0\xaf\xed\xa0\x80x\xf4\x90\x80\x80", 0, "x",
	    "overlong, surrogate and out-of-range sequences are skipped");
	is_tokens("张\xe4\xb8", 0, "张", "a truncated sequence at the end is skipped");
	is_tokens("", 0, "", "empty text has no token");
	is_tokens(" ,.;、。", 0, "", "punctuation only has no token");

	got = tokens("张三丰", 3, 0);
	is_str(got, "张", "the length argument is honoured");
	free(got);

	memset(long_word, 'a', 300);
	long_word[300] = '\0';
	got = tokens(long_word, -1, 0);
	is_int(strcspn(got, "|"), 255, "a very long word is cut to 255 bytes");
	free(got);
}

static const char *
alias(const char *term)
{
	return strcmp(term, "退货退款") == 0 ? "return_refund" : NULL;
}

static void
test_match(void)
{
	is_match("张三", "\"张三\"", "CJK term: exact phrase");
	is_match("emi", "\"emi\"*", "Latin term: prefix");
	is_match("SO 张", "(\"so\" OR \"\006so\") AND \"张\"",
	    "terms are ANDed; two letters: the word or the words they start");
	is_match("SO1000", "(\"\004so1000\" OR \"\0010001os\"*)",
	    "a word with a digit is also a tail");
	is_match("13812341234",
	    "(\"13812341234\"* OR \"\00143214321831\"* OR \"\0031381234\")",
	    "eleven digits: also a phone held masked");
	is_match("+86 138-1234 1234",
	    "(\"13812341234\"* OR \"\00143214321831\"* OR \"\0031381234\")",
	    "a phone typed with spaces, dashes and a country code is its digits");
	is_match("138****1234", "\"\0021381234\"", "the masked form of a phone");
	is_match("138****12", "\"\00213812\"", "the masked form typed so far: one term");
	is_match("138****1", "\"\0021381\"", "its first digit after the stars");
	is_match("1234", "(\"1234\"* OR \"\0051234\")",
	    "four digits: a prefix, or the one term of the key words ending so");
	is_match("41234", "(\"41234\"* OR \"\00541234\")", "five digits: the same");
	is_match("341234", "(\"341234\"* OR \"\001432143\"*)",
	    "six: the prefix query of the words reversed");
	is_match("SO100", "(\"\004so100\" OR \"\001001os\"*)",
	    "four or more with letters: the tail a prefix query still");
	is_match("１３８＊＊＊＊１２３４", "\"\0021381234\"", "the same in full width");
	is_match("SO-1000", "\"\004so1000\"",
	    "two letters, a dash and digits: their prefix token");
	is_match("Mate60", "(\"Mate\" + \"\00460\" OR \"\00106etam\"*)",
	    "two digits after more letters: a phrase ending in their prefix token (and a tail)");
	is_match("Mate600", "(\"Mate\" + \"\004600\" OR \"\001006etam\"*)",
	    "three digits after more letters: the same");
	is_match("Mate6000", "(\"Mate6000\"* OR \"\0010006etam\"*)",
	    "four digits after more letters: a prefix phrase (and a tail)");
	is_match("C17", "\"\004c17\"", "a letter and two digits: their prefix token");
	is_match("10", "\"\00410\"", "two digits: their prefix token");
	is_match("138", "\"\004138\"", "three digits: their prefix token");
	is_match("138**12", "\"138**\" + \"\00412\"",
	    "not a masked phone: a phrase of its words");
	{
		char *s1 = cache_fts_match_scan("SO100123"), *s2 = cache_fts_match_scan("185047"),
		    *s3 = cache_fts_match_scan("SO1001");

		ok(s1 != NULL && strcmp(s1, "(\"\004so10012\" OR \"\001321001os\"*)") == 0 &&
		    s2 == NULL && s3 == NULL,
		    "read in order, two letters and six digits are asked as the first five's token;"
		    " six digits alone, or five with letters, as they are (%s)",
		    s1 != NULL ? s1 : "NULL");
		free(s1);
		free(s2);
		free(s3);
	}
	is_match("a\001b", "(\"a\" OR \"\006a\") AND (\"b\" OR \"\006b\")",
	    "typed control characters are spaces, never markers");
	is_match("iPhone手机", "\"iPhone\"* AND \"手机\"",
	    "mixed term split into a Latin and a CJK part");
	is_match("纯棉T恤", "\"纯棉\" AND (\"t\" OR \"\006t\") AND \"恤\"",
	    "each change of script starts a part");
	is_match("say \"hi\"", "\"say\"* AND \"\"\"hi\"\"\"*",
	    "inner quotes are doubled");
	is_match("张三\xe3\x80\x80丰", "\"张三\" AND \"丰\"",
	    "the ideographic space separates terms");
	is_match("浙江省/杭州市", "\"浙江省\" AND \"杭州市\"",
	    "punctuation-only parts are dropped");
	is_match("   ", NULL, "blank text has no term");
	is_match("！？ --", NULL, "punctuation has no searchable term");
	is_match(NULL, NULL, "NULL has no term");
	{
		char *n1 = cache_fts_match_narrow("花园街8"), *n2 = cache_fts_match_narrow("SO1000"),
		    *n3 = cache_fts_match_narrow("8 a");

		ok(n1 != NULL && strcmp(n1, "\"花园街\"") == 0 && n2 == NULL && n3 == NULL,
		    "the index is asked without one- and two-character parts when others remain"
		    " (%s)", n1 != NULL ? n1 : "NULL");
		free(n1);
		free(n2);
		free(n3);
	}
	cache_fts_set_alias(alias);
	is_match("退货退款 张", "((\"退货退款\") OR \"return_refund\") AND \"张\"",
	    "a term naming a code asks for the term or the code");
	cache_fts_set_alias(NULL);
}

/* Rows of t whose text matches what a user typed. */
static int
count_matches(sqlite3 *db, const char *typed)
{
	sqlite3_stmt *stmt;
	char *expr = cache_fts_match(typed);
	int n = 0;

	if (expr == NULL)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1,
	    &stmt, NULL) != SQLITE_OK) {
		free(expr);
		return -2;
	}
	sqlite3_bind_text(stmt, 1, expr, -1, SQLITE_TRANSIENT);
	n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -3;
	sqlite3_finalize(stmt);
	free(expr);
	return n;
}

/* Rows of t that the raw expression expr matches. */
static int
count_raw(sqlite3 *db, const char *expr)
{
	sqlite3_stmt *stmt;
	int n;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1,
	    &stmt, NULL) != SQLITE_OK)
		return -2;
	sqlite3_bind_text(stmt, 1, expr, -1, SQLITE_STATIC);
	n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -3;
	sqlite3_finalize(stmt);
	return n;
}

static void
test_index(void)
{
	sqlite3 *db;
	char *cause = NULL;
	int rc;

	rc = sqlite3_open(":memory:", &db);
	ok(rc == SQLITE_OK, "open an in-memory database");
	rc = cache_fts_register(db, &cause);
	ok(rc == 0, "register sdcjk (%s)", cause ? cause : "ok");
	free(cause);
	rc = sqlite3_exec(db,
	    "CREATE VIRTUAL TABLE t USING fts5(name, tokenize='sdcjk');"
	    "INSERT INTO t(name) VALUES ('张三丰'), ('Emily Chen'), ('李四'),"
	    " ('手机 iPhone 15 Pro'), ('张三 丰');", NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "an FTS5 table with tokenize='sdcjk' (%s)",
	    sqlite3_errmsg(db));

	is_int(count_matches(db, "张"), 2, "张 finds 张三丰 and 张三 丰 by unigram");
	is_int(count_matches(db, "张三"), 2, "张三 finds both by bigram");
	is_int(count_matches(db, "三丰"), 1, "三丰 finds 张三丰 only");
	is_int(count_matches(db, "张三丰"), 1, "张三丰 finds itself only");
	is_int(count_matches(db, "张丰"), 0, "张丰 does not find 张三丰");
	is_int(count_matches(db, "chen"), 1, "chen finds Emily Chen");
	is_int(count_matches(db, "EMI"), 1, "EMI finds Emily by prefix");
	is_int(count_matches(db, "emily chen"), 1, "two Latin terms");
	is_int(count_matches(db, "emily 张"), 0, "terms are ANDed");
	is_int(count_matches(db, "iPhone手机"), 1,
	    "iPhone手机 finds 手机 iPhone: both parts, any place");
	is_int(count_matches(db, "iPhone电脑"), 0, "iPhone电脑 does not");
	is_int(count_matches(db, "李"), 1, "李 finds 李四");

	rc = sqlite3_exec(db,
	    "INSERT INTO t(name) VALUES"
	    " ('\037SO10000001 13812341234 \0021381234 SF0219597663247\036華為 Mate 60 Pro'),"
	    " ('\037SO10000002 1234 \0031381234 \0021381234\036张伟 Mate60');",
	    NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "documents with keys (%s)", sqlite3_errmsg(db));
	is_int(count_matches(db, "Mate60"), 2, "Mate60 finds Mate 60 and Mate60");
	is_int(count_matches(db, "mate 60"), 2, "mate 60 finds both too");
	is_int(count_matches(db, "华为"), 1, "华为 finds 華為");
	is_int(count_matches(db, "張偉"), 1, "張偉 finds 张伟");
	is_int(count_matches(db, "0001"), 1, "an order number's tail");
	is_int(count_matches(db, "10000001"), 1, "an order number without its prefix");
	is_int(count_matches(db, "so10000002"), 1, "an order number in lower case");
	is_int(count_matches(db, "3247"), 1, "a tracking number's tail");
	is_int(count_matches(db, "0219597663247"), 1,
	    "a tracking number without its carrier prefix");
	is_int(count_matches(db, "1234"), 2, "the last four digits of a phone");
	is_int(count_matches(db, "41234"), 1,
	    "more digits of the tail: only the phone held whole");
	is_int(count_matches(db, "138****1234"), 2, "the masked form finds both");
	is_int(count_matches(db, "138****12"), 2, "the masked form typed so far finds both");
	is_int(count_matches(db, "138****1"), 2, "one digit past the stars");
	is_int(count_matches(db, "138****13"), 0, "digits the last four do not start with");
	is_int(count_matches(db, "139****1"), 0, "nor other first digits");
	is_int(count_matches(db, "7663"), 0, "four digits inside a tracking number: no tail");
	is_int(count_matches(db, "13812341234"), 2,
	    "the full number finds it whole and held masked");
	is_int(count_matches(db, "13912341234"), 0, "another number finds neither");
	is_int(count_matches(db, "SO1000"), 2,
	    "an order number's first digits: one prefix token of the index");
	is_int(count_matches(db, "SO10000"), 2, "five digits: the longest prefix token");
	is_int(count_matches(db, "SO100000"), 2, "six: a prefix query again");
	is_int(count_matches(db, "10"), 2, "two digits alone");
	is_int(count_matches(db, "1381"), 1, "a phone held whole, by its first digits");
	is_int(count_matches(db, "SO1001"), 0, "a prefix no order number has");
	is_int(count_matches(db, "SF02"), 1, "a tracking number by its carrier and first digits");
	is_int(count_matches(db, "mate 6"), 2, "a one-digit prefix still finds Mate 60");
	is_int(count_matches(db, "SF"), 1, "two letters: the carrier part of a tracking number");
	is_int(count_matches(db, "ma"), 2, "two letters a word starts (Mate)");
	{
		static const char *const leads[] = { "s", "sf", "m", "ma", "p", "pr", "e",
		    "em", "ch", "i", "ip", "z", "zz", "a", "so", "c", "mat", NULL };
		char raw[16];
		int i, bad = 0;

		for (i = 0; leads[i] != NULL; i++) {
			snprintf(raw, sizeof raw, "\"%s\"*", leads[i]);
			if (count_matches(db, leads[i]) != count_raw(db, raw)) {
				printf("#   '%s': %d rows, the prefix query %d\n", leads[i],
				    count_matches(db, leads[i]), count_raw(db, raw));
				bad++;
			}
		}
		ok(bad == 0, "one or two letters find what their prefix query finds");
	}
	is_int(count_matches(db, "\"OR\" NEAR( *"), 0,
	    "query syntax typed is text, never an error");
	is_int(count_matches(db, "mate OR\""), 0, "OR is a word to find");

	/* A raw phrase across a space keeps positions (query alignment). */
	rc = sqlite3_exec(db, "CREATE TABLE r(n); INSERT INTO r SELECT count(*)"
	    " FROM t WHERE t MATCH '\"张三 丰\"'", NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "a raw phrase query runs");
	{
		sqlite3_stmt *stmt;

		sqlite3_prepare_v2(db, "SELECT n FROM r", -1, &stmt, NULL);
		sqlite3_step(stmt);
		is_int(sqlite3_column_int(stmt, 0), 2,
		    "phrase \"张三 丰\" finds 张三 丰 and 张三丰");
		sqlite3_finalize(stmt);
	}
	sqlite3_close(db);
}

static void
is_spans(const char *query, const char *text, const char *want, const char *name)
{
	int sp[16], n, i;
	struct buf b;

	buf_init(&b);
	n = cache_fts_spans(query, text, sp, 8);
	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, '|');
		buf_add(&b, text + sp[2 * i], (size_t)(sp[2 * i + 1] - sp[2 * i]));
	}
	is_str(buf_str(&b), want, name);
	buf_done(&b);
}

static void
test_spans(void)
{
	is_spans("张三", "张三丰 and 张三", "张三|张三", "CJK phrases");
	is_spans("張三", "张三丰", "张三", "traditional lights simplified");
	is_spans("emi", "Emily EMI", "Emi|EMI", "case-insensitive prefixes anywhere");
	is_spans("Mate60", "Huawei Mate 60 Pro", "Mate|60", "letters and digits apart");
	is_spans("138****1234", "138****1234", "138|1234", "a masked phone's shown digits");
	is_spans("13812341234", "138****1234", "", "the full number lights nothing masked");
	is_spans("0001", "SO10000001", "0001", "a tail");
	is_spans("ＳＦ", "SF0219", "SF", "full width");
	is_spans("", "abc", "", "an empty query lights nothing");
	is_spans("a b", "abc", "ab", "adjacent matches are one range");
}

/* Fold a test document as cache_fts_doc() would, its markers kept. */
static void
fold_doc(const char *doc, struct buf *out)
{
	struct buf part;
	const char *p, *e;

	buf_init(&part);
	for (p = doc; *p != '\0'; p = e) {
		if ((unsigned char)*p < 0x20) {
			buf_addc(out, *p);
			e = p + 1;
			continue;
		}
		for (e = p; *e != '\0' && (unsigned char)*e >= 0x20; e++)
			;
		{
			char *t = strndup(p, (size_t)(e - p));

			cache_fts_fold(t, &part);
			buf_add(out, part.data, part.len);
			free(t);
		}
	}
	buf_done(&part);
}

/*
 * The matcher agrees with FTS5: for every query, the rows it accepts are
 * the rows the index finds; and what the index is asked instead of a
 * query (cache_fts_match_narrow()) finds every one of them. The cache's
 * index holds no positions (detail=none): asked cache_fts_index() of a
 * query, it finds every row the phrase index finds, and with the matcher
 * on top exactly those (a document with the terms of a phrase apart,
 * "张三 三丰" for 张三丰, is found by the terms and dropped by the matcher).
 */
static void
test_matcher(void)
{
	static const char *docs[] = {
		"张三丰", "Emily Chen", "手机 iPhone 15 Pro", "张三 丰",
		"\037SO10000001 13812341234 \0021381234 SF0219597663247\036華為 Mate 60 Pro",
		"\037SO10000002 1234 \0031381234 \0021381234\036张伟 Mate60 return_refund",
		"\037C100019\036Eric Miller 北京市东城区 科技路412号 低脂牛奶 250ml×24",
		"张三 三丰 Mate 9 60 pro 15 iphone 41 科技 路4",
	};
#define NDOCS ((int)(sizeof docs / sizeof docs[0]))
	static const char *queries[] = {
		"张", "张三", "三丰", "张三丰", "张丰", "chen", "EMI", "emily chen", "iPhone手机",
		"S", "SO", "SO1", "SO10000001", "0001", "1234", "41234", "138****1234",
		"13812341234", "Mate60", "mate 6", "华为", "張偉", "3247", "0219597663247",
		"北京 412", "科技路4", "250ml", "ml×24", "return refund", "c1000", "ｅｍｉ",
		"\"OR\" NEAR(", "丰 张三", "SO10000002", "C100019", "科技路4", "JD4", "138****12",
		"SO10", "SO100", "SO1000", "SO10000", "SO100000", "C10", "C1000", "1381", "13812",
		"41", "科技路41", "25", "250", "SF02", "SF0219", "Mate 60", "mate60 pro", "1234 13",
		"C1001", "SO-1000", "SO 1000", "Mate6", "ab12", "138****1", "138****123",
		"138****13", "139****12", "0019", "0002", "7663", "1234 0001", "SF", "sf 3247",
		"e", "Ma", "mi", "ER", "张 m", "z", NULL
	};
	sqlite3 *db;
	sqlite3_stmt *ins, *q, *qn;
	struct buf folded[NDOCS];
	struct fts_matcher *m;
	char *expr, *narrow, *idx, *cause = NULL;
	int i, d, fts, mine, none, bad = 0, n = 0, phrases = 0, apart = 0;

	sqlite3_open(":memory:", &db);
	cache_fts_register(db, &cause);
	sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='sdcjk');"
	    "CREATE VIRTUAL TABLE tn USING fts5(x, tokenize='sdcjk', detail=none)", NULL, NULL,
	    NULL);
	sqlite3_prepare_v2(db, "INSERT INTO t(rowid, x) VALUES (?1, ?2);", -1, &ins, NULL);
	for (d = 0; d < NDOCS; d++) {
		buf_init(&folded[d]);
		fold_doc(docs[d], &folded[d]);
		sqlite3_bind_int(ins, 1, d);
		sqlite3_bind_text(ins, 2, docs[d], -1, SQLITE_STATIC);
		sqlite3_step(ins);
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	sqlite3_exec(db, "INSERT INTO tn(rowid, x) SELECT rowid, x FROM t", NULL, NULL, NULL);
	sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?1 AND rowid = ?2", -1, &q,
	    NULL);
	sqlite3_prepare_v2(db, "SELECT count(*) FROM tn WHERE tn MATCH ?1 AND rowid = ?2", -1,
	    &qn, NULL);
	for (i = 0; queries[i] != NULL; i++) {
		if ((expr = cache_fts_match(queries[i])) == NULL)
			continue;
		narrow = cache_fts_match_narrow(queries[i]);
		idx = cache_fts_index(expr);
		phrases += idx != NULL;
		if ((m = cache_fts_matcher(expr)) == NULL) {
			printf("#   no matcher for '%s'\n", expr);
			bad++;
			free(expr);
			free(narrow);
			continue;
		}
		for (d = 0; d < (int)(sizeof docs / sizeof docs[0]); d++) {
			sqlite3_bind_text(q, 1, expr, -1, SQLITE_STATIC);
			sqlite3_bind_int(q, 2, d);
			fts = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
			sqlite3_reset(q);
			mine = cache_fts_matches(m, folded[d].data, (int)folded[d].len);
			n++;
			/* The index without positions, asked the phrases' terms. */
			sqlite3_bind_text(qn, 1, idx != NULL ? idx : expr, -1, SQLITE_STATIC);
			sqlite3_bind_int(qn, 2, d);
			none = sqlite3_step(qn) == SQLITE_ROW ? sqlite3_column_int(qn, 0) : -1;
			sqlite3_reset(qn);
			if (none == 1 && fts == 0)
				apart++;
			if (none != 1 && fts == 1) {
				printf("#   '%s' (%s) misses doc %d without positions\n", queries[i],
				    idx != NULL ? idx : expr, d);
				bad++;
			}
			if (none == 1 && fts == 0 && idx == NULL) {
				printf("#   '%s' finds doc %d without positions only\n", queries[i], d);
				bad++;
			}
			if ((none == 1 && mine) != (fts == 1)) {
				printf("#   '%s' on doc %d: phrase index %d, term index and matcher"
				    " %d\n", queries[i], d, fts, none == 1 && mine);
				bad++;
			}
			if (narrow != NULL && fts == 1) {
				/* What the index is asked instead must find it too. */
				sqlite3_bind_text(q, 1, narrow, -1, SQLITE_STATIC);
				sqlite3_bind_int(q, 2, d);
				if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_int(q, 0) != 1) {
					printf("#   narrow '%s' misses doc %d\n", narrow, d);
					bad++;
				}
				sqlite3_reset(q);
				/* And its phrases' terms, of the index without positions. */
				char *ni = cache_fts_index(narrow);

				sqlite3_bind_text(qn, 1, ni != NULL ? ni : narrow, -1, SQLITE_STATIC);
				sqlite3_bind_int(qn, 2, d);
				if (sqlite3_step(qn) != SQLITE_ROW || sqlite3_column_int(qn, 0) != 1) {
					printf("#   narrow '%s' misses doc %d without positions\n",
					    narrow, d);
					bad++;
				}
				sqlite3_reset(qn);
				free(ni);
			}
			if (fts != mine) {
				printf("#   '%s' on doc %d: index %d, matcher %d\n", queries[i], d,
				    fts, mine);
				bad++;
			}
		}
		cache_fts_matcher_free(m);
		free(expr);
		free(narrow);
		free(idx);
	}
	sqlite3_finalize(q);
	sqlite3_finalize(qn);
	sqlite3_close(db);
	for (d = 0; d < NDOCS; d++)
		buf_done(&folded[d]);
#undef NDOCS
	ok(bad == 0 && n > 150, "the matcher agrees with the index on %d (query, document) pairs",
	    n);
	ok(phrases > 10 && apart > 0, "the index without positions is asked %d phrases as their"
	    " terms, finding %d documents with the terms apart, which the matcher drops",
	    phrases, apart);
	/* A word of one or two letters beside others is not asked: in most rows. */
	expr = cache_fts_match("SO102969");
	idx = cache_fts_index(expr);
	ok(idx != NULL && strstr(idx, "\"so\"") == NULL && strstr(idx, "\"102969\"*") != NULL,
	    "SO102969: the index is asked its digits, not \"so\"");
	free(expr);
	free(idx);
	expr = cache_fts_match("鼓楼区");
	idx = cache_fts_index(expr);
	ok(idx != NULL && strstr(idx, "\"鼓楼\" AND \"楼区\"") != NULL,
	    "鼓楼区: the index is asked both bigrams (%s)", idx ? idx : "NULL");
	free(expr);
	free(idx);
	expr = cache_fts_match("张");
	idx = cache_fts_index(expr);
	ok(expr != NULL && idx == NULL, "张: one term, asked as it is");
	free(expr);
	free(idx);
	ok(cache_fts_matcher("\"a\" AND") == NULL && cache_fts_matcher("(\"a\"") == NULL &&
	    cache_fts_matcher("a") == NULL, "an expression it does not write is refused");
}

int
main(void)
{
	test_matcher();
	test_spans();
	test_tokenizer();
	test_match();
	test_index();
	return done_testing();
}
