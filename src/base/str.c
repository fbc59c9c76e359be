/*
 * Bounded string helpers; see str.h.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "mrt/error.h"

size_t mrt_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

int mrt_parse_i64(int64_t *out, const char *s)
{
	if (!s || !*s)
		return MRT_EPARSE;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s)
		return MRT_EPARSE;
	*out = (int64_t)v;
	return 0;
}

int mrt_parse_int(int *out, const char *s)
{
	int64_t v;
	if (mrt_parse_i64(&v, s) || v < INT_MIN || v > INT_MAX)
		return MRT_EPARSE;
	*out = (int)v;
	return 0;
}

int mrt_strcaseeq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

void mrt_str_upper(char *s)
{
	for (; *s; s++)
		*s = (char)toupper((unsigned char)*s);
}

size_t mrt_rtrim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return n;
}

char *mrt_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *mrt_str_fold(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t j = 0;
	int space = 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c)) {
			out[j++] = (char)tolower(c);
			space = 0;
		} else if (!space) {
			out[j++] = ' ';
			space = 1;
		}
	}
	while (j && out[j - 1] == ' ')
		j--;
	out[j] = '\0';
	return out;
}
