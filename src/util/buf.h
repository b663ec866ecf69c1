/*
 * buf.h -- a growable byte buffer, always NUL-terminated.
 */
#ifndef SD_BUF_H
#define SD_BUF_H

#include <stddef.h>

struct buf {
	char	*data;		/* NUL-terminated contents, or NULL when empty */
	size_t	 len;		/* bytes used, excluding the NUL */
	size_t	 cap;		/* bytes allocated */
};

void	 buf_init(struct buf *);
void	 buf_done(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_add(struct buf *, const void *, size_t);
/* Room for extra more bytes and the NUL, for writing at data + len directly. */
void	 buf_reserve(struct buf *, size_t extra);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_addf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal, quotes included. */
void	 buf_add_json_string(struct buf *, const char *);
const char *buf_str(const struct buf *);
char	*buf_steal(struct buf *);

#endif
