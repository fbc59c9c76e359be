/*
 * Unit tests for editing stored encounters without the edit tables: the
 * claim builder (age in years across birthdays and 29 February, LOS,
 * UB-04 status as stored or mapped from each importer's discharge
 * location, sex, codes undotted, what does not fit on a claim) and the
 * keeping of findings on an in-memory site (hand-made findings: new, still
 * open without a duplicate, closed by the run that no longer finds them,
 * the coder's work item opened once and closed when none is left).
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
#include "service/edits_claim.h"
#include "service/edits_store.h"

static void age_across_birthdays(void **state)
{
	(void)state;
	assert_int_equal(edits_claim_age(day("1960-06-15"), day("2025-06-14")), 64);
	assert_int_equal(edits_claim_age(day("1960-06-15"), day("2025-06-15")), 65);
	assert_int_equal(edits_claim_age(day("1960-06-15"), day("2025-12-31")), 65);
	assert_int_equal(edits_claim_age(day("2025-03-01"), day("2025-03-01")), 0);
	assert_int_equal(edits_claim_age(day("2024-03-02"), day("2025-03-01")), 0);
	/* Born on 29 February: one year older on 1 March of a common year. */
	assert_int_equal(edits_claim_age(day("2000-02-29"), day("2001-02-28")), 0);
	assert_int_equal(edits_claim_age(day("2000-02-29"), day("2001-03-01")), 1);
	assert_int_equal(edits_claim_age(day("2000-02-29"), day("2004-02-29")), 4);
	assert_int_equal(edits_claim_age(day("1900-01-01"), day("2025-01-01")), 125);
	/* Unknown or impossible. */
	assert_int_equal(edits_claim_age(0, day("2025-01-01")), -1);
	assert_int_equal(edits_claim_age(day("2025-01-02"), day("2025-01-01")), -1);
	assert_int_equal(edits_claim_age(day("2025-01-02"), 0), -1);
}

static void los_and_days(void **state)
{
	(void)state;
	assert_int_equal(edits_claim_los(day("2025-03-10"), day("2025-03-15")), 5);
	assert_int_equal(edits_claim_los(day("2025-03-10"), day("2025-03-10")), 0);
	assert_int_equal(edits_claim_los(day("2024-12-30"), day("2025-01-02")), 3);
	assert_int_equal(edits_claim_los(day("2024-02-28"), day("2024-03-01")), 2);
	assert_int_equal(edits_claim_los(0, day("2025-03-10")), 0);
	assert_int_equal(edits_claim_los(day("2025-03-11"), day("2025-03-10")), 0);
	assert_int_equal(edits_claim_day("2025-03-15T12:00:00"), day("2025-03-15"));
	assert_int_equal(edits_claim_day("2025-03-15"), day("2025-03-15"));
	assert_int_equal(edits_claim_day("2025-02-30"), 0);
	assert_int_equal(edits_claim_day("2025"), 0);
	assert_int_equal(edits_claim_day(NULL), 0);
}

static void status_mapping(void **state)
{
	(void)state;
	/* Stored UB-04 codes (MIMIC, HL7 PV1-36, FHIR NUBC) stay as they are. */
	assert_string_equal(edits_claim_status("06", "HOME HEALTH CARE"), "06");
	assert_string_equal(edits_claim_status("20", NULL), "20");
	assert_string_equal(edits_claim_status("99", NULL), "99");
	assert_string_equal(edits_claim_status("1", NULL), "01");
	/* Locations an importer kept without a status. */
	assert_string_equal(edits_claim_status(NULL, "SKILLED NURSING FACILITY"), "03");
	assert_string_equal(edits_claim_status("", "HOSPICE"), "50");
	assert_string_equal(edits_claim_status(NULL, "snf"), "03");
	assert_string_equal(edits_claim_status(NULL, "exp"), "20");
	assert_string_equal(edits_claim_status(NULL, "aadvice"), "07");
	assert_string_equal(edits_claim_status(NULL, "home"), "01");
	/* Nothing that maps: no status (the MCE then flags it). */
	assert_string_equal(edits_claim_status(NULL, "long"), "");
	assert_string_equal(edits_claim_status("123", "somewhere"), "");
	assert_string_equal(edits_claim_status(NULL, NULL), "");
	assert_string_equal(edits_claim_status("A1", ""), "");
	assert_int_equal(edits_claim_sex("M"), 'M');
	assert_int_equal(edits_claim_sex("F"), 'F');
	assert_int_equal(edits_claim_sex("O"), 'U');
	assert_int_equal(edits_claim_sex(NULL), 'U');
}

