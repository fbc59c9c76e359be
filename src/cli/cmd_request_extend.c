/*
 * `mrt request extend ID --reason TEXT`: the one 30-day extension of a
 * request, with the written reason given to the patient.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/request_svc.h"

#define USAGE "ID --reason TEXT"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return request_svc_extend(s, a->id, a->text, a->out, err);
}

static void done(const struct cli_id_args *a)
{
	printf("request %" PRId64 " extended, now due %s\n", a->id, a->out);
}

static const struct cli_id_cmd cmd = { .name = "request extend", .usage = USAGE, .opt = "--reason",
	.opt_required = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_request_extend = { "request", "extend", USAGE,
	"extend a request's deadline once by 30 days, with the reason", run };
