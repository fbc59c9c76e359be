/*
 * Unit tests for src/formats/hl7v2 on small hand-made messages: structure
 * (segments, fields, repetitions, components, sub-components), any set of
 * separators, escape sequences, BOM, MLLP, CR/LF/CRLF, Z-segments, terse
 * paths, the MSH accessors, the stream splitter, ACKs, and every way a
 * message is refused (with the place named and no value in the message).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "formats/hl7v2.h"

#define MSH_STD "MSH|^~\\&|SendApp^1.2.3^ISO|SendFac|RecvApp|RecvFac|20260101120000||ADT^A01^ADT_A01|CTRL-1|P|2.5.1"

static hl7_msg M;
static mrt_buf V = MRT_BUF_INIT(1 << 20);

static int parse(const char *s, mrt_err *err)
{
	return hl7_parse(&M, s, strlen(s), err);
}

/* Value at a terse path ("" when absent). */
static const char *at(const char *path)
{
	mrt_err err = { 0 };
	int rc = hl7_get_path(&M, path, &V, &err);
	assert_true(rc == 0 || rc == MRT_ENOTFOUND);
	return mrt_buf_str(&V);
}

static void test_structure(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	const char *msg = MSH_STD "\r"
		"EVN|A01|20260101\r"
		"PID|1||111^^^HOSP^MR~222^^^STATE^SS&x&y||DOE^JANE^Q||19700101|F\r"
		"ZPI|custom^z||kept as it came\r"
		"OBX|1|ST|A||first\r"
		"OBX|2|ST|B||second^two\r";
	assert_int_equal(parse(msg, &err), 0);
	assert_int_equal(M.nsegs, 6);
	assert_string_equal(M.segs[3].id, "ZPI");
	assert_int_equal(M.segs[2].nfields, 8);
	assert_string_equal(at("PID-3"), "111");
	assert_string_equal(at("PID-3[2].1"), "222");
	assert_string_equal(at("PID-3[2].4"), "STATE");
	assert_string_equal(at("PID-3[2].5"), "SS");
	assert_string_equal(at("PID-3[2].5.2"), "x");
	assert_string_equal(at("PID-3[2].5.3"), "y");
	assert_string_equal(at("PID-5.2"), "JANE");
	assert_string_equal(at("ZPI-1.2"), "z");
	assert_string_equal(at("ZPI-3"), "kept as it came");
	assert_string_equal(at("OBX(2)-5.2"), "two");
	assert_string_equal(at("OBX(1)-5"), "first");
	/* Present but empty, and absent. */
	assert_int_equal(hl7_get(&M, "PID", 1, 2, 1, 1, 1, &V), 0);
	assert_string_equal(mrt_buf_str(&V), "");
	assert_int_equal(hl7_get(&M, "PID", 1, 9, 1, 1, 1, &V), MRT_ENOTFOUND);
	assert_int_equal(hl7_get(&M, "PID", 1, 3, 3, 1, 1, &V), MRT_ENOTFOUND);
	assert_int_equal(hl7_get(&M, "PID", 1, 3, 1, 6, 1, &V), MRT_ENOTFOUND);
	assert_int_equal(hl7_get(&M, "PID", 1, 3, 2, 5, 4, &V), MRT_ENOTFOUND);
	assert_int_equal(hl7_get(&M, "OBX", 3, 1, 1, 1, 1, &V), MRT_ENOTFOUND);
	assert_int_equal(hl7_get(&M, "PV1", 1, 1, 1, 1, 1, &V), MRT_ENOTFOUND);
	/* Raw access to a whole field keeps its separators. */
	const char *p = NULL;
	size_t n = 0;
	assert_int_equal(hl7_raw_at(&M, 2, 3, 0, 0, 0, &p, &n), 0);
	assert_int_equal(n, strlen("111^^^HOSP^MR~222^^^STATE^SS&x&y"));
	assert_memory_equal(p, "111^^^HOSP^MR~222", 17);
}

