/*
 * Hashing through libsodium: SHA-256 of files and buffers (release
 * checksums), HMAC-SHA-256 (the audit chain), hex encoding, random bytes.
 */
#ifndef MRT_BASE_HASH_H
#define MRT_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "mrt/error.h"

#define MRT_SHA256_LEN 32
#define MRT_SHA256_HEX 65
#define MRT_HMAC_KEY_LEN 32

/* Must be called once before any other function here (idempotent). */
int mrt_hash_init(mrt_err *err);

typedef struct mrt_sha256 {
	_Alignas(64) unsigned char state[512]; /* crypto_hash_sha256_state, opaque */
} mrt_sha256;

void mrt_sha256_begin(mrt_sha256 *h);
void mrt_sha256_update(mrt_sha256 *h, const void *data, size_t len);
void mrt_sha256_end(mrt_sha256 *h, unsigned char out[MRT_SHA256_LEN]);
void mrt_sha256_buf(unsigned char out[MRT_SHA256_LEN], const void *data, size_t len);
/* SHA-256 of a whole file, as lowercase hex. */
int mrt_sha256_file_hex(char out[MRT_SHA256_HEX], const char *path, mrt_err *err);

void mrt_hmac_sha256(unsigned char out[MRT_SHA256_LEN], const unsigned char key[MRT_HMAC_KEY_LEN],
                     const void *data, size_t len);

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void mrt_hex(char *out, const unsigned char *bytes, size_t n);
void mrt_random_bytes(void *out, size_t n);
/* Constant-time comparison of n bytes: 0 when equal. */
int mrt_memcmp_ct(const void *a, const void *b, size_t n);

#endif
