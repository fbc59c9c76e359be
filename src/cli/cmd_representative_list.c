/*
 * `mrt representative list --patient MRN [--on DATE] [--json]`: a patient's
 * personal representatives, each with whether they act on that day (today
 * by default) and why.
 */
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "--patient MRN [--on YYYY-MM-DD] [--json]"

struct query {
	const char *mrn, *on;
};

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	const struct query *q = arg;
	return request_svc_rep_list(s, q->mrn, q->on, out, err);
}

static int run(struct cli_ctx *ctx)
{
	struct query q = { 0 };
	int as_json = 0;
	const struct rq_opt opts[] = { { "--patient", &q.mrn, NULL }, { "--on", &q.on, NULL },
	                               { "--json", NULL, &as_json } };
	static const char *const required[] = { "--patient", NULL };
	int rc = rq_parse(ctx, "representative list", USAGE, opts, 3, NULL, required);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	static const char *const keys[] = { "id", "name", "relation", "decision", "valid_from",
	                                    "valid_until", "ended_at", "valid", "valid_reason", NULL };
	return cli_load_table(ctx, as_json, load, &q, keys, "no personal representatives");
}

const struct cli_cmd cli_cmd_representative_list = { "representative", "list", USAGE,
	"list a patient's personal representatives and whether they act", run };
