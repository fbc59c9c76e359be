/*
 * Releases: version parsing, fiscal-year date arithmetic, and the
 * code_release rows (see release.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "codes/release.h"

int codes_system_valid(const char *s)
{
	return s && (strcmp(s, CODES_SYS_CM) == 0 || strcmp(s, CODES_SYS_PCS) == 0);
}

int codes_version_parse(const char *v, int *fy, int *april)
{
	size_t n = v ? strlen(v) : 0;
	if (n != 4 && n != 7)
		return MRT_EINVAL;
	for (size_t i = 0; i < 4; i++)
		if (v[i] < '0' || v[i] > '9')
			return MRT_EINVAL;
	if (n == 7 && strcmp(v + 4, "-04") != 0)
		return MRT_EINVAL;
	*fy = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
	*april = n == 7;
	if (*fy < 1990 || *fy > 9998)
		return MRT_EINVAL;
	return 0;
}

int codes_release_dates(const char *version, int has_april, mrt_day *from, mrt_day *to)
{
	int fy, april;
	if (codes_version_parse(version, &fy, &april) != 0)
		return MRT_EINVAL;
	if (april) {
		*from = mrt_date_from_ymd(fy, 4, 1);
		*to = mrt_date_from_ymd(fy, 9, 30);
	} else {
		*from = mrt_date_from_ymd(fy - 1, 10, 1);
		*to = has_april ? mrt_date_from_ymd(fy, 3, 31) : mrt_date_from_ymd(fy, 9, 30);
	}
	return 0;
}

#define SQL_COLS \
	"SELECT r.id, r.system, r.version, r.effective_from, r.effective_to," \
	" (SELECT count(*) FROM code c WHERE c.release_id = r.id)," \
	" (SELECT count(*) FROM code c WHERE c.release_id = r.id AND c.billable = 1)" \
	" FROM code_release r "

static void fill(mrt_stmt *st, struct codes_release *r)
{
	memset(r, 0, sizeof *r);
	r->id = mrt_stmt_int(st, 0);
	mrt_strlcpy(r->system, mrt_stmt_text(st, 1), sizeof r->system);
	mrt_strlcpy(r->version, mrt_stmt_text(st, 2), sizeof r->version);
	mrt_strlcpy(r->effective_from, mrt_stmt_text(st, 3), sizeof r->effective_from);
	mrt_strlcpy(r->effective_to, mrt_stmt_text(st, 4), sizeof r->effective_to);
	r->codes = mrt_stmt_int(st, 5);
	r->billable = mrt_stmt_int(st, 6);
}

static int find_one(mrt_stmt *st, struct codes_release *out, mrt_err *err)
{
	int rc = mrt_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return MRT_ENOTFOUND;
	fill(st, out);
	mrt_stmt_reset(st);
	return 0;
}

int codes_release_find(mrt_db *db, const char *system, const char *version,
                       struct codes_release *out, mrt_err *err)
{
	static const char sql[] = SQL_COLS "WHERE r.system = ? AND r.version = ?";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return MRT_EDB;
	mrt_stmt_bind_text(st, 1, system);
	mrt_stmt_bind_text(st, 2, version);
	return find_one(st, out, err);
}

/* Runs a SQL_COLS query bound to (system, day) and reads its one row. */
static int find_by_day(mrt_db *db, const char *sql, const char *system, mrt_day day,
                       struct codes_release *out, mrt_err *err)
{
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return MRT_EDB;
	char d[MRT_DATE_LEN];
	mrt_date_format(d, day);
	mrt_stmt_bind_text(st, 1, system);
	mrt_stmt_bind_text(st, 2, d);
	return find_one(st, out, err);
}

int codes_release_on(mrt_db *db, const char *system, mrt_day day, struct codes_release *out,
                     mrt_err *err)
{
	static const char sql[] =
		SQL_COLS "WHERE r.system = ?1 AND r.effective_from <= ?2 AND r.effective_to >= ?2"
		" ORDER BY r.effective_from DESC LIMIT 1";
	return find_by_day(db, sql, system, day, out, err);
}

int codes_release_id_on(mrt_db *db, const char *system, mrt_day day, int64_t *id,
                        char version[16], mrt_err *err)
{
	static const char sql[] =
		"SELECT id, version FROM code_release WHERE system = ?1 AND effective_from <= ?2"
		" AND effective_to >= ?2 ORDER BY effective_from DESC LIMIT 1";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return MRT_EDB;
	char d[MRT_DATE_LEN];
	mrt_date_format(d, day);
	mrt_stmt_bind_text(st, 1, system);
	mrt_stmt_bind_text(st, 2, d);
	int rc = mrt_stmt_step(st, err);
	if (rc == 1) {
		*id = mrt_stmt_int(st, 0);
		mrt_strlcpy(version, mrt_stmt_text(st, 1), 16);
	}
	mrt_stmt_reset(st);
	if (rc < 0)
		return rc;
	return rc == 0 ? MRT_ENOTFOUND : 0;
}

