/*
 * `mrt user enable NAME`: lets a disabled user act again (admin only).
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/user_svc.h"

#define USAGE "NAME"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return user_svc_enable(s, a->key, err);
}

static void done(const struct cli_id_args *a)
{
	printf("enabled user %s\n", a->key);
}

static const struct cli_id_cmd cmd = { .name = "user enable", .usage = USAGE, .plain_usage = 1,
	.by_name = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_user_enable = { "user", "enable", USAGE,
	"let a disabled user act again (admin)", run };
