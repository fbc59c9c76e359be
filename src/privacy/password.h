/*
 * Password hashing for users who authenticate by password rather than by
 * their OS account: libsodium's crypto_pwhash_str (Argon2id, salted, with
 * its parameters inside the stored string), and the rules a new password
 * must meet. Verification always costs one Argon2id verification, also for
 * a user who does not exist or has no password (against a fixed dummy
 * hash), so the time of a failed sign-in does not tell whether a name
 * exists.
 */
#ifndef MRT_PRIVACY_PASSWORD_H
#define MRT_PRIVACY_PASSWORD_H

#include "mrt/error.h"

#define PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define PASSWORD_MIN_LEN 12
#define PASSWORD_MAX_LEN 1024

/* Hashes password into out (PASSWORD_HASH_MAX bytes). Refuses passwords
 * shorter than PASSWORD_MIN_LEN or longer than PASSWORD_MAX_LEN. */
int password_hash(char out[PASSWORD_HASH_MAX], const char *password, mrt_err *err);
/* The rules of a new password for user name (besides its length): it may
 * not be the user name (in any letter case). 0 or MRT_EINVAL; the message
 * never repeats the password. */
int password_rules(const char *name, const char *password, mrt_err *err);
/* 0 when password matches stored; MRT_EAUTH otherwise. With stored NULL or
 * empty (no such user, no password set) it verifies against a dummy hash
 * and fails, taking the same time as a wrong password. */
int password_verify(const char *stored, const char *password);

#endif
