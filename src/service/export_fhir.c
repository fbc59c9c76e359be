/*
 * mrt export fhir (see export_fhir.h): access check, one read transaction
 * holding the audit event, every type written to a temporary file in the
 * output directory (0600), then the files renamed into place after the
 * commit. A type with no rows leaves no file (a stale one from an earlier
 * export is removed). Records whose sensitivity labels the user's grants
 * do not cover (a patient, an encounter with what belongs to it, a
 * document) are withheld and counted, as they are hidden from the user's
 * reads.
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
#include "service/access_svc.h"
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

/* What the user may not see: MRNs, accounts and doc_refs whose labels
 * their grants do not cover (jansson objects used as sets). */
struct xp_hidden {
	json_t *mrn, *account, *doc;
	long withheld;
};

struct xp {
	mrt_db *db;
	enum chart_export_kind kind;
	struct xp_file *file;
	struct xp_hidden *hidden;
};

static int is_hidden(struct xp_hidden *h, json_t *row)
{
	const char *mrn = json_string_value(json_object_get(row, "patient_mrn"));
	if (!mrn)
		mrn = json_string_value(json_object_get(row, "mrn"));
	const char *acct = json_string_value(json_object_get(row, "enc_account"));
	if (!acct)
		acct = json_string_value(json_object_get(row, "account"));
	const char *doc = json_string_value(json_object_get(row, "doc_ref"));
	return (mrn && json_object_get(h->mrn, mrn)) || (acct && json_object_get(h->account, acct)) ||
	       (doc && json_object_get(h->doc, doc));
}

static const char hidden_sql[] =
	"SELECT l.patient_id, l.object_type, l.system, l.code,"
	" CASE l.object_type WHEN 'patient' THEN p.mrn WHEN 'encounter' THEN e.account"
	"   ELSE d.doc_ref END"
	" FROM label l LEFT JOIN patient p ON l.object_type = 'patient' AND p.id = l.object_id"
	" LEFT JOIN encounter e ON l.object_type = 'encounter' AND e.id = l.object_id"
	" LEFT JOIN document d ON l.object_type = 'document' AND d.id = l.object_id"
	" WHERE l.ended_at IS NULL";

static int load_hidden(mrt_session *s, struct xp_hidden *h, mrt_err *err)
{
	h->mrn = json_object();
	h->account = json_object();
	h->doc = json_object();
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), hidden_sql, err);
	if (!st)
		return err->code;
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		unsigned bit = access_label_bit_sys(mrt_stmt_text(st, 2), mrt_stmt_text(st, 3));
		const char *type = mrt_stmt_text(st, 1), *key = mrt_stmt_text(st, 4);
		if (!bit || !key ||
		    access_svc_covers(s, ACCESS_PATIENT_READ, mrt_stmt_int(st, 0), bit, 0))
			continue;
		json_t *set = strcmp(type, "patient") == 0     ? h->mrn
		              : strcmp(type, "encounter") == 0 ? h->account
		                                               : h->doc;
		json_object_set_new(set, key, json_true());
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static void free_hidden(struct xp_hidden *h)
{
	json_decref(h->mrn);
	json_decref(h->account);
	json_decref(h->doc);
}

static int write_row(void *ctx, json_t *row, mrt_err *err)
{
	struct xp *x = ctx;
	if (is_hidden(x->hidden, row)) {
		x->hidden->withheld++;
		return 0;
	}
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
		     struct xp_hidden *hidden, mrt_err *err)
{
	for (size_t i = 0; i < NTYPES; i++) {
		int rc = open_tmp(&files[i], dir, types[i].file, err);
		struct xp x = {db, types[i].kind, &files[i], hidden};
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

static int audit(mrt_session *s, const struct xp_file *files, const char *since, long withheld,
		 mrt_err *err)
{
	char detail[300];
	snprintf(detail, sizeof detail,
		 "Patient=%ld Encounter=%ld Condition=%ld Procedure=%ld Practitioner=%ld"
		 " DocumentReference=%ld since=%s withheld=%ld",
		 files[0].n, files[1].n, files[2].n, files[3].n, files[4].n, files[5].n,
		 since ? since : "-", withheld);
	struct mrt_audit_rec rec = {
	    .action = "export.fhir", .object_type = "export", .detail = detail};
	return mrt_session_audit(s, &rec, err);
}

static json_t *report_of(const struct xp_file *files, const char *dir, const char *since,
			 long withheld)
{
	json_t *f = json_object();
	long total = 0;
	for (size_t i = 0; f && i < NTYPES; i++) {
		if (files[i].n)
			json_object_set_new(f, types[i].file, json_integer(files[i].n));
		total += files[i].n;
	}
	return json_pack("{s:s, s:s?, s:o, s:I, s:I}", "out", dir, "since", since, "files", f,
			 "resources", (json_int_t)total, "withheld", (json_int_t)withheld);
}

int export_fhir(mrt_session *s, const char *out_dir, const char *since, json_t **report,
		mrt_err *err)
{
	*report = NULL;
	int rc = check_since(since, err);
	struct access_target t = {.action = "export.fhir"};
	if (rc == 0)
		rc = access_svc_check(s, ACCESS_EXPORT_FHIR, &t, NULL, err);
	if (rc)
		return rc;
	/* The export goes where the user said, not where a link points: a
	 * symbolic link as --out is refused (name the real folder). */
	struct stat lst;
	if (lstat(out_dir, &lst) == 0 && S_ISLNK(lst.st_mode))
		return mrt_err_set(err, MRT_EINVAL, "%s: --out is a symbolic link; give the folder itself",
				   out_dir);
	if (mkdir(out_dir, 0700) != 0 && errno != EEXIST)
		return mrt_err_set(err, MRT_EIO, "%s: cannot create the directory", out_dir);
	if (stat(out_dir, &lst) != 0 || !S_ISDIR(lst.st_mode))
		return mrt_err_set(err, MRT_EINVAL, "%s: --out is not a directory", out_dir);
	struct xp_file files[NTYPES];
	memset(files, 0, sizeof files);
	mrt_db *db = mrt_session_db(s);
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	struct xp_hidden hidden = {0};
	rc = load_hidden(s, &hidden, err);
	if (rc == 0)
		rc = write_all(db, out_dir, since, files, &hidden, err);
	free_hidden(&hidden);
	if (rc == 0)
		rc = audit(s, files, since, hidden.withheld, err);
	if (rc == 0)
		rc = mrt_db_commit(db, err);
	else
		mrt_db_rollback(db);
	if (rc == 0)
		rc = rename_all(files, err);
	discard(files);
	if (rc == 0) {
		*report = report_of(files, out_dir, since, hidden.withheld);
		if (!*report)
			rc = mrt_err_set(err, MRT_ENOMEM, "export fhir: out of memory");
	}
	return rc;
}
