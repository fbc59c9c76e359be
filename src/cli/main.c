/*
 * mrt entry point: pulls the global options (--db, --data, --user,
 * --password-stdin) out of the argument list, finds the command in the
 * table (commands.c) and runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/hash.h"
#include "cli/cli.h"

static void print_help(void)
{
	printf("usage: mrt [--db PATH] [--data DIR] [--user NAME [--password-stdin]] [--purpose P] <command> ...\n\n"
	       "commands:\n");
	int w = 0;
	for (const struct cli_cmd *const *c = cli_commands; *c; c++) {
		int n = (int)(strlen((*c)->noun) + ((*c)->verb ? 1 + strlen((*c)->verb) : 0));
		w = n > w ? n : w;
	}
	for (const struct cli_cmd *const *c = cli_commands; *c; c++) {
		char name[64];
		snprintf(name, sizeof name, "%s%s%s", (*c)->noun, (*c)->verb ? " " : "",
		         (*c)->verb ? (*c)->verb : "");
		printf("  %-*s %s\n", w, name, (*c)->summary);
	}
	printf("\n`mrt <command> --help` shows a command's options.\n"
	       "--db defaults to $MRT_DB, else ./mrt.db; --data to $MRT_DATA, else ../shared/data.\n"
	       "--purpose (purpose of use, recorded in the audit trail): treatment, payment,\n"
	       "operations (default), public_health, legal, research, emergency,\n"
	       "patient_request.\n");
}

/* Removes argv[i] (and n-1 following) from the list. */
static void drop(int *argc, char **argv, int i, int n)
{
	memmove(&argv[i], &argv[i + n], sizeof(char *) * (size_t)(*argc - i - n + 1));
	*argc -= n;
}

static int take_globals(struct cli_ctx *ctx, int *argc, char **argv)
{
	for (int i = 1; i < *argc;) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "--") == 0)
			break;
		if (strcmp(a, "--db") == 0)
			slot = &ctx->db_path;
		else if (strcmp(a, "--data") == 0)
			slot = &ctx->data_dir;
		else if (strcmp(a, "--user") == 0)
			slot = &ctx->as_user;
		else if (strcmp(a, "--purpose") == 0)
			slot = &ctx->purpose;
		else if (strcmp(a, "--password-stdin") == 0) {
			ctx->password_stdin = 1;
			drop(argc, argv, i, 1);
			continue;
		} else if (strncmp(a, "--db=", 5) == 0 || strncmp(a, "--data=", 7) == 0 ||
		           strncmp(a, "--user=", 7) == 0) {
			const char *v = strchr(a, '=') + 1;
			if (a[2] == 'd' && a[3] == 'b')
				ctx->db_path = v;
			else if (a[2] == 'd')
				ctx->data_dir = v;
			else
				ctx->as_user = v;
			drop(argc, argv, i, 1);
			continue;
		}
		if (slot) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "mrt: %s needs a value\n", a);
				return -1;
			}
			*slot = argv[i + 1];
			drop(argc, argv, i, 2);
			continue;
		}
		i++;
	}
	return 0;
}

static const char *default_data_dir(void)
{
	const char *env = getenv("MRT_DATA");
	if (env && *env)
		return env;
	if (access("../shared/data", F_OK) == 0)
		return "../shared/data";
	return NULL;
}

int main(int argc, char **argv)
{
	struct cli_ctx ctx = { 0 };
	mrt_err err = { 0 };
	if (mrt_hash_init(&err) != 0)
		return cli_fail(&err);
	if (take_globals(&ctx, &argc, argv) != 0)
		return CLI_USAGE;
	if (!ctx.db_path)
		ctx.db_path = getenv("MRT_DB");
	if (!ctx.db_path || !*ctx.db_path)
		ctx.db_path = "./mrt.db";
	if (!ctx.data_dir)
		ctx.data_dir = default_data_dir();
	if (!ctx.purpose) {
		const char *p = getenv("MRT_PURPOSE");
		ctx.purpose = (p && *p) ? p : NULL;
	}
	if (!ctx.as_user) {
		const char *u = getenv("MRT_USER");
		ctx.as_user = (u && *u) ? u : NULL;
	}
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		print_help();
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("mrt 0.1.0\n");
		return CLI_OK;
	}
	const struct cli_cmd *cmd = cli_find(argv[1], argc > 2 ? argv[2] : NULL);
	if (!cmd) {
		fprintf(stderr, "mrt: unknown command '%s%s%s' (see `mrt help`)\n", argv[1],
		        argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
		return CLI_USAGE;
	}
	int skip = cmd->verb ? 2 : 1;
	ctx.argc = argc - skip;
	ctx.argv = argv + skip;
	/* --help anywhere after the command: its usage, whatever else is given. */
	for (int i = 1; i < ctx.argc; i++) {
		if (strcmp(ctx.argv[i], "--help") == 0 || strcmp(ctx.argv[i], "-h") == 0) {
			printf("usage: mrt %s%s%s %s\n", cmd->noun, cmd->verb ? " " : "",
			       cmd->verb ? cmd->verb : "", cmd->usage);
			return CLI_OK;
		}
	}
	return cmd->run(&ctx);
}
