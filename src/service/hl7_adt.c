/*
 * HL7 v2 ADT (and BAR) events to the chart: admissions, transfers,
 * discharges, registrations, class changes, updates, cancels, person
 * records, links, merges (a pending merge until the master patient index
 * takes them), account merges, visit moves and identifier changes.
 */
#include <string.h>

#include "chart/message_log.h"
#include "service/hl7_int.h"

enum { V_NONE, V_OPTIONAL, V_REQUIRED };

struct adt_event {
	const char *trigger;
	const char *status;   /* encounter status it sets, NULL = as stored */
	const char *klass;    /* class when PV1-2 gives none */
	int visit;	      /* V_*: the encounter it needs */
	const char *transfer; /* transfer event it records, or NULL */
};

static const struct adt_event events[] = {
    {"A01", "in-progress", "inpatient", V_REQUIRED, "admit"},
    {"A02", "in-progress", NULL, V_REQUIRED, "transfer"},
    {"A03", "finished", NULL, V_REQUIRED, NULL},
    {"A04", "in-progress", "outpatient", V_REQUIRED, NULL},
    {"A05", "planned", NULL, V_REQUIRED, NULL},
    {"A06", NULL, "inpatient", V_REQUIRED, NULL},
    {"A07", NULL, "outpatient", V_REQUIRED, NULL},
    {"A08", NULL, NULL, V_OPTIONAL, NULL},
    {"A09", NULL, NULL, V_OPTIONAL, NULL},
    {"A10", NULL, NULL, V_OPTIONAL, NULL},
    {"A11", "cancelled", NULL, V_REQUIRED, NULL},
    {"A12", NULL, NULL, V_REQUIRED, "cancel-transfer"},
    {"A13", "in-progress", NULL, V_REQUIRED, NULL},
    {"A14", "planned", NULL, V_OPTIONAL, NULL},
    {"A15", NULL, NULL, V_OPTIONAL, NULL},
    {"A16", NULL, NULL, V_OPTIONAL, NULL},
    {"A21", NULL, NULL, V_OPTIONAL, NULL},
    {"A22", NULL, NULL, V_OPTIONAL, NULL},
    {"A23", "cancelled", NULL, V_OPTIONAL, NULL},
    {"A25", NULL, NULL, V_OPTIONAL, NULL},
    {"A26", NULL, NULL, V_OPTIONAL, NULL},
    {"A27", "cancelled", NULL, V_OPTIONAL, NULL},
    {"A28", NULL, NULL, V_NONE, NULL},
    {"A31", NULL, NULL, V_NONE, NULL},
    {"A32", NULL, NULL, V_OPTIONAL, NULL},
    {"A33", NULL, NULL, V_OPTIONAL, NULL},
    {"A38", "cancelled", NULL, V_OPTIONAL, NULL},
    {"A60", NULL, NULL, V_OPTIONAL, NULL},
    /* BAR: accounts with their diagnoses and procedures */
    {"P01", NULL, NULL, V_REQUIRED, NULL},
    {"P02", NULL, NULL, V_OPTIONAL, NULL},
    {"P05", NULL, NULL, V_REQUIRED, NULL},
    {"P06", "finished", NULL, V_REQUIRED, NULL},
    {"P12", NULL, NULL, V_REQUIRED, NULL},
};

/* Events with a shape of their own (handled below). */
static const char *const special[] = {"A24", "A29", "A37", "A40", "A41", "A45", "A47"};

static const struct adt_event *event_of(const hl7_msg *m)
{
	int bar = strcmp(m->type, "BAR") == 0;
	if (!bar && strcmp(m->type, "ADT") != 0)
		return NULL;
	for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
		if (strcmp(events[i].trigger, m->trigger) == 0 &&
		    (events[i].trigger[0] == 'P') == bar)
			return &events[i];
	return NULL;
}

