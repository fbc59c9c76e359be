/*
 * Unit tests for release of information: the pure rules of privacy/roi.c
 * (item lists, which purposes need an authorization, which disclosures
 * the accounting leaves out, the required elements of an authorization
 * and its validity, how a restriction matches, the six-year window) and
 * the services on an in-memory site (a disclosure, its row and its audit
 * event commit together; a failing audit write leaves no disclosure; an
 * agreed restriction refuses and the law overrides it; text meant as SQL
 * is stored as written), and the schema's own checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "test_util.h"
#include "chart/chart.h"
#include "privacy/access.h"
#include "privacy/roi.h"
#include "service/consent_svc.h"
#include "service/disclose_svc.h"

static void items_parse_and_format(void **state)
{
	(void)state;
	unsigned bits = 0;
	char bad[32], out[128];
	assert_int_equal(roi_items_parse(&bits, "diagnoses, encounters", bad, sizeof bad), 0);
	assert_int_equal(bits, (1u << ROI_ITEM_DIAGNOSES) | (1u << ROI_ITEM_ENCOUNTERS));
	roi_items_format(out, sizeof out, bits);
	assert_string_equal(out, "encounters,diagnoses");
	assert_int_equal(roi_items_parse(&bits, "encounters,x-rays", bad, sizeof bad), MRT_EINVAL);
	assert_string_equal(bad, "x-rays");
	/* Minimum necessary: no items is not "everything". */
	assert_int_equal(roi_items_parse(&bits, "", bad, sizeof bad), MRT_EINVAL);
	assert_int_equal(roi_items_parse(&bits, " , ", bad, sizeof bad), MRT_EINVAL);
	assert_int_equal(roi_items_parse(&bits, NULL, bad, sizeof bad), MRT_EINVAL);
	assert_int_equal(bits, 0);
}

static void purposes_and_exemptions(void **state)
{
	(void)state;
	assert_false(roi_purpose_needs_authorization(PURPOSE_TREATMENT));
	assert_false(roi_purpose_needs_authorization(PURPOSE_PUBLIC_HEALTH));
	assert_false(roi_purpose_needs_authorization(PURPOSE_PATIENT_REQUEST));
	assert_true(roi_purpose_needs_authorization(PURPOSE_RESEARCH));
	assert_true(roi_purpose_overrides_restriction(PURPOSE_LEGAL));
	assert_true(roi_purpose_overrides_restriction(PURPOSE_EMERGENCY));
	assert_false(roi_purpose_overrides_restriction(PURPOSE_PAYMENT));
	/* 164.528(a)(1): exempt ... */
	assert_true(roi_accounting_exempt(PURPOSE_TREATMENT, "treatment", 0));
	assert_true(roi_accounting_exempt(PURPOSE_PAYMENT, "payment", 0));
	assert_true(roi_accounting_exempt(PURPOSE_PATIENT_REQUEST, "patient", 0));
	assert_true(roi_accounting_exempt(PURPOSE_RESEARCH, "research", 7));
	assert_true(roi_accounting_exempt(PURPOSE_LEGAL, "national-security", 0));
	assert_true(roi_accounting_exempt(PURPOSE_LEGAL, "correctional", 0));
	assert_true(roi_accounting_exempt(PURPOSE_OPERATIONS, "limited-data-set", 0));
	/* ... and not exempt. */
	assert_false(roi_accounting_exempt(PURPOSE_PUBLIC_HEALTH, "public-health", 0));
	assert_false(roi_accounting_exempt(PURPOSE_PUBLIC_HEALTH, "mandated", 0));
	assert_false(roi_accounting_exempt(PURPOSE_LEGAL, "law-enforcement", 0));
	assert_false(roi_accounting_exempt(PURPOSE_LEGAL, "health-oversight", 0));
	assert_false(roi_accounting_exempt(PURPOSE_PUBLIC_HEALTH, "registry", 0));
	assert_false(roi_accounting_exempt(PURPOSE_RESEARCH, "research", 0));
	assert_true(roi_kind_valid("mandated"));
	assert_false(roi_kind_valid("'; DROP TABLE disclosure; --"));
}

