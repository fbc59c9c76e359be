/*
 * `mrt restriction list MRN [--all] [--json]`: a patient's restrictions on
 * disclosures and confidential-communication requests (open ones; --all:
 * ended ones too).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/consent_svc.h"

#define USAGE "MRN [--all] [--json]"

static void print_table(json_t *a)
{
	printf("%-5s  %-26s  %-9s  %-28s  %-24s  %s\n", "id", "kind", "status", "recipient / address",
	       "items", "encounter");
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) {
		int cc = strcmp(cli_json_str(o, "kind"), "confidential-communication") == 0;
		printf("%-5lld  %-26s  %-9s  %-28s  %-24s  %s%s\n",
		       (long long)json_integer_value(json_object_get(o, "id")),
		       cli_json_str(o, "kind"), cli_json_str(o, "status"),
		       cc ? cli_json_str(o, "address") : cli_json_str(o, "recipient"),
		       cc ? cli_json_str(o, "phone")
			  : (*cli_json_str(o, "items") ? cli_json_str(o, "items") : "all"),
		       cc ? ""
			  : (*cli_json_str(o, "encounter") ? cli_json_str(o, "encounter") : "all"),
		       json_is_true(json_object_get(o, "active")) ? "" : "  (ended)");
	}
}

struct query {
	const char *mrn;
	int all;
};

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	const struct query *q = arg;
	return consent_svc_restriction_list(s, q->mrn, q->all, out, err);
}

static int run(struct cli_ctx *ctx)
{
	struct query q = { 0 };
	int as_json = 0;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json }, { "--all", NULL, &q.all } };
	int rc = rq_parse(ctx, "restriction list", USAGE, opts, 2, &q.mrn, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load, &q, print_table);
}

const struct cli_cmd cli_cmd_restriction_list = { "restriction", "list", USAGE,
	"list a patient's restrictions and confidential-communication requests", run };
