/*
 * `mrt request rebuttal ID --statement TEXT`: records the entity's rebuttal of the patient's statement
 * of disagreement, linked to the record (164.526(d)(3)).
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
	int rc = rq_parse(ctx, "request rebuttal", USAGE, opts, 1, &idv, required);
	if (rc || (rc = rq_parse_id(ctx, "request rebuttal", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = request_svc_statement(s, id, "rebuttal", text, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("request %" PRId64 ": rebuttal recorded\n", id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_request_rebuttal = { "request", "rebuttal", USAGE,
	"record the rebuttal of a statement of disagreement", run };
