/*
 * The department's work on one encounter, added to its chart view:
 * "queries", "deficiencies" (open), "edit_findings" (open).
 */
#ifndef MRT_SERVICE_ENCOUNTER_WORK_H
#define MRT_SERVICE_ENCOUNTER_WORK_H

#include <jansson.h>

#include "store/db.h"

int encounter_work_json(mrt_db *db, int64_t encounter, json_t *enc, mrt_err *err);

#endif
