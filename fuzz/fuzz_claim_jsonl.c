/*
 * Fuzz target for the claim reader (formats/claim_jsonl) and the MCE edits
 * behind it: each line of the input is read as a claim; a claim that reads
 * is edited against a small hand-made release and code set (built once),
 * so every edit family runs on hostile claims. The reader must name the
 * line and field of any error and never crash; the edits must stay within
 * their fixed arrays.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "edits/mce.h"
#include "edits/mce_tables.h"
#include "formats/claim_jsonl.h"
#include "fuzz_lines.h"

static mce_tables *tables;
static codes_lookup *cm, *pcs;
static struct mce_codeset set;
static struct mce_ctx ctx;
static size_t sink;

static void build(void)
{
	static const char *const dx[] = {"A000",    "I10",   "Z370", "Z302", "E109",
					 "C9100",   "P000",  "O000", "D630", "Z5189",
					 "V0001XA", "Y6551", "G8100"};
	static const char *const px[] = {"00F3XZZ", "0FYG0Z0", "0TY00Z0", "30233G0",
					 "0SR20JZ", "0U570ZZ", "10D00Z1", "5A1955Z"};
	static const char *const titles[16] = {"t", "t", "t", "t", "t", "t", "t", "t",
					       "t", "t", "t", "t", "t", "t", "t", "t"};
	static const int bill[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	static const struct {
		enum mce_list l;
		const char *code;
	} m[] = {{ML_NEWBORN, "P000"},
		 {ML_MATERNITY, "O000"},
		 {ML_MANIFESTATION, "D630"},
		 {ML_QUESTIONABLE, "I10"},
		 {ML_REQUIRES_SDX, "Z5189"},
		 {ML_UNACCEPTABLE_PDX, "Z5189"},
		 {ML_CESAREAN, "10D00Z1"},
		 {ML_OUTCOME_DELIVERY, "Z370"},
		 {ML_NONCOV_A, "00F3XZZ"},
		 {ML_NONCOV_B_PROC, "0FYG0Z0"},
		 {ML_NONCOV_B_KIDNEY, "0TY00Z0"},
		 {ML_NONCOV_B_DX, "E109"},
		 {ML_NONCOV_D_PROC, "30233G0"},
		 {ML_NONCOV_D_DX, "C9100"},
		 {ML_NONCOV_F, "0SR20JZ"},
		 {ML_NONCOV_G_PROC, "0U570ZZ"},
		 {ML_NONCOV_G_DX, "Z302"},
		 {ML_LIMITED_A, "0TY00Z0"},
		 {ML_WRONG_PROCEDURE, "Y6551"},
		 {ML_LOS_VENT, "5A1955Z"},
		 {ML_UNSPECIFIED, "G8100"}};
	mrt_err err = {0};
	codes_lookup_build(&cm, dx, bill, titles, sizeof dx / sizeof *dx, &err);
	codes_lookup_build(&pcs, px, bill, titles, sizeof px / sizeof *px, &err);
	tables = mce_tables_new();
	mce_rel *r = tables ? mce_tables_add(tables, "1.0", mrt_date_from_ymd(2025, 10, 1),
					     mrt_date_from_ymd(2026, 9, 30))
			    : NULL;
	for (size_t i = 0; r && i < sizeof m / sizeof *m; i++)
		mce_rel_add_code(r, m[i].l, m[i].code);
	set = (struct mce_codeset){.from = mrt_date_from_ymd(2024, 10, 1),
				   .to = mrt_date_from_ymd(2026, 9, 30),
				   .cm = cm,
				   .pcs = pcs};
	ctx = (struct mce_ctx){.tables = tables, .sets = &set, .nsets = 1};
}

/* One line: a claim checked when it parses, its error message otherwise. */
static void one(const char *p, size_t len, long line)
{
	static struct claim c;
	static struct mce_result res;
	mrt_err err = {0};
	if (!claim_jsonl_blank(p, len) && claim_jsonl_parse(&c, p, len, "fuzz", line, &err) == 0) {
		mce_check(&ctx, &c, &res);
		for (int i = 0; i < res.n; i++)
			sink += strlen(claim_code_at(&c, res.hit[i].where, res.hit[i].pos)) +
				res.hit[i].edit;
	} else {
		sink += strlen(err.msg);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!tables)
		build();
	fuzz_lines(data, size, one);
	return 0;
}
