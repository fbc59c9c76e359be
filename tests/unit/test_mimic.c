/*
 * Unit tests for src/formats/mimic: the MIMIC-IV demo's hosp/ tables read
 * through the typed readers (row counts, ICD-9/ICD-10 split, every
 * discharge_location mapped to a UB-04 status), a truncated .csv.gz copy,
 * and hand-made rows for each rejection (bad id, date-time, version,
 * gender, missing column, wrong reader).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "formats/mimic.h"

static char hosp[4096];

static int have_demo(void)
{
	const char *d = getenv("MRT_DATA");
	const char *s = getenv("MRT_SOURCE_DIR");
	char base[3000];
	if (d && *d)
		snprintf(base, sizeof base, "%s", d);
	else
		snprintf(base, sizeof base, "%s/../shared/data", s && *s ? s : ".");
	snprintf(hosp, sizeof hosp, "%s/mimic-iv-demo-2.2/hosp", base);
	char f[4200];
	snprintf(f, sizeof f, "%s/admissions.csv.gz", hosp);
	return access(f, R_OK) == 0;
}

/* Reads every row of table t; counts rows, ICD-10 rows, unmapped values. */
struct tally {
	long rows, rejects, icd10, unmapped, unknown_class, deaths;
};

static void read_all(enum mimic_table t, struct tally *n)
{
	mrt_err err = {0};
	mimic_reader *m = NULL;
	memset(n, 0, sizeof *n);
	assert_int_equal(mimic_open(&m, t, hosp, &err), 0);
	for (;;) {
		int rc;
		union {
			struct mimic_patient p;
			struct mimic_admission a;
			struct mimic_transfer tr;
			struct mimic_service s;
			struct mimic_icd d;
			struct mimic_provider pr;
			struct mimic_drg g;
		} row;
		switch (t) {
		case MIMIC_PATIENTS:
			rc = mimic_read_patient(m, &row.p, &err);
			break;
		case MIMIC_ADMISSIONS:
			rc = mimic_read_admission(m, &row.a, &err);
			break;
		case MIMIC_TRANSFERS:
			rc = mimic_read_transfer(m, &row.tr, &err);
			break;
		case MIMIC_SERVICES:
			rc = mimic_read_service(m, &row.s, &err);
			break;
		case MIMIC_PROVIDER:
			rc = mimic_read_provider(m, &row.pr, &err);
			break;
		case MIMIC_DRGCODES:
			rc = mimic_read_drg(m, &row.g, &err);
			break;
		default:
			rc = mimic_read_icd(m, &row.d, &err);
			break;
		}
		if (rc == 0)
			break;
		if (rc == CSV_REJECT) {
			fprintf(stderr, "reject: %s\n", err.msg);
			n->rejects++;
			continue;
		}
		assert_int_equal(rc, 1);
		n->rows++;
		if ((t == MIMIC_DIAGNOSES_ICD || t == MIMIC_PROCEDURES_ICD) &&
		    row.d.icd_version == 10)
			n->icd10++;
		if (t == MIMIC_ADMISSIONS) {
			if (!row.a.discharge_status) {
				fprintf(stderr, "unmapped discharge_location at line %lu\n",
					csv_lineno(mimic_csv(m)));
				n->unmapped++;
			} else if (*row.a.discharge_location) {
				assert_int_equal(strlen(row.a.discharge_status), 2);
			}
			n->unknown_class += row.a.encounter_class == MIMIC_CLASS_UNKNOWN;
			if (strcmp(row.a.discharge_location, "DIED") == 0) {
				assert_string_equal(row.a.discharge_status, "20");
				assert_true(row.a.has_deathtime);
				n->deaths++;
			}
			assert_true(row.a.dischtime.day >= row.a.admittime.day - 1);
		}
	}
	mimic_close(m);
}

static void test_demo_counts(void **state)
{
	(void)state;
	if (!have_demo())
		skip();
	struct tally n;
	read_all(MIMIC_PATIENTS, &n);
	assert_int_equal(n.rows, 100);
	read_all(MIMIC_ADMISSIONS, &n);
	assert_int_equal(n.rows, 275);
	assert_int_equal(n.unmapped, 0);
	assert_int_equal(n.unknown_class, 0);
	assert_int_equal(n.deaths, 15);
	read_all(MIMIC_DIAGNOSES_ICD, &n);
	assert_int_equal(n.rows, 4506);
	assert_int_equal(n.icd10, 2313);
	assert_int_equal(n.rows - n.icd10, 2193);
	read_all(MIMIC_PROCEDURES_ICD, &n);
	assert_int_equal(n.rows, 722);
	assert_int_equal(n.icd10, 321);
	read_all(MIMIC_TRANSFERS, &n);
	assert_int_equal(n.rows, 1190);
	read_all(MIMIC_SERVICES, &n);
	assert_int_equal(n.rows, 319);
	read_all(MIMIC_DRGCODES, &n);
	assert_int_equal(n.rows, 454);
	read_all(MIMIC_PROVIDER, &n);
	assert_true(n.rows > 0);
	assert_int_equal(n.rejects, 0);
}

