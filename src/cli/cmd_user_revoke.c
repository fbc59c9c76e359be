/*
 * `mrt user revoke NAME ROLE|LABEL`: takes a role (admin only) or a
 * sensitivity label (privacy officer only) from a user; the grant row is
 * kept, marked revoked.
 */
#include <stdio.h>

#include "privacy/roles.h"

#include "cli/args.h"
#include "cli/cli.h"
#include "service/user_svc.h"

#define USAGE "NAME ROLE|LABEL"

static int run(struct cli_ctx *ctx)
{
	const char *pos[2] = { NULL, NULL };
	int n = 0;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "user revoke", USAGE))
			return CLI_OK;
		if (ctx->argv[i][0] == '-' || n == 2)
			return cli_usage(ctx, "user revoke: unexpected argument %s", ctx->argv[i]);
		pos[n++] = ctx->argv[i];
	}
	if (n != 2)
		return cli_usage(ctx, "usage: mrt user revoke %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = user_svc_revoke(s, pos[0], pos[1], &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("revoked %s %s from %s\n", role_bit(pos[1]) ? "role" : "label", pos[1], pos[0]);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_user_revoke = { "user", "revoke", USAGE,
	                                     "take a role (admin) or a label (privacy officer) from a user", run };
