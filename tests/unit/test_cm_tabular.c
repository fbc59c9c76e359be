/*
 * Unit tests for the ICD-10-CM tabular reader on small hand-made documents:
 * notes by kind with their owners, code references in note text, headers
 * and leaves, 7th characters inherited down the tree with X padding,
 * placeholders, and the errors for malformed XML (naming element and line),
 * a wrong root, a bad code and entity tricks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formats/cm_tabular.h"

#define MAXREC 64

struct rec {
	int nnotes, ncodes;
	char notes[MAXREC][160];
	char codes[MAXREC][160];
	char version[16];
};

static int on_version(void *ctx, const char *v, mrt_err *err)
{
	(void)err;
	snprintf(((struct rec *)ctx)->version, 16, "%s", v);
	return 0;
}

static int on_note(void *ctx, const struct cm_tab_note *n, mrt_err *err)
{
	(void)err;
	struct rec *r = ctx;
	if (r->nnotes < MAXREC)
		snprintf(r->notes[r->nnotes++], 160, "%s|%s|%d|%s|%s", n->owner, n->kind, n->seq,
			 n->text, n->ch ? n->ch : "");
	return 0;
}

static int on_code(void *ctx, const struct cm_tab_code *c, mrt_err *err)
{
	(void)err;
	struct rec *r = ctx;
	if (r->ncodes < MAXREC)
		snprintf(r->codes[r->ncodes++], 160, "%s|%d|%s|%s", c->code, c->billable, c->title,
			 c->parent ? c->parent : "-");
	return 0;
}

static int read_doc(const char *xml, struct rec *r, struct cm_tab_counts *c, mrt_err *err)
{
	memset(r, 0, sizeof *r);
	mrt_src *src = NULL;
	assert_int_equal(mrt_src_open_mem(&src, "t.xml", xml, strlen(xml), err), 0);
	struct cm_tab_handler h = { r, on_version, on_note, on_code };
	int rc = cm_tabular_read(src, &h, c, err);
	mrt_src_close(src);
	return rc;
}

static int has(char list[][160], int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

static const char doc[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
	"<ICD10CM.tabular><version>2023</version>\r\n"
	"<introduction><introSection><title>x</title><instruction><note>ignored</note>"
	"</instruction></introSection></introduction>\r\n"
	"<chapter><name>19</name><desc>Injury (S00-T88)</desc>"
	"<excludes1><note>birth trauma (P10-P15)</note></excludes1>\r\n"
	"<section id=\"S70-S79\"><desc>Injuries to the hip and thigh (S70-S79)</desc>\r\n"
	"<diag><name>S72</name><desc>Fracture of femur</desc>\r\n"
	"<excludes2><note>fracture of lower leg (S82.-)</note>"
	"<note>periprosthetic fracture (M97.0-)</note>"
	"<note>\tfracture of\r\n     foot  (S92.-) </note></excludes2>\r\n"
	"<sevenChrNote><note>The appropriate 7th character is to be added</note></sevenChrNote>\r\n"
	"<sevenChrDef><extension char=\"A\">initial encounter</extension>"
	"<extension char=\"S\">sequela</extension></sevenChrDef>\r\n"
	"<diag><name>S72.0</name><desc>Fracture of head and neck of femur</desc>\r\n"
	"<diag><name>S72.00</name><desc>Fracture of unspecified part of neck of femur</desc>"
	"<inclusionTerm><note>Fracture of hip NOS</note></inclusionTerm>\r\n"
	"<diag><name>S72.001</name><desc>Fracture of neck of right femur</desc></diag>\r\n"
	"</diag></diag>\r\n"
	"<diag placeholder=\"true\"><name>S72.X</name><desc>Other</desc>"
	"<diag><name>S72.X1</name><desc>Other fracture, right</desc></diag></diag>\r\n"
	"</diag></section></chapter>\r\n"
	"<chapter><name>4</name><desc>Endocrine</desc>"
	"<section id=\"E08-E13\"><desc>Diabetes mellitus (E08-E13)</desc>"
	"<diag><name>E11</name><desc>Type 2 diabetes mellitus</desc>"
	"<excludes1><note>diabetes due to underlying condition (E08.-)</note></excludes1>"
	"<useAdditionalCode><note>insulin (Z79.4)</note></useAdditionalCode>"
	"<diag><name>E11.9</name><desc>Type 2 diabetes mellitus without complications</desc>"
	"</diag></diag></section></chapter></ICD10CM.tabular>\r\n";

static void test_notes_and_codes(void **state)
{
	(void)state;
	struct rec r;
	struct cm_tab_counts c;
	mrt_err err = { 0 };
	assert_int_equal(read_doc(doc, &r, &c, &err), 0);
	assert_string_equal(r.version, "2023");
	assert_true(has(r.notes, r.nnotes, "chapter:S00-T88|excludes1|1|birth trauma (P10-P15)|"));
	assert_true(has(r.notes, r.nnotes, "S72|excludes2|2|periprosthetic fracture (M97.0-)|"));
	assert_true(has(r.notes, r.nnotes, "S72|sevenChrDef|2|sequela|S"));
	/* Print layout (a leading tab, a wrapped line) is not part of a note. */
	assert_true(has(r.notes, r.nnotes, "S72|excludes2|3|fracture of foot (S92.-)|"));
	assert_true(has(r.notes, r.nnotes, "S7200|inclusionTerm|1|Fracture of hip NOS|"));
	assert_true(has(r.notes, r.nnotes, "E11|useAdditionalCode|1|insulin (Z79.4)|"));
	for (int i = 0; i < r.nnotes; i++)
		assert_null(strstr(r.notes[i], "ignored"));
	/* Headers, then the 7th-character expansions of the leaves, padded. */
	assert_true(has(r.codes, r.ncodes, "S72|0|Fracture of femur|-"));
	assert_true(has(r.codes, r.ncodes, "S7200|0|Fracture of unspecified part of neck of femur|S720"));
	assert_true(has(r.codes, r.ncodes, "S72001|0|Fracture of neck of right femur|S7200"));
	assert_true(has(r.codes, r.ncodes,
			"S72001A|1|Fracture of neck of right femur, initial encounter|S72001"));
	assert_true(has(r.codes, r.ncodes, "S72001S|1|Fracture of neck of right femur, sequela|S72001"));
	assert_true(has(r.codes, r.ncodes, "S72X1XA|1|Other fracture, right, initial encounter|S72X1"));
	assert_true(has(r.codes, r.ncodes, "E119|1|Type 2 diabetes mellitus without complications|E11"));
	assert_false(has(r.codes, r.ncodes, "S72001|1|Fracture of neck of right femur|S7200"));
	assert_int_equal(c.diags, 8);
	assert_int_equal(c.placeholders, 1);
	assert_int_equal(c.billable, 5);
	assert_int_equal(c.seven_chr_defs, 1);
}

