/*
 * `mrt user grant NAME ROLE|LABEL`: gives a user a role (admin only) or a
 * sensitivity label such as BH, so they see records carrying it (privacy
 * officer only).
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
		if (cli_arg_help(ctx, i, "user grant", USAGE))
			return CLI_OK;
		if (ctx->argv[i][0] == '-' || n == 2)
			return cli_usage(ctx, "user grant: unexpected argument %s", ctx->argv[i]);
		pos[n++] = ctx->argv[i];
	}
	if (n != 2)
		return cli_usage(ctx, "usage: mrt user grant %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	int changed = 0;
	rc = user_svc_grant(s, pos[0], pos[1], &changed, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	const char *kind = role_bit(pos[1]) ? "role" : "label";
	if (changed)
		printf("granted %s %s to %s\n", kind, pos[1], pos[0]);
	else
		printf("%s already holds %s %s; nothing changed\n", pos[0], kind, pos[1]);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_user_grant = { "user", "grant", USAGE, "give a user a role (admin) or a label (privacy officer)",
	                                    run };
