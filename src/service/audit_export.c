/*
 * Exports of the audit trail, and the check of a sealed one.
 *
 * FHIR: one R4 AuditEvent resource per line (NDJSON), built with jansson;
 * see fhir_event() for the mapping.
 *
 * Sealed (off-site retention, HIPAA 164.316(b)(2)): JSON lines, every
 * byte of which is checked:
 *
 *   {"format":"mrt-audit-export","version":1,"db_id":..,"before":..,"created":..,"created_by":..}
 *   {"id":1,"at":..,"actor":.., ... ,"prev_mac":..,"mac":..}        one line per row, id order
 *   {"trailer":{"count":N,"first_id":1,"last_id":N,"last_mac":..,"body_sha256":..,"seal":..}}
 *
 * body_sha256 covers every byte before the trailer line; seal =
 * HMAC-SHA-256(site audit key, canonical(db_id, before, count, first_id,
 * last_id, last_mac, body_sha256)) (privacy/audit.c audit_seal). The rows
 * carry their chain MACs, so a row edited, deleted, inserted or moved
 * breaks the chain at that row; rows cut from the end disagree with the
 * trailer; a trailer changed disagrees with the seal. The export always
 * starts at row 1 (every row up to the last one dated before the day
 * given), so it verifies on its own. Rows stay in the database. The check
 * is audit_svc_verify_export (audit_svc.c).
 *
 * Both exports write a temporary file beside the target (outside any
 * transaction: audit rows never change), fsync it, record the export
 * (audit_export row and an audit.export event) in one transaction and only
 * then rename the file into place.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/date.h"
#include "base/hash.h"
#include "base/str.h"
#include "chart/chart.h"
#include "service/audit_svc.h"
#include "service/session_int.h"

/* ---- the output file ----------------------------------------------------- */

struct out_file {
	char tmp[PATH_MAX];
	const char *path;
	FILE *f;
	mrt_sha256 body;
	int64_t lines;
};

static int out_open(struct out_file *o, const char *path, mrt_err *err)
{
	memset(o, 0, sizeof *o);
	o->path = path;
	if (access(path, F_OK) == 0)
		return mrt_err_set(err, MRT_EEXIST,
				   "%s: already exists (an export never overwrites)", path);
	int n = snprintf(o->tmp, sizeof o->tmp, "%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof o->tmp)
		return mrt_err_set(err, MRT_EINVAL, "%s: path too long", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		o->tmp[0] = '\0';
		return mrt_err_set(err, MRT_EIO, "%s: cannot create: %s", path, strerror(errno));
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		return mrt_err_set(err, MRT_EIO, "%s: cannot write: %s", path, strerror(errno));
	}
	mrt_sha256_begin(&o->body);
	return 0;
}

/* Writes one JSON value as a line; body = 1: counted in the body digest. */
static int out_line(struct out_file *o, json_t *v, int body, mrt_err *err)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (!s)
		return mrt_err_set(err, MRT_ENOMEM, "out of memory writing %s", o->path);
	size_t n = strlen(s);
	s[n] = '\n'; /* json_dumps leaves the NUL: replace it for one write */
	if (body)
		mrt_sha256_update(&o->body, s, n + 1);
	size_t w = fwrite(s, 1, n + 1, o->f);
	free(s);
	o->lines++;
	if (w != n + 1)
		return mrt_err_set(err, MRT_EIO, "%s: write failed: %s", o->path, strerror(errno));
	return 0;
}

/* Flushes and syncs the temporary file (before the export is recorded). */
static int out_sync(struct out_file *o, mrt_err *err)
{
	int bad = fflush(o->f) != 0 || fsync(fileno(o->f)) != 0;
	bad |= fclose(o->f) != 0;
	o->f = NULL;
	if (bad)
		return mrt_err_set(err, MRT_EIO, "%s: write failed: %s", o->path, strerror(errno));
	return 0;
}

