/*
 * The per-type FHIR mappers: Patient, Practitioner, Encounter, Condition,
 * Procedure and DocumentReference elements into their structs (see
 * fhir.h for what each field holds, docs/fhir.md for the mapping tables).
 */
#include <string.h>

#include <sodium.h>

#include "formats/fhir_int.h"

#define NUBC_STATUS "https://www.nubc.org/CodeSystem/PatDischargeStatus"
#define US_NPI "http://hl7.org/fhir/sid/us-npi"

static const char *map_word(const char *v, const char *const pairs[][2], size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(v, pairs[i][0]) == 0)
			return pairs[i][1];
	return NULL;
}

/* ---- Patient ---------------------------------------------------------------- */

static int idents(struct fm *m, const json_t *res, struct fhir_patient *p)
{
	json_t *arr = json_object_get(res, "identifier");
	size_t n = json_array_size(arr), k = 0;
	struct fhir_ident *id = mrt_arena_alloc(m->a, (n ? n : 1) * sizeof *id);
	if (!id) {
		m->nomem = 1;
		return FHIR_MAP_REJECT;
	}
	p->mrn = 0;
	int have_mrn = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		const char *value = fm_str(e, "value");
		if (!value || !*value)
			continue;
		const char *type = fm_cc_code(json_object_get(e, "type"));
		id[k].system = fm_str(e, "system") ? fm_str(e, "system") : "";
		id[k].type = type ? type : "";
		id[k].value = value;
		if (!have_mrn && strcmp(id[k].type, "MR") == 0) {
			p->mrn = k;
			have_mrn = 1;
		}
		k++;
	}
	p->idents = id;
	p->n_idents = k;
	return 0;
}

static const char *name_use(const char *use)
{
	static const char *const uses[][2] = {
	    {"official", "official"}, {"usual", "usual"},     {"temp", "temp"},
	    {"nickname", "nickname"}, {"anonymous", "alias"}, {"old", "old"},
	    {"maiden", "maiden"},
	};
	const char *u = map_word(use, uses, sizeof uses / sizeof uses[0]);
	return u ? u : "official";
}

static int names(struct fm *m, const json_t *res, struct fhir_patient *p)
{
	json_t *arr = json_object_get(res, "name");
	if (arr && !json_is_array(arr))
		return fm_reject(m, "Patient.name is not a list of HumanName");
	size_t n = json_array_size(arr);
	struct fhir_name *nm = mrt_arena_alloc(m->a, (n ? n : 1) * sizeof *nm);
	if (!nm) {
		m->nomem = 1;
		return FHIR_MAP_REJECT;
	}
	int best = 3; /* 0 official, 1 usual, 2 no use */
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		if (!json_is_object(e))
			return fm_reject(m, "Patient.name[%zu] is not a HumanName", i);
		json_t *given = json_object_get(e, "given");
		const char *use = fm_str(e, "use");
		nm[i].use = name_use(use);
		nm[i].family = fm_str(e, "family");
		nm[i].given = json_string_value(json_array_get(given, 0));
		nm[i].middle = fm_join(m, given, 1, " ");
		nm[i].prefix = fm_join(m, json_object_get(e, "prefix"), 0, " ");
		nm[i].suffix = fm_join(m, json_object_get(e, "suffix"), 0, " ");
		nm[i].text = fm_str(e, "text");
		int rank = !use				  ? 2
			   : strcmp(use, "official") == 0 ? 0
			   : strcmp(use, "usual") == 0	  ? 1
							  : 3;
		if (rank < best) {
			best = rank;
			p->official = i;
		}
	}
	p->names = nm;
	p->n_names = n;
	return 0;
}

static void telecom(const json_t *res, struct fhir_patient *p)
{
	json_t *arr = json_object_get(res, "telecom");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		const char *sys = fm_str(e, "system"), *use = fm_str(e, "use");
		const char *v = fm_str(e, "value");
		if (!v || !sys || strcmp(sys, "phone") != 0)
			continue;
		const char **slot = !use || strcmp(use, "home") == 0 ? &p->phone_home
				    : strcmp(use, "work") == 0	     ? &p->phone_work
				    : strcmp(use, "mobile") == 0     ? &p->phone_mobile
								     : NULL;
		if (slot && !*slot)
			*slot = v;
	}
}

