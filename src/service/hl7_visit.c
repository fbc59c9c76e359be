/*
 * HL7 v2 to the chart: the visit (PV1, PV2, IN1) as an encounter, DG1 and
 * PR1 as its coding, ARV segments and confidentiality fields as labels.
 */
#include <string.h>

#include "service/hl7_int.h"

#define MAX_CODES 256

#define SYS_0717 "http://terminology.hl7.org/CodeSystem/v2-0717"
#define SYS_0099 "http://terminology.hl7.org/CodeSystem/v2-0099"
#define SYS_0136 "http://terminology.hl7.org/CodeSystem/v2-0136"

/* HL7 table 0004 (patient class); NULL when it says nothing usable. */
static const char *patient_class(const char *c)
{
	if (!c)
		return NULL;
	if (!strcmp(c, "I") || !strcmp(c, "B") || !strcmp(c, "P"))
		return "inpatient";
	if (!strcmp(c, "O") || !strcmp(c, "R") || !strcmp(c, "C"))
		return "outpatient";
	if (!strcmp(c, "E"))
		return "emergency";
	if (!strcmp(c, "OBS") || !strcmp(c, "V"))
		return "observation";
	return NULL;
}

static int two_digits(const char *s)
{
	return s && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && !s[2];
}

static const char *payer(struct hl7_map *x, long pv1)
{
	long in1 = hl7_seg_find(x->m, "IN1", 1);
	const char *v = hm_get(x, in1, 4, 1, 1, 1);
	if (!v)
		v = hm_get(x, in1, 3, 1, 1, 1);
	if (!v)
		v = hm_get(x, pv1, 20, 1, 1, 1);
	return v;
}

static int visit_times(struct hl7_map *x, long pv1, struct chart_encounter *e)
{
	int rc = hm_time(x, pv1, 44, 1, 1, 0, &e->admit_at);
	if (rc == 0)
		rc = hm_time(x, pv1, 45, 1, 1, 0, &e->discharge_at);
	return rc;
}

static int visit_providers(struct hl7_map *x, long pv1, struct chart_encounter *e, mrt_err *err)
{
	int rc = hm_provider(x, pv1, 7, 1, &e->attending_id, err);
	if (rc == 0)
		rc = hm_provider(x, pv1, 17, 1, &e->admitting_id, err);
	return rc;
}

int hm_encounter(struct hl7_map *x, const char *status, const char *klass, int64_t *id,
		 mrt_err *err)
{
	struct chart_encounter e;
	chart_encounter_init(&e);
	*id = 0;
	long pid = hl7_seg_find(x->m, "PID", 1), pv1 = hl7_seg_find(x->m, "PV1", 1);
	long pv2 = hl7_seg_find(x->m, "PV2", 1);
	e.visit_number = hm_get(x, pv1, 19, 1, 1, 1);
	e.account = hm_get(x, pid, 18, 1, 1, 1);
	if (!e.account || !*e.account)
		e.account = e.visit_number;
	if (!e.account || !*e.account)
		return 0;
	e.klass = patient_class(hm_get(x, pv1, 2, 1, 1, 1));
	if (!e.klass)
		e.klass = klass;
	e.status = status;
	e.unit = hm_get(x, pv1, 3, 1, 1, 1);
	e.room = hm_get(x, pv1, 3, 1, 2, 1);
	e.bed = hm_get(x, pv1, 3, 1, 3, 1);
	e.facility = hm_get(x, pv1, 3, 1, 4, 1);
	e.admit_type = hm_get(x, pv1, 4, 1, 1, 1);
	e.service = hm_get(x, pv1, 10, 1, 1, 1);
	e.admit_source = hm_get(x, pv1, 14, 1, 1, 1);
	const char *disp = hm_get(x, pv1, 36, 1, 1, 1);
	if (two_digits(disp))
		e.discharge_status = disp;
	else
		e.discharge_location = disp;
	if (!e.discharge_location)
		e.discharge_location = hm_get(x, pv1, 37, 1, 1, 1);
	e.payer = payer(x, pv1);
	e.reason = hm_get(x, pv2, 3, 1, 2, 1);
	if (!e.reason)
		e.reason = hm_get(x, pv2, 3, 1, 1, 1);
	int rc = visit_times(x, pv1, &e);
	if (rc == 0)
		rc = visit_providers(x, pv1, &e, err);
	if (rc)
		return rc;
	if (!e.discharge_at)
		e.discharge_at = x->discharge_at;
	if (x->clear_discharge) {
		e.discharge_at = "";
		e.discharge_status = "";
		e.discharge_location = "";
	}
	int changed = 0;
	rc = chart_encounter_put(x->db, x->ctx, x->patient_id, &e, id, &changed, err);
	if (rc == 0 && changed)
		x->changed = 1;
	return hm_chart(x, pv1 >= 0 ? pv1 : pid, pv1 >= 0 ? 19 : 18, rc, err);
}

static int label(struct hl7_map *x, long seg, unsigned field, const char *type, int64_t obj,
		 const char *sys, const char *code, const char *display, mrt_err *err)
{
	int changed = 0;
	int rc = chart_label_put(x->db, x->ctx, x->patient_id, type, obj, sys, code, display,
				 &changed, err);
	if (rc == 0 && changed)
		x->changed = 1;
	return hm_chart(x, seg, field, rc, err);
}

