/*
 * `mrt audit log [--json] [--limit N] [--patient ID] [--since DATE]`: the
 * audit events, newest first: who, on whose behalf, action, object,
 * patient, when, purpose, outcome. Needs privacy_officer, auditor or admin; the
 * reading is itself audited.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/audit_svc.h"

#define USAGE "[--json] [--limit N] [--patient ID] [--since YYYY-MM-DD]"

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int add_json(void *ctx, const struct audit_event *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "at", jstr(e->at));
	json_object_set_new(o, "actor", jstr(e->actor));
	json_object_set_new(o, "on_behalf_of", jstr(e->on_behalf_of));
	json_object_set_new(o, "role", jstr(e->role));
	json_object_set_new(o, "action", jstr(e->action));
	json_object_set_new(o, "object_type", jstr(e->object_type));
	json_object_set_new(o, "object_id", jstr(e->object_id));
	json_object_set_new(o, "patient_id", e->patient_id ? json_integer(e->patient_id) : json_null());
	json_object_set_new(o, "purpose", jstr(e->purpose));
	json_object_set_new(o, "outcome", jstr(e->outcome));
	json_object_set_new(o, "detail", jstr(e->detail));
	return json_array_append_new(ctx, o) == 0 ? 0 : MRT_ENOMEM;
}

static void print_header(void)
{
	printf("%6s  %-19s  %-20s %-16s %-24s %-8s %-11s %-5s %s\n", "id", "at (UTC)", "who",
	       "action", "object", "patient", "purpose", "outcome", "detail");
}

static int print_row(void *ctx, const struct audit_event *e)
{
	int *rows = ctx;
	if ((*rows)++ == 0)
		print_header();
	char who[300], object[300], patient[32] = "-";
	if (e->on_behalf_of)
		snprintf(who, sizeof who, "%s as %s", e->actor, e->on_behalf_of);
	else
		snprintf(who, sizeof who, "%s", e->actor);
	snprintf(object, sizeof object, "%s%s%s", e->object_type ? e->object_type : "-",
	         e->object_id ? ":" : "", e->object_id ? e->object_id : "");
	if (e->patient_id)
		snprintf(patient, sizeof patient, "%" PRId64, e->patient_id);
	printf("%6" PRId64 "  %.19s  %-20s %-16s %-24s %-8s %-11s %-5s %s\n", e->id, e->at, who,
	       e->action, object, patient, e->purpose ? e->purpose : "-", e->outcome,
	       e->detail ? e->detail : "");
	return 0;
}

static int parse(struct cli_ctx *ctx, struct audit_log_filter *f, int *as_json)
{
	for (int i = 1; i < ctx->argc; i++) {
		const char *v = NULL;
		int r;
		if (cli_arg_help(ctx, i, "audit log", USAGE))
			return 1;
		if (strcmp(ctx->argv[i], "--json") == 0) {
			*as_json = 1;
		} else if ((r = cli_arg_value(ctx, &i, "--limit", &v)) != 0) {
			if (r < 0 || mrt_parse_i64(&f->limit, v) != 0 || f->limit <= 0)
				return r < 0 ? CLI_USAGE : cli_usage(ctx, "audit log: --limit needs a positive number");
		} else if ((r = cli_arg_value(ctx, &i, "--patient", &v)) != 0) {
			if (r < 0 || mrt_parse_i64(&f->patient_id, v) != 0 || f->patient_id <= 0)
				return r < 0 ? CLI_USAGE : cli_usage(ctx, "audit log: --patient needs a patient id");
		} else if ((r = cli_arg_value(ctx, &i, "--since", &v)) != 0) {
			if (r < 0)
				return CLI_USAGE;
			f->since = v;
		} else {
			return cli_usage(ctx, "audit log: unknown argument %s", ctx->argv[i]);
		}
	}
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	struct audit_log_filter f = { 0 };
	int as_json = 0;
	int rc = parse(ctx, &f, &as_json);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *arr = json_array();
	int rows = 0;
	rc = audit_svc_log(s, &f, as_json ? add_json : print_row, as_json ? (void *)arr : &rows, &err);
	mrt_session_close(s);
	if (rc == 0 && as_json) {
		cli_print_json(arr);
	} else if (rc == 0 && rows == 0) {
		printf("(no audit events match)\n");
	}
	json_decref(arr);
	return rc ? cli_fail(&err) : CLI_OK;
}

const struct cli_cmd cli_cmd_audit_log = { "audit", "log", USAGE,
	"list audit events (who, on whose behalf, action, object, patient, when, outcome)", run };
