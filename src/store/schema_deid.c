/*
 * Schema, migration 3, de-identified extracts: data use agreements (the
 * condition of a limited data set, HIPAA 164.514(e)(4)) and the record of
 * every extract made - Safe Harbor or limited data set -, linked to its
 * agreement. A limited data set disclosure is exempt from the accounting of
 * disclosures (164.528(a)(1)(viii)); this table is where it is recorded
 * instead. Nothing is deleted: an agreement ends by its ended_at, an
 * extract row never changes. No patient data: only counts.
 */
#include "store/migrate.h"

const char mrt_schema_deid_v3[] =
	"CREATE TABLE dua ("
	"  id INTEGER PRIMARY KEY,"
	"  recipient TEXT NOT NULL CHECK (length(recipient) BETWEEN 1 AND 500),"
	"  purpose TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 2000),"
	"  permitted_uses TEXT NOT NULL CHECK (length(permitted_uses) BETWEEN 1 AND 4000),"
	"  expires_on TEXT NOT NULL CHECK (expires_on GLOB"
	"    '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),"
	"  created_at TEXT NOT NULL,"
	"  created_by INTEGER NOT NULL REFERENCES app_user(id),"
	"  ended_at TEXT,"
	"  ended_by INTEGER REFERENCES app_user(id),"
	"  end_reason TEXT CHECK (end_reason IS NULL OR length(end_reason) <= 2000),"
	"  CHECK ((ended_at IS NULL) = (ended_by IS NULL))"
	") STRICT;"
	"CREATE INDEX dua_expires ON dua(expires_on) WHERE ended_at IS NULL;"
	"CREATE TRIGGER dua_keep BEFORE DELETE ON dua"
	"  BEGIN SELECT RAISE(ABORT, 'dua rows are never deleted'); END;"
	"CREATE TRIGGER dua_fixed BEFORE UPDATE ON dua"
	"  WHEN OLD.ended_at IS NOT NULL OR NEW.recipient IS NOT OLD.recipient"
	"    OR NEW.purpose IS NOT OLD.purpose OR NEW.permitted_uses IS NOT OLD.permitted_uses"
	"    OR NEW.expires_on IS NOT OLD.expires_on OR NEW.created_at IS NOT OLD.created_at"
	"    OR NEW.created_by IS NOT OLD.created_by"
	"  BEGIN SELECT RAISE(ABORT, 'a data use agreement only ends; it does not change'); END;"
	"CREATE TABLE deid_extract ("
	"  id INTEGER PRIMARY KEY,"
	"  method TEXT NOT NULL CHECK (method IN ('safe-harbor','limited')),"
	"  dua_id INTEGER REFERENCES dua(id),"
	"  made_at TEXT NOT NULL,"
	"  made_by INTEGER NOT NULL REFERENCES app_user(id),"
	"  extract_date TEXT NOT NULL,"
	"  out_dir TEXT NOT NULL,"
	"  zip3_list TEXT,"
	"  zip3_effective TEXT,"
	"  counts TEXT NOT NULL CHECK (json_valid(counts)),"
	"  CHECK ((method = 'limited') = (dua_id IS NOT NULL)),"
	"  CHECK (method = 'limited' OR zip3_effective IS NOT NULL)"
	") STRICT;"
	"CREATE INDEX deid_extract_dua ON deid_extract(dua_id);"
	"CREATE TRIGGER deid_extract_keep BEFORE DELETE ON deid_extract"
	"  BEGIN SELECT RAISE(ABORT, 'extract records are never deleted'); END;"
	"CREATE TRIGGER deid_extract_fixed BEFORE UPDATE ON deid_extract"
	"  BEGIN SELECT RAISE(ABORT, 'extract records never change'); END;";
