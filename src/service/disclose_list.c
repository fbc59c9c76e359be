/*
 * Reading back what was released: every disclosure of a patient (the
 * technician's view, exempt ones included, unlike the accounting) and the
 * stored packet of one, byte for byte. Both are reads of the patient's
 * record: checked (ACCESS_DISCLOSE_ACCOUNT with the patient's labels) and
 * audited before anything is returned.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "service/disclose_int.h"
#include "service/disclose_svc.h"

#define PACKET_READ_MAX (64u << 20)

static json_t *col(mrt_stmt *st, int i)
{
	if (mrt_stmt_is_null(st, i))
		return json_null();
	if (mrt_stmt_is_int(st, i))
		return json_integer(mrt_stmt_int(st, i));
	return json_string(mrt_stmt_text(st, i));
}

int disclose_svc_list(mrt_session *s, const char *mrn, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT d.id, d.disclosed_on, d.recipient, d.purpose, d.kind, d.items,"
		" d.authorization_id, d.override_restriction_id, d.packet_format, d.packet_sha256,"
		" u.name FROM disclosure d LEFT JOIN app_user u ON u.id = d.by_user"
		" WHERE d.patient_id = ? ORDER BY d.id DESC";
	static const char *const keys[] = { "id", "date", "recipient", "purpose", "kind", "items",
		"authorization_id", "override_restriction_id", "packet_format", "packet_sha256", "by" };
	*out = NULL;
	mrt_db *db = mrt_session_db(s);
	int64_t patient = 0;
	struct access_decision d;
	int rc = disclose_patient_access(s, ACCESS_DISCLOSE_ACCOUNT, "disclose.list", mrn, 0,
	                                 &patient, 0, &d, err);
	if (rc || (rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = disclose_audit(s, "disclose.list", "patient", patient, patient, access_outcome(&d),
	                    NULL, err);
	mrt_stmt *st = rc ? NULL : mrt_db_stmt(db, sql, err);
	if (rc == 0 && !st)
		rc = err->code;
	json_t *a = json_array();
	if (rc == 0) {
		mrt_stmt_bind_int(st, 1, patient);
		while ((rc = mrt_stmt_step(st, err)) == 1) {
			json_t *o = json_object();
			for (int i = 0; i < (int)(sizeof keys / sizeof keys[0]); i++)
				json_object_set_new(o, keys[i], col(st, i));
			json_array_append_new(a, o);
		}
		mrt_stmt_reset(st);
	}
	if ((rc = disclose_finish(db, rc < 0 ? rc : 0, err)) != 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int disclose_svc_packet(mrt_session *s, int64_t id, mrt_buf *out, mrt_err *err)
{
	mrt_buf_init(out, PACKET_READ_MAX);
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, "SELECT patient_id FROM disclosure WHERE id = ?", err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	int rc = mrt_stmt_step(st, err);
	int64_t patient = rc == 1 ? mrt_stmt_int(st, 0) : -1;
	mrt_stmt_reset(st);
	struct access_decision d;
	if (rc < 0 || (rc = disclose_patient_access(s, ACCESS_DISCLOSE_ACCOUNT, "disclose.packet",
	                                            NULL, patient, &patient, 0, &d, err)) != 0)
		return rc == MRT_ENOTFOUND ? mrt_err_set(err, rc, "no disclosure %" PRId64, id) : rc;
	if ((rc = mrt_db_begin(db, err)) != 0)
		return rc;
	rc = disclose_audit(s, "disclose.packet", "disclosure", id, patient, access_outcome(&d),
	                    NULL, err);
	st = rc ? NULL : mrt_db_stmt(db, "SELECT packet FROM disclosure WHERE id = ?", err);
	if (rc == 0 && !st)
		rc = err->code;
	if (rc == 0) {
		mrt_stmt_bind_int(st, 1, id);
		if ((rc = mrt_stmt_step(st, err)) == 1) {
			size_t n = 0;
			const void *p = mrt_stmt_blob(st, 0, &n);
			rc = mrt_buf_add(out, p ? p : "", n) == 0
			             ? 0
			             : mrt_err_set(err, MRT_ENOMEM, "the packet is too large to read");
		}
		mrt_stmt_reset(st);
	}
	rc = disclose_finish(db, rc < 0 ? rc : 0, err);
	if (rc)
		mrt_buf_free(out);
	return rc;
}
