/*
 * mrt export deid (see export_deid.h): the access check, the agreement
 * check for a limited data set, the ZIP3 list in effect, the streaming pass
 * (one read snapshot, no write lock), then one short transaction holding
 * the extract's record and its audit event; the files are renamed into
 * place only after that commit, so no data leaves unaudited.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "service/access_svc.h"
#include "service/dua_svc.h"
#include "service/export_deid_int.h"

int export_deid_method_parse(const char *name)
{
	if (name && strcmp(name, "safe-harbor") == 0)
		return EXPORT_DEID_SAFE_HARBOR;
	if (name && strcmp(name, "limited") == 0)
		return EXPORT_DEID_LIMITED;
	return -1;
}

static int load_zip3(struct deid_zip3 *z, const struct export_deid_opts *o, const char *today,
		     mrt_err *err)
{
	if (o->zip3_file)
		return deid_zip3_load(z, o->zip3_file, err);
	if (!o->zip3_dir)
		return mrt_err_set(err, MRT_ENOTFOUND,
				   "no restricted ZIP3 list: give --zip3-file FILE");
	return deid_zip3_pick(z, o->zip3_dir, today, err);
}

static int open_all(struct xd *x, const char *dir, mrt_err *err)
{
	int rc = 0;
	for (int i = 0; rc == 0 && i < XD_NFILES; i++) {
		rc = xd_open(&x->out[i], dir, xd_files[i].name, err);
		if (rc == 0 && (fputs(xd_files[i].header[x->limited], x->out[i].f) < 0 ||
				fputc('\n', x->out[i].f) == EOF))
			rc = mrt_err_set(err, MRT_EIO, "%s: write failed", x->out[i].tmp);
	}
	if (rc == 0)
		rc = xd_open(&x->manifest, dir, "manifest.json", err);
	if (rc == 0)
		rc = xd_open(&x->readme, dir, "README.txt", err);
	return rc;
}

static int close_all(struct xd *x, mrt_err *err)
{
	int rc = 0;
	for (int i = 0; rc == 0 && i < XD_NFILES; i++)
		rc = xd_close(&x->out[i], err);
	if (rc == 0)
		rc = xd_close(&x->manifest, err);
	if (rc == 0)
		rc = xd_close(&x->readme, err);
	return rc;
}

static int rename_all(struct xd *x, mrt_err *err)
{
	int rc = 0;
	for (int i = 0; rc == 0 && i < XD_NFILES; i++)
		rc = xd_rename(&x->out[i], err);
	if (rc == 0)
		rc = xd_rename(&x->manifest, err);
	if (rc == 0)
		rc = xd_rename(&x->readme, err);
	return rc;
}

static void discard_all(struct xd *x)
{
	for (int i = 0; i < XD_NFILES; i++)
		xd_discard(&x->out[i]);
	xd_discard(&x->manifest);
	xd_discard(&x->readme);
}

static void counts_text(const struct xd *x, char *out, size_t size)
{
	snprintf(out, size,
		 "patients=%" PRId64 " encounters=%" PRId64 " diagnoses=%" PRId64
		 " procedures=%" PRId64 " transfers=%" PRId64 " services=%" PRId64
		 " drgs=%" PRId64 " withheld=%" PRId64,
		 x->out[XD_PATIENTS].rows, x->out[XD_ENCOUNTERS].rows, x->out[XD_DIAGNOSES].rows,
		 x->out[XD_PROCEDURES].rows, x->out[XD_TRANSFERS].rows, x->out[XD_SERVICES].rows,
		 x->out[XD_DRGS].rows, x->withheld);
}

/* The extract's row in deid_extract (its id goes in the manifest). */
static int record(struct xd *x, const struct export_deid_opts *o, mrt_err *err)
{
	static const char sql[] =
	    "INSERT INTO deid_extract (method, dua_id, made_at, made_by, extract_date, out_dir,"
	    " zip3_list, zip3_effective, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	json_t *counts = json_object();
	for (int i = 0; counts && i < XD_NFILES; i++)
		json_object_set_new(counts, xd_files[i].name, json_integer(x->out[i].rows));
	if (counts)
		json_object_set_new(counts, "patients_withheld", json_integer(x->withheld));
	char *text = counts ? json_dumps(counts, JSON_COMPACT) : NULL;
	json_decref(counts);
	if (!text)
		return mrt_err_set(err, MRT_ENOMEM, "export deid: out of memory");
	mrt_stmt *st = mrt_db_stmt(x->db, sql, err);
	int rc = st ? 0 : err->code;
	if (rc == 0) {
		char now[32];
		mrt_now_iso(now);
		mrt_stmt_bind_text(st, 1, x->limited ? "limited" : "safe-harbor");
		if (x->limited)
			mrt_stmt_bind_int(st, 2, o->dua_id);
		mrt_stmt_bind_text(st, 3, now);
		mrt_stmt_bind_int(st, 4, mrt_session_user_id(x->s));
		mrt_stmt_bind_text(st, 5, x->today);
		mrt_stmt_bind_text(st, 6, o->out_dir);
		mrt_stmt_bind_text(st, 7, x->limited ? NULL : x->zip3->path);
		mrt_stmt_bind_text(st, 8, x->limited ? NULL : x->zip3->effective);
		mrt_stmt_bind_text(st, 9, text);
		rc = mrt_stmt_run(st, err);
	}
	free(text);
	if (rc == 0)
		x->extract_id = mrt_db_last_insert_id(x->db);
	return rc;
}

