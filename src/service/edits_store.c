/*
 * Edit runs and their findings, kept and routed to the coder queue; see
 * edits_store.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "service/edits_store.h"
#include "service/queue_int.h"
#include "service/svc_util.h"

int edits_store_begin(mrt_session *s, const char *scope, const char *account, const char *from,
		      const char *to, const char *release, struct edits_store_run *r, mrt_err *err)
{
	static const char sql[] =
	    "INSERT INTO edit_run(started_at, by_user, scope, account, from_date, to_date, release,"
	    " release_forced) VALUES (?,?,?,?,?,?,?,?)";
	memset(r, 0, sizeof *r);
	mrt_now_iso(r->now);
	mrt_date_format(r->due, mrt_date_today() + EDITS_ITEM_DUE_DAYS);
	r->by_rule = json_object();
	if (!r->by_rule)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory");
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, r->now);
	mrt_stmt_bind_int(st, 2, mrt_session_user_id(s));
	mrt_stmt_bind_text(st, 3, scope);
	mrt_stmt_bind_text(st, 4, account);
	mrt_stmt_bind_text(st, 5, from);
	mrt_stmt_bind_text(st, 6, to);
	mrt_stmt_bind_text(st, 7, release);
	mrt_stmt_bind_int(st, 8, release != NULL);
	int rc = mrt_stmt_run(st, err);
	if (rc == 0)
		r->id = mrt_db_last_insert_id(mrt_session_db(s));
	return rc;
}

int edits_store_end(mrt_session *s, struct edits_store_run *r, const struct edits_store_counts *c,
		    mrt_err *err)
{
	static const char sql[] =
	    "UPDATE edit_run SET finished_at = ?, selected = ?, edited = ?, skipped_access = ?,"
	    " skipped_other = ?, findings_new = ?, findings_still_open = ?, findings_closed = ?,"
	    " items_opened = ?, items_closed = ? WHERE id = ?";
	char now[32];
	mrt_now_iso(now);
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	const long v[] = {c->selected,	    c->edited,	       c->skipped_access,
			  c->skipped_other, r->t.new_,	       r->t.still_open,
			  r->t.closed,	    r->t.items_opened, r->t.items_closed};
	mrt_stmt_bind_text(st, 1, now);
	for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++)
		mrt_stmt_bind_int(st, i + 2, v[i]);
	mrt_stmt_bind_int(st, 11, r->id);
	return mrt_stmt_run(st, err);
}

void edits_store_free(struct edits_store_run *r)
{
	json_decref(r->by_rule);
	r->by_rule = NULL;
}

void edits_found_add(struct edits_found *list, int *n, int max, const struct edits_found *f)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(list[i].kind, f->kind) == 0 && strcmp(list[i].rule, f->rule) == 0 &&
		    strcmp(list[i].code, f->code) == 0 && strcmp(list[i].code2, f->code2) == 0) {
			list[i].occurrences++;
			return;
		}
	if (*n < max) {
		list[*n] = *f;
		list[*n].occurrences = 1;
		(*n)++;
	}
}

/* Adds one to the rule's counter what (and occurrences to its total). */
static void tally(struct edits_store_run *r, const char *kind, const char *rule, const char *what,
		  int occurrences)
{
	char key[96];
	snprintf(key, sizeof key, "%s/%s", kind, rule);
	json_t *o = json_object_get(r->by_rule, key);
	if (!o) {
		o = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i}", "kind", kind, "rule", rule, "new",
			      0, "still_open", 0, "closed", 0, "occurrences", 0);
		if (!o)
			return;
		json_object_set_new(r->by_rule, key, o);
	}
	json_int_t v = json_integer_value(json_object_get(o, what));
	json_object_set_new(o, what, json_integer(v + 1));
	v = json_integer_value(json_object_get(o, "occurrences"));
	json_object_set_new(o, "occurrences", json_integer(v + occurrences));
}

static const char keep_sql[] =
    "UPDATE edit_finding SET last_run = ?1, last_coding_id = ?2, occurrences = ?3,"
    " severity = ?4, message = ?5, source = ?6, source_release_id = ?7, mce_release = ?8"
    " WHERE encounter_id = ?9 AND kind = ?10 AND rule = ?11 AND code = ?12 AND code2 = ?13"
    " AND status = 'open'";
