/*
 * The streaming pass of the de-identified export (see export_deid.h): one
 * query per output file, each ordered by patient and encounter, read in
 * step like a merge join - for each patient its encounters, and for each
 * encounter the rows that belong to it - so memory stays constant however
 * large the chart. Surrogate ids are drawn as each patient and encounter
 * comes and forgotten once its rows are written. Each value goes through
 * the rules of privacy/deid.h; the SQL selects only the columns an extract
 * may carry, so an identifier is never even read.
 */
#include <inttypes.h>
#include <string.h>

#include <sodium.h>

#include "base/str.h"
#include "service/access_svc.h"
#include "service/export_deid_int.h"

static const char patient_sql[] =
    "SELECT p.id, 0, p.birth_date, p.sex, p.deceased, p.death_at, p.race, p.ethnicity,"
    " p.marital_status, p.language, p.city, p.state, p.postal_code, p.country,"
    " (SELECT max(coalesce(e.discharge_at, e.admit_at)) FROM encounter e"
    "   WHERE e.patient_id = p.id)"
    " FROM patient p WHERE p.status <> 'merged' ORDER BY p.id";

static const char encounter_sql[] =
    "SELECT e.patient_id, e.id, e.class, e.status, e.admit_at, e.discharge_at, e.admit_type,"
    " e.admit_source, e.discharge_status, e.discharge_location, e.service, e.payer"
    " FROM encounter e WHERE e.status <> 'merged' ORDER BY e.patient_id, e.id";

static const char diagnosis_sql[] =
    "SELECT e.patient_id, e.id, d.seq, d.kind, d.system, d.code, d.poa, d.onset"
    " FROM encounter e CROSS JOIN diagnosis d ON d.encounter_id = e.id"
    " JOIN coding c ON c.id = d.coding_id"
    " WHERE e.status <> 'merged' AND c.superseded_by IS NULL"
    " ORDER BY e.patient_id, e.id, d.seq";

static const char procedure_sql[] =
    "SELECT e.patient_id, e.id, x.seq, x.system, x.code, x.performed_at"
    " FROM encounter e CROSS JOIN procedure x ON x.encounter_id = e.id"
    " JOIN coding c ON c.id = x.coding_id"
    " WHERE e.status <> 'merged' AND c.superseded_by IS NULL"
    " ORDER BY e.patient_id, e.id, x.seq";

/* Transfers may have no encounter (an emergency visit never admitted):
 * those sort first within the patient, as encounter 0. */
static const char transfer_sql[] =
    "SELECT t.patient_id, coalesce(t.encounter_id, 0), t.event, t.unit, t.in_at, t.out_at"
    " FROM transfer t ORDER BY t.patient_id, coalesce(t.encounter_id, 0), t.in_at, t.id";

static const char service_sql[] =
    "SELECT e.patient_id, e.id, s.at, s.prev_service, s.service"
    " FROM encounter e CROSS JOIN encounter_service s ON s.encounter_id = e.id"
    " WHERE e.status <> 'merged' ORDER BY e.patient_id, e.id, s.at";

static const char drg_sql[] =
    "SELECT e.patient_id, e.id, g.drg_type, g.drg_code, g.severity, g.mortality"
    " FROM encounter e CROSS JOIN encounter_drg g ON g.encounter_id = e.id"
    " WHERE e.status <> 'merged' ORDER BY e.patient_id, e.id, g.drg_type, g.drg_code";

/* Every open label of the patient, on any of their records. */
static const char labels_sql[] =
    "SELECT code FROM label WHERE patient_id = ? AND ended_at IS NULL";

typedef int (*xd_write_fn)(struct xd *x, mrt_stmt *st, const char *esur, mrt_err *err);

/* A cursor: column 0 is the patient id, column 1 the encounter id (0 for
 * none). */
struct cur {
	mrt_stmt *st;
	int has;
	int64_t pid, eid;
	xd_write_fn write;
};

static int cur_next(struct cur *c, mrt_err *err)
{
	int rc = mrt_stmt_step(c->st, err);
	c->has = rc == 1;
	if (c->has) {
		c->pid = mrt_stmt_int(c->st, 0);
		c->eid = mrt_stmt_is_null(c->st, 1) ? 0 : mrt_stmt_int(c->st, 1);
	}
	return rc < 0 ? rc : 0;
}

static void surrogate(char out[XD_SURROGATE_LEN])
{
	unsigned char b[(XD_SURROGATE_LEN - 1) / 2];
	randombytes_buf(b, sizeof b);
	sodium_bin2hex(out, XD_SURROGATE_LEN, b, sizeof b);
	sodium_memzero(b, sizeof b);
}

static const char *col(mrt_stmt *st, int i)
{
	return mrt_stmt_text(st, i);
}

/* A date column: its year (safe harbor) or as stored (limited). */
static const char *date_out(const struct xd *x, const char *v, char year[5])
{
	if (x->limited)
		return v;
	deid_year(year, v);
	return year;
}

