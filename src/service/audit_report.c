/*
 * The audit reports: every event on one patient ("who looked at my
 * record") or every event of one user (as the actor at the keyboard, or
 * as the user an administrator acted for), oldest first, with the MRN of
 * each event's patient. Access: ACCESS_AUDIT_READ. The report is itself an
 * audit event, committed before any row is read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "chart/chart.h"
#include "service/audit_svc.h"

#define REPORT_COLS AUDIT_EVENT_COLS ", (SELECT mrn FROM patient WHERE patient.id = patient_id)"

static const char by_patient_sql[] =
    "SELECT " REPORT_COLS " FROM audit_event WHERE patient_id = ?1"
    " AND (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < date(?3, '+1 day')) ORDER BY id";
static const char by_user_sql[] =
    "SELECT " REPORT_COLS " FROM audit_event WHERE (actor = ?1 OR on_behalf_of = ?1)"
    " AND (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < date(?3, '+1 day')) ORDER BY id";

static int check_filter(const struct audit_report_filter *f, mrt_err *err)
{
	if ((f->mrn == NULL) == (f->user == NULL))
		return mrt_err_set(err, MRT_EINVAL,
				   "audit report: give one of --patient MRN or --user NAME");
	if ((f->mrn && !*f->mrn) || (f->user && !*f->user))
		return mrt_err_set(err, MRT_EINVAL, "audit report: %s is empty",
				   f->mrn ? "--patient" : "--user");
	int rc = audit_svc_day("--from", f->from, err);
	if (!rc)
		rc = audit_svc_day("--to", f->to, err);
	if (!rc && f->from && f->to && strcmp(f->from, f->to) > 0)
		rc = mrt_err_set(err, MRT_EINVAL, "audit report: --from is after --to");
	return rc;
}

static int record(mrt_session *s, const struct audit_report_filter *f, int64_t patient_id,
		  mrt_err *err)
{
	char oid[32], detail[96];
	snprintf(oid, sizeof oid, "%" PRId64, patient_id);
	snprintf(detail, sizeof detail, "by %s; from %s to %s", f->mrn ? "patient" : "user",
		 f->from ? f->from : "the start", f->to ? f->to : "now");
	struct mrt_audit_rec rec = {
	    .action = "audit.report",
	    .object_type = f->mrn ? "patient" : "app_user",
	    .object_id = f->mrn ? oid : f->user,
	    .patient_id = patient_id,
	    .detail = detail,
	};
	return mrt_session_audit(s, &rec, err);
}

int audit_svc_report(mrt_session *s, const struct audit_report_filter *f, audit_report_fn fn,
		     void *ctx, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	int rc = check_filter(f, err);
	if (rc || (rc = audit_svc_access(s, 0, err)) != 0)
		return rc;
	int64_t patient_id = 0;
	if (f->mrn && (rc = chart_patient_by_mrn(db, f->mrn, &patient_id, err)) != 0)
		return rc == MRT_ENOTFOUND
			   ? mrt_err_set(err, rc, "audit report: no patient with that MRN")
			   : rc;
	if ((rc = record(s, f, patient_id, err)) != 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, f->mrn ? by_patient_sql : by_user_sql, err);
	if (!st)
		return err->code;
	if (f->mrn)
		mrt_stmt_bind_int(st, 1, patient_id);
	else
		mrt_stmt_bind_text(st, 1, f->user);
	mrt_stmt_bind_text(st, 2, f->from);
	mrt_stmt_bind_text(st, 3, f->to);
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct audit_event e;
		audit_svc_row_event(st, &e);
		if ((rc = fn(ctx, &e, mrt_stmt_text(st, 14))) != 0)
			break;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}
