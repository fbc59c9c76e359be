/*
 * `mrt user list [--json]`: the users with their OS accounts, roles, label
 * grants, provider link, state (active, locked, disabled: with who, when
 * and why) and failed sign-in count (admin or privacy officer).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/user_svc.h"

#define USAGE "[--json]"

static const char *text(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "-";
}

/* Joins the strings of a JSON array with ',' ("-" when empty). */
static void join(char *out, size_t size, const json_t *arr)
{
	size_t j, used = 0;
	json_t *r;
	out[0] = '\0';
	json_array_foreach(arr, j, r) {
		int n = snprintf(out + used, size - used, "%s%s", used ? "," : "", json_string_value(r));
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	if (!out[0])
		mrt_strlcpy(out, "-", size);
}

static void print_table(json_t *arr)
{
	printf("%-20s %-16s %-8s %-9s %-6s %-28s %-12s %s\n", "name", "os account", "password",
	       "state", "failed", "roles", "labels", "provider");
	size_t i;
	json_t *u;
	json_array_foreach(arr, i, u) {
		char roles[160], labels[96];
		join(roles, sizeof roles, json_object_get(u, "roles"));
		join(labels, sizeof labels, json_object_get(u, "labels"));
		const char *os = json_string_value(json_object_get(u, "os_account"));
		const char *state = json_is_true(json_object_get(u, "disabled")) ? "disabled"
		                    : json_is_true(json_object_get(u, "locked")) ? "locked"
		                                                                  : "active";
		const char *prov = json_string_value(
			json_object_get(json_object_get(u, "provider"), "ident"));
		printf("%-20s %-16s %-8s %-9s %-6lld %-28s %-12s %s\n",
		       json_string_value(json_object_get(u, "name")), os ? os : "-",
		       json_is_true(json_object_get(u, "password")) ? "yes" : "no", state,
		       (long long)json_integer_value(json_object_get(u, "failed_count")), roles, labels,
		       prov ? prov : "-");
		const char *until = json_string_value(json_object_get(u, "locked_until"));
		if (until)
			printf("%20s locked until %s\n", "", until);
		const char *why = json_string_value(json_object_get(u, "disabled_reason"));
		if (why)
			printf("%20s disabled %s by %s: %s\n", "", text(u, "disabled_at"),
			       text(u, "disabled_by"), why);
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
	"list users: roles, labels, provider, state", run };
