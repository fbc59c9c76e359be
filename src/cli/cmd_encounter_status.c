/*
 * `mrt encounter status ACCOUNT uncoded|in-progress|final|billed`: sets the
 * coding status (kept with who and when).
 */
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/chart_svc.h"

#define USAGE "ACCOUNT uncoded|in-progress|final|billed"

static int run(struct cli_ctx *ctx)
{
	const char *account = NULL, *status = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "encounter status", USAGE))
			return CLI_OK;
		if (!account && ctx->argv[i][0] != '-')
			account = ctx->argv[i];
		else if (!status && ctx->argv[i][0] != '-')
			status = ctx->argv[i];
		else
			return cli_usage(ctx, "encounter status: unexpected argument %s", ctx->argv[i]);
	}
	if (!account || !status)
		return cli_usage(ctx, "usage: mrt encounter status %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = chart_svc_coding_status(s, account, status, &err);
	mrt_session_close(s);
	return rc ? cli_fail(&err) : CLI_OK;
}

const struct cli_cmd cli_cmd_encounter_status = { "encounter", "status", USAGE,
	"set an encounter's coding status", run };
