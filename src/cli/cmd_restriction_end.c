/*
 * `mrt restriction end ID [--reason TEXT]`: ends a restriction or a
 * confidential-communication request (kept, marked ended).
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/consent_svc.h"

#define USAGE "ID [--reason TEXT]"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return consent_svc_restriction_end(s, a->id, a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("restriction %lld ended\n", (long long)a->id);
}

static const struct cli_id_cmd cmd = { .name = "restriction end", .usage = USAGE, .opt = "--reason",
	.plain_usage = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_restriction_end = { "restriction", "end", USAGE,
	"end a restriction or confidential-communication request", run };
