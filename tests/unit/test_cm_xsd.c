/*
 * The official XML files validate against CDC's schemas (libxml2
 * xmlSchemaValidateFile, streaming), and so do the hand-made documents the
 * reader is tested on, so the two agree about the format. Also proves the
 * reader's counts on the real FY2023 tabular (45,869 diag elements, 244 of
 * them placeholder="true", 507 sevenChrDef, 96,821 codes of which 73,715
 * billable).
 * Skips when the data directory is absent.
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
#include <libxml/xmlschemas.h>

#include "formats/cm_tabular.h"

static char data[1024];

static int have(const char *rel)
{
	char p[1200];
	snprintf(p, sizeof p, "%s/%s", data, rel);
	return access(p, R_OK) == 0;
}

static int validate(const char *xsd_rel, const char *file, const char *mem)
{
	char xsd[1200];
	snprintf(xsd, sizeof xsd, "%s/%s", data, xsd_rel);
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
	xmlSchemaPtr schema = xmlSchemaParse(pc);
	assert_non_null(schema);
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	int rc;
	if (file) {
		char p[1200];
		snprintf(p, sizeof p, "%s/%s", data, file);
		rc = xmlSchemaValidateFile(vc, p, 0);
	} else {
		xmlDocPtr doc = xmlReadMemory(mem, (int)strlen(mem), "mem.xml", NULL, XML_PARSE_NONET);
		assert_non_null(doc);
		rc = xmlSchemaValidateDoc(vc, doc);
		xmlFreeDoc(doc);
	}
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	return rc;
}

#define TAB_XSD "icd10cm/fy2025-cdc-tables/icd-10-cm-tabular-2025.xsd"
#define IDX_XSD "icd10cm/fy2025-cdc-tables/icd10cm-index-2025.xsd"
#define TBL_XSD "icd10cm/fy2025-cdc-tables/icd-10-cm-drug-neoplasm-2025.xsd"

static void test_official_files(void **state)
{
	(void)state;
	if (!have(TAB_XSD) || !have("icd10cm/fy2023-tabular-index/icd10cm_tabular_2023.xml"))
		skip();
	assert_int_equal(validate(TAB_XSD, "icd10cm/fy2023-tabular-index/icd10cm_tabular_2023.xml", NULL), 0);
	assert_int_equal(validate(IDX_XSD, "icd10cm/fy2023-tabular-index/icd10cm_index_2023.xml", NULL), 0);
	assert_int_equal(validate(TBL_XSD, "icd10cm/fy2025-cdc-tables/icd-10-cm-neoplasm-2025.xml", NULL), 0);
	assert_int_equal(validate(TBL_XSD, "icd10cm/fy2025-cdc-tables/icd-10-cm-drug-2025.xml", NULL), 0);
}

static void test_fixtures_follow_the_schema(void **state)
{
	(void)state;
	if (!have(TAB_XSD))
		skip();
	static const char tab[] =
		"<ICD10CM.tabular><version>2023</version><chapter><name>19</name><desc>Injury</desc>"
		"<section id=\"S70-S79\"><desc>Hip</desc><diag><name>S72</name><desc>Fracture</desc>"
		"<excludes2><note>fracture of lower leg (S82.-)</note></excludes2>"
		"<sevenChrNote><note>7th</note></sevenChrNote><sevenChrDef>"
		"<extension char=\"A\">initial encounter</extension></sevenChrDef>"
		"<diag placeholder=\"true\"><name>S72.X</name><desc>Other</desc></diag></diag>"
		"</section></chapter></ICD10CM.tabular>";
	assert_int_equal(validate(TAB_XSD, NULL, tab), 0);
	static const char idx[] =
		"<ICD10CM.index><version>2023</version><title>t</title><letter><title>D</title>"
		"<mainTerm><title>Diabetes, diabetic<nemod>(mellitus)</nemod></title><code>E11.9</code>"
		"<term level=\"1\"><title>type 2</title><code>E11.9</code></term></mainTerm>"
		"<mainTerm><title>Dyabetes</title><see>Diabetes, type 2</see></mainTerm>"
		"</letter></ICD10CM.index>";
	assert_int_equal(validate(IDX_XSD, NULL, idx), 0);
	/* And a document the schema rejects is rejected. */
	assert_int_not_equal(validate(TAB_XSD, NULL, "<ICD10CM.tabular><bogus/></ICD10CM.tabular>"), 0);
}

static void test_tabular_counts(void **state)
{
	(void)state;
	if (!have("icd10cm/fy2023-tabular-index/icd10cm_tabular_2023.xml"))
		skip();
	char p[1200];
	snprintf(p, sizeof p, "%s/icd10cm/fy2023-tabular-index/icd10cm_tabular_2023.xml", data);
	mrt_src *src = NULL;
	mrt_err err = { 0 };
	assert_int_equal(mrt_src_open(&src, p, &err), 0);
	struct cm_tab_handler h = { 0 };
	struct cm_tab_counts c;
	assert_int_equal(cm_tabular_read(src, &h, &c, &err), 0);
	mrt_src_close(src);
	assert_int_equal(c.diags, 45869);
	assert_int_equal(c.diags - c.placeholders, 45625);
	assert_int_equal(c.seven_chr_defs, 507);
	assert_int_equal(c.billable, 73715);
	assert_int_equal(c.codes, 96821);
}

int main(void)
{
	const char *d = getenv("MRT_DATA");
	const char *s = getenv("MRT_SOURCE_DIR");
	if (d)
		snprintf(data, sizeof data, "%s", d);
	else
		snprintf(data, sizeof data, "%s/../shared/data", s ? s : ".");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_official_files),
		cmocka_unit_test(test_fixtures_follow_the_schema),
		cmocka_unit_test(test_tabular_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
