/*
 * `mrt codes diff --system S VERSION_A VERSION_B [--all] [--json]`: codes
 * added, deleted and retitled between two releases.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "service/codes_svc.h"

static void print_list(const char *label, const char *mark, json_t *arr)
{
	size_t i;
	json_t *c;
	printf("%s: %zu\n", label, json_array_size(arr));
	json_array_foreach(arr, i, c) {
		json_t *to = json_object_get(c, "to");
		printf("  %s %-8s %s\n", mark, json_string_value(json_object_get(c, "code")),
		       json_string_value(json_object_get(to ? to : c, "long_title")));
	}
}

static int run(struct cli_ctx *ctx)
{
	const char *system = NULL, *v[2] = { NULL, NULL };
	int all = 0, as_json = 0, nv = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *a = ctx->argv[i];
		if (strcmp(a, "--json") == 0)
			as_json = 1;
		else if (strcmp(a, "--all") == 0)
			all = 1;
		else if (strcmp(a, "--system") == 0 && i + 1 < ctx->argc)
			system = ctx->argv[++i];
		else if (strncmp(a, "--system=", 9) == 0)
			system = a + 9;
		else if (a[0] != '-' && nv < 2)
			v[nv++] = a;
		else
			return cli_usage(ctx, "codes diff: unexpected argument %s", a);
	}
	if (!system || nv != 2)
		return cli_usage(ctx, "usage: mrt codes diff --system icd10cm|icd10pcs VERSION_A VERSION_B "
		                      "[--all] [--json]");
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *o = NULL;
	rc = codes_svc_diff(s, system, v[0], v[1], all, &o, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		cli_print_json(o);
	} else {
		printf("%s %s -> %s (%s codes)\n", system, v[0], v[1], all ? "all" : "billable");
		print_list("added", "+", json_object_get(o, "added"));
		print_list("deleted", "-", json_object_get(o, "deleted"));
		print_list("retitled", "~", json_object_get(o, "retitled"));
	}
	json_decref(o);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_codes_diff = {
	"codes", "diff", "--system icd10cm|icd10pcs VERSION_A VERSION_B [--all] [--json]",
	"codes added, deleted and retitled between two releases", run
};
