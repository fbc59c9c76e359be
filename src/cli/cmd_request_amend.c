/*
 * `mrt request amend --patient MRN --received DATE --what TEXT
 * [--encounter ACCOUNT] [--via-representative ID] [--json]`: records a
 * patient's request to amend their record (164.526) with its 60-day
 * deadline.
 */
#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "--patient MRN --received YYYY-MM-DD --what TEXT [--encounter ACCOUNT] " \
	"[--via-representative ID] [--json]"

int rq_request_new_run(struct cli_ctx *ctx, struct request_new *n, const char *rep, int as_json);

static int run(struct cli_ctx *ctx)
{
	struct request_new n = { .kind = "amendment" };
	const char *rep = NULL;
	int as_json = 0;
	const struct rq_opt opts[] = {
		{ "--patient", &n.mrn, NULL }, { "--received", &n.received, NULL },
		{ "--what", &n.what, NULL }, { "--encounter", &n.encounter, NULL },
		{ "--via-representative", &rep, NULL }, { "--json", NULL, &as_json },
	};
	static const char *const required[] = { "--patient", "--received", "--what", NULL };
	int rc = rq_parse(ctx, "request amend", USAGE, opts, 6, NULL, required);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return rq_request_new_run(ctx, &n, rep, as_json);
}

const struct cli_cmd cli_cmd_request_amend = { "request", "amend", USAGE,
	"record a patient's request to amend their record (60 days)", run };
