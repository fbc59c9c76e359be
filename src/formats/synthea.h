/*
 * Typed row readers for Synthea CSV exports (patients, encounters,
 * conditions, procedures, providers, organizations, payers), the same way
 * as the MIMIC-IV readers: strings borrowed until the next read, a bad row
 * returned as CSV_REJECT with the reason (file, line, column) in the error
 * slot, the reader going on. Codes are SNOMED CT as Synthea writes them.
 */
#ifndef MRT_FORMATS_SYNTHEA_H
#define MRT_FORMATS_SYNTHEA_H

#include "formats/csvrow.h"

enum synthea_table {
	SYNTHEA_PATIENTS,
	SYNTHEA_ENCOUNTERS,
	SYNTHEA_CONDITIONS,
	SYNTHEA_PROCEDURES,
	SYNTHEA_PROVIDERS,
	SYNTHEA_ORGANIZATIONS,
	SYNTHEA_PAYERS,
	SYNTHEA_NTABLES
};

struct synthea_patient {
	const char *id;
	mrt_day birthdate, deathdate;
	int has_deathdate;
	const char *ssn, *prefix, *first, *last, *suffix, *maiden, *marital, *race, *ethnicity;
	char gender; /* 'F' or 'M' */
	const char *address, *city, *state, *county, *zip;
};

struct synthea_encounter {
	const char *id, *patient, *organization, *provider, *payer;
	struct csv_time start, stop;
	int has_stop;
	const char *encounterclass; /* as written: ambulatory, wellness, ... */
	const char *mrt_class;	    /* inpatient | outpatient | emergency; NULL when unknown */
	const char *code, *description, *reasoncode, *reasondescription;
};

struct synthea_condition {
	mrt_day start, stop;
	int has_stop;
	const char *patient, *encounter, *code, *description;
};

struct synthea_procedure {
	struct csv_time date; /* DATE, or START in newer exports */
	const char *patient, *encounter, *code, *description, *reasoncode, *reasondescription;
};

struct synthea_provider {
	const char *id, *organization, *name, *gender, *speciality;
};

struct synthea_organization {
	const char *id, *name, *address, *city, *state, *zip, *phone;
};

struct synthea_payer {
	const char *id, *name;
};

typedef struct synthea_reader synthea_reader;

/* "patients.csv" etc. */
const char *synthea_table_file(enum synthea_table t);
/* Opens dir/<table>.csv (or .csv.gz). */
int synthea_open(synthea_reader **out, enum synthea_table t, const char *dir, mrt_err *err);
int synthea_open_src(synthea_reader **out, enum synthea_table t, mrt_src *src, int own_src,
		     mrt_err *err);
void synthea_close(synthea_reader *s);
csv_reader *synthea_csv(synthea_reader *s);

/* Each: 1 = a row, 0 = the end, CSV_REJECT = row rejected, < 0 = stop. */
int synthea_read_patient(synthea_reader *s, struct synthea_patient *row, mrt_err *err);
int synthea_read_encounter(synthea_reader *s, struct synthea_encounter *row, mrt_err *err);
int synthea_read_condition(synthea_reader *s, struct synthea_condition *row, mrt_err *err);
int synthea_read_procedure(synthea_reader *s, struct synthea_procedure *row, mrt_err *err);
int synthea_read_provider(synthea_reader *s, struct synthea_provider *row, mrt_err *err);
int synthea_read_organization(synthea_reader *s, struct synthea_organization *row, mrt_err *err);
int synthea_read_payer(synthea_reader *s, struct synthea_payer *row, mrt_err *err);

/* mrt encounter class for a Synthea ENCOUNTERCLASS; NULL when unknown. */
const char *synthea_encounter_class(const char *encounterclass);

#endif
