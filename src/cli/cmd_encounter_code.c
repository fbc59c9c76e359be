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
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/chart_svc.h"

#define NAME "encounter code"
#define USAGE "ACCOUNT --pdx CODE[:POA] [--sdx CODE[:POA]]... [--admit-dx CODE] " \
	"[--px CODE[@YYYY-MM-DD]]... [--final] [--json]"
#define MAX_CODES 198

struct opts {
	struct chart_svc_code_req req;
	const char *sdx[MAX_CODES], *px[MAX_CODES];
	int as_json;
};

static int take(struct cli_ctx *ctx, int *i, void *arg)
{
	struct opts *o = arg;
	if (strcmp(ctx->argv[*i], "--json") == 0) {
		o->as_json = 1;
		return 1;
	}
	if (strcmp(ctx->argv[*i], "--final") == 0) {
		o->req.status = "final";
		return 1;
	}
	int r = cli_arg_value(ctx, i, "--pdx", &o->req.pdx);
	if (r == 0)
		r = cli_arg_value(ctx, i, "--admit-dx", &o->req.admit_dx);
	if (r == 0)
		r = cli_arg_list(ctx, i, NAME, "--sdx", o->sdx, &o->req.n_sdx, MAX_CODES);
	if (r == 0)
		r = cli_arg_list(ctx, i, NAME, "--px", o->px, &o->req.n_px, MAX_CODES);
	return r;
}

static int parse(struct cli_ctx *ctx, struct opts *o)
{
	int rc = rq_parse_take(ctx, NAME, USAGE, take, o, &o->req.account, "unexpected");
	if (rc)
		return rc;
	if (!o->req.account || !o->req.pdx)
		return cli_usage(ctx, "usage: mrt " NAME " %s", USAGE);
	o->req.sdx = o->sdx;
	o->req.px = o->px;
	return 0;
}

static int code(mrt_session *s, const void *req, json_t **out, mrt_err *err)
{
	return chart_svc_encounter_code(s, req, out, err);
}

static int run(struct cli_ctx *ctx)
{
	static struct opts o;
	memset(&o, 0, sizeof o);
	int rc = parse(ctx, &o);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_code_run(ctx, o.as_json, code, &o.req, chart_print_encounter);
}

const struct cli_cmd cli_cmd_encounter_code = { "encounter", "code", USAGE,
	"code an encounter against the code set in effect at discharge", run };
