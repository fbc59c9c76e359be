/*
 * Size-capped buffer; see buf.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "mrt/error.h"

void mrt_buf_init(mrt_buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

static int grow(mrt_buf *b, size_t need)
{
	if (need > b->max || need < b->len) {
		mrt_buf_free(b);
		return MRT_ENOMEM;
	}
	if (need + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need + 1)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	char *p = realloc(b->ptr, cap);
	if (!p) {
		mrt_buf_free(b);
		return MRT_ENOMEM;
	}
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int mrt_buf_add(mrt_buf *b, const void *data, size_t len)
{
	if (grow(b, b->len + len) != 0)
		return MRT_ENOMEM;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int mrt_buf_adds(mrt_buf *b, const char *s)
{
	return mrt_buf_add(b, s, strlen(s));
}

int mrt_buf_addc(mrt_buf *b, char c)
{
	return mrt_buf_add(b, &c, 1);
}

int mrt_buf_addf(mrt_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return MRT_EINVAL;
	if (grow(b, b->len + (size_t)n) != 0)
		return MRT_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void mrt_buf_reset(mrt_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

const char *mrt_buf_str(const mrt_buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *mrt_buf_detach(mrt_buf *b)
{
	char *p = b->ptr;
	if (!p)
		p = calloc(1, 1);
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void mrt_buf_free(mrt_buf *b)
{
	if (b->ptr) {
		memset(b->ptr, 0, b->cap);
		free(b->ptr);
	}
	b->ptr = NULL;
	b->len = b->cap = 0;
}

void *mrt_grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : first ? first : 1;
	while (n < need && n <= SIZE_MAX / 2)
		n *= 2;
	if (n < need || n > SIZE_MAX / size)
		return NULL;
	void *q = realloc(p, n * size);
	if (q)
		*cap = n;
	return q;
}
