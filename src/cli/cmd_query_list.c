/*
 * `mrt query list [--open] [--mine] [--account ACC] [--json]`: physician
 * queries (a physician: those sent to them).
 */
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/chartqa_svc.h"

#define USAGE "[--open] [--mine] [--account ACC] [--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return pq_svc_list(s, arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	struct pq_filter f = {0};
	const struct rq_opt opts[] = {{"--json", NULL, &as_json},
				      {"--open", NULL, &f.open},
				      {"--mine", NULL, &f.mine},
				      {"--account", &f.account, NULL}};
	int rc = cli_parse_opts(ctx, "query list", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	static const char *const keys[] = {"id",       "account", "status",	  "format",
					   "asked_by", "to_user", "to_physician", "asked_at",
					   "outcome",  NULL};
	return cli_load_table(ctx, as_json, load, &f, keys, "no physician queries");
}

const struct cli_cmd cli_cmd_query_list = {"query", "list", USAGE, "list physician queries", run};
