/*
 * Unit tests for the pure access decision (privacy/access.c): each rule
 * in the order it applies - roles, labels (grants, privacy officer,
 * treating relation by purpose, sealed labels, break-the-glass on reads
 * only), restrictions with the overrides the law allows, Part 2 consent
 * and psychotherapy-note authorization - plus the label and purpose
 * vocabularies and the matrix built from them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "privacy/access.h"
#include "privacy/access_matrix.h"
#include "privacy/roles.h"

#define L(x) (1u << (x))

static enum access_result decide(enum access_op op, int purpose, struct access_subject who,
                                 struct access_object obj, struct access_decision *out)
{
	struct access_decision d;
	access_decide(&d, op, purpose, &who, &obj);
	if (out)
		*out = d;
	return d.result;
}

static void test_roles(void **state)
{
	(void)state;
	struct access_object none = { 0 };
	struct access_subject coder = { .roles = ROLE_CODER_BIT };
	struct access_subject auditor = { .roles = ROLE_AUDITOR_BIT };
	struct access_subject researcher = { .roles = ROLE_RESEARCHER_BIT };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, coder, none, NULL), ACCESS_ALLOW);
	assert_int_equal(decide(ACCESS_CHART_CODE, PURPOSE_OPERATIONS, coder, none, NULL), ACCESS_ALLOW);
	assert_int_equal(decide(ACCESS_CHART_IMPORT, PURPOSE_OPERATIONS, coder, none, NULL), ACCESS_DENY);
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, auditor, none, NULL), ACCESS_DENY);
	assert_int_equal(decide(ACCESS_AUDIT_READ, PURPOSE_OPERATIONS, auditor, none, NULL), ACCESS_ALLOW);
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_RESEARCH, researcher, none, NULL), ACCESS_DENY);
	assert_int_equal(decide(ACCESS_EXPORT_DEID, PURPOSE_RESEARCH, researcher, none, NULL), ACCESS_ALLOW);
	assert_int_equal(decide(ACCESS_EXPORT_FHIR, PURPOSE_RESEARCH, researcher, none, NULL), ACCESS_DENY);
	/* No role at all: nothing. */
	struct access_subject nobody = { 0 };
	for (int op = 0; op < ACCESS_OP_COUNT; op++)
		assert_int_equal(decide((enum access_op)op, PURPOSE_OPERATIONS, nobody, none, NULL),
		                 ACCESS_DENY);
	/* An out-of-range operation is refused, never read past the table. */
	assert_int_equal(decide(ACCESS_OP_COUNT, PURPOSE_OPERATIONS, coder, none, NULL), ACCESS_DENY);
}

static void test_labels(void **state)
{
	(void)state;
	struct access_object bh = { .labels = L(LABEL_BH) };
	struct access_object bh_hiv = { .labels = L(LABEL_BH) | L(LABEL_HIV) };
	struct access_subject coder = { .roles = ROLE_CODER_BIT };
	struct access_decision d;
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, coder, bh, &d), ACCESS_HIDDEN);
	assert_int_equal(d.hidden, L(LABEL_BH));
	assert_string_equal(access_outcome(&d), "deny");
	/* A grant covers its own label only. */
	coder.label_grants = L(LABEL_BH);
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, coder, bh, NULL), ACCESS_ALLOW);
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, coder, bh_hiv, &d), ACCESS_HIDDEN);
	assert_int_equal(d.hidden, L(LABEL_HIV));
	/* Privacy officer: every label but psychotherapy notes. */
	struct access_subject po = { .roles = ROLE_PRIVACY_BIT };
	struct access_object part2 = { .labels = L(LABEL_PART2) | L(LABEL_SDV) | L(LABEL_CEL) };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, po, part2, NULL), ACCESS_ALLOW);
	struct access_object psy = { .labels = L(LABEL_PSYTHPN) };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, po, psy, NULL), ACCESS_SEALED);
	/* Labels do not gate operations on no one patient. */
	struct access_subject him = { .roles = ROLE_HIM_BIT };
	assert_int_equal(decide(ACCESS_CHART_IMPORT, PURPOSE_OPERATIONS, him, bh, NULL), ACCESS_ALLOW);
}

static void test_treating(void **state)
{
	(void)state;
	struct access_subject doc = { .roles = ROLE_PHYSICIAN_BIT, .treating = 1 };
	struct access_object hiv = { .labels = L(LABEL_HIV) | L(LABEL_BH) };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_TREATMENT, doc, hiv, NULL), ACCESS_ALLOW);
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_EMERGENCY, doc, hiv, NULL), ACCESS_ALLOW);
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, doc, hiv, NULL), ACCESS_HIDDEN);
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_PAYMENT, doc, hiv, NULL), ACCESS_HIDDEN);
	/* Part 2 records and psychotherapy notes are not opened by the relation. */
	struct access_object part2 = { .labels = L(LABEL_PART2) };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_TREATMENT, doc, part2, NULL), ACCESS_HIDDEN);
	struct access_object psy = { .labels = L(LABEL_PSYTHPN) };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_TREATMENT, doc, psy, NULL), ACCESS_SEALED);
	/* ... but the note's author reads it. */
	doc.author = 1;
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_TREATMENT, doc, psy, NULL), ACCESS_ALLOW);
	/* Without the relation, no label opens. */
	struct access_subject other = { .roles = ROLE_PHYSICIAN_BIT };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_TREATMENT, other, hiv, NULL), ACCESS_HIDDEN);
}

