/*
 * One mapped FHIR resource into the chart (see import_fhir.h): references
 * resolved against this run's resources first, then the chart (source_ref
 * for "Type/id", identifiers for conditional references); a reference that
 * resolves nowhere makes the resource a reject. Conditions and procedures
 * are queued for the per-encounter coding merge at the end of the run.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart/chart_export.h"
#include "service/import_fhir_int.h"

int imp_why(struct imp *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->why, sizeof m->why, fmt, ap);
	va_end(ap);
	return FHIR_MAP_REJECT;
}

static const char *fhir_prefixed(struct imp *m, const char *id)
{
	size_t n = strlen(id) + 6;
	char *p = mrt_arena_alloc(m->a, n);
	if (p)
		snprintf(p, n, "fhir:%s", id);
	return p;
}

static int remember(struct imp *m, const char *type, const char *id, int64_t row, int64_t pat,
		    mrt_err *err)
{
	char key[160];
	snprintf(key, sizeof key, "%s/%s", type, id);
	json_t *v = json_pack("[II]", (json_int_t)row, (json_int_t)pat);
	if (!v || json_object_set_new(m->ids, key, v) != 0)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	return 0;
}

/* 1 found in this run, 0 not. */
static int recall(struct imp *m, const struct fhir_ref *ref, int64_t *row, int64_t *pat)
{
	char key[160];
	snprintf(key, sizeof key, "%s/%s", ref->type, ref->id);
	json_t *v = json_object_get(m->ids, key);
	if (!v)
		return 0;
	*row = json_integer_value(json_array_get(v, 0));
	if (pat)
		*pat = json_integer_value(json_array_get(v, 1));
	return 1;
}

/* 0 = found, FHIR_MAP_REJECT = not found, < 0 = failure. */
static int found(struct imp *m, int rc, const char *path, mrt_err *err, const mrt_err *e)
{
	if (rc == 0)
		return 0;
	m->unresolved = rc == MRT_ENOTFOUND;
	if (rc == MRT_ENOTFOUND || rc == MRT_EAMBIG)
		return imp_why(m, "%s: unresolvable reference%s", path,
			       rc == MRT_EAMBIG ? " (several records match)" : "");
	return mrt_err_set(err, rc, "%s", e->msg);
}

static int resolve_patient(struct imp *m, const struct fhir_ref *ref, int64_t *pat, mrt_err *err)
{
	mrt_err e = {0};
	int rc;
	if (ref->id && recall(m, ref, pat, NULL))
		return 0;
	if (ref->id)
		rc = chart_patient_by_source_ref(m->db, "fhir", ref->id, pat, &e);
	else
		rc = chart_patient_by_ident(m->db, *ref->system ? ref->system : NULL, ref->value,
					    pat, &e);
	return found(m, rc, "subject", err, &e);
}

static int resolve_encounter(struct imp *m, const struct fhir_ref *ref, int64_t *enc, int64_t *pat,
			     mrt_err *err)
{
	mrt_err e = {0};
	int rc;
	if (ref->id && recall(m, ref, enc, pat))
		return 0;
	if (ref->id)
		rc = chart_encounter_by_source_ref(m->db, "fhir", ref->id, enc, pat, &e);
	else
		rc = chart_encounter_by_account(m->db, ref->value, enc, pat, &e);
	return found(m, rc, "encounter", err, &e);
}

/* A provider by a run's Practitioner, a conditional reference (put from
 * the identifier and display), or one stored before as "fhir:<id>". 0 when
 * the reference is absent. */
static int resolve_provider(struct imp *m, const struct fhir_ref *ref, int64_t *prov, mrt_err *err)
{
	*prov = 0;
	if (!ref->type)
		return 0;
	mrt_err e = {0};
	int rc;
	if (ref->id && recall(m, ref, prov, NULL))
		return 0;
	if (ref->id) {
		/* A Practitioner of an earlier run: by its id, kept as source_ref. */
		rc = chart_provider_by_source_ref(m->db, ref->id, prov, &e);
		if (rc != MRT_ENOTFOUND)
			return found(m, rc, "practitioner", err, &e);
		const char *ident = fhir_prefixed(m, ref->id);
		if (!ident)
			return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
		rc = chart_provider_find(m->db, "", ident, prov, &e);
		return found(m, rc, "practitioner", err, &e);
	}
	struct chart_provider p = {
	    .system = ref->system, .ident = ref->value, .name = ref->display};
	int changed = 0;
	rc = chart_provider_put(m->db, &m->c, &p, prov, &changed, err);
	if (rc == 0 && changed)
		m->from_refs++;
	return rc;
}

