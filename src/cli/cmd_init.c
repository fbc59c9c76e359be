/*
 * `mrt init [--db PATH]`: creates the database, its audit key and anchor,
 * and makes the invoking OS account the first administrator with every
 * role. On an already initialised mrt database it says so and changes
 * nothing.
 */
#include <stdio.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "privacy/roles.h"
#include "service/site.h"

#define USAGE "[--db PATH]"

static int run(struct cli_ctx *ctx)
{
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "init", USAGE))
			return CLI_OK;
		return cli_usage(ctx, "init: unknown argument %s", ctx->argv[i]);
	}
	mrt_err err = { 0 };
	struct mrt_site_info info;
	if (mrt_site_init(NULL, ctx->db_path, &info, &err) != 0)
		return cli_fail(&err);
	if (info.already) {
		printf("%s is already an initialised mrt database (id %s); nothing changed\n",
		       ctx->db_path, info.db_id);
		return CLI_OK;
	}
	printf("initialised %s (database id %s)\n", ctx->db_path, info.db_id);
	printf("  administrator: %s (OS account %s), roles: %s\n", info.admin, info.admin,
	       role_list_text());
	printf("  audit key:     %s (mode 0600; keep it, and back it up apart from the database)\n",
	       info.key_path);
	printf("  audit anchor:  %s\n", info.anchor_path);
	printf("next: `mrt user add NAME --role coder` to add users, `mrt codes load --all` to load "
	       "the code sets\n");
	return CLI_OK;
}

const struct cli_cmd cli_cmd_init = { "init", NULL, USAGE,
	"create the database; the OS account becomes its first administrator", run };
