/*
 * `mrt disclose suspend --patient MRN --agency TEXT --until DATE [--oral]
 * [--statement TEXT]`: a health oversight agency or law enforcement
 * official asks that its disclosures be left out of the patient's
 * accounting until a date (45 CFR 164.528(a)(2)); an oral request lasts
 * at most 30 days.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/disclose_svc.h"

#define USAGE "--patient MRN --agency TEXT --until YYYY-MM-DD [--oral] [--statement TEXT]"

static int run(struct cli_ctx *ctx)
{
	struct disclose_suspend r = { 0 };
	const struct rq_opt opts[] = {
		{ "--oral", NULL, &r.oral },
		{ "--patient", &r.mrn, NULL },
		{ "--agency", &r.agency, NULL },
		{ "--until", &r.until, NULL },
		{ "--statement", &r.statement, NULL },
	};
	int rc = cli_parse_opts(ctx, "disclose suspend", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	if (!r.mrn || !r.agency || !r.until)
		return cli_usage(ctx, "usage: mrt disclose suspend %s", USAGE);
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	int64_t id = 0;
	rc = disclose_svc_suspend(s, &r, &id, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("suspension %lld recorded: the agency's disclosures are left out of the accounting "
	       "until %s\n", (long long)id, r.until);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_disclose_suspend = { "disclose", "suspend", USAGE,
	"suspend an agency's entries in a patient's accounting until a date", run };
