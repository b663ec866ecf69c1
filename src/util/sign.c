/*
 * sign.c -- SHA-256 and HMAC-SHA256 over OpenSSL's libcrypto.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "sign.h"
#include "xmalloc.h"

struct sign_sha256 {
	EVP_MD_CTX	*ctx;
};

static void
to_hex(const unsigned char *md, unsigned n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
}

struct sign_sha256 *
sign_sha256_new(void)
{
	struct sign_sha256 *s = xmalloc(sizeof *s);

	if ((s->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(s->ctx, EVP_sha256(), NULL) != 1)
		fatal("sha256: cannot initialise");
	return s;
}

void
sign_sha256_update(struct sign_sha256 *s, const void *p, size_t n)
{
	if (n != 0 && EVP_DigestUpdate(s->ctx, p, n) != 1)
		fatal("sha256: update failed");
}

void
sign_sha256_finish(struct sign_sha256 *s, char *out)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	if (EVP_DigestFinal_ex(s->ctx, md, &n) != 1)
		fatal("sha256: final failed");
	EVP_MD_CTX_free(s->ctx);
	free(s);
	to_hex(md, n, out);
}

void
sign_sha256_hex(const void *data, size_t len, char *out)
{
	struct sign_sha256 *s = sign_sha256_new();

	sign_sha256_update(s, data, len);
	sign_sha256_finish(s, out);
}

void
sign_request(const char *key, const char *method, const char *path_query,
    const char *timestamp, const char *nonce, const void *body, size_t body_len,
    char *out)
{
	char bodyhash[SHA256_HEX_LEN];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	char *msg;

	sign_sha256_hex(body != NULL ? body : "", body != NULL ? body_len : 0, bodyhash);
	msg = xasprintf("%s\n%s\n%s\n%s\n%s", method, path_query, timestamp, nonce, bodyhash);
	if (HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)msg,
	    strlen(msg), md, &n) == NULL)
		fatal("hmac: failed");
	free(msg);
	to_hex(md, n, out);
}

void
sign_random_token(char *out, size_t n)
{
	static const char set[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[256];
	size_t i;

	if (n > sizeof r)
		fatal("sign_random_token: %zu is too long", n);
	if (RAND_bytes(r, (int)n) != 1)
		fatal("sign_random_token: no randomness");
	for (i = 0; i < n; i++)
		out[i] = set[r[i] % 62];
	out[n] = '\0';
}

int
sign_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char d = 0;

	if (la != lb)
		return 0;
	for (i = 0; i < la; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}
