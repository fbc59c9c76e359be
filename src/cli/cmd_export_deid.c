/*
 * `mrt export deid --method safe-harbor|limited --out DIR [--dua ID]
 * [--zip3-file FILE] [--json]`: a research extract as CSV files, Safe
 * Harbor de-identified or a limited data set under a data use agreement
 * (admin, him, privacy officer, researcher for safe harbor; privacy officer
 * or researcher for a limited data set).
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/share_dir.h"
#include "service/export_deid.h"

#define USAGE "--method safe-harbor|limited --out DIR [--dua ID] [--zip3-file FILE] [--json]"

struct opts {
	const char *method, *out, *dua, *zip3;
	int json;
};

static int parse(struct cli_ctx *ctx, struct opts *o)
{
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "export deid", USAGE))
			return 1;
		if (strcmp(ctx->argv[i], "--json") == 0) {
			o->json = 1;
			continue;
		}
		int r = cli_arg_value(ctx, &i, "--method", &o->method);
		if (r == 0)
			r = cli_arg_value(ctx, &i, "--out", &o->out);
		if (r == 0)
			r = cli_arg_value(ctx, &i, "--dua", &o->dua);
		if (r == 0)
			r = cli_arg_value(ctx, &i, "--zip3-file", &o->zip3);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0)
			return cli_usage(ctx, "export deid: unexpected argument %s", ctx->argv[i]);
	}
	if (!o->method || !o->out)
		return cli_usage(ctx, "usage: mrt export deid %s", USAGE);
	return 0;
}

static void print_table(const json_t *r)
{
	printf("extract %lld (%s) in %s\n", (long long)json_integer_value(json_object_get(r, "extract")),
	       json_string_value(json_object_get(r, "method")),
	       json_string_value(json_object_get(r, "out")));
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(r, "files"), k, v)
	    printf("  %-16s %10lld\n", k, (long long)json_integer_value(v));
	long long withheld = json_integer_value(json_object_get(r, "patients_withheld"));
	if (withheld)
		printf("  patients withheld (Part 2, no consent): %lld\n", withheld);
	printf("%s\n", json_string_value(json_object_get(r, "warning")));
}

static int run(struct cli_ctx *ctx)
{
	struct opts o = {0};
	int rc = parse(ctx, &o);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	struct export_deid_opts x = {.out_dir = o.out, .zip3_file = o.zip3};
	int m = export_deid_method_parse(o.method);
	if (m < 0)
		return cli_usage(ctx, "export deid: --method must be safe-harbor or limited");
	x.method = (enum export_deid_method)m;
	if (o.dua && (mrt_parse_i64(&x.dua_id, o.dua) != 0 || x.dua_id <= 0))
		return cli_usage(ctx, "export deid: --dua needs an agreement number");
	char share[4096];
	x.zip3_dir = cli_share_dir(share, sizeof share, "deid");
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = {0};
	json_t *report = NULL;
	rc = export_deid(s, &x, &report, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (o.json)
		cli_print_json(report);
	else
		print_table(report);
	json_decref(report);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_export_deid = {
    "export", "deid", USAGE,
    "write a de-identified (Safe Harbor) extract or a limited data set under a DUA", run};