static void test_break_glass(void **state)
{
	(void)state;
	struct access_subject coder = { .roles = ROLE_CODER_BIT, .glass = 1 };
	struct access_object bh = { .labels = L(LABEL_BH) };
	struct access_decision d;
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, coder, bh, &d), ACCESS_ALLOW);
	assert_true(d.glass);
	assert_string_equal(access_outcome(&d), "break-glass");
	/* Reads only: not coding, not a disclosure, not a sealed label. */
	assert_int_equal(decide(ACCESS_CHART_CODE, PURPOSE_OPERATIONS, coder, bh, NULL), ACCESS_HIDDEN);
	struct access_subject him = { .roles = ROLE_HIM_BIT, .glass = 1 };
	assert_int_equal(decide(ACCESS_DISCLOSE, PURPOSE_PUBLIC_HEALTH, him, bh, NULL), ACCESS_HIDDEN);
	struct access_object psy = { .labels = L(LABEL_PSYTHPN) | L(LABEL_BH) };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, coder, psy, NULL), ACCESS_SEALED);
	/* Break-the-glass never lends a role. */
	struct access_subject auditor = { .roles = ROLE_AUDITOR_BIT, .glass = 1 };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, auditor, bh, NULL), ACCESS_DENY);
	/* Unlabelled: an ordinary allow even when glass is set. */
	struct access_object none = { 0 };
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, coder, none, &d), ACCESS_ALLOW);
	assert_false(d.glass);
}

static void test_restrictions(void **state)
{
	(void)state;
	struct access_subject him = { .roles = ROLE_HIM_BIT };
	struct access_object r = { .restricted = 1 };
	struct access_decision d;
	assert_int_equal(decide(ACCESS_DISCLOSE, PURPOSE_PAYMENT, him, r, &d), ACCESS_RESTRICTED);
	assert_int_equal(decide(ACCESS_DISCLOSE, PURPOSE_OPERATIONS, him, r, NULL), ACCESS_RESTRICTED);
	assert_int_equal(decide(ACCESS_DISCLOSE, PURPOSE_TREATMENT, him, r, NULL), ACCESS_RESTRICTED);
	/* Required by law, or emergency treatment: allowed, the override flagged. */
	int law[] = { PURPOSE_PUBLIC_HEALTH, PURPOSE_LEGAL, PURPOSE_EMERGENCY };
	for (size_t i = 0; i < sizeof law / sizeof law[0]; i++) {
		assert_int_equal(decide(ACCESS_DISCLOSE, law[i], him, r, &d), ACCESS_ALLOW);
		assert_true(d.override);
	}
	/* A restriction binds disclosures, not the department's own reads. */
	assert_int_equal(decide(ACCESS_PATIENT_READ, PURPOSE_OPERATIONS, him, r, &d), ACCESS_ALLOW);
	assert_false(d.override);
	/* Part 2: consent for each disclosure, except in a medical emergency. */
	struct access_subject po = { .roles = ROLE_PRIVACY_BIT };
	struct access_object p2 = { .labels = L(LABEL_PART2) };
	assert_int_equal(decide(ACCESS_DISCLOSE, PURPOSE_PUBLIC_HEALTH, po, p2, NULL), ACCESS_UNAUTHORIZED);
	assert_int_equal(decide(ACCESS_DISCLOSE, PURPOSE_EMERGENCY, po, p2, NULL), ACCESS_ALLOW);
	p2.authorized = 1;
	assert_int_equal(decide(ACCESS_DISCLOSE, PURPOSE_PUBLIC_HEALTH, po, p2, NULL), ACCESS_ALLOW);
	/* A psychotherapy note: its own authorization, even in an emergency. */
	struct access_subject author = { .roles = ROLE_PRIVACY_BIT, .author = 1 };
	struct access_object psy = { .labels = L(LABEL_PSYTHPN) };
	assert_int_equal(decide(ACCESS_DISCLOSE, PURPOSE_EMERGENCY, author, psy, NULL), ACCESS_UNAUTHORIZED);
	psy.authorized = 1;
	assert_int_equal(decide(ACCESS_DISCLOSE, PURPOSE_EMERGENCY, author, psy, NULL), ACCESS_ALLOW);
}

