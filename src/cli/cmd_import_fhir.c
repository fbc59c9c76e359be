/*
 * `mrt import fhir PATH [--json]`: FHIR R4 Bundles (.json) and Bulk-Data
 * NDJSON (.ndjson, .ndjson.gz), a file or a directory, into the chart
 * (admin or him). Prints counts per resource type, what was skipped and
 * the first rejects.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/import_fhir.h"

#define USAGE "PATH [--json]"

static long num(json_t *o, const char *k)
{
	return (long)json_integer_value(json_object_get(o, k));
}

static void print_report(json_t *r)
{
	const char *k;
	json_t *v;
	printf("%-18s %8s %8s %8s %9s %8s %8s\n", "resource", "read", "created", "updated",
	       "unchanged", "rejected", "skipped");
	json_object_foreach(json_object_get(r, "resources"), k, v)
	    printf("%-18s %8ld %8ld %8ld %9ld %8ld %8ld\n", k, num(v, "read"), num(v, "created"),
		   num(v, "updated"), num(v, "unchanged"), num(v, "rejected"), num(v, "skipped"));
	json_object_foreach(json_object_get(r, "skipped"), k, v)
	    printf("skipped %s: %ld\n", k, (long)json_integer_value(v));
	json_object_foreach(json_object_get(r, "skipped_reasons"), k, v)
	    printf("skipped (%s): %ld\n", k, (long)json_integer_value(v));
	printf("files: %ld, unreadable files: %ld, unreadable lines or entries: %ld\n",
	       num(r, "files"), num(r, "file_rejects"), num(r, "unreadable"));
	size_t i;
	json_array_foreach(json_object_get(r, "rejects"), i, v)
	    printf("reject: %s %s: %s\n", json_string_value(json_object_get(v, "file")),
		   json_string_value(json_object_get(v, "position")),
		   json_string_value(json_object_get(v, "reason")));
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *path = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "import fhir", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (ctx->argv[i][0] == '-' || path)
			return cli_usage(ctx, "import fhir: unexpected argument %s", ctx->argv[i]);
		else
			path = ctx->argv[i];
	}
	if (!path)
		return cli_usage(ctx, "usage: mrt import fhir %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	json_t *report = NULL;
	rc = import_fhir(s, path, &report, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(report);
	else
		print_report(report);
	json_decref(report);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_import_fhir = {
    "import", "fhir", USAGE, "import FHIR R4 Bundles or Bulk-Data NDJSON (admin or him)", run};
