/*
 * `mrt codes diff`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'codes diff' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_codes_diff = { "codes", "diff", "", "(not yet written)", run };
