/*
 * `mrt mandated due-rules [--json]`: the due-date rules of mandated reports:
 * each kind's built-in default and the site's own rules per kind and
 * jurisdiction.
 */
#include "cli/cmd_common.h"
#include "service/mandated_svc.h"

#define USAGE "[--json]"

static int run(struct cli_ctx *ctx)
{
	static const char *const keys[] = { "kind", "jurisdiction", "months", "days", "from_diagnosis",
	                                    "source", "updated_by", NULL };
	return cli_list_all(ctx, "mandated due-rules", USAGE, mandated_svc_due_rules, keys,
	                    "no rules");
}

const struct cli_cmd cli_cmd_mandated_due_rules = { "mandated", "due-rules", USAGE,
	"list the due-date rules of mandated reports (built-in and the site's)", run };
