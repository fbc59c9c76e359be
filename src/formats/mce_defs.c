/*
 * Reader for the CMS "Definitions of Medicare Code Edits" text (see
 * mce_defs.h). One pass, one line at a time: a small state machine keeps
 * the chapter, the edit section ("9."), its subsection ("B.") and part
 * ("Procedures", "Diagnoses"), and maps that position to a list. The only
 * words it relies on are the manual's structural ones (chapter titles,
 * "discontinued", "deactivated", "removed", "added", "Procedure",
 * "Diagnoses", "kidney", "pancreas"); every code comes from the text.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/str.h"
#include "formats/mce_defs.h"

#define LINE_MAX_BYTES 8192

/* Windows-1252 0x80-0x9F as Unicode; 0 = undefined in the code page. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0,	    0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,	    0x017D, 0,	    0,	    0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	    0x017E, 0x0178,
};

enum chapter { CH_FRONT, CH_TOC, CH_ONE, CH_TWO, CH_END };

struct rd {
	mrt_src *src;
	const struct mce_defs_cb *cb;
	void *ctx;
	struct mce_defs_head *head;
	mrt_buf raw, line;
	enum chapter ch;
	int sec;       /* edit section number, 0 = none yet */
	char sub;      /* subsection letter, 0 = none */
	int subnum;    /* 8B.1..3 */
	char part;     /* 'P' procedures, 'D' diagnoses, 0 */
	int nolist;    /* section or subsection discontinued/deactivated */
	int secnolist; /* the section itself */
	int added;     /* chapter 2: 1 added, 0 removed, -1 not said yet */
	int prose;     /* 11B: the last transplant named, 'P' pancreas / 'K' kidney */
	unsigned long codes;
};

static const char *rd_name(const struct rd *r)
{
	return mrt_src_name(r->src);
}
static unsigned long rd_line(const struct rd *r)
{
	return mrt_src_lineno(r->src);
}

