/*
 * `mrt request disagreement ID --statement TEXT`: records the patient's statement of disagreement with a
 * denied amendment, linked to the record (164.526(d)(1)(ii)).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "ID --statement TEXT"

static int run(struct cli_ctx *ctx)
{
	const char *idv = NULL, *text = NULL;
	const struct rq_opt opts[] = { { "--statement", &text, NULL } };
	static const char *const required[] = { "--statement", NULL };
	int64_t id = 0;
	int rc = rq_parse(ctx, "request disagreement", USAGE, opts, 1, &idv, required);
	if (rc || (rc = rq_parse_id(ctx, "request disagreement", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = request_svc_statement(s, id, "disagreement", text, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("request %" PRId64 ": disagreement recorded\n", id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_request_disagreement = { "request", "disagreement", USAGE,
	"record the patient's statement of disagreement with a denied amendment", run };
