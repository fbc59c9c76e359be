/*
 * Around the HL7 v2 parser (see hl7v2.h): cutting a file or stream into
 * messages (MSH starts, MLLP frames, batch segments skipped) and building
 * the ACK of a message, accepted or refused. ACKs use the standard
 * separators |^~\& whatever the message used; values copied from the
 * message are decoded and escaped again.
 */
#include <string.h>

#include "formats/hl7v2.h"

void hl7_split_init(hl7_splitter *s, const char *buf, size_t len)
{
	s->buf = buf;
	s->len = len;
	s->pos = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		s->pos = 3;
}

static int is_batch_seg(const char *p, size_t avail)
{
	return avail >= 3 && (memcmp(p, "FHS", 3) == 0 || memcmp(p, "BHS", 3) == 0 ||
	                      memcmp(p, "BTS", 3) == 0 || memcmp(p, "FTS", 3) == 0);
}

/* Where the segment that starts at i ends, past its terminator. */
static size_t next_line(const char *b, size_t len, size_t i)
{
	while (i < len && b[i] != '\r' && b[i] != '\n')
		i++;
	while (i < len && (b[i] == '\r' || b[i] == '\n'))
		i++;
	return i;
}

static int msg_start(const char *p, size_t avail)
{
	return (avail >= 3 && memcmp(p, "MSH", 3) == 0) || (avail >= 1 && p[0] == 0x0B) ||
	       is_batch_seg(p, avail);
}

int hl7_split_next(hl7_splitter *s, const char **msg, size_t *len)
{
	const char *b = s->buf;
	size_t i = s->pos;
	for (;;) { /* blank lines, stray frame ends and batch segments */
		while (i < s->len && (b[i] == '\r' || b[i] == '\n' || b[i] == ' ' || b[i] == '\t' || b[i] == 0x1C))
			i++;
		if (i < s->len && is_batch_seg(b + i, s->len - i))
			i = next_line(b, s->len, i);
		else
			break;
	}
	if (i >= s->len) {
		s->pos = i;
		return 0;
	}
	size_t start = i;
	if (b[i] == 0x0B) {
		const char *e = memchr(b + i, 0x1C, s->len - i);
		i = e ? (size_t)(e - b) + 1 : s->len;
	} else {
		i = next_line(b, s->len, i);
		while (i < s->len && !msg_start(b + i, s->len - i))
			i = next_line(b, s->len, i);
	}
	*msg = b + start;
	*len = i - start;
	s->pos = i;
	return 1;
}

const char *hl7_err_text(int code)
{
	switch (code) {
	case 0: return "Message accepted";
	case HL7_ERR_SEGMENT_SEQUENCE: return "Segment sequence error";
	case HL7_ERR_REQUIRED_FIELD: return "Required field missing";
	case HL7_ERR_DATA_TYPE: return "Data type error";
	case HL7_ERR_TABLE_VALUE: return "Table value not found";
	case HL7_ERR_MESSAGE_TYPE: return "Unsupported message type";
	case HL7_ERR_EVENT: return "Unsupported event code";
	case HL7_ERR_VERSION: return "Unsupported version id";
	default: return "Application internal error";
	}
}

