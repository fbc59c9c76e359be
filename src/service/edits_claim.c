/*
 * A stored encounter as the code editor's claim; see edits_claim.h. The
 * pure parts (age, status, sex, LOS, codes) are separate from the one
 * reading function so that they are tested without a database.
 */
#include <ctype.h>
#include <string.h>

#include "base/str.h"
#include "chart/chart.h"
#include "formats/mimic.h"
#include "service/edits_claim.h"

int edits_claim_age(mrt_day birth, mrt_day on)
{
	if (!birth || !on || birth > on)
		return -1;
	return mrt_date_age(birth, on);
}

/* FHIR R4 discharge-disposition codes (terminology.hl7.org CodeSystem
 * discharge-disposition) with a UB-04 equivalent; "long" (long-term care)
 * and "other-hcf" say too little and stay unmapped. */
static const struct {
	const char *code, *status;
} fhir_disposition[] = {
    {"home", "01"}, {"alt-home", "01"}, {"hosp", "50"}, {"aadvice", "07"}, {"exp", "20"},
    {"psy", "65"},  {"rehab", "62"},	{"snf", "03"},	{"oth", "70"},
};

const char *edits_claim_status(const char *stored, const char *location)
{
	static const char pad[10][3] = {"00", "01", "02", "03", "04", "05", "06", "07", "08", "09"};
	if (stored && isdigit((unsigned char)stored[0])) {
		if (!stored[1])
			return pad[stored[0] - '0'];
		if (isdigit((unsigned char)stored[1]) && !stored[2])
			return stored;
	}
	if (!location || !*location)
		return "";
	const char *m = mimic_discharge_status(location);
	if (m)
		return m;
	for (size_t i = 0; i < sizeof fhir_disposition / sizeof *fhir_disposition; i++)
		if (strcmp(location, fhir_disposition[i].code) == 0)
			return fhir_disposition[i].status;
	return "";
}

char edits_claim_sex(const char *sex)
{
	if (sex && (strcmp(sex, "M") == 0 || strcmp(sex, "F") == 0))
		return sex[0];
	return 'U';
}

int edits_claim_los(mrt_day admit, mrt_day discharge)
{
	if (!admit || !discharge || discharge < admit)
		return 0;
	return (int)(discharge - admit);
}

mrt_day edits_claim_day(const char *iso)
{
	mrt_day day = 0;
	return mrt_date_parse_lead(&day, iso) == 0 ? day : 0;
}

void edits_claim_set_head(struct claim *c, const struct edits_claim_head *h)
{
	memset(c, 0, sizeof *c);
	mrt_strlcpy(c->id, h->account ? h->account : "", sizeof c->id);
	c->discharge = edits_claim_day(h->discharge_at);
	c->admit = edits_claim_day(h->admit_at);
	c->age = edits_claim_age(edits_claim_day(h->birth_date), c->discharge);
	if (c->age < 0 && !edits_claim_day(h->birth_date) && h->anchor_year && c->discharge) {
		/* Age in a year (MIMIC's anchor): the age reached in the discharge year. */
		int y, m, d;
		mrt_date_to_ymd(c->discharge, &y, &m, &d);
		c->age = h->anchor_age + (y - h->anchor_year);
	}
	c->sex = edits_claim_sex(h->sex);
	mrt_strlcpy(c->status, edits_claim_status(h->discharge_status, h->discharge_location),
		    sizeof c->status);
	c->los = edits_claim_los(c->admit, c->discharge);
}

/* Undotted, upper-case, cut to what a claim holds. */
static void put_code(char out[CLAIM_CODE_MAX], const char *code)
{
	size_t n = 0;
	for (const char *p = code ? code : ""; *p && n + 1 < CLAIM_CODE_MAX; p++)
		if (*p != '.' && *p != ' ')
			out[n++] = (char)toupper((unsigned char)*p);
	out[n] = 0;
}

static void put_dx(struct claim_dx *d, const char *code, const char *poa)
{
	put_code(d->code, code);
	mrt_strlcpy(d->poa, poa ? poa : "", sizeof d->poa);
}

