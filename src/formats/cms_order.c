/*
 * Readers for the CMS order file, codes file and addenda (see cms_order.h).
 * A shared line layer checks line endings and encoding and gives each line
 * as UTF-8 with character columns; the three layouts sit on top of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "formats/cms_order.h"

#define LINE_MAX_BYTES 8192

/* Windows-1252 0x80-0x9F; 0 = undefined in the code page. */
static const uint16_t cp1252_hi[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

struct lr {
	mrt_src *src;
	mrt_buf raw, conv;
	int mode;        /* -1 unknown, 0 LF, 1 CRLF */
	int ascii;       /* the current line is plain ASCII */
	const char *s;   /* the current line, UTF-8 */
	size_t len;      /* its bytes */
	size_t nchars;   /* its characters */
	char t1[LINE_MAX_BYTES + 1], t2[LINE_MAX_BYTES + 1];
};

static void lr_init(struct lr *l, mrt_src *src)
{
	memset(l, 0, offsetof(struct lr, t1));
	l->src = src;
	mrt_buf_init(&l->raw, LINE_MAX_BYTES);
	mrt_buf_init(&l->conv, LINE_MAX_BYTES * 3);
	l->mode = -1;
}

static void lr_fini(struct lr *l)
{
	mrt_buf_free(&l->raw);
	mrt_buf_free(&l->conv);
}

static const char *lr_name(const struct lr *l) { return mrt_src_name(l->src); }
static unsigned long lr_line(const struct lr *l) { return mrt_src_lineno(l->src); }

/* Converts a line that is not UTF-8 from Windows-1252. */
static int lr_cp1252(struct lr *l, const unsigned char *p, size_t n, mrt_err *err)
{
	mrt_buf_reset(&l->conv);
	for (size_t i = 0; i < n; i++) {
		utf8proc_int32_t cp = p[i];
		if (p[i] >= 0x80 && p[i] <= 0x9F) {
			cp = cp1252_hi[p[i] - 0x80];
			if (!cp)
				return mrt_err_set(err, MRT_EPARSE,
				                   "%s:%lu: byte 0x%02X in column %zu is neither UTF-8 nor "
				                   "Windows-1252 (wrong encoding)",
				                   lr_name(l), lr_line(l), p[i], i + 1);
		}
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t k = utf8proc_encode_char(cp, enc);
		if (mrt_buf_add(&l->conv, enc, (size_t)k) != 0)
			return mrt_err_set(err, MRT_ENOMEM, "%s:%lu: line too long", lr_name(l), lr_line(l));
	}
	l->s = mrt_buf_str(&l->conv);
	l->len = l->conv.len;
	l->nchars = n;
	return 0;
}

/* Checks the bytes of the raw line and sets s/len/nchars/ascii. */
static int lr_decode(struct lr *l, mrt_err *err)
{
	const unsigned char *p = (const unsigned char *)mrt_buf_str(&l->raw);
	size_t n = l->raw.len;
	if (lr_line(l) == 1 && n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		p += 3;
		n -= 3;
	}
	int ascii = 1;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7F) {
			if (p[i] == 0)
				return mrt_err_set(err, MRT_EPARSE,
				                   "%s:%lu: NUL byte in column %zu: wrong encoding (UTF-16?)",
				                   lr_name(l), lr_line(l), i + 1);
			return mrt_err_set(err, MRT_EPARSE,
			                   "%s:%lu: control byte 0x%02X in column %zu: not a fixed-width text "
			                   "line (wrong encoding?)", lr_name(l), lr_line(l), p[i], i + 1);
		}
		if (p[i] >= 0x80)
			ascii = 0;
	}
	l->ascii = ascii;
	l->s = (const char *)p;
	l->len = n;
	l->nchars = n;
	if (ascii)
		return 0;
	size_t chars = 0;
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return lr_cp1252(l, p, n, err);
		i += (size_t)k;
		chars++;
	}
	l->nchars = chars;
	return 0;
}

