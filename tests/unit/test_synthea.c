/*
 * Unit tests for src/formats/synthea: the Synthea mCODE reference CSV read
 * through the typed readers (row counts, every encounter class mapped,
 * every encounter's patient and every condition's and procedure's
 * encounter present), and hand-made rows for each rejection.
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

#include "formats/synthea.h"

static char dir[4096];

static int have_data(void)
{
	const char *d = getenv("MRT_DATA");
	const char *s = getenv("MRT_SOURCE_DIR");
	char base[3000];
	if (d && *d)
		snprintf(base, sizeof base, "%s", d);
	else
		snprintf(base, sizeof base, "%s/../shared/data", s && *s ? s : ".");
	snprintf(dir, sizeof dir, "%s/synthea-mcode-ri/csv", base);
	char f[4200];
	snprintf(f, sizeof f, "%s/encounters.csv", dir);
	return access(f, R_OK) == 0;
}

/* A set of ids: sorted array, bsearch. */
struct idset {
	char (*ids)[37];
	size_t n, cap;
};

static void idset_add(struct idset *s, const char *id)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->ids = realloc(s->ids, s->cap * sizeof *s->ids);
		assert_non_null(s->ids);
	}
	assert_int_equal(strlen(id), 36);
	memcpy(s->ids[s->n++], id, 37);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int idset_has(struct idset *s, const char *id)
{
	return bsearch(id, s->ids, s->n, sizeof *s->ids, cmp) != NULL;
}

static void test_counts_and_links(void **state)
{
	(void)state;
	if (!have_data())
		skip();
	mrt_err err = {0};
	synthea_reader *r = NULL;
	struct idset pats = {0}, encs = {0};
	struct synthea_patient p;
	assert_int_equal(synthea_open(&r, SYNTHEA_PATIENTS, dir, &err), 0);
	int rc;
	long dead = 0;
	for (rc = synthea_read_patient(r, &p, &err); rc == 1;
	     rc = synthea_read_patient(r, &p, &err)) {
		idset_add(&pats, p.id);
		dead += p.has_deathdate;
	}
	assert_int_equal(rc, 0);
	synthea_close(r);
	assert_int_equal(pats.n, 115);
	assert_int_equal(dead, 15);
	qsort(pats.ids, pats.n, sizeof *pats.ids, cmp);

	struct synthea_encounter e;
	assert_int_equal(synthea_open(&r, SYNTHEA_ENCOUNTERS, dir, &err), 0);
	long inpatient = 0;
	for (rc = synthea_read_encounter(r, &e, &err); rc == 1;
	     rc = synthea_read_encounter(r, &e, &err)) {
		assert_non_null(e.mrt_class);
		assert_true(idset_has(&pats, e.patient));
		assert_true(e.has_stop);
		inpatient += strcmp(e.mrt_class, "inpatient") == 0;
		idset_add(&encs, e.id);
	}
	assert_int_equal(rc, 0);
	synthea_close(r);
	assert_int_equal(encs.n, 4402);
	assert_true(inpatient > 0);
	qsort(encs.ids, encs.n, sizeof *encs.ids, cmp);

	struct synthea_condition d;
	long n = 0;
	assert_int_equal(synthea_open(&r, SYNTHEA_CONDITIONS, dir, &err), 0);
	for (rc = synthea_read_condition(r, &d, &err); rc == 1;
	     rc = synthea_read_condition(r, &d, &err)) {
		assert_true(idset_has(&encs, d.encounter));
		n++;
	}
	assert_int_equal(rc, 0);
	synthea_close(r);
	assert_int_equal(n, 1454);

	struct synthea_procedure pr;
	n = 0;
	assert_int_equal(synthea_open(&r, SYNTHEA_PROCEDURES, dir, &err), 0);
	for (rc = synthea_read_procedure(r, &pr, &err); rc == 1;
	     rc = synthea_read_procedure(r, &pr, &err)) {
		assert_true(idset_has(&encs, pr.encounter));
		n++;
	}
	assert_int_equal(rc, 0);
	synthea_close(r);
	assert_int_equal(n, 3219);
	free(pats.ids);
	free(encs.ids);
}

/* providers, organizations and payers read without a reject; each
 * provider's organization is one of the organizations. */