void edits_claim_add_dx(struct claim *c, struct edits_claim_info *info, const char *kind,
			const char *code, const char *poa)
{
	if (kind && strcmp(kind, "admitting") == 0) {
		if (!c->has_admit_dx) {
			c->has_admit_dx = 1;
			put_dx(&c->admit_dx, code, poa);
		}
		return;
	}
	if (kind && strcmp(kind, "principal") == 0 && !c->pdx.code[0]) {
		put_dx(&c->pdx, code, poa);
		return;
	}
	if (c->nsdx == CLAIM_MAX_SDX) {
		info->over_sdx++;
		return;
	}
	put_dx(&c->sdx[c->nsdx++], code, poa);
}

void edits_claim_add_px(struct claim *c, struct edits_claim_info *info, const char *code,
			const char *date)
{
	if (c->nproc == CLAIM_MAX_PROC) {
		info->over_proc++;
		return;
	}
	struct claim_proc *p = &c->proc[c->nproc++];
	put_code(p->code, code);
	p->date = edits_claim_day(date);
}

static const char head_sql[] =
    "SELECT e.patient_id, e.account, p.birth_date, p.sex, e.admit_at, e.discharge_at,"
    " e.discharge_status, e.discharge_location,"
    " (SELECT c.id FROM coding c WHERE c.encounter_id = e.id AND c.superseded_by IS NULL),"
    " a.age, a.year"
    " FROM encounter e JOIN patient p ON p.id = e.patient_id"
    " LEFT JOIN patient_age_anchor a ON a.patient_id = p.id WHERE e.id = ?";
static const char dx_sql[] =
    "SELECT system, code, poa, kind FROM diagnosis WHERE coding_id = ? ORDER BY seq";
static const char px_sql[] =
    "SELECT system, code, performed_at FROM procedure WHERE coding_id = ? ORDER BY seq";

static int load_head(mrt_db *db, int64_t enc, struct claim *c, struct edits_claim_info *info,
		     mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, head_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, enc);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		struct edits_claim_head h = {
		    .account = mrt_stmt_text(st, 1),
		    .birth_date = mrt_stmt_text(st, 2),
		    .sex = mrt_stmt_text(st, 3),
		    .admit_at = mrt_stmt_text(st, 4),
		    .discharge_at = mrt_stmt_text(st, 5),
		    .discharge_status = mrt_stmt_text(st, 6),
		    .discharge_location = mrt_stmt_text(st, 7),
		    .anchor_age = mrt_stmt_is_null(st, 9) ? 0 : (int)mrt_stmt_int(st, 9),
		    .anchor_year = mrt_stmt_is_null(st, 10) ? 0 : (int)mrt_stmt_int(st, 10),
		};
		edits_claim_set_head(c, &h);
		info->patient_id = mrt_stmt_int(st, 0);
		info->coding_id = mrt_stmt_is_null(st, 8) ? 0 : mrt_stmt_int(st, 8);
	}
	mrt_stmt_reset(st);
	if (rc == 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "no encounter with id %lld", (long long)enc);
	return rc < 0 ? rc : 0;
}

static int load_codes(mrt_db *db, int px, struct claim *c, struct edits_claim_info *info,
		      mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, px ? px_sql : dx_sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, info->coding_id);
	const char *want = px ? CHART_SYS_ICD10PCS : CHART_SYS_ICD10CM;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		const char *sys = mrt_stmt_text(st, 0);
		if (!sys || strcmp(sys, want) != 0)
			info->other_system++;
		else if (px)
			edits_claim_add_px(c, info, mrt_stmt_text(st, 1), mrt_stmt_text(st, 2));
		else
			edits_claim_add_dx(c, info, mrt_stmt_text(st, 3), mrt_stmt_text(st, 1),
					   mrt_stmt_text(st, 2));
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int edits_claim_load(mrt_db *db, int64_t encounter_id, struct claim *c,
		     struct edits_claim_info *info, mrt_err *err)
{
	memset(info, 0, sizeof *info);
	int rc = load_head(db, encounter_id, c, info, err);
	if (rc || !info->coding_id)
		return rc;
	rc = load_codes(db, 0, c, info, err);
	return rc ? rc : load_codes(db, 1, c, info, err);
}
