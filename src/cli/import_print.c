/*
 * Import reports on the terminal; see import_print.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/import_print.h"

static long long num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static void print_human(json_t *rep)
{
	printf("%-16s %9s %9s %9s %9s %9s\n", "table", "read", "created", "updated", "unchanged",
	       "rejected");
	const char *name;
	json_t *c;
	json_object_foreach(json_object_get(rep, "tables"), name, c)
	{
		printf("%-16s %9lld %9lld %9lld %9lld %9lld\n", name, num(c, "read"),
		       num(c, "created"), num(c, "updated"), num(c, "unchanged"),
		       num(c, "rejected"));
	}
	json_t *absent = json_object_get(rep, "absent");
	if (json_array_size(absent)) {
		printf("absent (skipped):");
		size_t i;
		json_t *a;
		json_array_foreach(absent, i, a)
		{
			printf(" %s", json_string_value(a));
		}
		printf("\n");
	}
	json_t *cod = json_object_get(rep, "codings");
	printf("codings: %lld written, %lld unchanged\n", num(cod, "created"),
	       num(cod, "unchanged"));
	long long rej = num(rep, "rejected");
	printf("%lld row%s rejected%s; %.2f s\n", rej, rej == 1 ? "" : "s",
	       rej ? " (see: mrt import rejects)" : "",
	       json_real_value(json_object_get(rep, "seconds")));
}

int import_print_report(json_t *rep, int as_json, int rc, const mrt_err *err)
{
	if (rc) {
		int status = cli_fail(err);
		json_t *f = json_object_get(rep, "failed");
		if (json_integer_value(json_object_get(f, "reject_id")))
			fprintf(stderr,
				"mrt: nothing was imported; the file was kept as reject %lld "
				"(mrt import rejects --show %lld)\n",
				num(f, "reject_id"), num(f, "reject_id"));
		else if (f)
			fprintf(stderr,
				"mrt: nothing was imported; the file could not be kept: %s\n",
				json_string_value(json_object_get(f, "reject_error")));
		if (as_json && rep)
			cli_print_json(rep);
		return status;
	}
	if (as_json)
		cli_print_json(rep);
	else
		print_human(rep);
	return CLI_OK;
}

int import_print_run_dir(struct cli_ctx *ctx, const char *name, import_dir_fn fn)
{
	const char *dir = NULL;
	int as_json = 0;
	char cmd[32];
	snprintf(cmd, sizeof cmd, "import %s", name);
	for (int i = 1; i < ctx->argc; i++) {
		const char *a = ctx->argv[i];
		if (cli_arg_help(ctx, i, cmd, "DIR [--json]"))
			return CLI_OK;
		if (strcmp(a, "--json") == 0)
			as_json = 1;
		else if (a[0] == '-' && a[1])
			return cli_usage(ctx, "%s: unknown option %s", cmd, a);
		else if (dir)
			return cli_usage(ctx, "%s: give one DIR", cmd);
		else
			dir = a;
	}
	if (!dir)
		return cli_usage(ctx, "usage: mrt %s DIR [--json]", cmd);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	json_t *rep = NULL;
	rc = fn(s, dir, &rep, &err);
	mrt_session_close(s);
	rc = import_print_report(rep, as_json, rc, &err);
	json_decref(rep);
	return rc;
}
