/*
 * `mrt codes load PATH... [--system S] [--replace] [--json]` and
 * `mrt codes load --all`: loads code-set releases from the publishers'
 * files (plain, inside the CMS zips, or folders of them), the CMS MCE
 * definitions texts and POA-exempt lists; --all also loads share/mce/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/share_dir.h"
#include "service/codes_svc.h"

static void print_human(json_t *rep, double secs)
{
	size_t i;
	json_t *r;
	json_array_foreach(rep, i, r) {
		const char *sys = json_string_value(json_object_get(r, "system"));
		if (strcmp(sys, "mce") == 0 || strcmp(sys, "poa") == 0)
			printf("%-8s %-7s %-9s %7lld %s  (%s .. %s)\n", sys,
			       json_string_value(json_object_get(r, "version")),
			       json_string_value(json_object_get(r, "action")),
			       (long long)json_integer_value(json_object_get(r, "codes")),
			       sys[0] == 'm' ? "list entries" : "exempt codes",
			       json_string_value(json_object_get(r, "effective_from")),
			       json_string_value(json_object_get(r, "effective_to")));
		else
			printf("%-8s %-7s %-9s %7lld codes, %6lld billable  (%s .. %s)\n", sys,
			       json_string_value(json_object_get(r, "version")),
			       json_string_value(json_object_get(r, "action")),
			       (long long)json_integer_value(json_object_get(r, "codes")),
			       (long long)json_integer_value(json_object_get(r, "billable")),
			       json_string_value(json_object_get(r, "effective_from")),
			       json_string_value(json_object_get(r, "effective_to")));
		size_t j;
		json_t *f;
		json_array_foreach(json_object_get(r, "files"), j, f) {
			printf("    %-13s %-9s %7lld rows  %s\n", json_string_value(json_object_get(f, "kind")),
			       json_string_value(json_object_get(f, "status")),
			       (long long)json_integer_value(json_object_get(f, "rows")),
			       json_string_value(json_object_get(f, "name")));
		}
	}
	printf("%zu release%s in %.2f s\n", json_array_size(rep), json_array_size(rep) == 1 ? "" : "s", secs);
}

static int run(struct cli_ctx *ctx)
{
	struct codes_svc_load_req req = { 0 };
	int all = 0, as_json = 0;
	char share[4096];
	const char **paths = calloc((size_t)ctx->argc + 1, sizeof *paths);
	if (!paths)
		return CLI_FAIL;
	size_t n = 0;
	for (int i = 1; i < ctx->argc; i++) {
		const char *a = ctx->argv[i];
		if (strcmp(a, "--all") == 0)
			all = 1;
		else if (strcmp(a, "--replace") == 0)
			req.replace = 1;
		else if (strcmp(a, "--json") == 0)
			as_json = 1;
		else if (strcmp(a, "--system") == 0 && i + 1 < ctx->argc)
			req.system = ctx->argv[++i];
		else if (strncmp(a, "--system=", 9) == 0)
			req.system = a + 9;
		else if (a[0] == '-' && a[1]) {
			free(paths);
			return cli_usage(ctx, "codes load: unknown option %s", a);
		} else
			paths[n++] = a;
	}
	if (all && n) {
		free(paths);
		return cli_usage(ctx, "codes load: give PATHs or --all, not both");
	}
	if (all) {
		if (!ctx->data_dir) {
			free(paths);
			return cli_usage(ctx, "codes load --all: no data folder (use --data DIR or $MRT_DATA)");
		}
		paths[n++] = ctx->data_dir;
		/* The derived MCE lists shipped with mrt (FY2025, see docs/mce.md). */
		if (cli_share_dir(share, sizeof share, "mce"))
			paths[n++] = share;
	}
	if (!n) {
		free(paths);
		return cli_usage(ctx, "usage: mrt codes load PATH... [--system icd10cm|icd10pcs] [--replace] "
		                      "[--json] | mrt codes load --all");
	}
	req.paths = paths;
	req.npaths = n;
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc) {
		free(paths);
		return rc;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	mrt_err err = { 0 };
	json_t *rep = NULL;
	rc = codes_svc_load(s, &req, &rep, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	mrt_session_close(s);
	free(paths);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		json_t *o = json_pack("{s:O, s:f}", "releases", rep, "seconds", secs);
		cli_print_json(o);
		json_decref(o);
	} else {
		print_human(rep, secs);
	}
	json_decref(rep);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_codes_load = {
	"codes", "load", "PATH... [--system icd10cm|icd10pcs] [--replace] [--json] | --all [--json]",
	"load ICD-10-CM/PCS releases from the CMS/CDC files", run
};
