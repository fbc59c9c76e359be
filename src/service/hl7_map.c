/*
 * HL7 v2 to the chart, the parts every event shares: reading values,
 * dates, data errors, the patient (PID) and providers (XCN). Encounters,
 * coding and labels are in hl7_visit.c; the events in hl7_adt.c and
 * hl7_mdm.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/str.h"
#include "service/hl7_int.h"

const char *hm_get(struct hl7_map *x, long seg, unsigned field, unsigned rep, unsigned comp,
		   unsigned sub)
{
	if (seg < 0)
		return NULL;
	int rc;
	if (sub == 0) {
		const char *p = NULL;
		size_t n = 0;
		mrt_buf_reset(&x->tmp);
		rc = hl7_raw_at(x->m, (size_t)seg, field, rep, comp, 0, &p, &n);
		if (rc == 0)
			rc = hl7_decode(x->m, p, n, &x->tmp);
	} else {
		rc = hl7_get_at(x->m, (size_t)seg, field, rep, comp, sub, &x->tmp);
	}
	if (rc != 0 || x->tmp.len == 0)
		return NULL;
	if (x->tmp.len == 2 && memcmp(x->tmp.ptr, "\"\"", 2) == 0)
		return "";
	/* Trailing spaces are padding, never meaning. */
	while (x->tmp.len > 0 && x->tmp.ptr[x->tmp.len - 1] == ' ')
		x->tmp.ptr[--x->tmp.len] = '\0';
	if (x->tmp.len == 0)
		return NULL;
	return mrt_arena_strndup(x->a, x->tmp.ptr, x->tmp.len);
}

unsigned hm_reps(struct hl7_map *x, long seg, unsigned field)
{
	if (seg < 0 || (size_t)seg >= x->m->nsegs)
		return 0;
	const struct hl7_seg *sg = &x->m->segs[seg];
	if (field == 0 || field > sg->nfields)
		return 0;
	const struct hl7_field *f = &x->m->fields[sg->field0 + field - 1];
	return f->len ? f->nreps : 0;
}

int hm_fail(struct hl7_map *x, long seg, unsigned field, int code, const char *fmt, ...)
{
	struct hm_fail *f = &x->fail;
	memset(f, 0, sizeof *f);
	if (seg >= 0 && (size_t)seg < x->m->nsegs) {
		mrt_strlcpy(f->seg, x->m->segs[seg].id, sizeof f->seg);
		f->seq = (unsigned)seg + 1;
	}
	f->field = field;
	f->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
	return HM_DATA;
}

int hm_chart(struct hl7_map *x, long seg, unsigned field, int rc, mrt_err *err)
{
	if (rc == 0 || rc == HM_DATA)
		return rc;
	if (rc == MRT_EDB || rc == MRT_ENOMEM || rc == MRT_EIO || rc == MRT_EACCESS)
		return rc;
	return hm_fail(x, seg, field, HL7_ERR_DATA_TYPE, "%s", err ? err->msg : "not applied");
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* "YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+-ZZZZ]" to ISO (a full date at least
 * when date_only); 0 or -1 when malformed. */
static int ts_iso(const char *v, int date_only, char *out, size_t size)
{
	size_t n = strcspn(v, "+-");
	const char *zone = v[n] ? v + n : NULL;
	size_t body = strcspn(v, ".+-");
	if (!date_only && (body == 4 || body == 6) && !v[body] && digits(v, body)) {
		/* Year or month precision: kept as that much of an ISO date. */
		int mo = body == 6 ? num(v + 4, 2) : 1;
		if (mo < 1 || mo > 12)
			return -1;
		if (body == 4)
			snprintf(out, size, "%04d", num(v, 4));
		else
			snprintf(out, size, "%04d-%02d", num(v, 4), mo);
		return 0;
	}
	if (body < 8 || !digits(v, body) || (body > 8 && body != 12 && body != 10 && body != 14))
		return -1;
	if (zone && (strlen(zone) != 5 || !digits(zone + 1, 4)))
		return -1;
	int y = num(v, 4), mo = num(v + 4, 2), d = num(v + 6, 2);
	if (!mrt_date_valid_ymd(y, mo, d))
		return -1;
	int h = body >= 10 ? num(v + 8, 2) : 0, mi = body >= 12 ? num(v + 10, 2) : 0;
	int sec = body >= 14 ? num(v + 12, 2) : 0;
	if (h > 23 || mi > 59 || sec > 59)
		return -1;
	if (date_only || body == 8) {
		snprintf(out, size, "%04d-%02d-%02d", y, mo, d);
		return 0;
	}
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, sec);
	if (zone) {
		size_t k = strlen(out);
		snprintf(out + k, size - k, "%c%.2s:%.2s", zone[0], zone + 1, zone + 3);
	}
	return 0;
}

int hm_time(struct hl7_map *x, long seg, unsigned field, unsigned rep, unsigned comp, int date_only,
	    const char **out)
{
	*out = NULL;
	const char *v = hm_get(x, seg, field, rep, comp, 1);
	if (!v || !*v) {
		*out = v;
		return 0;
	}
	char iso[40];
	if (ts_iso(v, date_only, iso, sizeof iso) != 0)
		return hm_fail(x, seg, field, HL7_ERR_DATA_TYPE, "%s-%u: not a valid date/time",
			       x->m->segs[seg].id, field);
	*out = mrt_arena_strdup(x->a, iso);
	return 0;
}
