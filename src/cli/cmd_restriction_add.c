/*
 * `mrt restriction add --patient MRN --kind health-plan-self-pay|other
 * --recipient TEXT [--items LIST] [--encounter ACCOUNT]
 * [--status requested|agreed|denied] [--note TEXT]` records a patient's
 * request to restrict disclosures (45 CFR 164.522(a)); with
 * `--kind confidential-communication --address TEXT [--phone TEXT]` the
 * patient's request to be reached elsewhere (164.522(b)).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/consent_svc.h"

#define USAGE                                                                                \
	"--patient MRN --kind health-plan-self-pay|other --recipient TEXT [--items LIST] "     \
	"[--encounter ACCOUNT] [--status requested|agreed|denied] [--note TEXT] [--json]\n"    \
	"       --patient MRN --kind confidential-communication --address TEXT [--phone TEXT]"

static int run(struct cli_ctx *ctx)
{
	struct consent_restriction_new n = { 0 };
	int as_json = 0;
	static const char *const opts[] = { "--patient", "--kind", "--recipient", "--items",
		"--encounter", "--status", "--address", "--phone", "--note" };
	const char **slots[] = { &n.mrn, &n.kind, &n.recipient, &n.items, &n.encounter, &n.status,
		&n.address, &n.phone, &n.note };
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "restriction add", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0) {
			as_json = 1;
			continue;
		}
		int r = 0;
		for (size_t k = 0; k < sizeof opts / sizeof opts[0] && r == 0; k++)
			r = cli_arg_value(ctx, &i, opts[k], slots[k]);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0)
			return cli_usage(ctx, "restriction add: unknown argument %s", ctx->argv[i]);
	}
	if (!n.mrn || !n.kind)
		return cli_usage(ctx, "usage: mrt restriction add %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	int64_t id = 0;
	rc = consent_svc_restriction_add(s, &n, &id, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		json_t *o = json_pack("{s:I}", "id", (json_int_t)id);
		cli_print_json(o);
		json_decref(o);
	} else {
		printf("restriction %lld recorded (%s, %s)\n", (long long)id, n.kind,
		       n.status ? n.status : "agreed");
	}
	return CLI_OK;
}

const struct cli_cmd cli_cmd_restriction_add = { "restriction", "add", USAGE,
	"record a patient's restriction on disclosures or confidential-communication request",
	run };
