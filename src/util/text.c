/*
 * text.c -- sanitising and measuring untrusted text for the terminal.
 */
#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "text.h"
#include "xmalloc.h"

int
text_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	int len, i;

	if (n == 0)
		goto bad;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2; c = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3; c = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4; c = s[0] & 0x07; min = 0x10000;
	} else
		goto bad;
	if ((size_t)len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xfffd;
	return 1;
}

void
text_utf8_encode(uint32_t cp, struct buf *out)
{
	char b[4];

	if (cp < 0x80) {
		b[0] = (char)cp;
		buf_add(out, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(out, b, 3);
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(out, b, 4);
	}
}

/* Code points that reorder or hide text: bidi embeddings, overrides, isolates, marks. */
static int
is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/*
 * Skip an escape sequence starting at s[0] == ESC (or a C1 introducer already
 * decoded as cp); returns the bytes consumed. Strings (OSC, DCS, SOS, PM,
 * APC) run to BEL or ST; CSI runs to its final byte.
 */
static size_t
skip_escape(const char *s, size_t n, uint32_t intro, size_t introlen)
{
	size_t i = introlen;
	int kind;

	if (intro == 0x1b) {
		if (i >= n)
			return i;
		switch (s[i]) {
		case '[': kind = 'C'; i++; break;
		case ']': case 'P': case 'X': case '^': case '_': kind = 'S'; i++; break;
		default:
			/* ESC, intermediates 0x20-0x2f, then one final byte. */
			while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x2f)
				i++;
			if (i < n)
				i++;
			return i;
		}
	} else if (intro == 0x9b)
		kind = 'C';
	else
		kind = 'S';

	if (kind == 'C') {
		while (i < n) {
			unsigned char c = (unsigned char)s[i++];
			if (c >= 0x40 && c <= 0x7e)
				break;
			if (c < 0x20 || c > 0x7e)
				break;
		}
		return i;
	}
	while (i < n) {
		if (s[i] == '\a')
			return i + 1;
		if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\')
			return i + 2;
		if ((unsigned char)s[i] == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0x9c)
			return i + 2;
		i++;
	}
	return i;
}

void
text_sanitize_buf(const char *s, int flags, struct buf *out)
{
	size_t n = strlen(s), i = 0;
	uint32_t cp;
	int len;

	while (i < n) {
		len = text_utf8_decode(s + i, n - i, &cp);
		if (cp == 0x1b || cp == 0x9b || cp == 0x9d || cp == 0x90 ||
		    cp == 0x98 || cp == 0x9e || cp == 0x9f) {
			i += skip_escape(s + i, n - i, cp, (size_t)len);
			continue;
		}
		i += (size_t)len;
		if (cp == '\n' && (flags & TEXT_KEEP_NEWLINES))
			buf_addc(out, '\n');
		else if (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029)
			buf_addc(out, ' ');
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			continue;
		else if (is_bidi_control(cp))
			continue;
		else
			text_utf8_encode(cp, out);
	}
	if (out->data == NULL)
		buf_add(out, "", 0);
}

char *
text_sanitize(const char *s, int flags)
{
	struct buf b;

	buf_init(&b);
	text_sanitize_buf(s, flags, &b);
	return buf_steal(&b);
}

int
text_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* East Asian Wide and Fullwidth ranges (the common ones) for a non-UTF-8 locale. */
static int
builtin_width(uint32_t cp)
{
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f680, 0x1f6ff }, { 0x1f900, 0x1f9ff }, { 0x1fa70, 0x1faff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
	};
	size_t i;

	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x20d0 && cp <= 0x20ff) ||
	    (cp >= 0xe0000 && cp <= 0xe01ef))
		return 0;
	for (i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	return 1;
}

int
text_cp_width(uint32_t cp)
{
	static int utf8 = -1;
	int w;

	if (cp < 0x7f)
		return cp >= 0x20 ? 1 : 0;
	if (utf8 == -1)
		utf8 = text_locale_utf8();
	if (utf8 && (w = wcwidth((wchar_t)cp)) >= 0)
		return w;
	return builtin_width(cp);
}

/* Emoji modifiers (Fitzpatrick skin tones): they change the emoji before them. */
static int
is_emoji_modifier(uint32_t cp)
{
	return cp >= 0x1f3fb && cp <= 0x1f3ff;
}

/* Regional indicators: two of them are a flag. */
static int
is_regional(uint32_t cp)
{
	return cp >= 0x1f1e6 && cp <= 0x1f1ff;
}

/*
 * Code points that extend the character before them and take no column of
 * their own: combining marks (width 0 already), variation selectors, the
 * zero-width joiner, skin tones after something, tag characters (the
 * subdivision flags' tails).
 */
static int
is_extender(uint32_t cp)
{
	return (cp >= 0xfe00 && cp <= 0xfe0f) || cp == 0x200d ||
	    is_emoji_modifier(cp) || (cp >= 0xe0020 && cp <= 0xe007f) ||
	    (cp >= 0xe0100 && cp <= 0xe01ef);
}

/*
 * The next user-perceived character (an approximation of a UAX #29
 * extended grapheme cluster that is enough for a terminal) at s: its bytes
 * are returned and its columns stored in *width. wcwidth() measures code
 * points, but a terminal draws 👨‍👩‍👧‍👦 (four emoji joined by U+200D) in 2
 * columns, not 8; ❤️ (U+2764 U+FE0F, emoji presentation) in 2, not 1; 👍🏽 (a
 * skin tone) in 2, not 4; and 🇨🇳 (two regional indicators) in 2. Summing
 * code points shifts the rest of the row and leaves stale cells behind.
 */
