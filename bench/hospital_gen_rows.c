/*
 * The rows of the generated hospital (see hospital_gen.h). Each patient is
 * made from its own PRNG stream: demographics, a geometric number of
 * admissions at uniform times in FY2025-FY2026 with log-normal stays that
 * never overlap, then for each admission its ED stay, unit transfers,
 * services, diagnoses, procedures and DRGs. The vocabularies and their
 * weights follow MIMIC-IV's own values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hospital_gen_int.h"

enum { T_PROV, T_PAT, T_ADM, T_TRA, T_SRV, T_DX, T_PX, T_DRG, T_N };

static const struct {
	const char *file, *header;
} tables[T_N] = {
    {"provider.csv.gz", "provider_id"},
    {"patients.csv.gz", "subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod"},
    {"admissions.csv.gz",
     "subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,"
     "admission_location,discharge_location,insurance,language,marital_status,race,"
     "edregtime,edouttime,hospital_expire_flag"},
    {"transfers.csv.gz", "subject_id,hadm_id,transfer_id,eventtype,careunit,intime,outtime"},
    {"services.csv.gz", "subject_id,hadm_id,transfertime,prev_service,curr_service"},
    {"diagnoses_icd.csv.gz", "subject_id,hadm_id,seq_num,icd_code,icd_version"},
    {"procedures_icd.csv.gz", "subject_id,hadm_id,seq_num,chartdate,icd_code,icd_version"},
    {"drgcodes.csv.gz",
     "subject_id,hadm_id,drg_type,drg_code,description,drg_severity,drg_mortality"},
};

/* ---- vocabularies ----------------------------------------------------- */

struct adm_type {
	int weight;
	const char *name;
	int ed_pct;   /* share with an ED stay first */
	int obs;      /* an observation stay (short, no DRG) */
	int surg_pct; /* share with procedures */
	const char *location;
};

static const struct adm_type adm_types[] = {
    {35, "EW EMER.", 95, 0, 35, "EMERGENCY ROOM"},
    {20, "EU OBSERVATION", 90, 1, 5, "EMERGENCY ROOM"},
    {12, "OBSERVATION ADMIT", 60, 1, 10, "EMERGENCY ROOM"},
    {10, "URGENT", 30, 0, 45, "TRANSFER FROM HOSPITAL"},
    {8, "ELECTIVE", 0, 0, 85, "PHYSICIAN REFERRAL"},
    {6, "SURGICAL SAME DAY ADMISSION", 0, 0, 98, "PHYSICIAN REFERRAL"},
    {4, "DIRECT EMER.", 10, 0, 30, "PHYSICIAN REFERRAL"},
    {4, "DIRECT OBSERVATION", 0, 1, 10, "CLINIC REFERRAL"},
    {1, "AMBULATORY OBSERVATION", 0, 1, 20, "PROCEDURE SITE"},
};

