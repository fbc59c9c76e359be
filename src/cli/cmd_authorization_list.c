/*
 * `mrt authorization list MRN [--json]`: a patient's authorizations and
 * Part 2 consents, each with its state (valid, expired, revoked).
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/consent_svc.h"

#define USAGE "MRN [--json]"

static void print_table(json_t *a)
{
	printf("%-5s  %-8s  %-28s  %-15s  %-34s  %-12s  %s\n", "id", "state", "recipient", "purpose",
	       "items", "expires", "kind");
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o) {
		const char *exp = cli_json_str(o, "expires_on");
		printf("%-5lld  %-8s  %-28s  %-15s  %-34s  %-12s  %s%s\n",
		       (long long)json_integer_value(json_object_get(o, "id")),
		       cli_json_str(o, "state"), cli_json_str(o, "recipient"),
		       cli_json_str(o, "purpose"), cli_json_str(o, "items"),
		       *exp ? exp : cli_json_str(o, "expires_event"),
		       json_is_true(json_object_get(o, "part2")) ? "part2 " : "",
		       json_is_true(json_object_get(o, "psychotherapy")) ? "psychotherapy" : "");
	}
}

static int run(struct cli_ctx *ctx)
{
	return cli_show_key(ctx, "authorization list", USAGE, consent_svc_auth_list, print_table);
}

const struct cli_cmd cli_cmd_authorization_list = { "authorization", "list", USAGE,
	"list a patient's authorizations and Part 2 consents with their state", run };
