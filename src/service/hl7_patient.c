/*
 * HL7 v2 to the chart: the patient (PID-3 identifiers, PID-5 names by
 * name type, demographics, death) and providers (XCN fields).
 */
#include <string.h>

#include "base/str.h"
#include "service/hl7_int.h"

#define MAX_IDENTS 32
#define MAX_NAMES 16

const char *hm_mrn(struct hl7_map *x, long pid, const char **system)
{
	const char *first = NULL, *first_sys = NULL;
	unsigned n = hm_reps(x, pid, 3);
	for (unsigned r = 1; r <= n; r++) {
		const char *v = hm_get(x, pid, 3, r, 1, 1);
		if (!v || !*v)
			continue;
		const char *sys = hm_get(x, pid, 3, r, 4, 1);
		if (!sys)
			sys = hm_get(x, pid, 3, r, 4, 2);
		const char *type = hm_get(x, pid, 3, r, 5, 1);
		if (type && strcmp(type, "MR") == 0) {
			*system = sys ? sys : "";
			return v;
		}
		if (!first) {
			first = v;
			first_sys = sys;
		}
	}
	if (!first) /* PID-2, the external id of v2.3 and before */
		first = hm_get(x, pid, 2, 1, 1, 1);
	*system = first_sys ? first_sys : "";
	return first && *first ? first : NULL;
}

static size_t idents(struct hl7_map *x, long pid, struct chart_ident *out)
{
	size_t k = 0;
	unsigned n = hm_reps(x, pid, 3);
	for (unsigned r = 1; r <= n && k < MAX_IDENTS; r++) {
		const char *v = hm_get(x, pid, 3, r, 1, 1);
		if (!v || !*v)
			continue;
		const char *sys = hm_get(x, pid, 3, r, 4, 1);
		if (!sys)
			sys = hm_get(x, pid, 3, r, 4, 2);
		const char *type = hm_get(x, pid, 3, r, 5, 1);
		out[k].system = sys ? sys : "";
		out[k].type = type ? type : "";
		out[k].value = v;
		k++;
	}
	return k;
}

/* HL7 table 0200 (name type) to chart_name.use; NULL for the legal name. */
static const char *name_use(const char *t, unsigned rep)
{
	static const struct {
		const char *code, *use;
	} map[] = {
	    {"L", "official"}, {"R", "official"}, {"D", "usual"}, {"U", "usual"}, {"I", "usual"},
	    {"K", "usual"},    {"P", "usual"},	  {"T", "usual"}, {"A", "alias"}, {"F", "alias"},
	    {"M", "maiden"},   {"B", "old"},	  {"BAD", "old"}, {"C", "old"},	  {"N", "nickname"},
	    {"S", "temp"},     {"NB", "temp"},
	};
	if (!t || !*t)
		return rep == 1 ? "official" : "alias";
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(t, map[i].code) == 0)
			return map[i].use;
	return "alias";
}

static void names(struct hl7_map *x, long pid, struct chart_patient *p, struct chart_name *out)
{
	unsigned n = hm_reps(x, pid, 5), legal = 0;
	for (unsigned r = 1; r <= n && p->n_names < MAX_NAMES; r++) {
		const char *family = hm_get(x, pid, 5, r, 1, 1),
			   *given = hm_get(x, pid, 5, r, 2, 1);
		if (!family && !given)
			continue;
		const char *use = name_use(hm_get(x, pid, 5, r, 7, 1), r);
		const char *middle = hm_get(x, pid, 5, r, 3, 1);
		const char *suffix = hm_get(x, pid, 5, r, 4, 1),
			   *prefix = hm_get(x, pid, 5, r, 5, 1);
		if (!legal && strcmp(use, "official") == 0) {
			legal = r;
			p->family = family;
			p->given = given;
			p->middle = middle;
			p->suffix = suffix;
			p->prefix = prefix;
			continue;
		}
		struct chart_name *nm = &out[p->n_names++];
		nm->use = use;
		nm->family = family ? family : "";
		nm->given = given ? given : "";
		nm->middle = middle ? middle : "";
		nm->prefix = prefix;
		nm->suffix = suffix;
	}
	if (!legal && p->n_names > 0) { /* no legal name: the first one heads the record */
		p->family = *out[0].family ? out[0].family : NULL;
		p->given = *out[0].given ? out[0].given : NULL;
		p->middle = *out[0].middle ? out[0].middle : NULL;
		p->prefix = out[0].prefix;
		p->suffix = out[0].suffix;
	}
}

