/*
 * Schema, code editor runs part: edit runs over stored encounters and
 * their findings (open until a later run finds them fixed).
 *
 * A finding is keyed by (encounter, kind, rule, code, code2): at most one
 * open row per key (the partial unique index), so a re-run that finds the
 * same problem again updates that row (last_run, last coding, occurrences)
 * instead of adding one. A run that no longer finds it closes it, naming
 * the closing run; a later reappearance is a new row.
 */
#include "store/migrate.h"

const char mrt_schema_edits_v4[] =
	"CREATE TABLE edit_run ("
	"  id INTEGER PRIMARY KEY,"
	"  started_at TEXT NOT NULL,"
	"  finished_at TEXT,"
	"  by_user INTEGER REFERENCES app_user(id),"
	"  scope TEXT NOT NULL CHECK (scope IN ('all','account','dates')),"
	"  account TEXT,"
	"  from_date TEXT,"
	"  to_date TEXT,"
	"  release TEXT,"
	"  release_forced INTEGER NOT NULL DEFAULT 0 CHECK (release_forced IN (0,1)),"
	"  selected INTEGER NOT NULL DEFAULT 0,"
	"  edited INTEGER NOT NULL DEFAULT 0,"
	"  skipped_access INTEGER NOT NULL DEFAULT 0,"
	"  skipped_other INTEGER NOT NULL DEFAULT 0,"
	"  findings_new INTEGER NOT NULL DEFAULT 0,"
	"  findings_still_open INTEGER NOT NULL DEFAULT 0,"
	"  findings_closed INTEGER NOT NULL DEFAULT 0,"
	"  items_opened INTEGER NOT NULL DEFAULT 0,"
	"  items_closed INTEGER NOT NULL DEFAULT 0"
	") STRICT;"
	"CREATE TABLE edit_finding ("
	"  id INTEGER PRIMARY KEY,"
	"  patient_id INTEGER NOT NULL REFERENCES patient(id),"
	"  encounter_id INTEGER NOT NULL REFERENCES encounter(id),"
	"  first_run INTEGER NOT NULL REFERENCES edit_run(id),"
	"  last_run INTEGER NOT NULL REFERENCES edit_run(id),"
	"  coding_id INTEGER NOT NULL REFERENCES coding(id),"
	"  last_coding_id INTEGER NOT NULL REFERENCES coding(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('mce','tabular','claim')),"
	"  rule TEXT NOT NULL,"
	"  code TEXT NOT NULL DEFAULT '',"
	"  code2 TEXT NOT NULL DEFAULT '',"
	"  occurrences INTEGER NOT NULL DEFAULT 1,"
	"  severity TEXT NOT NULL CHECK (severity IN ('error','warning','info')),"
	"  message TEXT NOT NULL,"
	"  source TEXT,"
	"  source_release_id INTEGER REFERENCES code_release(id),"
	"  mce_release TEXT,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),"
	"  opened_at TEXT NOT NULL,"
	"  closed_at TEXT,"
	"  closed_run INTEGER REFERENCES edit_run(id),"
	"  work_item_id INTEGER REFERENCES work_item(id)"
	") STRICT;"
	"CREATE UNIQUE INDEX edit_finding_open ON edit_finding(encounter_id, kind, rule, code, code2)"
	"  WHERE status = 'open';"
	"CREATE INDEX edit_finding_encounter ON edit_finding(encounter_id, status);"
	"CREATE INDEX edit_finding_patient ON edit_finding(patient_id);"
	"CREATE INDEX edit_finding_rule ON edit_finding(rule, status);";
