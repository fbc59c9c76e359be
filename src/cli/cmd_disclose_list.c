/*
 * `mrt disclose list MRN [--json]`: every disclosure of a patient, newest
 * first, exempt ones included (the accounting leaves those out).
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/disclose_svc.h"

#define USAGE "MRN [--json]"

static void print_table(json_t *a)
{
	printf("%-5s  %-10s  %-30s  %-15s  %-16s  %-30s  %s\n", "id", "date", "recipient", "purpose",
	       "kind", "items", "by");
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o)
	    printf("%-5lld  %-10s  %-30s  %-15s  %-16s  %-30s  %s\n",
		   (long long)json_integer_value(json_object_get(o, "id")), cli_json_str(o, "date"),
		   cli_json_str(o, "recipient"), cli_json_str(o, "purpose"),
		   cli_json_str(o, "kind"), cli_json_str(o, "items"), cli_json_str(o, "by"));
}

static int run(struct cli_ctx *ctx)
{
	return cli_show_key(ctx, "disclose list", USAGE, disclose_svc_list, print_table);
}

const struct cli_cmd cli_cmd_disclose_list = { "disclose", "list", USAGE,
	"list every disclosure of a patient (exempt ones too)", run };