/* Renames into place once recorded; on failure (rc != 0) removes it. */
static int out_finish(struct out_file *o, int rc, mrt_err *err)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (rc == 0 && rename(o->tmp, o->path) != 0)
		rc = mrt_err_set(err, MRT_EIO, "%s: cannot rename into place: %s", o->path,
				 strerror(errno));
	if (rc && o->tmp[0])
		unlink(o->tmp);
	return rc;
}

/* ---- recording an export -------------------------------------------------- */

static int record(mrt_session *s, const char *kind, const char *before, const char *from,
		  const char *to, int64_t patient_id, const char *path,
		  const struct audit_export_result *r, mrt_err *err)
{
	static const char sql[] = "INSERT INTO audit_export(at, user_id, kind, before, from_day, "
				  "to_day, patient_id, events,"
				  " first_id, last_id, last_mac, body_sha256, file_name) VALUES "
				  "(?,?,?,?,?,?,?,?,?,?,?,?,?)";
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err->code;
	char now[32];
	mrt_now_iso(now);
	mrt_stmt_bind_text(st, 1, now);
	if (s->user_id)
		mrt_stmt_bind_int(st, 2, s->user_id);
	mrt_stmt_bind_text(st, 3, kind);
	mrt_stmt_bind_text(st, 4, before);
	mrt_stmt_bind_text(st, 5, from);
	mrt_stmt_bind_text(st, 6, to);
	if (patient_id)
		mrt_stmt_bind_int(st, 7, patient_id);
	mrt_stmt_bind_int(st, 8, r->events);
	if (r->events) {
		mrt_stmt_bind_int(st, 9, r->first_id);
		mrt_stmt_bind_int(st, 10, r->last_id);
		mrt_stmt_bind_text(st, 11, r->last_mac);
	}
	mrt_stmt_bind_text(st, 12, r->body_sha256[0] ? r->body_sha256 : NULL);
	mrt_stmt_bind_text(st, 13, path);
	int rc = mrt_stmt_run(st, err);
	if (rc)
		return rc;
	char oid[32], detail[200];
	snprintf(oid, sizeof oid, "%" PRId64, mrt_db_last_insert_id(s->db));
	if (before)
		snprintf(detail, sizeof detail,
			 "sealed: %" PRId64 " rows %" PRId64 "..%" PRId64
			 " before %s; sha256 %.16s",
			 r->events, r->first_id, r->last_id, before, r->body_sha256);
	else
		snprintf(detail, sizeof detail, "fhir: %" PRId64 " events from %s to %s", r->events,
			 from ? from : "the start", to ? to : "now");
	struct mrt_audit_rec rec = {.action = "audit.export",
				    .object_type = "audit_export",
				    .object_id = oid,
				    .patient_id = patient_id,
				    .detail = detail};
	return mrt_session_audit(s, &rec, err);
}

/* The file is written outside any transaction (audit rows never change,
 * and each SELECT reads one snapshot), so a long export does not hold the
 * write lock; only the record of it is a (short) transaction. */
static int record_txn(mrt_session *s, const char *kind, const char *before,
		      const struct audit_fhir_filter *f, int64_t patient_id, const char *path,
		      const struct audit_export_result *r, mrt_err *err)
{
	int rc = mrt_db_begin(s->db, err);
	if (rc)
		return rc;
	rc =
	    record(s, kind, before, f ? f->from : NULL, f ? f->to : NULL, patient_id, path, r, err);
	if (rc) {
		mrt_db_rollback(s->db);
		return rc;
	}
	return mrt_db_commit(s->db, err);
}

/* ---- FHIR AuditEvent -------------------------------------------------------- */

#define SYS_DCM "http://dicom.nema.org/resources/ontology/DCM"
#define SYS_ACTREASON "http://terminology.hl7.org/CodeSystem/v3-ActReason"

struct type_map {
	const char *prefix; /* action prefix ("" = any) */
	const char *code, *display;
};

