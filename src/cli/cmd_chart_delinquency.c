/*
 * `mrt chart delinquency [--from DATE --to DATE | --quarter YYYYQn]
 * [--json]`: the delinquency rate per quarter (delinquent records / average
 * monthly discharges) against The Joint Commission's limit of 50 %.
 */
#include "cli/chartqa_print.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/chartqa_svc.h"

#define USAGE "[--from DATE --to DATE | --quarter YYYYQn] [--json]"

struct args {
	const char *from, *to, *quarter;
};

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	const struct args *a = arg;
	return chartqa_svc_delinquency(s, a->from, a->to, a->quarter, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	struct args a = {0};
	const struct rq_opt opts[] = {{"--json", NULL, &as_json},
				      {"--from", &a.from, NULL},
				      {"--to", &a.to, NULL},
				      {"--quarter", &a.quarter, NULL}};
	int rc = cli_parse_opts(ctx, "chart delinquency", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load, &a, chartqa_print_delinquency);
}

const struct cli_cmd cli_cmd_chart_delinquency = {
    "chart", "delinquency", USAGE, "the delinquent record rate per quarter (limit 50 %)", run};
