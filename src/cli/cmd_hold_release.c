/*
 * `mrt hold release ID --reason TEXT`: releases a legal hold (kept, with
 * who released it, when and why).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/retention_svc.h"

#define USAGE "ID --reason TEXT"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return retention_svc_hold_release(s, a->id, a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("legal hold %" PRId64 " released\n", a->id);
}

static const struct cli_id_cmd cmd = { .name = "hold release", .usage = USAGE, .opt = "--reason",
	.opt_required = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_hold_release = { "hold", "release", USAGE,
	"release a legal hold, with the reason", run };
