/*
 * `mrt import rejects [--kind K] [--limit N] [--json]` lists what the
 * imports could not read (no content); `mrt import rejects --show ID
 * [--json]` prints one reject's content as it was kept (audited).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/import_rejects.h"

#define USAGE "[--kind K] [--limit N] [--json] | --show ID [--json]"

static void print_list(json_t *a)
{
	printf("%6s  %-8s %-20s %-28s %9s  %s\n", "id", "kind", "first seen", "position", "size",
	       "source / reason");
	size_t i;
	json_t *r;
	json_array_foreach(a, i, r)
	{
		printf("%6lld  %-8s %-20.19s %-28s %9lld  %s\n",
		       (long long)json_integer_value(json_object_get(r, "id")),
		       json_string_value(json_object_get(r, "kind")),
		       json_string_value(json_object_get(r, "first_seen")),
		       json_string_value(json_object_get(r, "position")),
		       (long long)json_integer_value(json_object_get(r, "size")),
		       json_string_value(json_object_get(r, "source")));
		printf("%6s  %s\n", "", json_string_value(json_object_get(r, "reason")));
	}
	printf("%zu reject%s\n", json_array_size(a), json_array_size(a) == 1 ? "" : "s");
}

/* The content as text when it is UTF-8, else as base64. */
static json_t *show_json(const struct chart_reject *r)
{
	json_t *o =
	    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)r->id, "kind", r->kind,
		      "source", r->source, "position", r->position, "reason", r->reason,
		      "first_seen", r->first_seen, "sha256", r->sha256, "size", (json_int_t)r->len);
	json_t *text = json_stringn((const char *)r->content, r->len);
	if (o && text) {
		json_object_set_new(o, "content", text);
		return o;
	}
	size_t n = sodium_base64_encoded_len(r->len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(n);
	if (o && b64) {
		sodium_bin2base64(b64, n, r->content, r->len, sodium_base64_VARIANT_ORIGINAL);
		json_object_set_new(o, "content_base64", json_string(b64));
	}
	free(b64);
	return o;
}

static int show(struct cli_ctx *ctx, const char *id_text, int as_json)
{
	int64_t id;
	if (mrt_parse_i64(&id, id_text) != 0 || id <= 0)
		return cli_usage(ctx, "import rejects: --show takes a reject id (a number)");
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	struct chart_reject *r = NULL;
	rc = import_rejects_show(s, id, &r, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		json_t *o = show_json(r);
		cli_print_json(o);
		json_decref(o);
	} else {
		fwrite(r->content, 1, r->len, stdout);
	}
	chart_reject_free(r);
	return CLI_OK;
}

static int list(struct cli_ctx *ctx, const char *kind, const char *limit_text, int as_json)
{
	int64_t limit = 0;
	if (limit_text && (mrt_parse_i64(&limit, limit_text) != 0 || limit <= 0))
		return cli_usage(ctx, "import rejects: --limit takes a positive number");
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = {0};
	json_t *a = NULL;
	rc = import_rejects_list(s, kind, (size_t)limit, &a, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json)
		cli_print_json(a);
	else
		print_list(a);
	json_decref(a);
	return CLI_OK;
}

static int run(struct cli_ctx *ctx)
{
	const char *kind = NULL, *limit = NULL, *show_id = NULL, *v;
	int as_json = 0, r = 0;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "import rejects", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if ((r = cli_arg_value(ctx, &i, "--kind", &v)) != 0)
			kind = v;
		else if ((r = cli_arg_value(ctx, &i, "--limit", &v)) != 0)
			limit = v;
		else if ((r = cli_arg_value(ctx, &i, "--show", &v)) != 0)
			show_id = v;
		else
			return cli_usage(ctx, "import rejects: unknown argument %s", ctx->argv[i]);
		if (r < 0)
			return CLI_USAGE;
	}
	if (show_id && (kind || limit))
		return cli_usage(ctx, "import rejects: --show takes no --kind or --limit");
	return show_id ? show(ctx, show_id, as_json) : list(ctx, kind, limit, as_json);
}

const struct cli_cmd cli_cmd_import_rejects = {
    "import", "rejects", USAGE, "list what imports could not read; --show ID prints one", run};
