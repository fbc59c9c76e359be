/*
 * The HL7 v2 parser on the real sample messages in the data folder
 * ($MRT_DATA, else $MRT_SOURCE_DIR/../shared/data; skipped when absent):
 * all 139 Microsoft FHIR-Converter samples parse (spot checks of values,
 * escapes, BOM files, the same message with every kind of line end), the
 * nHapi multi-message file splits, and every nHapi fuzzer-found bad input
 * is refused with its own reason in bounded time and memory.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/buf.h"
#include "formats/hl7v2.h"

static char data[1024];
static mrt_buf V = MRT_BUF_INIT(1 << 20);

/* The file at data/rel, or NULL when it is not there. */
static char *slurp(const char *rel, size_t *n)
{
	char p[2048];
	snprintf(p, sizeof p, "%s/hl7v2/%s", data, rel);
	FILE *f = fopen(p, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)sz + 1);
	assert_non_null(b);
	*n = fread(b, 1, (size_t)sz, f);
	fclose(f);
	return b;
}

static const char *val(const hl7_msg *m, const char *path)
{
	mrt_err err = { 0 };
	int rc = hl7_get_path(m, path, &V, &err);
	assert_true(rc == 0 || rc == MRT_ENOTFOUND);
	return mrt_buf_str(&V);
}

static void test_all_samples(void **state)
{
	(void)state;
	char dir[1200];
	snprintf(dir, sizeof dir, "%s/hl7v2/microsoft-fhir-converter", data);
	DIR *d = opendir(dir);
	if (!d)
		skip();
	hl7_msg m;
	hl7_msg_init(&m);
	int files = 0, parsed = 0, boms = 0, escapes = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name), n = 0;
		if (l < 5 || strcmp(e->d_name + l - 4, ".hl7") != 0)
			continue;
		char rel[512];
		snprintf(rel, sizeof rel, "microsoft-fhir-converter/%s", e->d_name);
		char *b = slurp(rel, &n);
		assert_non_null(b);
		files++;
		boms += n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0;
		hl7_splitter sp;
		const char *p = NULL;
		size_t pn = 0;
		hl7_split_init(&sp, b, n);
		int k = 0;
		while (hl7_split_next(&sp, &p, &pn)) {
			mrt_err err = { 0 };
			k++;
			if (hl7_parse(&m, p, pn, &err) != 0)
				fail_msg("%s: %s", e->d_name, err.msg);
			parsed++;
			assert_true(m.nsegs >= 2);
			assert_true(m.type[0] && m.control_id[0] && m.version[0]);
			/* Every component reads back; count the ones with an escape. */
			for (uint32_t i = 2; i < m.ncomps; i++) { /* after MSH-1 and MSH-2 */
				escapes += memchr(m.buf + m.comps[i].off, m.es, m.comps[i].len) != NULL;
				assert_int_equal(hl7_decode(&m, m.buf + m.comps[i].off, m.comps[i].len, &V), 0);
			}
		}
		assert_int_equal(k, 1);
		free(b);
	}
	closedir(d);
	hl7_msg_free(&m);
	assert_int_equal(files, 139);
	assert_int_equal(parsed, 139);
	assert_int_equal(boms, 27);
	assert_true(escapes > 0);
}

static int parse_file(hl7_msg *m, const char *rel, char **b, size_t *n)
{
	mrt_err err = { 0 };
	*b = slurp(rel, n);
	if (!*b)
		return -1;
	int rc = hl7_parse(m, *b, *n, &err);
	if (rc != 0)
		fail_msg("%s: %s", rel, err.msg);
	return 0;
}

