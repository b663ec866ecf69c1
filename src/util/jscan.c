/*
 * jscan.c -- a validating, allocation-free JSON scanner.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "jscan.h"

#define MAX_DEPTH 256

static const char *skip_value(const char *, const char *, int);

const char *
jscan_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The bytes that end a plain run inside a string: '"', '\\' and controls. */
static const unsigned char string_stop[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1,
	[0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1,
	[0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1,
	[0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1,
	[0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, ['"'] = 1, ['\\'] = 1,
};

/* p at the opening quote; returns past the closing quote. */
static const char *
skip_string(const char *p, const char *end)
{
	int i;

	for (p++; p < end; p++) {
		unsigned char c;

		/* The plain run first, four bytes a step. */
		while (end - p >= 4 && !string_stop[(unsigned char)p[0]] &&
		    !string_stop[(unsigned char)p[1]] && !string_stop[(unsigned char)p[2]] &&
		    !string_stop[(unsigned char)p[3]])
			p += 4;
		while (p < end && !string_stop[(unsigned char)*p])
			p++;
		if (p >= end)
			break;
		c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			if (++p >= end)
				return NULL;
			switch (*p) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				break;
			case 'u':
				for (i = 1; i <= 4; i++)
					if (p + i >= end || !is_hex(p[i]))
						return NULL;
				p += 4;
				break;
			default:
				return NULL;
			}
		}
	}
	return NULL;
}

static const char *
skip_digits(const char *p, const char *end)
{
	const char *s = p;

	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p > s ? p : NULL;
}

static const char *
skip_number(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((p = skip_digits(p, end)) == NULL)
		return NULL;
	if (p < end && *p == '.' && (p = skip_digits(p + 1, end)) == NULL)
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((p = skip_digits(p, end)) == NULL)
			return NULL;
	}
	return p;
}

static const char *
skip_literal(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - p) < n || memcmp(p, lit, n) != 0)
		return NULL;
	return p + n;
}

static const char *
skip_container(const char *p, const char *end, int depth)
{
	char close = *p == '{' ? '}' : ']';
	int object = *p == '{', first = 1;

	if (depth > MAX_DEPTH)
		return NULL;
	for (p++;;) {
		p = jscan_ws(p, end);
		if (p >= end)
			return NULL;
		if (*p == close && first)
			return p + 1;
		if (object) {
			if (*p != '"' || (p = skip_string(p, end)) == NULL)
				return NULL;
			p = jscan_ws(p, end);
			if (p >= end || *p++ != ':')
				return NULL;
		}
		if ((p = skip_value(p, end, depth + 1)) == NULL)
			return NULL;
		p = jscan_ws(p, end);
		if (p >= end)
			return NULL;
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
		first = 0;
	}
}

static const char *
skip_value(const char *p, const char *end, int depth)
{
	p = jscan_ws(p, end);
	if (p >= end)
		return NULL;
	switch (*p) {
	case '"': return skip_string(p, end);
	case '{':
	case '[': return skip_container(p, end, depth);
	case 't': return skip_literal(p, end, "true");
	case 'f': return skip_literal(p, end, "false");
	case 'n': return skip_literal(p, end, "null");
	default:  return skip_number(p, end);
	}
}

const char *
jscan_skip(const char *p, const char *end)
{
	return skip_value(p, end, 0);
}

/* Shared by members and elements: p after '{'/'[' or after a value. */
static int
next_item(const char **pp, const char *end, char open, char close)
{
	const char *p = jscan_ws(*pp, end);

	if (p >= end)
		return -1;
	if (*p == open) {
		p = jscan_ws(p + 1, end);
		if (p < end && *p == close) {
			*pp = p + 1;
			return 0;
		}
	} else if (*p == ',')
		p = jscan_ws(p + 1, end);
	else if (*p == close) {
		*pp = p + 1;
		return 0;
	} else
		return -1;
	*pp = p;
	return 1;
}

int
jscan_member_next(const char **pp, const char *end, struct jscan_member *m)
{
	const char *p, *k;
	int rc;

	if ((rc = next_item(pp, end, '{', '}')) != 1)
		return rc;
	p = *pp;
	if (p >= end || *p != '"' || (k = skip_string(p, end)) == NULL)
		return -1;
	m->key = p + 1;
	m->keylen = (size_t)(k - p - 2);
	p = jscan_ws(k, end);
	if (p >= end || *p++ != ':')
		return -1;
	p = jscan_ws(p, end);
	m->val = p;
	if ((p = jscan_skip(p, end)) == NULL)
		return -1;
	m->vallen = (size_t)(p - m->val);
	*pp = p;
	return 1;
}

int
jscan_element_next(const char **pp, const char *end, const char **val, size_t *len)
{
	const char *p;
	int rc;

	if ((rc = next_item(pp, end, '[', ']')) != 1)
		return rc;
	p = *pp;
	*val = p;
	if ((p = jscan_skip(p, end)) == NULL)
		return -1;
	*len = (size_t)(p - *val);
	*pp = p;
	return 1;
}

int
jscan_key_is(const struct jscan_member *m, const char *s)
{
	return strlen(s) == m->keylen && memcmp(m->key, s, m->keylen) == 0;
}

int
jscan_int(const char *val, size_t len, long long *out)
{
	long long v = 0;
	size_t i = 0;
	int neg = 0;

	if (len > 0 && val[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == len || len - i > 18)
		return -1;
	for (; i < len; i++) {
		if (val[i] < '0' || val[i] > '9')
			return -1;
		v = v * 10 + (val[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}
