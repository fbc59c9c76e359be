/*
 * `mrt [--purpose P] disclose new --patient MRN --recipient TEXT
 * [--recipient-address TEXT] --legal-basis TEXT --items LIST [--kind K]
 * [--authorization ID] [--encounter ACCOUNT] [--format text|fhir]
 * [--out FILE] [--json]`: records a release of information with the
 * packet of the chosen items. The purpose is the purpose of use
 * (--purpose, before or after the command words).
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/disclose_svc.h"

#define USAGE                                                                                 \
	"--patient MRN --recipient TEXT --purpose P --items LIST [--legal-basis TEXT] "         \
	"[--recipient-address TEXT] [--kind KIND] [--authorization ID] [--encounter ACCOUNT] "  \
	"[--format text|fhir] [--out FILE] [--json]\n"                                          \
	"  items (minimum necessary, no default): demographics,encounters,diagnoses,procedures,"\
	"documents,labels"

static int parse(struct cli_ctx *ctx, struct disclose_new *n, int *as_json)
{
	static const char *const opts[] = { "--patient", "--recipient", "--recipient-address",
		"--legal-basis", "--items", "--kind", "--authorization", "--encounter", "--format",
		"--out" };
	const char *auth = NULL;
	const char **slots[] = { &n->mrn, &n->recipient, &n->recipient_address, &n->legal_basis,
		&n->items, &n->kind, &auth, &n->encounter, &n->format, &n->out_path };
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "disclose new", USAGE))
			return 1;
		if (strcmp(ctx->argv[i], "--json") == 0) {
			*as_json = 1;
			continue;
		}
		int r = 0;
		for (size_t k = 0; k < sizeof opts / sizeof opts[0] && r == 0; k++)
			r = cli_arg_value(ctx, &i, opts[k], slots[k]);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0)
			return cli_usage(ctx, "disclose new: unknown argument %s", ctx->argv[i]);
	}
	if (!n->mrn || !n->recipient)
		return cli_usage(ctx, "usage: mrt disclose new %s", USAGE);
	if (auth && (mrt_parse_i64(&n->authorization_id, auth) != 0 || n->authorization_id <= 0))
		return cli_usage(ctx, "disclose new: --authorization needs an authorization id");
	n->purpose = ctx->purpose;
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	struct disclose_new n = { 0 };
	int as_json = 0;
	int rc = parse(ctx, &n, &as_json);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	int64_t id = 0;
	json_t *shown = NULL;
	rc = disclose_svc_new(s, &n, &id, &err);
	if (rc == 0)
		rc = disclose_svc_show(s, id, &shown, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		cli_print_json(shown);
	} else {
		json_t *o = json_object_get(shown, "override_restriction_id");
		printf("disclosure %lld recorded: %s, %lld bytes, sha256 %s\n", (long long)id,
		       json_string_value(json_object_get(shown, "packet_format")),
		       (long long)json_integer_value(json_object_get(shown, "packet_bytes")),
		       json_string_value(json_object_get(shown, "packet_sha256")));
		if (json_is_integer(o))
			printf("restriction %lld overridden: %s (recorded on the disclosure)\n",
			       (long long)json_integer_value(o), n.purpose);
		if (json_integer_value(json_object_get(shown, "part2_notice")))
			printf("the packet carries the 42 CFR 2.32 redisclosure notice\n");
		if (json_integer_value(json_object_get(shown, "withheld")))
			printf("%lld psychotherapy note(s) withheld (no authorization covers them)\n",
			       (long long)json_integer_value(json_object_get(shown, "withheld")));
		if (n.out_path)
			printf("packet written to %s\n", n.out_path);
	}
	json_decref(shown);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_disclose_new = { "disclose", "new", USAGE,
	"record a release of information with its packet", run };
