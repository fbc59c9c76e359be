/*
 * `mrt authorization revoke ID --reason TEXT`: the patient revokes an
 * authorization (45 CFR 164.508(b)(5)); it is kept, marked revoked.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "service/consent_svc.h"

#define USAGE "ID --reason TEXT"

static int act(mrt_session *s, struct cli_id_args *a, mrt_err *err)
{
	return consent_svc_auth_revoke(s, a->id, a->text, err);
}

static void done(const struct cli_id_args *a)
{
	printf("authorization %lld revoked\n", (long long)a->id);
}

static const struct cli_id_cmd cmd = { .name = "authorization revoke", .usage = USAGE,
	.opt = "--reason", .opt_required = 1, .plain_usage = 1, .act = act, .done = done };

static int run(struct cli_ctx *ctx)
{
	return cli_id_cmd_run(ctx, &cmd);
}

const struct cli_cmd cli_cmd_authorization_revoke = { "authorization", "revoke", USAGE,
	"revoke an authorization (kept, marked revoked)", run };
