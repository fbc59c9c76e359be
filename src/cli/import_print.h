/*
 * Printing of an import report (`mrt import mimic|synthea`): the JSON as it
 * is with --json, else one line per table and the totals.
 */
#ifndef MRT_CLI_IMPORT_PRINT_H
#define MRT_CLI_IMPORT_PRINT_H

#include <jansson.h>

#include "cli/cli.h"
#include "mrt/error.h"

/* rc is the import's result: on failure prints the error (and, when the
 * report names a file kept as a reject, says so) and returns the exit
 * status; otherwise prints the report and returns CLI_OK. */
int import_print_report(json_t *rep, int as_json, int rc, const mrt_err *err);

/* An import of one directory: a service call taking the session, the
 * directory and the report out. */
typedef int (*import_dir_fn)(mrt_session *s, const char *dir, json_t **report, mrt_err *err);

/* The whole of `mrt import NAME DIR [--json]`: parses, opens the session,
 * runs fn and prints its report. */
int import_print_run_dir(struct cli_ctx *ctx, const char *name, import_dir_fn fn);

#endif
