/*
 * The shared part of `mrt label add` / `mrt label remove` (label_args.h).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/args.h"
#include "cli/label_args.h"
#include "service/label_svc.h"

int label_args_parse(struct cli_ctx *ctx, const char *name, struct label_args *a, int *done)
{
	memset(a, 0, sizeof *a);
	*done = 0;
	const char **pos[] = { &a->type, &a->ref, &a->code };
	size_t npos = 0;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, name, LABEL_USAGE)) {
			*done = 1;
			return CLI_OK;
		}
		int r = cli_arg_value(ctx, &i, "--reason", &a->reason);
		if (r < 0)
			return CLI_USAGE;
		if (r > 0)
			continue;
		if (strcmp(ctx->argv[i], "--json") == 0)
			a->as_json = 1;
		else if (npos < 3 && (ctx->argv[i][0] != '-' || npos == 1))
			*pos[npos++] = ctx->argv[i];
		else
			return cli_usage(ctx, "%s: unexpected argument %s", name, ctx->argv[i]);
	}
	if (npos < 3)
		return cli_usage(ctx, "usage: mrt %s %s", name, LABEL_USAGE);
	return CLI_OK;
}

int label_args_run(struct cli_ctx *ctx, const struct label_args *a, int add)
{
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	int changed = 0;
	rc = add ? label_svc_add(s, a->type, a->ref, a->code, a->reason, &changed, &err)
	         : label_svc_remove(s, a->type, a->ref, a->code, a->reason, &changed, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (a->as_json) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b}", "object_type", a->type, "id", a->ref,
		                      "label", a->code, "action", add ? "added" : "removed", "changed",
		                      changed);
		cli_print_json(o);
		json_decref(o);
	} else {
		printf("%s %s: label %s %s\n", a->type, a->ref, a->code,
		       changed ? (add ? "added" : "removed") : (add ? "already set" : "was not set"));
	}
	return CLI_OK;
}
