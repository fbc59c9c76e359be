/*
 * `mrt label list MRN [--json]`: every label of a patient and of their
 * encounters and documents, ended ones too (privacy officer).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/label_svc.h"

#define USAGE "MRN [--json]"

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *mrn = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "label list", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (!mrn)
			mrn = ctx->argv[i];
		else
			return cli_usage(ctx, "label list: unexpected argument %s", ctx->argv[i]);
	}
	if (!mrn)
		return cli_usage(ctx, "usage: mrt label list %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *a = NULL;
	rc = label_svc_list(s, mrn, &a, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		cli_print_json(a);
	} else {
		printf("%-10s %-16s %-11s %-24s %s\n", "object", "id", "label", "since", "ended");
		size_t i;
		json_t *l;
		json_array_foreach(a, i, l)
			printf("%-10s %-16s %-11s %-24s %s\n", str(l, "object_type"), str(l, "object"),
			       str(l, "code"), str(l, "created_at"), str(l, "ended_at"));
	}
	json_decref(a);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_label_list = { "label", "list", USAGE,
	"list a patient's labels, ended ones too (privacy officer)", run };
