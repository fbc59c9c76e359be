/*
 * Fuzz target for the MCE definitions reader (formats/mce_defs) and what is
 * built from it: the bytes are read as a Definitions of Medicare Code Edits
 * text into in-memory tables (lists, statuses, chapter 2 undone for the
 * previous version), then a few lookups run on every release.
 */
#include <stddef.h>
#include <stdint.h>

#include "edits/mce.h"

static uint32_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mce_tables *t = NULL;
	mrt_err err = { 0 };
	if (mce_tables_from_text(&t, "fuzz.txt", data, size, &err) != 0)
		return 0;
	for (size_t i = 0; i < mce_tables_count(t); i++) {
		const mce_rel *r = mce_tables_at(t, i);
		sink += mce_rel_lists(r, "Z5189") + mce_rel_lists(r, "0FYG0Z0") + mce_rel_lists(r, "");
		sink += (uint32_t)mce_rel_status_valid(r, "04", mce_rel_from(r));
		sink += mce_tables_on(t, mce_rel_to(r), NULL) != NULL;
	}
	mce_tables_free(t);
	return 0;
}
