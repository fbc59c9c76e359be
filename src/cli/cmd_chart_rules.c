/*
 * `mrt chart rules [--json]`: the required-document rules per encounter
 * class and the procedures that need an operative report.
 */
#include "cli/chartqa_print.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/chartqa_svc.h"

#define USAGE "[--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	(void)arg;
	return chartqa_svc_rules(s, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const struct rq_opt opts[] = {{"--json", NULL, &as_json}};
	int rc = cli_parse_opts(ctx, "chart rules", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load, NULL, chartqa_print_rules);
}

const struct cli_cmd cli_cmd_chart_rules = {"chart", "rules", USAGE,
					    "show the chart deficiency rules", run};
