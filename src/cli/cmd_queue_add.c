/*
 * `mrt queue add --kind K --subject TYPE:ID [--role R | --assign USER]
 * [--due DATE] [--title TEXT] [--patient ID]`: a supervisor (admin or him)
 * adds a work item by hand.
 */
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "service/queue_svc.h"

#define USAGE "--kind KIND --subject TYPE:ID [--role ROLE | --assign USER] [--due YYYY-MM-DD] " \
	"[--title TEXT] [--patient ID]"

static int take(struct cli_ctx *ctx, int *i, struct queue_new *n, const char **subject,
                const char **patient)
{
	static const char *const opts[] = { "--kind", "--subject", "--role", "--assign", "--due",
	                                    "--title", "--patient" };
	const char **slots[] = { &n->kind, subject, &n->assign_role, &n->assign_user, &n->due_date,
	                         &n->title, patient };
	for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
		int r = cli_arg_value(ctx, i, opts[k], slots[k]);
		if (r)
			return r;
	}
	return 0;
}

static int parse(struct cli_ctx *ctx, struct queue_new *n)
{
	const char *subject = NULL, *patient = NULL;
	for (int i = 1; i < ctx->argc; i++) {
		if (cli_arg_help(ctx, i, "queue add", USAGE))
			return 1;
		int r = take(ctx, &i, n, &subject, &patient);
		if (r < 0)
			return CLI_USAGE;
		if (r == 0)
			return cli_usage(ctx, "queue add: unknown argument %s", ctx->argv[i]);
	}
	if (!n->kind || !subject)
		return cli_usage(ctx, "usage: mrt queue add %s", USAGE);
	const char *colon = strchr(subject, ':');
	static char type[65];
	if (!colon || colon == subject || !colon[1] || (size_t)(colon - subject) >= sizeof type)
		return cli_usage(ctx, "queue add: --subject must be TYPE:ID (e.g. encounter:123)");
	memcpy(type, subject, (size_t)(colon - subject));
	type[colon - subject] = '\0';
	n->subject_type = type;
	n->subject_id = colon + 1;
	if (patient && (mrt_parse_i64(&n->patient_id, patient) != 0 || n->patient_id <= 0))
		return cli_usage(ctx, "queue add: --patient needs a patient id");
	return 0;
}

static int run(struct cli_ctx *ctx)
{
	struct queue_new n = { 0 };
	int rc = parse(ctx, &n);
	if (rc)
		return rc == 1 ? CLI_OK : rc;
	mrt_session *s = NULL;
	if ((rc = cli_session_open(ctx, &s)) != 0)
		return rc;
	mrt_err err = { 0 };
	int64_t id = 0;
	rc = queue_svc_add_by_hand(s, &n, &id, &err);
	mrt_session_close(s);
	if (rc)
		return cli_fail(&err);
	printf("added work item %lld\n", (long long)id);
	return CLI_OK;
}

const struct cli_cmd cli_cmd_queue_add = { "queue", "add", USAGE,
	"add a work item by hand (admin or him)", run };
