/*
 * `mrt representative end ID --reason TEXT`: ends a representation (the
 * row stays, with who ended it, when and why).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/request_svc.h"

#define USAGE "ID --reason TEXT"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return request_svc_rep_end(s, a->id, a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("personal representative %" PRId64 " ended\n", a->id);
}

static const struct cli_id_cmd cmd = { .name = "representative end", .usage = USAGE,
	.opt = "--reason", .opt_required = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_representative_end = { "representative", "end", USAGE,
	"end a personal representation", run };