static int audit(struct xd *x, const struct export_deid_opts *o, const struct access_decision *d,
		 mrt_err *err)
{
	char counts[320], detail[400], oid[32];
	counts_text(x, counts, sizeof counts);
	if (x->limited)
		snprintf(detail, sizeof detail, "method=limited dua=%" PRId64 " %s", o->dua_id,
			 counts);
	else
		snprintf(detail, sizeof detail, "method=safe-harbor zip3=%s %s", x->zip3->effective,
			 counts);
	snprintf(oid, sizeof oid, "%" PRId64, x->extract_id);
	struct mrt_audit_rec rec = {.action = x->limited ? "export.limited" : "export.deid",
				    .object_type = "deid_extract",
				    .object_id = oid,
				    .outcome = access_outcome(d),
				    .detail = detail};
	return mrt_session_audit(x->s, &rec, err);
}

/* The rows, read without the write lock so imports and the listener go on
 * meanwhile: every cursor is open before the first is done, so they read
 * one snapshot (one read transaction of the connection). */
static int read_rows(struct xd *x, const struct export_deid_opts *o, mrt_err *err)
{
	int rc = open_all(x, o->out_dir, err);
	if (rc == 0)
		rc = xd_stream(x, err);
	return rc;
}

/* Inside the write transaction, before any file is put in place: the
 * agreement still active, the extract's record, the manifest and README,
 * the audit event. */
static int record_extract(struct xd *x, const struct export_deid_opts *o,
			  const struct access_decision *d, json_t **manifest, mrt_err *err)
{
	int rc = 0;
	if (x->limited)
		rc = dua_check_active(x->db, o->dua_id, x->today, err);
	if (rc == 0)
		rc = record(x, o, err);
	if (rc == 0 && (*manifest = xd_manifest(x, o)) == NULL)
		rc = mrt_err_set(err, MRT_ENOMEM, "export deid: out of memory");
	if (rc == 0)
		rc = xd_write_docs(x, *manifest, err);
	if (rc == 0)
		rc = close_all(x, err);
	if (rc == 0)
		rc = audit(x, o, d, err);
	return rc;
}

/* A limited data set asked for without an active agreement: refused, and
 * the refusal audited (in its own transaction, as nothing else is done). */
static int refuse_dua(struct xd *x, int64_t dua, mrt_err *err)
{
	mrt_err e2 = {0};
	char detail[64], oid[32];
	snprintf(detail, sizeof detail, "method=limited dua=%" PRId64 " not active", dua);
	snprintf(oid, sizeof oid, "%" PRId64, dua);
	struct mrt_audit_rec rec = {.action = "export.limited",
				    .object_type = "dua",
				    .object_id = oid,
				    .outcome = "deny",
				    .detail = detail};
	if (mrt_db_begin(x->db, &e2) == 0) {
		if (mrt_session_audit(x->s, &rec, &e2) == 0)
			mrt_db_commit(x->db, &e2);
		else
			mrt_db_rollback(x->db);
	}
	return err->code;
}

static int check_opts(const struct export_deid_opts *o, mrt_err *err)
{
	if (!o->out_dir || !*o->out_dir)
		return mrt_err_set(err, MRT_EINVAL, "export deid: --out DIR is required");
	if (o->method == EXPORT_DEID_LIMITED && o->dua_id <= 0)
		return mrt_err_set(err, MRT_EINVAL,
				   "export deid: a limited data set needs --dua ID (an active data "
				   "use agreement)");
	if (o->method == EXPORT_DEID_SAFE_HARBOR && o->dua_id)
		return mrt_err_set(err, MRT_EINVAL, "export deid: --dua is for --method limited");
	return 0;
}

int export_deid(mrt_session *s, const struct export_deid_opts *o, json_t **report,
		mrt_err *err)
{
	*report = NULL;
	int rc = check_opts(o, err);
	if (rc)
		return rc;
	struct xd *x = calloc(1, sizeof *x);
	struct deid_zip3 *z = calloc(1, sizeof *z);
	if (!x || !z) {
		free(x);
		free(z);
		return mrt_err_set(err, MRT_ENOMEM, "export deid: out of memory");
	}
	x->s = s;
	x->db = mrt_session_db(s);
	x->limited = o->method == EXPORT_DEID_LIMITED;
	x->zip3 = z;
	mrt_date_format(x->today, mrt_date_today());
	struct access_target t = {0};
	struct access_decision d;
	rc = access_svc_check(s, x->limited ? ACCESS_EXPORT_LIMITED : ACCESS_EXPORT_DEID, &t, &d,
			      err);
	if (rc == 0 && !x->limited)
		rc = load_zip3(z, o, x->today, err);
	if (rc == 0 && x->limited && (rc = dua_check_active(x->db, o->dua_id, x->today, err)) != 0)
		refuse_dua(x, o->dua_id, err);
	struct stat lst;
	if (rc == 0 && lstat(o->out_dir, &lst) == 0 && S_ISLNK(lst.st_mode))
		rc = mrt_err_set(err, MRT_EINVAL, "%s: --out is a symbolic link; give the folder itself",
				 o->out_dir);
	if (rc == 0 && mkdir(o->out_dir, 0700) != 0 && errno != EEXIST)
		rc = mrt_err_set(err, MRT_EIO, "%s: cannot create the directory", o->out_dir);
	json_t *manifest = NULL;
	if (rc == 0)
		rc = read_rows(x, o, err);
	if (rc == 0 && (rc = mrt_db_begin(x->db, err)) == 0) {
		rc = record_extract(x, o, &d, &manifest, err);
		if (rc == 0)
			rc = mrt_db_commit(x->db, err);
		else
			mrt_db_rollback(x->db);
	}
	if (rc == 0)
		rc = rename_all(x, err);
	discard_all(x);
	if (rc == 0) {
		json_object_set_new(manifest, "out", json_string(o->out_dir));
		json_object_del(manifest, "fields");
		*report = manifest;
	} else {
		json_decref(manifest);
	}
	free(x);
	free(z);
	return rc;
}
