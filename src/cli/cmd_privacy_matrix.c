/*
 * `mrt privacy matrix [--json|--markdown]`: the access matrix the program
 * enforces (every role x operation x record state), straight from the
 * decision table; docs/access-matrix.md is its --markdown output. Reads
 * no database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "privacy/access_matrix.h"

#define USAGE "[--json | --markdown]"

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "privacy matrix", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (strcmp(ctx->argv[i], "--markdown") == 0)
			as_json = 0;
		else
			return cli_usage(ctx, "privacy matrix: unexpected argument %s", ctx->argv[i]);
	}
	if (as_json) {
		json_t *m = access_matrix_json();
		cli_print_json(m);
		json_decref(m);
		return CLI_OK;
	}
	char *md = access_matrix_markdown();
	if (!md) {
		fprintf(stderr, "mrt: out of memory\n");
		return CLI_FAIL;
	}
	fputs(md, stdout);
	free(md);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_privacy_matrix = { "privacy", "matrix", USAGE,
	"the access matrix: role x operation x record state (unlabelled, labelled, restricted, "
	"break-glass)", run };
