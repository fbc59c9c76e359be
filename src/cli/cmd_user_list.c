/*
 * `mrt user list [--json]`: the users with their OS accounts and roles
 * (admin or privacy).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/user_svc.h"

#define USAGE "[--json]"

static void print_table(json_t *arr)
{
	printf("%-20s %-16s %-8s %s\n", "name", "os account", "password", "roles");
	size_t i;
	json_t *u;
	json_array_foreach(arr, i, u) {
		char roles[128] = "";
		size_t j, used = 0;
		json_t *r;
		json_array_foreach(json_object_get(u, "roles"), j, r) {
			int n = snprintf(roles + used, sizeof roles - used, "%s%s", used ? "," : "",
			                 json_string_value(r));
			if (n < 0 || (size_t)n >= sizeof roles - used)
				break;
			used += (size_t)n;
		}
		const char *os = json_string_value(json_object_get(u, "os_account"));
		printf("%-20s %-16s %-8s %s\n", json_string_value(json_object_get(u, "name")),
		       os ? os : "-", json_is_true(json_object_get(u, "password")) ? "yes" : "no",
		       roles[0] ? roles : "-");
	}
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "user list", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else
			return cli_usage(ctx, "user list: unknown argument %s", ctx->argv[i]);
	}
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *arr = NULL;
	rc = user_svc_list(s, &arr, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		cli_print_json(arr);
	} else {
		print_table(arr);
	}
	json_decref(arr);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_user_list = { "user", "list", USAGE,
	"list users, their OS accounts and roles", run };
