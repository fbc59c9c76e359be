/*
 * `mrt codes show CODE [--date YYYY-MM-DD] [--system S] [--json]`: a code
 * in the release in effect on the date (today by default), with its
 * headers, chapter, billable children and notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "service/codes_svc.h"

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Notes as a coder reads them in the Tabular List: by kind, each with the
 * code (or section/chapter) it is written at and the release it comes from. */
static void print_notes(json_t *notes)
{
	static const char *const kinds[][2] = {
		{ "inclusion_terms", "Inclusion terms" }, { "includes", "Includes" },
		{ "excludes1", "Excludes1" },             { "excludes2", "Excludes2" },
		{ "code_first", "Code first" },           { "use_additional_code", "Use additional code" },
		{ "code_also", "Code also" },             { "notes", "Note" },
		{ "seventh_character_note", "7th character" },
		{ "seventh_characters", "7th characters" },
	};
	if (!json_object_size(notes))
		return;
	if (*str(notes, "source"))
		printf("  (%s)\n", str(notes, "source"));
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		json_t *arr = json_object_get(notes, kinds[k][0]);
		size_t i;
		json_t *n;
		if (!json_array_size(arr))
			continue;
		printf("  %s:\n", kinds[k][1]);
		json_array_foreach(arr, i, n) {
			const char *ch = str(n, "char");
			printf("    %s%s%s  [%s, %s]\n", ch, *ch ? " " : "", str(n, "text"), str(n, "at"),
			       str(n, "release"));
		}
	}
}

static void print_code(json_t *o)
{
	printf("%s  %s %s%s\n", str(o, "code_dotted"), str(o, "system"), str(o, "version"),
	       json_is_true(json_object_get(o, "billable")) ? "  billable" : "  header (not billable)");
	printf("  %s\n", str(o, "long_title"));
	if (strcmp(str(o, "short_title"), str(o, "long_title")) != 0)
		printf("  short: %s\n", str(o, "short_title"));
	json_t *ch = json_object_get(o, "chapter");
	if (json_is_object(ch))
		printf("  %s %s: %s\n", str(ch, "kind"), str(ch, "number"), str(ch, "title"));
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(o, "parents"), i, p)
		printf("  in %-8s %s\n", str(p, "code_dotted"), str(p, "long_title"));
	json_array_foreach(json_object_get(o, "children"), i, p)
		printf("  -> %-8s %s\n", str(p, "code_dotted"), str(p, "long_title"));
	print_notes(json_object_get(o, "notes"));
}

static void print_other(json_t *o, int rc)
{
	size_t i;
	json_t *r;
	if (rc == MRT_EAMBIG) {
		json_array_foreach(json_object_get(o, "matches"), i, r)
			fprintf(stderr, "  %-8s %-7s %s  %s\n", str(r, "system"), str(r, "version"), str(r, "code"),
			        str(r, "long_title"));
		return;
	}
	json_t *in = json_object_get(o, "found_in");
	if (json_array_size(in) == 0) {
		fprintf(stderr, "  it is in no loaded release\n");
		return;
	}
	fprintf(stderr, "  it exists in:\n");
	json_array_foreach(in, i, r)
		fprintf(stderr, "  %-8s %-7s %s .. %s\n", str(r, "system"), str(r, "version"),
		        str(r, "effective_from"), str(r, "effective_to"));
}

static int run(struct cli_ctx *ctx)
{
	struct codes_show_req q = { 0 };
	int as_json = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *a = ctx->argv[i];
		if (strcmp(a, "--json") == 0)
			as_json = 1;
		else if (strcmp(a, "--date") == 0 && i + 1 < ctx->argc)
			q.date = ctx->argv[++i];
		else if (strncmp(a, "--date=", 7) == 0)
			q.date = a + 7;
		else if (strcmp(a, "--system") == 0 && i + 1 < ctx->argc)
			q.system = ctx->argv[++i];
		else if (strncmp(a, "--system=", 9) == 0)
			q.system = a + 9;
		else if (a[0] != '-' && !q.code)
			q.code = a;
		else
			return cli_usage(ctx, "codes show: unexpected argument %s", a);
	}
	if (!q.code)
		return cli_usage(ctx, "usage: mrt codes show CODE [--date YYYY-MM-DD] [--system S] [--json]");
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *o = NULL;
	rc = codes_svc_show(s, &q, &o, &err);
	mrt_session_close(s);
	if (rc && !o)
		return cli_fail(&err);
	if (as_json) {
		cli_print_json(o);
	}
	if (rc) {
		int status = cli_fail(&err);
		print_other(o, rc);
		json_decref(o);
		return status;
	}
	if (!as_json)
		print_code(o);
	json_decref(o);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_codes_show = {
	"codes", "show", "CODE [--date YYYY-MM-DD] [--system icd10cm|icd10pcs] [--json]",
	"show a code in the release in effect on a date", run
};
