/*
 * `mrt query new ACCOUNT --question TEXT [--option TEXT]... [--to NAME]`: a
 * coder's query to the attending (or the physician named) about the
 * documentation of an encounter; refused when leading (see
 * docs/physician-queries.md). Prints the query's id.
 */
#include <stdio.h>
#include <string.h>

#include "chart/phys_query.h"
#include "cli/args.h"
#include "cli/cmd_common.h"
#include "service/chartqa_svc.h"

#define USAGE "ACCOUNT --question TEXT [--option TEXT]... [--to NAME] [--json]"

static int run(struct cli_ctx *ctx)
{
	const char *opts[PQ_MAX_OPTIONS];
	struct pq_new q = {.options = opts};
	int as_json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *v = NULL;
		int r = 0;
		if (cli_arg_help(ctx, i, "query new", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if ((r = cli_arg_value(ctx, &i, "--question", &v)) != 0)
			q.question = v;
		else if ((r = cli_arg_value(ctx, &i, "--to", &v)) != 0)
			q.to = v;
		else if ((r = cli_arg_value(ctx, &i, "--option", &v)) != 0) {
			if (q.n_options == PQ_MAX_OPTIONS - 2)
				return cli_usage(ctx, "query new: at most %d --option",
						 PQ_MAX_OPTIONS - 2);
			opts[q.n_options++] = v;
		} else if (ctx->argv[i][0] != '-' && !q.account)
			q.account = ctx->argv[i];
		else
			return cli_usage(ctx, "query new: unknown argument %s", ctx->argv[i]);
		if (r < 0)
			return CLI_USAGE;
	}
	if (!q.account || !q.question)
		return cli_usage(ctx, "usage: mrt query new %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	int64_t id = 0;
	rc = pq_svc_new(s, &q, &id, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_id_json(id);
	else
		printf("physician query %lld sent\n", (long long)id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_query_new = {"query", "new", USAGE,
					  "ask the attending a compliant documentation query", run};
