/*
 * key.c -- key names: parsing, printing and the canonical form of a key.
 *
 * One table maps names to keys; its first row for a key is the canonical
 * spelling that key_to_string() writes, the later rows are aliases accepted
 * on input. Everything else is derived: a printable character names itself,
 * anything else goes in angle brackets with its modifiers in a fixed order
 * (C-, M-, S-), so printing and parsing are each other's inverse.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/key.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/xmalloc.h"

static const struct {
	const char	*name;
	int		 code;
} key_names[] = {
	/* Canonical names: key_to_string() uses the first row of a key. */
	{ "Up",		KEYC_UP },
	{ "Down",	KEYC_DOWN },
	{ "Left",	KEYC_LEFT },
	{ "Right",	KEYC_RIGHT },
	{ "Home",	KEYC_HOME },
	{ "End",	KEYC_END },
	{ "PgUp",	KEYC_PGUP },
	{ "PgDn",	KEYC_PGDN },
	{ "F1",		KEYC_F1 },
	{ "F2",		KEYC_F2 },
	{ "F3",		KEYC_F3 },
	{ "F4",		KEYC_F4 },
	{ "F5",		KEYC_F5 },
	{ "F6",		KEYC_F6 },
	{ "F7",		KEYC_F7 },
	{ "F8",		KEYC_F8 },
	{ "F9",		KEYC_F9 },
	{ "F10",	KEYC_F10 },
	{ "F11",	KEYC_F11 },
	{ "F12",	KEYC_F12 },
	{ "Enter",	KEYC_ENTER },
	{ "Tab",	KEYC_TAB },
	{ "BSpace",	KEYC_BSPACE },
	{ "Del",	KEYC_DC },
	{ "Ins",	KEYC_IC },
	{ "Esc",	KEYC_ESC },
	/* Characters that need a name: blank, or special to the command language. */
	{ "Space",	' ' },
	{ "lt",		'<' },
	{ "Hash",	'#' },
	{ "Semicolon",	';' },
	{ "Quote",	'\'' },
	{ "DQuote",	'"' },
	{ "Backslash",	'\\' },

	/* Aliases, accepted on input only. */
	{ "PageUp",	KEYC_PGUP },
	{ "PPage",	KEYC_PGUP },
	{ "PageDown",	KEYC_PGDN },
	{ "PgDown",	KEYC_PGDN },
	{ "NPage",	KEYC_PGDN },
	{ "Return",	KEYC_ENTER },
	{ "CR",		KEYC_ENTER },
	{ "BTab",	KEYC_BTAB },
	{ "BackTab",	KEYC_BTAB },
	{ "Backspace",	KEYC_BSPACE },
	{ "BS",		KEYC_BSPACE },
	{ "Delete",	KEYC_DC },
	{ "DC",		KEYC_DC },
	{ "Insert",	KEYC_IC },
	{ "IC",		KEYC_IC },
	{ "Escape",	KEYC_ESC },
	{ "LessThan",	'<' },
};
#define NKEY_NAMES (sizeof key_names / sizeof key_names[0])

/* The characters Ctrl can be combined with, besides letters. */
static const char key_ctrl_chars[] = " @[\\]^_?";

static int
key_name_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NKEY_NAMES; i++) {
		if (strlen(key_names[i].name) == len &&
		    strncasecmp(key_names[i].name, name, len) == 0)
			return key_names[i].code;
	}
	return -1;
}

static const char *
key_name_of(int code)
{
	size_t i;

	for (i = 0; i < NKEY_NAMES; i++) {
		if (key_names[i].code == code)
			return key_names[i].name;
	}
	return NULL;
}

static int
key_is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

struct key
key_normalize(struct key k)
{
	int c = k.code;
	unsigned m = k.mods & KEYM_ALL;

	/* What a terminal sends for Ctrl combinations, as the combination. */
	if (c >= 0 && c < 0x20) {
		switch (c) {
		case 0x00:
			c = ' ';
			m |= KEYM_CTRL;
			break;
		case '\t':
			c = KEYC_TAB;
			break;
		case '\n':
		case '\r':
			c = KEYC_ENTER;
			break;
		case 0x1b:
			c = KEYC_ESC;
			break;
		default:
			c = c <= 0x1a ? 'a' + c - 1 : "\\]^_"[c - 0x1c];
			m |= KEYM_CTRL;
			break;
		}
	} else if (c == 0x7f)
		c = KEYC_BSPACE;

	/* Shift first, so that C-S-a is C-a and not an upper-case Ctrl letter. */
	if (m & KEYM_SHIFT) {
		if (c >= 'a' && c <= 'z') {
			c -= 'a' - 'A';
			m &= ~KEYM_SHIFT;
		} else if (c >= 'A' && c <= 'Z')
			m &= ~KEYM_SHIFT;
		else if (c == KEYC_TAB) {
			c = KEYC_BTAB;
			m &= ~KEYM_SHIFT;
		} else if (c == KEYC_BTAB)
			m &= ~KEYM_SHIFT;
	}
	if (m & KEYM_CTRL) {
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		switch (c) {
		case 'i':
			c = KEYC_TAB;
			m &= ~KEYM_CTRL;
			break;
		case 'j':
		case 'm':
			c = KEYC_ENTER;
			m &= ~KEYM_CTRL;
			break;
		case '[':
			c = KEYC_ESC;
			m &= ~KEYM_CTRL;
			break;
		case '?':
			c = KEYC_BSPACE;
			m &= ~KEYM_CTRL;
			break;
		case '@':
			c = ' ';
			break;
		}
	}
	k.code = c;
	k.mods = m;
	return k;
}

