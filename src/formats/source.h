/*
 * A byte source for the release-file readers: a plain file, or one member
 * of a zip archive (libzip), read sequentially. Specs name either
 * "path/to/file.txt" or "path/to/archive.zip#member.txt". The source keeps
 * the line number for error messages and a running SHA-256 of what was read.
 */
#ifndef MRT_FORMATS_SOURCE_H
#define MRT_FORMATS_SOURCE_H

#include <stddef.h>
#include <sys/types.h>

#include "base/buf.h"
#include "base/hash.h"
#include "mrt/error.h"

typedef struct mrt_src mrt_src;

int mrt_src_open(mrt_src **out, const char *spec, mrt_err *err);
int mrt_src_open_zip(mrt_src **out, const char *zip_path, const char *member, mrt_err *err);
/* A source over bytes in memory (not copied: they must outlive the source);
 * name is used in error messages. For tests and fuzzers. */
int mrt_src_open_mem(mrt_src **out, const char *name, const void *data, size_t len, mrt_err *err);
void mrt_src_close(mrt_src *src);

/* The name errors should use: "file" or "archive.zip#member". */
const char *mrt_src_name(const mrt_src *src);
/* Uncompressed size when known, else -1. */
long long mrt_src_size(const mrt_src *src);

/* Reads up to n bytes; returns the count, 0 at the end, < 0 on error. */
ssize_t mrt_src_read(mrt_src *src, void *buf, size_t n, mrt_err *err);
/* Reads one line into line (without its LF or CRLF). Returns 1 when a line
 * was read, 0 at the end, < 0 on error (a line longer than the buffer's cap
 * is an error naming the line). *crlf tells whether it ended in CRLF. */
int mrt_src_getline(mrt_src *src, mrt_buf *line, int *crlf, mrt_err *err);
/* Number of the line last returned by mrt_src_getline (1-based). */
unsigned long mrt_src_lineno(const mrt_src *src);
/* SHA-256 (hex) of every byte read so far; call after reading to the end. */
void mrt_src_sha256_hex(mrt_src *src, char out[MRT_SHA256_HEX]);

/* SHA-256 of a whole spec without keeping it open. */
int mrt_src_checksum(const char *spec, char out[MRT_SHA256_HEX], mrt_err *err);
/* Lists a zip's member names (each malloc'ed, array NULL-terminated; free
 * with mrt_src_free_list). */
int mrt_src_zip_list(char ***out, const char *zip_path, mrt_err *err);
void mrt_src_free_list(char **list);

#endif
