/*
 * MIMIC-IV hosp/ table readers; see mimic.h. Each table's columns are
 * resolved by name when the file opens (a missing one stops the file);
 * each row is then parsed field by field through csvrow, and the first bad
 * field rejects the row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/mimic.h"

#define MAXCOLS 16

struct table_spec {
	const char *file;
	const char *cols[MAXCOLS];
	unsigned char opt[MAXCOLS];
	int ncols;
};

static const struct table_spec specs[MIMIC_NTABLES] = {
    [MIMIC_PATIENTS] = {"patients",
			{"subject_id", "gender", "anchor_age", "anchor_year", "anchor_year_group",
			 "dod"},
			{0},
			6},
    [MIMIC_ADMISSIONS] = {"admissions",
			  {"subject_id", "hadm_id", "admittime", "dischtime", "deathtime",
			   "admission_type", "admit_provider_id", "admission_location",
			   "discharge_location", "insurance", "language", "marital_status", "race",
			   "edregtime", "edouttime", "hospital_expire_flag"},
			  {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0},
			  16},
    [MIMIC_TRANSFERS] = {"transfers",
			 {"subject_id", "hadm_id", "transfer_id", "eventtype", "careunit", "intime",
			  "outtime"},
			 {0},
			 7},
    [MIMIC_SERVICES] = {"services",
			{"subject_id", "hadm_id", "transfertime", "prev_service", "curr_service"},
			{0},
			5},
    [MIMIC_DIAGNOSES_ICD] = {"diagnoses_icd",
			     {"subject_id", "hadm_id", "seq_num", "icd_code", "icd_version",
			      "chartdate"},
			     {0, 0, 0, 0, 0, 1},
			     6},
    [MIMIC_PROCEDURES_ICD] = {"procedures_icd",
			      {"subject_id", "hadm_id", "seq_num", "icd_code", "icd_version",
			       "chartdate"},
			      {0},
			      6},
    [MIMIC_PROVIDER] = {"provider", {"provider_id"}, {0}, 1},
    [MIMIC_DRGCODES] = {"drgcodes",
			{"subject_id", "hadm_id", "drg_type", "drg_code", "description",
			 "drg_severity", "drg_mortality"},
			{0, 0, 0, 0, 0, 1, 1},
			7},
};

struct mimic_reader {
	enum mimic_table t;
	csv_reader *csv;
	int idx[MAXCOLS];
};

const char *mimic_table_file(enum mimic_table t)
{
	static const char *const files[MIMIC_NTABLES] = {
	    "patients.csv.gz",	    "admissions.csv.gz",     "transfers.csv.gz", "services.csv.gz",
	    "diagnoses_icd.csv.gz", "procedures_icd.csv.gz", "provider.csv.gz",	 "drgcodes.csv.gz",
	};
	return (unsigned)t < MIMIC_NTABLES ? files[t] : "";
}

int mimic_open_src(mimic_reader **out, enum mimic_table t, mrt_src *src, int own_src, mrt_err *err)
{
	*out = NULL;
	if ((unsigned)t >= MIMIC_NTABLES) {
		if (own_src)
			mrt_src_close(src);
		return mrt_err_set(err, MRT_EINVAL, "unknown MIMIC-IV table");
	}
	mimic_reader *m = calloc(1, sizeof *m);
	if (!m) {
		if (own_src)
			mrt_src_close(src);
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	m->t = t;
	int rc = csv_open(&m->csv, src, own_src, NULL, err);
	if (rc == 0)
		rc = csvrow_columns(m->csv, specs[t].cols, specs[t].opt, m->idx, specs[t].ncols,
				    err);
	if (rc < 0) {
		mimic_close(m);
		return rc;
	}
	*out = m;
	return 0;
}

int mimic_open(mimic_reader **out, enum mimic_table t, const char *hosp_dir, mrt_err *err)
{
	char path[4096];
	*out = NULL;
	if ((unsigned)t >= MIMIC_NTABLES)
		return mrt_err_set(err, MRT_EINVAL, "unknown MIMIC-IV table");
	int k = snprintf(path, sizeof path, "%s/%s.csv.gz", hosp_dir, specs[t].file);
	if (k < 0 || (size_t)k >= sizeof path)
		return mrt_err_set(err, MRT_EINVAL, "path too long");
	if (access(path, F_OK) != 0)
		path[k - 3] = '\0'; /* the uncompressed .csv */
	mrt_src *src = NULL;
	int rc = mrt_src_open(&src, path, err);
	if (rc < 0)
		return rc;
	return mimic_open_src(out, t, src, 1, err);
}

