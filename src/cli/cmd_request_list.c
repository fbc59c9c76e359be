/*
 * `mrt request list [--patient MRN] [--open] [--overdue] [--json]`: patients'
 * access and amendment requests with their deadlines.
 */
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "[--patient MRN] [--open] [--overdue] [--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return request_svc_list(s, arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	struct request_filter q = { 0 };
	int as_json = 0;
	const struct rq_opt opts[] = { { "--patient", &q.mrn, NULL },
	                               { "--open", NULL, &q.open },
	                               { "--overdue", NULL, &q.overdue },
	                               { "--json", NULL, &as_json } };
	int rc = rq_parse(ctx, "request list", USAGE, opts, 4, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	static const char *const keys[] = { "id", "mrn", "kind", "received_date", "due_date",
	                                    "extended", "status", "overdue", NULL };
	return cli_load_table(ctx, as_json, load, &q, keys, "no requests");
}

const struct cli_cmd cli_cmd_request_list = { "request", "list", USAGE,
	"list patients' access and amendment requests (--open, --overdue)", run };
