/*
 * Streaming CSV reader; see csv.h. A byte-level state machine over one
 * input chunk at a time, with runs of ordinary bytes copied at once. The
 * current record's fields sit NUL-terminated in one buffer, found through
 * an offset array, so reading allocates nothing per record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "formats/csv.h"
#include "formats/gzsrc.h"

#define CSV_CHUNK 65536

enum { S_START, S_UNQ, S_Q, S_QQ, S_CR };

struct csv_reader {
	mrt_src *src;
	int own_src;
	gzsrc *gz;
	struct csv_opts o;
	unsigned char *in;
	size_t in_pos, in_len;
	int in_eof, started;
	char *rec;
	size_t rec_len, rec_cap;
	size_t *offs;
	size_t nf, offs_cap;
	char **cols;
	size_t ncols;
	unsigned long line, rec_line, recno;
	unsigned long long bytes;
	int state, cr_after_quote, quoted;
	int broken;		    /* a fatal error was returned: reading cannot go on */
	unsigned char special[256]; /* delimiter, quote, CR, LF */
};

static const char *col_label(const csv_reader *r, size_t i, char *tmp, size_t n)
{
	if (i < r->ncols)
		return r->cols[i];
	snprintf(tmp, n, "#%zu", i + 1);
	return tmp;
}

/* Error at the current record, naming field i. */
static int rec_err(csv_reader *r, mrt_err *err, int code, size_t i, const char *what)
{
	char tmp[32];
	return mrt_err_set(err, code, "%s: line %lu (record %lu), column '%s': %s",
			   mrt_src_name(r->src), r->rec_line, r->recno,
			   col_label(r, i, tmp, sizeof tmp), what);
}

static int refill(csv_reader *r, mrt_err *err)
{
	if (r->in_eof)
		return 0;
	ssize_t got = gzsrc_read(r->gz, r->in, CSV_CHUNK, err);
	if (got < 0) {
		r->in_eof = 1;
		if (err) {
			char msg[MRT_ERR_MSG_MAX];
			snprintf(msg, sizeof msg, "%s", err->msg);
			mrt_err_set(err, (int)got, "%s (while reading line %lu)", msg, r->line);
		}
		return (int)got;
	}
	r->in_pos = 0;
	r->in_len = (size_t)got;
	r->bytes += (unsigned long long)got;
	if (got == 0)
		r->in_eof = 1;
	return got > 0;
}

/* The first bytes: skip a UTF-8 byte order mark. */
static int start(csv_reader *r, mrt_err *err)
{
	r->started = 1;
	int rc = refill(r, err);
	while (rc > 0 && r->in_len < 3) {
		ssize_t got = gzsrc_read(r->gz, r->in + r->in_len, CSV_CHUNK - r->in_len, err);
		if (got < 0)
			return (int)got;
		if (got == 0)
			break;
		r->in_len += (size_t)got;
		r->bytes += (unsigned long long)got;
	}
	if (rc < 0)
		return rc;
	if (r->in_len >= 3 && memcmp(r->in, "\xEF\xBB\xBF", 3) == 0)
		r->in_pos = 3;
	return 0;
}

static int grow(csv_reader *r, size_t need, mrt_err *err)
{
	if (need <= r->rec_cap)
		return 0;
	size_t cap = r->rec_cap ? r->rec_cap : 4096;
	while (cap < need)
		cap *= 2;
	char *q = realloc(r->rec, cap);
	if (!q)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	r->rec = q;
	r->rec_cap = cap;
	return 0;
}

static int append(csv_reader *r, const unsigned char *p, size_t n, mrt_err *err)
{
	if (r->rec_len - r->offs[r->nf] + n > r->o.max_field)
		return rec_err(r, err, MRT_ENOMEM, r->nf, "field longer than the cap");
	if (r->rec_len + n + 1 > r->o.max_record)
		return rec_err(r, err, MRT_ENOMEM, r->nf, "record longer than the cap");
	int rc = grow(r, r->rec_len + n + 1, err);
	if (rc < 0)
		return rc;
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
	return 0;
}

static int end_field(csv_reader *r, mrt_err *err)
{
	if (r->nf + 1 >= r->o.max_fields)
		return rec_err(r, err, MRT_ENOMEM, r->nf, "more fields than the cap");
	int rc = grow(r, r->rec_len + 1, err);
	if (rc < 0)
		return rc;
	r->rec[r->rec_len++] = '\0';
	r->nf++;
	if (r->nf + 1 > r->offs_cap) {
		size_t cap = r->offs_cap * 2;
		size_t *q = realloc(r->offs, cap * sizeof *q);
		if (!q)
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
		r->offs = q;
		r->offs_cap = cap;
	}
	r->offs[r->nf] = r->rec_len;
	return 0;
}

/* Length of the run of ordinary bytes at p (no delimiter, quote, CR, LF). */
static size_t run_unquoted(const csv_reader *r, const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n && !r->special[p[i]])
		i++;
	return i;
}

