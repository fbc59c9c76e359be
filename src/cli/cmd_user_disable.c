/*
 * `mrt user disable NAME --reason TEXT`: stops a user from acting at all
 * (admin only). Nothing of theirs is deleted; who, when and why are kept
 * and shown by `mrt user list`. `mrt user enable` undoes it.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/user_svc.h"

#define USAGE "NAME --reason TEXT"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return user_svc_disable(s, a->key, a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("disabled user %s\n", a->key);
}

static const struct cli_id_cmd cmd = { .name = "user disable", .usage = USAGE, .opt = "--reason",
	.opt_required = 1, .plain_usage = 1, .by_name = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_user_disable = { "user", "disable", USAGE,
	"stop a user from acting; nothing is deleted (admin)", run };