static int is_special(const hl7_msg *m)
{
	if (strcmp(m->type, "ADT") != 0)
		return 0;
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (strcmp(special[i], m->trigger) == 0)
			return 1;
	return 0;
}

int hl7_map_supported(const hl7_msg *m)
{
	if (strcmp(m->type, "MDM") == 0)
		return m->trigger[0] == 'T' && m->trigger[1] >= '0' && m->trigger[1] <= '1' &&
		       ((m->trigger[1] == '0' && m->trigger[2] >= '1' && m->trigger[2] <= '9') ||
			(m->trigger[1] == '1' && m->trigger[2] >= '0' && m->trigger[2] <= '1')) &&
		       !m->trigger[3];
	return event_of(m) != NULL || is_special(m);
}

/* When the event happened: EVN-6, else EVN-2. */
static int event_time(struct hl7_map *x, const char **at)
{
	long evn = hl7_seg_find(x->m, "EVN", 1);
	int rc = hm_time(x, evn, 6, 1, 1, 0, at);
	if (rc == 0 && !*at)
		rc = hm_time(x, evn, 2, 1, 1, 0, at);
	return rc;
}

static int transfer(struct hl7_map *x, const char *event, mrt_err *err)
{
	long pv1 = hl7_seg_find(x->m, "PV1", 1);
	struct chart_transfer t = {.source_ref = x->control_id, .event = event};
	t.unit = hm_get(x, pv1, 3, 1, 1, 1);
	t.room = hm_get(x, pv1, 3, 1, 2, 1);
	t.bed = hm_get(x, pv1, 3, 1, 3, 1);
	int rc = 0;
	if (strcmp(event, "admit") == 0)
		rc = hm_time(x, pv1, 44, 1, 1, 0, &t.in_at);
	if (rc == 0 && !t.in_at)
		rc = event_time(x, &t.in_at);
	if (rc)
		return rc;
	int changed = 0;
	rc = chart_transfer_put(x->db, x->ctx, x->patient_id, x->encounter_id, &t, &changed, err);
	if (rc == 0 && changed)
		x->changed = 1;
	return hm_chart(x, pv1, 3, rc, err);
}

static int no_visit(struct hl7_map *x)
{
	long pv1 = hl7_seg_find(x->m, "PV1", 1);
	return hm_fail(x, pv1 >= 0 ? pv1 : hl7_seg_find(x->m, "PID", 1), pv1 >= 0 ? 19 : 18,
		       HL7_ERR_REQUIRED_FIELD, "no account: PID-18 and PV1-19 are both empty");
}

static int visit_event(struct hl7_map *x, const struct adt_event *ev, mrt_err *err)
{
	int rc = hm_patient(x, hl7_seg_find(x->m, "PID", 1), &x->patient_id, err);
	if (rc == 0 && strcmp(ev->trigger, "A03") == 0)
		rc = event_time(x, &x->discharge_at);
	if (rc == 0 && ev->visit != V_NONE) {
		x->clear_discharge = strcmp(ev->trigger, "A13") == 0;
		rc = hm_encounter(x, ev->status, ev->klass, &x->encounter_id, err);
		if (rc == 0 && !x->encounter_id && ev->visit == V_REQUIRED)
			rc = no_visit(x);
	}
	if (rc == 0 && ev->transfer)
		rc = transfer(x, ev->transfer, err);
	if (rc == 0)
		rc = hm_labels(x, err);
	/* Person events (A28, A31) code no visit: their DG1/PR1 are not applied. */
	if (rc == 0 && ev->visit != V_NONE)
		rc = hm_coding(x, err);
	return rc;
}

static int link(struct hl7_map *x, struct chart_link *l, long seg, mrt_err *err)
{
	int64_t id = 0;
	l->source_ref = x->control_id;
	int rc = chart_link_put(x->db, x->ctx, l, &id, err);
	if (rc == 0)
		x->changed = 1;
	return hm_chart(x, seg, 1, rc, err);
}

