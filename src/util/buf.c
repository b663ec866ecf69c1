/*
 * buf.c -- growable byte buffer.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "xmalloc.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_done(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static void
buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_reserve(struct buf *b, size_t extra)
{
	buf_grow(b, extra);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n != 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("buf_addf: bad format");
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_add_json_string(struct buf *b, const char *s)
{
	const unsigned char *p, *end = (const unsigned char *)s + strlen(s);

	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':  buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_addf(b, "\\u%04x", *p);
			else if (*p < 0x80)
				buf_addc(b, (char)*p);
			else {
				/* JSON is UTF-8: a byte that is not becomes U+FFFD. */
				uint32_t cp;
				int len = text_utf8_decode((const char *)p, (size_t)(end - p), &cp);

				if (cp == 0xfffd && len == 1)
					buf_adds(b, "\\ufffd");
				else if (cp <= 0x9f)
					buf_addf(b, "\\u%04x", cp);	/* C1 */
				else
					buf_add(b, (const char *)p, (size_t)len);
				p += len - 1;
			}
		}
	}
	buf_addc(b, '"');
}

const char *
buf_str(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

char *
buf_steal(struct buf *b)
{
	char *p = b->data != NULL ? b->data : xstrdup("");

	buf_init(b);
	return p;
}
