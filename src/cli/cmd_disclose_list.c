/*
 * `mrt disclose list MRN [--json]`: every disclosure of a patient, newest
 * first, exempt ones included (the accounting leaves those out).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/disclose_svc.h"

#define USAGE "MRN [--json]"

static const char *s_of(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void print_table(json_t *a)
{
	printf("%-5s  %-10s  %-30s  %-15s  %-16s  %-30s  %s\n", "id", "date", "recipient", "purpose",
	       "kind", "items", "by");
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o)
		printf("%-5lld  %-10s  %-30s  %-15s  %-16s  %-30s  %s\n",
		       (long long)json_integer_value(json_object_get(o, "id")), s_of(o, "date"),
		       s_of(o, "recipient"), s_of(o, "purpose"), s_of(o, "kind"), s_of(o, "items"),
		       s_of(o, "by"));
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *mrn = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "disclose list", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (!mrn && ctx->argv[i][0] != '-')
			mrn = ctx->argv[i];
		else
			return cli_usage(ctx, "disclose list: unexpected argument %s", ctx->argv[i]);
	}
	if (!mrn)
		return cli_usage(ctx, "usage: mrt disclose list %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *a = NULL;
	rc = disclose_svc_list(s, mrn, &a, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(a);
	else
		print_table(a);
	json_decref(a);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_disclose_list = { "disclose", "list", USAGE,
	"list every disclosure of a patient (exempt ones too)", run };