static void test_msh_accessors(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	assert_int_equal(parse(MSH_STD "\rPID|1\r", &err), 0);
	assert_string_equal(M.type, "ADT");
	assert_string_equal(M.trigger, "A01");
	assert_string_equal(M.structure, "ADT_A01");
	assert_string_equal(M.control_id, "CTRL-1");
	assert_string_equal(M.version, "2.5.1");
	assert_string_equal(at("MSH-1"), "|");
	assert_string_equal(at("MSH-2"), "^~\\&");
	assert_string_equal(at("MSH-3.2"), "1.2.3");
	assert_string_equal(at("MSH-9.2"), "A01");
	/* ACK with no trigger and a v2.3 header. */
	assert_int_equal(parse("MSH|^~\\&|a|b|c|d|2026||ACK|9|P|2.3\rMSA|AA|1", &err), 0);
	assert_string_equal(M.type, "ACK");
	assert_string_equal(M.trigger, "");
	assert_string_equal(M.version, "2.3");
}

static void test_other_separators(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	const char *msg = "MSH#*$!@#app#fac#r#rf#2026##ORU*R01#7#P#2.4\n"
		"PID#1##A*B*C$D*E@F#x!F!y!S!z!T!w!R!v!E!u\n";
	assert_int_equal(parse(msg, &err), 0);
	assert_string_equal(at("MSH-1"), "#");
	assert_string_equal(at("MSH-2"), "*$!@");
	assert_string_equal(at("PID-3.3"), "C");
	assert_string_equal(at("PID-3[2].2"), "E");
	assert_string_equal(at("PID-3[2].2.2"), "F");
	assert_string_equal(at("PID-4"), "x#y*z@w$v!u");
}

static void test_escapes(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	const char *msg = "MSH|^~\\&#|a|b|c|d|2026||ORU^R01|7|P|2.7\r"
		"NTE|1|\\F\\\\S\\\\T\\\\R\\\\E\\\\P\\|A\\X4142\\C|one\\.br\\two\\.sp\\3|\\H\\bold\\N\\"
		"|\\Zlocal\\|\\X4\\|\\Xzz\\|open\\F|\\\\|\\.in+4\\x\\C2842\\y\r";
	assert_int_equal(parse(msg, &err), 0);
	assert_int_equal(M.ts, '#');
	assert_string_equal(at("NTE-2"), "|^&~\\#");
	assert_string_equal(at("NTE-3"), "AABC");
	assert_string_equal(at("NTE-4"), "one\ntwo\n3");
	assert_string_equal(at("NTE-5"), "bold");
	assert_string_equal(at("NTE-6"), "\\Zlocal\\");  /* kept as it came */
	assert_string_equal(at("NTE-7"), "\\X4\\");      /* odd hex: kept */
	assert_string_equal(at("NTE-8"), "\\Xzz\\");
	assert_string_equal(at("NTE-9"), "open\\F");     /* unterminated: kept */
	assert_string_equal(at("NTE-10"), "\\\\");
	assert_string_equal(at("NTE-11"), "xy");
	/* Raw access leaves escapes alone. */
	const char *p = NULL;
	size_t n = 0;
	assert_int_equal(hl7_raw_at(&M, 1, 3, 1, 1, 1, &p, &n), 0);
	assert_int_equal(n, strlen("A\\X4142\\C"));
	/* \X00\ decodes to a NUL byte inside the value. */
	assert_int_equal(parse("MSH|^~\\&|a|b|c|d|2026||ORU^R01|7|P|2.5\rNTE|\\X410042\\", &err), 0);
	assert_int_equal(hl7_get(&M, "NTE", 1, 1, 1, 1, 1, &V), 0);
	assert_int_equal(V.len, 3);
	assert_memory_equal(V.ptr, "A\0B", 3);
	/* \P\ before v2.7 (4 encoding characters) stays as it came. */
	assert_int_equal(parse("MSH|^~\\&|a|b|c|d|2026||ORU^R01|7|P|2.5\rNTE|\\P\\", &err), 0);
	assert_string_equal(at("NTE-1"), "\\P\\");
}

