/*
 * Byte sources over files and zip members; see source.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zip.h>

#include "base/str.h"
#include "formats/source.h"

#define CHUNK 65536

struct mrt_src {
	char *name;
	FILE *file;
	zip_t *zip;
	zip_file_t *zf;
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	long long size;
	unsigned char buf[CHUNK];
	size_t pos, len;
	int eof;
	unsigned long lineno;
	mrt_sha256 sha;
};

static mrt_src *src_new(const char *name)
{
	mrt_src *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->name = mrt_strndup(name, strlen(name));
	if (!s->name) {
		free(s);
		return NULL;
	}
	s->size = -1;
	mrt_sha256_begin(&s->sha);
	return s;
}

int mrt_src_open_zip(mrt_src **out, const char *zip_path, const char *member, mrt_err *err)
{
	*out = NULL;
	int zerr = 0;
	zip_t *z = zip_open(zip_path, ZIP_RDONLY, &zerr);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		mrt_err_set(err, MRT_EIO, "%s: cannot open zip archive: %s", zip_path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return MRT_EIO;
	}
	zip_stat_t st;
	if (zip_stat(z, member, 0, &st) != 0) {
		zip_close(z);
		return mrt_err_set(err, MRT_ENOTFOUND, "%s: archive has no member '%s'", zip_path, member);
	}
	zip_file_t *zf = zip_fopen(z, member, 0);
	if (!zf) {
		mrt_err_set(err, MRT_EIO, "%s#%s: cannot read member: %s", zip_path, member, zip_strerror(z));
		zip_close(z);
		return MRT_EIO;
	}
	char name[4096];
	snprintf(name, sizeof name, "%s#%s", zip_path, member);
	mrt_src *s = src_new(name);
	if (!s) {
		zip_fclose(zf);
		zip_close(z);
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	s->zip = z;
	s->zf = zf;
	if (st.valid & ZIP_STAT_SIZE)
		s->size = (long long)st.size;
	*out = s;
	return 0;
}

int mrt_src_open(mrt_src **out, const char *spec, mrt_err *err)
{
	*out = NULL;
	const char *hash = strstr(spec, ".zip#");
	if (hash) {
		char zip_path[4096];
		size_t n = (size_t)(hash - spec) + 4;
		if (n >= sizeof zip_path)
			return mrt_err_set(err, MRT_EINVAL, "path too long");
		memcpy(zip_path, spec, n);
		zip_path[n] = '\0';
		return mrt_src_open_zip(out, zip_path, hash + 5, err);
	}
	FILE *f = fopen(spec, "rb");
	if (!f)
		return mrt_err_set(err, errno == ENOENT ? MRT_ENOTFOUND : MRT_EIO, "%s: cannot open: %s", spec,
		                   strerror(errno));
	mrt_src *s = src_new(spec);
	if (!s) {
		fclose(f);
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	s->file = f;
	struct stat st;
	if (fstat(fileno(f), &st) == 0)
		s->size = (long long)st.st_size;
	*out = s;
	return 0;
}

int mrt_src_open_mem(mrt_src **out, const char *name, const void *data, size_t len, mrt_err *err)
{
	*out = NULL;
	mrt_src *s = src_new(name);
	if (!s)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	s->mem = data;
	s->mem_len = len;
	s->size = (long long)len;
	*out = s;
	return 0;
}

void mrt_src_close(mrt_src *s)
{
	if (!s)
		return;
	if (s->zf)
		zip_fclose(s->zf);
	if (s->zip)
		zip_discard(s->zip);
	if (s->file)
		fclose(s->file);
	free(s->name);
	free(s);
}

const char *mrt_src_name(const mrt_src *s) { return s->name; }
long long mrt_src_size(const mrt_src *s) { return s->size; }
unsigned long mrt_src_lineno(const mrt_src *s) { return s->lineno; }

/* Reads more raw bytes from the underlying file/member. */
static ssize_t raw_read(mrt_src *s, void *buf, size_t n, mrt_err *err)
{
	ssize_t got;
	if (s->mem) {
		size_t left = s->mem_len - s->mem_pos;
		got = (ssize_t)(n < left ? n : left);
		memcpy(buf, s->mem + s->mem_pos, (size_t)got);
		s->mem_pos += (size_t)got;
	} else if (s->zf) {
		zip_int64_t r = zip_fread(s->zf, buf, n);
		if (r < 0)
			return mrt_err_set(err, MRT_EIO, "%s: read error in zip member (corrupt archive?)", s->name);
		got = (ssize_t)r;
	} else if (s->file) {
		got = (ssize_t)fread(buf, 1, n, s->file);
		if (got == 0 && ferror(s->file))
			return mrt_err_set(err, MRT_EIO, "%s: read error", s->name);
	} else {
		got = 0;
	}
	if (got > 0)
		mrt_sha256_update(&s->sha, buf, (size_t)got);
	return got;
}