static int put_labels(struct imp *m, const struct fhir_res *res, int64_t pat, const char *type,
		      int64_t id, int *changed, mrt_err *err)
{
	for (size_t i = 0; i < res->n_labels; i++) {
		const struct fhir_label *l = &res->labels[i];
		int ch = 0;
		int rc = chart_label_put(m->db, &m->c, pat, type, id, l->system, l->code,
					 l->display, &ch, err);
		if (rc)
			return rc;
		if (ch) {
			*changed = 1;
			m->labels++;
		}
	}
	return 0;
}

static void count(struct imp *m, enum fhir_type t, int existed, int changed)
{
	m->cnt[t][!existed ? C_CREATED : changed ? C_UPDATED : C_UNCHANGED]++;
}

/* ---- Patient, Practitioner ----------------------------------------------------- */

static int patient_names(struct imp *m, const struct fhir_patient *f, struct chart_patient *p)
{
	struct chart_name *n = mrt_arena_alloc(m->a, (f->n_names + 1) * sizeof *n);
	if (!n)
		return MRT_ENOMEM;
	for (size_t i = 0; i < f->n_names; i++) {
		const struct fhir_name *x = &f->names[i];
		if (i == f->official) {
			p->family = x->family;
			p->given = x->given;
			p->middle = x->middle;
			p->prefix = x->prefix;
			p->suffix = x->suffix;
			continue;
		}
		n[p->n_names++] = (struct chart_name){x->use,	 x->family, x->given,
						      x->middle, x->prefix, x->suffix};
	}
	p->names = n;
	return 0;
}

static int patient_idents(struct imp *m, const struct fhir_res *res, struct chart_patient *p)
{
	const struct fhir_patient *f = &res->u.patient;
	struct chart_ident *x = mrt_arena_alloc(m->a, (f->n_idents + 1) * sizeof *x);
	if (!x)
		return MRT_ENOMEM;
	for (size_t i = 0; i < f->n_idents; i++)
		x[i] = (struct chart_ident){f->idents[i].system, f->idents[i].type,
					    f->idents[i].value};
	p->idents = x;
	p->n_idents = f->n_idents;
	if (f->n_idents) {
		p->mrn = f->idents[f->mrn].value;
		p->mrn_system = f->idents[f->mrn].system;
	} else {
		p->mrn = fhir_prefixed(m, res->id);
	}
	return p->mrn ? 0 : MRT_ENOMEM;
}

static int apply_patient(struct imp *m, const struct fhir_res *res, mrt_err *err)
{
	const struct fhir_patient *f = &res->u.patient;
	struct chart_patient p;
	chart_patient_init(&p);
	if (patient_idents(m, res, &p) || patient_names(m, f, &p))
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	p.birth_date = f->birth_date;
	p.sex = f->sex;
	p.address_line = f->address_line;
	p.city = f->city;
	p.state = f->state;
	p.postal_code = f->postal_code;
	p.country = f->country;
	p.phone_home = f->phone_home;
	p.phone_work = f->phone_work;
	p.phone_mobile = f->phone_mobile;
	p.marital_status = f->marital_status;
	p.race = f->race;
	p.ethnicity = f->ethnicity;
	p.language = f->language;
	p.deceased = f->deceased;
	p.death_at = f->death_at;
	p.source_ref = res->id;
	int64_t id = 0;
	mrt_err e = {0};
	int existed = chart_patient_by_mrn(m->db, p.mrn, &id, &e) == 0, changed = 0;
	int rc = chart_patient_put(m->db, &m->c, &p, &id, &changed, err);
	if (rc == 0)
		rc = put_labels(m, res, id, "patient", id, &changed, err);
	if (rc == 0)
		rc = remember(m, "Patient", res->id, id, id, err);
	if (rc == 0)
		count(m, FHIR_PATIENT, existed, changed);
	return rc;
}

