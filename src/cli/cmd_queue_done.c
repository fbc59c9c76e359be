/*
 * `mrt queue done`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'queue done' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_queue_done = { "queue", "done", "", "(not yet written)", run };