/* PID-13 / PID-14: the first voice number of each kind (CP = mobile). */
static void phones(struct hl7_map *x, long pid, unsigned field, const char **fixed,
		   const char **mobile)
{
	unsigned n = hm_reps(x, pid, field);
	for (unsigned r = 1; r <= n; r++) {
		const char *use = hm_get(x, pid, field, r, 2, 1),
			   *eq = hm_get(x, pid, field, r, 3, 1);
		if ((use && strcmp(use, "NET") == 0) ||
		    (eq && (strcmp(eq, "Internet") == 0 || strcmp(eq, "X.400") == 0)))
			continue;
		const char *num = hm_get(x, pid, field, r, 1, 1);
		if (!num) {
			const char *area = hm_get(x, pid, field, r, 6, 1);
			const char *local = hm_get(x, pid, field, r, 7, 1);
			if (!local)
				continue;
			num = local;
			if (area) {
				size_t len = strlen(area) + strlen(local) + 4;
				char *s = mrt_arena_alloc(x->a, len);
				if (s) {
					mrt_strlcpy(s, "(", len);
					mrt_strlcpy(s + 1, area, len - 1);
					size_t k = strlen(s);
					mrt_strlcpy(s + k, ")", len - k);
					mrt_strlcpy(s + k + 1, local, len - k - 1);
					num = s;
				}
			}
		}
		const char **slot = eq && strcmp(eq, "CP") == 0 ? mobile : fixed;
		if (!*slot)
			*slot = num;
	}
}

static int sex(struct hl7_map *x, long pid, struct chart_patient *p)
{
	const char *v = hm_get(x, pid, 8, 1, 1, 1);
	if (!v || !*v)
		return 0;
	char c = v[1] ? '?' : v[0];
	const char *found = NULL;
	switch (c) {
	case 'F':
	case 'f':
		found = "F";
		break;
	case 'M':
	case 'm':
		found = "M";
		break;
	case 'O':
	case 'o':
	case 'A':
	case 'a':
		found = "O";
		break;
	case 'U':
	case 'u':
	case 'N':
	case 'n':
		found = "U";
		break;
	default:
		break;
	}
	if (!found)
		return hm_fail(x, pid, 8, HL7_ERR_TABLE_VALUE, "PID-8: sex not in HL7 table 0001");
	p->sex = found;
	return 0;
}

/* Pieces joined with sep into the arena; NULLs and "" skipped. */
static const char *join(struct hl7_map *x, const char *const *v, size_t n, const char *sep)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += v[i] ? strlen(v[i]) + strlen(sep) : 0;
	char *s = mrt_arena_alloc(x->a, len);
	if (!s)
		return NULL;
	for (size_t i = 0, k = 0; i < n; i++) {
		if (!v[i] || !*v[i])
			continue;
		if (k) {
			mrt_strlcpy(s + k, sep, len - k);
			k += strlen(sep);
		}
		mrt_strlcpy(s + k, v[i], len - k);
		k += strlen(v[i]);
	}
	return *s ? s : NULL;
}

static void address(struct hl7_map *x, long pid, struct chart_patient *p)
{
	/* XAD-1 is SAD: street or mailing address & street name & dwelling number. */
	const char *sad[3] = {hm_get(x, pid, 11, 1, 1, 1), hm_get(x, pid, 11, 1, 1, 2),
			      hm_get(x, pid, 11, 1, 1, 3)};
	const char *street = join(x, sad, 3, " "), *other = hm_get(x, pid, 11, 1, 2, 1);
	if (street && other && *other) {
		size_t len = strlen(street) + strlen(other) + 3;
		char *s = mrt_arena_alloc(x->a, len);
		if (s) {
			mrt_strlcpy(s, street, len);
			size_t k = strlen(s);
			mrt_strlcpy(s + k, ", ", len - k);
			mrt_strlcpy(s + k + 2, other, len - k - 2);
			street = s;
		}
	}
	p->address_line = street ? street : other;
	p->city = hm_get(x, pid, 11, 1, 3, 1);
	p->state = hm_get(x, pid, 11, 1, 4, 1);
	p->postal_code = hm_get(x, pid, 11, 1, 5, 1);
	p->country = hm_get(x, pid, 11, 1, 6, 1);
}