static const struct hg_choice disch_inpatient[] = {
    {380, "HOME"},
    {270, "HOME HEALTH CARE"},
    {130, "SKILLED NURSING FACILITY"},
    {50, "REHAB"},
    {25, "DIED"},
    {20, "CHRONIC/LONG TERM ACUTE CARE"},
    {15, "HOSPICE"},
    {15, "AGAINST ADVICE"},
    {10, "ACUTE HOSPITAL"},
    {10, "PSYCH FACILITY"},
    {8, "OTHER FACILITY"},
    {5, "ASSISTED LIVING"},
    {5, "HEALTHCARE FACILITY"},
    {0, NULL},
};
static const struct hg_choice disch_obs[] = {
    {45, ""},
    {45, "HOME"},
    {5, "HOME HEALTH CARE"},
    {3, "AGAINST ADVICE"},
    {2, "SKILLED NURSING FACILITY"},
    {0, NULL},
};
static const struct hg_choice insurance_young[] = {
    {55, "Other"},
    {35, "Medicaid"},
    {10, "Medicare"},
    {0, NULL},
};
static const struct hg_choice insurance_old[] = {
    {80, "Medicare"},
    {15, "Other"},
    {5, "Medicaid"},
    {0, NULL},
};
static const struct hg_choice languages[] = {
    {880, "ENGLISH"}, {60, "?"},      {20, "SPANISH"},	 {10, "PORTUGUESE"}, {10, "RUSSIAN"},
    {10, "CHINESE"},  {5, "HAITIAN"}, {5, "VIETNAMESE"}, {0, NULL},
};
static const struct hg_choice maritals[] = {
    {40, "MARRIED"}, {32, "SINGLE"}, {12, "WIDOWED"}, {9, "DIVORCED"}, {7, ""}, {0, NULL},
};
static const struct hg_choice races[] = {
    {600, "WHITE"},
    {140, "BLACK/AFRICAN AMERICAN"},
    {40, "OTHER"},
    {35, "UNKNOWN"},
    {30, "HISPANIC/LATINO - PUERTO RICAN"},
    {30, "ASIAN"},
    {20, "WHITE - OTHER EUROPEAN"},
    {20, "HISPANIC/LATINO - DOMINICAN"},
    {15, "ASIAN - CHINESE"},
    {15, "BLACK/CAPE VERDEAN"},
    {15, "WHITE - RUSSIAN"},
    {10, "UNABLE TO OBTAIN"},
    {10, "PATIENT DECLINED TO ANSWER"},
    {10, "HISPANIC OR LATINO"},
    {10, "BLACK/AFRICAN"},
    {0, NULL},
};
static const struct hg_choice units[] = {
    {160, "Medicine"},
    {100, "Med/Surg"},
    {70, "Neurology"},
    {65, "Medicine/Cardiology"},
    {55, "Transplant"},
    {55, "Cardiac Surgery"},
    {50, "Medical Intensive Care Unit (MICU)"},
    {45, "Surgical Intensive Care Unit (SICU)"},
    {45, "Medical/Surgical Intensive Care Unit (MICU/SICU)"},
    {45, "Hematology/Oncology"},
    {45, "Cardiac Vascular Intensive Care Unit (CVICU)"},
    {35, "PACU"},
    {35, "Med/Surg/Trauma"},
    {30, "Hematology/Oncology Intermediate"},
    {30, "Vascular"},
    {30, "Trauma SICU (TSICU)"},
    {25, "Coronary Care Unit (CCU)"},
    {20, "Med/Surg/GYN"},
    {10, "Obstetrics (Postpartum & Antepartum)"},
    {6, "Neuro Surgical Intensive Care Unit (Neuro SICU)"},
    {5, "Psychiatry"},
    {5, "Neuro Stepdown"},
    {0, NULL},
};
static const struct hg_choice services_med[] = {
    {130, "MED"}, {45, "CMED"}, {30, "OMED"}, {10, "NMED"}, {3, "PSYCH"}, {2, "GYN"}, {0, NULL},
};
static const struct hg_choice services_surg[] = {
    {40, "SURG"}, {22, "CSURG"}, {18, "NSURG"}, {15, "ORTHO"}, {10, "VSURG"},
    {8, "TRAUM"}, {5, "TSURG"},	 {4, "GU"},	{3, "ENT"},    {0, NULL},
};

