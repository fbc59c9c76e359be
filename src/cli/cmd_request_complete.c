/*
 * `mrt request complete ID`: an access request was answered: access given (a copy in the form asked
 * for, or inspection).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/request_svc.h"

#define USAGE "ID"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return request_svc_close(s, a->id, "complete", NULL, -1, NULL, err);
}

static void done(const struct cli_id_args *a)
{
	printf("request %" PRId64 " completed\n", a->id);
}

static const struct cli_id_cmd cmd = { .name = "request complete", .usage = USAGE, .act = act,
	.done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_request_complete = { "request", "complete", USAGE,
	"close an access request: access given", run };
