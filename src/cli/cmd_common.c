/*
 * The shapes many commands share (actions on an ID, shows, listings); see
 * cmd_common.h.
 */
#include <stdio.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/chart_print.h"
#include "cli/cmd_common.h"
#include "cli/cmd_request_args.h"

const char *cli_json_str(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

int cli_parse_opts(struct cli_ctx *ctx, const char *name, const char *usage,
                   const struct rq_opt *opts, int n)
{
	return rq_parse_args(ctx, name, usage, opts, n, NULL, "unknown");
}

void cli_print_id_json(int64_t id)
{
	json_t *o = json_pack("{s:I}", "id", (json_int_t)id);
	cli_print_json(o);
	json_decref(o);
}

int cli_id_cmd_run(struct cli_ctx *ctx, const struct cli_id_cmd *c)
{
	struct cli_id_args a = { 0 };
	const struct rq_opt opt[] = { { c->opt, &a.text, NULL } };
	const char *const required[] = { c->opt, NULL };
	int named = c->opt_required && !c->plain_usage;
	int n = c->opt ? 1 : 0;
	int rc = rq_parse(ctx, c->name, c->usage, opt, n, &a.key, named ? required : NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	if (c->plain_usage) {
		if ((c->opt_required && !a.text) ||
		    (!c->by_name && (mrt_parse_i64(&a.id, a.key) != 0 || a.id <= 0)))
			return cli_usage(ctx, "usage: mrt %s %s", c->name, c->usage);
	} else if (!c->by_name && (rc = rq_parse_id(ctx, c->name, a.key, &a.id)) != 0) {
		return rc;
	}
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	rc = c->act(s, &a, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	c->done(&a);
	return CLI_OK;
}

static int load_and_print(struct cli_ctx *ctx, int as_json, cli_load_fn load, const void *arg,
                          void (*print)(json_t *v), const char *const *keys, const char *empty)
{
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *v = NULL;
	rc = load(s, arg, &v, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (!as_json)
		cli_printable(v);
	if (as_json)
		cli_print_json(v);
	else if (keys)
		rq_print_table(v, keys, empty);
	else if (print)
		print(v);
	else
		rq_print_object(v);
	json_decref(v);
	return CLI_OK;
}

int cli_load_print(struct cli_ctx *ctx, int as_json, cli_load_fn load, const void *arg,
                   void (*print)(json_t *v))
{
	return load_and_print(ctx, as_json, load, arg, print, NULL, NULL);
}

int cli_load_table(struct cli_ctx *ctx, int as_json, cli_load_fn load, const void *arg,
                   const char *const *keys, const char *empty)
{
	return load_and_print(ctx, as_json, load, arg, NULL, keys, empty);
}

int cli_arg_list(struct cli_ctx *ctx, int *i, const char *name, const char *opt,
                 const char **list, size_t *n, size_t max)
{
	const char *v = NULL;
	int r = cli_arg_value(ctx, i, opt, &v);
	if (r != 1)
		return r;
	if (*n == max)
		return cli_usage(ctx, "%s: too many %s", name, opt), -1;
	list[(*n)++] = v;
	return 1;
}

int cli_code_run(struct cli_ctx *ctx, int as_json, cli_load_fn code, const void *req,
                 void (*print)(json_t *v))
{
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	json_t *out = NULL;
	rc = code(s, req, &out, &err);
	mrt_session_close(s);
	int status = rc ? cli_fail(&err) : CLI_OK;
	if (rc && out)
		status = CLI_FAIL; /* refused codes: the data, not the usage */
	if (out && !as_json)
		cli_printable(out);
	if (out && as_json)
		cli_print_json(out);
	else if (out && rc)
		chart_print_refused(out);
	else if (out)
		print(out);
	json_decref(out);
	return status;
}

struct by_id {
	int (*load)(mrt_session *s, int64_t id, json_t **out, mrt_err *err);
	int64_t id;
};

static int load_by_id(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	const struct by_id *b = arg;
	return b->load(s, b->id, out, err);
}

int cli_show_id(struct cli_ctx *ctx, const char *name, const char *usage,
                int (*load)(mrt_session *s, int64_t id, json_t **out, mrt_err *err))
{
	int as_json = 0;
	const char *idv = NULL;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json } };
	struct by_id b = { load, 0 };
	int rc = rq_parse(ctx, name, usage, opts, 1, &idv, NULL);
	if (rc || (rc = rq_parse_id(ctx, name, idv, &b.id)) != 0)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load_by_id, &b, NULL);
}

struct by_key {
	int (*load)(mrt_session *s, const char *key, json_t **out, mrt_err *err);
	const char *key;
};

static int load_by_key(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	const struct by_key *b = arg;
	return b->load(s, b->key, out, err);
}

int cli_show_key(struct cli_ctx *ctx, const char *name, const char *usage,
                 int (*load)(mrt_session *s, const char *key, json_t **out, mrt_err *err),
                 void (*print)(json_t *v))
{
	int as_json = 0;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json } };
	struct by_key b = { load, NULL };
	int rc = rq_parse(ctx, name, usage, opts, 1, &b.key, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_print(ctx, as_json, load_by_key, &b, print);
}

struct no_arg {
	int (*load)(mrt_session *s, json_t **out, mrt_err *err);
};

static int load_no_arg(mrt_session *s, const void *arg, json_t **out, mrt_err *err)
{
	const struct no_arg *b = arg;
	return b->load(s, out, err);
}

int cli_list_all(struct cli_ctx *ctx, const char *name, const char *usage,
                 int (*load)(mrt_session *s, json_t **out, mrt_err *err),
                 const char *const *keys, const char *empty)
{
	int as_json = 0;
	const struct rq_opt opts[] = { { "--json", NULL, &as_json } };
	struct no_arg b = { load };
	int rc = rq_parse(ctx, name, usage, opts, 1, NULL, NULL);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	return cli_load_table(ctx, as_json, load_no_arg, &b, keys, empty);
}
