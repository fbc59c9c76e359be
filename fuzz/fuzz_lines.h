/*
 * For fuzz targets that read their input as lines: calls each(p, len, line)
 * for every line (without its '\n'), numbered from 1; a last line without
 * '\n' counts too.
 */
#ifndef MRT_FUZZ_LINES_H
#define MRT_FUZZ_LINES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void fuzz_lines(const uint8_t *data, size_t size,
			      void (*each)(const char *p, size_t len, long line))
{
	const char *p = (const char *)data, *end = p + size;
	long line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		each(p, len, ++line);
		p += len + (nl != NULL);
	}
}

#endif
