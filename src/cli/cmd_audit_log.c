/*
 * `mrt audit log`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'audit log' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_audit_log = { "audit", "log", "", "(not yet written)", run };
