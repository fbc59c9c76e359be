/*
 * The claim reader (claim_jsonl.h): jansson parses the line; each field is
 * checked for its type and bounds and copied into the fixed arrays of a
 * struct claim. Messages name the line and the field (sdx[3].code), never
 * what it held.
 */
#include "formats/claim_jsonl.h"

#include <ctype.h>
#include <string.h>

#include <jansson.h>

#include "base/date.h"
#include "base/str.h"

#define AGE_LIMIT 100000
#define LOS_LIMIT 100000

struct where {
	const char *name;
	long line;
	mrt_err *err;
};

static int bad(const struct where *w, const char *field, const char *what)
{
	return mrt_err_set(w->err, MRT_EPARSE, "%s:%ld: field %s: %s", w->name, w->line, field,
			   what);
}

/* Copies a code: trimmed, upper-cased, without dots when dx. An empty code
 * reads as "" (as the CMS component takes it: a blank principal diagnosis is
 * an invalid code, a blank secondary or procedure slot is no code). */
static int read_code(const struct where *w, const char *field, json_t *v, int dx,
		     char out[CLAIM_CODE_MAX])
{
	if (!json_is_string(v))
		return bad(w, field, json_is_null(v) || !v ? "missing" : "not a string");
	const char *s = json_string_value(v);
	size_t len = json_string_length(v), n = 0;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (dx && ch == '.')
			continue;
		if (ch == 0 || n + 1 >= CLAIM_CODE_MAX)
			return bad(w, field, ch ? "longer than 15 characters" : "holds a NUL");
		out[n++] = (char)toupper(ch);
	}
	out[n] = 0;
	return 0;
}

static int read_poa(const struct where *w, const char *field, json_t *v, char out[4])
{
	out[0] = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(w, field, "not a string");
	if (json_string_length(v) > 3 || strlen(json_string_value(v)) != json_string_length(v))
		return bad(w, field, "longer than 3 characters");
	mrt_strlcpy(out, json_string_value(v), 4);
	return 0;
}

/* A diagnosis: {"code", "poa"?} (a bare string is taken as the code). */
static int read_dx(const struct where *w, const char *field, json_t *v, struct claim_dx *d)
{
	char f[48];
	if (json_is_string(v))
		return read_code(w, field, v, 1, d->code);
	if (!json_is_object(v))
		return bad(w, field, v ? "not an object" : "missing");
	snprintf(f, sizeof f, "%s.code", field);
	int rc = read_code(w, f, json_object_get(v, "code"), 1, d->code);
	if (rc)
		return rc;
	snprintf(f, sizeof f, "%s.poa", field);
	return read_poa(w, f, json_object_get(v, "poa"), d->poa);
}

static int read_date(const struct where *w, const char *field, json_t *v, int required,
		     mrt_day *out)
{
	*out = 0;
	if (!v || json_is_null(v))
		return required ? bad(w, field, "missing") : 0;
	if (!json_is_string(v) || mrt_date_parse(out, json_string_value(v)))
		return bad(w, field, "not a date YYYY-MM-DD");
	return 0;
}

/* An integer, or a number with no fraction (63.0). */
static int read_int(const struct where *w, const char *field, json_t *v, int lo, int hi, int *out)
{
	double d;
	if (!v)
		return bad(w, field, "missing");
	if (json_is_integer(v))
		d = (double)json_integer_value(v);
	else if (json_is_real(v) && json_real_value(v) == (double)(long long)json_real_value(v))
		d = json_real_value(v);
	else
		return bad(w, field, "not an integer");
	if (d < lo || d > hi)
		return bad(w, field, "out of range");
	*out = (int)d;
	return 0;
}

static void read_sex(json_t *v, struct claim *c)
{
	const char *s = json_is_string(v) ? json_string_value(v) : "";
	c->sex = (strcmp(s, "M") == 0 || strcmp(s, "F") == 0 || strcmp(s, "U") == 0) ? s[0] : 'X';
}

/* UB-04 status: digits ("1", " 01" and 1 read as "01"); anything else, or a
 * number past 99, is kept as an invalid status (""). */
static int read_status(const struct where *w, json_t *v, struct claim *c)
{
	const char *f = "discharge_status";
	long n = -1;
	c->status[0] = 0;
	if (!v)
		return bad(w, f, "missing");
	if (json_is_integer(v)) {
		n = json_integer_value(v) >= 0 && json_integer_value(v) <= 99
			? (long)json_integer_value(v)
			: -1;
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		while (isspace((unsigned char)*s))
			s++;
		int digits = 0;
		for (n = 0; isdigit((unsigned char)*s) && n <= 99; s++, digits++)
			n = n * 10 + (*s - '0');
		while (isspace((unsigned char)*s))
			s++;
		if (!digits || *s || n > 99)
			n = -1;
	} else {
		return bad(w, f, "not a string");
	}
	if (n >= 0 && n <= 99) {
		c->status[0] = (char)('0' + n / 10);
		c->status[1] = (char)('0' + n % 10);
		c->status[2] = 0;
	}
	return 0;
}