struct drg {
	const char *code, *description;
};
static const struct drg ms_drgs[] = {
    {"871", "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITH MCC"},
    {"872", "SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITHOUT MCC"},
    {"470", "MAJOR HIP AND KNEE JOINT REPLACEMENT OR REATTACHMENT OF LOWER EXTREMITY WITHOUT MCC"},
    {"291", "HEART FAILURE AND SHOCK WITH MCC"},
    {"292", "HEART FAILURE AND SHOCK WITH CC"},
    {"392", "ESOPHAGITIS, GASTROENTERITIS AND MISCELLANEOUS DIGESTIVE DISORDERS WITHOUT MCC"},
    {"690", "KIDNEY AND URINARY TRACT INFECTIONS WITHOUT MCC"},
    {"193", "SIMPLE PNEUMONIA AND PLEURISY WITH MCC"},
    {"194", "SIMPLE PNEUMONIA AND PLEURISY WITH CC"},
    {"683", "RENAL FAILURE WITH CC"},
    {"603", "CELLULITIS WITHOUT MCC"},
    {"190", "CHRONIC OBSTRUCTIVE PULMONARY DISEASE WITH MCC"},
    {"189", "PULMONARY EDEMA AND RESPIRATORY FAILURE"},
    {"378", "G.I. HEMORRHAGE WITH CC"},
    {"312", "SYNCOPE AND COLLAPSE"},
    {"641",
     "MISCELLANEOUS DISORDERS OF NUTRITION, METABOLISM, FLUIDS AND ELECTROLYTES WITHOUT MCC"},
    {"885", "PSYCHOSES"},
    {"897", "ALCOHOL, DRUG ABUSE OR DEPENDENCE WITHOUT REHABILITATION THERAPY WITHOUT MCC"},
    {"065", "INTRACRANIAL HEMORRHAGE OR CEREBRAL INFARCTION WITH CC OR TPA IN 24 HRS"},
    {"247", "PERCUTANEOUS CARDIOVASCULAR PROCEDURES WITH DRUG-ELUTING STENT WITHOUT MCC"},
    {"460", "SPINAL FUSION EXCEPT CERVICAL WITHOUT MCC"},
    {"481", "HIP AND FEMUR PROCEDURES EXCEPT MAJOR JOINT WITH CC"},
};
static const struct drg apr_drgs[] = {
    {"720", "SEPTICEMIA & DISSEMINATED INFECTIONS"},
    {"194", "HEART FAILURE"},
    {"139", "OTHER PNEUMONIA"},
    {"140", "CHRONIC OBSTRUCTIVE PULMONARY DISEASE"},
    {"460", "RENAL FAILURE"},
    {"463", "KIDNEY & URINARY TRACT INFECTIONS"},
    {"383", "CELLULITIS & OTHER BACTERIAL SKIN INFECTIONS"},
    {"302", "KNEE JOINT REPLACEMENT"},
    {"301", "HIP JOINT REPLACEMENT"},
    {"045", "CVA & PRECEREBRAL OCCLUSION W INFARCT"},
    {"254", "OTHER DIGESTIVE SYSTEM DIAGNOSES"},
    {"754", "DEPRESSION EXCEPT MAJOR DEPRESSIVE DISORDER"},
    {"228", "INGUINAL, FEMORAL & UMBILICAL HERNIA PROCEDURES"},
    {"143", "OTHER RESPIRATORY DIAGNOSES EXCEPT SIGNS, SYMPTOMS & MINOR DIAGNOSES"},
    {"201", "CARDIAC ARRHYTHMIA & CONDUCTION DISORDERS"},
    {"249", "NON-BACTERIAL GASTROENTERITIS, NAUSEA & VOMITING"},
};

/* ---- the generator state ---------------------------------------------- */

#define MAX_ADM 120
#define MAX_DX 39
#define HOUR 3600
#define DAY 86400

struct gen {
	const struct hgen_opts *o;
	const hgen_codes *codes;
	struct hg_out *out[T_N];
	struct hgen_counts *n;
	long nprov;
	int64_t next_hadm, next_transfer, t0, t1;
	mrt_err *err;
};

struct adm {
	int64_t hadm, admit, disch, edreg, edout;
	const struct adm_type *type;
	const char *disch_loc;
	long provider; /* -1: none */
};

struct person {
	int64_t subject;
	int age;
	const char *insurance, *language, *marital, *race;
	struct adm adm[MAX_ADM];
	int nadm;
	int64_t dod; /* 0 = alive */
};

/* "P" and 5 base-36 characters, one per provider index (a bijection). */
static void provider_id(long i, char out[7])
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	uint64_t v = ((uint64_t)i * 2654435761ull + 12345u) % 60466176ull; /* 36^5 */
	out[0] = 'P';
	for (int k = 5; k >= 1; k--) {
		out[k] = digits[v % 36];
		v /= 36;
	}
	out[6] = '\0';
}

static void put_provider(struct hg_out *o, long i)
{
	char id[7];
	if (i < 0)
		return;
	provider_id(i, id);
	hg_put(o, id, 6);
}

static const struct adm_type *pick_type(struct hg_rng *r)
{
	size_t n = sizeof adm_types / sizeof *adm_types;
	long total = 0;
	for (size_t i = 0; i < n; i++)
		total += adm_types[i].weight;
	long x = hg_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < adm_types[i].weight)
			return &adm_types[i];
		x -= adm_types[i].weight;
	}
	return &adm_types[0];
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Length of stay: log-normal, median 3.5 days (observation: 20 hours). */
static int64_t draw_los(struct hg_rng *r, const struct adm_type *t)
{
	double median = t->obs ? 20.0 * HOUR : 3.5 * DAY, sigma = t->obs ? 0.5 : 0.8;
	double los = median * exp(sigma * hg_normal(r));
	if (los > 90.0 * DAY)
		los = 90.0 * DAY;
	return los < HOUR ? HOUR : (int64_t)los;
}