static void head_and_codes(void **state)
{
	(void)state;
	struct claim c;
	struct edits_claim_info in = {0};
	struct edits_claim_head h = {.account = "A1",
				     .birth_date = "1950-07-01",
				     .sex = "F",
				     .admit_at = "2025-06-28T22:00:00",
				     .discharge_at = "2025-07-02T10:00:00",
				     .discharge_location = "REHAB"};
	edits_claim_set_head(&c, &h);
	assert_int_equal(c.age, 75);
	assert_int_equal(c.los, 4);
	assert_int_equal(c.sex, 'F');
	assert_string_equal(c.status, "62");
	assert_string_equal(c.id, "A1");
	edits_claim_add_dx(&c, &in, "secondary", "i10", "Y");
	edits_claim_add_dx(&c, &in, "principal", "I21.4", "Y");
	edits_claim_add_dx(&c, &in, "principal", "E11.9", "N");
	edits_claim_add_dx(&c, &in, "admitting", "R07.9", NULL);
	edits_claim_add_px(&c, &in, "02703DZ", "2025-06-29T08:00:00");
	assert_string_equal(c.pdx.code, "I214");
	assert_string_equal(c.pdx.poa, "Y");
	assert_int_equal(c.nsdx, 2);
	assert_string_equal(c.sdx[0].code, "I10");
	assert_string_equal(c.sdx[1].code, "E119");
	assert_int_equal(c.has_admit_dx, 1);
	assert_string_equal(c.admit_dx.code, "R079");
	assert_string_equal(c.admit_dx.poa, "");
	assert_int_equal(c.proc[0].date, day("2025-06-29"));
	for (int i = 0; i < 30; i++)
		edits_claim_add_dx(&c, &in, "secondary", "Z87891", "1");
	for (int i = 0; i < 27; i++)
		edits_claim_add_px(&c, &in, "0DTJ4ZZ", NULL);
	assert_int_equal(c.nsdx, CLAIM_MAX_SDX);
	assert_int_equal(in.over_sdx, 2 + 30 - CLAIM_MAX_SDX);
	assert_int_equal(c.nproc, CLAIM_MAX_PROC);
	assert_int_equal(in.over_proc, 3);
}

static int setup(void **state)
{
	(void)state;
	int rc = tu_site_open("2025-08-01", NULL);
	if (rc)
		return rc;
	return sqlite3_exec(
	    raw(),
	    "INSERT INTO patient(id, mrn, birth_date, sex, source, created_at, updated_at)"
	    " VALUES (1, 'M1', '1970-08-02', 'O', 't', 'x', 'x');"
	    "INSERT INTO encounter(id, patient_id, account, status, admit_at, discharge_at,"
	    " discharge_status, source, created_at, updated_at)"
	    " VALUES (10, 1, 'ACC10', 'finished', '2025-07-20T10:00:00', '2025-08-01T09:00:00', '',"
	    " 't', 'x', 'x');"
	    "INSERT INTO coding(id, patient_id, encounter_id, version, source, created_at)"
	    " VALUES (100, 1, 10, 1, 't', 'x');"
	    "INSERT INTO diagnosis(patient_id, encounter_id, coding_id, seq, system, code, poa, "
	    "kind)"
	    " VALUES (1, 10, 100, 1, 'http://hl7.org/fhir/sid/icd-10-cm', 'E11.A', 'Y', "
	    "'principal'),"
	    " (1, 10, 100, 2, 'http://hl7.org/fhir/sid/icd-9-cm', '4019', NULL, 'secondary'),"
	    " (1, 10, 100, 3, 'http://hl7.org/fhir/sid/icd-10-cm', 'i10', 'N', 'secondary');"
	    "INSERT INTO procedure(patient_id, encounter_id, coding_id, seq, system, code,"
	    " performed_at) VALUES (1, 10, 100, 1, 'http://www.cms.gov/Medicare/Coding/ICD10',"
	    " '0DTJ4ZZ', '2025-07-21');",
	    NULL, NULL, NULL);
}

static void claim_from_the_chart(void **state)
{
	(void)state;
	struct claim c;
	struct edits_claim_info in;
	mrt_err err = {0};
	assert_int_equal(edits_claim_load(mrt_session_db(s), 10, &c, &in, &err), 0);
	assert_int_equal(in.coding_id, 100);
	assert_int_equal(in.patient_id, 1);
	assert_int_equal(in.other_system, 1);
	assert_int_equal(c.age, 54); /* the 55th birthday is the day after discharge */
	assert_int_equal(c.sex, 'U');
	assert_int_equal(c.los, 12);
	assert_string_equal(c.status, "");
	assert_string_equal(c.pdx.code, "E11A");
	assert_int_equal(c.nsdx, 1);
	assert_string_equal(c.sdx[0].code, "I10");
	assert_string_equal(c.sdx[0].poa, "N");
	assert_int_equal(c.nproc, 1);
	assert_int_equal(c.proc[0].date, day("2025-07-21"));
	assert_int_equal(edits_claim_load(mrt_session_db(s), 11, &c, &in, &err), MRT_ENOTFOUND);
}

static struct edits_found mk(const char *kind, const char *rule, const char *code)
{
	struct edits_found f = {.kind = kind, .rule = rule, .severity = "error", .occurrences = 1};
	snprintf(f.code, sizeof f.code, "%s", code);
	snprintf(f.message, sizeof f.message, "%s on %s", rule, code);
	return f;
}

