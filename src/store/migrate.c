/*
 * The list of numbered migrations. A migration is applied in one
 * transaction together with the new user_version, so a failed upgrade
 * leaves the database at its old version.
 */
#include <stdio.h>

#include "store/migrate.h"

static const char *const v1[] = {
	mrt_schema_core_v1, mrt_schema_privacy_v1, mrt_schema_queue_v1,
	mrt_schema_codes_v1, mrt_schema_codetext_v1, NULL,
};

static const char *const v2[] = { mrt_schema_chart_v2, NULL };

static const char *const v3[] = {
	mrt_schema_access_v3, mrt_schema_users_v3,    mrt_schema_roi_v3,
	mrt_schema_requests_v3, mrt_schema_deid_v3, mrt_schema_audit_v3, NULL,
};

static const char *const v4[] = {
	mrt_schema_mce_v4, mrt_schema_edits_v4, mrt_schema_chartqa_v4, mrt_schema_caudit_v4,
	mrt_schema_patient_age_v4, NULL,
};

const struct mrt_migration mrt_migrations[] = {
	{ 1, "foundation: meta, users, audit, work queue, code sets", v1 },
	{ 2, "charts: patients, encounters, codings, documents, links, rejects", v2 },
	{ 3, "privacy: roles, labels, break-glass, release of information, de-identification", v3 },
	{ 4, "code editor and chart analysis: MCE lists, POA-exempt lists, edit runs, deficiencies, "
	     "physician queries, coding audits", v4 },
};
const int mrt_migration_count = (int)(sizeof mrt_migrations / sizeof mrt_migrations[0]);

int mrt_schema_latest(void)
{
	return mrt_migrations[mrt_migration_count - 1].version;
}

int mrt_migrate(mrt_db *db, int from_version, mrt_err *err)
{
	for (int i = 0; i < mrt_migration_count; i++) {
		const struct mrt_migration *m = &mrt_migrations[i];
		if (m->version <= from_version)
			continue;
		int rc = mrt_db_begin(db, err);
		if (rc)
			return rc;
		for (const char *const *sql = m->sql; *sql && rc == 0; sql++)
			rc = mrt_db_exec(db, *sql, err);
		if (rc == 0) {
			char pragma[64];
			snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", m->version);
			rc = mrt_db_exec(db, pragma, err);
		}
		if (rc) {
			mrt_db_rollback(db);
			return mrt_err_prefix(err, "migration %d (%s)", m->version, m->name);
		}
		if ((rc = mrt_db_commit(db, err)) != 0)
			return rc;
	}
	return 0;
}
