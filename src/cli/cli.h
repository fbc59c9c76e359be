/*
 * The command-line face: `mrt <noun> <verb> [options]`. One command = one
 * const descriptor in its own cmd_*.c file, listed in commands.c. Faces call
 * the service layer only; they never touch the store.
 */
#ifndef MRT_CLI_CLI_H
#define MRT_CLI_CLI_H

#include "mrt/error.h"
#include "service/session.h"

/* Exit statuses. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_AMBIGUOUS = 2 };

struct cli_ctx {
	int argc;          /* the command's own arguments (argv[0] = "noun verb") */
	char **argv;
	const char *db_path;   /* --db, $MRT_DB, ./mrt.db */
	const char *data_dir;  /* --data, $MRT_DATA, ../shared/data if it exists; may be NULL */
	const char *as_user;   /* --user, $MRT_USER */
	int password_stdin;    /* --password-stdin */
	const char *purpose;   /* --purpose, $MRT_PURPOSE (purpose of use; default operations) */
};

struct cli_cmd {
	const char *noun;
	const char *verb;      /* NULL for a one-word command such as `init` */
	const char *usage;     /* options after "mrt noun verb" */
	const char *summary;
	int (*run)(struct cli_ctx *ctx);
};

extern const struct cli_cmd *const cli_commands[];

/* Opens the database and authenticates; prints the error and returns
 * non-zero on failure. */
int cli_session_open(struct cli_ctx *ctx, mrt_session **out);
/* Prints "mrt: <message>" to stderr; returns the exit status for the code. */
int cli_fail(const mrt_err *err);
int cli_usage(const struct cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
struct json_t;
/* Prints a JSON value, indented, with a final newline (the --json output). */
void cli_print_json(const struct json_t *value);
/* For a human table: every string in value (recursively) that holds a
 * control character (C0, DEL, C1) gets it written as a visible escape
 * (\x1b, \u009b), so data received from elsewhere cannot move the
 * cursor, retitle or clear the user's terminal. --json output needs no
 * such step: JSON escapes them itself. */
void cli_printable(struct json_t *value);
const struct cli_cmd *cli_find(const char *noun, const char *verb);

#endif
