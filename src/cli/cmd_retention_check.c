/*
 * `mrt retention check MRN [--json]`: whether the patient's record may be
 * purged now (retention run out, no open encounter, no active legal hold)
 * and why not. Exit 0 either way; the answer is in may_purge.
 */
#include "cli/cmd_request_args.h"
#include "service/retention_svc.h"

#define USAGE "MRN [--json]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *mrn = NULL;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json } };
	int rc = rq_parse(ctx, "retention check", USAGE, opts, 1, &mrn, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *o = NULL;
	rc = retention_svc_check(s, mrn, &o, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(o);
	else
		rq_print_object(o);
	json_decref(o);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_retention_check = { "retention", "check", USAGE,
	"may this record be purged? (retention and legal holds)", run };
