/*
 * `mrt [--purpose P] disclose new --patient MRN --recipient TEXT
 * [--recipient-address TEXT] --legal-basis TEXT --items LIST [--kind K]
 * [--authorization ID] [--encounter ACCOUNT] [--format text|fhir]
 * [--out FILE] [--json]`: records a release of information with the
 * packet of the chosen items. The purpose is the purpose of use
 * (--purpose, before or after the command words).
 */
#include <stdio.h>

#include "base/str.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/disclose_svc.h"

#define USAGE                                                                                 \
	"--patient MRN --recipient TEXT --purpose P --items LIST [--legal-basis TEXT] "         \
	"[--recipient-address TEXT] [--kind KIND] [--authorization ID] [--encounter ACCOUNT] "  \
	"[--format text|fhir] [--out FILE] [--json]\n"                                          \
	"  items (minimum necessary, no default): demographics,encounters,diagnoses,procedures,"\
	"documents,labels"

static int parse(struct cli_ctx *ctx, struct disclose_new *n, int *as_json)
{
	const char *auth = NULL;
	const struct rq_opt opts[] = {
		{ "--json", NULL, as_json },
		{ "--patient", &n->mrn, NULL },
		{ "--recipient", &n->recipient, NULL },
		{ "--recipient-address", &n->recipient_address, NULL },
		{ "--legal-basis", &n->legal_basis, NULL },
		{ "--items", &n->items, NULL },
		{ "--kind", &n->kind, NULL },
		{ "--authorization", &auth, NULL },
		{ "--encounter", &n->encounter, NULL },
		{ "--format", &n->format, NULL },
		{ "--out", &n->out_path, NULL },
	};
	int rc = cli_parse_opts(ctx, "disclose new", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc;
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
