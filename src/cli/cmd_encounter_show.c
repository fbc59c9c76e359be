/*
 * `mrt encounter show ACCOUNT [--json]`: an encounter with its coding
 * (diagnoses, procedures, findings, history), transfers, services, DRGs,
 * documents and labels.
 */
#include <string.h>

#include "cli/args.h"
#include "cli/chart_print.h"
#include "cli/cli.h"
#include "service/chart_svc.h"

#define USAGE \
	"ACCOUNT [--json] [--break-glass REASON [--break-glass-category CATEGORY]]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0, v;
	struct chart_svc_glass glass = { 0 };
	const char *account = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "encounter show", USAGE))
			return CLI_OK;
		v = cli_arg_value(ctx, &i, "--break-glass", &glass.reason);
		if (v == 0)
			v = cli_arg_value(ctx, &i, "--break-glass-category", &glass.category);
		if (v < 0)
			return CLI_USAGE;
		if (v > 0)
			continue;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (!account && ctx->argv[i][0] != '-')
			account = ctx->argv[i];
		else
			return cli_usage(ctx, "encounter show: unexpected argument %s", ctx->argv[i]);
	}
	if (!account)
		return cli_usage(ctx, "usage: mrt encounter show %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *e = NULL;
	rc = chart_svc_encounter_show(s, account, glass.reason ? &glass : NULL, &e, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(e);
	else
		chart_print_encounter(e);
	json_decref(e);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_encounter_show = { "encounter", "show", USAGE,
	"show an encounter with its coding, transfers and documents", run };
