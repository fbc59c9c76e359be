/*
 * `mrt user passwd NAME --password-stdin`: sets a user's password (admin,
 * or the user themself). With --user NAME --password-stdin as well, the
 * first line of standard input signs in and the second is the new password.
 */
#include <stdio.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/user_svc.h"

#define USAGE "NAME --password-stdin"

static int run(struct cli_ctx *ctx)
{
	const char *name = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "user passwd", USAGE))
			return CLI_OK;
		if (ctx->argv[i][0] == '-' || name)
			return cli_usage(ctx, "user passwd: unexpected argument %s", ctx->argv[i]);
		name = ctx->argv[i];
	}
	if (!name || !ctx->password_stdin)
		return cli_usage(ctx, "usage: mrt user passwd %s", USAGE);
	mrt_session *s = NULL;
	char *password = NULL;
	int rc = cli_open_reading_new_password(ctx, &s, &password);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = user_svc_passwd(s, name, password, &err);
	cli_arg_secret_free(password);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("password set for %s\n", name);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_user_passwd = { "user", "passwd", USAGE,
	"set a user's password (admin, or your own)", run };
