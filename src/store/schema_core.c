/*
 * Schema, core part: the database's own identity. The id names the audit
 * key file kept outside the database (see privacy/audit).
 */
#include "store/migrate.h"

const char mrt_schema_core_v1[] =
	"CREATE TABLE meta ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") STRICT;"
	"INSERT INTO meta(key, value) VALUES ('db_id', lower(hex(randomblob(16))));"
	"INSERT INTO meta(key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ','now'));";
