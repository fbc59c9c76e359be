/*
 * `mrt init`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'init' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_init = { "init", NULL, "", "(not yet written)", run };
