/*
 * Small helpers for a command's own options: "--name VALUE" and
 * "--name=VALUE" forms, and the shared --help answer.
 */
#ifndef MRT_CLI_ARGS_H
#define MRT_CLI_ARGS_H

#include "cli/cli.h"

/* When argv[*i] is opt (with its value next, or after '='), sets *value,
 * advances *i past it and returns 1; returns -1 (after printing a usage
 * error) when the value is missing; 0 when argv[*i] is another option. */
int cli_arg_value(struct cli_ctx *ctx, int *i, const char *opt, const char **value);
/* Prints "usage: mrt noun verb USAGE" for --help / -h and returns 1. */
int cli_arg_help(const struct cli_ctx *ctx, int i, const char *usage);

#endif
