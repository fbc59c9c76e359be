/*
 * The FHIR mapper (see fhir.h): one R4 resource into its struct. Strings
 * are borrowed from the resource or copied into the caller's arena; a
 * resource that cannot be mapped gets a reason naming the element only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "base/date.h"
#include "formats/fhir.h"
#include "formats/fhir_int.h"

static const char *const type_names[FHIR_NTYPES] = {
    "Practitioner", "Patient", "Encounter", "Condition", "Procedure", "DocumentReference",
};

const char *fhir_type_name(enum fhir_type t)
{
	return t < FHIR_NTYPES ? type_names[t] : "other";
}

enum fhir_type fhir_type_of(const char *resource_type)
{
	for (int t = 0; t < FHIR_NTYPES; t++)
		if (resource_type && strcmp(resource_type, type_names[t]) == 0)
			return (enum fhir_type)t;
	return FHIR_OTHER;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* "Thh:mm:ss[.fff](Z|+hh:mm|-hh:mm)". FHIR asks for the zone; a time
 * without one (local time, as many senders and the chart's own imports
 * write it) is accepted and kept as sent rather than refused. */
static int time_check(const char *t)
{
	if (t[0] != 'T' || !digits(t + 1, 2) || t[3] != ':' || !digits(t + 4, 2) || t[6] != ':' ||
	    !digits(t + 7, 2))
		return MRT_EPARSE;
	if (num(t + 1, 2) > 23 || num(t + 4, 2) > 59 || num(t + 7, 2) > 60)
		return MRT_EPARSE;
	const char *p = t + 9;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return MRT_EPARSE;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == '\0' || strcmp(p, "Z") == 0)
		return 0;
	if ((*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2) &&
	    p[6] == '\0' && num(p + 1, 2) <= 14 && num(p + 4, 2) <= 59)
		return 0;
	return MRT_EPARSE;
}

int fhir_date_check(const char *s)
{
	if (!s)
		return MRT_EPARSE;
	size_t n = strlen(s);
	if (n < 4 || !digits(s, 4) || num(s, 4) < 1)
		return MRT_EPARSE;
	if (n == 4)
		return 0;
	if (n < 7 || s[4] != '-' || !digits(s + 5, 2) || num(s + 5, 2) < 1 || num(s + 5, 2) > 12)
		return MRT_EPARSE;
	if (n == 7)
		return 0;
	char day[MRT_DATE_LEN];
	mrt_day d;
	if (n < 10 || s[7] != '-')
		return MRT_EPARSE;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (mrt_date_parse(&d, day) != 0)
		return MRT_EPARSE;
	return n == 10 ? 0 : time_check(s + 10);
}

/* ---- small readers over jansson ------------------------------------------- */

const char *fm_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* A string element: absent is fine (NULL), any other JSON type is not. */
int fm_opt_str(struct fm *m, const json_t *o, const char *key, const char **out)
{
	json_t *v = json_object_get(o, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return fm_reject(m, "%s.%s is not a string", m->type, key);
	*out = json_string_value(v);
	return 0;
}

int fm_reject(struct fm *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->reason, m->reason_size, fmt, ap);
	va_end(ap);
	m->rejected = 1;
	return FHIR_MAP_REJECT;
}

/* A date element, checked; path names it in the reason. */
int fm_date(struct fm *m, const char *s, const char *path, const char **out)
{
	*out = NULL;
	if (!s)
		return 0;
	if (fhir_date_check(s) != 0)
		return fm_reject(m, "%s.%s is not a valid date", m->type, path);
	*out = s;
	return 0;
}

