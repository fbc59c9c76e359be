/*
 * Schema, migration 3, de-identified extracts: restricted ZIP3 data, data use agreements.
 */
#include "store/migrate.h"

const char mrt_schema_deid_v3[] = "";
