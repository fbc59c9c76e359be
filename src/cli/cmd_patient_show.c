/*
 * `mrt patient show MRN [--json]`: a patient with names, identifiers,
 * labels, links and encounters.
 */
#include <string.h>

#include "cli/args.h"
#include "cli/chart_print.h"
#include "cli/cli.h"
#include "service/chart_svc.h"

#define USAGE \
	"MRN [--json] [--break-glass REASON [--break-glass-category CATEGORY]]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0, v;
	struct chart_svc_glass glass = { 0 };
	const char *mrn = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "patient show", USAGE))
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
		else if (!mrn && ctx->argv[i][0] != '-')
			mrn = ctx->argv[i];
		else
			return cli_usage(ctx, "patient show: unexpected argument %s", ctx->argv[i]);
	}
	if (!mrn)
		return cli_usage(ctx, "usage: mrt patient show %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *p = NULL;
	rc = chart_svc_patient_show(s, mrn, glass.reason ? &glass : NULL, &p, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(p);
	else
		chart_print_patient(p);
	json_decref(p);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_patient_show = { "patient", "show", USAGE,
	"show a patient: names, identifiers, labels, links, encounters", run };
