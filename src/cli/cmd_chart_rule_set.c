/*
 * `mrt chart rule-set`: changes one row of the chart deficiency rules (a
 * class's requirement, or a procedure kind that needs an operative
 * report); admin or him_technician, audited.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/chartqa_svc.h"

#define USAGE                                                                                      \
	"--class CLASS --requirement REQ [--doc-kind KIND] [--before-hours N] [--after-hours N]"   \
	" [--short-stay-hours N] [--short-stay-kind KIND] [--delinquent-days N]"                   \
	" [--enable|--disable] | --operative-section C --approach C|any [--enable|--disable]"

static int number(struct cli_ctx *ctx, const char *opt, const char *v, int *out)
{
	char *end = NULL;
	if (!v)
		return 0;
	long n = strtol(v, &end, 10);
	if (*v == 0 || *end || n < 0 || n > 100000)
		return cli_usage(ctx, "chart rule-set: %s: a whole number from 0", opt);
	*out = (int)n;
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	struct chartqa_rule_set r = {.before_hours = -1,
				     .after_hours = -1,
				     .short_stay_hours = -1,
				     .delinquent_days = -1,
				     .enabled = -1};
	const char *bh = NULL, *ah = NULL, *sh = NULL, *dd = NULL;
	int en = 0, dis = 0;
	const struct rq_opt opts[] = {
	    {"--class", &r.cls, NULL},
	    {"--requirement", &r.requirement, NULL},
	    {"--doc-kind", &r.doc_kind, NULL},
	    {"--before-hours", &bh, NULL},
	    {"--after-hours", &ah, NULL},
	    {"--short-stay-hours", &sh, NULL},
	    {"--short-stay-kind", &r.short_stay_kind, NULL},
	    {"--delinquent-days", &dd, NULL},
	    {"--enable", NULL, &en},
	    {"--disable", NULL, &dis},
	    {"--operative-section", &r.op_section, NULL},
	    {"--approach", &r.op_approach, NULL},
	};
	int rc = cli_parse_opts(ctx, "chart rule-set", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	if ((rc = number(ctx, "--before-hours", bh, &r.before_hours)) ||
	    (rc = number(ctx, "--after-hours", ah, &r.after_hours)) ||
	    (rc = number(ctx, "--short-stay-hours", sh, &r.short_stay_hours)) ||
	    (rc = number(ctx, "--delinquent-days", dd, &r.delinquent_days)))
		return rc;
	if (en && dis)
		return cli_usage(ctx, "chart rule-set: --enable or --disable, not both");
	if (r.op_section && !r.op_approach)
		return cli_usage(ctx, "chart rule-set: --operative-section needs --approach");
	r.enabled = en ? 1 : dis ? 0 : -1;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = {0};
	rc = chartqa_svc_rule_set(s, &r, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("rule changed\n");
	return CLI_OK;
}

const struct cli_cmd cli_cmd_chart_rule_set = {"chart", "rule-set", USAGE,
					       "change a chart deficiency rule", run};
