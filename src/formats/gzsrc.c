/*
 * Plain-or-gzip streaming over an mrt_src; see gzsrc.h. The first read
 * looks at the magic bytes 1f 8b; after that every read either copies the
 * source through or inflates up to one input chunk at a time.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "formats/gzsrc.h"

#define GZ_CHUNK 65536

enum { GZ_UNKNOWN, GZ_PLAIN, GZ_GZIP };

struct gzsrc {
	mrt_src *src;
	int mode;
	int in_stream; /* inside a gzip member (inflate not at its end) */
	int src_eof;
	z_stream zs;
	int zs_init;
	unsigned long long raw;
	unsigned char in[GZ_CHUNK];
};

int gzsrc_open(gzsrc **out, mrt_src *src, mrt_err *err)
{
	*out = NULL;
	gzsrc *g = calloc(1, sizeof *g);
	if (!g)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	g->src = src;
	*out = g;
	return 0;
}

void gzsrc_close(gzsrc *g)
{
	if (!g)
		return;
	if (g->zs_init)
		inflateEnd(&g->zs);
	free(g);
}

int gzsrc_is_gzip(const gzsrc *g)
{
	return g->mode == GZ_GZIP;
}
unsigned long long gzsrc_raw_bytes(const gzsrc *g)
{
	return g->raw;
}

static ssize_t read_raw(gzsrc *g, mrt_err *err)
{
	ssize_t got = mrt_src_read(g->src, g->in, sizeof g->in, err);
	if (got < 0)
		return got;
	if (got == 0)
		g->src_eof = 1;
	g->raw += (unsigned long long)got;
	g->zs.next_in = g->in;
	g->zs.avail_in = (uInt)got;
	return got;
}

/* The first read: fills the input chunk and decides plain or gzip. */
static int detect(gzsrc *g, mrt_err *err)
{
	ssize_t got = read_raw(g, err);
	if (got < 0)
		return (int)got;
	if (got >= 2 && g->in[0] == 0x1f && g->in[1] == 0x8b) {
		if (inflateInit2(&g->zs, 15 + 16) != Z_OK)
			return mrt_err_set(err, MRT_ENOMEM, "%s: cannot start gzip decoder",
					   mrt_src_name(g->src));
		g->zs_init = 1;
		g->mode = GZ_GZIP;
		g->in_stream = 1;
	} else {
		g->mode = GZ_PLAIN;
	}
	return 0;
}

static ssize_t read_plain(gzsrc *g, void *buf, size_t n, mrt_err *err)
{
	if (g->zs.avail_in > 0) {
		size_t c = g->zs.avail_in < n ? g->zs.avail_in : n;
		memcpy(buf, g->zs.next_in, c);
		g->zs.next_in += c;
		g->zs.avail_in -= (uInt)c;
		return (ssize_t)c;
	}
	if (g->src_eof)
		return 0;
	ssize_t got = mrt_src_read(g->src, buf, n, err);
	if (got == 0)
		g->src_eof = 1;
	if (got > 0)
		g->raw += (unsigned long long)got;
	return got;
}

/* After a member's end: another member may follow (RFC 1952 allows it). */
static int next_member(gzsrc *g, mrt_err *err)
{
	if (g->zs.avail_in == 0 && !g->src_eof) {
		ssize_t got = read_raw(g, err);
		if (got < 0)
			return (int)got;
	}
	if (g->zs.avail_in == 0)
		return 0;
	if (inflateReset(&g->zs) != Z_OK)
		return mrt_err_set(err, MRT_EPARSE, "%s: bad gzip stream", mrt_src_name(g->src));
	g->in_stream = 1;
	return 1;
}

static ssize_t read_gzip(gzsrc *g, void *buf, size_t n, mrt_err *err)
{
	const char *name = mrt_src_name(g->src);
	g->zs.next_out = buf;
	g->zs.avail_out = (uInt)(n > 0x40000000u ? 0x40000000u : n);
	uInt want = g->zs.avail_out;
	while (g->zs.avail_out == want) {
		if (!g->in_stream) {
			int rc = next_member(g, err);
			if (rc <= 0)
				return rc;
		}
		if (g->zs.avail_in == 0) {
			ssize_t got = read_raw(g, err);
			if (got < 0)
				return got;
			if (got == 0)
				return mrt_err_set(
				    err, MRT_EPARSE,
				    "%s: truncated gzip stream (ends after %llu compressed bytes)",
				    name, g->raw);
		}
		int zr = inflate(&g->zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			g->in_stream = 0;
		} else if (zr == Z_MEM_ERROR) {
			return mrt_err_set(err, MRT_ENOMEM, "%s: out of memory in gzip decoder",
					   name);
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			return mrt_err_set(
			    err, MRT_EPARSE, "%s: bad gzip stream (%s) near compressed byte %llu",
			    name, g->zs.msg ? g->zs.msg : "corrupt data", g->raw - g->zs.avail_in);
		}
	}
	return (ssize_t)(want - g->zs.avail_out);
}

ssize_t gzsrc_read(gzsrc *g, void *buf, size_t n, mrt_err *err)
{
	if (n == 0)
		return 0;
	if (g->mode == GZ_UNKNOWN) {
		int rc = detect(g, err);
		if (rc < 0)
			return rc;
	}
	if (g->mode == GZ_PLAIN)
		return read_plain(g, buf, n, err);
	return read_gzip(g, buf, n, err);
}
