/*
 * `mrt edits run [--account ACC | --from DATE --to DATE] [--release VERSION]
 * [--json]`: edits stored encounters (finished, with a coding; one account,
 * those discharged in the dates, or all), keeps each finding, closes the
 * ones fixed since the last run and opens a coder work item per encounter
 * with open findings. Prints the run's counts: encounters edited and
 * skipped, findings new, still open and closed, and the same by rule.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/edits_svc.h"

#define USAGE "[--account ACC | --from DATE --to DATE] [--release VERSION] [--json]"

static long num(json_t *o, const char *a, const char *b)
{
	return (long)json_integer_value(json_object_get(json_object_get(o, a), b));
}

static void print_summary(json_t *sum)
{
	printf("edit run %ld%s%s\n", (long)json_integer_value(json_object_get(sum, "run")),
	       json_is_string(json_object_get(sum, "release")) ? ", MCE release " : "",
	       cli_json_str(sum, "release"));
	printf("encounters: %ld selected, %ld edited, %ld skipped (no access), %ld not edited "
	       "(%ld no coding, %ld no ICD-10-CM principal dx, %ld outside the MCE releases)\n",
	       num(sum, "encounters", "selected"), num(sum, "encounters", "edited"),
	       num(sum, "encounters", "skipped_access"), num(sum, "encounters", "skipped_other"),
	       num(sum, "encounters", "no_coding"), num(sum, "encounters", "no_principal"),
	       num(sum, "encounters", "outside_releases"));
	printf("findings: %ld new, %ld still open, %ld closed\n", num(sum, "findings", "new"),
	       num(sum, "findings", "still_open"), num(sum, "findings", "closed"));
	printf("coder work items: %ld opened, %ld closed\n", num(sum, "work_items", "opened"),
	       num(sum, "work_items", "closed"));
	static const char *const keys[] = {"kind",   "rule",	    "new", "still_open",
					   "closed", "occurrences", NULL};
	printf("\n");
	rq_print_table(json_object_get(sum, "by_rule"), keys, "no findings");
}

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	return edits_svc_run(s, arg, out, err);
}

static int run(struct cli_ctx *ctx)
{
	struct edits_run_opts o = {0};
	int as_json = 0;
	const struct rq_opt opts[] = {
	    {"--account", &o.account, NULL}, {"--from", &o.from, NULL},	 {"--to", &o.to, NULL},
	    {"--release", &o.release, NULL}, {"--json", NULL, &as_json},
	};
	int rc = cli_parse_opts(ctx, "edits run", USAGE, opts, CLI_NOPTS(opts));
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	if (o.account && (o.from || o.to))
		return cli_usage(ctx, "edits run: give --account or --from/--to, not both");
	return cli_load_print(ctx, as_json, load, &o, print_summary);
}

const struct cli_cmd cli_cmd_edits_run = {
    "edits", "run", USAGE,
    "edit stored encounters, keep the findings and route them to the coder queue", run};