int codes_release_newest_by(mrt_db *db, const char *system, mrt_day day, struct codes_release *out,
                            mrt_err *err)
{
	static const char sql[] =
		SQL_COLS "WHERE r.system = ?1 AND r.effective_from <= ?2"
		" ORDER BY r.effective_from DESC LIMIT 1";
	return find_by_day(db, sql, system, day, out, err);
}

/* Re-dates every release of the fiscal year of version (October and April). */
static int redate_year(mrt_db *db, const char *system, int fy, mrt_err *err)
{
	static const char upd[] =
		"UPDATE code_release SET effective_from = ?, effective_to = ?"
		" WHERE system = ? AND version = ?";
	char oct[16], apr[16];
	snprintf(oct, sizeof oct, "%04d", fy % 10000);
	snprintf(apr, sizeof apr, "%04d-04", fy % 10000);
	struct codes_release r;
	int has_april = codes_release_find(db, system, apr, &r, err) == 0;
	const char *versions[2] = { oct, apr };
	for (int i = 0; i < 2; i++) {
		mrt_day from, to;
		codes_release_dates(versions[i], has_april, &from, &to);
		char f[MRT_DATE_LEN], t[MRT_DATE_LEN];
		mrt_date_format(f, from);
		mrt_date_format(t, to);
		mrt_stmt *st = mrt_db_stmt(db, upd, err);
		if (!st)
			return MRT_EDB;
		mrt_stmt_bind_text(st, 1, f);
		mrt_stmt_bind_text(st, 2, t);
		mrt_stmt_bind_text(st, 3, system);
		mrt_stmt_bind_text(st, 4, versions[i]);
		int rc = mrt_stmt_run(st, err);
		if (rc)
			return rc;
	}
	return 0;
}

int codes_release_ensure(mrt_db *db, const char *system, const char *version, const char *user,
                         int64_t *id, int *created, mrt_err *err)
{
	static const char ins[] =
		"INSERT INTO code_release(system, version, effective_from, effective_to, title,"
		" loaded_at, loaded_by) VALUES (?,?,?,?,?,?,?)";
	int fy, april;
	*created = 0;
	if (!codes_system_valid(system))
		return mrt_err_set(err, MRT_EINVAL, "unknown code system '%s' (icd10cm or icd10pcs)", system);
	if (codes_version_parse(version, &fy, &april) != 0)
		return mrt_err_set(err, MRT_EINVAL, "bad release version '%s' (YYYY or YYYY-04)", version);
	struct codes_release r;
	int rc = codes_release_find(db, system, version, &r, err);
	if (rc == 0) {
		*id = r.id;
		return 0;
	}
	if (rc != MRT_ENOTFOUND)
		return rc;
	mrt_day from, to;
	codes_release_dates(version, 0, &from, &to);
	char f[MRT_DATE_LEN], t[MRT_DATE_LEN], now[32], title[64];
	mrt_date_format(f, from);
	mrt_date_format(t, to);
	mrt_now_iso(now);
	snprintf(title, sizeof title, "%s %s%s", strcmp(system, CODES_SYS_CM) == 0 ? "ICD-10-CM" : "ICD-10-PCS",
	         april ? "April update " : "FY", version);
	mrt_stmt *st = mrt_db_stmt(db, ins, err);
	if (!st)
		return MRT_EDB;
	mrt_stmt_bind_text(st, 1, system);
	mrt_stmt_bind_text(st, 2, version);
	mrt_stmt_bind_text(st, 3, f);
	mrt_stmt_bind_text(st, 4, t);
	mrt_stmt_bind_text(st, 5, title);
	mrt_stmt_bind_text(st, 6, now);
	mrt_stmt_bind_text(st, 7, user ? user : "unknown");
	if ((rc = mrt_stmt_run(st, err)) != 0)
		return rc;
	*id = mrt_db_last_insert_id(db);
	*created = 1;
	return redate_year(db, system, fy, err);
}

int codes_release_list(mrt_db *db, struct codes_release **out, size_t *n, mrt_err *err)
{
	static const char sql[] = SQL_COLS "ORDER BY r.system, r.effective_from";
	*out = NULL;
	*n = 0;
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return MRT_EDB;
	size_t cap = 0;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			struct codes_release *p = realloc(*out, cap * sizeof *p);
			if (!p) {
				rc = mrt_err_set(err, MRT_ENOMEM, "out of memory");
				break;
			}
			*out = p;
		}
		fill(st, &(*out)[(*n)++]);
	}
	mrt_stmt_reset(st);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	return 0;
}