/* A24 link, A37 unlink: the patients of the first two PID segments. */
static int link_event(struct hl7_map *x, int unlink, mrt_err *err)
{
	long p1 = hl7_seg_find(x->m, "PID", 1), p2 = hl7_seg_find(x->m, "PID", 2);
	if (p2 < 0)
		return hm_fail(x, p1, 0, HL7_ERR_SEGMENT_SEQUENCE,
			       "a second PID segment is required");
	int64_t other = 0;
	int rc = hm_patient(x, p1, &x->patient_id, err);
	if (rc == 0)
		rc = hm_patient(x, p2, &other, err);
	if (rc)
		return rc;
	if (other == x->patient_id)
		return hm_fail(x, p2, 3, HL7_ERR_DATA_TYPE,
			       "both PID segments name the same patient");
	const char *sys = NULL;
	struct chart_link l = {.patient_id = x->patient_id,
			       .other_patient_id = other,
			       .other_identifier = hm_mrn(x, p2, &sys),
			       .kind = unlink ? "unlink" : "link",
			       .status = "applied"};
	if (unlink) {
		rc = chart_link_find(x->db, "link", x->patient_id, other, &l.ends, err);
		if (rc == MRT_ENOTFOUND)
			rc = 0;
		if (rc)
			return hm_chart(x, p1, 3, rc, err);
	}
	return link(x, &l, p1, err);
}

/* A40: each PID (survivor) with the MRG after it (the record merged into
 * it), recorded as a pending merge. */
static int merge_event(struct hl7_map *x, mrt_err *err)
{
	int rc = 0;
	for (unsigned occ = 1; rc == 0; occ++) {
		long pid = hl7_seg_find(x->m, "PID", occ), mrg = hl7_seg_find(x->m, "MRG", occ);
		if (pid < 0 && occ > 1)
			break;
		int64_t survivor = 0, other = 0;
		rc = hm_patient(x, pid, &survivor, err);
		if (rc)
			break;
		if (occ == 1)
			x->patient_id = survivor;
		const char *old = hm_get(x, mrg, 1, 1, 1, 1);
		if (!old || !*old)
			return hm_fail(x, mrg >= 0 ? mrg : pid, 1, HL7_ERR_REQUIRED_FIELD,
				       "MRG-1: no prior patient identifier");
		rc = chart_patient_by_ident(x->db, NULL, old, &other, err);
		if (rc == MRT_ENOTFOUND)
			rc = chart_patient_by_mrn(x->db, old, &other, err);
		if (rc == MRT_ENOTFOUND || other == survivor)
			rc = 0, other = 0;
		if (rc)
			return hm_chart(x, mrg, 1, rc, err);
		struct chart_link l = {.patient_id = survivor,
				       .other_patient_id = other,
				       .other_identifier = old,
				       .kind = "merge",
				       .status = "pending"};
		rc = link(x, &l, mrg, err);
	}
	return rc;
}

/* An encounter by account, or by visit number when by_visit; *id 0 when
 * unknown, MRT_EAMBIG when several share the visit number. */
static int encounter_of(struct hl7_map *x, const char *key, int by_visit, int64_t *id,
			int64_t *patient, mrt_err *err)
{
	*id = 0;
	if (!key || !*key)
		return 0;
	int rc = by_visit ? chart_encounter_by_visit(x->db, key, id, patient, err)
			  : chart_encounter_by_account(x->db, key, id, patient, err);
	if (rc == MRT_ENOTFOUND) {
		*id = 0;
		return 0;
	}
	return rc;
}

