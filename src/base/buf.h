/*
 * Growable byte buffer with a hard size cap (after curl's dynbuf): appends
 * past the cap fail with MRT_ENOMEM and free the buffer, so a hostile input
 * can never make it grow without bound. The contents are always
 * NUL-terminated. mrt_buf_free() zeroes the bytes before freeing them
 * because buffers may have held patient data. Also mrt_grow, the doubling
 * of an array of records.
 */
#ifndef MRT_BASE_BUF_H
#define MRT_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct mrt_buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max; /* hard cap on len */
} mrt_buf;

#define MRT_BUF_INIT(maxbytes) { NULL, 0, 0, (maxbytes) }

void mrt_buf_init(mrt_buf *b, size_t max);
int mrt_buf_add(mrt_buf *b, const void *data, size_t len);
int mrt_buf_adds(mrt_buf *b, const char *s);
int mrt_buf_addc(mrt_buf *b, char c);
int mrt_buf_addf(mrt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its memory. */
void mrt_buf_reset(mrt_buf *b);
/* Never NULL: "" for an empty buffer. */
const char *mrt_buf_str(const mrt_buf *b);
/* Hands the memory to the caller (free() it); the buffer becomes empty. */
char *mrt_buf_detach(mrt_buf *b);
void mrt_buf_free(mrt_buf *b);

/* An array p of *cap elements of size bytes with room for at least need
 * (>= 1): p itself when it has, else p reallocated to first elements or
 * *cap doubled until need fit (*cap updated). NULL when out of memory;
 * then p is unchanged and still the caller's. */
void *mrt_grow(void *p, size_t *cap, size_t need, size_t size, size_t first);

#endif
