/*
 * `mrt queue list`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'queue list' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_queue_list = { "queue", "list", "", "(not yet written)", run };
