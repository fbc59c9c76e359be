/*
 * `mrt disclose extend REQUEST_ID --reason TEXT`: the one 30-day extension
 * of a request for an accounting (45 CFR 164.528(c)(2)); the reason is
 * what the patient is told.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/disclose_svc.h"

#define USAGE "REQUEST_ID --reason TEXT"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return disclose_svc_request_extend(s, a->id, a->text, a->out, err);
}

static void done(const struct cli_id_args *a)
{
	printf("accounting request %lld extended; now due %s\n", (long long)a->id, a->out);
}

static const struct cli_id_cmd cmd = { .name = "disclose extend", .usage = USAGE, .opt = "--reason",
	.opt_required = 1, .plain_usage = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_disclose_extend = { "disclose", "extend", USAGE,
	"extend a request for an accounting once by 30 days, with the reason", run };
