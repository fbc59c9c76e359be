/*
 * Schema, code text part: tabular notes (excludes1/2, code first, use
 * additional, code also, includes, inclusion terms, 7th characters), the
 * alphabetic index terms with the Neoplasm/Drug table cells, the ICD-10-PCS
 * definitions, and the full-text index over titles and terms.
 *
 * code_fts rowids are (release_id << 32) + rank, where rank orders a
 * release's rows from the most to the least likely answer (billable,
 * title, short); a search asks FTS5 for one release's rowid range and reads
 * matches in that order, stopping early instead of sorting every match.
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
	"  ref_code TEXT,"
	"  ch TEXT"
	") STRICT;"
	"CREATE INDEX code_note_code ON code_note(release_id, code);"
	"CREATE INDEX code_note_ref ON code_note(ref_code);"
	"CREATE TABLE index_term ("
	"  id INTEGER PRIMARY KEY,"
	"  release_id INTEGER NOT NULL REFERENCES code_release(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('index','neoplasm','drug','eindex','pcs')),"
	"  parent_id INTEGER REFERENCES index_term(id),"
	"  level INTEGER NOT NULL,"
	"  title TEXT NOT NULL,"
	"  nemod TEXT,"
	"  title_key TEXT NOT NULL,"
	"  head_key TEXT NOT NULL,"
	"  code TEXT,"
	"  code_kind TEXT,"
	"  manif TEXT,"
	"  see TEXT,"
	"  see_also TEXT,"
	"  use_term TEXT,"
	"  path TEXT NOT NULL"
	") STRICT;"
	"CREATE INDEX index_term_parent ON index_term(parent_id);"
	"CREATE INDEX index_term_main ON index_term(release_id, kind, level, title_key);"
	"CREATE INDEX index_term_head ON index_term(release_id, kind, level, head_key);"
	"CREATE TABLE index_cell ("
	"  term_id INTEGER NOT NULL REFERENCES index_term(id),"
	"  col INTEGER NOT NULL,"
	"  code TEXT NOT NULL,"
	"  PRIMARY KEY (term_id, col)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE index_heading ("
	"  release_id INTEGER NOT NULL REFERENCES code_release(id),"
	"  kind TEXT NOT NULL,"
	"  col INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  PRIMARY KEY (release_id, kind, col)"
	") STRICT, WITHOUT ROWID;"
	"CREATE TABLE pcs_definition ("
	"  id INTEGER PRIMARY KEY,"
	"  release_id INTEGER NOT NULL REFERENCES code_release(id),"
	"  section TEXT NOT NULL,"
	"  axis_pos INTEGER NOT NULL,"
	"  axis_title TEXT NOT NULL,"
	"  term TEXT NOT NULL,"
	"  definition TEXT,"
	"  explanation TEXT,"
	"  includes TEXT"
	") STRICT;"
	"CREATE INDEX pcs_definition_term ON pcs_definition(release_id, term);"
	"CREATE VIRTUAL TABLE code_fts USING fts5("
	"  text, code UNINDEXED, kind UNINDEXED,"
	"  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
	/* The distinct terms of code_fts, kept as a plain B-tree: a search word
	 * taken as a prefix is expanded through it into an OR of whole terms,
	 * which FTS5 reads lazily in rowid order (its own prefix queries build
	 * the whole merged doclist first). */
	"CREATE VIRTUAL TABLE code_fts_vocab USING fts5vocab(code_fts, 'row');"
	"CREATE TABLE code_term (term TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;";
