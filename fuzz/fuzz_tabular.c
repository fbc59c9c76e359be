/*
 * Fuzz target for the tabular rules (edits/tabular*.c). The first line of
 * the input is read as the text of an instructional note: its code
 * references must parse into well-formed ranges (at least three
 * characters, lo <= hi as keys). The other lines are claims (the claim
 * JSONL reader), checked against hand-made tables built once in an
 * in-memory database (Excludes1, code-first and use-additional notes,
 * 7th characters, a POA-exempt list) and a small code set: the findings
 * must stay within their fixed array and name codes of the claim.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "edits/tabular_int.h"
#include "formats/claim_jsonl.h"
#include "fuzz_lines.h"

static tabular_tables *tables;
static codes_lookup *cm;
static size_t sink;

static const char setup_sql[] =
    "INSERT INTO code_release(id, system, version, effective_from, effective_to, loaded_at,"
    " loaded_by) VALUES (1, 'icd10cm', '2023', '2022-10-01', '2023-09-30', 'x', 'f');"
    "INSERT INTO code_note(release_id, code, kind, seq, text, ch) VALUES"
    " (1, 'E11', 'excludes1', 1, 'one (E10.-)', NULL),"
    " (1, 'E11', 'codeFirst', 1, 'a list:', NULL),"
    " (1, 'E11', 'codeFirst', 2, 'item (K85-K86.-)', NULL),"
    " (1, 'E11', 'useAdditionalCode', 1, 'drug (T36-T50 with fifth or sixth character 5)',"
    " NULL),"
    " (1, 'section:E08-E13', 'excludes1', 1, 'block (Q99.9)', NULL),"
    " (1, 'chapter:S00-T88', 'codeFirst', 1, 'underlying thing', NULL),"
    " (1, 'S72', 'sevenChrDef', 1, 'initial', 'A'),"
    " (1, 'S72', 'sevenChrDef', 2, 'subsequent', 'D'),"
    " (1, 'T36', 'sevenChrDef', 1, 'initial', 'A');"
    "INSERT INTO poa_exempt_release(id, fiscal_year, effective_from, effective_to, source_name,"
    " sha256, rows, loaded_at, loaded_by) VALUES (1, 2023, '2022-10-01', '2023-09-30', 'f',"
    " 'x', 1, 'x', 'f');"
    "INSERT INTO poa_exempt_code VALUES (1, 'Z3800');";

static void build(void)
{
	static const char *const codes[] = {
	    "E10", "E109", "E11",    "E119",	"S72", "S720", "S7200", "S72001", "S72001A",
	    "T36", "T360", "T360X1", "T360X1A", "Y92", "Y920", "Y9200", "Y92009", "Z3800"};
	static const int bill[] = {0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1};
	static const char *const titles[] = {"t", "t", "t", "t", "t", "t", "t", "t", "t",
					     "t", "t", "t", "t", "t", "t", "t", "t", "t"};
	mrt_err err = {0};
	mrt_db *db = NULL;
	codes_lookup_build(&cm, codes, bill, titles, sizeof codes / sizeof *codes, &err);
	if (mrt_db_open(&db, ":memory:", MRT_DB_CREATE, &err) == 0 &&
	    mrt_db_exec(db, setup_sql, &err) == 0)
		tabular_tables_load(db, &tables, &err);
	mrt_db_close(db);
	if (!tables || !cm)
		abort();
}

static void note(const char *p, size_t len)
{
	char text[512];
	struct tab_range r[16];
	if (len >= sizeof text)
		len = sizeof text - 1;
	memcpy(text, p, len);
	text[len] = '\0';
	int n = tab_parse_ranges(text, r, 16);
	for (int i = 0; i < n; i++) {
		if (r[i].lolen < 3 || r[i].hilen < 3 || r[i].klo > r[i].khi)
			abort();
		sink += (size_t)tab_range_match(&r[i], tab_key(r[i].lo), r[i].lo);
	}
}

static void claim(const char *p, size_t len, long line)
{
	static struct claim c;
	static struct tab_result res;
	mrt_err err = {0};
	if (claim_jsonl_blank(p, len) || claim_jsonl_parse(&c, p, len, "fuzz", line, &err) != 0) {
		sink += strlen(err.msg);
		return;
	}
	tabular_check(tables, cm, &c, &res);
	if (res.n < 0 || res.n > TAB_MAX_FINDINGS)
		abort();
	for (int i = 0; i < res.n; i++) {
		const struct tab_finding *f = &res.f[i];
		if (f->rule >= TAB_RULE_COUNT || !memchr(f->message, '\0', sizeof f->message))
			abort();
		sink += strlen(claim_code_at(&c, f->where, f->pos)) + strlen(f->message);
	}
}

/* The first line is a note, the others claims. */
static void one(const char *p, size_t len, long line)
{
	if (line == 1)
		note(p, len);
	else
		claim(p, len, line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!tables)
		build();
	fuzz_lines(data, size, one);
	return 0;
}