/* DICOM audit event ids by the action's area, first match wins. */
static const struct type_map types[] = {
    {"patient.find", "110112", "Query"},
    {"export.", "110106", "Export"},
    {"disclose.", "110106", "Export"},
    {"audit.export", "110106", "Export"},
    {"import.", "110107", "Import"},
    {"listen", "110107", "Import"},
    {"audit.", "110101", "Audit Log Used"},
    {"user.", "110136", "Security Roles Changed"},
    {"auth.", "110114", "User Authentication"},
    {"session.", "110114", "User Authentication"},
    {"patient.", "110110", "Patient Record"},
    {"encounter.", "110110", "Patient Record"},
    {"break-glass.", "110110", "Patient Record"},
    {"", "110100", "Application Activity"},
};

/* FHIR action code by the action's verb (after the last '.'). */
static const char *const verb_codes[][2] = {
    {"add", "C"},    {"new", "C"},     {"create", "C"}, {"import", "C"},     {"load", "C"},
    {"init", "C"},   {"grant", "C"},   {"open", "C"},	{"show", "R"},	     {"read", "R"},
    {"log", "R"},    {"report", "R"},  {"list", "R"},	{"accounting", "R"}, {"review", "R"},
    {"code", "U"},   {"status", "U"},  {"assign", "U"}, {"done", "U"},	     {"passwd", "U"},
    {"revoke", "U"}, {"disable", "U"}, {"set", "U"},	{"submit", "U"},     {"remove", "D"},
    {"delete", "D"},
};

static const char *action_code(const char *action)
{
	/* an import creates records; an export or a disclosure reads them (as
	 * IHE ATNA codes its Export events) */
	if (strncmp(action, "import.", 7) == 0 || strcmp(action, "listen") == 0)
		return "C";
	if (strncmp(action, "export.", 7) == 0 || strcmp(action, "audit.export") == 0)
		return "R";
	const char *dot = strrchr(action, '.');
	const char *verb = dot ? dot + 1 : action;
	for (size_t i = 0; i < sizeof verb_codes / sizeof verb_codes[0]; i++)
		if (strcmp(verb, verb_codes[i][0]) == 0)
			return verb_codes[i][1];
	return "E";
}

static const struct type_map *event_type(const char *action)
{
	size_t i = 0;
	while (types[i].prefix[0] && strncmp(action, types[i].prefix, strlen(types[i].prefix)) != 0)
		i++;
	return &types[i];
}

static const char *const purpose_codes[][2] = {
    {"treatment", "TREAT"},	  {"payment", "HPAYMT"},	 {"operations", "HOPERAT"},
    {"public_health", "PUBHLTH"}, {"legal", "HLEGAL"},		 {"research", "HRESCH"},
    {"emergency", "ETREAT"},	  {"patient_request", "PATRQT"},
};

static json_t *coding(const char *system, const char *code, const char *display)
{
	json_t *c = json_pack("{s:s, s:s}", "system", system, "code", code);
	if (display)
		json_object_set_new(c, "display", json_string(display));
	return c;
}

static json_t *purpose_of_use(const char *purpose, int glass)
{
	json_t *arr = json_array();
	for (size_t i = 0; purpose && i < sizeof purpose_codes / sizeof purpose_codes[0]; i++)
		if (strcmp(purpose, purpose_codes[i][0]) == 0)
			json_array_append_new(
			    arr, json_pack("{s:[o]}", "coding",
					   coding(SYS_ACTREASON, purpose_codes[i][1], NULL)));
	if (glass)
		json_array_append_new(arr,
				      json_pack("{s:[o]}", "coding",
						coding(SYS_ACTREASON, "BTG", "break the glass")));
	return arr;
}

static json_t *roles(const char *text)
{
	json_t *arr = json_array();
	const char *p = text ? text : "";
	while (*p) {
		char name[64];
		size_t n = strcspn(p, ",");
		if (n && n < sizeof name) {
			memcpy(name, p, n);
			name[n] = '\0';
			json_array_append_new(arr, json_pack("{s:[o], s:s}", "coding",
							     coding("urn:mrt:role", name, NULL),
							     "text", name));
		}
		p += n + (p[n] == ',');
	}
	return arr;
}

