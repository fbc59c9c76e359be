/*
 * Option helpers for commands; see args.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"

int cli_arg_value(struct cli_ctx *ctx, int *i, const char *opt, const char **value)
{
	const char *a = ctx->argv[*i];
	size_t n = strlen(opt);
	if (strncmp(a, opt, n) != 0)
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= ctx->argc) {
		cli_usage(ctx, "%s: %s needs a value", ctx->argv[0], opt);
		return -1;
	}
	*value = ctx->argv[++*i];
	return 1;
}

int cli_arg_help(const struct cli_ctx *ctx, int i, const char *usage)
{
	const char *a = ctx->argv[i];
	if (strcmp(a, "--help") != 0 && strcmp(a, "-h") != 0)
		return 0;
	printf("usage: mrt %s %s\n", ctx->argv[0], usage);
	return 1;
}
