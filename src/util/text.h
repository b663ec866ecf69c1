/*
 * text.h -- untrusted text made safe for a terminal, and measured.
 *
 * Everything that came from the network passes through text_sanitize()
 * before it is written to a terminal: C0 and C1 controls, whole escape
 * sequences (CSI, OSC, DCS and two-byte ESC forms) and bidirectional
 * overrides are removed, invalid UTF-8 becomes U+FFFD. Widths follow
 * wcwidth() in a UTF-8 locale and a built-in East Asian Width table
 * otherwise, so CJK columns stay aligned; a string is measured by the
 * characters a terminal draws (emoji sequences, flags), not code points.
 */
#ifndef SD_TEXT_H
#define SD_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define TEXT_KEEP_NEWLINES	0x1	/* keep \n (else it becomes a space) */

/* Append the sanitised form of s to out. */
void	 text_sanitize_buf(const char *s, int flags, struct buf *out);
/* The sanitised form of s; caller frees. */
char	*text_sanitize(const char *s, int flags);

/*
 * Decode one UTF-8 character at s (n bytes available); returns its length
 * (1..4) and stores the code point, or U+FFFD and 1 for an invalid byte.
 */
int	 text_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Append cp encoded as UTF-8. */
void	 text_utf8_encode(uint32_t cp, struct buf *out);

/* Columns a code point occupies: 0 (combining), 1 or 2 (wide). */
int	 text_cp_width(uint32_t cp);
/*
 * The next character as a terminal draws it (a base with its combining
 * marks, variation selectors and skin tone, emoji joined by U+200D, a flag's
 * two regional indicators) at s, n bytes available: returns its length in
 * bytes and stores its columns in *width.
 */
size_t	 text_cluster(const char *s, size_t n, int *width);
/* Columns of an already sanitised string, counted by text_cluster(). */
int	 text_width(const char *s);
/*
 * Append s (already sanitised) to out, cut to at most width columns with an
 * ellipsis at a character boundary when it does not fit, padded with spaces
 * to exactly width columns when pad is set.
 */
void	 text_fit(const char *s, int width, int pad, struct buf *out);
/* Number of UTF-8 characters in s. */
size_t	 text_utf8_len(const char *s);

/*
 * Names as people type them: ASCII letters in either case, and '-', '_' and
 * blanks left out, so that "Pre-sales", "pre_sales" and "PRESALES" are one
 * name. text_fold_name() writes the folded s into out (size bytes): 0, or
 * -1 when it does not fit.
 */
int	 text_fold_name(const char *s, char *out, size_t size);
int	 text_name_eq(const char *a, const char *b);

/*
 * Input echoed in a message, bounded and clean: s sanitised (no controls, no
 * escape sequences, newlines as spaces) and, when longer than TEXT_CLIP_CHARS
 * characters, cut there on a character boundary with "…" and its whole
 * length: "SF12345678901234…(2097152 bytes)". Caller frees. NULL gives "".
 */
#define TEXT_CLIP_CHARS	60
char	*text_clip(const char *s);
/* The same, appended to out. */
void	 text_clip_buf(const char *s, struct buf *out);
/* The same with at most max characters and text_sanitize()'s flags. */
void	 text_clip_max(const char *s, size_t max, int flags, struct buf *out);

/* Whether the current locale's character set is UTF-8. */
int	 text_locale_utf8(void);

#endif
