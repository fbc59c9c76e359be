/*
 * Schema, chart completion part: the rule table of required documents per
 * encounter class, deficiencies (with the responsible physician) and
 * physician queries.
 */
#include "store/migrate.h"

const char mrt_schema_chartqa_v4[] = "";
