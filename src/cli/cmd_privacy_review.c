/*
 * `mrt privacy review [--all] [--json]`: the break-the-glass uses waiting
 * for the privacy officer's review (with --all, reviewed ones too);
 * `mrt privacy review ID --outcome appropriate|inappropriate [--note T]`
 * records the review and closes its work item.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cmd_common.h"
#include "service/glass_svc.h"

#define USAGE "[--all] [--json] | ID --outcome appropriate|inappropriate [--note TEXT]"

static void print_table(json_t *a)
{
	printf("%-5s %-12s %-14s %-18s %-10s %-20s %-5s %s\n", "id", "user", "mrn", "category",
	       "labels", "started", "reads", "reason");
	size_t i;
	json_t *g;
	json_array_foreach(a, i, g) {
		printf("%-5lld %-12s %-14s %-18s %-10s %-20.19s %-5lld %s%s%s\n",
		       (long long)json_integer_value(json_object_get(g, "id")),
		       cli_json_str(g, "user"), cli_json_str(g, "mrn"), cli_json_str(g, "category"),
		       cli_json_str(g, "labels"), cli_json_str(g, "started_at"),
		       (long long)json_integer_value(json_object_get(g, "reads")),
		       cli_json_str(g, "reason"), *cli_json_str(g, "review_outcome") ? " -> " : "",
		       cli_json_str(g, "review_outcome"));
	}
	if (json_array_size(a) == 0)
		printf("(no break-the-glass use waits for review)\n");
}

static int review(struct cli_ctx *ctx, int64_t id, const char *outcome, const char *note)
{
	if (!outcome)
		return cli_usage(ctx, "privacy review %lld: --outcome appropriate|inappropriate is "
		                 "required", (long long)id);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = glass_svc_review(s, id, outcome, note, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("break-the-glass use %lld reviewed: %s\n", (long long)id, outcome);
	return CLI_OK;
}

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return glass_svc_list(s, *(const int *)arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0, all = 0;
	int64_t id = 0;
	const char *outcome = NULL, *note = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "privacy review", USAGE))
			return CLI_OK;
		int r = cli_arg_value(ctx, &i, "--outcome", &outcome);
		if (r == 0)
			r = cli_arg_value(ctx, &i, "--note", &note);
		if (r < 0)
			return CLI_USAGE;
		if (r > 0)
			continue;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (strcmp(ctx->argv[i], "--all") == 0)
			all = 1;
		else if (!id && mrt_parse_i64(&id, ctx->argv[i]) == 0 && id > 0)
			continue;
		else
			return cli_usage(ctx, "privacy review: unexpected argument %s", ctx->argv[i]);
	}
	if (id)
		return review(ctx, id, outcome, note);
	if (outcome || note)
		return cli_usage(ctx, "privacy review: --outcome and --note need the ID of a use");
	return cli_load_print(ctx, as_json, load, &all, print_table);
}

const struct cli_cmd cli_cmd_privacy_review = { "privacy", "review", USAGE,
	"break-the-glass uses for the privacy officer's review", run };
