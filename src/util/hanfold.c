/*
 * hanfold.c -- traditional Chinese characters folded to simplified.
 *
 * The full-text tokenizer calls hanfold() for every Han character it
 * indexes, so the lookup takes a constant few loads and no search: the
 * block of 256 code points gives a page (most blocks, ASCII's included,
 * share the empty page 0), the page a 64-bit map saying whether cp has a
 * pair, and the bits below cp's in that map, counted, its place in the
 * sorted table.
 */
#include "config.h"

#include "hanfold.h"

unsigned
hanfold(unsigned cp)
{
	const struct hanfold_page *p;
	uint64_t bits;
	unsigned w, bit;

	if (cp >= HANFOLD_LIMIT)
		return cp;
	p = &hanfold_pages[hanfold_block[cp >> 8]];
	w = (cp >> 6) & 3;
	bit = cp & 63;
	bits = p->bits[w];
	if (((bits >> bit) & 1) == 0)
		return cp;
	bits &= ((uint64_t)1 << bit) - 1;
	return hanfold_table[p->first[w] + __builtin_popcountll(bits)].to;
}
