/*
 * Schema, migration 3, audit exports and reports: the register of audit
 * exports (FHIR AuditEvent NDJSON, and the sealed copies kept off-site for
 * retention) and the indexes the "who did what" reports use. Like the
 * audit trail itself, the register is append-only: exporting never
 * updates or deletes an audit row.
 */
#include "store/migrate.h"

const char mrt_schema_audit_v3[] =
	"CREATE TABLE audit_export ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  user_id INTEGER REFERENCES app_user(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('sealed','fhir')),"
	"  before TEXT,"      /* sealed: rows dated before this day */
	"  from_day TEXT,"    /* fhir: filters */
	"  to_day TEXT,"
	"  patient_id INTEGER REFERENCES patient(id),"
	"  events INTEGER NOT NULL CHECK (events >= 0),"
	"  first_id INTEGER,"
	"  last_id INTEGER,"
	"  last_mac TEXT CHECK (last_mac IS NULL OR length(last_mac) = 64),"
	"  body_sha256 TEXT CHECK (body_sha256 IS NULL OR length(body_sha256) = 64),"
	"  file_name TEXT NOT NULL,"
	"  CHECK (kind = 'fhir' OR before IS NOT NULL)"
	") STRICT;"
	"CREATE INDEX audit_export_patient ON audit_export(patient_id);"
	"CREATE TRIGGER audit_export_no_update BEFORE UPDATE ON audit_export"
	"  BEGIN SELECT RAISE(ABORT, 'audit_export is append-only'); END;"
	"CREATE TRIGGER audit_export_no_delete BEFORE DELETE ON audit_export"
	"  BEGIN SELECT RAISE(ABORT, 'audit_export is append-only'); END;"
	"CREATE INDEX audit_event_actor ON audit_event(actor);"
	"CREATE INDEX audit_event_behalf ON audit_event(on_behalf_of) WHERE on_behalf_of IS NOT NULL;"
	"CREATE INDEX audit_event_at ON audit_event(at);";