static void test_refs(void **state)
{
	(void)state;
	char refs[8][CM_TAB_MAX_CODE];
	assert_int_equal(cm_note_refs("diabetes due to underlying condition (E08.-)", refs, 8), 1);
	assert_string_equal(refs[0], "E08");
	assert_int_equal(cm_note_refs("gestational diabetes (O24.4-) and (O09.3-)", refs, 8), 2);
	assert_string_equal(refs[0], "O244");
	assert_string_equal(refs[1], "O093");
	assert_int_equal(cm_note_refs("birth trauma (P10-P15)", refs, 8), 2);
	assert_string_equal(refs[1], "P15");
	assert_int_equal(cm_note_refs("code to identify control using:", refs, 8), 0);
	assert_int_equal(cm_note_refs("Crohn's disease (K50.-)", refs, 1), 1);
	assert_string_equal(refs[0], "K50");
	char out[4];
	assert_int_equal(cm_code_undot(out, sizeof out, "E11.9"), -1);
}

static void expect_error(const char *xml, int code, const char *a, const char *b)
{
	struct rec r;
	struct cm_tab_counts c;
	mrt_err err = { 0 };
	assert_int_equal(read_doc(xml, &r, &c, &err), code);
	if (!strstr(err.msg, a) || (b && !strstr(err.msg, b)))
		fail_msg("unexpected message: %s", err.msg);
}

static void test_errors(void **state)
{
	(void)state;
	/* Malformed: the message names the file, the line and the element. */
	expect_error("<ICD10CM.tabular>\n<version>2023</version>\n<chapter><name>1</nam>\n",
		     MRT_EPARSE, "t.xml:3:", "malformed XML");
	expect_error("<ICD10CM.index><version>2023</version></ICD10CM.index>", MRT_EPARSE,
		     "not an ICD-10-CM tabular file", "ICD10CM.index");
	expect_error("<ICD10CM.tabular><chapter><section id=\"x\">\n<diag><name>E1</name>"
		     "</diag></section></chapter></ICD10CM.tabular>",
		     MRT_EPARSE, "t.xml:2: <name>: bad code", NULL);
	expect_error("<ICD10CM.tabular><chapter><section id=\"x\"><diag><name>E11</name>"
		     "<diag><name>K11.1</name></diag></diag></section></chapter></ICD10CM.tabular>",
		     MRT_EPARSE, "K111 is not under E11", NULL);
	expect_error("<ICD10CM.tabular><chapter><section id=\"x\"><diag><desc>x</desc>"
		     "<excludes1><note>a</note></excludes1></diag></section></chapter></ICD10CM.tabular>",
		     MRT_EPARSE, "before the diag's <name>", NULL);
	expect_error("", MRT_EPARSE, "t.xml", NULL);
	/* A <desc> outside any diag (found by the fuzzer) is ignored. */
	struct rec r;
	struct cm_tab_counts c;
	mrt_err err = { 0 };
	assert_int_equal(read_doc("<ICD10CM.tabular><desc>stray</desc><chapter><name>4</name>"
				  "<section id=\"x\"><desc>s</desc><name>n</name><diag><name>E11</name>"
				  "<desc>T2</desc></diag></section></chapter></ICD10CM.tabular>",
				  &r, &c, &err),
			 0);
	assert_true(has(r.codes, r.ncodes, "E11|1|T2|-"));
	/* An internal entity is not expanded (no billion laughs), and an
	 * external one is never fetched. */
	expect_error("<!DOCTYPE r [<!ENTITY a \"aaaa\">]><ICD10CM.tabular><version>&a;</version>"
		     "</ICD10CM.tabular>",
		     MRT_EPARSE, "entity", NULL);
	expect_error("<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><ICD10CM.tabular>"
		     "<version>&x;</version></ICD10CM.tabular>",
		     MRT_EPARSE, "entity", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notes_and_codes),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
