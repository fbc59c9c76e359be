/*
 * Password hashing through libsodium; see password.h.
 */
#include <string.h>

#include <sodium.h>

#include "privacy/password.h"

_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "PASSWORD_HASH_MAX too small");

int password_hash(char out[PASSWORD_HASH_MAX], const char *password, mrt_err *err)
{
	size_t n = strlen(password);
	if (n < PASSWORD_MIN_LEN)
		return mrt_err_set(err, MRT_EINVAL, "password too short (at least %d characters)",
		                   PASSWORD_MIN_LEN);
	if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory while hashing the password");
	return 0;
}

int password_verify(const char *stored, const char *password)
{
	if (!stored || !password || !*stored)
		return MRT_EAUTH;
	if (crypto_pwhash_str_verify(stored, password, strlen(password)) != 0)
		return MRT_EAUTH;
	return 0;
}
