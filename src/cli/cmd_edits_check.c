/*
 * `mrt edits check --claims FILE.jsonl [--json] [--release VERSION]`: runs
 * the code editor (the CMS MCE edits and the tabular rules) over claims in
 * the project's claim JSONL ("-" reads standard input). With --json, one
 * JSON object per claim in input order ({"id", "status", "edits",
 * "findings", "release", ...}); without, a table a coder can read. A line
 * that cannot be read is an error for that line and the run goes on; the
 * exit status is 1 when any line was an error.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/edits_svc.h"

#define USAGE "--claims FILE.jsonl [--json] [--release VERSION]"

static int run(struct cli_ctx *ctx)
{
	struct edits_check_opts o = {.out = stdout};
	const struct rq_opt opts[] = {
	    {"--claims", &o.path, NULL},
	    {"--json", NULL, &o.as_json},
	    {"--release", &o.release, NULL},
	};
	int rc = cli_parse_opts(ctx, "edits check", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	if (!o.path)
		return cli_usage(ctx, "usage: mrt edits check " USAGE);
	mrt_session *s = NULL;
	rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	long nclaims = 0, nerrors = 0;
	rc = edits_svc_check_file(s, &o, &nclaims, &nerrors, &err);
	mrt_session_close(s);
	fflush(stdout);
	if (rc)
		return cli_fail(&err);
	if (!o.as_json)
		printf("%ld claim%s edited, %ld line%s not read\n", nclaims,
		       nclaims == 1 ? "" : "s", nerrors, nerrors == 1 ? "" : "s");
	if (nerrors)
		fprintf(stderr, "mrt: edits check: %ld line%s could not be read\n", nerrors,
			nerrors == 1 ? "" : "s");
	return nerrors ? CLI_FAIL : CLI_OK;
}

const struct cli_cmd cli_cmd_edits_check = {
    "edits", "check", USAGE,
    "the CMS MCE edits and the tabular rules over claims from a JSONL file", run};
