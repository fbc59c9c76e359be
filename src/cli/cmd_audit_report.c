/*
 * `mrt audit report --patient MRN | --user NAME [--from DATE] [--to DATE]
 * [--json]`: who looked at a patient's record, or what a user did, oldest
 * first: when, who (and on whose behalf), role, action, purpose, outcome
 * (break-glass uses marked), object, detail, and the patient's MRN. Needs
 * privacy_officer, auditor or admin; the report is itself audited.
 *
 * `--user` is also mrt's global "act as" option, which main.c takes from
 * anywhere on the line; so the subject user may be given as `--actor NAME`,
 * and `mrt audit report --user NAME` (no --patient, no --password-stdin)
 * reports on NAME and runs as the OS account's own user.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/audit_svc.h"

#define USAGE                                                                                      \
	"--patient MRN | --user NAME | --actor NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD] "        \
	"[--json]"

struct out {
	json_t *arr; /* --json */
	int rows;
	int glass;
};

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int add_json(struct out *o, const struct audit_event *e, const char *mrn)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(e->id));
	json_object_set_new(j, "at", jstr(e->at));
	json_object_set_new(j, "actor", jstr(e->actor));
	json_object_set_new(j, "on_behalf_of", jstr(e->on_behalf_of));
	json_object_set_new(j, "role", jstr(e->role));
	json_object_set_new(j, "action", jstr(e->action));
	json_object_set_new(j, "purpose", jstr(e->purpose));
	json_object_set_new(j, "outcome", jstr(e->outcome));
	json_object_set_new(j, "break_glass", json_boolean(strcmp(e->outcome, "break-glass") == 0));
	json_object_set_new(j, "object_type", jstr(e->object_type));
	json_object_set_new(j, "object_id", jstr(e->object_id));
	json_object_set_new(j, "mrn", jstr(mrn));
	json_object_set_new(j, "detail", jstr(e->detail));
	return json_array_append_new(o->arr, j) == 0 ? 0 : MRT_ENOMEM;
}

static int print_row(void *ctx, const struct audit_event *e, const char *mrn)
{
	struct out *o = ctx;
	int glass = strcmp(e->outcome, "break-glass") == 0;
	o->glass += glass;
	if (o->arr)
		return add_json(o, e, mrn);
	if (o->rows++ == 0)
		printf("%6s  %-19s  %-22s %-24s %-18s %-14s %-12s %-16s %-20s %s\n", "id",
		       "when (UTC)", "who", "role", "action", "purpose", "outcome", "patient (MRN)",
		       "object", "detail");
	char who[300], object[300];
	if (e->on_behalf_of)
		snprintf(who, sizeof who, "%s as %s", e->actor, e->on_behalf_of);
	else
		snprintf(who, sizeof who, "%s", e->actor);
	snprintf(object, sizeof object, "%s%s%s", e->object_type ? e->object_type : "-",
		 e->object_id ? ":" : "", e->object_id ? e->object_id : "");
	printf("%6" PRId64 "  %.19s  %-22s %-24s %-18s %-14s %s%-11s %-16s %-20s %s\n", e->id,
	       e->at, who, e->role ? e->role : "-", e->action, e->purpose ? e->purpose : "-",
	       glass ? "!" : " ", glass ? "BREAK-GLASS" : e->outcome, mrn ? mrn : "-", object,
	       e->detail ? e->detail : "");
	return 0;
}

static int parse(struct cli_ctx *ctx, struct audit_report_filter *f, int *as_json)
{
	const struct rq_opt opts[] = {
		{"--json", NULL, as_json}, {"--patient", &f->mrn, NULL},
		{"--actor", &f->user, NULL}, {"--user", &f->user, NULL},
		{"--from", &f->from, NULL}, {"--to", &f->to, NULL},
	};
	int rc = cli_parse_opts(ctx, "audit report", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc;
	if (!f->mrn && !f->user && ctx->as_user && !ctx->password_stdin) {
		f->user = ctx->as_user; /* `audit report --user NAME`: see above */
		ctx->as_user = NULL;
	}
	if ((f->mrn == NULL) == (f->user == NULL))
		return cli_usage(ctx, "audit report: give one of --patient MRN or --user NAME");
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	struct audit_report_filter f = {0};
	int as_json = 0;
	int rc = parse(ctx, &f, &as_json);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = {0};
	struct out o = {.arr = as_json ? json_array() : NULL};
	rc = audit_svc_report(s, &f, print_row, &o, &err);
	mrt_session_close(s);
	if (rc == 0 && as_json)
		cli_print_json(o.arr);
	else if (rc == 0 && o.rows == 0)
		printf("(no audit events match)\n");
	else if (rc == 0)
		printf("%d events; %d break-glass (marked !)\n", o.rows, o.glass);
	json_decref(o.arr);
	return rc ? cli_fail(&err) : CLI_OK;
}

const struct cli_cmd cli_cmd_audit_report = {
    "audit", "report", USAGE,
    "who looked at a patient's record, or what a user did (from the audit trail)", run};
