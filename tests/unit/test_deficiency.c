/*
 * Unit tests for the chart deficiency rules (chart/deficiency.h) and the
 * physician query compliance rules (chart/phys_query.h), each at its
 * edges: the H&P window (30 days before with and without an update note,
 * 24 h after, 25 h after), an operative report per operative procedure
 * (open and percutaneous endoscopic vs percutaneous, external and other
 * sections), the short-stay exception (47 h with a final progress note vs
 * 48 h and 49 h), unsigned documents to their author, delinquency on day
 * 30 vs 31, the document-kind table and the timestamp reader; leading
 * queries refused, options completed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "chart/deficiency.h"
#include "chart/phys_query.h"

#define ATTENDING 11
#define SURGEON 22
#define AUTHOR 33
#define H 60 /* minutes in an hour */

static const struct dq_rule rules[] = {
    {.requirement = "history-physical",
     .before_hours = 720,
     .after_hours = 24,
     .delinquent_days = 30},
    {.requirement = "hp-update", .after_hours = 24, .delinquent_days = 30},
    {.requirement = "operative-report", .delinquent_days = 30},
    {.requirement = "discharge-summary",
     .short_stay_hours = 48,
     .short_stay_kind = DQ_KIND_PROGRESS,
     .delinquent_days = 30},
    {.requirement = "authentication", .delinquent_days = 30},
};
#define N_RULES (sizeof rules / sizeof rules[0])

static const struct dq_op_rule ops[] = {{'0', '0'}, {'0', '4'}};

static int64_t t(const char *s)
{
	int64_t m = 0;
	assert_int_equal(dq_time_parse(s, &m), 0);
	return m;
}

static struct dq_encounter enc(const char *admit, const char *discharge)
{
	return (struct dq_encounter){.admit = t(admit),
				     .discharge = discharge ? t(discharge) : DQ_NO_TIME,
				     .attending_id = ATTENDING};
}

static struct dq_doc doc(int64_t id, const char *kind, const char *status, const char *written)
{
	return (struct dq_doc){.id = id,
			       .ref = "R",
			       .kind = kind,
			       .status = status,
			       .author_id = AUTHOR,
			       .written = t(written)};
}

static struct dq_finding f[32];

/* Runs the rules; returns the number of findings. */
static size_t run(const struct dq_encounter *e, const struct dq_doc *d, size_t nd,
		  const struct dq_proc *p, size_t np)
{
	memset(f, 0, sizeof f);
	return dq_analyze(e, d, nd, p, np, rules, N_RULES, ops, 2, f, 32);
}

static void doc_kinds(void **state)
{
	(void)state;
	assert_string_equal(dq_doc_kind("http://loinc.org", "34117-2", NULL), DQ_KIND_HP);
	assert_string_equal(dq_doc_kind("http://loinc.org", "18842-5", NULL), DQ_KIND_DISCHARGE);
	assert_string_equal(dq_doc_kind("http://loinc.org", "11504-8", NULL), DQ_KIND_OPERATIVE);
	assert_string_equal(dq_doc_kind("LN", "11506-3", NULL), DQ_KIND_PROGRESS);
	assert_string_equal(dq_doc_kind(NULL, "HP", NULL), DQ_KIND_HP);
	assert_string_equal(dq_doc_kind("", "DS", NULL), DQ_KIND_DISCHARGE);
	assert_string_equal(dq_doc_kind("HL70270", "OP", NULL), DQ_KIND_OPERATIVE);
	assert_string_equal(dq_doc_kind(NULL, "PR", NULL), DQ_KIND_PROGRESS);
	/* an HL7 code under LOINC is no match; the title decides then */
	assert_null(dq_doc_kind("http://loinc.org", "DS", NULL));
	assert_string_equal(dq_doc_kind("http://loinc.org", "DS", "Discharge Summary"),
			    DQ_KIND_DISCHARGE);
	assert_string_equal(dq_doc_kind(NULL, NULL, "H&P Update"), DQ_KIND_HP_UPDATE);
	assert_string_equal(dq_doc_kind(NULL, "", "History and Physical"), DQ_KIND_HP);
	assert_null(dq_doc_kind(NULL, "DI", "radiology report"));
	assert_null(dq_doc_kind(NULL, NULL, NULL));
}

