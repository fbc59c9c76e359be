/*
 * Schema, code editor reference part: MCE releases (the lists of one CMS
 * "Definitions of Medicare Code Edits" version, with the dates they cover
 * and the checksum of their source) and POA-exempt lists. Reference data,
 * not patient data.
 *
 * A release rebuilt from another one's change chapter names it in
 * derived_from (the version) and says how in note. List names are those of
 * mce_list_name() ("4A", "11B-kidney", ...); codes are undotted upper case.
 * A discharge status may have several rows (CMS re-used 04 and 05 with new
 * meanings): valid_from/valid_to NULL = open-ended.
 */
#include "store/migrate.h"

const char mrt_schema_mce_v4[] =
	"CREATE TABLE mce_release ("
	"  id INTEGER PRIMARY KEY,"
	"  version TEXT NOT NULL UNIQUE,"
	"  effective_from TEXT NOT NULL,"
	"  effective_to TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  source_name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  derived_from TEXT,"
	"  loaded_at TEXT NOT NULL,"
	"  loaded_by TEXT NOT NULL,"
	"  note TEXT,"
	"  CHECK (effective_from <= effective_to)"
	") STRICT;"
	"CREATE TABLE mce_list_code ("
	"  release_id INTEGER NOT NULL REFERENCES mce_release(id) ON DELETE CASCADE,"
	"  list TEXT NOT NULL,"
	"  code TEXT NOT NULL,"
	"  PRIMARY KEY (release_id, list, code)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE mce_status ("
	"  id INTEGER PRIMARY KEY,"
	"  release_id INTEGER NOT NULL REFERENCES mce_release(id) ON DELETE CASCADE,"
	"  status TEXT NOT NULL,"
	"  valid_from TEXT,"
	"  valid_to TEXT,"
	"  title TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX mce_status_by_release ON mce_status(release_id, status);"
	"CREATE TABLE poa_exempt_release ("
	"  id INTEGER PRIMARY KEY,"
	"  fiscal_year INTEGER NOT NULL UNIQUE,"
	"  effective_from TEXT NOT NULL,"
	"  effective_to TEXT NOT NULL,"
	"  source_name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  rows INTEGER NOT NULL,"
	"  loaded_at TEXT NOT NULL,"
	"  loaded_by TEXT NOT NULL,"
	"  CHECK (effective_from <= effective_to)"
	") STRICT;"
	"CREATE TABLE poa_exempt_code ("
	"  release_id INTEGER NOT NULL REFERENCES poa_exempt_release(id) ON DELETE CASCADE,"
	"  code TEXT NOT NULL,"
	"  PRIMARY KEY (release_id, code)"
	") STRICT, WITHOUT ROWID;";
