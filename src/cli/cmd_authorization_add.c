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
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/consent_svc.h"

#define USAGE                                                                                \
	"--patient MRN --recipient TEXT --purpose P --items LIST --expires DATE|EVENT "        \
	"--signed-by NAME --statements-acknowledged [--signed-on DATE] [--discloser TEXT] "    \
	"[--purpose-detail TEXT] [--representative AUTHORITY] [--part2] [--psychotherapy] [--json]"

static int flag(const char *a, struct consent_auth_new *n, int *as_json)
{
	if (strcmp(a, "--part2") == 0)
		n->part2 = 1;
	else if (strcmp(a, "--psychotherapy") == 0)
		n->psychotherapy = 1;
	else if (strcmp(a, "--statements-acknowledged") == 0)
		n->statements_ack = 1;
	else if (strcmp(a, "--json") == 0)
		*as_json = 1;
	else
		return 0;
	return 1;
}

static int parse(struct cli_ctx *ctx, struct consent_auth_new *n, int *as_json)
{
	static const char *const opts[] = { "--patient", "--recipient", "--items", "--expires",
		"--signed-by", "--signed-on", "--discloser", "--purpose-detail", "--representative" };
	const char **slots[] = { &n->mrn, &n->recipient, &n->items, &n->expires, &n->signed_by,
		&n->signed_on, &n->discloser, &n->purpose_detail, &n->representative };
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "authorization add", USAGE))
			return 1;
		if (flag(ctx->argv[i], n, as_json))
			continue;
		int r = 0;
		for (size_t k = 0; k < sizeof opts / sizeof opts[0] && r == 0; k++)
			r = cli_arg_value(ctx, &i, opts[k], slots[k]);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0)
			return cli_usage(ctx, "authorization add: unknown argument %s", ctx->argv[i]);
	}
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
	if (as_json) {
		json_t *o = json_pack("{s:I}", "id", (json_int_t)id);
		cli_print_json(o);
		json_decref(o);
	} else {
		printf("authorization %lld recorded%s\n", (long long)id,
		       n.part2 ? " (42 CFR Part 2 consent)" : "");
	}
	return CLI_OK;
}

const struct cli_cmd cli_cmd_authorization_add = { "authorization", "add", USAGE,
	"record a patient's authorization or Part 2 consent (every required element checked)",
	run };
