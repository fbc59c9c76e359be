/*
 * `mrt edits findings [--account ACC] [--status open|closed|all] [--rule R]
 * [--json]`: the findings kept by `mrt edits run`, as a coder reads them
 * (encounter, rule, code, severity, message, when opened). Encounters the
 * user may not see are left out; the table says how many.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/edits_findings.h"

#define USAGE "[--account ACC] [--status open|closed|all] [--rule RULE] [--json]"

static int run(struct cli_ctx *ctx)
{
	struct edits_findings_opts o = {0};
	int as_json = 0;
	const struct rq_opt opts[] = {
	    {"--account", &o.account, NULL},
	    {"--status", &o.status, NULL},
	    {"--rule", &o.rule, NULL},
	    {"--json", NULL, &as_json},
	};
	int rc = cli_parse_opts(ctx, "edits findings", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = {0};
	json_t *rows = NULL;
	long hidden = 0;
	rc = edits_svc_findings(s, &o, &rows, &hidden, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	static const char *const keys[] = {"account",  "kind",	 "rule",      "code",	 "code2",
					   "severity", "status", "opened_at", "message", NULL};
	if (as_json)
		cli_print_json(rows);
	else
		rq_print_table(rows, keys, "no findings");
	if (!as_json && hidden)
		printf("(%ld encounter%s with findings not shown: restricted records)\n", hidden,
		       hidden == 1 ? "" : "s");
	json_decref(rows);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_edits_findings = {
    "edits", "findings", USAGE, "the findings of the edit runs, as a coder reads them", run};
