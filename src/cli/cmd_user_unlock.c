/*
 * `mrt user unlock NAME`: lifts a lockout after repeated failed password
 * sign-ins and clears the failed count (admin only).
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
		if (cli_arg_help(ctx, i, "user unlock", USAGE))
			return CLI_OK;
		if (ctx->argv[i][0] == '-' || name)
			return cli_usage(ctx, "user unlock: unexpected argument %s", ctx->argv[i]);
		name = ctx->argv[i];
	}
	if (!name)
		return cli_usage(ctx, "usage: mrt user unlock %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	int changed = 0;
	rc = user_svc_unlock(s, name, &changed, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (changed)
		printf("unlocked user %s\n", name);
	else
		printf("user %s was not locked; failed sign-in count cleared\n", name);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_user_unlock = { "user", "unlock", USAGE,
	"lift a lockout after failed sign-ins (admin)", run };
