/*
 * `mrt retention set [adult|minor] [--years N] [--after-majority N]
 * [--age-of-majority N]`: changes the site's retention schedule; every
 * change is kept with who made it.
 */
#include <stdio.h>

#include "base/str.h"
#include "cli/cmd_request_args.h"
#include "service/retention_svc.h"

#define USAGE "[adult|minor] [--years N] [--after-majority N] [--age-of-majority N]"

static int number(struct cli_ctx *ctx, const char *opt, const char *v, int *out)
{
	*out = -1;
	if (v && (mrt_parse_int(out, v) != 0 || *out < 0))
		return cli_usage(ctx, "retention set: %s needs a whole number of years", opt);
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	const char *years = NULL, *after = NULL, *age = NULL;
	const struct rq_opt opts[] = { { "--years", &years, NULL },
	                               { "--after-majority", &after, NULL },
	                               { "--age-of-majority", &age, NULL } };
	int y, a, m;
	/* The class, when given, comes first: parse the rest after it. */
	struct cli_ctx rest = *ctx;
	const char *cls = NULL;
	if (ctx->argc > 1 && ctx->argv[1][0] != '-') {
		cls = ctx->argv[1];
		rest.argv = ctx->argv + 1;
		rest.argc = ctx->argc - 1;
	}
	int rc = rq_parse(&rest, "retention set", USAGE, opts, 3, NULL, NULL);
	if (rc || (rc = number(ctx, "--years", years, &y)) != 0 ||
	    (rc = number(ctx, "--after-majority", after, &a)) != 0 ||
	    (rc = number(ctx, "--age-of-majority", age, &m)) != 0)
		return rc == 1 ? CLI_OK : rc;
	if (age && m == 0)
		return cli_usage(ctx, "retention set: --age-of-majority must be at least 1");
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = retention_svc_set(s, cls, y, a, m, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("retention schedule updated\n");
	return CLI_OK;
}

const struct cli_cmd cli_cmd_retention_set = { "retention", "set", USAGE,
	"change the retention schedule or the age of majority", run };