/* Joins the strings of an array with sep, from index from; NULL when none. */
const char *fm_join(struct fm *m, const json_t *arr, size_t from, const char *sep)
{
	size_t len = 0, n = 0;
	for (size_t i = from; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		if (s && *s) {
			len += strlen(s) + strlen(sep);
			n++;
		}
	}
	if (n == 0)
		return NULL;
	char *out = mrt_arena_alloc(m->a, len + 1);
	if (!out) {
		m->nomem = 1;
		return NULL;
	}
	size_t at = 0;
	for (size_t i = from; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		if (!s || !*s)
			continue;
		if (at) {
			memcpy(out + at, sep, strlen(sep));
			at += strlen(sep);
		}
		memcpy(out + at, s, strlen(s));
		at += strlen(s);
	}
	out[at] = '\0';
	return out;
}

char *fm_strndup(struct fm *m, const char *s, size_t n)
{
	char *p = mrt_arena_strndup(m->a, s, n);
	if (!p)
		m->nomem = 1;
	return p;
}

/* A CodeableConcept: every coding kept, the ICD-10-CM one preferred. */
int fm_codeable(struct fm *m, const json_t *cc, struct fhir_codeable *out)
{
	memset(out, 0, sizeof *out);
	if (!cc)
		return 0;
	json_t *codings = json_object_get(cc, "coding");
	size_t n = json_array_size(codings);
	out->text = fm_str(cc, "text");
	if (n == 0)
		return 0;
	struct fhir_coding *c = mrt_arena_alloc(m->a, n * sizeof *c);
	if (!c) {
		m->nomem = 1;
		return 0;
	}
	size_t k = 0;
	int icd = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(codings, i);
		const char *code = fm_str(e, "code");
		if (!code || !*code)
			continue;
		c[k].system = fm_str(e, "system") ? fm_str(e, "system") : "";
		c[k].code = code;
		c[k].display = fm_str(e, "display");
		if (!icd && strcmp(c[k].system, "http://hl7.org/fhir/sid/icd-10-cm") == 0) {
			out->preferred = k;
			icd = 1;
		}
		k++;
	}
	out->coding = c;
	out->n = k;
	return 0;
}

/* The first coding's code of a CodeableConcept, else its text. */
const char *fm_cc_code(const json_t *cc)
{
	const char *code = fm_str(json_array_get(json_object_get(cc, "coding"), 0), "code");
	return code ? code : fm_str(cc, "text");
}

/* ---- references ------------------------------------------------------------ */

static int type_like(const char *s, size_t n)
{
	if (n == 0 || s[0] < 'A' || s[0] > 'Z')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
			return 0;
	return 1;
}

/* "Type?identifier=system|value" */
static int conditional(struct fm *m, const char *ref, const char *q, struct fhir_ref *out)
{
	static const char key[] = "identifier=";
	const char *v = strstr(q, key);
	if (!v || !type_like(ref, (size_t)(q - ref)))
		return -1;
	v += sizeof key - 1;
	size_t vlen = strcspn(v, "&");
	const char *bar = memchr(v, '|', vlen);
	out->type = fm_strndup(m, ref, (size_t)(q - ref));
	out->system = bar ? fm_strndup(m, v, (size_t)(bar - v)) : "";
	out->value =
	    bar ? fm_strndup(m, bar + 1, vlen - (size_t)(bar - v) - 1) : fm_strndup(m, v, vlen);
	return out->value && *out->value ? 0 : -1;
}

/* "Type/id", "base/Type/id", "Type/id/_history/v" */
static int relative(struct fm *m, const char *ref, struct fhir_ref *out)
{
	size_t n = strlen(ref);
	const char *hist = strstr(ref, "/_history/");
	if (hist)
		n = (size_t)(hist - ref);
	const char *end = ref + n;
	const char *slash = NULL;
	for (const char *p = end; p > ref; p--)
		if (p[-1] == '/') {
			slash = p - 1;
			break;
		}
	if (!slash || slash + 1 == end)
		return -1;
	const char *tstart = slash;
	while (tstart > ref && tstart[-1] != '/')
		tstart--;
	if (!type_like(tstart, (size_t)(slash - tstart)))
		return -1;
	out->type = fm_strndup(m, tstart, (size_t)(slash - tstart));
	out->id = fm_strndup(m, slash + 1, (size_t)(end - slash - 1));
	return 0;
}