static const char *num(char buf[24], int v)
{
	buf[0] = '\0';
	if (v >= 0)
		snprintf(buf, 24, "%d", v);
	return buf;
}

/* An age for the current patient: the exact age in a limited data set;
 * in safe harbor "90+" over 89, and nothing at all for a patient whose
 * birth year is withheld (an exact age beside a year would give it back). */
static const char *age_out(const struct xd *x, int age, char buf[24])
{
	if (x->limited || age < 0)
		return num(buf, age);
	if (x->aged && age <= DEID_AGE_MAX) {
		buf[0] = '\0';
		return buf;
	}
	deid_age_text(buf, age);
	return buf;
}

static const char *max3(const char *a, const char *b, const char *c)
{
	const char *m = a;
	if (b && (!m || strcmp(b, m) > 0))
		m = b;
	if (c && (!m || strcmp(c, m) > 0))
		m = c;
	return m;
}

static int write_patient(struct xd *x, mrt_stmt *st, mrt_err *err)
{
	const char *birth = col(st, 2), *death = col(st, 5), *last = col(st, 14);
	int deceased = (int)mrt_stmt_int(st, 4);
	mrt_strlcpy(x->birth, birth ? birth : "", sizeof x->birth);
	/* The oldest the patient is, or would be, on any date the extract
	 * touches decides whether the birth year may be given. */
	x->aged = deid_age(birth, max3(x->today, death, last)) > DEID_AGE_MAX;
	const char *at = deceased && death ? death : max3(x->today, last, NULL);
	char by[5], dy[5], age[24], zip3[4];
	by[0] = '\0';
	if (!x->aged)
		deid_year(by, birth);
	const char *birth_out = x->limited ? birth : by;
	if (!x->limited)
		deid_zip3_of(zip3, x->zip3, col(st, 12));
	const char *v[] = {
	    x->psur, col(st, 3), birth_out, age_out(x, deid_age(birth, at), age),
	    deceased ? "1" : "0", date_out(x, death, dy), col(st, 6), col(st, 7), col(st, 8),
	    col(st, 9), x->limited ? col(st, 10) : col(st, 11),
	    x->limited ? col(st, 11) : zip3, x->limited ? col(st, 12) : col(st, 13),
	    x->limited ? col(st, 13) : NULL,
	};
	return xd_row(&x->out[XD_PATIENTS], v, x->limited ? 14 : 13, err);
}

static int write_encounter(struct xd *x, mrt_stmt *st, const char *esur, mrt_err *err)
{
	const char *admit = col(st, 4), *disch = col(st, 5);
	char ay[5], dy[5], los[24], age[24];
	const char *v[] = {
	    esur, x->psur, col(st, 2), col(st, 3), date_out(x, admit, ay), date_out(x, disch, dy),
	    num(los, deid_days(admit, disch)), age_out(x, deid_age(x->birth, admit), age),
	    col(st, 6), col(st, 7), col(st, 8), col(st, 9), col(st, 10), col(st, 11),
	};
	return xd_row(&x->out[XD_ENCOUNTERS], v, 14, err);
}

static int write_diagnosis(struct xd *x, mrt_stmt *st, const char *esur, mrt_err *err)
{
	char y[5];
	const char *v[] = {esur, x->psur, col(st, 2), col(st, 3), col(st, 4),
			   col(st, 5), col(st, 6), date_out(x, col(st, 7), y)};
	return xd_row(&x->out[XD_DIAGNOSES], v, 8, err);
}

static int write_procedure(struct xd *x, mrt_stmt *st, const char *esur, mrt_err *err)
{
	char y[5];
	const char *v[] = {esur,	x->psur,    col(st, 2),
			   col(st, 3), col(st, 4), date_out(x, col(st, 5), y)};
	return xd_row(&x->out[XD_PROCEDURES], v, 6, err);
}

static int write_transfer(struct xd *x, mrt_stmt *st, const char *esur, mrt_err *err)
{
	const char *in = col(st, 4), *out = col(st, 5);
	char iy[5], oy[5], h[24];
	const char *v[] = {esur,
			   x->psur,
			   col(st, 2),
			   col(st, 3),
			   date_out(x, in, iy),
			   date_out(x, out, oy),
			   num(h, deid_hours(in, out))};
	return xd_row(&x->out[XD_TRANSFERS], v, 7, err);
}

static int write_service(struct xd *x, mrt_stmt *st, const char *esur, mrt_err *err)
{
	char y[5];
	const char *v[] = {esur, x->psur, date_out(x, col(st, 2), y), col(st, 3), col(st, 4)};
	return xd_row(&x->out[XD_SERVICES], v, 5, err);
}

static int write_drg(struct xd *x, mrt_stmt *st, const char *esur, mrt_err *err)
{
	const char *v[] = {esur, x->psur, col(st, 2), col(st, 3), col(st, 4), col(st, 5)};
	return xd_row(&x->out[XD_DRGS], v, 6, err);
}