/* A41: the account of PID-18/PV1-19 absorbs the prior account MRG-3. */
static int account_merge(struct hl7_map *x, mrt_err *err)
{
	long mrg = hl7_seg_find(x->m, "MRG", 1);
	const char *prior = hm_get(x, mrg, 3, 1, 1, 1);
	if (!prior || !*prior)
		return hm_fail(x, mrg >= 0 ? mrg : hl7_seg_find(x->m, "PID", 1), 3,
			       HL7_ERR_REQUIRED_FIELD, "MRG-3: no prior account number");
	int rc = hm_patient(x, hl7_seg_find(x->m, "PID", 1), &x->patient_id, err);
	if (rc == 0)
		rc = hm_encounter(x, NULL, NULL, &x->encounter_id, err);
	if (rc == 0 && !x->encounter_id)
		rc = no_visit(x);
	if (rc)
		return rc;
	int64_t other = 0, other_patient = 0;
	if ((rc = encounter_of(x, prior, 0, &other, &other_patient, err)) != 0)
		return rc;
	if (other == x->encounter_id)
		return hm_fail(x, mrg, 3, HL7_ERR_DATA_TYPE,
			       "MRG-3: the prior account is the "
			       "surviving one");
	int changed = 0;
	if (other) {
		rc = chart_encounter_merged(x->db, x->ctx, other, x->encounter_id, &changed, err);
		if (rc)
			return hm_chart(x, mrg, 3, rc, err);
	}
	rc = chart_account_merge_put(x->db, x->ctx, x->patient_id, x->encounter_id, other,
				     x->control_id, &changed, err);
	if (rc == 0)
		x->changed = 1;
	return hm_chart(x, mrg, 3, rc, err);
}

/* A45: the visit named by MRG-3 (prior account), else MRG-5 (prior visit
 * number), else PV1-19, moves to the patient of PID. */
static int move_visit(struct hl7_map *x, mrt_err *err)
{
	long mrg = hl7_seg_find(x->m, "MRG", 1), pv1 = hl7_seg_find(x->m, "PV1", 1);
	const char *acct = hm_get(x, mrg, 3, 1, 1, 1), *visit = hm_get(x, mrg, 5, 1, 1, 1);
	const char *pv = hm_get(x, pv1, 19, 1, 1, 1);
	const struct {
		const char *key;
		int by_visit;
	} tries[] = {{acct, 0}, {visit, 1}, {visit, 0}, {pv, 1}, {pv, 0}};
	int rc = hm_patient(x, hl7_seg_find(x->m, "PID", 1), &x->patient_id, err);
	int64_t enc = 0, from = 0;
	for (size_t i = 0; rc == 0 && !enc && i < sizeof tries / sizeof tries[0]; i++)
		rc = encounter_of(x, tries[i].key, tries[i].by_visit, &enc, &from, err);
	if (rc == MRT_EAMBIG)
		return hm_fail(x, mrg >= 0 ? mrg : pv1, mrg >= 0 ? 5 : 19, HL7_ERR_DATA_TYPE,
			       "MRG-5 / PV1-19: several visits here have that visit number");
	if (rc)
		return rc;
	if (!enc)
		return hm_fail(x, mrg >= 0 ? mrg : pv1, mrg >= 0 ? 3 : 19, HL7_ERR_DATA_TYPE,
			       "MRG-3 / MRG-5 / PV1-19: no such visit here to move");
	x->encounter_id = enc;
	if (from == x->patient_id)
		return 0;
	rc = chart_encounter_move(x->db, x->ctx, enc, x->patient_id, x->control_id, err);
	if (rc == 0)
		x->changed = 1;
	return hm_chart(x, mrg, 3, rc, err);
}

/* The value of the PID-3 repetition of identifier type type (NULL: none). */
static const char *pid3_of_type(struct hl7_map *x, long pid, const char *type)
{
	unsigned n = type && *type ? hm_reps(x, pid, 3) : 0;
	for (unsigned r = 1; r <= n; r++) {
		const char *t = hm_get(x, pid, 3, r, 5, 1), *v = hm_get(x, pid, 3, r, 1, 1);
		if (t && v && *v && strcmp(t, type) == 0)
			return v;
	}
	return NULL;
}

