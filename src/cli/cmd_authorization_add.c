/*
 * `mrt [--purpose P] authorization add --patient MRN --recipient TEXT
 * --purpose P --items LIST --expires DATE|EVENT --signed-by NAME
 * [--signed-on DATE] [--discloser TEXT] [--purpose-detail TEXT]
 * [--representative AUTHORITY] [--part2] [--psychotherapy]
 * --statements-acknowledged [--json]`: records a patient's authorization
 * (45 CFR 164.508) or 42 CFR Part 2 consent once every required element
 * is there; a refused form lists what is missing.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/consent_svc.h"

#define USAGE                                                                                \
	"--patient MRN --recipient TEXT --purpose P --items LIST --expires DATE|EVENT "        \
	"--signed-by NAME --statements-acknowledged [--signed-on DATE] [--discloser TEXT] "    \
	"[--purpose-detail TEXT] [--representative AUTHORITY] [--part2] [--psychotherapy] [--json]"

static int parse(struct cli_ctx *ctx, struct consent_auth_new *n, int *as_json)
{
	const struct rq_opt opts[] = {
		{ "--part2", NULL, &n->part2 },
		{ "--psychotherapy", NULL, &n->psychotherapy },
		{ "--statements-acknowledged", NULL, &n->statements_ack },
		{ "--json", NULL, as_json },
		{ "--patient", &n->mrn, NULL },
		{ "--recipient", &n->recipient, NULL },
		{ "--items", &n->items, NULL },
		{ "--expires", &n->expires, NULL },
		{ "--signed-by", &n->signed_by, NULL },
		{ "--signed-on", &n->signed_on, NULL },
		{ "--discloser", &n->discloser, NULL },
		{ "--purpose-detail", &n->purpose_detail, NULL },
		{ "--representative", &n->representative, NULL },
	};
	int rc = cli_parse_opts(ctx, "authorization add", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc;
	if (!n->mrn)
		return cli_usage(ctx, "usage: mrt authorization add %s", USAGE);
	n->purpose = ctx->purpose;
	n->by_representative = n->representative != NULL;
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	struct consent_auth_new n = { 0 };
	int as_json = 0;
	int rc = parse(ctx, &n, &as_json);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	int64_t id = 0;
	json_t *missing = NULL;
	rc = consent_svc_auth_add(s, &n, &id, &missing, &err);
	mrt_session_close(s);
	if (rc) {
		size_t i;
		json_t *m;
		json_array_foreach(missing, i, m)
			fprintf(stderr, "missing: %s\n", json_string_value(m));
		json_decref(missing);
		return cli_fail(&err);
	}
	if (as_json)
		cli_print_id_json(id);
	else
		printf("authorization %lld recorded%s\n", (long long)id,
		       n.part2 ? " (42 CFR Part 2 consent)" : "");
	return CLI_OK;
}

const struct cli_cmd cli_cmd_authorization_add = { "authorization", "add", USAGE,
	"record a patient's authorization or Part 2 consent (every required element checked)",
	run };
