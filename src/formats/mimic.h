/*
 * Typed row readers for the MIMIC-IV hosp/ tables (CSV or CSV.gz): each
 * row parsed and validated into a struct whose strings are borrowed until
 * the next read. A row that cannot be read is returned as CSV_REJECT with
 * the reason (file, line, column) in the error slot; the caller keeps it
 * as a reject and reads on. Also the documented mappings of MIMIC values to
 * UB-04 patient status codes and encounter classes (docs/mimic-mapping.md).
 */
#ifndef MRT_FORMATS_MIMIC_H
#define MRT_FORMATS_MIMIC_H

#include <stdint.h>

#include "formats/csvrow.h"

enum mimic_table {
	MIMIC_PATIENTS,
	MIMIC_ADMISSIONS,
	MIMIC_TRANSFERS,
	MIMIC_SERVICES,
	MIMIC_DIAGNOSES_ICD,
	MIMIC_PROCEDURES_ICD,
	MIMIC_PROVIDER,
	MIMIC_DRGCODES,
	MIMIC_NTABLES
};

enum mimic_class { MIMIC_CLASS_INPATIENT, MIMIC_CLASS_OBSERVATION, MIMIC_CLASS_UNKNOWN };

struct mimic_patient {
	int64_t subject_id;
	char gender; /* 'F' or 'M' */
	int anchor_age, anchor_year;
	const char *anchor_year_group;
	int has_dod;
	mrt_day dod;
};

struct mimic_admission {
	int64_t subject_id, hadm_id;
	struct csv_time admittime, dischtime, deathtime, edregtime, edouttime;
	int has_deathtime, has_edregtime, has_edouttime;
	const char *admission_type, *admit_provider_id, *admission_location, *discharge_location;
	const char *insurance, *language, *marital_status, *race;
	int hospital_expire_flag;
	enum mimic_class encounter_class;
	const char *discharge_status; /* UB-04 patient status, "" when not recorded */
};

struct mimic_transfer {
	int64_t subject_id, hadm_id, transfer_id; /* hadm_id 0: an ED stay never admitted */
	int has_hadm_id, has_outtime;
	const char *eventtype, *careunit;
	struct csv_time intime, outtime;
};

struct mimic_service {
	int64_t subject_id, hadm_id;
	struct csv_time transfertime;
	const char *prev_service, *curr_service;
};

/* diagnoses_icd and procedures_icd (chartdate only for procedures). */
struct mimic_icd {
	int64_t subject_id, hadm_id;
	int seq_num;
	const char *icd_code;
	int icd_version; /* 9 or 10 */
	mrt_day chartdate;
};

struct mimic_provider {
	const char *provider_id;
};

struct mimic_drg {
	int64_t subject_id, hadm_id;
	const char *drg_type, *drg_code, *description;
	int drg_severity, drg_mortality; /* 0 when not given (1..4 otherwise) */
};

typedef struct mimic_reader mimic_reader;

/* "patients.csv.gz" etc. */
const char *mimic_table_file(enum mimic_table t);
/* Opens hosp_dir/<table>.csv.gz (or .csv when that is what exists). */
int mimic_open(mimic_reader **out, enum mimic_table t, const char *hosp_dir, mrt_err *err);
/* Reads from src (closed with the reader when own_src). */
int mimic_open_src(mimic_reader **out, enum mimic_table t, mrt_src *src, int own_src, mrt_err *err);
void mimic_close(mimic_reader *m);
csv_reader *mimic_csv(mimic_reader *m);

/* Each: 1 = a row, 0 = the end, CSV_REJECT = a row rejected (reason in
 * err), < 0 = the file cannot be read on. The reader must be open on the
 * matching table (MRT_EINVAL otherwise). */
int mimic_read_patient(mimic_reader *m, struct mimic_patient *row, mrt_err *err);
int mimic_read_admission(mimic_reader *m, struct mimic_admission *row, mrt_err *err);
int mimic_read_transfer(mimic_reader *m, struct mimic_transfer *row, mrt_err *err);
int mimic_read_service(mimic_reader *m, struct mimic_service *row, mrt_err *err);
int mimic_read_icd(mimic_reader *m, struct mimic_icd *row, mrt_err *err);
int mimic_read_provider(mimic_reader *m, struct mimic_provider *row, mrt_err *err);
int mimic_read_drg(mimic_reader *m, struct mimic_drg *row, mrt_err *err);

/* UB-04 patient status code for a discharge_location value; "" for an
 * empty value; NULL for a value not in the table. */
const char *mimic_discharge_status(const char *discharge_location);
/* Encounter class for an admission_type; MIMIC_CLASS_UNKNOWN when not known. */
enum mimic_class mimic_encounter_class(const char *admission_type);
const char *mimic_class_name(enum mimic_class c);

#endif