/* s[0..n) with the standard separators escaped. */
static int put_esc(mrt_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = NULL;
		switch (s[i]) {
		case '|': e = "\\F\\"; break;
		case '^': e = "\\S\\"; break;
		case '&': e = "\\T\\"; break;
		case '~': e = "\\R\\"; break;
		case '\\': e = "\\E\\"; break;
		case '\r': case '\n': e = "\\.br\\"; break;
		default: break;
		}
		int rc = e ? mrt_buf_adds(out, e) : mrt_buf_addc(out, s[i]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int put_s(mrt_buf *out, const char *s)
{
	return s ? put_esc(out, s, strlen(s)) : 0;
}

/* |MSH-f of m, components and sub-components of its first repetition
 * decoded and escaped again. */
static int put_msh_field(mrt_buf *out, const hl7_msg *m, unsigned f)
{
	mrt_buf v = MRT_BUF_INIT(4096);
	int rc = mrt_buf_addc(out, '|');
	for (unsigned c = 1; rc == 0 && m->msh_ok; c++) {
		const char *p = NULL;
		size_t n = 0;
		if (hl7_raw_at(m, 0, f, 1, c, 0, &p, &n) != 0)
			break;
		for (unsigned sub = 1; rc == 0; sub++) {
			if (hl7_get_at(m, 0, f, 1, c, sub, &v) != 0)
				break;
			if ((c > 1 && sub == 1 && mrt_buf_addc(out, '^') != 0) ||
			    (sub > 1 && mrt_buf_addc(out, '&') != 0))
				rc = MRT_ENOMEM;
			if (rc == 0)
				rc = put_esc(out, v.ptr ? v.ptr : "", v.len);
		}
	}
	mrt_buf_free(&v);
	return rc;
}

static int put_err(mrt_buf *out, const char *version, const struct hl7_ack_opts *o, const struct hl7_fail *f)
{
	const char *seg = o->err_code ? o->err_seg : f->seg_id;
	unsigned seq = o->err_code ? o->err_seq : f->seg_no;
	unsigned field = o->err_code ? o->err_field : f->field;
	int code = o->err_code ? o->err_code : f->code;
	const char *text = o->err_text ? o->err_text : hl7_err_text(code);
	int old = version[0] == '2' && version[1] == '.' && version[2] >= '1' && version[2] <= '4' &&
	          version[3] == '\0';
	int rc = mrt_buf_adds(out, old ? "ERR|" : "ERR||");
	if (rc == 0)
		rc = put_s(out, seg ? seg : "");
	if (rc == 0)
		rc = mrt_buf_addc(out, '^');
	if (rc == 0 && seq)
		rc = mrt_buf_addf(out, "%u", seq);
	if (rc == 0)
		rc = mrt_buf_addc(out, '^');
	if (rc == 0 && field)
		rc = mrt_buf_addf(out, "%u", field);
	if (rc == 0)
		rc = mrt_buf_addf(out, old ? "^%d&" : "|%d^", code);
	if (rc == 0)
		rc = put_s(out, text);
	if (rc == 0)
		rc = mrt_buf_adds(out, old ? "&HL70357\r" : "^HL70357|E\r");
	return rc;
}

static int build(mrt_buf *out, const hl7_msg *m, const struct hl7_ack_opts *o, const char *code,
                 const struct hl7_fail *f, mrt_err *err)
{
	const char *version = m->version[0] ? m->version : "2.5";
	mrt_buf_reset(out);
	int rc = mrt_buf_adds(out, "MSH|^~\\&|");
	if (rc == 0 && (put_s(out, o->app) != 0 || mrt_buf_addc(out, '|') != 0 || put_s(out, o->facility) != 0 ||
	                put_msh_field(out, m, 3) != 0 || put_msh_field(out, m, 4) != 0 ||
	                mrt_buf_addc(out, '|') != 0 || put_s(out, o->timestamp) != 0 ||
	                mrt_buf_adds(out, "||ACK^") != 0 || put_s(out, m->trigger) != 0 ||
	                mrt_buf_adds(out, "^ACK|") != 0 || put_s(out, o->control_id) != 0))
		rc = MRT_ENOMEM;
	if (rc == 0 && (put_msh_field(out, m, 11) != 0 || mrt_buf_addc(out, '|') != 0 ||
	                put_s(out, version) != 0 || mrt_buf_addf(out, "\rMSA|%s|", code) != 0 ||
	                put_s(out, m->control_id) != 0 || mrt_buf_addc(out, '\r') != 0))
		rc = MRT_ENOMEM;
	if (rc == 0 && (o->err_code || f->code))
		rc = put_err(out, version, o, f);
	if (rc != 0)
		return mrt_err_set(err, rc, "building an HL7 ACK: out of memory or over the size cap");
	return 0;
}

static int code_ok(const char *c)
{
	return c && strlen(c) == 2 && (c[0] == 'A' || c[0] == 'C') && strchr("AER", c[1]);
}

int hl7_ack(mrt_buf *out, const hl7_msg *m, const struct hl7_ack_opts *o, mrt_err *err)
{
	struct hl7_fail none = { 0 };
	if (!m->msh_ok || m->fail.code)
		return mrt_err_set(err, MRT_EINVAL, "hl7_ack: the message was not parsed (use hl7_ack_unparsed)");
	if (!code_ok(o->code))
		return mrt_err_set(err, MRT_EINVAL, "hl7_ack: acknowledgment code must be AA, AE or AR");
	return build(out, m, o, o->code, &none, err);
}

int hl7_ack_unparsed(mrt_buf *out, const hl7_msg *m, const struct hl7_ack_opts *o, mrt_err *err)
{
	struct hl7_fail f = m->fail;
	if (o->code && !code_ok(o->code))
		return mrt_err_set(err, MRT_EINVAL, "hl7_ack_unparsed: acknowledgment code must be AA, AE or AR");
	if (f.code == 0)
		f.code = HL7_ERR_INTERNAL;
	return build(out, m, o, o->code ? o->code : "AR", &f, err);
}