static void timestamps(void **state)
{
	(void)state;
	assert_int_equal(t("2026-01-10T08:00:00+02:00"), t("2026-01-10T06:00:00Z"));
	assert_int_equal(t("2026-01-10T08:00:00-05:00"), t("2026-01-10T13:00"));
	assert_int_equal(t("2026-01-10T08:00:00.123456Z") - t("2026-01-10"), 8 * H);
	assert_int_equal(t("2015-02-08T11:34:19+01:10"), t("2015-02-08T10:24:00Z"));
	int64_t m;
	assert_int_not_equal(dq_time_parse("2026-02-30", &m), 0);
	assert_int_not_equal(dq_time_parse("2026-01-10T25:00", &m), 0);
	assert_int_not_equal(dq_time_parse("2026-01-10T08:00+0200", &m), 0);
	assert_int_not_equal(dq_time_parse("20260110", &m), 0);
	assert_int_not_equal(dq_time_parse(NULL, &m), 0);
}

static void hp_window(void **state)
{
	(void)state;
	struct dq_encounter e = enc("2026-02-01T08:00", NULL);
	/* 30 days (720 h) before, with an update note within 24 h: complete */
	struct dq_doc d[2] = {doc(1, DQ_KIND_HP, "signed", "2026-01-02T08:00"),
			      doc(2, DQ_KIND_HP_UPDATE, "signed", "2026-02-02T08:00")};
	assert_int_equal(run(&e, d, 2, NULL, 0), 0);
	/* the update 1 minute late */
	d[1].written = t("2026-02-02T08:01");
	assert_int_equal(run(&e, d, 2, NULL, 0), 1);
	assert_string_equal(f[0].kind, "hp-update");
	assert_int_equal(f[0].provider_id, ATTENDING);
	assert_int_equal(f[0].document_id, 1);
	/* without the update */
	assert_int_equal(run(&e, d, 1, NULL, 0), 1);
	assert_string_equal(f[0].kind, "hp-update");
	/* one minute more than 30 days before: no H&P in the window */
	d[0].written = t("2026-01-02T07:59");
	assert_int_equal(run(&e, d, 2, NULL, 0), 1);
	assert_string_equal(f[0].kind, "history-physical");
	assert_non_null(strstr(f[0].detail, "outside"));
	assert_int_equal(f[0].provider_id, ATTENDING);
	/* 24 h after admission: in time, no update needed */
	d[0].written = t("2026-02-02T08:00");
	assert_int_equal(run(&e, d, 1, NULL, 0), 0);
	/* 25 h after: late */
	d[0].written = t("2026-02-02T09:00");
	assert_int_equal(run(&e, d, 1, NULL, 0), 1);
	assert_string_equal(f[0].kind, "history-physical");
	/* none at all; a cancelled one does not count */
	d[0] = doc(1, DQ_KIND_HP, "cancelled", "2026-02-01T09:00");
	assert_int_equal(run(&e, d, 1, NULL, 0), 1);
	assert_non_null(strstr(f[0].detail, "missing"));
	/* unsigned but in time: the H&P is there, its signature is missing */
	d[0].status = "in-progress";
	assert_int_equal(run(&e, d, 1, NULL, 0), 1);
	assert_string_equal(f[0].kind, "authentication");
}

