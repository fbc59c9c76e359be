/*
 * `mrt export fhir --out DIR [--since DATE] [--json]`: the chart as FHIR
 * Bulk-Data NDJSON, one file per resource type (admin or him).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/export_fhir.h"

#define USAGE "--out DIR [--since YYYY-MM-DD] [--json]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *out = NULL, *since = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "export fhir", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0) {
			as_json = 1;
			continue;
		}
		int r = cli_arg_value(ctx, &i, "--out", &out);
		if (r == 0)
			r = cli_arg_value(ctx, &i, "--since", &since);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0)
			return cli_usage(ctx, "export fhir: unexpected argument %s", ctx->argv[i]);
	}
	if (!out)
		return cli_usage(ctx, "usage: mrt export fhir %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	json_t *report = NULL;
	rc = export_fhir(s, out, since, &report, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		cli_print_json(report);
	} else {
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(report, "files"), k, v)
		    printf("%-24s %8ld\n", k, (long)json_integer_value(v));
	}
	json_decref(report);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_export_fhir = {
    "export", "fhir", USAGE, "write the chart as FHIR Bulk-Data NDJSON (admin or him)", run};
