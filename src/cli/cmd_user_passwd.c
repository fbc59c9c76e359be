/*
 * `mrt user passwd`: not yet written.
 */
#include <stdio.h>

#include "cli/cli.h"

static int run(struct cli_ctx *ctx)
{
	(void)ctx;
	fprintf(stderr, "mrt: 'user passwd' is not implemented yet\n");
	return CLI_FAIL;
}

const struct cli_cmd cli_cmd_user_passwd = { "user", "passwd", "", "(not yet written)", run };
