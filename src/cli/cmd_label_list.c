/*
 * `mrt label list MRN [--json]`: every label of a patient and of their
 * encounters and documents, ended ones too (privacy officer).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cmd_common.h"
#include "service/label_svc.h"

#define USAGE "MRN [--json]"

static void print_table(json_t *a)
{
	printf("%-10s %-16s %-11s %-24s %s\n", "object", "id", "label", "since", "ended");
	size_t i;
	json_t *l;
	json_array_foreach(a, i, l)
	    printf("%-10s %-16s %-11s %-24s %s\n", cli_json_str(l, "object_type"),
		   cli_json_str(l, "object"), cli_json_str(l, "code"),
		   cli_json_str(l, "created_at"), cli_json_str(l, "ended_at"));
}

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return label_svc_list(s, arg, out, err);
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
	return cli_load_print(ctx, as_json, load, mrn, print_table);
}

const struct cli_cmd cli_cmd_label_list = { "label", "list", USAGE,
	"list a patient's labels, ended ones too (privacy officer)", run };
