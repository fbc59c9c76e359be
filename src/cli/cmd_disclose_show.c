/*
 * `mrt disclose show ID [--json]`: one recorded disclosure (who, when, to
 * whom, why, what, the packet's size and SHA-256); `--packet`: the stored
 * packet itself, byte for byte, on standard output.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/disclose_svc.h"

#define USAGE "ID [--json | --packet]"

static int run(struct cli_ctx *ctx)
{
	const char *sid = NULL;
	int as_json = 0, packet = 0;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "disclose show", USAGE))
			return CLI_OK;
		if (strcmp(ctx->argv[i], "--json") == 0)
			as_json = 1;
		else if (strcmp(ctx->argv[i], "--packet") == 0)
			packet = 1;
		else if (!sid && ctx->argv[i][0] != '-')
			sid = ctx->argv[i];
		else
			return cli_usage(ctx, "disclose show: unexpected argument %s", ctx->argv[i]);
	}
	int64_t id = 0;
	if (!sid || mrt_parse_i64(&id, sid) != 0 || id <= 0 || (packet && as_json))
		return cli_usage(ctx, "usage: mrt disclose show %s", USAGE);
	mrt_session *s = NULL;
	int rc = cli_session_open(ctx, &s);
	if (rc)
		return rc;
	mrt_err err = { 0 };
	if (packet) {
		mrt_buf b;
		rc = disclose_svc_packet(s, id, &b, &err);
		mrt_session_close(s);
		if (rc)
			return cli_fail(&err);
		int ok = fwrite(b.ptr ? b.ptr : "", 1, b.len, stdout) == b.len && fflush(stdout) == 0;
		mrt_buf_free(&b);
		return ok ? CLI_OK : CLI_FAIL;
	}
	json_t *o = NULL;
	rc = disclose_svc_show(s, id, &o, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	if (as_json) {
		cli_print_json(o);
	} else {
		const char *k;
		json_t *v;
		json_object_foreach(o, k, v) {
			if (json_is_string(v))
				printf("%-24s %s\n", k, json_string_value(v));
			else if (json_is_integer(v))
				printf("%-24s %lld\n", k, (long long)json_integer_value(v));
		}
	}
	json_decref(o);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_disclose_show = { "disclose", "show", USAGE,
	"show one recorded disclosure", run };