/* A Reference element named path; required ones reject when absent. The
 * type must be want (or any when want is NULL). */
int fm_ref(struct fm *m, const json_t *o, const char *path, const char *want, int required,
	   struct fhir_ref *out)
{
	memset(out, 0, sizeof *out);
	const char *ref = fm_str(o, "reference");
	if (!ref) {
		if (required)
			return fm_reject(m, "%s.%s is missing", m->type, path);
		return 0;
	}
	out->display = fm_str(o, "display");
	const char *full = fhir_reader_full_url(m->r, ref);
	const char *q = strchr(ref, '?');
	int rc;
	if (full)
		rc = relative(m, full, out);
	else if (strncmp(ref, "urn:", 4) == 0)
		return fm_reject(m,
				 "%s.%s: unresolvable reference (no Bundle entry has that fullUrl)",
				 m->type, path);
	else if (q)
		rc = conditional(m, ref, q, out);
	else
		rc = relative(m, ref, out);
	if (m->nomem)
		return FHIR_MAP_REJECT;
	if (rc != 0)
		return fm_reject(m, "%s.%s: unresolvable reference", m->type, path);
	if (want && strcmp(out->type, want) != 0)
		return fm_reject(m, "%s.%s refers to a %s, not a %s", m->type, path, out->type,
				 want);
	return 0;
}

/* ---- the resource ----------------------------------------------------------- */

static int id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-' || id[i] == '.'))
			return 0;
	return 1;
}

static int labels(struct fm *m, const json_t *res, struct fhir_res *out)
{
	json_t *sec = json_object_get(json_object_get(res, "meta"), "security");
	size_t n = json_array_size(sec);
	if (n == 0)
		return 0;
	struct fhir_label *l = mrt_arena_alloc(m->a, n * sizeof *l);
	if (!l) {
		m->nomem = 1;
		return FHIR_MAP_REJECT;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(sec, i);
		l[i].code = fm_str(c, "code");
		if (!l[i].code || !*l[i].code)
			return fm_reject(m, "%s.meta.security[%zu] has no code", m->type, i);
		l[i].system = fm_str(c, "system") ? fm_str(c, "system") : "";
		l[i].display = fm_str(c, "display");
	}
	out->labels = l;
	out->n_labels = n;
	return 0;
}

int fhir_map(const json_t *res, const fhir_reader *r, mrt_arena *a, struct fhir_res *out,
	     char *reason, size_t reason_size)
{
	memset(out, 0, sizeof *out);
	struct fm m = {.a = a, .r = r, .reason = reason, .reason_size = reason_size};
	const char *type = fm_str(res, "resourceType");
	reason[0] = '\0';
	if (!json_is_object(res) || !type) {
		out->type = FHIR_OTHER;
		m.type = "resource";
		return fm_reject(&m, "not a FHIR resource (no resourceType)");
	}
	out->type = fhir_type_of(type);
	if (out->type == FHIR_OTHER)
		return FHIR_MAP_SKIP;
	m.type = type;
	out->id = fm_str(res, "id");
	if (!out->id)
		return fm_reject(&m, "%s.id is missing", type);
	if (!id_valid(out->id))
		return fm_reject(&m, "%s.id is not a valid id", type);
	int rc = labels(&m, res, out);
	if (rc == 0) {
		static int (*const mappers[FHIR_NTYPES])(struct fm *, const json_t *,
							 struct fhir_res *) = {
		    fm_practitioner, fm_patient,   fm_encounter,
		    fm_condition,    fm_procedure, fm_document,
		};
		rc = mappers[out->type](&m, res, out);
	}
	if (m.nomem)
		return MRT_ENOMEM;
	return m.rejected ? FHIR_MAP_REJECT : rc;
}
