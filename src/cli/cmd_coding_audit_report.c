/*
 * `mrt coding-audit report [--coder NAME] [--from DATE --to DATE]
 * [--release VERSION] [--json]`: agreement per coder between the audited
 * codings and the reviewers' blind codings (principal diagnosis, all
 * diagnoses, procedures, MCE edits), with every disagreement listed.
 */
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "cli/coding_print.h"
#include "service/coding_audit_svc.h"

#define NAME "coding-audit report"
#define USAGE "[--coder NAME] [--from DATE --to DATE] [--release VERSION] [--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return caudit_svc_report(s, arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	struct caudit_report_req r = {0};
	int as_json = 0;
	const struct rq_opt opts[] = {
	    {"--coder", &r.coder, NULL},     {"--from", &r.from, NULL},	 {"--to", &r.to, NULL},
	    {"--release", &r.release, NULL}, {"--json", NULL, &as_json},
	};
	int rc = rq_parse(ctx, NAME, USAGE, opts, CLI_NOPTS(opts), NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load, &r, coding_print_report);
}

const struct cli_cmd cli_cmd_coding_audit_report = {
    "coding-audit", "report", USAGE,
    "coding agreement per coder from blind reviews, disagreements listed", run};
