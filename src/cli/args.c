/*
 * Option helpers for commands; see args.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "cli/args.h"

int cli_arg_value(struct cli_ctx *ctx, int *i, const char *opt, const char **value)
{
	const char *a = ctx->argv[*i];
	size_t n = strlen(opt);
	if (strncmp(a, opt, n) != 0)
		return 0;
	if (a[n] == '=') {
		*value = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= ctx->argc) {
		cli_usage(ctx, "%s needs a value", opt);
		return -1;
	}
	*value = ctx->argv[++*i];
	return 1;
}

int cli_arg_help(const struct cli_ctx *ctx, int i, const char *name, const char *usage)
{
	const char *a = ctx->argv[i];
	if (strcmp(a, "--help") != 0 && strcmp(a, "-h") != 0)
		return 0;
	printf("usage: mrt %s %s\n", name, usage);
	return 1;
}

char *cli_arg_read_secret(mrt_err *err)
{
	mrt_buf b = MRT_BUF_INIT(4096);
	int c, any = 0;
	while ((c = getchar()) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (mrt_buf_addc(&b, (char)c) != 0) {
			mrt_err_set(err, MRT_EINVAL, "password on standard input is too long");
			return NULL;
		}
	}
	if (!any) {
		mrt_err_set(err, MRT_EINVAL, "--password-stdin: no password on standard input");
		return NULL;
	}
	if (b.len && b.ptr[b.len - 1] == '\r')
		b.ptr[--b.len] = '\0';
	char *s = mrt_buf_detach(&b);
	if (!s) {
		s = mrt_strndup("", 0);
		if (!s)
			mrt_err_set(err, MRT_ENOMEM, "out of memory");
	}
	return s;
}

void cli_arg_secret_free(char *secret)
{
	if (!secret)
		return;
	memset(secret, 0, strlen(secret));
	free(secret);
}

int cli_open_reading_new_password(struct cli_ctx *ctx, mrt_session **out, char **new_password)
{
	mrt_err err = { 0 };
	char *signin = NULL;
	*new_password = NULL;
	*out = NULL;
	if (!ctx->password_stdin)
		return cli_session_open(ctx, out);
	if (ctx->as_user && !(signin = cli_arg_read_secret(&err)))
		return cli_fail(&err);
	if (!(*new_password = cli_arg_read_secret(&err))) {
		cli_arg_secret_free(signin);
		return cli_fail(&err);
	}
	struct mrt_session_opts o = { .db_path = ctx->db_path, .as_user = ctx->as_user,
	                              .password = signin };
	int rc = mrt_session_open(out, &o, &err);
	cli_arg_secret_free(signin);
	if (rc) {
		cli_arg_secret_free(*new_password);
		*new_password = NULL;
		return cli_fail(&err);
	}
	return 0;
}
