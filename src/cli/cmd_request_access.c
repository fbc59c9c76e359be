/*
 * `mrt request access --patient MRN --received DATE [--format paper|electronic]
 * [--via-representative ID] [--json]`: records a patient's request for
 * access to their record (164.524) with its 30-day deadline.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "--patient MRN --received YYYY-MM-DD [--format paper|electronic] " \
	"[--via-representative ID] [--json]"

int rq_request_new_run(struct cli_ctx *ctx, struct request_new *n, const char *rep, int as_json);

int rq_request_new_run(struct cli_ctx *ctx, struct request_new *n, const char *rep, int as_json)
{
	const char *name = n->kind[0] == 'a' && n->kind[1] == 'c' ? "request access" : "request amend";
	if (rep && rq_parse_id(ctx, name, rep, &n->representative) != 0)
		return CLI_USAGE;
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11] = "";
	rc = request_svc_new(s, n, &id, due, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "kind", n->kind, "due_date",
		                      due);
		cli_print_json(o);
		json_decref(o);
	} else {
		printf("%s request %" PRId64 " recorded, due %s\n", n->kind, id, due);
	}
	return CLI_OK;
}

static int run(struct cli_ctx *ctx)
{
	struct request_new n = { .kind = "access" };
	const char *rep = NULL;
	int as_json = 0;
	const struct rq_opt opts[] = {
		{ "--patient", &n.mrn, NULL }, { "--received", &n.received, NULL },
		{ "--format", &n.format, NULL }, { "--via-representative", &rep, NULL },
		{ "--json", NULL, &as_json },
	};
	static const char *const required[] = { "--patient", "--received", NULL };
	int rc = rq_parse(ctx, "request access", USAGE, opts, 5, NULL, required);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return rq_request_new_run(ctx, &n, rep, as_json);
}

const struct cli_cmd cli_cmd_request_access = { "request", "access", USAGE,
	"record a patient's request for access to their record (30 days)", run };
