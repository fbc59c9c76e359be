/*
 * `mrt codes releases [--json]`: the loaded code-set releases with their
 * effective dates and code counts, then the MCE releases (codes = list
 * memberships; "derived from" for lists rebuilt or derived from another
 * release) and the POA-exempt lists.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "service/codes_svc.h"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else
			return cli_usage(ctx, "codes releases: unknown argument %s", ctx->argv[i]);
	}
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *arr = NULL;
	rc = codes_svc_releases(s, &arr, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		cli_print_json(arr);
	} else {
		printf("%-9s %-12s %-10s %-10s %8s %8s\n", "system", "version", "from", "to", "codes", "billable");
		size_t i;
		json_t *r;
		json_array_foreach(arr, i, r) {
			const char *df = json_string_value(json_object_get(r, "derived_from"));
			printf("%-9s %-12s %-10s %-10s %8lld %8lld%s%s\n", json_string_value(json_object_get(r, "system")),
			       json_string_value(json_object_get(r, "version")),
			       json_string_value(json_object_get(r, "effective_from")),
			       json_string_value(json_object_get(r, "effective_to")),
			       (long long)json_integer_value(json_object_get(r, "codes")),
			       (long long)json_integer_value(json_object_get(r, "billable")),
			       df ? "  derived from " : "", df ? df : "");
		}
		if (json_array_size(arr) == 0)
			printf("(no releases loaded: try `mrt codes load --all`)\n");
	}
	json_decref(arr);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_codes_releases = { "codes", "releases", "[--json]",
	                                        "list the loaded code-set releases", run };