/* Admissions at sorted uniform times; a stay ends before the next begins
 * (one that would not fit is dropped); a death ends the list. */
static void plan_admissions(struct gen *g, struct hg_rng *r, struct person *p)
{
	int64_t times[MAX_ADM];
	long k = hg_geometric(r, g->o->mean_encounters);
	if (k > MAX_ADM)
		k = MAX_ADM;
	for (long j = 0; j < k; j++)
		times[j] = g->t0 + (int64_t)(hg_u01(r) * (double)(g->t1 - DAY - g->t0));
	qsort(times, (size_t)k, sizeof *times, cmp_i64);
	p->nadm = 0;
	p->dod = 0;
	for (long j = 0; j < k; j++) {
		struct adm *a = &p->adm[p->nadm];
		a->type = pick_type(r);
		a->admit = times[j];
		int64_t limit = (j + 1 < k ? times[j + 1] - 2 * HOUR : g->t1) - a->admit;
		if (limit < 2 * HOUR)
			continue;
		int64_t los = draw_los(r, a->type);
		a->disch = a->admit + (los < limit ? los : limit);
		a->edreg = a->edout = 0;
		if (hg_below(r, 100) < a->type->ed_pct) {
			a->edreg = a->admit - HOUR - hg_below(r, 8 * HOUR);
			a->edout = a->admit + hg_below(r, HOUR);
			if (a->edout >= a->disch)
				a->edout = a->admit;
		}
		a->disch_loc = hg_pick(r, a->type->obs ? disch_obs : disch_inpatient);
		if (p->age > 80 && strcmp(a->disch_loc, "HOME") == 0 && hg_below(r, 20) == 0)
			a->disch_loc = "DIED";
		a->provider = hg_below(r, 100) < 3 ? -1 : hg_below(r, g->nprov);
		a->hadm = g->next_hadm++;
		p->nadm++;
		if (strcmp(a->disch_loc, "DIED") == 0) {
			p->dod = a->disch;
			return;
		}
	}
	/* Some die after their last stay (MIMIC keeps a year of follow-up). */
	if (p->nadm && hg_below(r, 100) < 4) {
		int64_t d = p->adm[p->nadm - 1].disch + DAY + hg_below(r, 365) * DAY;
		if (d <= g->t1)
			p->dod = d;
	}
}

static void make_person(struct gen *g, struct hg_rng *r, long i, struct person *p)
{
	p->subject = 10000000 + i;
	double age = 58.0 + 19.0 * hg_normal(r);
	p->age = age < 18 ? 18 : age > 91 ? 91 : (int)age;
	p->insurance = hg_pick(r, p->age >= 65 ? insurance_old : insurance_young);
	p->language = hg_pick(r, languages);
	p->marital = hg_pick(r, maritals);
	p->race = hg_pick(r, races);
	plan_admissions(g, r, p);
}

/* ---- rows ------------------------------------------------------------- */

static int row_patient(struct gen *g, struct hg_rng *r, const struct person *p)
{
	struct hg_out *o = g->out[T_PAT];
	hg_i64(o, p->subject);
	hg_put(o, hg_below(r, 100) < 52 ? ",F," : ",M,", 3);
	hg_i64(o, p->age);
	hg_put(o, ",2025,2023 - 2025,", 18);
	if (p->dod)
		hg_date(o, p->dod);
	g->n->patients++;
	return hg_row_end(o, g->err);
}

static void opt_time(struct hg_out *o, int64_t t)
{
	if (t)
		hg_time(o, t);
}