static void address(struct fm *m, const json_t *res, struct fhir_patient *p)
{
	json_t *a = json_array_get(json_object_get(res, "address"), 0);
	if (!a)
		return;
	p->address_line = fm_join(m, json_object_get(a, "line"), 0, ", ");
	p->city = fm_str(a, "city");
	p->state = fm_str(a, "state");
	p->postal_code = fm_str(a, "postalCode");
	p->country = fm_str(a, "country");
}

/* us-core-race / us-core-ethnicity: the "text" part, else the first
 * ombCategory's display. */
static const char *us_core(const json_t *res, const char *url)
{
	json_t *ext = json_object_get(res, "extension");
	for (size_t i = 0; i < json_array_size(ext); i++) {
		json_t *e = json_array_get(ext, i);
		const char *u = fm_str(e, "url");
		if (!u || strcmp(u, url) != 0)
			continue;
		json_t *parts = json_object_get(e, "extension");
		const char *omb = NULL;
		for (size_t k = 0; k < json_array_size(parts); k++) {
			json_t *x = json_array_get(parts, k);
			const char *pu = fm_str(x, "url");
			if (pu && strcmp(pu, "text") == 0 && fm_str(x, "valueString"))
				return fm_str(x, "valueString");
			if (pu && !omb && strcmp(pu, "ombCategory") == 0)
				omb = fm_str(json_object_get(x, "valueCoding"), "display");
		}
		return omb;
	}
	return NULL;
}

static int deceased(struct fm *m, const json_t *res, struct fhir_patient *p)
{
	json_t *b = json_object_get(res, "deceasedBoolean");
	json_t *dt = json_object_get(res, "deceasedDateTime");
	p->deceased = -1;
	if (b && !json_is_boolean(b))
		return fm_reject(m, "Patient.deceasedBoolean is not a boolean");
	if (b)
		p->deceased = json_is_true(b);
	if (dt) {
		if (!json_is_string(dt))
			return fm_reject(m, "Patient.deceasedDateTime is not a string");
		p->deceased = 1;
		return fm_date(m, json_string_value(dt), "deceasedDateTime", &p->death_at);
	}
	return 0;
}

int fm_patient(struct fm *m, const json_t *res, struct fhir_res *out)
{
	static const char *const genders[][2] = {
	    {"female", "F"},
	    {"male", "M"},
	    {"other", "O"},
	    {"unknown", "U"},
	};
	struct fhir_patient *p = &out->u.patient;
	const char *gender, *birth;
	if (idents(m, res, p) || names(m, res, p) || fm_opt_str(m, res, "gender", &gender) ||
	    fm_opt_str(m, res, "birthDate", &birth))
		return FHIR_MAP_REJECT;
	p->sex = map_word(gender, genders, sizeof genders / sizeof genders[0]);
	if (gender && !p->sex)
		return fm_reject(m, "Patient.gender is not one of male, female, other, unknown");
	if (fm_date(m, birth, "birthDate", &p->birth_date) || deceased(m, res, p))
		return FHIR_MAP_REJECT;
	telecom(res, p);
	address(m, res, p);
	p->marital_status = fm_cc_code(json_object_get(res, "maritalStatus"));
	p->race = us_core(res, "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race");
	p->ethnicity =
	    us_core(res, "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity");
	json_t *comm = json_array_get(json_object_get(res, "communication"), 0);
	p->language = fm_cc_code(json_object_get(comm, "language"));
	return 0;
}

/* ---- Practitioner ------------------------------------------------------------ */

int fm_practitioner(struct fm *m, const json_t *res, struct fhir_res *out)
{
	struct fhir_practitioner *p = &out->u.practitioner;
	json_t *ids = json_object_get(res, "identifier");
	for (size_t i = 0; i < json_array_size(ids); i++) {
		json_t *e = json_array_get(ids, i);
		const char *v = fm_str(e, "value"), *sys = fm_str(e, "system");
		if (!v || !*v)
			continue;
		int npi = sys && strcmp(sys, US_NPI) == 0;
		if (!p->ident || npi) {
			p->ident = v;
			p->system = sys ? sys : "";
		}
		if (npi)
			break;
	}
	json_t *name = json_array_get(json_object_get(res, "name"), 0);
	p->name = fm_str(name, "text");
	p->family = fm_str(name, "family");
	p->given = fm_join(m, json_object_get(name, "given"), 0, " ");
	json_t *q = json_array_get(json_object_get(res, "qualification"), 0);
	json_t *qc = json_object_get(q, "code");
	p->specialty = fm_str(qc, "text");
	if (!p->specialty)
		p->specialty = fm_str(json_array_get(json_object_get(qc, "coding"), 0), "display");
	return 0;
}

