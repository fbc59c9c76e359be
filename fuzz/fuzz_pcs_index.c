/*
 * Fuzz target: the ICD-10-PCS index and definitions XML readers on arbitrary
 * bytes (both readers see every input).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/pcs_index.h"

static size_t sink;

static size_t len(const char *s)
{
	return s ? strlen(s) : 0;
}

static int on_term(void *ctx, const struct idx_term *t, mrt_err *err)
{
	(void)ctx, (void)err;
	sink += len(t->title) + len(t->code) + len(t->see) + len(t->use) + (size_t)t->level;
	return 0;
}

static int on_def(void *ctx, const struct pcs_def *d, mrt_err *err)
{
	(void)ctx, (void)err;
	sink += len(d->section) + len(d->axis_title) + len(d->term) + len(d->definition) +
		len(d->explanation) + len(d->includes) + (size_t)d->axis_pos;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mrt_src *src = NULL;
	mrt_err err = { 0 };
	long n = 0;
	if (mrt_src_open_mem(&src, "fuzz.xml", data, size, &err) != 0)
		return 0;
	struct idx_handler h = { NULL, NULL, NULL, on_term };
	pcs_index_read(src, &h, &n, &err);
	mrt_src_close(src);
	if (mrt_src_open_mem(&src, "fuzz.xml", data, size, &err) != 0)
		return 0;
	struct pcs_def_handler dh = { NULL, NULL, on_def };
	pcs_definitions_read(src, &dh, &n, &err);
	mrt_src_close(src);
	return 0;
}
