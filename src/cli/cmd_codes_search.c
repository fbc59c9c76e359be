/*
 * `mrt codes search TEXT [--date D] [--system S] [--limit N] [--json]`:
 * codes whose title, inclusion terms or index terms hold every word of
 * TEXT (as word prefixes, in any order), best first, in the release of each
 * system in effect on the date.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/str.h"
#include "cli/cli.h"
#include "service/codetext_svc.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void print_rows(json_t *arr)
{
	size_t i;
	json_t *r;
	json_array_foreach(arr, i, r) {
		printf("%-9s %-8s %s %s\n", str(r, "code_dotted"), str(r, "system"),
		       json_is_true(json_object_get(r, "billable")) ? "*" : " ",
		       str(r, "long_title"));
		if (strcmp(str(r, "match_kind"), "title") != 0)
			printf("%20s%s: %s\n", "", str(r, "match_kind"), str(r, "matched"));
	}
	if (json_array_size(arr) == 0)
		printf("no match\n");
}

static int run(struct cli_ctx *ctx)
{
	struct codetext_search_req q = { 0 };
	int as_json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *a = ctx->argv[i];
		const char *v = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
		if (strcmp(a, "--json") == 0) {
			as_json = 1;
		} else if (strcmp(a, "--date") == 0 && v) {
			q.date = v;
			i++;
		} else if (strcmp(a, "--system") == 0 && v) {
			q.system = v;
			i++;
		} else if (strcmp(a, "--limit") == 0 && v) {
			if (mrt_parse_int(&q.limit, v) != 0 || q.limit < 1)
				return cli_usage(ctx, "codes search: --limit needs a positive number");
			i++;
		} else if (a[0] != '-' && !q.text) {
			q.text = a;
		} else {
			return cli_usage(ctx, "codes search: unexpected argument %s", a);
		}
	}
	if (!q.text)
		return cli_usage(ctx, "usage: mrt codes search TEXT [--date YYYY-MM-DD] [--system S]"
				      " [--limit N] [--json]");
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *o = NULL;
	rc = codetext_svc_search(s, &q, &o, &err);
	mrt_session_close(s);
	if (rc) {
		json_decref(o);
		return cli_fail(&err);
	}
	if (as_json) {
		cli_print_json(o);
	} else {
		print_rows(o);
	}
	json_decref(o);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_codes_search = {
	"codes", "search", "TEXT [--date YYYY-MM-DD] [--system icd10cm|icd10pcs] [--limit N] [--json]",
	"search code titles, inclusion terms and index terms", run
};
