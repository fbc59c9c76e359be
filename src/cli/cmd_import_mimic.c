/*
 * `mrt import mimic DIR [--json]`: the MIMIC-IV hosp tables into the chart
 * (DIR is the MIMIC-IV root or its hosp/ folder). Without --json, a short
 * summary per table.
 */
#include "cli/cli.h"
#include "cli/import_print.h"
#include "service/import_mimic.h"

static int run(struct cli_ctx *ctx)
{
	return import_print_run_dir(ctx, "mimic", import_mimic);
}

const struct cli_cmd cli_cmd_import_mimic = { "import", "mimic", "DIR [--json]",
	"import MIMIC-IV hosp tables (patients, admissions, transfers, codes...)", run };
