/*
 * `mrt restriction end ID [--reason TEXT]`: ends a restriction or a
 * confidential-communication request (kept, marked ended).
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/consent_svc.h"

#define USAGE "ID [--reason TEXT]"

static int run(struct cli_ctx *ctx)
{
	const char *sid = NULL, *reason = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "restriction end", USAGE))
			return CLI_OK;
		int r = cli_arg_value(ctx, &i, "--reason", &reason);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0 && !sid && ctx->argv[i][0] != '-')
			sid = ctx->argv[i];
		else if (r == 0)
			return cli_usage(ctx, "restriction end: unexpected argument %s", ctx->argv[i]);
	}
	int64_t id = 0;
	if (!sid || mrt_parse_i64(&id, sid) != 0 || id <= 0)
		return cli_usage(ctx, "usage: mrt restriction end %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = consent_svc_restriction_end(s, id, reason, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("restriction %lld ended\n", (long long)id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_restriction_end = { "restriction", "end", USAGE,
	"end a restriction or confidential-communication request", run };
