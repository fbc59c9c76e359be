/*
 * `mrt coding-audit code ITEM --pdx CODE[:POA] [--sdx CODE[:POA]]...
 * [--pcs CODE]... [--json]`: the reviewer's blind coding of an audit item,
 * checked against the code set in effect on the discharge date; once
 * coded, the comparison with the coder's codes is shown.
 */
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "cli/coding_print.h"
#include "service/coding_audit_svc.h"

#define NAME "coding-audit code"
#define USAGE "ITEM --pdx CODE[:POA] [--sdx CODE[:POA]]... [--pcs CODE]... [--json]"
#define MAX_CODES 64

struct opts {
	struct caudit_code_req req;
	const char *item;
	const char *sdx[MAX_CODES], *pcs[MAX_CODES];
	int as_json;
};

static int take(struct cli_ctx *ctx, int *i, void *arg)
{
	struct opts *o = arg;
	if (strcmp(ctx->argv[*i], "--json") == 0) {
		o->as_json = 1;
		return 1;
	}
	int r = cli_arg_value(ctx, i, "--pdx", &o->req.pdx);
	if (r == 0)
		r = cli_arg_list(ctx, i, NAME, "--sdx", o->sdx, &o->req.n_sdx, MAX_CODES);
	if (r == 0)
		r = cli_arg_list(ctx, i, NAME, "--pcs", o->pcs, &o->req.n_pcs, MAX_CODES);
	return r;
}

static int parse(struct cli_ctx *ctx, struct opts *o)
{
	int rc = rq_parse_take(ctx, NAME, USAGE, take, o, &o->item, "unexpected");
	if (rc)
		return rc;
	if (!o->item || !o->req.pdx)
		return cli_usage(ctx, "usage: mrt " NAME " %s", USAGE);
	int64_t id = 0;
	rc = rq_parse_id(ctx, NAME, o->item, &id);
	o->req.item = id;
	o->req.sdx = o->sdx;
	o->req.pcs = o->pcs;
	return rc;
}

static int code(mrt_session *s, const void *req, json_t **out, mrt_err *err)
{
	return caudit_svc_code(s, req, out, err);
}

static int run(struct cli_ctx *ctx)
{
	static struct opts o;
	memset(&o, 0, sizeof o);
	int rc = parse(ctx, &o);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_code_run(ctx, o.as_json, code, &o.req, coding_print_result);
}

const struct cli_cmd cli_cmd_coding_audit_code = {
    "coding-audit", "code", USAGE, "code an audit item blind; then compare with the coder's coding",
    run};