static void test_directory_tables(void **state)
{
	(void)state;
	if (!have_data())
		skip();
	mrt_err err = {0};
	synthea_reader *r = NULL;
	struct idset orgs = {0};
	struct synthea_organization o;
	int rc;
	assert_int_equal(synthea_open(&r, SYNTHEA_ORGANIZATIONS, dir, &err), 0);
	for (rc = synthea_read_organization(r, &o, &err); rc == 1;
	     rc = synthea_read_organization(r, &o, &err))
		idset_add(&orgs, o.id);
	assert_int_equal(rc, 0);
	synthea_close(r);
	assert_true(orgs.n > 0);
	qsort(orgs.ids, orgs.n, sizeof *orgs.ids, cmp);
	struct synthea_provider p;
	long n = 0;
	assert_int_equal(synthea_open(&r, SYNTHEA_PROVIDERS, dir, &err), 0);
	for (rc = synthea_read_provider(r, &p, &err); rc == 1;
	     rc = synthea_read_provider(r, &p, &err)) {
		assert_true(idset_has(&orgs, p.organization));
		n++;
	}
	assert_int_equal(rc, 0);
	assert_true(n >= (long)orgs.n);
	synthea_close(r);
	struct synthea_payer y;
	n = 0;
	assert_int_equal(synthea_open(&r, SYNTHEA_PAYERS, dir, &err), 0);
	for (rc = synthea_read_payer(r, &y, &err); rc == 1; rc = synthea_read_payer(r, &y, &err))
		n++;
	assert_int_equal(rc, 0);
	assert_true(n > 0);
	synthea_close(r);
	free(orgs.ids);
}

#define U1 "b63edfda-d82b-5fc1-4738-10b77b73b271"
#define U2 "65de10ab-dcb1-a48c-d5c8-01982c7a1ca4"
#define COND "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION\n"
#define ENC "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION\n"

static void expect(enum synthea_table t, const char *text, int want, const char *col,
		   const char *what)
{
	mrt_err err = {0};
	mrt_src *s = NULL;
	synthea_reader *r = NULL;
	assert_int_equal(mrt_src_open_mem(&s, "hand.csv", text, strlen(text), &err), 0);
	int rc = synthea_open_src(&r, t, s, 1, &err);
	if (rc == 0) {
		struct synthea_condition d;
		struct synthea_encounter e;
		rc = t == SYNTHEA_CONDITIONS ? synthea_read_condition(r, &d, &err)
					     : synthea_read_encounter(r, &e, &err);
	}
	assert_int_equal(rc, want);
	assert_non_null(strstr(err.msg, "hand.csv"));
	assert_non_null(strstr(err.msg, col));
	assert_non_null(strstr(err.msg, what));
	synthea_close(r);
}

static void test_rejects(void **state)
{
	(void)state;
	expect(SYNTHEA_CONDITIONS, COND "2014-01-31,,not-a-uuid," U2 ",1234,x\n", CSV_REJECT,
	       "'PATIENT'", "UUID");
	expect(SYNTHEA_CONDITIONS, COND "2014-13-31,," U1 "," U2 ",1234,x\n", CSV_REJECT, "'START'",
	       "date");
	expect(SYNTHEA_CONDITIONS, COND "2014-01-31,," U1 "," U2 ",12X4,x\n", CSV_REJECT, "'CODE'",
	       "numeric");
	expect(SYNTHEA_CONDITIONS,
	       COND "2014-01-31,," U1 ",,"
		    "1234,x\n",
	       CSV_REJECT, "'ENCOUNTER'", "empty");
	expect(SYNTHEA_CONDITIONS, "START,PATIENT\n", MRT_EPARSE, "'STOP'", "no column");
	expect(SYNTHEA_ENCOUNTERS,
	       ENC U2 ",2014-01-31T13:58:14Z,2014-01-31 14:13," U1 ",,,,wellness,1,x\n", CSV_REJECT,
	       "'STOP'", "date-time");
	assert_null(synthea_encounter_class("spaceship"));
	assert_string_equal(synthea_encounter_class("urgentcare"), "outpatient");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts_and_links),
	    cmocka_unit_test(test_directory_tables),
	    cmocka_unit_test(test_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