static const char new_sql[] =
    "INSERT INTO edit_finding(last_run, last_coding_id, occurrences, severity, message, source,"
    " source_release_id, mce_release, encounter_id, kind, rule, code, code2, patient_id,"
    " first_run, coding_id, opened_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,"
    " ?1, ?2, ?15)";

/* Keeps f open (updated) when it was open, else inserts it. */
static int put_finding(mrt_session *s, struct edits_store_run *r, int64_t enc, int64_t patient,
		       int64_t coding, const char *rel, const struct edits_found *f, mrt_err *err)
{
	mrt_db *db = mrt_session_db(s);
	for (int pass = 0; pass < 2; pass++) {
		mrt_stmt *st = mrt_db_stmt(db, pass ? new_sql : keep_sql, err);
		if (!st)
			return err->code;
		mrt_stmt_bind_int(st, 1, r->id);
		mrt_stmt_bind_int(st, 2, coding);
		mrt_stmt_bind_int(st, 3, f->occurrences);
		mrt_stmt_bind_text(st, 4, f->severity);
		mrt_stmt_bind_text(st, 5, f->message);
		mrt_stmt_bind_text(st, 6, f->source[0] ? f->source : NULL);
		if (f->source_release_id)
			mrt_stmt_bind_int(st, 7, f->source_release_id);
		mrt_stmt_bind_text(st, 8, rel);
		mrt_stmt_bind_int(st, 9, enc);
		mrt_stmt_bind_text(st, 10, f->kind);
		mrt_stmt_bind_text(st, 11, f->rule);
		mrt_stmt_bind_text(st, 12, f->code);
		mrt_stmt_bind_text(st, 13, f->code2);
		if (pass) {
			mrt_stmt_bind_int(st, 14, patient);
			mrt_stmt_bind_text(st, 15, r->now);
		}
		int rc = mrt_stmt_run(st, err);
		if (rc)
			return rc;
		if (mrt_db_changes(db) > 0) {
			r->t.still_open += !pass;
			r->t.new_ += pass;
			tally(r, f->kind, f->rule, pass ? "new" : "still_open", f->occurrences);
			return 0;
		}
	}
	return 0;
}

/* Closes the encounter's open findings this run did not find again. */
static int close_fixed(mrt_session *s, struct edits_store_run *r, int64_t enc, mrt_err *err)
{
	static const char which[] =
	    "SELECT kind, rule FROM edit_finding WHERE encounter_id = ? AND status = 'open'"
	    " AND last_run <> ?";
	static const char close[] =
	    "UPDATE edit_finding SET status = 'closed', closed_at = ?, closed_run = ?"
	    " WHERE encounter_id = ? AND status = 'open' AND last_run <> ?";
	mrt_db *db = mrt_session_db(s);
	mrt_stmt *st = mrt_db_stmt(db, which, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, enc);
	mrt_stmt_bind_int(st, 2, r->id);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		r->t.closed++;
		tally(r, mrt_stmt_text(st, 0), mrt_stmt_text(st, 1), "closed", 0);
	}
	mrt_stmt_reset(st);
	if (rc < 0 || !(st = mrt_db_stmt(db, close, err)))
		return rc < 0 ? rc : err->code;
	mrt_stmt_bind_text(st, 1, r->now);
	mrt_stmt_bind_int(st, 2, r->id);
	mrt_stmt_bind_int(st, 3, enc);
	mrt_stmt_bind_int(st, 4, r->id);
	return mrt_stmt_run(st, err);
}

/* The work item of the encounter's open findings that is itself still
 * open (0 when none); *nopen: the open findings. */