static void test_framing_and_line_ends(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	static const char *forms[] = {
		"\xEF\xBB\xBF" MSH_STD "\rPID|1||X\rZZ1|a\r",
		"\x0B" MSH_STD "\rPID|1||X\rZZ1|a\r\x1C\r",
		MSH_STD "\r\nPID|1||X\r\nZZ1|a\r\n",
		MSH_STD "\nPID|1||X\r\n\r\nZZ1|a",
		"\xEF\xBB\xBF\x0B" MSH_STD "\nPID|1||X\rZZ1|a\n\x1C\r",
		"\x0B" MSH_STD "\rPID|1||X\rZZ1|a\x1C\r", /* no terminator before the frame end */
	};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		assert_int_equal(parse(forms[i], &err), 0);
		assert_int_equal(M.nsegs, 3);
		assert_string_equal(M.segs[2].id, "ZZ1");
		assert_string_equal(at("PID-3"), "X");
		assert_string_equal(at("ZZ1-1"), "a");
		assert_string_equal(at("MSH-12"), "2.5.1");
	}
}

static void test_paths(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	assert_int_equal(parse(MSH_STD "\rPID|1||111~222^^^S\r", &err), 0);
	static const char *bad[] = { "", "PID", "PID-", "PID-0", "PID-3[0]", "PID-3[2", "PID-3.0",
	                             "PID-3.1.0", "PID(0)-3", "PID(1-3", "PID-3x", "PID-3.1.1.1",
	                             "PID-99999999", NULL };
	for (size_t i = 0; bad[i]; i++) {
		err.code = 0;
		assert_int_equal(hl7_get_path(&M, bad[i], &V, &err), MRT_EINVAL);
		assert_int_equal(err.code, MRT_EINVAL);
		assert_non_null(strstr(err.msg, "bad HL7 path"));
	}
	assert_int_equal(hl7_get_path(&M, NULL, &V, &err), MRT_EINVAL);
	assert_int_equal(hl7_get_path(&M, "PID(1)-3[2].4.1", &V, &err), 0);
	assert_string_equal(mrt_buf_str(&V), "S");
	assert_int_equal(hl7_get_path(&M, "PID(2)-3", &V, &err), MRT_ENOTFOUND);
	assert_int_equal(hl7_seg_find(&M, "PID", 1), 1);
	assert_int_equal(hl7_seg_find(&M, "PI", 1), -1);
	assert_int_equal(hl7_seg_find(&M, "PID", 0), -1);
	/* A value bigger than the caller's buffer cap. */
	mrt_buf small = MRT_BUF_INIT(2);
	assert_int_equal(hl7_get_path(&M, "PID-3", &small, &err), MRT_ENOMEM);
	mrt_buf_free(&small);
}

static void test_get_comp(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	assert_int_equal(parse("MSH|^~\\&|a|b|c|d|1||ADT^A01|1|P|2.5\rPID|x&y\\T\\z^A\\S\\B&c\r", &err), 0);
	/* comps: MSH-1, MSH-2, MSH-3..MSH-8 (6), MSH-9 (2), MSH-10..12 (3), then PID-1 (2). */
	size_t pid1 = 2 + 6 + 2 + 3;
	assert_int_equal(M.ncomps, pid1 + 2);
	mrt_buf b = MRT_BUF_INIT(64);
	assert_int_equal(hl7_get_comp(&M, 0, 1, &b), 0);
	assert_string_equal(mrt_buf_str(&b), "|");
	assert_int_equal(hl7_get_comp(&M, 1, 1, &b), 0);
	assert_string_equal(mrt_buf_str(&b), "^~\\&");
	assert_int_equal(hl7_get_comp(&M, 1, 2, &b), MRT_ENOTFOUND);
	for (int round = 0; round < 2; round++) { /* empty buffer first, then one with room */
		assert_int_equal(hl7_get_comp(&M, pid1, 1, &b), 0);
		assert_string_equal(mrt_buf_str(&b), "x");
		assert_int_equal(hl7_get_comp(&M, pid1, 2, &b), 0);
		assert_string_equal(mrt_buf_str(&b), "y&z");
		assert_int_equal(hl7_get_comp(&M, pid1 + 1, 1, &b), 0);
		assert_string_equal(mrt_buf_str(&b), "A^B");
		assert_int_equal(hl7_get_comp(&M, pid1 + 1, 2, &b), 0);
		assert_string_equal(mrt_buf_str(&b), "c");
		assert_int_equal(hl7_get_comp(&M, pid1 + 1, 3, &b), MRT_ENOTFOUND);
		assert_string_equal(mrt_buf_str(&b), "");
		assert_int_equal(hl7_get_comp(&M, pid1 + 2, 1, &b), MRT_ENOTFOUND);
		assert_int_equal(hl7_get_comp(&M, pid1, 0, &b), MRT_ENOTFOUND);
	}
	mrt_buf_free(&b);
	mrt_buf tiny = MRT_BUF_INIT(2);
	assert_int_equal(hl7_get_comp(&M, pid1 + 1, 1, &tiny), MRT_ENOMEM);
	mrt_buf_free(&tiny);
}

