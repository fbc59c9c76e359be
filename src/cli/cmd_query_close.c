/*
 * `mrt query close ID`: the coder closes an answered query; the coding in
 * force now is linked as the result (a code change, or no change).
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/chartqa_svc.h"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	const char *outcome = NULL;
	int rc = pq_svc_close(s, a->id, &outcome, err);
	if (rc == 0)
		snprintf(a->out, sizeof a->out, "%s", outcome);
	return rc;
}

static void done(const struct cli_id_args *a)
{
	printf("physician query %lld closed: %s\n", (long long)a->id, a->out);
}

static const struct cli_id_cmd cmd = {
    .name = "query close", .usage = "ID", .act = act, .done = done};

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_query_close = {
    "query", "close", "ID", "close an answered physician query with its code change", run};
