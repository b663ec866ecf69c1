/*
 * gen-hanfold.c -- write hanfold-table.c from OpenCC's conversion data.
 *
 * Not part of the build: "make hanfold-table" compiles it against libopencc
 * and rewrites src/util/hanfold-table.c, which is committed, so building
 * shopdesk needs no OpenCC.
 *
 * Every code point of the Han ranges is converted alone (one call each, so
 * OpenCC's phrase segmentation never sees a neighbour) by t2s.json, then
 * hk2s.json and tw2s.json for the Hong Kong and Taiwan variant forms; a
 * result that is one different code point is a pair (a variant config's
 * only where it simplified: see configs[]). Where the configs disagree, the
 * earlier one wins. Chains (a -> b, b -> c) are followed to their end so
 * that folding twice changes nothing; a cycle, should the data hold one,
 * folds to its smallest code point. The output depends on the data alone:
 * running it twice writes the same file. It is the sorted pairs, then the
 * block map and pages hanfold() looks them up by (hanfold.h).
 *
 * Usage: gen-hanfold [description of the OpenCC version] > hanfold-table.c
 * What is worth knowing about the data goes to stderr.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <opencc.h>

#include "util/hanfold.h"

/*
 * A variant config counts only where its simplification did some work: a
 * pair is dropped when its result is what the config's variant stage alone
 * (its "plain" config) gives. Otherwise tw2s.json would fold the simplified
 * 么 to 幺 and hk2s.json 抬 to 擡: respellings between two forms that t2s
 * leaves alone, not simplifications.
 */
static const struct {
	const char	*name;
	const char	*plain;		/* variants only, or NULL */
} configs[] = {
	{ "t2s.json", NULL },
	{ "hk2s.json", "hk2t.json" },
	{ "tw2s.json", "tw2t.json" }
};
#define NCONFIGS	(sizeof configs / sizeof configs[0])

static const struct {
	uint32_t	first;
	uint32_t	last;
} ranges[] = {
	{ 0x3400, 0x4dbf },		/* extension A */
	{ 0x4e00, 0x9fff },		/* unified ideographs */
	{ 0xf900, 0xfaff },		/* compatibility ideographs */
	{ 0x20000, 0x2fa1f },		/* extensions B to F, I, supplement */
	{ 0x30000, 0x323af }		/* extensions G and H */
};
#define NRANGES		(sizeof ranges / sizeof ranges[0])

#define MAXCHAIN	16

/* The result of each config for each code point: 0 when none. */
static uint32_t	 found[NCONFIGS][HANFOLD_LIMIT];
/* The chosen pairs, then with chains resolved: 0 when none. */
static uint32_t	 pick[HANFOLD_LIMIT];
static uint32_t	 fold[HANFOLD_LIMIT];

