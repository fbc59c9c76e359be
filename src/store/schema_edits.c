/*
 * Schema, code editor runs part: edit runs over stored encounters and
 * their findings (open until a later run finds them fixed).
 */
#include "store/migrate.h"

const char mrt_schema_edits_v4[] = "";
