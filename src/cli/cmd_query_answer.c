/*
 * `mrt query answer ID (--choice N | --text TEXT)`: the physician a query
 * was sent to answers it (an "other" choice with --text as well).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/chartqa_svc.h"

#define USAGE "ID (--choice N | --text TEXT)"

static int run(struct cli_ctx *ctx)
{
	const char *idv = NULL, *choice = NULL, *text = NULL;
	const struct rq_opt opts[] = {{"--choice", &choice, NULL}, {"--text", &text, NULL}};
	int rc = rq_parse(ctx, "query answer", USAGE, opts, 2, &idv, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	int64_t id = 0;
	if ((rc = rq_parse_id(ctx, "query answer", idv, &id)) != 0)
		return rc;
	int n = 0;
	if (choice) {
		char *end = NULL;
		long v = strtol(choice, &end, 10);
		if (!*choice || *end || v < 1 || v > 100)
			return cli_usage(ctx, "query answer: --choice: an option number");
		n = (int)v;
	}
	if (!choice && !text)
		return cli_usage(ctx, "usage: mrt query answer %s", USAGE);
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = {0};
	rc = pq_svc_answer(s, id, n, text, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("physician query %lld answered\n", (long long)id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_query_answer = {"query", "answer", USAGE,
					     "answer a physician query sent to you", run};
