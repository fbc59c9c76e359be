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

struct query {
	const struct edits_findings_opts *o;
	long *hidden;
};

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	const struct query *q = arg;
	return edits_svc_findings(s, q->o, out, q->hidden, err);
}

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
	static const char *const keys[] = {"account",  "kind",	 "rule",      "code",	 "code2",
					   "severity", "status", "opened_at", "message", NULL};
	long hidden = 0;
	const struct query q = {&o, &hidden};
	rc = cli_load_table(ctx, as_json, load, &q, keys, "no findings");
	if (rc == CLI_OK && !as_json && hidden)
		printf("(%ld encounter%s with findings not shown: restricted records)\n", hidden,
		       hidden == 1 ? "" : "s");
	return rc;
}

const struct cli_cmd cli_cmd_edits_findings = {
    "edits", "findings", USAGE, "the findings of the edit runs, as a coder reads them", run};