static void set_roles(json_t *agent, const char *text)
{
	json_t *r = roles(text);
	if (json_array_size(r))
		json_object_set_new(agent, "role", r);
	else
		json_decref(r);
}

static json_t *agents(const struct audit_event *e, int glass)
{
	json_t *arr = json_array();
	json_t *a = json_pack("{s:{s:{s:s, s:s}}, s:b}", "who", "identifier", "system",
			      "urn:mrt:user", "value", e->actor, "requestor", 1);
	json_t *pou = purpose_of_use(e->purpose, glass);
	if (json_array_size(pou))
		json_object_set_new(a, "purposeOfUse", pou);
	else
		json_decref(pou); /* FHIR has no empty arrays */
	if (!e->on_behalf_of)
		set_roles(a, e->role);
	json_array_append_new(arr, a);
	if (e->on_behalf_of) {
		/* an administrator acting as another user: the user whose rights applied */
		json_t *b =
		    json_pack("{s:{s:[o]}, s:{s:{s:s, s:s}}, s:b}", "type", "coding",
			      coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
				     "RESP", "responsible party"),
			      "who", "identifier", "system", "urn:mrt:user", "value",
			      e->on_behalf_of, "requestor", 0);
		set_roles(b, e->role);
		json_array_append_new(arr, b);
	}
	return arr;
}

static json_t *entities(const struct audit_event *e, const char *mrn)
{
	json_t *arr = json_array();
	if (e->patient_id) {
		char ref[300];
		if (mrn)
			snprintf(ref, sizeof ref, "Patient/%s", mrn);
		else
			snprintf(ref, sizeof ref, "Patient/%" PRId64, e->patient_id);
		json_array_append_new(
		    arr, json_pack("{s:{s:s}, s:o, s:o}", "what", "reference", ref, "type",
				   coding("http://terminology.hl7.org/CodeSystem/audit-entity-type",
					  "1", "Person"),
				   "role",
				   coding("http://terminology.hl7.org/CodeSystem/object-role", "1",
					  "Patient")));
	}
	if (e->object_type && !(e->patient_id && strcmp(e->object_type, "patient") == 0)) {
		char sys[160];
		snprintf(sys, sizeof sys, "urn:mrt:%s", e->object_type);
		json_t *o =
		    json_pack("{s:{s:{s:s, s:s}}, s:o}", "what", "identifier", "system", sys,
			      "value", e->object_id ? e->object_id : "", "type",
			      coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2",
				     "System Object"));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* One AuditEvent. Outcome: 0 success (allow, break-glass), 4 minor failure
 * (deny: the request was refused). */
static json_t *fhir_event(const struct audit_event *e, const char *mrn, const char *db_id)
{
	char id[32];
	snprintf(id, sizeof id, "%" PRId64, e->id);
	int glass = strcmp(e->outcome, "break-glass") == 0;
	int deny = strcmp(e->outcome, "deny") == 0;
	const struct type_map *t = event_type(e->action);
	json_t *r =
	    json_pack("{s:s, s:s, s:o, s:[o], s:s, s:s, s:s}", "resourceType", "AuditEvent", "id",
		      id, "type", coding(SYS_DCM, t->code, t->display), "subtype",
		      coding("urn:mrt:audit-action", e->action, NULL), "action",
		      action_code(e->action), "recorded", e->at, "outcome", deny ? "4" : "0");
	if (e->detail)
		json_object_set_new(r, "outcomeDesc", json_string(e->detail));
	json_t *pou = purpose_of_use(e->purpose, glass);
	if (json_array_size(pou))
		json_object_set_new(r, "purposeOfEvent", pou);
	else
		json_decref(pou);
	json_object_set_new(r, "agent", agents(e, glass));
	json_object_set_new(
	    r, "source",
	    json_pack("{s:s, s:{s:{s:s, s:s}}, s:[o]}", "site", db_id, "observer", "identifier",
		      "system", "urn:mrt:site", "value", db_id, "type",
		      coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
			     "Application Server")));
	json_t *ent = entities(e, mrn);
	if (json_array_size(ent))
		json_object_set_new(r, "entity", ent);
	else
		json_decref(ent);
	return r;
}

