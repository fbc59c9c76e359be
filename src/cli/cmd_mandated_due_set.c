/*
 * `mrt mandated due-set --kind KIND [--jurisdiction J] [--days N]
 * [--months N]`: the site's due-date rule for a kind of mandated report,
 * for one jurisdiction or (without --jurisdiction) for every jurisdiction
 * without its own rule. Privacy officer; every change is kept.
 */
#include <stdio.h>

#include "base/str.h"
#include "cli/cmd_request_args.h"
#include "service/mandated_svc.h"

#define USAGE "--kind KIND [--jurisdiction TEXT] [--days N] [--months N]"

static int number(struct cli_ctx *ctx, const char *opt, const char *v, int *out)
{
	*out = 0;
	if (v && (mrt_parse_int(out, v) != 0 || *out < 0))
		return cli_usage(ctx, "mandated due-set: %s needs a whole number", opt);
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	const char *kind = NULL, *jur = NULL, *days = NULL, *months = NULL;
	const struct rq_opt opts[] = { { "--kind", &kind, NULL }, { "--jurisdiction", &jur, NULL },
	                               { "--days", &days, NULL }, { "--months", &months, NULL } };
	static const char *const required[] = { "--kind", NULL };
	int d, m;
	int rc = rq_parse(ctx, "mandated due-set", USAGE, opts, 4, NULL, required);
	if (rc || (rc = number(ctx, "--days", days, &d)) != 0 ||
	    (rc = number(ctx, "--months", months, &m)) != 0)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = mandated_svc_due_set(s, kind, jur, d, m, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("due-date rule for %s set\n", kind);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_mandated_due_set = { "mandated", "due-set", USAGE,
	"set the site's due-date rule for a kind of mandated report (privacy officer)", run };
