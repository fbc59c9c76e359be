/*
 * `mrt queue done ID [--note TEXT]`: closes a work item (its assignee, a
 * holder of its role, or a supervisor).
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/queue_svc.h"

#define USAGE "ID [--note TEXT]"

static int run(struct cli_ctx *ctx)
{
	const char *note = NULL;
	int64_t id = 0;
	for (int i = 1; i < ctx->argc; i++) {
		int r;
		if (cli_arg_help(ctx, i, "queue done", USAGE))
			return CLI_OK;
		if ((r = cli_arg_value(ctx, &i, "--note", &note)) != 0) {
			if (r < 0)
				return CLI_USAGE;
		} else if (id || mrt_parse_i64(&id, ctx->argv[i]) != 0 || id <= 0) {
			return cli_usage(ctx, "queue done: unexpected argument %s", ctx->argv[i]);
		}
	}
	if (!id)
		return cli_usage(ctx, "usage: mrt queue done %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = queue_svc_done(s, id, note, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("work item %lld done\n", (long long)id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_queue_done = { "queue", "done", USAGE, "close a work item", run };
