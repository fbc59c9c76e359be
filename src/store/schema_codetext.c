/*
 * Schema, code text part: tabular notes (excludes1/2, code first, use
 * additional, code also, includes, inclusion terms, 7th characters), the
 * alphabetic index terms, and the full-text index over titles and terms.
 */
#include "store/migrate.h"

const char mrt_schema_codetext_v1[] =
	"CREATE TABLE code_note ("
	"  id INTEGER PRIMARY KEY,"
	"  release_id INTEGER NOT NULL REFERENCES code_release(id),"
	"  code TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  ref_code TEXT"
	") STRICT;"
	"CREATE INDEX code_note_code ON code_note(release_id, code);"
	"CREATE TABLE index_term ("
	"  id INTEGER PRIMARY KEY,"
	"  release_id INTEGER NOT NULL REFERENCES code_release(id),"
	"  kind TEXT NOT NULL,"
	"  parent_id INTEGER REFERENCES index_term(id),"
	"  level INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  code TEXT,"
	"  see TEXT,"
	"  see_also TEXT"
	") STRICT;"
	"CREATE INDEX index_term_parent ON index_term(parent_id);";
