/*
 * test-hanfold.c -- the traditional-to-simplified fold: known pairs,
 * characters that must stay, and the generated table's invariants (sorted,
 * no identity, idempotent, the pages agreeing with a plain search).
 */
#include "config.h"

#include <string.h>

#include "tap.h"
#include "util/hanfold.h"
#include "util/text.h"

/* The one character of s, UTF-8. */
static unsigned
cp_of(const char *s)
{
	uint32_t cp;

	text_utf8_decode(s, strlen(s), &cp);
	return cp;
}

/* A search of the whole table, without the index: the reference. */
static unsigned
fold_slow(unsigned cp)
{
	size_t lo = 0, hi = hanfold_table_size, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (hanfold_table[mid].from < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < hanfold_table_size && hanfold_table[lo].from == cp)
		return hanfold_table[lo].to;
	return cp;
}

static void
test_pairs(void)
{
	static const char *pairs[][2] = {
		{ "張", "张" }, { "偉", "伟" }, { "東", "东" }, { "華", "华" },
		{ "說", "说" }, { "國", "国" }, { "灣", "湾" }, { "臺", "台" },
		{ "檯", "台" }, { "颱", "台" }, { "麼", "么" }, { "麽", "么" },
		{ "體", "体" }, { "後", "后" }, { "髮", "发" }, { "發", "发" },
		{ "壇", "坛" }, { "罈", "坛" }, { "歲", "岁" }, { "𡻕", "岁" },
		{ "訂", "订" }, { "單", "单" }, { "貨", "货" }, { "運", "运" },
		{ "衞", "卫" }, { "枱", "台" }, { "粧", "妆" },	/* hk2s */
		{ "薴", "苎" }			/* a chain in OpenCC, resolved */
	};
	size_t i;
	unsigned from, to;

	for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		from = cp_of(pairs[i][0]);
		to = cp_of(pairs[i][1]);
		ok(hanfold(from) == to, "%s (U+%04X) folds to %s (U+%04X)",
		    pairs[i][0], from, pairs[i][1], to);
		if (hanfold(from) != to)
			printf("#   got U+%04X\n", hanfold(from));
	}
}

static void
test_kept(void)
{
	/*
	 * Simplified characters, characters written alike in both, and the
	 * variant-only respellings the generator drops (么 to 幺 by tw2s,
	 * 抬 to 擡 by hk2s, 著 to 着 by tw2s).
	 */
	static const char *kept[] = {
		"张", "伟", "东", "华", "说", "国", "湾", "台", "么", "中",
		"文", "人", "大", "的", "订", "单", "发", "体", "后", "岁",
		"抬", "著", "着", "幺", "〇", "々", "あ", "한"
	};
	size_t i;
	unsigned cp, bad;

	for (i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		cp = cp_of(kept[i]);
		ok(hanfold(cp) == cp, "%s (U+%04X) stays", kept[i], cp);
	}

	bad = 0;
	for (cp = 0; cp < 0x3400; cp++) {
		if (hanfold(cp) != cp)
			bad++;
	}
	ok(bad == 0, "ASCII and everything below the Han ranges stay");
	ok(hanfold(HANFOLD_LIMIT) == HANFOLD_LIMIT &&
	    hanfold(0x10ffff) == 0x10ffff && hanfold(0xffffffffu) == 0xffffffffu,
	    "code points past the table stay");
}

static void
test_table(void)
{
	size_t i, unsorted = 0, identity = 0, unstable = 0, outside = 0;
	size_t nopage = 0;
	unsigned cp, from, to, differ = 0;

	ok(hanfold_table_size > 4000, "the table has %zu pairs",
	    hanfold_table_size);
	for (i = 0; i < hanfold_table_size; i++) {
		from = hanfold_table[i].from;
		to = hanfold_table[i].to;
		if (i > 0 && hanfold_table[i - 1].from >= from)
			unsorted++;
		if (from == to)
			identity++;
		if (hanfold(hanfold(from)) != hanfold(from) ||
		    hanfold(to) != to)
			unstable++;
		if (from < 0x3400 || from >= HANFOLD_LIMIT)
			outside++;
	}
	ok(unsorted == 0, "the table is strictly sorted (%zu out of order)",
	    unsorted);
	ok(identity == 0, "no pair maps a code point to itself (%zu do)",
	    identity);
	ok(unstable == 0, "folding is idempotent (%zu pairs are not)",
	    unstable);
	ok(outside == 0, "every pair is in the Han ranges (%zu are not)",
	    outside);

	for (i = 0; i < HANFOLD_BLOCKS; i++) {
		if (hanfold_block[i] >= hanfold_pages_size)
			nopage++;
	}
	ok(nopage == 0, "every block's page exists (%zu do not)", nopage);
	ok(hanfold_pages[0].bits[0] == 0 && hanfold_pages[0].bits[1] == 0 &&
	    hanfold_pages[0].bits[2] == 0 && hanfold_pages[0].bits[3] == 0,
	    "page 0 is empty");
	for (cp = 0; cp < HANFOLD_LIMIT + 0x100; cp++) {
		if (hanfold(cp) != fold_slow(cp)) {
			if (differ++ == 0)
				printf("#   U+%04X: U+%04X, not U+%04X\n", cp,
				    hanfold(cp), fold_slow(cp));
		}
	}
	ok(differ == 0, "the pages agree with a search of the whole table "
	    "(%u code points differ)", differ);
}

int
main(void)
{
	test_pairs();
	test_kept();
	test_table();
	return done_testing();
}
