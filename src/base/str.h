/*
 * Small string helpers that replace the banned libc functions (strcpy,
 * strcat, atoi, strtok): bounded copies and checked number parsing.
 */
#ifndef MRT_BASE_STR_H
#define MRT_BASE_STR_H

#include <stddef.h>
#include <stdint.h>

/* Copies at most size-1 bytes and NUL-terminates; returns strlen(src)
 * (>= size means it was truncated). */
size_t mrt_strlcpy(char *dst, const char *src, size_t size);
/* Parses a whole decimal integer (optional sign); 0 or MRT_EPARSE. */
int mrt_parse_i64(int64_t *out, const char *s);
int mrt_parse_int(int *out, const char *s);
/* ASCII case-insensitive compare / lowercase copy / uppercase in place. */
int mrt_strcaseeq(const char *a, const char *b);
void mrt_str_upper(char *s);
/* Trims trailing spaces, tabs, CR and LF in place; returns new length. */
size_t mrt_rtrim(char *s);
/* Duplicates n bytes (malloc); NULL on failure. */
char *mrt_strndup(const char *s, size_t n);
/* Sets *out to a malloc'ed lowercase ASCII copy where non-alphanumeric runs
 * become single spaces (for search keys). */
char *mrt_str_fold(const char *s);

#endif
