/*
 * Code-set service calls (see codes_svc.h): role check, one transaction,
 * audit event, then the domain work in src/codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "codes/diff.h"
#include "codes/load.h"
#include "codes/release.h"
#include "codes/show.h"
#include "service/codes_svc.h"

static int audit(mrt_session *s, const char *action, const char *type, const char *id,
                 const char *detail, mrt_err *err)
{
	struct mrt_audit_rec rec = { .action = action, .object_type = type, .object_id = id,
	                             .detail = detail };
	return mrt_session_audit(s, &rec, err);
}

static int finish(mrt_db *db, int rc, mrt_err *err)
{
	if (rc) {
		mrt_db_rollback(db);
		return rc;
	}
	return mrt_db_commit(db, err);
}

int codes_svc_load(mrt_session *s, const struct codes_svc_load_req *req, json_t **report,
                   mrt_err *err)
{
	*report = NULL;
	mrt_db *db = mrt_session_db(s);
	struct codes_file *files = NULL;
	size_t n = 0;
	json_t *rep = NULL;
	int rc = mrt_session_require(s, MRT_ROLE_ADMIN, "codes.load", err);
	if (rc)
		return rc;
	if (req->system && !codes_system_valid(req->system))
		return mrt_err_set(err, MRT_EINVAL, "unknown system '%s' (icd10cm or icd10pcs)", req->system);
	if ((rc = codes_discover(req->paths, req->npaths, req->system, &files, &n, err)) != 0)
		return rc;
	if ((rc = mrt_db_begin(db, err)) != 0) {
		free(files);
		return rc;
	}
	struct codes_load_opts o = { .replace = req->replace, .user = mrt_session_user(s) };
	/* Code sets first (as one group), then the MCE and POA-exempt lists. */
	size_t ncodes = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(files[i].system, "mce") != 0 && strcmp(files[i].system, "poa") != 0) {
			struct codes_file t = files[ncodes];
			files[ncodes++] = files[i];
			files[i] = t;
		}
	rc = codes_load_files(db, files, ncodes, &o, &rep, err);
	if (rc == 0)
		rc = mce_load_files(db, files + ncodes, n - ncodes, &o, rep, err);
	if (rc == 0)
		rc = poa_load_files(db, files + ncodes, n - ncodes, &o, rep, err);
	for (size_t i = 0; rc == 0 && i < json_array_size(rep); i++) {
		json_t *r = json_array_get(rep, i);
		const char *action = json_string_value(json_object_get(r, "action"));
		if (strcmp(action, "unchanged") == 0 || strcmp(action, "skipped") == 0)
			continue;
		char id[48], detail[96];
		snprintf(id, sizeof id, "%s %s", json_string_value(json_object_get(r, "system")),
		         json_string_value(json_object_get(r, "version")));
		snprintf(detail, sizeof detail, "%s: %lld codes, %lld billable", action,
		         (long long)json_integer_value(json_object_get(r, "codes")),
		         (long long)json_integer_value(json_object_get(r, "billable")));
		const char *sys = json_string_value(json_object_get(r, "system"));
		rc = audit(s, "codes.load", strcmp(sys, "mce") == 0 ? "mce_release"
		                            : strcmp(sys, "poa") == 0 ? "poa_exempt_release" : "code_release",
		           id, detail, err);
	}
	free(files);
	rc = finish(db, rc, err);
	if (rc) {
		json_decref(rep);
		return rc;
	}
	*report = rep;
	return 0;
}

/* The MCE releases and POA-exempt lists, as code-set report rows ("codes" =
 * list memberships / exempt codes; "billable" 0). */
