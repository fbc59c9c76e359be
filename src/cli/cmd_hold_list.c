/*
 * `mrt hold list [--patient MRN] [--all] [--json]`: the active legal holds
 * (--all: released and expired ones too).
 */
#include "cli/cmd_request_args.h"
#include "service/retention_svc.h"

#define USAGE "[--patient MRN] [--all] [--json]"

static int run(struct cli_ctx *ctx)
{
	const char *mrn = NULL;
	int as_json = 0, all = 0;
	const struct rq_opt opts[] = { { "--patient", &mrn, NULL }, { "--all", NULL, &all },
	                               { "--json", NULL, &as_json } };
	int rc = rq_parse(ctx, "hold list", USAGE, opts, 3, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *rows = NULL;
	rc = retention_svc_hold_list(s, mrn, all, &rows, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	static const char *const keys[] = { "id", "mrn", "matter", "placed_at", "placed_by",
	                                    "until_date", "active", "released_at", NULL };
	if (as_json)
		cli_print_json(rows);
	else
		rq_print_table(rows, keys, "no legal holds");
	json_decref(rows);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_hold_list = { "hold", "list", USAGE,
	"list legal holds", run };