size_t
text_cluster(const char *s, size_t n, int *width)
{
	uint32_t cp, next;
	size_t i;
	int len, w;

	if (n == 0) {
		*width = 0;
		return 0;
	}
	i = (size_t)text_utf8_decode(s, n, &cp);
	w = text_cp_width(cp);
	if (is_regional(cp)) {
		/* A pair is one flag; a lone indicator is drawn as a letter. */
		if (i < n) {
			len = text_utf8_decode(s + i, n - i, &next);
			if (is_regional(next)) {
				*width = 2;
				return i + (size_t)len;
			}
		}
		*width = w;
		return i;
	}
	while (i < n) {
		len = text_utf8_decode(s + i, n - i, &next);
		if (next == 0x200d) {
			/*
			 * A joiner: the character after it is part of this one,
			 * unless it is ASCII, which no terminal joins: the blanks
			 * that pad a name ending in a joiner are still columns.
			 */
			i += (size_t)len;
			if (i < n) {
				len = text_utf8_decode(s + i, n - i, &next);
				if (next < 0x80)
					break;
				i += (size_t)len;
			}
			if (w < 2 && text_cp_width(next) == 2)
				w = 2;
			continue;
		}
		if (next == 0xfe0f && w == 1 && cp >= 0x80)
			w = 2;		/* emoji presentation of a text-default symbol */
		else if (!is_extender(next) && text_cp_width(next) != 0)
			break;
		i += (size_t)len;
	}
	*width = w;
	return i;
}

int
text_width(const char *s)
{
	size_t n = strlen(s), i = 0;
	int w = 0, cw;

	while (i < n) {
		i += text_cluster(s + i, n - i, &cw);
		w += cw;
	}
	return w;
}

void
text_fit(const char *s, int width, int pad, struct buf *out)
{
	size_t n = strlen(s), i = 0, cut = 0;
	int w = 0, cw, cutw = 0, total;

	if (width <= 0)
		return;
	total = text_width(s);
	if (total <= width) {
		buf_add(out, s, n);
		w = total;
	} else {
		/* Keep whole characters that fit in width - 1 columns, then the ellipsis. */
		while (i < n) {
			size_t len = text_cluster(s + i, n - i, &cw);

			if (cutw + cw > width - 1)
				break;
			cutw += cw;
			i += len;
			cut = i;
		}
		buf_add(out, s, cut);
		buf_adds(out, text_locale_utf8() ? "\xe2\x80\xa6" : "~");
		w = cutw + 1;
	}
	while (pad && w < width) {
		buf_addc(out, ' ');
		w++;
	}
}

void
text_clip_max(const char *s, size_t max, int flags, struct buf *out)
{
	size_t n, i = 0, chars = 0, head = max * 4 + 64;
	struct buf clean;
	uint32_t cp;

	if (s == NULL)
		s = "";
	n = strlen(s);
	buf_init(&clean);
	/* Sanitise at most what can be shown: a 2 MB field costs no more. */
	if (n > head) {
		char *h = xstrndup(s, head);

		text_sanitize_buf(h, flags, &clean);
		free(h);
	} else
		text_sanitize_buf(s, flags, &clean);
	while (i < clean.len && chars < max) {
		i += (size_t)text_utf8_decode(clean.data + i, clean.len - i, &cp);
		chars++;
	}
	if (i >= clean.len && n <= head)
		buf_add(out, clean.data, clean.len);
	else {
		buf_add(out, clean.data, i);
		buf_addf(out, "\xe2\x80\xa6 (%zu bytes)", n);
	}
	buf_done(&clean);
}

void
text_clip_buf(const char *s, struct buf *out)
{
	text_clip_max(s, TEXT_CLIP_CHARS, 0, out);
}

char *
text_clip(const char *s)
{
	struct buf b;

	buf_init(&b);
	text_clip_buf(s, &b);
	buf_adds(&b, "");
	return buf_steal(&b);
}

size_t
text_utf8_len(const char *s)
{
	size_t n = strlen(s), i = 0, c = 0;
	uint32_t cp;

	while (i < n) {
		i += (size_t)text_utf8_decode(s + i, n - i, &cp);
		c++;
	}
	return c;
}

/* Whether c is left out of a name: '-', '_' or a blank. */
static int
name_gap(char c)
{
	return c == '-' || c == '_' || c == ' ' || c == '\t';
}

/* c in lower case, ASCII only (a UTF-8 byte is itself). */
static char
name_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int
text_fold_name(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s != '\0'; s++) {
		if (name_gap(*s))
			continue;
		if (n + 1 >= size)
			return -1;
		out[n++] = name_lower(*s);
	}
	if (size == 0)
		return -1;
	out[n] = '\0';
	return 0;
}

int
text_name_eq(const char *a, const char *b)
{
	for (;;) {
		while (name_gap(*a))
			a++;
		while (name_gap(*b))
			b++;
		if (*a == '\0' || *b == '\0')
			return *a == *b;
		if (name_lower(*a++) != name_lower(*b++))
			return 0;
	}
}
