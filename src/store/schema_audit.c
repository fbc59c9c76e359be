/*
 * Schema, migration 3, audit exports and reports.
 */
#include "store/migrate.h"

const char mrt_schema_audit_v3[] = "";
