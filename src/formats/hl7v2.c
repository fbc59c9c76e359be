/*
 * HL7 v2 parser: one pass over the message that records every segment,
 * field, repetition and component as offsets (see hl7v2.h). The byte
 * classes of the message's separators are put in a 256-entry table so the
 * inner loop looks at each byte once. Every error names the segment and
 * field and what is wrong, never the bytes themselves (patient data).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/hl7v2.h"

enum { C_PLAIN, C_FS, C_RS, C_CS, C_EOS, C_BAD };

void hl7_msg_init(hl7_msg *m)
{
	memset(m, 0, sizeof *m);
}

void hl7_msg_free(hl7_msg *m)
{
	if (!m)
		return;
	free(m->segs);
	free(m->fields);
	free(m->reps);
	free(m->comps);
	memset(m, 0, sizeof *m);
}

static int fail(hl7_msg *m, mrt_err *err, int code, int h7, unsigned field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Records where the message was refused and says so with the segment
 * number, ID and field in front of the reason. */
static int fail(hl7_msg *m, mrt_err *err, int code, int h7, unsigned field, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	m->fail.code = h7;
	m->fail.field = field;
	if (m->fail.seg_no == 0)
		return mrt_err_set(err, code, "%s", why);
	if (field && m->fail.seg_id[0])
		return mrt_err_set(err, code, "segment %u (%s), field %s-%u: %s", m->fail.seg_no,
		                   m->fail.seg_id, m->fail.seg_id, field, why);
	if (m->fail.seg_id[0])
		return mrt_err_set(err, code, "segment %u (%s): %s", m->fail.seg_no, m->fail.seg_id, why);
	return mrt_err_set(err, code, "segment %u: %s", m->fail.seg_no, why);
}

static int grow(void **p, uint32_t *cap, size_t elsize, uint32_t limit)
{
	uint32_t n = *cap ? *cap * 2 : 64;
	if (n > limit)
		n = limit;
	if (n <= *cap)
		return MRT_ENOMEM;
	void *q = realloc(*p, (size_t)n * elsize);
	if (!q)
		return MRT_ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/* A separator: printable ASCII that is neither a letter, a digit nor a blank. */
static int delim_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') &&
	       !(c >= 'a' && c <= 'z');
}

/* MSH-1 and MSH-2: the separators; n = bytes of MSH-2. */
static int read_encoding(hl7_msg *m, size_t *n, mrt_err *err)
{
	const char *b = m->buf;
	size_t i = 4;
	if (m->len < 4 || b[3] == '\r' || b[3] == '\n')
		return fail(m, err, MRT_EPARSE, HL7_ERR_REQUIRED_FIELD, 1, "short MSH segment: no field separator");
	if (!delim_ok((unsigned char)b[3]))
		return fail(m, err, MRT_EPARSE, HL7_ERR_DATA_TYPE, 1,
		            "bad field separator (byte 0x%02X; expected printable punctuation)", (unsigned char)b[3]);
	m->fs = b[3];
	while (i < m->len && b[i] != m->fs && b[i] != '\r' && b[i] != '\n' && i < 10)
		i++;
	*n = i - 4;
	if (*n < 4 || *n > 5)
		return fail(m, err, MRT_EPARSE, HL7_ERR_DATA_TYPE, 2,
		            "encoding characters: expected 4 (or 5 from v2.7), found %zu", *n);
	for (size_t k = 4; k < i; k++) {
		unsigned char c = (unsigned char)b[k];
		if (!delim_ok(c) || c == (unsigned char)m->fs || memchr(b + 4, c, k - 4))
			return fail(m, err, MRT_EPARSE, HL7_ERR_DATA_TYPE, 2,
			            "encoding character %zu is not a distinct punctuation character", k - 3);
	}
	m->cs = b[4];
	m->rs = b[5];
	m->es = b[6];
	m->ss = b[7];
	m->ts = *n == 5 ? b[8] : 0;
	return 0;
}

static void build_classes(hl7_msg *m)
{
	memset(m->cls, C_PLAIN, sizeof m->cls);
	for (int c = 0; c < 0x20; c++)
		m->cls[c] = C_BAD;
	m->cls['\t'] = C_PLAIN;
	m->cls[0x7f] = C_BAD;
	m->cls['\r'] = C_EOS;
	m->cls['\n'] = C_EOS;
	m->cls[(unsigned char)m->fs] = C_FS;
	m->cls[(unsigned char)m->rs] = C_RS;
	m->cls[(unsigned char)m->cs] = C_CS;
}

