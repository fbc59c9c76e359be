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

static const char *const list_keys[] = { "id", "date", "recipient", "purpose", "kind", "items",
	"authorization_id", "override_restriction_id", "packet_format", "packet_sha256", "by" };

static json_t *list_row(mrt_stmt *st, const void *arg)
{
	(void)arg;
	json_t *o = json_object();
	for (int i = 0; i < (int)(sizeof list_keys / sizeof list_keys[0]); i++)
		json_object_set_new(o, list_keys[i], svc_col_json(st, i));
	return o;
}

int disclose_svc_list(mrt_session *s, const char *mrn, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT d.id, d.disclosed_on, d.recipient, d.purpose, d.kind, d.items,"
		" d.authorization_id, d.override_restriction_id, d.packet_format, d.packet_sha256,"
		" u.name FROM disclosure d LEFT JOIN app_user u ON u.id = d.by_user"
		" WHERE d.patient_id = ? ORDER BY d.id DESC";
	return disclose_patient_rows(s, ACCESS_DISCLOSE_ACCOUNT, "disclose.list", mrn, sql, -1,
	                             list_row, NULL, out, err);
}

int disclose_svc_packet(mrt_session *s, int64_t id, mrt_buf *out, mrt_err *err)
{
	mrt_buf_init(out, PACKET_READ_MAX);
	mrt_db *db = mrt_session_db(s);
	int rc = disclose_read_begin(s, id, "disclose.packet", err);
	if (rc)
		return rc;
	mrt_stmt *st = mrt_db_stmt(db, "SELECT packet FROM disclosure WHERE id = ?", err);
	if (!st)
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
	rc = svc_finish(db, rc < 0 ? rc : 0, err);
	if (rc)
		mrt_buf_free(out);
	return rc;
}
