/*
 * Private to the MCE tables (mce_tables.c, mce_tables_load.c): building a
 * set of releases one by one. A pointer from mce_tables_add() is valid
 * until the next mce_tables_add() on the same set.
 */
#ifndef MRT_EDITS_MCE_TABLES_H
#define MRT_EDITS_MCE_TABLES_H

#include "edits/mce.h"
#include "edits/mce_data.h"

mce_tables *mce_tables_new(void);
mce_rel *mce_tables_add(mce_tables *t, const char *version, mrt_day from, mrt_day to);
int mce_rel_add_code(mce_rel *r, enum mce_list l, const char *code);
int mce_rel_set_statuses(mce_rel *r, const struct mce_status_row *st, size_t n);

#endif