static int seg_id_ok(const char *p, size_t avail, char fs)
{
	if (avail < 3 || !(p[0] >= 'A' && p[0] <= 'Z'))
		return 0;
	for (int k = 1; k < 3; k++)
		if (!((p[k] >= 'A' && p[k] <= 'Z') || (p[k] >= '0' && p[k] <= '9')))
			return 0;
	return avail == 3 || p[3] == fs || p[3] == '\r' || p[3] == '\n';
}

static inline int add_field(hl7_msg *m, uint32_t off)
{
	if (m->nfields == m->capfields &&
	    grow((void **)&m->fields, &m->capfields, sizeof *m->fields, HL7_MAX_ITEMS) != 0)
		return MRT_ENOMEM;
	m->fields[m->nfields++] = (struct hl7_field){ off, 0, m->nreps, 0 };
	return 0;
}

static inline int add_rep(hl7_msg *m, uint32_t off)
{
	if (m->nreps == m->capreps && grow((void **)&m->reps, &m->capreps, sizeof *m->reps, HL7_MAX_ITEMS) != 0)
		return MRT_ENOMEM;
	m->reps[m->nreps++] = (struct hl7_rep){ off, 0, m->ncomps, 0 };
	m->fields[m->nfields - 1].nreps++;
	return 0;
}

static inline int add_comp(hl7_msg *m, uint32_t off, uint32_t end)
{
	if (m->ncomps == m->capcomps &&
	    grow((void **)&m->comps, &m->capcomps, sizeof *m->comps, HL7_MAX_ITEMS) != 0)
		return MRT_ENOMEM;
	m->comps[m->ncomps++] = (struct hl7_span){ off, end - off };
	m->reps[m->nreps - 1].ncomps++;
	return 0;
}

static int cap_hit(hl7_msg *m, mrt_err *err, unsigned field, const char *what, unsigned limit)
{
	return fail(m, err, MRT_EPARSE, HL7_ERR_INTERNAL, field, "more than %u %s", limit, what);
}

/* Indexes the fields of the segment that starts at s (its ID already
 * checked) from byte i on; *end receives where the segment ends. */
static int index_fields(hl7_msg *m, struct hl7_seg *sg, size_t i, size_t *end, mrt_err *err)
{
	const unsigned char *b = (const unsigned char *)m->buf;
	const unsigned char *cls = m->cls;
	size_t len = m->len, cstart = 0;
	struct hl7_field *f = NULL;
	struct hl7_rep *r = NULL;
	for (;;) {
		if (m->sentinel) /* b[len] is a CR or LF: the scan stops there by itself */
			while (cls[b[i]] == C_PLAIN)
				i++;
		else
			while (i < len && cls[b[i]] == C_PLAIN)
				i++;
		int c = i < len ? cls[b[i]] : C_EOS;
		if (c == C_BAD)
			return fail(m, err, MRT_EPARSE, HL7_ERR_DATA_TYPE, sg->nfields,
			            "control byte 0x%02X in the data", b[i]);
		if (f) { /* close the open component, repetition and maybe field */
			if (add_comp(m, (uint32_t)cstart, (uint32_t)i) != 0)
				return cap_hit(m, err, sg->nfields, "components in the message", HL7_MAX_ITEMS);
			r = &m->reps[m->nreps - 1];
			r->len = (uint32_t)i - r->off;
			if (r->ncomps > HL7_MAX_COMPS)
				return cap_hit(m, err, sg->nfields, "components in a repetition", HL7_MAX_COMPS);
			if (c != C_CS) {
				f = &m->fields[m->nfields - 1];
				f->len = (uint32_t)i - f->off;
				if (f->nreps > HL7_MAX_REPS)
					return cap_hit(m, err, sg->nfields, "repetitions in a field", HL7_MAX_REPS);
			}
		}
		if (c == C_EOS) {
			*end = i;
			return 0;
		}
		i++;
		if (c == C_FS || !f) {
			if (sg->nfields >= HL7_MAX_FIELDS)
				return cap_hit(m, err, sg->nfields, "fields in a segment", HL7_MAX_FIELDS);
			if (add_field(m, (uint32_t)i) != 0)
				return cap_hit(m, err, sg->nfields, "fields in the message", HL7_MAX_ITEMS);
			sg->nfields++;
			f = &m->fields[m->nfields - 1];
		}
		if (c != C_CS && add_rep(m, (uint32_t)i) != 0)
			return cap_hit(m, err, sg->nfields, "repetitions in the message", HL7_MAX_ITEMS);
		cstart = i;
	}
}

