/*
 * `mrt user unlock NAME`: lifts a lockout after repeated failed password
 * sign-ins and clears the failed count (admin only).
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/user_svc.h"

#define USAGE "NAME"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return user_svc_unlock(s, a->key, &a->changed, err);
}

static void done(const struct cli_id_args *a)
{
	if (a->changed)
		printf("unlocked user %s\n", a->key);
	else
		printf("user %s was not locked; failed sign-in count cleared\n", a->key);
}

static const struct cli_id_cmd cmd = { .name = "user unlock", .usage = USAGE, .plain_usage = 1,
	.by_name = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_user_unlock = { "user", "unlock", USAGE,
	"lift a lockout after failed sign-ins (admin)", run };