static void test_spot_checks(void **state)
{
	(void)state;
	hl7_msg m;
	char *b = NULL;
	size_t n = 0;
	hl7_msg_init(&m);
	if (parse_file(&m, "microsoft-fhir-converter/ADT-A40-01.hl7", &b, &n) != 0)
		skip();
	assert_string_equal(m.type, "ADT");
	assert_string_equal(m.trigger, "A40");
	assert_string_equal(m.structure, "ADT_A40");
	assert_string_equal(m.control_id, "8919-40");
	assert_string_equal(m.version, "2.8");
	assert_string_equal(val(&m, "MRG-1"), "56789");
	assert_string_equal(val(&m, "MRG-1.4"), "BCBS");
	assert_string_equal(val(&m, "MRG-1.5"), "MR");
	assert_string_equal(val(&m, "PID-3.1"), "12345");
	assert_string_equal(val(&m, "PID-3.4"), "BCBS");
	assert_string_equal(val(&m, "PID-3.5"), "MR");
	assert_string_equal(val(&m, "EVN-5.2"), "Berry");
	free(b);
	/* An escape sequence (\T\) and sub-components. */
	assert_int_equal(parse_file(&m, "microsoft-fhir-converter/ADT-A01-01.hl7", &b, &n), 0);
	assert_string_equal(val(&m, "PV1-14"), "NHS Provider-General (inc.A&E-this Hosp)");
	assert_string_equal(val(&m, "PV1-3.1"), "HUH AE OMU");
	assert_string_equal(val(&m, "PV1-3.1.2"), "9.8");
	assert_string_equal(val(&m, "PV1-3.1.3"), "ISO");
	free(b);
	/* A file with a BOM, v2.5.1, repetitions. */
	assert_int_equal(parse_file(&m, "microsoft-fhir-converter/VXU.hl7", &b, &n), 0);
	assert_memory_equal(b, "\xEF\xBB\xBF", 3);
	assert_string_equal(val(&m, "MSH-3"), "NISTEHRAPP");
	assert_string_equal(m.version, "2.5.1");
	assert_string_equal(m.structure, "VXU_V04");
	assert_string_equal(val(&m, "PID-13[2].2"), "NET");
	assert_int_equal(hl7_get(&m, "PID", 1, 13, 3, 1, 1, &V), MRT_ENOTFOUND);
	free(b);
	hl7_msg_free(&m);
}

/* The same message with CR, CRLF and mixed line ends (and MLLP framing)
 * gives the same index and values. */
static void test_line_ends(void **state)
{
	(void)state;
	hl7_msg a, m;
	char *b = NULL;
	size_t n = 0;
	hl7_msg_init(&a);
	hl7_msg_init(&m);
	if (parse_file(&a, "microsoft-fhir-converter/ADT-A01-01.hl7", &b, &n) != 0)
		skip();
	mrt_buf c = MRT_BUF_INIT(1 << 20);
	mrt_buf x = MRT_BUF_INIT(1 << 20);
	for (int form = 0; form < 4; form++) {
		mrt_buf_reset(&c);
		if (form == 3)
			mrt_buf_addc(&c, 0x0B);
		int seg = 0;
		for (size_t i = 0; i < n; i++) {
			if (b[i] != '\n') {
				mrt_buf_addc(&c, b[i]);
				continue;
			}
			int k = form == 0 ? 0 : form == 1 ? 1 : seg++ % 3;
			mrt_buf_adds(&c, k == 0 ? "\r" : k == 1 ? "\r\n" : "\n");
		}
		if (form == 3)
			mrt_buf_adds(&c, "\x1C\r");
		mrt_err err = { 0 };
		assert_int_equal(hl7_parse(&m, c.ptr, c.len, &err), 0);
		assert_int_equal(m.nsegs, a.nsegs);
		assert_int_equal(m.ncomps, a.ncomps);
		for (uint32_t s = 0; s < m.nsegs; s++) {
			assert_string_equal(m.segs[s].id, a.segs[s].id);
			assert_int_equal(m.segs[s].nfields, a.segs[s].nfields);
		}
		for (uint32_t i = 0; i < m.ncomps; i++) {
			mrt_buf_reset(&V);
			mrt_buf_reset(&x);
			assert_int_equal(hl7_decode(&m, m.buf + m.comps[i].off, m.comps[i].len, &V), 0);
			assert_int_equal(hl7_decode(&a, a.buf + a.comps[i].off, a.comps[i].len, &x), 0);
			assert_string_equal(mrt_buf_str(&V), mrt_buf_str(&x));
		}
	}
	mrt_buf_free(&c);
	mrt_buf_free(&x);
	free(b);
	hl7_msg_free(&a);
	hl7_msg_free(&m);
}

