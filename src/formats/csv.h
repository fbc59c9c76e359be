/*
 * Streaming RFC 4180 CSV reader over an mrt_src, for the MIMIC-IV and
 * Synthea imports (and any other delimited hospital extract). Gzip input
 * is inflated transparently (see gzsrc.h). The first record is the header;
 * columns are looked up by name. Quoted fields may hold delimiters, doubled
 * quotes and line breaks; records end in LF or CRLF; a UTF-8 BOM is
 * skipped; empty lines are skipped. Field, record and field-count sizes are
 * capped. Errors name the source, the physical line, the record number and
 * the column, never a field's value.
 *
 * A record with the wrong number of fields is returned as CSV_REJECT with
 * the reason in the error slot after it has been consumed, so the caller
 * may keep it as a reject and read on; a negative error (unterminated
 * quote, size cap, damaged gzip) ends the stream.
 */
#ifndef MRT_FORMATS_CSV_H
#define MRT_FORMATS_CSV_H

#include <stddef.h>

#include "formats/source.h"

/* csv_next: a record that was read but cannot be used (see above). */
#define CSV_REJECT 2

struct csv_opts {
	char delim;		/* ',' when 0 */
	int trim_leading_space; /* skip spaces at the start of each field (", " files) */
	size_t max_field;	/* bytes; 1 MiB when 0 */
	size_t max_record;	/* bytes; 16 MiB when 0 */
	size_t max_fields;	/* 4096 when 0 */
};

typedef struct csv_reader csv_reader;

/* Reads the header from src. With own_src the reader closes src. */
int csv_open(csv_reader **out, mrt_src *src, int own_src, const struct csv_opts *opts,
	     mrt_err *err);
/* Opens a file path (plain or .gz) and reads its header. */
int csv_open_path(csv_reader **out, const char *path, const struct csv_opts *opts, mrt_err *err);
void csv_close(csv_reader *r);

/* Reads the next record: 1 when read, 0 at the end, CSV_REJECT, or < 0. */
int csv_next(csv_reader *r, mrt_err *err);

size_t csv_ncols(const csv_reader *r);
const char *csv_colname(const csv_reader *r, size_t i);
/* Index of the header column called name, or -1. */
int csv_col(const csv_reader *r, const char *name);
/* Like csv_col but a missing column is an MRT_EPARSE error naming it. */
int csv_require(const csv_reader *r, const char *name, mrt_err *err);

/* Fields of the current record (borrowed until the next csv_next). */
size_t csv_nfields(const csv_reader *r);
const char *csv_field(const csv_reader *r, size_t i);
size_t csv_field_len(const csv_reader *r, size_t i);

const char *csv_name(const csv_reader *r);
/* Data record number of the current record (1 = first after the header). */
unsigned long csv_recno(const csv_reader *r);
/* Physical line where the current record starts (1-based, header = 1). */
unsigned long csv_lineno(const csv_reader *r);
/* Uncompressed bytes read so far. */
unsigned long long csv_bytes(const csv_reader *r);
/* Bytes read from the source so far (compressed for gzip): with
 * mrt_src_size() of the file, the fraction done for a progress display. */
unsigned long long csv_src_bytes(const csv_reader *r);

#endif