/* 1 when a is an array of at most max items to read, 0 when it is missing
 * or null, else the error (not an array; too_many). */
static int array_of(const struct where *w, json_t *a, const char *field, size_t max,
		    const char *too_many)
{
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return bad(w, field, "not an array");
	if (json_array_size(a) > max)
		return bad(w, field, too_many);
	return 1;
}

static int read_sdx(const struct where *w, json_t *a, struct claim *c)
{
	char f[32];
	int rc = array_of(w, a, "sdx", CLAIM_MAX_SDX, "more than 24 secondary diagnoses");
	if (rc <= 0)
		return rc;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		snprintf(f, sizeof f, "sdx[%zu]", i + 1);
		rc = read_dx(w, f, v, &c->sdx[c->nsdx]);
		if (rc)
			return rc;
		if (c->sdx[c->nsdx].code[0]) /* a blank slot is no diagnosis */
			c->nsdx++;
	}
	return 0;
}

static int read_procs(const struct where *w, json_t *a, struct claim *c)
{
	char f[40];
	int rc = array_of(w, a, "procedures", CLAIM_MAX_PROC, "more than 25 procedures");
	if (rc <= 0)
		return rc;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		struct claim_proc *p = &c->proc[c->nproc];
		snprintf(f, sizeof f, "procedures[%zu].code", i + 1);
		if (json_is_string(v)) {
			rc = read_code(w, f, v, 0, p->code);
		} else if (json_is_object(v)) {
			rc = read_code(w, f, json_object_get(v, "code"), 0, p->code);
			snprintf(f, sizeof f, "procedures[%zu].date", i + 1);
			if (!rc)
				rc = read_date(w, f, json_object_get(v, "date"), 0, &p->date);
		} else {
			snprintf(f, sizeof f, "procedures[%zu]", i + 1);
			rc = bad(w, f, "not an object");
		}
		if (rc)
			return rc;
		if (p->code[0]) /* a blank slot is no procedure */
			c->nproc++;
	}
	return 0;
}

static int read_id(const struct where *w, json_t *v, struct claim *c)
{
	if (json_is_integer(v)) {
		snprintf(c->id, sizeof c->id, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	if (!json_is_string(v))
		return bad(w, "id", v ? "not a string" : "missing");
	size_t n = json_string_length(v);
	if (n == 0 || n >= CLAIM_ID_MAX || strlen(json_string_value(v)) != n)
		return bad(w, "id", n ? "longer than 63 characters or holds a NUL" : "empty");
	mrt_strlcpy(c->id, json_string_value(v), sizeof c->id);
	return 0;
}

static int read_fields(const struct where *w, json_t *o, struct claim *c)
{
	int rc =
	    read_date(w, "discharge_date", json_object_get(o, "discharge_date"), 1, &c->discharge);
	if (!rc)
		rc = read_date(w, "admit_date", json_object_get(o, "admit_date"), 0, &c->admit);
	if (!rc)
		rc = read_int(w, "age", json_object_get(o, "age"), -AGE_LIMIT, AGE_LIMIT, &c->age);
	if (!rc)
		rc = read_int(w, "los", json_object_get(o, "los"), -LOS_LIMIT, LOS_LIMIT, &c->los);
	if (!rc)
		rc = read_status(w, json_object_get(o, "discharge_status"), c);
	if (rc)
		return rc;
	read_sex(json_object_get(o, "sex"), c);
	rc = read_dx(w, "pdx", json_object_get(o, "pdx"), &c->pdx);
	json_t *adx = json_object_get(o, "admit_dx");
	if (!adx)
		adx = json_object_get(o, "admitting_dx");
	if (!rc && adx && !json_is_null(adx)) {
		rc = read_dx(w, "admit_dx", adx, &c->admit_dx);
		c->has_admit_dx = !rc && c->admit_dx.code[0]; /* blank: none */
	}
	if (!rc)
		rc = read_sdx(w, json_object_get(o, "sdx"), c);
	if (!rc)
		rc = read_procs(w, json_object_get(o, "procedures"), c);
	return rc;
}

int claim_jsonl_blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)text[i]))
			return 0;
	return 1;
}

int claim_jsonl_parse(struct claim *out, const char *text, size_t len, const char *name, long line,
		      mrt_err *err)
{
	struct where w = {name ? name : "claims", line, err};
	json_error_t je;
	memset(out, 0, sizeof *out);
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return mrt_err_set(err, MRT_EPARSE, "%s:%ld: not JSON (column %d)", w.name, line,
				   je.column);
	int rc;
	if (!json_is_object(o))
		rc = mrt_err_set(err, MRT_EPARSE, "%s:%ld: not a JSON object", w.name, line);
	else
		rc = read_id(&w, json_object_get(o, "id"), out);
	if (!rc)
		rc = read_fields(&w, o, out);
	json_decref(o);
	return rc;
}