int
key_equal(struct key a, struct key b)
{
	return a.code == b.code && a.mods == b.mods;
}

/* Whether code is a key at all: a code point (not a surrogate) or a KEYC_*. */
static int
key_code_ok(int c)
{
	return c >= 0 && c < KEYC__END && !(c >= 0xd800 && c <= 0xdfff);
}

int
key_valid(struct key k)
{
	if (!key_code_ok(k.code) || (k.mods & ~KEYM_ALL) != 0)
		return 0;
	if (!key_equal(key_normalize(k), k))
		return 0;
	if (k.code < KEYC_BASE) {
		if ((k.mods & KEYM_CTRL) && !(k.code >= 'a' && k.code <= 'z') &&
		    (k.code > 0x7f || strchr(key_ctrl_chars, k.code) == NULL))
			return 0;
		if (k.mods & KEYM_SHIFT)	/* letters were folded away */
			return 0;
	}
	return 1;
}

/* A character that needs brackets even without modifiers. */
static int
key_needs_name(int c)
{
	return c < 0x21 || c == 0x7f || (c >= 0x80 && c < 0xa0) ||
	    (c < 0x80 && strchr("<#;'\"\\", c) != NULL);
}

char *
key_to_string(struct key k, char *buf, size_t size)
{
	char base[16];
	const char *name;
	struct buf b;

	k = key_normalize(k);
	if (!key_code_ok(k.code)) {
		snprintf(buf, size, "<invalid>");
		return buf;
	}

	buf_init(&b);
	if (k.code < KEYC_BASE && k.mods == 0 && !key_needs_name(k.code)) {
		text_utf8_encode((uint32_t)k.code, &b);
		snprintf(buf, size, "%s", buf_str(&b));
		buf_done(&b);
		return buf;
	}

	if (k.code == KEYC_BTAB)
		name = "S-Tab";
	else if ((name = key_name_of(k.code)) == NULL) {
		if (k.code < 0x21 || k.code == 0x7f ||
		    (k.code >= 0x80 && k.code < 0xa0))
			snprintf(base, sizeof base, "U+%04X", (unsigned)k.code);
		else {
			text_utf8_encode((uint32_t)k.code, &b);
			snprintf(base, sizeof base, "%s", buf_str(&b));
		}
		name = base;
	}
	snprintf(buf, size, "<%s%s%s%s>",
	    (k.mods & KEYM_CTRL) ? "C-" : "",
	    (k.mods & KEYM_META) ? "M-" : "",
	    (k.mods & KEYM_SHIFT) ? "S-" : "",
	    name);
	buf_done(&b);
	return buf;
}

/* "U+20AC" (1 to 6 hex digits) as a code point, or -1. */
static int
key_parse_uplus(const char *s, size_t len)
{
	unsigned long v = 0;
	size_t i;

	if (len < 3 || len > 8 || (s[0] != 'U' && s[0] != 'u') || s[1] != '+')
		return -1;
	for (i = 2; i < len; i++) {
		int c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + (unsigned long)d;
	}
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return -1;
	return (int)v;
}

/* Decode one character of s strictly; its length, or 0 if not valid UTF-8. */
static int
key_decode(const char *s, int *cp)
{
	uint32_t c;
	size_t avail = strnlen(s, 4);
	int len = text_utf8_decode(s, avail, &c);

	if (c == 0xfffd && len == 1)
		return 0;
	*cp = (int)c;
	return len;
}

/*
 * Parse one key at *sp and advance past it. The message of an error names
 * the key as written.
 */
