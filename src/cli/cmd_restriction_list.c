/*
 * `mrt restriction list MRN [--all] [--json]`: a patient's restrictions on
 * disclosures and confidential-communication requests (open ones; --all:
 * ended ones too).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/consent_svc.h"

#define USAGE "MRN [--all] [--json]"

static const char *s_of(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void print_table(json_t *a)
{
	printf("%-5s  %-26s  %-9s  %-28s  %-24s  %s\n", "id", "kind", "status", "recipient / address",
	       "items", "encounter");
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) {
		int cc = strcmp(s_of(o, "kind"), "confidential-communication") == 0;
		printf("%-5lld  %-26s  %-9s  %-28s  %-24s  %s%s\n",
		       (long long)json_integer_value(json_object_get(o, "id")), s_of(o, "kind"),
		       s_of(o, "status"), cc ? s_of(o, "address") : s_of(o, "recipient"),
		       cc ? s_of(o, "phone") : (*s_of(o, "items") ? s_of(o, "items") : "all"),
		       cc ? "" : (*s_of(o, "encounter") ? s_of(o, "encounter") : "all"),
		       json_is_true(json_object_get(o, "active")) ? "" : "  (ended)");
	}
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0, all = 0;
	const char *mrn = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "restriction list", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (strcmp(ctx->argv[i], "--all") == 0)
			all = 1;
		else if (!mrn && ctx->argv[i][0] != '-')
			mrn = ctx->argv[i];
		else
			return cli_usage(ctx, "restriction list: unexpected argument %s", ctx->argv[i]);
	}
	if (!mrn)
		return cli_usage(ctx, "usage: mrt restriction list %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *a = NULL;
	rc = consent_svc_restriction_list(s, mrn, all, &a, &err);
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

const struct cli_cmd cli_cmd_restriction_list = { "restriction", "list", USAGE,
	"list a patient's restrictions and confidential-communication requests", run };