static int
utf8_encode(uint32_t cp, char *s)
{
	if (cp < 0x80) {
		s[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		s[0] = 0xc0 | (cp >> 6);
		s[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		s[0] = 0xe0 | (cp >> 12);
		s[1] = 0x80 | ((cp >> 6) & 0x3f);
		s[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	s[0] = 0xf0 | (cp >> 18);
	s[1] = 0x80 | ((cp >> 12) & 0x3f);
	s[2] = 0x80 | ((cp >> 6) & 0x3f);
	s[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* Decode s as exactly one code point, or return 0. */
static uint32_t
utf8_single(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t len = strlen(s), n, i;

	if (len == 0)
		return 0;
	if (u[0] < 0x80) {
		cp = u[0];
		n = 1;
	} else if ((u[0] & 0xe0) == 0xc0) {
		cp = u[0] & 0x1f;
		n = 2;
	} else if ((u[0] & 0xf0) == 0xe0) {
		cp = u[0] & 0x0f;
		n = 3;
	} else if ((u[0] & 0xf8) == 0xf0) {
		cp = u[0] & 0x07;
		n = 4;
	} else
		return 0;
	if (len != n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (u[i] & 0x3f);
	}
	return cp;
}

static opencc_t
open_config(const char *name)
{
	opencc_t od;

	od = opencc_open(name);
	if (od == (opencc_t)-1) {
		fprintf(stderr, "gen-hanfold: %s: %s\n", name, opencc_error());
		exit(1);
	}
	return od;
}

/* cp converted alone: one code point, or 0 for several (or none). */
static uint32_t
convert(opencc_t od, const char *name, uint32_t cp)
{
	uint32_t to;
	char in[4], *out;

	out = opencc_convert_utf8(od, in, utf8_encode(cp, in));
	if (out == NULL) {
		fprintf(stderr, "gen-hanfold: %s: U+%04X: %s\n", name, cp,
		    opencc_error());
		exit(1);
	}
	to = utf8_single(out);
	opencc_convert_utf8_free(out);
	if (to >= HANFOLD_LIMIT) {
		fprintf(stderr, "gen-hanfold: %s: U+%04X gives U+%04X, past "
		    "the table's limit\n", name, cp, to);
		exit(1);
	}
	return to;
}

static void
convert_all(size_t k, unsigned *multi, unsigned *plain)
{
	opencc_t od, pod = NULL;
	uint32_t cp, to;
	size_t r;

	od = open_config(configs[k].name);
	if (configs[k].plain != NULL)
		pod = open_config(configs[k].plain);
	for (r = 0; r < NRANGES; r++) {
		for (cp = ranges[r].first; cp <= ranges[r].last; cp++) {
			to = convert(od, configs[k].name, cp);
			if (to == 0)
				(*multi)++;
			else if (to == cp)
				continue;
			else if (pod != NULL &&
			    convert(pod, configs[k].plain, cp) == to) {
				(*plain)++;
				fprintf(stderr, "gen-hanfold: %s: U+%04X %s "
				    "U+%04X: a variant only, dropped\n",
				    configs[k].name, cp, configs[k].plain, to);
			} else
				found[k][cp] = to;
		}
	}
	if (pod != NULL)
		opencc_close(pod);
	opencc_close(od);
}

/* The end of cp's chain, or the smallest code point of its cycle. */
static uint32_t
resolve(uint32_t cp, unsigned *chains, unsigned *cycles)
{
	uint32_t seen[MAXCHAIN], t, least;
	size_t n = 0, i;

	t = cp;
	while (pick[t] != 0) {
		for (i = 0; i < n; i++) {
			if (seen[i] == t)
				break;
		}
		if (i < n) {
			least = t;
			for (; i < n; i++) {
				if (seen[i] < least)
					least = seen[i];
			}
			(*cycles)++;
			return least;
		}
		if (n == MAXCHAIN) {
			fprintf(stderr, "gen-hanfold: U+%04X: chain too long\n",
			    cp);
			exit(1);
		}
		seen[n++] = t;
		t = pick[t];
	}
	if (n > 1) {
		(*chains)++;
		fprintf(stderr, "gen-hanfold: U+%04X: a chain of %zu to "
		    "U+%04X\n", cp, n, t);
	}
	return t;
}

static void
put_char(uint32_t cp)
{
	char s[5];

	s[utf8_encode(cp, s)] = '\0';
	fputs(s, stdout);
}

static void
emit(const char *version, size_t npairs)
{
	uint64_t bits[4];
	uint32_t cp, b;
	size_t k, r, w, i, at, page, npages, first[4];

	printf("/*\n"
	    " * hanfold-table.c -- generated by src/util/gen-hanfold.c from "
	    "OpenCC:\n"
	    " * do not edit.\n"
	    " *\n"
	    " * From %s,\n"
	    " * configs", version);
	for (k = 0; k < NCONFIGS; k++) {
		printf("%s %s", k == 0 ? "" : k + 1 == NCONFIGS ? " and" : ",",
		    configs[k].name);
	}
	printf(".\n"
	    " * Each code point of");
	for (r = 0; r < NRANGES; r++) {
		printf("%s U+%04X-%04X", r == 0 ? "" : r + 1 == NRANGES ?
		    " and" : r == 3 ? ",\n *" : ",", ranges[r].first,
		    ranges[r].last);
	}
	printf(" converted alone; a pair where the\n"
	    " * result is one other code point, the first config winning a\n"
	    " * disagreement, a variant config only where it simplified; "
	    "chains\n"
	    " * resolved so that folding is idempotent. %zu pairs.\n"
	    " *\n"
	    " * To regenerate, with libopencc-dev and libopencc-data "
	    "installed:\n"
	    " *\tmake hanfold-table\n"
	    " */\n"
	    "#include \"config.h\"\n"
	    "\n"
	    "#include \"util/hanfold.h\"\n"
	    "\n"
	    "const struct hanfold_pair hanfold_table[] = {\n", npairs);
	for (cp = 0; cp < HANFOLD_LIMIT; cp++) {
		if (fold[cp] == 0)
			continue;
		printf("\t{ 0x%04X, 0x%04X },\t/* ", cp, fold[cp]);
		put_char(cp);
		fputs(" -> ", stdout);
		put_char(fold[cp]);
		fputs(" */\n", stdout);
	}
	printf("};\n"
	    "const size_t hanfold_table_size = %zu;\n", npairs);

	printf("\n"
	    "const uint8_t hanfold_block[HANFOLD_BLOCKS] = {");
	for (b = 0, npages = 1; b < HANFOLD_BLOCKS; b++) {
		page = 0;
		for (cp = b << 8; cp < (b + 1) << 8; cp++) {
			if (fold[cp] != 0)
				page = npages;
		}
		if (page != 0)
			npages++;
		printf("%s%zu,", b % 16 == 0 ? "\n\t" : " ", page);
	}
	printf("\n};\n");

	printf("\n"
	    "const struct hanfold_page hanfold_pages[] = {\n"
	    "\t{ { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },\n");
	at = 0;
	for (b = 0; b < HANFOLD_BLOCKS; b++) {
		for (w = 0; w < 4; w++) {
			bits[w] = 0;
			first[w] = at;
			for (i = 0; i < 64; i++) {
				if (fold[(b << 8) + 64 * w + i] != 0) {
					bits[w] |= (uint64_t)1 << i;
					at++;
				}
			}
		}
		if (bits[0] == 0 && bits[1] == 0 && bits[2] == 0 &&
		    bits[3] == 0)
			continue;
		printf("\t{ { 0x%016llx, 0x%016llx,\n"
		    "\t    0x%016llx, 0x%016llx },\n"
		    "\t  { %zu, %zu, %zu, %zu } },\t/* U+%04X */\n",
		    (unsigned long long)bits[0], (unsigned long long)bits[1],
		    (unsigned long long)bits[2], (unsigned long long)bits[3],
		    first[0], first[1], first[2], first[3], b << 8);
	}
	printf("};\n"
	    "const size_t hanfold_pages_size = %zu;\n", npages);
}

int
main(int argc, char **argv)
{
	const char *version = argc > 1 ? argv[1] : "OpenCC";
	unsigned multi[NCONFIGS] = { 0 }, plain[NCONFIGS] = { 0 };
	unsigned added[NCONFIGS] = { 0 }, differ = 0, chains = 0, cycles = 0;
	uint32_t cp, b;
	size_t k, by, npairs = 0, nblocks = 0;

	for (k = 0; k < NCONFIGS; k++)
		convert_all(k, &multi[k], &plain[k]);

	for (cp = 0; cp < HANFOLD_LIMIT; cp++) {
		by = 0;
		for (k = 0; k < NCONFIGS; k++) {
			if (found[k][cp] == 0)
				continue;
			if (pick[cp] == 0) {
				pick[cp] = found[k][cp];
				by = k;
				added[k]++;
			} else if (pick[cp] != found[k][cp]) {
				differ++;
				fprintf(stderr, "gen-hanfold: U+%04X: %s gives "
				    "U+%04X, %s U+%04X (kept)\n", cp,
				    configs[k].name, found[k][cp],
				    configs[by].name, pick[cp]);
			}
		}
	}
	for (cp = 0; cp < HANFOLD_LIMIT; cp++) {
		if (pick[cp] == 0)
			continue;
		fold[cp] = resolve(cp, &chains, &cycles);
		if (fold[cp] == cp)
			fold[cp] = 0;
		else
			npairs++;
	}
	if (npairs > UINT16_MAX) {
		fprintf(stderr, "gen-hanfold: %zu pairs: too many for the "
		    "pages' uint16_t\n", npairs);
		return 1;
	}
	for (b = 0; b < HANFOLD_BLOCKS; b++) {
		for (cp = b << 8; cp < (b + 1) << 8; cp++) {
			if (fold[cp] != 0) {
				nblocks++;
				break;
			}
		}
	}
	if (nblocks + 1 > UINT8_MAX + 1) {
		fprintf(stderr, "gen-hanfold: %zu blocks with pairs: too many "
		    "for the block map's uint8_t\n", nblocks);
		return 1;
	}

	for (k = 0; k < NCONFIGS; k++) {
		fprintf(stderr, "gen-hanfold: %s: %u pairs added, %u variants "
		    "only, %u results of several code points\n",
		    configs[k].name, added[k], plain[k], multi[k]);
	}
	fprintf(stderr, "gen-hanfold: %u disagreements, %u chains, "
	    "%u cycles: %zu pairs\n", differ, chains, cycles, npairs);

	emit(version, npairs);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen-hanfold: stdout");
		return 1;
	}
	return 0;
}
