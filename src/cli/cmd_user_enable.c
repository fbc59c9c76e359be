/*
 * `mrt user enable NAME`: lets a disabled user act again (admin only).
 */
#include <stdio.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/user_svc.h"

#define USAGE "NAME"

static int run(struct cli_ctx *ctx)
{
	const char *name = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "user enable", USAGE))
			return CLI_OK;
		if (ctx->argv[i][0] == '-' || name)
			return cli_usage(ctx, "user enable: unexpected argument %s", ctx->argv[i]);
		name = ctx->argv[i];
	}
	if (!name)
		return cli_usage(ctx, "usage: mrt user enable %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = user_svc_enable(s, name, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("enabled user %s\n", name);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_user_enable = { "user", "enable", USAGE,
	"let a disabled user act again (admin)", run };
