/*
 * `mrt label remove patient|encounter|document ID LABEL [--reason TEXT]`:
 * end a sensitivity label (privacy officer; the label is kept, ended).
 */
#include "cli/label_args.h"

static int run(struct cli_ctx *ctx)
{
	struct label_args a;
	int done = 0;
	int rc = label_args_parse(ctx, "label remove", &a, &done);
	if (rc || done)
		return rc;
	return label_args_run(ctx, &a, 0);
}

const struct cli_cmd cli_cmd_label_remove = { "label", "remove", LABEL_USAGE,
	"end a sensitivity label (privacy officer; the label is kept, ended)", run };
