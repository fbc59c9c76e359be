/*
 * The state of one MIMIC-IV import, shared by import_mimic.c (files,
 * patients, admissions, the transaction) and import_mimic_rows.c
 * (transfers, services, DRGs, diagnoses and procedures).
 */
#ifndef MRT_SERVICE_IMPORT_MIMIC_INT_H
#define MRT_SERVICE_IMPORT_MIMIC_INT_H

#include "formats/mimic.h"
#include "service/import_mimic.h"
#include "service/import_util.h"

#define MIMIC_MRN_SYSTEM "MIMIC-IV subject_id"
#define MIMIC_PROVIDER_SYSTEM "MIMIC-IV provider_id"

/* One subject, gathered from patients and admissions before it is put. */
struct mimic_pat {
	int64_t subject, id;
	char sex;
	int anchor_age, anchor_year; /* anchor_year 0: not read */
	int has_dod, has_adm, died;
	mrt_day dod;
	struct csv_time last_admit, death_at;
	char *language, *marital, *race;
};

struct mimic_run {
	struct import_dir_run b; /* first: the driver's part (session, database, files) */
	struct mimic_pat *pats;
	size_t npats, cap;
	import_map *subj; /* subject_id -> index in pats */
	import_map *hadm; /* hadm_id -> encounter id, patient id */
	import_map *prov; /* provider_id -> provider id */
	struct import_count n[MIMIC_NTABLES];
	int64_t codings_created, codings_unchanged, unknown_class, unmapped_discharge;
	mrt_buf line;
	json_t *absent;
	import_map *title_map;	/* "d9|code", "p10|code" -> index in titles */
	import_map *codes_used; /* the same keys, for the codes the rows use */
	char **titles;
	size_t ntitles, cap_titles;
	int64_t titles_read, titles_skipped;
};

/* One table being read, with its progress line. */
struct mimic_table_rd {
	enum mimic_table t;
	mimic_reader *m;
	struct import_progress p;
};

/* Opens table t; tb->m stays NULL (and the table is listed as absent) when
 * the file is not there and the table is optional. */
int mimic_tab_open(struct mimic_run *r, enum mimic_table t, int required, struct mimic_table_rd *tb,
		   mrt_err *err);
void mimic_tab_close(struct mimic_table_rd *tb);
/* After a read that returned rc: 1 = a row to use, 0 = rejected (kept),
 * 2 = the end, < 0 = stop (the file's error, or the database's). */
int mimic_tab_step(struct mimic_run *r, struct mimic_table_rd *tb, int rc, mrt_err *rerr,
		   mrt_err *err);
/* Keeps the current row as a reject with reason (no value in it). */
int mimic_reject(struct mimic_run *r, struct mimic_table_rd *tb, const char *reason, mrt_err *err);
/* Encounter and patient of a hadm_id / the patient of a subject_id: 1, or
 * 0 when unknown. */
int mimic_encounter_of(struct mimic_run *r, int64_t hadm, int64_t *enc, int64_t *pat);
int mimic_patient_of(struct mimic_run *r, int64_t subject, int64_t *pat);
/* Provider id for a provider_id, put when new; 0 for "". */
int mimic_provider(struct mimic_run *r, const char *ident, int64_t *id, mrt_err *err);

/* Notes that a kept row uses a code (its title will be wanted). */
int mimic_code_used(struct mimic_run *r, int px, int version, const char *code, mrt_err *err);
/* Titles of the codes used, from d_icd_diagnoses / d_icd_procedures (each
 * optional). */
int mimic_load_titles(struct mimic_run *r, mrt_err *err);
/* The title of a diagnosis (px 0) or procedure (px 1) code, or NULL. */
const char *mimic_title(const struct mimic_run *r, int px, int version, const char *code);
void mimic_titles_free(struct mimic_run *r);

int mimic_load_transfers(struct mimic_run *r, mrt_err *err);
int mimic_load_services(struct mimic_run *r, mrt_err *err);
int mimic_load_drgs(struct mimic_run *r, mrt_err *err);
/* diagnoses_icd and procedures_icd, grouped per encounter. */
int mimic_load_icd(struct mimic_run *r, mrt_err *err);

#endif
