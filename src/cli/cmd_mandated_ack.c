/*
 * `mrt mandated ack ID [--reference TEXT]`: the agency acknowledged a
 * submitted report.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/mandated_svc.h"

#define USAGE "ID [--reference TEXT]"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return mandated_svc_acknowledge(s, a->id, a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("mandated report %" PRId64 " acknowledged\n", a->id);
}

static const struct cli_id_cmd cmd = { .name = "mandated ack", .usage = USAGE, .opt = "--reference",
	.act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_mandated_ack = { "mandated", "ack", USAGE,
	"record the agency's acknowledgement of a submitted report", run };