static int row_admission(struct gen *g, const struct person *p, const struct adm *a)
{
	struct hg_out *o = g->out[T_ADM];
	int died = strcmp(a->disch_loc, "DIED") == 0;
	hg_i64(o, p->subject);
	hg_comma(o);
	hg_i64(o, a->hadm);
	hg_comma(o);
	hg_time(o, a->admit);
	hg_comma(o);
	hg_time(o, a->disch);
	hg_comma(o);
	opt_time(o, died ? a->disch : 0);
	hg_comma(o);
	hg_str(o, a->type->name);
	hg_comma(o);
	put_provider(o, a->provider);
	hg_comma(o);
	hg_str(o, a->type->location);
	hg_comma(o);
	hg_str(o, a->disch_loc);
	hg_comma(o);
	hg_str(o, p->insurance);
	hg_comma(o);
	hg_str(o, p->language);
	hg_comma(o);
	hg_str(o, p->marital);
	hg_comma(o);
	hg_str(o, p->race);
	hg_comma(o);
	opt_time(o, a->edreg);
	hg_comma(o);
	opt_time(o, a->edout);
	hg_put(o, died ? ",1" : ",0", 2);
	g->n->admissions++;
	return hg_row_end(o, g->err);
}

static int row_transfer(struct gen *g, const struct person *p, int64_t hadm, const char *event,
			const char *unit, int64_t in, int64_t out)
{
	struct hg_out *o = g->out[T_TRA];
	hg_i64(o, p->subject);
	hg_comma(o);
	if (hadm)
		hg_i64(o, hadm);
	hg_comma(o);
	hg_i64(o, g->next_transfer++);
	hg_comma(o);
	hg_str(o, event);
	hg_comma(o);
	hg_str(o, unit);
	hg_comma(o);
	hg_time(o, in);
	hg_comma(o);
	opt_time(o, out);
	g->n->transfers++;
	return hg_row_end(o, g->err);
}

/* The ED stay, 1-3 units (admit, then transfers) and the discharge event. */
static int transfers(struct gen *g, struct hg_rng *r, const struct person *p, const struct adm *a)
{
	int rc = 0;
	int64_t start = a->admit;
	if (a->edreg) {
		rc = row_transfer(g, p, a->hadm, "ED", "Emergency Department", a->edreg, a->edout);
		start = a->edout;
	}
	long nunits = 1 + (hg_below(r, 100) < 35) + (hg_below(r, 100) < 12);
	int64_t in = start, span = a->disch - start;
	for (long u = 0; rc == 0 && u < nunits; u++) {
		int64_t out = u + 1 == nunits ? a->disch : start + span * (u + 1) / nunits;
		rc = row_transfer(g, p, a->hadm, u == 0 ? "admit" : "transfer", hg_pick(r, units),
				  in, out);
		in = out;
	}
	if (rc == 0)
		rc = row_transfer(g, p, a->hadm, "discharge", "", a->disch, 0);
	return rc;
}

static int row_service(struct gen *g, const struct person *p, const struct adm *a, int64_t at,
		       const char *prev, const char *curr)
{
	struct hg_out *o = g->out[T_SRV];
	hg_i64(o, p->subject);
	hg_comma(o);
	hg_i64(o, a->hadm);
	hg_comma(o);
	hg_time(o, at);
	hg_comma(o);
	hg_str(o, prev);
	hg_comma(o);
	hg_str(o, curr);
	g->n->services++;
	return hg_row_end(o, g->err);
}

static int services(struct gen *g, struct hg_rng *r, const struct person *p, const struct adm *a,
		    int surgical)
{
	const char *first = hg_pick(r, surgical ? services_surg : services_med);
	int rc = row_service(g, p, a, a->admit, "", first);
	if (rc == 0 && hg_below(r, 100) < 15) {
		const char *next = hg_pick(r, surgical ? services_med : services_surg);
		rc = row_service(g, p, a, a->admit + (a->disch - a->admit) / 2, first, next);
	}
	return rc;
}

/* A code not already in the first n of seen (retrying a few times). */
static const char *fresh_code(struct hg_rng *r, const struct hg_list *l, const char **seen, int n)
{
	const char *c = hg_zipf(r, l);
	for (int tries = 0; tries < 8; tries++) {
		int dup = 0;
		for (int k = 0; k < n && !dup; k++)
			dup = strcmp(seen[k], c) == 0;
		if (!dup)
			return c;
		c = tries < 4 ? hg_zipf(r, l) : hg_uniform_code(r, l);
	}
	return NULL;
}

