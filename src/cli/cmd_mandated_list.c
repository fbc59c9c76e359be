/*
 * `mrt mandated list [--overdue] [--json]`: the mandated reports the user may
 * read (privacy officer: all; others: their own). --overdue: only open
 * reports past their due date, each put in the privacy officer's queue once.
 */
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/mandated_svc.h"

#define USAGE "[--overdue] [--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return mandated_svc_list(s, *(const int *)arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0, overdue = 0;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json },
	                               { "--overdue", NULL, &overdue } };
	int rc = rq_parse(ctx, "mandated list", USAGE, opts, 2, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	static const char *const keys[] = { "id", "mrn", "kind", "agency", "status", "due_date",
	                                    "overdue", "author", NULL };
	return cli_load_table(ctx, as_json, load, &overdue, keys, "no mandated reports");
}

const struct cli_cmd cli_cmd_mandated_list = { "mandated", "list", USAGE,
	"list mandated reports (--overdue: queue the overdue ones)", run };