/* nHapi's file of 7 OML^O21 messages: 5 parse; 2 have no MSH-10. */
static void test_multi_message_file(void **state)
{
	(void)state;
	size_t n = 0;
	char *b = slurp("nhapi-testdata/Parser/OML_O21_messages.txt", &n);
	if (!b)
		skip();
	hl7_msg m;
	hl7_msg_init(&m);
	hl7_splitter sp;
	hl7_split_init(&sp, b, n);
	const char *p = NULL;
	size_t pn = 0;
	int k = 0, ok = 0;
	while (hl7_split_next(&sp, &p, &pn)) {
		mrt_err err = { 0 };
		k++;
		if (hl7_parse(&m, p, pn, &err) == 0) {
			ok++;
			assert_string_equal(m.structure, "OML_O21");
		} else {
			assert_true(k == 5 || k == 7);
			assert_string_equal(err.msg, "segment 1 (MSH), field MSH-10: message control ID is missing "
			                             "or longer than 199 bytes");
		}
	}
	assert_int_equal(k, 7);
	assert_int_equal(ok, 5);
	hl7_msg_free(&m);
	free(b);
}

static const struct {
	const char *file, *why;
} bad_inputs[] = {
	{ "LegacyPipeParser/EncodingNotSupportedException/aoor1", "empty message" },
	{ "LegacyPipeParser/EncodingNotSupportedException/nullref1", "field MSH-1: bad field separator (byte 0x48" },
	{ "LegacyPipeParser/HL7Exception/hang1", "MSH-2: encoding characters: expected 4 (or 5 from v2.7), found 1" },
	{ "LegacyPipeParser/HL7Exception/ioor1", "MSH-2: encoding characters: expected 4 (or 5 from v2.7), found 1" },
	{ "LegacyPipeParser/HL7Exception/stackoverflow1", "MSH-2: encoding characters: expected 4 (or 5 from v2.7), found 1" },
	{ "LegacyPipeParser/HL7Exception/stackoverflow2", "MSH-2: encoding characters: expected 4 (or 5 from v2.7), found 1" },
	{ "LegacyPipeParser/HL7Exception/sys1", "MSH-2: encoding characters: expected 4 (or 5 from v2.7), found 1" },
	{ "LegacyPipeParser/HL7Exception/sys2", "MSH-2: encoding characters: expected 4 (or 5 from v2.7), found 1" },
	{ "LegacyPipeParser/NoException/regex1", "MSH-2: encoding character 2 is not a distinct" },
	{ "PipeParser/EncodingNotSupportedException/id_000014_sig_02_src_000480_000349_op_splice_rep_32", "no MSH segment at the start" },
	{ "PipeParser/EncodingNotSupportedException/id_000213_sig_02_src_001353_000130_op_splice_rep_8", "no MSH segment at the start" },
	{ "PipeParser/HL7Exception/id_000001_sig_02_src_000000_op_havoc_rep_16", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000029_sig_02_src_000167_001027_op_splice_rep_8", "MSH-2: encoding characters: expected 4 (or 5 from v2.7), found 3" },
	{ "PipeParser/HL7Exception/id_000042_sig_02_src_000334_000148_op_splice_rep_4", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000055_sig_02_src_000959_000226_op_splice_rep_16", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000064_sig_02_src_000051_000380_op_splice_rep_16", "MSH-2: encoding characters: expected 4 (or 5 from v2.7), found 0" },
	{ "PipeParser/HL7Exception/id_000087_sig_02_src_000967_001832_op_splice_rep_2", "MSH-2: encoding character 2 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000092_sig_02_src_001582_001861_op_splice_rep_16", "segment 3: bad segment ID" },
	{ "PipeParser/HL7Exception/id_000099_sig_02_src_004226_004602_op_splice_rep_4", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000118_sig_02_src_001039_002153_op_splice_rep_16", "MSH-2: encoding character 2 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000119_sig_02_src_001911_op_havoc_rep_64", "MSH-2: encoding character 3 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000123_sig_02_src_000372_002313_op_splice_rep_8", "MSH-2: encoding character 2 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000125_sig_02_src_004230_004691_op_splice_rep_16", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000149_sig_02_src_004338_004594_op_splice_rep_4", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000151_sig_02_src_001351_op_havoc_rep_2", "MSH-2: encoding character 2 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000160_sig_02_src_004804_004815_op_splice_rep_8", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000172_sig_02_src_001146_002011_op_splice_rep_16", "MSH-2: encoding character 2 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000176_sig_02_src_002656_002699_op_splice_rep_32", "MSH-2: encoding character 3 is not a distinct" },
	{ "PipeParser/HL7Exception/id_000205_sig_02_src_001449_op_havoc_rep_2", "MSH-2: encoding character 2 is not a distinct" },
	{ "PipeParser/HL7Exception/so", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/so2", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/so3", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/so4", "MSH-2: encoding character 1 is not a distinct" },
	{ "PipeParser/HL7Exception/so5", "MSH-2: encoding character 1 is not a distinct" },
	/* nHapi accepted these three; they are not well-formed. */
	{ "PipeParser/NoException/id_000109_sig_02_src_001098_002192_op_splice_rep_4", "segment 2: bad segment ID" },
	{ "PipeParser/NoException/id_000146_sig_02_src_000682_002159_op_splice_rep_4", "MSH-10: message control ID is missing" },
	{ "PipeParser/NoException/id_000168_sig_02_src_002426_002144_op_splice_rep_8", "MSH-2: encoding character 3 is not a distinct" },
};

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[2048];
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		DIR *t = opendir(sub);
		if (t) {
			closedir(t);
			n += count_files(sub);
		} else {
			n++;
		}
	}
	closedir(d);
	return n;
}