static int diagnoses(struct gen *g, struct hg_rng *r, const struct person *p, const struct adm *a)
{
	const char *seen[MAX_DX];
	long n = 1 + hg_poisson(r, g->o->mean_dx > 1 ? g->o->mean_dx - 1 : 0);
	int rc = 0, k = 0;
	for (long i = 0; rc == 0 && i < n && k < MAX_DX; i++) {
		int header = hg_u01(r) < g->o->header_rate;
		const char *c = header ? hg_uniform_code(r, &g->codes->headers)
				       : fresh_code(r, &g->codes->list[0], seen, k);
		/* External causes (V00-Y99) are never the principal diagnosis. */
		while (c && k == 0 && c[0] >= 'V' && c[0] <= 'Y') {
			c = fresh_code(r, &g->codes->list[0], seen, k);
			header = 0;
		}
		if (!c)
			continue;
		g->n->headers += header;
		seen[k++] = c;
		struct hg_out *o = g->out[T_DX];
		hg_i64(o, p->subject);
		hg_comma(o);
		hg_i64(o, a->hadm);
		hg_comma(o);
		hg_i64(o, k);
		hg_comma(o);
		hg_str(o, c);
		hg_put(o, ",10", 3);
		g->n->diagnoses++;
		rc = hg_row_end(o, g->err);
	}
	return rc;
}

static int procedures(struct gen *g, struct hg_rng *r, const struct person *p, const struct adm *a)
{
	const char *seen[16];
	long n = 1 + hg_poisson(r, 0.8);
	int rc = 0, k = 0;
	int64_t days = (a->disch - a->admit) / DAY + 1;
	for (long i = 0; rc == 0 && i < n && k < 16; i++) {
		const char *c = fresh_code(r, &g->codes->list[1], seen, k);
		if (!c)
			continue;
		seen[k++] = c;
		struct hg_out *o = g->out[T_PX];
		hg_i64(o, p->subject);
		hg_comma(o);
		hg_i64(o, a->hadm);
		hg_comma(o);
		hg_i64(o, k);
		hg_comma(o);
		int64_t day = a->admit + hg_below(r, days) * DAY;
		hg_date(o, day > a->disch ? a->disch : day);
		hg_comma(o);
		hg_str(o, c);
		hg_put(o, ",10", 3);
		g->n->procedures++;
		rc = hg_row_end(o, g->err);
	}
	return rc;
}

static int row_drg(struct gen *g, const struct person *p, const struct adm *a, const char *type,
		   const struct drg *d, int sev, int mort)
{
	struct hg_out *o = g->out[T_DRG];
	hg_i64(o, p->subject);
	hg_comma(o);
	hg_i64(o, a->hadm);
	hg_comma(o);
	hg_str(o, type);
	hg_comma(o);
	hg_str(o, d->code);
	hg_comma(o);
	hg_str(o, d->description);
	hg_comma(o);
	if (sev)
		hg_i64(o, sev);
	hg_comma(o);
	if (mort)
		hg_i64(o, mort);
	g->n->drgs++;
	return hg_row_end(o, g->err);
}

static int drgs(struct gen *g, struct hg_rng *r, const struct person *p, const struct adm *a)
{
	int rc = 0;
	if (hg_below(r, 100) < 90) {
		long i = hg_below(r, (long)(sizeof ms_drgs / sizeof *ms_drgs));
		rc = row_drg(g, p, a, "HCFA", &ms_drgs[i], 0, 0);
	}
	if (rc == 0 && hg_below(r, 100) < 85) {
		long i = hg_below(r, (long)(sizeof apr_drgs / sizeof *apr_drgs));
		int sev = 1 + (int)hg_below(r, 4), mort = 1 + (int)hg_below(r, sev);
		rc = row_drg(g, p, a, "APR", &apr_drgs[i], sev, mort);
	}
	return rc;
}

static int admission(struct gen *g, struct hg_rng *r, const struct person *p, const struct adm *a)
{
	int surgical = hg_below(r, 100) < a->type->surg_pct;
	int rc = row_admission(g, p, a);
	if (rc == 0)
		rc = transfers(g, r, p, a);
	if (rc == 0)
		rc = services(g, r, p, a, surgical);
	if (rc == 0)
		rc = diagnoses(g, r, p, a);
	if (rc == 0 && surgical)
		rc = procedures(g, r, p, a);
	if (rc == 0 && !a->type->obs)
		rc = drgs(g, r, p, a);
	return rc;
}

