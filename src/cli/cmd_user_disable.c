/*
 * `mrt user disable NAME --reason TEXT`: stops a user from acting at all
 * (admin only). Nothing of theirs is deleted; who, when and why are kept
 * and shown by `mrt user list`. `mrt user enable` undoes it.
 */
#include <stdio.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/user_svc.h"

#define USAGE "NAME --reason TEXT"

static int run(struct cli_ctx *ctx)
{
	const char *name = NULL, *reason = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		const char *v = NULL;
		int r;
		if (cli_arg_help(ctx, i, "user disable", USAGE))
			return CLI_OK;
		if ((r = cli_arg_value(ctx, &i, "--reason", &v)) != 0) {
			if (r < 0)
				return CLI_USAGE;
			reason = v;
		} else if (ctx->argv[i][0] == '-' || name) {
			return cli_usage(ctx, "user disable: unexpected argument %s", ctx->argv[i]);
		} else {
			name = ctx->argv[i];
		}
	}
	if (!name || !reason)
		return cli_usage(ctx, "usage: mrt user disable %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = user_svc_disable(s, name, reason, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("disabled user %s\n", name);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_user_disable = { "user", "disable", USAGE,
	"stop a user from acting; nothing is deleted (admin)", run };
