/*
 * `mrt request complete ID`: an access request was answered: access given (a copy in the form asked
 * for, or inspection).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "ID"

static int run(struct cli_ctx *ctx)
{
	const char *idv = NULL;
	int64_t id = 0;
	int rc = rq_parse(ctx, "request complete", USAGE, NULL, 0, &idv, NULL);
	if (rc || (rc = rq_parse_id(ctx, "request complete", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = request_svc_close(s, id, "complete", NULL, -1, NULL, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("request %" PRId64 " completed\n", id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_request_complete = { "request", "complete", USAGE,
	"close an access request: access given", run };
