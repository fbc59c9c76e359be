/*
 * `mrt user link NAME --provider REF | --none`: links a (physician) user
 * to their provider record, so the access decision knows the encounters
 * they attend; REF is the provider's ident (e.g. an NPI), its source
 * reference, or SYSTEM|IDENT when several match (admin only).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/user_svc.h"

#define USAGE "NAME --provider REF | --none"

static int run(struct cli_ctx *ctx)
{
	const char *name = NULL, *ref = NULL;
	int none = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *v = NULL;
		int r;
		if (cli_arg_help(ctx, i, "user link", USAGE))
			return CLI_OK;
		if ((r = cli_arg_value(ctx, &i, "--provider", &v)) != 0) {
			if (r < 0)
				return CLI_USAGE;
			ref = v;
		} else if (strcmp(ctx->argv[i], "--none") == 0) {
			none = 1;
		} else if (ctx->argv[i][0] == '-' || name) {
			return cli_usage(ctx, "user link: unexpected argument %s", ctx->argv[i]);
		} else {
			name = ctx->argv[i];
		}
	}
	if (!name || !ref == !none)
		return cli_usage(ctx, "usage: mrt user link %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = user_svc_link(s, name, ref, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (ref)
		printf("linked user %s to provider %s\n", name, ref);
	else
		printf("removed the provider link of user %s\n", name);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_user_link = { "user", "link", USAGE,
	"link a physician user to their provider record (admin)", run };
