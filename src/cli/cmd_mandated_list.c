/*
 * `mrt mandated list [--overdue] [--json]`: the mandated reports the user may
 * read (privacy officer: all; others: their own). --overdue: only open
 * reports past their due date, each put in the privacy officer's queue once.
 */
#include "cli/cmd_request_args.h"
#include "service/mandated_svc.h"

#define USAGE "[--overdue] [--json]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0, overdue = 0;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json }, { "--overdue", NULL, &overdue } };
	int rc = rq_parse(ctx, "mandated list", USAGE, opts, 2, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *rows = NULL;
	rc = mandated_svc_list(s, overdue, &rows, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	static const char *const keys[] = { "id", "mrn", "kind", "agency", "status", "due_date",
	                                    "overdue", "author", NULL };
	if (as_json)
		cli_print_json(rows);
	else
		rq_print_table(rows, keys, "no mandated reports");
	json_decref(rows);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_mandated_list = { "mandated", "list", USAGE,
	"list mandated reports (--overdue: queue the overdue ones)", run };
