/*
 * `mrt hold release ID --reason TEXT`: releases a legal hold (kept, with
 * who released it, when and why).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/retention_svc.h"

#define USAGE "ID --reason TEXT"

static int run(struct cli_ctx *ctx)
{
	const char *idv = NULL, *reason = NULL;
	const struct rq_opt opts[] = { { "--reason", &reason, NULL } };
	static const char *const required[] = { "--reason", NULL };
	int64_t id = 0;
	int rc = rq_parse(ctx, "hold release", USAGE, opts, 1, &idv, required);
	if (rc || (rc = rq_parse_id(ctx, "hold release", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = retention_svc_hold_release(s, id, reason, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("legal hold %" PRId64 " released\n", id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_hold_release = { "hold", "release", USAGE,
	"release a legal hold, with the reason", run };