static void authorization_elements(void **state)
{
	(void)state;
	const char *m[ROI_AUTH_MISSING_MAX];
	mrt_day today = day("2026-03-01");
	struct roi_auth_form f = { .items = "diagnoses", .discloser = "General Hospital",
		.recipient = "Dr A", .purpose = "research", .expires = "2027-01-01",
		.signed_by = "Pat Doe", .signed_on = "2026-02-27", .statements_ack = 1 };
	assert_int_equal(roi_auth_missing(&f, today, m), 0);
	f.expires = "end of the study"; /* an event is an expiration too */
	assert_int_equal(roi_auth_missing(&f, today, m), 0);
	struct roi_auth_form g = f;
	g.items = NULL;
	g.recipient = " ";
	g.statements_ack = 0;
	assert_int_equal(roi_auth_missing(&g, today, m), 3);
	assert_non_null(strstr(m[0], "description"));
	assert_non_null(strstr(m[1], "recipient"));
	assert_non_null(strstr(m[2], "revoke"));
	g = f;
	g.signed_on = "2026-03-02"; /* signed in the future */
	g.expires = "2026-02-01";   /* expires before it is signed */
	g.by_representative = 1;    /* a representative without their authority */
	assert_int_equal(roi_auth_missing(&g, today, m), 3);
	g = f;
	g.purpose = "curiosity";
	g.expires = "";
	g.signed_by = NULL;
	assert_int_equal(roi_auth_missing(&g, today, m), 3);
}

static void authorization_state_and_cover(void **state)
{
	(void)state;
	struct roi_auth a = { .recipient = "County  Court", .items = 1u << ROI_ITEM_DIAGNOSES,
	                      .expires_on = "2026-12-31" };
	assert_int_equal(roi_auth_state(&a, day("2026-12-31")), ROI_AUTH_VALID);
	assert_int_equal(roi_auth_state(&a, day("2027-01-01")), ROI_AUTH_EXPIRED);
	a.expires_on = NULL;
	a.expires_event = "end of the study";
	assert_int_equal(roi_auth_state(&a, day("2099-01-01")), ROI_AUTH_VALID);
	a.revoked_at = "2026-05-01T00:00:00Z";
	assert_int_equal(roi_auth_state(&a, day("2026-01-01")), ROI_AUTH_REVOKED);
	a.revoked_at = NULL;
	unsigned dx = 1u << ROI_ITEM_DIAGNOSES;
	assert_null(roi_auth_covers(&a, "county court", dx, 0, 0));
	assert_non_null(roi_auth_covers(&a, "City Court", dx, 0, 0));
	assert_non_null(roi_auth_covers(&a, "County Court", dx | 1u << ROI_ITEM_DOCUMENTS, 0, 0));
	assert_non_null(roi_auth_covers(&a, "County Court", dx, 1, 0));
	assert_non_null(roi_auth_covers(&a, "County Court", dx, 0, 1));
	a.part2 = a.psychotherapy = 1;
	assert_null(roi_auth_covers(&a, "County Court", dx, 1, 1));
}

static void restriction_matching(void **state)
{
	(void)state;
	unsigned dx = 1u << ROI_ITEM_DIAGNOSES, demo = 1u << ROI_ITEM_DEMOGRAPHICS;
	struct roi_restriction r = { .kind = "health-plan-self-pay", .status = "agreed",
	                             .recipient = "Acme Health Plan", .items = dx,
	                             .encounter_id = 5 };
	assert_true(roi_restriction_matches(&r, " acme health  plan ", dx, 0));
	assert_true(roi_restriction_matches(&r, "Acme Health Plan", dx, 5));
	assert_false(roi_restriction_matches(&r, "Acme Health Plan", dx, 6));   /* another stay */
	assert_false(roi_restriction_matches(&r, "Acme Health Plan", demo, 0)); /* other items */
	assert_false(roi_restriction_matches(&r, "Other Plan", dx, 0));
	r.status = "requested";
	assert_false(roi_restriction_matches(&r, "Acme Health Plan", dx, 0));
	r.status = "agreed";
	r.items = 0;
	r.encounter_id = 0;
	assert_true(roi_restriction_matches(&r, "Acme Health Plan", demo, 0));
	assert_non_null(roi_restriction_status_check("health-plan-self-pay", "denied"));
	assert_null(roi_restriction_status_check("other", "denied"));
	assert_non_null(roi_restriction_status_check("confidential-communication", "denied"));
	assert_non_null(roi_restriction_status_check("bogus", "agreed"));
}

static void clocks(void **state)
{
	(void)state;
	char out[MRT_DATE_LEN];
	mrt_date_format(out, roi_accounting_start(day("2026-11-25")));
	assert_string_equal(out, "2020-11-25");
	mrt_date_format(out, roi_accounting_start(day("2028-02-29")));
	assert_string_equal(out, "2022-02-28");
	mrt_date_format(out, day("2026-01-10") + ROI_ACCOUNTING_DAYS);
	assert_string_equal(out, "2026-03-11");
}

