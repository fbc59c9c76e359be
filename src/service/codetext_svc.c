/*
 * Code text service calls (see codetext_svc.h): the release in effect on
 * the date, one read transaction holding the audit event, then the domain
 * work in src/codes.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "codes/codetext.h"
#include "codes/release.h"
#include "service/codetext_svc.h"

static int audit(mrt_session *s, const char *action, const char *detail, mrt_err *err)
{
	struct mrt_audit_rec rec = { .action = action, .object_type = "code_release",
				     .detail = detail };
	return mrt_session_audit(s, &rec, err);
}

static int check(const char *date, const char *system, mrt_day *day, mrt_err *err)
{
	*day = mrt_date_today();
	if (date && mrt_date_parse(day, date) != 0)
		return mrt_err_set(err, MRT_EINVAL, "bad date '%s' (YYYY-MM-DD)", date);
	if (system && !codes_system_valid(system))
		return mrt_err_set(err, MRT_EINVAL, "unknown system '%s' (icd10cm or icd10pcs)",
				   system);
	return 0;
}

/* The release in effect on day; without an explicit date, a day past the
 * newest release falls back to that newest release (its version is in
 * every output). */
static int release_on(mrt_db *db, const char *system, mrt_day day, int dated, int64_t *id,
		      mrt_err *err)
{
	static const char sql[] = "SELECT id FROM code_release WHERE system = ?"
				  " AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1";
	struct codes_release r;
	int rc = codes_release_on(db, system, day, &r, err);
	if (rc == 0)
		*id = r.id;
	if (rc != MRT_ENOTFOUND || dated)
		return rc;
	char d[MRT_DATE_LEN];
	mrt_date_format(d, day);
	mrt_stmt *s = mrt_db_stmt(db, sql, err);
	if (!s)
		return MRT_EDB;
	mrt_stmt_bind_text(s, 1, system);
	mrt_stmt_bind_text(s, 2, d);
	int found = mrt_stmt_step(s, err);
	if (found == 1)
		*id = mrt_stmt_int(s, 0);
	mrt_stmt_reset(s);
	if (found < 0)
		return found;
	return found ? 0 : rc;
}

/* Ends the read transaction; the result of the work (rc) wins over a
 * successful commit, and an informative not-found still commits the audit. */
static int finish(mrt_db *db, int rc, mrt_err *err)
{
	if (rc && rc != MRT_ENOTFOUND && rc != MRT_EAMBIG) {
		mrt_db_rollback(db);
		return rc;
	}
	mrt_err saved = err ? *err : (mrt_err){ 0 };
	int crc = mrt_db_commit(db, err);
	if (crc)
		return crc;
	if (err && rc)
		*err = saved;
	return rc;
}

int codetext_svc_search(mrt_session *s, const struct codetext_search_req *q, json_t **out,
			mrt_err *err)
{
	*out = NULL;
	mrt_day day;
	int rc = check(q->date, q->system, &day, err);
	if (rc)
		return rc;
	if (q->limit < 0 || q->limit > 1000)
		return mrt_err_set(err, MRT_EINVAL, "--limit must be 1..1000");
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = audit(s, "codes.search", q->system, err);
	static const char *const systems[2] = { CODES_SYS_CM, CODES_SYS_PCS };
	int64_t ids[2];
	size_t n = 0;
	for (int i = 0; rc == 0 && i < 2; i++) {
		if (q->system && strcmp(q->system, systems[i]) != 0)
			continue;
		int found = release_on(db, systems[i], day, q->date != NULL, &ids[n], err);
		if (found == 0)
			n++;
		else if (found != MRT_ENOTFOUND)
			rc = found;
	}
	if (rc == 0 && n == 0) {
		char d[MRT_DATE_LEN];
		mrt_date_format(d, day);
		rc = mrt_err_set(err, MRT_ENOTFOUND, "no release in effect on %s%s%s", d,
				 q->system ? " for " : "", q->system ? q->system : "");
	}
	if (rc == 0)
		rc = codetext_search(db, ids, n, q->text, q->limit ? q->limit : 20, out, err);
	rc = finish(db, rc, err);
	if (rc && rc != MRT_ENOTFOUND) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int codetext_svc_index(mrt_session *s, const struct codetext_index_req *q, json_t **out,
		       mrt_err *err)
{
	*out = NULL;
	mrt_day day;
	int rc = check(q->date, q->system, &day, err);
	if (rc)
		return rc;
	const char *system = q->system ? q->system : CODES_SYS_CM;
	if (q->table && !strcmp(q->table, "pcs"))
		system = CODES_SYS_PCS;
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = audit(s, "codes.index", q->table, err);
	int64_t id = 0;
	if (rc == 0)
		rc = release_on(db, system, day, q->date != NULL, &id, err);
	if (rc == 0)
		rc = codetext_index_lookup(db, id, q->table, q->term, out, err);
	return finish(db, rc, err);
}
