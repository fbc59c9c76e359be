/*
 * `mrt request show ID [--json]`: one access or amendment request with the
 * statements linked to it.
 */
#include "cli/cmd_common.h"
#include "service/request_svc.h"

#define USAGE "ID [--json]"

static int run(struct cli_ctx *ctx)
{
	return cli_show_id(ctx, "request show", USAGE, request_svc_show);
}

const struct cli_cmd cli_cmd_request_show = { "request", "show", USAGE,
	"show a patient request with its statements", run };
