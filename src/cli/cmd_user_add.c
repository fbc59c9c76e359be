/*
 * `mrt user add NAME [--os-account ACCT] [--full-name TEXT] [--role R]...
 * [--provider REF] [--password-stdin]`: adds a user (admin only). With
 * --os-account the user signs in as that OS account (peer); with a
 * password, by --user NAME --password-stdin. --provider links a physician
 * user to their provider record (see `mrt user link`).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/user_svc.h"

#define USAGE                                                                                \
	"NAME [--os-account ACCT] [--full-name TEXT] [--role ROLE]... [--provider REF] "          \
	"[--password-stdin]"

static int parse(struct cli_ctx *ctx, struct user_new *u)
{
	for (int i = 1; i < ctx->argc; i++) {
		const char *v = NULL;
		int r;
		if (cli_arg_help(ctx, i, "user add", USAGE))
			return 1;
		if ((r = cli_arg_value(ctx, &i, "--os-account", &v)) != 0)
			u->os_account = v;
		else if ((r = cli_arg_value(ctx, &i, "--full-name", &v)) != 0)
			u->full_name = v;
		else if ((r = cli_arg_value(ctx, &i, "--provider", &v)) != 0)
			u->provider = v;
		else if ((r = cli_arg_value(ctx, &i, "--role", &v)) != 0) {
			if (r > 0 && u->nroles >= USER_MAX_ROLES)
				return cli_usage(ctx, "user add: too many --role options");
			if (r > 0)
				u->roles[u->nroles++] = v;
		} else if (ctx->argv[i][0] == '-' || u->name)
			return cli_usage(ctx, "user add: unexpected argument %s", ctx->argv[i]);
		else
			u->name = ctx->argv[i];
		if (r < 0)
			return CLI_USAGE;
	}
	if (!u->name)
		return cli_usage(ctx, "usage: mrt user add %s", USAGE);
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	struct user_new u = { 0 };
	int rc = parse(ctx, &u);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	char *password = NULL;
	if ((rc = cli_open_reading_new_password(ctx, &s, &password)) != 0)
		return rc;
	u.password = password;
	mrt_err err = { 0 };
	int64_t id = 0;
	rc = user_svc_add(s, &u, &id, &err);
	cli_arg_secret_free(password);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("added user %s (id %lld)\n", u.name, (long long)id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_user_add = { "user", "add", USAGE, "add a user (admin)", run };
