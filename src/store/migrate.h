/*
 * Numbered schema migrations. Each module keeps its tables' DDL in a
 * src/store/schema_<module>.c file; migrate.c lists them in order. The
 * schema version is SQLite's user_version; a database whose version is newer
 * than the last migration known here is refused.
 */
#ifndef MRT_STORE_MIGRATE_H
#define MRT_STORE_MIGRATE_H

#include "store/db.h"

struct mrt_migration {
	int version;
	const char *name;
	const char *const *sql; /* NULL-terminated list of scripts */
};

extern const struct mrt_migration mrt_migrations[];
extern const int mrt_migration_count;

/* DDL fragments, one per module, owned by those modules. */
extern const char mrt_schema_core_v1[];
extern const char mrt_schema_privacy_v1[];
extern const char mrt_schema_queue_v1[];
extern const char mrt_schema_codes_v1[];
extern const char mrt_schema_codetext_v1[];
extern const char mrt_schema_chart_v2[];
extern const char mrt_schema_access_v3[];
extern const char mrt_schema_users_v3[];
extern const char mrt_schema_roi_v3[];
extern const char mrt_schema_requests_v3[];
extern const char mrt_schema_deid_v3[];
extern const char mrt_schema_audit_v3[];
extern const char mrt_schema_mce_v4[];
extern const char mrt_schema_edits_v4[];
extern const char mrt_schema_chartqa_v4[];
extern const char mrt_schema_caudit_v4[];
extern const char mrt_schema_patient_age_v4[];

int mrt_migrate(mrt_db *db, int from_version, mrt_err *err);
int mrt_schema_latest(void);

#endif
