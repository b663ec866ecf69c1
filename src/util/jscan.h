/*
 * jscan.h -- a validating, allocation-free JSON scanner.
 *
 * It finds where values begin and end in a JSON text without building a
 * tree, so a change-feed page can be split into its objects' raw texts in
 * one pass; each object is then parsed on its own. Every function checks the
 * grammar (RFC 8259) of what it passes over and fails on anything malformed
 * or truncated.
 */
#ifndef SD_JSCAN_H
#define SD_JSCAN_H

#include <stddef.h>

struct jscan_member {
	const char	*key;		/* key text, without quotes, not unescaped */
	size_t		 keylen;
	const char	*val;		/* the value's raw text */
	size_t		 vallen;
};

/* Skip whitespace. */
const char *jscan_ws(const char *p, const char *end);
/* The end of the value starting at p (after whitespace), or NULL if malformed. */
const char *jscan_skip(const char *p, const char *end);
/*
 * Members of an object: start with *pp at its '{'. Returns 1 and fills m for
 * each member, 0 after the closing '}' (with *pp past it), -1 if malformed.
 */
int	 jscan_member_next(const char **pp, const char *end, struct jscan_member *m);
/*
 * Elements of an array: start with *pp at its '['. Returns 1 with the
 * element's span, 0 after the closing ']', -1 if malformed.
 */
int	 jscan_element_next(const char **pp, const char *end, const char **val, size_t *len);
/* Whether the member key equals s. */
int	 jscan_key_is(const struct jscan_member *m, const char *s);
/* A JSON integer value as long long; -1 on anything else. */
int	 jscan_int(const char *val, size_t len, long long *out);

#endif
