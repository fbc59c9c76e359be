/*
 * `mrt dua end ID [--reason TEXT]`: ends a data use agreement; no limited
 * data set is made under it afterwards (privacy officer).
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/dua_svc.h"

#define USAGE "ID [--reason TEXT]"

static int run(struct cli_ctx *ctx)
{
	const char *id_text = NULL, *reason = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "dua end", USAGE))
			return CLI_OK;
		int r = cli_arg_value(ctx, &i, "--reason", &reason);
		if (r < 0)
			return CLI_USAGE;
		if (r)
			continue;
		if (id_text || ctx->argv[i][0] == '-')
			return cli_usage(ctx, "dua end: unexpected argument %s", ctx->argv[i]);
		id_text = ctx->argv[i];
	}
	int64_t id = 0;
	if (!id_text || mrt_parse_i64(&id, id_text) != 0 || id <= 0)
		return cli_usage(ctx, "usage: mrt dua end %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	rc = dua_svc_end(s, id, reason, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("ended data use agreement %lld\n", (long long)id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_dua_end = {"dua", "end", USAGE,
					"end a data use agreement (privacy officer)", run};