/* One run over encounter 10 with findings f[0..n). */
static struct edits_tally run(const struct edits_found *f, int n)
{
	struct edits_store_run r;
	struct edits_store_counts c = {.selected = 1, .edited = 1};
	mrt_err err = {0};
	assert_int_equal(mrt_db_begin(mrt_session_db(s), &err), 0);
	assert_int_equal(edits_store_begin(s, "all", NULL, NULL, NULL, NULL, &r, &err), 0);
	assert_int_equal(edits_store_encounter(s, &r, 10, 1, 100, "43.1", f, n, &err), 0);
	assert_int_equal(edits_store_end(s, &r, &c, &err), 0);
	assert_int_equal(mrt_db_commit(mrt_session_db(s), &err), 0);
	struct edits_tally t = r.t;
	edits_store_free(&r);
	return t;
}

static void findings_kept_and_closed(void **state)
{
	(void)state;
	struct edits_found f[3] = {mk("mce", "UNSPECIFIED", "I10"), mk("mce", "INVALID_AGE", ""),
				   mk("tabular", "excludes1", "E11A")};
	snprintf(f[2].code2, sizeof f[2].code2, "I10");
	struct edits_tally t = run(f, 3);
	assert_int_equal(t.new_, 3);
	assert_int_equal(t.items_opened, 1);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE kind = 'coding-edit' AND"
			       " assigned_role = 'coder' AND status = 'open' AND subject_id = '10'"
			       " AND due_date = '2025-08-08'"),
			 1);
	/* The same again: still open, no duplicate, no second item. */
	t = run(f, 3);
	assert_int_equal(t.new_, 0);
	assert_int_equal(t.still_open, 3);
	assert_int_equal(t.items_opened, 0);
	assert_int_equal(count("SELECT count(*) FROM edit_finding"), 3);
	assert_int_equal(count("SELECT count(DISTINCT work_item_id) FROM edit_finding"), 1);
	assert_int_equal(count("SELECT max(last_run) - min(first_run) FROM edit_finding"), 1);
	/* One fixed: closed by the third run; the item stays open. */
	t = run(f, 2);
	assert_int_equal(t.closed, 1);
	assert_int_equal(t.still_open, 2);
	assert_int_equal(t.items_closed, 0);
	assert_int_equal(count("SELECT closed_run FROM edit_finding WHERE rule = 'excludes1'"), 3);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE status = 'open'"), 1);
	/* None left: every finding closed, and the item with them. */
	t = run(NULL, 0);
	assert_int_equal(t.closed, 2);
	assert_int_equal(t.items_closed, 1);
	assert_int_equal(count("SELECT count(*) FROM edit_finding WHERE status = 'open'"), 0);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE status = 'done'"), 1);
	/* A problem that comes back is a new finding with a new item. */
	t = run(f, 1);
	assert_int_equal(t.new_, 1);
	assert_int_equal(t.items_opened, 1);
	assert_int_equal(count("SELECT count(*) FROM edit_finding WHERE rule = 'UNSPECIFIED'"), 2);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE status = 'open'"), 1);
	assert_int_equal(count("SELECT count(*) FROM edit_run WHERE finished_at IS NOT NULL"), 5);
}

static void item_closed_by_hand_is_replaced(void **state)
{
	(void)state;
	struct edits_found f[1] = {mk("mce", "INVALID_CODE", "E11A")};
	run(f, 1);
	assert_int_equal(
	    sqlite3_exec(raw(), "UPDATE work_item SET status = 'done'", NULL, NULL, NULL),
	    SQLITE_OK);
	struct edits_tally t = run(f, 1);
	assert_int_equal(t.still_open, 1);
	assert_int_equal(t.items_opened, 1);
	assert_int_equal(count("SELECT count(*) FROM work_item WHERE status = 'open'"), 1);
	assert_int_equal(count("SELECT count(*) FROM edit_finding f JOIN work_item w"
			       " ON w.id = f.work_item_id WHERE w.status = 'open'"),
			 1);
}

static void occurrences_counted_once(void **state)
{
	(void)state;
	struct edits_found list[4];
	int n = 0;
	struct edits_found a = mk("mce", "INVALID_CODE", "X1"), b = mk("mce", "INVALID_CODE", "X2");
	edits_found_add(list, &n, 4, &a);
	edits_found_add(list, &n, 4, &b);
	edits_found_add(list, &n, 4, &a);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].occurrences, 2);
	assert_int_equal(list[1].occurrences, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(age_across_birthdays),
	    cmocka_unit_test(los_and_days),
	    cmocka_unit_test(status_mapping),
	    cmocka_unit_test(head_and_codes),
	    cmocka_unit_test(occurrences_counted_once),
	    cmocka_unit_test_setup_teardown(claim_from_the_chart, setup, tu_site_close),
	    cmocka_unit_test_setup_teardown(findings_kept_and_closed, setup, tu_site_close),
	    cmocka_unit_test_setup_teardown(item_closed_by_hand_is_replaced, setup, tu_site_close),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
