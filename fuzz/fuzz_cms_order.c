/*
 * Fuzz target for the CMS fixed-width readers (formats/cms_order): the same
 * bytes go through the order-file, codes-file and both addenda layouts.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/cms_order.h"

static size_t sink;

static int on_row(void *ctx, const struct cms_order_row *r, mrt_err *err)
{
	(void)ctx;
	(void)err;
	sink += strlen(r->code) + strlen(r->short_title) + strlen(r->long_title) + (size_t)r->billable;
	return 0;
}

static int on_addenda(void *ctx, const struct cms_addenda_row *r, mrt_err *err)
{
	(void)ctx;
	(void)err;
	sink += strlen(r->code) + strlen(r->short_title) + strlen(r->long_title) + (size_t)r->action;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int layout = 0; layout < 4; layout++) {
		mrt_err err = { 0 };
		mrt_src *s = NULL;
		if (mrt_src_open_mem(&s, "fuzz.txt", data, size, &err) != 0)
			return 0;
		switch (layout) {
		case 0: cms_order_read(s, on_row, NULL, &err); break;
		case 1: cms_codes_read(s, on_row, NULL, &err); break;
		default: cms_addenda_read(s, layout == 2, on_addenda, NULL, &err); break;
		}
		mrt_src_close(s);
	}
	return 0;
}
