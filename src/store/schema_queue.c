/*
 * Schema, work queue part: generic work items (coder and physician
 * worklists, reviews) and their history.
 */
#include "store/migrate.h"

const char mrt_schema_queue_v1[] =
	"CREATE TABLE work_item ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  subject_type TEXT NOT NULL,"
	"  subject_id TEXT NOT NULL,"
	"  patient_id INTEGER,"
	"  title TEXT,"
	"  assigned_user INTEGER REFERENCES app_user(id),"
	"  assigned_role TEXT,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','in-progress','done','cancelled')),"
	"  priority INTEGER NOT NULL DEFAULT 0,"
	"  due_date TEXT,"
	"  created_at TEXT NOT NULL,"
	"  created_by INTEGER REFERENCES app_user(id),"
	"  closed_at TEXT"
	") STRICT;"
	"CREATE INDEX work_item_user ON work_item(assigned_user, status);"
	"CREATE INDEX work_item_role ON work_item(assigned_role, status);"
	"CREATE TABLE work_item_history ("
	"  id INTEGER PRIMARY KEY,"
	"  work_item_id INTEGER NOT NULL REFERENCES work_item(id),"
	"  at TEXT NOT NULL,"
	"  by_user INTEGER REFERENCES app_user(id),"
	"  action TEXT NOT NULL,"
	"  from_status TEXT,"
	"  to_status TEXT,"
	"  assigned_user INTEGER REFERENCES app_user(id),"
	"  assigned_role TEXT,"
	"  note TEXT"
	") STRICT;"
	"CREATE INDEX work_item_history_item ON work_item_history(work_item_id);";
