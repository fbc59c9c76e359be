/*
 * `mrt disclose suspend --patient MRN --agency TEXT --until DATE [--oral]
 * [--statement TEXT]`: a health oversight agency or law enforcement
 * official asks that its disclosures be left out of the patient's
 * accounting until a date (45 CFR 164.528(a)(2)); an oral request lasts
 * at most 30 days.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/disclose_svc.h"

#define USAGE "--patient MRN --agency TEXT --until YYYY-MM-DD [--oral] [--statement TEXT]"

static int run(struct cli_ctx *ctx)
{
	struct disclose_suspend r = { 0 };
	static const char *const opts[] = { "--patient", "--agency", "--until", "--statement" };
	const char **slots[] = { &r.mrn, &r.agency, &r.until, &r.statement };
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "disclose suspend", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--oral") == 0) {
			r.oral = 1;
			continue;
		}
		int k = 0;
		for (size_t j = 0; j < sizeof opts / sizeof opts[0] && k == 0; j++)
			k = cli_arg_value(ctx, &i, opts[j], slots[j]);
		if (k < 0)
			return CLI_USAGE;
		if (k == 0)
			return cli_usage(ctx, "disclose suspend: unknown argument %s", ctx->argv[i]);
	}
	if (!r.mrn || !r.agency || !r.until)
		return cli_usage(ctx, "usage: mrt disclose suspend %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
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