/* Parses s and checks it is refused with `why` in the message and, when
 * given, the place ("segment 2 (PID), field PID-5"). */
static void refused(const char *s, size_t n, const char *why, const char *place, int h7)
{
	mrt_err err = { 0 };
	int rc = hl7_parse(&M, s, n, &err);
	assert_int_equal(rc, MRT_EPARSE);
	assert_int_equal(err.code, MRT_EPARSE);
	if (!strstr(err.msg, why) || (place && !strstr(err.msg, place)))
		fail_msg("message '%s' lacks '%s' / '%s'", err.msg, why, place ? place : "");
	assert_null(strstr(err.msg, "SECRET"));
	assert_int_equal(M.fail.code, h7);
}

static void refused_s(const char *s, const char *why, const char *place, int h7)
{
	refused(s, strlen(s), why, place, h7);
}

static void test_bad_headers(void **state)
{
	(void)state;
	refused_s("", "empty message", NULL, HL7_ERR_SEGMENT_SEQUENCE);
	refused_s("\r\n\r\n", "empty message", NULL, HL7_ERR_SEGMENT_SEQUENCE);
	refused_s("PID|1||SECRET\r" MSH_STD, "no MSH segment", NULL, HL7_ERR_SEGMENT_SEQUENCE);
	refused_s("MS", "no MSH segment", NULL, HL7_ERR_SEGMENT_SEQUENCE);
	refused_s("MSH", "short MSH segment", "MSH-1", HL7_ERR_REQUIRED_FIELD);
	refused_s("MSH\rPID|1", "short MSH segment", "MSH-1", HL7_ERR_REQUIRED_FIELD);
	refused_s("MSHA^~\\&", "bad field separator", "MSH-1", HL7_ERR_DATA_TYPE);
	refused_s("MSH ^~\\&", "bad field separator", "MSH-1", HL7_ERR_DATA_TYPE);
	refused_s("MSH|", "expected 4 (or 5 from v2.7), found 0", "MSH-2", HL7_ERR_DATA_TYPE);
	refused_s("MSH|^~\\|a", "found 3", "MSH-2", HL7_ERR_DATA_TYPE);
	refused_s("MSH|^~\\&#*|a", "found 6", "MSH-2", HL7_ERR_DATA_TYPE);
	refused_s("MSH|^~^&|a", "encoding character 3 is not a distinct", "MSH-2", HL7_ERR_DATA_TYPE);
	refused_s("MSH|^~|&|a", "found 2", "MSH-2", HL7_ERR_DATA_TYPE);
	refused_s("MSH|^~\\A|a", "encoding character 4", "MSH-2", HL7_ERR_DATA_TYPE);
	/* Truncated: the header ends before MSH-9, MSH-10 or MSH-12. */
	refused_s("MSH|^~\\&|a|b|c|d|2026", "message type", "field MSH-9", HL7_ERR_REQUIRED_FIELD);
	refused_s("MSH|^~\\&|a|b|c|d|2026||ADT^A01", "control ID is missing", "MSH-10", HL7_ERR_REQUIRED_FIELD);
	refused_s("MSH|^~\\&|a|b|c|d|2026||ADT^A01|1|P", "version ID is missing", "MSH-12", HL7_ERR_REQUIRED_FIELD);
	refused_s("MSH|^~\\&|a|b|c|d|2026||adt^A01|1|P|2.5", "message type", "MSH-9", HL7_ERR_DATA_TYPE);
	refused_s("MSH|^~\\&|a|b|c|d|2026||ADT^A0001|1|P|2.5", "trigger event", "MSH-9", HL7_ERR_DATA_TYPE);
	refused_s("MSH|^~\\&|a|b|c|d|2026||ADT^A01^ADT-A01|1|P|2.5", "message structure", "MSH-9",
	          HL7_ERR_DATA_TYPE);
	refused_s("MSH|^~\\&|a|b|c|d|2026||ADT^A01|1|P|3.0", "not an HL7 v2 version", "MSH-12", HL7_ERR_VERSION);
	refused_s("MSH|^~\\&|a|b|c|d|2026||ADT^A01|1|P|2.x", "malformed", "MSH-12", HL7_ERR_DATA_TYPE);
	refused_s("MSH|^~\\&|a|b|c|d|2026||ADT^A01|1|P|2.5.", "not an HL7 v2 version", "MSH-12", HL7_ERR_VERSION);
}

