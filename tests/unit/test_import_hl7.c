/*
 * Unit tests for the HL7 v2 import on an in-memory site, with hand-made
 * messages: savepoints (a rollback-to undoes an inner rollback's doom),
 * every mapping of PID/PV1/IN1/DG1/PR1/ARV/TXA/OBX, each ADT event
 * (admit, transfer, discharge, class change, cancels, link/unlink, merge,
 * account merge, move, identifier change, person events), MDM documents,
 * AE and AR (nothing of the message left but its reject and log rows),
 * resends and reused control ids, a bad message inside a batch leaving
 * the others, the file import's report, and access (admin or him only).
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
#include <sqlite3.h>

#include "base/str.h"
#include "service/import_hl7.h"
#include "service/site.h"
#include "service/user_svc.h"

static mrt_session *s;

static int setup(void **state)
{
	(void)state;
	mrt_err err = {0};
	struct mrt_session_opts o = {.db_path = ":memory:", .create = 1};
	return mrt_session_open(&s, &o, &err);
}

static int teardown(void **state)
{
	(void)state;
	mrt_session_close(s);
	s = NULL;
	return 0;
}

static sqlite3 *h(void)
{
	return mrt_db_sqlite(mrt_session_db(s));
}

static int64_t count(const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;
	if (sqlite3_prepare_v2(h(), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The first column of the first row as text ("<null>" / "<none>"). */
