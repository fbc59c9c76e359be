/*
 * `mrt queue assign ID (--user U | --role R)`: gives a work item to a user
 * or a role (a supervisor; anyone may take an item of theirs for
 * themselves). `--user` is also the global "act as" option, which main()
 * takes out of the arguments wherever it stands: when neither --to-user
 * nor --role is given, the user named by --user is the assignee and the
 * session is the OS account's own. --to-user U says the same without that
 * ambiguity (and then --user keeps its global meaning).
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/queue_svc.h"

#define USAGE "ID (--user USER | --to-user USER | --role ROLE)"

static int run(struct cli_ctx *ctx)
{
	const char *user = NULL, *role = NULL;
	int64_t id = 0;
	for (int i = 1; i < ctx->argc; i++) {
		int r;
		if (cli_arg_help(ctx, i, "queue assign", USAGE))
			return CLI_OK;
		if ((r = cli_arg_value(ctx, &i, "--to-user", &user)) != 0 ||
		    (r = cli_arg_value(ctx, &i, "--role", &role)) != 0) {
			if (r < 0)
				return CLI_USAGE;
		} else if (id || mrt_parse_i64(&id, ctx->argv[i]) != 0 || id <= 0) {
			return cli_usage(ctx, "queue assign: unexpected argument %s", ctx->argv[i]);
		}
	}
	if (!user && !role && ctx->as_user) {
		user = ctx->as_user;
		ctx->as_user = NULL;
	}
	if (!id || (!user && !role))
		return cli_usage(ctx, "usage: mrt queue assign %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	rc = queue_svc_assign(s, id, user, role, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("work item %lld assigned to %s %s\n", (long long)id, user ? "user" : "role",
	       user ? user : role);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_queue_assign = { "queue", "assign", USAGE,
	"assign a work item to a user or a role", run };