static void test_bad_segments(void **state)
{
	(void)state;
	refused_s(MSH_STD "\rpid|1", "bad segment ID", "segment 2:", HL7_ERR_SEGMENT_SEQUENCE);
	refused_s(MSH_STD "\rPID|1\r1AB|x", "bad segment ID", "segment 3:", HL7_ERR_SEGMENT_SEQUENCE);
	refused_s(MSH_STD "\rPIDX|1", "bad segment ID", "segment 2:", HL7_ERR_SEGMENT_SEQUENCE);
	refused_s(MSH_STD "\rPI", "bad segment ID", "segment 2:", HL7_ERR_SEGMENT_SEQUENCE);
	static const char nul[] = MSH_STD "\rPID|1||SECRET|x\0y\r";
	refused(nul, sizeof nul - 1, "control byte 0x00", "segment 2 (PID), field PID-4", HL7_ERR_DATA_TYPE);
	refused_s(MSH_STD "\rPID|1|SECRET\x01", "control byte 0x01", "field PID-2", HL7_ERR_DATA_TYPE);
	refused_s(MSH_STD "\x7f", "control byte 0x7F", "field MSH-12", HL7_ERR_DATA_TYPE);
	/* A tab and bytes >= 0x80 are data. */
	mrt_err err = { 0 };
	assert_int_equal(parse(MSH_STD "\rNTE|a\tb|\xC3\xA9t\xC3\xA9", &err), 0);
	assert_string_equal(at("NTE-1"), "a\tb");
	assert_string_equal(at("NTE-2"), "\xC3\xA9t\xC3\xA9");
}

/* A message with `count` copies of sep in one PID field. */
static char *many(char sep, size_t count, size_t *n)
{
	size_t head = strlen(MSH_STD "\rPID|");
	char *s = malloc(head + count + 2);
	assert_non_null(s);
	memcpy(s, MSH_STD "\rPID|", head);
	memset(s + head, sep, count);
	s[head + count] = 'x';
	*n = head + count + 1;
	return s;
}

static void test_caps(void **state)
{
	(void)state;
	size_t n = 0;
	mrt_err err = { 0 };
	char *s = many('|', HL7_MAX_FIELDS - 1, &n);
	assert_int_equal(hl7_parse(&M, s, n, &err), 0);
	assert_int_equal(M.segs[1].nfields, HL7_MAX_FIELDS);
	free(s);
	s = many('|', HL7_MAX_FIELDS, &n);
	refused(s, n, "more than 1000 fields in a segment", "segment 2 (PID)", HL7_ERR_INTERNAL);
	free(s);
	s = many('~', HL7_MAX_REPS, &n);
	refused(s, n, "more than 10000 repetitions", "field PID-1", HL7_ERR_INTERNAL);
	free(s);
	s = many('^', HL7_MAX_COMPS, &n);
	refused(s, n, "more than 1000 components in a repetition", "field PID-1", HL7_ERR_INTERNAL);
	free(s);
	/* Components over the whole message: many repetitions of many components. */
	size_t head = strlen(MSH_STD "\r");
	size_t per = 2 * 900 + 1, segs = HL7_MAX_ITEMS / 900 + 2;
	s = malloc(head + segs * (per + 5));
	assert_non_null(s);
	memcpy(s, MSH_STD "\r", head);
	n = head;
	for (size_t k = 0; k < segs; k++) {
		memcpy(s + n, "ZZZ|", 4);
		n += 4;
		for (size_t j = 0; j < 900; j++) {
			s[n++] = 'a';
			s[n++] = j % 8 == 7 ? '~' : '^';
		}
		s[n++] = '\r';
	}
	refused(s, n, "more than 1048576 components in the message", NULL, HL7_ERR_INTERNAL);
	free(s);
	/* Segments. */
	s = malloc(head + (HL7_MAX_SEGMENTS + 1) * 4);
	assert_non_null(s);
	memcpy(s, MSH_STD "\r", head);
	n = head;
	for (size_t k = 0; k < HL7_MAX_SEGMENTS; k++) {
		memcpy(s + n, "ZZZ\r", 4);
		n += 4;
	}
	refused(s, n, "more than 100000 segments", NULL, HL7_ERR_INTERNAL);
	free(s);
	/* Size. */
	n = (size_t)HL7_MAX_MSG_BYTES + 1;
	s = malloc(n);
	assert_non_null(s);
	memset(s, 'a', n);
	memcpy(s, MSH_STD, strlen(MSH_STD));
	refused(s, n, "over the 16777216-byte limit", NULL, HL7_ERR_INTERNAL);
	free(s);
}