/* ---- services on an in-memory site -------------------------------------- */

static int64_t patient;

static int setup(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	if (tu_site_open(NULL, "operations") != 0)
		return -1;
	struct chart_ctx c;
	chart_ctx_init(&c, "test", 0);
	struct chart_patient p;
	chart_patient_init(&p);
	p.mrn = "MRN-1";
	p.family = "Canary";
	p.given = "Zed";
	int changed = 0;
	return chart_patient_put(mrt_session_db(s), &c, &p, &patient, &changed, &err);
}

static void failed_audit_leaves_no_disclosure(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	assert_int_equal(sqlite3_exec(mrt_db_sqlite(mrt_session_db(s)),
	                              "CREATE TEMP TRIGGER no_roi_audit BEFORE INSERT ON audit_event"
	                              " WHEN NEW.action = 'disclose.new' AND NEW.outcome = 'allow'"
	                              " BEGIN SELECT RAISE(ABORT, 'audit store full'); END;",
	                              NULL, NULL, NULL), SQLITE_OK);
	struct disclose_new n = { .mrn = "MRN-1", .recipient = "State Registry",
	                          .purpose = "public_health", .legal_basis = "164.512(b)",
	                          .items = "demographics", .kind = "registry" };
	int64_t id = 0;
	assert_true(disclose_svc_new(s, &n, &id, &err) < 0);
	assert_int_equal(count("SELECT count(*) FROM disclosure"), 0);
	assert_int_equal(sqlite3_exec(mrt_db_sqlite(mrt_session_db(s)), "DROP TRIGGER no_roi_audit",
	                              NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(disclose_svc_new(s, &n, &id, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM disclosure WHERE kind = 'registry'"
	                       " AND length(packet) > 0 AND length(packet_sha256) = 64"),
	                 1);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'disclose.new'"
	                       " AND outcome = 'allow' AND detail NOT LIKE '%Canary%'"),
	                 1);
	/* The packet holds the chosen item. */
	assert_int_equal(count("SELECT instr(packet, 'Canary') > 0 FROM disclosure"), 1);
}

static void restriction_refuses_and_law_overrides(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t rid = 0, id = 0;
	struct consent_restriction_new r = { .mrn = "MRN-1", .kind = "other",
	                                     .recipient = "Acme Plan", .status = "agreed" };
	assert_int_equal(consent_svc_restriction_add(s, &r, &rid, &err), 0);
	struct disclose_new n = { .mrn = "MRN-1", .recipient = "ACME plan", .purpose = "payment",
	                          .items = "diagnoses" };
	assert_int_equal(disclose_svc_new(s, &n, &id, &err), MRT_EACCESS);
	assert_non_null(strstr(err.msg, "restriction 1"));
	assert_int_equal(count("SELECT count(*) FROM disclosure"), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'disclose.new'"
	                       " AND outcome = 'deny'"),
	                 1);
	n.purpose = "legal";
	n.legal_basis = "court order";
	assert_int_equal(disclose_svc_new(s, &n, &id, &err), 0);
	assert_int_equal(count("SELECT override_restriction_id FROM disclosure"), rid);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'disclose.new'"
	                       " AND detail LIKE '%restriction 1 overridden%'"),
	                 1);
	assert_int_equal(consent_svc_restriction_end(s, rid, "patient withdrew", &err), 0);
	n.purpose = "payment";
	assert_int_equal(disclose_svc_new(s, &n, &id, &err), 0);
}

static void sql_text_is_stored_as_written(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	const char *evil = "x'); DROP TABLE disclosure; --";
	struct disclose_new n = { .mrn = "MRN-1", .recipient = evil, .purpose = "public_health",
	                          .legal_basis = "1' OR '1'='1", .items = "encounters" };
	int64_t id = 0;
	assert_int_equal(disclose_svc_new(s, &n, &id, &err), 0);
	assert_int_equal(count("SELECT count(*) FROM disclosure WHERE recipient ="
	                       " 'x''); DROP TABLE disclosure; --' AND legal_basis = '1'' OR ''1''=''1'"),
	                 1);
	n.mrn = "MRN-1' OR '1'='1";
	assert_int_equal(disclose_svc_new(s, &n, &id, &err), MRT_ENOTFOUND);
}

