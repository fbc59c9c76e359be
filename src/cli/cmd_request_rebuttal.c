/*
 * `mrt request rebuttal ID --statement TEXT`: records the entity's rebuttal of the patient's statement
 * of disagreement, linked to the record (164.526(d)(3)).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/request_svc.h"

#define USAGE "ID --statement TEXT"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return request_svc_statement(s, a->id, "rebuttal", a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("request %" PRId64 ": rebuttal recorded\n", a->id);
}

static const struct cli_id_cmd cmd = { .name = "request rebuttal", .usage = USAGE,
	.opt = "--statement", .opt_required = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_request_rebuttal = { "request", "rebuttal", USAGE,
	"record the rebuttal of a statement of disagreement", run };
