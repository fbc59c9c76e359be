/*
 * `mrt representative add --patient MRN --name NAME --relation
 * parent|guardian|healthcare-poa|executor|other --authority TEXT [--from DATE]
 * [--until DATE] [--exception minor-consented|court-authorized|
 * confidentiality-agreed] [--refuse REASON] [--json]`: records the decision to
 * recognise (or, with --refuse, not to recognise: 164.502(g)(5)) someone as
 * the patient's personal representative, and says whether they act today.
 */
#include <stdio.h>

#include "cli/cmd_request_args.h"
#include "service/request_svc.h"

#define USAGE "--patient MRN --name NAME --relation parent|guardian|healthcare-poa|executor|other " \
	"--authority TEXT [--from YYYY-MM-DD] [--until YYYY-MM-DD] " \
	"[--exception minor-consented|court-authorized|confidentiality-agreed] [--refuse REASON] " \
	"[--json]"

static int run(struct cli_ctx *ctx)
{
	struct rep_new n = { 0 };
	int as_json = 0;
	const struct rq_opt opts[] = {
		{ "--patient", &n.mrn, NULL }, { "--name", &n.name, NULL },
		{ "--relation", &n.relation, NULL }, { "--authority", &n.authority, NULL },
		{ "--from", &n.from, NULL }, { "--until", &n.until, NULL },
		{ "--exception", &n.exception, NULL }, { "--refuse", &n.refuse, NULL },
		{ "--json", NULL, &as_json },
	};
	static const char *const required[] = { "--patient", "--name", "--relation", "--authority",
	                                        NULL };
	int rc = rq_parse(ctx, "representative add", USAGE, opts, 9, NULL, required);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	json_t *o = NULL;
	rc = request_svc_rep_add(s, &n, &o, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(o);
	else
		printf("personal representative %lld %s; acts today: %s (%s)\n",
		       (long long)json_integer_value(json_object_get(o, "id")),
		       json_string_value(json_object_get(o, "decision")),
		       json_is_true(json_object_get(o, "valid_today")) ? "yes" : "no",
		       json_string_value(json_object_get(o, "reason")));
	json_decref(o);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_representative_add = { "representative", "add", USAGE,
	"record a personal representative (or the refusal of one)", run };
