/*
 * The shapes many commands share, so that each cmd_*.c keeps only what is
 * its own: "ID [--OPT TEXT]" actions (revoke, end, release, extend, ...),
 * "ID|MRN [--json]" shows and the listings that print a JSON value either
 * indented (--json) or as a table. Options are read with rq_parse
 * (cmd_request_args.h); the session is opened and closed here.
 */
#ifndef MRT_CLI_CMD_COMMON_H
#define MRT_CLI_CMD_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cli/cli.h"

/* A string member of a JSON object, or "" (for table printers). */
const char *cli_json_str(json_t *o, const char *key);

struct rq_opt;
/* The number of entries of an option table. */
#define CLI_NOPTS(opts) ((int)(sizeof(opts) / sizeof((opts)[0])))
/* For commands with many options and no positional argument: reads
 * ctx->argv[1..] against opts (values and flags); anything else is
 * "NAME: unknown argument ARG". Returns 0, 1 after --help, or CLI_USAGE
 * after printing the problem. */
int cli_parse_opts(struct cli_ctx *ctx, const char *name, const char *usage,
                   const struct rq_opt *opts, int n);
/* Prints {"id": ID} (the --json answer of a command that records one row). */
void cli_print_id_json(int64_t id);

/* What an "ID [--OPT TEXT]" (or "NAME [--OPT TEXT]") command was given and
 * what its action returns for the message. */
struct cli_id_args {
	int64_t id;
	const char *key;   /* the positional argument as given (NAME) */
	const char *text;  /* the option's value; NULL when not given */
	char out[32];      /* a short result (a due date) */
	int64_t out_id;    /* an id the action created */
	int changed;       /* whether the action changed anything */
};

struct cli_id_cmd {
	const char *name;   /* "hold release" */
	const char *usage;  /* "ID --reason TEXT" */
	const char *opt;    /* "--reason"; NULL for a bare ID */
	int opt_required;
	/* 1: a missing option or a bad ID is answered "usage: mrt NAME USAGE";
	 * 0: the answer names the problem (rq_parse's wording). */
	int plain_usage;
	int by_name;        /* the positional is a NAME (in key), not an ID */
	int (*act)(mrt_session *s, struct cli_id_args *a, mrt_err *err);
	void (*done)(const struct cli_id_args *a);  /* prints the result */
};

/* Runs an "ID [--OPT TEXT]" command; returns the exit status. */
int cli_id_cmd_run(struct cli_ctx *ctx, const struct cli_id_cmd *c);

/* Loads the JSON value a command prints; arg is the command's own. */
typedef int (*cli_load_fn)(mrt_session *s, const void *arg, json_t **out, mrt_err *err);

/* Opens the session, loads with load, closes the session, then prints the
 * value: indented JSON with as_json, else with print (NULL: "key: value"
 * lines, rq_print_object). Returns the exit status. */
int cli_load_print(struct cli_ctx *ctx, int as_json, cli_load_fn load, const void *arg,
                   void (*print)(json_t *v));
/* The same, printing rows without --json as rq_print_table(keys, empty). */
int cli_load_table(struct cli_ctx *ctx, int as_json, cli_load_fn load, const void *arg,
                   const char *const *keys, const char *empty);

/* Reads one value of a repeatable option ("--sdx CODE") at argv[*i] into
 * list[*n]: returns 1 when taken, 0 when argv[*i] is not opt, and -1 after
 * "NAME: too many OPT" (max values) or cli_arg_value's own problem. */
int cli_arg_list(struct cli_ctx *ctx, int *i, const char *name, const char *opt,
                 const char **list, size_t *n, size_t max);
/* Runs a coding action (code checks that may refuse codes) in a session and
 * prints its answer: indented JSON with as_json; else print on success, or
 * the refused codes (chart_print_refused) on failure. A failure that comes
 * with an answer (refused codes) exits CLI_FAIL, one without the error's
 * status. */
int cli_code_run(struct cli_ctx *ctx, int as_json, cli_load_fn code, const void *req,
                 void (*print)(json_t *v));

/* "ID [--json]": loads one record by id and prints it (rq_parse wording). */
int cli_show_id(struct cli_ctx *ctx, const char *name, const char *usage,
                int (*load)(mrt_session *s, int64_t id, json_t **out, mrt_err *err));
/* "MRN [--json]": loads by a patient's MRN and prints it with print (NULL:
 * "key: value" lines). */
int cli_show_key(struct cli_ctx *ctx, const char *name, const char *usage,
                 int (*load)(mrt_session *s, const char *key, json_t **out, mrt_err *err),
                 void (*print)(json_t *v));
/* "[--json]": loads rows with no argument and prints them as a table. */
int cli_list_all(struct cli_ctx *ctx, const char *name, const char *usage,
                 int (*load)(mrt_session *s, json_t **out, mrt_err *err),
                 const char *const *keys, const char *empty);

#endif
