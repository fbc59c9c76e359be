/*
 * Helpers shared by the commands: command lookup, error printing, usage
 * errors, opening an authenticated session.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "privacy/access.h"

const struct cli_cmd *cli_find(const char *noun, const char *verb)
{
	for (const struct cli_cmd *const *c = cli_commands; *c; c++) {
		if (strcmp((*c)->noun, noun) != 0)
			continue;
		if (!(*c)->verb)
			return *c;
		if (verb && strcmp((*c)->verb, verb) == 0)
			return *c;
	}
	return NULL;
}

void cli_print_json(const json_t *value)
{
	json_dumpf(value, stdout, JSON_INDENT(2));
	printf("\n");
}

int cli_fail(const mrt_err *err)
{
	fprintf(stderr, "mrt: %s\n", err->msg[0] ? err->msg : mrt_err_name(err->code));
	switch (err->code) {
	case MRT_EAMBIG: return CLI_AMBIGUOUS;
	case MRT_EINVAL: return CLI_USAGE;
	default: return CLI_FAIL;
	}
}

int cli_usage(const struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "mrt: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	(void)ctx;
	return CLI_USAGE;
}

static char *read_password(mrt_err *err)
{
	mrt_buf b = MRT_BUF_INIT(4096);
	int c;
	while ((c = getchar()) != EOF && c != '\n')
		if (mrt_buf_addc(&b, (char)c) != 0) {
			mrt_err_set(err, MRT_EINVAL, "password on standard input is too long");
			return NULL;
		}
	if (b.len && b.ptr[b.len - 1] == '\r')
		b.ptr[--b.len] = '\0';
	return mrt_buf_detach(&b);
}

int cli_session_open(struct cli_ctx *ctx, mrt_session **out)
{
	mrt_err err = { 0 };
	char *password = NULL;
	if (ctx->purpose && access_purpose_parse(ctx->purpose) < 0)
		return cli_usage(ctx, "unknown purpose of use '%s' (treatment, payment, operations, "
		                 "public_health, legal, research, emergency, patient_request)",
		                 ctx->purpose);
	if (ctx->password_stdin) {
		password = read_password(&err);
		if (!password)
			return cli_fail(&err);
	}
	struct mrt_session_opts o = { .db_path = ctx->db_path, .as_user = ctx->as_user,
	                              .password = password, .purpose = ctx->purpose };
	int rc = mrt_session_open(out, &o, &err);
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	return rc ? cli_fail(&err) : 0;
}

static int has_control(const unsigned char *p)
{
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return 1;
	return 0;
}

static json_t *escaped(const char *text)
{
	mrt_buf b;
	mrt_buf_init(&b, 64u << 20);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			mrt_buf_addf(&b, "\\x%02x", *p);
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			mrt_buf_addf(&b, "\\u%04x", p[1]);
			p++;
		} else {
			mrt_buf_add(&b, (const char *)p, 1);
		}
	}
	char *out = mrt_buf_detach(&b);
	json_t *v = out ? json_string(out) : NULL;
	free(out);
	return v;
}

void cli_printable(json_t *value)
{
	size_t i;
	const char *key;
	json_t *v;
	if (json_is_object(value)) {
		json_object_foreach(value, key, v) {
			if (json_is_string(v) && has_control((const unsigned char *)json_string_value(v))) {
				json_t *e = escaped(json_string_value(v));
				if (e)
					json_object_set_new(value, key, e);
			} else {
				cli_printable(v);
			}
		}
	} else if (json_is_array(value)) {
		json_array_foreach(value, i, v) {
			if (json_is_string(v) && has_control((const unsigned char *)json_string_value(v))) {
				json_t *e = escaped(json_string_value(v));
				if (e)
					json_array_set_new(value, i, e);
			} else {
				cli_printable(v);
			}
		}
	}
}
