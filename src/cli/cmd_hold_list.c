/*
 * `mrt hold list [--patient MRN] [--all] [--json]`: the active legal holds
 * (--all: released and expired ones too).
 */
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"
#include "service/retention_svc.h"

#define USAGE "[--patient MRN] [--all] [--json]"

struct query {
	const char *mrn;
	int all;
};

static int load(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	const struct query *q = arg;
	return retention_svc_hold_list(s, q->mrn, q->all, out, err);
}

static int run(struct cli_ctx *ctx)
{
	struct query q = { 0 };
	int as_json = 0;
	const struct rq_opt opts[] = { { "--patient", &q.mrn, NULL }, { "--all", NULL, &q.all },
	                               { "--json", NULL, &as_json } };
	int rc = rq_parse(ctx, "hold list", USAGE, opts, 3, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	static const char *const keys[] = { "id", "mrn", "matter", "placed_at", "placed_by",
	                                    "until_date", "active", "released_at", NULL };
	return cli_load_table(ctx, as_json, load, &q, keys, "no legal holds");
}

const struct cli_cmd cli_cmd_hold_list = { "hold", "list", USAGE,
	"list legal holds", run };
