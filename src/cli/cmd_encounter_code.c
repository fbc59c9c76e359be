/*
 * `mrt encounter code ACCOUNT --pdx CODE[:POA] [--sdx CODE[:POA]]...
 * [--admit-dx CODE] [--px CODE[@YYYY-MM-DD]]... [--final] [--json]`: the
 * coder's own coding, checked against the release in effect on the
 * discharge date; refused codes are listed with the reason (and, for a
 * header, its billable codes).
 */
#include <string.h>

#include "cli/args.h"
#include "cli/chart_print.h"
#include "cli/cli.h"
#include "service/chart_svc.h"

#define USAGE "ACCOUNT --pdx CODE[:POA] [--sdx CODE[:POA]]... [--admit-dx CODE] " \
	"[--px CODE[@YYYY-MM-DD]]... [--final] [--json]"
#define MAX_CODES 198

struct opts {
	struct chart_svc_code_req req;
	const char *sdx[MAX_CODES], *px[MAX_CODES];
	int as_json;
};

static int take(struct cli_ctx *ctx, int *i, struct opts *o)
{
	const char *v = NULL;
	int r = cli_arg_value(ctx, i, "--pdx", &o->req.pdx);
	if (r == 0)
		r = cli_arg_value(ctx, i, "--admit-dx", &o->req.admit_dx);
	if (r == 0 && (r = cli_arg_value(ctx, i, "--sdx", &v)) == 1) {
		if (o->req.n_sdx == MAX_CODES)
			return cli_usage(ctx, "encounter code: too many --sdx"), -1;
		o->sdx[o->req.n_sdx++] = v;
	}
	if (r == 0 && (r = cli_arg_value(ctx, i, "--px", &v)) == 1) {
		if (o->req.n_px == MAX_CODES)
			return cli_usage(ctx, "encounter code: too many --px"), -1;
		o->px[o->req.n_px++] = v;
	}
	return r;
}

static int parse(struct cli_ctx *ctx, struct opts *o)
{
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "encounter code", USAGE))
			return 1;
		const char *a = ctx->argv[i];
		if (strcmp(a, "--json") == 0) {
			o->as_json = 1;
			continue;
		}
		if (strcmp(a, "--final") == 0) {
			o->req.status = "final";
			continue;
		}
		int r = take(ctx, &i, o);
		if (r < 0)
			return CLI_USAGE;
		if (r == 1)
			continue;
		if (!o->req.account && a[0] != '-')
			o->req.account = a;
		else
			return cli_usage(ctx, "encounter code: unexpected argument %s", a);
	}
	if (!o->req.account || !o->req.pdx)
		return cli_usage(ctx, "usage: mrt encounter code %s", USAGE);
	o->req.sdx = o->sdx;
	o->req.px = o->px;
	return 0;
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
	mrt_err err = { 0 };
	json_t *out = NULL;
	rc = chart_svc_encounter_code(s, &o.req, &out, &err);
	mrt_session_close(s);
	if (rc) {
		int status = cli_fail(&err);
		/* Refused codes are a failure of the data, not of the usage. */
		if (out)
			status = CLI_FAIL;
		if (out && o.as_json)
			cli_print_json(out);
		else if (out)
			chart_print_refused(out);
		json_decref(out);
		return status;
	}
	if (o.as_json)
		cli_print_json(out);
	else
		chart_print_encounter(out);
	json_decref(out);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_encounter_code = { "encounter", "code", USAGE,
	"code an encounter against the code set in effect at discharge", run };
