/*
 * Password hashing for users who authenticate by password rather than by
 * their OS account: libsodium's crypto_pwhash_str (Argon2id, salted, with
 * its parameters inside the stored string).
 */
#ifndef MRT_PRIVACY_PASSWORD_H
#define MRT_PRIVACY_PASSWORD_H

#include "mrt/error.h"

#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define PASSWORD_MIN_LEN 8

/* Hashes password into out (PASSWORD_HASH_MAX bytes). Refuses passwords
 * shorter than PASSWORD_MIN_LEN. */
int password_hash(char out[PASSWORD_HASH_MAX], const char *password, mrt_err *err);
/* 0 when password matches stored; MRT_EAUTH otherwise. */
int password_verify(const char *stored, const char *password);

#endif