/* MSH-1 and MSH-2 as single-component fields. */
static int index_msh_head(hl7_msg *m, struct hl7_seg *sg, size_t n)
{
	if (add_field(m, 3) != 0 || add_rep(m, 3) != 0 || add_comp(m, 3, 4) != 0)
		return MRT_ENOMEM;
	m->fields[m->nfields - 1].len = 1;
	m->reps[m->nreps - 1].len = 1;
	if (add_field(m, 4) != 0 || add_rep(m, 4) != 0 || add_comp(m, 4, 4 + (uint32_t)n) != 0)
		return MRT_ENOMEM;
	m->fields[m->nfields - 1].len = (uint32_t)n;
	m->reps[m->nreps - 1].len = (uint32_t)n;
	sg->nfields = 2;
	return 0;
}

static int add_segment(hl7_msg *m, size_t start, size_t enc_n, size_t *end, mrt_err *err)
{
	m->fail.seg_no = m->nsegs + 1;
	m->fail.seg_id[0] = '\0';
	if (!seg_id_ok(m->buf + start, m->len - start, m->fs))
		return fail(m, err, MRT_EPARSE, HL7_ERR_SEGMENT_SEQUENCE, 0,
		            "bad segment ID (expected 3 upper-case letters or digits, then the field separator)");
	memcpy(m->fail.seg_id, m->buf + start, 3);
	m->fail.seg_id[3] = '\0';
	if (m->nsegs >= HL7_MAX_SEGMENTS)
		return cap_hit(m, err, 0, "segments in a message", HL7_MAX_SEGMENTS);
	if (m->nsegs == m->capsegs && grow((void **)&m->segs, &m->capsegs, sizeof *m->segs, HL7_MAX_SEGMENTS) != 0)
		return cap_hit(m, err, 0, "segments in a message", HL7_MAX_SEGMENTS);
	struct hl7_seg *sg = &m->segs[m->nsegs++];
	memcpy(sg->id, m->fail.seg_id, 4);
	sg->off = (uint32_t)start;
	sg->field0 = m->nfields;
	sg->nfields = 0;
	size_t i = start + 3;
	if (start == 0) {
		if (index_msh_head(m, sg, enc_n) != 0)
			return cap_hit(m, err, 0, "fields in the message", HL7_MAX_ITEMS);
		i = 4 + enc_n;
	}
	int rc = index_fields(m, sg, i, end, err);
	sg->len = (uint32_t)(*end - start);
	return rc;
}

/* Copies MSH-f.c (decoded) into dst; 0 when it fits and matches ok(). */
static int msh_value(hl7_msg *m, unsigned f, unsigned c, char *dst, size_t cap, const char *allowed)
{
	mrt_buf b = MRT_BUF_INIT(cap - 1);
	int rc = hl7_get_at(m, 0, f, 1, c, 1, &b);
	dst[0] = '\0';
	if (rc == MRT_ENOTFOUND) {
		mrt_buf_free(&b);
		return 0;
	}
	if (rc != 0)
		return -1;
	if (allowed && strspn(mrt_buf_str(&b), allowed) != b.len)
		rc = -1;
	else
		memcpy(dst, mrt_buf_str(&b), b.len + 1);
	mrt_buf_free(&b);
	return rc;
}

static int version_ok(const char *v)
{
	/* 2.N or 2.N.N... */
	if (v[0] != '2' || v[1] != '.' || !(v[2] >= '1' && v[2] <= '9'))
		return 0;
	if (v[3] == '\0')
		return 1;
	return v[3] == '.' && v[4] >= '0' && v[4] <= '9' && strspn(v + 4, "0123456789") == strlen(v + 4);
}

