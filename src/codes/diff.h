/*
 * Differences between two releases of one system: codes added, deleted and
 * retitled (short or long title changed). By default billable codes only.
 */
#ifndef MRT_CODES_DIFF_H
#define MRT_CODES_DIFF_H

#include <jansson.h>

#include "store/db.h"

/* *out = {system, from, to, scope, added:[...], deleted:[...],
 * retitled:[...], counts:{added, deleted, retitled}}. MRT_ENOTFOUND when a
 * version is not loaded. all = 1 compares headers too. */
int codes_diff_json(mrt_db *db, const char *system, const char *va, const char *vb, int all,
                    json_t **out, mrt_err *err);

#endif