static int patient(struct gen *g, long i, struct person *p)
{
	struct hg_rng r;
	hg_rng_seed(&r, g->o->seed, (uint64_t)i + 1);
	make_person(g, &r, i, p);
	int rc = row_patient(g, &r, p);
	for (int j = 0; rc == 0 && j < p->nadm; j++)
		rc = admission(g, &r, p, &p->adm[j]);
	/* ED visits never admitted (no hadm_id). */
	for (long v = hg_poisson(&r, 0.3); rc == 0 && v > 0; v--) {
		int64_t in = g->t0 + (int64_t)(hg_u01(&r) * (double)(g->t1 - DAY - g->t0));
		rc = row_transfer(g, p, 0, "ED", "Emergency Department", in,
				  in + HOUR + hg_below(&r, 6 * HOUR));
	}
	return rc;
}

/* ---- the run ---------------------------------------------------------- */

void hgen_opts_init(struct hgen_opts *o)
{
	o->seed = 1;
	o->patients = 1000;
	o->mean_encounters = 12;
	o->mean_dx = 5;
	o->header_rate = 0.002;
	o->gzip_level = 1;
}

long long hgen_counts_rows(const struct hgen_counts *n)
{
	return n->patients + n->admissions + n->transfers + n->services + n->diagnoses +
	       n->procedures + n->providers + n->drgs;
}

static int providers(struct gen *g)
{
	int rc = 0;
	for (long i = 0; rc == 0 && i < g->nprov; i++) {
		put_provider(g->out[T_PROV], i);
		g->n->providers++;
		rc = hg_row_end(g->out[T_PROV], g->err);
	}
	return rc;
}

static int run(struct gen *g, const char *hosp)
{
	int rc = 0;
	for (int t = 0; rc == 0 && t < T_N; t++)
		rc = hg_out_open(g->out[t], hosp, tables[t].file, tables[t].header,
				 g->o->gzip_level, g->err);
	if (rc == 0)
		rc = providers(g);
	struct person *p = malloc(sizeof *p);
	if (!p && rc == 0)
		rc = mrt_err_set(g->err, MRT_ENOMEM, "out of memory");
	for (long i = 0; rc == 0 && i < g->o->patients; i++)
		rc = patient(g, i, p);
	free(p);
	if (rc == 0)
		rc = hg_write_dicts(g->codes, hosp, g->o->gzip_level, g->n, g->err);
	for (int t = 0; t < T_N; t++) {
		if (g->out[t]->gz)
			g->n->bytes += g->out[t]->bytes + (long long)g->out[t]->n;
		int rc2 = hg_out_close(g->out[t], &g->n->gzbytes, g->err);
		if (rc == 0)
			rc = rc2;
	}
	return rc;
}

int hgen_write(const char *out_dir, const struct hgen_opts *o, const hgen_codes *codes,
	       struct hgen_counts *n, mrt_err *err)
{
	char hosp[4096];
	memset(n, 0, sizeof *n);
	if (o->patients < 1 || o->mean_encounters < 1 || o->mean_dx < 1 || o->header_rate < 0 ||
	    o->header_rate > 1)
		return mrt_err_set(err, MRT_EINVAL, "generator: bad options");
	int rc = hg_mkdirs(out_dir, hosp, sizeof hosp, err);
	if (rc)
		return rc;
	struct gen g = {.o = o,
			.codes = codes,
			.n = n,
			.err = err,
			.next_hadm = 20000000,
			.next_transfer = 30000000};
	g.nprov = 20 + o->patients / 7;
	g.t0 = (int64_t)mrt_date_from_ymd(2024, 10, 1) * DAY;
	g.t1 = (int64_t)mrt_date_from_ymd(2026, 9, 30) * DAY + DAY - 1;
	for (int t = 0; t < T_N; t++) {
		g.out[t] = calloc(1, sizeof *g.out[t]);
		if (!g.out[t])
			rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	if (rc == 0)
		rc = run(&g, hosp);
	for (int t = 0; t < T_N; t++)
		free(g.out[t]);
	return rc;
}
