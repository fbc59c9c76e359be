/*
 * Fuzz target for the ICD-10-PCS tables XML reader (formats/pcs_tables).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/pcs_tables.h"

static size_t sink;

static int on_item(void *ctx, const struct pcs_tables_item *it, mrt_err *err)
{
	(void)ctx;
	(void)err;
	sink += strlen(it->code) + strlen(it->title) + (size_t)it->valid;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mrt_err err = { 0 };
	mrt_src *s = NULL;
	if (mrt_src_open_mem(&s, "fuzz.xml", data, size, &err) != 0)
		return 0;
	struct pcs_tables_cb cb = { on_item, NULL };
	char version[16];
	pcs_tables_read(s, &cb, version, &err);
	mrt_src_close(s);
	return 0;
}
