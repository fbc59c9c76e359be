/*
 * `mrt audit export --fhir [--from DATE] [--to DATE] [--patient MRN] --out
 * FILE.ndjson`: the audit events as FHIR R4 AuditEvent resources, one per
 * line. `mrt audit export --before DATE --out FILE`: a sealed copy of every
 * row before DATE for off-site retention, checked by `mrt audit verify
 * --export FILE`; the rows stay in the database. Needs privacy_officer,
 * auditor or admin; each export is recorded and audited. The file is
 * never overwritten.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/audit_svc.h"

#define USAGE                                                                                      \
	"--fhir [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--patient MRN] --out FILE.ndjson"           \
	" | --before YYYY-MM-DD --out FILE [--json]"

struct opts {
	int fhir, as_json;
	const char *before, *out;
	struct audit_fhir_filter f;
};

static int value(struct cli_ctx *ctx, int *i, const char *opt, const char **v, int *r)
{
	*r = cli_arg_value(ctx, i, opt, v);
	return *r != 0;
}

static int parse(struct cli_ctx *ctx, struct opts *o)
{
	for (int i = 1; i < ctx->argc; i++) {
		int r = 0;
		if (cli_arg_help(ctx, i, "audit export", USAGE))
			return 1;
		if (strcmp(ctx->argv[i], "--fhir") == 0)
			o->fhir = 1;
		else if (strcmp(ctx->argv[i], "--json") == 0)
			o->as_json = 1;
		else if (value(ctx, &i, "--from", &o->f.from, &r) ||
			 value(ctx, &i, "--to", &o->f.to, &r) ||
			 value(ctx, &i, "--patient", &o->f.mrn, &r) ||
			 value(ctx, &i, "--before", &o->before, &r) ||
			 value(ctx, &i, "--out", &o->out, &r)) {
			if (r < 0)
				return CLI_USAGE;
		} else {
			return cli_usage(ctx, "audit export: unknown argument %s", ctx->argv[i]);
		}
	}
	if (o->fhir == !!o->before)
		return cli_usage(ctx, "audit export: give one of --fhir or --before DATE");
	if (o->before && (o->f.from || o->f.to || o->f.mrn))
		return cli_usage(ctx, "audit export: --from, --to and --patient go with --fhir");
	if (!o->out || !*o->out)
		return cli_usage(ctx, "audit export: --out FILE is required");
	return 0;
}

static void print(const struct opts *o, const struct audit_export_result *r)
{
	if (o->as_json) {
		json_t *j = json_pack(
		    "{s:s, s:s, s:I, s:I, s:I, s:s}", "kind", o->fhir ? "fhir" : "sealed", "file",
		    o->out, "events", (json_int_t)r->events, "first_id", (json_int_t)r->first_id,
		    "last_id", (json_int_t)r->last_id, "body_sha256", r->body_sha256);
		if (!o->fhir) {
			json_object_set_new(j, "last_mac", json_string(r->last_mac));
			json_object_set_new(j, "seal", json_string(r->seal));
		}
		cli_print_json(j);
		json_decref(j);
	} else if (o->fhir) {
		printf("%s: %" PRId64 " AuditEvent resources\n", o->out, r->events);
	} else {
		printf("%s: sealed %" PRId64 " audit rows (%" PRId64 "..%" PRId64 ") before %s\n"
		       "sha256 %s\nseal   %s\n",
		       o->out, r->events, r->first_id, r->last_id, o->before, r->body_sha256,
		       r->seal);
	}
}

static int run(struct cli_ctx *ctx)
{
	struct opts o = {0};
	int rc = parse(ctx, &o);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = {0};
	struct audit_export_result r;
	if (o.fhir)
		rc = audit_svc_export_fhir(s, &o.f, o.out, &r, &err);
	else
		rc = audit_svc_export_sealed(s, o.before, o.out, &r, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	print(&o, &r);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_audit_export = {
    "audit", "export", USAGE,
    "export the audit trail as FHIR AuditEvent NDJSON, or a sealed copy for retention", run};
