/*
 * `mrt queue show ID [--json]`: one work item with its history.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/queue_print.h"
#include "service/queue_svc.h"

#define USAGE "ID [--json]"

static void print_history(json_t *item)
{
	size_t i;
	json_t *h;
	printf("history:\n");
	json_array_foreach(json_object_get(item, "history"), i, h) {
		const char *user = json_string_value(json_object_get(h, "assigned_user"));
		const char *role = json_string_value(json_object_get(h, "assigned_role"));
		const char *note = json_string_value(json_object_get(h, "note"));
		printf("  %.19s  %-8s by %-12s -> %s", json_string_value(json_object_get(h, "at")),
		       json_string_value(json_object_get(h, "action")),
		       json_string_value(json_object_get(h, "by")),
		       json_string_value(json_object_get(h, "to_status")));
		if (user)
			printf(", user %s", user);
		else if (role)
			printf(", role %s", role);
		printf("\n");
		if (note)
			printf("      note: %s\n", note);
	}
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	int64_t id = 0;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "queue show", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (id || mrt_parse_i64(&id, ctx->argv[i]) != 0 || id <= 0)
			return cli_usage(ctx, "queue show: unexpected argument %s", ctx->argv[i]);
	}
	if (!id)
		return cli_usage(ctx, "usage: mrt queue show %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *item = NULL;
	rc = queue_svc_show(s, id, &item, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		queue_print_json(item);
	} else {
		json_t *one = json_array();
		json_array_append(one, item);
		queue_print_items(one);
		json_decref(one);
		print_history(item);
	}
	json_decref(item);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_queue_show = { "queue", "show", USAGE,
	"show one work item with its history", run };
