/*
 * Password hashing through libsodium; see password.h.
 */
#include <string.h>

#include <sodium.h>

#include "privacy/password.h"

_Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "PASSWORD_HASH_MAX too small");

/* The hash of a random password nobody knows, made once with the same
 * parameters password_hash uses (Argon2id, OPSLIMIT/MEMLIMIT_INTERACTIVE),
 * so verifying against it costs what verifying a real hash costs. */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
	"$argon2id$v=19$m=65536,t=2,p=1$k/puYyndQpowPRHe1aUnzA$"
	"0/4z8By0iya2T+3d8k/561Pq/Aa+28vdk5ugj23kUzg";

int password_hash(char out[PASSWORD_HASH_MAX], const char *password, mrt_err *err)
{
	size_t n = strlen(password);
	if (n < PASSWORD_MIN_LEN)
		return mrt_err_set(err, MRT_EINVAL, "password too short (at least %d characters)",
		                   PASSWORD_MIN_LEN);
	if (n > PASSWORD_MAX_LEN)
		return mrt_err_set(err, MRT_EINVAL, "password too long (at most %d characters)",
		                   PASSWORD_MAX_LEN);
	if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory while hashing the password");
	return 0;
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

int password_rules(const char *name, const char *password, mrt_err *err)
{
	size_t n = name ? strlen(name) : 0;
	if (!password || n == 0 || strlen(password) != n || n > 256)
		return 0;
	/* Both folded to lower case in scratch buffers, compared in constant
	 * time, and wiped. */
	unsigned char a[256], b[256];
	for (size_t i = 0; i < n; i++) {
		a[i] = lower((unsigned char)name[i]);
		b[i] = lower((unsigned char)password[i]);
	}
	int same = sodium_memcmp(a, b, n) == 0;
	sodium_memzero(a, sizeof a);
	sodium_memzero(b, sizeof b);
	if (same)
		return mrt_err_set(err, MRT_EINVAL, "the password may not be the user name");
	return 0;
}

int password_verify(const char *stored, const char *password)
{
	int usable = stored && *stored && password;
	const char *h = usable ? stored : dummy_hash;
	const char *p = password ? password : "";
	int ok = crypto_pwhash_str_verify(h, p, strlen(p)) == 0;
	return usable && ok ? 0 : MRT_EAUTH;
}
