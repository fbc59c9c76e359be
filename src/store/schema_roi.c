/*
 * Schema, migration 3, release of information: disclosures, authorizations, restrictions, mandated reports.
 */
#include "store/migrate.h"

const char mrt_schema_roi_v3[] = "";
