/*
 * Schema, code sets part: releases (system + version + effective dates, with
 * the checksum of every source file) and their codes. Reference data, not
 * patient data. `code.parent` is the nearest header above the code in the
 * same release (CM: the longest shorter code; PCS: the 3-character table).
 */
#include "store/migrate.h"

const char mrt_schema_codes_v1[] =
	"CREATE TABLE code_release ("
	"  id INTEGER PRIMARY KEY,"
	"  system TEXT NOT NULL CHECK (system IN ('icd10cm','icd10pcs')),"
	"  version TEXT NOT NULL,"
	"  effective_from TEXT NOT NULL,"
	"  effective_to TEXT NOT NULL,"
	"  title TEXT,"
	"  loaded_at TEXT NOT NULL,"
	"  loaded_by TEXT NOT NULL,"
	"  UNIQUE (system, version)"
	") STRICT;"
	"CREATE TABLE code_release_file ("
	"  id INTEGER PRIMARY KEY,"
	"  release_id INTEGER NOT NULL REFERENCES code_release(id),"
	"  kind TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  rows INTEGER NOT NULL,"
	"  loaded_at TEXT NOT NULL,"
	"  UNIQUE (release_id, kind)"
	") STRICT;"
	"CREATE TABLE code ("
	"  id INTEGER PRIMARY KEY,"
	"  release_id INTEGER NOT NULL REFERENCES code_release(id),"
	"  code TEXT NOT NULL,"
	"  billable INTEGER NOT NULL CHECK (billable IN (0,1)),"
	"  order_no INTEGER,"
	"  short_title TEXT NOT NULL,"
	"  long_title TEXT NOT NULL,"
	"  parent TEXT,"
	"  UNIQUE (release_id, code)"
	") STRICT;"
	"CREATE INDEX code_by_code ON code(code);";