void mimic_close(mimic_reader *m)
{
	if (!m)
		return;
	csv_close(m->csv);
	free(m);
}

csv_reader *mimic_csv(mimic_reader *m)
{
	return m->csv;
}

/* Next record of table t into c: 1, 0, CSV_REJECT or < 0. */
static int next(mimic_reader *m, enum mimic_table t, struct csvrow *c, mrt_err *err)
{
	if (m->t != t && !(t == MIMIC_DIAGNOSES_ICD && m->t == MIMIC_PROCEDURES_ICD))
		return mrt_err_set(err, MRT_EINVAL, "%s: wrong reader for this table",
				   csv_name(m->csv));
	c->r = m->csv;
	c->err = err;
	c->bad = 0;
	return csv_next(m->csv, err);
}

static int finish(struct csvrow *c)
{
	return c->bad ? CSV_REJECT : 1;
}

static void ids(struct csvrow *c, const int *idx, int64_t *subject, int64_t *hadm,
		int hadm_required)
{
	if (csvrow_i64(c, idx[0], 1, subject) > 0 && *subject <= 0)
		csvrow_fail(c, idx[0], "subject_id must be positive");
	if (hadm && csvrow_i64(c, idx[1], hadm_required, hadm) > 0 && *hadm <= 0)
		csvrow_fail(c, idx[1], "hadm_id must be positive");
}

int mimic_read_patient(mimic_reader *m, struct mimic_patient *p, mrt_err *err)
{
	struct csvrow c;
	int rc = next(m, MIMIC_PATIENTS, &c, err);
	if (rc != 1)
		return rc;
	memset(p, 0, sizeof *p);
	const int *x = m->idx;
	ids(&c, x, &p->subject_id, NULL, 0);
	const char *g = csvrow_str(&c, x[1], 1);
	if (*g && (strlen(g) != 1 || (g[0] != 'F' && g[0] != 'M')))
		csvrow_fail(&c, x[1], "gender is not F or M");
	p->gender = g[0];
	csvrow_int(&c, x[2], 1, 0, 150, &p->anchor_age);
	csvrow_int(&c, x[3], 1, 1, 9999, &p->anchor_year);
	p->anchor_year_group = csvrow_str(&c, x[4], 0);
	p->has_dod = csvrow_date(&c, x[5], 0, &p->dod) > 0;
	return finish(&c);
}

int mimic_read_admission(mimic_reader *m, struct mimic_admission *a, mrt_err *err)
{
	struct csvrow c;
	int rc = next(m, MIMIC_ADMISSIONS, &c, err);
	if (rc != 1)
		return rc;
	memset(a, 0, sizeof *a);
	const int *x = m->idx;
	ids(&c, x, &a->subject_id, &a->hadm_id, 1);
	csvrow_time(&c, x[2], 1, &a->admittime);
	csvrow_time(&c, x[3], 1, &a->dischtime);
	a->has_deathtime = csvrow_time(&c, x[4], 0, &a->deathtime) > 0;
	a->admission_type = csvrow_str(&c, x[5], 1);
	a->admit_provider_id = csvrow_str(&c, x[6], 0);
	a->admission_location = csvrow_str(&c, x[7], 0);
	a->discharge_location = csvrow_str(&c, x[8], 0);
	a->insurance = csvrow_str(&c, x[9], 0);
	a->language = csvrow_str(&c, x[10], 0);
	a->marital_status = csvrow_str(&c, x[11], 0);
	a->race = csvrow_str(&c, x[12], 0);
	a->has_edregtime = csvrow_time(&c, x[13], 0, &a->edregtime) > 0;
	a->has_edouttime = csvrow_time(&c, x[14], 0, &a->edouttime) > 0;
	csvrow_int(&c, x[15], 1, 0, 1, &a->hospital_expire_flag);
	a->encounter_class = mimic_encounter_class(a->admission_type);
	/* A death in hospital is status 20 whatever the location says. */
	a->discharge_status =
	    a->hospital_expire_flag ? "20" : mimic_discharge_status(a->discharge_location);
	return finish(&c);
}

