/*
 * sign.h -- SHA-256 and HMAC-SHA256 for request signing and digests.
 */
#ifndef SD_SIGN_H
#define SD_SIGN_H

#include <stddef.h>

#define SHA256_HEX_LEN 65	/* 64 hex digits and NUL */

/* Lowercase hex SHA-256 of data into out[SHA256_HEX_LEN]. */
void	 sign_sha256_hex(const void *data, size_t len, char *out);

/* Incremental SHA-256. */
struct sign_sha256;
struct sign_sha256 *sign_sha256_new(void);
void	 sign_sha256_update(struct sign_sha256 *, const void *, size_t);
/* Finish, write hex into out[SHA256_HEX_LEN] and free. */
void	 sign_sha256_finish(struct sign_sha256 *, char *out);

/*
 * The Store API request signature: lowercase hex HMAC-SHA256 with key over
 * METHOD "\n" PATH_AND_QUERY "\n" TIMESTAMP "\n" NONCE "\n" hex(SHA256(body)).
 */
void	 sign_request(const char *key, const char *method, const char *path_query,
	    const char *timestamp, const char *nonce, const void *body, size_t body_len,
	    char *out);

/* Fill out with n random characters [A-Za-z0-9] and a NUL (out has n + 1 bytes). */
void	 sign_random_token(char *out, size_t n);

/* Constant-time string comparison; 1 when equal. */
int	 sign_equal(const char *a, const char *b);

#endif
