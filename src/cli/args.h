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
/* For --help / -h: prints "usage: mrt NAME USAGE" and returns 1. */
int cli_arg_help(const struct cli_ctx *ctx, int i, const char *name, const char *usage);


/* Reads one line (a password) from standard input; NULL with err set on
 * failure or when standard input is empty. free with cli_arg_secret_free. */
char *cli_arg_read_secret(mrt_err *err);
void cli_arg_secret_free(char *secret);

/* For commands that read a new password with --password-stdin: when --user
 * is also given, the first line of standard input is that user's sign-in
 * password and the second the new one; otherwise the only line is the new
 * one. Opens the session and sets *new_password (NULL without
 * --password-stdin). Returns 0 or the exit status after printing the error. */
int cli_open_reading_new_password(struct cli_ctx *ctx, mrt_session **out, char **new_password);
#endif
