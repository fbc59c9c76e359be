/*
 * Arguments shared by `mrt label add` and `mrt label remove`:
 * patient|encounter|document ID LABEL [--reason TEXT] [--json].
 */
#ifndef MRT_CLI_LABEL_ARGS_H
#define MRT_CLI_LABEL_ARGS_H

#include "cli/cli.h"

struct label_args {
	const char *type, *ref, *code, *reason;
	int as_json;
};

#define LABEL_USAGE "patient|encounter|document ID LABEL [--reason TEXT] [--json]"

/* Parses; 0, or the exit status after a usage message (or --help). */
int label_args_parse(struct cli_ctx *ctx, const char *name, struct label_args *a, int *done);
/* Runs add (or remove) and prints the result. */
int label_args_run(struct cli_ctx *ctx, const struct label_args *a, int add);

#endif
