/*
 * Schema, coding quality part: coding audit samples, the reviewer's blind
 * coding of each sampled encounter, and their comparison.
 */
#include "store/migrate.h"

const char mrt_schema_caudit_v4[] = "";
