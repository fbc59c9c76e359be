/*
 * `mrt mandated new --patient MRN --kind KIND --jurisdiction J --legal-basis B
 * --agency A [--agency-address ADDR] --items LIST [--encounter ACCOUNT]
 * [--due DATE] [--patient-informed yes|no|withheld [--informed-on DATE]
 * --withheld-reason R] [--patient-objection T] [--may-tell T] [--json]`:
 * files a mandated report (draft) with its due date.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/mandated_svc.h"

#define USAGE "--patient MRN --kind child-abuse|elder-abuse|domestic-violence|" \
	"reportable-disease|wound|cancer-registry --jurisdiction TEXT --legal-basis TEXT " \
	"--agency NAME [--agency-address ADDR] --items LIST [--encounter ACCOUNT] [--due YYYY-MM-DD] " \
	"[--patient-informed yes|no|withheld] [--informed-on YYYY-MM-DD] [--withheld-reason TEXT] " \
	"[--patient-objection TEXT] [--may-tell TEXT] [--json]"

static int run(struct cli_ctx *ctx)
{
	struct mandated_new n = { 0 };
	int as_json = 0;
	const struct rq_opt opts[] = {
		{ "--patient", &n.mrn, NULL }, { "--kind", &n.kind, NULL },
		{ "--jurisdiction", &n.jurisdiction, NULL }, { "--legal-basis", &n.legal_basis, NULL },
		{ "--agency-address", &n.agency_address, NULL }, { "--agency", &n.agency, NULL },
		{ "--items", &n.items, NULL }, { "--encounter", &n.encounter, NULL },
		{ "--due", &n.due, NULL }, { "--patient-informed", &n.informed, NULL },
		{ "--informed-on", &n.informed_on, NULL }, { "--withheld-reason", &n.withheld_reason, NULL },
		{ "--patient-objection", &n.objection, NULL }, { "--may-tell", &n.may_tell, NULL },
		{ "--json", NULL, &as_json },
	};
	static const char *const required[] = { "--patient", "--kind", "--jurisdiction",
	                                        "--legal-basis", "--agency", "--items", NULL };
	int rc = rq_parse(ctx, "mandated new", USAGE, opts, (int)(sizeof opts / sizeof opts[0]), NULL,
	                  required);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	int64_t id = 0;
	char due[11] = "";
	rc = mandated_svc_new(s, &n, &id, due, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "status", "draft", "due_date",
		                      due);
		cli_print_json(o);
		json_decref(o);
	} else {
		printf("mandated report %" PRId64 " filed (draft), due %s\n", id, due);
	}
	return CLI_OK;
}

const struct cli_cmd cli_cmd_mandated_new = { "mandated", "new", USAGE,
	"file a mandated report (abuse, disease, wound, cancer registry)", run };
