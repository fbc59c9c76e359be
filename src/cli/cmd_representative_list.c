/*
 * `mrt representative list --patient MRN [--on DATE] [--json]`: a patient's
 * personal representatives, each with whether they act on that day (today
 * by default) and why.
 */
#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "--patient MRN [--on YYYY-MM-DD] [--json]"

static int run(struct cli_ctx *ctx)
{
	const char *mrn = NULL, *on = NULL;
	int as_json = 0;
	const struct rq_opt opts[] = { { "--patient", &mrn, NULL }, { "--on", &on, NULL },
	                               { "--json", NULL, &as_json } };
	static const char *const required[] = { "--patient", NULL };
	int rc = rq_parse(ctx, "representative list", USAGE, opts, 3, NULL, required);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *rows = NULL;
	rc = request_svc_rep_list(s, mrn, on, &rows, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	static const char *const keys[] = { "id", "name", "relation", "decision", "valid_from",
	                                    "valid_until", "ended_at", "valid", "valid_reason", NULL };
	if (as_json)
		cli_print_json(rows);
	else
		rq_print_table(rows, keys, "no personal representatives");
	json_decref(rows);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_representative_list = { "representative", "list", USAGE,
	"list a patient's personal representatives and whether they act", run };
