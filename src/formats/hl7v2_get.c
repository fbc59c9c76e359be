/*
 * Reading values out of a parsed HL7 v2 message (see hl7v2.h): positional
 * and terse-path access over the index, sub-components found on demand,
 * and escape sequences decoded as a value is read, never up front.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/hl7v2.h"

long hl7_seg_find(const hl7_msg *m, const char *id, unsigned occ)
{
	if (!id || strlen(id) != 3 || occ == 0)
		return -1;
	for (uint32_t i = 0; i < m->nsegs; i++)
		if (memcmp(m->segs[i].id, id, 3) == 0 && --occ == 0)
			return (long)i;
	return -1;
}

/* The sub-th (1-based) piece of p[0..n) cut at sep. */
static int piece(const char *p, size_t n, char sep, unsigned k, const char **out, size_t *outn)
{
	const char *end = p + n;
	if (k == 1) { /* the usual case: short values, a plain loop beats memchr */
		size_t i = 0;
		while (i < n && p[i] != sep)
			i++;
		*out = p;
		*outn = i;
		return 0;
	}
	while (--k > 0) {
		const char *q = memchr(p, sep, (size_t)(end - p));
		if (!q)
			return MRT_ENOTFOUND;
		p = q + 1;
	}
	const char *q = memchr(p, sep, (size_t)(end - p));
	*out = p;
	*outn = (size_t)((q ? q : end) - p);
	return 0;
}

