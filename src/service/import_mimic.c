/*
 * MIMIC-IV hosp import (see import_mimic.h): the files, the one
 * transaction, providers, patients and admissions. Patients are put once
 * each, with what admissions add (language, marital status and race of the
 * latest admission; death from hospital_expire_flag / deathtime, else
 * patients.dod), so a second run puts exactly the same values and changes
 * nothing. Other tables are in import_mimic_rows.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/str.h"
#include "service/import_mimic_int.h"

static const char *table_name(enum mimic_table t)
{
	static const char *const names[MIMIC_NTABLES] = {
	    "patients",	     "admissions",     "transfers", "services",
	    "diagnoses_icd", "procedures_icd", "provider",  "drgcodes",
	};
	return names[t];
}

int mimic_tab_open(struct mimic_run *r, enum mimic_table t, int required, struct mimic_table_rd *tb,
		   mrt_err *err)
{
	memset(tb, 0, sizeof *tb);
	tb->t = t;
	int rc = import_path(r->b.path, r->b.dir, mimic_table_file(t), err);
	if (rc)
		return rc;
	if (!import_file_exists(r->b.path))
		r->b.path[strlen(r->b.path) - 3] = '\0'; /* the uncompressed .csv */
	if (!import_file_exists(r->b.path)) {
		if (required)
			return mrt_err_set(err, MRT_ENOTFOUND, "%s: no %s (.csv.gz or .csv)",
					   r->b.dir, table_name(t));
		return json_array_append_new(r->absent, json_string(table_name(t))) ? MRT_ENOMEM
										    : 0;
	}
	if ((rc = mimic_open(&tb->m, t, r->b.dir, err)) != 0) {
		r->b.file_failed = 1;
		r->b.fail_line = 1;
		return rc;
	}
	struct stat st;
	import_progress_start(&tb->p, table_name(t),
			      stat(r->b.path, &st) == 0 ? (uint64_t)st.st_size : 0);
	return 0;
}

void mimic_tab_close(struct mimic_table_rd *tb)
{
	if (!tb->m)
		return;
	import_progress_end(&tb->p);
	mimic_close(tb->m);
	tb->m = NULL;
}

int mimic_reject(struct mimic_run *r, struct mimic_table_rd *tb, const char *reason, mrt_err *err)
{
	r->n[tb->t].rejected++;
	return import_reject_row(r->b.db, &r->b.ctx, "mimic", r->b.path, mimic_csv(tb->m), reason,
				 &r->line, err);
}

int mimic_tab_step(struct mimic_run *r, struct mimic_table_rd *tb, int rc, mrt_err *rerr,
		   mrt_err *err)
{
	if (rc == 0)
		return 2;
	if (rc < 0) {
		r->b.file_failed = 1;
		r->b.fail_line = csv_lineno(mimic_csv(tb->m));
		*err = *rerr;
		return rc;
	}
	r->n[tb->t].read++;
	unsigned long long at = csv_src_bytes(mimic_csv(tb->m));
	if (at > tb->p.done)
		import_progress_add(&tb->p, at - tb->p.done);
	if (rc != CSV_REJECT)
		return 1;
	rc = mimic_reject(r, tb, rerr->msg, err);
	return rc ? rc : 0;
}

int mimic_patient_of(struct mimic_run *r, int64_t subject, int64_t *pat)
{
	int64_t i;
	if (!import_map_get_i(r->subj, subject, &i, NULL) || !r->pats[i].id)
		return 0;
	*pat = r->pats[i].id;
	return 1;
}

int mimic_encounter_of(struct mimic_run *r, int64_t hadm, int64_t *enc, int64_t *pat)
{
	return import_map_get_i(r->hadm, hadm, enc, pat);
}

static void count_put(struct import_count *n, int existed, int changed)
{
	if (!existed)
		n->created++;
	else if (changed)
		n->updated++;
	else
		n->unchanged++;
}

