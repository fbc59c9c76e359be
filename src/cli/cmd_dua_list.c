/*
 * `mrt dua list [--all] [--json]`: the active data use agreements (with
 * --all also expired and ended ones) and how many extracts each has had
 * (privacy officer, researcher).
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/dua_svc.h"

#define USAGE "[--all] [--json]"

static void print_table(json_t *rows)
{
	printf("%5s  %-8s  %-10s  %8s  %s\n", "ID", "STATUS", "EXPIRES", "EXTRACTS", "RECIPIENT");
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
		printf("%5lld  %-8s  %-10s  %8lld  %s\n",
		       (long long)json_integer_value(json_object_get(r, "id")),
		       json_string_value(json_object_get(r, "status")),
		       json_string_value(json_object_get(r, "expires")),
		       (long long)json_integer_value(json_object_get(r, "extracts")),
		       json_string_value(json_object_get(r, "recipient")));
}

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return dua_svc_list(s, *(const int *)arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int all = 0, as_json = 0;
	const struct rq_opt opts[] = { { "--all", NULL, &all }, { "--json", NULL, &as_json } };
	int rc = rq_parse(ctx, "dua list", USAGE, opts, 2, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load, &all, print_table);
}

const struct cli_cmd cli_cmd_dua_list = {"dua", "list", USAGE,
					 "list data use agreements (privacy officer, researcher)",
					 run};