static void test_garbage(void **state)
{
	(void)state;
	uint32_t x = 12345;
	char buf[512];
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(round % 500) + 1;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (char)(x >> 16);
		}
		if (round % 2)
			memcpy(buf, "MSH|^~\\&|", n < 9 ? n : 9);
		mrt_err err = { 0 };
		int rc = hl7_parse(&M, buf, n, &err);
		assert_true(rc == 0 || (rc == MRT_EPARSE && err.msg[0]));
		if (rc == 0)
			continue;
		mrt_buf ack = MRT_BUF_INIT(1 << 16);
		struct hl7_ack_opts o = { .app = "MRT", .control_id = "1" };
		assert_int_equal(hl7_ack_unparsed(&ack, &M, &o, &err), 0);
		assert_memory_equal(ack.ptr, "MSH|^~\\&|MRT|", 13);
		assert_non_null(strstr(ack.ptr, "\rMSA|AR|"));
		mrt_buf_free(&ack);
	}
}

static void test_split(void **state)
{
	(void)state;
	const char stream[] =
		"\xEF\xBB\xBF" "junk before\r\n"
		"FHS|^~\\&\rBHS|^~\\&\r"
		"MSH|^~\\&|a|b|c|d|1||ADT^A01|1|P|2.5\rPID|1\r\n"
		"MSH|^~\\&|a|b|c|d|1||ADT^A02|2|P|2.5\nPID|2\n\n"
		"\x0B" "MSH|^~\\&|a|b|c|d|1||ADT^A03|3|P|2.5\rPID|3\r\x1C\r"
		"\x0B" "MSH|^~\\&|a|b|c|d|1||ADT^A04|4|P|2.5\rPID|4\r\x1C\r"
		"MSH|^~\\&|a|b|c|d|1||ADT^A05|5|P|2.5\rPID|5\r"
		"BTS|5\rFTS|1\r";
	hl7_splitter sp;
	hl7_split_init(&sp, stream, sizeof stream - 1);
	const char *p = NULL;
	size_t n = 0;
	mrt_err err = { 0 };
	assert_int_equal(hl7_split_next(&sp, &p, &n), 1);
	assert_int_equal(hl7_parse(&M, p, n, &err), MRT_EPARSE);
	assert_non_null(strstr(err.msg, "no MSH segment"));
	static const char *trig[] = { "A01", "A02", "A03", "A04", "A05" };
	for (int k = 0; k < 5; k++) {
		assert_int_equal(hl7_split_next(&sp, &p, &n), 1);
		assert_int_equal(hl7_parse(&M, p, n, &err), 0);
		assert_string_equal(M.trigger, trig[k]);
		assert_int_equal(M.nsegs, 2);
		char want[2] = { (char)('1' + k), 0 };
		assert_string_equal(at("PID-1"), want);
	}
	assert_int_equal(hl7_split_next(&sp, &p, &n), 0);
	assert_int_equal(hl7_split_next(&sp, &p, &n), 0);
	/* Empty input and only blanks. */
	hl7_split_init(&sp, "", 0);
	assert_int_equal(hl7_split_next(&sp, &p, &n), 0);
	hl7_split_init(&sp, "\r\n \r", 4);
	assert_int_equal(hl7_split_next(&sp, &p, &n), 0);
	/* An MLLP frame that never ends runs to the end of the input. */
	hl7_split_init(&sp, "\x0BMSH|^~\\&|a|b|c|d|1||ADT^A01|1|P|2.5\rPID|1", 42);
	assert_int_equal(hl7_split_next(&sp, &p, &n), 1);
	assert_int_equal(n, 42);
	assert_int_equal(hl7_parse(&M, p, n, &err), 0);
}