static int
key_parse_one(const char **sp, struct key *out, char **cause)
{
	const char *s = *sp, *p, *e, *end;
	unsigned mods = 0;
	int code, len;

	if (*s != '<') {
		if ((len = key_decode(s, &code)) == 0) {
			*cause = xstrdup("unknown key: invalid UTF-8");
			return -1;
		}
		if (code < 0x20 || code == 0x7f) {
			char name[KEY_STRING_MAX];
			struct key k = { code, 0 };

			*cause = xasprintf("unknown key: a control character; "
			    "write it as %s", key_to_string(k, name, sizeof name));
			return -1;
		}
		out->code = code;
		out->mods = 0;
		*sp = s + len;
		return 0;
	}

	/* <C-M-S-name>: modifiers, then a single character or a name. */
	p = s + 1;
	while (p[0] != '\0' && p[1] == '-' && p[2] != '\0' &&
	    (p[2] != '>' || p[3] == '>')) {
		if (p[0] == 'C' || p[0] == 'c')
			mods |= KEYM_CTRL;
		else if (p[0] == 'M' || p[0] == 'm')
			mods |= KEYM_META;
		else if (p[0] == 'S' || p[0] == 's')
			mods |= KEYM_SHIFT;
		else
			break;
		p += 2;
	}
	if ((len = key_decode(p, &code)) != 0 && p[len] == '>' && code >= 0x20 &&
	    code != 0x7f) {
		end = p + len + 1;
	} else {
		if ((e = strchr(p, '>')) == NULL) {
			*cause = xasprintf("unknown key '%s': no closing '>' "
			    "(write <lt> for a '<')", s);
			return -1;
		}
		end = e + 1;
		code = key_name_lookup(p, (size_t)(e - p));
		if (code == -1)
			code = key_parse_uplus(p, (size_t)(e - p));
		if (code == -1) {
			*cause = xasprintf("unknown key '%.*s'", (int)(end - s), s);
			return -1;
		}
	}

	if (code < KEYC_BASE) {
		if ((mods & KEYM_CTRL) && !key_is_letter(code) && code >= 0x20 &&
		    (code > 0x7f || strchr(key_ctrl_chars, code) == NULL)) {
			*cause = xasprintf("unknown key '%.*s': Ctrl goes only with "
			    "letters, Space, @ [ \\ ] ^ _ ? and named keys",
			    (int)(end - s), s);
			return -1;
		}
		if ((mods & KEYM_SHIFT) && !key_is_letter(code)) {
			*cause = xasprintf("unknown key '%.*s': Shift goes only with "
			    "letters and named keys; write the shifted character",
			    (int)(end - s), s);
			return -1;
		}
	}
	out->code = code;
	out->mods = mods;
	*out = key_normalize(*out);
	*sp = end;
	return 0;
}

int
key_from_string(const char *s, struct key *out, char **cause)
{
	struct key seq[KEY_SEQ_MAX];
	size_t n;

	if (key_seq_from_string(s, seq, KEY_SEQ_MAX, &n, cause) != 0)
		return -1;
	if (n != 1) {
		*cause = xasprintf("'%s' is more than one key", s);
		return -1;
	}
	*out = seq[0];
	return 0;
}

/*
 * Whether s, a bare word, spells a key name: "Enter" would otherwise be the
 * five keys E n t e r. Two-letter names (Up, lt, BS) are left alone: they
 * are plausible two-key sequences.
 */
static int
key_word_is_name(const char *s)
{
	size_t len = strlen(s), i;

	if (len < 2)
		return 0;
	for (i = 0; i < len; i++) {
		if (!key_is_letter((unsigned char)s[i]) &&
		    !(s[i] >= '0' && s[i] <= '9'))
			return 0;
	}
	if ((s[0] == 'F' || s[0] == 'f') && key_name_lookup(s, len) != -1)
		return 1;
	return len >= 3 && key_name_lookup(s, len) != -1;
}

int
key_seq_from_string(const char *s, struct key *seq, size_t max, size_t *n,
    char **cause)
{
	const char *p = s;

	*n = 0;
	*cause = NULL;
	if (key_word_is_name(s)) {
		*cause = xasprintf("unknown key '%s': write <%s> for the key "
		    "(or separate the keys with blanks)", s, s);
		return -1;
	}
	while (*p != '\0') {
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (*n == max) {
			*cause = xasprintf("key sequence '%s' is too long "
			    "(at most %zu keys)", s, max);
			return -1;
		}
		if (key_parse_one(&p, &seq[*n], cause) != 0)
			return -1;
		(*n)++;
	}
	if (*n == 0) {
		*cause = xstrdup("empty key sequence");
		return -1;
	}
	return 0;
}

char *
key_seq_to_string(const struct key *seq, size_t n, char *buf, size_t size)
{
	char one[KEY_STRING_MAX];
	size_t i, off = 0, len;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		key_to_string(seq[i], one, sizeof one);
		len = strlen(one);
		if (off + len + 1 > size)
			break;
		memcpy(buf + off, one, len + 1);
		off += len;
	}
	return buf;
}
