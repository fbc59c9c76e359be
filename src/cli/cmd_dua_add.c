/*
 * `mrt dua add --recipient TEXT --purpose TEXT --permitted-uses TEXT
 * --expires YYYY-MM-DD [--json]`: records a data use agreement, the
 * condition of a limited data set (privacy officer).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/dua_svc.h"

#define USAGE "--recipient TEXT --purpose TEXT --permitted-uses TEXT --expires YYYY-MM-DD [--json]"

static int parse(struct cli_ctx *ctx, struct dua_new *n, int *json)
{
	const struct rq_opt opts[] = {
		{"--json", NULL, json},
		{"--recipient", &n->recipient, NULL},
		{"--purpose", &n->purpose, NULL},
		{"--permitted-uses", &n->permitted_uses, NULL},
		{"--expires", &n->expires, NULL},
	};
	int rc = rq_parse(ctx, "dua add", USAGE, opts, CLI_NOPTS(opts), NULL, NULL);
	if (rc)
		return rc;
	/* `--purpose` is also mrt's global option (purpose of use), which main.c
	 * takes out of the arguments before the command sees them: here it is
	 * the agreement's purpose, so the global slot is taken back (unless it
	 * came from $MRT_PURPOSE) and the session keeps the default purpose. */
	if (!n->purpose && ctx->purpose && ctx->purpose != getenv("MRT_PURPOSE"))
		n->purpose = ctx->purpose;
	ctx->purpose = NULL;
	if (!n->recipient || !n->purpose || !n->permitted_uses || !n->expires)
		return cli_usage(ctx, "usage: mrt dua add %s", USAGE);
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	struct dua_new n = {0};
	int json = 0;
	int rc = parse(ctx, &n, &json);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = {0};
	int64_t id = 0;
	rc = dua_svc_add(s, &n, &id, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (json) {
		json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "expires", n.expires,
				      "status", "active");
		cli_print_json(o);
		json_decref(o);
	} else {
		printf("added data use agreement %lld (expires %s)\n", (long long)id, n.expires);
	}
	return CLI_OK;
}

const struct cli_cmd cli_cmd_dua_add = {"dua", "add", USAGE,
					"record a data use agreement (privacy officer)", run};
