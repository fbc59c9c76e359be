/*
 * `mrt coding-audit list [--json]`: the coding audit items (sample, coder,
 * reviewer, account, status); never a code.
 */
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "service/coding_audit_svc.h"

#define USAGE "[--json]"

static int run(struct cli_ctx *ctx)
{
	static const char *const keys[] = {"item",     "sample",   "coder",
					   "reviewer", "account",  "discharge_date",
					   "status",   "coded_at", NULL};
	return cli_list_all(ctx, "coding-audit list", USAGE, caudit_svc_list, keys,
			    "no coding audit items");
}

const struct cli_cmd cli_cmd_coding_audit_list = {"coding-audit", "list", USAGE,
						  "list coding audit items and their status", run};
