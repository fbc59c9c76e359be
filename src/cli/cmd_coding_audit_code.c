/*
 * `mrt coding-audit code ITEM --pdx CODE[:POA] [--sdx CODE[:POA]]...
 * [--pcs CODE]... [--json]`: the reviewer's blind coding of an audit item,
 * checked against the code set in effect on the discharge date; once
 * coded, the comparison with the coder's codes is shown.
 */
#include <string.h>

#include "cli/args.h"
#include "cli/chart_print.h"
#include "cli/cli.h"
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

static int take(struct cli_ctx *ctx, int *i, struct opts *o)
{
	const char *v = NULL;
	int r = cli_arg_value(ctx, i, "--pdx", &o->req.pdx);
	if (r == 0 && (r = cli_arg_value(ctx, i, "--sdx", &v)) == 1) {
		if (o->req.n_sdx == MAX_CODES)
			return cli_usage(ctx, NAME ": too many --sdx"), -1;
		o->sdx[o->req.n_sdx++] = v;
	}
	if (r == 0 && (r = cli_arg_value(ctx, i, "--pcs", &v)) == 1) {
		if (o->req.n_pcs == MAX_CODES)
			return cli_usage(ctx, NAME ": too many --pcs"), -1;
		o->pcs[o->req.n_pcs++] = v;
	}
	return r;
}

static int parse(struct cli_ctx *ctx, struct opts *o)
{
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, NAME, USAGE))
			return 1;
		const char *a = ctx->argv[i];
		if (strcmp(a, "--json") == 0) {
			o->as_json = 1;
			continue;
		}
		int r = take(ctx, &i, o);
		if (r < 0)
			return CLI_USAGE;
		if (r == 1)
			continue;
		if (!o->item && a[0] != '-')
			o->item = a;
		else
			return cli_usage(ctx, NAME ": unexpected argument %s", a);
	}
	if (!o->item || !o->req.pdx)
		return cli_usage(ctx, "usage: mrt " NAME " %s", USAGE);
	int64_t id = 0;
	int rc = rq_parse_id(ctx, NAME, o->item, &id);
	o->req.item = id;
	o->req.sdx = o->sdx;
	o->req.pcs = o->pcs;
	return rc;
}

static int run(struct cli_ctx *ctx)
{
	static struct opts o;
	memset(&o, 0, sizeof o);
	int rc = parse(ctx, &o);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = {0};
	json_t *out = NULL;
	rc = caudit_svc_code(s, &o.req, &out, &err);
	mrt_session_close(s);
	int status = rc ? cli_fail(&err) : CLI_OK;
	if (rc && out)
		status = CLI_FAIL; /* refused codes: the data, not the usage */
	if (out && !o.as_json)
		cli_printable(out);
	if (out && o.as_json)
		cli_print_json(out);
	else if (out && rc)
		chart_print_refused(out);
	else if (out)
		coding_print_result(out);
	json_decref(out);
	return status;
}

const struct cli_cmd cli_cmd_coding_audit_code = {
    "coding-audit", "code", USAGE, "code an audit item blind; then compare with the coder's coding",
    run};
