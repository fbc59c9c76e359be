/*
 * `mrt label add patient|encounter|document ID LABEL [--reason TEXT]`:
 * label a patient, encounter or document as sensitive (privacy officer).
 */
#include "cli/label_args.h"

static int run(struct cli_ctx *ctx)
{
	struct label_args a;
	int done = 0;
	int rc = label_args_parse(ctx, "label add", &a, &done);
	if (rc || done)
		return rc;
	return label_args_run(ctx, &a, 1);
}

const struct cli_cmd cli_cmd_label_add = { "label", "add", LABEL_USAGE,
	"label a patient, encounter or document as sensitive (privacy officer)", run };
