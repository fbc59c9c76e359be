/*
 * `mrt import hl7 FILE... [--json]`: HL7 v2 messages (a file may hold
 * many) into the chart, one transaction per file. Prints the counts by
 * acknowledgement (AA applied or unchanged, AE data error, AR refused,
 * duplicates) and by event, and why each AE/AR was given. Exit 1 when a
 * file could not be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/import_hl7.h"

#define USAGE "FILE... [--json]"

static long long num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static void print_human(json_t *rep)
{
	if (num(rep, "messages") == 0 && num(rep, "failed_files") == num(rep, "files"))
		return;
	printf("%-12s %7s %7s %7s %7s %9s\n", "event", "AA", "AE", "AR", "dup", "total");
	const char *name;
	json_t *c;
	json_object_foreach(json_object_get(rep, "by_event"), name, c)
	{
		long long t = num(c, "aa") + num(c, "ae") + num(c, "ar") + num(c, "duplicate");
		printf("%-12s %7lld %7lld %7lld %7lld %9lld\n", name, num(c, "aa"), num(c, "ae"),
		       num(c, "ar"), num(c, "duplicate"), t);
	}
	printf("%lld message%s in %lld file%s: %lld AA (%lld applied, %lld unchanged), %lld AE, "
	       "%lld AR, %lld duplicate%s\n",
	       num(rep, "messages"), num(rep, "messages") == 1 ? "" : "s", num(rep, "files"),
	       num(rep, "files") == 1 ? "" : "s", num(rep, "aa"), num(rep, "applied"),
	       num(rep, "unchanged"), num(rep, "ae"), num(rep, "ar"), num(rep, "duplicate"),
	       num(rep, "duplicate") == 1 ? "" : "s");
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(rep, "problems"), i, p)
	{
		printf("%s %s: %s\n", json_string_value(json_object_get(p, "ack")),
		       json_string_value(json_object_get(p, "channel")),
		       json_string_value(json_object_get(p, "reason")));
	}
	if (num(rep, "ae") + num(rep, "ar"))
		printf("(refused messages are kept: mrt import rejects)\n");
}

static void print_failed(json_t *rep)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(rep, "file_results"), i, f)
	{
		const char *e = json_string_value(json_object_get(f, "error"));
		if (e)
			fprintf(stderr, "mrt: not imported: %s\n", e);
	}
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	size_t n = 0;
	const char **paths = calloc((size_t)ctx->argc + 1, sizeof *paths);
	if (!paths)
		return CLI_FAIL;
	for (int i = 1; i < ctx->argc; i++) {
		const char *a = ctx->argv[i];
		if (cli_arg_help(ctx, i, "import hl7", USAGE)) {
			free(paths);
			return CLI_OK;
		}
		if (strcmp(a, "--json") == 0) {
			as_json = 1;
		} else if (a[0] == '-' && a[1]) {
			free(paths);
			return cli_usage(ctx, "import hl7: unknown option %s", a);
		} else {
			paths[n++] = a;
		}
	}
	if (n == 0) {
		free(paths);
		return cli_usage(ctx, "usage: mrt import hl7 " USAGE);
	}
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc) {
		free(paths);
		return rc;
	}
	mrt_err err = {0};
	json_t *rep = NULL;
	rc = import_hl7_files(s, paths, n, &rep, &err);
	mrt_session_close(s);
	free(paths);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(rep);
	else
		print_human(rep);
	print_failed(rep);
	rc = num(rep, "failed_files") ? CLI_FAIL : CLI_OK;
	json_decref(rep);
	return rc;
}

const struct cli_cmd cli_cmd_import_hl7 = {
    "import", "hl7", USAGE,
    "import HL7 v2 messages (ADT, BAR, MDM) from files; each acknowledged AA/AE/AR", run};
