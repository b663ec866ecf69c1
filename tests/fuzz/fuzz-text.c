/*
 * fuzz-text.c -- libFuzzer target: the sanitiser and the width functions of
 * src/util/text.c, with their promises checked: what text_sanitize() gives
 * is valid UTF-8 with no control character, escape or bidirectional
 * override; text_fit() never gives more columns than asked.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/text.h"
#include "util/xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_fail(const char *what, const char *s)
{
	fprintf(stderr, "fuzz-text: %s in \"%s\"\n", what, s);
	abort();
}

/* The sanitised text's promises. */
static void
fuzz_check_clean(const char *s, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	uint32_t cp;
	int len;

	while (i < n) {
		if (p[i] >= 0x80 && (p[i] < 0xc2 || p[i] > 0xf4))
			fuzz_fail("not UTF-8", s);
		len = text_utf8_decode(s + i, n - i, &cp);
		if (cp == 0xfffd && len == 1 && p[i] != 0xef)
			fuzz_fail("invalid UTF-8 kept", s);
		if ((cp < 0x20 && !(cp == '\n' && (flags & TEXT_KEEP_NEWLINES))) ||
		    (cp >= 0x7f && cp <= 0x9f))
			fuzz_fail("a control character kept", s);
		if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			fuzz_fail("a bidirectional override kept", s);
		i += (size_t)len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;
	char *s, *clean, *clip, fold[64];
	int flags, width, w;

	if (size < 2)
		return 0;
	flags = data[0] & TEXT_KEEP_NEWLINES;
	width = data[1] % 40;
	s = xmalloc(size - 1);
	memcpy(s, data + 2, size - 2);
	s[size - 2] = '\0';

	clean = text_sanitize(s, flags);
	fuzz_check_clean(clean, flags);
	w = text_width(clean);
	if (w < 0)
		fuzz_fail("a negative width", clean);
	buf_init(&b);
	text_fit(clean, width, data[0] & 2, &b);
	if (text_width(buf_str(&b)) > width)
		fuzz_fail("text_fit() wider than asked", clean);
	if ((data[0] & 2) && w <= width && text_width(buf_str(&b)) != width)
		fuzz_fail("text_fit() not padded to the width", clean);
	buf_done(&b);
	clip = text_clip(s);
	fuzz_check_clean(clip, 0);
	(void)text_utf8_len(s);
	(void)text_fold_name(s, fold, sizeof fold);
	(void)text_name_eq(s, clean);
	free(clip);
	free(clean);
	free(s);
	return 0;
}
