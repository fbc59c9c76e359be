/*
 * A generator of realistic, entirely synthetic hospital data in the
 * MIMIC-IV hosp/ layout (patients, admissions, transfers, services,
 * diagnoses_icd, procedures_icd, provider, drgcodes, and the code
 * dictionaries d_icd_diagnoses and d_icd_procedures, as CSV.gz), for
 * benchmarks at any scale. Deterministic: the same seed and options give
 * the same bytes, and patient i is the same whatever the patient count.
 *
 * Diagnoses and procedures are real ICD-10-CM / ICD-10-PCS billable codes
 * read at run time from the CMS order files (FY2026, and FY2025 when
 * present: then only codes billable in both, so every code is valid on
 * every date generated), drawn with a Zipf-like popularity; the header
 * codes put in on purpose are likewise headers in both. Dates lie in
 * FY2025-FY2026 (2024-10-01 .. 2026-09-30). Rows stream to gzip as they
 * are made; memory stays flat whatever the scale.
 */
#ifndef MRT_BENCH_HOSPITAL_GEN_H
#define MRT_BENCH_HOSPITAL_GEN_H

#include <stdint.h>

#include "mrt/error.h"

/* The code lists with their popularity tables. */
typedef struct hgen_codes hgen_codes;

/* Loads the order files under data_dir (icd10cm/fy2026, icd10pcs/fy2026,
 * and the fy2025 ones when present). */
int hgen_codes_load(hgen_codes **out, const char *data_dir, mrt_err *err);
void hgen_codes_free(hgen_codes *c);
/* Billable codes in the CM (pcs = 0) or PCS (pcs = 1) list. */
long hgen_codes_count(const hgen_codes *c, int pcs);

struct hgen_opts {
	uint64_t seed;
	long patients;
	double mean_encounters; /* admissions per patient (geometric, >= 1) */
	double mean_dx;		/* diagnoses per admission (1 + Poisson) */
	double header_rate;	/* share of diagnoses given as a non-billable header */
	int gzip_level;		/* 1 (fast) .. 9 */
};
/* Defaults: seed 1, 1000 patients, 12 admissions asked (about 10 made:
 * deaths and stays that would overlap end some), 5 diagnoses, 0.002, 1. */
void hgen_opts_init(struct hgen_opts *o);

struct hgen_counts {
	long long patients, admissions, transfers, services, diagnoses, procedures, providers, drgs;
	long long headers; /* diagnoses given as a non-billable header code */
	long long titles;  /* rows of d_icd_diagnoses and d_icd_procedures */
	long long bytes;   /* uncompressed CSV bytes written */
	long long gzbytes; /* compressed bytes on disk */
};
/* Every row of the patient-data files (not the code dictionaries). */
long long hgen_counts_rows(const struct hgen_counts *n);

/* Writes out_dir/hosp/<table>.csv.gz (creating the folders). */
int hgen_write(const char *out_dir, const struct hgen_opts *o, const hgen_codes *codes,
	       struct hgen_counts *n, mrt_err *err);

#endif
