/*
 * `mrt coding dnfc [--coder NAME] [--as-of DATE] [--from DATE] [--json]`:
 * discharged-not-final-coded encounters with days since discharge per
 * coder and overall, oldest first, and the days from discharge to final
 * coding of the encounters finalised from --from (default: the 30 days
 * ending on the as-of date).
 */
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "cli/coding_print.h"
#include "service/coding_audit_svc.h"

#define NAME "coding dnfc"
#define USAGE "[--coder NAME] [--as-of DATE] [--from DATE] [--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return caudit_svc_dnfc(s, arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	struct caudit_dnfc_req r = {0};
	int as_json = 0;
	const struct rq_opt opts[] = {
	    {"--coder", &r.coder, NULL},
	    {"--as-of", &r.as_of, NULL},
	    {"--from", &r.from, NULL},
	    {"--json", NULL, &as_json},
	};
	int rc = rq_parse(ctx, NAME, USAGE, opts, CLI_NOPTS(opts), NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load, &r, coding_print_dnfc);
}

const struct cli_cmd cli_cmd_coding_dnfc = {
    "coding", "dnfc", USAGE, "discharged-not-final-coded encounters and coding turnaround", run};
