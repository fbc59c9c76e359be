/*
 * `mrt query show ID [--json]`: one physician query with its options, its
 * answer and the coding before and after it.
 */
#include "cli/chartqa_print.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/chartqa_svc.h"

#define USAGE "ID [--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return pq_svc_show(s, *(const int64_t *)arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *idv = NULL;
	const struct rq_opt opts[] = {{"--json", NULL, &as_json}};
	int rc = rq_parse(ctx, "query show", USAGE, opts, 1, &idv, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	int64_t id = 0;
	if ((rc = rq_parse_id(ctx, "query show", idv, &id)) != 0)
		return rc;
	return cli_load_print(ctx, as_json, load, &id, chartqa_print_query);
}

const struct cli_cmd cli_cmd_query_show = {
    "query", "show", USAGE, "show a physician query, its answer and code change", run};
