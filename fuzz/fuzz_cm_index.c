/*
 * Fuzz target: the ICD-10-CM alphabetic index / Neoplasm / Drug table XML
 * reader on arbitrary bytes, reading every field it passes on.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/cm_index.h"

static size_t sink;

static size_t len(const char *s)
{
	return s ? strlen(s) : 0;
}

static int on_version(void *ctx, const char *v, mrt_err *err)
{
	(void)ctx, (void)err;
	sink += strlen(v);
	return 0;
}

static int on_heading(void *ctx, int col, const char *name, mrt_err *err)
{
	(void)ctx, (void)err;
	sink += (size_t)col + strlen(name);
	return 0;
}

static int on_term(void *ctx, const struct idx_term *t, mrt_err *err)
{
	(void)ctx, (void)err;
	sink += len(t->title) + len(t->nemod) + len(t->code) + len(t->code_kind) + len(t->manif) +
		len(t->see) + len(t->see_also) + len(t->use) + (size_t)t->level;
	for (int i = 0; i < t->ncells; i++)
		sink += strlen(t->cells[i].code) + (size_t)t->cells[i].col;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mrt_src *src = NULL;
	mrt_err err = { 0 };
	if (mrt_src_open_mem(&src, "fuzz.xml", data, size, &err) != 0)
		return 0;
	struct idx_handler h = { NULL, on_version, on_heading, on_term };
	long n = 0;
	idx_read(src, "ICD10CM.index", &h, &n, &err);
	mrt_src_close(src);
	return 0;
}
