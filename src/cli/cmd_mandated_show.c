/*
 * `mrt mandated show ID [--json]`: one mandated report (privacy officer or
 * its author only; anyone else is refused and the refusal audited).
 */
#include "cli/cmd_common.h"
#include "service/mandated_svc.h"

#define USAGE "ID [--json]"

static int run(struct cli_ctx *ctx)
{
	return cli_show_id(ctx, "mandated show", USAGE, mandated_svc_show);
}

const struct cli_cmd cli_cmd_mandated_show = { "mandated", "show", USAGE,
	"show a mandated report (privacy officer or its author)", run };
