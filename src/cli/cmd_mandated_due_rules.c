/*
 * `mrt mandated due-rules [--json]`: the due-date rules of mandated reports:
 * each kind's built-in default and the site's own rules per kind and
 * jurisdiction.
 */
#include "cli/cmd_request_args.h"
#include "service/mandated_svc.h"

#define USAGE "[--json]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json } };
	int rc = rq_parse(ctx, "mandated due-rules", USAGE, opts, 1, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *rows = NULL;
	rc = mandated_svc_due_rules(s, &rows, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	static const char *const keys[] = { "kind", "jurisdiction", "months", "days", "from_diagnosis",
	                                    "source", "updated_by", NULL };
	if (as_json)
		cli_print_json(rows);
	else
		rq_print_table(rows, keys, "no rules");
	json_decref(rows);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_mandated_due_rules = { "mandated", "due-rules", USAGE,
	"list the due-date rules of mandated reports (built-in and the site's)", run };
