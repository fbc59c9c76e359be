/*
 * Hashing and HMAC through libsodium; see hash.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/hash.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((mrt_sha256 *)0)->state),
               "mrt_sha256 too small for libsodium state");

int mrt_hash_init(mrt_err *err)
{
	if (sodium_init() < 0)
		return mrt_err_set(err, MRT_EIO, "libsodium failed to initialise");
	return 0;
}

void mrt_sha256_begin(mrt_sha256 *h)
{
	crypto_hash_sha256_init((crypto_hash_sha256_state *)h->state);
}

void mrt_sha256_update(mrt_sha256 *h, const void *data, size_t len)
{
	crypto_hash_sha256_update((crypto_hash_sha256_state *)h->state, data, len);
}

void mrt_sha256_end(mrt_sha256 *h, unsigned char out[MRT_SHA256_LEN])
{
	crypto_hash_sha256_final((crypto_hash_sha256_state *)h->state, out);
}

void mrt_sha256_buf(unsigned char out[MRT_SHA256_LEN], const void *data, size_t len)
{
	crypto_hash_sha256(out, data, len);
}

int mrt_sha256_file_hex(char out[MRT_SHA256_HEX], const char *path, mrt_err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return mrt_err_set(err, MRT_EIO, "%s: cannot open: %s", path, strerror(errno));
	mrt_sha256 h;
	mrt_sha256_begin(&h);
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		mrt_sha256_update(&h, buf, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return mrt_err_set(err, MRT_EIO, "%s: read error", path);
	unsigned char md[MRT_SHA256_LEN];
	mrt_sha256_end(&h, md);
	mrt_hex(out, md, sizeof md);
	return 0;
}

void mrt_hmac_sha256(unsigned char out[MRT_SHA256_LEN], const unsigned char key[MRT_HMAC_KEY_LEN],
                     const void *data, size_t len)
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key, MRT_HMAC_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, data, len);
	crypto_auth_hmacsha256_final(&st, out);
}

void mrt_hex(char *out, const unsigned char *bytes, size_t n)
{
	sodium_bin2hex(out, 2 * n + 1, bytes, n);
}

void mrt_random_bytes(void *out, size_t n)
{
	randombytes_buf(out, n);
}

int mrt_memcmp_ct(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0 ? 0 : 1;
}