static const char *q(const char *sql)
{
	static char out[4][512];
	static int k;
	char *o = out[k++ & 3];
	sqlite3_stmt *st = NULL;
	mrt_strlcpy(o, "<none>", 512);
	if (sqlite3_prepare_v2(h(), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		mrt_strlcpy(o, t ? (const char *)t : "<null>", 512);
	}
	sqlite3_finalize(st);
	return o;
}

/* A segment from (field number, value) pairs ending with 0. */
static void seg(char *out, size_t size, const char *id, ...)
{
	const char *f[80] = {0};
	int max = 0;
	va_list ap;
	va_start(ap, id);
	for (int i = va_arg(ap, int); i > 0 && i < 80; i = va_arg(ap, int)) {
		f[i] = va_arg(ap, const char *);
		if (i > max)
			max = i;
	}
	va_end(ap);
	size_t n = (size_t)snprintf(out, size, "%s", id);
	for (int i = 1; i <= max && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "|%s", f[i] ? f[i] : "");
}

/* MSH + the given segments, each ended by CR. */
static char msgbuf[8][8192];
static int msgk;
static const char *msg(const char *type, const char *cid, ...)
{
	char *o = msgbuf[msgk++ & 7];
	size_t n = (size_t)snprintf(
	    o, 8192, "MSH|^~\\&|REG|GH|MRT|GH|20240105120000||%s|%s|P|2.5\r", type, cid);
	va_list ap;
	va_start(ap, cid);
	for (const char *sg = va_arg(ap, const char *); sg; sg = va_arg(ap, const char *))
		n += (size_t)snprintf(o + n, 8192 - n, "%s\r", sg);
	va_end(ap);
	return o;
}

static char PID[1024], PV1[1024], IN1[256], DG1a[256], DG1b[256], PR1[256], ARV[128], ZPI[64],
    PD1[64];

static void make_segments(void)
{
	seg(PID, sizeof PID, "PID", 1, "1", 3, "M100^^^GH^MR~99900111^^^SSA^SS", 5,
	    "Doe^Jane^Q^^Ms^^L~Roe^Jane^^^^^M~Jd^^^^^^A", 7, "19800215", 8, "F", 11,
	    "1&Main St^Apt 2^Springfield^IL^62701^USA", 13,
	    "^PRN^PH^^^217^5551234~^PRN^CP^^^217^5550000", 14, "^WPN^PH^^^217^5559999", 16, "M", 18,
	    "A100", 30, "N", 0);
	seg(PV1, sizeof PV1, "PV1", 1, "1", 2, "I", 3, "4W^401^A^GH", 4, "E", 7,
	    "1234^Welby^Marcus^^^^^^NPI", 10, "MED", 14, "7", 16, "VIP", 17, "5678^Kildare^James",
	    19, "V100", 20, "SP", 36, "01", 44, "20240105120000", 0);
	seg(IN1, sizeof IN1, "IN1", 1, "1", 3, "BCBS01", 4, "Blue Plan", 0);
	seg(DG1a, sizeof DG1a, "DG1", 1, "1", 3, "I21.4^NSTEMI^I10", 6, "F", 15, "1", 26, "Y", 0);
	seg(DG1b, sizeof DG1b, "DG1", 1, "2", 3, "R07.9^Chest pain^I10", 5, "202312", 6, "A", 0);
	seg(PR1, sizeof PR1, "PR1", 1, "1", 3, "02703ZZ^Dilation^I10P", 5, "20240106", 11,
	    "9012^Cutter^Sam", 0);
	seg(ARV, sizeof ARV, "ARV", 1, "1", 2, "A", 3, "DEM^Demographics", 0);
	seg(ZPI, sizeof ZPI, "ZPI", 1, "anything^at^all", 0);
	seg(PD1, sizeof PD1, "PD1", 12, "Y", 0);
}

static const char *a01(const char *cid)
{
	return msg("ADT^A01^ADT_A01", cid, "EVN|A01|20240105120000", PID, PD1, ARV, PV1, IN1, DG1a,
		   DG1b, PR1, ZPI, (const char *)NULL);
}

static const char *pv1(const char *klass, const char *acct);
static const char *pid(const char *mrn, const char *family);

static int apply(const char *m, struct hl7_apply_result *r)
{
	mrt_err err = {0};
	int rc = import_hl7_apply(s, m, strlen(m), "test", r, &err);
	if (rc)
		fprintf(stderr, "apply: %s\n", err.msg);
	return rc;
}

/* Applies and checks the ACK code; frees the result. */
static void expect(const char *m, const char *code)
{
	struct hl7_apply_result r;
	assert_int_equal(apply(m, &r), 0);
	if (strcmp(r.ack_code, code) != 0)
		fprintf(stderr, "ack %s (%s)\n", r.ack_code, r.reason);
	assert_string_equal(r.ack_code, code);
	hl7_apply_result_free(&r);
}

static void savepoints(void **state)
{
	(void)state;
	mrt_err err = {0};
	mrt_db *db = mrt_session_db(s);
	assert_int_equal(mrt_db_savepoint(db, "sp", &err), MRT_EINVAL); /* no transaction */
	assert_int_equal(mrt_db_begin(db, &err), 0);
	assert_int_equal(mrt_db_exec(db, "CREATE TEMP TABLE t(x)", &err), 0);
	assert_int_equal(mrt_db_exec(db, "INSERT INTO t VALUES (1)", &err), 0);
	assert_int_equal(mrt_db_savepoint(db, "bad name", &err), MRT_EINVAL);
	assert_int_equal(mrt_db_savepoint(db, "sp", &err), 0);
	assert_int_equal(mrt_db_exec(db, "INSERT INTO t VALUES (2)", &err), 0);
	/* An inner transaction rolled back inside the savepoint... */
	assert_int_equal(mrt_db_begin(db, &err), 0);
	mrt_db_rollback(db);
	assert_int_equal(mrt_db_release(db, "other", &err), MRT_EINVAL);
	/* ...is undone with it, and does not doom the outer one. */
	assert_int_equal(mrt_db_rollback_to(db, "sp", &err), 0);
	assert_int_equal(mrt_db_savepoint(db, "sp2", &err), 0);
	assert_int_equal(mrt_db_exec(db, "INSERT INTO t VALUES (3)", &err), 0);
	assert_int_equal(mrt_db_release(db, "sp2", &err), 0);
	assert_int_equal(mrt_db_commit(db, &err), 0);
	assert_int_equal(count("SELECT group_concat(x) = '1,3' FROM t"), 1);
	/* Without a savepoint, an inner rollback still dooms the transaction. */
	assert_int_equal(mrt_db_begin(db, &err), 0);
	assert_int_equal(mrt_db_begin(db, &err), 0);
	mrt_db_rollback(db);
	assert_int_equal(mrt_db_commit(db, &err), MRT_EDB);
}

static void a01_maps_every_field(void **state)
{
	(void)state;
	struct hl7_apply_result r;
	assert_int_equal(apply(a01("C1"), &r), 0);
	assert_string_equal(r.ack_code, "AA");
	assert_int_equal(r.duplicate, 0);
	assert_non_null(strstr(r.ack.ptr, "MSA|AA|C1\r"));
	assert_non_null(strstr(r.ack.ptr, "ACK^A01^ACK"));
	hl7_apply_result_free(&r);
	assert_string_equal(
	    q("SELECT mrn || '|' || mrn_system || '|' || family || '|' || given || '|'"
	      " || middle || '|' || prefix || '|' || birth_date || '|' || sex FROM patient"),
	    "M100|GH|Doe|Jane|Q|Ms|1980-02-15|F");
	assert_string_equal(
	    q("SELECT address_line || '|' || city || '|' || state || '|' || postal_code"
	      " || '|' || country || '|' || phone_home || '|' || phone_mobile || '|' ||"
	      " phone_work || '|' || marital_status || '|' || deceased FROM patient"),
	    "1 Main St, Apt 2|Springfield|IL|62701|USA|(217)5551234|(217)5550000|"
	    "(217)5559999|M|0");
	assert_string_equal(q("SELECT group_concat(system || ':' || type || ':' || value, ',') FROM"
			      " (SELECT * FROM patient_identifier ORDER BY system)"),
			    "GH:MR:M100,SSA:SS:99900111");
	assert_string_equal(q("SELECT group_concat(use || ':' || family, ',') FROM (SELECT * FROM"
			      " patient_name WHERE use <> 'official' ORDER BY use)"),
			    "alias:Jd,maiden:Roe");
	assert_string_equal(
	    q("SELECT account || '|' || visit_number || '|' || class || '|' || status"
	      " || '|' || unit || '|' || room || '|' || bed || '|' || facility || '|' ||"
	      " admit_type || '|' || service || '|' || admit_source || '|' ||"
	      " discharge_status || '|' || payer || '|' || admit_at FROM encounter"),
	    "A100|V100|inpatient|in-progress|4W|401|A|GH|E|MED|7|01|Blue Plan|"
	    "2024-01-05T12:00:00");
	assert_string_equal(q("SELECT p.ident || ' ' || p.name FROM encounter e JOIN provider p ON"
			      " p.id = e.attending_id"),
			    "1234 Marcus Welby");
	assert_string_equal(
	    q("SELECT p.ident FROM encounter e JOIN provider p ON p.id = e.admitting_id"), "5678");
	assert_string_equal(
	    q("SELECT group_concat(kind || ':' || code || ':' || system || ':' ||"
	      " ifnull(poa, '-'), ',') FROM (SELECT * FROM diagnosis ORDER BY seq)"),
	    "principal:I21.4:http://hl7.org/fhir/sid/icd-10-cm:Y,"
	    "admitting:R07.9:http://hl7.org/fhir/sid/icd-10-cm:-");
	/* A date of month precision is kept as such (not refused). */
	assert_string_equal(q("SELECT onset FROM diagnosis WHERE code = 'R07.9'"), "2023-12");
	assert_string_equal(
	    q("SELECT d.code || ' ' || d.performed_at || ' ' || p.ident FROM procedure d"
	      " JOIN provider p ON p.id = d.surgeon_id"),
	    "02703ZZ 2024-01-06 9012");
	assert_string_equal(
	    q("SELECT group_concat(object_type || ':' || code, ',') FROM (SELECT * FROM"
	      " label ORDER BY object_type, code)"),
	    "encounter:VIP,patient:DEM,patient:Y");
	assert_string_equal(q("SELECT event || ' ' || source_ref || ' ' || unit FROM transfer"),
			    "admit C1 4W");
	assert_string_equal(q("SELECT ack_code || ' ' || outcome || ' ' || message_type || ' ' ||"
			      " (patient_id IS NOT NULL) FROM message_log"),
			    "AA applied ADT^A01 1");
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'hl7.apply' AND"
			       " object_id = 'C1' AND patient_id IS NOT NULL"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM reject"), 0);
}

static void resend_is_a_duplicate(void **state)
{
	(void)state;
	struct hl7_apply_result r1, r2, r3;
	assert_int_equal(apply(a01("C1"), &r1), 0);
	int64_t versions =
	    count("SELECT sum(version) FROM encounter") + count("SELECT sum(version) FROM patient");
	assert_int_equal(apply(a01("C1"), &r2), 0);
	assert_int_equal(r2.duplicate, 1);
	assert_string_equal(r2.ack_code, "AA");
	assert_string_equal(r1.ack.ptr, r2.ack.ptr);
	/* The same message framed for MLLP with LF endings is the same message. */
	char framed[8192];
	size_t n = 0;
	framed[n++] = 0x0B;
	for (const char *p = a01("C1"); *p; p++)
		framed[n++] = *p == '\r' ? '\n' : *p;
	framed[n++] = 0x1C;
	framed[n++] = '\r';
	framed[n] = '\0';
	assert_int_equal(apply(framed, &r3), 0);
	assert_int_equal(r3.duplicate, 1);
	hl7_apply_result_free(&r1);
	hl7_apply_result_free(&r2);
	hl7_apply_result_free(&r3);
	assert_int_equal(count("SELECT sum(version) FROM encounter") +
			     count("SELECT sum(version) FROM patient"),
			 versions);
	assert_int_equal(count("SELECT count(*) FROM message_log"), 1);
	assert_int_equal(count("SELECT count(*) FROM transfer"), 1);
}

static void reused_control_id_is_refused(void **state)
{
	(void)state;
	expect(a01("C1"), "AA");
	char pid2[256];
	seg(pid2, sizeof pid2, "PID", 1, "1", 3, "M200^^^GH^MR", 5, "Other^Ann", 0);
	struct hl7_apply_result r;
	assert_int_equal(
	    apply(msg("ADT^A04^ADT_A01", "C1", pid2, pv1("O", "V200"), (const char *)NULL), &r), 0);
	assert_string_equal(r.ack_code, "AR");
	assert_int_equal(r.duplicate, 0);
	assert_non_null(strstr(r.reason, "MSH-10"));
	assert_non_null(strstr(r.ack.ptr, "MSA|AR|C1"));
	assert_non_null(strstr(r.ack.ptr, "ERR|"));
	hl7_apply_result_free(&r);
	assert_int_equal(count("SELECT count(*) FROM patient WHERE mrn = 'M200'"), 0);
	assert_int_equal(count("SELECT count(*) FROM reject WHERE reason LIKE 'MSH-10%'"), 1);
	assert_int_equal(count("SELECT count(*) FROM message_log"), 1);
}

/* A PV1 with class and account (PV1-19) only. */
static const char *pv1(const char *klass, const char *acct)
{
	static char out[4][256];
	static int k;
	char *o = out[k++ & 3];
	seg(o, 256, "PV1", 1, "1", 2, klass, 19, acct, 0);
	return o;
}

static const char *pid(const char *mrn, const char *family)
{
	static char out[4][256];
	static int k;
	char *o = out[k++ & 3];
	char id[64];
	snprintf(id, sizeof id, "%s^^^GH^MR", mrn);
	seg(o, 256, "PID", 1, "1", 3, id, 5, family, 0);
	return o;
}

static void data_errors_leave_nothing(void **state)
{
	(void)state;
	char nopid3[64], baddate[128], badsex[128], nocode[64];
	seg(nopid3, sizeof nopid3, "PID", 1, "1", 5, "Doe^Jane", 0);
	seg(baddate, sizeof baddate, "PID", 1, "1", 3, "M9^^^GH^MR", 7, "19801345", 0);
	seg(badsex, sizeof badsex, "PID", 1, "1", 3, "M9^^^GH^MR", 8, "Q", 0);
	seg(nocode, sizeof nocode, "DG1", 1, "1", 6, "F", 0);
	struct {
		const char *m, *reason, *err;
	} cases[] = {
	    {msg("ADT^A01", "E1", nopid3, pv1("I", "X1"), (const char *)NULL), "PID-3",
	     "ERR||PID^2^3|101"},
	    {msg("ADT^A01", "E2", baddate, pv1("I", "X1"), (const char *)NULL), "PID-7",
	     "ERR||PID^2^7|102"},
	    {msg("ADT^A01", "E3", badsex, pv1("I", "X1"), (const char *)NULL), "PID-8",
	     "ERR||PID^2^8|103"},
	    {msg("ADT^A01", "E4", pid("M9", "Doe"), "PV1|1|I", (const char *)NULL), "PV1-19",
	     "ERR||PV1^3^19|101"},
	    {msg("ADT^A01", "E5", pid("M9", "Doe"), pv1("I", "X1"), nocode, (const char *)NULL),
	     "DG1-3", "ERR||DG1^4^3|101"},
	    {msg("ADT^A45", "E6", pid("M9", "Doe"), "MRG|||NOSUCH", pv1("I", "X1"),
		 (const char *)NULL),
	     "MRG-3", "ERR||MRG^3^3"},
	    {msg("ADT^A47", "E7", pid("M9", "Doe"), "MRG|M404^^^GH^MR", (const char *)NULL),
	     "MRG-1", "ERR||MRG^3^1"},
	    {msg("MDM^T02", "E8", pid("M9", "Doe"), "TXA|1|DS", (const char *)NULL), "TXA-12",
	     "ERR||TXA^3^12"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct hl7_apply_result r;
		assert_int_equal(apply(cases[i].m, &r), 0);
		if (strcmp(r.ack_code, "AE") != 0 || !strstr(r.reason, cases[i].reason) ||
		    !strstr(r.ack.ptr, cases[i].err))
			fprintf(stderr, "case %zu: %s %s\n%s\n", i, r.ack_code, r.reason,
				r.ack.ptr);
		assert_string_equal(r.ack_code, "AE");
		assert_non_null(strstr(r.reason, cases[i].reason));
		assert_non_null(strstr(r.ack.ptr, cases[i].err));
		assert_null(strstr(r.reason, "M9")); /* no patient data in the reason */
		hl7_apply_result_free(&r);
	}
	/* The patient put before each failure was rolled back with it. */
	assert_int_equal(count("SELECT count(*) FROM patient"), 0);
	assert_int_equal(count("SELECT count(*) FROM encounter"), 0);
	assert_int_equal(count("SELECT count(*) FROM provider"), 0);
	assert_int_equal(count("SELECT count(*) FROM reject WHERE kind = 'hl7'"), 8);
	assert_int_equal(count("SELECT count(*) FROM message_log WHERE ack_code = 'AE' AND"
			       " outcome = 'error' AND patient_id IS NULL"),
			 8);
	/* A resend of an AE message gets its AE again. */
	struct hl7_apply_result r;
	assert_int_equal(apply(cases[0].m, &r), 0);
	assert_int_equal(r.duplicate, 1);
	assert_string_equal(r.ack_code, "AE");
	hl7_apply_result_free(&r);
}

static void refusals(void **state)
{
	(void)state;
	struct hl7_apply_result r;
	assert_int_equal(apply("PID|1||M1^^^GH^MR\r", &r), 0); /* no MSH */
	assert_string_equal(r.ack_code, "AR");
	assert_non_null(strstr(r.reason, "MSH"));
	hl7_apply_result_free(&r);
	assert_int_equal(
	    apply(msg("ORU^R01^ORU_R01", "R2", pid("M1", "Doe"), (const char *)NULL), &r), 0);
	assert_string_equal(r.ack_code, "AR");
	assert_non_null(strstr(r.reason, "unsupported message type ORU^R01"));
	assert_non_null(strstr(r.ack.ptr, "ERR||MSH^1^9|200"));
	hl7_apply_result_free(&r);
	assert_int_equal(apply(msg("ADT^A20", "R3", "NPU|4W^401", (const char *)NULL), &r), 0);
	assert_string_equal(r.ack_code, "AR");
	assert_non_null(strstr(r.ack.ptr, "|201^"));
	hl7_apply_result_free(&r);
	/* The same unreadable bytes from one sender on two connections: one reject. */
	mrt_err err = {0};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(import_hl7_apply(s, "junk\r", 5,
						  i ? "mllp:10.0.0.1:5001" : "mllp:10.0.0.1:5000",
						  &r, &err),
				 0);
		assert_string_equal(r.ack_code, "AR");
		hl7_apply_result_free(&r);
	}
	assert_int_equal(count("SELECT count(*) FROM reject WHERE source = 'mllp:10.0.0.1' AND"
			       " position = 'message'"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM patient"), 0);
	assert_int_equal(count("SELECT count(*) FROM reject"), 4);
	/* Logged when the control id could be read. */
	assert_int_equal(count("SELECT count(*) FROM message_log WHERE ack_code = 'AR'"), 2);
}

/* Three messages in the caller's transaction; the middle one fails after
 * its patient was written: only its writes are undone. */
static void bad_message_in_a_batch(void **state)
{
	(void)state;
	mrt_err err = {0};
	mrt_db *db = mrt_session_db(s);
	char nocode[64];
	seg(nocode, sizeof nocode, "DG1", 1, "1", 6, "F", 0);
	assert_int_equal(mrt_db_begin(db, &err), 0);
	expect(msg("ADT^A04", "B1", pid("P1", "One"), pv1("O", "V1"), (const char *)NULL), "AA");
	expect(msg("ADT^A04", "B2", pid("P2", "Two"), pv1("O", "V2"), nocode, (const char *)NULL),
	       "AE");
	expect(msg("ADT^A04", "B3", pid("P3", "Three"), pv1("O", "V3"), (const char *)NULL), "AA");
	assert_int_equal(mrt_db_commit(db, &err), 0);
	assert_string_equal(
	    q("SELECT group_concat(mrn, ',') FROM (SELECT mrn FROM patient ORDER BY mrn)"),
	    "P1,P3");
	assert_string_equal(
	    q("SELECT group_concat(account, ',') FROM (SELECT account FROM encounter"
	      " ORDER BY account)"),
	    "V1,V3");
	assert_int_equal(count("SELECT count(*) FROM message_log"), 3);
	assert_int_equal(count("SELECT count(*) FROM reject"), 1);
}

static void visit_events(void **state)
{
	(void)state;
	char pv1t[256], pv1d[256];
	expect(msg("ADT^A05", "V1", pid("P1", "One"), pv1("I", "ACC1"), (const char *)NULL), "AA");
	assert_string_equal(q("SELECT status FROM encounter"), "planned");
	expect(msg("ADT^A01", "V2", pid("P1", "One"), pv1("I", "ACC1"), (const char *)NULL), "AA");
	assert_string_equal(q("SELECT status || ' ' || class FROM encounter"),
			    "in-progress inpatient");
	seg(pv1t, sizeof pv1t, "PV1", 1, "1", 2, "I", 3, "5E^510^B", 19, "ACC1", 0);
	expect(msg("ADT^A02", "V3", "EVN|A02|20240107080000", pid("P1", "One"), pv1t,
		   (const char *)NULL),
	       "AA");
	assert_string_equal(q("SELECT event || ' ' || unit || ' ' || in_at FROM transfer WHERE"
			      " source_ref = 'V3'"),
			    "transfer 5E 2024-01-07T08:00:00");
	assert_string_equal(q("SELECT unit || ' ' || room FROM encounter"), "5E 510");
	expect(msg("ADT^A12", "V4", pid("P1", "One"), pv1("I", "ACC1"), (const char *)NULL), "AA");
	assert_string_equal(q("SELECT event FROM transfer WHERE source_ref = 'V4'"),
			    "cancel-transfer");
	seg(pv1d, sizeof pv1d, "PV1", 1, "1", 2, "I", 19, "ACC1", 36, "06", 45, "20240110093000",
	    0);
	expect(msg("ADT^A03", "V5", pid("P1", "One"), pv1d, (const char *)NULL), "AA");
	assert_string_equal(q("SELECT status || ' ' || discharge_at || ' ' || discharge_status FROM"
			      " encounter"),
			    "finished 2024-01-10T09:30:00 06");
	/* Without PV1-45 the discharge is the event's time (EVN-6, else EVN-2). */
	expect(msg("ADT^A03", "V5b", "EVN|A03|20240111080000||||20240111070000", pid("P1", "One"),
		   pv1("I", "ACC1"), (const char *)NULL),
	       "AA");
	assert_string_equal(q("SELECT discharge_at FROM encounter"), "2024-01-11T07:00:00");
	expect(msg("ADT^A13", "V6", pid("P1", "One"), pv1("I", "ACC1"), (const char *)NULL), "AA");
	assert_string_equal(q("SELECT status || ' ' || ifnull(discharge_at, '-') || ' ' ||"
			      " ifnull(discharge_status, '-') FROM encounter"),
			    "in-progress - -");
	expect(msg("ADT^A07", "V7", pid("P1", "One"), pv1("", "ACC1"), (const char *)NULL), "AA");
	assert_string_equal(q("SELECT class FROM encounter"), "outpatient");
	expect(msg("ADT^A06", "V8", pid("P1", "One"), pv1("", "ACC1"), (const char *)NULL), "AA");
	assert_string_equal(q("SELECT class FROM encounter"), "inpatient");
	expect(msg("ADT^A11", "V9", pid("P1", "One"), pv1("I", "ACC1"), (const char *)NULL), "AA");
	assert_string_equal(q("SELECT status FROM encounter"), "cancelled");
	/* A08: demographics change; the history keeps the old row. */
	expect(msg("ADT^A08", "V10", pid("P1", "Uno"), pv1("I", "ACC1"), (const char *)NULL), "AA");
	assert_string_equal(q("SELECT family FROM patient"), "Uno");
	assert_true(count("SELECT count(*) FROM patient_history") >= 1);
	/* Every message's audit event names its patient. */
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE action = 'hl7.apply' AND"
			       " patient_id IS NOT NULL"),
			 11);
}

static void coding_replace_and_keep(void **state)
{
	(void)state;
	expect(a01("K1"), "AA");
	assert_int_equal(
	    count("SELECT count(*) FROM diagnosis d JOIN coding c ON c.id = d.coding_id"
		  " WHERE c.superseded_by IS NULL"),
	    2);
	/* No DG1/PR1: the coding is kept. */
	expect(msg("ADT^A08", "K2", PID, pv1("I", "A100"), (const char *)NULL), "AA");
	assert_int_equal(count("SELECT count(*) FROM coding"), 1);
	/* BAR P12 with one DG1: the list becomes that one. */
	char dg[128];
	seg(dg, sizeof dg, "DG1", 1, "1", 3, "250.00^Diabetes^I9C", 15, "1", 0);
	expect(msg("BAR^P12^BAR_P12", "K3", PID, pv1("I", "A100"), dg, (const char *)NULL), "AA");
	assert_string_equal(q("SELECT group_concat(d.code || ' ' || d.system || ' ' || d.kind) FROM"
			      " diagnosis d JOIN coding c ON c.id = d.coding_id WHERE"
			      " c.superseded_by IS NULL"),
			    "250.00 http://hl7.org/fhir/sid/icd-9-cm principal");
	/* Procedures were not in P12: kept. */
	assert_int_equal(
	    count("SELECT count(*) FROM procedure d JOIN coding c ON c.id = d.coding_id"
		  " WHERE c.superseded_by IS NULL"),
	    1);
	/* A28 (person) carries a DG1 but codes no visit. */
	expect(msg("ADT^A28", "K4", pid("P9", "Nine"), dg, (const char *)NULL), "AA");
	assert_int_equal(count("SELECT count(*) FROM encounter"), 1);
}

static void link_merge_move_change(void **state)
{
	(void)state;
	expect(msg("ADT^A04", "L1", pid("P1", "One"), pv1("O", "ACC1"), (const char *)NULL), "AA");
	expect(msg("ADT^A04", "L2", pid("P2", "Two"), pv1("O", "ACC2"), (const char *)NULL), "AA");
	/* A24 link, A37 unlink (ending the link) */
	expect(msg("ADT^A24", "L3", pid("P1", "One"), pid("P2", "Two"), (const char *)NULL), "AA");
	assert_string_equal(
	    q("SELECT kind || ' ' || status || ' ' || other_identifier FROM patient_link"),
	    "link applied P2");
	expect(msg("ADT^A37", "L4", pid("P1", "One"), pid("P2", "Two"), (const char *)NULL), "AA");
	assert_string_equal(
	    q("SELECT group_concat(kind || ':' || status || ':' || ifnull(ends, 0), ',')"
	      " FROM (SELECT * FROM patient_link ORDER BY id)"),
	    "link:ended:0,unlink:applied:1");
	/* A40: a pending merge naming the known prior record. */
	expect(msg("ADT^A40", "L5", pid("P1", "One"), "MRG|P2^^^GH^MR", (const char *)NULL), "AA");
	assert_int_equal(
	    count("SELECT count(*) FROM patient_link l JOIN patient o ON o.id ="
		  " l.other_patient_id WHERE l.kind = 'merge' AND l.status = 'pending' AND"
		  " o.mrn = 'P2' AND l.other_identifier = 'P2'"),
	    1);
	/* A41: ACC1 absorbs ACC2. */
	char pid1[256];
	seg(pid1, sizeof pid1, "PID", 1, "1", 3, "P1^^^GH^MR", 5, "One", 18, "ACC1", 0);
	expect(msg("ADT^A41", "L6", pid1, "MRG|P1^^^GH^MR||ACC2", (const char *)NULL), "AA");
	assert_string_equal(
	    q("SELECT e.status || ' ' || m.account FROM encounter e JOIN encounter m ON"
	      " m.id = e.merged_into WHERE e.account = 'ACC2'"),
	    "merged ACC1");
	assert_int_equal(count("SELECT count(*) FROM encounter_history h JOIN encounter e ON e.id ="
			       " h.encounter_id WHERE e.account = 'ACC2'"),
			 1);
	assert_int_equal(
	    count("SELECT count(*) FROM encounter_link l JOIN encounter a ON a.id ="
		  " l.encounter_id JOIN encounter b ON b.id = l.other_encounter_id WHERE"
		  " l.kind = 'account-merge' AND a.account = 'ACC1' AND"
		  " b.account = 'ACC2'"),
	    1);
	/* A45: the visit ACC2 moves to P1. */
	expect(msg("ADT^A45", "L7", pid("P1", "One"), "MRG|P2^^^GH^MR||ACC2", (const char *)NULL),
	       "AA");
	assert_string_equal(q("SELECT p.mrn FROM encounter e JOIN patient p ON p.id = e.patient_id"
			      " WHERE e.account = 'ACC2'"),
			    "P1");
	/* A45 naming the visit by its visit number (MRG-5), not its account. */
	char pid2[256];
	seg(pid2, sizeof pid2, "PID", 1, "1", 3, "P2^^^GH^MR", 5, "Two", 18, "ACC5", 0);
	expect(msg("ADT^A04", "L7a", pid2, pv1("O", "VIS5"), (const char *)NULL), "AA");
	expect(
	    msg("ADT^A45", "L7b", pid("P1", "One"), "MRG|P2^^^GH^MR||||VIS5", (const char *)NULL),
	    "AA");
	assert_string_equal(
	    q("SELECT p.mrn || ' ' || e.visit_number FROM encounter e JOIN patient p"
	      " ON p.id = e.patient_id WHERE e.account = 'ACC5'"),
	    "P1 VIS5");
	/* A47: P1's MRN becomes P7. */
	expect(msg("ADT^A47", "L8", pid("P7", "One"), "MRG|P1^^^GH^MR", (const char *)NULL), "AA");
	assert_int_equal(count("SELECT count(*) FROM patient WHERE mrn = 'P1'"), 0);
	assert_int_equal(count("SELECT count(*) FROM patient WHERE mrn = 'P7' AND version > 1"), 1);
	assert_int_equal(count("SELECT count(*) FROM patient_identifier WHERE value = 'P1' AND"
			       " active = 0 AND replaced_by IS NOT NULL"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM patient_link WHERE kind = 'identifier-change'"
			       " AND other_identifier = 'P1'"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM patient"), 2);
	/* A47 on another identifier type: the SS changes, the MRN stays. */
	char pss[256], pss2[256];
	seg(pss, sizeof pss, "PID", 1, "1", 3, "P7^^^GH^MR~111^^^SSA^SS", 5, "One^Ann^^^^^D", 0);
	seg(pss2, sizeof pss2, "PID", 1, "1", 3, "P7^^^GH^MR~222^^^SSA^SS", 0);
	expect(msg("ADT^A31", "L8a", pss, (const char *)NULL), "AA");
	expect(msg("ADT^A47", "L8b", pss2, "MRG|111^^^SSA^SS", (const char *)NULL), "AA");
	assert_string_equal(q("SELECT group_concat(value || ':' || active, ',') FROM (SELECT * FROM"
			      " patient_identifier WHERE type = 'SS' ORDER BY value)"),
			    "111:0,222:1");
	assert_int_equal(count("SELECT count(*) FROM patient WHERE mrn = 'P7'"), 1);
	/* A name of type D only (no legal name) still heads the record. */
	char pd[128];
	seg(pd, sizeof pd, "PID", 1, "1", 3, "P8^^^GH^MR", 5, "Eight^Ed^^^^^D", 0);
	expect(msg("ADT^A28", "L8c", pd, (const char *)NULL), "AA");
	assert_string_equal(q("SELECT family || ' ' || given FROM patient WHERE mrn = 'P8'"),
			    "Eight Ed");
	assert_int_equal(count("SELECT count(*) FROM patient_name n JOIN patient p ON p.id ="
			       " n.patient_id WHERE p.mrn = 'P8' AND n.use = 'usual'"),
			 1);
	/* A29 deletes nothing. */
	expect(msg("ADT^A29", "L9", pid("P7", "One"), (const char *)NULL), "AA");
	assert_int_equal(count("SELECT count(*) FROM patient"), 3);
	assert_string_equal(q("SELECT outcome FROM message_log WHERE control_id = 'L9'"),
			    "unchanged");
}

static void mdm_documents(void **state)
{
	(void)state;
	char txa[512], txa2[512];
	seg(txa, sizeof txa, "TXA", 1, "1", 2, "DS^Discharge summary", 3, "TX", 6, "20240110100000",
	    9, "1234^Welby^Marcus", 12, "DOC-1", 17, "AU", 18, "R", 22,
	    "1234^Welby^Marcus^^^^^^^^^^^^20240110113000", 0);
	expect(msg("MDM^T02^MDM_T02", "D1", pid("P1", "One"), pv1("I", "ACC1"), txa,
		   "OBX|1|TX|||First line~Second line", "OBX|2|ED|||^application^pdf^Base64^AAAA",
		   "OBX|3|FT|||Third \\T\\ last", (const char *)NULL),
	       "AA");
	assert_string_equal(
	    q("SELECT doc_ref || '|' || type || '|' || title || '|' || status || '|' ||"
	      " written_at || '|' || signed_at || '|' || content_type || '|' ||"
	      " (encounter_id IS NOT NULL) FROM document"),
	    "DOC-1|DS|Discharge summary|signed|2024-01-10T10:00:00|"
	    "2024-01-10T11:30:00|text/plain|1");
	assert_string_equal(q("SELECT text FROM document"),
			    "First line\nSecond line\nThird & last");
	assert_string_equal(
	    q("SELECT p.ident FROM document d JOIN provider p ON p.id = d.author_id"), "1234");
	assert_string_equal(q("SELECT object_type || ':' || code FROM label"), "document:R");
	assert_int_equal(count("SELECT count(*) FROM label"), 1);
	/* T10 replacing DOC-1 by DOC-2: DOC-1 becomes amended, its text kept. */
	char txa3[256];
	seg(txa3, sizeof txa3, "TXA", 1, "1", 2, "DS", 12, "DOC-2", 13, "DOC-1", 17, "AU", 0);
	expect(msg("MDM^T10^MDM_T02", "D1b", pid("P1", "One"), txa3, "OBX|1|TX|||Corrected",
		   (const char *)NULL),
	       "AA");
	assert_string_equal(q("SELECT status || ' ' || version || ' ' || substr(text, 1, 10) FROM"
			      " document WHERE doc_ref = 'DOC-1' AND superseded_by IS NULL"),
			    "amended 2 First line");
	assert_string_equal(q("SELECT status || ' ' || text FROM document WHERE doc_ref = 'DOC-2'"),
			    "signed Corrected");
	/* T11: the document is cancelled (a new version; the old one kept). */
	seg(txa2, sizeof txa2, "TXA", 1, "1", 2, "DS", 12, "DOC-1", 0);
	expect(msg("MDM^T11^MDM_T01", "D2", pid("P1", "One"), txa2, (const char *)NULL), "AA");
	assert_string_equal(q("SELECT status FROM document WHERE superseded_by IS NULL AND"
			      " doc_ref = 'DOC-1'"),
			    "cancelled");
	assert_int_equal(count("SELECT count(*) FROM document WHERE doc_ref = 'DOC-1'"), 3);
}

static const char *write_file(const char *name, const char *content)
{
	static char path[4][256];
	static int k;
	char *p = path[k++ & 3];
	snprintf(p, 256, "/tmp/test_import_hl7.%ld.%s", (long)getpid(), name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	return p;
}

static void files_report(void **state)
{
	(void)state;
	char body[8192], nocode[64];
	seg(nocode, sizeof nocode, "DG1", 1, "1", 0);
	snprintf(body, sizeof body, "\xEF\xBB\xBF%s\n%s\n%s\n%s", a01("F1"),
		 msg("ADT^A04", "F2", pid("P2", "Two"), pv1("O", "V2"), nocode, (const char *)NULL),
		 msg("ORU^R01", "F3", pid("P3", "Three"), (const char *)NULL), a01("F1"));
	const char *paths[3] = {write_file("a.hl7", body), "/nonexistent/x.hl7",
				write_file("empty.hl7", "")};
	mrt_err err = {0};
	json_t *rep = NULL;
	assert_int_equal(import_hl7_files(s, paths, 3, &rep, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(rep, "messages")), 4);
	assert_int_equal(json_integer_value(json_object_get(rep, "aa")), 1);
	assert_int_equal(json_integer_value(json_object_get(rep, "ae")), 1);
	assert_int_equal(json_integer_value(json_object_get(rep, "ar")), 1);
	assert_int_equal(json_integer_value(json_object_get(rep, "duplicate")), 1);
	assert_int_equal(json_integer_value(json_object_get(rep, "failed_files")), 1);
	json_t *ev = json_object_get(json_object_get(rep, "by_event"), "ADT^A01");
	assert_int_equal(json_integer_value(json_object_get(ev, "aa")), 1);
	assert_int_equal(json_integer_value(json_object_get(ev, "duplicate")), 1);
	assert_int_equal(json_array_size(json_object_get(rep, "problems")), 2);
	json_t *files = json_object_get(rep, "file_results");
	assert_non_null(json_object_get(json_array_get(files, 1), "error"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(files, 2), "refused")),
			    "no HL7 message in the file");
	json_decref(rep);
	assert_int_equal(count("SELECT count(*) FROM message_log WHERE channel LIKE 'file:%#2'"),
			 1);
	assert_int_equal(count("SELECT count(*) FROM reject WHERE position = 'message 2'"), 1);
	assert_int_equal(count("SELECT count(*) FROM reject WHERE position = 'whole file'"), 1);
	/* A second run changes nothing. */
	int64_t before =
	    count("SELECT (SELECT count(*) FROM message_log) * 1000 +"
		  " (SELECT count(*) FROM reject) * 100 + (SELECT sum(version) FROM patient)");
	assert_int_equal(import_hl7_files(s, paths, 3, &rep, &err), 0);
	assert_int_equal(json_integer_value(json_object_get(rep, "duplicate")), 4);
	json_decref(rep);
	assert_int_equal(
	    count("SELECT (SELECT count(*) FROM message_log) * 1000 +"
		  " (SELECT count(*) FROM reject) * 100 + (SELECT sum(version) FROM patient)"),
	    before);
	unlink(paths[0]);
	unlink(paths[2]);
}

/* A coder may not apply messages (refused before anything is written,
 * the refusal audited); a him user may. */
static void access_admin_or_him(void **state)
{
	(void)state;
	char dir[] = "/tmp/mrt-test-hl7-XXXXXX", db[300], cmd[400];
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/site.db", dir);
	unsetenv("MRT_HOME");
	mrt_err err = {0};
	struct mrt_site_info info;
	mrt_session *admin = NULL, *coder = NULL, *him = NULL;
	assert_int_equal(mrt_site_init(&admin, db, &info, &err), 0);
	struct user_new c = {
	    .name = "cody", .roles = {"coder"}, .nroles = 1, .password = "correct horse"};
	struct user_new h = {
	    .name = "hana", .roles = {"him_technician"}, .nroles = 1, .password = "battery staple"};
	int64_t id = 0;
	assert_int_equal(user_svc_add(admin, &c, &id, &err), 0);
	assert_int_equal(user_svc_add(admin, &h, &id, &err), 0);
	mrt_session_close(admin);
	struct mrt_session_opts oc = {
	    .db_path = db, .as_user = "cody", .password = "correct horse"};
	struct mrt_session_opts oh = {
	    .db_path = db, .as_user = "hana", .password = "battery staple"};
	assert_int_equal(mrt_session_open(&coder, &oc, &err), 0);
	assert_int_equal(mrt_session_open(&him, &oh, &err), 0);
	struct hl7_apply_result r;
	const char *m = a01("S1");
	assert_int_equal(import_hl7_apply(coder, m, strlen(m), "test", &r, &err), MRT_EACCESS);
	hl7_apply_result_free(&r);
	const char *paths[1] = {"/nonexistent.hl7"};
	json_t *rep = NULL;
	assert_int_equal(import_hl7_files(coder, paths, 1, &rep, &err), MRT_EACCESS);
	assert_null(rep);
	s = coder;
	assert_int_equal(count("SELECT count(*) FROM patient"), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_event WHERE outcome = 'deny' AND"
			       " action IN ('hl7.apply', 'hl7.import')"),
			 2);
	assert_int_equal(import_hl7_apply(him, m, strlen(m), "test", &r, &err), 0);
	assert_string_equal(r.ack_code, "AA");
	hl7_apply_result_free(&r);
	assert_int_equal(count("SELECT count(*) FROM patient"), 1);
	s = NULL;
	mrt_session_close(coder);
	mrt_session_close(him);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	make_segments();
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(savepoints, setup, teardown),
	    cmocka_unit_test_setup_teardown(a01_maps_every_field, setup, teardown),
	    cmocka_unit_test_setup_teardown(resend_is_a_duplicate, setup, teardown),
	    cmocka_unit_test_setup_teardown(reused_control_id_is_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(data_errors_leave_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(bad_message_in_a_batch, setup, teardown),
	    cmocka_unit_test_setup_teardown(visit_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(coding_replace_and_keep, setup, teardown),
	    cmocka_unit_test_setup_teardown(link_merge_move_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(mdm_documents, setup, teardown),
	    cmocka_unit_test_setup_teardown(files_report, setup, teardown),
	    cmocka_unit_test(access_admin_or_him),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
