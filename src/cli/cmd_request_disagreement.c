/*
 * `mrt request disagreement ID --statement TEXT`: records the patient's statement of disagreement with a
 * denied amendment, linked to the record (164.526(d)(1)(ii)).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/request_svc.h"

#define USAGE "ID --statement TEXT"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return request_svc_statement(s, a->id, "disagreement", a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("request %" PRId64 ": disagreement recorded\n", a->id);
}

static const struct cli_id_cmd cmd = { .name = "request disagreement", .usage = USAGE,
	.opt = "--statement", .opt_required = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_request_disagreement = { "request", "disagreement", USAGE,
	"record the patient's statement of disagreement with a denied amendment", run };