static void operative_reports(void **state)
{
	(void)state;
	struct dq_encounter e = enc("2026-02-01T08:00", NULL);
	struct dq_doc hp = doc(1, DQ_KIND_HP, "signed", "2026-02-01T09:00");
	struct dq_proc p[] = {
	    {1, "ICD-10-PCS", "0DTJ0ZZ", 0, SURGEON}, /* open */
	    {2, "ICD-10-PCS", "0DTJ4ZZ", 0, 0},	      /* percutaneous endoscopic */
	    {3, "ICD-10-PCS", "0DTJ3ZZ", 0, SURGEON}, /* percutaneous */
	    {4, "ICD-10-PCS", "0DJ0XZZ", 0, SURGEON}, /* external */
	    {5, "ICD-10-PCS", "10D00Z1", 0, SURGEON}, /* obstetrics, 5th char 0 */
	    {6, "other", "0DTJ0ZZ", 0, SURGEON},      /* not ICD-10-PCS */
	};
	p[0].performed = t("2026-02-01T12:00");
	p[1].performed = t("2026-02-02T12:00");
	for (size_t i = 2; i < 6; i++)
		p[i].performed = t("2026-02-01T13:00");
	assert_int_equal(run(&e, &hp, 1, p, 6), 2);
	assert_string_equal(f[0].key, "operative-report:1:0DTJ0ZZ");
	assert_int_equal(f[0].provider_id, SURGEON);
	assert_string_equal(f[1].key, "operative-report:2:0DTJ4ZZ");
	assert_int_equal(f[1].provider_id, ATTENDING); /* no surgeon: the attending */
	/* one report, written after the first operation: the second still lacks one */
	struct dq_doc d[3] = {hp, doc(2, DQ_KIND_OPERATIVE, "signed", "2026-02-01T14:00"),
			      doc(3, DQ_KIND_OPERATIVE, "signed", "2026-02-01T11:00")};
	assert_int_equal(run(&e, d, 2, p, 6), 1);
	assert_string_equal(f[0].key, "operative-report:2:0DTJ4ZZ");
	/* a report written before an operation is not its report */
	struct dq_doc early[2] = {hp, d[2]};
	assert_int_equal(run(&e, early, 2, p, 6), 2);
	d[1].written = t("2026-02-03T08:00");
	/* two codes of one operation (same time, same surgeon): one report */
	p[1].performed = p[0].performed;
	p[1].surgeon_id = SURGEON;
	assert_int_equal(run(&e, d, 2, p, 6), 0);
	assert_true(dq_is_operative("0DTJ4ZZ", ops, 2));
	assert_false(dq_is_operative("0DTJ8ZZ", ops, 2));
	assert_false(dq_is_operative("0DTJ", ops, 2));
}

static void discharge_summary(void **state)
{
	(void)state;
	struct dq_doc d[2] = {doc(1, DQ_KIND_HP, "signed", "2026-02-01T09:00"),
			      doc(2, DQ_KIND_PROGRESS, "signed", "2026-02-03T06:00")};
	struct dq_encounter e = enc("2026-02-01T08:00", "2026-02-03T07:00"); /* 47 h */
	assert_int_equal(run(&e, d, 2, NULL, 0), 0);
	assert_int_equal(run(&e, d, 1, NULL, 0), 1);
	assert_string_equal(f[0].kind, "discharge-summary");
	assert_non_null(strstr(f[0].detail, "progress-note"));
	e.discharge = t("2026-02-03T08:00"); /* 48 h: no longer under 48 h */
	assert_int_equal(run(&e, d, 2, NULL, 0), 1);
	e.discharge = t("2026-02-03T09:00"); /* 49 h */
	assert_int_equal(run(&e, d, 2, NULL, 0), 1);
	assert_string_equal(f[0].kind, "discharge-summary");
	assert_int_equal(f[0].provider_id, ATTENDING);
	d[1].kind = DQ_KIND_DISCHARGE;
	assert_int_equal(run(&e, d, 2, NULL, 0), 0);
	/* not discharged yet: nothing asked */
	e.discharge = DQ_NO_TIME;
	assert_int_equal(run(&e, d, 1, NULL, 0), 0);
}

static void unsigned_to_author(void **state)
{
	(void)state;
	struct dq_encounter e = enc("2026-02-01T08:00", NULL);
	struct dq_doc d[4] = {doc(1, DQ_KIND_HP, "signed", "2026-02-01T09:00"),
			      doc(2, NULL, "in-progress", "2026-02-01T10:00"),
			      doc(3, DQ_KIND_PROGRESS, "in-progress", "2026-02-01T11:00"),
			      doc(4, NULL, "cancelled", "2026-02-01T12:00")};
	d[1].ref = "DOC-2";
	d[2].ref = "DOC-3";
	d[2].author_id = 0;
	assert_int_equal(run(&e, d, 4, NULL, 0), 2);
	assert_string_equal(f[0].key, "authentication:DOC-2");
	assert_int_equal(f[0].provider_id, AUTHOR);
	assert_int_equal(f[0].document_id, 2);
	assert_int_equal(f[1].provider_id, ATTENDING); /* author unknown */
	d[1].status = "amended";
	d[2].status = "signed";
	assert_int_equal(run(&e, d, 4, NULL, 0), 0);
}

