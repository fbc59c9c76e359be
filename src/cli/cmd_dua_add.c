/*
 * `mrt dua add --recipient TEXT --purpose TEXT --permitted-uses TEXT
 * --expires YYYY-MM-DD [--json]`: records a data use agreement, the
 * condition of a limited data set (privacy officer).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/dua_svc.h"

#define USAGE "--recipient TEXT --purpose TEXT --permitted-uses TEXT --expires YYYY-MM-DD [--json]"

static int parse(struct cli_ctx *ctx, struct dua_new *n, int *json)
{
	static const char *const opts[] = {"--recipient", "--purpose", "--permitted-uses",
					   "--expires"};
	const char **slots[] = {&n->recipient, &n->purpose, &n->permitted_uses, &n->expires};
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "dua add", USAGE))
			return 1;
		if (strcmp(ctx->argv[i], "--json") == 0) {
			*json = 1;
			continue;
		}
		int r = 0;
		for (size_t k = 0; r == 0 && k < sizeof opts / sizeof opts[0]; k++)
			r = cli_arg_value(ctx, &i, opts[k], slots[k]);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0)
			return cli_usage(ctx, "dua add: unexpected argument %s", ctx->argv[i]);
	}
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
