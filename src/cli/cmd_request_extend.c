/*
 * `mrt request extend ID --reason TEXT`: the one 30-day extension of a
 * request, with the written reason given to the patient.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "ID --reason TEXT"

static int run(struct cli_ctx *ctx)
{
	const char *idv = NULL, *reason = NULL;
	const struct rq_opt opts[] = { { "--reason", &reason, NULL } };
	static const char *const required[] = { "--reason", NULL };
	int64_t id = 0;
	int rc = rq_parse(ctx, "request extend", USAGE, opts, 1, &idv, required);
	if (rc || (rc = rq_parse_id(ctx, "request extend", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	char due[11] = "";
	rc = request_svc_extend(s, id, reason, due, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("request %" PRId64 " extended, now due %s\n", id, due);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_request_extend = { "request", "extend", USAGE,
	"extend a request's deadline once by 30 days, with the reason", run };