static void test_mandated(void **state)
{
	(void)state;
	struct access_object rep = { .labels = L(LABEL_MANDATED) };
	struct access_subject po = { .roles = ROLE_PRIVACY_BIT };
	struct access_subject doc = { .roles = ROLE_PHYSICIAN_BIT };
	struct access_subject admin = { .roles = ROLE_ADMIN_BIT | ROLE_HIM_BIT, .glass = 1 };
	assert_int_equal(decide(ACCESS_MANDATED_READ, PURPOSE_PUBLIC_HEALTH, po, rep, NULL), ACCESS_ALLOW);
	assert_int_equal(decide(ACCESS_MANDATED_READ, PURPOSE_PUBLIC_HEALTH, doc, rep, NULL), ACCESS_DENY);
	assert_int_equal(decide(ACCESS_MANDATED_READ, PURPOSE_PUBLIC_HEALTH, admin, rep, NULL), ACCESS_DENY);
	doc.author = 1;
	assert_int_equal(decide(ACCESS_MANDATED_READ, PURPOSE_PUBLIC_HEALTH, doc, rep, NULL), ACCESS_ALLOW);
	assert_int_equal(decide(ACCESS_MANDATED_NEW, PURPOSE_PUBLIC_HEALTH, doc, rep, NULL), ACCESS_ALLOW);
	/* A restriction never stops a report the law requires. */
	rep.restricted = 1;
	struct access_decision d;
	assert_int_equal(decide(ACCESS_MANDATED_READ, PURPOSE_LEGAL, po, rep, &d), ACCESS_ALLOW);
	assert_true(d.override);
}

static void test_vocabularies(void **state)
{
	(void)state;
	assert_int_equal(access_label_bit("BH"), L(LABEL_BH));
	assert_int_equal(access_label_bit("42CFRPart2"), L(LABEL_PART2));
	assert_int_equal(access_label_bit("PART2"), L(LABEL_PART2));
	assert_int_equal(access_label_bit("bh"), 0);
	assert_int_equal(access_label_bit("R"), 0);
	assert_int_equal(access_label_bit(NULL), 0);
	assert_int_equal(access_label_bit_sys(ACCESS_ACTCODE_SYSTEM, "HIV"), L(LABEL_HIV));
	assert_int_equal(access_label_bit_sys("", "ETH"), L(LABEL_ETH));
	assert_int_equal(access_label_bit_sys("http://terminology.hl7.org/CodeSystem/v2-0717", "PSY"),
	                 L(LABEL_BH));
	assert_int_equal(access_label_bit_sys("http://terminology.hl7.org/CodeSystem/v2-0717", "DEM"), 0);
	assert_int_equal(access_label_bit_sys("http://terminology.hl7.org/CodeSystem/v2-0099", "VIP"),
	                 L(LABEL_CEL));
	assert_int_equal(access_label_bit_sys("http://terminology.hl7.org/CodeSystem/v2-0099", "N"), 0);
	assert_int_equal(access_label_bit_sys("http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
	                                      "R"), 0);
	char buf[64];
	access_label_format(buf, sizeof buf, L(LABEL_BH) | L(LABEL_PART2));
	assert_string_equal(buf, "BH,42CFRPart2");
	access_label_format(buf, 4, L(LABEL_BH) | L(LABEL_HIV));
	assert_string_equal(buf, "BH");
	assert_int_equal(access_purpose_parse("public-health"), PURPOSE_PUBLIC_HEALTH);
	assert_int_equal(access_purpose_parse("public_health"), PURPOSE_PUBLIC_HEALTH);
	assert_int_equal(access_purpose_parse("treatment"), PURPOSE_TREATMENT);
	assert_int_equal(access_purpose_parse("treat"), -1);
	assert_int_equal(access_purpose_parse(""), -1);
	for (int op = 0; op < ACCESS_OP_COUNT; op++) {
		assert_non_null(access_ops[op].name);
		assert_non_null(access_ops[op].what);
		assert_true(access_ops[op].roles != 0);
	}
}

static void test_matrix(void **state)
{
	(void)state;
	char *md = access_matrix_markdown();
	assert_non_null(md);
	for (int op = 0; op < ACCESS_OP_COUNT; op++)
		assert_non_null(strstr(md, access_ops[op].name));
	assert_non_null(strstr(md, "| `patient.read` | A-AG |"));
	assert_non_null(strstr(md, "| `user.admin` | AAAA | ---- |"));
	free(md);
	json_t *m = access_matrix_json();
	assert_int_equal(json_array_size(json_object_get(m, "operations")), ACCESS_OP_COUNT);
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),         cmocka_unit_test(test_labels),
		cmocka_unit_test(test_treating),      cmocka_unit_test(test_break_glass),
		cmocka_unit_test(test_restrictions),  cmocka_unit_test(test_mandated),
		cmocka_unit_test(test_vocabularies),  cmocka_unit_test(test_matrix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
