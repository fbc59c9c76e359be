/*
 * A code as a 64-bit key, for the in-memory hash tables keyed by code (the
 * code index, the MCE lists): packing and the slot hash.
 */
#ifndef MRT_CODES_CODE_KEY_H
#define MRT_CODES_CODE_KEY_H

#include <stddef.h>
#include <stdint.h>

/* The code's bytes, first in the top byte; 0 for "" or a code longer than
 * 8 characters. */
static inline uint64_t codes_key_pack(const char *code)
{
	uint64_t k = 0;
	size_t i = 0;
	for (; i < 8 && code[i]; i++)
		k = (k << 8) | (unsigned char)code[i];
	if (code[i] && i == 8)
		return 0;
	return i ? k << (8 * (8 - i)) : 0;
}

/* The hash of a packed key (MurmurHash3's 64-bit finaliser, first half). */
static inline size_t codes_key_mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k;
}

#endif