/* ---- Encounter --------------------------------------------------------------- */

static const char *enc_class(const char *code)
{
	static const char *const classes[][2] = {
	    {"IMP", "inpatient"},  {"ACUTE", "inpatient"}, {"NONAC", "inpatient"},
	    {"AMB", "outpatient"}, {"EMER", "emergency"},  {"OBSENC", "observation"},
	};
	return map_word(code, classes, sizeof classes / sizeof classes[0]);
}

static const char *enc_status(const char *s)
{
	static const char *const st[][2] = {
	    {"planned", "planned"},	{"arrived", "in-progress"},
	    {"triaged", "in-progress"}, {"in-progress", "in-progress"},
	    {"onleave", "in-progress"}, {"finished", "finished"},
	    {"cancelled", "cancelled"}, {"entered-in-error", "cancelled"},
	};
	return map_word(s, st, sizeof st / sizeof st[0]);
}

static void disposition(const json_t *hosp, struct fhir_encounter *e)
{
	json_t *dd = json_object_get(hosp, "dischargeDisposition");
	json_t *codings = json_object_get(dd, "coding");
	for (size_t i = 0; i < json_array_size(codings); i++) {
		json_t *c = json_array_get(codings, i);
		const char *sys = fm_str(c, "system"), *code = fm_str(c, "code");
		if (sys && code && strcmp(sys, NUBC_STATUS) == 0 && strlen(code) == 2)
			e->discharge_status = code;
		else if (code && !e->discharge_location)
			e->discharge_location = code;
	}
	if (fm_str(dd, "text"))
		e->discharge_location = fm_str(dd, "text");
	e->admit_source = fm_cc_code(json_object_get(hosp, "admitSource"));
}

static int participants(struct fm *m, const json_t *res, struct fhir_encounter *e)
{
	json_t *arr = json_object_get(res, "participant");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *p = json_array_get(arr, i);
		json_t *ind = json_object_get(p, "individual");
		const char *ref = fm_str(ind, "reference");
		if (!ref ||
		    (strncmp(ref, "Practitioner", 12) != 0 && !fhir_reader_full_url(m->r, ref)))
			continue; /* a RelatedPerson or a PractitionerRole: not a provider here */
		const char *type = fm_cc_code(json_array_get(json_object_get(p, "type"), 0));
		int adm = type && strcmp(type, "ADM") == 0;
		struct fhir_ref *slot = adm ? &e->admitting : &e->attending;
		if (slot->type)
			continue;
		if (fm_ref(m, ind, "participant.individual", "Practitioner", 1, slot))
			return FHIR_MAP_REJECT;
	}
	return 0;
}

/* Encounter.diagnosis entries that give a condition a role: rank 1 is the
 * principal diagnosis, use AD the admitting one; others are left out. */
static int enc_diagnoses(struct fm *m, const json_t *res, struct fhir_encounter *e)
{
	json_t *arr = json_object_get(res, "diagnosis");
	size_t n = json_array_size(arr);
	struct fhir_enc_dx *dx = mrt_arena_alloc(m->a, (n ? n : 1) * sizeof *dx);
	if (!dx) {
		m->nomem = 1;
		return FHIR_MAP_REJECT;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_array_get(arr, i);
		json_t *rank = json_object_get(d, "rank");
		const char *use = fm_cc_code(json_object_get(d, "use"));
		const char *kind = json_is_integer(rank) && json_integer_value(rank) == 1
				       ? "principal"
				   : use && strcmp(use, "AD") == 0 ? "admitting"
								   : NULL;
		if (!kind)
			continue;
		if (fm_ref(m, json_object_get(d, "condition"), "diagnosis.condition", "Condition",
			   1, &dx[e->n_dx].condition))
			return FHIR_MAP_REJECT;
		if (!dx[e->n_dx].condition.id)
			return fm_reject(
			    m, "Encounter.diagnosis.condition: not a Condition/id reference");
		dx[e->n_dx++].kind = kind;
	}
	e->dx = dx;
	return 0;
}

