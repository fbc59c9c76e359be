/*
 * `mrt mandated sweep`: puts every overdue open mandated report in the
 * privacy officer's queue (once per report); for a daily job.
 */
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/mandated_svc.h"

#define USAGE ""

static int run(struct cli_ctx *ctx)
{
	int rc = rq_parse(ctx, "mandated sweep", USAGE, NULL, 0, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	int added = 0;
	rc = mandated_svc_sweep(s, &added, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("%d overdue mandated report(s) put in the privacy officer's queue\n", added);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_mandated_sweep = { "mandated", "sweep", USAGE,
	"queue overdue mandated reports for the privacy officer (privacy officer)", run };
