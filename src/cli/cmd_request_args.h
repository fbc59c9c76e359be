/*
 * Option tables and printing shared by the commands of patient requests,
 * representatives, mandated reports, retention and holds
 * (cmd_request_*.c, cmd_representative_*.c, cmd_mandated_*.c,
 * cmd_retention_*.c, cmd_hold_*.c): each command lists its options once,
 * with the slot each fills, and prints its result as JSON or as a table.
 */
#ifndef MRT_CLI_CMD_REQUEST_ARGS_H
#define MRT_CLI_CMD_REQUEST_ARGS_H

#include <stdint.h>

#include <jansson.h>

#include "cli/cli.h"

struct rq_opt {
	const char *name;    /* "--patient" */
	const char **value;  /* for an option with a value, else NULL */
	int *flag;           /* for a flag (set to 1), else NULL */
};

/* One pass over ctx->argv[1..]: --help, opts, the one positional argument
 * (when positional is not NULL); anything else is "NAME: OTHER argument
 * ARG" (other: "unexpected", "unknown"). Returns 0, 1 after --help, or
 * CLI_USAGE after printing the problem. */
int rq_parse_args(struct cli_ctx *ctx, const char *name, const char *usage,
                  const struct rq_opt *opts, int n, const char **positional, const char *other);
/* Reads the option at argv[*i] for rq_parse_take: 1 when taken (*i
 * advanced past a value), 0 when not one of its own, -1 after printing a
 * problem. */
typedef int (*rq_take_fn)(struct cli_ctx *ctx, int *i, void *arg);
/* rq_parse_args with the options read by fn(ctx, &i, arg) instead of a
 * table (for repeatable options). */
int rq_parse_take(struct cli_ctx *ctx, const char *name, const char *usage, rq_take_fn fn,
                  void *arg, const char **positional, const char *other);
/* Parses ctx->argv[1..] against opts; positional: where the one positional
 * argument (an ID) goes, or NULL when there is none. Returns 0, 1 after
 * --help (exit 0), or CLI_USAGE after printing the problem. Options in
 * required (NULL-terminated) must be present. */
int rq_parse(struct cli_ctx *ctx, const char *name, const char *usage, const struct rq_opt *opts,
             int n, const char **positional, const char *const *required);
/* Parses an id; prints the usage error and returns CLI_USAGE when bad. */
int rq_parse_id(struct cli_ctx *ctx, const char *name, const char *v, int64_t *id);
/* yes|no -> 1|0, NULL -> -1; -2 when neither. */
int rq_yes_no(const char *v);

/* Prints rows as a table of the given keys (headers = keys). */
void rq_print_table(json_t *rows, const char *const *keys, const char *empty);
/* Prints an object as "key: value" lines (nested arrays as indented rows). */
void rq_print_object(json_t *o);

#endif
