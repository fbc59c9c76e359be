/*
 * Schema, access part (migration 3): the role names of the privacy model
 * (him -> him_technician, privacy -> privacy_officer), the link from a
 * physician user to their provider record, and break-the-glass uses.
 * A label grant is a role_grant row whose role is a label code (e.g. BH),
 * so it has the same history (granted/revoked, by whom) as a role.
 */
#include "store/migrate.h"

const char mrt_schema_access_v3[] =
	"UPDATE role_grant SET role = 'him_technician' WHERE role = 'him';"
	"UPDATE role_grant SET role = 'privacy_officer' WHERE role = 'privacy';"
	"ALTER TABLE app_user ADD COLUMN provider_id INTEGER REFERENCES provider(id);"
	"CREATE TABLE break_glass ("
	"  id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES app_user(id),"
	"  patient_id INTEGER NOT NULL REFERENCES patient(id),"
	"  category TEXT NOT NULL CHECK (category IN ('emergency','continuity-of-care',"
	"    'patient-request','legal','other')),"
	"  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),"
	"  labels TEXT NOT NULL,"
	"  started_at TEXT NOT NULL,"
	"  expires_at TEXT NOT NULL,"
	"  reads INTEGER NOT NULL DEFAULT 0,"
	"  work_item_id INTEGER REFERENCES work_item(id),"
	"  reviewed_at TEXT,"
	"  reviewed_by INTEGER REFERENCES app_user(id),"
	"  review_outcome TEXT CHECK (review_outcome IN ('appropriate','inappropriate')),"
	"  review_note TEXT"
	") STRICT;"
	"CREATE INDEX break_glass_user_patient ON break_glass(user_id, patient_id, expires_at);"
	"CREATE INDEX label_object ON label(object_type, object_id) WHERE ended_at IS NULL;"
	"ALTER TABLE label ADD COLUMN reason TEXT;"
	"ALTER TABLE label ADD COLUMN ended_by INTEGER REFERENCES app_user(id);"
	"ALTER TABLE label ADD COLUMN end_reason TEXT;";
