/*
 * `mrt disclose extend REQUEST_ID --reason TEXT`: the one 30-day extension
 * of a request for an accounting (45 CFR 164.528(c)(2)); the reason is
 * what the patient is told.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/disclose_svc.h"

#define USAGE "REQUEST_ID --reason TEXT"

static int run(struct cli_ctx *ctx)
{
	const char *sid = NULL, *reason = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "disclose extend", USAGE))
			return CLI_OK;
		int r = cli_arg_value(ctx, &i, "--reason", &reason);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0 && !sid && ctx->argv[i][0] != '-')
			sid = ctx->argv[i];
		else if (r == 0)
			return cli_usage(ctx, "disclose extend: unexpected argument %s", ctx->argv[i]);
	}
	int64_t id = 0;
	if (!sid || !reason || mrt_parse_i64(&id, sid) != 0 || id <= 0)
		return cli_usage(ctx, "usage: mrt disclose extend %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	char due[11] = "";
	rc = disclose_svc_request_extend(s, id, reason, due, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("accounting request %lld extended; now due %s\n", (long long)id, due);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_disclose_extend = { "disclose", "extend", USAGE,
	"extend a request for an accounting once by 30 days, with the reason", run };