static int apply_practitioner(struct imp *m, const struct fhir_res *res, mrt_err *err)
{
	const struct fhir_practitioner *f = &res->u.practitioner;
	struct chart_provider p = {.system = f->system ? f->system : "",
				   .ident = f->ident,
				   .name = f->name,
				   .family = f->family,
				   .given = f->given,
				   .specialty = f->specialty,
				   .source_ref = res->id};
	if (!p.ident)
		p.ident = fhir_prefixed(m, res->id);
	if (!p.ident)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	int64_t id = 0;
	mrt_err e = {0};
	int existed = chart_provider_find(m->db, p.system, p.ident, &id, &e) == 0, changed = 0;
	int rc = chart_provider_put(m->db, &m->c, &p, &id, &changed, err);
	if (rc == 0)
		rc = remember(m, "Practitioner", res->id, id, 0, err);
	if (rc == 0)
		count(m, FHIR_PRACTITIONER, existed, changed);
	return rc;
}

/* ---- Encounter ----------------------------------------------------------------- */

static int apply_encounter(struct imp *m, const struct fhir_res *res, mrt_err *err)
{
	const struct fhir_encounter *f = &res->u.encounter;
	int64_t pat = 0, id = 0;
	struct chart_encounter e;
	chart_encounter_init(&e);
	int rc = resolve_patient(m, &f->subject, &pat, err);
	if (rc == 0)
		rc = resolve_provider(m, &f->attending, &e.attending_id, err);
	if (rc == 0)
		rc = resolve_provider(m, &f->admitting, &e.admitting_id, err);
	if (rc)
		return rc;
	e.account = f->account ? f->account : fhir_prefixed(m, res->id);
	if (!e.account)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	e.klass = f->klass;
	e.status = f->status;
	e.admit_at = f->start;
	e.discharge_at = f->end;
	e.admit_source = f->admit_source;
	e.discharge_status = f->discharge_status;
	e.discharge_location = f->discharge_location;
	e.service = f->service;
	e.facility = f->facility;
	e.reason = f->reason;
	e.source_ref = res->id;
	mrt_err ee = {0};
	int64_t old_pat = 0;
	int existed = chart_encounter_by_account(m->db, e.account, &id, &old_pat, &ee) == 0;
	if (existed && old_pat != pat)
		return imp_why(m, "Encounter.identifier: the account belongs to another patient");
	int changed = 0;
	rc = chart_encounter_put(m->db, &m->c, pat, &e, &id, &changed, err);
	if (rc == 0)
		rc = put_labels(m, res, pat, "encounter", id, &changed, err);
	if (rc == 0)
		rc = remember(m, "Encounter", res->id, id, pat, err);
	for (size_t i = 0; rc == 0 && i < f->n_dx; i++)
		if (json_object_set_new(m->kinds, f->dx[i].condition.id,
					json_string(f->dx[i].kind)))
			rc = mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	if (rc == 0)
		count(m, FHIR_ENCOUNTER, existed, changed);
	return rc;
}

/* ---- Condition, Procedure ------------------------------------------------------- */

static char *keep(struct imp *m, const char *s)
{
	return s ? mrt_arena_strdup(m->run, s) : NULL;
}

