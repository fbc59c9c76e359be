/*
 * Listing work items with their history; see queue_svc.h.
 */
#include <inttypes.h>
#include <string.h>

#include "privacy/roles.h"
#include "service/queue_int.h"
#include "service/svc_util.h"

#define ITEM_COLS \
	"w.id, w.kind, w.subject_type, w.subject_id, w.title, u.name, w.assigned_role, w.status," \
	" w.due_date, w.created_at, w.patient_id"

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int add_history(mrt_session *s, json_t *item, int64_t id, mrt_err *err)
{
	static const char sql[] =
		"SELECT h.at, b.name, h.action, h.from_status, h.to_status, a.name, h.assigned_role, h.note"
		" FROM work_item_history h LEFT JOIN app_user b ON b.id = h.by_user"
		" LEFT JOIN app_user a ON a.id = h.assigned_user WHERE h.work_item_id = ? ORDER BY h.id";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	json_t *arr = json_array();
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		json_t *h = json_object();
		json_object_set_new(h, "at", jstr(mrt_stmt_text(st, 0)));
		json_object_set_new(h, "by", jstr(mrt_stmt_text(st, 1)));
		json_object_set_new(h, "action", jstr(mrt_stmt_text(st, 2)));
		json_object_set_new(h, "from_status", jstr(mrt_stmt_text(st, 3)));
		json_object_set_new(h, "to_status", jstr(mrt_stmt_text(st, 4)));
		json_object_set_new(h, "assigned_user", jstr(mrt_stmt_text(st, 5)));
		json_object_set_new(h, "assigned_role", jstr(mrt_stmt_text(st, 6)));
		json_object_set_new(h, "note", jstr(mrt_stmt_text(st, 7)));
		json_array_append_new(arr, h);
	}
	mrt_stmt_reset(st);
	json_object_set_new(item, "history", arr);
	return rc < 0 ? rc : 0;
}

static json_t *item_json(mrt_stmt *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(mrt_stmt_int(st, 0)));
	json_object_set_new(o, "kind", jstr(mrt_stmt_text(st, 1)));
	json_object_set_new(o, "subject_type", jstr(mrt_stmt_text(st, 2)));
	json_object_set_new(o, "subject_id", jstr(mrt_stmt_text(st, 3)));
	json_object_set_new(o, "title", jstr(mrt_stmt_text(st, 4)));
	json_object_set_new(o, "assigned_user", jstr(mrt_stmt_text(st, 5)));
	json_object_set_new(o, "assigned_role", jstr(mrt_stmt_text(st, 6)));
	json_object_set_new(o, "status", jstr(mrt_stmt_text(st, 7)));
	json_object_set_new(o, "due_date", jstr(mrt_stmt_text(st, 8)));
	json_object_set_new(o, "created_at", jstr(mrt_stmt_text(st, 9)));
	json_object_set_new(o, "patient_id",
	                    mrt_stmt_is_null(st, 10) ? json_null() : json_integer(mrt_stmt_int(st, 10)));
	return o;
}

/* Rows of st become items (with history) in a new array. */
static int collect(mrt_session *s, mrt_stmt *st, json_t **out, mrt_err *err)
{
	json_t *arr = json_array();
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1)
		json_array_append_new(arr, item_json(st));
	mrt_stmt_reset(st);
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it) {
		if (rc < 0)
			break;
		rc = add_history(s, it, json_integer_value(json_object_get(it, "id")), err);
	}
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return 0;
}

static int valid_status(const char *st)
{
	static const char *const ok[] = { "open", "in-progress", "done", "cancelled", "all" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(st, ok[i]) == 0)
			return 1;
	return 0;
}

int queue_svc_list(mrt_session *s, const struct queue_filter *f, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT " ITEM_COLS " FROM work_item w LEFT JOIN app_user u ON u.id = w.assigned_user"
		" WHERE (?1 IS NULL OR w.assigned_user = ?1) AND (?2 IS NULL OR w.assigned_role = ?2)"
		" AND ((?3 IS NULL AND w.status IN ('open','in-progress')) OR ?3 = 'all' OR w.status = ?3)"
		" AND (?4 = 1 OR w.assigned_user = ?5 OR w.assigned_role IN (SELECT g.role FROM role_grant g"
		"  WHERE g.user_id = ?5 AND g.revoked_at IS NULL))"
		" ORDER BY w.due_date IS NULL, w.due_date, w.id";
	*out = NULL;
	if (f->status && !valid_status(f->status))
		return mrt_err_set(err, MRT_EINVAL, "--status: '%s' is not one of open, in-progress, done, "
		                   "cancelled, all", f->status);
	if (f->role && !role_bit(f->role))
		return mrt_err_set(err, MRT_EINVAL, "unknown role '%s' (roles: %s)", f->role,
		                   role_list_text());
	struct mrt_audit_rec r = { .action = "queue.list", .object_type = "work_item",
	                           .detail = f->mine ? "mine" : f->role };
	int rc = mrt_session_audit(s, &r, err);
	if (rc)
		return rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	if (f->mine)
		mrt_stmt_bind_int(st, 1, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 2, f->role);
	mrt_stmt_bind_text(st, 3, f->status);
	mrt_stmt_bind_int(st, 4, svc_is_supervisor(s));
	mrt_stmt_bind_int(st, 5, mrt_session_user_id(s));
	return collect(s, st, out, err);
}

int queue_svc_show(mrt_session *s, int64_t id, json_t **out, mrt_err *err)
{
	static const char sql[] =
		"SELECT " ITEM_COLS " FROM work_item w LEFT JOIN app_user u ON u.id = w.assigned_user"
		" WHERE w.id = ?";
	struct queue_item it;
	*out = NULL;
	int rc = queue_load_item(s, id, &it, err);
	if (rc)
		return rc;
	int mine = it.assigned_user == mrt_session_user_id(s) ||
	           (it.assigned_role[0] && mrt_session_has_role(s, it.assigned_role));
	char oid[32];
	snprintf(oid, sizeof oid, "%" PRId64, id);
	struct mrt_audit_rec r = { .action = "queue.show", .object_type = "work_item", .object_id = oid,
	                           .patient_id = it.patient_id,
	                           .outcome = (mine || svc_is_supervisor(s)) ? "allow" : "deny" };
	if ((rc = mrt_session_audit(s, &r, err)) != 0)
		return rc;
	if (strcmp(r.outcome, "deny") == 0)
		return mrt_err_set(err, MRT_EACCESS, "work item %" PRId64 " is not assigned to user %s or a "
		                   "role they hold", id, mrt_session_user(s));
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, id);
	json_t *arr = NULL;
	if ((rc = collect(s, st, &arr, err)) != 0)
		return rc;
	*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	return 0;
}
