/*
 * Fuzz target: the ICD-10-CM tabular XML reader (notes, codes, 7th-character
 * expansion) on arbitrary bytes, with callbacks that read every field.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/cm_tabular.h"

static size_t sink;

static int on_version(void *ctx, const char *v, mrt_err *err)
{
	(void)ctx, (void)err;
	sink += strlen(v);
	return 0;
}

static int on_note(void *ctx, const struct cm_tab_note *n, mrt_err *err)
{
	(void)ctx, (void)err;
	char refs[8][CM_TAB_MAX_CODE];
	sink += strlen(n->owner) + strlen(n->kind) + strlen(n->text) + (n->ch ? strlen(n->ch) : 0);
	sink += (size_t)cm_note_refs(n->text, refs, 8);
	return 0;
}

static int on_code(void *ctx, const struct cm_tab_code *c, mrt_err *err)
{
	(void)ctx, (void)err;
	sink += strlen(c->code) + strlen(c->title) + (c->parent ? strlen(c->parent) : 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mrt_src *src = NULL;
	mrt_err err = { 0 };
	if (mrt_src_open_mem(&src, "fuzz.xml", data, size, &err) != 0)
		return 0;
	struct cm_tab_handler h = { NULL, on_version, on_note, on_code };
	struct cm_tab_counts c;
	cm_tabular_read(src, &h, &c, &err);
	mrt_src_close(src);
	return 0;
}
