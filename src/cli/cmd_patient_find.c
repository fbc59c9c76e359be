/*
 * `mrt patient find --name TEXT [--birth-date YYYY-MM-DD] [--limit N]
 * [--json]`: patients any of whose names (legal, aliases, previous) match
 * every word given, as a prefix in any case.
 */
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/chart_print.h"
#include "cli/cli.h"
#include "service/chart_svc.h"

#define USAGE "--name TEXT [--birth-date YYYY-MM-DD] [--limit N] [--json]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *name = NULL, *birth = NULL, *limit_s = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "patient find", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0) {
			as_json = 1;
			continue;
		}
		int r = cli_arg_value(ctx, &i, "--name", &name);
		if (r == 0)
			r = cli_arg_value(ctx, &i, "--birth-date", &birth);
		if (r == 0)
			r = cli_arg_value(ctx, &i, "--limit", &limit_s);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0)
			return cli_usage(ctx, "patient find: unexpected argument %s", ctx->argv[i]);
	}
	if (!name)
		return cli_usage(ctx, "usage: mrt patient find %s", USAGE);
	int limit = 100;
	if (limit_s && (mrt_parse_int(&limit, limit_s) != 0 || limit <= 0))
		return cli_usage(ctx, "patient find: --limit needs a positive number");
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *a = NULL;
	rc = chart_svc_patient_find(s, name, birth, (size_t)limit, &a, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(a);
	else
		chart_print_matches(a);
	json_decref(a);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_patient_find = { "patient", "find", USAGE,
	"find patients by name (and birth date)", run };
