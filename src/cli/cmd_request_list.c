/*
 * `mrt request list [--patient MRN] [--open] [--overdue] [--json]`: patients'
 * access and amendment requests with their deadlines.
 */
#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "[--patient MRN] [--open] [--overdue] [--json]"

static int run(struct cli_ctx *ctx)
{
	struct request_filter f = { 0 };
	int as_json = 0;
	const struct rq_opt opts[] = { { "--patient", &f.mrn, NULL }, { "--open", NULL, &f.open },
	                               { "--overdue", NULL, &f.overdue }, { "--json", NULL, &as_json } };
	int rc = rq_parse(ctx, "request list", USAGE, opts, 4, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *rows = NULL;
	rc = request_svc_list(s, &f, &rows, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	static const char *const keys[] = { "id", "mrn", "kind", "received_date", "due_date",
	                                    "extended", "status", "overdue", NULL };
	if (as_json)
		cli_print_json(rows);
	else
		rq_print_table(rows, keys, "no requests");
	json_decref(rows);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_request_list = { "request", "list", USAGE,
	"list patients' access and amendment requests (--open, --overdue)", run };