static void test_ack(void **state)
{
	(void)state;
	mrt_err err = { 0 };
	mrt_buf ack = MRT_BUF_INIT(4096);
	const char *msg = "MSH#*$!@#Snd*1^2#SF#R#RF#2026##ADT*A08*ADT_A01#C9#P#2.6\rPID#1\r";
	assert_int_equal(parse(msg, &err), 0);
	struct hl7_ack_opts o = { .code = "AA", .app = "MRT", .facility = "H|1", .timestamp = "20260102",
	                          .control_id = "A1" };
	assert_int_equal(hl7_ack(&ack, &M, &o, &err), 0);
	assert_string_equal(mrt_buf_str(&ack),
	                    "MSH|^~\\&|MRT|H\\F\\1|Snd^1\\S\\2|SF|20260102||ACK^A08^ACK|A1|P|2.6\rMSA|AA|C9\r");
	o.code = "AE";
	o.err_seg = "PID";
	o.err_seq = 2;
	o.err_field = 3;
	o.err_code = HL7_ERR_REQUIRED_FIELD;
	assert_int_equal(hl7_ack(&ack, &M, &o, &err), 0);
	assert_non_null(strstr(ack.ptr, "\rMSA|AE|C9\rERR||PID^2^3|101^Required field missing^HL70357|E\r"));
	o.code = "XX";
	assert_int_equal(hl7_ack(&ack, &M, &o, &err), MRT_EINVAL);
	/* v2.3 puts location and code in ERR-1. */
	assert_int_equal(parse("MSH|^~\\&|a|b|c|d|1||ADT^A01|7|P|2.3\rPID|1", &err), 0);
	o.code = "AR";
	o.err_text = "no such patient";
	o.err_code = HL7_ERR_TABLE_VALUE;
	assert_int_equal(hl7_ack(&ack, &M, &o, &err), 0);
	assert_non_null(strstr(ack.ptr, "|2.3\rMSA|AR|7\rERR|PID^2^3^103&no such patient&HL70357\r"));
	/* A refused message: place and reason from the parse, MSH-10 kept. */
	assert_int_equal(parse("MSH|^~\\&|a|b|c|d|1||ADT^A01|77|P|2.5\rPID|1|\x02", &err), MRT_EPARSE);
	assert_int_equal(hl7_ack(&ack, &M, &o, &err), MRT_EINVAL);
	struct hl7_ack_opts r = { .app = "MRT", .control_id = "A2" };
	assert_int_equal(hl7_ack_unparsed(&ack, &M, &r, &err), 0);
	assert_string_equal(mrt_buf_str(&ack), "MSH|^~\\&|MRT||a|b|||ACK^A01^ACK|A2|P|2.5\rMSA|AR|77\r"
	                                       "ERR||PID^2^2|102^Data type error^HL70357|E\r");
	/* Nothing readable: an AR with no control ID to echo. */
	assert_int_equal(parse("garbage", &err), MRT_EPARSE);
	assert_int_equal(hl7_ack_unparsed(&ack, &M, &r, &err), 0);
	assert_string_equal(mrt_buf_str(&ack), "MSH|^~\\&|MRT||||||ACK^^ACK|A2||2.5\rMSA|AR|\r"
	                                       "ERR||^^|100^Segment sequence error^HL70357|E\r");
	r.code = "ZZ";
	assert_int_equal(hl7_ack_unparsed(&ack, &M, &r, &err), MRT_EINVAL);
	/* The ACK's size cap. */
	mrt_buf tiny = MRT_BUF_INIT(10);
	r.code = NULL;
	assert_int_equal(hl7_ack_unparsed(&tiny, &M, &r, &err), MRT_ENOMEM);
	mrt_buf_free(&tiny);
	mrt_buf_free(&ack);
}

static int teardown(void **state)
{
	(void)state;
	hl7_msg_free(&M);
	mrt_buf_free(&V);
	return 0;
}

int main(void)
{
	hl7_msg_init(&M);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_msh_accessors),
		cmocka_unit_test(test_other_separators),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_framing_and_line_ends),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_get_comp),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_segments),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_ack),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
