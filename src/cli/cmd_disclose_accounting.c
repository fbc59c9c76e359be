/*
 * `mrt disclose accounting MRN [--from DATE] [--json]`: the accounting of
 * disclosures (45 CFR 164.528), six years back by default;
 * `mrt disclose accounting MRN --request`: records the patient's request
 * with its 60-day deadline and puts it in the him_technician queue.
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "service/disclose_svc.h"

#define USAGE "MRN [--from YYYY-MM-DD] [--json] | MRN --request [--json]"

static void print_table(json_t *a)
{
	json_t *list = json_object_get(a, "entries");
	printf("accounting of disclosures from %s to %s: %zu entr%s",
	       json_string_value(json_object_get(a, "from")),
	       json_string_value(json_object_get(a, "to")), json_array_size(list),
	       json_array_size(list) == 1 ? "y" : "ies");
	json_int_t susp = json_integer_value(json_object_get(a, "suspended"));
	if (susp)
		printf(" (%lld suspended at an agency's request)", (long long)susp);
	printf("\n%-10s  %-30s  %-14s  %-24s  %s\n", "date", "recipient", "purpose", "legal basis",
	       "released");
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		const char *addr = json_string_value(json_object_get(e, "recipient_address"));
		const char *basis = json_string_value(json_object_get(e, "legal_basis"));
		printf("%-10s  %-30s  %-14s  %-24s  %s\n",
		       json_string_value(json_object_get(e, "date")),
		       json_string_value(json_object_get(e, "recipient")),
		       json_string_value(json_object_get(e, "purpose")), basis ? basis : "",
		       json_string_value(json_object_get(e, "description")));
		if (addr)
			printf("%-10s  %s\n", "", addr);
	}
}

static int run(struct cli_ctx *ctx)
{
	int as_json = 0, request = 0;
	const char *mrn = NULL, *from = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "disclose accounting", USAGE))
			return CLI_OK;
		int r = cli_arg_value(ctx, &i, "--from", &from);
		if (r < 0)
			return CLI_USAGE;
		if (r)
			continue;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (strcmp(ctx->argv[i], "--request") == 0)
			request = 1;
		else if (!mrn && ctx->argv[i][0] != '-')
			mrn = ctx->argv[i];
		else
			return cli_usage(ctx, "disclose accounting: unexpected argument %s", ctx->argv[i]);
	}
	if (!mrn || (request && from))
		return cli_usage(ctx, "usage: mrt disclose accounting %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *out = NULL;
	int64_t id = 0;
	char due[11] = "";
	rc = request ? disclose_svc_request(s, mrn, &id, due, &err)
	             : disclose_svc_accounting(s, mrn, from, &out, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (request && as_json) {
		out = json_pack("{s:I,s:s}", "request", (json_int_t)id, "due", due);
		cli_print_json(out);
	} else if (request) {
		printf("accounting request %lld recorded; due %s (one 30-day extension: mrt disclose "
		       "extend %lld --reason ...)\n", (long long)id, due, (long long)id);
	} else if (as_json) {
		cli_print_json(out);
	} else {
		cli_printable(out);
		print_table(out);
	}
	json_decref(out);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_disclose_accounting = { "disclose", "accounting", USAGE,
	"accounting of disclosures for a patient, or record a request for one", run };
