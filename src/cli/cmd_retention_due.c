/*
 * `mrt retention due [--json]`: the patients whose records are past their
 * retention period (mrt purges nothing: this is the report a purge would
 * start from; held records say so).
 */
#include "cli/cmd_common.h"
#include "service/retention_svc.h"

#define USAGE "[--json]"

static int run(struct cli_ctx *ctx)
{
	static const char *const keys[] = { "mrn", "last_discharge", "class", "retain_until",
	                                    "age_assumed", "holds", "may_purge", NULL };
	return cli_list_all(ctx, "retention due", USAGE, retention_svc_due, keys,
	                    "no records past retention");
}

const struct cli_cmd cli_cmd_retention_due = { "retention", "due", USAGE,
	"list records past their retention period", run };
