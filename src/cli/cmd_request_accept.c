/*
 * `mrt request accept ID [--note TEXT]`: accepts an amendment request: the amendment (--note,
 * default the text the patient asked for) is linked to the record (164.526(c)).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/request_svc.h"

#define USAGE "ID [--note TEXT]"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return request_svc_close(s, a->id, "accept", NULL, -1, a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("request %" PRId64 " accepted\n", a->id);
}

static const struct cli_id_cmd cmd = { .name = "request accept", .usage = USAGE, .opt = "--note",
	.act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_request_accept = { "request", "accept", USAGE,
	"accept an amendment: the amendment is linked to the record", run };