int mimic_read_transfer(mimic_reader *m, struct mimic_transfer *t, mrt_err *err)
{
	struct csvrow c;
	int rc = next(m, MIMIC_TRANSFERS, &c, err);
	if (rc != 1)
		return rc;
	memset(t, 0, sizeof *t);
	const int *x = m->idx;
	ids(&c, x, &t->subject_id, &t->hadm_id, 0);
	t->has_hadm_id = t->hadm_id > 0;
	csvrow_i64(&c, x[2], 1, &t->transfer_id);
	t->eventtype = csvrow_str(&c, x[3], 1);
	t->careunit = csvrow_str(&c, x[4], 0);
	csvrow_time(&c, x[5], 1, &t->intime);
	t->has_outtime = csvrow_time(&c, x[6], 0, &t->outtime) > 0;
	return finish(&c);
}

int mimic_read_service(mimic_reader *m, struct mimic_service *s, mrt_err *err)
{
	struct csvrow c;
	int rc = next(m, MIMIC_SERVICES, &c, err);
	if (rc != 1)
		return rc;
	memset(s, 0, sizeof *s);
	const int *x = m->idx;
	ids(&c, x, &s->subject_id, &s->hadm_id, 1);
	csvrow_time(&c, x[2], 1, &s->transfertime);
	s->prev_service = csvrow_str(&c, x[3], 0);
	s->curr_service = csvrow_str(&c, x[4], 1);
	return finish(&c);
}

/* ICD codes come without the dot: letters and digits, 3 to 7 of them. */
static int icd_code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 7)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')))
			return 0;
	}
	return 1;
}

int mimic_read_icd(mimic_reader *m, struct mimic_icd *d, mrt_err *err)
{
	struct csvrow c;
	int rc = next(m, MIMIC_DIAGNOSES_ICD, &c, err);
	if (rc != 1)
		return rc;
	memset(d, 0, sizeof *d);
	const int *x = m->idx;
	ids(&c, x, &d->subject_id, &d->hadm_id, 1);
	csvrow_int(&c, x[2], 1, 1, 999, &d->seq_num);
	d->icd_code = csvrow_str(&c, x[3], 1);
	if (*d->icd_code && !icd_code_ok(d->icd_code))
		csvrow_fail(&c, x[3], "not an ICD code (3-7 letters or digits, no dot)");
	if (csvrow_int(&c, x[4], 1, 9, 10, &d->icd_version) > 0 && d->icd_version != 9 &&
	    d->icd_version != 10)
		csvrow_fail(&c, x[4], "icd_version is not 9 or 10");
	if (m->t == MIMIC_PROCEDURES_ICD)
		csvrow_date(&c, x[5], 1, &d->chartdate);
	return finish(&c);
}

int mimic_read_provider(mimic_reader *m, struct mimic_provider *p, mrt_err *err)
{
	struct csvrow c;
	int rc = next(m, MIMIC_PROVIDER, &c, err);
	if (rc != 1)
		return rc;
	p->provider_id = csvrow_str(&c, m->idx[0], 1);
	return finish(&c);
}

int mimic_read_drg(mimic_reader *m, struct mimic_drg *d, mrt_err *err)
{
	struct csvrow c;
	int rc = next(m, MIMIC_DRGCODES, &c, err);
	if (rc != 1)
		return rc;
	memset(d, 0, sizeof *d);
	const int *x = m->idx;
	ids(&c, x, &d->subject_id, &d->hadm_id, 1);
	d->drg_type = csvrow_str(&c, x[2], 1);
	d->drg_code = csvrow_str(&c, x[3], 1);
	d->description = csvrow_str(&c, x[4], 0);
	csvrow_int(&c, x[5], 0, 1, 4, &d->drg_severity);
	csvrow_int(&c, x[6], 0, 1, 4, &d->drg_mortality);
	return finish(&c);
}
