/*
 * `mrt authorization list MRN [--json]`: a patient's authorizations and
 * Part 2 consents, each with its state (valid, expired, revoked).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/consent_svc.h"

#define USAGE "MRN [--json]"

static const char *s_of(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void print_table(json_t *a)
{
	printf("%-5s  %-8s  %-28s  %-15s  %-34s  %-12s  %s\n", "id", "state", "recipient", "purpose",
	       "items", "expires", "kind");
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) {
		const char *exp = s_of(o, "expires_on");
		printf("%-5lld  %-8s  %-28s  %-15s  %-34s  %-12s  %s%s\n",
		       (long long)json_integer_value(json_object_get(o, "id")), s_of(o, "state"),
		       s_of(o, "recipient"), s_of(o, "purpose"), s_of(o, "items"),
		       *exp ? exp : s_of(o, "expires_event"),
		       json_is_true(json_object_get(o, "part2")) ? "part2 " : "",
		       json_is_true(json_object_get(o, "psychotherapy")) ? "psychotherapy" : "");
	}
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *mrn = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "authorization list", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (!mrn && ctx->argv[i][0] != '-')
			mrn = ctx->argv[i];
		else
			return cli_usage(ctx, "authorization list: unexpected argument %s", ctx->argv[i]);
	}
	if (!mrn)
		return cli_usage(ctx, "usage: mrt authorization list %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *a = NULL;
	rc = consent_svc_auth_list(s, mrn, &a, &err);
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

const struct cli_cmd cli_cmd_authorization_list = { "authorization", "list", USAGE,
	"list a patient's authorizations and Part 2 consents with their state", run };
