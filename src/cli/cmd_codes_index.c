/*
 * `mrt codes index TERM [--table T] [--date D] [--system S] [--json]`: the
 * Alphabetic Index entry for TERM ("Diabetes", "Fracture, femur, neck",
 * "Neoplasm, breast"; --table neoplasm|drug|eindex|index|pcs) with its
 * subterms, codes, table columns and followed see / see-also references.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "service/codetext_svc.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void print_line(json_t *t, int indent)
{
	printf("%*s%s", indent, "", str(t, "title"));
	if (*str(t, "nemod"))
		printf(" %s", str(t, "nemod"));
	if (*str(t, "code"))
		printf("  %s", str(t, "code"));
	if (*str(t, "manif"))
		printf(" [%s]", str(t, "manif"));
	if (*str(t, "see"))
		printf("  - see %s", str(t, "see"));
	if (*str(t, "see_also"))
		printf("  - see also %s", str(t, "see_also"));
	if (*str(t, "use"))
		printf("  - use %s", str(t, "use"));
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(t, "columns"), k, v)
		printf("  %s: %s", k, json_string_value(v));
	printf("\n");
}

static void print_entry(json_t *e, int indent)
{
	json_t *path = json_object_get(e, "path");
	if (json_array_size(path) > 1) {
		size_t i;
		json_t *p;
		printf("%*s", indent, "");
		json_array_foreach(path, i, p)
			printf("%s%s", i ? " > " : "", json_string_value(p));
		printf("\n");
	}
	print_line(e, indent);
	size_t i;
	json_t *t;
	int base = (int)json_integer_value(json_object_get(e, "level"));
	json_array_foreach(json_object_get(e, "subterms"), i, t)
		print_line(t, indent + 2 * ((int)json_integer_value(json_object_get(t, "level")) - base));
	json_array_foreach(json_object_get(e, "followed"), i, t) {
		printf("%*s=> %s %s%s\n", indent, "", str(t, "kind"), str(t, "target"),
		       json_is_true(json_object_get(t, "found")) ? "" : " (no such entry)");
		if (json_object_get(t, "entry"))
			print_entry(json_object_get(t, "entry"), indent + 4);
	}
}

static int run(struct cli_ctx *ctx)
{
	struct codetext_index_req q = { 0 };
	int as_json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *a = ctx->argv[i];
		const char *v = i + 1 < ctx->argc ? ctx->argv[i + 1] : NULL;
		if (strcmp(a, "--json") == 0)
			as_json = 1;
		else if (strcmp(a, "--date") == 0 && v)
			q.date = ctx->argv[++i];
		else if (strcmp(a, "--system") == 0 && v)
			q.system = ctx->argv[++i];
		else if (strcmp(a, "--table") == 0 && v)
			q.table = ctx->argv[++i];
		else if (a[0] != '-' && !q.term)
			q.term = a;
		else
			return cli_usage(ctx, "codes index: unexpected argument %s", a);
	}
	if (!q.term)
		return cli_usage(ctx, "usage: mrt codes index TERM [--table index|eindex|neoplasm|drug|pcs]"
				      " [--date YYYY-MM-DD] [--system S] [--json]");
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *o = NULL;
	rc = codetext_svc_index(s, &q, &o, &err);
	mrt_session_close(s);
	if (rc && !o)
		return cli_fail(&err);
	if (as_json) {
		cli_print_json(o);
	}
	if (rc) {
		int status = cli_fail(&err);
		size_t i;
		json_t *t;
		json_array_foreach(json_object_get(o, "suggestions"), i, t)
			fprintf(stderr, "  did you mean: %s\n", json_string_value(t));
		json_decref(o);
		return status;
	}
	if (!as_json) {
		printf("%s %s index (from release %s, %s)\n", str(o, "system"), str(o, "version"),
		       str(o, "index_release"), str(o, "table"));
		if (*str(o, "source"))
			printf("%s\n", str(o, "source"));
		print_entry(json_object_get(o, "entry"), 0);
	}
	json_decref(o);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_codes_index = {
	"codes", "index", "TERM [--table index|eindex|neoplasm|drug|pcs] [--date YYYY-MM-DD]"
	" [--system icd10cm|icd10pcs] [--json]",
	"navigate the Alphabetic Index and the Neoplasm and Drug tables", run
};
