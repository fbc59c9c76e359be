/*
 * `mrt queue assign`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'queue assign' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_queue_assign = { "queue", "assign", "", "(not yet written)", run };
