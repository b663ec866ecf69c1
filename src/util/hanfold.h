/*
 * hanfold.h -- traditional Chinese characters folded to simplified.
 *
 * hanfold() maps a traditional character (or a Hong Kong or Taiwan variant
 * form) to its simplified one, and every other code point to itself, so
 * that text folded on both sides finds 張偉 with 张伟 and the reverse. The
 * table is generated from OpenCC by gen-hanfold.c ("make hanfold-table")
 * and committed as hanfold-table.c; folding is idempotent.
 */
#ifndef SD_HANFOLD_H
#define SD_HANFOLD_H

#include <stddef.h>
#include <stdint.h>

/* The table covers code points below this (Han extensions B to H). */
#define HANFOLD_LIMIT	0x32400u
/* 256-code-point blocks below HANFOLD_LIMIT. */
#define HANFOLD_BLOCKS	(HANFOLD_LIMIT >> 8)

struct hanfold_pair {
	uint32_t	from;		/* traditional or variant form */
	uint32_t	to;		/* its simplified form */
};

/*
 * The pairs of one block, as four 64-bit maps of the code points that have
 * one, and for each map the index in hanfold_table of its first pair.
 */
struct hanfold_page {
	uint64_t	bits[4];	/* bit n of bits[i]: code point 64i + n */
	uint16_t	first[4];	/* pairs before bits[i]'s first */
};

/* Sorted by from; no entry maps a code point to itself. */
extern const struct hanfold_pair hanfold_table[];
extern const size_t hanfold_table_size;
/* Each block's page; page 0 is empty, the page of every block with none. */
extern const uint8_t hanfold_block[HANFOLD_BLOCKS];
extern const struct hanfold_page hanfold_pages[];
extern const size_t hanfold_pages_size;

/* The simplified form of cp, or cp itself. */
unsigned	hanfold(unsigned cp);

#endif