int hl7_raw_at(const hl7_msg *m, size_t seg, unsigned field, unsigned rep, unsigned comp,
               unsigned sub, const char **p, size_t *n)
{
	if (seg >= m->nsegs || field == 0)
		return MRT_ENOTFOUND;
	const struct hl7_seg *sg = &m->segs[seg];
	if (field > sg->nfields)
		return MRT_ENOTFOUND;
	const struct hl7_field *f = &m->fields[sg->field0 + field - 1];
	*p = m->buf + f->off;
	*n = f->len;
	if (rep == 0)
		return 0;
	if (rep > f->nreps)
		return MRT_ENOTFOUND;
	const struct hl7_rep *r = &m->reps[f->rep0 + rep - 1];
	*p = m->buf + r->off;
	*n = r->len;
	if (comp == 0)
		return 0;
	if (comp > r->ncomps)
		return MRT_ENOTFOUND;
	const struct hl7_span *c = &m->comps[r->comp0 + comp - 1];
	*p = m->buf + c->off;
	*n = c->len;
	if (sub == 0)
		return 0;
	if (seg == 0 && field <= 2) /* MSH-1 and MSH-2 have no sub-components */
		return sub == 1 ? 0 : MRT_ENOTFOUND;
	return piece(*p, *n, m->ss, sub, p, n);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* \Xhhhh..\ as bytes; -1 when s is not an even run of hex digits. */
static int put_hex(mrt_buf *out, const char *s, size_t k)
{
	if (k % 2 != 0)
		return -1;
	for (size_t i = 0; i < k; i += 2)
		if (hexval(s[i]) < 0 || hexval(s[i + 1]) < 0)
			return -1;
	for (size_t i = 0; i < k; i += 2)
		if (mrt_buf_addc(out, (char)(hexval(s[i]) * 16 + hexval(s[i + 1]))) != 0)
			return MRT_ENOMEM;
	return 0;
}

/* One escape sequence s[0..k) (between the escape characters). 1 = not a
 * sequence we know: the caller keeps it as it came. */
static int put_escape(const hl7_msg *m, mrt_buf *out, const char *s, size_t k)
{
	if (k == 1) {
		char c = 0;
		switch (s[0]) {
		case 'F': c = m->fs; break;
		case 'S': c = m->cs; break;
		case 'T': c = m->ss; break;
		case 'R': c = m->rs; break;
		case 'E': c = m->es; break;
		case 'P': c = m->ts; break;
		case 'H': case 'N': return 0; /* highlighting on/off */
		default: return 1;
		}
		return c ? mrt_buf_addc(out, c) : 1;
	}
	if (k == 0)
		return 1;
	switch (s[0]) {
	case 'X': {
		int rc = put_hex(out, s + 1, k - 1);
		return rc == -1 ? 1 : rc;
	}
	case '.':
		if (k >= 3 && (memcmp(s, ".br", 3) == 0 || memcmp(s, ".sp", 3) == 0))
			return mrt_buf_addc(out, '\n');
		return 0; /* other formatting commands (.in .ti .sk .ce .fi .nf) */
	case 'C': case 'M':
		return 0; /* character set switches: the bytes that follow are kept */
	default:
		return 1;
	}
}

int hl7_decode(const hl7_msg *m, const char *p, size_t n, mrt_buf *out)
{
	const char *end = p + n;
	while (p < end) {
		const char *e = memchr(p, m->es, (size_t)(end - p));
		if (!e)
			return mrt_buf_add(out, p, (size_t)(end - p));
		if (e > p && mrt_buf_add(out, p, (size_t)(e - p)) != 0)
			return MRT_ENOMEM;
		const char *close = memchr(e + 1, m->es, (size_t)(end - e - 1));
		if (!close)
			return mrt_buf_add(out, e, (size_t)(end - e));
		int rc = put_escape(m, out, e + 1, (size_t)(close - e - 1));
		if (rc < 0)
			return rc;
		if (rc == 1 && mrt_buf_add(out, e, (size_t)(close - e + 1)) != 0)
			return MRT_ENOMEM;
		p = close + 1;
	}
	return 0;
}

int hl7_get_at(const hl7_msg *m, size_t seg, unsigned field, unsigned rep, unsigned comp,
               unsigned sub, mrt_buf *out)
{
	const char *p = NULL;
	size_t n = 0;
	mrt_buf_reset(out);
	if (rep == 0 || comp == 0 || sub == 0)
		return MRT_ENOTFOUND;
	int rc = hl7_raw_at(m, seg, field, rep, comp, sub, &p, &n);
	if (rc != 0)
		return rc;
	if (seg == 0 && field <= 2)
		return mrt_buf_add(out, p, n);
	/* Most values are short and hold no escape: one pass, one copy. */
	size_t i = 0;
	while (i < n && p[i] != m->es)
		i++;
	if (i == n)
		return mrt_buf_add(out, p, n);
	return hl7_decode(m, p, n, out);
}

int hl7_get_comp(const hl7_msg *m, size_t comp, unsigned sub, mrt_buf *out)
{
	const char *p = NULL;
	size_t n = 0;
	out->len = 0; /* as mrt_buf_reset, without the call on this hot path */
	if (out->ptr)
		out->ptr[0] = '\0';
	if (comp >= m->ncomps || sub == 0)
		return MRT_ENOTFOUND;
	p = m->buf + m->comps[comp].off;
	n = m->comps[comp].len;
	if (comp < 2) /* MSH-1 and MSH-2 */
		return sub == 1 ? mrt_buf_add(out, p, n) : MRT_ENOTFOUND;
	if (sub == 1 && n < out->cap) { /* the usual case: copy while looking for & and \ */
		char ss = m->ss, es = m->es;
		size_t i = 0;
		for (; i < n && p[i] != ss && p[i] != es; i++)
			out->ptr[i] = p[i];
		if (i == n || p[i] == ss) {
			out->ptr[i] = '\0';
			out->len = i;
			return 0;
		}
	}
	if (piece(p, n, m->ss, sub, &p, &n) != 0)
		return MRT_ENOTFOUND;
	size_t i = 0;
	while (i < n && p[i] != m->es)
		i++;
	if (i == n)
		return mrt_buf_add(out, p, n);
	return hl7_decode(m, p, n, out);
}

int hl7_get(const hl7_msg *m, const char *seg, unsigned occ, unsigned field, unsigned rep,
            unsigned comp, unsigned sub, mrt_buf *out)
{
	long i = hl7_seg_find(m, seg, occ);
	if (i < 0) {
		mrt_buf_reset(out);
		return MRT_ENOTFOUND;
	}
	return hl7_get_at(m, (size_t)i, field, rep, comp, sub, out);
}

/* A decimal number of 1-6 digits at *s (moved past it), or 0. */
static unsigned number(const char **s)
{
	unsigned v = 0;
	int k = 0;
	while (**s >= '0' && **s <= '9' && k < 6) {
		v = v * 10 + (unsigned)(**s - '0');
		(*s)++;
		k++;
	}
	return (**s >= '0' && **s <= '9') ? 0 : v;
}

int hl7_get_path(const hl7_msg *m, const char *path, mrt_buf *out, mrt_err *err)
{
	char seg[4] = { 0 };
	unsigned occ = 1, field = 0, rep = 1, comp = 1, sub = 1;
	const char *s = path;
	if (!path || strlen(path) < 5)
		goto bad;
	memcpy(seg, s, 3);
	s += 3;
	if (*s == '(') {
		s++;
		occ = number(&s);
		if (occ == 0 || *s++ != ')')
			goto bad;
	}
	if (*s++ != '-')
		goto bad;
	field = number(&s);
	if (field == 0)
		goto bad;
	if (*s == '[') {
		s++;
		rep = number(&s);
		if (rep == 0 || *s++ != ']')
			goto bad;
	}
	if (*s == '.') {
		s++;
		comp = number(&s);
		if (comp == 0)
			goto bad;
		if (*s == '.') {
			s++;
			sub = number(&s);
			if (sub == 0)
				goto bad;
		}
	}
	if (*s != '\0')
		goto bad;
	return hl7_get(m, seg, occ, field, rep, comp, sub, out);
bad:
	mrt_buf_reset(out);
	return mrt_err_set(err, MRT_EINVAL, "bad HL7 path (expected e.g. PID-3[2].4 or OBX(2)-5.1)");
}