static void delinquency(void **state)
{
	(void)state;
	mrt_day dis = mrt_date_from_ymd(2026, 1, 14);
	mrt_day from = dq_delinquent_from(dis, 30);
	assert_false(dis + 30 >= from); /* day 30 after discharge: not yet */
	assert_true(dis + 31 >= from);	/* day 31: delinquent */
	assert_int_equal(dq_delinquent_days(rules, N_RULES), 30);
	struct dq_rule r[2] = {rules[0], rules[1]};
	r[1].delinquent_days = 14;
	assert_int_equal(dq_delinquent_days(r, 2), 14);
	assert_int_equal(dq_delinquent_days(NULL, 0), 30);
}

static int refused(const char *q, const char *const *o, size_t n, const char *why_has)
{
	char why[256] = "";
	int rc = pq_check(q, o, n, why, sizeof why);
	return rc != 0 && strstr(why, why_has) != NULL;
}

static void query_compliance(void **state)
{
	(void)state;
	const char *two[] = {"Acute blood loss anemia", "Iron deficiency anemia"};
	const char *q = "Based on the hemoglobin of 7.2, which type of anemia is being treated?";
	char why[256];
	assert_int_equal(pq_check(q, two, 2, why, sizeof why), 0);
	assert_int_equal(pq_check("What is the clinical significance of the sodium of 128?", NULL,
				  0, why, sizeof why),
			 0);
	assert_true(refused("Please clarify: this would change the DRG", two, 2, "drg"));
	assert_true(refused("Would documenting this add a CC/MCC?", two, 2, "cc"));
	assert_true(refused("For reimbursement, which anemia?", two, 2, "reimbursement"));
	assert_true(refused("This affects payment; which anemia?", two, 2, "payment"));
	assert_true(
	    refused("This lowers our quality scores; which anemia?", two, 2, "quality score"));
	assert_true(refused("Does the patient have sepsis?", NULL, 0, "yes/no"));
	const char *yn[] = {"Yes", "No"};
	assert_true(refused("Sepsis?", yn, 2, "yes/no"));
	const char *one[] = {"Sepsis", "Other"};
	assert_true(refused("Which condition?", one, 2, "two clinically"));
	const char *lead[] = {"Sepsis", "Payment-relevant sepsis"};
	assert_true(refused("Which condition?", lead, 2, "--option 2"));
	assert_true(refused("", NULL, 0, "empty"));
	char big[4102];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_true(refused(big, NULL, 0, "4000"));
	const char *blank[] = {"Sepsis", ""};
	assert_true(refused("Which condition?", blank, 2, "--option 2"));
	/* words that only contain a banned one pass */
	assert_int_equal(pq_check("Is the accurate diagnosis a successful repair or a failed one,"
				  " per the operative note?",
				  two, 2, why, sizeof why),
			 0);

	struct pq_option o[PQ_MAX_OPTIONS];
	assert_int_equal(pq_options(two, 2, o, PQ_MAX_OPTIONS), 4);
	assert_string_equal(o[2].text, PQ_OTHER);
	assert_string_equal(o[2].kind, "other");
	assert_string_equal(o[3].text, PQ_UNDETERMINED);
	const char *given[] = {"Sepsis", "SIRS", "Other: please specify",
			       "Unable to determine clinically"};
	assert_int_equal(pq_options(given, 4, o, PQ_MAX_OPTIONS), 4);
	assert_string_equal(o[3].kind, "undetermined");
	assert_int_equal(pq_options(NULL, 0, o, PQ_MAX_OPTIONS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(doc_kinds),	 cmocka_unit_test(timestamps),
	    cmocka_unit_test(hp_window),	 cmocka_unit_test(operative_reports),
	    cmocka_unit_test(discharge_summary), cmocka_unit_test(unsigned_to_author),
	    cmocka_unit_test(delinquency),	 cmocka_unit_test(query_compliance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
