/*
 * `mrt queue list [--mine] [--role R] [--status S] [--json]`: open work
 * items (or those of status S, or all), the user's own, or a role's.
 * Without a supervisor role (admin, him_technician) only items assigned to the user
 * or to a role they hold are shown.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/queue_print.h"
#include "service/queue_svc.h"

#define USAGE "[--mine] [--role ROLE] [--status open|in-progress|done|cancelled|all] [--json]"

static int run(struct cli_ctx *ctx)
{
	struct queue_filter f = { 0 };
	int as_json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *v = NULL;
		int r = 0;
		if (cli_arg_help(ctx, i, "queue list", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (strcmp(ctx->argv[i], "--mine") == 0)
			f.mine = 1;
		else if ((r = cli_arg_value(ctx, &i, "--role", &v)) != 0)
			f.role = v;
		else if ((r = cli_arg_value(ctx, &i, "--status", &v)) != 0)
			f.status = v;
		else
			return cli_usage(ctx, "queue list: unknown argument %s", ctx->argv[i]);
		if (r < 0)
			return CLI_USAGE;
	}
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *items = NULL;
	rc = queue_svc_list(s, &f, &items, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		queue_print_json(items);
	else
		queue_print_items(items);
	json_decref(items);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_queue_list = { "queue", "list", USAGE, "list work items", run };
