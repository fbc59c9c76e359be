/*
 * Unit tests for src/formats/pcs_tables: expansion of pcsRow axes on a tiny
 * hand-made tables file, and the errors for a wrong codes count, a
 * duplicate code, a bad label and XML that is not well-formed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "formats/pcs_tables.h"

#define HEAD \
	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ICD10PCS.tabular>\n<version>2026</version>\n" \
	"<pcsTable>\n<axis pos=\"1\" values=\"1\"><title>Section</title><label code=\"0\">Medical and Surgical</label></axis>\n" \
	"<axis pos=\"2\" values=\"1\"><title>Body System</title><label code=\"0\">Central Nervous System</label></axis>\n" \
	"<axis pos=\"3\" values=\"1\"><title>Operation</title><label code=\"1\">Bypass</label></axis>\n"
#define ROW(codes, a4, a5, a6, a7) \
	"<pcsRow codes=\"" codes "\">\n<axis pos=\"4\" values=\"1\">" a4 "</axis>\n<axis pos=\"5\">" a5 \
	"</axis>\n<axis pos=\"6\">" a6 "</axis>\n<axis pos=\"7\">" a7 "</axis>\n</pcsRow>\n"
#define L(c, t) "<label code=\"" c "\">" t "</label>"
#define TAIL "</pcsTable>\n</ICD10PCS.tabular>\n"

struct got {
	int tables, codes;
	char first[8], last[8];
	char title[200];
};

static int collect(void *ctx, const struct pcs_tables_item *it, mrt_err *err)
{
	(void)err;
	struct got *g = ctx;
	if (!it->valid) {
		g->tables++;
		snprintf(g->title, sizeof g->title, "%s", it->title);
		return 0;
	}
	if (!g->codes++)
		snprintf(g->first, sizeof g->first, "%s", it->code);
	snprintf(g->last, sizeof g->last, "%s", it->code);
	return 0;
}

static int run(const char *xml, struct got *g, char version[16], mrt_err *err)
{
	mrt_src *s = NULL;
	memset(g, 0, sizeof *g);
	assert_int_equal(mrt_src_open_mem(&s, "tables.xml", xml, strlen(xml), err), 0);
	struct pcs_tables_cb cb = { collect, g };
	int rc = pcs_tables_read(s, &cb, version, err);
	mrt_src_close(s);
	return rc;
}

static void test_expand(void **state)
{
	(void)state;
	static const char xml[] = HEAD
		ROW("6", L("6", "Cerebral Ventricle"), L("0", "Open") L("3", "Percutaneous"),
		    L("7", "Autologous Tissue Substitute"), L("0", "Nasopharynx") L("1", "Mastoid Sinus") L("B", "Cerebral Cisterns"))
		ROW("1", L("U", "Spinal Canal"), L("0", "Open"), L("Z", "No Device"), L("4", "Pleural Cavity"))
		TAIL;
	struct got g;
	char version[16];
	mrt_err err = { 0 };
	assert_int_equal(run(xml, &g, version, &err), 0);
	assert_string_equal(version, "2026");
	assert_int_equal(g.tables, 1);
	assert_string_equal(g.title, "Central Nervous System, Bypass");
	assert_int_equal(g.codes, 7);
	assert_string_equal(g.first, "0016070");
	assert_string_equal(g.last, "001U0Z4");
}

static void expect(const char *xml, const char *want)
{
	struct got g;
	char version[16];
	mrt_err err = { 0 };
	assert_int_equal(run(xml, &g, version, &err), MRT_EPARSE);
	if (!strstr(err.msg, want))
		fail_msg("error '%s' does not contain '%s'", err.msg, want);
}

static void test_errors(void **state)
{
	(void)state;
	expect(HEAD ROW("5", L("6", "Ventricle"), L("0", "Open") L("3", "Perc"), L("Z", "No Device"), L("0", "Naso")) TAIL,
	       "tables.xml:8: <pcsRow>: codes=\"5\" but its axes give 2 codes");
	expect(HEAD ROW("1", L("6", "Ventricle"), L("0", "Open"), L("Z", "No Device"), L("0", "Naso"))
	            ROW("1", L("6", "Ventricle"), L("0", "Open"), L("Z", "No Device"), L("0", "Naso")) TAIL,
	       "code 00160Z0 is also given by the pcsRow of line 8");
	expect(HEAD ROW("1", L("I", "Ventricle"), L("0", "Open"), L("Z", "No Device"), L("0", "Naso")) TAIL,
	       "<label>: code must be one character");
	expect(HEAD ROW("1", L("6", "Ventricle"), L("0", "Open"), L("Z", "No Device"), L("0", "Naso")),
	       "not well-formed XML");
	expect("<?xml version=\"1.0\"?>\n<ICD10CM.tabular></ICD10CM.tabular>\n", "root must be ICD10PCS.tabular");
	expect(HEAD "<pcsRow codes=\"1\"><axis pos=\"4\">" L("6", "V") "</axis></pcsRow>" TAIL,
	       "a row needs axes 4, 5, 6 and 7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