static int fill(mrt_src *s, mrt_err *err)
{
	if (s->eof)
		return 0;
	ssize_t got = raw_read(s, s->buf, sizeof s->buf, err);
	if (got < 0)
		return (int)got;
	if (got == 0) {
		s->eof = 1;
		return 0;
	}
	s->pos = 0;
	s->len = (size_t)got;
	return 1;
}

ssize_t mrt_src_read(mrt_src *s, void *out, size_t n, mrt_err *err)
{
	if (s->pos < s->len) {
		size_t c = s->len - s->pos;
		if (c > n)
			c = n;
		memcpy(out, s->buf + s->pos, c);
		s->pos += c;
		return (ssize_t)c;
	}
	if (s->eof)
		return 0;
	ssize_t got = raw_read(s, out, n, err);
	if (got == 0)
		s->eof = 1;
	return got;
}

int mrt_src_getline(mrt_src *s, mrt_buf *line, int *crlf, mrt_err *err)
{
	mrt_buf_reset(line);
	int any = 0;
	if (crlf)
		*crlf = 0;
	for (;;) {
		if (s->pos >= s->len) {
			int rc = fill(s, err);
			if (rc < 0)
				return rc;
			if (rc == 0)
				break;
		}
		unsigned char *start = s->buf + s->pos;
		unsigned char *nl = memchr(start, '\n', s->len - s->pos);
		size_t take = nl ? (size_t)(nl - start) : s->len - s->pos;
		any = 1;
		if (mrt_buf_add(line, start, take) != 0) {
			return mrt_err_set(err, MRT_EPARSE, "%s:%lu: line longer than %zu bytes", s->name,
			                   s->lineno + 1, line->max);
		}
		s->pos += take;
		if (nl) {
			s->pos++;
			break;
		}
	}
	if (!any)
		return 0;
	s->lineno++;
	if (line->len && line->ptr[line->len - 1] == '\r') {
		line->ptr[--line->len] = '\0';
		if (crlf)
			*crlf = 1;
	}
	return 1;
}

void mrt_src_sha256_hex(mrt_src *s, char out[MRT_SHA256_HEX])
{
	mrt_sha256 copy = s->sha;
	unsigned char md[MRT_SHA256_LEN];
	mrt_sha256_end(&copy, md);
	mrt_hex(out, md, sizeof md);
}

int mrt_src_checksum(const char *spec, char out[MRT_SHA256_HEX], mrt_err *err)
{
	mrt_src *s = NULL;
	int rc = mrt_src_open(&s, spec, err);
	if (rc)
		return rc;
	unsigned char tmp[CHUNK];
	ssize_t n;
	while ((n = raw_read(s, tmp, sizeof tmp, err)) > 0)
		;
	if (n < 0) {
		mrt_src_close(s);
		return (int)n;
	}
	mrt_src_sha256_hex(s, out);
	mrt_src_close(s);
	return 0;
}

int mrt_src_zip_list(char ***out, const char *zip_path, mrt_err *err)
{
	*out = NULL;
	int zerr = 0;
	zip_t *z = zip_open(zip_path, ZIP_RDONLY, &zerr);
	if (!z)
		return mrt_err_set(err, MRT_EIO, "%s: cannot open zip archive (error %d)", zip_path, zerr);
	zip_int64_t n = zip_get_num_entries(z, 0);
	char **list = calloc((size_t)(n > 0 ? n : 0) + 1, sizeof *list);
	if (!list) {
		zip_discard(z);
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	zip_int64_t k = 0;
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		if (!name)
			continue;
		list[k] = mrt_strndup(name, strlen(name));
		if (!list[k]) {
			mrt_src_free_list(list);
			zip_discard(z);
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		}
		k++;
	}
	zip_discard(z);
	*out = list;
	return 0;
}

void mrt_src_free_list(char **list)
{
	if (!list)
		return;
	for (char **p = list; *p; p++)
		free(*p);
	free(list);
}