static int write_fhir(mrt_session *s, struct out_file *o, const struct audit_fhir_filter *f,
		      int64_t patient_id, struct audit_export_result *r, mrt_err *err)
{
	static const char sql[] =
	    "SELECT " AUDIT_EVENT_COLS ", (SELECT mrn FROM patient WHERE patient.id = patient_id)"
	    " FROM audit_event WHERE (?1 IS NULL OR patient_id = ?1) AND (?2 IS NULL OR at >= ?2)"
	    " AND (?3 IS NULL OR at < date(?3, '+1 day')) ORDER BY id";
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err->code;
	if (patient_id)
		mrt_stmt_bind_int(st, 1, patient_id);
	mrt_stmt_bind_text(st, 2, f->from);
	mrt_stmt_bind_text(st, 3, f->to);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct audit_event e;
		audit_svc_row_event(st, &e);
		json_t *j = fhir_event(&e, mrt_stmt_text(st, 14), mrt_db_id(s->db));
		rc = j ? out_line(o, j, 1, err) : mrt_err_set(err, MRT_ENOMEM, "out of memory");
		json_decref(j);
		if (rc)
			break;
		if (!r->first_id)
			r->first_id = e.id;
		r->last_id = e.id;
		mrt_strlcpy(r->last_mac, e.mac ? e.mac : "", sizeof r->last_mac);
		r->events++;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

int audit_svc_export_fhir(mrt_session *s, const struct audit_fhir_filter *f, const char *out_path,
			  struct audit_export_result *r, mrt_err *err)
{
	memset(r, 0, sizeof *r);
	int rc = audit_svc_day("--from", f->from, err);
	if (!rc)
		rc = audit_svc_day("--to", f->to, err);
	if (!rc && f->from && f->to && strcmp(f->from, f->to) > 0)
		rc = mrt_err_set(err, MRT_EINVAL, "audit export: --from is after --to");
	if (rc || (rc = audit_svc_access(s, 0, err)) != 0)
		return rc;
	int64_t patient_id = 0;
	if (f->mrn && (rc = chart_patient_by_mrn(s->db, f->mrn, &patient_id, err)) != 0)
		return rc == MRT_ENOTFOUND
			   ? mrt_err_set(err, rc, "--patient: no patient with that MRN")
			   : rc;
	struct out_file o;
	if ((rc = out_open(&o, out_path, err)) != 0)
		return out_finish(&o, rc, err);
	rc = write_fhir(s, &o, f, patient_id, r, err);
	if (!rc) {
		unsigned char md[MRT_SHA256_LEN];
		mrt_sha256_end(&o.body, md);
		mrt_hex(r->body_sha256, md, sizeof md);
		rc = out_sync(&o, err);
	}
	if (!rc)
		rc = record_txn(s, "fhir", NULL, f, patient_id, out_path, r, err);
	return out_finish(&o, rc, err);
}

/* ---- sealed export ----------------------------------------------------------- */

static json_t *jstr(const char *v)
{
	return v ? json_string(v) : json_null();
}

static json_t *row_json(const struct audit_event *e)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(e->id));
	json_object_set_new(j, "at", jstr(e->at));
	json_object_set_new(j, "actor", jstr(e->actor));
	json_object_set_new(j, "on_behalf_of", jstr(e->on_behalf_of));
	json_object_set_new(j, "role", jstr(e->role));
	json_object_set_new(j, "action", jstr(e->action));
	json_object_set_new(j, "object_type", jstr(e->object_type));
	json_object_set_new(j, "object_id", jstr(e->object_id));
	json_object_set_new(j, "patient_id",
			    e->patient_id ? json_integer(e->patient_id) : json_null());
	json_object_set_new(j, "purpose", jstr(e->purpose));
	json_object_set_new(j, "outcome", jstr(e->outcome));
	json_object_set_new(j, "detail", jstr(e->detail));
	json_object_set_new(j, "prev_mac", jstr(e->prev_mac));
	json_object_set_new(j, "mac", jstr(e->mac));
	return j;
}

