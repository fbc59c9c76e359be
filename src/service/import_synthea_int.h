/*
 * The state of one Synthea CSV import, shared by import_synthea.c (files,
 * reference tables, patients, the transaction) and import_synthea_rows.c
 * (encounters, conditions, procedures).
 */
#ifndef MRT_SERVICE_IMPORT_SYNTHEA_INT_H
#define MRT_SERVICE_IMPORT_SYNTHEA_INT_H

#include "formats/synthea.h"
#include "service/import_synthea.h"
#include "service/import_util.h"

#define SYNTHEA_SYSTEM "Synthea"
#define SYNTHEA_SSN_SYSTEM "http://hl7.org/fhir/sid/us-ssn"

struct syn_names {
	char **v;
	size_t n, cap;
};

struct syn_run {
	struct import_dir_run b; /* first: the driver's part (session, database, files) */
	import_map *pat;   /* patient Id -> patient id */
	import_map *enc;   /* encounter Id -> encounter id, patient id */
	import_map *prov;  /* provider Id -> provider id */
	import_map *org;   /* organization Id -> index in names */
	import_map *payer; /* payer Id -> index in names */
	struct syn_names names;
	struct import_count n[SYNTHEA_NTABLES];
	int64_t codings_created, codings_unchanged, unknown_class;
	mrt_buf line;
	json_t *absent;
};

struct syn_tab {
	enum synthea_table t;
	synthea_reader *rd;
	struct import_progress p;
};

int syn_tab_open(struct syn_run *r, enum synthea_table t, int required, struct syn_tab *tb,
		 mrt_err *err);
void syn_tab_close(struct syn_tab *tb);
/* 1 = a row to use, 0 = rejected (kept), 2 = the end, < 0 = stop. */
int syn_tab_step(struct syn_run *r, struct syn_tab *tb, int rc, mrt_err *rerr, mrt_err *err);
int syn_reject(struct syn_run *r, struct syn_tab *tb, const char *reason, mrt_err *err);
void syn_count_put(struct import_count *n, int existed, int changed);
/* The name kept for an organization / payer Id, or NULL. */
const char *syn_name(const struct syn_run *r, const import_map *m, const char *id);

int syn_load_encounters(struct syn_run *r, mrt_err *err);
/* conditions or procedures, grouped per encounter. */
int syn_load_codes(struct syn_run *r, enum synthea_table t, mrt_err *err);

#endif