/* Next non-blank line: 1, 0 at the end, < 0 on error. */
static int lr_next(struct lr *l, mrt_err *err)
{
	for (;;) {
		int crlf = 0;
		int rc = mrt_src_getline(l->src, &l->raw, &crlf, err);
		if (rc <= 0)
			return rc;
		if (l->mode < 0) {
			l->mode = crlf;
		} else if (crlf != l->mode) {
			return mrt_err_set(err, MRT_EPARSE,
			                   "%s:%lu: line ends in %s but the lines before end in %s "
			                   "(mixed line endings%s)",
			                   lr_name(l), lr_line(l), crlf ? "CR LF" : "LF or nothing",
			                   l->mode ? "CR LF" : "LF",
			                   crlf ? "" : ", or a truncated last line");
		}
		if ((rc = lr_decode(l, err)) != 0)
			return rc;
		size_t k = l->len;
		while (k && l->s[k - 1] == ' ')
			k--;
		if (k)
			return 1;
	}
}

/* Byte offset of character column c (0-based) in the current line. */
static size_t lr_off(const struct lr *l, size_t c)
{
	if (l->ascii)
		return c < l->len ? c : l->len;
	size_t i = 0, chars = 0;
	while (i < l->len && chars < c) {
		i++;
		while (i < l->len && ((unsigned char)l->s[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	return i;
}

/* The character at column c when it is ASCII, else 0x80 (or 0 past the end). */
static int lr_at(const struct lr *l, size_t c)
{
	if (c >= l->nchars)
		return 0;
	unsigned char ch = (unsigned char)l->s[lr_off(l, c)];
	return ch < 0x80 ? ch : 0x80;
}

/* Copies columns [from, to) (to = SIZE_MAX: the rest), trailing blanks removed. */
static const char *lr_copy(const struct lr *l, size_t from, size_t to, char *out)
{
	size_t a = lr_off(l, from);
	size_t b = to == (size_t)-1 ? l->len : lr_off(l, to);
	size_t n = b > a ? b - a : 0;
	if (n > LINE_MAX_BYTES)
		n = LINE_MAX_BYTES;
	memcpy(out, l->s + a, n);
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

static int is_code_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

/* Reads a code left-aligned in columns [from, from+width): letters/digits
 * then blanks. Returns its length, or -1. */
static int lr_code(const struct lr *l, size_t from, size_t width, char code[CMS_CODE_MAX + 1])
{
	size_t n = 0;
	while (n < width && n < CMS_CODE_MAX && is_code_char(lr_at(l, from + n))) {
		code[n] = (char)lr_at(l, from + n);
		n++;
	}
	code[n] = '\0';
	for (size_t i = n; i < width; i++)
		if (lr_at(l, from + i) != ' ')
			return -1;
	return n >= 3 ? (int)n : -1;
}

static int check_dup(struct lr *l, cms_codeset *seen, const char *code, mrt_err *err)
{
	unsigned long first = 0;
	int rc = cms_codeset_add(seen, code, lr_line(l), &first);
	if (rc == 0)
		return mrt_err_set(err, MRT_EEXIST, "%s:%lu: duplicate code %s (first on line %lu)",
		                   lr_name(l), lr_line(l), code, first);
	return rc < 0 ? mrt_err_set(err, MRT_ENOMEM, "out of memory") : 0;
}

static int order_flag(struct lr *l, struct cms_order_row *row, mrt_err *err)
{
	int f = lr_at(l, 14);
	if (f == '0' || f == '1') {
		row->billable = f == '1';
		return 0;
	}
	if (f == ' ' && (lr_at(l, 15) == '0' || lr_at(l, 15) == '1'))
		return mrt_err_set(err, MRT_EPARSE,
		                   "%s:%lu: misaligned columns: the billable flag is in column 16, "
		                   "expected in column 15", lr_name(l), lr_line(l));
	char what[8];
	if (f >= 0x20 && f < 0x7F)
		snprintf(what, sizeof what, "'%c'", f);
	else
		snprintf(what, sizeof what, "0x%02X", f);
	return mrt_err_set(err, MRT_EPARSE, "%s:%lu: bad billable flag %s in column 15 (expected 0 or 1)",
	                   lr_name(l), lr_line(l), what);
}

static int order_line(struct lr *l, struct cms_order_row *row, mrt_err *err)
{
	if (l->nchars < 78)
		return mrt_err_set(err, MRT_EPARSE,
		                   "%s:%lu: line has %zu characters, fewer than the 78 of the "
		                   "order-file layout (truncated line?)", lr_name(l), lr_line(l), l->nchars);
	long no = 0;
	for (size_t i = 0; i < 5; i++) {
		int c = lr_at(l, i);
		if (c < '0' || c > '9')
			return mrt_err_set(err, MRT_EPARSE,
			                   "%s:%lu: misaligned columns: columns 1-5 must hold the order "
			                   "number", lr_name(l), lr_line(l));
		no = no * 10 + (c - '0');
	}
	row->order_no = no;
	if (lr_at(l, 5) != ' ' || lr_code(l, 6, 8, row->code) < 0)
		return mrt_err_set(err, MRT_EPARSE,
		                   "%s:%lu: misaligned columns: columns 7-13 must hold the code "
		                   "(3-7 letters/digits, left-aligned) after a blank in column 6",
		                   lr_name(l), lr_line(l));
	int rc = order_flag(l, row, err);
	if (rc)
		return rc;
	if (lr_at(l, 15) != ' ' || lr_at(l, 16) == ' ' || lr_at(l, 76) != ' ' || lr_at(l, 77) == ' ')
		return mrt_err_set(err, MRT_EPARSE,
		                   "%s:%lu: misaligned columns: the short title must start in column "
		                   "17 and the long title in column 78", lr_name(l), lr_line(l));
	row->short_title = lr_copy(l, 16, 76, l->t1);
	row->long_title = lr_copy(l, 77, (size_t)-1, l->t2);
	return 0;
}

int cms_order_read(mrt_src *src, cms_order_fn fn, void *ctx, mrt_err *err)
{
	struct lr *l = malloc(sizeof *l);
	cms_codeset *seen = cms_codeset_new();
	int rc = 0;
	long prev = 0;
	if (!l || !seen) {
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		goto done;
	}
	lr_init(l, src);
	while ((rc = lr_next(l, err)) == 1) {
		struct cms_order_row row = { .lineno = lr_line(l) };
		if ((rc = order_line(l, &row, err)) != 0 || (rc = check_dup(l, seen, row.code, err)) != 0)
			break;
		if (row.order_no <= prev) {
			rc = mrt_err_set(err, MRT_EPARSE,
			                 "%s:%lu: order number %05ld does not follow %05ld (lines out of order)",
			                 lr_name(l), lr_line(l), row.order_no, prev);
			break;
		}
		prev = row.order_no;
		if ((rc = fn(ctx, &row, err)) != 0)
			break;
	}
	if (rc == 0 && prev == 0)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: no order-file lines (empty file?)", mrt_src_name(src));
done:
	if (l)
		lr_fini(l);
	free(l);
	cms_codeset_free(seen);
	return rc > 0 ? 0 : rc;
}

static int codes_line(struct lr *l, struct cms_order_row *row, mrt_err *err)
{
	if (l->nchars < 9)
		return mrt_err_set(err, MRT_EPARSE,
		                   "%s:%lu: line has %zu characters, fewer than the 9 of the codes-file "
		                   "layout (truncated line?)", lr_name(l), lr_line(l), l->nchars);
	if (lr_code(l, 0, 8, row->code) < 0 || lr_at(l, 8) == ' ')
		return mrt_err_set(err, MRT_EPARSE,
		                   "%s:%lu: misaligned columns: columns 1-7 must hold the code and the "
		                   "title must start in column 9", lr_name(l), lr_line(l));
	row->billable = 1;
	row->short_title = "";
	row->long_title = lr_copy(l, 8, (size_t)-1, l->t2);
	return 0;
}

int cms_codes_read(mrt_src *src, cms_order_fn fn, void *ctx, mrt_err *err)
{
	struct lr *l = malloc(sizeof *l);
	cms_codeset *seen = cms_codeset_new();
	int rc = 0;
	unsigned long rows = 0;
	if (!l || !seen) {
		rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
		goto done;
	}
	lr_init(l, src);
	while ((rc = lr_next(l, err)) == 1) {
		struct cms_order_row row = { .lineno = lr_line(l) };
		if ((rc = codes_line(l, &row, err)) != 0 || (rc = check_dup(l, seen, row.code, err)) != 0 ||
		    (rc = fn(ctx, &row, err)) != 0)
			break;
		rows++;
	}
	if (rc == 0 && rows == 0)
		rc = mrt_err_set(err, MRT_EPARSE, "%s: no codes-file lines (empty file?)", mrt_src_name(src));
done:
	if (l)
		lr_fini(l);
	free(l);
	cms_codeset_free(seen);
	return rc > 0 ? 0 : rc;
}

static const struct {
	const char *prefix;
	enum cms_addenda_action action;
} addenda_prefixes[] = {
	{ "Add:", CMS_ADD },
	{ "Delete:", CMS_DELETE },
	{ "Revise from:", CMS_REVISE_FROM },
	{ "Revise to:", CMS_REVISE_TO },
};

/* 1 when the line is an addenda entry (row filled), 0 for other lines. */
static int addenda_line(struct lr *l, int order_layout, struct cms_addenda_row *row, mrt_err *err)
{
	size_t c = 0;
	int found = 0;
	for (size_t i = 0; i < sizeof addenda_prefixes / sizeof addenda_prefixes[0]; i++) {
		size_t n = strlen(addenda_prefixes[i].prefix);
		if (l->len >= n && memcmp(l->s, addenda_prefixes[i].prefix, n) == 0) {
			row->action = addenda_prefixes[i].action;
			c = n;
			found = 1;
			break;
		}
	}
	if (!found)
		return 0;
	while (lr_at(l, c) == ' ')
		c++;
	row->billable = -1;
	if ((lr_at(l, c) == '0' || lr_at(l, c) == '1') && lr_at(l, c + 1) == ' ') {
		row->billable = lr_at(l, c) == '1';
		c += 2;
	}
	if (lr_code(l, c, 8, row->code) < 0 || lr_at(l, c + 8) == ' ' || lr_at(l, c + 8) == 0)
		return mrt_err_set(err, MRT_EPARSE,
		                   "%s:%lu: misaligned columns: expected a code (8 columns) and a title "
		                   "after the action", lr_name(l), lr_line(l));
	c += 8;
	if (order_layout && l->nchars > c + 61 && lr_at(l, c + 60) == ' ' && lr_at(l, c + 61) != ' ') {
		row->short_title = lr_copy(l, c, c + 60, l->t1);
		row->long_title = lr_copy(l, c + 61, (size_t)-1, l->t2);
	} else {
		row->long_title = lr_copy(l, c, (size_t)-1, l->t2);
		row->short_title = row->long_title;
	}
	return 1;
}

int cms_addenda_read(mrt_src *src, int order_layout, cms_addenda_fn fn, void *ctx, mrt_err *err)
{
	struct lr *l = malloc(sizeof *l);
	int rc = 0;
	if (!l)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	lr_init(l, src);
	while ((rc = lr_next(l, err)) == 1) {
		struct cms_addenda_row row = { .lineno = lr_line(l) };
		rc = addenda_line(l, order_layout, &row, err);
		if (rc < 0)
			break;
		if (rc == 1 && (rc = fn(ctx, &row, err)) != 0)
			break;
	}
	lr_fini(l);
	free(l);
	return rc > 0 ? 0 : rc;
}
