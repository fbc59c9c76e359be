/*
 * `mrt request show ID [--json]`: one access or amendment request with the
 * statements linked to it.
 */
#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "ID [--json]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *idv = NULL;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json } };
	int64_t id = 0;
	int rc = rq_parse(ctx, "request show", USAGE, opts, 1, &idv, NULL);
	if (rc || (rc = rq_parse_id(ctx, "request show", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *o = NULL;
	rc = request_svc_show(s, id, &o, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(o);
	else
		rq_print_object(o);
	json_decref(o);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_request_show = { "request", "show", USAGE,
	"show a patient request with its statements", run };