static int death(struct hl7_map *x, long pid, struct chart_patient *p)
{
	int rc = hm_time(x, pid, 29, 1, 1, 0, &p->death_at);
	if (rc)
		return rc;
	const char *ind = hm_get(x, pid, 30, 1, 1, 1);
	if (ind && strcmp(ind, "Y") == 0)
		p->deceased = 1;
	else if (ind && strcmp(ind, "N") == 0)
		p->deceased = 0;
	else if (p->death_at && *p->death_at)
		p->deceased = 1;
	return 0;
}

int hm_patient(struct hl7_map *x, long pid, int64_t *id, mrt_err *err)
{
	struct chart_patient p;
	struct chart_ident ids[MAX_IDENTS];
	struct chart_name nms[MAX_NAMES];
	chart_patient_init(&p);
	*id = 0;
	if (pid < 0)
		return hm_fail(x, -1, 0, HL7_ERR_SEGMENT_SEQUENCE, "PID segment missing");
	p.mrn = hm_mrn(x, pid, &p.mrn_system);
	if (!p.mrn)
		return hm_fail(x, pid, 3, HL7_ERR_REQUIRED_FIELD, "PID-3: no patient identifier");
	p.n_idents = idents(x, pid, ids);
	p.idents = ids;
	p.names = nms;
	names(x, pid, &p, nms);
	int rc = hm_time(x, pid, 7, 1, 1, 1, &p.birth_date);
	if (rc == 0)
		rc = sex(x, pid, &p);
	if (rc == 0)
		rc = death(x, pid, &p);
	if (rc)
		return rc;
	address(x, pid, &p);
	phones(x, pid, 13, &p.phone_home, &p.phone_mobile);
	phones(x, pid, 14, &p.phone_work, &p.phone_mobile);
	p.race = hm_get(x, pid, 10, 1, 1, 1);
	p.language = hm_get(x, pid, 15, 1, 1, 1);
	p.marital_status = hm_get(x, pid, 16, 1, 1, 1);
	p.ethnicity = hm_get(x, pid, 22, 1, 1, 1);
	int changed = 0;
	rc = chart_patient_put(x->db, x->ctx, &p, id, &changed, err);
	if (rc == 0 && changed)
		x->changed = 1;
	return hm_chart(x, pid, 3, rc, err);
}

int hm_provider(struct hl7_map *x, long seg, unsigned field, unsigned rep, int64_t *id,
		mrt_err *err)
{
	*id = 0;
	struct chart_provider p = {0};
	p.ident = hm_get(x, seg, field, rep, 1, 1);
	if (!p.ident || !*p.ident)
		return 0;
	p.system = hm_get(x, seg, field, rep, 9, 1);
	if (!p.system)
		p.system = hm_get(x, seg, field, rep, 9, 2);
	if (!p.system)
		p.system = "";
	p.family = hm_get(x, seg, field, rep, 2, 1);
	p.given = hm_get(x, seg, field, rep, 3, 1);
	if (p.family && p.given) {
		size_t len = strlen(p.family) + strlen(p.given) + 2;
		char *s = mrt_arena_alloc(x->a, len);
		if (s) {
			mrt_strlcpy(s, p.given, len);
			size_t k = strlen(s);
			mrt_strlcpy(s + k, " ", len - k);
			mrt_strlcpy(s + k + 1, p.family, len - k - 1);
		}
		p.name = s;
	} else {
		p.name = p.family ? p.family : p.given;
	}
	int changed = 0;
	int rc = chart_provider_put(x->db, x->ctx, &p, id, &changed, err);
	return hm_chart(x, seg, field, rc, err);
}
