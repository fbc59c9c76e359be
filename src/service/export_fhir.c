/*
 * mrt export fhir (see export_fhir.h): access check, one read transaction
 * holding the audit event, every type written to a temporary file in the
 * output directory (0600), then the files renamed into place after the
 * commit. A type with no rows leaves no file (a stale one from an earlier
 * export is removed).
 */
#include "service/export_fhir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/date.h"
#include "service/export_fhir_int.h"

static const struct {
	enum chart_export_kind kind;
	const char *file;
} types[] = {
    {CHART_X_PATIENT, "Patient.ndjson"},       {CHART_X_ENCOUNTER, "Encounter.ndjson"},
    {CHART_X_DIAGNOSIS, "Condition.ndjson"},   {CHART_X_PROCEDURE, "Procedure.ndjson"},
    {CHART_X_PROVIDER, "Practitioner.ndjson"}, {CHART_X_DOCUMENT, "DocumentReference.ndjson"},
};
#define NTYPES (sizeof types / sizeof types[0])

struct xp_file {
	char tmp[4096], final[4096];
	FILE *f;
	long n;
};

struct xp {
	mrt_db *db;
	enum chart_export_kind kind;
	struct xp_file *file;
};

static int write_row(void *ctx, json_t *row, mrt_err *err)
{
	struct xp *x = ctx;
	json_t *res = xp_build(x->db, x->kind, row, err);
	if (!res)
		return err->code ? err->code : MRT_ENOMEM;
	char *line = json_dumps(res, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(res);
	if (!line)
		return mrt_err_set(err, MRT_ENOMEM, "export fhir: out of memory");
	size_t len = strlen(line);
	int ok = fwrite(line, 1, len, x->file->f) == len && fputc('\n', x->file->f) != EOF;
	sodium_memzero(line, len);
	free(line);
	if (!ok)
		return mrt_err_set(err, MRT_EIO, "%s: write failed", x->file->tmp);
	x->file->n++;
	return 0;
}

static int open_tmp(struct xp_file *f, const char *dir, const char *name, mrt_err *err)
{
	snprintf(f->final, sizeof f->final, "%s/%s", dir, name);
	snprintf(f->tmp, sizeof f->tmp, "%s/.%s.XXXXXX", dir, name);
	int fd = mkstemp(f->tmp);
	if (fd < 0) {
		f->tmp[0] = '\0';
		return mrt_err_set(err, MRT_EIO, "%s: cannot create a file there", dir);
	}
	fchmod(fd, 0600);
	f->f = fdopen(fd, "w");
	if (!f->f) {
		close(fd);
		return mrt_err_set(err, MRT_EIO, "%s: cannot open a file there", dir);
	}
	return 0;
}

static int close_tmp(struct xp_file *f, mrt_err *err)
{
	if (!f->f)
		return 0;
	int bad = fflush(f->f) != 0 || fsync(fileno(f->f)) != 0;
	bad |= fclose(f->f) != 0;
	f->f = NULL;
	return bad ? mrt_err_set(err, MRT_EIO, "%s: write failed", f->tmp) : 0;
}

static void discard(struct xp_file *files)
{
	for (size_t i = 0; i < NTYPES; i++) {
		if (files[i].f)
			fclose(files[i].f);
		files[i].f = NULL;
		if (files[i].tmp[0])
			unlink(files[i].tmp);
		files[i].tmp[0] = '\0';
	}
}

static int write_all(mrt_db *db, const char *dir, const char *since, struct xp_file *files,
		     mrt_err *err)
{
	for (size_t i = 0; i < NTYPES; i++) {
		int rc = open_tmp(&files[i], dir, types[i].file, err);
		struct xp x = {db, types[i].kind, &files[i]};
		if (rc == 0)
			rc = chart_export_rows(db, types[i].kind, since, write_row, &x, err);
		if (rc == 0)
			rc = close_tmp(&files[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

static int rename_all(struct xp_file *files, mrt_err *err)
{
	for (size_t i = 0; i < NTYPES; i++) {
		int rc = files[i].n ? rename(files[i].tmp, files[i].final) : unlink(files[i].tmp);
		if (rc != 0)
			return mrt_err_set(err, MRT_EIO, "%s: cannot put the file in place",
					   files[i].final);
		files[i].tmp[0] = '\0';
		if (!files[i].n && unlink(files[i].final) != 0 && errno != ENOENT)
			return mrt_err_set(err, MRT_EIO, "%s: cannot remove the old file",
					   files[i].final);
	}
	return 0;
}

static int check_since(const char *since, mrt_err *err)
{
	mrt_day d;
	if (since && mrt_date_parse(&d, since) != 0)
		return mrt_err_set(err, MRT_EINVAL, "--since: not a date (YYYY-MM-DD)");
	return 0;
}

static int audit(mrt_session *s, const struct xp_file *files, const char *since, mrt_err *err)
{
	char detail[256];
	snprintf(detail, sizeof detail,
		 "Patient=%ld Encounter=%ld Condition=%ld Procedure=%ld Practitioner=%ld"
		 " DocumentReference=%ld since=%s",
		 files[0].n, files[1].n, files[2].n, files[3].n, files[4].n, files[5].n,
		 since ? since : "-");
	struct mrt_audit_rec rec = {
	    .action = "export.fhir", .object_type = "export", .detail = detail};
	return mrt_session_audit(s, &rec, err);
}

static json_t *report_of(const struct xp_file *files, const char *dir, const char *since)
{
	json_t *f = json_object();
	long total = 0;
	for (size_t i = 0; f && i < NTYPES; i++) {
		if (files[i].n)
			json_object_set_new(f, types[i].file, json_integer(files[i].n));
		total += files[i].n;
	}
	return json_pack("{s:s, s:s?, s:o, s:I}", "out", dir, "since", since, "files", f,
			 "resources", (json_int_t)total);
}

int export_fhir(mrt_session *s, const char *out_dir, const char *since, json_t **report,
		mrt_err *err)
{
	*report = NULL;
	int rc = check_since(since, err);
	if (rc == 0)
		rc =
		    mrt_session_require_either(s, MRT_ROLE_ADMIN, MRT_ROLE_HIM, "export.fhir", err);
	if (rc)
		return rc;
	if (mkdir(out_dir, 0700) != 0 && errno != EEXIST)
		return mrt_err_set(err, MRT_EIO, "%s: cannot create the directory", out_dir);
	struct xp_file files[NTYPES];
	memset(files, 0, sizeof files);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = write_all(db, out_dir, since, files, err);
	if (rc == 0)
		rc = audit(s, files, since, err);
	if (rc == 0)
		rc = mrt_db_commit(db, err);
	else
		mrt_db_rollback(db);
	if (rc == 0)
		rc = rename_all(files, err);
	discard(files);
	if (rc == 0) {
		*report = report_of(files, out_dir, since);
		if (!*report)
			rc = mrt_err_set(err, MRT_ENOMEM, "export fhir: out of memory");
	}
	return rc;
}