static void test_truncated_gz(void **state)
{
	(void)state;
	if (!have_demo())
		skip();
	char src[4200], dir[] = "/tmp/mrt-mimic-XXXXXX", dst[4200];
	assert_non_null(mkdtemp(dir));
	snprintf(src, sizeof src, "%s/diagnoses_icd.csv.gz", hosp);
	snprintf(dst, sizeof dst, "%s/diagnoses_icd.csv.gz", dir);
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	assert_non_null(in);
	assert_non_null(out);
	static unsigned char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, in);
	fclose(in);
	assert_true(n > 1000);
	fwrite(buf, 1, n / 2, out);
	fclose(out);
	mrt_err err = {0};
	mimic_reader *m = NULL;
	assert_int_equal(mimic_open(&m, MIMIC_DIAGNOSES_ICD, dir, &err), 0);
	struct mimic_icd d;
	int rc;
	long rows = 0;
	do {
		rc = mimic_read_icd(m, &d, &err);
		rows += rc == 1;
	} while (rc == 1);
	assert_int_equal(rc, MRT_EPARSE);
	assert_true(rows > 0 && rows < 4506);
	assert_non_null(strstr(err.msg, dst));
	assert_non_null(strstr(err.msg, "truncated gzip"));
	assert_non_null(strstr(err.msg, "while reading line"));
	mimic_close(m);
	unlink(dst);
	rmdir(dir);
}

static mimic_reader *open_text(enum mimic_table t, const char *text, mrt_err *err, int *rc)
{
	mrt_src *s = NULL;
	mimic_reader *m = NULL;
	*rc = mrt_src_open_mem(&s, "hand.csv", text, strlen(text), err);
	if (*rc == 0)
		*rc = mimic_open_src(&m, t, s, 1, err);
	return m;
}

static void expect_reject(enum mimic_table t, const char *text, const char *col, const char *what)
{
	mrt_err err = {0};
	int rc;
	mimic_reader *m = open_text(t, text, &err, &rc);
	assert_int_equal(rc, 0);
	struct mimic_admission a;
	struct mimic_icd d;
	struct mimic_patient p;
	struct mimic_transfer tr;
	struct mimic_service sv;
	struct mimic_drg g;
	struct mimic_provider pv;
	if (t == MIMIC_SERVICES)
		rc = mimic_read_service(m, &sv, &err);
	else if (t == MIMIC_DRGCODES)
		rc = mimic_read_drg(m, &g, &err);
	else if (t == MIMIC_PROVIDER)
		rc = mimic_read_provider(m, &pv, &err);
	else if (t == MIMIC_ADMISSIONS)
		rc = mimic_read_admission(m, &a, &err);
	else if (t == MIMIC_PATIENTS)
		rc = mimic_read_patient(m, &p, &err);
	else if (t == MIMIC_TRANSFERS)
		rc = mimic_read_transfer(m, &tr, &err);
	else
		rc = mimic_read_icd(m, &d, &err);
	assert_int_equal(rc, CSV_REJECT);
	assert_non_null(strstr(err.msg, "hand.csv: line 2 (record 1)"));
	assert_non_null(strstr(err.msg, col));
	assert_non_null(strstr(err.msg, what));
	/* the reader goes on after a reject */
	if (t == MIMIC_PATIENTS) {
		assert_int_equal(mimic_read_patient(m, &p, &err), 1);
		assert_int_equal(p.subject_id, 10000002);
	}
	mimic_close(m);
}

#define PAT "subject_id,gender,anchor_age,anchor_year,anchor_year_group,dod\n"
#define DX "subject_id,hadm_id,seq_num,icd_code,icd_version\n"
#define ADM                                                                                        \
	"subject_id,hadm_id,admittime,dischtime,deathtime,admission_type,admit_provider_id,"       \
	"admission_location,discharge_location,insurance,language,marital_status,race,edregtime,"  \
	"edouttime,hospital_expire_flag\n"

