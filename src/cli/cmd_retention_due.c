/*
 * `mrt retention due [--json]`: the patients whose records are past their
 * retention period (mrt purges nothing: this is the report a purge would
 * start from; held records say so).
 */
#include "cli/cmd_request_args.h"
#include "service/retention_svc.h"

#define USAGE "[--json]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json } };
	int rc = rq_parse(ctx, "retention due", USAGE, opts, 1, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *rows = NULL;
	rc = retention_svc_due(s, &rows, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	static const char *const keys[] = { "mrn", "last_discharge", "class", "retain_until",
	                                    "age_assumed", "holds", "may_purge", NULL };
	if (as_json)
		cli_print_json(rows);
	else
		rq_print_table(rows, keys, "no records past retention");
	json_decref(rows);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_retention_due = { "retention", "due", USAGE,
	"list records past their retention period", run };