/* Skips the cursor's rows of patients before pid (merged records, which
 * are not exported). */
static int skip_before(struct cur *c, int64_t pid, mrt_err *err)
{
	int rc = 0;
	while (rc == 0 && c->has && c->pid < pid)
		rc = cur_next(c, err);
	return rc;
}

/* Consumes the cursor's rows of patient pid up to encounter eid, writing
 * them (unless the patient is withheld) with the encounter's surrogate
 * when they belong to eid and none otherwise (a transfer outside any
 * exported encounter). */
static int drain(struct xd *x, struct cur *c, int64_t pid, int64_t eid, const char *esur,
		 mrt_err *err)
{
	int rc = 0;
	while (rc == 0 && c->has && c->pid == pid && c->eid <= eid) {
		if (x->keep)
			rc = c->write(x, c->st, c->eid == eid ? esur : "", err);
		if (rc == 0)
			rc = cur_next(c, err);
	}
	return rc;
}

/* Limited data set: a patient with a record under 42 CFR Part 2 (or any
 * label the access rules hold back from a disclosure without an
 * authorization) is left out. */
static int keep_patient(struct xd *x, int64_t pid, mrt_err *err)
{
	x->keep = 1;
	if (!x->limited)
		return 0;
	mrt_stmt *st = mrt_db_stmt(x->db, labels_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, pid);
	unsigned labels = 0;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1)
		labels |= access_label_bit(mrt_stmt_text(st, 0));
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!labels)
		return 0;
	struct access_target t = {.patient_id = pid, .extra_labels = labels};
	struct access_decision d;
	if ((rc = access_svc_decide(x->s, ACCESS_EXPORT_LIMITED, &t, &d, err)) != 0)
		return rc;
	if (d.result != ACCESS_ALLOW) {
		x->keep = 0;
		x->withheld++;
	}
	return 0;
}

enum { C_ENC, C_DX, C_PX, C_SVC, C_DRG, C_TR, C_N };

static int one_patient(struct xd *x, mrt_stmt *pst, struct cur *c, mrt_err *err)
{
	int64_t pid = mrt_stmt_int(pst, 0);
	int rc = keep_patient(x, pid, err);
	surrogate(x->psur);
	if (rc == 0 && x->keep)
		rc = write_patient(x, pst, err);
	/* rows of earlier (merged) patients; transfers outside any encounter */
	for (int k = 0; rc == 0 && k < C_N; k++)
		rc = skip_before(&c[k], pid, err);
	if (rc == 0)
		rc = drain(x, &c[C_TR], pid, 0, "", err);
	while (rc == 0 && c[C_ENC].has && c[C_ENC].pid == pid) {
		int64_t eid = c[C_ENC].eid;
		char esur[XD_SURROGATE_LEN];
		surrogate(esur);
		if (x->keep)
			rc = write_encounter(x, c[C_ENC].st, esur, err);
		for (int k = C_DX; rc == 0 && k < C_N; k++)
			rc = drain(x, &c[k], pid, eid, esur, err);
		if (rc == 0)
			rc = cur_next(&c[C_ENC], err);
	}
	/* what is left of this patient: transfers of encounters not exported */
	for (int k = C_DX; rc == 0 && k < C_N; k++)
		rc = drain(x, &c[k], pid, INT64_MAX, "", err);
	sodium_memzero(x->birth, sizeof x->birth);
	return rc;
}

int xd_stream(struct xd *x, mrt_err *err)
{
	static const char *const sqls[C_N] = {encounter_sql, diagnosis_sql, procedure_sql,
					      service_sql,   drg_sql,	    transfer_sql};
	static const xd_write_fn writers[C_N] = {NULL,	       write_diagnosis, write_procedure,
						 write_service, write_drg,	 write_transfer};
	struct cur c[C_N];
	memset(c, 0, sizeof c);
	int rc = 0;
	for (int k = 0; rc == 0 && k < C_N; k++) {
		c[k].st = mrt_db_stmt(x->db, sqls[k], err);
		c[k].write = writers[k];
		rc = c[k].st ? cur_next(&c[k], err) : err->code;
	}
	mrt_stmt *pst = rc == 0 ? mrt_db_stmt(x->db, patient_sql, err) : NULL;
	if (rc == 0 && !pst)
		rc = err->code;
	int r = 0;
	while (rc == 0 && (r = mrt_stmt_step(pst, err)) == 1)
		rc = one_patient(x, pst, c, err);
	if (rc == 0 && r < 0)
		rc = r;
	if (pst)
		mrt_stmt_reset(pst);
	for (int k = 0; k < C_N; k++)
		if (c[k].st)
			mrt_stmt_reset(c[k].st);
	sodium_memzero(x->psur, sizeof x->psur);
	return rc;
}
