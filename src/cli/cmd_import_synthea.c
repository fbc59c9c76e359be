/*
 * `mrt import synthea DIR [--json]`: the Synthea CSV export into the chart
 * (DIR holds patients.csv, or is the export root holding csv/). Without --json, a short
 * summary per table.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/import_synthea.h"
#include "cli/import_print.h"

#define USAGE "DIR [--json]"

static int run(struct cli_ctx *ctx)
{
	const char *dir = NULL;
	int as_json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *a = ctx->argv[i];
		if (cli_arg_help(ctx, i, "import synthea", USAGE))
			return CLI_OK;
		if (strcmp(a, "--json") == 0)
			as_json = 1;
		else if (a[0] == '-' && a[1])
			return cli_usage(ctx, "import synthea: unknown option %s", a);
		else if (dir)
			return cli_usage(ctx, "import synthea: give one DIR");
		else
			dir = a;
	}
	if (!dir)
		return cli_usage(ctx, "usage: mrt import synthea " USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	json_t *rep = NULL;
	rc = import_synthea(s, dir, &rep, &err);
	mrt_session_close(s);
	rc = import_print_report(rep, as_json, rc, &err);
	json_decref(rep);
	return rc;
}

const struct cli_cmd cli_cmd_import_synthea = {
    "import", "synthea", USAGE,
    "import Synthea CSV (patients, encounters, conditions, procedures, providers)", run};