/* A47: the patient holding MRG-1 gets PID-3's identifier of the same type
 * (MRG-1.5; else the MRN) instead. */
static int ident_change(struct hl7_map *x, mrt_err *err)
{
	long pid = hl7_seg_find(x->m, "PID", 1), mrg = hl7_seg_find(x->m, "MRG", 1);
	const char *old = hm_get(x, mrg, 1, 1, 1, 1), *sys = NULL;
	const char *osys = hm_get(x, mrg, 1, 1, 4, 1), *otype = hm_get(x, mrg, 1, 1, 5, 1);
	const char *new_value = pid >= 0 ? pid3_of_type(x, pid, otype) : NULL;
	if (!new_value && pid >= 0)
		new_value = hm_mrn(x, pid, &sys);
	if (!old || !*old)
		return hm_fail(x, mrg >= 0 ? mrg : pid, 1, HL7_ERR_REQUIRED_FIELD,
			       "MRG-1: no prior patient identifier");
	if (!new_value)
		return hm_fail(x, pid, 3, HL7_ERR_REQUIRED_FIELD, "PID-3: no patient identifier");
	int64_t id = 0;
	int rc = chart_patient_by_ident(x->db, osys, old, &id, err);
	if (rc == MRT_ENOTFOUND)
		rc = chart_patient_by_mrn(x->db, old, &id, err);
	if (rc == MRT_ENOTFOUND) {
		rc = chart_patient_by_mrn(x->db, new_value, &id, err);
		if (rc == MRT_ENOTFOUND)
			return hm_fail(x, mrg, 1, HL7_ERR_DATA_TYPE,
				       "MRG-1: no patient here holds the "
				       "prior identifier");
		if (rc == 0) /* done before */
			return hm_patient(x, pid, &x->patient_id, err);
	}
	if (rc)
		return hm_chart(x, mrg, 1, rc, err);
	int changed = 0;
	rc = chart_ident_change(x->db, x->ctx, id, NULL, old, new_value, &changed, err);
	if (rc)
		return hm_chart(x, mrg, 1, rc, err);
	if ((rc = hm_patient(x, pid, &x->patient_id, err)) != 0)
		return rc;
	struct chart_link l = {.patient_id = x->patient_id,
			       .other_identifier = old,
			       .kind = "identifier-change",
			       .status = "applied"};
	return link(x, &l, mrg, err);
}

/* A29 (delete person information): nothing is deleted from a record;
 * the message is logged against the patient when known. */
static int delete_person(struct hl7_map *x, mrt_err *err)
{
	long pid = hl7_seg_find(x->m, "PID", 1);
	const char *sys = NULL, *mrn = pid >= 0 ? hm_mrn(x, pid, &sys) : NULL;
	if (!mrn)
		return hm_fail(x, pid, 3, HL7_ERR_REQUIRED_FIELD, "PID-3: no patient identifier");
	int rc = chart_patient_by_mrn(x->db, mrn, &x->patient_id, err);
	if (rc == MRT_ENOTFOUND) {
		x->patient_id = 0;
		rc = 0;
	}
	return hm_chart(x, pid, 3, rc, err);
}

int hl7_map_adt(struct hl7_map *x, mrt_err *err)
{
	const struct adt_event *ev = event_of(x->m);
	if (ev)
		return visit_event(x, ev, err);
	const char *t = x->m->trigger;
	if (!strcmp(t, "A24") || !strcmp(t, "A37"))
		return link_event(x, t[1] == '3', err);
	if (!strcmp(t, "A40"))
		return merge_event(x, err);
	if (!strcmp(t, "A41"))
		return account_merge(x, err);
	if (!strcmp(t, "A45"))
		return move_visit(x, err);
	if (!strcmp(t, "A47"))
		return ident_change(x, err);
	if (!strcmp(t, "A29"))
		return delete_person(x, err);
	return hm_fail(x, 0, 9, HL7_ERR_EVENT, "MSH-9: unsupported event");
}