int hm_labels(struct hl7_map *x, mrt_err *err)
{
	long pv1 = hl7_seg_find(x->m, "PV1", 1);
	int rc = 0;
	for (unsigned occ = 1; rc == 0; occ++) {
		long arv = hl7_seg_find(x->m, "ARV", occ);
		if (arv < 0)
			break;
		const char *action = hm_get(x, arv, 2, 1, 1, 1);
		const char *code = hm_get(x, arv, 3, 1, 1, 1);
		if (!code || !*code || (action && strcmp(action, "D") == 0))
			continue;
		int on_visit = pv1 >= 0 && arv > pv1 && x->encounter_id;
		rc = label(x, arv, 3, on_visit ? "encounter" : "patient",
			   on_visit ? x->encounter_id : x->patient_id, SYS_0717, code,
			   hm_get(x, arv, 3, 1, 2, 1), err);
	}
	const char *vip = hm_get(x, pv1, 16, 1, 1, 1);
	if (rc == 0 && vip && *vip && x->encounter_id)
		rc = label(x, pv1, 16, "encounter", x->encounter_id, SYS_0099, vip, NULL, err);
	long pd1 = hl7_seg_find(x->m, "PD1", 1);
	const char *prot = hm_get(x, pd1, 12, 1, 1, 1);
	if (rc == 0 && prot && strcmp(prot, "Y") == 0)
		rc = label(x, pd1, 12, "patient", x->patient_id, SYS_0136, prot, NULL, err);
	return rc;
}

static const char *code_system(struct hl7_map *x, long seg, unsigned field, unsigned method)
{
	const char *name = hm_get(x, seg, field, 1, 3, 1);
	if (!name && method)
		name = hm_get(x, seg, method, 1, 1, 1);
	if (!name)
		return "";
	const char *uri = chart_system_uri(name);
	return uri ? uri : name;
}

static int one_dx(struct hl7_map *x, long seg, struct chart_dx *d)
{
	d->code = hm_get(x, seg, 3, 1, 1, 1);
	if (!d->code || !*d->code)
		return hm_fail(x, seg, 3, HL7_ERR_REQUIRED_FIELD, "DG1-3: no diagnosis code");
	d->display = hm_get(x, seg, 3, 1, 2, 1);
	if (!d->display)
		d->display = hm_get(x, seg, 4, 1, 1, 1);
	d->system = code_system(x, seg, 3, 2);
	const char *type = hm_get(x, seg, 6, 1, 1, 1), *prio = hm_get(x, seg, 15, 1, 1, 1);
	d->kind = prio && strcmp(prio, "1") == 0   ? "principal"
		  : type && strcmp(type, "A") == 0 ? "admitting"
						   : "secondary";
	d->poa = hm_get(x, seg, 26, 1, 1, 1);
	d->source_ref = hm_get(x, seg, 20, 1, 1, 1);
	return hm_time(x, seg, 5, 1, 1, 0, &d->onset);
}

static int one_px(struct hl7_map *x, long seg, struct chart_px *p, mrt_err *err)
{
	p->code = hm_get(x, seg, 3, 1, 1, 1);
	if (!p->code || !*p->code)
		return hm_fail(x, seg, 3, HL7_ERR_REQUIRED_FIELD, "PR1-3: no procedure code");
	p->display = hm_get(x, seg, 3, 1, 2, 1);
	if (!p->display)
		p->display = hm_get(x, seg, 4, 1, 1, 1);
	p->system = code_system(x, seg, 3, 2);
	p->source_ref = hm_get(x, seg, 19, 1, 1, 1);
	int rc = hm_time(x, seg, 5, 1, 1, 0, &p->performed_at);
	if (rc == 0)
		rc = hm_provider(x, seg, 11, 1, &p->surgeon_id, err);
	if (rc == 0 && !p->surgeon_id)
		rc = hm_provider(x, seg, 12, 1, &p->surgeon_id, err);
	return rc;
}

int hm_coding(struct hl7_map *x, mrt_err *err)
{
	struct chart_dx *dx = mrt_arena_alloc(x->a, MAX_CODES * sizeof *dx);
	struct chart_px *px = mrt_arena_alloc(x->a, MAX_CODES * sizeof *px);
	if (!dx || !px)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	struct chart_coding_change ch = {
	    .dx_mode = CHART_KEEP, .px_mode = CHART_KEEP, .dx = dx, .px = px};
	long first = -1;
	int rc = 0;
	for (size_t i = 0; i < x->m->nsegs && rc == 0; i++) {
		const char *id = x->m->segs[i].id;
		if (strcmp(id, "DG1") != 0 && strcmp(id, "PR1") != 0)
			continue;
		if (first < 0)
			first = (long)i;
		if (ch.n_dx >= MAX_CODES || ch.n_px >= MAX_CODES)
			return hm_fail(x, (long)i, 0, HL7_ERR_SEGMENT_SEQUENCE,
				       "more than %d DG1 or PR1 "
				       "segments",
				       MAX_CODES);
		if (id[0] == 'D') {
			ch.dx_mode = CHART_REPLACE;
			rc = one_dx(x, (long)i, &dx[ch.n_dx++]);
		} else {
			ch.px_mode = CHART_REPLACE;
			rc = one_px(x, (long)i, &px[ch.n_px++], err);
		}
	}
	if (rc || first < 0)
		return rc;
	if (!x->encounter_id)
		return hm_fail(x, first, 0, HL7_ERR_REQUIRED_FIELD,
			       "%s: no account (PID-18 or "
			       "PV1-19) to code",
			       x->m->segs[first].id);
	int64_t coding = 0;
	int changed = 0;
	rc = chart_coding_apply(x->db, x->ctx, x->patient_id, x->encounter_id, &ch, &coding,
				&changed, err);
	if (rc == 0 && changed)
		x->changed = 1;
	return hm_chart(x, first, 3, rc, err);
}
