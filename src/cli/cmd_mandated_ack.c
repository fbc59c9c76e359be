/*
 * `mrt mandated ack ID [--reference TEXT]`: the agency acknowledged a
 * submitted report.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/mandated_svc.h"

#define USAGE "ID [--reference TEXT]"

static int run(struct cli_ctx *ctx)
{
	const char *idv = NULL, *ref = NULL;
	const struct rq_opt opts[] = { { "--reference", &ref, NULL } };
	int64_t id = 0;
	int rc = rq_parse(ctx, "mandated ack", USAGE, opts, 1, &idv, NULL);
	if (rc || (rc = rq_parse_id(ctx, "mandated ack", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = mandated_svc_acknowledge(s, id, ref, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("mandated report %" PRId64 " acknowledged\n", id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_mandated_ack = { "mandated", "ack", USAGE,
	"record the agency's acknowledgement of a submitted report", run };
