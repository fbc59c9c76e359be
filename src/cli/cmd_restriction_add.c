/*
 * `mrt restriction add --patient MRN --kind health-plan-self-pay|other
 * --recipient TEXT [--items LIST] [--encounter ACCOUNT]
 * [--status requested|agreed|denied] [--note TEXT]` records a patient's
 * request to restrict disclosures (45 CFR 164.522(a)); with
 * `--kind confidential-communication --address TEXT [--phone TEXT]` the
 * patient's request to be reached elsewhere (164.522(b)).
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/consent_svc.h"

#define USAGE                                                                                \
	"--patient MRN --kind health-plan-self-pay|other --recipient TEXT [--items LIST] "     \
	"[--encounter ACCOUNT] [--status requested|agreed|denied] [--note TEXT] [--json]\n"    \
	"       --patient MRN --kind confidential-communication --address TEXT [--phone TEXT]"

static int run(struct cli_ctx *ctx)
{
	struct consent_restriction_new n = { 0 };
	int as_json = 0;
	const struct rq_opt opts[] = {
		{ "--json", NULL, &as_json },
		{ "--patient", &n.mrn, NULL },
		{ "--kind", &n.kind, NULL },
		{ "--recipient", &n.recipient, NULL },
		{ "--items", &n.items, NULL },
		{ "--encounter", &n.encounter, NULL },
		{ "--status", &n.status, NULL },
		{ "--address", &n.address, NULL },
		{ "--phone", &n.phone, NULL },
		{ "--note", &n.note, NULL },
	};
	int rc = cli_parse_opts(ctx, "restriction add", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	if (!n.mrn || !n.kind)
		return cli_usage(ctx, "usage: mrt restriction add %s", USAGE);
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	int64_t id = 0;
	rc = consent_svc_restriction_add(s, &n, &id, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_id_json(id);
	else
		printf("restriction %lld recorded (%s, %s)\n", (long long)id, n.kind,
		       n.status ? n.status : "agreed");
	return CLI_OK;
}

const struct cli_cmd cli_cmd_restriction_add = { "restriction", "add", USAGE,
	"record a patient's restriction on disclosures or confidential-communication request",
	run };