int fm_encounter(struct fm *m, const json_t *res, struct fhir_res *out)
{
	struct fhir_encounter *e = &out->u.encounter;
	json_t *ids = json_object_get(res, "identifier");
	for (size_t i = 0; i < json_array_size(ids) && !e->account; i++) {
		const char *v = fm_str(json_array_get(ids, i), "value");
		e->account = v && *v ? v : NULL;
	}
	const char *status = fm_str(res, "status");
	e->status = enc_status(status);
	if (status && !e->status)
		return fm_reject(m, "Encounter.status is not an R4 encounter status");
	e->klass = enc_class(fm_str(json_object_get(res, "class"), "code"));
	json_t *period = json_object_get(res, "period");
	if (fm_date(m, fm_str(period, "start"), "period.start", &e->start) ||
	    fm_date(m, fm_str(period, "end"), "period.end", &e->end))
		return FHIR_MAP_REJECT;
	disposition(json_object_get(res, "hospitalization"), e);
	e->facility = fm_str(json_object_get(res, "serviceProvider"), "display");
	json_t *st = json_object_get(res, "serviceType");
	e->service = fm_str(st, "text");
	json_t *reason = json_array_get(json_object_get(res, "reasonCode"), 0);
	e->reason = fm_str(reason, "text");
	if (!e->reason)
		e->reason = fm_str(json_array_get(json_object_get(reason, "coding"), 0), "display");
	if (fm_ref(m, json_object_get(res, "subject"), "subject", "Patient", 1, &e->subject) ||
	    enc_diagnoses(m, res, e))
		return FHIR_MAP_REJECT;
	return participants(m, res, e);
}

/* ---- Condition, Procedure ------------------------------------------------------ */

/* A code the chart can store: the preferred coding must name its system
 * (the ICD-10-CM one, else the first coding that has a system). */
static int need_code(struct fm *m, const json_t *res, struct fhir_codeable *cc)
{
	fm_codeable(m, json_object_get(res, "code"), cc);
	if (m->nomem)
		return FHIR_MAP_REJECT;
	if (cc->n == 0)
		return fm_reject(m, "%s.code has no coding with a code", m->type);
	if (*cc->coding[cc->preferred].system)
		return 0;
	for (size_t i = 0; i < cc->n; i++)
		if (*cc->coding[i].system) {
			cc->preferred = i;
			return 0;
		}
	return fm_reject(m, "%s.code has no coding with a system", m->type);
}

int fm_condition(struct fm *m, const json_t *res, struct fhir_res *out)
{
	struct fhir_condition *c = &out->u.condition;
	if (need_code(m, res, &c->code))
		return FHIR_MAP_REJECT;
	c->category = fm_cc_code(json_array_get(json_object_get(res, "category"), 0));
	const char *onset = fm_str(res, "onsetDateTime");
	if (!onset)
		onset = fm_str(json_object_get(res, "onsetPeriod"), "start");
	if (fm_date(m, onset, "onset", &c->onset) ||
	    fm_ref(m, json_object_get(res, "subject"), "subject", "Patient", 1, &c->subject) ||
	    fm_ref(m, json_object_get(res, "encounter"), "encounter", "Encounter", 0,
		   &c->encounter))
		return FHIR_MAP_REJECT;
	return 0;
}

int fm_procedure(struct fm *m, const json_t *res, struct fhir_res *out)
{
	struct fhir_procedure *p = &out->u.procedure;
	if (need_code(m, res, &p->code))
		return FHIR_MAP_REJECT;
	p->status = fm_str(res, "status");
	const char *at = fm_str(res, "performedDateTime");
	if (!at)
		at = fm_str(json_object_get(res, "performedPeriod"), "start");
	if (fm_date(m, at, "performed", &p->performed_at) ||
	    fm_ref(m, json_object_get(res, "subject"), "subject", "Patient", 1, &p->subject) ||
	    fm_ref(m, json_object_get(res, "encounter"), "encounter", "Encounter", 0,
		   &p->encounter))
		return FHIR_MAP_REJECT;
	json_t *perf =
	    json_object_get(json_array_get(json_object_get(res, "performer"), 0), "actor");
	const char *ref = fm_str(perf, "reference");
	if (ref && (strncmp(ref, "Practitioner", 12) == 0 || fhir_reader_full_url(m->r, ref)))
		return fm_ref(m, perf, "performer.actor", "Practitioner", 1, &p->performer);
	return 0;
}