static size_t run_quoted(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] != '"' && p[i] != '\n')
		i++;
	return i;
}

/* c (delimiter, CR or LF) ends the field: 1 = record complete, 0 = go on. */
static int terminate(csv_reader *r, unsigned char c, mrt_err *err)
{
	if (c == (unsigned char)r->o.delim) {
		r->state = S_START;
		r->cr_after_quote = 0;
		return end_field(r, err);
	}
	if (c == '\r') {
		r->state = S_CR;
		return 0;
	}
	r->line++;
	int rc = end_field(r, err);
	return rc < 0 ? rc : 1;
}

/* After a CR: LF ends the record; anything else makes the CR data. */
static int after_cr(csv_reader *r, unsigned char c, mrt_err *err)
{
	r->in_pos++;
	if (c == '\n') {
		r->line++;
		int rc = end_field(r, err);
		return rc < 0 ? rc : 1;
	}
	if (r->cr_after_quote)
		return rec_err(r, err, MRT_EPARSE, r->nf,
			       "carriage return without line feed after a closing quote");
	r->in_pos--;
	r->state = S_UNQ;
	return append(r, (const unsigned char *)"\r", 1, err);
}

/* Inside a quoted field; a quote may close it or start a doubled quote. */
static int quoted(csv_reader *r, const unsigned char *p, size_t n, mrt_err *err)
{
	size_t k = run_quoted(p, n);
	if (k > 0) {
		r->in_pos += k;
		return append(r, p, k, err);
	}
	r->in_pos++;
	if (*p == '"') {
		r->state = S_QQ;
		return 0;
	}
	r->line++;
	return append(r, p, 1, err);
}

/* One step of the state machine at in[in_pos]: 1 = record complete,
 * 0 = go on, < 0 = error. */
static int step(csv_reader *r, mrt_err *err)
{
	const unsigned char *p = r->in + r->in_pos;
	size_t n = r->in_len - r->in_pos;
	unsigned char c = *p;
	switch (r->state) {
	case S_START:
		if (c == ' ' && r->o.trim_leading_space) {
			r->in_pos++;
			return 0;
		}
		if (c == '"') {
			r->in_pos++;
			r->state = S_Q;
			r->quoted = 1;
			return 0;
		}
		r->state = S_UNQ;
		/* fall through */
	case S_UNQ: {
		size_t k = run_unquoted(r, p, n);
		if (k > 0) {
			r->in_pos += k;
			int rc = append(r, p, k, err);
			if (rc < 0 || k == n)
				return rc;
			c = p[k];
		}
		r->in_pos++;
		if (c == '"')
			return append(r, &p[k], 1, err);
		return terminate(r, c, err);
	}
	case S_Q:
		return quoted(r, p, n, err);
	case S_QQ:
		r->in_pos++;
		if (c == '"') {
			r->state = S_Q;
			return append(r, p, 1, err);
		}
		if (c != (unsigned char)r->o.delim && c != '\n' && c != '\r')
			return rec_err(r, err, MRT_EPARSE, r->nf,
				       "unexpected character after a closing quote");
		r->cr_after_quote = 1;
		return terminate(r, c, err);
	default:
		return after_cr(r, c, err);
	}
}

/* At the end of the input: finish a last record without a line end. */
static int at_eof(csv_reader *r, mrt_err *err)
{
	if (r->state == S_Q) {
		char what[96];
		snprintf(what, sizeof what, "quoted field never closed (end of input at line %lu)",
			 r->line);
		return rec_err(r, err, MRT_EPARSE, r->nf, what);
	}
	if (r->state == S_START && r->nf == 0 && r->rec_len == 0 && !r->quoted)
		return 0;
	int rc = end_field(r, err);
	return rc < 0 ? rc : 1;
}

/* Reads one physical record (header or data), skipping empty lines. */
static int read_record(csv_reader *r, mrt_err *err)
{
	for (;;) {
		r->rec_len = 0;
		r->nf = 0;
		r->offs[0] = 0;
		r->state = S_START;
		r->quoted = 0;
		r->cr_after_quote = 0;
		r->rec_line = r->line;
		int rc = 0;
		while (rc == 0) {
			if (r->in_pos == r->in_len) {
				rc = refill(r, err);
				if (rc < 0)
					return rc;
				if (rc == 0) {
					rc = at_eof(r, err);
					if (rc <= 0)
						return rc;
					break;
				}
				rc = 0;
			}
			rc = step(r, err);
			if (rc < 0)
				return rc;
		}
		if (!(r->nf == 1 && r->rec_len == 1 && !r->quoted))
			return 1;
	}
}

