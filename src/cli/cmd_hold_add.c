/*
 * `mrt hold add --patient MRN --matter TEXT [--until DATE]`: places a legal
 * hold on a patient's record; while active it stops any purge.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/retention_svc.h"

#define USAGE "--patient MRN --matter TEXT [--until YYYY-MM-DD]"

static int run(struct cli_ctx *ctx)
{
	const char *mrn = NULL, *matter = NULL, *until = NULL;
	const struct rq_opt opts[] = { { "--patient", &mrn, NULL }, { "--matter", &matter, NULL },
	                               { "--until", &until, NULL } };
	static const char *const required[] = { "--patient", "--matter", NULL };
	int rc = rq_parse(ctx, "hold add", USAGE, opts, 3, NULL, required);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	int64_t id = 0;
	rc = retention_svc_hold_add(s, mrn, matter, until, &id, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("legal hold %" PRId64 " placed\n", id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_hold_add = { "hold", "add", USAGE,
	"place a legal hold on a patient's record", run };
