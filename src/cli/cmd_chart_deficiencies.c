/*
 * `mrt chart deficiencies [--mine] [--physician NAME] [--status
 * open|closed|all] [--json]`: chart deficiencies with the delinquent count
 * (a physician: their own).
 */
#include "cli/chartqa_print.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/chartqa_svc.h"

#define USAGE "[--mine] [--physician NAME] [--status open|closed|all] [--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return chartqa_svc_deficiencies(s, arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	struct chartqa_filter f = {0};
	const struct rq_opt opts[] = {{"--json", NULL, &as_json},
				      {"--mine", NULL, &f.mine},
				      {"--physician", &f.physician, NULL},
				      {"--status", &f.status, NULL}};
	int rc = cli_parse_opts(ctx, "chart deficiencies", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load, &f, chartqa_print_deficiencies);
}

const struct cli_cmd cli_cmd_chart_deficiencies = {
    "chart", "deficiencies", USAGE, "list chart deficiencies and the delinquent count", run};