/* ---- DocumentReference ------------------------------------------------------------ */

static const char *doc_status(const char *status, const char *doc_status)
{
	static const char *const ds[][2] = {
	    {"preliminary", "in-progress"},
	    {"final", "signed"},
	    {"amended", "amended"},
	    {"entered-in-error", "cancelled"},
	};
	static const char *const st[][2] = {
	    {"current", "signed"},
	    {"superseded", "signed"},
	    {"entered-in-error", "cancelled"},
	};
	if (doc_status)
		return map_word(doc_status, ds, sizeof ds / sizeof ds[0]);
	return map_word(status, st, sizeof st / sizeof st[0]);
}

/* attachment.data: base64 of UTF-8 text with no NUL, kept as text. */
static int attachment_text(struct fm *m, const char *b64, struct fhir_document *d)
{
	size_t n = strlen(b64), len = 0;
	unsigned char *bin = mrt_arena_alloc(m->a, n / 4 * 3 + 4);
	if (!bin) {
		m->nomem = 1;
		return FHIR_MAP_REJECT;
	}
	if (sodium_base642bin(bin, n / 4 * 3 + 3, b64, n, " \r\n\t", &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return fm_reject(m, "DocumentReference.content.attachment.data is not base64");
	json_t *check = json_stringn((const char *)bin, len);
	int ok = check && !memchr(bin, '\0', len);
	json_decref(check);
	if (!ok)
		return fm_reject(m, "DocumentReference.content.attachment.data is not UTF-8 text");
	bin[len] = '\0';
	d->text = (const char *)bin;
	return 0;
}

static int doc_refs(struct fm *m, const json_t *res, struct fhir_document *d)
{
	json_t *ctx_enc = json_object_get(json_object_get(res, "context"), "encounter");
	if (json_is_array(ctx_enc))
		ctx_enc = json_array_get(ctx_enc, 0);
	if (fm_ref(m, json_object_get(res, "subject"), "subject", "Patient", 1, &d->subject) ||
	    fm_ref(m, ctx_enc, "context.encounter", "Encounter", 0, &d->encounter))
		return FHIR_MAP_REJECT;
	json_t *author = json_array_get(json_object_get(res, "author"), 0);
	const char *ref = fm_str(author, "reference");
	if (ref && (strncmp(ref, "Practitioner", 12) == 0 || fhir_reader_full_url(m->r, ref)))
		return fm_ref(m, author, "author", "Practitioner", 1, &d->author);
	return 0;
}

int fm_document(struct fm *m, const json_t *res, struct fhir_res *out)
{
	struct fhir_document *d = &out->u.document;
	struct fhir_codeable type;
	fm_codeable(m, json_object_get(res, "type"), &type);
	if (type.n) {
		d->type = type.coding[type.preferred].code;
		d->type_system = type.coding[type.preferred].system;
	}
	json_t *att =
	    json_object_get(json_array_get(json_object_get(res, "content"), 0), "attachment");
	d->title = fm_str(res, "description");
	if (!d->title)
		d->title = fm_str(att, "title");
	if (!d->title)
		d->title = type.text;
	const char *status = fm_str(res, "status"), *ds = fm_str(res, "docStatus");
	d->status = doc_status(status, ds);
	if (!d->status)
		return fm_reject(m, "DocumentReference.%s is missing or not an R4 code",
				 ds ? "docStatus" : "status");
	if (fm_date(m, fm_str(res, "date"), "date", &d->written_at))
		return FHIR_MAP_REJECT;
	if (!att)
		return fm_reject(m, "DocumentReference.content.attachment is missing");
	d->content_type = fm_str(att, "contentType");
	d->url = fm_str(att, "url");
	const char *data = fm_str(att, "data");
	if (data && attachment_text(m, data, d))
		return FHIR_MAP_REJECT;
	return doc_refs(m, res, d);
}