static int utf8_ok(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t k = c < 0x80		? 1
			   : (c & 0xE0) == 0xC0 ? 2
			   : (c & 0xF0) == 0xE0 ? 3
			   : (c & 0xF8) == 0xF0 ? 4
						: 0;
		if (!k || (k == 2 && c < 0xC2) || i + k > n)
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((p[i + j] & 0xC0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

static int put_utf8(mrt_buf *b, unsigned cp)
{
	char e[4];
	size_t k;
	if (cp < 0x80) {
		e[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		e[0] = (char)(0xC0 | (cp >> 6));
		e[1] = (char)(0x80 | (cp & 0x3F));
		k = 2;
	} else {
		e[0] = (char)(0xE0 | (cp >> 12));
		e[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		e[2] = (char)(0x80 | (cp & 0x3F));
		k = 3;
	}
	return mrt_buf_add(b, e, k);
}

/* The raw line as UTF-8 in r->line (Windows-1252 when it is not UTF-8),
 * without a BOM and trailing blanks. */
static int decode(struct rd *r, mrt_err *err)
{
	const unsigned char *p = (const unsigned char *)mrt_buf_str(&r->raw);
	size_t n = r->raw.len;
	if (rd_line(r) == 1 && n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		p += 3;
		n -= 3;
	}
	mrt_buf_reset(&r->line);
	int ok = utf8_ok(p, n), rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		unsigned cp = p[i];
		if (cp == 0)
			return mrt_err_set(err, MRT_EPARSE,
					   "%s:%lu: NUL byte in column %zu: wrong encoding "
					   "(UTF-16?)",
					   rd_name(r), rd_line(r), i + 1);
		if (ok || cp < 0x80) {
			rc = mrt_buf_addc(&r->line, (char)cp);
			continue;
		}
		if (cp <= 0x9F && !(cp = cp1252_hi[cp - 0x80]))
			return mrt_err_set(err, MRT_EPARSE,
					   "%s:%lu: byte 0x%02X in column %zu is neither "
					   "UTF-8 nor Windows-1252",
					   rd_name(r), rd_line(r), p[i], i + 1);
		rc = put_utf8(&r->line, cp);
	}
	if (rc)
		return mrt_err_set(err, MRT_ENOMEM, "%s:%lu: line too long", rd_name(r),
				   rd_line(r));
	while (r->line.len &&
	       (r->line.ptr[r->line.len - 1] == ' ' || r->line.ptr[r->line.len - 1] == '\t'))
		r->line.ptr[--r->line.len] = '\0';
	return 0;
}

static int is_code_char(int c)
{
	return isdigit(c) || isupper(c);
}

/* A code of 3 to 7 letters/digits at s, ending at a separator; its length or 0. */
static size_t code_at(const char *s)
{
	size_t n = 0;
	while (n < 8 && is_code_char((unsigned char)s[n]))
		n++;
	if (n < 3 || n > 7 || !strchr("\t ,)", s[n]))
		return 0;
	return n;
}

static int contains(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; *s; s++)
		if (strncasecmp(s, word, n) == 0)
			return 1;
	return 0;
}

static int is_pcs(const char *code)
{
	return strlen(code) == 7 && isdigit((unsigned char)code[0]);
}

/* The list of a code at the reader's position; -1 = none. */
static int list_for(const struct rd *r, const char *code)
{
	int pcs = is_pcs(code);
	switch (r->sec) {
	case 4:
		return r->sub >= 'A' && r->sub <= 'D' ? ML_NEWBORN + (r->sub - 'A') : -1;
	case 6:
		return ML_MANIFESTATION;
	case 8:
		if (r->sub == 'A')
			return ML_QUESTIONABLE;
		if (r->sub != 'B')
			return -1;
		if (r->subnum == 1 || r->subnum == 2)
			return r->subnum == 1 ? ML_CESAREAN : ML_VAGINAL;
		return r->subnum == 3 || !pcs ? ML_OUTCOME_DELIVERY : -1;
	case 9:
		return ML_UNACCEPTABLE_PDX;
	case 11:
		switch (r->sub) {
		case 'A':
			return ML_NONCOV_A;
		case 'B':
			return r->part == 'D' || (r->ch == CH_TWO && !pcs) ? ML_NONCOV_B_DX : -1;
		case 'D':
			if (r->part)
				return r->part == 'P' ? ML_NONCOV_D_PROC : ML_NONCOV_D_DX;
			return r->ch == CH_TWO ? (pcs ? ML_NONCOV_D_PROC : ML_NONCOV_D_DX) : -1;
		case 'F':
			return ML_NONCOV_F;
		case 'G':
			return pcs || r->ch == CH_ONE ? ML_NONCOV_G_PROC : ML_NONCOV_G_DX;
		default:
			return -1;
		}
	case 17:
		return r->sub == 'A' ? ML_LIMITED_A : -1;
	case 18:
		return ML_WRONG_PROCEDURE;
	case 19:
		return ML_LOS_VENT;
	case 20:
		return ML_UNSPECIFIED;
	default:
		return -1;
	}
}

static int emit(struct rd *r, int list, const char *code, mrt_err *err)
{
	r->codes++;
	if (r->ch == CH_TWO)
		return r->cb->change ? r->cb->change(r->ctx, (enum mce_list)list, code, r->added,
						     rd_line(r), err)
				     : 0;
	return r->cb->member ? r->cb->member(r->ctx, (enum mce_list)list, code, rd_line(r), err)
			     : 0;
}

/* "CODE<TAB>title" or "*CODE<TAB>title" (blanks allowed before the tab). */
static int code_line(struct rd *r, const char *s, mrt_err *err)
{
	int star = *s == '*';
	const char *c = s + star;
	size_t n = code_at(c);
	char code[8];
	memcpy(code, c, n);
	code[n] = '\0';
	if (r->nolist)
		return mrt_err_set(err, MRT_EPARSE,
				   "%s:%lu: code %s in section %d%s%.1s, which has no "
				   "list (discontinued or deactivated)",
				   rd_name(r), rd_line(r), code, r->sec, r->sub ? "" : "",
				   r->sub ? &r->sub : "");
	if (r->ch == CH_TWO && r->added < 0)
		return mrt_err_set(err, MRT_EPARSE,
				   "%s:%lu: code %s in chapter 2 before a line saying "
				   "whether codes were added or removed",
				   rd_name(r), rd_line(r), code);
	int l = list_for(r, code);
	if (l < 0)
		return mrt_err_set(err, MRT_EPARSE,
				   "%s:%lu: code %s outside any code list (section %d%.1s)",
				   rd_name(r), rd_line(r), code, r->sec, r->sub ? &r->sub : "");
	int rc = emit(r, l, code, err);
	if (rc == 0 && star && l == ML_UNACCEPTABLE_PDX)
		rc = emit(r, ML_REQUIRES_SDX, code, err);
	return rc;
}

/* Codes named in prose: 11B's "(0FYG0Z0, 0FYG0Z1)" groups after "pancreas"
 * or "kidney", 11G's "diagnosis code Z302". */
static int prose_codes(struct rd *r, const char *s, mrt_err *err)
{
	int rc = 0;
	if (r->sec == 11 && r->sub == 'B' && r->ch == CH_ONE && !r->part) {
		for (const char *p = s; *p && rc == 0; p++) {
			if (strncasecmp(p, "pancreas", 8) == 0)
				r->prose = 'P';
			else if (strncasecmp(p, "kidney", 6) == 0)
				r->prose = 'K';
			if (*p != '(' || !code_at(p + 1) || !r->prose)
				continue;
			const char *q = p + 1;
			size_t n;
			while ((n = code_at(q)) != 0 && (q[n] == ',' || q[n] == ')')) {
				char code[8];
				memcpy(code, q, n);
				code[n] = '\0';
				if ((rc = emit(
					 r, r->prose == 'P' ? ML_NONCOV_B_PROC : ML_NONCOV_B_KIDNEY,
					 code, err)) != 0)
					break;
				q += n;
				if (*q == ')')
					break;
				q++;
				while (*q == ' ')
					q++;
			}
			r->prose = 0;
		}
	}
	if (r->sec == 11 && r->sub == 'G' && r->ch == CH_ONE && !r->nolist) {
		const char *p = strstr(s, "diagnosis code ");
		size_t n = p ? code_at(p + 15) : 0;
		if (n) {
			char code[8];
			memcpy(code, p + 15, n);
			code[n] = '\0';
			rc = emit(r, ML_NONCOV_G_DX, code, err);
		}
	}
	return rc;
}

static int parse_mdy(const char *s, mrt_day *out, const char **end)
{
	char *e;
	long m = strtol(s, &e, 10);
	if (*e != '/')
		return -1;
	long d = strtol(e + 1, &e, 10);
	if (*e != '/')
		return -1;
	const char *y0 = e + 1;
	long y = strtol(y0, &e, 10);
	if (e - y0 == 2)
		y += 2000;
	else if (e - y0 != 4)
		return -1;
	if (!mrt_date_valid_ymd((int)y, (int)m, (int)d))
		return -1;
	*out = mrt_date_from_ymd((int)y, (int)m, (int)d);
	*end = e;
	return 0;
}

/* "04 = Cust/supp care (added 10/01/09)", "(valid until 9/30/09)",
 * "(10/01/01–09/30/03 only)". */
static int status_line(struct rd *r, const char *s, mrt_err *err)
{
	struct mce_defs_status st = {.lineno = rd_line(r)};
	memcpy(st.status, s, 2);
	char title[512];
	mrt_strlcpy(title, s + 5, sizeof title);
	char *paren = strrchr(title, '(');
	size_t tl = strlen(title);
	if (paren && tl && title[tl - 1] == ')') {
		const char *p = paren + 1, *e = NULL;
		int bad = 0;
		if (strncmp(p, "added ", 6) == 0) {
			bad = parse_mdy(p + 6, &st.from, &e) != 0;
			st.has_from = 1;
		} else if (strncmp(p, "valid until ", 12) == 0) {
			bad = parse_mdy(p + 12, &st.to, &e) != 0;
			st.has_to = 1;
		} else if (isdigit((unsigned char)*p)) {
			bad = parse_mdy(p, &st.from, &e) != 0;
			if (!bad) {
				e += strncmp(e, "\xe2\x80\x93", 3) == 0 ? 3 : *e == '-' ? 1 : 0;
				bad = parse_mdy(e, &st.to, &e) != 0 || strcmp(e, " only)") != 0;
				e = bad ? e : e + 5;
			}
			st.has_from = st.has_to = 1;
		} else {
			e = NULL; /* a parenthesis of the title itself */
			st.has_from = st.has_to = 0;
		}
		if (bad || (e && strcmp(e, ")") != 0))
			return mrt_err_set(err, MRT_EPARSE,
					   "%s:%lu: discharge status %s: cannot read the "
					   "dates in '%s'",
					   rd_name(r), rd_line(r), st.status, paren);
		if (e) {
			while (paren > title && paren[-1] == ' ')
				paren--;
			*paren = '\0';
		}
	}
	st.title = title;
	return r->cb->status ? r->cb->status(r->ctx, &st, err) : 0;
}

static const char *const months[12] = {"January",   "February", "March",    "April",
				       "May",	    "June",	"July",	    "August",
				       "September", "October",	"November", "December"};

/* "v43.1 April 2026". */
static int title_line(struct rd *r, const char *s)
{
	int maj, min, year, used = 0;
	char month[16];
	if (sscanf(s, "v%d.%d %15s %d%n", &maj, &min, month, &year, &used) != 4 ||
	    s[used] != '\0' || maj < 0 || maj > 999 || min < 0 || min > 999 || year < 1990 ||
	    year > 9998)
		return 0;
	for (int m = 0; m < 12; m++) {
		if (strcmp(month, months[m]) != 0)
			continue;
		struct mce_defs_head *h = r->head;
		h->major = maj;
		h->minor = min;
		h->year = year;
		h->month = m + 1;
		snprintf(h->version, sizeof h->version, "%d.%d", maj, min);
		snprintf(h->title, sizeof h->title,
			 "Definitions of Medicare Code Edits v%d.%d %s %d", maj, min, months[m],
			 year);
		return 1;
	}
	return 0;
}

/* "12. Title" (section) or "11D. Title" (chapter 2); returns the number. */
static int section_heading(const char *s, char *letter, const char **title)
{
	int n = 0, k = 0;
	while (isdigit((unsigned char)s[k]) && k < 2)
		n = n * 10 + (s[k++] - '0');
	if (!k)
		return 0;
	*letter = 0;
	if (isupper((unsigned char)s[k]) && s[k + 1] == '.')
		*letter = s[k++];
	if (s[k] != '.' || s[k + 1] != ' ')
		return 0;
	*title = s + k + 2;
	return n >= 1 && n <= 20 ? n : 0;
}

static void set_section(struct rd *r, int sec, char sub, const char *title)
{
	r->sec = sec;
	r->sub = sub;
	r->subnum = 0;
	r->part = 0;
	r->prose = 0;
	r->added = -1;
	r->nolist = contains(title, "discontinued") || contains(title, "deactivated");
	r->secnolist = r->nolist;
}

/* A tab-separated line whose first field is one short word that is not a
 * code: a damaged code line. */
static int bad_code_field(const char *s)
{
	const char *tab = strchr(s, '\t');
	if (!tab)
		return 0;
	size_t n = (size_t)(tab - s);
	while (n && s[n - 1] == ' ')
		n--;
	if (!n || n > 10 || memchr(s, ' ', n))
		return 0;
	return !(n >= 3 && code_at(s + (*s == '*')));
}

static int chapter1_line(struct rd *r, const char *s, mrt_err *err)
{
	char letter;
	const char *title;
	int n = section_heading(s, &letter, &title);
	if (n && !letter) {
		if (r->sec == 8 && r->sub == 'B' && n <= 3) {
			r->subnum = n;
			return 0;
		}
		set_section(r, n, 0, title);
		return 0;
	}
	if (isupper((unsigned char)s[0]) && s[1] == '.' && s[2] == ' ' && r->sec) {
		r->sub = s[0];
		r->subnum = 0;
		r->part = 0;
		r->prose = 0;
		r->nolist =
		    r->secnolist || contains(s, "discontinued") || contains(s, "deactivated");
		return prose_codes(r, s, err);
	}
	if (r->sec == 16 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    strncmp(s + 2, " = ", 3) == 0)
		return status_line(r, s, err);
	if (code_at(s + (*s == '*')) && strchr(s, '\t'))
		return code_line(r, s, err);
	if (bad_code_field(s))
		return mrt_err_set(err, MRT_EPARSE,
				   "%s:%lu: field 1 is not an ICD-10 code (3 to 7 letters "
				   "and digits) in a code list line",
				   rd_name(r), rd_line(r));
	if (strncmp(s, "Procedure", 9) == 0 && strlen(s) <= 10)
		r->part = 'P';
	else if (strncmp(s, "Diagnoses", 9) == 0 && strlen(s) <= 14)
		r->part = 'D';
	else
		return prose_codes(r, s, err);
	return 0;
}

static int chapter2_line(struct rd *r, const char *s, mrt_err *err)
{
	char letter;
	const char *title;
	int n = section_heading(s, &letter, &title);
	if (n) {
		set_section(r, n, letter, title);
		return 0;
	}
	if (strncmp(s, "The following", 13) == 0) {
		r->added = contains(s, "removed") ? 0 : contains(s, "added") ? 1 : -1;
		return 0;
	}
	if (code_at(s) && strchr(s, '\t'))
		return code_line(r, s, err);
	return 0;
}

static int one_line(struct rd *r, mrt_err *err)
{
	const char *s = mrt_buf_str(&r->line);
	if (!*s || s[0] == '\t' || (s[0] == ' ' && !s[strspn(s, " ")]))
		return 0; /* blank, or page header/footer (they start with a tab) */
	if (r->ch == CH_END)
		return 0;
	if (strcmp(s, "Table of Contents") == 0) {
		r->ch = CH_TOC;
		return 0;
	}
	if (r->ch == CH_TOC) {
		const char *tab = strrchr(s, '\t');
		if (tab && tab[1] && strspn(tab + 1, "0123456789ivxlc") == strlen(tab + 1))
			return 0;
		r->ch = CH_FRONT;
	}
	if (strncmp(s, "Chapter 1:", 10) == 0) {
		r->ch = CH_ONE;
		set_section(r, 0, 0, s);
		return 0;
	}
	if (strncmp(s, "Chapter 2:", 10) == 0) {
		r->ch = CH_TWO;
		set_section(r, 0, 0, s);
		return 0;
	}
	if (r->ch == CH_TWO && strcmp(s, "Index") == 0) {
		r->ch = CH_END;
		return 0;
	}
	if (r->ch == CH_FRONT) {
		if (!r->head->version[0])
			title_line(r, s);
		return 0;
	}
	return r->ch == CH_ONE ? chapter1_line(r, s, err) : chapter2_line(r, s, err);
}

int mce_defs_read(mrt_src *src, const struct mce_defs_cb *cb, void *ctx, struct mce_defs_head *head,
		  mrt_err *err)
{
	struct rd r = {.src = src, .cb = cb, .ctx = ctx, .head = head, .added = -1};
	memset(head, 0, sizeof *head);
	mrt_buf_init(&r.raw, LINE_MAX_BYTES);
	mrt_buf_init(&r.line, LINE_MAX_BYTES * 3);
	int crlf, rc;
	while ((rc = mrt_src_getline(src, &r.raw, &crlf, err)) == 1) {
		if ((rc = decode(&r, err)) != 0 || (rc = one_line(&r, err)) != 0)
			break;
	}
	if (rc == 0 && !head->version[0])
		rc = mrt_err_set(err, MRT_EPARSE,
				 "%s:%lu: no version line (such as 'v43.1 April 2026') "
				 "before chapter 1: not a Definitions of Medicare Code Edits text",
				 rd_name(&r), rd_line(&r));
	else if (rc == 0 && r.ch < CH_TWO)
		rc = mrt_err_set(err, MRT_EPARSE,
				 "%s:%lu: the file ends in chapter 1 (section %d), before "
				 "'Chapter 2: Code list changes': truncated?",
				 rd_name(&r), rd_line(&r), r.sec);
	mrt_buf_free(&r.raw);
	mrt_buf_free(&r.line);
	return rc;
}

void mce_defs_dates(const struct mce_defs_head *h, mrt_day *from, mrt_day *to)
{
	*from = mrt_date_from_ymd(h->year, h->month, 1);
	*to = mrt_date_from_ymd(h->month >= 10 ? h->year + 1 : h->year, 9, 30);
}
