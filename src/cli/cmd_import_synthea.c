/*
 * `mrt import synthea DIR [--json]`: the Synthea CSV export into the chart
 * (DIR holds patients.csv, or is the export root holding csv/). Without --json, a short
 * summary per table.
 */
#include "cli/cli.h"
#include "cli/import_print.h"
#include "service/import_synthea.h"

static int run(struct cli_ctx *ctx)
{
	return import_print_run_dir(ctx, "synthea", import_synthea);
}

const struct cli_cmd cli_cmd_import_synthea = { "import", "synthea", "DIR [--json]",
	"import Synthea CSV (patients, encounters, conditions, procedures, providers)", run };
