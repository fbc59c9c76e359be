/*
 * `mrt retention list [--json]`: the retention schedule (classes adult and
 * minor, years after the last discharge, years past the age of majority)
 * and the age of majority.
 */
#include <stdio.h>

#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/retention_svc.h"

#define USAGE "[--json]"

static void print_schedule(json_t *o)
{
	static const char *const keys[] = { "class", "years_after_discharge",
	                                    "years_after_majority", "note",
	                                    "updated_at", "updated_by", NULL };
	rq_print_table(json_object_get(o, "classes"), keys, "no classes");
	printf("age of majority: %lld\n",
	       (long long)json_integer_value(json_object_get(o, "age_of_majority")));
}

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	(void)arg;
	return retention_svc_list(s, out, err);
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json } };
	int rc = rq_parse(ctx, "retention list", USAGE, opts, 1, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load, NULL, print_schedule);
}

const struct cli_cmd cli_cmd_retention_list = { "retention", "list", USAGE,
	"show the retention schedule", run };
