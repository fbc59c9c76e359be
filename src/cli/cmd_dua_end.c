/*
 * `mrt dua end ID [--reason TEXT]`: ends a data use agreement; no limited
 * data set is made under it afterwards (privacy officer).
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/dua_svc.h"

#define USAGE "ID [--reason TEXT]"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return dua_svc_end(s, a->id, a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("ended data use agreement %lld\n", (long long)a->id);
}

static const struct cli_id_cmd cmd = { .name = "dua end", .usage = USAGE, .opt = "--reason",
	.plain_usage = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_dua_end = {"dua", "end", USAGE,
					"end a data use agreement (privacy officer)", run};
