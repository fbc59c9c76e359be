/*
 * `mrt queue add`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'queue add' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_queue_add = { "queue", "add", "", "(not yet written)", run };
