/*
 * `mrt retention check MRN [--json]`: whether the patient's record may be
 * purged now (retention run out, no open encounter, no active legal hold)
 * and why not. Exit 0 either way; the answer is in may_purge.
 */
#include "cli/cmd_common.h"
#include "service/retention_svc.h"

#define USAGE "MRN [--json]"

static int run(struct cli_ctx *ctx)
{
	return cli_show_key(ctx, "retention check", USAGE, retention_svc_check, NULL);
}

const struct cli_cmd cli_cmd_retention_check = { "retention", "check", USAGE,
	"may this record be purged? (retention and legal holds)", run };