static int write_rows(mrt_session *s, struct out_file *o, int64_t last,
		      struct audit_export_result *r, mrt_err *err)
{
	static const char sql[] = "SELECT " AUDIT_EVENT_COLS " FROM audit_event WHERE id <= ?"
				  " ORDER BY id";
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_int(st, 1, last);
	int rc;
	while ((rc = mrt_stmt_step(st, err)) == 1) {
		struct audit_event e;
		audit_svc_row_event(st, &e);
		json_t *j = row_json(&e);
		rc = out_line(o, j, 1, err);
		json_decref(j);
		if (rc)
			break;
		if (!r->first_id)
			r->first_id = e.id;
		r->last_id = e.id;
		mrt_strlcpy(r->last_mac, e.mac ? e.mac : "", sizeof r->last_mac);
		r->events++;
	}
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int last_before(mrt_session *s, const char *before, int64_t *out, mrt_err *err)
{
	static const char sql[] = "SELECT coalesce(max(id), 0) FROM audit_event WHERE at < ?";
	mrt_stmt *st = mrt_db_stmt(s->db, sql, err);
	if (!st)
		return err->code;
	mrt_stmt_bind_text(st, 1, before);
	int rc = mrt_stmt_step(st, err);
	*out = rc == 1 ? mrt_stmt_int(st, 0) : 0;
	mrt_stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int write_sealed(mrt_session *s, struct out_file *o, const char *before,
			struct audit_export_result *r, mrt_err *err)
{
	int64_t last = 0;
	int rc = last_before(s, before, &last, err);
	if (rc)
		return rc;
	char now[32];
	mrt_now_iso(now);
	json_t *h =
	    json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "format", AUDIT_EXPORT_FORMAT, "version",
		      AUDIT_EXPORT_VERSION, "db_id", mrt_db_id(s->db), "before", before, "created",
		      now, "created_by", s->actor[0] ? s->actor : s->user);
	rc = out_line(o, h, 1, err);
	json_decref(h);
	if (!rc)
		rc = write_rows(s, o, last, r, err);
	if (rc)
		return rc;
	if (!r->events)
		memcpy(r->last_mac, AUDIT_GENESIS, AUDIT_MAC_HEX);
	unsigned char md[MRT_SHA256_LEN];
	mrt_sha256_end(&o->body, md);
	mrt_hex(r->body_sha256, md, sizeof md);
	struct audit_seal_fields sf = {mrt_db_id(s->db), before,      r->events,     r->first_id,
				       r->last_id,	 r->last_mac, r->body_sha256};
	if ((rc = audit_seal(r->seal, s->key, &sf)) != 0)
		return mrt_err_set(err, rc, "sealing the export");
	json_t *t = json_pack("{s:{s:I, s:I, s:I, s:s, s:s, s:s}}", "trailer", "count",
			      (json_int_t)r->events, "first_id", (json_int_t)r->first_id, "last_id",
			      (json_int_t)r->last_id, "last_mac", r->last_mac, "body_sha256",
			      r->body_sha256, "seal", r->seal);
	rc = out_line(o, t, 0, err);
	json_decref(t);
	return rc;
}

int audit_svc_export_sealed(mrt_session *s, const char *before, const char *out_path,
			    struct audit_export_result *r, mrt_err *err)
{
	memset(r, 0, sizeof *r);
	if (!before)
		return mrt_err_set(err, MRT_EINVAL, "--before: a date (YYYY-MM-DD) is required");
	int rc = audit_svc_day("--before", before, err);
	if (rc || (rc = audit_svc_access(s, 0, err)) != 0)
		return rc;
	struct out_file o;
	if ((rc = out_open(&o, out_path, err)) != 0)
		return out_finish(&o, rc, err);
	rc = write_sealed(s, &o, before, r, err);
	if (!rc)
		rc = out_sync(&o, err);
	if (!rc)
		rc = record_txn(s, "sealed", before, NULL, 0, out_path, r, err);
	return out_finish(&o, rc, err);
}
