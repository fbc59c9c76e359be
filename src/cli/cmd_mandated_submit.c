/*
 * `mrt mandated submit ID [--out FILE] [--format text|fhir]`: sends a
 * mandated report: records the disclosure (so it is in the patient's
 * accounting) with its packet, and marks the report submitted.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/mandated_svc.h"

#define USAGE "ID [--out FILE] [--format text|fhir]"

static int run(struct cli_ctx *ctx)
{
	const char *idv = NULL, *out = NULL, *format = NULL;
	const struct rq_opt opts[] = { { "--out", &out, NULL }, { "--format", &format, NULL } };
	int64_t id = 0, disclosure = 0;
	int rc = rq_parse(ctx, "mandated submit", USAGE, opts, 2, &idv, NULL);
	if (rc || (rc = rq_parse_id(ctx, "mandated submit", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = mandated_svc_submit(s, id, out, format, &disclosure, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("mandated report %" PRId64 " submitted: disclosure %" PRId64 "\n", id, disclosure);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_mandated_submit = { "mandated", "submit", USAGE,
	"submit a mandated report (recorded as a disclosure)", run };