static void bad_input_writes_nothing(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	int64_t id = 0;
	const struct disclose_new bad[] = {
		{ .mrn = "MRN-1", .recipient = "R", .purpose = "public_health", .legal_basis = "b" },
		{ .mrn = "MRN-1", .recipient = "R", .purpose = "public_health", .items = "diagnoses" },
		{ .mrn = "MRN-1", .purpose = "treatment", .items = "diagnoses" },
		{ .mrn = "MRN-1", .recipient = "R", .purpose = "gossip", .items = "diagnoses" },
		{ .mrn = "MRN-1", .recipient = "R", .purpose = "treatment", .items = "everything" },
		{ .mrn = "MRN-1", .recipient = "R", .purpose = "treatment", .items = "diagnoses",
		  .format = "pdf" },
		{ .mrn = "MRN-1", .recipient = "R", .purpose = "treatment", .items = "diagnoses",
		  .kind = "whim" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(disclose_svc_new(s, &bad[i], &id, &err), MRT_EINVAL);
	assert_int_equal(count("SELECT count(*) FROM disclosure"), 0);
	/* Research needs an authorization on file. */
	struct disclose_new r = { .mrn = "MRN-1", .recipient = "Study", .purpose = "research",
	                          .items = "diagnoses" };
	assert_int_equal(disclose_svc_new(s, &r, &id, &err), MRT_EACCESS);
	struct consent_auth_new a = { .mrn = "MRN-1", .recipient = "study", .purpose = "research",
	                              .items = "diagnoses,procedures", .expires = "end of study",
	                              .signed_by = "Zed", .statements_ack = 1 };
	int64_t aid = 0;
	json_t *missing = NULL;
	assert_int_equal(consent_svc_auth_add(s, &a, &aid, &missing, &err), 0);
	assert_int_equal(disclose_svc_new(s, &r, &id, &err), 0);
	assert_int_equal(count("SELECT authorization_id FROM disclosure"), aid);
	assert_int_equal(consent_svc_auth_revoke(s, aid, "changed mind", &err), 0);
	assert_int_equal(disclose_svc_new(s, &r, &id, &err), MRT_EACCESS);
	a.statements_ack = 0;
	assert_int_equal(consent_svc_auth_add(s, &a, &aid, &missing, &err), MRT_EINVAL);
	assert_int_equal(json_array_size(missing), 1);
	json_decref(missing);
}

/* The schema holds the rules even against SQL that skips the service. */
static void schema_checks(void **state)
{
	(void)state;
	sqlite3 *h = mrt_db_sqlite(mrt_session_db(s));
	static const char *const bad[] = {
		"INSERT INTO roi_restriction (patient_id, kind, status, recipient, created_at)"
		" VALUES (1, 'health-plan-self-pay', 'denied', 'Plan', 'now')",
		"INSERT INTO roi_restriction (patient_id, kind, status, created_at)"
		" VALUES (1, 'confidential-communication', 'agreed', 'now')",
		"INSERT INTO disclosure_suspension (patient_id, agency, requested_on, until_on, oral,"
		" created_at) VALUES (1, 'A', '2026-01-01', '2026-02-15', 1, 'now')",
		"INSERT INTO accounting_request (patient_id, requested_on, due_on, created_at)"
		" VALUES (1, '2026-01-01', '2026-04-01', 'now')",
		"INSERT INTO roi_authorization (patient_id, discloser, recipient, purpose, items,"
		" expires_on, signed_by, signed_on, statements_ack, created_at) VALUES (1, 'D', 'R',"
		" 'research', 'diagnoses', '2027-01-01', 'S', '2026-01-01', 0, 'now')",
		"INSERT INTO disclosure (patient_id, disclosed_at, disclosed_on, recipient, purpose,"
		" kind, items, packet_format, packet, packet_sha256) VALUES (1, 'now', '2026-01-01',"
		" 'R', 'legal', 'legal', 'diagnoses', 'text', x'00', printf('%064d', 0))",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_not_equal(sqlite3_exec(h, bad[i], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h,
	                              "INSERT INTO disclosure_suspension (patient_id, agency,"
	                              " requested_on, until_on, oral, created_at) VALUES (1, 'A',"
	                              " '2026-01-01', '2026-01-31', 1, 'now')",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(items_parse_and_format),
		cmocka_unit_test(purposes_and_exemptions),
		cmocka_unit_test(authorization_elements),
		cmocka_unit_test(authorization_state_and_cover),
		cmocka_unit_test(restriction_matching),
		cmocka_unit_test(clocks),
		cmocka_unit_test_setup_teardown(failed_audit_leaves_no_disclosure, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(restriction_refuses_and_law_overrides, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(sql_text_is_stored_as_written, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(bad_input_writes_nothing, setup, tu_site_close),
		cmocka_unit_test_setup_teardown(schema_checks, setup, tu_site_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