int mimic_provider(struct mimic_run *r, const char *ident, int64_t *id, mrt_err *err)
{
	*id = 0;
	if (!ident || !*ident || import_map_get(r->prov, ident, id, NULL))
		return 0;
	mrt_err ferr = {0};
	int existed = chart_provider_find(r->b.db, MIMIC_PROVIDER_SYSTEM, ident, id, &ferr) == 0;
	struct chart_provider p = {.system = MIMIC_PROVIDER_SYSTEM, .ident = ident};
	int changed = 0;
	int rc = chart_provider_put(r->b.db, &r->b.ctx, &p, id, &changed, err);
	if (rc)
		return rc;
	count_put(&r->n[MIMIC_PROVIDER], existed, changed);
	return import_map_put(r->prov, ident, *id, 0)
		   ? mrt_err_set(err, MRT_ENOMEM, "out of memory")
		   : 0;
}

static int load_providers(struct mimic_run *r, mrt_err *err)
{
	struct mimic_table_rd tb;
	int rc = mimic_tab_open(r, MIMIC_PROVIDER, 0, &tb, err);
	while (rc == 0 && tb.m) {
		struct mimic_provider row;
		mrt_err rerr = {0};
		int k = mimic_tab_step(r, &tb, mimic_read_provider(tb.m, &row, &rerr), &rerr, err);
		if (k == 2)
			break;
		int64_t id;
		rc = k < 0 ? k : k == 1 ? mimic_provider(r, row.provider_id, &id, err) : 0;
	}
	mimic_tab_close(&tb);
	return rc;
}

/* The subject's entry, made when new. */
static struct mimic_pat *pat_get(struct mimic_run *r, int64_t subject, mrt_err *err)
{
	int64_t i;
	if (import_map_get_i(r->subj, subject, &i, NULL))
		return &r->pats[i];
	if (r->npats == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct mimic_pat *p = realloc(r->pats, cap * sizeof *p);
		if (!p)
			goto nomem;
		r->pats = p;
		r->cap = cap;
	}
	if (import_map_put_i(r->subj, subject, (int64_t)r->npats, 0) != 0)
		goto nomem;
	struct mimic_pat *p = &r->pats[r->npats++];
	memset(p, 0, sizeof *p);
	p->subject = subject;
	return p;
nomem:
	mrt_err_set(err, MRT_ENOMEM, "out of memory");
	return NULL;
}

static int load_patient_rows(struct mimic_run *r, mrt_err *err)
{
	struct mimic_table_rd tb;
	int rc = mimic_tab_open(r, MIMIC_PATIENTS, 1, &tb, err);
	while (rc == 0) {
		struct mimic_patient row;
		mrt_err rerr = {0};
		int k = mimic_tab_step(r, &tb, mimic_read_patient(tb.m, &row, &rerr), &rerr, err);
		if (k == 2 || k < 0) {
			rc = k < 0 ? k : 0;
			break;
		}
		if (k == 0)
			continue;
		struct mimic_pat *p = pat_get(r, row.subject_id, err);
		if (!p) {
			rc = err->code;
			break;
		}
		p->sex = row.gender;
		p->anchor_age = row.anchor_age;
		p->anchor_year = row.anchor_year;
		p->has_dod = row.has_dod;
		p->dod = row.dod;
	}
	mimic_tab_close(&tb);
	return rc;
}

static int time_cmp(const struct csv_time *a, const struct csv_time *b)
{
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return a->sec < b->sec ? -1 : a->sec > b->sec;
}

static int set_str(char **dst, const char *v)
{
	import_free_str(*dst);
	*dst = NULL;
	if (!v || !*v)
		return 0;
	*dst = mrt_strndup(v, strlen(v));
	return *dst ? 0 : MRT_ENOMEM;
}