static int read_header(csv_reader *r, mrt_err *err)
{
	int rc = start(r, err);
	if (rc < 0)
		return rc;
	rc = read_record(r, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return mrt_err_set(err, MRT_EPARSE, "%s: empty file (no header row)",
				   mrt_src_name(r->src));
	r->cols = calloc(r->nf, sizeof *r->cols);
	if (!r->cols)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	r->ncols = r->nf;
	for (size_t i = 0; i < r->nf; i++) {
		r->cols[i] = mrt_strndup(csv_field(r, i), csv_field_len(r, i));
		if (!r->cols[i])
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	return 0;
}

int csv_open(csv_reader **out, mrt_src *src, int own_src, const struct csv_opts *opts, mrt_err *err)
{
	*out = NULL;
	csv_reader *r = calloc(1, sizeof *r);
	if (!r) {
		if (own_src)
			mrt_src_close(src);
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	r->src = src;
	r->own_src = own_src;
	if (opts)
		r->o = *opts;
	if (!r->o.delim)
		r->o.delim = ',';
	if (!r->o.max_field)
		r->o.max_field = 1u << 20;
	if (!r->o.max_record)
		r->o.max_record = 16u << 20;
	if (!r->o.max_fields)
		r->o.max_fields = 4096;
	r->line = 1;
	r->offs_cap = 64;
	r->special[(unsigned char)r->o.delim] = 1;
	r->special['"'] = r->special['\r'] = r->special['\n'] = 1;
	r->in = malloc(CSV_CHUNK);
	r->offs = malloc(r->offs_cap * sizeof *r->offs);
	int rc = MRT_ENOMEM;
	if (!r->in || !r->offs) {
		mrt_err_set(err, MRT_ENOMEM, "out of memory");
		goto done;
	}
	rc = gzsrc_open(&r->gz, src, err);
	if (rc == 0)
		rc = read_header(r, err);
done:
	if (rc < 0) {
		csv_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int csv_open_path(csv_reader **out, const char *path, const struct csv_opts *opts, mrt_err *err)
{
	mrt_src *src = NULL;
	*out = NULL;
	int rc = mrt_src_open(&src, path, err);
	if (rc < 0)
		return rc;
	return csv_open(out, src, 1, opts, err);
}

void csv_close(csv_reader *r)
{
	if (!r)
		return;
	gzsrc_close(r->gz);
	if (r->own_src)
		mrt_src_close(r->src);
	for (size_t i = 0; i < r->ncols; i++)
		free(r->cols[i]);
	free(r->cols);
	if (r->rec)
		memset(r->rec, 0, r->rec_cap); /* it held patient data */
	if (r->in)
		memset(r->in, 0, CSV_CHUNK);
	free(r->rec);
	free(r->in);
	free(r->offs);
	free(r);
}

int csv_next(csv_reader *r, mrt_err *err)
{
	if (r->broken)
		return mrt_err_set(err, MRT_EPARSE,
				   "%s: reading stopped at line %lu after an earlier error",
				   mrt_src_name(r->src), r->rec_line);
	r->recno++;
	int rc = read_record(r, err);
	if (rc <= 0) {
		if (rc == 0)
			r->recno--;
		else
			r->broken = 1;
		return rc;
	}
	if (r->nf == r->ncols)
		return 1;
	char what[96];
	if (r->nf < r->ncols) {
		snprintf(what, sizeof what, "too few fields (%zu, the header has %zu)", r->nf,
			 r->ncols);
		rec_err(r, err, MRT_EPARSE, r->nf, what);
		return CSV_REJECT;
	}
	snprintf(what, sizeof what, "too many fields (%zu, the header has %zu)", r->nf, r->ncols);
	rec_err(r, err, MRT_EPARSE, r->ncols, what);
	return CSV_REJECT;
}

size_t csv_ncols(const csv_reader *r)
{
	return r->ncols;
}
const char *csv_colname(const csv_reader *r, size_t i)
{
	return i < r->ncols ? r->cols[i] : "";
}
size_t csv_nfields(const csv_reader *r)
{
	return r->nf;
}
const char *csv_name(const csv_reader *r)
{
	return mrt_src_name(r->src);
}
unsigned long csv_recno(const csv_reader *r)
{
	return r->recno;
}
unsigned long csv_lineno(const csv_reader *r)
{
	return r->rec_line;
}
unsigned long long csv_bytes(const csv_reader *r)
{
	return r->bytes;
}
unsigned long long csv_src_bytes(const csv_reader *r)
{
	return gzsrc_raw_bytes(r->gz);
}

int csv_col(const csv_reader *r, const char *name)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i], name) == 0)
			return (int)i;
	return -1;
}

int csv_require(const csv_reader *r, const char *name, mrt_err *err)
{
	int i = csv_col(r, name);
	if (i < 0)
		return mrt_err_set(err, MRT_EPARSE, "%s: the header has no column '%s'",
				   mrt_src_name(r->src), name);
	return i;
}

const char *csv_field(const csv_reader *r, size_t i)
{
	return i < r->nf ? r->rec + r->offs[i] : "";
}

size_t csv_field_len(const csv_reader *r, size_t i)
{
	return i < r->nf ? r->offs[i + 1] - r->offs[i] - 1 : 0;
}