static void test_bad_inputs(void **state)
{
	(void)state;
	char dir[1200];
	snprintf(dir, sizeof dir, "%s/hl7v2/nhapi-testdata/BadInputs", data);
	int total = count_files(dir);
	if (total == 0)
		skip();
	size_t nbad = sizeof bad_inputs / sizeof *bad_inputs;
	assert_int_equal(total, (int)nbad); /* every file is in the table */
	for (size_t i = 0; i < nbad; i++) {
		char rel[512];
		snprintf(rel, sizeof rel, "nhapi-testdata/BadInputs/%s", bad_inputs[i].file);
		size_t n = 0;
		char *b = slurp(rel, &n);
		assert_non_null(b);
		hl7_msg m;
		hl7_msg_init(&m);
		mrt_err err = { 0 };
		clock_t t0 = clock();
		int rc = hl7_parse(&m, b, n, &err);
		double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		if (rc != MRT_EPARSE || !strstr(err.msg, bad_inputs[i].why))
			fail_msg("%s: rc %d, '%s' (want '%s')", bad_inputs[i].file, rc, err.msg, bad_inputs[i].why);
		assert_true(secs < 0.5);
		/* Bounded memory: the index never outgrows the input. */
		assert_true(m.capcomps <= 64 + 2 * n && m.capsegs <= 64 + 2 * n);
		/* And the refusal can be acknowledged. */
		mrt_buf ack = MRT_BUF_INIT(1 << 16);
		struct hl7_ack_opts o = { .app = "MRT", .control_id = "1" };
		assert_int_equal(hl7_ack_unparsed(&ack, &m, &o, &err), 0);
		assert_non_null(strstr(ack.ptr, "\rMSA|AR|"));
		assert_non_null(strstr(ack.ptr, "^HL70357|E\r"));
		mrt_buf_free(&ack);
		hl7_msg_free(&m);
		free(b);
	}
}

static int teardown(void **state)
{
	(void)state;
	mrt_buf_free(&V);
	return 0;
}

int main(void)
{
	const char *d = getenv("MRT_DATA");
	const char *s = getenv("MRT_SOURCE_DIR");
	if (d && *d)
		snprintf(data, sizeof data, "%s", d);
	else
		snprintf(data, sizeof data, "%s/../shared/data", s ? s : ".");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_samples),
		cmocka_unit_test(test_spot_checks),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_multi_message_file),
		cmocka_unit_test(test_bad_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
