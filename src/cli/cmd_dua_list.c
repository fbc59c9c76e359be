/*
 * `mrt dua list [--all] [--json]`: the active data use agreements (with
 * --all also expired and ended ones) and how many extracts each has had
 * (privacy officer, researcher).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/dua_svc.h"

#define USAGE "[--all] [--json]"

static int run(struct cli_ctx *ctx)
{
	int all = 0, json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "dua list", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--all") == 0)
			all = 1;
		else if (strcmp(ctx->argv[i], "--json") == 0)
			json = 1;
		else
			return cli_usage(ctx, "dua list: unexpected argument %s", ctx->argv[i]);
	}
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	json_t *rows = NULL;
	rc = dua_svc_list(s, all, &rows, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (json) {
		cli_print_json(rows);
	} else {
		printf("%5s  %-8s  %-10s  %8s  %s\n", "ID", "STATUS", "EXPIRES", "EXTRACTS",
		       "RECIPIENT");
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
	json_decref(rows);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_dua_list = {"dua", "list", USAGE,
					 "list data use agreements (privacy officer, researcher)",
					 run};
