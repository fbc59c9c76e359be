/*
 * Option tables and printing for the request, representative, mandated,
 * retention and hold commands; see cmd_request_args.h.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cmd_request_args.h"

struct table {
	const struct rq_opt *opts;
	int n;
};

static int take(struct cli_ctx *ctx, int *i, void *arg)
{
	const struct table *t = arg;
	for (int k = 0; k < t->n; k++) {
		const struct rq_opt *o = &t->opts[k];
		if (o->flag) {
			if (strcmp(ctx->argv[*i], o->name) == 0) {
				*o->flag = 1;
				return 1;
			}
			continue;
		}
		int r = cli_arg_value(ctx, i, o->name, o->value);
		if (r)
			return r;
	}
	return 0;
}

static const char *value_of(const struct rq_opt *opts, int n, const char *name)
{
	for (int k = 0; k < n; k++)
		if (strcmp(opts[k].name, name) == 0)
			return opts[k].value ? *opts[k].value : (*opts[k].flag ? "" : NULL);
	return NULL;
}

int rq_parse_take(struct cli_ctx *ctx, const char *name, const char *usage, rq_take_fn fn,
                  void *arg, const char **positional, const char *other)
{
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, name, usage))
			return 1;
		int r = fn(ctx, &i, arg);
		if (r < 0)
			return CLI_USAGE;
		if (r > 0)
			continue;
		if (positional && !*positional && ctx->argv[i][0] != '-') {
			*positional = ctx->argv[i];
			continue;
		}
		return cli_usage(ctx, "%s: %s argument %s", name, other, ctx->argv[i]);
	}
	return 0;
}

int rq_parse_args(struct cli_ctx *ctx, const char *name, const char *usage,
                  const struct rq_opt *opts, int n, const char **positional, const char *other)
{
	struct table t = { opts, n };
	return rq_parse_take(ctx, name, usage, take, &t, positional, other);
}

int rq_parse(struct cli_ctx *ctx, const char *name, const char *usage, const struct rq_opt *opts,
             int n, const char **positional, const char *const *required)
{
	int rc = rq_parse_args(ctx, name, usage, opts, n, positional, "unexpected");
	if (rc)
		return rc;
	if (positional && !*positional)
		return cli_usage(ctx, "usage: mrt %s %s", name, usage);
	for (int k = 0; required && required[k]; k++)
		if (!value_of(opts, n, required[k]))
			return cli_usage(ctx, "%s: %s is required (usage: mrt %s %s)", name, required[k], name,
			                 usage);
	return 0;
}

int rq_parse_id(struct cli_ctx *ctx, const char *name, const char *v, int64_t *id)
{
	if (!v || mrt_parse_i64(id, v) != 0 || *id <= 0)
		return cli_usage(ctx, "%s: the ID must be a positive number", name);
	return 0;
}

int rq_yes_no(const char *v)
{
	if (!v)
		return -1;
	if (strcmp(v, "yes") == 0)
		return 1;
	if (strcmp(v, "no") == 0)
		return 0;
	return -2;
}

static void print_value(json_t *v, int width)
{
	char buf[64];
	const char *s = buf;
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
	else if (json_is_true(v))
		s = "yes";
	else if (json_is_false(v))
		s = "no";
	else
		s = "-";
	printf("%-*s", width, s);
}

void rq_print_table(json_t *rows, const char *const *keys, const char *empty)
{
	int w[32];
	int nk = 0;
	for (; keys[nk] && nk < 32; nk++) {
		w[nk] = (int)strlen(keys[nk]);
		size_t i;
		json_t *r;
		json_array_foreach(rows, i, r) {
			json_t *v = json_object_get(r, keys[nk]);
			int len = json_is_string(v) ? (int)strlen(json_string_value(v)) : 5;
			if (len > w[nk])
				w[nk] = len > 40 ? 40 : len;
		}
	}
	for (int k = 0; k < nk; k++)
		printf("%-*s%s", k + 1 < nk ? w[k] : 0, keys[k], k + 1 < nk ? "  " : "\n");
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		for (int k = 0; k < nk; k++) {
			print_value(json_object_get(r, keys[k]), k + 1 < nk ? w[k] : 0);
			printf("%s", k + 1 < nk ? "  " : "\n");
		}
	}
	if (json_array_size(rows) == 0)
		printf("(%s)\n", empty);
}

void rq_print_object(json_t *o)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		if (json_is_array(v)) {
			printf("%s:\n", key);
			size_t i;
			json_t *e;
			json_array_foreach(v, i, e) {
				printf("  -");
				const char *k2;
				json_t *v2;
				json_object_foreach(e, k2, v2) {
					printf(" %s=", k2);
					print_value(v2, 0);
				}
				printf("\n");
			}
			continue;
		}
		printf("%-20s ", key);
		print_value(v, 0);
		printf("\n");
	}
}
