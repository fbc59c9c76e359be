/*
 * `mrt codes releases`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'codes releases' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_codes_releases = { "codes", "releases", "", "(not yet written)", run };