static int queue_item(struct imp *m, const struct fhir_res *res, int64_t enc, int64_t pat,
		      int64_t surgeon, mrt_err *err)
{
	int is_px = res->type == FHIR_PROCEDURE;
	const struct fhir_codeable *cc = is_px ? &res->u.procedure.code : &res->u.condition.code;
	const struct fhir_coding *c = &cc->coding[cc->preferred];
	if (m->n_pend == m->cap_pend) {
		size_t cap = m->cap_pend ? m->cap_pend * 2 : 256;
		struct imp_pend *p = realloc(m->pend, cap * sizeof *p);
		if (!p)
			return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
		m->pend = p;
		m->cap_pend = cap;
	}
	struct imp_pend *p = &m->pend[m->n_pend];
	*p = (struct imp_pend){
	    .enc = enc, .pat = pat, .surgeon = surgeon, .is_px = is_px, .order = m->n_pend};
	p->system = keep(m, c->system);
	p->code = keep(m, c->code);
	p->display = keep(m, c->display ? c->display : cc->text);
	p->when = keep(m, is_px ? res->u.procedure.performed_at : res->u.condition.onset);
	p->ref = keep(m, res->id);
	p->kind = json_string_value(json_object_get(m->kinds, res->id)); /* lives with m->kinds */
	if (!p->system || !p->code || !p->ref)
		return mrt_err_set(err, MRT_ENOMEM, "import fhir: out of memory");
	m->n_pend++;
	return 0;
}

static int apply_coded(struct imp *m, const struct fhir_res *res, mrt_err *err)
{
	int is_px = res->type == FHIR_PROCEDURE;
	const struct fhir_ref *subject =
	    is_px ? &res->u.procedure.subject : &res->u.condition.subject;
	const struct fhir_ref *encounter =
	    is_px ? &res->u.procedure.encounter : &res->u.condition.encounter;
	int64_t pat = 0, enc = 0, epat = 0, surgeon = 0;
	int rc = resolve_patient(m, subject, &pat, err);
	if (rc)
		return rc;
	if (!encounter->type) {
		rc = imp_skip_reason(m,
				     is_px ? "Procedure with no encounter (a coding belongs to an"
					     " encounter)"
					   : "Condition with no encounter (a coding belongs to an"
					     " encounter)",
				     err);
		return rc ? rc : FHIR_MAP_SKIP;
	}
	rc = resolve_encounter(m, encounter, &enc, &epat, err);
	if (rc == 0 && is_px)
		rc = resolve_provider(m, &res->u.procedure.performer, &surgeon, err);
	if (rc)
		return rc;
	if (epat != pat)
		return imp_why(m, "subject is not the patient of the encounter");
	return queue_item(m, res, enc, pat, surgeon, err);
}

/* ---- DocumentReference ------------------------------------------------------------ */

static int apply_document(struct imp *m, const struct fhir_res *res, mrt_err *err)
{
	const struct fhir_document *f = &res->u.document;
	int64_t pat = 0, epat = 0, id = 0;
	struct chart_document d = {.doc_ref = res->id,
				   .type = f->type,
				   .type_system = f->type_system,
				   .title = f->title,
				   .status = f->status,
				   .written_at = f->written_at,
				   .content_type = f->content_type,
				   .text = f->text,
				   .url = f->url};
	int rc = resolve_patient(m, &f->subject, &pat, err);
	if (rc == 0 && f->encounter.type)
		rc = resolve_encounter(m, &f->encounter, &d.encounter_id, &epat, err);
	if (rc == 0)
		rc = resolve_provider(m, &f->author, &d.author_id, err);
	if (rc)
		return rc;
	if (d.encounter_id && epat != pat)
		return imp_why(m, "subject is not the patient of the encounter");
	int existed = 0, changed = 0;
	rc = chart_export_doc_exists(m->db, res->id, &existed, err);
	if (rc == 0)
		rc = chart_document_put(m->db, &m->c, pat, &d, &id, &changed, err);
	if (rc == 0)
		rc = put_labels(m, res, pat, "document", id, &changed, err);
	if (rc == 0)
		count(m, FHIR_DOCUMENT, existed, changed);
	return rc;
}

int imp_apply(struct imp *m, const struct fhir_res *res, mrt_err *err)
{
	switch (res->type) {
	case FHIR_PATIENT:
		return apply_patient(m, res, err);
	case FHIR_PRACTITIONER:
		return apply_practitioner(m, res, err);
	case FHIR_ENCOUNTER:
		return apply_encounter(m, res, err);
	case FHIR_CONDITION:
	case FHIR_PROCEDURE:
		return apply_coded(m, res, err);
	case FHIR_DOCUMENT:
		return apply_document(m, res, err);
	default:
		return FHIR_MAP_SKIP;
	}
}
