/*
 * `mrt restriction decide ID agreed|denied [--note TEXT]`: the
 * organisation's decision on a requested restriction (45 CFR
 * 164.522(a)(1)); a health-plan self-pay restriction cannot be denied.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/consent_svc.h"

#define USAGE "ID agreed|denied [--note TEXT]"

static int run(struct cli_ctx *ctx)
{
	const char *sid = NULL, *status = NULL, *note = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "restriction decide", USAGE))
			return CLI_OK;
		int r = cli_arg_value(ctx, &i, "--note", &note);
		if (r < 0)
			return CLI_USAGE;
		if (r)
			continue;
		if (ctx->argv[i][0] == '-')
			return cli_usage(ctx, "restriction decide: unexpected argument %s", ctx->argv[i]);
		if (!sid)
			sid = ctx->argv[i];
		else if (!status)
			status = ctx->argv[i];
		else
			return cli_usage(ctx, "restriction decide: unexpected argument %s", ctx->argv[i]);
	}
	int64_t id = 0;
	if (!sid || !status || mrt_parse_i64(&id, sid) != 0 || id <= 0)
		return cli_usage(ctx, "usage: mrt restriction decide %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = consent_svc_restriction_decide(s, id, status, note, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("restriction %lld %s\n", (long long)id, status);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_restriction_decide = { "restriction", "decide", USAGE,
	"agree to or deny a requested restriction", run };
