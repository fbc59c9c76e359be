/*
 * `mrt chart analyze [--account ACC | --from DATE --to DATE] [--json]`: the
 * chart deficiency analysis of stored encounters (discharge dates from/to),
 * each new deficiency a work item for its physician, fixed ones closed.
 */
#include "cli/chartqa_print.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/chartqa_svc.h"

#define USAGE "[--account ACC | --from DATE --to DATE] [--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return chartqa_svc_analyze(s, arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	struct chartqa_scope sc = {0};
	const struct rq_opt opts[] = {{"--json", NULL, &as_json},
				      {"--account", &sc.account, NULL},
				      {"--from", &sc.from, NULL},
				      {"--to", &sc.to, NULL}};
	int rc = cli_parse_opts(ctx, "chart analyze", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load, &sc, chartqa_print_deficiencies);
}

const struct cli_cmd cli_cmd_chart_analyze = {
    "chart", "analyze", USAGE, "find missing and unsigned documents, route each to its physician",
    run};