/* What one admission adds to its subject. */
static int gather_admission(struct mimic_run *r, const struct mimic_admission *a, mrt_err *err)
{
	struct mimic_pat *p = pat_get(r, a->subject_id, err);
	if (!p)
		return err->code;
	if (!p->has_adm || time_cmp(&a->admittime, &p->last_admit) > 0) {
		p->has_adm = 1;
		p->last_admit = a->admittime;
		if (set_str(&p->language, a->language) || set_str(&p->marital, a->marital_status) ||
		    set_str(&p->race, a->race))
			return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	if (a->hospital_expire_flag || a->has_deathtime) {
		struct csv_time t = a->has_deathtime ? a->deathtime : a->dischtime;
		if (!p->died || time_cmp(&t, &p->death_at) > 0)
			p->death_at = t;
		p->died = 1;
	}
	return 0;
}

/* First pass over admissions: only gathers (rows are kept as rejects on
 * the second pass). */
static int gather_admissions(struct mimic_run *r, mrt_err *err)
{
	struct mimic_table_rd tb;
	int rc = mimic_tab_open(r, MIMIC_ADMISSIONS, 1, &tb, err);
	if (rc == 0)
		tb.p.what = "admissions (patients' details)";
	while (rc == 0) {
		struct mimic_admission row;
		mrt_err rerr = {0};
		int k = mimic_read_admission(tb.m, &row, &rerr);
		if (k == 0)
			break;
		unsigned long long at = csv_src_bytes(mimic_csv(tb.m));
		if (at > tb.p.done)
			import_progress_add(&tb.p, at - tb.p.done);
		if (k < 0) {
			r->b.file_failed = 1;
			r->b.fail_line = csv_lineno(mimic_csv(tb.m));
			*err = rerr;
			rc = k;
		} else if (k == 1) {
			rc = gather_admission(r, &row, err);
		}
	}
	mimic_tab_close(&tb);
	return rc;
}

static int put_patient(struct mimic_run *r, struct mimic_pat *p, mrt_err *err)
{
	char mrn[24], dod[MRT_DATE_LEN], death[IMPORT_TIME_LEN], sex[2] = {p->sex, 0};
	snprintf(mrn, sizeof mrn, "%" PRId64, p->subject);
	struct chart_patient cp;
	chart_patient_init(&cp);
	cp.mrn = mrn;
	cp.mrn_system = MIMIC_MRN_SYSTEM;
	cp.source_ref = mrn;
	cp.sex = p->sex ? sex : NULL;
	cp.language = p->language;
	cp.marital_status = p->marital;
	cp.race = p->race;
	if (p->died) {
		import_time_iso(death, &p->death_at);
		cp.deceased = 1;
		cp.death_at = death;
	} else if (p->has_dod) {
		mrt_date_format(dod, p->dod);
		cp.deceased = 1;
		cp.death_at = dod;
	}
	mrt_err ferr = {0};
	int64_t old;
	int existed = chart_patient_by_mrn(r->b.db, mrn, &old, &ferr) == 0;
	int changed = 0;
	int rc = chart_patient_put(r->b.db, &r->b.ctx, &cp, &p->id, &changed, err);
	if (rc == 0 && p->anchor_year) {
		/* MIMIC publishes the age in an anchor year, not a birth date. */
		int aged = 0;
		rc = chart_patient_age_anchor_put(r->b.db, &r->b.ctx, p->id, p->anchor_age,
		                                  p->anchor_year, &aged, err);
		changed |= aged;
	}
	if (rc == 0)
		count_put(&r->n[MIMIC_PATIENTS], existed, changed);
	return rc;
}

static int load_patients(struct mimic_run *r, mrt_err *err)
{
	int rc = load_patient_rows(r, err);
	if (rc == 0)
		rc = gather_admissions(r, err);
	struct import_progress p;
	import_progress_start(&p, "patients (put)", r->npats);
	for (size_t i = 0; rc == 0 && i < r->npats; i++) {
		rc = put_patient(r, &r->pats[i], err);
		import_progress_add(&p, 1);
	}
	import_progress_end(&p);
	return rc;
}

static int put_encounter(struct mimic_run *r, struct mimic_table_rd *tb,
			 const struct mimic_admission *a, mrt_err *err)
{
	int64_t pat, attending = 0, enc;
	if (!mimic_patient_of(r, a->subject_id, &pat))
		return mimic_reject(r, tb, "no patient for this subject_id", err);
	int rc = mimic_provider(r, a->admit_provider_id, &attending, err);
	if (rc)
		return rc;
	char acct[24], adm[IMPORT_TIME_LEN], dis[IMPORT_TIME_LEN];
	snprintf(acct, sizeof acct, "%" PRId64, a->hadm_id);
	import_time_iso(adm, &a->admittime);
	import_time_iso(dis, &a->dischtime);
	struct chart_encounter e;
	chart_encounter_init(&e);
	e.account = acct;
	e.source_ref = acct;
	e.klass =
	    a->encounter_class == MIMIC_CLASS_UNKNOWN ? NULL : mimic_class_name(a->encounter_class);
	r->unknown_class += a->encounter_class == MIMIC_CLASS_UNKNOWN;
	e.status = "finished";
	e.admit_at = adm;
	e.discharge_at = dis;
	e.admit_type = a->admission_type;
	e.admit_source = a->admission_location;
	e.discharge_location = a->discharge_location;
	e.discharge_status = a->discharge_status;
	r->unmapped_discharge += a->discharge_status == NULL;
	e.payer = a->insurance;
	e.attending_id = attending;
	mrt_err ferr = {0};
	int existed = chart_encounter_by_account(r->b.db, acct, &enc, NULL, &ferr) == 0;
	int changed = 0;
	if ((rc = chart_encounter_put(r->b.db, &r->b.ctx, pat, &e, &enc, &changed, err)) != 0)
		return rc;
	count_put(&r->n[MIMIC_ADMISSIONS], existed, changed);
	return import_map_put_i(r->hadm, a->hadm_id, enc, pat)
		   ? mrt_err_set(err, MRT_ENOMEM, "out of memory")
		   : 0;
}

static int load_admissions(struct mimic_run *r, mrt_err *err)
{
	struct mimic_table_rd tb;
	int rc = mimic_tab_open(r, MIMIC_ADMISSIONS, 1, &tb, err);
	while (rc == 0) {
		struct mimic_admission row;
		mrt_err rerr = {0};
		int k = mimic_tab_step(r, &tb, mimic_read_admission(tb.m, &row, &rerr), &rerr, err);
		if (k == 2)
			break;
		rc = k < 0 ? k : k == 1 ? put_encounter(r, &tb, &row, err) : 0;
	}
	mimic_tab_close(&tb);
	return rc;
}

static int resolve_hosp(struct mimic_run *r, const char *dir, mrt_err *err)
{
	char p[PATH_MAX];
	if (!dir || !*dir)
		return mrt_err_set(err, MRT_EINVAL, "give the MIMIC-IV directory (holding hosp/)");
	int rc = import_path(p, dir, "hosp", err);
	if (rc)
		return rc;
	const char *use = import_dir_exists(p) ? p : dir;
	if ((rc = import_dir_canon(r->b.dir, use, err)) != 0)
		return mrt_err_set(err, MRT_ENOTFOUND, "%s: not a directory", dir);
	return 0;
}

static int run_all(struct import_dir_run *b, mrt_err *err)
{
	struct mimic_run *r = (struct mimic_run *)b;
	int rc = load_providers(r, err);
	if (rc == 0)
		rc = load_patients(r, err);
	if (rc == 0)
		rc = load_admissions(r, err);
	if (rc == 0)
		rc = mimic_load_transfers(r, err);
	if (rc == 0)
		rc = mimic_load_services(r, err);
	if (rc == 0)
		rc = mimic_load_icd(r, err);
	if (rc == 0)
		rc = mimic_load_drgs(r, err);
	return rc;
}

static int64_t total_rejected(const struct mimic_run *r)
{
	int64_t n = 0;
	for (int t = 0; t < MIMIC_NTABLES; t++)
		n += r->n[t].rejected;
	return n;
}

static json_t *report_json(struct import_dir_run *b, double secs)
{
	struct mimic_run *r = (struct mimic_run *)b;
	static const enum mimic_table order[] = {
	    MIMIC_PROVIDER, MIMIC_PATIENTS,	 MIMIC_ADMISSIONS,     MIMIC_TRANSFERS,
	    MIMIC_SERVICES, MIMIC_DIAGNOSES_ICD, MIMIC_PROCEDURES_ICD, MIMIC_DRGCODES,
	};
	json_t *tables = json_object();
	for (size_t i = 0; tables && i < sizeof order / sizeof *order; i++)
		json_object_set_new(tables, table_name(order[i]),
				    import_count_json(&r->n[order[i]]));
	return json_pack(
	    "{s:s,s:s,s:o,s:O,s:I,s:{s:I,s:I},s:{s:I,s:I},s:{s:I,s:I,s:I},s:f}", "source", "mimic",
	    "dir", r->b.dir, "tables", tables, "absent", r->absent, "rejected",
	    (json_int_t)total_rejected(r), "codings", "created", (json_int_t)r->codings_created,
	    "unchanged", (json_int_t)r->codings_unchanged, "unmapped", "admission_type",
	    (json_int_t)r->unknown_class, "discharge_location", (json_int_t)r->unmapped_discharge,
	    "titles", "read", (json_int_t)r->titles_read, "used", (json_int_t)r->ntitles, "skipped",
	    (json_int_t)r->titles_skipped, "seconds", secs);
}

static int audit_done(struct import_dir_run *b, mrt_err *err)
{
	struct mimic_run *r = (struct mimic_run *)b;
	char detail[400];
	const struct import_count *n = r->n;
	snprintf(detail, sizeof detail,
		 "read: providers %" PRId64 ", patients %" PRId64 ", admissions %" PRId64
		 ", transfers %" PRId64 ", services %" PRId64 ", diagnoses %" PRId64
		 ", procedures %" PRId64 ", drgs %" PRId64 "; patients created %" PRId64
		 ", encounters created %" PRId64 ", codings written %" PRId64 "; rejected %" PRId64,
		 n[MIMIC_PROVIDER].read, n[MIMIC_PATIENTS].read, n[MIMIC_ADMISSIONS].read,
		 n[MIMIC_TRANSFERS].read, n[MIMIC_SERVICES].read, n[MIMIC_DIAGNOSES_ICD].read,
		 n[MIMIC_PROCEDURES_ICD].read, n[MIMIC_DRGCODES].read, n[MIMIC_PATIENTS].created,
		 n[MIMIC_ADMISSIONS].created, r->codings_created, total_rejected(r));
	struct mrt_audit_rec a = {.action = "import.mimic",
				  .object_type = "import",
				  .object_id = "mimic",
				  .detail = detail};
	return mrt_session_audit(r->b.s, &a, err);
}

static void run_free(struct mimic_run *r)
{
	for (size_t i = 0; i < r->npats; i++) {
		import_free_str(r->pats[i].language);
		import_free_str(r->pats[i].marital);
		import_free_str(r->pats[i].race);
	}
	import_free_zero(r->pats, r->cap * sizeof *r->pats);
	import_map_free(r->subj);
	import_map_free(r->hadm);
	import_map_free(r->prov);
	mrt_buf_free(&r->line);
	json_decref(r->absent);
	import_dir_run_free(&r->b);
	mimic_titles_free(r);
	free(r);
}

static int run_new(struct mimic_run **out, mrt_session *s, mrt_err *err)
{
	struct mimic_run *r = calloc(1, sizeof *r);
	*out = r;
	if (!r)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	int rc = import_dir_run_init(&r->b, s, "mimic", err);
	if (rc)
		return rc;
	mrt_buf_init(&r->line, (size_t)16 << 20);
	r->subj = import_map_new();
	r->hadm = import_map_new();
	r->prov = import_map_new();
	r->title_map = import_map_new();
	r->codes_used = import_map_new();
	r->absent = json_array();
	if (!r->subj || !r->hadm || !r->prov || !r->title_map || !r->codes_used || !r->absent)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	return 0;
}

static const struct import_dir_steps steps = { "mimic", "import.mimic", run_all, audit_done,
	                                          report_json };

int import_mimic(mrt_session *s, const char *dir, json_t **report, mrt_err *err)
{
	*report = NULL;
	struct mimic_run *r = NULL;
	int rc = mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "import.mimic", err);
	if (rc == 0 && (rc = run_new(&r, s, err)) == 0 && (rc = resolve_hosp(r, dir, err)) == 0)
		rc = import_dir_run(&r->b, &steps, report, err);
	if (r)
		run_free(r);
	return rc;
}
