/*
 * `mrt audit verify [--json] [--export FILE]`: checks the audit chain
 * against the key and the anchor file or, with --export, a sealed export
 * (`mrt audit export --before`) against the key. Exit 0 when intact; 1
 * naming the first broken row.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/audit_svc.h"

#define USAGE "[--json] [--export FILE]"

static void print_json(const struct audit_verify_result *r)
{
	json_t *o = json_pack("{s:b, s:I, s:I, s:I, s:I, s:s}", "intact", r->intact,
	                      "events", (json_int_t)r->events, "anchored", (json_int_t)r->anchored,
	                      "unanchored", (json_int_t)r->unanchored, "head_id",
	                      (json_int_t)r->head_id, "head_mac", r->head_mac);
	if (!r->intact) {
		json_object_set_new(o, "broken_id", r->broken_id ? json_integer(r->broken_id) : json_null());
		json_object_set_new(o, "problem", json_string(r->problem));
	}
	cli_print_json(o);
	json_decref(o);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *export = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		int r;
		if (cli_arg_help(ctx, i, "audit verify", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if ((r = cli_arg_value(ctx, &i, "--export", &export)) != 0) {
			if (r < 0)
				return CLI_USAGE;
		} else
			return cli_usage(ctx, "audit verify: unknown argument %s", ctx->argv[i]);
	}
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	struct audit_verify_result r;
	rc = export ? audit_svc_verify_export(s, export, &r, &err) : audit_svc_verify(s, &r, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		print_json(&r);
	if (!r.intact) {
		fprintf(stderr, "mrt: audit %s BROKEN: %s\n", export ? "export" : "chain", r.problem);
		return CLI_FAIL;
	}
	if (!as_json && export) {
		printf("audit export intact: %" PRId64 " events, sealed, head %" PRId64 " %s\n", r.events,
		       r.head_id, r.head_mac);
	} else if (!as_json) {
		printf("audit chain intact: %" PRId64 " events, head %" PRId64 " %s\n", r.events,
		       r.head_id, r.head_mac);
		if (r.unanchored)
			printf("(%" PRId64 " newest events not yet in the anchor file)\n", r.unanchored);
	}
	return CLI_OK;
}

const struct cli_cmd cli_cmd_audit_verify = { "audit", "verify", USAGE,
	"check the audit trail's hash chain against its key and anchor", run };
