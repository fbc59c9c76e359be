/*
 * `mrt codes show`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'codes show' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_codes_show = { "codes", "show", "", "(not yet written)", run };