static int check_msh(hl7_msg *m, mrt_err *err)
{
	static const char up[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static const char up_[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
	m->fail.seg_no = 1;
	memcpy(m->fail.seg_id, "MSH", 4);
	int bad = msh_value(m, 9, 1, m->type, sizeof m->type, up);
	if (bad || !m->type[0])
		return fail(m, err, MRT_EPARSE, bad ? HL7_ERR_DATA_TYPE : HL7_ERR_REQUIRED_FIELD, 9,
		            "message type (component 1) is missing or not 1-3 letters/digits");
	if (msh_value(m, 9, 2, m->trigger, sizeof m->trigger, up) != 0)
		return fail(m, err, MRT_EPARSE, HL7_ERR_DATA_TYPE, 9, "trigger event (component 2) is not 1-3 letters/digits");
	if (msh_value(m, 9, 3, m->structure, sizeof m->structure, up_) != 0)
		return fail(m, err, MRT_EPARSE, HL7_ERR_DATA_TYPE, 9, "message structure (component 3) is not 1-7 letters/digits/_");
	if (msh_value(m, 10, 1, m->control_id, sizeof m->control_id, NULL) != 0 || !m->control_id[0])
		return fail(m, err, MRT_EPARSE, HL7_ERR_REQUIRED_FIELD, 10, "message control ID is missing or longer than 199 bytes");
	bad = msh_value(m, 12, 1, m->version, sizeof m->version, "0123456789.");
	if (bad || !m->version[0])
		return fail(m, err, MRT_EPARSE, bad ? HL7_ERR_DATA_TYPE : HL7_ERR_REQUIRED_FIELD, 12,
		            "version ID is missing or malformed");
	if (!version_ok(m->version))
		return fail(m, err, MRT_EPARSE, HL7_ERR_VERSION, 12, "version ID is not an HL7 v2 version (2.1-2.9)");
	return 0;
}

static void reset(hl7_msg *m, const char *buf, size_t len)
{
	m->nsegs = m->nfields = m->nreps = m->ncomps = 0;
	m->msh_ok = 0;
	memset(&m->fail, 0, sizeof m->fail);
	m->type[0] = m->trigger[0] = m->structure[0] = m->version[0] = m->control_id[0] = '\0';
	m->fs = m->cs = m->rs = m->es = m->ss = m->ts = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (len >= 1 && buf[0] == 0x0B) {
		const char *e = memchr(buf, 0x1C, len);
		len = e ? (size_t)(e - buf) : len;
		buf++;
		len--;
	}
	m->buf = buf;
	m->len = len;
}

int hl7_parse(hl7_msg *m, const char *buf, size_t len, mrt_err *err)
{
	size_t enc_n = 0, pos = 0, end = 0;
	reset(m, buf, len);
	size_t full = m->len;
	while (m->len > 0 && (m->buf[m->len - 1] == '\r' || m->buf[m->len - 1] == '\n'))
		m->len--;
	m->sentinel = m->len < full;
	if (m->len == 0)
		return fail(m, err, MRT_EPARSE, HL7_ERR_SEGMENT_SEQUENCE, 0, "empty message");
	if (m->len > HL7_MAX_MSG_BYTES)
		return fail(m, err, MRT_EPARSE, HL7_ERR_INTERNAL, 0, "message of %zu bytes is over the %u-byte limit",
		            m->len, HL7_MAX_MSG_BYTES);
	if (m->len < 3 || memcmp(m->buf, "MSH", 3) != 0)
		return fail(m, err, MRT_EPARSE, HL7_ERR_SEGMENT_SEQUENCE, 0, "no MSH segment at the start of the message");
	m->fail.seg_no = 1;
	memcpy(m->fail.seg_id, "MSH", 4);
	int rc = read_encoding(m, &enc_n, err);
	if (rc != 0)
		return rc;
	build_classes(m);
	while (pos < m->len) {
		rc = add_segment(m, pos, enc_n, &end, err);
		if (rc != 0)
			return rc;
		if (m->nsegs == 1) {
			m->msh_ok = 1;
			rc = check_msh(m, err);
			if (rc != 0)
				return rc;
		}
		pos = end;
		while (pos < m->len && (m->buf[pos] == '\r' || m->buf[pos] == '\n'))
			pos++;
	}
	memset(&m->fail, 0, sizeof m->fail);
	return 0;
}
