/*
 * `mrt request accept ID [--note TEXT]`: accepts an amendment request: the amendment (--note,
 * default the text the patient asked for) is linked to the record (164.526(c)).
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "ID [--note TEXT]"

static int run(struct cli_ctx *ctx)
{
	const char *idv = NULL;
	const char *note = NULL;
	const struct rq_opt opts[] = { { "--note", &note, NULL } };
	int64_t id = 0;
	int rc = rq_parse(ctx, "request accept", USAGE, opts, 1, &idv, NULL);
	if (rc || (rc = rq_parse_id(ctx, "request accept", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = request_svc_close(s, id, "accept", NULL, -1, note, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("request %" PRId64 " accepted\n", id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_request_accept = { "request", "accept", USAGE,
	"accept an amendment: the amendment is linked to the record", run };