static int list_mce_poa(mrt_db *db, json_t *arr, mrt_err *err)
{
	static const char sql[] =
		"SELECT 'mce', version, effective_from, effective_to,"
		" (SELECT count(*) FROM mce_list_code c WHERE c.release_id = r.id), derived_from, title"
		" FROM mce_release r"
		" UNION ALL SELECT 'poa', 'FY' || fiscal_year, effective_from, effective_to, rows, NULL,"
		" source_name FROM poa_exempt_release ORDER BY 1, 3";
	mrt_stmt *st = mrt_db_stmt(db, sql, err);
	if (!st)
		return MRT_EDB;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "system", mrt_stmt_text(st, 0),
		                      "version", mrt_stmt_text(st, 1), "effective_from", mrt_stmt_text(st, 2),
		                      "effective_to", mrt_stmt_text(st, 3), "codes",
		                      (json_int_t)mrt_stmt_int(st, 4), "billable", (json_int_t)0, "title",
		                      mrt_stmt_text(st, 6) ? mrt_stmt_text(st, 6) : "");
		if (!mrt_stmt_is_null(st, 5))
			json_object_set_new(o, "derived_from", json_string(mrt_stmt_text(st, 5)));
		json_array_append_new(arr, o);
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int codes_svc_releases(mrt_session *s, json_t **out, mrt_err *err)
{
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	struct codes_release *v = NULL;
	size_t n = 0;
	int rc = mrt_db_begin(db, err);
	if (rc)
		return rc;
	rc = audit(s, "codes.releases", "code_release", NULL, NULL, err);
	if (rc == 0)
		rc = codes_release_list(db, &v, &n, err);
	if ((rc = finish(db, rc, err)) != 0) {
		free(v);
		return rc;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "system", v[i].system,
		                                     "version", v[i].version, "effective_from",
		                                     v[i].effective_from, "effective_to", v[i].effective_to,
		                                     "codes", (json_int_t)v[i].codes, "billable",
		                                     (json_int_t)v[i].billable));
	free(v);
	if ((rc = list_mce_poa(db, arr, err)) != 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

/* Looks the code up in each system's release on day; fills matches. */
static int show_find(mrt_db *db, const struct codes_show_req *q, const char *code, mrt_day day,
                     json_t **out, mrt_err *err)
{
	const char *systems[2] = { CODES_SYS_CM, CODES_SYS_PCS };
	struct codes_release hit[2];
	int nhit = 0, rc = 0;
	for (int i = 0; i < 2; i++) {
		if (q->system && strcmp(q->system, systems[i]) != 0)
			continue;
		struct codes_release r;
		rc = codes_release_on(db, systems[i], day, &r, err);
		/* Without --date, a day past the newest release uses that release
		 * (its version and dates are in the output). */
		if (rc == MRT_ENOTFOUND && !q->date)
			rc = codes_release_newest_by(db, systems[i], day, &r, err);
		if (rc == MRT_ENOTFOUND)
			continue;
		if (rc)
			return rc;
		rc = codes_exists(db, &r, code, err);
		if (rc < 0)
			return rc;
		if (rc == 1)
			hit[nhit++] = r;
	}
	char date[MRT_DATE_LEN];
	mrt_date_format(date, day);
	if (nhit == 1)
		return codes_show_json(db, &hit[0], code, out, err);
	if (nhit > 1) {
		json_t *m = json_array();
		for (int i = 0; i < nhit; i++) {
			json_t *one = NULL;
			if ((rc = codes_show_json(db, &hit[i], code, &one, err)) != 0) {
				json_decref(m);
				return rc;
			}
			json_array_append_new(m, json_pack("{s:O, s:O, s:O, s:O}", "system",
			                                   json_object_get(one, "system"), "version",
			                                   json_object_get(one, "version"), "code",
			                                   json_object_get(one, "code"), "long_title",
			                                   json_object_get(one, "long_title")));
			json_decref(one);
		}
		*out = json_pack("{s:s, s:s, s:o}", "code", code, "date", date, "matches", m);
		return mrt_err_set(err, MRT_EAMBIG, "%s exists in %d systems on %s; choose one with --system",
		                   code, nhit, date);
	}
	json_t *where = NULL;
	if ((rc = codes_where_json(db, code, &where, err)) != 0)
		return rc;
	*out = json_pack("{s:s, s:s, s:o}", "code", code, "date", date, "found_in", where);
	return mrt_err_set(err, MRT_ENOTFOUND, "%s not found on %s%s%s", code, date,
	                   q->system ? " in " : "", q->system ? q->system : "");
}

int codes_svc_show(mrt_session *s, const struct codes_show_req *q, json_t **out, mrt_err *err)
{
	*out = NULL;
	char code[8];
	mrt_day day = mrt_date_today();
	if (codes_normalize(q->code, code) != 0)
		return mrt_err_set(err, MRT_EINVAL, "'%s' is not a code (3-7 letters and digits, dots allowed)",
		                   q->code);
	if (q->date && mrt_date_parse(&day, q->date) != 0)
		return mrt_err_set(err, MRT_EINVAL, "bad date '%s' (YYYY-MM-DD)", q->date);
	if (q->system && !codes_system_valid(q->system))
		return mrt_err_set(err, MRT_EINVAL, "unknown system '%s' (icd10cm or icd10pcs)", q->system);
	mrt_db *db = mrt_session_db(s);
	int rc = mrt_db_begin(db, err);
	if (rc)
		return rc;
	rc = audit(s, "codes.show", "code", code, q->system, err);
	if (rc)
		return finish(db, rc, err);
	int found = show_find(db, q, code, day, out, err);
	if (found == MRT_ENOTFOUND || found == MRT_EAMBIG || found == 0) {
		mrt_err saved = err ? *err : (mrt_err){ 0 };
		if ((rc = mrt_db_commit(db, err)) != 0) {
			json_decref(*out);
			*out = NULL;
			return rc;
		}
		if (err)
			*err = saved;
		return found;
	}
	json_decref(*out);
	*out = NULL;
	return finish(db, found, err);
}

int codes_svc_diff(mrt_session *s, const char *system, const char *va, const char *vb, int all,
                   json_t **out, mrt_err *err)
{
	*out = NULL;
	if (!codes_system_valid(system))
		return mrt_err_set(err, MRT_EINVAL, "unknown system '%s' (icd10cm or icd10pcs)",
		                   system ? system : "");
	mrt_db *db = mrt_session_db(s);
	int rc = mrt_db_begin(db, err);
	if (rc)
		return rc;
	char id[64];
	snprintf(id, sizeof id, "%s %s..%s", system, va, vb);
	rc = audit(s, "codes.diff", "code_release", id, all ? "all" : "billable", err);
	if (rc == 0)
		rc = codes_diff_json(db, system, va, vb, all, out, err);
	rc = finish(db, rc, err);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