static int open_item(mrt_session *s, int64_t enc, int64_t *item, long *nopen, mrt_err *err)
{
	static const char sql[] =
	    "SELECT count(*) FROM edit_finding WHERE encounter_id = ? AND status = 'open'";
	static const char items[] =
	    "SELECT DISTINCT work_item_id FROM edit_finding WHERE encounter_id = ?"
	    " AND status = 'open' AND work_item_id IS NOT NULL ORDER BY work_item_id DESC";
	*item = 0;
	int64_t n = 0;
	int rc = svc_int_by_id(mrt_session_db(s), sql, enc, &n, err);
	*nopen = (long)n;
	if (rc || n == 0)
		return rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), items, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, enc);
	while (!*item && (rc = mrt_stmt_step(st, err)) == 1) {
		struct queue_item it;
		mrt_err ignored = {0};
		if (queue_load_item(s, mrt_stmt_int(st, 0), &it, &ignored) == 0 &&
		    (strcmp(it.status, "open") == 0 || strcmp(it.status, "in-progress") == 0))
			*item = it.id;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int link_item(mrt_session *s, int64_t enc, int64_t item, mrt_err *err)
{
	static const char sql[] =
	    "UPDATE edit_finding SET work_item_id = ? WHERE encounter_id = ? AND status = 'open'";
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, item);
	mrt_stmt_bind_int(st, 2, enc);
	return mrt_stmt_run(st, err);
}

static int add_item(mrt_session *s, struct edits_store_run *r, int64_t enc, int64_t patient,
		    long nopen, int64_t *item, mrt_err *err)
{
	char sid[32], title[128];
	snprintf(sid, sizeof sid, "%" PRId64, enc);
	snprintf(title, sizeof title,
		 "resolve coding edits: %ld open finding%s (edit run %" PRId64 ")", nopen,
		 nopen == 1 ? "" : "s", r->id);
	struct queue_new q = {.kind = EDITS_ITEM_KIND,
			      .subject_type = "encounter",
			      .subject_id = sid,
			      .patient_id = patient,
			      .title = title,
			      .assign_role = MRT_ROLE_CODER,
			      .due_date = r->due};
	int rc = queue_svc_add(s, &q, item, err);
	if (rc == 0)
		r->t.items_opened++;
	return rc;
}

/* The items of the encounter's closed findings that are still open, when
 * it has no open finding left: done, when the session may close them (a
 * coder or a supervisor; an item someone took for themselves stays open
 * until they, or a supervisor, run the edits again). The newest 16. */
static int close_items(mrt_session *s, struct edits_store_run *r, int64_t enc, mrt_err *err)
{
	static const char sql[] =
	    "SELECT DISTINCT work_item_id FROM edit_finding WHERE encounter_id = ?"
	    " AND status = 'closed' AND work_item_id IS NOT NULL ORDER BY work_item_id DESC";
	int64_t ids[16];
	int n = 0, rc;
	mrt_stmt *st = mrt_db_stmt(mrt_session_db(s), sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, enc);
	while ((rc = mrt_stmt_step(st, err)) == 1 && n < 16)
		ids[n++] = mrt_stmt_int(st, 0);
	mrt_stmt_reset(st);
	char note[80];
	snprintf(note, sizeof note, "every finding fixed (edit run %" PRId64 ")", r->id);
	for (int i = 0; rc >= 0 && i < n; i++) {
		struct queue_item it;
		if ((rc = queue_load_item(s, ids[i], &it, err)) != 0)
			return rc;
		if (strcmp(it.status, "open") != 0 && strcmp(it.status, "in-progress") != 0)
			continue;
		int mine = it.assigned_user == mrt_session_user_id(s) ||
			   (it.assigned_role[0] && mrt_session_has_role(s, it.assigned_role));
		if (!mine && !svc_is_supervisor(s)) {
			r->t.items_kept_open++;
			continue;
		}
		if ((rc = queue_svc_done(s, ids[i], note, err)) != 0)
			return rc;
		r->t.items_closed++;
	}
	return rc < 0 ? rc : 0;
}

int edits_store_encounter(mrt_session *s, struct edits_store_run *r, int64_t encounter,
			  int64_t patient, int64_t coding, const char *mce_release,
			  const struct edits_found *f, int n, mrt_err *err)
{
	int rc = 0;
	for (int i = 0; rc == 0 && i < n; i++)
		rc = put_finding(s, r, encounter, patient, coding, mce_release, &f[i], err);
	if (rc == 0)
		rc = close_fixed(s, r, encounter, err);
	int64_t item = 0;
	long nopen = 0;
	if (rc == 0)
		rc = open_item(s, encounter, &item, &nopen, err);
	if (rc || nopen == 0)
		return rc ? rc : close_items(s, r, encounter, err);
	if (!item && (rc = add_item(s, r, encounter, patient, nopen, &item, err)) != 0)
		return rc;
	return link_item(s, encounter, item, err);
}
