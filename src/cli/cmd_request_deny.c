/*
 * `mrt request deny ID --reason TEXT [--reviewable yes|no]`: denies a request with its reason; an access
 * denial says whether its ground is reviewable (164.524(a)(3)) or not ((a)(2)).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "ID --reason TEXT [--reviewable yes|no]"

static int run(struct cli_ctx *ctx)
{
	const char *idv = NULL;
	const char *reason = NULL, *reviewable = NULL;
	const struct rq_opt opts[] = { { "--reason", &reason, NULL },
	                               { "--reviewable", &reviewable, NULL } };
	static const char *const required[] = { "--reason", NULL };
	int64_t id = 0;
	int rc = rq_parse(ctx, "request deny", USAGE, opts, 2, &idv, required);
	if (rc || (rc = rq_parse_id(ctx, "request deny", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	int rv = rq_yes_no(reviewable);
	if (rv == -2)
		return cli_usage(ctx, "request deny: --reviewable must be yes or no");
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = request_svc_close(s, id, "deny", reason, rv, NULL, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("request %" PRId64 " denied\n", id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_request_deny = { "request", "deny", USAGE,
	"deny a request with its reason (access: --reviewable yes|no)", run };
