/*
 * `mrt coding-audit sample --coder NAME --n N [--from DATE --to DATE]
 * [--reviewer NAME] [--seed S] [--json]`: draws a random sample of the
 * encounters a coder coded (final or billed) in the period, each a work
 * item for the reviewer; with --seed the same draw can be made again.
 */
#include <stdint.h>

#include "base/str.h"
#include "cli/cli.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "cli/coding_print.h"
#include "service/coding_audit_svc.h"

#define NAME "coding-audit sample"
#define USAGE "--coder NAME --n N [--from DATE --to DATE] [--reviewer NAME] [--seed S] [--json]"

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return caudit_svc_sample(s, arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	struct caudit_sample_req r = {0};
	const char *n = NULL;
	int as_json = 0;
	const struct rq_opt opts[] = {
	    {"--coder", &r.coder, NULL},       {"--n", &n, NULL},
	    {"--from", &r.from, NULL},	       {"--to", &r.to, NULL},
	    {"--reviewer", &r.reviewer, NULL}, {"--seed", &r.seed, NULL},
	    {"--json", NULL, &as_json},
	};
	static const char *const required[] = {"--coder", "--n", NULL};
	int rc = rq_parse(ctx, NAME, USAGE, opts, CLI_NOPTS(opts), NULL, required);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	int64_t v = 0;
	if (mrt_parse_i64(&v, n) != 0 || v <= 0)
		return cli_usage(ctx, NAME ": --n must be a positive number");
	r.n = (long)v;
	return cli_load_print(ctx, as_json, load, &r, coding_print_sample);
}

const struct cli_cmd cli_cmd_coding_audit_sample = {
    "coding-audit", "sample", USAGE,
    "draw a random sample of a coder's coded encounters for blind review", run};
