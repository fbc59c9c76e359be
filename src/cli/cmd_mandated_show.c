/*
 * `mrt mandated show ID [--json]`: one mandated report (privacy officer or
 * its author only; anyone else is refused and the refusal audited).
 */
#include "cli/cmd_request_args.h"
#include "service/mandated_svc.h"

#define USAGE "ID [--json]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const char *idv = NULL;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json } };
	int64_t id = 0;
	int rc = rq_parse(ctx, "mandated show", USAGE, opts, 1, &idv, NULL);
	if (rc || (rc = rq_parse_id(ctx, "mandated show", idv, &id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *o = NULL;
	rc = mandated_svc_show(s, id, &o, &err);
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

const struct cli_cmd cli_cmd_mandated_show = { "mandated", "show", USAGE,
	"show a mandated report (privacy officer or its author)", run };
