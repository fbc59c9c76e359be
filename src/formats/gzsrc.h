/*
 * Plain-or-gzip bytes over an mrt_src: the CSV reader reads through this so
 * a ".csv.gz" file is inflated as it streams (zlib, one chunk at a time,
 * never the whole file in memory). Gzip is recognised by its magic bytes,
 * not the file name; concatenated gzip members are read one after another.
 * A damaged or truncated stream is an error naming the source.
 */
#ifndef MRT_FORMATS_GZSRC_H
#define MRT_FORMATS_GZSRC_H

#include <stddef.h>
#include <sys/types.h>

#include "formats/source.h"

typedef struct gzsrc gzsrc;

/* Wraps src (borrowed: it must outlive the gzsrc). */
int gzsrc_open(gzsrc **out, mrt_src *src, mrt_err *err);
void gzsrc_close(gzsrc *g);
/* Reads up to n uncompressed bytes; the count, 0 at the end, < 0 on error. */
ssize_t gzsrc_read(gzsrc *g, void *buf, size_t n, mrt_err *err);
/* 1 when the source turned out to be gzip (known after the first read). */
int gzsrc_is_gzip(const gzsrc *g);
/* Compressed bytes read from the source so far. */
unsigned long long gzsrc_raw_bytes(const gzsrc *g);

#endif