static void test_rejects(void **state)
{
	(void)state;
	expect_reject(MIMIC_PATIENTS, PAT "x1,F,30,2150,2011 - 2013,\n10000002,M,40,2150,,\n",
		      "'subject_id'", "not an integer");
	expect_reject(MIMIC_PATIENTS, PAT "-5,F,30,2150,,\n10000002,M,40,2150,,\n", "'subject_id'",
		      "positive");
	expect_reject(MIMIC_PATIENTS, PAT "1,X,30,2150,,\n10000002,M,40,2150,,\n", "'gender'",
		      "F or M");
	expect_reject(MIMIC_PATIENTS, PAT "1,F,300,2150,,\n10000002,M,40,2150,,\n", "'anchor_age'",
		      "range");
	expect_reject(MIMIC_PATIENTS, PAT "1,F,30,2150,,2150-02-30\n10000002,M,40,2150,,\n",
		      "'dod'", "date");
	expect_reject(MIMIC_PATIENTS, PAT "1,F,30\n10000002,M,40,2150,,\n", "'anchor_year'",
		      "too few");
	expect_reject(MIMIC_DIAGNOSES_ICD, DX "1,2,1,I10,11\n", "'icd_version'", "range");
	expect_reject(MIMIC_DIAGNOSES_ICD, DX "1,2,0,I10,10\n", "'seq_num'", "range");
	expect_reject(MIMIC_DIAGNOSES_ICD, DX "1,2,1,I1.0,10\n", "'icd_code'", "not an ICD code");
	expect_reject(MIMIC_DIAGNOSES_ICD, DX "1,,1,I10,10\n", "'hadm_id'", "empty");
	expect_reject(MIMIC_ADMISSIONS,
		      ADM "1,2,2150-01-01 25:00:00,2150-01-02 10:00:00,,URGENT,,,HOME,,,,,,,0\n",
		      "'admittime'", "date-time");
	expect_reject(MIMIC_ADMISSIONS,
		      ADM "1,2,2150-01-01 10:00:00,2150-01-02,,URGENT,,,HOME,,,,,,,0\n",
		      "'dischtime'", "date-time");
	expect_reject(MIMIC_ADMISSIONS,
		      ADM "1,2,2150-01-01 10:00:00,2150-01-02 10:00:00,,URGENT,,,HOME,,,,,,,2\n",
		      "'hospital_expire_flag'", "range");
	expect_reject(MIMIC_SERVICES,
		      "subject_id,hadm_id,transfertime,prev_service,curr_service\n1,2,2150-01-01 "
		      "10:00:00,MED,\n",
		      "'curr_service'", "empty");
	expect_reject(
	    MIMIC_DRGCODES,
	    "subject_id,hadm_id,drg_type,drg_code,description,drg_severity,drg_mortality\n"
	    "1,2,APR,123,X,5,1\n",
	    "'drg_severity'", "range");
	expect_reject(MIMIC_PROVIDER, "provider_id\n\"\"\n", "'provider_id'", "empty");
	expect_reject(MIMIC_PROCEDURES_ICD,
		      "subject_id,hadm_id,seq_num,chartdate,icd_code,icd_version\n1,2,1,2150-1-1,"
		      "0DT00ZZ,10\n",
		      "'chartdate'", "date");
	expect_reject(
	    MIMIC_TRANSFERS,
	    "subject_id,hadm_id,transfer_id,eventtype,careunit,intime,outtime\n1,,3,ED,,,\n",
	    "'intime'", "empty");
}

static void test_mapping_and_misuse(void **state)
{
	(void)state;
	mrt_err err = {0};
	int rc;
	mimic_reader *m = open_text(
	    MIMIC_ADMISSIONS,
	    ADM "1,2,2150-01-01 10:00:00,2150-01-03T11:00:00Z,,EW EMER.,,,SOMEWHERE NEW,,,,,,,0\n"
		"1,3,2150-02-01 10:00:00,2150-02-01 12:00:00,2150-02-01 12:00:00,"
		"EU OBSERVATION,,,,,,,,,,1\n",
	    &err, &rc);
	assert_int_equal(rc, 0);
	struct mimic_admission a;
	assert_int_equal(mimic_read_admission(m, &a, &err), 1);
	assert_null(a.discharge_status); /* unmapped: the caller's finding */
	assert_int_equal(a.encounter_class, MIMIC_CLASS_INPATIENT);
	assert_int_equal(a.dischtime.day - a.admittime.day, 2);
	assert_int_equal(a.dischtime.sec, 11 * 3600);
	assert_int_equal(mimic_read_admission(m, &a, &err), 1);
	assert_string_equal(a.discharge_status, "20"); /* expired in hospital */
	assert_int_equal(a.encounter_class, MIMIC_CLASS_OBSERVATION);
	struct mimic_icd d;
	assert_int_equal(mimic_read_icd(m, &d, &err), MRT_EINVAL);
	mimic_close(m);
	/* a missing column stops the file, naming the column */
	m = open_text(MIMIC_DIAGNOSES_ICD, "subject_id,hadm_id,seq_num,icd_code\n1,2,1,I10\n", &err,
		      &rc);
	assert_int_equal(rc, MRT_EPARSE);
	assert_null(m);
	assert_non_null(strstr(err.msg, "'icd_version'"));
	/* a folder without the table names the file it looked for */
	assert_true(mimic_open(&m, MIMIC_SERVICES, "/nonexistent/hosp", &err) < 0);
	assert_null(m);
	assert_non_null(strstr(err.msg, "/nonexistent/hosp/services.csv"));
	assert_string_equal(mimic_discharge_status("HOME"), "01");
	assert_string_equal(mimic_discharge_status("HOME HEALTH CARE"), "06");
	assert_string_equal(mimic_discharge_status("SKILLED NURSING FACILITY"), "03");
	assert_string_equal(mimic_discharge_status(""), "");
	assert_int_equal(mimic_encounter_class("NEW TYPE"), MIMIC_CLASS_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_demo_counts),
	    cmocka_unit_test(test_truncated_gz),
	    cmocka_unit_test(test_rejects),
	    cmocka_unit_test(test_mapping_and_misuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
